//! Chapter 4's exercises answered by runs: each prints under its own section, `answer-N`.

use backprop_book::activation::Activation;
use backprop_book::cli;
use backprop_book::cost::{Loss, cost};
use backprop_book::gradcheck::DebugProblem;
use backprop_book::network::Network;

use super::cost_at;

/// The answers, in the order of the exercises (questions 2 and 4 are answered on paper).
pub fn run(p: &DebugProblem) -> backprop_book::Result<()> {
    weights_times_100(p)?;
    lambda_ten(p)
}

// ANCHOR: textbook_cost
/// J at λ = 0 as the textbook writes it, from h: −(1/m) Σ [y ln h + (1 − y) ln(1 − h)].
fn textbook_cost(net: &Network, p: &DebugProblem) -> backprop_book::Result<f64> {
    let h = net.predict_proba(p.x.view())?;
    let terms = h
        .iter()
        .zip(&p.y)
        .map(|(&h, &y)| y * h.ln() + (1.0 - y) * (1.0 - h).ln());
    Ok(-terms.sum::<f64>() / p.x.nrows() as f64)
}
// ANCHOR_END: textbook_cost

// ANCHOR: times
/// The debugging network with every weight multiplied by `factor`.
fn scaled(p: &DebugProblem, factor: f64) -> backprop_book::Result<Network> {
    let thetas = p.net.thetas().iter().map(|t| t * factor).collect();
    Network::new(thetas, Activation::Sigmoid)
}
// ANCHOR_END: times

fn weights_times_100(p: &DebugProblem) -> backprop_book::Result<()> {
    cli::section("answer-1");
    println!("\nAnswer 1: every weight of the debugging network times 100.");
    let big = scaled(p, 100.0)?;
    println!("  h_Θ(X):");
    for row in big.predict_proba(p.x.view())?.rows() {
        println!("    {row:.6}");
    }
    for factor in [100.0, 10000.0] {
        let net = scaled(p, factor)?;
        let j = cost(&net, p.x.view(), p.y.view(), 0.0, Loss::CrossEntropy)?;
        let textbook = textbook_cost(&net, p)?;
        println!(
            "  times {factor}, λ = 0: J from z = {j:.6}; from h, as the textbook writes it = {textbook:.6}"
        );
    }
    let j1 = cost(&big, p.x.view(), p.y.view(), 1.0, Loss::CrossEntropy)?;
    let (before, penalty) = cost_at(p, 1.0)?;
    println!(
        "  times 100, λ = 1: J from z = {j1:.6} (before: {before:.6}, with penalty {penalty:.10})"
    );
    Ok(())
}

fn lambda_ten(p: &DebugProblem) -> backprop_book::Result<()> {
    cli::section("answer-3");
    let ((j1, pen1), (j10, pen10)) = (cost_at(p, 1.0)?, cost_at(p, 10.0)?);
    println!("\nAnswer 3: λ = 10 against λ = 1.");
    println!("  λ = 1:  J = {j1:.10}   penalty {pen1:.10}");
    println!("  λ = 10: J = {j10:.10}   penalty {pen10:.10}");
    println!(
        "  J grows by {:.10}; 9 × the λ = 1 penalty = {:.10}",
        j10 - j1,
        9.0 * pen1
    );
    println!(
        "  penalty ratio {:.6}, but J ratio only {:.6}",
        pen10 / pen1,
        j10 / j1
    );
    Ok(())
}
