//! The runs that answer chapter 7's exercises, on the UCI digits of the page's run: the same
//! split, the same seeded start, `fmincg` for the course's 50 iterations unless said.

use backprop_book::cli;
use backprop_book::cost::{Loss, cost, one_hot};
use backprop_book::data::rng;
use backprop_book::digits::Digits;
use backprop_book::fast;
use backprop_book::init;
use backprop_book::network::Network;
use backprop_book::train::Descent;

use super::{
    EPSILON_INIT, HIDDEN_UNITS, LAMBDA, LONG_RUN, Outcome, SHORT_RUN, print_outcome,
    train_and_judge,
};

/// Every answer that is a run, in the order of the exercises.
pub fn all(train: &Digits, test: &Digits, short: &Outcome) -> backprop_book::Result<()> {
    cli::section("answer-1");
    lambdas(train, test)?;
    cli::section("answer-2");
    hidden_sizes(train, test, short)?;
    cli::section("answer-3");
    transposed(short, train)?;
    cli::section("answer-4");
    descent_against_fmincg(train, short)
}

/// The chapter's seeded start (uniform in ±ε, generator 3) for `hidden` hidden units.
fn start(n: usize, hidden: usize) -> backprop_book::Result<Network> {
    init::uniform_network(&[n, hidden, 10], EPSILON_INIT, &mut rng(3))
}

/// Exercise 1: λ = 0 and λ = 10 for the long run, from the page's start, one on each core.
fn lambdas(train: &Digits, test: &Digits) -> backprop_book::Result<()> {
    let start = start(train.x.ncols(), HIDDEN_UNITS)?;
    println!("The same start, {LONG_RUN} iterations of fmincg, λ = 0 and λ = 10:");
    let outcomes = std::thread::scope(|scope| {
        [0.0, 10.0]
            .map(|lambda| {
                let start = &start;
                let run = move || train_and_judge(start, lambda, train, Some(test), LONG_RUN);
                (lambda, scope.spawn(run))
            })
            .map(|(lambda, run)| (lambda, run.join().expect("a training thread panicked")))
    });
    for (lambda, outcome) in outcomes {
        print_outcome(LONG_RUN, lambda, &outcome?);
    }
    Ok(())
}

// ANCHOR: recall
/// Of the held-out images of each digit, the fraction the network gets right (its recall).
fn recall(net: &Network, test: &Digits) -> backprop_book::Result<Vec<f64>> {
    let predicted = net.predict(test.x.view())?;
    let mut right = [0.0; 10];
    let mut all = [0.0; 10];
    for (&p, &c) in predicted.iter().zip(&test.classes) {
        all[c] += 1.0;
        right[c] += f64::from(u8::from(p == c));
    }
    Ok(right.iter().zip(&all).map(|(r, a)| r / a).collect())
}
// ANCHOR_END: recall

/// Exercise 2: 5 and 100 hidden units from the chapter's seeded start, beside the page's 25,
/// and the recall of each digit on the held-out set.
fn hidden_sizes(train: &Digits, test: &Digits, short: &Outcome) -> backprop_book::Result<()> {
    let mut outcomes = Vec::new();
    for hidden in [5, 100] {
        let start = start(train.x.ncols(), hidden)?;
        let outcome = train_and_judge(&start, LAMBDA, train, Some(test), SHORT_RUN)?;
        println!(
            "{hidden:>3} hidden units, {SHORT_RUN} iterations: J {:.6}, training accuracy {:.2}%, held-out accuracy {:.2}%",
            outcome.trained.costs[outcome.trained.costs.len() - 1],
            100.0 * outcome.train_accuracy,
            100.0 * outcome.test_accuracy.unwrap_or(f64::NAN)
        );
        outcomes.push(outcome);
    }
    println!("\nRecall per digit on the held-out set (of its images, the fraction found):");
    println!("  digit     5 units    25 units   100 units");
    let recalls = [&outcomes[0], short, &outcomes[1]]
        .iter()
        .map(|o| recall(&o.trained.net, test))
        .collect::<backprop_book::Result<Vec<_>>>()?;
    for digit in 0..10 {
        print!("  {:>5}", test.class_names[digit]);
        for r in &recalls {
            print!("   {:>9.3}", r[digit]);
        }
        println!();
    }
    Ok(())
}

/// Exercise 3: the image layout only decides how a row is drawn. Training never reads it, and a
/// network fed every image transposed, with the columns of Θ^(1) transposed the same way, is the
/// same network: the same J.
fn transposed(usual: &Outcome, train: &Digits) -> backprop_book::Result<()> {
    let side = train.side;
    // Pixel (r, c) of the row-major image, read as (c, r): the transposing permutation.
    let order: Vec<usize> = (0..side * side)
        .map(|k| (k % side) * side + k / side)
        .collect();
    let x_t = train.x.select(ndarray::Axis(1), &order);
    let net = &usual.trained.net;
    let mut theta1 = net.thetas()[0].clone();
    for (j, &k) in order.iter().enumerate() {
        theta1
            .column_mut(1 + j)
            .assign(&net.thetas()[0].column(1 + k));
    }
    let net_t = Network::new(
        vec![theta1, net.thetas()[1].clone()],
        net.hidden_activations()[0],
    )?;
    let y = one_hot(&train.classes, 10)?;
    let j = cost(net, train.x.view(), y.view(), LAMBDA, Loss::CrossEntropy)?;
    let j_t = cost(&net_t, x_t.view(), y.view(), LAMBDA, Loss::CrossEntropy)?;
    println!("J of the {SHORT_RUN}-iteration network on the training images:       {j:.12}");
    println!("every image transposed, and Θ^(1)'s columns transposed alike: {j_t:.12}");
    println!(
        "training accuracy, both ways: {:.2}% and {:.2}%",
        100.0 * net.accuracy(train.x.view(), &train.classes)?,
        100.0 * net_t.accuracy(x_t.view(), &train.classes)?
    );
    Ok(())
}

/// Plain gradient descent's learning rate, and how many iterations it gets.
const RATE: f64 = 2.0;
const DESCENT_BUDGET: usize = 600;

// ANCHOR: descent
/// Exercise 4: full-batch gradient descent from the same start, with λ = 1: after how many
/// iterations (one evaluation of J and ∇J each) J is down to `target`.
fn descent_iterations(train: &Digits, target: f64) -> backprop_book::Result<Option<usize>> {
    let start = start(train.x.ncols(), HIDDEN_UNITS)?;
    let y = one_hot(&train.classes, 10)?;
    let descent = Descent {
        lambda: LAMBDA,
        ..Descent::new(Loss::CrossEntropy, RATE, DESCENT_BUDGET)
    };
    // The library's fast twin of `descent.run`: the same steps.
    let (_, costs) = fast::descent::run(&descent, start, train.x.view(), y.view())?;
    Ok(costs.iter().position(|&j| j <= target))
}
// ANCHOR_END: descent

/// Exercise 4's comparison: fmincg's J after its short run, and when gradient descent gets there.
fn descent_against_fmincg(train: &Digits, short: &Outcome) -> backprop_book::Result<()> {
    let target = short.trained.costs[short.trained.costs.len() - 1];
    let evaluations = short.trained.total_evaluations();
    println!("fmincg: J = {target:.6} after {SHORT_RUN} iterations ({evaluations} evaluations).");
    match descent_iterations(train, target)? {
        Some(i) => println!(
            "Gradient descent from the same start, α = {RATE}, λ = {LAMBDA}: J ≤ {target:.6} after {i} iterations"
        ),
        None => println!(
            "Gradient descent from the same start, α = {RATE}, λ = {LAMBDA}: not yet J ≤ {target:.6} after {DESCENT_BUDGET} iterations"
        ),
    }
    Ok(())
}
