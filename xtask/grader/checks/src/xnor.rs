//! Chapter 3's exercise: weights for AND, NOR and OR units and the XNOR network made of them,
//! each graded by the library's forward pass over the four corners of the truth table.

use backprop_book::activation::Activation;
use backprop_book::network::Network;
use ndarray::{Array2, array};

use crate::compare::show;
use crate::isolate;
use crate::{Data, Graded, Verdict};

pub type Weights = fn() -> [f64; 3];
pub type XnorNetwork = fn() -> (Array2<f64>, Array2<f64>);

/// The learner's functions.
#[derive(Clone, Copy)]
pub struct Code {
    pub and_weights: Weights,
    pub nor_weights: Weights,
    pub or_weights: Weights,
    pub xnor_network: XnorNetwork,
}

/// `xnor_code!(module)`: the [`Code`] of a module with the exercise's functions.
#[macro_export]
macro_rules! xnor_code {
    ($module:ident) => {
        $crate::xnor::Code {
            and_weights: $module::and_weights,
            nor_weights: $module::nor_weights,
            or_weights: $module::or_weights,
            xnor_network: $module::xnor_network,
        }
    };
}

/// How close to 0 or 1 every output must be.
const WITHIN: f64 = 0.01;

/// The four corners, in the truth table's order.
const CORNERS: [(bool, bool); 4] = [(false, false), (false, true), (true, false), (true, true)];

/// A two-input boolean function.
type Gate = fn(bool, bool) -> bool;

/// The two-input functions with a name, for saying what a unit computes instead.
const FUNCTIONS: [(&str, Gate); 10] = [
    ("x1 AND x2", |a, b| a && b),
    ("x1 OR x2", |a, b| a || b),
    ("(NOT x1) AND (NOT x2)", |a, b| !a && !b),
    ("NOT (x1 AND x2)", |a, b| !(a && b)),
    ("x1 XOR x2", |a, b| a != b),
    ("x1 XNOR x2", |a, b| a == b),
    ("x1", |a, _| a),
    ("x2", |_, b| b),
    ("NOT x1", |a, _| !a),
    ("NOT x2", |_, b| !b),
];

/// The library's outputs of the network Θs at the four corners, or why the Θs are no network.
fn outputs(thetas: Vec<Array2<f64>>) -> backprop_book::Result<Vec<f64>> {
    let x = array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
    let net = Network::new(thetas, Activation::Sigmoid)?;
    Ok(net.predict_proba(x.view())?.column(0).to_vec())
}

/// The name of the function the outputs compute when rounded at 0.5, if it has one.
fn computes(h: &[f64]) -> String {
    let table: Vec<bool> = h.iter().map(|&v| v > 0.5).collect();
    FUNCTIONS
        .iter()
        .find(|(_, f)| CORNERS.iter().zip(&table).all(|(&(a, b), &t)| f(a, b) == t))
        .map_or_else(
            || {
                let bits: Vec<&str> = table.iter().map(|&t| if t { "1" } else { "0" }).collect();
                format!("the table {}", bits.join(""))
            },
            |(name, _)| name.to_string(),
        )
}

/// What is wrong with outputs `h` for `gate`, in the known mistakes' words.
fn diagnose(h: &[f64], gate: &str, bias_last: Option<bool>) -> String {
    let f = FUNCTIONS
        .iter()
        .find(|(name, _)| *name == gate)
        .expect("a named gate")
        .1;
    let right_side = CORNERS
        .iter()
        .zip(h)
        .all(|(&(a, b), &v)| (v > 0.5) == f(a, b));
    let named = if bias_last == Some(true) {
        vec![(
            "the bias weight written last".to_string(),
            "Θ is [bias, weight of x1, weight of x2]".to_string(),
        )]
    } else if right_side {
        vec![(
            "weights too small".to_string(),
            "every output is on the right side of 0.5; multiply all three weights by 10 so that σ saturates".to_string(),
        )]
    } else {
        vec![(
            format!("a different gate: it computes {}", computes(h)),
            format!(
                "choose the sign of z at each corner so that only the corners where {gate} is 1 get z > 0"
            ),
        )]
    };
    let named: Vec<(&str, &str)> = named
        .iter()
        .map(|(n, a)| (n.as_str(), a.as_str()))
        .collect();
    crate::diagnosis(&named)
}

/// The outputs against the truth table of `gate`: the first corner more than 0.01 off.
fn check_table(h: &[f64], gate: &str) -> Option<String> {
    let f = FUNCTIONS
        .iter()
        .find(|(name, _)| *name == gate)
        .expect("a named gate")
        .1;
    CORNERS.iter().zip(h).find_map(|(&(a, b), &v)| {
        let want = f64::from(u8::from(f(a, b)));
        ((v - want).abs() >= WITHIN || v.is_nan()).then(|| {
            format!(
                "at x = ({}, {}) the output is {}, expected within {WITHIN} of {want}",
                u8::from(a),
                u8::from(b),
                show(v)
            )
        })
    })
}

impl Code {
    fn unit(&self, weights: Weights, gate: &str) -> backprop_book::Result<Verdict> {
        let theta = match isolate::call(weights) {
            Ok(t) => t,
            Err(p) => return Ok(Verdict::fail(p.to_string())),
        };
        let h = outputs(vec![array![[theta[0], theta[1], theta[2]]]])?;
        let Some(wrong) = check_table(&h, gate) else {
            return Ok(Verdict::pass(format!(
                "{gate} within {WITHIN} at every corner"
            )));
        };
        let reordered = outputs(vec![array![[theta[2], theta[0], theta[1]]]])?;
        let bias_last = check_table(&reordered, gate).is_none();
        Ok(Verdict::fail(format!(
            "Θ = [{}, {}, {}]: {wrong}.{}",
            show(theta[0]),
            show(theta[1]),
            show(theta[2]),
            diagnose(&h, gate, Some(bias_last))
        )))
    }

    fn network(&self) -> backprop_book::Result<Verdict> {
        let (theta1, theta2) = match isolate::call(self.xnor_network) {
            Ok(t) => t,
            Err(p) => return Ok(Verdict::fail(p.to_string())),
        };
        if theta1.dim() != (2, 3) || theta2.dim() != (1, 3) {
            let hint = if theta2.ncols() == theta1.nrows() {
                " Θ2 needs a first column for the hidden layer's bias unit."
            } else {
                ""
            };
            return Ok(Verdict::fail(format!(
                "Θ1 is {}×{} and Θ2 is {}×{}, expected 2×3 and 1×3 (two hidden units, one output; each row starts with its bias weight).{hint}",
                theta1.nrows(),
                theta1.ncols(),
                theta2.nrows(),
                theta2.ncols()
            )));
        }
        let h = outputs(vec![theta1, theta2])?;
        match check_table(&h, "x1 XNOR x2") {
            None => Ok(Verdict::pass(format!(
                "x1 XNOR x2 within {WITHIN} at every corner"
            ))),
            Some(wrong) => Ok(Verdict::fail(format!(
                "{wrong}.{}",
                diagnose(&h, "x1 XNOR x2", None)
            ))),
        }
    }
}

impl Graded for Code {
    fn grade(&self, id: &str, _data: &Data) -> Option<Verdict> {
        let verdict = match id {
            "and" => self.unit(self.and_weights, "x1 AND x2"),
            "nor" => self.unit(self.nor_weights, "(NOT x1) AND (NOT x2)"),
            "or" => self.unit(self.or_weights, "x1 OR x2"),
            "xnor" => self.network(),
            _ => return None,
        };
        Some(verdict.unwrap_or_else(Verdict::grader_error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_are_named_by_the_function_they_round_to() {
        assert_eq!(computes(&[0.1, 0.9, 0.9, 0.9]), "x1 OR x2");
        assert_eq!(computes(&[0.9, 0.1, 0.1, 0.9]), "x1 XNOR x2");
        assert_eq!(computes(&[0.9, 0.9, 0.9, 0.9]), "the table 1111");
        assert!(check_table(&[0.001, 0.002, 0.003, 0.995], "x1 AND x2").is_none());
        assert!(check_table(&[0.001, 0.002, 0.003, 0.985], "x1 AND x2").is_some());
        assert!(check_table(&[f64::NAN; 4], "x1 AND x2").is_some());
    }
}
