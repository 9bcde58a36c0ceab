//! Chapter 2: activation functions. `cargo run --release --example ch2_activations [-- --out DIR]`

use std::process::ExitCode;

mod answers;

use backprop_book::activation::{Activation, sigmoid, sigmoid_gradient};
use backprop_book::cli::{self, OutDir};
use backprop_book::data::rng;
use backprop_book::plot::{self, DrawResult, PALETTE};
use clap::Parser;
use plotters::prelude::*;
use rand::RngExt;

/// Chapter 2: activation functions, their derivatives, and why they must be non-linear.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    out: OutDir,
}

fn main() -> ExitCode {
    cli::run(|| {
        let out = Args::parse().out.resolve("ch2_activations")?;
        print_table();
        course_check();
        derivative_check();
        saturation();
        linear_layers_collapse();
        plot::save_svg(&out, "activations.svg", (900, 400), draw)?;
        answers::run()
    })
}

// ANCHOR: table
/// Every activation's value g(z) and derivative g'(z) at seven points z.
fn table() -> [(f64, [(f64, f64); 4]); 7] {
    [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]
        .map(|z| (z, Activation::ALL.map(|g| (g.apply(z), g.derivative(z)))))
}
// ANCHOR_END: table

fn print_table() {
    cli::section("table");
    print!("     z |");
    for g in Activation::ALL {
        print!(" {:>7} {:>7} |", g.name(), "g'(z)");
    }
    println!();
    for (z, row) in table() {
        print!("{z:6.2} |");
        for (value, slope) in row {
            print!(" {value:7.4} {slope:7.4} |");
        }
        println!();
    }
}

fn course_check() {
    cli::section("course_check");
    // ANCHOR: course_check
    let gradients = [-1.0, -0.5, 0.0, 0.5, 1.0].map(sigmoid_gradient);
    // ANCHOR_END: course_check
    let shown: Vec<String> = gradients.iter().map(|g| format!("{g:.6}")).collect();
    println!(
        "\nSigmoid gradient at z = -1, -0.5, 0, 0.5, 1:\n  {}",
        shown.join(" ")
    );
}

// ANCHOR: derivative_check
/// The largest gap between g'(z) and the central difference (g(z + h) − g(z − h)) / 2h,
/// h = 1e-6, at 41 points z = −4.0, −3.8, …, 4.0 (ReLU's kink at 0 left out).
fn worst_derivative_error(g: Activation) -> f64 {
    (0..=40)
        .map(|i| -4.0 + 0.2 * f64::from(i))
        .filter(|z: &f64| z.abs() > 1e-9)
        .map(|z| (g.derivative(z) - (g.apply(z + 1e-6) - g.apply(z - 1e-6)) / 2e-6).abs())
        .fold(0.0, f64::max)
}
// ANCHOR_END: derivative_check

fn derivative_check() {
    cli::section("derivative_check");
    println!("\nEach g'(z) against the central difference (g(z+h) - g(z-h)) / 2h, h = 1e-6,");
    println!("at 41 points z = -4.0, -3.8, ..., 4.0 (ReLU's kink at 0 left out):");
    for g in Activation::ALL {
        let below = worst_derivative_error(g) < 1e-8;
        println!("  {:<10} largest difference below 1e-8: {below}", g.name());
    }
}

fn saturation() {
    cli::section("saturation");
    // ANCHOR: saturation
    let flat = [2.0, 5.0, 10.0].map(|z| (z, sigmoid(z), sigmoid_gradient(z)));
    // σ′ is at most 0.25, so n sigmoid layers' factors σ′(z) multiply to at most 0.25ⁿ.
    let bounds = [2, 5, 10].map(|n| (n, 0.25f64.powi(n)));
    // ANCHOR_END: saturation
    println!("\nSaturation: far from 0 the sigmoid is flat and its gradient vanishes.");
    for (z, value, slope) in flat {
        println!("  sigmoid({z:4}) = {value:.6}   g'({z:4}) = {slope:.2e}");
    }
    println!(
        "The largest sigmoid gradient is 0.25, so the n factors σ′(z) of a chain of n sigmoid layers"
    );
    println!("(the weights between them are not bounded) scale a gradient");
    for (n, bound) in bounds {
        println!("  by at most 0.25^{n:<2} = {bound:.2e}");
    }
}

/// Two random layers, 2 → 3 → 1: W1 is 3 × 2, b1 has 3 entries, W2 is 1 × 3, b2 has one.
struct Layers {
    w1: Vec<Vec<f64>>,
    b1: Vec<f64>,
    w2: Vec<Vec<f64>>,
    b2: Vec<f64>,
}

impl Layers {
    /// Weights uniform in [−1, 1), drawn row by row: W1, b1, W2, b2.
    fn random(seed: u64) -> Layers {
        let mut rng = rng(seed);
        let mut random = |rows: usize, cols: usize| -> Vec<Vec<f64>> {
            (0..rows)
                .map(|_| (0..cols).map(|_| rng.random_range(-1.0..1.0)).collect())
                .collect()
        };
        let (w1, b1, w2, b2) = (random(3, 2), random(3, 1), random(1, 3), random(1, 1));
        let column = |b: Vec<Vec<f64>>| b.into_iter().map(|r| r[0]).collect();
        Layers {
            w1,
            b1: column(b1),
            w2,
            b2: column(b2),
        }
    }
}

// ANCHOR: collapse
/// One layer without activation: W x + b.
fn layer(w: &[Vec<f64>], b: &[f64], x: &[f64]) -> Vec<f64> {
    let dot = |row: &Vec<f64>| row.iter().zip(x).map(|(w, x)| w * x).sum::<f64>();
    w.iter().zip(b).map(|(row, b)| dot(row) + b).collect()
}

/// f(x) = W2 g(W1 x + b1) + b2; with g the identity there is no activation.
fn two_layers(l: &Layers, g: impl Fn(f64) -> f64, x: &[f64]) -> f64 {
    let hidden: Vec<f64> = layer(&l.w1, &l.b1, x).into_iter().map(g).collect();
    layer(&l.w2, &l.b2, &hidden)[0]
}

/// The one layer that two linear layers are: W = W2 W1 and b = W2 b1 + b2.
fn collapsed(l: &Layers) -> ([f64; 2], f64) {
    let w = [0, 1].map(|j| (0..3).map(|k| l.w2[0][k] * l.w1[k][j]).sum());
    let b = (0..3).map(|k| l.w2[0][k] * l.b1[k]).sum::<f64>() + l.b2[0];
    (w, b)
}
// ANCHOR_END: collapse

// ANCHOR: defect
/// f(x + y) − f(x) − f(y) + f(0): zero for all x and y exactly when f is linear (affine).
fn defect(f: impl Fn(&[f64]) -> f64, x: [f64; 2], y: [f64; 2]) -> f64 {
    f(&[x[0] + y[0], x[1] + y[1]]) - f(&x) - f(&y) + f(&[0.0, 0.0])
}
// ANCHOR_END: defect

/// The collapse, checked at three points, and the defect with and without tanh.
fn linear_layers_collapse() {
    cli::section("collapse");
    let l = Layers::random(3);
    let (w, b) = collapsed(&l);
    println!(
        "\nTwo linear layers (2 -> 3 -> 1, seed 3) collapse into one: w = ({:.4}, {:.4}), b = {:.4}",
        w[0], w[1], b
    );
    let linear = |x: &[f64]| two_layers(&l, |z| z, x);
    let worst = [[0.3, -0.7], [1.5, 2.0], [-2.0, 0.4]]
        .iter()
        .map(|x| (linear(x) - (w[0] * x[0] + w[1] * x[1] + b)).abs())
        .fold(0.0, f64::max);
    println!(
        "  largest difference from the two-layer output at 3 points below 1e-12: {}",
        worst < 1e-12
    );
    let (x, y) = ([0.3, -0.7], [1.5, 2.0]);
    println!("  f(x+y) - f(x) - f(y) + f(0) with x = (0.3, -0.7), y = (1.5, 2.0):");
    println!(
        "    no activation: {:.4}   tanh between the layers: {:.4}",
        defect(linear, x, y).abs(),
        defect(|v| two_layers(&l, f64::tanh, v), x, y)
    );
}

/// The four activations (left) and their derivatives (right) over z in [−4, 4].
fn draw(root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>) -> DrawResult {
    let (left, right) = root.split_horizontally(450);
    type Curve = fn(Activation, f64) -> f64;
    let panels: [(_, &str, Curve, _); 2] = [
        (left, "g(z)", Activation::apply, -1.2..4.2),
        (right, "g'(z)", Activation::derivative, -0.1..1.1),
    ];
    for (area, title, f, y_range) in panels {
        let mut chart = ChartBuilder::on(&area)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(40)
            .build_cartesian_2d(-4.0..4.0, y_range)?;
        chart.configure_mesh().x_desc("z").draw()?;
        for (g, colour) in Activation::ALL.into_iter().zip(PALETTE) {
            // Each function on either side of 0 separately, so ReLU's jump in g' is not joined up.
            for side in [-1.0, 1.0] {
                let curve = (0..=200)
                    .map(|i| side * 4.0 * f64::from(i) / 200.0)
                    .map(|z| (z, f(g, z + side * 1e-12)));
                let series = chart.draw_series(LineSeries::new(curve, colour.stroke_width(2)))?;
                if side > 0.0 {
                    series.label(g.name()).legend(move |(x, y)| {
                        PathElement::new([(x, y), (x + 16, y)], colour.stroke_width(2))
                    });
                }
            }
        }
        chart
            .configure_series_labels()
            .border_style(BLACK)
            .background_style(WHITE)
            .position(SeriesLabelPosition::UpperLeft)
            .draw()?;
    }
    Ok(())
}
