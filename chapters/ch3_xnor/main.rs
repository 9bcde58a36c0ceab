//! Chapter 3: networks, forward propagation and XNOR. `cargo run --release --example ch3_xnor`

use std::process::ExitCode;

mod answers;

use backprop_book::activation::Activation;
use backprop_book::cli::{self, OutDir};
use backprop_book::data::xnor;
use backprop_book::network::Network;
use backprop_book::neuron::perceptron;
use backprop_book::plot::diagram::NetworkDiagram;
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
fn xnor_net() -> backprop_book::Result<Network> {
    let theta1 = array![[-30.0, 20.0, 20.0], [10.0, -20.0, -20.0]];
    let theta2 = array![[-10.0, 20.0, 20.0]];
    Network::new(vec![theta1, theta2], Activation::Sigmoid)
}
// ANCHOR_END: gates

fn main() -> ExitCode {
    cli::run(|| {
        let out = Args::parse().out.resolve("ch3_xnor")?;
        let (x, _) = xnor(); // the four corners of the truth table, one per row
        let units = gate_tables(&x)?;
        let net = one_example(&x)?;
        batch(&net, &x)?;
        let corners = one_line_fails(&x)?;
        let panels = panels(units, net);
        plot::save_svg(&out, "xnor_regions.svg", (880, 820), |root| {
            draw(root, &corners, &panels)
        })?;
        diagrams(&out, &panels)?;
        hidden_coordinates(&out, &panels[3].1, &x)?;
        answers::run()
    })
}

// ANCHOR: gate_tables
/// Each gate as a network of one layer, and its outputs at the four corners, one per row.
fn gate_outputs(
    x: &Array2<f64>,
) -> backprop_book::Result<Vec<(&'static str, Network, Array2<f64>)>> {
    let mut units = Vec::new();
    for (name, theta) in gates() {
        let unit = Network::new(vec![theta], Activation::Sigmoid)?;
        let h = unit.predict_proba(x.view())?;
        units.push((name, unit, h));
    }
    Ok(units)
}
// ANCHOR_END: gate_tables

fn gate_tables(x: &Array2<f64>) -> backprop_book::Result<Vec<(&'static str, Network)>> {
    cli::section("gate_tables");
    let mut units = Vec::new();
    for (name, unit, h) in gate_outputs(x)? {
        println!("{name}: Θ = {}", unit.thetas()[0].row(0));
        for (input, output) in x.rows().into_iter().zip(h.column(0)) {
            println!("  x = ({}, {})  ->  {output:.6}", input[0], input[1]);
        }
        units.push((name, unit));
    }
    Ok(units)
}

fn one_example(x: &Array2<f64>) -> backprop_book::Result<Network> {
    cli::section("one_example");
    // ANCHOR: one_example
    let net = xnor_net()?;
    let layers = net.forward_example(x.row(2))?; // x = (1, 0): a^(1), a^(2), a^(3)
    // ANCHOR_END: one_example
    println!(
        "\nThe XNOR network, sizes {:?}. One example, x = (1, 0), as column vectors:",
        net.sizes()
    );
    for (l, a) in layers.iter().enumerate() {
        println!("  a^({}) = {a:.6}", l + 1);
    }
    println!("  (each without its bias unit: ā^(1) = [1; a^(1)] is what Θ^(1) multiplies)");
    Ok(net)
}

fn batch(net: &Network, x: &Array2<f64>) -> backprop_book::Result<()> {
    cli::section("batch");
    // ANCHOR: batch
    let pass = net.forward(x.view())?; // all four examples, one per row
    let (hidden, output) = (&pass.a[1], pass.output()); // ā^(2) = [1, AND, NOR], a^(3)
    // ANCHOR_END: batch
    println!("\nAll four examples at once (one per row), with the shapes:");
    let shape = |m: &Array2<f64>| format!("{}×{}", m.nrows(), m.ncols());
    println!("  X {}", shape(x));
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
        let want = u8::from(x1 == x2);
        println!(
            "  {x1}  {x2} | {:.6} {:.6} | {:.6} | {want}",
            hidden[[i, 1]],
            hidden[[i, 2]],
            output[[i, 0]]
        );
    }
    Ok(())
}

fn one_line_fails(x: &Array2<f64>) -> backprop_book::Result<Vec<[f64; 2]>> {
    cli::section("one_line_fails");
    // ANCHOR: one_line_fails
    let corners: Vec<[f64; 2]> = x.rows().into_iter().map(|r| [r[0], r[1]]).collect();
    let fit = perceptron(&corners, &[1, 0, 0, 1], 1.0, 100)?; // XNOR's truth table
    // ANCHOR_END: one_line_fails
    println!("\nA single neuron cannot do it: the perceptron rule on XNOR's truth table");
    println!(
        "  still makes {} mistakes in epoch 100 (converged: {}).",
        fit.mistakes[99],
        fit.converged()
    );
    Ok(corners)
}

/// The figure's four panels: the three gates and the XNOR network, with their truth tables.
fn panels(units: Vec<(&'static str, Network)>, net: Network) -> Vec<(String, Network, [u8; 4])> {
    let mut units = units.into_iter().map(|(_, unit)| unit);
    let mut next = || units.next().expect("three gates");
    vec![
        ("x1 AND x2".to_string(), next(), [0, 0, 0, 1]),
        (
            "NOR = (NOT x1) AND (NOT x2)".to_string(),
            next(),
            [1, 0, 0, 0],
        ),
        ("x1 OR x2".to_string(), next(), [0, 1, 1, 1]),
        ("XNOR (the 2-2-1 network)".to_string(), net, [1, 0, 0, 1]),
    ]
}

/// Each gate as the one unit it is, and the XNOR network, drawn from their Θ.
fn diagrams(
    out: &std::path::Path,
    panels: &[(String, Network, [u8; 4])],
) -> backprop_book::Result<()> {
    let label = |net: &Network, captions: &[&str], outputs: &[&str]| {
        let mut d = NetworkDiagram::of(net, captions, 4);
        for (l, theta) in net.thetas().iter().enumerate() {
            for ((i, j), w) in theta.indexed_iter() {
                d.label_edge(l, i, j, format!("{w}"));
            }
        }
        d.label_unit(0, 1, "x1");
        d.label_unit(0, 2, "x2");
        for (k, name) in outputs.iter().enumerate() {
            d.label_unit(net.thetas().len(), k + 1, *name);
        }
        d
    };
    let gates: Vec<NetworkDiagram> = [("AND", 0), ("NOR", 1), ("OR", 2)]
        .iter()
        .map(|&(name, k)| label(&panels[k].1, &["inputs", name], &[name]))
        .collect();
    plot::save_svg(out, "gate_units.svg", (960, 300), |root| {
        for (area, d) in root.split_evenly((1, 3)).iter().zip(&gates) {
            d.draw(area)?;
        }
        Ok(())
    })?;
    let mut xnor = label(
        &panels[3].1,
        &["inputs", "hidden: AND, NOR", "output: OR"],
        &["XNOR"],
    );
    xnor.label_unit(1, 1, "AND");
    xnor.label_unit(1, 2, "NOR");
    plot::save_svg(out, "xnor_network.svg", (760, 380), |root| xnor.draw(root))?;
    Ok(())
}

/// The four inputs where the network sees them: left in (x1, x2), right in the hidden layer's
/// (a1, a2) = (AND, NOR), where the OR unit's line −10 + 20 a1 + 20 a2 = 0 separates them.
fn hidden_coordinates(
    out: &std::path::Path,
    net: &Network,
    x: &Array2<f64>,
) -> backprop_book::Result<()> {
    cli::section("hidden");
    let pass = net.forward(x.view())?;
    let hidden: Vec<(f64, f64)> = pass.a[1].rows().into_iter().map(|r| (r[1], r[2])).collect();
    let inputs: Vec<(f64, f64)> = x.rows().into_iter().map(|r| (r[0], r[1])).collect();
    println!("\nThe four inputs in the hidden layer's coordinates (a1, a2) = (AND, NOR):");
    for (p, h) in inputs.iter().zip(&hidden) {
        println!("  x = ({}, {})  ->  ({:.4}, {:.4})", p.0, p.1, h.0, h.1);
    }
    let xnor = [1, 0, 0, 1];
    plot::save_svg(out, "xnor_hidden.svg", (880, 420), |root| {
        let areas = root.split_evenly((1, 2));
        let panels = [
            (
                "input space (x1, x2): no line separates them",
                &inputs,
                "x1",
                "x2",
            ),
            (
                "hidden space (a1, a2): the OR unit's line does",
                &hidden,
                "a1 = AND",
                "a2 = NOR",
            ),
        ];
        for (k, (area, (title, points, xd, yd))) in areas.iter().zip(panels).enumerate() {
            let mut chart = ChartBuilder::on(area)
                .caption(title, ("sans-serif", 16))
                .margin(12)
                .x_label_area_size(30)
                .y_label_area_size(36)
                .build_cartesian_2d(-0.2..1.2, -0.2..1.2)?;
            chart
                .configure_mesh()
                .disable_mesh()
                .x_desc(xd)
                .y_desc(yd)
                .draw()?;
            if k == 1 {
                // −10 + 20 a1 + 20 a2 = 0, that is a2 = 0.5 − a1
                let line = [(-0.2, 0.7), (0.7, -0.2)];
                chart.draw_series(LineSeries::new(line, BLACK.stroke_width(2)))?;
            }
            let dots = points.iter().zip(xnor).map(|(&p, t)| {
                EmptyElement::at(p)
                    + Circle::new((0, 0), 8, if t == 1 { BLUE.filled() } else { RED.filled() })
                    + Circle::new((0, 0), 8, BLACK.stroke_width(1))
            });
            chart.draw_series(dots)?;
        }
        Ok(())
    })?;
    Ok(())
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
