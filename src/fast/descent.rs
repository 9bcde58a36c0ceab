//! [`crate::train::Descent::run`] for batch gradient descent on the cross-entropy, fast. On small
//! data (chapter 8's 60 points) the readable loop's time goes to allocating matrices and calling
//! exp, not to arithmetic. Here one set of buffers is reused for every iteration, examples lie
//! along each row (one row per unit), so every loop runs over the examples four at a time, and
//! σ, tanh, ln are [`super::vmath`]'s.

use ndarray::{Array2, ArrayView2};

use super::vmath::{self, with_avx2};
use crate::activation::Activation;
use crate::cost::{Loss, check_lambda, check_targets};
use crate::network::Network;
use crate::train::{Descent, Schedule, record};
use crate::{Error, Result};

/// The weights and every buffer one iteration needs, allocated once.
pub struct State {
    m: usize,
    /// Per layer: fan_out × fan_in weights (row-major), fan_out biases, and whether its units use
    /// tanh (else σ; the output layer is always σ).
    w: Vec<Vec<f64>>,
    b: Vec<Vec<f64>>,
    tanh: Vec<bool>,
    sizes: Vec<usize>,
    /// a[l]: sizes[l] × m, layer l's activations (a[0] = Xᵀ; the last holds z of the output).
    a: Vec<Vec<f64>>,
    /// delta[l]: sizes[l] × m (delta[0] unused).
    delta: Vec<Vec<f64>>,
    /// Yᵀ: outputs × m.
    y: Vec<f64>,
}

impl State {
    fn new(net: &Network, x: ArrayView2<f64>, y: ArrayView2<f64>) -> Self {
        let m = x.nrows();
        let sizes = net.sizes();
        let mut tanh: Vec<bool> = net
            .hidden_activations()
            .iter()
            .map(|g| *g == Activation::Tanh)
            .collect();
        tanh.push(false);
        State {
            m,
            w: net
                .thetas()
                .iter()
                .map(|t| t.slice(ndarray::s![.., 1..]).iter().copied().collect())
                .collect(),
            b: net.thetas().iter().map(|t| t.column(0).to_vec()).collect(),
            tanh,
            a: sizes
                .iter()
                .enumerate()
                .map(|(l, &s)| {
                    if l == 0 {
                        x.t().iter().copied().collect()
                    } else {
                        vec![0.0; s * m]
                    }
                })
                .collect(),
            delta: sizes.iter().map(|&s| vec![0.0; s * m]).collect(),
            y: y.t().iter().copied().collect(),
            sizes,
        }
    }

    fn network(&self, hidden: &[Activation]) -> Result<Network> {
        let thetas = (0..self.w.len())
            .map(|l| {
                let (rows, cols) = (self.sizes[l + 1], self.sizes[l]);
                Array2::from_shape_fn((rows, cols + 1), |(j, k)| {
                    if k == 0 {
                        self.b[l][j]
                    } else {
                        self.w[l][j * cols + k - 1]
                    }
                })
            })
            .collect();
        Network::with_activations(thetas, hidden.to_vec())
    }
}

/// Σᵢ uᵢvᵢ in four lanes.
#[inline(always)]
fn dot(u: &[f64], v: &[f64]) -> f64 {
    let mut lanes = [0.0; 4];
    let (uc, vc) = (u.chunks_exact(4), v.chunks_exact(4));
    let tail: f64 = uc
        .remainder()
        .iter()
        .zip(vc.remainder())
        .map(|(a, b)| a * b)
        .sum();
    for (u4, v4) in uc.zip(vc) {
        for l in 0..4 {
            lanes[l] += u4[l] * v4[l];
        }
    }
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail
}

with_avx2! {
    /// One iteration: forward, (the data cost if `with_cost`), backward, and the step
    /// Θ ← Θ − α(Δ/m + (λ/m)Θ), bias excluded from λ, as the readable code computes it.
    iterate(s: &mut State, rate: f64, lambda: f64, with_cost: bool) -> f64 {
        let (m, layers) = (s.m, s.w.len());
        let mf = m as f64;
        for l in 0..layers {
            let (fan_in, fan_out) = (s.sizes[l], s.sizes[l + 1]);
            let (below, above) = s.a.split_at_mut(l + 1);
            let input = &below[l];
            for j in 0..fan_out {
                let out = &mut above[0][j * m..(j + 1) * m];
                out.fill(s.b[l][j]);
                for k in 0..fan_in {
                    let w = s.w[l][j * fan_in + k];
                    for (o, a) in out.iter_mut().zip(&input[k * m..(k + 1) * m]) {
                        *o += w * a;
                    }
                }
                if l + 1 < layers {
                    if s.tanh[l] {
                        vmath::map_in_place(out, vmath::tanh);
                    } else {
                        vmath::map_in_place(out, vmath::sigmoid);
                    }
                }
            }
        }
        let z = &s.a[layers];
        let cost = if with_cost {
            vmath::cross_entropy_sum(z, &s.y)
        } else {
            0.0
        };
        vmath::map2(&mut s.delta[layers], z, &s.y, |z, y| vmath::sigmoid(z) - y);
        for l in (0..layers).rev() {
            let (fan_in, fan_out) = (s.sizes[l], s.sizes[l + 1]);
            let (lower, upper) = s.delta.split_at_mut(l + 1);
            let delta = &upper[0];
            // δ back to layer l before its weights change: δ_l[k] = Σ_j W[j,k] δ[j] ⊙ g′(a_l[k]).
            if l > 0 {
                let back = &mut lower[l];
                back.fill(0.0);
                for j in 0..fan_out {
                    let dj = &delta[j * m..(j + 1) * m];
                    for k in 0..fan_in {
                        let w = s.w[l][j * fan_in + k];
                        for (o, d) in back[k * m..(k + 1) * m].iter_mut().zip(dj) {
                            *o += w * d;
                        }
                    }
                }
                let tanh = s.tanh[l - 1];
                for (o, &a) in back.iter_mut().zip(&s.a[l]) {
                    *o *= if tanh { 1.0 - a * a } else { a * (1.0 - a) };
                }
            }
            let input = &s.a[l];
            for j in 0..fan_out {
                let dj = &delta[j * m..(j + 1) * m];
                let gb = vmath::sum4(dj) / mf;
                s.b[l][j] -= gb * rate;
                for k in 0..fan_in {
                    let w = &mut s.w[l][j * fan_in + k];
                    let g = dot(dj, &input[k * m..(k + 1) * m]) / mf + lambda / mf * *w;
                    *w -= g * rate;
                }
            }
        }
        cost / mf
    }
}

/// [`Descent::run`] with the same arguments and results (to rounding; a test compares them) for
/// batch gradient descent on the cross-entropy with σ or tanh hidden units. Other settings are
/// passed to the readable [`Descent::run`].
pub fn run(
    descent: &Descent,
    net: Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
) -> Result<(Network, Vec<f64>)> {
    let hidden = net.hidden_activations().to_vec();
    let fast_ok = descent.schedule == Schedule::Batch
        && descent.loss == Loss::CrossEntropy
        && hidden
            .iter()
            .all(|g| matches!(g, Activation::Sigmoid | Activation::Tanh));
    if !fast_ok {
        return descent.run(net, x, y);
    }
    check_targets(&net, x, y)?;
    check_lambda(descent.lambda)?;
    if !(descent.rate > 0.0 && descent.rate.is_finite()) {
        return Err(Error::invalid(
            "learning rate",
            "a number > 0",
            descent.rate,
        ));
    }
    if descent.record_every == 0 {
        return Err(Error::invalid(
            "record_every",
            "at least 1 (epochs between recorded costs)",
            0,
        ));
    }
    let mut state = State::new(&net, x, y);
    // λ/(2m) Σ w², bias excluded: the readable `regularisation` on the state's weights.
    let penalty = |s: &State| {
        let squares: f64 =
            s.w.iter()
                .map(|w| w.iter().map(|v| v * v).sum::<f64>())
                .sum();
        descent.lambda / (2.0 * s.m as f64) * squares
    };
    let mut costs = Vec::with_capacity(descent.epochs / descent.record_every + 2);
    for epoch in 0..descent.epochs {
        if epoch % descent.record_every == 0 {
            // J before this step, as the readable loop records it.
            let before = penalty(&state);
            let data = iterate(&mut state, descent.rate, descent.lambda, true);
            record(&mut costs, epoch, data + before)?;
        } else {
            iterate(&mut state, descent.rate, descent.lambda, false);
        }
    }
    let trained = state.network(&hidden)?;
    let last = crate::cost::cost(&trained, x, y, descent.lambda, Loss::CrossEntropy)?;
    record(&mut costs, descent.epochs, last)?;
    Ok((trained, costs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_readable_descent() {
        for (sizes, g, lambda) in [
            (vec![2, 5, 2], Activation::Tanh, 0.0),
            (vec![2, 3, 4, 2], Activation::Sigmoid, 0.7),
            (vec![2, 50, 2], Activation::Tanh, 0.1),
        ] {
            let (x, classes) = crate::data::moons(61, 0.2, 3);
            let y = crate::cost::one_hot(&classes, 2).unwrap();
            let net =
                crate::init::scaled_normal_network(&sizes, g, &mut crate::data::rng(4)).unwrap();
            let descent = Descent {
                lambda,
                record_every: 7,
                ..Descent::new(Loss::CrossEntropy, 0.1, 300)
            };
            let (fast, fast_costs) = run(&descent, net.clone(), x.view(), y.view()).unwrap();
            let (slow, slow_costs) = descent.run(net, x.view(), y.view()).unwrap();
            assert_eq!(fast_costs.len(), slow_costs.len());
            for (a, b) in fast_costs.iter().zip(&slow_costs) {
                assert!((a - b).abs() < 1e-12 * b, "{sizes:?}: cost {a} vs {b}");
            }
            for (f, s) in fast.thetas().iter().zip(slow.thetas()) {
                for (a, b) in f.iter().zip(s) {
                    assert!(
                        (a - b).abs() < 1e-11 * (1.0 + b.abs()),
                        "{sizes:?}: {a} vs {b}"
                    );
                }
            }
        }
    }
}
