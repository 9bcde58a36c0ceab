//! Chapter 7: handwritten digits, the course's exercise 4.
//! `cargo run --release --example ch7_digits [-- --data DIR] [-- --out DIR]`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use backprop_book::activation::Activation;
use backprop_book::cli::{self, OutDir};
use backprop_book::cost::{Loss, cost, one_hot};
use backprop_book::data::rng;
use backprop_book::digits::{self, Digits, EX4_DATA, EX4_WEIGHTS};
use backprop_book::gradcheck::{self, DebugProblem, check_network, check_subset};
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
                if let Ok(weights) = &weights {
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
                uci(&out)
            }
        }
    })
}

/// The default run: the UCI digits, split 80/20 into training and held-out sets (seeded).
fn uci(out: &Path) -> backprop_book::Result<()> {
    let all = digits::uci_digits();
    let mut order: Vec<usize> = (0..all.x.nrows()).collect();
    order.shuffle(&mut rng(7));
    let cut = all.x.nrows() * 4 / 5;
    let (train, test) = (all.select(&order[..cut]), all.select(&order[cut..]));
    println!(
        "Data: {}: {} images, {} for training and {} held out.",
        all.source,
        all.x.nrows(),
        train.x.nrows(),
        test.x.nrows()
    );
    pipeline(&train, Some(&test), out, "")?;
    network_shape(out)
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
    pipeline(&data, None, out, "course_")
}

// ANCHOR: given_weights
/// The course's checks with its trained weights: J for λ = 0, 1, 3, the accuracy, and what the
/// common mistakes print instead.
fn given_weights(data: &Digits, path: &Path, out: &Path) -> backprop_book::Result<()> {
    let [theta1, theta2] = digits::load_course_weights(path)?;
    let net = Network::new(vec![theta1.clone(), theta2], Activation::Sigmoid)?;
    let y = one_hot(&data.classes, 10)?;
    println!("\nThe course's trained weights (Theta1 25×401, Theta2 10×26):");
    for lambda in [0.0, 1.0, 3.0] {
        println!(
            "  J(Θ) with λ = {lambda}: {:.6}",
            cost(&net, data.x.view(), y.view(), lambda, Loss::CrossEntropy)?
        );
    }
    let accuracy = net.accuracy(data.x.view(), &data.classes)?;
    println!("  training accuracy: {:.2}%", 100.0 * accuracy);
    let m = data.x.nrows() as f64;
    let j0 = cost(&net, data.x.view(), y.view(), 0.0, Loss::CrossEntropy)?;
    let all_squares: f64 = net
        .thetas()
        .iter()
        .map(|t| t.iter().map(|w| w * w).sum::<f64>())
        .sum();
    println!(
        "  mistake, bias column regularised too (λ = 1): {:.6}",
        j0 + 1.0 / (2.0 * m) * all_squares
    );
    let hidden = hidden_images(&theta1, data);
    let size = plot::image_grid_size(hidden.len(), 5, data.side, 4);
    plot::save_png(out, "course_hidden_given.png", size, |root| {
        plot::draw_images(root, &hidden, 5, 4)
    })?;
    Ok(())
}
// ANCHOR_END: given_weights

/// What sets a check's relative difference: the size of the gradient it divides by, against the
/// absolute gaps between the two estimates.
fn sizes(what: &str, check: &gradcheck::Check) {
    let norm = check.analytic.mapv(|v| v * v).sum().sqrt();
    let gap = (&check.numerical - &check.analytic).fold(0.0f64, |m, v| m.max(v.abs()));
    println!(
        "  {what}: relative difference {:.2e}, ‖a‖ = {norm:.2e}, largest |n − a| = {gap:.2e}",
        check.relative_difference()
    );
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

/// One pipeline for either data set: pictures, gradient check, training, report.
fn pipeline(
    train: &Digits,
    test: Option<&Digits>,
    out: &Path,
    prefix: &str,
) -> backprop_book::Result<()> {
    // ANCHOR: grid
    let mut picks: Vec<usize> = (0..train.x.nrows()).collect();
    picks.shuffle(&mut rng(1));
    let samples: Vec<Array2<f64>> = picks.iter().take(100).map(|&i| train.image(i)).collect();
    let scale = (40 / train.side) as u32;
    let size = plot::image_grid_size(samples.len(), 10, train.side, scale);
    plot::save_png(out, &format!("{prefix}digits.png"), size, |root| {
        plot::draw_images(root, &samples, 10, scale)
    })?;
    // ANCHOR_END: grid
    println!(
        "{prefix}digits.png: {} training images, drawn at random (seeded)",
        samples.len()
    );

    // ANCHOR: check
    let DebugProblem {
        net: debug_net,
        x: debug_x,
        classes: debug_classes,
        ..
    } = gradcheck::debug_problem()?;
    let debug_y = one_hot(&debug_classes, 3)?;
    for lambda in [0.0, 3.0] {
        let check: gradcheck::Check = check_network(
            &debug_net,
            debug_x.view(),
            debug_y.view(),
            lambda,
            Loss::CrossEntropy,
            1e-4,
        )?;
        println!(
            "Gradient check, debugging network, λ = {lambda}: relative difference below 1e-9: {}",
            check.relative_difference() < 1e-9
        );
        sizes("debugging network", &check);
    }
    let n = train.x.ncols();
    let mut r = rng(3);
    let start = init::uniform_network(&[n, HIDDEN_UNITS, 10], EPSILON_INIT, &mut r)?;
    let parameters = HIDDEN_UNITS * (n + 1) + 10 * (HIDDEN_UNITS + 1);
    let mut indices: Vec<usize> = (0..parameters).collect();
    indices.shuffle(&mut r);
    indices.truncate(20);
    let y = one_hot(&train.classes, 10)?;
    let check = check_subset(
        &start,
        train.x.view(),
        y.view(),
        LAMBDA,
        Loss::CrossEntropy,
        1e-4,
        &indices,
    )?;
    println!(
        "Gradient check, {n}-{HIDDEN_UNITS}-10 network on the training set, 20 of its {parameters} parameters, λ = {LAMBDA}: below 1e-7: {}",
        check.relative_difference() < 1e-7
    );
    // ANCHOR_END: check
    sizes("20 parameters", &check);
    println!(
        "  a full check would take {} cost evaluations",
        2 * parameters
    );

    // ANCHOR: training
    let mut runs = Vec::new();
    for iterations in [SHORT_RUN, LONG_RUN] {
        let trained = run(Optimiser::Fmincg, &start, train, &y, iterations)?;
        let costs = &trained.costs;
        let train_acc = trained.net.accuracy(train.x.view(), &train.classes)?;
        print!(
            "\n{iterations} iterations, λ = {LAMBDA}: J from {:.6} to {:.6}; training accuracy {:.2}%",
            costs[0],
            costs[costs.len() - 1],
            100.0 * train_acc
        );
        if let Some(test) = test {
            print!(
                ", held-out accuracy {:.2}%",
                100.0 * trained.net.accuracy(test.x.view(), &test.classes)?
            );
        }
        println!();
        runs.push(trained);
    }
    // ANCHOR_END: training

    cli::section(&format!("{prefix}optimisers"));
    // ANCHOR: compare
    let mut curves = vec![(Optimiser::Fmincg, runs[1].clone())];
    for optimiser in [Optimiser::ConjugateGradient, Optimiser::Lbfgs] {
        curves.push((optimiser, run(optimiser, &start, train, &y, LONG_RUN)?));
    }
    println!("\nThe same start and λ, each optimiser (an iteration is one line search):");
    println!(
        "  optimiser                      J after {SHORT_RUN}   evaluations   J after {LONG_RUN}   evaluations"
    );
    for (optimiser, trained) in &curves {
        let at = |i: usize| {
            let i = i.min(trained.costs.len() - 1);
            (trained.costs[i], trained.evaluations[i])
        };
        let ((short, short_evaluations), (long, long_evaluations)) = (at(SHORT_RUN), at(LONG_RUN));
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
    // ANCHOR_END: compare
    cli::section(&format!("{prefix}report"));

    // ANCHOR: report
    let trained = &runs[1].net;
    let judged = test.unwrap_or(train);
    let which = if test.is_some() {
        "held-out"
    } else {
        "training"
    };
    println!("\nAfter {LONG_RUN} iterations, per class on the {which} set:\n");
    print!(
        "{}",
        classification_report(
            &trained.predict(judged.x.view())?,
            &judged.classes,
            &judged.class_names
        )
    );
    // ANCHOR_END: report

    plot::save_svg(out, &format!("{prefix}costs.svg"), (720, 380), |root| {
        draw_costs(root, &curves)
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
fn run(
    optimiser: Optimiser,
    start: &Network,
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
        Training::new(optimiser, LAMBDA, iterations).run(start, &data.x, y, move |i, j| {
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
