//! Exercise 4: the cost and gradient of the course's three-layer network, in the course's names.
//! Replace each `todo!()`, then grade this file with `cargo xtask grade ex4`.

use ndarray::{Array2, ArrayView2, Axis, ShapeBuilder, concatenate, s};
use rand::RngExt;

// ANCHOR: given
/// g(z) = 1 / (1 + e^(−z)), entry by entry: given, as the course gives sigmoid.m.
fn sigmoid(z: ArrayView2<f64>) -> Array2<f64> {
    z.mapv(|v| 1.0 / (1.0 + (-v).exp()))
}

/// [1, a]: the bias unit as a column of ones in front. Given.
fn add_ones(a: ArrayView2<f64>) -> Array2<f64> {
    concatenate![Axis(1), Array2::ones((a.nrows(), 1)), a]
}
// ANCHOR_END: given

// ANCHOR: sigmoid_gradient
/// g′(z), entry by entry.
pub fn sigmoid_gradient(z: ArrayView2<f64>) -> Array2<f64> {
    // TODO: g′(z) = g(z)(1 − g(z)) for every entry of z. It is taken at z: the argument is z,
    // not the activation a = g(z).
    todo!()
}
// ANCHOR_END: sigmoid_gradient

// ANCHOR: nn_cost_function
/// J(Θ) and its gradient for the network input → hidden → num_labels, as the course's
/// nnCostFunction: nn_params = [Theta1(:); Theta2(:)] unrolled column-major, X one example per
/// row, y labels 1..=num_labels. The gradient is unrolled the same way.
pub fn nn_cost_function(
    nn_params: &[f64],
    input_layer_size: usize,
    hidden_layer_size: usize,
    num_labels: usize,
    x: ArrayView2<f64>,
    y: &[usize],
    lambda: f64,
) -> (f64, Vec<f64>) {
    // TODO: reshape nn_params into Theta1 (hidden_layer_size × (input_layer_size + 1)) and
    // Theta2 (num_labels × (hidden_layer_size + 1)), column by column as Octave's reshape does
    // (`Array2::from_shape_vec((rows, cols).f(), values)`).
    //
    // Part 1, feed forward and cost: a1 = [1, X], z2 = a1 Theta1ᵀ, a2 = [1, g(z2)],
    // z3 = a2 Theta2ᵀ, h = g(z3). Recode y as an m × num_labels matrix: label k is a 1 in
    // column k − 1 (label 10 is the digit 0). J = (1/m) Σ_i Σ_k −y log h − (1 − y) log(1 − h).
    // An h of exactly 0 or 1 must not give log(0).
    //
    // Part 2, regularised cost: add λ/(2m) times the sum of the squares of every weight but the
    // first column of each Θ (the bias weights are not regularised).
    //
    // Part 3, backpropagation: δ3 = h − y; δ2 = δ3 Theta2 without its first column, times
    // g′(z2) entry by entry; Theta1_grad = δ2ᵀ a1 / m and Theta2_grad = δ3ᵀ a2 / m.
    //
    // Part 4, regularised gradient: add (λ/m) Θ to every column of each gradient but the first.
    //
    // Return (J, [Theta1_grad(:); Theta2_grad(:)]): the gradient unrolled column by column.
    todo!()
}
// ANCHOR_END: nn_cost_function

// ANCHOR: rand_initialize_weights_and_predict
/// Weights for a layer with l_in inputs and l_out units, l_out × (1 + l_in).
pub fn rand_initialize_weights(l_in: usize, l_out: usize, rng: &mut impl rand::Rng) -> Array2<f64> {
    // TODO: draw each weight uniformly in (−ε_init, ε_init), ε_init = √6 / √(l_in + l_out)
    // (`rng.random_range(-e..e)`), so that the hidden units start different.
    todo!()
}

/// The label (1..=num_labels) of the output unit with the largest activation, per example.
pub fn predict(theta1: ArrayView2<f64>, theta2: ArrayView2<f64>, x: ArrayView2<f64>) -> Vec<usize> {
    // TODO: feed X forward through Theta1 and Theta2; for each row of the output, the label of
    // its largest entry (column k − 1 is label k).
    todo!()
}
// ANCHOR_END: rand_initialize_weights_and_predict
