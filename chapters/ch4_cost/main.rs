//! Chapter 4: the cost function. `cargo run --release --example ch4_cost`

use std::process::ExitCode;

mod answers;

use backprop_book::activation::{Activation, sigmoid};
use backprop_book::cli::{self, OutDir};
use backprop_book::cost::{Loss, cost, cross_entropy, one_hot, regularisation};
use backprop_book::gradcheck::{DebugProblem, debug_problem};
use backprop_book::network::Network;
use clap::Parser;
use ndarray::{Array2, ArrayView1, ArrayView2, array, s};

/// Chapter 4: the K-class cross-entropy cost with L2 regularisation.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    out: OutDir,
}

fn main() -> ExitCode {
    cli::run(|| {
        let _ = Args::parse().out;
        let problem = debug_problem()?;
        one_hot_labels(&problem.classes)?;
        costs(&problem)?;
        mistakes(&problem)?;
        logistic(&problem)?;
        saturated();
        answers::run(&problem)
    })
}

fn one_hot_labels(classes: &[usize]) -> backprop_book::Result<()> {
    cli::section("one_hot");
    // ANCHOR: one_hot
    let y = one_hot(classes, 3)?; // class c (0-based) is column c; the course's label c + 1
    // ANCHOR_END: one_hot
    println!(
        "Course labels y = {:?} (class 0-based: {classes:?}); one-hot Y, one row per example:",
        classes.iter().map(|c| c + 1).collect::<Vec<_>>()
    );
    for row in y.rows() {
        println!("  {row}");
    }
    Ok(())
}

// ANCHOR: costs
/// J(Θ) at λ, and the penalty λ/(2m)·ΣΘ² (bias columns left out) that it includes.
fn cost_at(p: &DebugProblem, lambda: f64) -> backprop_book::Result<(f64, f64)> {
    let j = cost(&p.net, p.x.view(), p.y.view(), lambda, Loss::CrossEntropy)?;
    Ok((j, regularisation(p.net.thetas(), lambda, p.x.nrows())))
}
// ANCHOR_END: costs

fn costs(p: &DebugProblem) -> backprop_book::Result<()> {
    cli::section("costs");
    let h = p.net.predict_proba(p.x.view())?;
    println!("\nh_Θ(X), the network's 5 × 3 outputs:");
    for row in h.rows() {
        println!("  {row:.6}");
    }
    for lambda in [0.0, 1.0, 3.0] {
        let (j, penalty) = cost_at(p, lambda)?;
        println!("λ = {lambda}: J = {j:.10}   (penalty λ/(2m)·ΣΘ² = {penalty:.10})");
    }
    Ok(())
}

// ANCHOR: mistakes
/// ΣΘ² over every layer from column 1 on, or from column 0 (the bias column) too.
fn squares(net: &Network, with_bias: bool) -> f64 {
    let from = usize::from(!with_bias);
    let layer = |t: &Array2<f64>| t.slice(s![.., from..]).iter().map(|w| w * w).sum::<f64>();
    net.thetas().iter().map(layer).sum()
}

/// J at λ from its unregularised part j0: right, and with the three classic penalty mistakes.
fn with_mistakes(j0: f64, net: &Network, lambda: f64, m: f64) -> [(&'static str, f64); 4] {
    let (right, bias) = (squares(net, false), squares(net, true));
    [
        ("right:", j0 + lambda / (2.0 * m) * right),
        (
            "bias column regularised too:",
            j0 + lambda / (2.0 * m) * bias,
        ),
        ("λ/2*m, i.e. (λ/2)·m:", j0 + lambda / 2.0 * m * right),
        ("penalty not divided by m:", j0 + lambda / 2.0 * right),
    ]
}
// ANCHOR_END: mistakes

fn mistakes(p: &DebugProblem) -> backprop_book::Result<()> {
    cli::section("mistakes");
    let (j0, _) = cost_at(p, 0.0)?;
    let lambda = 3.0;
    println!("\nWhat common mistakes print instead (λ = {lambda}):");
    for (what, j) in with_mistakes(j0, &p.net, lambda, p.x.nrows() as f64) {
        println!("  {what:<32}{j:.10}");
    }
    Ok(())
}

// ANCHOR: logistic
/// Logistic regression's cost written out: the mean cross-entropy of h = σ(θ₀ + θ₁x₁ + θ₂x₂),
/// plus λ/(2m)·(θ₁² + θ₂²), the intercept θ₀ left out.
fn logistic_cost(theta: [f64; 3], x: ArrayView2<f64>, y: &[f64], lambda: f64) -> f64 {
    let m = y.len() as f64;
    let term = |(xi, &yi): (ArrayView1<f64>, &f64)| {
        let h = sigmoid(theta[0] + theta[1] * xi[0] + theta[2] * xi[1]);
        -(yi * h.ln() + (1.0 - yi) * (1.0 - h).ln())
    };
    let data = x.rows().into_iter().zip(y).map(term).sum::<f64>();
    data / m + lambda / (2.0 * m) * (theta[1].powi(2) + theta[2].powi(2))
}
// ANCHOR_END: logistic

/// With K = 1 and no hidden layer the network is logistic regression, and J is its cost.
fn logistic(p: &DebugProblem) -> backprop_book::Result<()> {
    cli::section("logistic");
    let theta = [-0.5, 1.2, -0.8];
    let unit = Network::new(vec![array![theta]], Activation::Sigmoid)?;
    let x2 = p.x.slice(s![.., 0..2]).to_owned();
    let y2 = [1.0, 0.0, 1.0, 1.0, 0.0];
    let logistic = logistic_cost(theta, x2.view(), &y2, 1.0);
    let targets = Array2::from_shape_vec((5, 1), y2.to_vec()).expect("5 targets");
    let network = cost(&unit, x2.view(), targets.view(), 1.0, Loss::CrossEntropy)?;
    println!(
        "\nOne sigmoid unit, λ = 1: logistic-regression cost {logistic:.10}, network cost {network:.10}"
    );
    Ok(())
}

// ANCHOR: stable
/// One output's cross-entropy term for target y: from h = σ(z) as the textbook writes it, and
/// from z without ever forming h.
fn textbook_and_from_z(z: f64, y: f64) -> (f64, f64, f64) {
    let h = sigmoid(z);
    let textbook = -(y * h.ln() + (1.0 - y) * (1.0 - h).ln());
    (h, textbook, cross_entropy(z, y))
}
// ANCHOR_END: stable

fn saturated() {
    cli::section("stable");
    println!("\nSaturated outputs: ln(0) in the textbook formula, finite from z.");
    for (z, target) in [(20.0, 0.0), (40.0, 0.0), (-800.0, 1.0)] {
        let (h, textbook, from_z) = textbook_and_from_z(z, target);
        println!(
            "  z = {z:5}, y = {target}: σ(z) = {h:.12}  textbook {textbook:.6}  from z {from_z:.6}"
        );
    }
    let first = (1..100)
        .find(|&z| sigmoid(f64::from(z)) == 1.0)
        .expect("σ reaches 1.0 in f64 below z = 100");
    println!(
        "  σ(z) rounds to exactly 1.0 from z = {first} on (σ({}) = {:.17})",
        first - 1,
        sigmoid(f64::from(first - 1))
    );
}
