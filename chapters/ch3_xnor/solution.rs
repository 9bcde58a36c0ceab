//! Chapter 3's exercise, solved: three logic gates as sigmoid units, and the XNOR network made
//! of them. `cargo xtask grade xnor --file` this.

use ndarray::{Array2, array};

/// Θ = [bias, weight of x1, weight of x2] for x1 AND x2: only x1 = x2 = 1 gets z > 0, and the
/// weights are large so that σ(z) is within 0.01 of 0 or 1 at every corner.
pub fn and_weights() -> [f64; 3] {
    [-30.0, 20.0, 20.0]
}

/// (NOT x1) AND (NOT x2): only x1 = x2 = 0 gets z > 0.
pub fn nor_weights() -> [f64; 3] {
    [10.0, -20.0, -20.0]
}

/// x1 OR x2: every corner but x1 = x2 = 0 gets z > 0.
pub fn or_weights() -> [f64; 3] {
    [-10.0, 20.0, 20.0]
}

/// The 2-2-1 network for x1 XNOR x2: the hidden layer is the AND and the NOR unit (one row of
/// Θ1 each), the output unit is an OR of the two.
pub fn xnor_network() -> (Array2<f64>, Array2<f64>) {
    let (and, nor, or) = (and_weights(), nor_weights(), or_weights());
    let theta1 = array![[and[0], and[1], and[2]], [nor[0], nor[1], nor[2]]];
    let theta2 = array![[or[0], or[1], or[2]]];
    (theta1, theta2)
}
