//! Chapter 9's claims, checked with the library the chapter uses and the chapter's settings: the
//! architecture table, non-convexity, the learning rate, λ against over-fitting, gradient checking
//! of the notes' gradients, and the transposed Θ^(1).

use backprop_book::activation::Activation;
use backprop_book::backprop::cost_and_gradient;
use backprop_book::cost::{Loss, cost, one_hot};
use backprop_book::data::{moons, rng, xnor};
use backprop_book::digits;
use backprop_book::gradcheck::{DebugProblem, check_network, debug_problem, relative_difference};
use backprop_book::init;
use backprop_book::network::Network;
use backprop_book::optimize::{self, Optimiser, Training, conjugate_gradient};
use backprop_book::train::Descent;
use backprop_book::unroll::unroll;
use ndarray::{Array2, array};

/// The chapter's digits network trained as it trains every candidate: UCI digits split with
/// seed 9 (200 for training), the course's ε start from `seed`, 100 iterations of conjugate
/// gradient. Returns the network, its final J and its held-out accuracy.
fn digits_held_out(sizes: &[usize], seed: u64, lambda: f64) -> (Network, f64, f64) {
    let (train, test) = digits::uci_digits().shuffled_split(200, 9).unwrap();
    let y = one_hot(&train.classes, 10).unwrap();
    let start = init::epsilon_network(sizes, &mut rng(seed)).unwrap();
    let (net, costs) = conjugate_gradient(&start, &train.x, &y, lambda, 100, |_, _| {}).unwrap();
    let accuracy = net.accuracy(test.x.view(), &test.classes).unwrap();
    (net, costs[costs.len() - 1], accuracy)
}

#[test]
fn more_hidden_units_help_until_they_stop_helping_and_always_cost_parameters() {
    let (_, _, two) = digits_held_out(&[64, 2, 10], 3, 1.0);
    let (n25, _, twenty_five) = digits_held_out(&[64, 25, 10], 3, 1.0);
    let (n100, _, hundred) = digits_held_out(&[64, 100, 10], 3, 1.0);
    assert!(two < 0.5, "2 hidden units: {two}");
    assert!(twenty_five > 0.9, "25 hidden units: {twenty_five}");
    assert!(
        (hundred - twenty_five).abs() < 0.02,
        "100 units ({hundred}) about as good as 25 ({twenty_five})"
    );
    assert_eq!((n25.parameters(), n100.parameters()), (1885, 7510));
}

#[test]
fn different_starts_end_in_different_but_equally_good_digit_networks() {
    let runs: Vec<(f64, f64)> = (0..5)
        .map(|seed| {
            let (_, j, accuracy) = digits_held_out(&[64, 25, 10], seed, 1.0);
            (j, accuracy)
        })
        .collect();
    let costs: Vec<f64> = runs.iter().map(|r| r.0).collect();
    let spread = costs.iter().cloned().fold(f64::MIN, f64::max)
        - costs.iter().cloned().fold(f64::MAX, f64::min);
    assert!(spread > 1e-4 && spread < 0.02, "final costs {costs:?}");
    assert!(
        runs.iter().all(|r| r.1 > 0.9),
        "held-out accuracies {runs:?}"
    );
}

#[test]
fn xnor_gets_stuck_from_three_of_ten_starts_near_ln2_over_2() {
    let (x, y) = xnor();
    let mut stuck = Vec::new();
    for seed in 0..10 {
        let start = init::uniform_network(&[2, 2, 1], 1.0, &mut rng(seed)).unwrap();
        let descent = Descent {
            record_every: 1000,
            ..Descent::new(Loss::CrossEntropy, 1.0, 5000)
        };
        let (_, costs) = descent.run(start, x.view(), y.view()).unwrap();
        let j = costs[5];
        if j > 0.1 {
            // Two examples fitted, two at output 0.5: J = 2 ln 2 / 4 = ln 2 / 2 ≈ 0.3466.
            assert!((j - 0.3466).abs() < 0.003, "seed {seed}: J = {j}");
            assert!(
                (j - std::f64::consts::LN_2 / 2.0) > 0.0,
                "the valley's floor is approached from above"
            );
            stuck.push(seed);
        } else {
            assert!(j < 0.005, "seed {seed}: J = {j}");
        }
    }
    assert_eq!(stuck, vec![0, 7, 9]);
}

#[test]
fn j_is_not_convex_a_network_and_its_unit_swapped_twin_beat_their_midpoint() {
    let (x, y) = xnor();
    let mut r = rng(1);
    let start = init::uniform_network(&[2, 2, 1], 1.0, &mut r).unwrap();
    let (net, _) = Descent::new(Loss::CrossEntropy, 1.0, 5000)
        .run(start, x.view(), y.view())
        .unwrap();
    let [t1, t2] = [&net.thetas()[0], &net.thetas()[1]];
    // Swap the two hidden units: their rows of Θ^(1), their columns (after the bias) of Θ^(2).
    let t1_swapped = array![
        [t1[[1, 0]], t1[[1, 1]], t1[[1, 2]]],
        [t1[[0, 0]], t1[[0, 1]], t1[[0, 2]]]
    ];
    let t2_swapped = array![[t2[[0, 0]], t2[[0, 2]], t2[[0, 1]]]];
    let twin = Network::new(
        vec![t1_swapped.clone(), t2_swapped.clone()],
        Activation::Sigmoid,
    )
    .unwrap();
    let midpoint = Network::new(
        vec![(t1 + &t1_swapped) / 2.0, (t2 + &t2_swapped) / 2.0],
        Activation::Sigmoid,
    )
    .unwrap();
    let j = |n: &Network| cost(n, x.view(), y.view(), 0.0, Loss::CrossEntropy).unwrap();
    assert!(
        (j(&net) - j(&twin)).abs() < 1e-12,
        "the twin computes the same function"
    );
    assert!(
        j(&midpoint) > j(&net) + 0.1,
        "convexity would need J(midpoint) ≤ {}, it is {}",
        j(&net),
        j(&midpoint)
    );
}

#[test]
fn a_too_large_learning_rate_makes_j_rise_and_a_huge_one_is_stopped() {
    let (train, _) = digits::uci_digits().shuffled_split(200, 9).unwrap();
    let y = one_hot(&train.classes, 10).unwrap();
    let run = |rate: f64| {
        let start = init::epsilon_network(&[64, 25, 10], &mut rng(3)).unwrap();
        let descent = Descent {
            lambda: 1.0,
            ..Descent::new(Loss::CrossEntropy, rate, 200)
        };
        descent.run(start, train.x.view(), y.view())
    };
    let (_, good) = run(1.0).unwrap();
    assert!(
        good.windows(2).all(|w| w[1] <= w[0]),
        "α = 1: J never rises"
    );
    let (_, ten) = run(10.0).unwrap();
    assert!(
        ten[1] > 1.5 * ten[0],
        "α = 10: the first step raises J: {} → {}",
        ten[0],
        ten[1]
    );
    let (_, hundred) = run(100.0).unwrap();
    let last = |c: &Vec<f64>| c[c.len() - 1];
    assert!(
        last(&hundred) > 10.0 * last(&good) && last(&ten) > last(&good),
        "a larger α ends higher: α = 100 at {}, α = 10 at {}, α = 1 at {}",
        last(&hundred),
        last(&ten),
        last(&good)
    );
    let err = run(10_000.0).unwrap_err().to_string();
    assert!(err.contains("diverged") && err.contains("epoch"), "{err}");
}

#[test]
fn lambda_trades_training_accuracy_for_held_out_accuracy_up_to_a_point() {
    let (x, classes) = moons(100, 0.3, 1);
    let (x_test, classes_test) = moons(1000, 0.3, 101);
    let y = one_hot(&classes, 2).unwrap();
    let y_test = one_hot(&classes_test, 2).unwrap();
    let sweep: Vec<(f64, f64, f64)> = [0.0, 0.3, 30.0]
        .into_iter()
        .map(|lambda| {
            let start =
                init::scaled_normal_network(&[2, 50, 2], Activation::Tanh, &mut rng(5)).unwrap();
            let training = Training::new(Optimiser::Fmincg, lambda, 500);
            let net = training.run(&start, &x, &y, |_, _| {}).unwrap().net;
            (
                net.accuracy(x.view(), &classes).unwrap(),
                net.accuracy(x_test.view(), &classes_test).unwrap(),
                cost(&net, x_test.view(), y_test.view(), 0.0, Loss::CrossEntropy).unwrap(),
            )
        })
        .collect();
    let [
        (train0, test0, j0),
        (train_mid, test_mid, j_mid),
        (train30, test30, _),
    ] = sweep[..]
    else {
        unreachable!()
    };
    assert!(
        train0 > 0.95 && train0 > train_mid && train_mid > train30,
        "{sweep:?}"
    );
    assert!(test0 < train0 - 0.1, "λ = 0 over-fits: {sweep:?}");
    assert!(
        test_mid > test0 + 0.05 && test_mid > test30 + 0.05,
        "{sweep:?}"
    );
    assert!(test30 < test0, "λ = 30 is worse than no penalty: {sweep:?}");
    assert!(j_mid < j0 / 2.0, "held-out cost: {sweep:?}");
}

#[test]
fn gradient_checking_flags_both_of_the_notes_gradients_and_passes_backpropagation() {
    let DebugProblem {
        net, x, classes, ..
    } = debug_problem().unwrap();
    let y = one_hot(&classes, 3).unwrap();
    let difference = |lambda: f64, d: Vec<Array2<f64>>| {
        let check =
            check_network(&net, x.view(), y.view(), lambda, Loss::CrossEntropy, 1e-4).unwrap();
        relative_difference(&check.numerical, &unroll(&d))
    };
    let right = cost_and_gradient(&net, x.view(), y.view(), 3.0, Loss::CrossEntropy)
        .unwrap()
        .1;
    assert!(difference(3.0, right) < 1e-9);
    let formula = difference(
        3.0,
        optimize::notes_formula(&net, x.view(), y.view(), 3.0)
            .unwrap()
            .1,
    );
    let code = difference(
        3.0,
        optimize::notes_code(&net, x.view(), y.view(), 3.0)
            .unwrap()
            .1,
    );
    assert!(
        formula > 0.1 && code > 0.05,
        "formula {formula}, code {code}"
    );
    // Without regularisation the notes' code agrees: the check must be run with λ > 0.
    assert!(
        difference(
            0.0,
            optimize::notes_code(&net, x.view(), y.view(), 0.0)
                .unwrap()
                .1
        ) < 1e-9
    );
}

#[test]
fn the_notes_formula_is_the_gradient_of_a_cost_with_lambda_times_m_and_ruins_training() {
    let (train, test) = digits::uci_digits().shuffled_split(200, 9).unwrap();
    let y = one_hot(&train.classes, 10).unwrap();
    let net = init::epsilon_network(&[64, 25, 10], &mut rng(3)).unwrap();
    let m = train.x.nrows() as f64;
    // D = Δ/m + λΘ is backpropagation's gradient for λ' = λ·m: any optimiser that follows it
    // minimises a cost regularised m = 200 times too strongly.
    let notes = optimize::notes_formula(&net, train.x.view(), y.view(), 1.0)
        .unwrap()
        .1;
    let (_, heavy) =
        cost_and_gradient(&net, train.x.view(), y.view(), m, Loss::CrossEntropy).unwrap();
    for (a, b) in notes.iter().zip(&heavy) {
        assert!((a - b).iter().all(|v| v.abs() < 1e-12));
    }
    // Gradient descent following it, as the chapter runs it, ends at chance level …
    let mut descended = net.clone();
    for _ in 0..200 {
        descended = descended
            .step(
                &optimize::notes_formula(&descended, train.x.view(), y.view(), 1.0)
                    .unwrap()
                    .1,
                1.0,
            )
            .unwrap();
    }
    let chance = descended.accuracy(test.x.view(), &test.classes).unwrap();
    assert!(
        chance < 0.2,
        "gradient descent with the notes' formula: {chance}"
    );
    // … and so does conjugate gradient on the cost it really minimises, while the right λ
    // gives a good network from the same start.
    let (heavy_net, _) = conjugate_gradient(&net, &train.x, &y, m, 100, |_, _| {}).unwrap();
    let (right_net, _) = conjugate_gradient(&net, &train.x, &y, 1.0, 100, |_, _| {}).unwrap();
    let heavy_acc = heavy_net.accuracy(test.x.view(), &test.classes).unwrap();
    let right_acc = right_net.accuracy(test.x.view(), &test.classes).unwrap();
    assert!(
        heavy_acc < 0.2 && right_acc > 0.9,
        "λ·m: {heavy_acc}, λ: {right_acc}"
    );
}

/// The network with Θ^(1) replaced by Θ^(1)ᵀ, as chapter 9 swaps it in.
fn theta1_transposed(net: &Network) -> Network {
    let [t1, t2] = [&net.thetas()[0], &net.thetas()[1]];
    Network::new(vec![t1.t().to_owned(), t2.clone()], Activation::Sigmoid).unwrap()
}

#[test]
fn transposing_a_square_theta1_changes_what_the_network_computes() {
    let (x, y) = xnor();
    let start = init::epsilon_network(&[2, 3, 1], &mut rng(4)).unwrap();
    let (net, _) = Descent::new(Loss::CrossEntropy, 1.0, 5000)
        .run(start, x.view(), y.view())
        .unwrap();
    let h = net.predict_proba(x.view()).unwrap();
    assert!(
        h.iter().zip(&y).all(|(h, y)| (h - y).abs() < 0.01),
        "the trained network computes XNOR: {h}"
    );
    let change = net
        .largest_output_change(&theta1_transposed(&net), x.view())
        .unwrap();
    assert!(change > 0.5, "largest change {change}");
    // The comparison can fail: a symmetric Θ^(1) is its own transpose.
    let t1 = &net.thetas()[0];
    let symmetric = (t1 + &t1.t()) / 2.0;
    let net = Network::new(
        vec![symmetric, net.thetas()[1].clone()],
        Activation::Sigmoid,
    )
    .unwrap();
    let unchanged = net
        .largest_output_change(&theta1_transposed(&net), x.view())
        .unwrap();
    assert_eq!(unchanged, 0.0);
}
