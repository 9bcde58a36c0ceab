//! Activation functions g(z) and their derivatives g′(z), always the derivative at z. Computing
//! it from the stored output a = g(z) (σ′(z) = a(1 − a)) is the same number; the bug is σ′(a).

use ndarray::{Array, Dimension};
use std::fmt;
use std::str::FromStr;

use crate::Error;

/// The slope leaky ReLU keeps for negative inputs.
pub const LEAKY_SLOPE: f64 = 0.01;

// ANCHOR: sigmoid
/// The logistic sigmoid σ(z) = 1 / (1 + e^(−z)).
///
/// ```
/// use backprop_book::activation::sigmoid;
/// assert_eq!(sigmoid(0.0), 0.5);
/// assert!((sigmoid(2.0) - 0.880797).abs() < 1e-6);
/// ```
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// σ′(z) = σ(z)(1 − σ(z)), derived step by step in chapter 2.
///
/// ```
/// use backprop_book::activation::sigmoid_gradient;
/// assert_eq!(sigmoid_gradient(0.0), 0.25); // the course's check value
/// ```
pub fn sigmoid_gradient(z: f64) -> f64 {
    let s = sigmoid(z);
    s * (1.0 - s)
}
// ANCHOR_END: sigmoid

/// The unit step: 1 for z > 0, else 0. Chapter 1's first activation; its derivative is 0
/// wherever it exists, which is why gradient-based learning needs something smoother.
///
/// ```
/// use backprop_book::activation::step;
/// assert_eq!((step(-0.5), step(0.0), step(0.5)), (0.0, 0.0, 1.0));
/// ```
pub fn step(z: f64) -> f64 {
    if z > 0.0 { 1.0 } else { 0.0 }
}

/// The activations a layer can use.
///
/// ```
/// use backprop_book::activation::Activation;
/// let relu: Activation = "relu".parse().unwrap();
/// assert_eq!(relu.apply(-2.0), 0.0);
/// assert_eq!(Activation::Tanh.derivative(0.0), 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    Sigmoid,
    Tanh,
    Relu,
    LeakyRelu,
}

impl Activation {
    /// Every activation, in the order the book presents them.
    pub const ALL: [Activation; 4] = [
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu,
    ];

    // ANCHOR: apply
    /// g(z).
    pub fn apply(self, z: f64) -> f64 {
        match self {
            Activation::Sigmoid => sigmoid(z),
            Activation::Tanh => z.tanh(),
            Activation::Relu => z.max(0.0),
            Activation::LeakyRelu => {
                if z > 0.0 {
                    z
                } else {
                    LEAKY_SLOPE * z
                }
            }
        }
    }

    /// g′(z). At ReLU's kink (z = 0) we take the left derivative, as most libraries do.
    pub fn derivative(self, z: f64) -> f64 {
        match self {
            Activation::Sigmoid => sigmoid_gradient(z),
            Activation::Tanh => 1.0 - z.tanh().powi(2),
            Activation::Relu => step(z),
            Activation::LeakyRelu => {
                if z > 0.0 {
                    1.0
                } else {
                    LEAKY_SLOPE
                }
            }
        }
    }
    // ANCHOR_END: apply

    /// g′(z) computed from a = g(z), which the forward pass has already stored: the same value
    /// as [`Activation::derivative`] (bit for bit for sigmoid and tanh) without a second exp.
    pub fn derivative_from_output(self, a: f64) -> f64 {
        match self {
            Activation::Sigmoid => a * (1.0 - a),
            Activation::Tanh => 1.0 - a * a,
            Activation::Relu => step(a),
            Activation::LeakyRelu => {
                if a > 0.0 {
                    1.0
                } else {
                    LEAKY_SLOPE
                }
            }
        }
    }

    /// g applied to every element.
    pub fn apply_all<D: Dimension>(self, z: &Array<f64, D>) -> Array<f64, D> {
        z.mapv(|v| self.apply(v))
    }

    /// g′ applied to every element.
    pub fn derivative_all<D: Dimension>(self, z: &Array<f64, D>) -> Array<f64, D> {
        z.mapv(|v| self.derivative(v))
    }

    /// The name used on the command line and in transcripts.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::LeakyRelu => "leaky-relu",
        }
    }
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Activation {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Activation::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| {
                Error::invalid("activation", "one of sigmoid, tanh, relu, leaky-relu", s)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Central difference, the yardstick for every derivative.
    fn numeric(g: Activation, z: f64) -> f64 {
        let h = 1e-6;
        (g.apply(z + h) - g.apply(z - h)) / (2.0 * h)
    }

    #[test]
    fn derivatives_match_central_differences_away_from_the_kink() {
        for g in Activation::ALL {
            for z in [-3.0, -1.2, -0.3, 0.4, 1.1, 2.5] {
                let (a, n) = (g.derivative(z), numeric(g, z));
                assert!(
                    (a - n).abs() < 1e-8,
                    "{g} at {z}: analytic {a}, numeric {n}"
                );
            }
        }
    }

    #[test]
    fn derivative_from_output_equals_derivative_at_z() {
        for g in Activation::ALL {
            for z in [-3.0, -0.7, 0.0, 0.2, 1.9] {
                assert_eq!(
                    g.derivative_from_output(g.apply(z)),
                    g.derivative(z),
                    "{g} at {z}"
                );
            }
        }
    }

    #[test]
    fn sigmoid_gradient_reference_values() {
        // The course's table: g'(z) at z = -1, -0.5, 0, 0.5, 1.
        let expected = [0.196612, 0.235004, 0.250000, 0.235004, 0.196612];
        for (z, e) in [-1.0, -0.5, 0.0, 0.5, 1.0].into_iter().zip(expected) {
            assert!((sigmoid_gradient(z) - e).abs() < 5e-7, "σ'({z})");
        }
    }

    #[test]
    fn names_round_trip_and_bad_names_are_named() {
        for g in Activation::ALL {
            assert_eq!(g.name().parse::<Activation>().unwrap(), g);
        }
        let err = "softplus".parse::<Activation>().unwrap_err().to_string();
        assert!(
            err.contains("softplus") && err.contains("sigmoid, tanh"),
            "{err}"
        );
    }
}
