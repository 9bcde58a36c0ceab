//! Chapter 6's exercise: the numerical gradient, the relative difference and the gradient
//! check, graded against the library's `gradcheck` on small functions and on chapter 6's debug
//! network.

use std::cell::Cell;

use backprop_book::backprop::cost_and_gradient;
use backprop_book::cost::{Loss, cost, one_hot};
use backprop_book::gradcheck::{
    DebugProblem, debug_problem, numerical_gradient, relative_difference,
};
use backprop_book::network::Network;
use backprop_book::unroll::{roll, shapes, unroll, unroll_row_major};
use ndarray::Array1;

use crate::compare::{all_close, close, first_difference, show};
use crate::isolate;
use crate::{Data, Graded, Verdict};

pub type Cost<'a> = &'a dyn Fn(&[f64]) -> f64;
pub type NumericalGradient = fn(Cost<'_>, &[f64], f64) -> Vec<f64>;
pub type RelativeDifference = fn(&[f64], &[f64]) -> f64;
pub type GradientCheck = fn(Cost<'_>, &[f64], &[f64]) -> bool;

/// The learner's functions.
#[derive(Clone, Copy)]
pub struct Code {
    pub numerical_gradient: NumericalGradient,
    pub relative_difference: RelativeDifference,
    pub gradient_check: GradientCheck,
}

/// `gradcheck_code!(module)`: the [`Code`] of a module with the exercise's functions.
#[macro_export]
macro_rules! gradcheck_code {
    ($module:ident) => {
        $crate::gradcheck::Code {
            numerical_gradient: $module::numerical_gradient,
            relative_difference: $module::relative_difference,
            gradient_check: $module::gradient_check,
        }
    };
}

type Result<T> = backprop_book::Result<T>;

/// A cost as a function of the unrolled parameters, owned.
pub type OwnedCost = Box<dyn Fn(&[f64]) -> f64>;

/// Named gradients to check, each a candidate for backpropagation's.
type Gradients = Vec<(&'static str, Vec<f64>)>;

/// A cost to differentiate, where, and with which ε.
pub struct Case {
    pub name: &'static str,
    pub cost: OwnedCost,
    pub theta: Vec<f64>,
    pub epsilon: f64,
}

/// The debug network's cross-entropy J(θ) with λ (chapter 6), θ unrolled; its θ and
/// backpropagation's gradient there.
fn debug_network(lambda: f64) -> Result<(OwnedCost, Vec<f64>, Network)> {
    let DebugProblem {
        net, x, classes, ..
    } = debug_problem()?;
    let y = one_hot(&classes, 3)?;
    let theta = unroll(net.thetas()).to_vec();
    let sizes = shapes(net.thetas());
    let j = move |t: &[f64]| {
        roll(&Array1::from(t.to_vec()), &sizes)
            .and_then(|thetas| Network::new(thetas, backprop_book::activation::Activation::Sigmoid))
            .and_then(|n| cost(&n, x.view(), y.view(), lambda, Loss::CrossEntropy))
            .unwrap_or(f64::NAN)
    };
    Ok((Box::new(j), theta, net))
}

fn numerical_cases() -> Result<Vec<Case>> {
    let (debug, theta, _) = debug_network(0.0)?;
    Ok(vec![
        Case {
            name: "J(θ) = 2θ³ + 2 at θ = 1, ε = 0.01",
            cost: Box::new(|t| 2.0 * t[0].powi(3) + 2.0),
            theta: vec![1.0],
            epsilon: 0.01,
        },
        Case {
            name: "J(θ) = θ1²·θ2 + sin θ3 at (0.5, −1.2, 2), ε = 1e-3",
            cost: Box::new(|t| t[0] * t[0] * t[1] + t[2].sin()),
            theta: vec![0.5, -1.2, 2.0],
            epsilon: 1e-3,
        },
        Case {
            name: "chapter 6's debug network, λ = 0, ε = 1e-4",
            cost: debug,
            theta,
            epsilon: 1e-4,
        },
    ])
}

/// The library's two-sided differences.
fn expected_numerical(case: &Case) -> Result<Vec<f64>> {
    let j = |t: &Array1<f64>| Ok((case.cost)(t.as_slice().expect("contiguous")));
    Ok(numerical_gradient(j, &Array1::from(case.theta.clone()), case.epsilon)?.to_vec())
}

/// The known mistakes of the three functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mistake {
    OneSided,
    NotHalved,
    SignReversed,
    NotRestored,
    NoSquareRoot,
    NormsAdded,
    ZeroOverZero,
    TenEMinusNine,
    ComparisonReversed,
}

impl Mistake {
    pub const ALL: [Mistake; 9] = [
        Mistake::OneSided,
        Mistake::NotHalved,
        Mistake::SignReversed,
        Mistake::NotRestored,
        Mistake::NoSquareRoot,
        Mistake::NormsAdded,
        Mistake::ZeroOverZero,
        Mistake::TenEMinusNine,
        Mistake::ComparisonReversed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Mistake::OneSided => "a one-sided difference (J(θ + ε) − J(θ)) / ε",
            Mistake::NotHalved => "the difference divided by ε, not 2ε",
            Mistake::SignReversed => "J(θ − ε) − J(θ + ε): a sign error",
            Mistake::NotRestored => "θ_i not put back before moving the next entry",
            Mistake::NoSquareRoot => "squared norms (no square root)",
            Mistake::NormsAdded => "‖n‖ + ‖a‖ below the line instead of ‖n + a‖",
            Mistake::ZeroOverZero => "0/0 when both gradients are zero",
            Mistake::TenEMinusNine => "10e-9 written for 1e-9 (10e-9 is 1e-8)",
            Mistake::ComparisonReversed => "the comparison reversed",
        }
    }

    pub fn advice(self) -> &'static str {
        match self {
            Mistake::OneSided => {
                "move θ_i both ways: the two-sided difference's error is O(ε²), the one-sided O(ε)"
            }
            Mistake::NotHalved => "the two points are 2ε apart",
            Mistake::SignReversed => "J(θ + ε) comes first",
            Mistake::NotRestored => "after the two costs, set θ_i back to its value",
            Mistake::NoSquareRoot => "‖v‖ = √(Σ v_i²)",
            Mistake::NormsAdded => "the course divides by the norm of the sum, ‖n + a‖",
            Mistake::ZeroOverZero => "return 0 when the difference is exactly zero",
            Mistake::TenEMinusNine => "write the threshold as 1e-9",
            Mistake::ComparisonReversed => "the check passes when the difference is below 1e-9",
        }
    }
}

/// The numerical gradient with `mistake` made (the library's two-sided rule otherwise).
fn numerical_with(mistake: Mistake, case: &Case) -> Vec<f64> {
    let (theta, e) = (&case.theta, case.epsilon);
    let mut shifted = theta.clone();
    let mut out = Vec::new();
    for i in 0..theta.len() {
        shifted[i] += e;
        let plus = (case.cost)(&shifted);
        let at = if mistake == Mistake::NotRestored {
            shifted[i] - 2.0 * e
        } else {
            theta[i] - e
        };
        shifted[i] = at;
        let minus = (case.cost)(&shifted);
        if mistake != Mistake::NotRestored {
            shifted[i] = theta[i];
        }
        out.push(match mistake {
            Mistake::OneSided => (plus - (case.cost)(theta)) / e,
            Mistake::NotHalved => (plus - minus) / e,
            Mistake::SignReversed => (minus - plus) / (2.0 * e),
            _ => (plus - minus) / (2.0 * e),
        });
    }
    out
}

/// The relative difference with `mistake` made, or `None` if it is not one of its mistakes.
fn relative_with(mistake: Mistake, n: &[f64], a: &[f64]) -> Option<f64> {
    let squares = |v: &mut dyn Iterator<Item = f64>| v.map(|x| x * x).sum::<f64>();
    let difference = squares(&mut n.iter().zip(a).map(|(x, y)| x - y));
    let sum = squares(&mut n.iter().zip(a).map(|(x, y)| x + y));
    let norm_n = squares(&mut n.iter().copied()).sqrt();
    let norm_a = squares(&mut a.iter().copied()).sqrt();
    let guard = |d: f64, s: f64| if d == 0.0 { 0.0 } else { d / s };
    match mistake {
        Mistake::NoSquareRoot => Some(guard(difference, sum)),
        Mistake::NormsAdded => Some(guard(difference.sqrt(), norm_n + norm_a)),
        Mistake::ZeroOverZero => Some(difference.sqrt() / sum.sqrt()),
        _ => None,
    }
}

fn relative_cases() -> Vec<(&'static str, Vec<f64>, Vec<f64>)> {
    vec![
        (
            "n = (1, 2, 3), a = (1, 2, 3.1)",
            vec![1.0, 2.0, 3.0],
            vec![1.0, 2.0, 3.1],
        ),
        (
            "n = (0.5, −0.25), a = (0.4, −0.3)",
            vec![0.5, -0.25],
            vec![0.4, -0.3],
        ),
        ("n = a = (0, 0, 0)", vec![0.0; 3], vec![0.0; 3]),
    ]
}

/// Gradients to check on the debug network (λ = 3), with the library's verdict on each.
fn check_cases() -> Result<(OwnedCost, Vec<f64>, Gradients)> {
    let lambda = 3.0;
    let (j, theta, net) = debug_network(lambda)?;
    let DebugProblem { x, classes, .. } = debug_problem()?;
    let y = one_hot(&classes, 3)?;
    let (_, d) = cost_and_gradient(&net, x.view(), y.view(), lambda, Loss::CrossEntropy)?;
    let right = unroll(&d).to_vec();
    // Chapter 6's planted bug: (λ/m)Θ added to the bias column too.
    let mut bias_too = d.clone();
    for (g, t) in bias_too.iter_mut().zip(net.thetas()) {
        g.column_mut(0)
            .scaled_add(lambda / x.nrows() as f64, &t.column(0));
    }
    let numerical = {
        let jj = |t: &Array1<f64>| Ok(j(t.as_slice().expect("contiguous")));
        numerical_gradient(jj, &Array1::from(theta.clone()), 1e-4)?.to_vec()
    };
    // Off by a relative 6e-9 everywhere: a difference of about 3e-9, between 1e-9 and 1e-8.
    let nearly: Vec<f64> = numerical.iter().map(|v| v * (1.0 + 6e-9)).collect();
    Ok((
        j,
        theta,
        vec![
            ("backpropagation's gradient", right),
            (
                "a gradient with the bias column regularised",
                unroll(&bias_too).to_vec(),
            ),
            (
                "the right gradient unrolled row-major",
                unroll_row_major(&d).to_vec(),
            ),
            (
                "a gradient 6e-9 off (relative difference about 3e-9)",
                nearly,
            ),
        ],
    ))
}

impl Code {
    fn numerical_part(&self) -> Result<Verdict> {
        let cases = numerical_cases()?;
        for case in &cases {
            let evaluations = Cell::new(0);
            let counted = |t: &[f64]| {
                evaluations.set(evaluations.get() + 1);
                (case.cost)(t)
            };
            let got = match isolate::call(|| {
                (self.numerical_gradient)(&counted, &case.theta, case.epsilon)
            }) {
                Ok(g) => g,
                Err(p) if p.is_todo() => return Ok(Verdict::fail(p.to_string())),
                Err(p) => return Ok(Verdict::fail(format!("on {}: {p}", case.name))),
            };
            let want = expected_numerical(case)?;
            if got.len() != want.len() {
                return Ok(Verdict::fail(format!(
                    "on {}: {} entries, expected {} (one per parameter)",
                    case.name,
                    got.len(),
                    want.len()
                )));
            }
            if let Some(i) = first_difference(&got, &want) {
                let found: Vec<Mistake> = Mistake::ALL
                    .into_iter()
                    .filter(|&m| {
                        matches!(
                            m,
                            Mistake::OneSided
                                | Mistake::NotHalved
                                | Mistake::SignReversed
                                | Mistake::NotRestored
                        ) && all_close(&got, &numerical_with(m, case))
                    })
                    .collect();
                return Ok(Verdict::fail(format!(
                    "on {}: entry {} is {}, expected {}.{}",
                    case.name,
                    i + 1,
                    show(got[i]),
                    show(want[i]),
                    named(&found)
                )));
            }
            if evaluations.get() != 2 * case.theta.len() {
                return Ok(Verdict::fail(format!(
                    "on {}: right, but the cost was evaluated {} times, expected {} (two per parameter)",
                    case.name,
                    evaluations.get(),
                    2 * case.theta.len()
                )));
            }
        }
        Ok(Verdict::pass(format!(
            "right on {} costs, two evaluations per parameter",
            cases.len()
        )))
    }

    fn relative_part(&self) -> Verdict {
        for (name, n, a) in relative_cases() {
            let got = match isolate::call(|| (self.relative_difference)(&n, &a)) {
                Ok(r) => r,
                Err(p) => return Verdict::fail(p.to_string()),
            };
            let want = relative_difference(&Array1::from(n.clone()), &Array1::from(a.clone()));
            if !close(got, want) {
                let found: Vec<Mistake> = Mistake::ALL
                    .into_iter()
                    .filter(|&m| {
                        relative_cases().iter().all(|(_, n, a)| {
                            let mine = isolate::call(|| (self.relative_difference)(n, a));
                            match (mine, relative_with(m, n, a)) {
                                (Ok(mine), Some(theirs)) => close(mine, theirs),
                                _ => false,
                            }
                        })
                    })
                    .collect();
                return Verdict::fail(format!(
                    "for {name}: {}, expected {}.{}",
                    show(got),
                    show(want),
                    named(&found)
                ));
            }
        }
        Verdict::pass("right on 3 pairs, 0 for two zero gradients")
    }

    fn check_part(&self) -> Result<Verdict> {
        let (j, theta, cases) = check_cases()?;
        let numerical = {
            let jj = |t: &Array1<f64>| Ok(j(t.as_slice().expect("contiguous")));
            numerical_gradient(jj, &Array1::from(theta.clone()), 1e-4)?
        };
        let mut answers = Vec::new();
        for (name, analytic) in &cases {
            let want = relative_difference(&numerical, &Array1::from(analytic.clone())) < 1e-9;
            match isolate::call(|| (self.gradient_check)(&*j, &theta, analytic)) {
                Ok(got) => answers.push((name, got, want)),
                Err(p) if p.is_todo() => return Ok(Verdict::fail(p.to_string())),
                Err(p) => return Ok(Verdict::fail(format!("on {name}: {p}"))),
            }
        }
        let Some((name, got, _)) = answers.iter().find(|(_, got, want)| got != want) else {
            return Ok(Verdict::pass(
                "passes backpropagation's gradient and fails 3 wrong ones",
            ));
        };
        let verdict = |found: &[Mistake], why: &str| {
            Verdict::fail(format!(
                "on chapter 6's debug network (λ = 3), {name}: the check says {}, expected {}.{why}{}",
                if *got { "it passes" } else { "it fails" },
                if *got { "it fails" } else { "it passes" },
                if why.is_empty() {
                    named(found)
                } else {
                    String::new()
                }
            ))
        };
        // The check is built on the other two functions: name them first if they are wrong here.
        let mine = isolate::call(|| (self.numerical_gradient)(&*j, &theta, 1e-4));
        if !mine
            .as_ref()
            .is_ok_and(|n| all_close(n, numerical.as_slice().expect("contiguous")))
        {
            return Ok(verdict(
                &[],
                " The check uses numerical_gradient, which is wrong on this network (part numerical).",
            ));
        }
        let relative_right = cases.iter().all(|(_, a)| {
            let want = relative_difference(&numerical, &Array1::from(a.clone()));
            let n = numerical.as_slice().expect("contiguous");
            isolate::call(|| (self.relative_difference)(n, a)).is_ok_and(|r| close(r, want))
        });
        if !relative_right {
            return Ok(verdict(
                &[],
                " The check uses relative_difference, which is wrong on these gradients (part relative).",
            ));
        }
        let all_flipped = answers.iter().all(|(_, g, w)| g != w);
        let only_near = answers.iter().filter(|(_, g, w)| g != w).count() == 1
            && answers.last().is_some_and(|(_, g, w)| g != w);
        let found = if all_flipped {
            vec![Mistake::ComparisonReversed]
        } else if only_near {
            vec![Mistake::TenEMinusNine]
        } else {
            vec![]
        };
        Ok(verdict(&found, ""))
    }
}

fn named(found: &[Mistake]) -> String {
    let pairs: Vec<(&str, &str)> = found.iter().map(|m| (m.name(), m.advice())).collect();
    crate::diagnosis(&pairs)
}

impl Graded for Code {
    fn grade(&self, id: &str, _data: &Data) -> Option<Verdict> {
        let verdict = match id {
            "numerical" => self.numerical_part(),
            "relative" => Ok(self.relative_part()),
            "check" => self.check_part(),
            _ => return None,
        };
        Some(verdict.unwrap_or_else(Verdict::grader_error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mistake_changes_what_it_touches() {
        for case in numerical_cases().unwrap() {
            let want = expected_numerical(&case).unwrap();
            for m in [Mistake::OneSided, Mistake::NotHalved, Mistake::SignReversed] {
                assert!(
                    !all_close(&numerical_with(m, &case), &want),
                    "{m:?} on {}",
                    case.name
                );
            }
        }
        let debug = &numerical_cases().unwrap()[2];
        assert!(!all_close(
            &numerical_with(Mistake::NotRestored, debug),
            &expected_numerical(debug).unwrap()
        ));
        for m in [
            Mistake::NoSquareRoot,
            Mistake::NormsAdded,
            Mistake::ZeroOverZero,
        ] {
            assert!(relative_cases().iter().any(|(_, n, a)| {
                let want = relative_difference(&Array1::from(n.clone()), &Array1::from(a.clone()));
                !close(relative_with(m, n, a).unwrap(), want)
            }));
        }
    }

    #[test]
    fn the_near_miss_sits_between_the_two_thresholds() {
        let (j, theta, cases) = check_cases().unwrap();
        let jj = |t: &Array1<f64>| Ok(j(t.as_slice().unwrap()));
        let n = numerical_gradient(jj, &Array1::from(theta), 1e-4).unwrap();
        let r = |a: &Vec<f64>| relative_difference(&n, &Array1::from(a.clone()));
        assert!(r(&cases[0].1) < 1e-9);
        assert!((1e-9..1e-8).contains(&r(&cases[3].1)), "{}", r(&cases[3].1));
        assert!(r(&cases[1].1) > 1e-3 && r(&cases[2].1) > 1e-3);
    }
}
