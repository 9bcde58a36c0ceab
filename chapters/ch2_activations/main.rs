//! Chapter 2: activation functions. `cargo run --release --example ch2_activations [-- --out DIR]`

use std::process::ExitCode;

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
        let args = Args::parse();
        let out = args.out.resolve("ch2_activations")?;

        // ANCHOR: table
        print!("     z |");
        for g in Activation::ALL {
            print!(" {:>7} {:>7} |", g.name(), "g'(z)");
        }
        println!();
        for z in [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0] {
            print!("{z:6.2} |");
            for g in Activation::ALL {
                print!(" {:7.4} {:7.4} |", g.apply(z), g.derivative(z));
            }
            println!();
        }
        // ANCHOR_END: table

        // ANCHOR: course_check
        let zs = [-1.0, -0.5, 0.0, 0.5, 1.0];
        let gradients: Vec<String> = zs
            .iter()
            .map(|&z| format!("{:.6}", sigmoid_gradient(z)))
            .collect();
        println!(
            "\nSigmoid gradient at z = -1, -0.5, 0, 0.5, 1:\n  {}",
            gradients.join(" ")
        );
        // ANCHOR_END: course_check

        // ANCHOR: derivative_check
        println!("\nEach g'(z) against the central difference (g(z+h) - g(z-h)) / 2h, h = 1e-6,");
        println!("at 41 points z = -4.0, -3.8, ..., 4.0 (ReLU's kink at 0 left out):");
        for g in Activation::ALL {
            let worst = (0..=40)
                .map(|i| -4.0 + 0.2 * f64::from(i))
                .filter(|z: &f64| z.abs() > 1e-9)
                .map(|z| (g.derivative(z) - (g.apply(z + 1e-6) - g.apply(z - 1e-6)) / 2e-6).abs())
                .fold(0.0, f64::max);
            println!(
                "  {:<10} largest difference below 1e-8: {}",
                g.name(),
                worst < 1e-8
            );
        }
        // ANCHOR_END: derivative_check

        // ANCHOR: saturation
        println!("\nSaturation: far from 0 the sigmoid is flat and its gradient vanishes.");
        for z in [2.0, 5.0, 10.0] {
            println!(
                "  sigmoid({z:4}) = {:.6}   g'({z:4}) = {:.2e}",
                sigmoid(z),
                sigmoid_gradient(z)
            );
        }
        println!(
            "The largest sigmoid gradient is 0.25, so the n factors σ′(z) of a chain of n sigmoid layers"
        );
        println!("(the weights between them are not bounded) scale a gradient");
        for n in [2, 5, 10] {
            println!("  by at most 0.25^{n:<2} = {:.2e}", 0.25f64.powi(n));
        }
        // ANCHOR_END: saturation

        linear_layers_collapse();

        plot::save_svg(&out, "activations.svg", (900, 400), draw)?;
        Ok(())
    })
}

// ANCHOR: collapse
/// Two layers with no activation, f(x) = W2(W1 x + b1) + b2, are one layer W x + b with
/// W = W2 W1 and b = W2 b1 + b2. With tanh between them, f is no longer linear.
fn linear_layers_collapse() {
    let mut rng = rng(3);
    let mut random = |rows: usize, cols: usize| -> Vec<Vec<f64>> {
        (0..rows)
            .map(|_| (0..cols).map(|_| rng.random_range(-1.0..1.0)).collect())
            .collect()
    };
    let (w1, b1, w2, b2) = (random(3, 2), random(3, 1), random(1, 3), random(1, 1));
    let layer = |w: &[Vec<f64>], b: &[Vec<f64>], x: &[f64]| -> Vec<f64> {
        w.iter()
            .zip(b)
            .map(|(row, b)| row.iter().zip(x).map(|(w, x)| w * x).sum::<f64>() + b[0])
            .collect()
    };
    let two_linear = |x: &[f64]| layer(&w2, &b2, &layer(&w1, &b1, x))[0];
    let with_tanh = |x: &[f64]| {
        let hidden: Vec<f64> = layer(&w1, &b1, x).iter().map(|z| z.tanh()).collect();
        layer(&w2, &b2, &hidden)[0]
    };
    // The collapsed single layer, computed from the two.
    let w: Vec<f64> = (0..2)
        .map(|j| (0..3).map(|k| w2[0][k] * w1[k][j]).sum())
        .collect();
    let b = (0..3).map(|k| w2[0][k] * b1[k][0]).sum::<f64>() + b2[0][0];
    println!(
        "\nTwo linear layers (2 -> 3 -> 1, seed 3) collapse into one: w = ({:.4}, {:.4}), b = {:.4}",
        w[0], w[1], b
    );
    let probes = [[0.3, -0.7], [1.5, 2.0], [-2.0, 0.4]];
    let worst = probes
        .iter()
        .map(|x| (two_linear(x) - (w[0] * x[0] + w[1] * x[1] + b)).abs())
        .fold(0.0, f64::max);
    println!(
        "  largest difference from the two-layer output at 3 points below 1e-12: {}",
        worst < 1e-12
    );
    // A linear (affine) f satisfies f(x + y) - f(x) - f(y) + f(0) = 0 for all x, y.
    let (x, y) = ([0.3, -0.7], [1.5, 2.0]);
    let sum = [x[0] + y[0], x[1] + y[1]];
    let defect = |f: &dyn Fn(&[f64]) -> f64| f(&sum) - f(&x) - f(&y) + f(&[0.0, 0.0]);
    println!("  f(x+y) - f(x) - f(y) + f(0) with x = (0.3, -0.7), y = (1.5, 2.0):");
    println!(
        "    no activation: {:.4}   tanh between the layers: {:.4}",
        defect(&two_linear).abs(),
        defect(&with_tanh)
    );
}
// ANCHOR_END: collapse

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
