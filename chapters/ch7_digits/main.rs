//! Chapter 7: handwritten digits, the course's exercise 4.
//! `cargo run --release --example ch7_digits [-- --data DIR] [-- --out DIR]`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use backprop_book::activation::Activation;
use backprop_book::cli::{self, OutDir};
use backprop_book::cost::{Loss, cost, one_hot};
use backprop_book::data::rng;
use backprop_book::digits::{self, Digits, EX4_DATA, EX4_WEIGHTS};
use backprop_book::gradcheck::{self, Check, DebugProblem, check_network, check_subset};
use backprop_book::init;
use backprop_book::network::Network;
use backprop_book::optimize::{Optimiser, Trained, Training};
use backprop_book::plot::diagram::NetworkDiagram;
use backprop_book::plot::{self, DrawResult};
use backprop_book::report::classification_report;
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use ndarray::{Array2, s};
use plotters::prelude::*;
use rand::seq::SliceRandom;

mod answers;

/// Chapter 7: the course's digits network (400-25-10), or 64-25-10 on the UCI 8×8 digits when
/// the course's ex4data1.mat is not found.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    out: OutDir,
    /// Folder holding ex4data1.mat (and ex4weights.mat) [default: $BACKPROP_BOOK_DATA, then ./data]
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
}

// ANCHOR: settings
const HIDDEN_UNITS: usize = 25;
const LAMBDA: f64 = 1.0;
const EPSILON_INIT: f64 = 0.12;
const SHORT_RUN: usize = 50;
const LONG_RUN: usize = 400;
// ANCHOR_END: settings

fn main() -> ExitCode {
    cli::run(|| {
        let args = Args::parse();
        let out = args.out.resolve("ch7_digits")?;
        let weights = digits::locate(EX4_WEIGHTS, args.data.as_deref());
        match digits::locate(EX4_DATA, args.data.as_deref()) {
            Ok(path) => course(&path, weights, &out),
            Err(missing) => {
                say_which_data(&weights, &missing)?;
                let (train, test) = uci_split();
                let short = pipeline(&train, Some(&test), &out, "")?;
                network_shape(&out)?;
                answers::all(&train, &test, &short)
            }
        }
    })
}

/// Without the course's data: where it was looked for (stderr), and what runs instead.
fn say_which_data(
    weights: &backprop_book::Result<PathBuf>,
    missing: &backprop_book::Error,
) -> backprop_book::Result<()> {
    if let Ok(weights) = weights {
        println!("{}", digits::provenance(EX4_WEIGHTS, weights)?);
        println!("It is used only with the course's {EX4_DATA}.\n");
    }
    eprintln!("{missing}");
    println!(
        "The course's {EX4_DATA} (X 5000×400, y 5000×1) was not found (stderr says where it was"
    );
    println!(
        "looked for and where to put it), so this run uses the UCI 8×8 digits bundled with smartcore:"
    );
    println!(
        "the same pipeline, a 64-25-10 network instead of the course's 400-25-10 (Theta1 25×401, Theta2 10×26).\n"
    );
    Ok(())
}

/// The default run's data: the UCI digits, split 80/20 into training and held-out sets (seeded).
fn uci_split() -> (Digits, Digits) {
    let all = digits::uci_digits();
    let (train, test) = all
        .shuffled_split(all.x.nrows() * 4 / 5, 7)
        .expect("80% of the examples exist");
    println!(
        "Data: {}: {} images, {} for training and {} held out.",
        all.source,
        all.x.nrows(),
        train.x.nrows(),
        test.x.nrows()
    );
    (train, test)
}

/// The course's 400-25-10 network, drawn schematically: a few units of each layer stand for all.
fn network_shape(out: &Path) -> backprop_book::Result<()> {
    let captions = [
        "400 pixels (20 × 20)",
        "25 hidden units",
        "10 outputs, one per digit",
    ];
    let mut d = NetworkDiagram::new(&[400, 25, 10], &captions, 5);
    for (j, name) in [(1, "x1"), (2, "x2"), (3, "x3"), (4, "x4"), (400, "x400")] {
        d.label_unit(0, j, name);
    }
    for (j, name) in [(1, "1"), (2, "2"), (3, "3"), (4, "4"), (10, "10: 0")] {
        d.label_unit(2, j, name);
    }
    d.label_unit(1, 25, "25");
    plot::save_svg(out, "network_shape.svg", (760, 420), |root| d.draw(root))?;
    Ok(())
}

/// The course's data, with the course's reference numbers where its weights are found too.
fn course(
    path: &Path,
    weights: backprop_book::Result<PathBuf>,
    out: &Path,
) -> backprop_book::Result<()> {
    println!("{}", digits::provenance(EX4_DATA, path)?);
    if let Ok(weights) = &weights {
        println!("{}", digits::provenance(EX4_WEIGHTS, weights)?);
    }
    let data = digits::load_course_data(path)?;
    println!(
        "Data: {}: X {}×{}, labels 1..10 (10 is the digit 0).",
        data.source,
        data.x.nrows(),
        data.x.ncols()
    );
    match weights {
        Ok(weights) => given_weights(&data, &weights, out)?,
        Err(missing) => println!("{missing}\nSkipping the costs of the course's trained weights."),
    }
    pipeline(&data, None, out, "course_").map(|_| ())
}

/// What the course's trained weights give on its data.
struct Given {
    /// J(Θ) for λ = 0, 1, 3.
    costs: [f64; 3],
    accuracy: f64,
    /// J at λ = 1 with the bias column regularised too: the commonest mistake's number.
    bias_regularised: f64,
}

// ANCHOR: given_weights
/// The course's checks with its trained weights: J for λ = 0, 1, 3, the training accuracy, and
/// what J at λ = 1 becomes when the bias column is regularised too.
fn given_numbers(net: &Network, data: &Digits) -> backprop_book::Result<Given> {
    let y = one_hot(&data.classes, 10)?;
    let j = |lambda| cost(net, data.x.view(), y.view(), lambda, Loss::CrossEntropy);
    let costs = [j(0.0)?, j(1.0)?, j(3.0)?];
    let accuracy = net.accuracy(data.x.view(), &data.classes)?;
    let m = data.x.nrows() as f64;
    let squares = |t: &Array2<f64>| t.iter().map(|w| w * w).sum::<f64>();
    let all_squares: f64 = net.thetas().iter().map(squares).sum();
    let bias_regularised = costs[0] + 1.0 / (2.0 * m) * all_squares;
    Ok(Given {
        costs,
        accuracy,
        bias_regularised,
    })
}
// ANCHOR_END: given_weights

/// The course's trained weights: their numbers, and their hidden units drawn.
fn given_weights(data: &Digits, path: &Path, out: &Path) -> backprop_book::Result<()> {
    let [theta1, theta2] = digits::load_course_weights(path)?;
    let net = Network::new(vec![theta1.clone(), theta2], Activation::Sigmoid)?;
    let given = given_numbers(&net, data)?;
    println!("\nThe course's trained weights (Theta1 25×401, Theta2 10×26):");
    for (lambda, j) in [0.0, 1.0, 3.0].iter().zip(given.costs) {
        println!("  J(Θ) with λ = {lambda}: {j:.6}");
    }
    println!("  training accuracy: {:.2}%", 100.0 * given.accuracy);
    println!(
        "  mistake, bias column regularised too (λ = 1): {:.6}",
        given.bias_regularised
    );
    let hidden = hidden_images(&theta1, data);
    let size = plot::image_grid_size(hidden.len(), 5, data.side, 4);
    plot::save_png(out, "course_hidden_given.png", size, |root| {
        plot::draw_images(root, &hidden, 5, 4)
    })?;
    Ok(())
}

/// Each hidden unit's weights (Θ^(1) without its bias column) as an image.
fn hidden_images(theta1: &Array2<f64>, data: &Digits) -> Vec<Array2<f64>> {
    let like = |row: ndarray::ArrayView1<f64>| {
        Digits {
            x: row.to_owned().insert_axis(ndarray::Axis(0)),
            classes: vec![0],
            ..data.clone()
        }
        .image(0)
    };
    theta1
        .slice(s![.., 1..])
        .rows()
        .into_iter()
        .map(like)
        .collect()
}

/// One pipeline for either data set: pictures, gradient checks, training, three optimisers, the
/// per-class report, figures. Returns the short run, which the answers compare with.
fn pipeline(
    train: &Digits,
    test: Option<&Digits>,
    out: &Path,
    prefix: &str,
) -> backprop_book::Result<Outcome> {
    let drawn = sample_grid(train, out, prefix)?;
    println!("{prefix}digits.png: {drawn} training images, drawn at random (seeded)");
    cli::section(&format!("{prefix}checks"));
    print_debug_checks(&check_debugging_network()?);
    let (start, sample) = start_and_sample(train.x.ncols())?;
    let y = one_hot(&train.classes, 10)?;
    let check = check_sample(&start, train, &y, &sample)?;
    print_sample_check(&check, start.sizes()[0], parameters_of(&start));
    cli::section(&format!("{prefix}training"));
    let short = train_and_judge(&start, LAMBDA, train, test, SHORT_RUN)?;
    print_outcome(SHORT_RUN, LAMBDA, &short);
    let long = train_and_judge(&start, LAMBDA, train, test, LONG_RUN)?;
    print_outcome(LONG_RUN, LAMBDA, &long);
    cli::section(&format!("{prefix}optimisers"));
    let curves = compare_optimisers(&long.trained, &start, train, &y)?;
    print_optimisers(&curves);
    cli::section(&format!("{prefix}report"));
    let which = if test.is_some() {
        "held-out"
    } else {
        "training"
    };
    println!("\nAfter {LONG_RUN} iterations, per class on the {which} set:\n");
    print!("{}", per_class(&long.trained.net, test.unwrap_or(train))?);
    trained_figures(out, prefix, &curves, &long.trained.net, train)?;
    Ok(short)
}

// ANCHOR: grid
/// 100 training images chosen at random (seeded), drawn in a 10 × 10 grid the right way up.
fn sample_grid(train: &Digits, out: &Path, prefix: &str) -> backprop_book::Result<usize> {
    let mut picks: Vec<usize> = (0..train.x.nrows()).collect();
    picks.shuffle(&mut rng(1));
    let samples: Vec<Array2<f64>> = picks.iter().take(100).map(|&i| train.image(i)).collect();
    let scale = (40 / train.side) as u32;
    let size = plot::image_grid_size(samples.len(), 10, train.side, scale);
    plot::save_png(out, &format!("{prefix}digits.png"), size, |root| {
        plot::draw_images(root, &samples, 10, scale)
    })?;
    Ok(samples.len())
}
// ANCHOR_END: grid

// ANCHOR: check
/// Chapter 6's check on the course's small debugging network, without and with regularisation.
fn check_debugging_network() -> backprop_book::Result<Vec<(f64, Check)>> {
    let DebugProblem { net, x, y, .. } = gradcheck::debug_problem()?;
    let check = |lambda| check_network(&net, x.view(), y.view(), lambda, Loss::CrossEntropy, 1e-4);
    Ok(vec![(0.0, check(0.0)?), (3.0, check(3.0)?)])
}

/// The real network's random start, uniform in (−ε, ε), and, from the same seeded generator,
/// 20 of its parameters for the check: all of them would take two cost evaluations each.
fn start_and_sample(n: usize) -> backprop_book::Result<(Network, Vec<usize>)> {
    let mut r = rng(3);
    let start = init::uniform_network(&[n, HIDDEN_UNITS, 10], EPSILON_INIT, &mut r)?;
    let mut indices: Vec<usize> = (0..parameters_of(&start)).collect();
    indices.shuffle(&mut r);
    indices.truncate(20);
    Ok((start, indices))
}

/// The same check, on the sampled parameters of the real network at its start.
fn check_sample(
    start: &Network,
    train: &Digits,
    y: &Array2<f64>,
    sample: &[usize],
) -> backprop_book::Result<Check> {
    let (x, loss) = (train.x.view(), Loss::CrossEntropy);
    check_subset(start, x, y.view(), LAMBDA, loss, 1e-4, sample)
}
// ANCHOR_END: check

/// Whether each check on the debugging network passed, and what its relative difference is made of.
fn print_debug_checks(checks: &[(f64, Check)]) {
    for (lambda, check) in checks {
        println!(
            "Gradient check, debugging network, λ = {lambda}: relative difference below 1e-9: {}",
            check.relative_difference() < 1e-9
        );
        print_check_parts("debugging network", check);
    }
}

/// Whether the sampled check passed, its parts, and what a full check would cost.
fn print_sample_check(check: &Check, n: usize, parameters: usize) {
    println!(
        "Gradient check, {n}-{HIDDEN_UNITS}-10 network on the training set, 20 of its {parameters} parameters, λ = {LAMBDA}: below 1e-7: {}",
        check.relative_difference() < 1e-7
    );
    print_check_parts("20 parameters", check);
    println!(
        "  a full check would take {} cost evaluations",
        2 * parameters
    );
}

/// How many weights and biases `net` has.
fn parameters_of(net: &Network) -> usize {
    net.thetas().iter().map(|t| t.len()).sum()
}

/// What sets a check's relative difference: the size of the gradient it divides by, against the
/// absolute gaps between the two estimates.
fn print_check_parts(what: &str, check: &Check) {
    let norm = check.analytic.mapv(|v| v * v).sum().sqrt();
    let gap = (&check.numerical - &check.analytic).fold(0.0f64, |m, v| m.max(v.abs()));
    println!(
        "  {what}: relative difference {:.2e}, ‖a‖ = {norm:.2e}, largest |n − a| = {gap:.2e}",
        check.relative_difference()
    );
}

/// A training run and how well its network does on each set.
struct Outcome {
    trained: Trained,
    train_accuracy: f64,
    test_accuracy: Option<f64>,
}

// ANCHOR: training
/// `fmincg` from `start` for `iterations` iterations with regularisation `lambda`, and the
/// accuracy of the network it ends with, on the training set and on the held-out one.
fn train_and_judge(
    start: &Network,
    lambda: f64,
    train: &Digits,
    test: Option<&Digits>,
    iterations: usize,
) -> backprop_book::Result<Outcome> {
    let y = one_hot(&train.classes, 10)?;
    let trained = optimise(Optimiser::Fmincg, start, lambda, train, &y, iterations)?;
    let accuracy = |d: &Digits| trained.net.accuracy(d.x.view(), &d.classes);
    Ok(Outcome {
        train_accuracy: accuracy(train)?,
        test_accuracy: test.map(accuracy).transpose()?,
        trained,
    })
}
// ANCHOR_END: training

/// One training run's line: J from start to end, and the accuracies.
fn print_outcome(iterations: usize, lambda: f64, outcome: &Outcome) {
    let costs = &outcome.trained.costs;
    print!(
        "\n{iterations} iterations, λ = {lambda}: J from {:.6} to {:.6}; training accuracy {:.2}%",
        costs[0],
        costs[costs.len() - 1],
        100.0 * outcome.train_accuracy
    );
    if let Some(test_accuracy) = outcome.test_accuracy {
        print!(", held-out accuracy {:.2}%", 100.0 * test_accuracy);
    }
    println!();
}

// ANCHOR: compare
/// argmin's conjugate gradient and L-BFGS from the same start, with the same λ, beside the
/// course's `fmincg` (its long run, already done).
fn compare_optimisers(
    fmincg: &Trained,
    start: &Network,
    train: &Digits,
    y: &Array2<f64>,
) -> backprop_book::Result<Vec<(Optimiser, Trained)>> {
    let mut curves = vec![(Optimiser::Fmincg, fmincg.clone())];
    for optimiser in [Optimiser::ConjugateGradient, Optimiser::Lbfgs] {
        let trained = optimise(optimiser, start, LAMBDA, train, y, LONG_RUN)?;
        curves.push((optimiser, trained));
    }
    Ok(curves)
}

/// J, and the evaluations of J and ∇J so far, after `i` iterations (or at the end of a run
/// that stopped by itself before).
fn after(trained: &Trained, i: usize) -> (f64, usize) {
    let i = i.min(trained.costs.len() - 1);
    (trained.costs[i], trained.evaluations[i])
}
// ANCHOR_END: compare

/// The optimisers' table: J and evaluations after the short and the long run.
fn print_optimisers(curves: &[(Optimiser, Trained)]) {
    println!("\nThe same start and λ, each optimiser (an iteration is one line search):");
    println!(
        "  optimiser                      J after {SHORT_RUN}   evaluations   J after {LONG_RUN}   evaluations"
    );
    for (optimiser, trained) in curves {
        let ((short, short_evaluations), (long, long_evaluations)) =
            (after(trained, SHORT_RUN), after(trained, LONG_RUN));
        println!(
            "  {:<28}   {short:.6}   {short_evaluations:>11}   {long:>11.6}   {long_evaluations:>11}",
            optimiser.name()
        );
        if trained.costs.len() <= LONG_RUN {
            println!(
                "    (it stopped by itself after {} iterations)",
                trained.costs.len() - 1
            );
        }
    }
}

// ANCHOR: report
/// Per class: the precision, recall, F1 and support of `net`'s predictions on `judged`.
fn per_class(net: &Network, judged: &Digits) -> backprop_book::Result<String> {
    let predicted = net.predict(judged.x.view())?;
    Ok(classification_report(
        &predicted,
        &judged.classes,
        &judged.class_names,
    ))
}
// ANCHOR_END: report

/// The cost curves of the three optimisers and the trained network's hidden units.
fn trained_figures(
    out: &Path,
    prefix: &str,
    curves: &[(Optimiser, Trained)],
    trained: &Network,
    train: &Digits,
) -> backprop_book::Result<()> {
    plot::save_svg(out, &format!("{prefix}costs.svg"), (720, 380), |root| {
        draw_costs(root, curves)
    })?;
    let hidden = hidden_images(&trained.thetas()[0], train);
    let scale = (80 / train.side) as u32;
    let size = plot::image_grid_size(hidden.len(), 5, train.side, scale);
    plot::save_png(out, &format!("{prefix}hidden_trained.png"), size, |root| {
        plot::draw_images(root, &hidden, 5, scale)
    })?;
    Ok(())
}

/// `iterations` iterations of `optimiser` from `start`, with a progress bar on stderr.
fn optimise(
    optimiser: Optimiser,
    start: &Network,
    lambda: f64,
    data: &Digits,
    y: &Array2<f64>,
    iterations: usize,
) -> backprop_book::Result<Trained> {
    let bar = ProgressBar::new(iterations as u64).with_style(
        ProgressStyle::with_template("{prefix} [{bar:40}] {pos}/{len} J = {msg}")
            .expect("a valid template"),
    );
    bar.set_prefix(optimiser.name());
    let shown = bar.clone();
    let trained =
        Training::new(optimiser, lambda, iterations).run(start, &data.x, y, move |i, j| {
            shown.set_position(i as u64 + 1);
            shown.set_message(format!("{j:.4}"));
        })?;
    bar.finish_and_clear();
    Ok(trained)
}

/// J per iteration of each optimiser's long run, on a logarithmic scale.
fn draw_costs(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    curves: &[(Optimiser, Trained)],
) -> DrawResult {
    let all = || curves.iter().flat_map(|(_, t)| t.costs.iter().copied());
    let top = all().fold(0.0, f64::max) * 1.2;
    let bottom = all().fold(f64::INFINITY, f64::min) / 1.2;
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("three optimisers from one start, λ = {LAMBDA}: J per iteration"),
            ("sans-serif", 18),
        )
        .margin(12)
        .margin_right(24)
        .x_label_area_size(32)
        .y_label_area_size(48)
        .build_cartesian_2d(0..LONG_RUN, (bottom..top).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("iteration (line search)")
        .y_desc("J")
        .draw()?;
    for ((optimiser, trained), colour) in curves.iter().zip(plot::PALETTE) {
        chart
            .draw_series(LineSeries::new(
                trained.costs.iter().copied().enumerate(),
                colour.stroke_width(2),
            ))?
            .label(optimiser.name())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], colour.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}
