//! Exercise 4 (chapter 7): sigmoid_gradient, nn_cost_function, rand_initialize_weights and
//! predict, graded in the course's five parts, plus two ungraded checks (the initial weights,
//! and training to 95% on the UCI digits).

pub mod inputs;
pub mod mistakes;

use std::cell::Cell;

use backprop_book::Result;
use backprop_book::activation::sigmoid_gradient;
use backprop_book::cost::one_hot;
use backprop_book::digits::uci_digits;
use backprop_book::network::Network;
use backprop_book::optimize::conjugate_gradient_with;
use backprop_book::unroll::{roll, shapes, unroll};
use ndarray::{Array1, Array2, ArrayView2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::compare::{all_close, close, differences, first_difference, show};
use crate::isolate::{self, Panicked};
use crate::{Data, Graded, Verdict};
use inputs::Case;
use mistakes::Mistake;

pub type SigmoidGradient = fn(ArrayView2<f64>) -> Array2<f64>;
pub type NnCostFunction =
    fn(&[f64], usize, usize, usize, ArrayView2<f64>, &[usize], f64) -> (f64, Vec<f64>);
pub type RandInitializeWeights = fn(usize, usize, &mut ChaCha8Rng) -> Array2<f64>;
pub type Predict = fn(ArrayView2<f64>, ArrayView2<f64>, ArrayView2<f64>) -> Vec<usize>;

/// The learner's four functions.
#[derive(Clone, Copy)]
pub struct Code {
    pub sigmoid_gradient: SigmoidGradient,
    pub nn_cost_function: NnCostFunction,
    pub rand_initialize_weights: RandInitializeWeights,
    pub predict: Predict,
}

/// `ex4_code!(module)`: the [`Code`] of a module with the exercise's four functions (its
/// generic `rng` fixed to the grader's seeded generator).
#[macro_export]
macro_rules! ex4_code {
    ($module:ident) => {
        $crate::ex4::Code {
            sigmoid_gradient: $module::sigmoid_gradient,
            nn_cost_function: $module::nn_cost_function,
            rand_initialize_weights: |l_in, l_out, rng| {
                $module::rand_initialize_weights(l_in, l_out, rng)
            },
            predict: $module::predict,
        }
    };
}

/// The training check: conjugate-gradient iterations, λ, and the accuracy it must reach.
const TRAIN_ITERATIONS: usize = 100;
const TRAIN_LAMBDA: f64 = 1.0;
const TRAIN_ACCURACY: f64 = 0.95;

impl Graded for Code {
    fn grade(&self, id: &str, data: &Data) -> Option<Verdict> {
        let verdict = match id {
            "1" => self.cost_part(data, false),
            "2" => self.cost_part(data, true),
            "3" => Ok(self.sigmoid_gradient_part()),
            "4" => self.gradient_part(data, false),
            "5" => self.gradient_part(data, true),
            "init" => Ok(self.init_part()),
            "train" => self.training_part(),
            _ => return None,
        };
        Some(verdict.unwrap_or_else(Verdict::grader_error))
    }
}

/// " Diagnosis: …" naming every mistake that gives what the learner's code gave.
fn diagnosis(found: &[Mistake]) -> String {
    let named: Vec<(&str, &str)> = found.iter().map(|m| (m.name(), m.advice())).collect();
    crate::diagnosis(&named)
}

/// A panic on `case`, with the bias-row diagnosis when the message shows it.
fn panicked(p: &Panicked, case: &Case) -> Verdict {
    if p.is_todo() {
        return Verdict::fail(p.to_string());
    }
    let mut text = format!("on {}: {p}", case.describe());
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    if mistakes::shows_bias_row_kept(&p.message, case) {
        text += &diagnosis(&[Mistake::BiasDeltaKept]);
    } else if mistakes::is_unsized_shape_error(&p.message) {
        // ndarray's element-wise operators report no sizes; the usual cause in ex4 is still δ2.
        let m = Mistake::BiasDeltaKept;
        text += &format!(
            " Two matrices' shapes do not fit; most likely {}: {}.",
            m.name(),
            m.advice()
        );
    }
    Verdict::fail(text)
}

fn lambda_of(case: &Case, regularised: bool) -> f64 {
    if regularised { case.lambda } else { 0.0 }
}

/// "the sin/cos network (2-4-4, m = 16), λ = 1.5".
fn on(case: &Case, lambda: f64) -> String {
    format!("{}, λ = {lambda}", case.describe())
}

impl Code {
    fn cost_and_gradient(&self, case: &Case, lambda: f64) -> Result<(f64, Vec<f64>), Panicked> {
        isolate::call(|| {
            (self.nn_cost_function)(
                &case.nn_params,
                case.input_layer_size,
                case.hidden_layer_size,
                case.num_labels,
                case.x.view(),
                &case.y,
                lambda,
            )
        })
    }

    /// Parts 1 and 2: J on every network; with saturated outputs, J must at least be finite.
    fn cost_part(&self, data: &Data, regularised: bool) -> Result<Verdict> {
        let mut cases = inputs::networks(data)?;
        cases.push(inputs::saturated());
        let mut got = Vec::new();
        for case in &cases {
            match self.cost_and_gradient(case, lambda_of(case, regularised)) {
                Ok((j, _)) => got.push(j),
                Err(p) => return Ok(panicked(&p, case)),
            }
        }
        let mut want = Vec::new();
        for case in &cases {
            want.push(case.expected(lambda_of(case, regularised))?.0);
        }
        // Saturated outputs: only finiteness is asked (clipping h is a fine answer too).
        let agrees = |case: &Case, got: f64, want: f64| {
            if case.saturated {
                got.is_finite() == want.is_finite()
            } else {
                close(got, want)
            }
        };
        let Some(wrong) = (0..cases.len()).find(|&i| !agrees(&cases[i], got[i], want[i])) else {
            return Ok(Verdict::pass(format!(
                "J right on {} networks, and finite with saturated outputs",
                cases.len() - 1
            )));
        };
        let case = &cases[wrong];
        let lambda = lambda_of(case, regularised);
        let mut text = if case.saturated {
            format!(
                "on {}: J is {} where it should be finite (the library's J is {})",
                on(case, lambda),
                show(got[wrong]),
                show(want[wrong])
            )
        } else {
            format!(
                "on {}: J = {}, expected {}",
                on(case, lambda),
                show(got[wrong]),
                show(want[wrong])
            )
        };
        if regularised && !self.cost_part(data, false)?.passed() {
            text += "; J with λ = 0 is wrong already (part 1)";
        }
        let mut found = Vec::new();
        for mistake in Mistake::ALL {
            let mut all = true;
            for (i, case) in cases.iter().enumerate() {
                let lambda = lambda_of(case, regularised);
                let candidates = mistakes::cost(mistake, case, lambda)?;
                all &= candidates.iter().any(|&c| agrees(case, got[i], c));
            }
            if all {
                found.push(mistake);
            }
        }
        Ok(Verdict::fail(text + "." + &diagnosis(&found)))
    }

    /// Parts 4 and 5: the unrolled gradient on every network.
    fn gradient_part(&self, data: &Data, regularised: bool) -> Result<Verdict> {
        let cases = inputs::networks(data)?;
        let mut got = Vec::new();
        for case in &cases {
            let lambda = lambda_of(case, regularised);
            let grad = match self.cost_and_gradient(case, lambda) {
                Ok((_, grad)) => grad,
                Err(p) => return Ok(panicked(&p, case)),
            };
            if grad.len() != case.parameters() {
                let [(h, n1), (k, h1)] = case.shapes();
                let mut text = format!(
                    "on {}: the gradient has {} entries, expected {} (Theta1_grad {h}×{n1} = {}, then Theta2_grad {k}×{h1} = {}).",
                    on(case, lambda),
                    grad.len(),
                    case.parameters(),
                    h * n1,
                    k * h1
                );
                if mistakes::length_shows_bias_row_kept(grad.len(), case) {
                    text += &diagnosis(&[Mistake::BiasDeltaKept]);
                }
                return Ok(Verdict::fail(text));
            }
            got.push(grad);
        }
        let mut want = Vec::new();
        for case in &cases {
            want.push(case.expected(lambda_of(case, regularised))?.1);
        }
        let Some(wrong) = (0..cases.len()).find(|&i| !all_close(&got[i], &want[i])) else {
            return Ok(Verdict::pass(format!(
                "the gradient right on {} networks",
                cases.len()
            )));
        };
        let case = &cases[wrong];
        let i = first_difference(&got[wrong], &want[wrong]).expect("they differ");
        let mut text = format!(
            "on {}: {} of {} entries differ; the first, {}, is {}, expected {}",
            on(case, lambda_of(case, regularised)),
            differences(&got[wrong], &want[wrong]),
            case.parameters(),
            case.entry(i),
            show(got[wrong][i]),
            show(want[wrong][i])
        );
        if regularised && !self.gradient_part(data, false)?.passed() {
            text += "; the gradient with λ = 0 is wrong already (part 4)";
        }
        let mut found = Vec::new();
        for mistake in Mistake::ALL {
            let mut all = true;
            for (c, case) in cases.iter().enumerate() {
                let candidates = mistakes::gradient(mistake, case, lambda_of(case, regularised))?;
                all &= candidates.iter().any(|g| all_close(&got[c], g));
            }
            if all {
                found.push(mistake);
            }
        }
        Ok(Verdict::fail(text + "." + &diagnosis(&found)))
    }

    /// Part 3: g′(z) on a few matrices, of several shapes.
    fn sigmoid_gradient_part(&self) -> Verdict {
        let inputs = [
            inputs::column_major(3, 10, |k| 3.0 * k.sin()),
            Array2::from_shape_fn((1, 5), |(_, j)| j as f64 - 2.0),
            inputs::column_major(4, 1, |k| -k),
        ];
        let mut got = Vec::new();
        for z in &inputs {
            match isolate::call(|| (self.sigmoid_gradient)(z.view())) {
                Ok(g) if g.dim() == z.dim() => got.push(g),
                Ok(g) => {
                    return Verdict::fail(format!(
                        "for z of shape {}×{} it returned shape {}×{}: g′ is taken entry by entry, so the shape stays",
                        z.nrows(),
                        z.ncols(),
                        g.nrows(),
                        g.ncols()
                    ));
                }
                Err(p) => return Verdict::fail(p.to_string()),
            }
        }
        let want: Vec<Array2<f64>> = inputs.iter().map(|z| z.mapv(sigmoid_gradient)).collect();
        let agrees = |a: &Array2<f64>, b: &Array2<f64>| a.iter().zip(b).all(|(&x, &y)| close(x, y));
        let Some(wrong) = (0..inputs.len()).find(|&i| !agrees(&got[i], &want[i])) else {
            return Verdict::pass(format!("g′(z) right on {} matrices", inputs.len()));
        };
        let (z, g, w) = (&inputs[wrong], &got[wrong], &want[wrong]);
        let at = (0..z.len())
            .map(|i| (i % z.nrows(), i / z.nrows()))
            .find(|&rc| !close(g[rc], w[rc]))
            .expect("they differ");
        let found: Vec<Mistake> = Mistake::ALL
            .into_iter()
            .filter(|&m| {
                inputs.iter().zip(&got).all(|(z, g)| {
                    mistakes::sigmoid_gradient_with(m, z.view())
                        .iter()
                        .any(|c| agrees(g, c))
                })
            })
            .collect();
        Verdict::fail(format!(
            "at z = {}: g′(z) = {}, expected {}.{}",
            show(z[at]),
            show(g[at]),
            show(w[at]),
            diagnosis(&found)
        ))
    }

    /// Ungraded: the initial weights have the right shape, are small, random and of both signs.
    fn init_part(&self) -> Verdict {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        for (l_in, l_out) in [(400, 25), (25, 10), (3, 5)] {
            let w = match isolate::call(|| (self.rand_initialize_weights)(l_in, l_out, &mut rng)) {
                Ok(w) => w,
                Err(p) => return Verdict::fail(p.to_string()),
            };
            let layer = format!("for {l_in} inputs and {l_out} units");
            if w.dim() != (l_out, 1 + l_in) {
                return Verdict::fail(format!(
                    "{layer} the weights have shape {}×{}, expected {l_out}×{} (one row per unit, the bias column first)",
                    w.nrows(),
                    w.ncols(),
                    1 + l_in
                ));
            }
            if let Some(&largest) = w.iter().find(|v| v.is_nan() || v.abs() > 1.0) {
                return Verdict::fail(format!(
                    "{layer} a weight is {}: start small, within ±ε_init",
                    show(largest)
                ));
            }
            if w.iter().all(|&v| v == w[[0, 0]]) {
                return Verdict::fail(format!(
                    "{layer} every weight is {}: equal weights keep the hidden units identical (chapter 6)",
                    show(w[[0, 0]])
                ));
            }
            if !(w.iter().any(|&v| v < 0.0) && w.iter().any(|&v| v > 0.0)) {
                return Verdict::fail(format!(
                    "{layer} the weights all have one sign: draw them from (−ε_init, ε_init)"
                ));
            }
        }
        Verdict::pass("shapes right; small, random weights of both signs")
    }

    /// Ungraded: the learner's cost and gradient, minimised by the library's conjugate gradient
    /// from the learner's initial weights, reach 95% on the UCI digits, by the learner's predict.
    fn training_part(&self) -> Result<Verdict> {
        let digits = uci_digits();
        let labels: Vec<usize> = digits.classes.iter().map(|c| c + 1).collect();
        let y = one_hot(&digits.classes, 10)?;
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let start = isolate::call(|| {
            [
                (self.rand_initialize_weights)(digits.x.ncols(), 25, &mut rng),
                (self.rand_initialize_weights)(25, 10, &mut rng),
            ]
        });
        let [theta1, theta2] = match start {
            Ok(thetas) => thetas,
            Err(p) => return Ok(Verdict::fail(format!("rand_initialize_weights {p}"))),
        };
        let net = match Network::new(
            vec![theta1, theta2],
            backprop_book::activation::Activation::Sigmoid,
        ) {
            Ok(net) => net,
            Err(e) => return Ok(Verdict::fail(format!("the initial weights: {e}"))),
        };
        LEARNER.with(|l| l.set(Some(self.nn_cost_function)));
        let trained = isolate::call(|| {
            conjugate_gradient_with(
                learner_cost_and_gradient,
                &net,
                &digits.x,
                &y,
                TRAIN_LAMBDA,
                TRAIN_ITERATIONS,
                |_, _| {},
            )
        });
        let trained = match trained {
            Ok(Ok((trained, _, _))) => trained,
            Ok(Err(e)) => return Ok(Verdict::fail(format!("training failed: {e}"))),
            Err(p) => return Ok(Verdict::fail(format!("during training, {p}"))),
        };
        let [t1, t2] = [&trained.thetas()[0], &trained.thetas()[1]];
        let predicted =
            match isolate::call(|| (self.predict)(t1.view(), t2.view(), digits.x.view())) {
                Ok(p) => p,
                Err(p) => return Ok(Verdict::fail(format!("predict {p}"))),
            };
        if predicted.len() != labels.len() {
            return Ok(Verdict::fail(format!(
                "predict returned {} labels for {} examples",
                predicted.len(),
                labels.len()
            )));
        }
        let library: Vec<usize> = trained
            .predict(digits.x.view())?
            .iter()
            .map(|c| c + 1)
            .collect();
        if let Some(i) = (0..labels.len()).find(|&i| predicted[i] != library[i]) {
            return Ok(Verdict::fail(format!(
                "predict says label {} for example {}, the library {} (labels count from 1)",
                predicted[i],
                i + 1,
                library[i]
            )));
        }
        let right = predicted
            .iter()
            .zip(&labels)
            .filter(|(p, l)| p == l)
            .count();
        let accuracy = right as f64 / labels.len() as f64;
        let text = format!(
            "{:.1}% of the {} UCI digits right after {TRAIN_ITERATIONS} iterations with λ = {TRAIN_LAMBDA} (at least {:.0}% asked); predict agrees with the library",
            100.0 * accuracy,
            labels.len(),
            100.0 * TRAIN_ACCURACY
        );
        Ok(if accuracy >= TRAIN_ACCURACY {
            Verdict::pass(text)
        } else {
            Verdict::fail(text)
        })
    }
}

thread_local! {
    /// The learner's nn_cost_function while the optimiser runs: the optimiser takes a plain
    /// function, which cannot carry it.
    static LEARNER: Cell<Option<NnCostFunction>> = const { Cell::new(None) };
}

/// The learner's nn_cost_function in the optimiser's terms: Θs unrolled in, labels from the
/// one-hot rows, the gradient rolled back into matrices.
fn learner_cost_and_gradient(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
) -> Result<(f64, Vec<Array2<f64>>)> {
    let f = LEARNER
        .with(Cell::get)
        .expect("set before the optimiser starts");
    let sizes = net.sizes();
    let labels: Vec<usize> = y
        .rows()
        .into_iter()
        .map(|row| row.iter().position(|&v| v == 1.0).unwrap_or(0) + 1)
        .collect();
    let params = unroll(net.thetas()).to_vec();
    let (j, grad) = f(&params, sizes[0], sizes[1], sizes[2], x, &labels, lambda);
    Ok((j, roll(&Array1::from(grad), &shapes(net.thetas()))?))
}
