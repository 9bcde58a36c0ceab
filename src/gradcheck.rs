//! Gradient checking: compare backpropagation with two-sided numerical differences. It costs two
//! cost evaluations per parameter, so it is for checking the code, never for training.

use std::cell::Cell;

use ndarray::{Array1, Array2, ArrayView2, ShapeBuilder};

use crate::backprop::cost_and_gradient;
use crate::cost::{Loss, cost};
use crate::network::Network;
use crate::unroll::{roll, shapes, unroll};
use crate::{Error, Result};

// ANCHOR: numerical
/// ∂J/∂θ_i ≈ (J(θ + εe_i) − J(θ − εe_i)) / 2ε for every i.
pub fn numerical_gradient(
    cost: impl Fn(&Array1<f64>) -> Result<f64>,
    theta: &Array1<f64>,
    epsilon: f64,
) -> Result<Array1<f64>> {
    check_epsilon(epsilon)?;
    let mut gradient = Array1::zeros(theta.len());
    let mut shifted = theta.clone();
    for i in 0..theta.len() {
        shifted[i] = theta[i] + epsilon;
        let plus = cost(&shifted)?;
        shifted[i] = theta[i] - epsilon;
        let minus = cost(&shifted)?;
        shifted[i] = theta[i];
        gradient[i] = (plus - minus) / (2.0 * epsilon);
    }
    Ok(gradient)
}
// ANCHOR_END: numerical

/// An error unless ε, the step of a numerical gradient, is a finite number above 0.
pub(crate) fn check_epsilon(epsilon: f64) -> Result<()> {
    if epsilon > 0.0 && epsilon.is_finite() {
        Ok(())
    } else {
        Err(Error::invalid(
            "ε (gradient-check step)",
            "a number > 0, e.g. 1e-4",
            epsilon,
        ))
    }
}

// ANCHOR: relative_difference
/// ‖n − a‖ / ‖n + a‖: near 1e-9 when backpropagation is right, near 1 when it is wrong
/// (0 when both gradients are exactly zero, where the ratio would be 0/0).
pub fn relative_difference(numerical: &Array1<f64>, analytic: &Array1<f64>) -> f64 {
    let norm = |v: Array1<f64>| v.dot(&v).sqrt();
    let (difference, sum) = (norm(numerical - analytic), norm(numerical + analytic));
    if difference == 0.0 {
        0.0
    } else {
        difference / sum
    }
}
// ANCHOR_END: relative_difference

/// Both gradients of a network's cost, unrolled in the same (column-major) order.
#[derive(Debug, Clone)]
pub struct Check {
    pub numerical: Array1<f64>,
    pub analytic: Array1<f64>,
    /// How many times the numerical gradient evaluated the cost: 2 per parameter.
    pub evaluations: usize,
}

impl Check {
    /// [`relative_difference`] of the two.
    pub fn relative_difference(&self) -> f64 {
        relative_difference(&self.numerical, &self.analytic)
    }
}

/// J as a function of the unrolled parameter vector: roll it back into Θ matrices of `net`'s
/// shapes, then the usual cost.
fn unrolled_cost<'a>(
    net: &'a Network,
    x: ArrayView2<'a, f64>,
    y: ArrayView2<'a, f64>,
    lambda: f64,
    loss: Loss,
) -> impl Fn(&Array1<f64>) -> Result<f64> + 'a {
    let shapes = shapes(net.thetas());
    move |theta| {
        let moved =
            Network::with_activations(roll(theta, &shapes)?, net.hidden_activations().to_vec())?;
        cost(&moved, x, y, lambda, loss)
    }
}

// ANCHOR: check_network
/// Gradient checking for a network: backpropagation's gradient next to the two-sided numerical
/// one, whose cost function rolls the unrolled vector back into Θ matrices and evaluates J.
pub fn check_network(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
    loss: Loss,
    epsilon: f64,
) -> Result<Check> {
    let evaluations = Cell::new(0);
    let cost_at = unrolled_cost(net, x, y, lambda, loss);
    let j = |theta: &Array1<f64>| {
        evaluations.set(evaluations.get() + 1);
        cost_at(theta)
    };
    let numerical = numerical_gradient(j, &unroll(net.thetas()), epsilon)?;
    let (_, d) = cost_and_gradient(net, x, y, lambda, loss)?;
    Ok(Check {
        numerical,
        analytic: unroll(&d),
        evaluations: evaluations.get(),
    })
}
// ANCHOR_END: check_network

/// [`check_network`] for the parameters at `indices` of the unrolled vector only: a check of a
/// large network in the time of a few cost evaluations.
pub fn check_subset(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
    loss: Loss,
    epsilon: f64,
    indices: &[usize],
) -> Result<Check> {
    let theta = unroll(net.thetas());
    if let Some(&bad) = indices.iter().find(|&&i| i >= theta.len()) {
        return Err(Error::invalid(
            "parameter index",
            format!("below {}", theta.len()),
            bad,
        ));
    }
    let j = unrolled_cost(net, x, y, lambda, loss);
    let mut numerical = Array1::zeros(indices.len());
    for (k, &i) in indices.iter().enumerate() {
        // The same two-sided difference as `numerical_gradient`, along coordinate i only.
        let along = |d: &Array1<f64>| {
            let mut moved = theta.clone();
            moved[i] = d[0];
            j(&moved)
        };
        numerical[k] = numerical_gradient(along, &Array1::from(vec![theta[i]]), epsilon)?[0];
    }
    let (_, d) = cost_and_gradient(net, x, y, lambda, loss)?;
    let all = unroll(&d);
    let analytic = indices.iter().map(|&i| all[i]).collect();
    Ok(Check {
        numerical,
        analytic,
        evaluations: 2 * indices.len(),
    })
}

// ANCHOR: debug_weights
/// The course's `debugInitializeWeights(fan_out, fan_in)`: a fan_out × (1 + fan_in) matrix
/// filled column by column with sin(1), sin(2), … divided by 10. Fixed, so runs are comparable.
pub fn debug_weights(fan_out: usize, fan_in: usize) -> Array2<f64> {
    let n = fan_out * (1 + fan_in);
    let values: Vec<f64> = (1..=n).map(|i| (i as f64).sin() / 10.0).collect();
    Array2::from_shape_vec((fan_out, 1 + fan_in).f(), values).expect("n entries for the shape")
}
// ANCHOR_END: debug_weights

// ANCHOR: debug_problem
/// The course's small debugging problem (`checkNNGradients`): a 3-5-3 sigmoid network with
/// [`debug_weights`], m = 5 examples X = debug_weights(5, 2) (5 × 3), and labels 1 + (i mod 3)
/// for i = 1..5, which are the 0-based classes i mod 3.
pub struct DebugProblem {
    pub net: Network,
    pub x: Array2<f64>,
    pub classes: Vec<usize>,
    /// The classes one-hot, m × 3.
    pub y: Array2<f64>,
}

pub fn debug_problem() -> Result<DebugProblem> {
    let net = Network::new(
        vec![debug_weights(5, 3), debug_weights(3, 5)],
        crate::activation::Activation::Sigmoid,
    )?;
    let classes: Vec<usize> = (1..=5).map(|i| i % 3).collect();
    let y = crate::cost::one_hot(&classes, 3)?;
    let x = debug_weights(5, 2);
    Ok(DebugProblem { net, x, classes, y })
}
// ANCHOR_END: debug_problem

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerical_gradient_of_a_cubic() {
        // J(θ) = 2θ³ + 2 at θ = 1 with ε = 0.01: (J(1.01) − J(0.99)) / 0.02 = 6.0002.
        let j = |t: &Array1<f64>| Ok(2.0 * t[0].powi(3) + 2.0);
        let g = numerical_gradient(j, &ndarray::array![1.0], 0.01).unwrap();
        assert!((g[0] - 6.0002).abs() < 1e-10, "{}", g[0]);
    }

    #[test]
    fn bad_epsilon_and_zero_gradients() {
        let j = |t: &Array1<f64>| Ok(t[0]);
        assert!(
            numerical_gradient(j, &ndarray::array![1.0], 0.0)
                .unwrap_err()
                .to_string()
                .contains("ε")
        );
        assert_eq!(
            relative_difference(&Array1::zeros(3), &Array1::zeros(3)),
            0.0
        );
        assert_eq!(
            relative_difference(&ndarray::array![1.0], &ndarray::array![-1.0]),
            f64::INFINITY
        );
    }

    #[test]
    fn a_subset_check_agrees_with_the_full_check() {
        let DebugProblem {
            net, x, classes, ..
        } = debug_problem().unwrap();
        let y = crate::cost::one_hot(&classes, 3).unwrap();
        let full = check_network(&net, x.view(), y.view(), 1.0, Loss::CrossEntropy, 1e-4).unwrap();
        let part = check_subset(
            &net,
            x.view(),
            y.view(),
            1.0,
            Loss::CrossEntropy,
            1e-4,
            &[0, 7, 37],
        )
        .unwrap();
        for (k, i) in [0, 7, 37].into_iter().enumerate() {
            assert!(
                (part.numerical[k] - full.numerical[i]).abs() < 1e-15
                    && part.analytic[k] == full.analytic[i]
            );
        }
        assert!(
            check_subset(
                &net,
                x.view(),
                y.view(),
                1.0,
                Loss::CrossEntropy,
                1e-4,
                &[38]
            )
            .is_err()
        );
    }

    #[test]
    fn debug_weights_fill_column_major() {
        let w = debug_weights(2, 1);
        assert_eq!(w.dim(), (2, 2));
        assert_eq!(w[[1, 0]], 2f64.sin() / 10.0);
        assert_eq!(w[[0, 1]], 3f64.sin() / 10.0);
    }
}
