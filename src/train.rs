//! Plain gradient descent on J(Θ), batch or one example at a time. Later chapters add better
//! optimisers; these two are what the notes compare.

use ndarray::{ArrayView2, s};

use crate::backprop::{cost_and_gradient, gradient};
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

/// The settings of a gradient-descent run.
#[derive(Debug, Clone, Copy)]
pub struct Descent {
    pub lambda: f64,
    pub loss: Loss,
    pub rate: f64,
    pub epochs: usize,
    pub schedule: Schedule,
    /// Record J every this many epochs (1: after every epoch). Costs nothing in between.
    pub record_every: usize,
}

impl Descent {
    /// Full-batch descent without regularisation, J recorded after every epoch: the usual
    /// settings; change any other with struct update syntax (`Descent { lambda, ..Descent::new(…) }`).
    pub fn new(loss: Loss, rate: f64, epochs: usize) -> Self {
        let (lambda, schedule, record_every) = (0.0, Schedule::Batch, 1);
        Descent {
            lambda,
            loss,
            rate,
            epochs,
            schedule,
            record_every,
        }
    }

    // ANCHOR: epoch
    /// One pass over the examples, Θ ← Θ − α·D: accumulated BP takes one step along the mean
    /// gradient of all of them, standard BP one step per example along that example's gradient.
    pub fn epoch(
        &self,
        mut net: Network,
        x: ArrayView2<f64>,
        y: ArrayView2<f64>,
    ) -> Result<Network> {
        match self.schedule {
            Schedule::Batch => net.step(&gradient(&net, x, y, self.lambda, self.loss)?, self.rate),
            Schedule::PerExample => {
                for i in 0..x.nrows() {
                    let (xi, yi) = (x.slice(s![i..i + 1, ..]), y.slice(s![i..i + 1, ..]));
                    net = net.step(&gradient(&net, xi, yi, self.lambda, self.loss)?, self.rate)?;
                }
                Ok(net)
            }
        }
    }
    // ANCHOR_END: epoch
}

impl Descent {
    /// Runs `epochs` passes of Θ ← Θ − α·D and returns the trained network and the cost over
    /// all examples every `record_every` passes: entry k is J after k·record_every passes (entry
    /// 0 before training), and the last is always after the final pass. Stops with an error naming
    /// the epoch if a recorded cost is not finite.
    pub fn run(
        &self,
        net: Network,
        x: ArrayView2<f64>,
        y: ArrayView2<f64>,
    ) -> Result<(Network, Vec<f64>)> {
        self.run_with(net, x, y, |_, _| {})
    }

    /// [`Descent::run`], calling `after_epoch(epoch, cost)` whenever a cost is recorded (for
    /// progress bars).
    pub fn run_with(
        &self,
        mut net: Network,
        x: ArrayView2<f64>,
        y: ArrayView2<f64>,
        mut after_epoch: impl FnMut(usize, f64),
    ) -> Result<(Network, Vec<f64>)> {
        check_rate(self.rate)?;
        if self.record_every == 0 {
            return Err(Error::invalid(
                "record_every",
                "at least 1 (epochs between recorded costs)",
                0,
            ));
        }
        let mut costs = Vec::with_capacity(self.epochs / self.record_every + 2);
        for epoch in 0..self.epochs {
            let recording = epoch % self.record_every == 0;
            match self.schedule {
                Schedule::Batch if recording => {
                    // The cost comes with the gradient: J before this step is J after the last.
                    let (j, d) = cost_and_gradient(&net, x, y, self.lambda, self.loss)?;
                    record(&mut costs, epoch, j)?;
                    net = net.step(&d, self.rate)?;
                }
                _ => {
                    if recording {
                        record(&mut costs, epoch, cost(&net, x, y, self.lambda, self.loss)?)?;
                    }
                    net = self.epoch(net, x, y)?;
                }
            }
            if recording && epoch > 0 {
                after_epoch(epoch, *costs.last().expect("just recorded"));
            }
        }
        record(
            &mut costs,
            self.epochs,
            cost(&net, x, y, self.lambda, self.loss)?,
        )?;
        after_epoch(self.epochs, costs[costs.len() - 1]);
        Ok((net, costs))
    }
}

/// Appends the cost after `epoch` passes, or stops the run if it is not finite.
pub(crate) fn record(costs: &mut Vec<f64>, epoch: usize, j: f64) -> Result<()> {
    if !j.is_finite() {
        return Err(Error::invalid(
            format!("cost after epoch {epoch}"),
            "a finite number: training diverged (try a smaller learning rate)",
            j,
        ));
    }
    costs.push(j);
    Ok(())
}
