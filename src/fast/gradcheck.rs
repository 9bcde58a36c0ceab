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
use crate::activation::Activation;
use crate::cost::{Loss, check_lambda, check_targets};
use crate::gradcheck::{self, Check};
use crate::network::Network;
use crate::unroll::unroll;
use crate::{Error, Result};

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

/// The two-sided difference of J along one weight, from the change in m·J's data terms.
fn numerical(change: f64, theta: f64, epsilon: f64, lambda: f64, m: f64, bias: bool) -> f64 {
    let reg = if bias {
        0.0
    } else {
        lambda / (2.0 * m) * ((theta + epsilon).powi(2) - (theta - epsilon).powi(2))
    };
    (change / m + reg) / (2.0 * epsilon)
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
    if !(epsilon > 0.0 && epsilon.is_finite()) {
        return Err(Error::invalid(
            "ε (gradient-check step)",
            "a number > 0, e.g. 1e-4",
            epsilon,
        ));
    }
    let tanh = hidden[0] == Activation::Tanh;
    let (t1, t2) = (&net.thetas()[0], &net.thetas()[1]);
    let (h, n, k) = (t1.nrows(), t1.ncols() - 1, t2.nrows());
    let m = x.nrows();
    let mf = m as f64;
    let pass = forward(net, x, y);
    // Work items: one per hidden unit j (its n + 1 weights in Θ⁽¹⁾), then one per output.
    let items = h + k;
    // Buffers p and q are made once per batch of items rayon hands to a thread, not per item.
    let found: Vec<Vec<(usize, f64)>> = (0..items)
        .into_par_iter()
        .map_init(
            || (vec![0.0; m], vec![0.0; m]),
            |(p, q), item| {
                let mut mine = Vec::new();
                if item < h {
                    let j = item;
                    // ANCHOR: hidden_weight
                    let (z, a) = (pass.z2.row(j), pass.a2.row(j));
                    let (z, a) = (z.as_slice().expect("rows"), a.as_slice().expect("rows"));
                    for input in 0..=n {
                        let x_col =
                            (input > 0).then(|| pass.x.row(input - 1).to_slice().expect("rows"));
                        moved(z, a, x_col, epsilon, tanh, p, q);
                        let change: f64 = (0..k)
                            .map(|c| {
                                difference(
                                    pass.z3.row(c).to_slice().expect("rows"),
                                    pass.y.row(c).to_slice().expect("rows"),
                                    t2[[c, j + 1]],
                                    p,
                                    q,
                                )
                            })
                            .sum();
                        // Column-major unrolling: Θ⁽¹⁾[j, input] sits at input·h + j.
                        let theta = t1[[j, input]];
                        mine.push((
                            input * h + j,
                            numerical(change, theta, epsilon, lambda, mf, input == 0),
                        ));
                    }
                    // ANCHOR_END: hidden_weight
                } else {
                    let c = item - h;
                    let z = pass.z3.row(c).to_slice().expect("rows");
                    let y = pass.y.row(c).to_slice().expect("rows");
                    for unit in 0..=h {
                        for i in 0..m {
                            let a = if unit == 0 {
                                1.0
                            } else {
                                pass.a2[[unit - 1, i]]
                            };
                            p[i] = epsilon * a;
                            q[i] = -epsilon * a;
                        }
                        let change = difference(z, y, 1.0, p, q);
                        let theta = t2[[c, unit]];
                        let at = t1.len() + unit * k + c;
                        mine.push((at, numerical(change, theta, epsilon, lambda, mf, unit == 0)));
                    }
                }
                mine
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
