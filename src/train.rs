//! Plain gradient descent on J(Θ), batch or one example at a time. Later chapters add better
//! optimisers; these two are what the notes compare.

use ndarray::{ArrayView2, s};

use crate::backprop::cost_and_gradient;
use crate::cost::{Loss, cost};
use crate::network::Network;
use crate::{Error, Result};

/// How gradient descent walks through the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// Accumulated (batch) updates: one step per pass, with the gradient over all m examples.
    Batch,
    /// Standard (per-example) updates: m steps per pass, each with one example's gradient.
    PerExample,
}

fn check_rate(rate: f64) -> Result<()> {
    if rate > 0.0 && rate.is_finite() {
        Ok(())
    } else {
        Err(Error::invalid("learning rate", "a number > 0", rate))
    }
}

// ANCHOR: descent
/// The settings of a gradient-descent run.
#[derive(Debug, Clone, Copy)]
pub struct Descent {
    pub lambda: f64,
    pub loss: Loss,
    pub rate: f64,
    pub epochs: usize,
    pub schedule: Schedule,
}

impl Descent {
    /// Runs `epochs` passes of Θ ← Θ − α·D and returns the trained network and the cost over
    /// all examples after each pass (the first entry is before training). Stops with an error
    /// naming the epoch if the cost stops being finite.
    pub fn run(
        &self,
        mut net: Network,
        x: ArrayView2<f64>,
        y: ArrayView2<f64>,
    ) -> Result<(Network, Vec<f64>)> {
        check_rate(self.rate)?;
        let mut costs = vec![cost(&net, x, y, self.lambda, self.loss)?];
        for epoch in 1..=self.epochs {
            let batches: Vec<(usize, usize)> = match self.schedule {
                Schedule::Batch => vec![(0, x.nrows())],
                Schedule::PerExample => (0..x.nrows()).map(|i| (i, i + 1)).collect(),
            };
            for (from, to) in batches {
                let rows = s![from..to, ..];
                let (_, d) =
                    cost_and_gradient(&net, x.slice(rows), y.slice(rows), self.lambda, self.loss)?;
                net = net.step(&d, self.rate)?;
            }
            let j = cost(&net, x, y, self.lambda, self.loss)?;
            if !j.is_finite() {
                return Err(Error::invalid(
                    format!("cost after epoch {epoch}"),
                    "a finite number (try a smaller learning rate)",
                    j,
                ));
            }
            costs.push(j);
        }
        Ok((net, costs))
    }
}
// ANCHOR_END: descent
