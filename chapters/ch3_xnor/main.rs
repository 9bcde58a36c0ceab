//! Chapter 3: networks, forward propagation and XNOR. `cargo run --release --example ch3_xnor`

use std::process::ExitCode;

use backprop_book::activation::Activation;
use backprop_book::cli::{self, OutDir};
use backprop_book::network::Network;
use backprop_book::neuron::perceptron;
use backprop_book::plot::{self, BLUE, DrawResult, RED};
use clap::Parser;
use ndarray::{Array2, array};
use plotters::prelude::*;

/// Chapter 3: logic gates from sigmoid units, and XNOR from a 2-2-1 network.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    out: OutDir,
}

/// The four inputs of a two-input truth table, one example per row.
fn truth_table_inputs() -> Array2<f64> {
    array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
}

// ANCHOR: gates
/// One sigmoid unit per gate: Θ = [bias, weight of x1, weight of x2]. The weights are large, so
/// σ is within 5e-5 of 0 or 1 at every corner of the truth table.
fn gates() -> [(&'static str, Array2<f64>); 3] {
    [
        ("x1 AND x2", array![[-30.0, 20.0, 20.0]]),
        ("(NOT x1) AND (NOT x2)", array![[10.0, -20.0, -20.0]]),
        ("x1 OR x2", array![[-10.0, 20.0, 20.0]]),
    ]
}

/// XNOR = (x1 AND x2) OR ((NOT x1) AND (NOT x2)): the first two gates form the hidden layer,
/// the OR gate reads their outputs.
fn xnor() -> backprop_book::Result<Network> {
    let theta1 = array![[-30.0, 20.0, 20.0], [10.0, -20.0, -20.0]];
    let theta2 = array![[-10.0, 20.0, 20.0]];
    Network::new(vec![theta1, theta2], Activation::Sigmoid)
}
// ANCHOR_END: gates

fn main() -> ExitCode {
    cli::run(|| {
        let args = Args::parse();
        let out = args.out.resolve("ch3_xnor")?;
        let x = truth_table_inputs();

        // ANCHOR: gate_tables
        let mut units = Vec::new();
        for (name, theta) in gates() {
            let unit = Network::new(vec![theta.clone()], Activation::Sigmoid)?;
            let h = unit.predict_proba(x.view())?;
            println!("{name}: Θ = {}", theta.row(0));
            for (input, output) in x.rows().into_iter().zip(h.column(0)) {
                println!("  x = ({}, {})  ->  {output:.6}", input[0], input[1]);
            }
            units.push((name, unit));
        }
        // ANCHOR_END: gate_tables

        // ANCHOR: one_example
        let net = xnor()?;
        println!(
            "\nThe XNOR network, sizes {:?}. One example, x = (1, 0), as column vectors:",
            net.sizes()
        );
        let layers = net.forward_example(x.row(2))?;
        for (l, a) in layers.iter().enumerate() {
            println!("  a^({}) = {a:.6}", l + 1);
        }
        println!("  (each without its bias unit: ā^(1) = [1; a^(1)] is what Θ^(1) multiplies)");
        // ANCHOR_END: one_example

        // ANCHOR: batch
        println!("\nAll four examples at once (one per row), with the shapes:");
        let pass = net.forward(x.view())?;
        let shape = |m: &Array2<f64>| format!("{}×{}", m.nrows(), m.ncols());
        println!("  X {}", shape(&x));
        println!("  ā^(1) = [1, X]          {}", shape(&pass.a[0]));
        println!(
            "  z^(2) = ā^(1) Θ^(1)ᵀ     {} = {} · {}ᵀ",
            shape(&pass.z[0]),
            shape(&pass.a[0]),
            shape(&net.thetas()[0])
        );
        println!("  ā^(2) = [1, g(z^(2))]   {}", shape(&pass.a[1]));
        println!(
            "  z^(3) = ā^(2) Θ^(2)ᵀ     {} = {} · {}ᵀ",
            shape(&pass.z[1]),
            shape(&pass.a[1]),
            shape(&net.thetas()[1])
        );
        println!("  a^(3) = g(z^(3))        {}", shape(&pass.a[2]));
        println!("\n x1 x2 | AND      NOR      | XNOR out | XNOR");
        for i in 0..4 {
            let (x1, x2) = (x[[i, 0]], x[[i, 1]]);
            let hidden = pass.a[1].row(i);
            let want = u8::from(x1 == x2);
            println!(
                "  {x1}  {x2} | {:.6} {:.6} | {:.6} | {want}",
                hidden[1],
                hidden[2],
                pass.output()[[i, 0]]
            );
        }
        // ANCHOR_END: batch

        // ANCHOR: one_line_fails
        let corners: Vec<[f64; 2]> = x.rows().into_iter().map(|r| [r[0], r[1]]).collect();
        let fit = perceptron(&corners, &[1, 0, 0, 1], 1.0, 100)?;
        println!("\nA single neuron cannot do it: the perceptron rule on XNOR's truth table");
        println!(
            "  still makes {} mistakes in epoch 100 (converged: {}).",
            fit.mistakes[99],
            fit.converged()
        );
        // ANCHOR_END: one_line_fails

        let panels: Vec<(String, Network, [u8; 4])> = vec![
            (units[0].0.to_string(), units[0].1.clone(), [0, 0, 0, 1]),
            (
                "NOR = (NOT x1) AND (NOT x2)".to_string(),
                units[1].1.clone(),
                [1, 0, 0, 0],
            ),
            (units[2].0.to_string(), units[2].1.clone(), [0, 1, 1, 1]),
            ("XNOR (the 2-2-1 network)".to_string(), net, [1, 0, 0, 1]),
        ];
        plot::save_svg(&out, "xnor_regions.svg", (880, 820), |root| {
            draw(root, &corners, &panels)
        })?;
        Ok(())
    })
}

/// One panel per gate: the unit square tinted by the output, the four corners coloured by the
/// gate's truth table.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    corners: &[[f64; 2]],
    panels: &[(String, Network, [u8; 4])],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let range = (-0.25, 1.25);
    for (area, (title, net, truth)) in root.split_evenly((2, 2)).iter().zip(panels) {
        let mut chart = ChartBuilder::on(area)
            .caption(title, ("sans-serif", 17))
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(36)
            .build_cartesian_2d(range.0..range.1, range.0..range.1)?;
        let output = |x1: f64, x2: f64| {
            net.predict_proba(array![[x1, x2]].view())
                .map(|h| h[[0, 0]])
                .unwrap_or(f64::NAN)
        };
        plot::draw_regions(&mut chart, range, range, 24, output)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("x1")
            .y_desc("x2")
            .draw()?;
        let dots = corners.iter().zip(truth).map(|(p, &t)| {
            EmptyElement::at((p[0], p[1]))
                + Circle::new((0, 0), 8, if t == 1 { BLUE.filled() } else { RED.filled() })
                + Circle::new((0, 0), 8, BLACK.stroke_width(1))
        });
        chart.draw_series(dots)?;
    }
    Ok(())
}
