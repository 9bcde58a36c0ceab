//! The course's own reference numbers, which need its ex4data1.mat (not in the repository, not in
//! CI). Run with `cargo xtask test --course-data`; fails loudly if the file is missing.

use backprop_book::activation::Activation;
use backprop_book::cost::{Loss, cost, one_hot};
use backprop_book::data::rng;
use backprop_book::digits::{self, EX4_DATA, EX4_WEIGHTS};
use backprop_book::init;
use backprop_book::network::Network;
use backprop_book::optimize::{Optimiser, Training};

#[test]
#[ignore = "needs the course's ex4data1.mat: run `cargo xtask test --course-data`"]
fn course_reference_numbers() {
    let data_path = digits::locate(EX4_DATA, None)
        .unwrap_or_else(|e| panic!("the course-data test was asked for, but {e}"));
    let weights_path = digits::locate(EX4_WEIGHTS, None).unwrap_or_else(|e| panic!("{e}"));
    let data = digits::load_course_data(&data_path).unwrap();
    assert_eq!(data.x.dim(), (5000, 400));
    let [t1, t2] = digits::load_course_weights(&weights_path).unwrap();
    let net = Network::new(vec![t1, t2], Activation::Sigmoid).unwrap();
    let y = one_hot(&data.classes, 10).unwrap();
    for (lambda, published) in [(0.0, 0.287629), (1.0, 0.383770), (3.0, 0.576051)] {
        let j = cost(&net, data.x.view(), y.view(), lambda, Loss::CrossEntropy).unwrap();
        assert!(
            (j - published).abs() < 5e-7,
            "J with λ = {lambda}: {j:.7}, the course prints {published}"
        );
    }
    // The classic mistake: regularising the bias columns too.
    let j0 = cost(&net, data.x.view(), y.view(), 0.0, Loss::CrossEntropy).unwrap();
    let all_squares: f64 = net
        .thetas()
        .iter()
        .map(|t| t.iter().map(|w| w * w).sum::<f64>())
        .sum();
    let mistaken = j0 + all_squares / (2.0 * 5000.0);
    assert!(
        (mistaken - 0.384488).abs() < 5e-6,
        "bias regularised at λ = 1: {mistaken:.6}, expected about 0.384488"
    );
    let accuracy = net.accuracy(data.x.view(), &data.classes).unwrap();
    assert!(
        (accuracy - 0.9752).abs() < 5e-5,
        "given weights: {accuracy}, the course reports 97.52%"
    );

    // Training as chapter 7 does: λ = 1, uniform(−0.12, 0.12) from seed 3, the course's fmincg.
    let mut r = rng(3);
    let start = init::uniform_network(&[400, 25, 10], 0.12, &mut r).unwrap();
    let train = |iterations| {
        Training::new(Optimiser::Fmincg, 1.0, iterations)
            .run(&start, &data.x, &y, |_, _| {})
            .unwrap()
            .net
    };
    let acc_50 = train(50).accuracy(data.x.view(), &data.classes).unwrap();
    assert!(
        (acc_50 - 0.953).abs() <= 0.01,
        "50 iterations: {acc_50}, the course reports about 95.3% ± 1%"
    );
    let acc_400 = train(400).accuracy(data.x.view(), &data.classes).unwrap();
    assert!(acc_400 >= 0.99, "400 iterations: {acc_400}");
}
