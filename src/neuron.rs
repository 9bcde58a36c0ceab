//! Chapter 1: a single neuron y = w·x + b is a line, and the step function turns it into a
//! classifier. The perceptron rule learns such a line from labelled points.

use crate::activation::step;
use crate::{Error, Result};

/// A neuron with two inputs: the line w₁x₁ + w₂x₂ + b = 0 and a step activation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neuron {
    pub w: [f64; 2],
    pub b: f64,
}

impl Neuron {
    // ANCHOR: neuron
    /// The weighted sum z = w·x + b: positive on one side of the line, negative on the other.
    pub fn weighted_sum(&self, x: [f64; 2]) -> f64 {
        self.w[0] * x[0] + self.w[1] * x[1] + self.b
    }

    /// The step activation of the weighted sum: class 1 (blue) or 0 (red).
    pub fn classify(&self, x: [f64; 2]) -> u8 {
        step(self.weighted_sum(x)) as u8
    }
    // ANCHOR_END: neuron

    /// The boundary as x₂ = slope·x₁ + intercept; `None` for a vertical line (w₂ = 0).
    ///
    /// ```
    /// use backprop_book::neuron::Neuron;
    /// let n = Neuron { w: [1.0, 2.0], b: -4.0 }; // x1 + 2 x2 - 4 = 0
    /// assert_eq!(n.slope_intercept(), Some((-0.5, 2.0)));
    /// ```
    pub fn slope_intercept(&self) -> Option<(f64, f64)> {
        (self.w[1] != 0.0).then(|| (-self.w[0] / self.w[1], -self.b / self.w[1]))
    }

    /// The fraction of `points` whose class matches `labels`.
    pub fn accuracy(&self, points: &[[f64; 2]], labels: &[u8]) -> f64 {
        let right = points
            .iter()
            .zip(labels)
            .filter(|(p, l)| self.classify(**p) == **l)
            .count();
        right as f64 / points.len().max(1) as f64
    }
}

/// What the perceptron rule learned, with the history the chapter plots.
#[derive(Debug, Clone)]
pub struct PerceptronFit {
    pub neuron: Neuron,
    /// The neuron at the end of each epoch (a pass over all points).
    pub history: Vec<Neuron>,
    /// Points misclassified (and so corrected) in each epoch.
    pub mistakes: Vec<usize>,
}

impl PerceptronFit {
    /// Whether the last epoch made no mistake (the line separates the training points).
    pub fn converged(&self) -> bool {
        self.mistakes.last() == Some(&0)
    }
}

/// Learns a separating line with the perceptron rule, starting from w = 0, b = 0.
///
/// For each point in turn: ŷ = step(w·x + b), then w ← w + η(y − ŷ)x and b ← b + η(y − ŷ).
/// Nothing changes on a correct point; on separable data it stops after finitely many mistakes.
///
/// ```
/// use backprop_book::neuron::perceptron;
/// let points = [[0.0, 0.0], [0.0, 1.0], [2.0, 0.0], [2.0, 1.0]];
/// let fit = perceptron(&points, &[0, 0, 1, 1], 1.0, 100)?;
/// assert!(fit.converged());
/// assert_eq!(fit.neuron.accuracy(&points, &[0, 0, 1, 1]), 1.0);
/// # Ok::<(), backprop_book::Error>(())
/// ```
pub fn perceptron(
    points: &[[f64; 2]],
    labels: &[u8],
    learning_rate: f64,
    max_epochs: usize,
) -> Result<PerceptronFit> {
    if points.len() != labels.len() || points.is_empty() {
        return Err(Error::invalid(
            "training set",
            "as many labels as points, at least one",
            format!("{} points and {} labels", points.len(), labels.len()),
        ));
    }
    if let Some(bad) = labels.iter().find(|&&l| l > 1) {
        return Err(Error::invalid("label", "0 (red) or 1 (blue)", bad));
    }
    if !(learning_rate > 0.0 && learning_rate.is_finite()) {
        return Err(Error::invalid(
            "learning rate",
            "a positive number",
            learning_rate,
        ));
    }
    let mut neuron = Neuron {
        w: [0.0, 0.0],
        b: 0.0,
    };
    let (mut history, mut mistakes) = (Vec::new(), Vec::new());
    for _ in 0..max_epochs {
        let wrong = perceptron_epoch(&mut neuron, points, labels, learning_rate);
        history.push(neuron);
        mistakes.push(wrong);
        if wrong == 0 {
            break;
        }
    }
    Ok(PerceptronFit {
        neuron,
        history,
        mistakes,
    })
}

// ANCHOR: perceptron_rule
/// One pass of the perceptron rule over the points: where the neuron is wrong, move the line
/// towards the point. Returns the number of mistakes it corrected.
fn perceptron_epoch(neuron: &mut Neuron, points: &[[f64; 2]], labels: &[u8], rate: f64) -> usize {
    let mut wrong = 0;
    for (x, &y) in points.iter().zip(labels) {
        let error = f64::from(y) - f64::from(neuron.classify(*x)); // −1, 0 or +1
        neuron.w[0] += rate * error * x[0];
        neuron.w[1] += rate * error * x[1];
        neuron.b += rate * error;
        wrong += usize::from(error != 0.0);
    }
    wrong
}
// ANCHOR_END: perceptron_rule
