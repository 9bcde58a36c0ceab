//! Chapter 1's exercise: the perceptron rule. Replace the `todo!()`, then grade this file with
//! `cargo xtask grade perceptron`.

/// The unit step: class 1 (blue) for z > 0, else 0 (red): a point on the line is red. Given.
fn step(z: f64) -> u8 {
    u8::from(z > 0.0)
}

/// Learns a line w·x + b = 0 that puts the points labelled 1 on its positive side and those
/// labelled 0 on the other, starting from w = 0, b = 0. Returns w, b and the number of
/// mistakes in each epoch (a pass over all points in order).
pub fn perceptron(
    points: &[[f64; 2]],
    labels: &[u8],
    learning_rate: f64,
    max_epochs: usize,
) -> ([f64; 2], f64, Vec<usize>) {
    // TODO: start from w = (0, 0), b = 0. In each epoch, visit the points in order: predict
    // ŷ = step(w·x + b); then w ← w + η(y − ŷ)x and b ← b + η(y − ŷ), where η is the learning
    // rate. Count the points where ŷ ≠ y. Record that count for the epoch, and stop after the
    // first epoch without a mistake, or after max_epochs epochs.
    todo!()
}
