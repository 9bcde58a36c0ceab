//! Chapter 9: putting it together: the architecture, the training recipe, local minima, and the
//! course's quiz questions 4 and 5, each statement answered by a run.
//! `cargo run --release --example ch9_putting_together [-- --out DIR]`

use std::process::ExitCode;
use std::time::Instant;

use backprop_book::activation::Activation;
use backprop_book::backprop::cost_and_gradient;
use backprop_book::cli::{self, OutDir};
use backprop_book::cost::{Loss, cost, one_hot};
use backprop_book::data::{moons, rng, xnor};
use backprop_book::digits::{self, Digits};
use backprop_book::gradcheck::{
    DebugProblem, check_network, check_subset, debug_problem, relative_difference,
};
use backprop_book::init;
use backprop_book::network::Network;
use backprop_book::optimize::{
    self, CostAndGradient, backpropagation, conjugate_gradient, notes_code, notes_formula,
};
use backprop_book::plot::{self, DrawResult, PALETTE};
use backprop_book::train::Descent;
use backprop_book::unroll::unroll;
use clap::Parser;
use ndarray::Array2;
use plotters::coord::Shift;
use plotters::prelude::*;
use rand::seq::SliceRandom;

/// Chapter 9: choosing an architecture, the training recipe in order, local minima, and the
/// quiz's statements about λ, gradient checking, Θ^(1)ᵀ and the learning rate, each run.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    out: OutDir,
}

// ANCHOR: settings
/// The digits experiments: a small training set, so that every run is quick and over-fitting is
/// possible, and every other image held out.
const TRAINING_IMAGES: usize = 200;
const CG_ITERATIONS: usize = 100;
const LAMBDA: f64 = 1.0;
/// One seed for the starting weights wherever runs are compared.
const SEED: u64 = 3;
/// The learning rates tried with gradient descent, for how long, and one that overflows.
const RATES: [f64; 5] = [0.3, 1.0, 3.0, 10.0, 100.0];
const DESCENT_ITERATIONS: usize = 200;
const HUGE_RATE: f64 = 10_000.0;
/// The λ sweep: two moons, noisy enough to over-fit, and a large hidden layer.
const MOONS_POINTS: usize = 100;
const MOONS_NOISE: f64 = 0.3;
const MOONS_HIDDEN: usize = 50;
const MOONS_ITERATIONS: usize = 500;
const HELD_OUT_POINTS: usize = 1000;
const LAMBDAS: [f64; 9] = [0.0, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0];
// ANCHOR_END: settings

fn main() -> ExitCode {
    cli::run(|| {
        let args = Args::parse();
        let out = args.out.resolve("ch9_putting_together")?;
        let clock = Instant::now();
        let (train, test) = digit_split();
        // The two longest experiments need nothing from the others: they run on other cores
        // while this thread does the rest, and are printed in their place.
        std::thread::scope(|scope| {
            let sweep = scope.spawn(lambda_sweep);
            let misled = scope.spawn(|| train_with_each_gradient(&train, &test));
            cli::section("architectures");
            architectures(&train, &test)?;
            cli::section("recipe");
            recipe(&train, &test)?;
            cli::section("starts");
            let starts = several_starts(&train, &test)?;
            cli::section("learning_rates");
            let curves = learning_rates(&train)?;
            plot::save_svg(&out, "learning_rates.svg", (760, 420), |root| {
                draw_learning_rates(root, &curves)
            })?;
            let sweep = sweep.join().expect("the λ sweep panicked")?;
            cli::section("lambda");
            report_lambda_sweep(&sweep);
            plot::save_svg(&out, "lambda_sweep.svg", (760, 420), |root| {
                draw_lambda_sweep(root, &sweep)
            })?;
            cli::section("gradients");
            let checks = check_each_gradient()?;
            let misled = misled.join().expect("the training runs panicked")?;
            report_training_with_each_gradient(&misled);
            cli::section("transposed");
            let change = transposed()?;
            cli::section("quiz");
            verdicts(&Evidence {
                starts,
                curves,
                sweep,
                checks,
                misled,
                change,
            });
            eprintln!("chapter 9 ran in {:.2} s", clock.elapsed().as_secs_f64());
            Ok(())
        })
    })
}

/// The UCI digits, shuffled (seeded): the first 200 for training, the other 1,597 held out.
fn digit_split() -> (Digits, Digits) {
    let all = digits::uci_digits();
    let mut order: Vec<usize> = (0..all.x.nrows()).collect();
    order.shuffle(&mut rng(9));
    let (train, test) = (
        all.select(&order[..TRAINING_IMAGES]),
        all.select(&order[TRAINING_IMAGES..]),
    );
    println!(
        "Data: {}: {} for training, {} held out.",
        all.source,
        train.x.nrows(),
        test.x.nrows()
    );
    (train, test)
}

// ANCHOR: start
/// Step 1 of the recipe: small random weights, uniform in (−ε, ε) with the course's
/// ε = √6 / √(s_l + s_{l+1}) for each Θ^(l), sigmoid units throughout.
fn random_start(sizes: &[usize], seed: u64) -> backprop_book::Result<Network> {
    init::epsilon_network(sizes, &mut rng(seed))
}
// ANCHOR_END: start

/// A trained digits network and what it scored.
struct Scored {
    net: Network,
    final_cost: f64,
    train: f64,
    test: f64,
}

impl Scored {
    fn judge(
        net: Network,
        final_cost: f64,
        train: &Digits,
        test: &Digits,
    ) -> backprop_book::Result<Self> {
        Ok(Scored {
            train: net.accuracy(train.x.view(), &train.classes)?,
            test: net.accuracy(test.x.view(), &test.classes)?,
            net,
            final_cost,
        })
    }
}

/// Trains `sizes` on the digits with the library's conjugate gradient from `random_start`.
fn train_digits(
    sizes: &[usize],
    seed: u64,
    train: &Digits,
    test: &Digits,
) -> backprop_book::Result<Scored> {
    let y = one_hot(&train.classes, 10)?;
    let start = random_start(sizes, seed)?;
    let (net, costs) = conjugate_gradient(&start, &train.x, &y, LAMBDA, CG_ITERATIONS, |_, _| {})?;
    Scored::judge(net, costs[costs.len() - 1], train, test)
}

fn parameters(net: &Network) -> usize {
    net.thetas().iter().map(|t| t.len()).sum()
}

// ANCHOR: architectures
/// Input units = features (64 pixels), output units = classes (10 digits): only the hidden
/// layers are a choice. Every candidate is trained the same way from the same seed.
fn architectures(train: &Digits, test: &Digits) -> backprop_book::Result<()> {
    let (features, classes) = (train.x.ncols(), train.class_names.len());
    println!("\n1. Choosing the architecture");
    println!("Input units = {features} features (pixels), output units = {classes} classes.");
    println!("Conjugate gradient, {CG_ITERATIONS} iterations, λ = {LAMBDA}, seed {SEED} for each:");
    println!("  layers             parameters   final J    training   held-out");
    let candidates: [&[usize]; 7] = [
        &[64, 2, 10],
        &[64, 5, 10],
        &[64, 10, 10],
        &[64, 25, 10],
        &[64, 50, 10],
        &[64, 100, 10],
        &[64, 25, 25, 10],
    ];
    for sizes in candidates {
        let run = train_digits(sizes, SEED, train, test)?;
        println!(
            "  {:<18} {:>10}   {:.6}   {:>7.2}%   {:>7.2}%",
            format!("{sizes:?}"),
            parameters(&run.net),
            run.final_cost,
            100.0 * run.train,
            100.0 * run.test
        );
    }
    Ok(())
}
// ANCHOR_END: architectures

// ANCHOR: recipe
/// The recipe in order, for the [64, 25, 10] network, printing what each step produced.
fn recipe(train: &Digits, test: &Digits) -> backprop_book::Result<()> {
    println!("\n2. The training recipe, step by step, for [64, 25, 10]");
    let y = one_hot(&train.classes, 10)?;
    let x = train.x.view();

    let net = random_start(&[64, 25, 10], SEED)?;
    let [t1, t2] = [&net.thetas()[0], &net.thetas()[1]];
    println!(
        "  1. random initialisation: Θ^(1) {}×{} uniform in ±{:.4}, Θ^(2) {}×{} uniform in ±{:.4}",
        t1.nrows(),
        t1.ncols(),
        init::epsilon_for(25, 64),
        t2.nrows(),
        t2.ncols(),
        init::epsilon_for(10, 25)
    );

    let h = net.predict_proba(x)?;
    let (low, high) = h
        .iter()
        .fold((1.0_f64, 0.0_f64), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    println!(
        "  2. forward propagation: h_Θ(X) is {}×{}, every output between {low:.4} and {high:.4}",
        h.nrows(),
        h.ncols()
    );

    let j = cost(&net, x, y.view(), LAMBDA, Loss::CrossEntropy)?;
    println!(
        "  3. cost: J(Θ) = {j:.6} with λ = {LAMBDA}, m = {}",
        x.nrows()
    );

    let (_, d) = cost_and_gradient(&net, x, y.view(), LAMBDA, Loss::CrossEntropy)?;
    println!(
        "  4. backpropagation: D^(1) {}×{} and D^(2) {}×{}, all {} partial derivatives in one pass",
        d[0].nrows(),
        d[0].ncols(),
        d[1].nrows(),
        d[1].ncols(),
        parameters(&net)
    );

    let DebugProblem {
        net: debug_net,
        x: debug_x,
        classes: debug_classes,
        ..
    } = debug_problem()?;
    let debug_y = one_hot(&debug_classes, 3)?;
    let small = check_network(
        &debug_net,
        debug_x.view(),
        debug_y.view(),
        3.0,
        Loss::CrossEntropy,
        1e-4,
    )?;
    let picks: Vec<usize> = (0..parameters(&net)).step_by(97).collect();
    let part = check_subset(&net, x, y.view(), LAMBDA, Loss::CrossEntropy, 1e-4, &picks)?;
    println!(
        "  5. gradient checking: debugging network (λ = 3) below 1e-9: {}; {} parameters of this one below 1e-7: {}",
        small.relative_difference() < 1e-9,
        picks.len(),
        part.relative_difference() < 1e-7
    );
    println!(
        "     a full check would take {} cost evaluations: switched off from here on",
        2 * parameters(&net)
    );

    let (trained, costs) =
        conjugate_gradient(&net, &train.x, &y, LAMBDA, CG_ITERATIONS, |_, _| {})?;
    println!(
        "  6. optimisation: conjugate gradient, {CG_ITERATIONS} iterations, J from {:.6} to {:.6}",
        costs[0],
        costs[costs.len() - 1]
    );
    println!(
        "  7. judging: training accuracy {:.2}%, held-out accuracy {:.2}% on {} images",
        100.0 * trained.accuracy(x, &train.classes)?,
        100.0 * trained.accuracy(test.x.view(), &test.classes)?,
        test.x.nrows()
    );
    Ok(())
}
// ANCHOR_END: recipe

/// Full-batch gradient descent on the cross-entropy, recording J every `record_every` epochs.
fn descent(rate: f64, epochs: usize, lambda: f64, record_every: usize) -> Descent {
    Descent {
        lambda,
        record_every,
        ..Descent::new(Loss::CrossEntropy, rate, epochs)
    }
}

// ANCHOR: several_starts
/// The same network and data from different random starts: where does each run end? Returns
/// the final J of each XNOR run.
fn several_starts(train: &Digits, test: &Digits) -> backprop_book::Result<Vec<f64>> {
    println!("\n3. J is not convex: one network, several random starts");
    let (x, y) = xnor();
    println!("A [2, 2, 1] network on XNOR, weights uniform in (−1, 1), gradient descent, α = 1:");
    println!("  seed   J after 1000   J after 5000   h_Θ(x) at (0,0) (0,1) (1,0) (1,1)   right");
    let mut finals = Vec::new();
    for seed in 0..10 {
        let mut r = rng(seed);
        let start = init::uniform_network(&[2, 2, 1], 1.0, &mut r)?;
        let (net, costs) = descent(1.0, 5000, 0.0, 1000).run(start, x.view(), y.view())?;
        let h = net.predict_proba(x.view())?;
        let right = h
            .iter()
            .zip(&y)
            .filter(|(h, y)| (**h > 0.5) == (**y > 0.5))
            .count();
        let outputs: Vec<String> = h.iter().map(|v| format!("{v:.3}")).collect();
        println!(
            "  {seed:>4}   {:>12.6}   {:>12.6}   {:>31}   {right} of 4",
            costs[1],
            costs[5],
            outputs.join(" ")
        );
        finals.push(costs[5]);
    }
    println!(
        "The digits network [64, 25, 10] from five starts (conjugate gradient, λ = {LAMBDA}):"
    );
    println!("  seed   final J    training   held-out");
    for seed in 0..5 {
        let run = train_digits(&[64, 25, 10], seed, train, test)?;
        println!(
            "  {seed:>4}   {:.6}   {:>7.2}%   {:>7.2}%",
            run.final_cost,
            100.0 * run.train,
            100.0 * run.test
        );
    }
    Ok(finals)
}
// ANCHOR_END: several_starts

/// J per iteration of gradient descent for one learning rate.
struct Curve {
    rate: f64,
    costs: Vec<f64>,
}

impl Curve {
    /// How many iterations made J larger than it was.
    fn rises(&self) -> usize {
        self.costs.windows(2).filter(|w| w[1] > w[0]).count()
    }

    fn last(&self) -> f64 {
        self.costs[self.costs.len() - 1]
    }
}

// ANCHOR: learning_rates
/// Gradient descent on the digits network from one start, with each learning rate.
fn learning_rates(train: &Digits) -> backprop_book::Result<Vec<Curve>> {
    println!("\n4. The learning rate α: J(Θ) per iteration of gradient descent");
    println!("The digits network [64, 25, 10], λ = {LAMBDA}, the same start for every α:");
    let y = one_hot(&train.classes, 10)?;
    let shown = [0, 1, 2, 5, 10, 50, 100, DESCENT_ITERATIONS];
    let header: Vec<String> = shown
        .iter()
        .map(|k| format!("{:>8}", format!("J({k})")))
        .collect();
    println!("  {:>5} {}   rises   training", "α", header.join(" "));
    let mut curves = Vec::new();
    for rate in RATES {
        let start = random_start(&[64, 25, 10], SEED)?;
        let (net, costs) =
            descent(rate, DESCENT_ITERATIONS, LAMBDA, 1).run(start, train.x.view(), y.view())?;
        let curve = Curve { rate, costs };
        let values: Vec<String> = shown
            .iter()
            .map(|&k| format!("{:>8.3}", curve.costs[k]))
            .collect();
        println!(
            "  {rate:>5} {}   {:>5}   {:>7.2}%",
            values.join(" "),
            curve.rises(),
            100.0 * net.accuracy(train.x.view(), &train.classes)?
        );
        curves.push(curve);
    }
    let start = random_start(&[64, 25, 10], SEED)?;
    match descent(HUGE_RATE, DESCENT_ITERATIONS, LAMBDA, 1).run(start, train.x.view(), y.view()) {
        Ok(_) => println!("  α = {HUGE_RATE}: trained without overflowing"),
        Err(e) => println!("  α = {HUGE_RATE}: the library stops the run: {e}"),
    }
    Ok(curves)
}
// ANCHOR_END: learning_rates

/// One λ of the sweep and what it gave.
struct SweepPoint {
    lambda: f64,
    final_cost: f64,
    train: f64,
    test: f64,
    test_cost: f64,
}

// ANCHOR: lambda_sweep
/// Two moons: a [2, 50, 2] tanh network trained by conjugate gradient for each λ from the same
/// start, judged on its training points and on 1000 held-out points.
fn lambda_sweep() -> backprop_book::Result<Vec<SweepPoint>> {
    let (x, classes) = moons(MOONS_POINTS, MOONS_NOISE, 1);
    let (x_test, classes_test) = moons(HELD_OUT_POINTS, MOONS_NOISE, 101);
    let (y, y_test) = (one_hot(&classes, 2)?, one_hot(&classes_test, 2)?);
    let mut points = Vec::new();
    for lambda in LAMBDAS {
        let start =
            init::scaled_normal_network(&[2, MOONS_HIDDEN, 2], Activation::Tanh, &mut rng(5))?;
        let (net, costs) = conjugate_gradient(&start, &x, &y, lambda, MOONS_ITERATIONS, |_, _| {})?;
        points.push(SweepPoint {
            lambda,
            final_cost: costs[costs.len() - 1],
            train: net.accuracy(x.view(), &classes)?,
            test: net.accuracy(x_test.view(), &classes_test)?,
            // Without the penalty: how wrong on new points, and how confidently.
            test_cost: cost(&net, x_test.view(), y_test.view(), 0.0, Loss::CrossEntropy)?,
        });
    }
    Ok(points)
}
// ANCHOR_END: lambda_sweep

fn report_lambda_sweep(points: &[SweepPoint]) {
    println!("\n5. λ against over-fitting");
    println!(
        "Two moons, {MOONS_POINTS} training points (noise {MOONS_NOISE}), {HELD_OUT_POINTS} held out; [2, {MOONS_HIDDEN}, 2] tanh,"
    );
    println!("conjugate gradient, {MOONS_ITERATIONS} iterations, the same start for every λ:");
    println!(
        "  {:>5}   final J    training   held-out   held-out J (λ = 0)",
        "λ"
    );
    for p in points {
        println!(
            "  {:>5}   {:.6}   {:>7.1}%   {:>7.1}%   {:.6}",
            p.lambda,
            p.final_cost,
            100.0 * p.train,
            100.0 * p.test,
            p.test_cost
        );
    }
}

// ANCHOR: gradients
// Three answers to "J and a gradient D for every Θ", the `CostAndGradient` an optimiser is given:
// the library's `optimize::backpropagation` (D = Δ/m, plus (λ/m)Θ off the bias column) and two
// wrong ones from the notes (`optimize::notes_formula` and `optimize::notes_code`, above).
const GRADIENTS: [(&str, CostAndGradient); 3] = [
    ("backpropagation", backpropagation),
    ("the notes' formula", notes_formula),
    ("the notes' code", notes_code),
];
// ANCHOR_END: gradients

// ANCHOR: check_each_gradient
/// The check compares each gradient with numerical derivatives of J: no optimiser is involved.
/// Returns the relative differences.
fn check_each_gradient() -> backprop_book::Result<Vec<f64>> {
    println!("\n6. Gradient checking, whatever the optimiser");
    let DebugProblem {
        net, x, classes, ..
    } = debug_problem()?;
    let y = one_hot(&classes, 3)?;
    let numerical =
        check_network(&net, x.view(), y.view(), 3.0, Loss::CrossEntropy, 1e-4)?.numerical;
    println!("The debugging network, λ = 3: each gradient against the numerical one");
    let mut differences = Vec::new();
    for (name, gradient) in GRADIENTS {
        let analytic = unroll(&gradient(&net, x.view(), y.view(), 3.0)?.1);
        let difference = relative_difference(&numerical, &analytic);
        println!(
            "  {name:<20} relative difference {difference:.2e}   below 1e-9: {}",
            difference < 1e-9
        );
        differences.push(difference);
    }
    Ok(differences)
}
// ANCHOR_END: check_each_gradient

/// An optimiser that takes any gradient: returns the trained network and how many times it
/// evaluated J and D.
type Optimiser = fn(
    CostAndGradient,
    Network,
    &Array2<f64>,
    &Array2<f64>,
) -> backprop_book::Result<(Network, usize)>;

/// One training run of the digits network with a given gradient and optimiser.
struct Misled {
    gradient: &'static str,
    optimiser: &'static str,
    evaluations: usize,
    scored: Scored,
}

// ANCHOR: train_with_each_gradient
/// The digits network from the same start, trained by gradient descent and by conjugate
/// gradient, each fed backpropagation's gradient and then the notes' formula.
fn train_with_each_gradient(train: &Digits, test: &Digits) -> backprop_book::Result<Vec<Misled>> {
    let y = one_hot(&train.classes, 10)?;
    let mut runs = Vec::new();
    let optimisers: [(&str, Optimiser); 2] = [
        ("gradient descent", descend_with),
        ("conjugate gradient", conjugate_gradient_with),
    ];
    for (gradient_name, gradient) in &GRADIENTS[..2] {
        for (optimiser_name, optimiser) in optimisers {
            let start = random_start(&[64, 25, 10], SEED)?;
            let (net, evaluations) = optimiser(*gradient, start, &train.x, &y)?;
            let j = cost(&net, train.x.view(), y.view(), LAMBDA, Loss::CrossEntropy)?;
            runs.push(Misled {
                gradient: gradient_name,
                optimiser: optimiser_name,
                evaluations,
                scored: Scored::judge(net, j, train, test)?,
            });
        }
    }
    Ok(runs)
}
// ANCHOR_END: train_with_each_gradient

fn report_training_with_each_gradient(runs: &[Misled]) {
    println!("The digits network trained with each gradient (λ = {LAMBDA}, the same start):");
    println!(
        "  gradient             optimiser            evaluations   final J    training   held-out"
    );
    for run in runs {
        println!(
            "  {:<20} {:<18}   {:>11}   {:.6}   {:>7.2}%   {:>7.2}%",
            run.gradient,
            run.optimiser,
            run.evaluations,
            run.scored.final_cost,
            100.0 * run.scored.train,
            100.0 * run.scored.test
        );
    }
}

/// Gradient descent, Θ ← Θ − αD with α = 1, for 200 iterations, with any gradient. Returns the
/// network and how many gradients it evaluated.
fn descend_with(
    gradient: CostAndGradient,
    mut net: Network,
    x: &Array2<f64>,
    y: &Array2<f64>,
) -> backprop_book::Result<(Network, usize)> {
    for _ in 0..DESCENT_ITERATIONS {
        net = net.step(&gradient(&net, x.view(), y.view(), LAMBDA)?.1, 1.0)?;
    }
    Ok((net, DESCENT_ITERATIONS))
}

/// The library's conjugate gradient fed any gradient, for CG_ITERATIONS iterations. Returns the
/// best point found and how many evaluations it took.
fn conjugate_gradient_with(
    gradient: CostAndGradient,
    net: Network,
    x: &Array2<f64>,
    y: &Array2<f64>,
) -> backprop_book::Result<(Network, usize)> {
    let (trained, _, evaluations) =
        optimize::conjugate_gradient_with(gradient, &net, x, y, LAMBDA, CG_ITERATIONS, |_, _| {})?;
    Ok((trained, evaluations))
}

// ANCHOR: transposed
/// A [2, 3, 1] network (Θ^(1) is 3×3) trained on XNOR, then the same network with Θ^(1)ᵀ.
/// Returns the largest change of an output.
fn transposed() -> backprop_book::Result<f64> {
    println!("\n7. Replacing a square Θ^(1) by its transpose");
    let (x, y) = xnor();
    let start = random_start(&[2, 3, 1], 4)?;
    let (net, _) = descent(1.0, 5000, 0.0, 5000).run(start, x.view(), y.view())?;
    let [theta1, theta2] = [&net.thetas()[0], &net.thetas()[1]];
    let swapped = Network::new(
        vec![theta1.t().to_owned(), theta2.clone()],
        Activation::Sigmoid,
    )?;
    println!(
        "A [2, 3, 1] network trained on XNOR; Θ^(1) is {}×{}, so Θ^(1)ᵀ fits in its place:",
        theta1.nrows(),
        theta1.ncols()
    );
    let (before, after) = (
        net.predict_proba(x.view())?,
        swapped.predict_proba(x.view())?,
    );
    println!("  x        with Θ^(1)   with Θ^(1)ᵀ");
    for (i, row) in x.rows().into_iter().enumerate() {
        println!(
            "  ({}, {})   {:>10.4}   {:>11.4}",
            row[0],
            row[1],
            before[[i, 0]],
            after[[i, 0]]
        );
    }
    let change = (&before - &after)
        .iter()
        .fold(0.0_f64, |a, d| a.max(d.abs()));
    println!("  largest change of an output: {change:.4}");
    Ok(change)
}
// ANCHOR_END: transposed

/// Everything the verdicts are drawn from.
struct Evidence {
    starts: Vec<f64>,
    curves: Vec<Curve>,
    sweep: Vec<SweepPoint>,
    checks: Vec<f64>,
    misled: Vec<Misled>,
    change: f64,
}

/// Each statement of quiz questions 4 and 5, judged by the runs above.
fn verdicts(e: &Evidence) {
    println!("\nQuiz questions 4 and 5, each statement judged by the runs above:");
    let verdict = |label: &str, holds: bool, why: String| {
        println!(
            "  {label} {:<5} {why}",
            if holds { "true" } else { "false" }
        );
    };
    let no_penalty = &e.sweep[0];
    let best = e
        .sweep
        .iter()
        .max_by(|a, b| a.test.total_cmp(&b.test))
        .expect("a sweep");
    let largest = e.sweep.last().expect("a sweep");
    verdict(
        "4a",
        largest.test > best.test - 0.05,
        format!(
            "large λ harmless: λ = {} leaves {:.1}% held out, λ = {} gave {:.1}%",
            largest.lambda,
            100.0 * largest.test,
            best.lambda,
            100.0 * best.test
        ),
    );
    let held_out = |gradient: &str, optimiser: &str| {
        e.misled
            .iter()
            .find(|r| r.gradient == gradient && r.optimiser == optimiser)
            .expect("every combination was run")
            .scored
            .test
    };
    let (good, bad) = (
        held_out("backpropagation", "conjugate gradient"),
        held_out("the notes' formula", "conjugate gradient"),
    );
    verdict(
        "4b",
        bad > good - 0.05,
        format!(
            "checking only matters for gradient descent: conjugate gradient with a wrong gradient {:.2}% against {:.2}%",
            100.0 * bad,
            100.0 * good
        ),
    );
    verdict(
        "4c",
        e.checks[0] < 1e-9 && e.checks[1..].iter().all(|&d| d > 1e-3),
        format!(
            "checking finds bugs: {:.2e} for backpropagation, {:.2e} and {:.2e} for the notes' gradients",
            e.checks[0], e.checks[1], e.checks[2]
        ),
    );
    verdict(
        "4d",
        best.test > no_penalty.test,
        format!(
            "raise λ when over-fitting: held-out {:.1}% at λ = 0, {:.1}% at λ = {}",
            100.0 * no_penalty.test,
            100.0 * best.test,
            best.lambda
        ),
    );
    verdict(
        "5a",
        e.change < 1e-9,
        format!(
            "Θ^(1)ᵀ computes the same function: an output moved by {:.4}",
            e.change
        ),
    );
    let rose_at_once: Vec<String> = e
        .curves
        .iter()
        .filter(|c| c.costs[1] > c.costs[0])
        .map(|c| c.rate.to_string())
        .collect();
    let steady: Vec<String> = e
        .curves
        .iter()
        .filter(|c| c.rises() == 0)
        .map(|c| c.rate.to_string())
        .collect();
    verdict(
        "5b",
        !rose_at_once.is_empty() && !steady.is_empty(),
        format!(
            "rising J can mean α is too large: J rose at once with α = {}, never with α = {}",
            rose_at_once.join(" and "),
            steady.join(" and ")
        ),
    );
    let lowest = e
        .curves
        .iter()
        .min_by(|a, b| a.last().total_cmp(&b.last()))
        .expect("curves");
    let largest_rate = e.curves.last().expect("curves");
    let stuck = e.starts.iter().filter(|&&j| j > 0.1).count();
    verdict(
        "5c",
        largest_rate.last() <= lowest.last(),
        format!(
            "a huge α only speeds things up: α = {} ends at J = {:.3}, α = {} at {:.3}; {stuck} of {} XNOR starts got stuck",
            largest_rate.rate,
            largest_rate.last(),
            lowest.rate,
            lowest.last(),
            e.starts.len()
        ),
    );
    verdict(
        "5d",
        lowest.rises() == 0,
        format!(
            "plot J and check it decreases: the run ending lowest (α = {}) never rose",
            lowest.rate
        ),
    );
}

/// J per iteration for each learning rate, log scale.
fn draw_learning_rates(root: &DrawingArea<SVGBackend<'_>, Shift>, curves: &[Curve]) -> DrawResult {
    let top = curves
        .iter()
        .flat_map(|c| c.costs.iter().copied())
        .fold(1.0_f64, f64::max)
        * 2.0;
    let mut chart = ChartBuilder::on(root)
        .caption(
            "gradient descent on [64, 25, 10]: J per iteration",
            ("sans-serif", 18),
        )
        .margin(12)
        .margin_right(24)
        .x_label_area_size(32)
        .y_label_area_size(52)
        .build_cartesian_2d(0..DESCENT_ITERATIONS, (1.0..top).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("iteration")
        .y_desc("J (log scale)")
        .draw()?;
    for (curve, colour) in curves.iter().zip(PALETTE) {
        chart
            .draw_series(LineSeries::new(
                curve.costs.iter().enumerate().map(|(k, &j)| (k, j)),
                colour.stroke_width(2),
            ))?
            .label(format!("α = {}", curve.rate))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], colour.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .position(SeriesLabelPosition::UpperRight)
        .draw()?;
    Ok(())
}

/// Training and held-out accuracy for each λ, the λs evenly spaced.
fn draw_lambda_sweep(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    sweep: &[SweepPoint],
) -> DrawResult {
    let labels: Vec<String> = sweep.iter().map(|p| p.lambda.to_string()).collect();
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("two moons, [2, {MOONS_HIDDEN}, 2]: accuracy against λ"),
            ("sans-serif", 18),
        )
        .margin(12)
        .margin_right(24)
        .x_label_area_size(32)
        .y_label_area_size(52)
        .build_cartesian_2d(-0.5..(sweep.len() as f64 - 0.5), 70.0..100.0)?;
    chart
        .configure_mesh()
        .x_desc("λ")
        .y_desc("accuracy (%)")
        .x_labels(sweep.len())
        .x_label_formatter(&|v| {
            let i = v.round();
            if (v - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .draw()?;
    let series = [
        (
            "training",
            PALETTE[0],
            sweep.iter().map(|p| p.train).collect::<Vec<_>>(),
        ),
        (
            "held-out",
            PALETTE[1],
            sweep.iter().map(|p| p.test).collect(),
        ),
    ];
    for (name, colour, values) in series {
        let points: Vec<(f64, f64)> = values
            .iter()
            .enumerate()
            .map(|(i, &v)| (i as f64, 100.0 * v))
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))?
            .label(name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], colour.stroke_width(2)));
        chart.draw_series(
            points
                .into_iter()
                .map(|p| Circle::new(p, 4, colour.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .position(SeriesLabelPosition::LowerLeft)
        .draw()?;
    Ok(())
}
