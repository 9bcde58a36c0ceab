//! Chapter 9: putting it together: the architecture, the training recipe, local minima, and the
//! course's quiz questions 4 and 5, each statement answered by a run.
//! `cargo run --release --example ch9_putting_together [-- --out DIR]`

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

mod answers;
mod figures;
mod quiz;

use backprop_book::Result;
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
    self, CostAndGradient, Trained, Training, backpropagation, conjugate_gradient, notes_code,
    notes_formula,
};
use backprop_book::train::Descent;
use backprop_book::unroll::unroll;
use clap::Parser;
use ndarray::{Array2, ArrayView2};

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
        let out = Args::parse().out.resolve("ch9_putting_together")?;
        let clock = Instant::now();
        let (train, test) = digit_split()?;
        // The two longest experiments need nothing from the others: they run on other cores
        // while this thread does the rest, and are printed in their place.
        std::thread::scope(|scope| {
            let sweep = scope.spawn(|| lambda_sweep(MOONS_POINTS, &LAMBDAS));
            let more = scope.spawn(answers::more_points_sweep);
            let misled = scope.spawn(|| train_with_each_gradient(&train, &test));
            choosing_the_architecture(&train, &test)?;
            the_recipe(&train, &test)?;
            let starts = not_convex(&train, &test)?;
            let curves = the_learning_rate(&train, &out)?;
            let sweep = lambda_against_over_fitting(sweep.join().expect("no panic"), &out)?;
            let (checks, misled) = whatever_the_optimiser(misled.join().expect("no panic"))?;
            let change = transposing_theta1()?;
            cli::section("quiz");
            quiz::verdicts(&quiz::Evidence {
                starts,
                curves,
                sweep,
                checks,
                misled,
                change,
            });
            answers::more_points(more.join().expect("no panic"))?;
            answers::rate_five(&train)?;
            answers::bias_regularised(&train, &test)?;
            answers::three_hidden_units()?;
            eprintln!("chapter 9 ran in {:.2} s", clock.elapsed().as_secs_f64());
            Ok(())
        })
    })
}

/// The UCI digits, shuffled (seeded): the first 200 for training, the other 1,597 held out.
fn digit_split() -> Result<(Digits, Digits)> {
    let all = digits::uci_digits();
    let (train, test) = all.shuffled_split(TRAINING_IMAGES, 9)?;
    println!(
        "Data: {}: {} for training, {} held out.",
        all.source,
        train.x.nrows(),
        test.x.nrows()
    );
    Ok((train, test))
}

// ANCHOR: start
/// Step 1 of the recipe: small random weights, uniform in (−ε, ε) with the course's
/// ε = √6 / √(s_l + s_{l+1}) for each Θ^(l), sigmoid units throughout.
fn random_start(sizes: &[usize], seed: u64) -> Result<Network> {
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
    fn judge(net: Network, final_cost: f64, train: &Digits, test: &Digits) -> Result<Self> {
        Ok(Scored {
            train: net.accuracy(train.x.view(), &train.classes)?,
            test: net.accuracy(test.x.view(), &test.classes)?,
            net,
            final_cost,
        })
    }
}

/// Section 1: every candidate trained the same way, with its size and scores.
fn choosing_the_architecture(train: &Digits, test: &Digits) -> Result<()> {
    cli::section("architectures");
    let (features, classes) = (train.x.ncols(), train.class_names.len());
    println!("\n1. Choosing the architecture");
    println!("Input units = {features} features (pixels), output units = {classes} classes.");
    println!("Conjugate gradient, {CG_ITERATIONS} iterations, λ = {LAMBDA}, seed {SEED} for each:");
    println!("  layers             parameters   final J    training   held-out");
    for (sizes, run) in CANDIDATES.iter().zip(architectures(train, test)?) {
        println!(
            "  {:<18} {:>10}   {:.6}   {:>7.2}%   {:>7.2}%",
            format!("{sizes:?}"),
            run.net.parameters(),
            run.final_cost,
            100.0 * run.train,
            100.0 * run.test
        );
    }
    Ok(())
}

// ANCHOR: architectures
/// Input units = features (64 pixels), output units = classes (10 digits): only the hidden
/// layers are a choice.
const CANDIDATES: [&[usize]; 7] = [
    &[64, 2, 10],
    &[64, 5, 10],
    &[64, 10, 10],
    &[64, 25, 10],
    &[64, 50, 10],
    &[64, 100, 10],
    &[64, 25, 25, 10],
];

/// Every candidate is trained the same way from the same seed.
fn architectures(train: &Digits, test: &Digits) -> Result<Vec<Scored>> {
    let train_one = |sizes: &&[usize]| train_digits(sizes, SEED, train, test);
    CANDIDATES.iter().map(train_one).collect()
}

/// Trains `sizes` on the digits with the library's conjugate gradient from `random_start`.
fn train_digits(sizes: &[usize], seed: u64, train: &Digits, test: &Digits) -> Result<Scored> {
    let y = one_hot(&train.classes, 10)?;
    let start = random_start(sizes, seed)?;
    let (net, costs) = conjugate_gradient(&start, &train.x, &y, LAMBDA, CG_ITERATIONS, |_, _| {})?;
    Scored::judge(net, costs[costs.len() - 1], train, test)
}
// ANCHOR_END: architectures

/// Section 2: the recipe's seven steps, and what each produced.
fn the_recipe(train: &Digits, test: &Digits) -> Result<()> {
    cli::section("recipe");
    println!("\n2. The training recipe, step by step, for [64, 25, 10]");
    let r = recipe(train, test)?;
    let [t1, t2] = [&r.start.thetas()[0], &r.start.thetas()[1]];
    println!(
        "  1. random initialisation: Θ^(1) {}×{} uniform in ±{:.4}, Θ^(2) {}×{} uniform in ±{:.4}",
        t1.nrows(),
        t1.ncols(),
        init::epsilon_for(25, 64),
        t2.nrows(),
        t2.ncols(),
        init::epsilon_for(10, 25)
    );
    let (low, high) =
        r.h.iter()
            .fold((1.0_f64, 0.0_f64), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let (m, k) = r.h.dim();
    println!(
        "  2. forward propagation: h_Θ(X) is {m}×{k}, every output between {low:.4} and {high:.4}"
    );
    println!("  3. cost: J(Θ) = {:.6} with λ = {LAMBDA}, m = {m}", r.j);
    let [d1, d2] = [&r.d[0], &r.d[1]];
    println!(
        "  4. backpropagation: D^(1) {}×{} and D^(2) {}×{}, all {} partial derivatives in one pass",
        d1.nrows(),
        d1.ncols(),
        d2.nrows(),
        d2.ncols(),
        r.start.parameters()
    );
    let c = &r.checks;
    println!(
        "  5. gradient checking: debugging network (λ = 3) below 1e-9: {}; {} parameters of this one below 1e-7: {}",
        c.debugging < 1e-9,
        c.picked,
        c.part < 1e-7
    );
    println!(
        "     a full check would take {} cost evaluations: switched off from here on",
        2 * r.start.parameters()
    );
    println!(
        "  6. optimisation: conjugate gradient, {CG_ITERATIONS} iterations, J from {:.6} to {:.6}",
        r.costs[0],
        r.costs[r.costs.len() - 1]
    );
    println!(
        "  7. judging: training accuracy {:.2}%, held-out accuracy {:.2}% on {} images",
        100.0 * r.judged.0,
        100.0 * r.judged.1,
        test.x.nrows()
    );
    Ok(())
}

/// What each step of the recipe produced.
struct Recipe {
    start: Network,
    h: Array2<f64>,
    j: f64,
    d: Vec<Array2<f64>>,
    checks: Checks,
    costs: Vec<f64>,
    /// Training and held-out accuracy.
    judged: (f64, f64),
}

// ANCHOR: recipe
/// The recipe in order, for the [64, 25, 10] network: one call per step.
fn recipe(train: &Digits, test: &Digits) -> Result<Recipe> {
    let (x, y) = (train.x.view(), one_hot(&train.classes, 10)?);
    // 1. random initialisation
    let start = random_start(&[64, 25, 10], SEED)?;
    // 2. forward propagation
    let h = start.predict_proba(x)?;
    // 3. the cost
    let j = cost(&start, x, y.view(), LAMBDA, Loss::CrossEntropy)?;
    // 4. backpropagation
    let (_, d) = cost_and_gradient(&start, x, y.view(), LAMBDA, Loss::CrossEntropy)?;
    // 5. gradient checking, then never again
    let checks = gradient_checks(&start, x, y.view())?;
    // 6. optimisation
    let (trained, costs) =
        conjugate_gradient(&start, &train.x, &y, LAMBDA, CG_ITERATIONS, |_, _| {})?;
    // 7. judging, on the training images and on held-out ones
    let judged = (
        trained.accuracy(x, &train.classes)?,
        trained.accuracy(test.x.view(), &test.classes)?,
    );
    Ok(Recipe {
        start,
        h,
        j,
        d,
        checks,
        costs,
        judged,
    })
}
// ANCHOR_END: recipe

/// The relative differences step 5 found.
struct Checks {
    debugging: f64,
    picked: usize,
    part: f64,
}

// ANCHOR: gradient_checks
/// Step 5: the whole gradient of the small debugging network, and every 97th partial
/// derivative of this one; all of them would cost two evaluations of J each.
fn gradient_checks(net: &Network, x: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<Checks> {
    let small = debug_problem()?;
    let (sx, sy) = (small.x.view(), small.y.view());
    let whole = check_network(&small.net, sx, sy, 3.0, Loss::CrossEntropy, 1e-4)?;
    let picks: Vec<usize> = (0..net.parameters()).step_by(97).collect();
    let part = check_subset(net, x, y, LAMBDA, Loss::CrossEntropy, 1e-4, &picks)?;
    Ok(Checks {
        debugging: whole.relative_difference(),
        picked: picks.len(),
        part: part.relative_difference(),
    })
}
// ANCHOR_END: gradient_checks

/// Full-batch gradient descent on the cross-entropy, recording J every `record_every` epochs.
fn descent(rate: f64, epochs: usize, lambda: f64, record_every: usize) -> Descent {
    Descent {
        lambda,
        record_every,
        ..Descent::new(Loss::CrossEntropy, rate, epochs)
    }
}

/// Section 3: XNOR from ten starts, the digits from five. Returns XNOR's final costs.
fn not_convex(train: &Digits, test: &Digits) -> Result<Vec<f64>> {
    cli::section("starts");
    println!("\n3. J is not convex: one network, several random starts");
    let runs = xnor_starts(&[2, 2, 1])?;
    report_xnor_starts(&[2, 2, 1], &runs);
    println!(
        "The digits network [64, 25, 10] from five starts (conjugate gradient, λ = {LAMBDA}):"
    );
    println!("  seed   final J    training   held-out");
    for (seed, run) in digits_starts(train, test)?.iter().enumerate() {
        println!(
            "  {seed:>4}   {:.6}   {:>7.2}%   {:>7.2}%",
            run.final_cost,
            100.0 * run.train,
            100.0 * run.test
        );
    }
    Ok(runs.iter().map(|run| run.costs[5]).collect())
}

/// One XNOR run: its seed, J every 1000 iterations, and its outputs at the end.
struct XnorRun {
    seed: u64,
    costs: Vec<f64>,
    h: Array2<f64>,
}

// ANCHOR: several_starts
/// The same network and data from different random starts: where does each run end? XNOR's
/// network from ten starts, weights uniform in (−1, 1), J recorded every 1000 iterations.
fn xnor_starts(sizes: &[usize]) -> Result<Vec<XnorRun>> {
    let (x, y) = xnor();
    let mut runs = Vec::new();
    for seed in 0..10 {
        let start = init::uniform_network(sizes, 1.0, &mut rng(seed))?;
        let (net, costs) = descent(1.0, 5000, 0.0, 1000).run(start, x.view(), y.view())?;
        let h = net.predict_proba(x.view())?;
        runs.push(XnorRun { seed, costs, h });
    }
    Ok(runs)
}

/// The digits network from five starts, each trained as the candidate architectures were.
fn digits_starts(train: &Digits, test: &Digits) -> Result<Vec<Scored>> {
    let train_one = |seed| train_digits(&[64, 25, 10], seed, train, test);
    (0..5).map(train_one).collect()
}
// ANCHOR_END: several_starts

/// The XNOR runs' table: J after 1000 and 5000 iterations, the four outputs, how many right.
fn report_xnor_starts(sizes: &[usize], runs: &[XnorRun]) {
    let (_, y) = xnor();
    println!("A {sizes:?} network on XNOR, weights uniform in (−1, 1), gradient descent, α = 1:");
    println!("  seed   J after 1000   J after 5000   h_Θ(x) at (0,0) (0,1) (1,0) (1,1)   right");
    for run in runs {
        let right = run
            .h
            .iter()
            .zip(&y)
            .filter(|(h, y)| (**h > 0.5) == (**y > 0.5))
            .count();
        let outputs: Vec<String> = run.h.iter().map(|v| format!("{v:.3}")).collect();
        println!(
            "  {:>4}   {:>12.6}   {:>12.6}   {:>31}   {right} of 4",
            run.seed,
            run.costs[1],
            run.costs[5],
            outputs.join(" ")
        );
    }
}

/// J per iteration of gradient descent for one learning rate.
struct Curve {
    rate: f64,
    costs: Vec<f64>,
    /// Training accuracy at the end.
    training: f64,
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

/// Section 4: the learning rates' table and figure, then the rate that overflows.
fn the_learning_rate(train: &Digits, out: &Path) -> Result<Vec<Curve>> {
    cli::section("learning_rates");
    println!("\n4. The learning rate α: J(Θ) per iteration of gradient descent");
    println!("The digits network [64, 25, 10], λ = {LAMBDA}, the same start for every α:");
    let curves = learning_rates(train)?;
    print_curves(&curves);
    match learning_curve(HUGE_RATE, train) {
        Ok(_) => println!("  α = {HUGE_RATE}: trained without overflowing"),
        Err(e) => println!("  α = {HUGE_RATE}: the library stops the run: {e}"),
    }
    figures::learning_rates(out, &curves)?;
    Ok(curves)
}

// ANCHOR: learning_rates
/// Gradient descent on the digits network from one start, with each learning rate.
fn learning_rates(train: &Digits) -> Result<Vec<Curve>> {
    RATES
        .iter()
        .map(|&rate| learning_curve(rate, train))
        .collect()
}

/// J after every iteration of Θ := Θ − αD with α = `rate`, from the digits network's start.
fn learning_curve(rate: f64, train: &Digits) -> Result<Curve> {
    let (x, y) = (train.x.view(), one_hot(&train.classes, 10)?);
    let start = random_start(&[64, 25, 10], SEED)?;
    let (net, costs) = descent(rate, DESCENT_ITERATIONS, LAMBDA, 1).run(start, x, y.view())?;
    let training = net.accuracy(x, &train.classes)?;
    Ok(Curve {
        rate,
        costs,
        training,
    })
}
// ANCHOR_END: learning_rates

/// The learning rates' table: J at a few iterations, how often it rose, training accuracy.
fn print_curves(curves: &[Curve]) {
    let shown = [0, 1, 2, 5, 10, 50, 100, DESCENT_ITERATIONS];
    let header: Vec<String> = shown
        .iter()
        .map(|k| format!("{:>8}", format!("J({k})")))
        .collect();
    println!("  {:>5} {}   rises   training", "α", header.join(" "));
    for curve in curves {
        let values: Vec<String> = shown
            .iter()
            .map(|&k| format!("{:>8.3}", curve.costs[k]))
            .collect();
        println!(
            "  {:>5} {}   {:>5}   {:>7.2}%",
            curve.rate,
            values.join(" "),
            curve.rises(),
            100.0 * curve.training
        );
    }
}

/// Section 5: the λ sweep's table and figure.
fn lambda_against_over_fitting(
    sweep: Result<Vec<SweepPoint>>,
    out: &Path,
) -> Result<Vec<SweepPoint>> {
    cli::section("lambda");
    println!("\n5. λ against over-fitting");
    let sweep = sweep?;
    print_sweep(MOONS_POINTS, &sweep);
    figures::lambda_sweep(out, &sweep)?;
    Ok(sweep)
}

/// One λ of the sweep and what it gave.
struct SweepPoint {
    lambda: f64,
    final_cost: f64,
    train: f64,
    test: f64,
    test_cost: f64,
}

// ANCHOR: lambda_sweep
/// Two moons: a [2, 50, 2] tanh network trained by the course's optimiser for each λ from the same
/// start, judged on its `points` training points and on 1000 held-out points.
fn lambda_sweep(points: usize, lambdas: &[f64]) -> Result<Vec<SweepPoint>> {
    let (x, classes) = moons(points, MOONS_NOISE, 1);
    let (x_test, classes_test) = moons(HELD_OUT_POINTS, MOONS_NOISE, 101);
    let (y, y_test) = (one_hot(&classes, 2)?, one_hot(&classes_test, 2)?);
    let mut sweep = Vec::new();
    for &lambda in lambdas {
        let start =
            init::scaled_normal_network(&[2, MOONS_HIDDEN, 2], Activation::Tanh, &mut rng(5))?;
        let training = Training::new(optimize::Optimiser::Fmincg, lambda, MOONS_ITERATIONS);
        let Trained { net, costs, .. } = training.run(&start, &x, &y, |_, _| {})?;
        sweep.push(SweepPoint {
            lambda,
            final_cost: costs[costs.len() - 1],
            train: net.accuracy(x.view(), &classes)?,
            test: net.accuracy(x_test.view(), &classes_test)?,
            // Without the penalty: how wrong on new points, and how confidently.
            test_cost: cost(&net, x_test.view(), y_test.view(), 0.0, Loss::CrossEntropy)?,
        });
    }
    Ok(sweep)
}
// ANCHOR_END: lambda_sweep

/// The sweep's table: final J, training and held-out accuracy, held-out J for each λ.
fn print_sweep(points: usize, sweep: &[SweepPoint]) {
    println!(
        "Two moons, {points} training points (noise {MOONS_NOISE}), {HELD_OUT_POINTS} held out; [2, {MOONS_HIDDEN}, 2] tanh,"
    );
    println!("the course's fmincg, {MOONS_ITERATIONS} iterations, the same start for every λ:");
    println!(
        "  {:>5}   final J    training   held-out   held-out J (λ = 0)",
        "λ"
    );
    for p in sweep {
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

/// Section 6: each gradient checked, then the digits network trained with the first two.
/// Returns the check's relative differences and the training runs.
fn whatever_the_optimiser(misled: Result<Vec<Misled>>) -> Result<(Vec<f64>, Vec<Misled>)> {
    cli::section("gradients");
    println!("\n6. Gradient checking, whatever the optimiser");
    println!("The debugging network, λ = 3: each gradient against the numerical one");
    let mut checks = Vec::new();
    for (name, gradient) in GRADIENTS {
        let difference = check_gradient(gradient)?;
        println!(
            "  {name:<20} relative difference {difference:.2e}   below 1e-9: {}",
            difference < 1e-9
        );
        checks.push(difference);
    }
    let misled = misled?;
    println!("The digits network trained with each gradient (λ = {LAMBDA}, the same start):");
    println!(
        "  gradient             optimiser            evaluations   final J    training   held-out"
    );
    for run in &misled {
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
    Ok((checks, misled))
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

// ANCHOR: check_gradient
/// The check compares a gradient with numerical derivatives of J on the debugging network
/// (λ = 3): no optimiser is involved. Returns the relative difference.
fn check_gradient(gradient: CostAndGradient) -> Result<f64> {
    let DebugProblem { net, x, y, .. } = debug_problem()?;
    let check = check_network(&net, x.view(), y.view(), 3.0, Loss::CrossEntropy, 1e-4)?;
    let analytic = unroll(&gradient(&net, x.view(), y.view(), 3.0)?.1);
    Ok(relative_difference(&check.numerical, &analytic))
}
// ANCHOR_END: check_gradient

/// An optimiser that takes any gradient: returns the trained network and how many times it
/// evaluated J and D.
type TrainWith =
    fn(CostAndGradient, Network, &Array2<f64>, &Array2<f64>) -> Result<(Network, usize)>;

/// One training run of the digits network with a given gradient and optimiser.
struct Misled {
    gradient: &'static str,
    optimiser: &'static str,
    evaluations: usize,
    scored: Scored,
}

// ANCHOR: train_with_each_gradient
/// The two optimisers, each able to follow any gradient.
const OPTIMISERS: [(&str, TrainWith); 2] = [
    ("gradient descent", by_gradient_descent),
    ("conjugate gradient", by_conjugate_gradient),
];

/// The digits network from the same start, trained by gradient descent and by conjugate
/// gradient, each fed backpropagation's gradient and then the notes' formula.
fn train_with_each_gradient(train: &Digits, test: &Digits) -> Result<Vec<Misled>> {
    let mut runs = Vec::new();
    for (gradient_name, gradient) in &GRADIENTS[..2] {
        for (optimiser_name, optimiser) in OPTIMISERS {
            let (evaluations, scored) = train_with(*gradient, optimiser, train, test)?;
            runs.push(Misled {
                gradient: gradient_name,
                optimiser: optimiser_name,
                evaluations,
                scored,
            });
        }
    }
    Ok(runs)
}
// ANCHOR_END: train_with_each_gradient

// ANCHOR: train_with
/// Trains the digits network from its start by `optimiser` fed `gradient`, and judges it by
/// the true J. Returns how many evaluations it took, and the scores.
fn train_with(
    gradient: CostAndGradient,
    optimiser: TrainWith,
    train: &Digits,
    test: &Digits,
) -> Result<(usize, Scored)> {
    let (x, y) = (train.x.view(), one_hot(&train.classes, 10)?);
    let start = random_start(&[64, 25, 10], SEED)?;
    let (net, evaluations) = optimiser(gradient, start, &train.x, &y)?;
    let j = cost(&net, x, y.view(), LAMBDA, Loss::CrossEntropy)?;
    Ok((evaluations, Scored::judge(net, j, train, test)?))
}
// ANCHOR_END: train_with

/// Gradient descent, Θ ← Θ − αD with α = 1, for 200 iterations, with any gradient. Returns the
/// network and how many gradients it evaluated.
fn by_gradient_descent(
    gradient: CostAndGradient,
    mut net: Network,
    x: &Array2<f64>,
    y: &Array2<f64>,
) -> Result<(Network, usize)> {
    for _ in 0..DESCENT_ITERATIONS {
        net = net.step(&gradient(&net, x.view(), y.view(), LAMBDA)?.1, 1.0)?;
    }
    Ok((net, DESCENT_ITERATIONS))
}

/// The library's conjugate gradient fed any gradient, for CG_ITERATIONS iterations. Returns the
/// best point found and how many evaluations it took.
fn by_conjugate_gradient(
    gradient: CostAndGradient,
    net: Network,
    x: &Array2<f64>,
    y: &Array2<f64>,
) -> Result<(Network, usize)> {
    let (trained, _, evaluations) =
        optimize::conjugate_gradient_with(gradient, &net, x, y, LAMBDA, CG_ITERATIONS, |_, _| {})?;
    Ok((trained, evaluations))
}

/// Section 7: the trained XNOR network's outputs with Θ^(1) and with Θ^(1)ᵀ. Returns the
/// largest change of an output.
fn transposing_theta1() -> Result<f64> {
    cli::section("transposed");
    println!("\n7. Replacing a square Θ^(1) by its transpose");
    let (net, swapped) = transposed()?;
    let theta1 = &net.thetas()[0];
    println!(
        "A [2, 3, 1] network trained on XNOR; Θ^(1) is {}×{}, so Θ^(1)ᵀ fits in its place:",
        theta1.nrows(),
        theta1.ncols()
    );
    let (x, _) = xnor();
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
    let change = net.largest_output_change(&swapped, x.view())?;
    println!("  largest change of an output: {change:.4}");
    Ok(change)
}

// ANCHOR: transposed
/// A [2, 3, 1] network (Θ^(1) is 3×3) trained on XNOR, and the same network with Θ^(1)ᵀ.
fn transposed() -> Result<(Network, Network)> {
    let (x, y) = xnor();
    let start = random_start(&[2, 3, 1], 4)?;
    let (net, _) = descent(1.0, 5000, 0.0, 5000).run(start, x.view(), y.view())?;
    let [theta1, theta2] = [&net.thetas()[0], &net.thetas()[1]];
    let swapped = Network::new(
        vec![theta1.t().to_owned(), theta2.clone()],
        Activation::Sigmoid,
    )?;
    Ok((net, swapped))
}
// ANCHOR_END: transposed
