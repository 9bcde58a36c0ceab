//! Backpropagation: the gradient of J(Θ) with respect to every weight, from one forward pass and
//! one backward pass. One vectorised implementation does the work; a per-example loop mirrors the
//! course's pseudocode and a test proves they agree.

use ndarray::{Array2, ArrayView2, Axis, s};

use crate::Result;
use crate::activation::sigmoid_gradient;
use crate::cost::{Loss, check_lambda, check_targets, data_cost, regularisation};
use crate::network::Network;

// ANCHOR: output_delta
/// δ^(L), the error of the output layer, for sigmoid outputs.
/// Cross-entropy: δ = a − y, because the loss's derivative (a − y)/(a(1 − a)) cancels σ′(z) = a(1 − a).
/// Squared error: nothing cancels, δ = (a − y) ⊙ a(1 − a).
fn output_delta(
    a_out: &Array2<f64>,
    z_out: &Array2<f64>,
    y: ArrayView2<f64>,
    loss: Loss,
) -> Array2<f64> {
    let error = a_out - &y;
    match loss {
        Loss::CrossEntropy => error,
        Loss::SquaredError => error * &z_out.mapv(sigmoid_gradient),
    }
}
// ANCHOR_END: output_delta

// ANCHOR: regularise
/// Adds (λ/m)Θ to every gradient column but the bias column.
fn regularise(gradients: &mut [Array2<f64>], thetas: &[Array2<f64>], lambda: f64, m: f64) {
    for (d, theta) in gradients.iter_mut().zip(thetas) {
        d.slice_mut(s![.., 1..])
            .scaled_add(lambda / m, &theta.slice(s![.., 1..]));
    }
}
// ANCHOR_END: regularise

/// J(Θ) and its gradient D^(l) = ∂J/∂Θ^(l) (same shapes as the Θs), for m examples at once.
///
/// ```
/// use ndarray::array;
/// use backprop_book::{activation::Activation, backprop::cost_and_gradient, cost::Loss, network::Network};
/// let net = Network::new(vec![array![[0.1, 0.2], [0.3, -0.4]], array![[0.5, -0.6, 0.7]]], Activation::Sigmoid)?;
/// let (j, d) = cost_and_gradient(&net, array![[1.0], [-1.0]].view(), array![[1.0], [0.0]].view(), 0.0, Loss::CrossEntropy)?;
/// assert_eq!((d[0].dim(), d[1].dim()), ((2, 2), (1, 3)));
/// assert!(j > 0.0);
/// # Ok::<(), backprop_book::Error>(())
/// ```
pub fn cost_and_gradient(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
    loss: Loss,
) -> Result<(f64, Vec<Array2<f64>>)> {
    let (j, d) = backpropagate(net, x, y, lambda, loss, true)?;
    Ok((j.expect("asked for the cost"), d))
}

/// The gradient alone: [`cost_and_gradient`] without evaluating J, for training loops that only
/// record the cost now and then (the cost's logarithms are a good part of the work).
pub fn gradient(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
    loss: Loss,
) -> Result<Vec<Array2<f64>>> {
    Ok(backpropagate(net, x, y, lambda, loss, false)?.1)
}

fn backpropagate(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
    loss: Loss,
    with_cost: bool,
) -> Result<(Option<f64>, Vec<Array2<f64>>)> {
    check_targets(net, x, y)?;
    check_lambda(lambda)?;
    let m = x.nrows() as f64;
    let thetas = net.thetas();
    let last = thetas.len() - 1;
    // ANCHOR: backprop
    let pass = net.forward(x)?;
    let mut gradients = vec![Array2::zeros((0, 0)); thetas.len()];
    let mut delta = output_delta(pass.output(), &pass.z[last], y, loss); // δ^(L), a row per example
    for l in (0..=last).rev() {
        // D^(l) = (1/m) δ^(l+1)ᵀ ā^(l): every example's outer product, summed by one product.
        gradients[l] = delta.t().dot(&pass.a[l]) / m;
        if l > 0 {
            // δ^(l) = δ^(l+1) Θ^(l) without its bias column, times g′(z^(l)) read off the stored
            // a^(l) = g(z^(l)): σ′ = a(1 − a), tanh′ = 1 − a². σ′(a) would be the classic bug.
            let (g, a) = (
                net.hidden_activations()[l - 1],
                pass.a[l].slice(s![.., 1..]),
            );
            let slope = a.mapv(|a| g.derivative_from_output(a));
            delta = delta.dot(&thetas[l].slice(s![.., 1..])) * &slope;
        }
    }
    regularise(&mut gradients, thetas, lambda, m);
    // ANCHOR_END: backprop
    let j = with_cost.then(|| {
        data_cost(pass.z[last].view(), y, loss) + regularisation(thetas, lambda, x.nrows())
    });
    Ok((j, gradients))
}

/// The same gradient, one example at a time, as the course writes it: for each example, forward,
/// δ^(L) = a^(L) − y, δ^(l) = (Θ^(l))ᵀδ^(l+1) ⊙ g′(z^(l)) with the bias row dropped,
/// Δ^(l) += δ^(l+1)(ā^(l))ᵀ; finally D^(l) = Δ^(l)/m (+ (λ/m)Θ^(l) for j ≥ 1). Teaching only.
pub fn gradient_per_example(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
    loss: Loss,
) -> Result<Vec<Array2<f64>>> {
    check_targets(net, x, y)?;
    check_lambda(lambda)?;
    let thetas = net.thetas();
    // ANCHOR: per_example
    let mut big_delta: Vec<Array2<f64>> = thetas.iter().map(|t| Array2::zeros(t.dim())).collect();
    for i in 0..x.nrows() {
        let xi = x.slice(s![i..i + 1, ..]);
        let pass = net.forward(xi)?; // a and z as 1-row matrices
        let last = thetas.len() - 1;
        // Column vectors from here on, as in the formulas.
        let mut delta = output_delta(
            pass.output(),
            &pass.z[last],
            y.slice(s![i..i + 1, ..]),
            loss,
        )
        .reversed_axes();
        for l in (0..=last).rev() {
            let a_l = pass.a[l].t(); // ā^(l): (s_l + 1) × 1, bias included
            big_delta[l] += &delta.dot(&a_l.t());
            if l > 0 {
                let back = thetas[l].t().dot(&delta); // (s_l + 1) × 1
                let g = net.hidden_activations()[l - 1];
                let gz = g.derivative_all(&pass.z[l - 1]).reversed_axes();
                delta = back.slice(s![1.., ..]).to_owned() * gz; // drop the bias row
            }
        }
    }
    let m = x.nrows() as f64;
    let mut gradients: Vec<Array2<f64>> = big_delta.into_iter().map(|d| d / m).collect();
    regularise(&mut gradients, thetas, lambda, m);
    // ANCHOR_END: per_example
    Ok(gradients)
}

/// Sums a gradient's entries per row: a quick fingerprint for transcripts.
pub fn row_sums(d: &Array2<f64>) -> Vec<f64> {
    d.sum_axis(Axis(1)).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::cost::{cost, one_hot};
    use ndarray::array;

    fn net(hidden: Activation) -> Network {
        let t1 = array![[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9]];
        let t2 = array![[0.2, -0.1, 0.05, 0.3], [-0.3, 0.6, -0.2, 0.1]];
        let t3 = array![[0.3, 0.2, -0.4], [0.1, -0.5, 0.6]];
        Network::with_activations(vec![t1, t2, t3], vec![hidden, Activation::Sigmoid]).unwrap()
    }

    fn data() -> (Array2<f64>, Array2<f64>) {
        let x = array![[0.5, -1.0], [2.0, 0.25], [-0.3, 0.7], [1.1, 1.2]];
        (x, one_hot(&[0, 1, 1, 0], 2).unwrap())
    }

    #[test]
    fn loop_and_vectorised_agree_for_both_losses_and_every_activation() {
        let (x, y) = data();
        for g in Activation::ALL {
            for loss in [Loss::CrossEntropy, Loss::SquaredError] {
                let n = net(g);
                let (_, fast) = cost_and_gradient(&n, x.view(), y.view(), 0.7, loss).unwrap();
                let slow = gradient_per_example(&n, x.view(), y.view(), 0.7, loss).unwrap();
                for (a, b) in fast.iter().zip(&slow) {
                    assert!((a - b).iter().all(|d| d.abs() < 1e-14), "{g:?} {loss:?}");
                }
            }
        }
    }

    #[test]
    fn gradient_matches_central_differences() {
        let (x, y) = data();
        for loss in [Loss::CrossEntropy, Loss::SquaredError] {
            let n = net(Activation::Tanh);
            let (j, d) = cost_and_gradient(&n, x.view(), y.view(), 0.5, loss).unwrap();
            assert!((j - cost(&n, x.view(), y.view(), 0.5, loss).unwrap()).abs() < 1e-15);
            for l in 0..3 {
                for idx in [(0, 0), (1, 2)] {
                    let shifted = |h: f64| {
                        let mut thetas = n.thetas().to_vec();
                        thetas[l][idx] += h;
                        let n2 = Network::with_activations(thetas, n.hidden_activations().to_vec())
                            .unwrap();
                        cost(&n2, x.view(), y.view(), 0.5, loss).unwrap()
                    };
                    let numeric = (shifted(1e-5) - shifted(-1e-5)) / 2e-5;
                    assert!(
                        (numeric - d[l][idx]).abs() < 1e-9,
                        "layer {l} {idx:?}: {numeric} vs {}",
                        d[l][idx]
                    );
                }
            }
        }
    }

    #[test]
    fn bad_targets_and_lambda_are_named() {
        let (x, _) = data();
        let n = net(Activation::Sigmoid);
        let err = cost_and_gradient(
            &n,
            x.view(),
            Array2::zeros((4, 3)).view(),
            0.0,
            Loss::CrossEntropy,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Y has shape 4×3, expected 4 × 2 (one row per example of X, one column per output unit)"
        );
        let err = cost_and_gradient(
            &n,
            x.view(),
            Array2::zeros((4, 2)).view(),
            -1.0,
            Loss::CrossEntropy,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid λ (regularisation): -1, expected a number ≥ 0"
        );
    }
}
