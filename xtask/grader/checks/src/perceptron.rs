//! Chapter 1's exercise: the perceptron rule, graded against the library's `neuron::perceptron`
//! on single updates, on the chapter's separable points, and on when it stops.

use backprop_book::data::separable_points;
use backprop_book::neuron::perceptron as library_perceptron;

use crate::compare::{close, show};
use crate::isolate;
use crate::{Data, Graded, Verdict};

/// What the learner's `perceptron` returns: w, b, mistakes per epoch.
pub type Fit = ([f64; 2], f64, Vec<usize>);
pub type Perceptron = fn(&[[f64; 2]], &[u8], f64, usize) -> Fit;

/// The learner's function.
#[derive(Clone, Copy)]
pub struct Code {
    pub perceptron: Perceptron,
}

/// `perceptron_code!(module)`: the [`Code`] of a module with the exercise's function.
#[macro_export]
macro_rules! perceptron_code {
    ($module:ident) => {
        $crate::perceptron::Code {
            perceptron: $module::perceptron,
        }
    };
}

/// One grading input.
pub struct Case {
    pub name: &'static str,
    pub points: Vec<[f64; 2]>,
    pub labels: Vec<u8>,
    pub learning_rate: f64,
    pub max_epochs: usize,
}

impl Case {
    /// The library's fit.
    pub fn expected(&self) -> backprop_book::Result<Fit> {
        let fit = library_perceptron(
            &self.points,
            &self.labels,
            self.learning_rate,
            self.max_epochs,
        )?;
        Ok((fit.neuron.w, fit.neuron.b, fit.mistakes))
    }
}

/// The chapter's hidden line, −0.5·x₁ + x₂ − 0.15 = 0.
const HIDDEN_LINE: (f64, f64, f64) = (-0.5, 1.0, -0.15);

/// Single epochs on one or two points: the rule's first updates, the step's convention at z = 0.
fn first_updates() -> Vec<Case> {
    let one = |name, points: Vec<[f64; 2]>, labels: Vec<u8>| Case {
        name,
        points,
        labels,
        learning_rate: 0.5,
        max_epochs: 1,
    };
    vec![
        one(
            "a blue point at the start, where z = 0",
            vec![[0.4, 0.8]],
            vec![1],
        ),
        one("a red point at the start", vec![[0.4, 0.8]], vec![0]),
        one(
            "a blue point, then a red one the new line calls blue",
            vec![[0.4, 0.8], [0.6, -0.2]],
            vec![1, 0],
        ),
    ]
}

/// The chapter's 100 separable points, and another draw with a larger rate.
fn fits() -> Vec<Case> {
    let case = |name, seed, learning_rate| {
        let (points, labels) = separable_points(100, HIDDEN_LINE, 0.05, seed);
        Case {
            name,
            points,
            labels,
            learning_rate,
            max_epochs: 1000,
        }
    };
    vec![
        case("the chapter's 100 points (seed 1), η = 0.1", 1, 0.1),
        case("100 other points (seed 3), η = 1", 3, 1.0),
    ]
}

/// Stopping: a set the first epoch already separates, and XNOR's corners, which no line does.
fn stops() -> Vec<Case> {
    vec![
        Case {
            name: "two points the line at w = 0, b = 0 gets right after one update",
            points: vec![[1.0, 1.0], [-1.0, -1.0]],
            labels: vec![1, 0],
            learning_rate: 1.0,
            max_epochs: 50,
        },
        Case {
            name: "XNOR's four corners (no line separates them), 100 epochs",
            points: vec![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]],
            labels: vec![1, 0, 0, 1],
            learning_rate: 1.0,
            max_epochs: 100,
        },
    ]
}

/// The known mistakes of the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mistake {
    StepAtZero,
    ErrorReversed,
    BiasFrozen,
    RateIgnored,
    NeverStops,
    CountNotReset,
    UpdatesPerEpoch,
}

impl Mistake {
    pub const ALL: [Mistake; 7] = [
        Mistake::StepAtZero,
        Mistake::ErrorReversed,
        Mistake::BiasFrozen,
        Mistake::RateIgnored,
        Mistake::NeverStops,
        Mistake::CountNotReset,
        Mistake::UpdatesPerEpoch,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Mistake::StepAtZero => "a point on the line (z = 0) called blue",
            Mistake::ErrorReversed => "the error taken as ŷ − y",
            Mistake::BiasFrozen => "b never updated",
            Mistake::RateIgnored => "the learning rate left out",
            Mistake::NeverStops => "no stop after an epoch without mistakes",
            Mistake::CountNotReset => "the mistake count not reset each epoch",
            Mistake::UpdatesPerEpoch => "the updates summed over the epoch",
        }
    }

    pub fn advice(self) -> &'static str {
        match self {
            Mistake::StepAtZero => "step(z) is 1 only for z > 0",
            Mistake::ErrorReversed => {
                "the error is y − ŷ: a blue point called red moves the line towards it"
            }
            Mistake::BiasFrozen => "b ← b + η(y − ŷ), the bias is a weight too",
            Mistake::RateIgnored => "multiply each change by η",
            Mistake::NeverStops => "an epoch without mistakes changes nothing: stop there",
            Mistake::CountNotReset => "count each epoch's mistakes from 0",
            Mistake::UpdatesPerEpoch => {
                "update after each point, so the next point sees the new line"
            }
        }
    }
}

/// The rule with `mistake` made: the library's rule (chapter 1) with one thing done wrong.
pub fn with_mistake(mistake: Mistake, case: &Case) -> Fit {
    rule(Some(mistake), case)
}

/// The rule, with a knob for each mistake; with none it is the library's (a test says so).
fn rule(mistake: Option<Mistake>, case: &Case) -> Fit {
    let made = |m: Mistake| mistake == Some(m);
    let rate = if made(Mistake::RateIgnored) {
        1.0
    } else {
        case.learning_rate
    };
    let (mut w, mut b) = ([0.0, 0.0], 0.0);
    let (mut mistakes, mut wrong) = (Vec::new(), 0);
    for _ in 0..case.max_epochs {
        if !made(Mistake::CountNotReset) {
            wrong = 0;
        }
        let (mut dw, mut db) = ([0.0, 0.0], 0.0);
        for (x, &y) in case.points.iter().zip(&case.labels) {
            let z = w[0] * x[0] + w[1] * x[1] + b;
            let predicted = if made(Mistake::StepAtZero) {
                z >= 0.0
            } else {
                z > 0.0
            };
            let mut error = f64::from(y) - f64::from(u8::from(predicted));
            if made(Mistake::ErrorReversed) {
                error = -error;
            }
            let change = [rate * error * x[0], rate * error * x[1], rate * error];
            if made(Mistake::UpdatesPerEpoch) {
                dw = [dw[0] + change[0], dw[1] + change[1]];
                db += change[2];
            } else {
                w = [w[0] + change[0], w[1] + change[1]];
                if !made(Mistake::BiasFrozen) {
                    b += change[2];
                }
            }
            if error != 0.0 {
                wrong += 1;
            }
        }
        w = [w[0] + dw[0], w[1] + dw[1]];
        b += db;
        mistakes.push(wrong);
        if wrong == 0 && !made(Mistake::NeverStops) {
            break;
        }
    }
    (w, b, mistakes)
}

/// Same fit up to rounding: w and b close, the same mistakes in every epoch.
fn same(got: &Fit, want: &Fit) -> bool {
    close(got.0[0], want.0[0])
        && close(got.0[1], want.0[1])
        && close(got.1, want.1)
        && got.2 == want.2
}

/// "w = (…, …), b = …, mistakes per epoch [..]", long lists cut short.
fn describe(fit: &Fit) -> String {
    let epochs = fit.2.len();
    let shown: Vec<String> = fit.2.iter().take(8).map(|m| m.to_string()).collect();
    let more = if epochs > 8 {
        format!(", … ({epochs} epochs)")
    } else {
        String::new()
    };
    format!(
        "w = ({}, {}), b = {}, mistakes per epoch [{}{more}]",
        show(fit.0[0]),
        show(fit.0[1]),
        show(fit.1),
        shown.join(", ")
    )
}

impl Code {
    fn part(&self, cases: &[Case], what: &str) -> backprop_book::Result<Verdict> {
        let mut got = Vec::new();
        for case in cases {
            match isolate::call(|| {
                (self.perceptron)(
                    &case.points,
                    &case.labels,
                    case.learning_rate,
                    case.max_epochs,
                )
            }) {
                Ok(fit) => got.push(fit),
                Err(p) if p.is_todo() => return Ok(Verdict::fail(p.to_string())),
                Err(p) => return Ok(Verdict::fail(format!("on {}: {p}", case.name))),
            }
        }
        let mut want = Vec::new();
        for case in cases {
            want.push(case.expected()?);
        }
        let Some(wrong) = (0..cases.len()).find(|&i| !same(&got[i], &want[i])) else {
            return Ok(Verdict::pass(format!(
                "{what} right on {} inputs",
                cases.len()
            )));
        };
        let found: Vec<Mistake> = Mistake::ALL
            .into_iter()
            .filter(|&m| {
                cases
                    .iter()
                    .zip(&got)
                    .all(|(case, g)| same(g, &with_mistake(m, case)))
            })
            .collect();
        Ok(Verdict::fail(format!(
            "on {}: {}; expected {}.{}",
            cases[wrong].name,
            describe(&got[wrong]),
            describe(&want[wrong]),
            crate::diagnosis(
                &found
                    .iter()
                    .map(|m| (m.name(), m.advice()))
                    .collect::<Vec<_>>()
            )
        )))
    }
}

impl Graded for Code {
    fn grade(&self, id: &str, _data: &Data) -> Option<Verdict> {
        let verdict = match id {
            "first" => self.part(&first_updates(), "the first updates"),
            "fit" => self.part(&fits(), "w, b and the mistakes per epoch"),
            "stop" => self.part(&stops(), "when it stops"),
            _ => return None,
        };
        Some(verdict.unwrap_or_else(Verdict::grader_error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mistake_changes_a_fit_and_the_rule_without_one_is_the_librarys() {
        let all: Vec<Case> = first_updates()
            .into_iter()
            .chain(fits())
            .chain(stops())
            .collect();
        for mistake in Mistake::ALL {
            assert!(
                all.iter()
                    .any(|c| !same(&with_mistake(mistake, c), &c.expected().unwrap())),
                "{mistake:?} changes nothing"
            );
        }
        for case in &all {
            assert!(
                same(&rule(None, case), &case.expected().unwrap()),
                "{}",
                case.name
            );
        }
    }
}
