//! Chapter 3's exercise: three logic gates as sigmoid units, and the XNOR network made of them.
//! Replace each `todo!()`, then grade this file with `cargo xtask grade xnor`.

use ndarray::{Array2, array};

/// Θ = [bias, weight of x1, weight of x2] for x1 AND x2.
pub fn and_weights() -> [f64; 3] {
    // TODO: weights whose unit σ(Θ · [1, x1, x2]) is within 0.01 of x1 AND x2 at the four
    // corners (0, 0), (0, 1), (1, 0), (1, 1). Choose the sign of z at each corner first, then
    // make the weights large enough for σ to be close to 0 or 1.
    todo!()
}

/// (NOT x1) AND (NOT x2).
pub fn nor_weights() -> [f64; 3] {
    // TODO: as above, for a unit that is 1 only at (0, 0).
    todo!()
}

/// x1 OR x2.
pub fn or_weights() -> [f64; 3] {
    // TODO: as above, for a unit that is 0 only at (0, 0).
    todo!()
}

/// The 2-2-1 network for x1 XNOR x2: Θ1 (2 × 3) and Θ2 (1 × 3).
pub fn xnor_network() -> (Array2<f64>, Array2<f64>) {
    // TODO: the hidden layer holds two of the units above, one row of Θ1 each; the output
    // unit reads [1, a1, a2] and combines them so that the network is 1 exactly when x1 = x2.
    // (`array![[a, b, c], [d, e, f]]` builds a matrix.)
    todo!()
}
