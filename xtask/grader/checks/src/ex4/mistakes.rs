//! The mistakes learners of ex4 make, each as what it makes the cost, the gradient or g′ come
//! out as. Each is the library's answer with that one thing done wrong, so a learner's wrong
//! result can be matched against them on the same inputs.

use backprop_book::activation::{sigmoid, sigmoid_gradient};
use backprop_book::backprop::cost_and_gradient;
use backprop_book::cost::{Loss, data_cost, regularisation};
use backprop_book::unroll::{unroll, unroll_row_major};
use backprop_book::{Error, Result};
use ndarray::{Array2, ArrayView2, s};

use super::inputs::Case;

/// A known mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mistake {
    BiasRegularised,
    LambdaTimesM,
    OneOverMForgotten,
    LambdaIgnored,
    PenaltyFactorTwo,
    LabelTenInColumnZero,
    LabelKInColumnK,
    GPrimeAtA,
    ZForA,
    SigmoidNotDerivative,
    OutputDeltaSlope,
    GradientRowMajor,
    ParamsRowMajor,
    SignError,
    LogZero,
    BiasDeltaKept,
}

impl Mistake {
    pub const ALL: [Mistake; 16] = [
        Mistake::BiasRegularised,
        Mistake::LambdaTimesM,
        Mistake::OneOverMForgotten,
        Mistake::LambdaIgnored,
        Mistake::PenaltyFactorTwo,
        Mistake::LabelTenInColumnZero,
        Mistake::LabelKInColumnK,
        Mistake::GPrimeAtA,
        Mistake::ZForA,
        Mistake::SigmoidNotDerivative,
        Mistake::OutputDeltaSlope,
        Mistake::GradientRowMajor,
        Mistake::ParamsRowMajor,
        Mistake::SignError,
        Mistake::LogZero,
        Mistake::BiasDeltaKept,
    ];

    /// The mistake in a few words.
    pub fn name(self) -> &'static str {
        match self {
            Mistake::BiasRegularised => "the bias column regularised",
            Mistake::LambdaTimesM => "λ/2·m written for λ/(2m)",
            Mistake::OneOverMForgotten => "the 1/m forgotten",
            Mistake::LambdaIgnored => "λ not used",
            Mistake::PenaltyFactorTwo => "the penalty's factor 2 wrong",
            Mistake::LabelTenInColumnZero => "one-hot off by one: label 10 in column 0",
            Mistake::LabelKInColumnK => "one-hot off by one: label k in column k",
            Mistake::GPrimeAtA => "g′ taken at a = g(z) (the sigmoid applied twice)",
            Mistake::ZForA => "a(1 − a) computed with z for a",
            Mistake::SigmoidNotDerivative => "g(z) returned instead of g′(z)",
            Mistake::OutputDeltaSlope => "δ3 multiplied by g′(z3)",
            Mistake::GradientRowMajor => "the gradient unrolled row-major",
            Mistake::ParamsRowMajor => "nn_params reshaped row-major",
            Mistake::SignError => "a sign error",
            Mistake::LogZero => "log(0) giving NaN or ∞",
            Mistake::BiasDeltaKept => "the bias row of δ2 not dropped",
        }
    }

    /// What to do instead.
    pub fn advice(self) -> &'static str {
        match self {
            Mistake::BiasRegularised => {
                "leave column 1 of each Θ (the bias weights) out of the penalty and its gradient"
            }
            Mistake::LambdaTimesM => {
                "λ / 2 * m is (λ/2)·m; write λ / (2 * m), the penalty is divided by 2m"
            }
            Mistake::OneOverMForgotten => "divide the sum over the m examples by m",
            Mistake::LambdaIgnored => "add the penalty with the λ you are given",
            Mistake::PenaltyFactorTwo => {
                "the cost's penalty is λ/(2m) Σ Θ², so its gradient is (λ/m) Θ"
            }
            Mistake::LabelTenInColumnZero => {
                "label k is a 1 in column k − 1, so label 10 (the digit 0) is the last column"
            }
            Mistake::LabelKInColumnK => "label k is a 1 in column k − 1: labels count from 1",
            Mistake::GPrimeAtA => {
                "pass z to sigmoid_gradient, not a = g(z); or use a(1 − a) with a itself"
            }
            Mistake::ZForA => "g′(z) = g(z)(1 − g(z)): apply g first",
            Mistake::SigmoidNotDerivative => "g′(z) = g(z)(1 − g(z))",
            Mistake::OutputDeltaSlope => {
                "with the cross-entropy cost δ3 = h − y: g′(z3) cancels (chapter 5)"
            }
            Mistake::GradientRowMajor => {
                "unroll each gradient column by column, as [Theta1_grad(:); Theta2_grad(:)]"
            }
            Mistake::ParamsRowMajor => {
                "nn_params is column-major: build Θ with the shape `(rows, cols).f()`"
            }
            Mistake::SignError => "δ3 = h − y, and the penalty is added, not subtracted",
            Mistake::LogZero => {
                "an output of exactly 0 or 1 makes log(0): compute the cost from z, or clip h"
            }
            Mistake::BiasDeltaKept => {
                "δ2 = δ3 Θ2 without Θ2's first column: the bias unit has no error to pass back"
            }
        }
    }
}

/// The sum of the squares of every weight, bias column included.
fn all_squares(thetas: &[Array2<f64>]) -> f64 {
    thetas.iter().flat_map(|t| t.iter()).map(|w| w * w).sum()
}

/// Targets with label k put in column `column(k)` (`None`: in no column).
fn targets_with(case: &Case, column: impl Fn(usize) -> Option<usize>) -> Array2<f64> {
    let mut y = Array2::zeros((case.y.len(), case.num_labels));
    for (i, &label) in case.y.iter().enumerate() {
        if let Some(c) = column(label) {
            y[[i, c]] = 1.0;
        }
    }
    y
}

/// The two ways label k lands in the wrong column, or None for every other mistake.
fn wrong_targets(mistake: Mistake, case: &Case) -> Option<Array2<f64>> {
    let k = case.num_labels;
    match mistake {
        Mistake::LabelTenInColumnZero => Some(targets_with(case, |label| Some(label % k))),
        Mistake::LabelKInColumnK => Some(targets_with(case, |label| (label < k).then_some(label))),
        _ => None,
    }
}

/// Theta1 and Theta2 read from nn_params row by row.
fn params_row_major(case: &Case) -> Result<Vec<Array2<f64>>> {
    let mut start = 0;
    case.shapes()
        .into_iter()
        .map(|(r, c)| {
            let part = case.nn_params[start..start + r * c].to_vec();
            start += r * c;
            Array2::from_shape_vec((r, c), part)
                .map_err(|e| Error::invalid("nn_params", "enough entries", e))
        })
        .collect()
}

/// J and its gradient of the network that nn_params gives when reshaped row-major.
fn row_major_reading(case: &Case, y: &Array2<f64>, lambda: f64) -> Result<(f64, Vec<Array2<f64>>)> {
    let twisted = case.network_from(params_row_major(case)?)?;
    cost_and_gradient(
        &twisted,
        case.x.view(),
        y.view(),
        lambda,
        Loss::CrossEntropy,
    )
}

/// −y log h − (1 − y) log(1 − h) taken from h itself, averaged: NaN or ∞ where h is 0 or 1.
fn cost_from_h(h: &Array2<f64>, y: &Array2<f64>) -> f64 {
    let total: f64 = h
        .iter()
        .zip(y)
        .map(|(&h, &y)| -(y * h.ln() + (1.0 - y) * (1.0 - h).ln()))
        .sum();
    total / h.nrows() as f64
}

/// What `mistake` makes J on `case` with `lambda`: one value per way of making it, none if it
/// does not touch the cost.
pub fn cost(mistake: Mistake, case: &Case, lambda: f64) -> Result<Vec<f64>> {
    let net = case.network()?;
    let y = case.targets()?;
    let pass = net.forward(case.x.view())?;
    let z3 = pass.z[1].view();
    let m = case.x.nrows() as f64;
    let data = data_cost(z3, y.view(), Loss::CrossEntropy);
    let penalty = regularisation(net.thetas(), lambda, case.x.nrows());
    if let Some(wrong) = wrong_targets(mistake, case) {
        return Ok(vec![
            data_cost(z3, wrong.view(), Loss::CrossEntropy) + penalty,
        ]);
    }
    Ok(match mistake {
        Mistake::BiasRegularised => vec![data + lambda / (2.0 * m) * all_squares(net.thetas())],
        Mistake::LambdaTimesM => vec![data + penalty * m * m],
        Mistake::OneOverMForgotten => vec![data * m + penalty, (data + penalty) * m],
        Mistake::LambdaIgnored => vec![data],
        Mistake::PenaltyFactorTwo => vec![data + 2.0 * penalty],
        Mistake::ParamsRowMajor => {
            let (j, _) = row_major_reading(case, &y, lambda)?;
            vec![j]
        }
        Mistake::SignError => vec![-(data + penalty), penalty - data],
        Mistake::LogZero => vec![cost_from_h(pass.output(), &y) + penalty],
        _ => vec![],
    })
}

/// The gradient, unrolled column-major, of `net`'s cost on `case`'s X with targets `y`.
fn gradient_of(
    net: &backprop_book::network::Network,
    case: &Case,
    y: &Array2<f64>,
    lambda: f64,
    loss: Loss,
) -> Result<Vec<f64>> {
    let (_, d) = cost_and_gradient(net, case.x.view(), y.view(), lambda, loss)?;
    Ok(unroll(&d).to_vec())
}

/// Backpropagation (without the penalty) with the hidden layer's g′(z2) replaced by
/// `slope(z2)`: how the mistakes of sigmoid_gradient show in the gradient.
fn gradient_with_slope(
    case: &Case,
    y: &Array2<f64>,
    slope: impl Fn(f64) -> f64,
) -> Result<Vec<f64>> {
    let net = case.network()?;
    let pass = net.forward(case.x.view())?;
    let m = case.x.nrows() as f64;
    let delta3 = pass.output() - y;
    let delta2 = delta3.dot(&net.thetas()[1].slice(s![.., 1..])) * pass.z[0].mapv(slope);
    let d1 = delta2.t().dot(&pass.a[0]) / m;
    let d2 = delta3.t().dot(&pass.a[1]) / m;
    Ok(unroll(&[d1, d2]).to_vec())
}

fn add(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x + y).collect()
}

fn scale(a: &[f64], by: f64) -> Vec<f64> {
    a.iter().map(|x| x * by).collect()
}

/// What `mistake` makes the gradient (unrolled as the learner returns it) on `case` with
/// `lambda`: one vector per way of making it, none if it does not touch the gradient.
pub fn gradient(mistake: Mistake, case: &Case, lambda: f64) -> Result<Vec<Vec<f64>>> {
    let net = case.network()?;
    let y = case.targets()?;
    let m = case.x.nrows() as f64;
    let unregularised = gradient_of(&net, case, &y, 0.0, Loss::CrossEntropy)?;
    let regularised = gradient_of(&net, case, &y, lambda, Loss::CrossEntropy)?;
    // The penalty's gradient, (λ/m)Θ off the bias column, as the library adds it.
    let penalty: Vec<f64> = regularised
        .iter()
        .zip(&unregularised)
        .map(|(r, u)| r - u)
        .collect();
    if let Some(wrong) = wrong_targets(mistake, case) {
        return Ok(vec![gradient_of(
            &net,
            case,
            &wrong,
            lambda,
            Loss::CrossEntropy,
        )?]);
    }
    Ok(match mistake {
        Mistake::BiasRegularised => {
            // (λ/m)Θ on the bias column too: Θ's bias entries, scaled, added where they sit.
            let mut bias_only: Vec<Array2<f64>> = net.thetas().to_vec();
            for t in &mut bias_only {
                t.slice_mut(s![.., 1..]).fill(0.0);
            }
            let bias_penalty = scale(
                unroll(&bias_only).as_slice().expect("contiguous"),
                lambda / m,
            );
            vec![add(&regularised, &bias_penalty)]
        }
        Mistake::OneOverMForgotten => vec![
            add(&scale(&unregularised, m), &penalty),
            scale(&regularised, m),
        ],
        Mistake::LambdaIgnored => vec![unregularised],
        Mistake::PenaltyFactorTwo => vec![add(&unregularised, &scale(&penalty, 0.5))],
        Mistake::GPrimeAtA | Mistake::ZForA | Mistake::SigmoidNotDerivative => {
            let slope = |z: f64| match mistake {
                Mistake::GPrimeAtA => sigmoid_gradient(sigmoid(z)),
                Mistake::ZForA => z * (1.0 - z),
                _ => sigmoid(z),
            };
            vec![add(&gradient_with_slope(case, &y, slope)?, &penalty)]
        }
        Mistake::OutputDeltaSlope => vec![gradient_of(&net, case, &y, lambda, Loss::SquaredError)?],
        Mistake::GradientRowMajor => {
            let (_, d) =
                cost_and_gradient(&net, case.x.view(), y.view(), lambda, Loss::CrossEntropy)?;
            vec![unroll_row_major(&d).to_vec()]
        }
        Mistake::ParamsRowMajor => {
            let (_, d) = row_major_reading(case, &y, lambda)?;
            vec![unroll(&d).to_vec(), unroll_row_major(&d).to_vec()]
        }
        Mistake::SignError => vec![
            add(&scale(&unregularised, -1.0), &penalty),
            add(&unregularised, &scale(&penalty, -1.0)),
            scale(&regularised, -1.0),
        ],
        _ => vec![],
    })
}

/// What `mistake` makes g′(z), or nothing if it is not a mistake of sigmoid_gradient.
pub fn sigmoid_gradient_with(mistake: Mistake, z: ArrayView2<f64>) -> Vec<Array2<f64>> {
    match mistake {
        Mistake::GPrimeAtA => vec![z.mapv(|v| sigmoid_gradient(sigmoid(v)))],
        Mistake::ZForA => vec![z.mapv(|v| v * (1.0 - v))],
        Mistake::SigmoidNotDerivative => vec![z.mapv(sigmoid)],
        Mistake::SignError => vec![z.mapv(|v| -sigmoid_gradient(v))],
        _ => vec![],
    }
}

/// Whether a panic message shows the gradient of Theta1 with one row too many, the bias row of
/// δ2 kept: a shape of h rows next to one of h + 1 rows, with Θ1's columns (with or without
/// the bias column). ndarray writes shapes as `[a, b]` (broadcasting) or `a × b` (products).
pub fn shows_bias_row_kept(message: &str, case: &Case) -> bool {
    let numbers: Vec<usize> = message
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|t| t.parse().ok())
        .collect();
    let shapes: Vec<(usize, usize)> = numbers.windows(2).map(|w| (w[0], w[1])).collect();
    let (h, n) = (case.hidden_layer_size, case.input_layer_size);
    [n, n + 1]
        .iter()
        .any(|&c| shapes.contains(&(h, c)) && shapes.contains(&(h + 1, c)))
}

/// Whether a panic is ndarray's shape error without the shapes (its element-wise operators
/// panic with only "ShapeError/IncompatibleShape").
pub fn is_unsized_shape_error(message: &str) -> bool {
    message.contains("IncompatibleShape") && !message.chars().any(|c| c.is_ascii_digit())
}

/// Whether a gradient of `len` entries is Theta1's gradient with one row too many.
pub fn length_shows_bias_row_kept(len: usize, case: &Case) -> bool {
    len == case.parameters() + case.input_layer_size + 1
}

#[cfg(test)]
mod tests {
    use super::super::inputs;
    use super::*;
    use crate::compare::all_close;

    #[test]
    fn a_shape_error_without_sizes_is_told_apart() {
        let unsized_ = "called `Result::unwrap()` on an `Err` value: ShapeError/IncompatibleShape: incompatible shapes";
        assert!(is_unsized_shape_error(unsized_));
        assert!(!is_unsized_shape_error(
            "inputs 16 × 5 and 4 × 3 are not compatible for matrix multiplication: IncompatibleShape"
        ));
        assert!(!is_unsized_shape_error("index out of bounds"));
    }

    #[test]
    fn every_cost_and_gradient_mistake_changes_something_on_the_grading_inputs() {
        let cases = vec![
            inputs::sin_cos(),
            inputs::debug().unwrap(),
            inputs::saturated(),
        ];
        for mistake in Mistake::ALL {
            let mut changed = false;
            for case in &cases {
                for lambda in [0.0, case.lambda] {
                    let (j, d) = case.expected(lambda).unwrap();
                    for wrong in cost(mistake, case, lambda).unwrap() {
                        changed |= !crate::compare::close(wrong, j);
                    }
                    for wrong in gradient(mistake, case, lambda).unwrap() {
                        changed |= !all_close(&wrong, &d);
                    }
                }
            }
            let z = inputs::column_major(3, 4, |k| 3.0 * k.sin());
            let g = z.mapv(sigmoid_gradient);
            for wrong in sigmoid_gradient_with(mistake, z.view()) {
                changed |= wrong
                    .iter()
                    .zip(&g)
                    .any(|(&a, &b)| !crate::compare::close(a, b));
            }
            let structural = mistake == Mistake::BiasDeltaKept;
            assert!(changed || structural, "{mistake:?} changes nothing");
        }
    }

    #[test]
    fn the_bias_row_is_recognised_in_ndarrays_messages() {
        let case = inputs::sin_cos(); // h = 4, n = 2
        assert!(shows_bias_row_kept(
            "ndarray: could not broadcast array from shape: [4, 2] to: [5, 2]",
            &case
        ));
        assert!(shows_bias_row_kept(
            "ndarray: could not broadcast array from shape: [4, 3] to: [5, 3]",
            &case
        ));
        assert!(!shows_bias_row_kept(
            "ndarray: inputs 16 × 5 and 4 × 4 are not compatible for matrix multiplication",
            &case
        ));
        assert!(length_shows_bias_row_kept(32 + 3, &case));
        assert!(!length_shows_bias_row_kept(32, &case));
    }
}
