//! [`crate::backprop::cost_and_gradient`] for the cross-entropy, fast. The same sums, rearranged:
//! - examples go through forward and backward passes in blocks of 60 rows, so each block of X is
//!   read from memory once and reused from cache for both products that need it;
//! - the bias is an initial value, not a column of ones copied onto X (16 MB at 5000 × 400);
//! - products are register-tiled ([`super::gemm`]) and σ, ln run four at a time ([`super::vmath`]);
//! - the rows are cut into 8 fixed chunks spread over the CPU's cores (rayon); chunk sums are
//!   added in chunk order, so the result does not depend on how many cores there are.

use std::sync::Mutex;

use ndarray::{Array2, ArrayView2};
use rayon::prelude::*;

use super::gemm::{Rows, dot_products, outer_products_add, padded};
use super::memory::Aligned;
use super::vmath;
use crate::activation::Activation;
use crate::cost::{check_lambda, check_targets, regularisation};
use crate::network::Network;
use crate::{Error, Result};

/// Examples per block, a multiple of the 12-row tile: a block of X (60 × 400) and every layer's
/// buffers fit in the L2 cache.
const BLOCK: usize = 60;
/// The rows are cut into this many chunks, whatever the number of cores.
const CHUNKS: usize = 8;

/// One layer's weights, laid out for the kernels.
struct Layer {
    /// Units in and out (without bias), and the width of this layer's buffers: padded to whole
    /// 4-column panels, except at the output.
    fan_in: usize,
    fan_out: usize,
    width: usize,
    /// Θ[:, 0], padded to width.
    bias: Vec<f64>,
    /// Θ[:, 1:], fan_out × padded(fan_in), each row starting on a cache line: read in place
    /// inside Θ (rows of 401 values, one bias ahead), 4-value loads straddled two lines half of
    /// the time and the forward product ran 3% slower.
    w: Aligned,
}

impl Layer {
    fn new(theta: &Array2<f64>, last: bool) -> Self {
        let (fan_out, fan_in) = (theta.nrows(), theta.ncols() - 1);
        let width = if last { fan_out } else { padded(fan_out) };
        let width_in = padded(fan_in);
        let mut bias = vec![0.0; width];
        bias.iter_mut()
            .zip(theta.column(0))
            .for_each(|(b, t)| *b = *t);
        let mut w = Aligned::zeros(fan_out * width_in);
        for (row, weights) in w
            .as_mut_slice()
            .chunks_exact_mut(width_in)
            .zip(theta.rows())
        {
            row.iter_mut()
                .zip(weights.iter().skip(1))
                .for_each(|(w, t)| *w = *t);
        }
        Layer {
            fan_in,
            fan_out,
            width,
            bias,
            w,
        }
    }

    /// Θ[:, 1:] as rows: row j is unit j's weights.
    fn weights(&self) -> Rows<'_> {
        Rows {
            data: self.w.as_slice(),
            stride: padded(self.fan_in),
        }
    }
}

/// One chunk's sums: the data cost and Σ over its examples of each layer's aᵀδ and δ.
struct Sums {
    cost: f64,
    /// Per layer: fan_out × fan_in, the weight part of Δ.
    weights: Vec<Vec<f64>>,
    /// Per layer: width, the bias part of Δ.
    biases: Vec<Vec<f64>>,
}

/// Buffers for one block: every layer's activations and deltas, `BLOCK` × width each.
struct Scratch {
    a: Vec<Vec<f64>>,
    delta: Vec<Vec<f64>>,
    /// One layer's δ transposed, `fan_out` × `BLOCK`.
    delta_t: Vec<f64>,
}

/// One chunk's buffers: its sums, and the block buffers it works in.
struct Workspace {
    /// (fan_in, fan_out) of each layer: the shapes these buffers were made for.
    shapes: Vec<(usize, usize)>,
    sums: Sums,
    scratch: Scratch,
}

/// Workspaces kept from one call to the next. Making and dropping about 1 MB of buffers on every
/// evaluation cost some 80 page faults, and the TLB flushes of handing the memory back to the
/// OS: 0.3 ms of 5 (perf, getrusage).
static SPARE: Mutex<Vec<Workspace>> = Mutex::new(Vec::new());

impl Workspace {
    /// A spare workspace with zeroed sums if one has these layers' shapes, else a new one.
    fn take(layers: &[Layer]) -> Self {
        let shapes: Vec<(usize, usize)> = layers.iter().map(|l| (l.fan_in, l.fan_out)).collect();
        let spare = SPARE.lock().ok().and_then(|mut spare| spare.pop());
        match spare {
            Some(mut w) if w.shapes == shapes => {
                w.sums.cost = 0.0;
                for v in w.sums.weights.iter_mut().chain(&mut w.sums.biases) {
                    v.fill(0.0);
                }
                w
            }
            _ => Workspace {
                shapes,
                sums: Sums {
                    cost: 0.0,
                    weights: layers
                        .iter()
                        .map(|l| vec![0.0; l.fan_out * l.fan_in])
                        .collect(),
                    biases: layers.iter().map(|l| vec![0.0; l.width]).collect(),
                },
                scratch: Scratch {
                    a: layers.iter().map(|l| vec![0.0; BLOCK * l.width]).collect(),
                    delta: layers.iter().map(|l| vec![0.0; BLOCK * l.width]).collect(),
                    delta_t: vec![0.0; BLOCK * layers.iter().map(|l| l.fan_out).max().unwrap_or(0)],
                },
            },
        }
    }

    /// Keeps the workspace for the next call (up to two per chunk).
    fn give_back(self) {
        if let Ok(mut spare) = SPARE.lock()
            && spare.len() < 2 * CHUNKS
        {
            spare.push(self);
        }
    }
}

/// The network's hidden activations must be σ or tanh: the two the fast kernels compute.
fn fast_activations(net: &Network) -> Result<Vec<Activation>> {
    let hidden = net.hidden_activations().to_vec();
    if let Some(bad) = hidden
        .iter()
        .find(|g| !matches!(g, Activation::Sigmoid | Activation::Tanh))
    {
        return Err(Error::invalid(
            "hidden activation for the fast path",
            "sigmoid or tanh (use backprop::cost_and_gradient for others)",
            bad,
        ));
    }
    Ok(hidden)
}

/// Sums over rows `rows` of (x, y): forward, cost, backward, block by block, in a workspace.
fn chunk_sums(
    layers: &[Layer],
    hidden: &[Activation],
    x: Rows,
    y: Rows,
    rows: std::ops::Range<usize>,
) -> Workspace {
    let last = layers.len() - 1;
    let mut work = Workspace::take(layers);
    let (sums, scratch) = (&mut work.sums, &mut work.scratch);
    let mut start = rows.start;
    while start < rows.end {
        let n = BLOCK.min(rows.end - start);
        let x_block = Rows {
            data: &x.data[start * x.stride..],
            stride: x.stride,
        };
        // Forward: scratch.a[l] holds layer l's output: g(z), and z itself for the last layer.
        for (l, layer) in layers.iter().enumerate() {
            let (before, after) = scratch.a.split_at_mut(l);
            let input = if l == 0 {
                x_block
            } else {
                Rows {
                    data: &before[l - 1],
                    stride: layers[l - 1].width,
                }
            };
            let out = &mut after[0][..n * layer.width];
            dot_products(
                input,
                layer.weights(),
                layer.fan_in,
                n,
                layer.fan_out,
                &layer.bias,
                layer.width,
                out,
            );
            if l < last {
                match hidden[l] {
                    Activation::Tanh => vmath::tanh_in_place(out),
                    _ => vmath::sigmoid_in_place(out),
                }
            }
        }
        // Cost and δ = σ(z) − y at the output, whose buffers are unpadded: the block's z and y
        // are each one run of memory, so one vectorised pass does the whole block.
        let k = layers[last].fan_out;
        sums.cost += vmath::cross_entropy_and_delta(
            &scratch.a[last][..n * k],
            &y.data[start * k..(start + n) * k],
            &mut scratch.delta[last][..n * k],
        );
        // Backward: Δ^(l) += a^(l)ᵀδ^(l+1); δ^(l) = δ^(l+1)·W ⊙ g′ read off a^(l).
        for l in (0..=last).rev() {
            let layer = &layers[l];
            let input = if l == 0 {
                x_block
            } else {
                Rows {
                    data: &scratch.a[l - 1],
                    stride: layers[l - 1].width,
                }
            };
            let delta = &scratch.delta[l][..n * layer.width];
            outer_products_add(
                Rows {
                    data: delta,
                    stride: layer.width,
                },
                input,
                n,
                layer.fan_out,
                layer.fan_in,
                &mut sums.weights[l],
            );
            for r in 0..n {
                for (b, d) in sums.biases[l]
                    .iter_mut()
                    .zip(&delta[r * layer.width..(r + 1) * layer.width])
                {
                    *b += d;
                }
            }
            if l > 0 {
                let below = &layers[l - 1];
                let (lower, upper) = scratch.delta.split_at_mut(l);
                let back = &mut lower[l - 1][..n * below.width];
                // δ_in = δ_out·W is Σ_j δ_out[r, j]·W[j, :], the same sum of outer products as
                // Δ, so the same kernel computes it from δ_out transposed.
                let t = &mut scratch.delta_t[..layer.fan_out * n];
                for r in 0..n {
                    for j in 0..layer.fan_out {
                        t[j * n + r] = upper[0][r * layer.width + j];
                    }
                }
                back.fill(0.0);
                outer_products_add(
                    Rows { data: t, stride: n },
                    layer.weights(),
                    layer.fan_out,
                    n,
                    below.width,
                    back,
                );
                scale_by_derivative(hidden[l - 1], back, &scratch.a[l - 1]);
            }
        }
        start += n;
    }
    work
}

/// δ ⊙= g′, with g′ read off the layer's output a. The match is outside the loop, so the loop
/// is one multiply-add per value and vectorises (a match per value took 2.5% of the time, perf).
fn scale_by_derivative(g: Activation, delta: &mut [f64], a: &[f64]) {
    fn scale(delta: &mut [f64], a: &[f64], derivative: impl Fn(f64) -> f64) {
        delta
            .iter_mut()
            .zip(a)
            .for_each(|(d, a)| *d *= derivative(*a));
    }
    match g {
        Activation::Tanh => scale(delta, a, |a| Activation::Tanh.derivative_from_output(a)),
        _ => scale(delta, a, |a| Activation::Sigmoid.derivative_from_output(a)),
    }
}

/// J(Θ) and ∂J/∂Θ for the cross-entropy: the same numbers as
/// [`crate::backprop::cost_and_gradient`] (to rounding; a test compares them), for networks whose
/// hidden layers use σ or tanh. Matches [`crate::optimize::CostAndGradient`].
pub fn cost_and_gradient(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
) -> Result<(f64, Vec<Array2<f64>>)> {
    check_targets(net, x, y)?;
    check_lambda(lambda)?;
    let hidden = fast_activations(net)?;
    let (x, y) = (x.as_standard_layout(), y.as_standard_layout());
    let layers: Vec<Layer> = net
        .thetas()
        .iter()
        .enumerate()
        .map(|(l, theta)| Layer::new(theta, l + 1 == net.thetas().len()))
        .collect();
    let m = x.nrows();
    let xr = Rows {
        data: x.as_slice().expect("standard layout"),
        stride: x.ncols(),
    };
    let yr = Rows {
        data: y.as_slice().expect("standard layout"),
        stride: y.ncols(),
    };
    let chunk = m.div_ceil(CHUNKS).max(BLOCK);
    let chunks: Vec<std::ops::Range<usize>> = (0..m)
        .step_by(chunk)
        .map(|s| s..(s + chunk).min(m))
        .collect();
    // rayon's threads outlive the call: starting two threads per evaluation cost more than 0.2
    // ms (perf: thread start-up and the TLB flushes it causes). `collect` keeps chunk order.
    let mut results = chunks
        .par_iter()
        .map(|range| chunk_sums(&layers, &hidden, xr, yr, range.clone()))
        .collect::<Vec<Workspace>>()
        .into_iter();
    // Add the chunks in order, then divide by m and regularise, as the readable code does.
    let mut total = results.next().expect("at least one chunk");
    for part in results {
        let (t, p) = (&mut total.sums, &part.sums);
        t.cost += p.cost;
        for (acc, part) in t.weights.iter_mut().zip(&p.weights) {
            acc.iter_mut().zip(part).for_each(|(a, p)| *a += p);
        }
        for (acc, part) in t.biases.iter_mut().zip(&p.biases) {
            acc.iter_mut().zip(part).for_each(|(a, p)| *a += p);
        }
        part.give_back();
    }
    let mf = m as f64;
    let thetas = net.thetas();
    let gradients = layers
        .iter()
        .zip(thetas)
        .enumerate()
        .map(|(l, (layer, theta))| {
            let mut d = Array2::zeros(theta.dim());
            let sums = total.sums.weights[l].chunks_exact(layer.fan_in);
            for (((mut d, theta), sums), bias) in d
                .rows_mut()
                .into_iter()
                .zip(theta.rows())
                .zip(sums)
                .zip(&total.sums.biases[l])
            {
                d[0] = bias / mf;
                for ((d, t), s) in d.iter_mut().skip(1).zip(theta.iter().skip(1)).zip(sums) {
                    *d = s / mf + lambda / mf * t;
                }
            }
            d
        })
        .collect();
    let j = total.sums.cost / mf + regularisation(thetas, lambda, m);
    total.give_back();
    Ok((j, gradients))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimize::backpropagation as readable;
    use rand::RngExt;

    fn problem(
        sizes: &[usize],
        m: usize,
        hidden: Activation,
    ) -> (Network, Array2<f64>, Array2<f64>) {
        let mut rng = crate::data::rng(11);
        let net = crate::init::scaled_normal_network(sizes, hidden, &mut rng).unwrap();
        let x = Array2::from_shape_simple_fn((m, sizes[0]), || rng.random_range(-1.0..1.0));
        let k = *sizes.last().unwrap();
        let classes: Vec<usize> = (0..m).map(|i| (i * 7) % k).collect();
        (net, x, crate::cost::one_hot(&classes, k).unwrap())
    }

    #[test]
    fn agrees_with_the_readable_backpropagation() {
        for (sizes, m, g) in [
            (vec![400, 25, 10], 300, Activation::Sigmoid),
            (vec![3, 5, 3], 5, Activation::Sigmoid),
            (vec![2, 7, 6, 2], 130, Activation::Tanh),
            (vec![9, 1], 65, Activation::Sigmoid),
        ] {
            let (net, x, y) = problem(&sizes, m, g);
            let (j_fast, d_fast) = cost_and_gradient(&net, x.view(), y.view(), 1.5).unwrap();
            let (j, d) = readable(&net, x.view(), y.view(), 1.5).unwrap();
            assert!(
                (j_fast - j).abs() <= 1e-14 * j,
                "{sizes:?}: J {j_fast} vs {j}"
            );
            for (f, r) in d_fast.iter().zip(&d) {
                assert_eq!(f.dim(), r.dim());
                let scale = r.iter().fold(0.0f64, |s, v| s.max(v.abs()));
                for (a, b) in f.iter().zip(r) {
                    assert!((a - b).abs() <= 1e-13 * scale, "{sizes:?}: {a} vs {b}");
                }
            }
        }
    }

    #[test]
    fn relu_is_refused_with_a_pointer_to_the_readable_path() {
        let (net, x, y) = problem(&[2, 3, 2], 4, Activation::Relu);
        let e = cost_and_gradient(&net, x.view(), y.view(), 0.0).unwrap_err();
        assert!(e.to_string().contains("sigmoid or tanh"), "{e}");
        // Columns in the wrong order (a transposed view) are handled, not misread.
        let (net, x, y) = problem(&[3, 4, 2], 6, Activation::Sigmoid);
        let xt = x.t().to_owned();
        let (j, _) = cost_and_gradient(&net, xt.t(), y.view(), 0.0).unwrap();
        let (want, _) = readable(&net, x.view(), y.view(), 0.0).unwrap();
        assert!((j - want).abs() < 1e-14);
    }
}
