//! Chapter 4: the cost function. `cargo run --release --example ch4_cost`

use std::process::ExitCode;

use backprop_book::activation::{Activation, sigmoid};
use backprop_book::cli::{self, OutDir};
use backprop_book::cost::{Loss, cost, cross_entropy, one_hot, regularisation};
use backprop_book::gradcheck::{DebugProblem, debug_problem};
use backprop_book::network::Network;
use clap::Parser;
use ndarray::{array, s};

/// Chapter 4: the K-class cross-entropy cost with L2 regularisation.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    out: OutDir,
}

fn main() -> ExitCode {
    cli::run(|| {
        let _ = Args::parse().out;
        let DebugProblem {
            net, x, classes, ..
        } = debug_problem()?;

        // ANCHOR: one_hot
        let y = one_hot(&classes, 3)?;
        println!(
            "Course labels y = {:?} (class 0-based: {classes:?}); one-hot Y, one row per example:",
            classes.iter().map(|c| c + 1).collect::<Vec<_>>()
        );
        for row in y.rows() {
            println!("  {row}");
        }
        // ANCHOR_END: one_hot

        // ANCHOR: costs
        let h = net.predict_proba(x.view())?;
        println!("\nh_Θ(X), the network's 5 × 3 outputs:");
        for row in h.rows() {
            println!("  {row:.6}");
        }
        let m = x.nrows();
        for lambda in [0.0, 1.0, 3.0] {
            let j = cost(&net, x.view(), y.view(), lambda, Loss::CrossEntropy)?;
            let penalty = regularisation(net.thetas(), lambda, m);
            println!("λ = {lambda}: J = {j:.10}   (penalty λ/(2m)·ΣΘ² = {penalty:.10})");
        }
        // ANCHOR_END: costs

        // ANCHOR: mistakes
        let squares = |with_bias: bool| -> f64 {
            let from = if with_bias { 0 } else { 1 };
            net.thetas()
                .iter()
                .map(|t| t.slice(s![.., from..]).iter().map(|w| w * w).sum::<f64>())
                .sum()
        };
        let j0 = cost(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy)?;
        let lambda = 3.0;
        println!("\nWhat common mistakes print instead (λ = {lambda}):");
        println!(
            "  right:                          {:.10}",
            j0 + lambda / (2.0 * m as f64) * squares(false)
        );
        println!(
            "  bias column regularised too:    {:.10}",
            j0 + lambda / (2.0 * m as f64) * squares(true)
        );
        println!(
            "  λ/2*m, i.e. (λ/2)·m:            {:.10}",
            j0 + lambda / 2.0 * m as f64 * squares(false)
        );
        println!(
            "  penalty not divided by m:       {:.10}",
            j0 + lambda / 2.0 * squares(false)
        );
        // ANCHOR_END: mistakes

        // ANCHOR: logistic
        // With K = 1 and no hidden layer the network is logistic regression, and J is its cost.
        let theta = array![[-0.5, 1.2, -0.8]];
        let unit = Network::new(vec![theta.clone()], Activation::Sigmoid)?;
        let x2 = x.slice(s![.., 0..2]).to_owned();
        let y2 = array![[1.0], [0.0], [1.0], [1.0], [0.0]];
        let logistic: f64 = x2
            .rows()
            .into_iter()
            .zip(y2.column(0))
            .map(|(xi, &yi)| {
                let hi = sigmoid(theta[[0, 0]] + theta[[0, 1]] * xi[0] + theta[[0, 2]] * xi[1]);
                -(yi * hi.ln() + (1.0 - yi) * (1.0 - hi).ln())
            })
            .sum::<f64>()
            / 5.0
            + 1.0 / (2.0 * 5.0) * (1.2f64.powi(2) + 0.8f64.powi(2));
        let network = cost(&unit, x2.view(), y2.view(), 1.0, Loss::CrossEntropy)?;
        println!(
            "\nOne sigmoid unit, λ = 1: logistic-regression cost {logistic:.10}, network cost {network:.10}"
        );
        // ANCHOR_END: logistic

        // ANCHOR: stable
        println!("\nSaturated outputs: ln(0) in the textbook formula, finite from z.");
        for (z, target) in [(20.0, 0.0), (40.0, 0.0), (-800.0, 1.0)] {
            let h = sigmoid(z);
            let textbook = -(target * h.ln() + (1.0 - target) * (1.0 - h).ln());
            println!(
                "  z = {z:5}, y = {target}: σ(z) = {h:.12}  textbook {textbook:.6}  from z {:.6}",
                cross_entropy(z, target)
            );
        }
        // ANCHOR_END: stable
        let first = (1..100)
            .find(|&z| sigmoid(f64::from(z)) == 1.0)
            .expect("σ reaches 1.0 in f64 below z = 100");
        println!(
            "  σ(z) rounds to exactly 1.0 from z = {first} on (σ({}) = {:.17})",
            first - 1,
            sigmoid(f64::from(first - 1))
        );
        Ok(())
    })
}
