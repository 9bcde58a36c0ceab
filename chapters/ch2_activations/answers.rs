//! Chapter 2's exercises answered by runs: each prints under its own section, `answer-N`.

use backprop_book::activation::{sigmoid, sigmoid_gradient};
use backprop_book::cli;

use super::{Layers, defect, layer, two_layers};

/// The answers, in the order of the exercises.
pub fn run() -> backprop_book::Result<()> {
    tanh_from_sigmoid();
    sigmoid_applied_twice();
    relu_collapse();
    vanishing_bound();
    Ok(())
}

fn tanh_from_sigmoid() {
    cli::section("answer-1");
    // ANCHOR: tanh_from_sigmoid
    let worst = (0..=40)
        .map(|i| -4.0 + 0.2 * f64::from(i))
        .map(|z: f64| (z.tanh() - (2.0 * sigmoid(2.0 * z) - 1.0)).abs())
        .fold(0.0, f64::max);
    // ANCHOR_END: tanh_from_sigmoid
    println!("\nAnswer 1: tanh(z) against 2σ(2z) - 1 at the 41 points z = -4.0, -3.8, ..., 4.0:");
    println!("  largest difference below 1e-15: {}", worst < 1e-15);
}

fn sigmoid_applied_twice() {
    cli::section("answer-2");
    println!(
        "\nAnswer 2: the classic bug, sigmoid_gradient(sigmoid(z)), against sigmoid_gradient(z):"
    );
    println!("      z   bug        right      right - bug");
    for z in [-1.0, -0.5, 0.0, 0.5, 1.0] {
        let (bug, right) = bug_and_right(z);
        println!("  {z:5.1}   {bug:.6}   {right:.6}   {:.6}", right - bug);
    }
}

// ANCHOR: applied_twice
/// The bug, σ′ taken at the output a = σ(z), and the right value, σ′ taken at z.
fn bug_and_right(z: f64) -> (f64, f64) {
    (sigmoid_gradient(sigmoid(z)), sigmoid_gradient(z))
}
// ANCHOR_END: applied_twice

/// Which of the three hidden units have a positive weighted sum at x: the ReLU layer's pattern.
fn pattern(l: &Layers, x: &[f64]) -> Vec<u8> {
    layer(&l.w1, &l.b1, x)
        .iter()
        .map(|&z| u8::from(z > 0.0))
        .collect()
}

fn relu_collapse() {
    cli::section("answer-3");
    println!("\nAnswer 3: ReLU between the two layers of the collapse check (seed 3).");
    let l = Layers::random(3);
    // ANCHOR: relu_defect
    let relu = |v: &[f64]| two_layers(&l, |z| z.max(0.0), v);
    // ANCHOR_END: relu_defect
    for scale in [1.0, 0.01] {
        let (x, y) = ([0.3 * scale, -0.7 * scale], [1.5 * scale, 2.0 * scale]);
        let sum = [x[0] + y[0], x[1] + y[1]];
        println!(
            "  x = ({:.3}, {:.3}), y = ({:.3}, {:.3}): defect {:.4}",
            x[0],
            x[1],
            y[0],
            y[1],
            defect(relu, x, y)
        );
        println!(
            "    units with z > 0 at 0, x, y, x+y: {:?} {:?} {:?} {:?}",
            pattern(&l, &[0.0, 0.0]),
            pattern(&l, &x),
            pattern(&l, &y),
            pattern(&l, &sum)
        );
    }
}

fn vanishing_bound() {
    cli::section("answer-4");
    println!("\nAnswer 4: the bound 0.25^n against what an f64 can hold.");
    // ANCHOR: vanishing_bound
    let (mut bound, mut n, mut found) = (1.0f64, 0, Vec::new());
    let limits = [
        f64::EPSILON,
        f64::MIN_POSITIVE,
        f64::MIN_POSITIVE * f64::EPSILON,
    ];
    while found.len() < limits.len() {
        (bound, n) = (bound * 0.25, n + 1); // exact: a power of 2 until it underflows
        if bound < limits[found.len()] {
            found.push((n, bound));
        }
    }
    // ANCHOR_END: vanishing_bound
    let names = [
        "below f64::EPSILON = 2^-52 = 2.22e-16 (1 + 0.25^n rounds to 1)",
        "below f64::MIN_POSITIVE = 2^-1022 = 2.23e-308 (subnormal)",
        "below the smallest subnormal 2^-1074 = 4.94e-324: it rounded to 0",
    ];
    for ((n, bound), name) in found.into_iter().zip(names) {
        println!("  n = {n:3}: 0.25^n = {bound:.2e}, the first {name}");
    }
}
