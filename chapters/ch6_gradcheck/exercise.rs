//! Chapter 6's exercise: the numerical gradient and the gradient check, on any cost given as a
//! function of the unrolled parameters. Replace each `todo!()`, then grade this file with
//! `cargo xtask grade gradcheck`.

/// ∂J/∂θ_i ≈ (J(θ + εe_i) − J(θ − εe_i)) / 2ε for every i: two costs per parameter.
pub fn numerical_gradient(cost: &dyn Fn(&[f64]) -> f64, theta: &[f64], epsilon: f64) -> Vec<f64> {
    // TODO: for each i, evaluate the cost with θ_i moved up by ε and with θ_i moved down by ε
    // (every other entry as it is), and take the two-sided difference. Call `cost` exactly
    // twice per parameter.
    todo!()
}

/// ‖n − a‖ / ‖n + a‖, and 0 when both gradients are exactly zero (where it would be 0/0).
pub fn relative_difference(numerical: &[f64], analytic: &[f64]) -> f64 {
    // TODO: ‖v‖ is the Euclidean norm, √(Σ v_i²).
    todo!()
}

/// Whether `analytic`, backpropagation's gradient of `cost` at `theta`, passes the check: the
/// numerical gradient with ε = 1e-4, and a relative difference below 1e-9.
pub fn gradient_check(cost: &dyn Fn(&[f64]) -> f64, theta: &[f64], analytic: &[f64]) -> bool {
    // TODO: use the two functions above.
    todo!()
}
