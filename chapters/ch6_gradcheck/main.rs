//! Chapter 6: unrolling, gradient checking and initialisation.
//! `cargo run --release --example ch6_gradcheck [-- --out DIR]`

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

mod answers;

use backprop_book::Result;
use backprop_book::activation::Activation;
use backprop_book::cli::{self, OutDir};
use backprop_book::cost::{Loss, one_hot};
use backprop_book::data::rng;
use backprop_book::fast;
use backprop_book::gradcheck::{
    self, Check, DebugProblem, check_network, debug_problem, numerical_gradient,
    relative_difference,
};
use backprop_book::init::{self, epsilon_for, uniform};
use backprop_book::network::Network;
use backprop_book::plot::{self, BLUE, DrawResult, PALETTE, RED};
use backprop_book::train::Descent;
use backprop_book::unroll::{bias_entries, roll, shapes, unroll, unroll_row_major};
use clap::Parser;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, ShapeBuilder, s};
use plotters::coord::Shift;
use plotters::prelude::*;
use rand::RngExt;

/// Chapter 6: unrolling Θ into one vector, checking backpropagation against numerical
/// derivatives, and why the initial weights must be random.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    out: OutDir,
}

/// The seed of the random initial weights.
const SEED: u64 = 6;

fn main() -> ExitCode {
    cli::run(|| {
        let args = Args::parse();
        let out = args.out.resolve("ch6_gradcheck")?;
        unrolling_quiz()?;
        parameters_of_the_digit_network();
        derivative_quiz()?;
        let DebugProblem { net, x, y, .. } = debug_problem()?;
        let (x, y) = (x.view(), y.view());
        let checks = both_checks(&net, x, y)?;
        check_table(&net, &checks);
        bias_rows(&net, &checks);
        broken(&net, &checks, x.nrows());
        choosing_epsilon(&out, &net, x, y)?;
        cost_of_checking(&net, x.nrows(), checks[0].evaluations);
        cli::section("work_counted");
        work_counted(500);
        cli::section("fast_check");
        check_the_digit_network()?;
        cli::section("symmetry");
        symmetry(x, y)?;
        answers::all(&net, x, y)
    })
}

// ANCHOR: quiz_unroll
/// Octave's reshape(from:from + rows·cols − 1, rows, cols): filled column by column, so every
/// entry shows its own position in the column-major unrolled vector.
fn positions(from: usize, rows: usize, cols: usize) -> Array2<f64> {
    let values = (from..from + rows * cols).map(|v| v as f64).collect();
    Array2::from_shape_vec((rows, cols).f(), values).expect("rows × cols values")
}

/// The quiz's answers, reshape(thetaVec(a:b), rows, cols), as (a, b, rows, cols).
const ANSWERS: [(usize, usize, usize, usize); 5] = [
    (16, 39, 4, 6),
    (15, 38, 4, 6),
    (15, 39, 4, 6),
    (16, 39, 6, 4),
    (16, 24, 4, 6),
];

/// Octave's reshape(thetaVec(a:b), rows, cols), or why it cannot be done. Octave counts from 1
/// and includes both ends, so thetaVec(a:b) is a - 1..b here.
fn reshape(
    theta_vec: &Array1<f64>,
    (a, b, rows, cols): (usize, usize, usize, usize),
) -> Result<Array2<f64>> {
    let part = theta_vec.slice(s![a - 1..b]).to_owned();
    Ok(roll(&part, &[(rows, cols)])?.remove(0))
}
// ANCHOR_END: quiz_unroll

/// The quiz's matrices unrolled both ways, and every answer tried on them.
fn unrolling_quiz() -> Result<()> {
    let (theta1, theta2) = (positions(1, 5, 3), positions(16, 4, 6));
    print_matrix("Theta1 (5 × 3)", &theta1, 0);
    print_matrix("Theta2 (4 × 6)", &theta2, 0);
    let thetas = [theta1, theta2.clone()];
    let (column_major, row_major) = (unroll(&thetas), unroll_row_major(&thetas));
    println!("thetaVec = [Theta1(:); Theta2(:)], column-major as Octave, 39 entries:");
    println!("  Theta1 part {}", join(&column_major.to_vec()[..15]));
    println!("  Theta2 part {}", join(&column_major.to_vec()[15..]));
    println!("Row-major (ndarray's and numpy's default flatten):");
    println!("  Theta1 part {}", join(&row_major.to_vec()[..15]));
    println!("  Theta2 part {}", join(&row_major.to_vec()[15..]));
    println!("\nThe quiz's answers, each tried on the column-major thetaVec:");
    for answer @ (a, b, rows, cols) in ANSWERS {
        let option = format!("reshape(thetaVec({a}:{b}), {rows}, {cols})");
        match reshape(&column_major, answer) {
            Ok(m) => println!("  {option} recovers Theta2: {}", m == theta2),
            Err(e) => println!("  {option} fails: {e}"),
        }
    }
    let mixed = reshape(&row_major, ANSWERS[0])?;
    print_matrix(
        "\nRow-major thetaVec(16:39) reshaped column-major (conventions mixed)",
        &mixed,
        0,
    );
    println!("  equals Theta2: {}", mixed == theta2);
    Ok(())
}

// ANCHOR: digit_shapes
/// The 400-25-10 network's Θ shapes and its number of parameters, once unrolled.
fn digit_network() -> (Vec<(usize, usize)>, usize) {
    let thetas = [Array2::<f64>::zeros((25, 401)), Array2::zeros((10, 26))];
    (shapes(&thetas), unroll(&thetas).len())
}
// ANCHOR_END: digit_shapes

fn parameters_of_the_digit_network() {
    let (shapes, n) = digit_network();
    println!(
        "\nThe 400-25-10 network: Θ shapes {shapes:?}, unrolled into {} parameters",
        thousands(n)
    );
}

// ANCHOR: quiz_derivative
/// The quiz's J(θ) = 2θ³ + 2 at θ = 1 with ε = 0.01: the two-sided estimate of dJ/dθ, the
/// one-sided one, and the exact 6θ².
fn cubic_estimates() -> Result<[f64; 3]> {
    let j = |theta: f64| 2.0 * theta.powi(3) + 2.0;
    let (theta, epsilon) = (1.0, 0.01);
    let two_sided = numerical_gradient(|t| Ok(j(t[0])), &Array1::from(vec![theta]), epsilon)?[0];
    let one_sided = (j(theta + epsilon) - j(theta)) / epsilon;
    Ok([two_sided, one_sided, 6.0 * theta * theta])
}
// ANCHOR_END: quiz_derivative

fn derivative_quiz() -> Result<()> {
    let [two_sided, one_sided, exact] = cubic_estimates()?;
    println!("\nJ(θ) = 2θ³ + 2 at θ = 1, ε = 0.01 (exact derivative 6θ² = {exact}):");
    println!(
        "  two-sided (J(θ+ε) − J(θ−ε)) / 2ε = {two_sided:.4}   error {:.1e}",
        two_sided - exact
    );
    println!(
        "  one-sided (J(θ+ε) − J(θ)) / ε    = {one_sided:.4}   error {:.1e}",
        one_sided - exact
    );
    Ok(())
}

// ANCHOR: check_table
/// Gradient checking of the debug network with ε = 1e-4, without regularisation and with λ = 3.
fn both_checks(net: &Network, x: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<[Check; 2]> {
    let check = |lambda| check_network(net, x, y, lambda, Loss::CrossEntropy, 1e-4);
    Ok([check(0.0)?, check(3.0)?])
}
// ANCHOR_END: check_table

/// Both gradients side by side, entry by entry, and their relative differences.
fn check_table(net: &Network, [c0, c3]: &[Check; 2]) {
    println!("\nNumerical and analytic gradient of the debug network, ε = 1e-4,");
    println!("in unrolled order [Theta1(:); Theta2(:)] (b = bias column):");
    println!(
        "  {:<10} {:>15} {:>15}   {:>15} {:>15}",
        "", "numerical λ=0", "analytic λ=0", "numerical λ=3", "analytic λ=3"
    );
    for (i, label) in unrolled_labels(net.thetas()).iter().enumerate() {
        println!(
            "  {label:<10} {:>15.10} {:>15.10}   {:>15.10} {:>15.10}",
            c0.numerical[i], c0.analytic[i], c3.numerical[i], c3.analytic[i]
        );
    }
    for (lambda, check) in [(0, c0), (3, c3)] {
        let r = check.relative_difference();
        println!(
            "λ = {lambda}: relative difference ‖n − a‖/‖n + a‖ = {r:.2e} (below 1e-9: {})",
            r < 1e-9
        );
    }
}

// ANCHOR: bias_rows
/// How many entries of the analytic gradient are the same at λ = 0 and λ = 3, and how many
/// changed: first among the bias entries (column 0 of each Θ), then among the others.
fn same_and_changed(net: &Network, [c0, c3]: &[Check; 2]) -> [(usize, usize); 2] {
    let (a0, a3, is_bias) = (&c0.analytic, &c3.analytic, bias_entries(net.thetas()));
    [true, false].map(|bias| {
        let entries: Vec<usize> = (0..a0.len()).filter(|&i| is_bias[i] == bias).collect();
        let same = entries.iter().filter(|&&i| a0[i] == a3[i]).count();
        (same, entries.len() - same)
    })
}
// ANCHOR_END: bias_rows

fn bias_rows(net: &Network, checks: &[Check; 2]) {
    let [(bias_same, bias_changed), (other_same, other_changed)] = same_and_changed(net, checks);
    println!(
        "Analytic λ = 3 against λ = 0: {bias_same} of {} bias entries identical, {other_changed} of {} other entries changed",
        bias_same + bias_changed,
        other_same + other_changed,
    );
}

// ANCHOR: broken
/// A classic bug, made on purpose: the bias column regularised too, i.e. (λ/m)·Θ added to
/// column 0 of every gradient as well. The check must catch it.
fn bias_regularised(net: &Network, analytic: &Array1<f64>, lambda: f64, m: usize) -> Array1<f64> {
    let theta = unroll(net.thetas());
    let mut broken = analytic.clone();
    for (i, bias) in bias_entries(net.thetas()).into_iter().enumerate() {
        if bias {
            broken[i] += lambda / m as f64 * theta[i];
        }
    }
    broken
}
// ANCHOR_END: broken

fn broken(net: &Network, [_, c3]: &[Check; 2], m: usize) {
    let broken = bias_regularised(net, &c3.analytic, 3.0, m);
    println!("\nThe same check on a broken gradient (bias column regularised too), λ = 3:");
    for (name, a) in [("correct", &c3.analytic), ("broken", &broken)] {
        println!(
            "  {name:<8} relative difference {:.2e}   mean of (n − a) {:+.2e}",
            relative_difference(&c3.numerical, a),
            (&c3.numerical - a).mean().unwrap_or(0.0)
        );
    }
}

// ANCHOR: sweep
/// The check's relative difference for ε = 10^-1, 10^-1.5, …, 10^-12 (λ = 0).
fn epsilon_sweep(net: &Network, x: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<Vec<(f64, f64)>> {
    (2..=24)
        .map(|k| {
            let epsilon = 10f64.powf(-f64::from(k) / 2.0);
            let check = check_network(net, x, y, 0.0, Loss::CrossEntropy, epsilon)?;
            Ok((epsilon, check.relative_difference()))
        })
        .collect()
}
// ANCHOR_END: sweep

/// The sweep, printed and drawn.
fn choosing_epsilon(
    out: &Path,
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
) -> Result<()> {
    let sweep = epsilon_sweep(net, x, y)?;
    println!("\nRelative difference against ε (λ = 0):");
    for (epsilon, r) in &sweep {
        println!("  ε = {:<8} {r:.2e}", format!("{epsilon:.1e}"));
    }
    let (best_epsilon, best) = sweep
        .iter()
        .copied()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("a non-empty sweep");
    println!("  smallest: {best:.2e} at ε = {best_epsilon:.1e}");
    plot::save_svg(out, "gradcheck_epsilon.svg", (760, 480), |root| {
        draw_sweep(root, &sweep)
    })?;
    Ok(())
}

// ANCHOR: cost_of_checking
/// Cost evaluations of one numerical check: two per parameter, each a whole forward pass.
fn evaluations_per_check(shapes: &[(usize, usize)]) -> usize {
    2 * shapes.iter().map(|(rows, cols)| rows * cols).sum::<usize>()
}
// ANCHOR_END: cost_of_checking

/// What one check cost on the debug network (`evaluations`, counted), and what it would cost on
/// the digits network.
fn cost_of_checking(net: &Network, m: usize, evaluations: usize) {
    let n = unroll(net.thetas()).len();
    println!("\nWhat one check costs, counted:");
    println!(
        "  debug network, n = {n} parameters: {evaluations} cost evaluations (2n), each a forward pass over all {m} examples"
    );
    println!(
        "  backpropagation: 1 forward pass + 1 backward pass, for all {n} derivatives at once"
    );
    let (digit_shapes, digits) = digit_network();
    println!(
        "  400-25-10 network, n = {} parameters: {} cost evaluations per check",
        thousands(digits),
        thousands(evaluations_per_check(&digit_shapes))
    );
}

// ANCHOR: work_counted
/// What one estimate recomputes on the 400-25-10 network with m examples, per side of the
/// difference: (multiply-adds, σ evaluations, cost terms).
fn work_per_estimate(m: usize) -> [(usize, usize, usize); 3] {
    let (n, h, k) = (400, 25, 10);
    [
        (m * (n * h + h * k), m * (h + k), m * k), // a whole cost: the full forward pass
        (m * k, m, m * k), // a weight into hidden unit j: σ of unit j, then every output moves
        (m, 0, m),         // a weight into output unit c: output c alone moves
    ]
}
// ANCHOR_END: work_counted

fn work_counted(m: usize) {
    let [whole, hidden, output] = work_per_estimate(m);
    let t = thousands;
    println!("\nWhat one estimate recomputes, 400-25-10 network on {m} examples:");
    println!(
        "  two whole costs: 2 × ({} multiply-adds, {} σ, {} cost terms)",
        t(whole.0),
        t(whole.1),
        t(whole.2)
    );
    println!(
        "  a weight into hidden unit j: 2 × ({} σ of unit j, {} multiply-adds to move the outputs, {} cost terms)",
        t(hidden.1),
        t(hidden.0),
        t(hidden.2)
    );
    println!(
        "  a weight into output unit c: 2 × ({} multiply-adds, {} cost terms of output c)",
        t(output.0),
        t(output.2)
    );
}

// ANCHOR: fast_check_run
/// The 400-25-10 network (uniform in ±0.12) on 500 random inputs with the classes 0 to 9.
fn digit_problem() -> Result<(Network, Array2<f64>, Array2<f64>)> {
    let mut r = rng(SEED);
    let net = init::uniform_network(&[400, 25, 10], 0.12, &mut r)?;
    let x = Array2::from_shape_simple_fn((500, 400), || r.random_range(0.0..1.0));
    let classes: Vec<usize> = (0..500).map(|i| i % 10).collect();
    Ok((net, x, one_hot(&classes, 10)?))
}

/// Twelve parameters spread over Θ1 (the first 10,025 entries) and Θ2, biases included.
const SOME: [usize; 12] = [
    0, 25, 900, 2_001, 3_333, 5_000, 7_777, 10_024, 10_025, 10_100, 10_200, 10_284,
];

/// The largest gaps over `SOME` between the fast estimates (`fast`, all parameters), the ones
/// from two whole costs (`slow`, `SOME` only) and backpropagation: fast–slow, fast–, slow–backprop.
fn gaps(fast: &Check, slow: &Check) -> [f64; 3] {
    let farthest = |a: &dyn Fn(usize) -> f64, b: &dyn Fn(usize) -> f64| {
        (0..SOME.len())
            .map(|k| (a(k) - b(k)).abs())
            .fold(0.0, f64::max)
    };
    let fast_at = |k: usize| fast.numerical[SOME[k]];
    let slow_at = |k: usize| slow.numerical[k];
    let backprop_at = |k: usize| fast.analytic[SOME[k]];
    [
        farthest(&fast_at, &slow_at),
        farthest(&fast_at, &backprop_at),
        farthest(&slow_at, &backprop_at),
    ]
}
// ANCHOR_END: fast_check_run

/// The digit network checked by `fast::check_network`, which recomputes only what a weight
/// feeds, and `SOME` of its estimates again the slow way, two whole costs each.
fn check_the_digit_network() -> Result<()> {
    let (net, x, y) = digit_problem()?;
    let (x, y) = (x.view(), y.view());
    let start = Instant::now();
    let fast = fast::check_network(&net, x, y, 1.0, 1e-4)?;
    let fast_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let slow = gradcheck::check_subset(&net, x, y, 1.0, Loss::CrossEntropy, 1e-4, &SOME)?;
    let slow_seconds =
        start.elapsed().as_secs_f64() / SOME.len() as f64 * fast.numerical.len() as f64;
    let [fast_slow, fast_backprop, slow_backprop] = gaps(&fast, &slow);
    let verdict = |d: f64, bound: f64| if d < bound { "below" } else { "above" };
    println!("\nThe same network, checked by recomputing only what each weight moves:");
    println!(
        "  all {} parameters: relative difference {} 1e-9",
        thousands(fast.numerical.len()),
        verdict(fast.relative_difference(), 1e-9)
    );
    println!(
        "  {} of the estimates recomputed from two whole costs each:",
        SOME.len()
    );
    println!(
        "    largest gap between the two estimates:    {} 1e-9",
        verdict(fast_slow, 1e-9)
    );
    println!(
        "    largest gap, changed terms to backprop:   {} 1e-10",
        verdict(fast_backprop, 1e-10)
    );
    println!(
        "    largest gap, two whole costs to backprop: {} 1e-10",
        verdict(slow_backprop, 1e-10)
    );
    eprintln!(
        "timing: the whole check took {fast_seconds:.2} s; two whole costs per parameter would take about {slow_seconds:.0} s"
    );
    Ok(())
}

// ANCHOR: symmetry
/// Batch gradient descent (rate 1, λ = 0) on the debug problem from the given Θs: the network
/// after 100 steps, and J before, after 100 steps and after 5,000.
fn train_from(
    thetas: [Array2<f64>; 2],
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
) -> Result<(Network, [f64; 3])> {
    let descent = |epochs| Descent::new(Loss::CrossEntropy, 1.0, epochs);
    let net = Network::new(thetas.to_vec(), Activation::Sigmoid)?;
    let (trained, costs) = descent(100).run(net, x, y)?;
    let (_, more) = descent(4900).run(trained.clone(), x, y)?;
    Ok((trained, [costs[0], costs[100], more[4900]]))
}

/// The largest difference between two hidden units' weights on the same input: 0 while every
/// hidden unit is a copy of the others.
fn spread(theta1: &Array2<f64>) -> f64 {
    let range = |column: ArrayView1<f64>| {
        column.fold(f64::MIN, |a, &b| a.max(b)) - column.fold(f64::MAX, |a, &b| a.min(b))
    };
    theta1.columns().into_iter().map(range).fold(0.0, f64::max)
}
// ANCHOR_END: symmetry

/// The three starts of the page, trained and shown, then ε_init for three layers.
fn symmetry(x: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<()> {
    // ANCHOR: inits
    let zeros = || [Array2::zeros((5, 4)), Array2::zeros((3, 6))];
    let mut r = rng(SEED);
    let random = [uniform(5, 3, 0.12, &mut r), uniform(3, 5, 0.12, &mut r)];
    let starts = [
        ("All-zero initial weights".to_string(), zeros()),
        (
            "All initial weights 0.5".to_string(),
            zeros().map(|t| t + 0.5),
        ),
        (format!("Uniform in (−0.12, 0.12), seed {SEED}"), random),
    ];
    // ANCHOR_END: inits
    for (name, thetas) in starts {
        let (trained, costs) = train_from(thetas, x, y)?;
        show_trained(&name, &trained, costs);
    }
    epsilon_init();
    Ok(())
}

/// One start's run: J, Θ^(1) with its spread, Θ^(2), and J after 5,000 steps.
fn show_trained(name: &str, trained: &Network, [before, after, long]: [f64; 3]) {
    let theta1 = &trained.thetas()[0];
    println!("\n{name}: J = {before:.6} before, {after:.6} after 100 steps");
    print_matrix(
        "  Θ^(1) after 100 steps, one row per hidden unit",
        theta1,
        6,
    );
    println!(
        "  largest difference between two hidden units' weights: {:.6} (rows identical: {})",
        spread(theta1),
        theta1.rows().into_iter().all(|row| row == theta1.row(0))
    );
    print_matrix(
        "  Θ^(2) after 100 steps, one row per output unit (bias column first)",
        &trained.thetas()[1],
        6,
    );
    println!("  J after 5,000 steps: {long:.6}");
}

// ANCHOR: epsilon_init
/// ε_init = √6 / √(L_in + L_out) for a layer of each network: (layer, L_in, L_out, ε_init).
fn epsilon_inits() -> [(&'static str, usize, usize, f64); 3] {
    [
        ("Θ^(1) of 400-25-10", 400, 25),
        ("Θ^(2) of 400-25-10", 25, 10),
        ("Θ^(1) of 3-5-3", 3, 5),
    ]
    .map(|(layer, fan_in, fan_out)| (layer, fan_in, fan_out, epsilon_for(fan_out, fan_in)))
}
// ANCHOR_END: epsilon_init

fn epsilon_init() {
    println!("\nε_init = √6 / √(L_in + L_out):");
    for (layer, fan_in, fan_out, epsilon) in epsilon_inits() {
        println!("  {layer:<20} L_in = {fan_in:>3}, L_out = {fan_out:>2}: {epsilon:.4}");
    }
}

/// The sweep on log-log axes, with the two error terms' slopes for reference.
fn draw_sweep(root: &DrawingArea<SVGBackend<'_>, Shift>, sweep: &[(f64, f64)]) -> DrawResult {
    let mut chart = ChartBuilder::on(root)
        .caption(
            "gradient check: relative difference against ε",
            ("sans-serif", 18),
        )
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((1e-12..0.1f64).log_scale(), (1e-13..1.0f64).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("ε")
        .y_desc("‖n − a‖ / ‖n + a‖")
        .x_label_formatter(&|v| format!("{v:.0e}"))
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    chart
        .draw_series(LineSeries::new(sweep.iter().copied(), BLUE.stroke_width(2)))?
        .label("measured (debug network, λ = 0)")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], BLUE.stroke_width(2)));
    chart.draw_series(sweep.iter().map(|&p| Circle::new(p, 3, BLUE.filled())))?;
    // Reference lines through the two ends of the measured curve, down to the bottom edge.
    let (first, last) = (sweep[0], sweep[sweep.len() - 1]);
    let bottom = 1e-13;
    let truncation = vec![first, (first.0 * (bottom / first.1).sqrt(), bottom)];
    let rounding = vec![last, (last.0 * last.1 / bottom, bottom)];
    for (points, colour, label) in [
        (truncation, PALETTE[1], "truncation error ∝ ε²"),
        (rounding, PALETTE[2], "rounding error ∝ 1/ε"),
    ] {
        chart
            .draw_series(DashedLineSeries::new(points, 6, 4, colour.stroke_width(2)))?
            .label(label)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], colour.stroke_width(2)));
    }
    let course = sweep
        .iter()
        .copied()
        .min_by(|a, b| {
            (a.0.log10() + 4.0)
                .abs()
                .total_cmp(&(b.0.log10() + 4.0).abs())
        })
        .expect("a non-empty sweep");
    chart
        .draw_series([Circle::new(course, 6, RED.stroke_width(2))])?
        .label("ε = 1e-4, the course's choice")
        .legend(|(x, y)| Circle::new((x + 8, y), 5, RED.stroke_width(2)));
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE)
        .position(SeriesLabelPosition::UpperRight)
        .draw()?;
    Ok(())
}

/// Prints `m` the way Octave does, one row per line.
fn print_matrix(name: &str, m: &Array2<f64>, decimals: usize) {
    println!("{name} =");
    for row in m.rows() {
        let cells: Vec<String> = row
            .iter()
            .map(|v| format!("{v:>w$.decimals$}", w = decimals + 4))
            .collect();
        println!("  {}", cells.join(" "));
    }
}

fn join(v: &[f64]) -> String {
    v.iter()
        .map(|x| format!("{x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// 20570 as "20,570".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "Θ1(2,1)b" for each unrolled entry: which matrix, its 1-based row and column, b for bias.
fn unrolled_labels(thetas: &[Array2<f64>]) -> Vec<String> {
    let mut labels = Vec::new();
    for (l, t) in thetas.iter().enumerate() {
        for j in 0..t.ncols() {
            for i in 0..t.nrows() {
                let bias = if j == 0 { "b" } else { "" };
                labels.push(format!("Θ{}({},{}){bias}", l + 1, i + 1, j + 1));
            }
        }
    }
    labels
}
