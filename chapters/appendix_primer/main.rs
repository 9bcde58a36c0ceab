//! Appendix, the primer for Octave and numpy readers: the course's five ex4 functions on its
//! debugging problem. `cargo run --release --example appendix_primer`
//!
//! `ex4.py` beside this file computes the same five with numpy and prints the same lines;
//! `cargo xtask test` runs it and compares its numbers with this program's output.txt.

use std::process::ExitCode;

use backprop_book::activation::sigmoid_gradient;
use backprop_book::backprop::cost_and_gradient;
use backprop_book::cli::{self, OutDir};
use backprop_book::cost::{Loss, cost, one_hot};
use backprop_book::gradcheck::{DebugProblem, debug_problem};
use backprop_book::unroll::unroll;
use clap::Parser;
use ndarray::{Axis, array};

/// The primer's example: the course's ex4 functions on fixed inputs, for comparison with numpy.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    out: OutDir,
}

/// λ of the course's `checkNNGradients(3)` and of ex4's regularised checks.
const LAMBDA: f64 = 3.0;

/// `x` as C's and numpy's `%.12e` print it (`2.100950569898e+00`): 13 significant digits and a
/// signed two-digit exponent, so that both programs print the same characters.
fn sci(x: f64) -> String {
    let rust = format!("{x:.12e}");
    let (mantissa, exponent) = rust
        .split_once('e')
        .expect("{:e} always writes an exponent");
    let exponent: i32 = exponent.parse().expect("{:e} writes an integer exponent");
    format!("{mantissa}e{exponent:+03}")
}

fn main() -> ExitCode {
    cli::run(primer)
}

/// Computes the five functions, then prints them as ex4.py does.
fn primer() -> backprop_book::Result<()> {
    let _ = Args::parse().out;
    // ANCHOR: five
    let DebugProblem {
        net, x, classes, ..
    } = debug_problem()?;
    let y = one_hot(&classes, 3)?;
    let j = cost(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy)?;
    let j_reg = cost(&net, x.view(), y.view(), LAMBDA, Loss::CrossEntropy)?;
    let z = array![-1.0, -0.5, 0.0, 0.5, 1.0].insert_axis(Axis(0));
    let slopes = z.mapv(sigmoid_gradient);
    let (_, d) = cost_and_gradient(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy)?;
    let (_, d_reg) = cost_and_gradient(&net, x.view(), y.view(), LAMBDA, Loss::CrossEntropy)?;
    let (grad, grad_reg) = (unroll(&d), unroll(&d_reg));
    // ANCHOR_END: five

    let [theta1, theta2] = net.thetas() else {
        unreachable!("the debugging network has two Θ matrices")
    };
    println!("The course's debugging problem (checkNNGradients): a 3-5-3 sigmoid network");
    println!(
        "  shapes: Θ^(1) {:?}, Θ^(2) {:?}, X {:?}, Y {:?}",
        theta1.dim(),
        theta2.dim(),
        x.dim(),
        y.dim()
    );
    let labels: Vec<String> = classes.iter().map(|c| (c + 1).to_string()).collect();
    println!("  course labels y = [{}]", labels.join(", "));
    println!();
    println!("1. feed-forward and cost, λ = 0: J = {}", sci(j));
    println!("2. regularised cost, λ = {LAMBDA}:      J = {}", sci(j_reg));
    let shown: Vec<String> = slopes.iter().map(|&g| sci(g)).collect();
    println!(
        "3. sigmoid gradient at z = [-1, -0.5, 0, 0.5, 1], shape {:?}:",
        z.dim()
    );
    println!("   [{}]", shown.join(", "));
    println!(
        "4. and 5. the gradient, unrolled as [Theta1(:); Theta2(:)] ({} entries):",
        grad.len()
    );
    let header = format!("regularised, λ = {LAMBDA}");
    println!("   {:>3}  {:>19}  {:>19}", "i", "backprop, λ = 0", header);
    for (i, (g, r)) in grad.iter().zip(&grad_reg).enumerate() {
        println!("   {:>3}  {:>19}  {:>19}", i + 1, sci(*g), sci(*r));
    }
    Ok(())
}
