//! Property tests: the library's invariants on random networks and data (proptest, at least 1,000
//! cases each, shrunk to a minimal counterexample on failure).

use backprop_book::activation::Activation;
use backprop_book::cost::{Loss, cost, one_hot};
use backprop_book::gradcheck::check_network;
use backprop_book::network::Network;
use backprop_book::unroll::{roll, shapes, unroll};
use ndarray::{Array2, Axis};
use proptest::prelude::*;

const CASES: u32 = 1000;

/// A random network: 1–3 hidden layers of 1–8 units, 1–4 inputs, 1–3 outputs, one activation per
/// hidden layer, weights in [−1, 1]; and m = 1–6 examples with inputs in [−2, 2] and classes.
fn network_and_data() -> impl Strategy<Value = (Network, Array2<f64>, Vec<usize>, usize)> {
    (
        1usize..=4,
        prop::collection::vec(1usize..=8, 1..=3),
        1usize..=3,
        1usize..=6,
    )
        .prop_flat_map(|(inputs, hidden, outputs, m)| {
            let mut sizes = vec![inputs];
            sizes.extend(&hidden);
            sizes.push(outputs);
            let weights: Vec<_> = sizes
                .windows(2)
                .map(|w| {
                    let (rows, cols) = (w[1], w[0] + 1);
                    prop::collection::vec(-1.0f64..1.0, rows * cols)
                        .prop_map(move |v| Array2::from_shape_vec((rows, cols), v).unwrap())
                })
                .collect();
            let activations =
                prop::collection::vec(prop::sample::select(Activation::ALL.to_vec()), hidden.len());
            let x = prop::collection::vec(-2.0f64..2.0, m * inputs)
                .prop_map(move |v| Array2::from_shape_vec((m, inputs), v).unwrap());
            let classes = prop::collection::vec(0..outputs, m);
            (weights, activations, x, classes, Just(outputs))
        })
        .prop_map(|(thetas, activations, x, classes, k)| {
            (
                Network::with_activations(thetas, activations).unwrap(),
                x,
                classes,
                k,
            )
        })
}

/// Whether any hidden unit of any example sits within `margin` of ReLU's kink (z = 0), where the
/// derivative jumps and central differences are not comparable.
fn near_kink(net: &Network, x: &Array2<f64>, margin: f64) -> bool {
    let pass = net.forward(x.view()).unwrap();
    net.hidden_activations().iter().zip(&pass.z).any(|(g, z)| {
        matches!(g, Activation::Relu | Activation::LeakyRelu) && z.iter().any(|v| v.abs() < margin)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn backprop_equals_central_differences((net, x, classes, k) in network_and_data(), lambda in 0.0f64..3.0, squared in any::<bool>()) {
        prop_assume!(!near_kink(&net, &x, 1e-3));
        let y = one_hot(&classes, k).unwrap();
        let loss = if squared { Loss::SquaredError } else { Loss::CrossEntropy };
        let check = check_network(&net, x.view(), y.view(), lambda, loss, 1e-5).unwrap();
        let scale = check.analytic.iter().chain(&check.numerical).fold(0.0f64, |a, v| a.max(v.abs()));
        // The relative difference of two tiny gradients is dominated by rounding: judge those absolutely.
        if scale > 1e-5 {
            prop_assert!(check.relative_difference() < 1e-7, "relative difference {}", check.relative_difference());
        } else {
            prop_assert!((&check.numerical - &check.analytic).iter().all(|d| d.abs() < 1e-9));
        }
    }

    #[test]
    fn unroll_and_roll_are_inverse((net, _x, _classes, _k) in network_and_data()) {
        let v = unroll(net.thetas());
        prop_assert_eq!(v.len(), net.thetas().iter().map(|t| t.len()).sum::<usize>());
        prop_assert_eq!(roll(&v, &shapes(net.thetas())).unwrap(), net.thetas().to_vec());
    }

    #[test]
    fn the_cost_is_finite_and_not_negative((net, x, classes, k) in network_and_data(), lambda in 0.0f64..10.0, scale in 1.0f64..100.0) {
        // Large weights saturate the outputs: the cost must still be finite (no ln 0).
        let big = Network::with_activations(net.thetas().iter().map(|t| t * scale).collect(), net.hidden_activations().to_vec()).unwrap();
        let y = one_hot(&classes, k).unwrap();
        for loss in [Loss::CrossEntropy, Loss::SquaredError] {
            let j = cost(&big, x.view(), y.view(), lambda, loss).unwrap();
            prop_assert!(j.is_finite() && j >= 0.0, "J = {}", j);
        }
    }

    #[test]
    fn one_hot_rows_sum_to_one(classes in prop::collection::vec(0usize..10, 1..50)) {
        let y = one_hot(&classes, 10).unwrap();
        prop_assert!(y.sum_axis(Axis(1)).iter().all(|&s| s == 1.0));
        prop_assert!(classes.iter().enumerate().all(|(i, &c)| y[[i, c]] == 1.0));
    }

    #[test]
    fn predictions_do_not_depend_on_the_order_of_examples((net, x, _classes, _k) in network_and_data(), seed in any::<u64>()) {
        let m = x.nrows();
        let mut order: Vec<usize> = (0..m).collect();
        order.rotate_left((seed % m as u64) as usize);
        order.swap(0, m - 1);
        let shuffled = x.select(Axis(0), &order);
        let (all, reordered) = (net.predict_proba(x.view()).unwrap(), net.predict_proba(shuffled.view()).unwrap());
        for (row, &i) in order.iter().enumerate() {
            prop_assert_eq!(reordered.row(row), all.row(i));
        }
    }
}
