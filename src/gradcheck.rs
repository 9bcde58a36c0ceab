//! Gradient checking: compare backpropagation with two-sided numerical differences. It costs two
//! cost evaluations per parameter, so it is for checking the code, never for training.

use ndarray::{Array1, Array2, ShapeBuilder};

use crate::Result;

// ANCHOR: numerical
/// ∂J/∂θ_i ≈ (J(θ + εe_i) − J(θ − εe_i)) / 2ε for every i.
pub fn numerical_gradient(
    cost: impl Fn(&Array1<f64>) -> Result<f64>,
    theta: &Array1<f64>,
    epsilon: f64,
) -> Result<Array1<f64>> {
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

/// ‖n − a‖ / ‖n + a‖: near 1e-9 when backpropagation is right, near 1 when it is wrong.
pub fn relative_difference(numerical: &Array1<f64>, analytic: &Array1<f64>) -> f64 {
    let norm = |v: Array1<f64>| v.dot(&v).sqrt();
    norm(numerical - analytic) / norm(numerical + analytic)
}
// ANCHOR_END: numerical

// ANCHOR: debug_weights
/// The course's `debugInitializeWeights(fan_out, fan_in)`: a fan_out × (1 + fan_in) matrix
/// filled column by column with sin(1), sin(2), … divided by 10. Fixed, so runs are comparable.
pub fn debug_weights(fan_out: usize, fan_in: usize) -> Array2<f64> {
    let n = fan_out * (1 + fan_in);
    let values: Vec<f64> = (1..=n).map(|i| (i as f64).sin() / 10.0).collect();
    Array2::from_shape_vec((fan_out, 1 + fan_in).f(), values).expect("n entries for the shape")
}
// ANCHOR_END: debug_weights

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
    fn debug_weights_fill_column_major() {
        let w = debug_weights(2, 1);
        assert_eq!(w.dim(), (2, 2));
        assert_eq!(w[[1, 0]], 2f64.sin() / 10.0);
        assert_eq!(w[[0, 1]], 3f64.sin() / 10.0);
    }
}
