//! The cost J(Θ): how wrong a network is on m examples, plus the L2 penalty on the weights
//! (never on the bias column).

use ndarray::{Array2, ArrayView2, s};

use crate::network::Network;
use crate::{Error, Result};

/// Which error the output layer is judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// −[y log h + (1 − y) log(1 − h)] summed over the K outputs: the course's choice.
    CrossEntropy,
    /// ½ (y − h)² summed over the K outputs: the worked examples' and Zhou Zhihua's choice.
    SquaredError,
}

/// Labels 0..K−1 as rows of a K-column indicator matrix: row i has a 1 in column `labels[i]`.
///
/// ```
/// use ndarray::array;
/// use backprop_book::cost::one_hot;
/// assert_eq!(one_hot(&[2, 0], 3)?, array![[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]);
/// # Ok::<(), backprop_book::Error>(())
/// ```
pub fn one_hot(labels: &[usize], classes: usize) -> Result<Array2<f64>> {
    let mut y = Array2::zeros((labels.len(), classes));
    for (i, &label) in labels.iter().enumerate() {
        if label >= classes {
            return Err(Error::invalid(
                format!("label of example {}", i + 1),
                format!("a class index 0..{}", classes.saturating_sub(1)),
                label,
            ));
        }
        y[[i, label]] = 1.0;
    }
    Ok(y)
}

/// ln(1 + eˣ), without overflow for large x or lost precision for very negative x.
pub fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

// ANCHOR: cross_entropy
/// −[y ln σ(z) + (1 − y) ln(1 − σ(z))] for one output, computed from z: since
/// ln σ(z) = −softplus(−z) and ln(1 − σ(z)) = −softplus(z), and softplus(−z) = softplus(z) − z,
/// the whole term is max(z, 0) − y·z + ln(1 + e^(−|z|)). It stays finite where σ(z) rounds to
/// exactly 0 or 1 and ln(0) would give −∞, and costs one exp and one log.
pub fn cross_entropy(z: f64, y: f64) -> f64 {
    (z.max(0.0) - y * z) + (-z.abs()).exp().ln_1p()
}
// ANCHOR_END: cross_entropy

/// Checks that `y` has one row per example and one column per output unit, values in [0, 1].
pub(crate) fn check_targets(net: &Network, x: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<()> {
    let k = *net.sizes().last().expect("a network has an output layer");
    if y.dim() != (x.nrows(), k) {
        return Err(Error::shape(
            "Y",
            format!(
                "{} × {k} (one row per example of X, one column per output unit)",
                x.nrows()
            ),
            y.dim(),
        ));
    }
    if x.nrows() == 0 {
        return Err(Error::invalid("X", "at least one example", "no rows"));
    }
    // A branch-free pass first (it vectorises; the optimiser checks Y on every call), then a
    // search for the culprit only if there is one.
    let all_in_range = y.iter().fold(true, |ok, v| ok & (0.0..=1.0).contains(v));
    if !all_in_range && let Some(bad) = y.iter().find(|v| !(0.0..=1.0).contains(*v)) {
        return Err(Error::invalid("target in Y", "a value in [0, 1]", bad));
    }
    Ok(())
}

/// Checks λ ≥ 0.
pub(crate) fn check_lambda(lambda: f64) -> Result<()> {
    if lambda >= 0.0 && lambda.is_finite() {
        Ok(())
    } else {
        Err(Error::invalid("λ (regularisation)", "a number ≥ 0", lambda))
    }
}

// ANCHOR: regularisation
/// λ/(2m) · Σ_l Σ_i Σ_{j≥1} (Θ^(l)_ij)²: every weight but the bias column (j = 0).
pub fn regularisation(thetas: &[Array2<f64>], lambda: f64, m: usize) -> f64 {
    let squares: f64 = thetas
        .iter()
        .map(|t| t.slice(s![.., 1..]).iter().map(|w| w * w).sum::<f64>())
        .sum();
    lambda / (2.0 * m as f64) * squares
}
// ANCHOR_END: regularisation

// ANCHOR: data_cost
/// The data term of J from the output layer's weighted sums `z_out` and the targets `y`,
/// averaged over the m examples.
pub fn data_cost(z_out: ArrayView2<f64>, y: ArrayView2<f64>, loss: Loss) -> f64 {
    let m = z_out.nrows() as f64;
    let total: f64 = match loss {
        Loss::CrossEntropy => z_out
            .iter()
            .zip(y)
            .map(|(&z, &y)| cross_entropy(z, y))
            .sum(),
        Loss::SquaredError => z_out
            .iter()
            .zip(y)
            .map(|(&z, &y)| 0.5 * (y - crate::activation::sigmoid(z)).powi(2))
            .sum(),
    };
    total / m
}
// ANCHOR_END: data_cost

// ANCHOR: cost
/// J(Θ) = (1/m) Σ_i Σ_k loss(h_Θ(x⁽ⁱ⁾)_k, y⁽ⁱ⁾_k) + λ/(2m) Σ Θ² (bias column excluded).
///
/// ```
/// use ndarray::array;
/// use backprop_book::{activation::Activation, cost::{cost, Loss}, network::Network};
/// // One sigmoid unit with all weights 0 outputs 0.5 for every input: J = ln 2.
/// let net = Network::new(vec![array![[0.0, 0.0]]], Activation::Sigmoid)?;
/// let j = cost(&net, array![[1.0], [2.0]].view(), array![[0.0], [1.0]].view(), 0.0, Loss::CrossEntropy)?;
/// assert!((j - std::f64::consts::LN_2).abs() < 1e-15);
/// # Ok::<(), backprop_book::Error>(())
/// ```
pub fn cost(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
    loss: Loss,
) -> Result<f64> {
    check_targets(net, x, y)?;
    check_lambda(lambda)?;
    let pass = net.forward(x)?;
    let z_out = pass.z.last().expect("a network has an output layer");
    Ok(data_cost(z_out.view(), y, loss) + regularisation(net.thetas(), lambda, x.nrows()))
}
// ANCHOR_END: cost

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::sigmoid;

    #[test]
    fn cross_entropy_from_z_matches_the_textbook_formula_and_stays_finite() {
        for z in [-5.0, -0.3, 0.0, 0.7, 4.0] {
            for y in [0.0, 1.0, 0.3] {
                let h = sigmoid(z);
                let textbook = -(y * h.ln() + (1.0 - y) * (1.0 - h).ln());
                assert!(
                    (cross_entropy(z, y) - textbook).abs() < 1e-12,
                    "z={z} y={y}"
                );
            }
        }
        // σ(40) rounds to 1.0, so the textbook formula gives ln(0) = −∞; from z it is 40.
        assert!((1.0 - sigmoid(40.0)) == 0.0);
        assert!((cross_entropy(40.0, 0.0) - 40.0).abs() < 1e-12);
        assert!(cross_entropy(-800.0, 1.0).is_finite());
    }

    #[test]
    fn cross_entropy_equals_the_two_softplus_form_exactly_for_0_1_targets() {
        for z in [-50.0, -3.7, -0.2, 0.0, 0.9, 12.0, 50.0] {
            assert_eq!(cross_entropy(z, 1.0), softplus(-z), "y = 1, z = {z}");
            assert_eq!(cross_entropy(z, 0.0), softplus(z), "y = 0, z = {z}");
            let mixed = 0.3 * softplus(-z) + 0.7 * softplus(z);
            assert!((cross_entropy(z, 0.3) - mixed).abs() < 1e-12);
        }
    }

    #[test]
    fn one_hot_rejects_out_of_range_labels_by_example() {
        let err = one_hot(&[0, 3], 3).unwrap_err().to_string();
        assert_eq!(
            err,
            "invalid label of example 2: 3, expected a class index 0..2"
        );
    }

    #[test]
    fn regularisation_skips_the_bias_column() {
        let t = ndarray::array![[100.0, 1.0, 2.0]];
        assert_eq!(regularisation(&[t], 2.0, 1), 5.0);
    }
}
