//! Chapter 9's exercises, answered by runs: each prints its own section of the transcript
//! (`answer-1` …), which the page shows inside the folded answer.

use backprop_book::Result;
use backprop_book::cli;
use backprop_book::digits::Digits;
use backprop_book::network::Network;
use backprop_book::optimize::{CostAndGradient, backpropagation};
use ndarray::{Array2, ArrayView2};

use super::{
    SweepPoint, by_conjugate_gradient, check_gradient, lambda_sweep, learning_curve, print_curves,
    print_sweep, report_xnor_starts, train_with, xnor_starts,
};

/// Exercise 1's runs: five times the training points, at λ = 0 and at the best λ of 100
/// points. They run beside the chapter's other sections, being its costliest.
pub fn more_points_sweep() -> Result<Vec<SweepPoint>> {
    lambda_sweep(MORE_POINTS, &[0.0, 0.3])
}

/// Exercise 1: `MOONS_POINTS` = 500.
const MORE_POINTS: usize = 500;

/// Exercise 1: the sweep's table for five times the training points.
pub fn more_points(sweep: Result<Vec<SweepPoint>>) -> Result<()> {
    cli::section("answer-1");
    println!("\nExercise 1: {MORE_POINTS} training points instead of 100, at λ = 0 and λ = 0.3");
    print_sweep(MORE_POINTS, &sweep?);
    Ok(())
}

/// Exercise 2: α = 5 between its neighbours α = 3 and α = 10, from the same start.
pub fn rate_five(train: &Digits) -> Result<()> {
    cli::section("answer-2");
    println!("\nExercise 2: α = 5 beside α = 3 and α = 10");
    let curves = [3.0, 5.0, 10.0]
        .into_iter()
        .map(|rate| learning_curve(rate, train))
        .collect::<Result<Vec<_>>>()?;
    print_curves(&curves);
    Ok(())
}

// ANCHOR: bias_too
/// Exercise 3: the right λ/m, but applied to the bias column too: D = Δ/m + (λ/m)Θ for every j.
fn bias_too(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
) -> Result<(f64, Vec<Array2<f64>>)> {
    let m = x.nrows() as f64;
    let (j, mut d) = backpropagation(net, x, y, lambda)?;
    for (d, theta) in d.iter_mut().zip(net.thetas()) {
        d.column_mut(0).scaled_add(lambda / m, &theta.column(0));
    }
    Ok((j, d))
}
// ANCHOR_END: bias_too

/// Exercise 3: the check of the bias-regularising gradient, and the digits network trained
/// with it by conjugate gradient beside the right gradient.
pub fn bias_regularised(train: &Digits, test: &Digits) -> Result<()> {
    cli::section("answer-3");
    println!("\nExercise 3: λ/m applied to the bias column as well");
    let (right, wrong) = (check_gradient(backpropagation)?, check_gradient(bias_too)?);
    println!(
        "  relative difference: {right:.2e} for backpropagation, {wrong:.2e} with the bias regularised"
    );
    println!("  conjugate gradient on the digits network:   final J    training   held-out");
    for (name, gradient) in [
        ("backpropagation", backpropagation as CostAndGradient),
        ("bias regularised", bias_too),
    ] {
        let (_, s) = train_with(gradient, by_conjugate_gradient, train, test)?;
        println!(
            "  {name:<42} {:.6}   {:>7.2}%   {:>7.2}%",
            s.final_cost,
            100.0 * s.train,
            100.0 * s.test
        );
    }
    Ok(())
}

/// Exercise 4: XNOR from the same ten seeds with three hidden units.
pub fn three_hidden_units() -> Result<()> {
    cli::section("answer-4");
    println!("\nExercise 4: the XNOR runs with three hidden units");
    let runs = xnor_starts(&[2, 3, 1])?;
    report_xnor_starts(&[2, 3, 1], &runs);
    let stuck = runs.iter().filter(|run| run.costs[5] > 0.1).count();
    println!("  {stuck} of {} starts end with J above 0.1", runs.len());
    Ok(())
}
