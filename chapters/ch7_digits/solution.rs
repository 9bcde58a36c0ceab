//! Exercise 4, solved: the cost and gradient of the course's three-layer network, written the
//! way a learner would write them, in the course's names. `cargo xtask grade ex4 --file` this.

use ndarray::{Array2, ArrayView2, Axis, ShapeBuilder, concatenate, s};
use rand::RngExt;

// ANCHOR: helpers
/// g(z) = 1 / (1 + e^(−z)), entry by entry.
fn sigmoid(z: ArrayView2<f64>) -> Array2<f64> {
    z.mapv(|v| 1.0 / (1.0 + (-v).exp()))
}

/// [1, a]: the bias unit as a column of ones in front.
fn add_ones(a: ArrayView2<f64>) -> Array2<f64> {
    concatenate![Axis(1), Array2::ones((a.nrows(), 1)), a]
}

/// g′(z) = g(z)(1 − g(z)), entry by entry, taken at z.
pub fn sigmoid_gradient(z: ArrayView2<f64>) -> Array2<f64> {
    let g = sigmoid(z);
    &g * &(1.0 - &g)
}

/// −y ln h − (1 − y) ln(1 − h) for h = g(z), rearranged so that it never takes ln(0) when h
/// rounds to exactly 0 or 1: max(z, 0) − y·z + ln(1 + e^(−|z|)).
fn cross_entropy(z: f64, y: f64) -> f64 {
    z.max(0.0) - y * z + (-z.abs()).exp().ln_1p()
}

/// The sum of the squares of every weight but the bias column (column 0).
fn squares_without_bias(theta: &Array2<f64>) -> f64 {
    theta.slice(s![.., 1..]).iter().map(|w| w * w).sum()
}
// ANCHOR_END: helpers

// ANCHOR: reshape
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
    // Reshape nn_params back into Theta1 and Theta2, column by column as Octave does.
    let split = hidden_layer_size * (input_layer_size + 1);
    let theta1 = Array2::from_shape_vec(
        (hidden_layer_size, input_layer_size + 1).f(),
        nn_params[..split].to_vec(),
    )
    .expect("nn_params holds Theta1 first");
    let theta2 = Array2::from_shape_vec(
        (num_labels, hidden_layer_size + 1).f(),
        nn_params[split..].to_vec(),
    )
    .expect("then Theta2");
    let m = x.nrows() as f64;
    // ANCHOR_END: reshape

    // ANCHOR: forward_and_cost
    // Part 1: feed forward, one example per row.
    let a1 = add_ones(x);
    let z2 = a1.dot(&theta1.t());
    let a2 = add_ones(sigmoid(z2.view()).view());
    let z3 = a2.dot(&theta2.t());
    let a3 = sigmoid(z3.view());

    // Label k is a 1 in column k − 1 (label 10, the digit 0, is the last column).
    let mut y_matrix = Array2::zeros((x.nrows(), num_labels));
    for (i, &label) in y.iter().enumerate() {
        y_matrix[[i, label - 1]] = 1.0;
    }
    let data_term: f64 = z3
        .iter()
        .zip(&y_matrix)
        .map(|(&z, &t)| cross_entropy(z, t))
        .sum();
    let penalty = squares_without_bias(&theta1) + squares_without_bias(&theta2);
    let j = data_term / m + lambda / (2.0 * m) * penalty;
    // ANCHOR_END: forward_and_cost

    // ANCHOR: backpropagation
    // Part 2: backpropagation, all examples at once.
    let delta3 = &a3 - &y_matrix;
    // Θ2 without its bias column: the bias unit has no δ.
    let delta2 = delta3.dot(&theta2.slice(s![.., 1..])) * sigmoid_gradient(z2.view());
    let mut theta1_grad = delta2.t().dot(&a1) / m;
    let mut theta2_grad = delta3.t().dot(&a2) / m;

    // Part 3: regularise every column but the bias column.
    theta1_grad
        .slice_mut(s![.., 1..])
        .scaled_add(lambda / m, &theta1.slice(s![.., 1..]));
    theta2_grad
        .slice_mut(s![.., 1..])
        .scaled_add(lambda / m, &theta2.slice(s![.., 1..]));

    // Unroll column by column: [Theta1_grad(:); Theta2_grad(:)].
    let grad = theta1_grad
        .t()
        .iter()
        .chain(theta2_grad.t().iter())
        .copied()
        .collect();
    (j, grad)
}
// ANCHOR_END: backpropagation

// ANCHOR: rand_initialize_weights_and_predict
/// Weights for a layer with l_in inputs and l_out units, l_out × (1 + l_in), uniform in
/// (−ε_init, ε_init): random, so that hidden units start different.
pub fn rand_initialize_weights(l_in: usize, l_out: usize, rng: &mut impl rand::Rng) -> Array2<f64> {
    let epsilon_init = 6f64.sqrt() / ((l_in + l_out) as f64).sqrt();
    Array2::from_shape_simple_fn((l_out, 1 + l_in), || {
        rng.random_range(-epsilon_init..epsilon_init)
    })
}

/// The label (1..=num_labels) of the output unit with the largest activation, per example.
pub fn predict(theta1: ArrayView2<f64>, theta2: ArrayView2<f64>, x: ArrayView2<f64>) -> Vec<usize> {
    let h1 = sigmoid(add_ones(x).dot(&theta1.t()).view());
    let h2 = sigmoid(add_ones(h1.view()).dot(&theta2.t()).view());
    h2.rows()
        .into_iter()
        .map(|row| {
            let mut best = 0;
            for k in 1..row.len() {
                if row[k] > row[best] {
                    best = k;
                }
            }
            best + 1
        })
        .collect()
}
// ANCHOR_END: rand_initialize_weights_and_predict
