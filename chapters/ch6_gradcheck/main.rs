//! Chapter 6: unrolling, gradient checking and initialisation.
//! `cargo run --release --example ch6_gradcheck [-- --out DIR]`

use std::process::ExitCode;
use std::time::Instant;

use backprop_book::activation::Activation;
use backprop_book::cli::{self, OutDir};
use backprop_book::cost::{Loss, one_hot};
use backprop_book::data::rng;
use backprop_book::gradcheck::{
    self, DebugProblem, check_network, debug_problem, numerical_gradient, relative_difference,
};
use backprop_book::init::{epsilon_for, uniform};
use backprop_book::network::Network;
use backprop_book::plot::{self, BLUE, DrawResult, PALETTE, RED};
use backprop_book::train::Descent;
use backprop_book::unroll::{roll, shapes, unroll, unroll_row_major};
use clap::Parser;
use ndarray::{Array1, Array2, ArrayView2, ShapeBuilder, s};
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

        // ANCHOR: check_table
        let (n0, a0, evaluations) = gradient_check(&net, x, y, 0.0, 1e-4)?;
        let (n3, a3, _) = gradient_check(&net, x, y, 3.0, 1e-4)?;
        let labels = unrolled_labels(net.thetas());
        println!("\nNumerical and analytic gradient of the debug network, ε = 1e-4,");
        println!("in unrolled order [Theta1(:); Theta2(:)] (b = bias column):");
        println!(
            "  {:<10} {:>15} {:>15}   {:>15} {:>15}",
            "", "numerical λ=0", "analytic λ=0", "numerical λ=3", "analytic λ=3"
        );
        for (i, label) in labels.iter().enumerate() {
            println!(
                "  {label:<10} {:>15.10} {:>15.10}   {:>15.10} {:>15.10}",
                n0[i], a0[i], n3[i], a3[i]
            );
        }
        for (lambda, n, a) in [(0, &n0, &a0), (3, &n3, &a3)] {
            let r = relative_difference(n, a);
            println!(
                "λ = {lambda}: relative difference ‖n − a‖/‖n + a‖ = {r:.2e} (below 1e-9: {})",
                r < 1e-9
            );
        }
        // ANCHOR_END: check_table

        // ANCHOR: bias_rows
        let is_bias: Vec<bool> = labels.iter().map(|l| l.ends_with('b')).collect();
        let count = |bias: bool, same: bool| {
            (0..a0.len())
                .filter(|&i| is_bias[i] == bias && (a0[i] == a3[i]) == same)
                .count()
        };
        println!(
            "Analytic λ = 3 against λ = 0: {} of {} bias entries identical, {} of {} other entries changed",
            count(true, true),
            count(true, true) + count(true, false),
            count(false, false),
            count(false, true) + count(false, false),
        );
        // ANCHOR_END: bias_rows

        // ANCHOR: broken
        // A classic bug, made on purpose: regularising the bias column too, i.e. adding
        // (λ/m)·Θ to column 0 of every gradient. The check must catch it.
        let lambda = 3.0;
        let m = x.nrows() as f64;
        let mut broken = a3.clone();
        let theta = unroll(net.thetas());
        for i in (0..broken.len()).filter(|&i| is_bias[i]) {
            broken[i] += lambda / m * theta[i];
        }
        println!("\nThe same check on a broken gradient (bias column regularised too), λ = 3:");
        for (name, a) in [("correct", &a3), ("broken", &broken)] {
            println!(
                "  {name:<8} relative difference {:.2e}   mean of (n − a) {:+.2e}",
                relative_difference(&n3, a),
                (&n3 - a).mean().unwrap_or(0.0)
            );
        }
        // ANCHOR_END: broken

        let sweep = epsilon_sweep(&net, x, y)?;
        plot::save_svg(&out, "gradcheck_epsilon.svg", (760, 480), |root| {
            draw_sweep(root, &sweep)
        })?;

        // ANCHOR: cost_of_checking
        let n = unroll(net.thetas()).len();
        println!("\nWhat one check costs, counted:");
        println!(
            "  debug network, n = {n} parameters: {evaluations} cost evaluations (2n), each a forward pass over all {} examples",
            x.nrows()
        );
        println!(
            "  backpropagation: 1 forward pass + 1 backward pass, for all {n} derivatives at once"
        );
        let digit_shapes = [(25, 401), (10, 26)];
        let digits: usize = digit_shapes.iter().map(|(r, c)| r * c).sum();
        println!(
            "  400-25-10 network, n = {} parameters: {} cost evaluations per check",
            thousands(digits),
            thousands(2 * digits)
        );
        // ANCHOR_END: cost_of_checking
        cli::section("work_counted");
        work_per_estimate(500);
        cli::section("fast_check");
        check_the_digit_network()?;
        cli::section("symmetry");
        symmetry(x, y)?;
        Ok(())
    })
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

fn unrolling_quiz() -> backprop_book::Result<()> {
    // ANCHOR: quiz_unroll
    // Octave's reshape(1:15, 5, 3) and reshape(16:39, 4, 6): filled column by column, so the
    // column-major unrolled vector is simply 1, 2, …, 39 and every entry shows its position.
    let count = |from: usize, rows: usize, cols: usize| -> Array2<f64> {
        let values = (from..from + rows * cols).map(|v| v as f64).collect();
        Array2::from_shape_vec((rows, cols).f(), values).expect("rows × cols values")
    };
    let (theta1, theta2) = (count(1, 5, 3), count(16, 4, 6));
    print_matrix("Theta1 (5 × 3)", &theta1, 0);
    print_matrix("Theta2 (4 × 6)", &theta2, 0);

    let thetas = [theta1.clone(), theta2.clone()];
    let column_major = unroll(&thetas);
    let row_major = unroll_row_major(&thetas);
    println!("thetaVec = [Theta1(:); Theta2(:)], column-major as Octave, 39 entries:");
    println!("  Theta1 part {}", join(&column_major.to_vec()[..15]));
    println!("  Theta2 part {}", join(&column_major.to_vec()[15..]));
    println!("Row-major (ndarray's and numpy's default flatten):");
    println!("  Theta1 part {}", join(&row_major.to_vec()[..15]));
    println!("  Theta2 part {}", join(&row_major.to_vec()[15..]));

    // Octave's thetaVec(a:b), 1-based and inclusive, is a - 1..b here.
    println!("\nThe quiz's answers, each tried on the column-major thetaVec:");
    for (a, b, rows, cols) in [
        (16, 39, 4, 6),
        (15, 38, 4, 6),
        (15, 39, 4, 6),
        (16, 39, 6, 4),
        (16, 24, 4, 6),
    ] {
        let option = format!("reshape(thetaVec({a}:{b}), {rows}, {cols})");
        match roll(
            &column_major.slice(s![a - 1..b]).to_owned(),
            &[(rows, cols)],
        ) {
            Ok(m) => println!("  {option} recovers Theta2: {}", m[0] == theta2),
            Err(e) => println!("  {option} fails: {e}"),
        }
    }
    let mixed = roll(&row_major.slice(s![15..39]).to_owned(), &[(4, 6)])?.remove(0);
    print_matrix(
        "\nRow-major thetaVec(16:39) reshaped column-major (conventions mixed)",
        &mixed,
        0,
    );
    println!("  equals Theta2: {}", mixed == theta2);
    // ANCHOR_END: quiz_unroll
    Ok(())
}

fn parameters_of_the_digit_network() {
    // ANCHOR: digit_shapes
    let thetas = [Array2::<f64>::zeros((25, 401)), Array2::zeros((10, 26))];
    let n = unroll(&thetas).len();
    println!(
        "\nThe 400-25-10 network: Θ shapes {:?}, unrolled into {} parameters",
        shapes(&thetas),
        thousands(n)
    );
    // ANCHOR_END: digit_shapes
}

fn derivative_quiz() -> backprop_book::Result<()> {
    // ANCHOR: quiz_derivative
    let j = |theta: f64| 2.0 * theta.powi(3) + 2.0;
    let (theta, epsilon) = (1.0, 0.01);
    let two_sided = numerical_gradient(|t| Ok(j(t[0])), &Array1::from(vec![theta]), epsilon)?[0];
    let one_sided = (j(theta + epsilon) - j(theta)) / epsilon;
    let exact = 6.0 * theta * theta;
    println!("\nJ(θ) = 2θ³ + 2 at θ = 1, ε = 0.01 (exact derivative 6θ² = {exact}):");
    println!(
        "  two-sided (J(θ+ε) − J(θ−ε)) / 2ε = {two_sided:.4}   error {:.1e}",
        two_sided - exact
    );
    println!(
        "  one-sided (J(θ+ε) − J(θ)) / ε    = {one_sided:.4}   error {:.1e}",
        one_sided - exact
    );
    // ANCHOR_END: quiz_derivative
    Ok(())
}

/// Backpropagation's gradient and the two-sided numerical one (cross-entropy), both unrolled,
/// and how many times the numerical one evaluated the cost.
fn gradient_check(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
    epsilon: f64,
) -> backprop_book::Result<(Array1<f64>, Array1<f64>, usize)> {
    let check = check_network(net, x, y, lambda, Loss::CrossEntropy, epsilon)?;
    Ok((check.numerical, check.analytic, check.evaluations))
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

// ANCHOR: sweep
/// The relative difference of the check for ε = 10^-1, 10^-1.5, …, 10^-12 (λ = 0).
fn epsilon_sweep(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
) -> backprop_book::Result<Vec<(f64, f64)>> {
    println!("\nRelative difference against ε (λ = 0):");
    let mut sweep = Vec::new();
    for k in 2..=24 {
        let epsilon = 10f64.powf(-f64::from(k) / 2.0);
        let (numerical, analytic, _) = gradient_check(net, x, y, 0.0, epsilon)?;
        let r = relative_difference(&numerical, &analytic);
        println!("  ε = {:<8} {r:.2e}", format!("{epsilon:.1e}"));
        sweep.push((epsilon, r));
    }
    let (best_epsilon, best) = sweep
        .iter()
        .copied()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("a non-empty sweep");
    println!("  smallest: {best:.2e} at ε = {best_epsilon:.1e}");
    Ok(sweep)
}
// ANCHOR_END: sweep

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

// ANCHOR: fast_check_run
/// The 400-25-10 network on 500 random examples, every parameter checked by
/// `fast::check_network`, which recomputes only what a weight feeds; 12 of the estimates are
/// recomputed the slow way (two whole costs each) to show they are the same numbers.
fn check_the_digit_network() -> backprop_book::Result<()> {
    let mut r = rng(SEED);
    let net = backprop_book::init::uniform_network(&[400, 25, 10], 0.12, &mut r)?;
    let m = 500;
    let x = Array2::from_shape_simple_fn((m, 400), || r.random_range(0.0..1.0));
    let classes: Vec<usize> = (0..m).map(|i| i % 10).collect();
    let y = one_hot(&classes, 10)?;
    let (x, y) = (x.view(), y.view());

    let start = Instant::now();
    let fast = backprop_book::fast::check_network(&net, x, y, 1.0, 1e-4)?;
    let fast_seconds = start.elapsed().as_secs_f64();
    // Spread over Θ1 (first 10,025 entries) and Θ2, biases included.
    let some = [
        0, 25, 900, 2_001, 3_333, 5_000, 7_777, 10_024, 10_025, 10_100, 10_200, 10_284,
    ];
    let start = Instant::now();
    let slow = gradcheck::check_subset(&net, x, y, 1.0, Loss::CrossEntropy, 1e-4, &some)?;
    let slow_seconds =
        start.elapsed().as_secs_f64() / some.len() as f64 * fast.numerical.len() as f64;
    // Largest distance between two lists of estimates of the same 12 derivatives.
    let farthest = |a: &dyn Fn(usize) -> f64, b: &dyn Fn(usize) -> f64| {
        (0..some.len())
            .map(|k| (a(k) - b(k)).abs())
            .fold(0.0, f64::max)
    };
    let fast_at = |k: usize| fast.numerical[some[k]];
    let slow_at = |k: usize| slow.numerical[k];
    let backprop_at = |k: usize| fast.analytic[some[k]];
    let verdict = |d: f64, bound: f64| if d < bound { "below" } else { "above" };
    println!("\nThe same network, checked by recomputing only what each weight moves:");
    println!(
        "  all {} parameters: relative difference {} 1e-9",
        thousands(fast.numerical.len()),
        verdict(fast.relative_difference(), 1e-9)
    );
    println!(
        "  {} of the estimates recomputed from two whole costs each:",
        some.len()
    );
    println!(
        "    largest gap between the two estimates:    {} 1e-9",
        verdict(farthest(&fast_at, &slow_at), 1e-9)
    );
    println!(
        "    largest gap, changed terms to backprop:   {} 1e-10",
        verdict(farthest(&fast_at, &backprop_at), 1e-10)
    );
    println!(
        "    largest gap, two whole costs to backprop: {} 1e-10",
        verdict(farthest(&slow_at, &backprop_at), 1e-10)
    );
    eprintln!(
        "timing: the whole check took {fast_seconds:.2} s; two whole costs per parameter would take about {slow_seconds:.0} s"
    );
    Ok(())
}
// ANCHOR_END: fast_check_run

/// What one perturbation recomputes, counted for the 400-25-10 network on `m` examples.
fn work_per_estimate(m: usize) {
    // ANCHOR: work_counted
    let (n, h, k) = (400, 25, 10);
    let whole_pass = m * (n * h + h * k); // multiply-adds of one forward pass
    println!("\nWhat one estimate recomputes, 400-25-10 network on {m} examples:");
    println!(
        "  two whole costs: 2 × ({} multiply-adds, {} σ, {} cost terms)",
        thousands(whole_pass),
        thousands(m * (h + k)),
        thousands(m * k)
    );
    println!(
        "  a weight into hidden unit j: 2 × ({} σ of unit j, {} multiply-adds to move the outputs, {} cost terms)",
        thousands(m),
        thousands(m * k),
        thousands(m * k)
    );
    println!(
        "  a weight into output unit c: 2 × ({} multiply-adds, {} cost terms of output c)",
        thousands(m),
        thousands(m)
    );
    // ANCHOR_END: work_counted
}

// ANCHOR: symmetry
/// Batch gradient descent (rate 1, λ = 0) on the debug problem from the given initial weights:
/// prints Θ^(1) and Θ^(2) after 100 steps and the cost after 5,000 steps.
fn train_and_show(
    name: &str,
    theta1: Array2<f64>,
    theta2: Array2<f64>,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
) -> backprop_book::Result<()> {
    let descent = |epochs| Descent::new(Loss::CrossEntropy, 1.0, epochs);
    let net = Network::new(vec![theta1, theta2], Activation::Sigmoid)?;
    let (trained, costs) = descent(100).run(net, x, y)?;
    let theta1 = &trained.thetas()[0];
    let spread = (0..theta1.ncols())
        .map(|j| {
            let column = theta1.column(j);
            let max = column.fold(f64::MIN, |a, &b| a.max(b));
            let min = column.fold(f64::MAX, |a, &b| a.min(b));
            max - min
        })
        .fold(0.0, f64::max);
    println!(
        "\n{name}: J = {:.6} before, {:.6} after 100 steps",
        costs[0], costs[100]
    );
    print_matrix(
        "  Θ^(1) after 100 steps, one row per hidden unit",
        theta1,
        6,
    );
    println!(
        "  largest difference between two hidden units' weights: {spread:.6} (rows identical: {})",
        theta1.rows().into_iter().all(|row| row == theta1.row(0))
    );
    print_matrix(
        "  Θ^(2) after 100 steps, one row per output unit (bias column first)",
        &trained.thetas()[1],
        6,
    );
    let (_, more) = descent(4900).run(trained, x, y)?;
    println!("  J after 5,000 steps: {:.6}", more[4900]);
    Ok(())
}
// ANCHOR_END: symmetry

fn symmetry(x: ArrayView2<f64>, y: ArrayView2<f64>) -> backprop_book::Result<()> {
    // ANCHOR: inits
    let zeros = || (Array2::zeros((5, 4)), Array2::zeros((3, 6)));
    let (t1, t2) = zeros();
    train_and_show("All-zero initial weights", t1, t2, x, y)?;
    let (t1, t2) = zeros();
    train_and_show("All initial weights 0.5", t1 + 0.5, t2 + 0.5, x, y)?;
    let mut r = rng(SEED);
    let t1 = uniform(5, 3, 0.12, &mut r);
    let t2 = uniform(3, 5, 0.12, &mut r);
    let name = format!("Uniform in (−0.12, 0.12), seed {SEED}");
    train_and_show(&name, t1, t2, x, y)?;
    // ANCHOR_END: inits

    // ANCHOR: epsilon_init
    println!("\nε_init = √6 / √(L_in + L_out):");
    for (fan_in, fan_out, layer) in [
        (400, 25, "Θ^(1) of 400-25-10"),
        (25, 10, "Θ^(2) of 400-25-10"),
        (3, 5, "Θ^(1) of 3-5-3"),
    ] {
        println!(
            "  {layer:<20} L_in = {fan_in:>3}, L_out = {fan_out:>2}: {:.4}",
            epsilon_for(fan_out, fan_in)
        );
    }
    // ANCHOR_END: epsilon_init
    Ok(())
}
