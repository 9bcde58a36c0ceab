//! Chapter 6's exercises, answered by runs: each prints under its own section, `answer-N`.

use backprop_book::Result;
use backprop_book::backprop::cost_and_gradient;
use backprop_book::cli;
use backprop_book::cost::Loss;
use backprop_book::gradcheck::{check_network, relative_difference};
use backprop_book::network::Network;
use backprop_book::unroll::unroll_row_major;
use ndarray::{Array2, ArrayView2};

use super::{thousands, train_from, unrolled_labels};

/// Every answer, in the order of the exercises.
pub fn all(net: &Network, x: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<()> {
    orders_mixed(net, x, y)?;
    smaller_epsilon(net, x, y)?;
    one_weight_off_zero(x, y)?;
    two_hidden_layers(500);
    losses_mixed(net, x, y)
}

// ANCHOR: answer_1
/// The numerical gradient in Octave's order, the analytic one unrolled row-major.
fn mixed_orders(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
) -> Result<[ndarray::Array1<f64>; 2]> {
    let numerical = check_network(net, x, y, 0.0, Loss::CrossEntropy, 1e-4)?.numerical;
    let (_, d) = cost_and_gradient(net, x, y, 0.0, Loss::CrossEntropy)?;
    Ok([numerical, unroll_row_major(&d)])
}
// ANCHOR_END: answer_1

fn orders_mixed(net: &Network, x: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<()> {
    cli::section("answer-1");
    let [numerical, analytic] = mixed_orders(net, x, y)?;
    println!("\nAnswer 1: numerical gradient column-major, analytic gradient row-major (λ = 0):");
    println!(
        "  relative difference {:.2e}",
        relative_difference(&numerical, &analytic)
    );
    let labels = unrolled_labels(net.thetas());
    let agree: Vec<&str> = (0..labels.len())
        .filter(|&i| (numerical[i] - analytic[i]).abs() < 1e-9)
        .map(|i| labels[i].as_str())
        .collect();
    println!("  rows that still agree to 1e-9: {}", agree.join(", "));
    Ok(())
}

fn smaller_epsilon(net: &Network, x: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<()> {
    cli::section("answer-2");
    let r = check_network(net, x, y, 0.0, Loss::CrossEntropy, 1e-7)?.relative_difference();
    println!("\nAnswer 2: the check with ε = 1e-7 (λ = 0):");
    println!("  relative difference {r:.2e} (below 1e-9: {})", r < 1e-9);
    Ok(())
}

fn one_weight_off_zero(x: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<()> {
    cli::section("answer-3");
    // ANCHOR: answer_3
    let mut theta1 = Array2::zeros((5, 4));
    theta1[[0, 0]] = 0.01; // Θ^(1)_10: the bias weight of the first hidden unit
    let (trained, [_, after, long]) = train_from([theta1, Array2::zeros((3, 6))], x, y)?;
    // ANCHOR_END: answer_3
    let t1 = &trained.thetas()[0];
    println!("\nAnswer 3: all zeros but Θ^(1)_10 = 0.01:");
    for i in 0..t1.nrows() {
        let same: Vec<String> = (0..t1.nrows())
            .filter(|&k| k != i && t1.row(k) == t1.row(i))
            .map(|k| (k + 1).to_string())
            .collect();
        let same = if same.is_empty() {
            "none".to_string()
        } else {
            same.join(", ")
        };
        println!(
            "  row {} of Θ^(1) after 100 steps is identical to rows: {same}",
            i + 1
        );
    }
    println!("  J after 100 steps {after:.6}, after 5,000 steps {long:.6}");
    Ok(())
}

// ANCHOR: answer_4
/// Per side of the difference, on a 400-25-25-10 network with m examples: (multiply-adds,
/// σ evaluations, cost terms) of a whole cost, and of a weight into the first hidden layer.
fn two_hidden_work(m: usize) -> [(usize, usize, usize); 2] {
    let (n, h1, h2, k) = (400, 25, 25, 10);
    [
        (m * (n * h1 + h1 * h2 + h2 * k), m * (h1 + h2 + k), m * k),
        // σ of unit j; every unit of layer 3 moves (h2 multiply-adds, h2 σ), then every output.
        (m * (h2 + h2 * k), m * (1 + h2), m * k),
    ]
}
// ANCHOR_END: answer_4

fn two_hidden_layers(m: usize) {
    cli::section("answer-4");
    let [whole, first] = two_hidden_work(m);
    let t = thousands;
    println!("\nAnswer 4: one estimate on a 400-25-25-10 network, {m} examples, per side:");
    println!(
        "  a whole cost: {} multiply-adds, {} σ, {} cost terms",
        t(whole.0),
        t(whole.1),
        t(whole.2)
    );
    println!(
        "  a weight into the first hidden layer: {} multiply-adds, {} σ, {} cost terms",
        t(first.0),
        t(first.1),
        t(first.2)
    );
    println!(
        "  multiply-adds saved: {:.0} times fewer (one hidden layer: {:.0} times)",
        whole.0 as f64 / first.0 as f64,
        (m * (400 * 25 + 25 * 10)) as f64 / (m * 10) as f64
    );
}

fn losses_mixed(net: &Network, x: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<()> {
    cli::section("answer-5");
    // ANCHOR: answer_5
    let numerical = check_network(net, x, y, 0.0, Loss::SquaredError, 1e-4)?.numerical;
    let analytic = check_network(net, x, y, 0.0, Loss::CrossEntropy, 1e-4)?.analytic;
    let r = relative_difference(&numerical, &analytic);
    // ANCHOR_END: answer_5
    let ratio = |i: usize| numerical[i] / analytic[i];
    println!("\nAnswer 5: numerical gradient of the squared error, analytic of cross-entropy:");
    println!("  relative difference {r:.2e} (below 1e-9: {})", r < 1e-9);
    println!(
        "  numerical / analytic, first three entries: {:.4}, {:.4}, {:.4}",
        ratio(0),
        ratio(1),
        ratio(2)
    );
    Ok(())
}
