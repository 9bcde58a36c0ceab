//! Appendix: errata. `cargo run --release --example appendix_errata`
//!
//! One short run per erratum: the source's version and the right one, computed with the library
//! on the same small inputs. Where the slip lives in the notes' Python (a numpy view, a global,
//! a result thrown away), the run models that behaviour in Rust, and its heading says so.

use std::process::ExitCode;

use backprop_book::activation::{Activation, sigmoid};
use backprop_book::backprop::{cost_and_gradient, gradient};
use backprop_book::cli::{self, OutDir};
use backprop_book::cost::{Loss, cost, one_hot, regularisation};
use backprop_book::data::{moons, rng, xnor};
use backprop_book::digits::{self, Digits};
use backprop_book::gradcheck::{
    DebugProblem, check_network, debug_problem, debug_weights, numerical_gradient,
    relative_difference,
};
use backprop_book::init;
use backprop_book::network::{Network, add_bias};
use backprop_book::optimize::{self, CostAndGradient, backpropagation, notes_code, notes_formula};
use backprop_book::train::Descent;
use backprop_book::unroll::{roll, shapes, unroll};
use backprop_book::worked::{
    MAZUR_INPUT, NOTE_INPUT, NOTE_NET, NOTE_PRINTED, NOTE_TARGET, RATE, agrees,
    mazur_after_one_update, note_as_printed, quantities,
};
use backprop_book::{Error, Result};
use clap::Parser;
use ndarray::{Array1, Array2, ArrayView2, Order, array, s};

/// Appendix: every erratum of the sources, each shown by a run.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    out: OutDir,
}

fn main() -> ExitCode {
    cli::run(|| {
        // The appendix draws no figures; `--out` is accepted like every chapter's.
        let _ = Args::parse().out;
        println!("Each run computes the source's version and the right one on the same inputs.");
        chapter_2()?;
        chapter_3()?;
        chapter_4()?;
        chapter_5()?;
        chapter_6()?;
        chapter_7()?;
        chapter_8()?;
        chapter_9()
    })
}

/// Prints a run's heading: the label the appendix's entry names.
fn run(label: &str) {
    println!("\n[{label}]");
}

/// The note's 2-2-2 network as the library sees it, with its one example.
fn note_network() -> Result<(Network, Array2<f64>, Array2<f64>)> {
    Ok((NOTE_NET.network()?, array![NOTE_INPUT], array![NOTE_TARGET]))
}

/// The same network shape with other weights: Θ rolled from an unrolled vector.
fn with_theta(net: &Network, theta: &Array1<f64>) -> Result<Network> {
    Network::with_activations(
        roll(theta, &shapes(net.thetas()))?,
        net.hidden_activations().to_vec(),
    )
}

/// Θ − rate·D, the gradients given per Θ: one gradient-descent step.
fn descend(net: &Network, d: &[Array2<f64>], rate: f64) -> Result<Network> {
    net.step(d, rate)
}

/// A number short when it is ordinary, in scientific notation when it has run away.
fn short(v: f64) -> String {
    if v.abs() < 1e4 {
        format!("{v:.4}")
    } else {
        format!("{v:.3e}")
    }
}

// ---------------------------------------------------------------------------------------------
// Chapter 2: activation functions

fn chapter_2() -> Result<()> {
    println!("\n== Chapter 2: activation functions ==");
    run("tanh as written");
    println!("  z       (e^z + e^-z)/(e^z + e^-z)   tanh z");
    for z in [-2.0_f64, 0.0, 0.5, 3.0] {
        let written = (z.exp() + (-z).exp()) / (z.exp() + (-z).exp());
        println!("  {z:>4}    {written:>25.6}   {:>9.6}", z.tanh());
    }
    relu_derivative()
}

/// δ^(2) and D for a network with one hidden layer (cross-entropy, sigmoid outputs), with the
/// hidden layer's slope g′(z) supplied, so that the slope can be a wrong one.
fn gradient_with_slope(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    slope: impl Fn(f64) -> f64,
) -> Result<Array1<f64>> {
    let pass = net.forward(x)?;
    let m = x.nrows() as f64;
    let delta3 = pass.output() - &y;
    let delta2 = delta3.dot(&net.thetas()[1].slice(s![.., 1..])) * &pass.z[0].mapv(slope);
    let d1 = delta2.t().dot(&pass.a[0]) / m;
    let d2 = delta3.t().dot(&pass.a[1]) / m;
    Ok(unroll(&[d1, d2]))
}

/// The deep-learning notes give ReLU's "derivative" as max(0, z) again: a gradient check of a
/// ReLU network with each slope.
fn relu_derivative() -> Result<()> {
    run("ReLU's derivative");
    let (x, classes) = moons(20, 0.2, 5);
    let y = one_hot(&classes, 2)?;
    let net = init::scaled_normal_network(&[2, 4, 2], Activation::Relu, &mut rng(5))?;
    let check = check_network(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy, 1e-4)?;
    let right = gradient_with_slope(&net, x.view(), y.view(), |z| Activation::Relu.derivative(z))?;
    let written = gradient_with_slope(&net, x.view(), y.view(), |z| Activation::Relu.apply(z))?;
    let worst = (&right - &check.analytic)
        .iter()
        .fold(0.0_f64, |a, d| a.max(d.abs()));
    println!(
        "A 2-4-2 ReLU network on 20 moons points; the gradient written out equals the library's to 1e-15: {}",
        worst < 1e-15
    );
    println!(
        "  g'(z) = 1 for z > 0, else 0:      relative difference to central differences {:.2e}",
        relative_difference(&check.numerical, &right)
    );
    println!(
        "  g'(z) = max(0, z), as written:    relative difference to central differences {:.2e}",
        relative_difference(&check.numerical, &written)
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Chapter 3: networks, forward propagation and XNOR

fn chapter_3() -> Result<()> {
    println!("\n== Chapter 3: networks, forward propagation and XNOR ==");
    run("no activation between the layers");
    let x = array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
    // The course's XNOR: AND and (NOT x1) AND (NOT x2) in the hidden layer, OR at the output.
    let theta1 = array![[-30.0, 20.0, 20.0], [10.0, -20.0, -20.0]];
    let theta2 = array![[-10.0, 20.0, 20.0]];
    let net = Network::new(vec![theta1.clone(), theta2.clone()], Activation::Sigmoid)?;
    let right = net.predict_proba(x.view())?;
    // The study notes' multi-layer pass: x·Θ1 = a1, then a1·Θ2 = a2 and h = g(a2) only at the end.
    let a1 = add_bias(x.view()).dot(&theta1.t());
    let written = add_bias(a1.view()).dot(&theta2.t()).mapv(sigmoid);
    println!("  x        g between the layers   g only at the end (as written)");
    for (i, row) in x.rows().into_iter().enumerate() {
        println!(
            "  ({}, {})   {:>20.6}   {:>30.6}",
            row[0],
            row[1],
            right[[i, 0]],
            written[[i, 0]]
        );
    }
    // Without g the two layers are one linear form: h = g(c + w·x) with these weights.
    let w = theta2.slice(s![.., 1..]).dot(&theta1);
    let c = theta2[[0, 0]] + w[[0, 0]];
    println!(
        "  as written, h = g({c} + {}·x1 + {}·x2): one unit, a single line",
        w[[0, 1]],
        w[[0, 2]]
    );
    let (lines, best) = best_line_on_xnor(&x);
    println!(
        "  the best of {lines} lines w0 + w1·x1 + w2·x2 > 0 (each w in -1, -0.9, ..., 1) gets {best} of 4 right"
    );
    Ok(())
}

/// Every line on a grid of weights, judged on XNOR: how many of the four inputs it puts on the
/// right side, at best. No line gets all four, which is why XNOR needs a hidden layer.
fn best_line_on_xnor(x: &Array2<f64>) -> (usize, usize) {
    let targets = [true, false, false, true];
    let grid: Vec<f64> = (-10..=10).map(|k| f64::from(k) / 10.0).collect();
    let mut best = 0;
    for &w0 in &grid {
        for &w1 in &grid {
            for &w2 in &grid {
                let right = x
                    .rows()
                    .into_iter()
                    .zip(targets)
                    .filter(|(p, t)| (w0 + w1 * p[0] + w2 * p[1] > 0.0) == *t)
                    .count();
                best = best.max(right);
            }
        }
    }
    (grid.len().pow(3), best)
}

// ---------------------------------------------------------------------------------------------
// Chapter 4: the cost function

fn chapter_4() -> Result<()> {
    println!("\n== Chapter 4: the cost function ==");
    cost_is_not_an_argmax()?;
    logistic_penalty_sign()?;
    regularised_count()?;
    cross_entropy_sign()
}

/// The week-5 notes describe the K-class cost as comparing the most probable output with y.
/// Scaling Θ^(2) keeps every argmax, yet J moves.
fn cost_is_not_an_argmax() -> Result<()> {
    run("the cost is not an argmax");
    let DebugProblem {
        net, x, classes, ..
    } = debug_problem()?;
    let y = one_hot(&classes, 3)?;
    let given = net.predict(x.view())?;
    println!("The 3-5-3 debugging network, Θ^(2) scaled (its argmax predictions stay the same):");
    for scale in [0.5, 1.0, 2.0] {
        let scaled = Network::new(
            vec![net.thetas()[0].clone(), &net.thetas()[1] * scale],
            Activation::Sigmoid,
        )?;
        let predicted = scaled.predict(x.view())?;
        let wrong = predicted
            .iter()
            .zip(&classes)
            .filter(|(p, c)| p != c)
            .count();
        let j = cost(&scaled, x.view(), y.view(), 0.0, Loss::CrossEntropy)?;
        println!(
            "  Θ^(2) × {scale}: same predictions {}, {wrong} of {} misclassified, J = {j:.6}",
            predicted == given,
            classes.len()
        );
    }
    Ok(())
}

/// Six overlapping points on a line, for logistic regression.
fn overlapping_points() -> (Array2<f64>, Array2<f64>) {
    (
        array![[-2.0], [-1.0], [-0.5], [0.5], [1.0], [2.0]],
        array![[0.0], [1.0], [0.0], [1.0], [0.0], [1.0]],
    )
}

/// The study notes put +λΣθ² inside −(1/m)[…]: the penalty becomes −(λ/m)Σθ². Gradient descent
/// on each cost, from θ = 0.
fn logistic_penalty_sign() -> Result<()> {
    run("the logistic-regression penalty's sign");
    let (x, y) = overlapping_points();
    let (lambda, m, rate) = (1.0, x.nrows() as f64, 1.0);
    // J as written = data term − (λ/m)Σθ², i.e. minus twice the right penalty λ/(2m)Σθ².
    let sign = [("as written, -(λ/m)Σθ²", -2.0), ("right, +(λ/2m)Σθ²", 1.0)];
    println!(
        "Logistic regression on 6 overlapping points, λ = {lambda}, gradient descent α = {rate}:"
    );
    for (name, factor) in sign {
        let mut net = Network::new(vec![array![[0.0, 0.0]]], Activation::Sigmoid)?;
        let mut line = format!("  {name:<24}");
        for step in 1..=200 {
            let (_, mut d) = cost_and_gradient(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy)?;
            // The penalty's gradient, (factor·λ/m)θ, off the bias.
            let theta = &net.thetas()[0];
            d[0][[0, 1]] += factor * lambda / m * theta[[0, 1]];
            net = descend(&net, &d, rate)?;
            if [10, 100, 200].contains(&step) {
                let theta1 = net.thetas()[0][[0, 1]];
                let data = cost(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy)?;
                let j = data + factor * regularisation(net.thetas(), lambda, x.nrows());
                line += &format!(" | it {step}: θ1 = {}, J = {}", short(theta1), short(j));
            }
        }
        println!("{line}");
    }
    Ok(())
}

/// The study notes regularise "L matrices of (n+1)×n", L·(n+1)·n parameters, biases included.
fn regularised_count() -> Result<()> {
    run("what the penalty counts");
    let (net, x, y) = note_network()?;
    let (layers, n) = (net.sizes().len(), net.sizes()[0]);
    let entries: usize = net.thetas().iter().map(|t| t.len()).sum();
    let penalised: usize = net
        .thetas()
        .iter()
        .map(|t| t.nrows() * (t.ncols() - 1))
        .sum();
    println!(
        "The note's 2-2-2 network (L = {layers}, n = {n}): the notes count L·(n+1)·n = {}; it has {} matrices, {entries} entries, {penalised} off the bias columns",
        layers * (n + 1) * n,
        net.thetas().len()
    );
    let lambda = 1.0;
    let data = cost(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy)?;
    let all_squares: f64 = net.thetas().iter().flatten().map(|w| w * w).sum();
    println!(
        "  cross-entropy J with λ = {lambda}: right {:.6}; bias columns penalised too {:.6}",
        data + regularisation(net.thetas(), lambda, x.nrows()),
        data + lambda / (2.0 * x.nrows() as f64) * all_squares
    );
    Ok(())
}

/// The moons note writes the cross-entropy without its minus sign: descending it climbs the real
/// cross-entropy. The note's 2-2-2 network, α = 0.5.
fn cross_entropy_sign() -> Result<()> {
    run("the cross-entropy's sign");
    let (start, x, y) = note_network()?;
    println!("The note's 2-2-2 network, targets (0.01, 0.99), gradient descent α = {RATE}:");
    for (name, sign) in [
        ("as written, no minus", -1.0),
        ("right, with the minus", 1.0),
    ] {
        let mut net = start.clone();
        let mut line = format!(
            "  {name:<22} start CE {:.4}",
            cost(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy)?
        );
        for step in 1..=100 {
            // E as written is −CE, so its gradient is −∇CE.
            let d: Vec<_> = gradient(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy)?
                .into_iter()
                .map(|d| d * sign)
                .collect();
            net = descend(&net, &d, RATE)?;
            if [1, 10, 100].contains(&step) {
                let ce = cost(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy)?;
                let out = net.predict_proba(x.view())?;
                line += &format!(
                    " | step {step}: CE {ce:.4}, out ({:.4}, {:.4})",
                    out[[0, 0]],
                    out[[0, 1]]
                );
            }
        }
        println!("{line}");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Chapter 5: backpropagation

fn chapter_5() -> Result<()> {
    println!("\n== Chapter 5: backpropagation ==");
    worked_example()?;
    mazur();
    too_short_a_pass()?;
    delta_with_rate()?;
    squared_error_without_square()?;
    hidden_error_factor();
    mixed_signs()?;
    deep_update_input()
}

/// The note's printed numbers next to what its five slips give and what its stated inputs give:
/// chapter 5's table, printed again for the entries that quote it.
fn worked_example() -> Result<()> {
    run("the note's 2-2-2 example");
    let reproduced = note_as_printed();
    let stated = quantities(
        &NOTE_NET.by_hand(NOTE_INPUT, NOTE_TARGET),
        RATE,
        RATE,
        &NOTE_NET,
    );
    println!("quantity          note printed     five slips        stated inputs");
    let mut agreeing = 0;
    for ((name, printed), ((_, slips), (_, right))) in
        NOTE_PRINTED.iter().zip(reproduced.iter().zip(&stated))
    {
        agreeing += usize::from(agrees(*slips, printed));
        println!("{name:<16} {printed:>14}   {slips:>14.10}   {right:>14.10}");
    }
    println!(
        "the five slips reproduce {agreeing} of the {} printed values",
        NOTE_PRINTED.len()
    );
    Ok(())
}

/// Mazur's published error after one update, and the two ways of updating.
fn mazur() {
    run("Mazur's error after one update");
    match mazur_after_one_update() {
        Ok((simultaneous, sequential)) => {
            println!("  published 0.291027924 (inputs {MAZUR_INPUT:?})");
            println!("  every weight from the original gradients:   {simultaneous:.10}");
            println!("  hidden deltas through the updated w5..w8:   {sequential:.10}");
        }
        Err(e) => println!("  failed: {e}"),
    }
}

/// The week-5 notes stop the backward pass "at the second-to-last layer". With L = 4 that leaves
/// δ^(2), and so D^(1), uncomputed: a gradient check of what such a pass returns.
fn too_short_a_pass() -> Result<()> {
    run("backpropagation stopped at layer L - 1");
    let DebugProblem { x, y, .. } = debug_problem()?;
    let net = Network::new(
        vec![
            debug_weights(5, 3),
            debug_weights(4, 5),
            debug_weights(3, 4),
        ],
        Activation::Sigmoid,
    )?;
    let check = check_network(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy, 1e-4)?;
    let (_, mut d) = cost_and_gradient(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy)?;
    println!(
        "A 3-5-4-3 network (L = 4) on the 5 debugging examples, relative difference to central differences:"
    );
    println!(
        "  down to layer 2:              {:.2e}",
        check.relative_difference()
    );
    // δ^(2) is never formed, so D^(1) = (1/m) δ^(2)ᵀ ā^(1) is missing: Θ^(1) never moves.
    d[0].fill(0.0);
    println!(
        "  down to layer 3 (as written): {:.2e}   ({} of the {} entries of D missing)",
        relative_difference(&check.numerical, &unroll(&d)),
        d[0].len(),
        check.numerical.len()
    );
    let (mut full, mut short_pass) = (net.clone(), net.clone());
    for _ in 0..1000 {
        let d = gradient(&full, x.view(), y.view(), 0.0, Loss::CrossEntropy)?;
        full = descend(&full, &d, 1.0)?;
        let mut d = gradient(&short_pass, x.view(), y.view(), 0.0, Loss::CrossEntropy)?;
        d[0].fill(0.0);
        short_pass = descend(&short_pass, &d, 1.0)?;
    }
    let moved = |trained: &Network| {
        (&trained.thetas()[0] - &net.thetas()[0])
            .iter()
            .fold(0.0_f64, |a, d| a.max(d.abs()))
    };
    println!(
        "  after 1000 steps of descent (α = 1), Θ^(1) has moved by up to {:.4} down to layer 2, {:.4} down to layer 3",
        moved(&full),
        moved(&short_pass)
    );
    Ok(())
}

/// The study notes define Δ = α(1/m)δaᵀ for one example, "no Σ", and then D = Δ/m.
fn delta_with_rate() -> Result<()> {
    run("Δ with α and 1/m inside");
    let DebugProblem { net, x, y, .. } = debug_problem()?;
    let (alpha, m) = (0.5, x.nrows() as f64);
    let check = check_network(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy, 1e-4)?;
    let right = check.analytic.clone();
    // Δ = α(1/m)Σ δaᵀ, then D = Δ/m: α/m times the right D.
    let summed = &right * (alpha / m);
    // Δ = α(1/m)δaᵀ of one example (the first), then D = Δ/m.
    let (_, first) = cost_and_gradient(
        &net,
        x.slice(s![0..1, ..]),
        y.slice(s![0..1, ..]),
        0.0,
        Loss::CrossEntropy,
    )?;
    let one = unroll(&first) * (alpha / (m * m));
    println!(
        "The 3-5-3 debugging network (m = {m}), α = {alpha}, relative difference to central differences:"
    );
    println!(
        "  D = (1/m) Σ δaᵀ:                    {:.2e}",
        relative_difference(&check.numerical, &right)
    );
    println!(
        "  as written, summed over examples:   {:.2e}   (D is α/m = {} times too small)",
        relative_difference(&check.numerical, &summed),
        alpha / m
    );
    println!(
        "  as written, one example, no sum:    {:.2e}",
        relative_difference(&check.numerical, &one)
    );
    Ok(())
}

/// The squared error written ½Σ(a − y), without its square: its derivative by w5 no longer
/// depends on the target.
fn squared_error_without_square() -> Result<()> {
    run("the squared error without its square");
    let error_at = |target: [f64; 2], squared: bool| {
        move |w5: &Array1<f64>| -> Result<f64> {
            let mut net = NOTE_NET;
            net.w[4] = w5[0];
            let out = net.by_hand(NOTE_INPUT, target).out_o;
            Ok((0..2)
                .map(|j| {
                    let e = out[j] - target[j];
                    0.5 * if squared { e * e } else { e }
                })
                .sum())
        }
    };
    let w5 = Array1::from(vec![NOTE_NET.w[4]]);
    let slope = |target, squared| numerical_gradient(error_at(target, squared), &w5, 1e-6);
    let stated = NOTE_NET.by_hand(NOTE_INPUT, NOTE_TARGET).w5_factors[3];
    println!("The note's 2-2-2 network, ∂E/∂w5 by central differences:");
    println!("  the derivative the notes state, (a - y)a(1 - a)·out_h1: {stated:.10}");
    println!(
        "  E = ½Σ(a - y)², targets (0.01, 0.99):                  {:.10}",
        slope(NOTE_TARGET, true)?[0]
    );
    println!(
        "  E = ½Σ(a - y) as written, targets (0.01, 0.99):        {:.10}",
        slope(NOTE_TARGET, false)?[0]
    );
    println!(
        "  E = ½Σ(a - y) as written, targets (0.99, 0.01):        {:.10}",
        slope([0.99, 0.01], false)?[0]
    );
    Ok(())
}

/// The study notes' expanded e_h drops the output's (1 − a): ∂E/∂w1 both ways.
fn hidden_error_factor() {
    run("the hidden error's missing factor");
    let net = NOTE_NET;
    let h = net.by_hand(NOTE_INPUT, NOTE_TARGET);
    let out_h1 = h.out_h[0];
    // Output unit j's error and the weight from h1 into it (w5 into o1, w7 into o2).
    let from_h1 = [net.w[4], net.w[6]];
    let sum = |with_factor: bool| -> f64 {
        (0..2)
            .map(|j| {
                let a = h.out_o[j];
                let slope = if with_factor { a * (1.0 - a) } else { a };
                (a - NOTE_TARGET[j]) * slope * from_h1[j]
            })
            .sum()
    };
    let dw1 = |with_factor| out_h1 * (1.0 - out_h1) * sum(with_factor) * NOTE_INPUT[0];
    let (right, written) = (dw1(true), dw1(false));
    println!("The note's 2-2-2 network, ∂E/∂w1 = e_h1·i1:");
    println!(
        "  with a(1 - a) at the output:        {right:.10}   (chapter 5's backpropagation: {:.10})",
        h.w1_factors[5]
    );
    println!(
        "  with a only, as expanded in the notes: {written:.10}   ({:.1} times too large)",
        written / right
    );
}

/// The study notes define g_j with the opposite sign of Zhou Zhihua's but keep his update signs,
/// so the weights and the biases move in opposite senses. One step each way, η = 0.5.
fn mixed_signs() -> Result<()> {
    run("g's sign against the update signs");
    let (net, x, y) = note_network()?;
    let (e, d) = cost_and_gradient(&net, x.view(), y.view(), 0.0, Loss::SquaredError)?;
    let h = NOTE_NET.by_hand(NOTE_INPUT, NOTE_TARGET);
    let a = h.out_o[0];
    println!(
        "g_1 as the notes define it, (a - y)a(1 - a): {:.10}; Zhou's, a(1 - a)(y - a): {:.10}",
        (a - NOTE_TARGET[0]) * a * (1.0 - a),
        a * (1.0 - a) * (NOTE_TARGET[0] - a)
    );
    // With the notes' g, η·g·a is +η ∂E/∂w and η·g is +η ∂E/∂b: backprop's D, sign by sign.
    let rules = |weights: f64, biases: f64| -> Vec<Array2<f64>> {
        d.iter()
            .map(|d| {
                let mut rule = d * weights;
                rule.column_mut(0).assign(&(&d.column(0) * biases));
                rule
            })
            .collect()
    };
    println!("E before: {e:.10}; after one step (η = {RATE}) of");
    for (name, weights, biases) in [
        ("the notes' rules as updates, w += ηga, b -= ηg", -1.0, 1.0),
        ("the notes' weight rule alone, w += ηga", -1.0, 0.0),
        ("consistent descent, w -= ηga, b -= ηg", 1.0, 1.0),
    ] {
        let after = descend(&net, &rules(weights, biases), RATE)?;
        println!(
            "  {name:<48} {:.10}",
            cost(&after, x.view(), y.view(), 0.0, Loss::SquaredError)?
        );
    }
    Ok(())
}

/// The moons note's update for deeper networks, (5.31), multiplies by in_h, the unit's own
/// weighted sum, where the previous layer's output belongs. A 2-2-2-2 network.
fn deep_update_input() -> Result<()> {
    run("in_h in the deep update");
    let mut r = rng(17);
    let thetas: Vec<_> = (0..3).map(|_| init::uniform(2, 2, 1.0, &mut r)).collect();
    let net = Network::new(thetas, Activation::Sigmoid)?;
    let (x, y) = (array![NOTE_INPUT], array![NOTE_TARGET]);
    let (_, d) = cost_and_gradient(&net, x.view(), y.view(), 0.0, Loss::SquaredError)?;
    let pass = net.forward(x.view())?;
    // δ of the second hidden layer, backpropagated by hand from the squared-error output.
    let out = pass.output();
    let delta4 = (out - &y) * &out.mapv(|a| a * (1.0 - a));
    let hidden2 = pass.a[2].slice(s![.., 1..]).to_owned();
    let delta3 = delta4.dot(&net.thetas()[2].slice(s![.., 1..])) * &hidden2.mapv(|a| a * (1.0 - a));
    // (5.31): σ_h · in_h for every weight into unit h, in_h = z_h; right: σ_h · out_prev.
    let in_h = &pass.z[1];
    let written = Array2::from_shape_fn((2, 2), |(h, _)| delta3[[0, h]] * in_h[[0, h]]);
    let right = Array2::from_shape_fn((2, 2), |(h, j)| delta3[[0, h]] * pass.a[1][[0, 1 + j]]);
    let library = d[1].slice(s![.., 1..]);
    println!("A 2-2-2-2 sigmoid network, weights into the second hidden layer, ∂E/∂w by rows:");
    for (name, grad) in [
        ("backpropagation", library),
        ("σ_h · out_prev", right.view()),
        ("σ_h · in_h, (5.31)", written.view()),
    ] {
        let rows: Vec<String> = grad
            .rows()
            .into_iter()
            .map(|r| format!("{r:.10}"))
            .collect();
        println!("  {name:<19} {}", rows.join("  "));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Chapter 6: unrolling, gradient checking and initialisation

fn chapter_6() -> Result<()> {
    println!("\n== Chapter 6: unrolling, gradient checking and initialisation ==");
    run("10e-9");
    let literal = "10e-9";
    let value: f64 = literal
        .parse()
        .map_err(|e| Error::invalid("a float literal", "a number", e))?;
    println!("  {literal} written as code is {value:e}");
    check_returns_nothing()?;
    bias_weights_zeroed()?;
    initial_range()
}

/// The ex4 notes' `gradient_checking`, modelled: it computes the relative difference and ends
/// without returning it, so its caller gets Python's `None` whatever the gradient.
fn notes_gradient_checking(
    gradient: CostAndGradient,
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
) -> Result<Option<f64>> {
    let _diff = checked_difference(gradient, net, x, y, lambda)?;
    Ok(None)
}

/// The same check, returning the relative difference, as it should.
fn checked_difference(
    gradient: CostAndGradient,
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
) -> Result<f64> {
    let numerical = check_network(net, x, y, lambda, Loss::CrossEntropy, 1e-4)?.numerical;
    let analytic = unroll(&gradient(net, x, y, lambda)?.1);
    Ok(relative_difference(&numerical, &analytic))
}

fn check_returns_nothing() -> Result<()> {
    run("a gradient check that returns nothing (models the notes' Python)");
    let DebugProblem { net, x, y, .. } = debug_problem()?;
    let lambda = 3.0;
    println!("The debugging network, λ = {lambda}:");
    for (name, gradient) in [
        ("backpropagation", backpropagation as CostAndGradient),
        ("D = Δ/m + λΘ", notes_formula),
    ] {
        let as_written = notes_gradient_checking(gradient, &net, x.view(), y.view(), lambda)?;
        let fixed = checked_difference(gradient, &net, x.view(), y.view(), lambda)?;
        println!("  {name:<16} as written returns {as_written:?}; with `return diff`: {fixed:.2e}");
    }
    Ok(())
}

/// The ex4 notes' `regularized_gradient`, modelled: `deserialize` hands back numpy views into
/// the caller's θ, so zeroing the "copies'" bias columns zeroes the caller's bias weights.
fn notes_regularized_gradient(
    theta: &mut Array1<f64>,
    net_shapes: &[(usize, usize)],
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
) -> Result<Array1<f64>> {
    let net = Network::new(roll(theta, net_shapes)?, Activation::Sigmoid)?;
    let (_, mut d) = cost_and_gradient(&net, x, y, 0.0, Loss::CrossEntropy)?;
    let m = x.nrows() as f64;
    let mut offset = 0;
    for ((rows, cols), d) in net_shapes.iter().copied().zip(&mut d) {
        // t = deserialize(theta): a view of the caller's vector, not a copy.
        let mut t = theta
            .slice_mut(s![offset..offset + rows * cols])
            .into_shape_with_order(((rows, cols), Order::ColumnMajor))
            .map_err(|e| Error::invalid("a Θ view", "a contiguous slice", e))?;
        t.column_mut(0).fill(0.0); // t[:, 0] = 0 writes through to the caller's θ
        d.scaled_add(lambda / m, &t);
        offset += rows * cols;
    }
    Ok(unroll(&d))
}

/// How many of the four XNOR inputs a one-output network gets right (output > 0.5 means 1).
fn xnor_right(net: &Network, x: &Array2<f64>, y: &Array2<f64>) -> Result<usize> {
    let h = net.predict_proba(x.view())?;
    Ok(h.iter()
        .zip(y)
        .filter(|(h, y)| (**h > 0.5) == (**y > 0.5))
        .count())
}

fn bias_weights_zeroed() -> Result<()> {
    run("the regularised gradient zeroes the caller's biases (models the notes' Python)");
    let (x, y) = xnor();
    let net = trained_xnor()?;
    let net_shapes = shapes(net.thetas());
    let mut theta = unroll(net.thetas());
    let lambda = 1.0;
    let report = |when: &str, theta: &Array1<f64>| -> Result<()> {
        let net = Network::new(roll(theta, &net_shapes)?, Activation::Sigmoid)?;
        let biases: f64 = net.thetas().iter().map(|t| t.column(0).sum()).sum();
        println!(
            "  {when:<34} sum of bias weights {biases:>8.4}, cross-entropy {:.6}, XNOR right {} of 4",
            cost(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy)?,
            xnor_right(&net, &x, &y)?
        );
        Ok(())
    };
    println!("A 2-3-1 network trained on XNOR, λ = {lambda}; the caller's θ:");
    report("before", &theta)?;
    let (_, right) = cost_and_gradient(&net, x.view(), y.view(), lambda, Loss::CrossEntropy)?;
    let first = notes_regularized_gradient(&mut theta, &net_shapes, x.view(), y.view(), lambda)?;
    let worst = (&unroll(&right) - &first)
        .iter()
        .fold(0.0_f64, |a, d| a.max(d.abs()));
    println!(
        "  the gradient it returns equals the library's to 1e-15: {}",
        worst < 1e-15
    );
    report("after one regularized_gradient(θ)", &theta)?;
    let second = notes_regularized_gradient(&mut theta, &net_shapes, x.view(), y.view(), lambda)?;
    println!(
        "  a second call at \"the same\" θ: its gradient differs from the first by {:.2e} (relative)",
        relative_difference(&first, &second)
    );
    Ok(())
}

/// The study notes' initial weights "between 0 and 1" (`np.random.rand`) against the course's
/// uniform(−0.12, 0.12), on the digits: how alive the hidden layer is, and what training gets.
fn initial_range() -> Result<()> {
    run("initial weights between 0 and 1");
    let (train, _) = digit_split();
    let y = one_hot(&train.classes, 10)?;
    println!(
        "A 64-25-10 network on {} digits, then 200 steps of gradient descent (α = 1, λ = 0):",
        train.x.nrows()
    );
    let mut r = rng(6);
    let starts = [
        ("in [0, 1), as written", 0.5, 0.5),
        ("in (-0.12, 0.12)", 0.12, 0.0),
    ];
    for (name, epsilon, shift) in starts {
        let thetas = [(25, 64), (10, 25)]
            .map(|(out, inp)| init::uniform(out, inp, epsilon, &mut r).mapv(|w| w + shift));
        let net = Network::new(thetas.to_vec(), Activation::Sigmoid)?;
        let pass = net.forward(train.x.view())?;
        let hidden = pass.a[1].slice(s![.., 1..]);
        let spread = hidden
            .columns()
            .into_iter()
            .map(|c| c.fold(f64::MIN, |a, &v| a.max(v)) - c.fold(f64::MAX, |a, &v| a.min(v)))
            .fold(0.0_f64, f64::max);
        let slope = hidden.mapv(|a| a * (1.0 - a)).mean().unwrap_or(0.0);
        let (trained, costs) = plain_descent(1.0, 200).run(net, train.x.view(), y.view())?;
        println!(
            "  {name:<22} hidden units vary by at most {spread:.1e} across images, mean σ'(z) {slope:.1e}; after training J = {:.4}, {:.1}% right",
            costs[costs.len() - 1],
            100.0 * trained.accuracy(train.x.view(), &train.classes)?
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Chapter 7: the course's digits exercise

fn chapter_7() -> Result<()> {
    println!("\n== Chapter 7: the course's digits exercise ==");
    reshape_transposes()?;
    accuracy_reads_a_global()?;
    cost_reads_globals()
}

/// A 20×20 image stored column by column (Octave), read back row by row (numpy's reshape).
fn reshape_transposes() -> Result<()> {
    run("reshape(20, 20)");
    let image = Array2::from_shape_fn((20, 20), |(r, c)| (20 * r + c) as f64);
    let stored: Vec<f64> = image.t().iter().copied().collect();
    let read = Array2::from_shape_vec((20, 20), stored)
        .map_err(|e| Error::invalid("a 20×20 image", "400 pixels", e))?;
    println!(
        "  a 20×20 image, its 400 pixels stored column by column and read back row by row: equal to the image {}, to its transpose {}",
        read == image,
        read == image.t()
    );
    Ok(())
}

/// The ex4 notes' `accuracy(theta, X, y)`, modelled: its body evaluates the global `res.x`, the
/// last trained network, and never reads `theta`.
fn notes_accuracy<'a>(res_x: &'a Network) -> impl Fn(&Network, &Digits) -> Result<f64> + 'a {
    move |_theta, data| res_x.accuracy(data.x.view(), &data.classes)
}

fn accuracy_reads_a_global() -> Result<()> {
    run("accuracy reads a global (models the notes' Python)");
    let (train, _) = digit_split();
    let y = one_hot(&train.classes, 10)?;
    let start = init::uniform_network(&[64, 25, 10], 0.12, &mut rng(7))?;
    let (res_x, _) = optimize::conjugate_gradient(&start, &train.x, &y, 1.0, 30, |_, _| {})?;
    let accuracy = notes_accuracy(&res_x);
    println!(
        "res.x: a 64-25-10 network trained on {} digits; training accuracy of",
        train.x.nrows()
    );
    for (name, theta) in [("res.x", &res_x), ("the untrained start", &start)] {
        println!(
            "  {name:<20} as written {:.1}%, fixed {:.1}%",
            100.0 * accuracy(theta, &train)?,
            100.0 * theta.accuracy(train.x.view(), &train.classes)?
        );
    }
    Ok(())
}

/// The compact ex4 notes' `reg_cost(theta, X, y, lamda)`, modelled: its penalty squares the
/// globals `theta1`, `theta2` (the loaded weights), not the θ it is given.
fn notes_reg_cost<'a>(
    loaded: &'a Network,
    x: ArrayView2<'a, f64>,
    y: ArrayView2<'a, f64>,
    lambda: f64,
) -> impl Fn(&Array1<f64>) -> Result<f64> + 'a {
    move |theta| {
        let net = with_theta(loaded, theta)?;
        let penalty = regularisation(loaded.thetas(), lambda, x.nrows());
        Ok(cost(&net, x, y, 0.0, Loss::CrossEntropy)? + penalty)
    }
}

fn cost_reads_globals() -> Result<()> {
    run("the regularised cost reads globals (models the notes' Python)");
    let DebugProblem {
        net: loaded, x, y, ..
    } = debug_problem()?;
    let lambda = 1.0;
    let written = notes_reg_cost(&loaded, x.view(), y.view(), lambda);
    let fixed = |theta: &Array1<f64>| {
        cost(
            &with_theta(&loaded, theta)?,
            x.view(),
            y.view(),
            lambda,
            Loss::CrossEntropy,
        )
    };
    let other = init::uniform_network(&loaded.sizes(), 0.5, &mut rng(8))?;
    println!("\"Loaded\" weights: the debugging network; λ = {lambda}:");
    for (name, net) in [
        ("at the loaded weights", &loaded),
        ("at other weights", &other),
    ] {
        let theta = unroll(net.thetas());
        let (_, d) = cost_and_gradient(net, x.view(), y.view(), lambda, Loss::CrossEntropy)?;
        let reg_gradient = unroll(&d);
        println!(
            "  {name:<22} J as written {:.6}, fixed {:.6}; gradient check of the regularised gradient against each: {:.2e}, {:.2e}",
            written(&theta)?,
            fixed(&theta)?,
            relative_difference(&numerical_gradient(&written, &theta, 1e-4)?, &reg_gradient),
            relative_difference(&numerical_gradient(fixed, &theta, 1e-4)?, &reg_gradient)
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Chapter 8: two moons

/// Chapter 8's first setting (60 points, noise 1.0, seed 1, held-out seed 101) and its runs with
/// one and with ten tanh hidden units (training seeds 0 and 3), printed again for the entry.
fn chapter_8() -> Result<()> {
    println!("\n== Chapter 8: two moons ==");
    run("more units, better classification?");
    let (x, classes) = moons(60, 1.0, 1);
    let (x_test, classes_test) = moons(1000, 1.0, 101);
    let y = one_hot(&classes, 2)?;
    let descent = Descent {
        record_every: 100,
        ..Descent::new(Loss::CrossEntropy, 0.1, 30_000)
    };
    println!("Chapter 8's noisy setting: 60 training points, 1000 held out");
    for (hidden, seed) in [(1, 0), (10, 3)] {
        let start = init::scaled_normal_network(&[2, hidden, 2], Activation::Tanh, &mut rng(seed))?;
        let (net, _) = descent.run(start, x.view(), y.view())?;
        println!(
            "  {hidden:>2} hidden units: training {:.1}%, held out {:.1}%",
            100.0 * net.accuracy(x.view(), &classes)?,
            100.0 * net.accuracy(x_test.view(), &classes_test)?
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Chapter 9: putting it together

fn chapter_9() -> Result<()> {
    println!("\n== Chapter 9: putting it together ==");
    run("the notes' two regularised gradients");
    let DebugProblem { net, x, y, .. } = debug_problem()?;
    println!("The debugging network, λ = 3, relative difference to central differences:");
    for (name, gradient) in [
        ("backpropagation", backpropagation as CostAndGradient),
        ("D = Δ/m + λΘ", notes_formula),
        ("`delta2 = ...`", notes_code),
    ] {
        println!(
            "  {name:<16} {:.2e}",
            checked_difference(gradient, &net, x.view(), y.view(), 3.0)?
        );
    }
    trained_with_the_notes_formula()?;
    transposed_theta()
}

/// Chapter 9's split of the UCI digits: shuffled with seed 9, the first 200 for training.
fn digit_split() -> (Digits, Digits) {
    digits::uci_digits()
        .shuffled_split(200, 9)
        .expect("the UCI set has more than 200 images")
}

/// Chapter 9's start for the digits network: uniform in ±√6/√(s_l + s_{l+1}), seed 3.
fn chapter_9_start() -> Result<Network> {
    init::epsilon_network(&[64, 25, 10], &mut rng(3))
}

/// Chapter 9's runs with D = Δ/m + λΘ (λ = 1): 200 steps of gradient descent (α = 1) and 100
/// iterations of conjugate gradient, printed again for the entry.
fn trained_with_the_notes_formula() -> Result<()> {
    run("training with D = Δ/m + λΘ");
    let (train, test) = digit_split();
    let y = one_hot(&train.classes, 10)?;
    let mut net = chapter_9_start()?;
    for _ in 0..200 {
        net = descend(
            &net,
            &notes_formula(&net, train.x.view(), y.view(), 1.0)?.1,
            1.0,
        )?;
    }
    let (cg, _, _) = optimize::conjugate_gradient_with(
        notes_formula,
        &chapter_9_start()?,
        &train.x,
        &y,
        1.0,
        100,
        |_, _| {},
    )?;
    println!(
        "Digits, {} for training, {} held out; held-out accuracy",
        train.x.nrows(),
        test.x.nrows()
    );
    for (name, net) in [("gradient descent", &net), ("conjugate gradient", &cg)] {
        println!(
            "  {name:<19} {:.2}%",
            100.0 * net.accuracy(test.x.view(), &test.classes)?
        );
    }
    Ok(())
}

/// Full-batch gradient descent on the cross-entropy, λ = 0, recording only the last cost.
fn plain_descent(rate: f64, epochs: usize) -> Descent {
    Descent {
        record_every: epochs,
        ..Descent::new(Loss::CrossEntropy, rate, epochs)
    }
}

/// Chapter 9's XNOR network: 2-3-1, uniform in ±√6/√(s_l + s_{l+1}) with seed 4, then 5000
/// steps of gradient descent with α = 1.
fn trained_xnor() -> Result<Network> {
    let (x, y) = xnor();
    let start = init::epsilon_network(&[2, 3, 1], &mut rng(4))?;
    Ok(plain_descent(1.0, 5000).run(start, x.view(), y.view())?.0)
}

/// Chapter 9's XNOR network with Θ^(1) and with Θ^(1)ᵀ.
fn transposed_theta() -> Result<()> {
    run("Θ^(1) transposed");
    let (x, _) = xnor();
    let net = trained_xnor()?;
    let swapped = Network::new(
        vec![net.thetas()[0].t().to_owned(), net.thetas()[1].clone()],
        Activation::Sigmoid,
    )?;
    let change = (&net.predict_proba(x.view())? - &swapped.predict_proba(x.view())?)
        .iter()
        .fold(0.0_f64, |a, d| a.max(d.abs()));
    println!("  chapter 9's XNOR network: the largest change of an output is {change:.4}");
    Ok(())
}
