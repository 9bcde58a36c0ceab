//! Chapter 6's exercise, solved: the numerical gradient and the gradient check, on any cost
//! given as a function of the unrolled parameters. `cargo xtask grade gradcheck --file` this.

/// ∂J/∂θ_i ≈ (J(θ + εe_i) − J(θ − εe_i)) / 2ε for every i: two costs per parameter.
pub fn numerical_gradient(cost: &dyn Fn(&[f64]) -> f64, theta: &[f64], epsilon: f64) -> Vec<f64> {
    let mut shifted = theta.to_vec();
    let mut gradient = Vec::with_capacity(theta.len());
    for i in 0..theta.len() {
        shifted[i] = theta[i] + epsilon;
        let plus = cost(&shifted);
        shifted[i] = theta[i] - epsilon;
        let minus = cost(&shifted);
        // Put θ_i back before moving the next one.
        shifted[i] = theta[i];
        gradient.push((plus - minus) / (2.0 * epsilon));
    }
    gradient
}

/// ‖n − a‖ / ‖n + a‖, and 0 when both gradients are exactly zero (where it would be 0/0).
pub fn relative_difference(numerical: &[f64], analytic: &[f64]) -> f64 {
    let norm = |v: Vec<f64>| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    let difference = norm(numerical.iter().zip(analytic).map(|(n, a)| n - a).collect());
    let sum = norm(numerical.iter().zip(analytic).map(|(n, a)| n + a).collect());
    if difference == 0.0 {
        0.0
    } else {
        difference / sum
    }
}

/// Whether `analytic`, backpropagation's gradient of `cost` at `theta`, passes the check: the
/// numerical gradient with ε = 1e-4, and a relative difference below 1e-9.
pub fn gradient_check(cost: &dyn Fn(&[f64]) -> f64, theta: &[f64], analytic: &[f64]) -> bool {
    let numerical = numerical_gradient(cost, theta, 1e-4);
    relative_difference(&numerical, analytic) < 1e-9
}
