//! Chapter 1: a neuron is a line. `cargo run --release --example ch1_neuron [-- --out DIR]`

use std::process::ExitCode;

mod answers;

use backprop_book::activation::step;
use backprop_book::cli::{self, OutDir};
use backprop_book::data::separable_points;
use backprop_book::neuron::{Neuron, PerceptronFit, perceptron};
use backprop_book::plot::{self, BLUE, DrawResult, RED};
use clap::Parser;
use plotters::prelude::*;

/// Chapter 1: a neuron is a line. Learns a separating line with the perceptron rule.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    out: OutDir,
}

// ANCHOR: setup
/// The line that labels the data, −0.5·x₁ + x₂ − 0.15 = 0: blue above it, red below.
const HIDDEN_LINE: (f64, f64, f64) = (-0.5, 1.0, -0.15);
const POINTS: usize = 100;
const MARGIN: f64 = 0.05;
const LEARNING_RATE: f64 = 0.1;
// ANCHOR_END: setup

fn main() -> ExitCode {
    cli::run(|| {
        let out = Args::parse().out.resolve("ch1_neuron")?;
        by_hand();
        let (points, labels, fit) = learn()?;
        plot::save_svg(&out, "neuron_line.svg", (900, 420), |root| {
            draw(root, &points, &labels, &fit.history)
        })?;
        feature_counts();
        answers::run()
    })
}

// ANCHOR: by_hand
/// The neuron w = (−0.5, 1), b = −0.15, and its weighted sum z at three points: one above its
/// line, one below it and one on it.
fn neuron_by_hand() -> (Neuron, [([f64; 2], f64); 3]) {
    let neuron = Neuron {
        w: [-0.5, 1.0],
        b: -0.15,
    };
    let sums = [[0.0, 0.5], [0.5, 0.0], [-0.6, -0.15]].map(|x| (x, neuron.weighted_sum(x)));
    (neuron, sums)
}
// ANCHOR_END: by_hand

fn by_hand() {
    cli::section("by_hand");
    let (neuron, sums) = neuron_by_hand();
    let (slope, intercept) = neuron.slope_intercept().expect("w2 is not 0");
    println!(
        "The neuron z = w·x + b with w = ({}, {}), b = {}",
        neuron.w[0], neuron.w[1], neuron.b
    );
    println!("is the line x2 = {slope:.2}·x1 + {intercept:.2} (slope −w1/w2, intercept −b/w2).");
    for (x, z) in sums {
        println!(
            "  x = ({:5.2}, {:5.2}):  z = {z:6.3},  step(z) = {}",
            x[0],
            x[1],
            step(z)
        );
    }
}

/// The chapter's training set, what the perceptron rule learned from it, and the learned
/// line's accuracy on it and on new points.
struct Learned {
    points: Vec<[f64; 2]>,
    labels: Vec<u8>,
    fit: PerceptronFit,
    accuracy: [f64; 2],
}

// ANCHOR: learn
/// The training set (seed 1), the perceptron rule from w = 0, b = 0, and the learned line's
/// accuracy on it and on 1000 new points (seed 2).
fn learn_line() -> backprop_book::Result<Learned> {
    let (points, labels) = separable_points(POINTS, HIDDEN_LINE, MARGIN, 1);
    let fit = perceptron(&points, &labels, LEARNING_RATE, 1000)?;
    let (test_points, test_labels) = separable_points(1000, HIDDEN_LINE, 0.0, 2);
    let accuracy = [
        fit.neuron.accuracy(&points, &labels),
        fit.neuron.accuracy(&test_points, &test_labels),
    ];
    Ok(Learned {
        points,
        labels,
        fit,
        accuracy,
    })
}
// ANCHOR_END: learn

fn learn() -> backprop_book::Result<(Vec<[f64; 2]>, Vec<u8>, PerceptronFit)> {
    cli::section("learn");
    let Learned {
        points,
        labels,
        fit,
        accuracy: [train, test],
    } = learn_line()?;
    let blue = labels.iter().filter(|&&l| l == 1).count();
    println!(
        "\nTraining set: {POINTS} points, {} red and {blue} blue (seed 1).",
        POINTS - blue
    );
    println!("Perceptron rule, learning rate {LEARNING_RATE}, starting from w = 0, b = 0:");
    println!("  mistakes per epoch: {:?}", fit.mistakes);
    let learned = fit.neuron;
    println!(
        "  learned w = ({:.4}, {:.4}), b = {:.4}",
        learned.w[0], learned.w[1], learned.b
    );
    let (slope, intercept) = learned.slope_intercept().expect("w2 is not 0");
    println!(
        "  as a line: x2 = {slope:.4}·x1 + {intercept:.4}   (the hidden line: x2 = 0.5·x1 + 0.15)"
    );
    println!("  training accuracy: {:.1}%", 100.0 * train);
    println!(
        "  accuracy on 1000 new points (seed 2): {:.1}%",
        100.0 * test
    );
    Ok((points, labels, fit))
}

// ANCHOR: feature_counts
/// How many features logistic regression needs to draw curved boundaries on an image of n
/// pixels: every product of at most d pixels is one feature, C(n + d, d) of them with the constant.
fn features(n: u64, d: u64) -> u64 {
    (1..=d).fold(1, |c, k| c * (n + k) / k)
}
// ANCHOR_END: feature_counts

fn feature_counts() {
    cli::section("features");
    println!("\nFeatures for logistic regression with all products of up to d inputs:");
    println!("  inputs n          d = 1          d = 2          d = 3");
    for (n, what) in [
        (2, "two inputs"),
        (400, "20×20 image"),
        (2500, "50×50 image"),
    ] {
        println!(
            "  {n:>8} {:>14} {:>14} {:>14}   {what}",
            features(n, 1),
            features(n, 2),
            features(n, 3)
        );
    }
}

/// Left: the step function. Right: the points, the line after each epoch (faint) and the final line.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    points: &[[f64; 2]],
    labels: &[u8],
    history: &[Neuron],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (left, right) = root.split_horizontally(380);
    let mut chart = ChartBuilder::on(&left)
        .caption("the step activation", ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(36)
        .build_cartesian_2d(-2.0..2.0, -0.1..1.1)?;
    chart
        .configure_mesh()
        .x_desc("z")
        .y_desc("step(z)")
        .draw()?;
    chart.draw_series(LineSeries::new(
        [(-2.0, 0.0), (0.0, 0.0)],
        BLUE.stroke_width(2),
    ))?;
    chart.draw_series(LineSeries::new(
        [(0.0, 1.0), (2.0, 1.0)],
        BLUE.stroke_width(2),
    ))?;
    chart.draw_series([
        Circle::new((0.0, 0.0), 4, BLUE.filled()),
        Circle::new((0.0, 1.0), 4, BLUE.stroke_width(2)),
    ])?;

    let mut chart = ChartBuilder::on(&right)
        .caption("a neuron is a line", ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(36)
        .build_cartesian_2d(-1.0..1.0, -1.0..1.0)?;
    chart.configure_mesh().x_desc("x1").y_desc("x2").draw()?;
    let segment = |n: &Neuron| -> Vec<(f64, f64)> {
        (0..=400)
            .map(|i| -1.0 + i as f64 / 200.0)
            .filter_map(|x1| n.slope_intercept().map(|(k, c)| (x1, k * x1 + c)))
            .filter(|&(_, x2)| (-1.0..=1.0).contains(&x2))
            .collect()
    };
    for n in &history[..history.len() - 1] {
        chart.draw_series(LineSeries::new(segment(n), BLACK.mix(0.15)))?;
    }
    let last = history.last().expect("at least one epoch");
    chart
        .draw_series(LineSeries::new(segment(last), BLACK.stroke_width(2)))?
        .label("learned line")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], BLACK.stroke_width(2)));
    let dots = points.iter().zip(labels).map(|(p, &l)| {
        Circle::new(
            (p[0], p[1]),
            3,
            if l == 1 { BLUE.filled() } else { RED.filled() },
        )
    });
    chart.draw_series(dots)?;
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE)
        .position(SeriesLabelPosition::LowerRight)
        .draw()?;
    Ok(())
}
