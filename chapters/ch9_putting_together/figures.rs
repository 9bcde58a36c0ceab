//! Chapter 9's figures: J per iteration for each learning rate, and accuracy against λ.
//! Plumbing: the runs they draw are in main.rs.

use std::path::Path;

use backprop_book::plot::{self, DrawResult, PALETTE};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Curve, DESCENT_ITERATIONS, MOONS_HIDDEN, SweepPoint};

/// learning_rates.svg: the curves of the learning-rate section.
pub fn learning_rates(out: &Path, curves: &[Curve]) -> backprop_book::Result<()> {
    plot::save_svg(out, "learning_rates.svg", (760, 420), |root| {
        draw_learning_rates(root, curves)
    })?;
    Ok(())
}

/// lambda_sweep.svg: the λ sweep on two moons.
pub fn lambda_sweep(out: &Path, sweep: &[SweepPoint]) -> backprop_book::Result<()> {
    plot::save_svg(out, "lambda_sweep.svg", (760, 420), |root| {
        draw_lambda_sweep(root, sweep)
    })?;
    Ok(())
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
