//! Chapter 5's figures: the diagrams drawn from the worked network and the one-unit graph of a
//! real run, and the cost curves. Plumbing: the ideas they show are in main.rs.

use std::path::Path;

use backprop_book::plot::diagram::{Graph, NetworkDiagram, Shape};
use backprop_book::plot::{self, DrawResult, PALETTE};
use backprop_book::worked::{ByHand, NOTE_INPUT, NOTE_NET, PARAMETERS};
use plotters::prelude::*;

/// Unit names of the worked network, layer by layer.
const UNITS: [[&str; 2]; 3] = [["i1", "i2"], ["h1", "h2"], ["o1", "o2"]];

/// The worked network with every weight and bias named and valued, and each unit's output for
/// the stated inputs.
pub fn forward(out: &Path, h: &ByHand) -> backprop_book::Result<()> {
    let net = NOTE_NET.network()?;
    let mut d = NetworkDiagram::of(
        &net,
        &["inputs", "hidden (sigmoid)", "outputs (sigmoid)"],
        4,
    );
    for (name, l, i, j) in PARAMETERS {
        d.label_edge(l, i, j, format!("{name} = {:.2}", net.thetas()[l][[i, j]]));
    }
    let values = [NOTE_INPUT, h.out_h, h.out_o];
    for (l, names) in UNITS.iter().enumerate() {
        for (k, name) in names.iter().enumerate() {
            d.label_unit(l, k + 1, *name);
            d.note_unit(l, k + 1, format!("{:.4}", values[l][k]));
        }
    }
    plot::save_svg(out, "worked_forward.svg", (900, 460), |root| d.draw(root))?;
    Ok(())
}

/// The same network in its backward pass: each unit's δ, each product w·δ that flows back from
/// an output to a hidden unit, and each first-layer gradient δ_h · input.
pub fn backward(out: &Path, deltas: &[[f64; 2]; 2]) -> backprop_book::Result<()> {
    let net = NOTE_NET.network()?;
    let mut d = NetworkDiagram::of(&net, &["inputs", "hidden: δ", "outputs: δ"], 4);
    d.backward();
    let [hidden, output] = deltas;
    for (name, l, i, j) in PARAMETERS.into_iter().filter(|p| p.3 > 0) {
        let label = if l == 1 {
            format!("{name}·δ = {:.4}", net.thetas()[l][[i, j]] * output[i])
        } else {
            format!("∂E/∂{name} = {:.5}", hidden[i] * NOTE_INPUT[j - 1])
        };
        d.label_edge(l, i, j, label);
    }
    for (l, names) in UNITS.iter().enumerate() {
        for (k, name) in names.iter().enumerate() {
            d.label_unit(l, k + 1, *name);
            if l > 0 {
                d.note_unit(l, k + 1, format!("δ = {:.4}", deltas[l - 1][k]));
            }
        }
    }
    plot::save_svg(out, "worked_backward.svg", (900, 460), |root| d.draw(root))?;
    Ok(())
}

/// The one-unit computational graph: forward values under each node, local gradients on the
/// edges, and what the backward sweep brings to each node.
pub fn unit_graph(
    out: &Path,
    (w, b, x): ([f64; 2], f64, [f64; 2]),
    (z, a, j): (f64, f64, f64),
    (dj_da, da_dz, grad): (f64, f64, [f64; 3]),
) -> backprop_book::Result<()> {
    let mut g = Graph::default();
    let inputs = [
        ("x1", x[0], None),
        ("w1", w[0], Some(grad[0])),
        ("x2", x[1], None),
        ("w2", w[1], Some(grad[1])),
        ("b", b, Some(grad[2])),
    ];
    let zi = g.node((0.4, 0.5), Shape::Step, "z = w·x + b");
    let ai = g.node((0.64, 0.5), Shape::Step, "a = σ(z)");
    let ji = g.node((0.87, 0.5), Shape::Step, "J(a, y)");
    for (k, (name, value, gradient)) in inputs.into_iter().enumerate() {
        let n = g.node((0.1, 0.16 + 0.17 * k as f64), Shape::Unit, name);
        g.nodes[n].note = Some(match gradient {
            Some(d) => format!("{name} = {value}, ∂J/∂{name} = {d:.4}"),
            None => format!("{name} = {value}"),
        });
        let e = g.edge(n, zi);
        // The local gradient ∂z/∂(this input): the other factor of its product, or 1 for b.
        let local = match name {
            "x1" => w[0],
            "x2" => w[1],
            "w1" => x[0],
            "w2" => x[1],
            _ => 1.0,
        };
        g.edges[e].label = Some(format!("∂z/∂{name} = {local}"));
        g.edges[e].label_at = 0.55;
    }
    g.nodes[zi].note = Some(format!("z = {z:.4}, ∂J/∂z = {:.4}", dj_da * da_dz));
    g.nodes[ai].note = Some(format!("a = {a:.4}, ∂J/∂a = {dj_da:.4}"));
    g.nodes[ji].note = Some(format!("J = {j:.4}"));
    let e = g.edge(zi, ai);
    g.edges[e].label = Some(format!("∂a/∂z = {da_dz:.4}"));
    let e = g.edge(ai, ji);
    g.edges[e].label = Some(format!("∂J/∂a = {dj_da:.4}"));
    g.captions = vec![
        (0.1, "inputs".into()),
        (0.64, "forward →   ← backward".into()),
    ];
    plot::save_svg(out, "unit_graph.svg", (1000, 420), |root| g.draw(root))?;
    Ok(())
}

/// The cost curves of the same start under two schedules (and the batch run at the same step).
pub fn schedules(out: &Path, series: &[(&str, &[f64])]) -> backprop_book::Result<()> {
    plot::save_svg(out, "standard_vs_accumulated.svg", (760, 420), |root| {
        curves(
            root,
            "XNOR, 2-3-1: cost J per epoch",
            "epoch (one pass over the 4 examples)",
            "J",
            series,
        )
    })?;
    Ok(())
}

/// The output of one saturated unit per epoch, trained with each loss.
pub fn slowdown(out: &Path, series: &[(&str, &[f64])]) -> backprop_book::Result<()> {
    plot::save_svg(out, "learning_slowdown.svg", (760, 420), |root| {
        curves(
            root,
            "One unit, target 0, starting at output 0.98",
            "epoch",
            "output a",
            series,
        )
    })?;
    Ok(())
}

/// Several curves on one chart, their index on the x axis.
fn curves(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    caption: &str,
    x_desc: &str,
    y_desc: &str,
    series: &[(&str, &[f64])],
) -> DrawResult {
    let top = series
        .iter()
        .flat_map(|(_, s)| s.iter())
        .fold(0.0f64, |a, &b| a.max(b));
    let len = series.iter().map(|(_, s)| s.len()).max().unwrap_or(1) - 1;
    let mut chart = ChartBuilder::on(root)
        .caption(caption, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(32)
        .y_label_area_size(48)
        .build_cartesian_2d(0..len, 0.0..top * 1.05)?;
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .draw()?;
    for ((name, values), colour) in series.iter().zip(PALETTE) {
        chart
            .draw_series(LineSeries::new(
                values.iter().enumerate().map(|(e, &v)| (e, v)),
                colour.stroke_width(2),
            ))?
            .label(*name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], colour.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE)
        .position(SeriesLabelPosition::UpperRight)
        .draw()?;
    Ok(())
}
