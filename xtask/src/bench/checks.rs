//! What the runners computed, compared: the sizes `prepare` wrote, the names of each task's check
//! values, and whether two sides agree.

use std::path::Path;

use serde_json::Value;

use super::measure::Measure;
use crate::Result;

/// The sizes `prepare` wrote into meta.json, for the descriptions and the checks.
pub(super) struct Meta {
    pub(super) m: u64,
    pub(super) n: u64,
    pub(super) hidden: u64,
    pub(super) labels: u64,
    pub(super) epsilon: f64,
    pub(super) cg_iterations: u64,
    pub(super) moons_points: u64,
    pub(super) moons_hidden: Vec<u64>,
    pub(super) moons_iterations: u64,
    pub(super) moons_rate: f64,
}

pub(super) fn read_meta(data: &Path) -> Result<Meta> {
    let path = data.join("meta.json");
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let json: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let int = |name: &str| {
        json[name]
            .as_u64()
            .ok_or(format!("{}: no whole number {name:?}", path.display()))
    };
    let float = |name: &str| {
        json[name]
            .as_f64()
            .ok_or(format!("{}: no number {name:?}", path.display()))
    };
    Ok(Meta {
        m: int("m")?,
        n: int("n")?,
        hidden: int("hidden")?,
        labels: int("labels")?,
        epsilon: float("epsilon")?,
        cg_iterations: int("cg_iterations")?,
        moons_points: int("moons_points")?,
        moons_hidden: json["moons_hidden"]
            .as_array()
            .and_then(|a| a.iter().map(Value::as_u64).collect())
            .ok_or(format!("{}: no list \"moons_hidden\"", path.display()))?,
        moons_iterations: int("moons_iterations")?,
        moons_rate: float("moons_rate")?,
    })
}

/// The names of a task's check values, in the order the runners print them; ours prints more
/// for `optimise` (the course's optimiser after 50 iterations, argmin's CG and L-BFGS), and
/// the peers print the first few.
pub(super) fn check_labels(task: &str, meta: &Meta, ours: bool) -> Vec<String> {
    match task {
        "cost_grad" => vec!["J".into(), "‖∇J‖₂".into()],
        "gradcheck" => vec!["relative difference".into()],
        "optimise" if ours => [
            "final J",
            "iterations",
            "cost evaluations",
            "J after 50 iterations",
            "cost evaluations after 50 iterations",
            "argmin CG final J",
            "argmin CG cost evaluations",
            "argmin L-BFGS final J",
            "argmin L-BFGS cost evaluations",
        ]
        .map(String::from)
        .to_vec(),
        "optimise" => vec![
            "final J".into(),
            "iterations".into(),
            "cost evaluations".into(),
        ],
        _ => meta
            .moons_hidden
            .iter()
            .map(|h| format!("final cost with h = {h}"))
            .collect(),
    }
}

pub(super) fn relative(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / a.abs().max(b.abs())
    }
}

/// Whether a and b agree to a relative `tolerance` (never if either is NaN).
pub(super) fn within(a: f64, b: f64, tolerance: f64) -> bool {
    relative(a, b) <= tolerance
}

/// Fails, showing both sides' values, unless ours and a peer's (numpy's or JAX's) check values
/// agree: the same cost
/// and gradient norm (relative 1e-9), both gradient checks passed (below 1e-9), the same final
/// moons costs (relative 1e-6; numpy's NaN where the notes' cost overflows is shown, not failed).
/// The optimisers' line searches differ, so theirs are only shown.
pub(super) fn agree(
    task: &str,
    meta: &Meta,
    ours: &Measure,
    peer: &str,
    numpy: &Measure,
) -> Result {
    let labels = check_labels(task, meta, false);
    for (side, m, labels) in [
        ("ours", ours, check_labels(task, meta, true)),
        (peer, numpy, labels.clone()),
    ] {
        if m.check.len() != labels.len() {
            return Err(format!(
                "{task} ({side}): {} check values, expected {} ({})",
                m.check.len(),
                labels.len(),
                labels.join(", ")
            ));
        }
    }
    let mut problems = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let (a, b) = (ours.check[i], numpy.check[i]);
        let bad = match task {
            "cost_grad" => !within(a, b, 1e-9),
            // A NaN from numpy is the notes' formulas overflowing (their sigmoid rounds to 1.0 and
            // they take ln(1 − 1.0)), not a disagreement: the table shows it and the appendix
            // explains it. A NaN from ours is always a failure.
            "moons" if b.is_nan() && a.is_finite() => false,
            "moons" => !within(a, b, 1e-6),
            "gradcheck" => !(a < 1e-9 && b < 1e-9),
            _ => false,
        };
        if bad {
            let mut problem = format!(
                "{label}: ours {a:e}, {peer} {b:e} (relative difference {:e})",
                relative(a, b)
            );
            if task == "moons" && b.is_nan() && a.is_finite() {
                problem.push_str(
                    ": numpy's is NaN: the notes' sigmoid rounded to exactly 1.0, so log(1 - output) \
                     and (1 - y)/(1 - output) are -inf and 0/0 (the notes' algorithm overflows; \
                     bench/baseline.py said at which iteration)",
                );
            }
            problems.push(problem);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{task}: ours and {peer} do not agree:\n  {}\n  ours:  {:?}\n  {peer}: {:?}",
            problems.join("\n  "),
            ours.check,
            numpy.check
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_is_relative_and_nan_never_agrees() {
        assert!(within(1.0, 1.0 + 1e-12, 1e-9));
        assert!(!within(1.0, 1.0 + 1e-8, 1e-9));
        assert!(!within(1.0, f64::NAN, 1e-6));
        assert!(within(0.0, 0.0, 1e-9));
    }

    fn measure(check: Vec<f64>) -> Measure {
        Measure {
            seconds: 1.0,
            unit: "run".into(),
            check,
            peak_mib: 1.0,
            stolen: None,
            fastest: None,
            compile: None,
        }
    }

    #[test]
    fn a_peer_that_computed_something_else_fails_by_name() {
        let meta = super::super::limit::tests_meta();
        let ours = measure(vec![6.82294885530, 3.68712764183]);
        assert!(
            agree(
                "cost_grad",
                &meta,
                &ours,
                "JAX",
                &measure(vec![6.82294885530, 3.68712764183])
            )
            .is_ok()
        );
        let e = agree(
            "cost_grad",
            &meta,
            &ours,
            "JAX",
            &measure(vec![6.9, 3.68712764183]),
        )
        .unwrap_err();
        assert!(e.contains("ours and JAX do not agree"), "{e}");
        // ours prints argmin's runs too; the peer its three.
        let ours = measure(vec![2.6, 400.0, 640.0, 2.97, 93.0, 2.8, 630.0, 2.5, 420.0]);
        assert!(
            agree(
                "optimise",
                &meta,
                &ours,
                "numpy",
                &measure(vec![2.3, 400.0, 639.0])
            )
            .is_ok()
        );
        assert!(
            agree(
                "optimise",
                &meta,
                &measure(vec![2.6, 400.0, 640.0]),
                "numpy",
                &measure(vec![2.3, 400.0, 639.0])
            )
            .is_err()
        );
    }
}
