//! Chapter 1's exercises answered by runs: each prints under its own section, `answer-N`.

use backprop_book::cli;
use backprop_book::data::separable_points;
use backprop_book::neuron::{Neuron, perceptron};

use super::{HIDDEN_LINE, LEARNING_RATE, MARGIN, POINTS, learn_line};

/// The answers, in the order of the exercises (question 3 is answered on paper).
pub fn run() -> backprop_book::Result<()> {
    rate_only_scales()?;
    no_separating_line()?;
    wrong_new_points()
}

// ANCHOR: at_rates
/// The perceptron rule on the chapter's points at two learning rates.
fn at_rates(rates: [f64; 2]) -> backprop_book::Result<[Neuron; 2]> {
    let (points, labels) = separable_points(POINTS, HIDDEN_LINE, MARGIN, 1);
    let first = perceptron(&points, &labels, rates[0], 1000)?.neuron;
    let second = perceptron(&points, &labels, rates[1], 1000)?.neuron;
    Ok([first, second])
}
// ANCHOR_END: at_rates

fn rate_only_scales() -> backprop_book::Result<()> {
    cli::section("answer-1");
    let rates = [LEARNING_RATE, 1.0];
    let neurons = at_rates(rates)?;
    println!("\nAnswer 1: the learning rate only scales w and b.");
    for (rate, n) in rates.iter().zip(&neurons) {
        let (slope, intercept) = n.slope_intercept().expect("w2 is not 0");
        println!(
            "  rate {rate}: w = ({:.4}, {:.4}), b = {:.4}; line x2 = {slope:.4}·x1 + {intercept:.4}",
            n.w[0], n.w[1], n.b
        );
    }
    let [small, large] = neurons;
    println!(
        "  ratios w1, w2, b at rate 1.0 to rate 0.1: {:.6}, {:.6}, {:.6}",
        large.w[0] / small.w[0],
        large.w[1] / small.w[1],
        large.b / small.b
    );
    Ok(())
}

// ANCHOR: inside_triangle
/// Barycentric coordinates of p in the triangle (a, b, c): p = λ₁a + λ₂b + λ₃c with λ₁ + λ₂ +
/// λ₃ = 1. All three are non-negative exactly when p lies inside the triangle.
fn barycentric(p: [f64; 2], [a, b, c]: [[f64; 2]; 3]) -> [f64; 3] {
    let det = (b[1] - c[1]) * (a[0] - c[0]) + (c[0] - b[0]) * (a[1] - c[1]);
    let l1 = ((b[1] - c[1]) * (p[0] - c[0]) + (c[0] - b[0]) * (p[1] - c[1])) / det;
    let l2 = ((c[1] - a[1]) * (p[0] - c[0]) + (a[0] - c[0]) * (p[1] - c[1])) / det;
    [l1, l2, 1.0 - l1 - l2]
}
// ANCHOR_END: inside_triangle

/// The first blue point that lies inside a triangle of three other blue points, with that
/// triangle and its barycentric coordinates: flipping it to red leaves no separating line.
fn blue_inside_blue(points: &[[f64; 2]], labels: &[u8]) -> Option<(usize, [usize; 3], [f64; 3])> {
    let blue: Vec<usize> = (0..points.len()).filter(|&i| labels[i] == 1).collect();
    for &p in &blue {
        let others: Vec<usize> = blue.iter().copied().filter(|&i| i != p).collect();
        for (n, &i) in others.iter().enumerate() {
            for (k, &j) in others.iter().enumerate().skip(n + 1) {
                for &l in &others[k + 1..] {
                    let l3 = barycentric(points[p], [points[i], points[j], points[l]]);
                    if l3.iter().all(|&v| v > 0.0) {
                        return Some((p, [i, j, l], l3));
                    }
                }
            }
        }
    }
    None
}

fn no_separating_line() -> backprop_book::Result<()> {
    cli::section("answer-2");
    println!("\nAnswer 2: MARGIN = 0, then one label flipped.");
    let (points, mut labels) = separable_points(POINTS, HIDDEN_LINE, 0.0, 1);
    let clean = perceptron(&points, &labels, LEARNING_RATE, 1000)?;
    println!(
        "  margin 0, no label flipped: stops after {} epochs (converged: {})",
        clean.mistakes.len(),
        clean.converged()
    );
    let (p, corners, lambda) = blue_inside_blue(&points, &labels).expect("a blue point inside");
    labels[p] = 0;
    let [a, b, c] = corners.map(|i| points[i]);
    let q = points[p];
    println!(
        "  point {p}, ({:.4}, {:.4}), flipped from blue to red.",
        q[0], q[1]
    );
    println!(
        "  it is {:.4}·({:.4}, {:.4}) + {:.4}·({:.4}, {:.4}) + {:.4}·({:.4}, {:.4}), points {:?}, all blue",
        lambda[0], a[0], a[1], lambda[1], b[0], b[1], lambda[2], c[0], c[1], corners
    );
    let fit = perceptron(&points, &labels, LEARNING_RATE, 1000)?;
    let (fewest, most) = (fit.mistakes.iter().min(), fit.mistakes.iter().max());
    println!(
        "  mistakes in the first 10 epochs: {:?}",
        &fit.mistakes[..10]
    );
    println!(
        "  over {} epochs: at least {} and at most {} mistakes per epoch (converged: {})",
        fit.mistakes.len(),
        fewest.expect("1000 epochs"),
        most.expect("1000 epochs"),
        fit.converged()
    );
    Ok(())
}

// ANCHOR: wrong_new_points
/// The new points (seed 2) that the learned line classifies wrongly, with their true labels.
fn misclassified(learned: &Neuron) -> Vec<([f64; 2], u8)> {
    let (points, labels) = separable_points(1000, HIDDEN_LINE, 0.0, 2);
    points
        .into_iter()
        .zip(labels)
        .filter(|&(p, label)| learned.classify(p) != label)
        .collect()
}
// ANCHOR_END: wrong_new_points

fn wrong_new_points() -> backprop_book::Result<()> {
    cli::section("answer-4");
    println!("\nAnswer 4: where the learned line goes wrong.");
    let learned = learn_line()?.fit.neuron;
    let wrong = misclassified(&learned);
    let blue = wrong.iter().filter(|(_, label)| *label == 1).count();
    println!(
        "  {} of 1000 new points wrong: {blue} blue called red, {} red called blue",
        wrong.len(),
        wrong.len() - blue
    );
    let (k, c) = learned.slope_intercept().expect("w2 is not 0");
    let (hk, hc) = (
        -HIDDEN_LINE.0 / HIDDEN_LINE.1,
        -HIDDEN_LINE.2 / HIDDEN_LINE.1,
    );
    for x1 in [-1.0, 0.0, 1.0] {
        println!(
            "  at x1 = {x1:4}: learned line x2 = {:.4}, hidden line x2 = {:.4}, gap {:.4}",
            k * x1 + c,
            hk * x1 + hc,
            (k * x1 + c) - (hk * x1 + hc)
        );
    }
    println!("  the lines cross at x1 = {:.4}", (hc - c) / (k - hk));
    let bins = [-1.0, -0.5, 0.0, 0.5, 1.0];
    let counts: Vec<usize> = bins
        .windows(2)
        .map(|w| {
            wrong
                .iter()
                .filter(|(p, _)| (w[0]..w[1]).contains(&p[0]))
                .count()
        })
        .collect();
    println!("  wrong points with x1 in [-1, -0.5), [-0.5, 0), [0, 0.5), [0.5, 1): {counts:?}");
    Ok(())
}
