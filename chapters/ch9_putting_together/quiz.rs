//! Chapter 9's quiz: each statement of the course's questions 4 and 5, judged by the runs of
//! main.rs. A change in a run would change a verdict here too.

use super::{Curve, Misled, SweepPoint};

/// Everything the verdicts are drawn from.
pub struct Evidence {
    pub starts: Vec<f64>,
    pub curves: Vec<Curve>,
    pub sweep: Vec<SweepPoint>,
    pub checks: Vec<f64>,
    pub misled: Vec<Misled>,
    pub change: f64,
}

/// Each statement of quiz questions 4 and 5, judged by the runs above.
pub fn verdicts(e: &Evidence) {
    println!("\nQuiz questions 4 and 5, each statement judged by the runs above:");
    let verdict = |label: &str, holds: bool, why: String| {
        println!(
            "  {label} {:<5} {why}",
            if holds { "true" } else { "false" }
        );
    };
    let no_penalty = &e.sweep[0];
    let best = e
        .sweep
        .iter()
        .max_by(|a, b| a.test.total_cmp(&b.test))
        .expect("a sweep");
    let largest = e.sweep.last().expect("a sweep");
    verdict(
        "4a",
        largest.test > best.test - 0.05,
        format!(
            "large λ harmless: λ = {} leaves {:.1}% held out, λ = {} gave {:.1}%",
            largest.lambda,
            100.0 * largest.test,
            best.lambda,
            100.0 * best.test
        ),
    );
    let held_out = |gradient: &str, optimiser: &str| {
        e.misled
            .iter()
            .find(|r| r.gradient == gradient && r.optimiser == optimiser)
            .expect("every combination was run")
            .scored
            .test
    };
    let (good, bad) = (
        held_out("backpropagation", "conjugate gradient"),
        held_out("the notes' formula", "conjugate gradient"),
    );
    verdict(
        "4b",
        bad > good - 0.05,
        format!(
            "checking only matters for gradient descent: conjugate gradient with a wrong gradient {:.2}% against {:.2}%",
            100.0 * bad,
            100.0 * good
        ),
    );
    verdict(
        "4c",
        e.checks[0] < 1e-9 && e.checks[1..].iter().all(|&d| d > 1e-3),
        format!(
            "checking finds bugs: {:.2e} for backpropagation, {:.2e} and {:.2e} for the notes' gradients",
            e.checks[0], e.checks[1], e.checks[2]
        ),
    );
    verdict(
        "4d",
        best.test > no_penalty.test,
        format!(
            "raise λ when over-fitting: held-out {:.1}% at λ = 0, {:.1}% at λ = {}",
            100.0 * no_penalty.test,
            100.0 * best.test,
            best.lambda
        ),
    );
    verdict(
        "5a",
        e.change < 1e-9,
        format!(
            "Θ^(1)ᵀ computes the same function: an output moved by {:.4}",
            e.change
        ),
    );
    let rose_at_once: Vec<String> = e
        .curves
        .iter()
        .filter(|c| c.costs[1] > c.costs[0])
        .map(|c| c.rate.to_string())
        .collect();
    let steady: Vec<String> = e
        .curves
        .iter()
        .filter(|c| c.rises() == 0)
        .map(|c| c.rate.to_string())
        .collect();
    verdict(
        "5b",
        !rose_at_once.is_empty() && !steady.is_empty(),
        format!(
            "rising J can mean α is too large: J rose at once with α = {}, never with α = {}",
            rose_at_once.join(" and "),
            steady.join(" and ")
        ),
    );
    let lowest = e
        .curves
        .iter()
        .min_by(|a, b| a.last().total_cmp(&b.last()))
        .expect("curves");
    let largest_rate = e.curves.last().expect("curves");
    let stuck = e.starts.iter().filter(|&&j| j > 0.1).count();
    verdict(
        "5c",
        largest_rate.last() <= lowest.last(),
        format!(
            "a huge α only speeds things up: α = {} ends at J = {:.3}, α = {} at {:.3}; {stuck} of {} XNOR starts got stuck",
            largest_rate.rate,
            largest_rate.last(),
            lowest.rate,
            lowest.last(),
            e.starts.len()
        ),
    );
    verdict(
        "5d",
        lowest.rises() == 0,
        format!(
            "plot J and check it decreases: the run ending lowest (α = {}) never rose",
            lowest.rate
        ),
    );
}
