//! The networks ex4 is graded on, and what the library says about each: small fixed sin/cos
//! matrices as the course's grader uses, chapter 6's debug network, the same sin/cos network
//! with its outputs saturated, and the course's trained weights on the committed 50-image file.

use std::path::Path;

use backprop_book::activation::Activation;
use backprop_book::backprop::cost_and_gradient;
use backprop_book::cost::{Loss, one_hot};
use backprop_book::digits::{load_course_data, load_course_weights};
use backprop_book::gradcheck::{DebugProblem, debug_problem};
use backprop_book::network::Network;
use backprop_book::unroll::{roll, unroll};
use backprop_book::{Error, Result};
use ndarray::{Array1, Array2, ShapeBuilder};

use crate::Data;

/// One grading input: a 3-layer network given as the course passes it to nnCostFunction.
#[derive(Debug, Clone)]
pub struct Case {
    /// What the feedback calls it.
    pub name: &'static str,
    pub input_layer_size: usize,
    pub hidden_layer_size: usize,
    pub num_labels: usize,
    /// [Theta1(:); Theta2(:)], column-major.
    pub nn_params: Vec<f64>,
    pub x: Array2<f64>,
    /// Labels 1..=num_labels.
    pub y: Vec<usize>,
    /// The λ the regularised parts use on it.
    pub lambda: f64,
    /// Whether its outputs round to exactly 0 or 1, where a cost taken from h meets log(0).
    pub saturated: bool,
}

impl Case {
    /// (rows, columns) of Theta1 and Theta2.
    pub fn shapes(&self) -> [(usize, usize); 2] {
        [
            (self.hidden_layer_size, self.input_layer_size + 1),
            (self.num_labels, self.hidden_layer_size + 1),
        ]
    }

    /// How many entries nn_params and the gradient have.
    pub fn parameters(&self) -> usize {
        self.shapes().iter().map(|(r, c)| r * c).sum()
    }

    /// The network in the library's terms.
    pub fn network(&self) -> Result<Network> {
        self.network_from(roll(&Array1::from(self.nn_params.clone()), &self.shapes())?)
    }

    /// A sigmoid network with these Θs.
    pub fn network_from(&self, thetas: Vec<Array2<f64>>) -> Result<Network> {
        Network::new(thetas, Activation::Sigmoid)
    }

    /// The one-hot targets, label k in column k − 1, from the library.
    pub fn targets(&self) -> Result<Array2<f64>> {
        let classes: Vec<usize> = self.y.iter().map(|&label| label - 1).collect();
        one_hot(&classes, self.num_labels)
    }

    /// The library's J and gradient (unrolled column-major) with regularisation `lambda`.
    pub fn expected(&self, lambda: f64) -> Result<(f64, Vec<f64>)> {
        let y = self.targets()?;
        let (j, d) = cost_and_gradient(
            &self.network()?,
            self.x.view(),
            y.view(),
            lambda,
            Loss::CrossEntropy,
        )?;
        Ok((j, unroll(&d).to_vec()))
    }

    /// Entry `i` of the unrolled vector in the course's words: "Theta1(3,2)", 1-based, with
    /// "(bias)" for column 1.
    pub fn entry(&self, i: usize) -> String {
        let mut start = 0;
        for (l, (rows, cols)) in self.shapes().into_iter().enumerate() {
            if i < start + rows * cols {
                let (row, col) = ((i - start) % rows, (i - start) / rows);
                let bias = if col == 0 { " (bias)" } else { "" };
                return format!("Theta{}({},{}){bias}", l + 1, row + 1, col + 1);
            }
            start += rows * cols;
        }
        format!("entry {} (past the end)", i + 1)
    }

    /// "the sin/cos network (2-4-4, m = 16)": the name with the sizes.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}-{}-{}, m = {})",
            self.name,
            self.input_layer_size,
            self.hidden_layer_size,
            self.num_labels,
            self.x.nrows()
        )
    }
}

/// A rows × cols matrix whose entry number k (1-based, counted column by column as Octave's
/// reshape does) is `f(k)`.
pub fn column_major(rows: usize, cols: usize, f: impl Fn(f64) -> f64) -> Array2<f64> {
    let values = (1..=rows * cols).map(|k| f(k as f64)).collect();
    Array2::from_shape_vec((rows, cols).f(), values).expect("rows × cols values")
}

/// A 2-4-4 network on 16 examples, every number a sine or a cosine: fixed, small, and with no
/// symmetry that could hide a misplaced entry.
pub fn sin_cos() -> Case {
    let (n, h, k, m) = (2, 4, 4, 16);
    let theta1 = column_major(h, n + 1, |i| (2.0 * i - 1.0).sin());
    let theta2 = column_major(k, h + 1, |i| (2.0 * i - 1.0).cos());
    Case {
        name: "the sin/cos network",
        input_layer_size: n,
        hidden_layer_size: h,
        num_labels: k,
        nn_params: unroll(&[theta1, theta2]).to_vec(),
        x: column_major(m, n, |i| i.sin() / 5.0),
        y: (1..=m).map(|i| 1 + i % k).collect(),
        lambda: 1.5,
        saturated: false,
    }
}

/// [`sin_cos`] with every weight times 100: most outputs round to exactly 0 or 1.
pub fn saturated() -> Case {
    let base = sin_cos();
    Case {
        name: "the sin/cos network with weights × 100 (saturated outputs)",
        nn_params: base.nn_params.iter().map(|w| 100.0 * w).collect(),
        saturated: true,
        ..base
    }
}

/// Chapter 6's debug network (the course's checkNNGradients): 3-5-3 on 5 examples.
pub fn debug() -> Result<Case> {
    let DebugProblem {
        net, x, classes, ..
    } = debug_problem()?;
    let sizes = net.sizes();
    Ok(Case {
        name: "chapter 6's debug network",
        input_layer_size: sizes[0],
        hidden_layer_size: sizes[1],
        num_labels: sizes[2],
        nn_params: unroll(net.thetas()).to_vec(),
        x,
        y: classes.iter().map(|c| c + 1).collect(),
        lambda: 3.0,
        saturated: false,
    })
}

/// The course's trained weights (ex4weights.mat) on the 50 images of the committed fixture.
pub fn course(fixture: &Path, weights: &Path) -> Result<Case> {
    let data = load_course_data(fixture)?;
    let [theta1, theta2] = load_course_weights(weights)?;
    Ok(Case {
        name: "ex4weights.mat on ex4data1-small.mat",
        input_layer_size: theta1.ncols() - 1,
        hidden_layer_size: theta1.nrows(),
        num_labels: theta2.nrows(),
        nn_params: unroll(&[theta1, theta2]).to_vec(),
        x: data.x,
        y: data.classes.iter().map(|c| c + 1).collect(),
        lambda: 1.0,
        saturated: false,
    })
}

/// The unsaturated networks: sin/cos, debug, and the course's weights when the grader has them.
pub fn networks(data: &Data) -> Result<Vec<Case>> {
    let mut cases = vec![sin_cos(), debug()?];
    if let Some(weights) = &data.weights {
        let fixture = data.fixture.as_deref().ok_or_else(|| Error::Missing {
            file: "ex4data1-small.mat".to_string(),
            searched: "the grader's --fixture".to_string(),
            hint: "the orchestrator passes it with the weights".to_string(),
        })?;
        cases.push(course(fixture, weights)?);
    }
    Ok(cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_named_column_by_column() {
        let case = sin_cos();
        assert_eq!(case.parameters(), 4 * 3 + 4 * 5);
        assert_eq!(case.entry(0), "Theta1(1,1) (bias)");
        assert_eq!(case.entry(5), "Theta1(2,2)");
        assert_eq!(case.entry(12), "Theta2(1,1) (bias)");
        assert_eq!(case.entry(31), "Theta2(4,5)");
        assert!(case.entry(32).contains("past the end"));
    }

    #[test]
    fn the_saturated_network_saturates_and_the_library_stays_finite() {
        let case = saturated();
        let h = case
            .network()
            .unwrap()
            .predict_proba(case.x.view())
            .unwrap();
        assert!(h.iter().any(|&v| v == 1.0), "some output rounds to 1");
        let (j, _) = case.expected(case.lambda).unwrap();
        assert!(j.is_finite());
    }
}
