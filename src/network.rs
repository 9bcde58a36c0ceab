//! A fully connected network in the course's notation: Θ^(l) has shape s_{l+1} × (s_l + 1), its
//! first column multiplies the bias unit, and X holds one example per row.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis, concatenate, s};

use crate::activation::Activation;
use crate::{Error, Result};

/// Θ^(1) … Θ^(L−1) with an activation for each hidden layer; output units are sigmoid.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    thetas: Vec<Array2<f64>>,
    hidden: Vec<Activation>,
}

/// Everything forward propagation computed for a batch, kept for backpropagation.
#[derive(Debug, Clone)]
pub struct Forward {
    /// ā^(1) … ā^(L−1), then a^(L): m rows each; every layer but the last carries its bias
    /// column of ones (the book writes a layer with its bias unit as ā = [1, a]).
    pub a: Vec<Array2<f64>>,
    /// z^(2) … z^(L): the weighted sums, before the activation.
    pub z: Vec<Array2<f64>>,
}

impl Forward {
    /// h_Θ(X) = a^(L), one row of K outputs per example.
    pub fn output(&self) -> &Array2<f64> {
        self.a
            .last()
            .expect("a forward pass has at least the input layer")
    }
}

/// Puts the bias unit, a column of ones, in front of `x`.
///
/// ```
/// use ndarray::array;
/// use backprop_book::network::add_bias;
/// assert_eq!(add_bias(array![[2.0, 3.0]].view()), array![[1.0, 2.0, 3.0]]);
/// ```
pub fn add_bias(x: ArrayView2<f64>) -> Array2<f64> {
    let ones = Array2::ones((x.nrows(), 1));
    concatenate![Axis(1), ones, x]
}

impl Network {
    /// A network whose hidden layers all use `hidden`. Checks that the Θs chain:
    /// Θ^(l+1) must have one column more than Θ^(l) has rows.
    pub fn new(thetas: Vec<Array2<f64>>, hidden: Activation) -> Result<Self> {
        let hidden = vec![hidden; thetas.len().saturating_sub(1)];
        Network::with_activations(thetas, hidden)
    }

    /// A network with one activation per hidden layer (`thetas.len() − 1` of them).
    pub fn with_activations(thetas: Vec<Array2<f64>>, hidden: Vec<Activation>) -> Result<Self> {
        if thetas.is_empty() {
            return Err(Error::invalid("network", "at least one Θ matrix", "none"));
        }
        if hidden.len() != thetas.len() - 1 {
            return Err(Error::invalid(
                "hidden activations",
                format!("{} (one per hidden layer)", thetas.len() - 1),
                hidden.len(),
            ));
        }
        for (l, theta) in thetas.iter().enumerate() {
            let expected_cols = match l {
                0 => None,
                _ => Some(thetas[l - 1].nrows() + 1),
            };
            if theta.nrows() == 0
                || theta.ncols() < 2
                || expected_cols.is_some_and(|c| c != theta.ncols())
            {
                let expected = match expected_cols {
                    Some(c) => format!("any number of rows × {c} (previous layer's units + bias)"),
                    None => "at least 1 row × 2 columns (bias + one input)".to_string(),
                };
                return Err(Error::shape(
                    format!("Θ^({})", l + 1),
                    expected,
                    theta.dim(),
                ));
            }
        }
        Ok(Network { thetas, hidden })
    }

    /// The Θ matrices, Θ^(1) first.
    pub fn thetas(&self) -> &[Array2<f64>] {
        &self.thetas
    }

    /// The activation of each hidden layer.
    pub fn hidden_activations(&self) -> &[Activation] {
        &self.hidden
    }

    /// Units per layer without bias: s_1 (inputs) … s_L (outputs).
    ///
    /// ```
    /// use ndarray::Array2;
    /// use backprop_book::{activation::Activation, network::Network};
    /// let net = Network::new(vec![Array2::zeros((25, 401)), Array2::zeros((10, 26))], Activation::Sigmoid)?;
    /// assert_eq!(net.sizes(), vec![400, 25, 10]);
    /// # Ok::<(), backprop_book::Error>(())
    /// ```
    pub fn sizes(&self) -> Vec<usize> {
        std::iter::once(self.thetas[0].ncols() - 1)
            .chain(self.thetas.iter().map(|t| t.nrows()))
            .collect()
    }

    /// The activation that layer l + 2 (the output of Θ^(l+1)) applies.
    fn activation_after(&self, l: usize) -> Activation {
        self.hidden.get(l).copied().unwrap_or(Activation::Sigmoid)
    }

    fn check_inputs(&self, what: &str, rows: usize, cols: usize) -> Result<()> {
        let n = self.sizes()[0];
        if cols != n {
            return Err(Error::shape(
                what,
                format!("m × {n} (one example per row)"),
                (rows, cols),
            ));
        }
        Ok(())
    }

    // ANCHOR: forward
    /// Forward propagation for m examples at once: ā^(1) = [1, X], then for each layer
    /// z^(l+1) = ā^(l) Θ^(l)ᵀ and ā^(l+1) = [1, g(z^(l+1))] (no bias on the output layer).
    ///
    /// ```
    /// use ndarray::array;
    /// use backprop_book::{activation::Activation, network::Network};
    /// // One sigmoid unit computing x1 AND x2.
    /// let and = Network::new(vec![array![[-30.0, 20.0, 20.0]]], Activation::Sigmoid)?;
    /// let h = and.forward(array![[0.0, 0.0], [1.0, 1.0]].view())?;
    /// assert!(h.output()[[0, 0]] < 1e-4 && h.output()[[1, 0]] > 0.9999);
    /// # Ok::<(), backprop_book::Error>(())
    /// ```
    pub fn forward(&self, x: ArrayView2<f64>) -> Result<Forward> {
        self.check_inputs("X", x.nrows(), x.ncols())?;
        let mut a = vec![add_bias(x)];
        let mut z = Vec::with_capacity(self.thetas.len());
        for (l, theta) in self.thetas.iter().enumerate() {
            let z_next = a[l].dot(&theta.t());
            let g = self.activation_after(l).apply_all(&z_next);
            let is_output = l + 1 == self.thetas.len();
            a.push(if is_output { g } else { add_bias(g.view()) });
            z.push(z_next);
        }
        Ok(Forward { a, z })
    }
    // ANCHOR_END: forward

    // ANCHOR: forward_example
    /// The same computation for one example as a column vector, the way the formulas are first
    /// written: a^(l+1) = g(Θ^(l) ā^(l)), where ā^(l) = [1; a^(l)] puts the bias unit on top.
    /// Returns a^(1) … a^(L), without their bias units. It exists to teach; [`Network::forward`] does the real work.
    pub fn forward_example(&self, x: ArrayView1<f64>) -> Result<Vec<Array1<f64>>> {
        self.check_inputs("x", 1, x.len())?;
        let mut activations = vec![x.to_owned()];
        for (l, theta) in self.thetas.iter().enumerate() {
            let previous = &activations[l];
            let mut with_bias = Array1::ones(previous.len() + 1);
            with_bias.slice_mut(s![1..]).assign(previous);
            let z = theta.dot(&with_bias);
            activations.push(self.activation_after(l).apply_all(&z));
        }
        Ok(activations)
    }
    // ANCHOR_END: forward_example

    /// The predicted class of each example: the output unit with the largest activation.
    pub fn predict(&self, x: ArrayView2<f64>) -> Result<Vec<usize>> {
        let h = self.predict_proba(x)?;
        Ok(h.rows()
            .into_iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .fold((0, f64::NEG_INFINITY), |best, (k, &v)| {
                        if v > best.1 { (k, v) } else { best }
                    })
                    .0
            })
            .collect())
    }

    /// The fraction of examples whose predicted class is `classes[i]`.
    pub fn accuracy(&self, x: ArrayView2<f64>, classes: &[usize]) -> Result<f64> {
        if classes.len() != x.nrows() {
            return Err(Error::invalid(
                "labels",
                format!("{} (one per example)", x.nrows()),
                classes.len(),
            ));
        }
        let right = self
            .predict(x)?
            .iter()
            .zip(classes)
            .filter(|(p, c)| p == c)
            .count();
        Ok(right as f64 / classes.len().max(1) as f64)
    }

    /// One gradient-descent step: a network with Θ^(l) − rate · D^(l) for every layer.
    pub fn step(&self, gradients: &[Array2<f64>], rate: f64) -> Result<Network> {
        if gradients.len() != self.thetas.len()
            || gradients
                .iter()
                .zip(&self.thetas)
                .any(|(d, t)| d.dim() != t.dim())
        {
            return Err(Error::invalid(
                "gradient",
                "one matrix per Θ, of the same shape",
                format!("{} matrices", gradients.len()),
            ));
        }
        let thetas = self
            .thetas
            .iter()
            .zip(gradients)
            .map(|(t, d)| t - &(d * rate))
            .collect();
        Ok(Network {
            thetas,
            hidden: self.hidden.clone(),
        })
    }

    /// How many weights the network learns: every entry of every Θ^(l), biases included.
    pub fn parameters(&self) -> usize {
        self.thetas.iter().map(|t| t.len()).sum()
    }

    /// How far apart two networks' functions are on the inputs `x`: the largest change of any
    /// output, 0 when they agree there.
    pub fn largest_output_change(&self, other: &Network, x: ArrayView2<f64>) -> Result<f64> {
        let (mine, theirs) = (self.predict_proba(x)?, other.predict_proba(x)?);
        if mine.dim() != theirs.dim() {
            return Err(Error::invalid(
                "the other network's outputs",
                format!("{} per example, as this one's", mine.ncols()),
                theirs.ncols(),
            ));
        }
        Ok((&mine - &theirs).iter().fold(0.0, |a, d| a.max(d.abs())))
    }

    /// h_Θ(X): the output layer's activations, one row per example.
    pub fn predict_proba(&self, x: ArrayView2<f64>) -> Result<Array2<f64>> {
        let mut pass = self.forward(x)?;
        Ok(pass
            .a
            .pop()
            .expect("a forward pass has at least the input layer"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn small_net() -> Network {
        let t1 = array![[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9]];
        let t2 = array![[0.2, -0.1, 0.05, 0.3], [-0.3, 0.6, -0.2, 0.1]];
        Network::with_activations(vec![t1, t2], vec![Activation::Tanh]).unwrap()
    }

    #[test]
    fn per_example_and_batch_forward_agree() {
        let net = small_net();
        let x = array![[0.5, -1.0], [2.0, 0.25], [-0.3, 0.7]];
        let batch = net.forward(x.view()).unwrap();
        assert_eq!(batch.a.len(), 3);
        assert_eq!(batch.a[1].dim(), (3, 4), "hidden layer with bias column");
        for (i, row) in x.rows().into_iter().enumerate() {
            let single = net.forward_example(row).unwrap();
            for (l, a) in single.iter().enumerate() {
                let batch_row = batch.a[l].row(i);
                let batch_row = if l + 1 < batch.a.len() {
                    batch_row.slice_move(s![1..])
                } else {
                    batch_row
                };
                for (u, v) in a.iter().zip(batch_row) {
                    assert!((u - v).abs() < 1e-15, "layer {l}, example {i}: {u} vs {v}");
                }
            }
        }
    }

    #[test]
    fn mismatched_thetas_are_rejected_with_the_expected_shape() {
        let err = Network::new(
            vec![Array2::zeros((25, 401)), Array2::zeros((10, 25))],
            Activation::Sigmoid,
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "Θ^(2) has shape 10×25, expected any number of rows × 26 (previous layer's units + bias)"
        );
    }

    #[test]
    fn wrong_input_width_is_rejected() {
        let err = small_net()
            .forward(Array2::zeros((4, 3)).view())
            .unwrap_err()
            .to_string();
        assert_eq!(err, "X has shape 4×3, expected m × 2 (one example per row)");
    }

    #[test]
    fn hidden_activation_count_is_checked() {
        let t = vec![Array2::zeros((2, 3)), Array2::zeros((1, 3))];
        assert!(Network::with_activations(t, vec![]).is_err());
    }

    #[test]
    fn parameters_count_every_weight_and_bias() {
        assert_eq!(small_net().parameters(), 9 + 8);
    }

    #[test]
    fn the_largest_output_change_is_zero_only_for_the_same_function() {
        let (net, x) = (small_net(), array![[0.5, -1.0], [2.0, 0.0]]);
        assert_eq!(net.largest_output_change(&net, x.view()).unwrap(), 0.0);
        let mut thetas = net.thetas().to_vec();
        thetas[1][[1, 0]] += 1.0;
        let moved = Network::with_activations(thetas, vec![Activation::Tanh]).unwrap();
        let h = |n: &Network| n.predict_proba(x.view()).unwrap();
        let expected = (&h(&net) - &h(&moved))
            .iter()
            .fold(0.0_f64, |a, d| a.max(d.abs()));
        let change = net.largest_output_change(&moved, x.view()).unwrap();
        assert!(
            change > 0.1 && change == expected,
            "{change} against {expected}"
        );
        let one_output = Network::new(vec![array![[0.0, 1.0, 1.0]]], Activation::Sigmoid).unwrap();
        let err = net
            .largest_output_change(&one_output, x.view())
            .unwrap_err();
        assert!(err.to_string().contains("2 per example"), "{err}");
    }
}
