//! [`crate::gradcheck::check_network`], fast, for networks with one hidden layer (the course's
//! 400-25-10). The readable check evaluates the whole cost twice per parameter: 10,285 × 2 forward
//! passes over 5000 examples. But moving one weight changes little:
//! - Θ⁽¹⁾ⱼₖ feeds hidden unit j only: z⁽²⁾ⱼ moves by ±ε·xₖ, so a⁽²⁾ⱼ changes and the outputs move
//!   by Θ⁽²⁾[:, j]·Δa⁽²⁾ⱼ. Everything else in the forward pass is as before.
//! - Θ⁽²⁾ⱼₖ feeds output j only: z⁽³⁾ⱼ moves by ±ε·a⁽²⁾ₖ and no other output changes.
//!
//! So one forward pass is stored, and each perturbation recomputes only what it changes. The
//! terms of J it does not change cancel in J(θ + ε) − J(θ − ε), so only changed terms are summed.

use ndarray::{Array1, Array2, ArrayView2};
use rayon::prelude::*;

use super::vmath::{self, with_avx2};
use crate::Result;
use crate::activation::Activation;
use crate::cost::{Loss, check_lambda, check_targets};
use crate::gradcheck::{self, Check};
use crate::network::Network;
use crate::unroll::unroll;

with_avx2! {
    /// Σᵢ [f(zᵢ + w·pᵢ, yᵢ) − f(zᵢ + w·qᵢ, yᵢ)] with f the cross-entropy term: the change in one
    /// output's part of m·J between the two perturbed networks. Four lanes.
    difference(z: &[f64], y: &[f64], w: f64, p: &[f64], q: &[f64]) -> f64 {
        let n = z.len();
        assert!(y.len() == n && p.len() == n && q.len() == n);
        let mut moved = [0.0; vmath::BATCH];
        let mut buffer = [0.0; vmath::BATCH];
        let mut total = 0.0;
        for start in (0..n).step_by(vmath::BATCH) {
            let end = (start + vmath::BATCH).min(n);
            let (z, y) = (&z[start..end], &y[start..end]);
            let (out, moved) = (&mut buffer[..end - start], &mut moved[..end - start]);
            // ℓ at z + w·p minus ℓ at z + w·q, as two vectorised passes.
            vmath::map2(moved, z, &p[start..end], |z, p| z + w * p);
            vmath::map2(out, moved, y, vmath::cross_entropy);
            let plus = vmath::sum4(out);
            vmath::map2(moved, z, &q[start..end], |z, q| z + w * q);
            vmath::map2(out, moved, y, vmath::cross_entropy);
            total += plus - vmath::sum4(out);
        }
        total
    }
}

with_avx2! {
    /// p = g(z + εx) − a and q = g(z − εx) − a: how hidden unit j's activation moves when one of
    /// its weights moves by ±ε (x = 1 for the bias).
    moved(z: &[f64], a: &[f64], x: Option<&[f64]>, epsilon: f64, tanh: bool, p: &mut [f64], q: &mut [f64]) -> () {
        let n = z.len();
        assert!(a.len() == n && p.len() == n && q.len() == n && x.is_none_or(|x| x.len() == n));
        for (side, out) in [(epsilon, &mut *p), (-epsilon, &mut *q)] {
            // z ± ε·x, then g, then minus a: three vectorised passes.
            match x {
                Some(x) => vmath::map2(out, z, x, |z, x| z + side * x),
                None => {
                    for (o, z) in out.iter_mut().zip(z) {
                        *o = z + side;
                    }
                }
            }
            if tanh {
                vmath::map_in_place(out, vmath::tanh);
            } else {
                vmath::map_in_place(out, vmath::sigmoid);
            }
            for (o, a) in out.iter_mut().zip(a) {
                *o -= a;
            }
        }
    }
}

/// The stored forward pass, one unit per row (examples along each row).
struct Pass {
    /// xᵀ: one input per row.
    x: Array2<f64>,
    z2: Array2<f64>,
    a2: Array2<f64>,
    z3: Array2<f64>,
    y: Array2<f64>,
}

fn forward(net: &Network, x: ArrayView2<f64>, y: ArrayView2<f64>) -> Pass {
    let (t1, t2) = (&net.thetas()[0], &net.thetas()[1]);
    let xt = x.t().as_standard_layout().into_owned();
    let z2 = t1.slice(ndarray::s![.., 1..]).dot(&xt) + t1.column(0).insert_axis(ndarray::Axis(1));
    let g = net.hidden_activations()[0];
    let a2 = g.apply_all(&z2);
    let z3 = t2.slice(ndarray::s![.., 1..]).dot(&a2) + t2.column(0).insert_axis(ndarray::Axis(1));
    Pass {
        x: xt,
        z2,
        a2,
        z3,
        y: y.t().as_standard_layout().into_owned(),
    }
}

/// What every estimate needs: the stored pass, both Θs and the check's settings.
struct Checker<'a> {
    pass: Pass,
    t1: &'a Array2<f64>,
    t2: &'a Array2<f64>,
    epsilon: f64,
    lambda: f64,
    tanh: bool,
}

/// Row `i` of a standard-layout matrix, as a slice.
fn row(matrix: &Array2<f64>, i: usize) -> &[f64] {
    matrix
        .row(i)
        .to_slice()
        .expect("rows of a standard-layout matrix")
}

impl Checker<'_> {
    // ANCHOR: hidden_weight
    /// The estimates for the n + 1 weights into hidden unit j, as (unrolled index, estimate):
    /// moving one by ±ε moves a⁽²⁾ⱼ by p or q, and each output c by Θ⁽²⁾[c, j]·p or ·q.
    fn hidden_unit(&self, j: usize, p: &mut [f64], q: &mut [f64]) -> Vec<(usize, f64)> {
        let (z, a) = (row(&self.pass.z2, j), row(&self.pass.a2, j));
        let mut found = Vec::new();
        for input in 0..self.t1.ncols() {
            let x = (input > 0).then(|| row(&self.pass.x, input - 1)); // x₀ = 1: the bias
            moved(z, a, x, self.epsilon, self.tanh, p, q);
            let change: f64 = (0..self.t2.nrows())
                .map(|c| self.output_change(c, self.t2[[c, j + 1]], p, q))
                .sum();
            // Column-major unrolling: Θ⁽¹⁾[j, input] sits at input·h + j.
            let at = input * self.t1.nrows() + j;
            found.push((at, self.numerical(change, self.t1[[j, input]], input == 0)));
        }
        found
    }
    // ANCHOR_END: hidden_weight

    /// The estimates for the h + 1 weights into output c: moving one by ±ε moves z⁽³⁾꜀ alone,
    /// by ±ε·a⁽²⁾ (1 for the bias).
    fn output_unit(&self, c: usize, p: &mut [f64], q: &mut [f64]) -> Vec<(usize, f64)> {
        let (h, k) = (self.t1.nrows(), self.t2.nrows());
        let mut found = Vec::new();
        for unit in 0..=h {
            for i in 0..p.len() {
                let a = if unit == 0 {
                    1.0
                } else {
                    self.pass.a2[[unit - 1, i]]
                };
                p[i] = self.epsilon * a;
                q[i] = -self.epsilon * a;
            }
            let change = self.output_change(c, 1.0, p, q);
            let at = self.t1.len() + unit * k + c;
            found.push((at, self.numerical(change, self.t2[[c, unit]], unit == 0)));
        }
        found
    }

    /// The change in output c's part of m·J when its z moves by w·p rather than w·q.
    fn output_change(&self, c: usize, w: f64, p: &[f64], q: &[f64]) -> f64 {
        difference(row(&self.pass.z3, c), row(&self.pass.y, c), w, p, q)
    }

    /// The two-sided difference of J along one weight, from the change in m·J's data terms.
    fn numerical(&self, change: f64, theta: f64, bias: bool) -> f64 {
        let (epsilon, m) = (self.epsilon, self.pass.y.ncols() as f64);
        let reg = if bias {
            0.0
        } else {
            self.lambda / (2.0 * m) * ((theta + epsilon).powi(2) - (theta - epsilon).powi(2))
        };
        (change / m + reg) / (2.0 * epsilon)
    }
}

/// Gradient checking of every parameter of a one-hidden-layer network (σ or tanh hidden units,
/// cross-entropy), each perturbation recomputing only the unit it moves. The same numbers as
/// [`gradcheck::check_network`] to rounding (a test compares them); other networks are passed
/// to that readable check.
pub fn check_network(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
    epsilon: f64,
) -> Result<Check> {
    let hidden = net.hidden_activations();
    if net.thetas().len() != 2 || !matches!(hidden[0], Activation::Sigmoid | Activation::Tanh) {
        return gradcheck::check_network(net, x, y, lambda, Loss::CrossEntropy, epsilon);
    }
    check_targets(net, x, y)?;
    check_lambda(lambda)?;
    gradcheck::check_epsilon(epsilon)?;
    let (t1, t2) = (&net.thetas()[0], &net.thetas()[1]);
    let checker = Checker {
        pass: forward(net, x, y),
        t1,
        t2,
        epsilon,
        lambda,
        tanh: hidden[0] == Activation::Tanh,
    };
    let (h, m) = (t1.nrows(), x.nrows());
    // Work items: one per hidden unit j (its n + 1 weights in Θ⁽¹⁾), then one per output.
    // Buffers p and q are made once per batch of items rayon hands to a thread, not per item.
    let found: Vec<Vec<(usize, f64)>> = (0..h + t2.nrows())
        .into_par_iter()
        .map_init(
            || (vec![0.0; m], vec![0.0; m]),
            |(p, q), item| {
                if item < h {
                    checker.hidden_unit(item, p, q)
                } else {
                    checker.output_unit(item - h, p, q)
                }
            },
        )
        .collect();
    let mut numerical = Array1::zeros(t1.len() + t2.len());
    for (i, v) in found.into_iter().flatten() {
        numerical[i] = v;
    }
    let (_, d) = super::cost_and_gradient(net, x, y, lambda)?;
    Ok(Check {
        numerical,
        analytic: unroll(&d),
        evaluations: 2 * (t1.len() + t2.len()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn agrees_with_the_readable_check() {
        for (sizes, g, m) in [
            (vec![3, 5, 3], Activation::Sigmoid, 5),
            (vec![20, 6, 4], Activation::Sigmoid, 37),
            (vec![2, 9, 2], Activation::Tanh, 60),
        ] {
            let mut rng = crate::data::rng(21);
            let net = crate::init::scaled_normal_network(&sizes, g, &mut rng).unwrap();
            let x = Array2::from_shape_simple_fn((m, sizes[0]), || rng.random_range(-1.0..1.0));
            let classes: Vec<usize> = (0..m).map(|i| (i * 5) % sizes[2]).collect();
            let y = crate::cost::one_hot(&classes, sizes[2]).unwrap();
            let fast = check_network(&net, x.view(), y.view(), 3.0, 1e-4).unwrap();
            let slow =
                gradcheck::check_network(&net, x.view(), y.view(), 3.0, Loss::CrossEntropy, 1e-4)
                    .unwrap();
            assert_eq!(fast.evaluations, slow.evaluations);
            for (i, (a, b)) in fast.numerical.iter().zip(&slow.numerical).enumerate() {
                // Both are the same difference quotient; they differ by rounding in J (~1e-16)
                // divided by 2ε.
                assert!((a - b).abs() < 1e-10, "{sizes:?} parameter {i}: {a} vs {b}");
            }
            for (a, b) in fast.analytic.iter().zip(&slow.analytic) {
                assert!((a - b).abs() < 1e-14, "{a} vs {b}");
            }
            assert!(fast.relative_difference() < 1e-9);
        }
    }

    #[test]
    fn the_course_debug_problem_and_bad_epsilon() {
        let gradcheck::DebugProblem {
            net, x, classes, ..
        } = gradcheck::debug_problem().unwrap();
        let y = crate::cost::one_hot(&classes, 3).unwrap();
        let fast = check_network(&net, x.view(), y.view(), 3.0, 1e-4).unwrap();
        let slow =
            gradcheck::check_network(&net, x.view(), y.view(), 3.0, Loss::CrossEntropy, 1e-4)
                .unwrap();
        let gap = (fast.relative_difference() - slow.relative_difference()).abs();
        assert!(gap < 1e-11, "{gap}");
        let e = check_network(&net, x.view(), y.view(), 3.0, -1.0).unwrap_err();
        assert!(e.to_string().contains("ε"), "{e}");
    }
}
