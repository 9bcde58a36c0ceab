//! Chapter 6's reference numbers, asserted one by one with explicit tolerances: the course's
//! gradient check on its debug network, the quiz answers, unrolling order, and symmetry breaking.

use backprop_book::activation::Activation;
use backprop_book::cost::Loss;
use backprop_book::data::rng;
use backprop_book::gradcheck::{
    self, DebugProblem, check_network, numerical_gradient, relative_difference,
};
use backprop_book::init::{epsilon_for, uniform};
use backprop_book::network::Network;
use backprop_book::train::Descent;
use backprop_book::unroll::{bias_entries, roll, unroll, unroll_row_major};
use ndarray::{Array1, Array2, ShapeBuilder, s};

/// The course's `checkNNGradients` problem.
fn debug_problem() -> DebugProblem {
    gradcheck::debug_problem().unwrap()
}

/// (numerical, analytic) gradients, unrolled column-major, with ε = 1e-4.
fn check(
    net: &Network,
    x: &Array2<f64>,
    y: &Array2<f64>,
    lambda: f64,
) -> (Array1<f64>, Array1<f64>) {
    let c = check_network(net, x.view(), y.view(), lambda, Loss::CrossEntropy, 1e-4).unwrap();
    (c.numerical, c.analytic)
}

#[test]
fn course_gradient_check_first_rows_and_relative_difference() {
    let DebugProblem { net, x, y, .. } = debug_problem();
    // The course's checkNNGradients listing, first five rows (λ = 0).
    let course = [
        -0.0092782524,
        0.0088991196,
        -0.0083601076,
        0.0076281355,
        -0.0067479837,
    ];
    for lambda in [0.0, 3.0] {
        let (numerical, analytic) = check(&net, &x, &y, lambda);
        assert_eq!(analytic.len(), 38);
        for (i, expected) in course.iter().enumerate() {
            assert!(
                (analytic[i] - expected).abs() < 1e-9,
                "λ = {lambda}, row {}: {} vs {expected}",
                i + 1,
                analytic[i]
            );
            assert!((numerical[i] - expected).abs() < 1e-9);
        }
        let r = relative_difference(&numerical, &analytic);
        assert!(r < 1e-9, "λ = {lambda}: relative difference {r:e}");
    }
}

#[test]
fn bias_entries_are_not_regularised_and_the_others_are() {
    let DebugProblem { net, x, y, .. } = debug_problem();
    let (_, a0) = check(&net, &x, &y, 0.0);
    let (_, a3) = check(&net, &x, &y, 3.0);
    let bias = bias_entries(net.thetas());
    assert_eq!(bias.iter().filter(|&&b| b).count(), 5 + 3);
    for i in 0..a0.len() {
        if bias[i] {
            assert_eq!(a0[i], a3[i], "bias entry {i} changed with λ");
        } else {
            // Regularisation adds (λ/m)Θ = 0.6·Θ here; every Θ entry is sin(k)/10 ≠ 0.
            let expected = 3.0 / 5.0 * unroll(net.thetas())[i];
            assert!(
                ((a3[i] - a0[i]) - expected).abs() < 1e-15,
                "entry {i}: {} vs {expected}",
                a3[i] - a0[i]
            );
            assert!(a0[i] != a3[i]);
        }
    }
}

#[test]
fn the_check_fails_on_a_wrong_gradient() {
    // Regularising the bias column too: the classic bug must give a large relative difference.
    let DebugProblem { net, x, y, .. } = debug_problem();
    let (numerical, mut analytic) = check(&net, &x, &y, 3.0);
    let theta = unroll(net.thetas());
    for (i, is_bias) in bias_entries(net.thetas()).into_iter().enumerate() {
        if is_bias {
            analytic[i] += 3.0 / 5.0 * theta[i];
        }
    }
    assert!(relative_difference(&numerical, &analytic) > 1e-2);
}

#[test]
fn quiz_numerical_derivative_of_2_theta_cubed() {
    let j = |t: &Array1<f64>| Ok(2.0 * t[0].powi(3) + 2.0);
    let g = numerical_gradient(j, &Array1::from(vec![1.0]), 0.01).unwrap()[0];
    assert!((g - 6.0002).abs() < 1e-10, "{g}");
    assert!((g - 6.0).abs() > 1e-4, "the estimate is not exact");
}

#[test]
fn quiz_unrolling_theta2_is_elements_16_to_39_reshaped_4_by_6() {
    // Distinct entries, so any misplaced one shows.
    let theta1 = Array2::from_shape_fn((5, 3), |(i, j)| (10 * i + j) as f64 + 0.5);
    let theta2 = Array2::from_shape_fn((4, 6), |(i, j)| -((10 * i + j) as f64) - 1.0);
    let v = unroll(&[theta1.clone(), theta2.clone()]);
    assert_eq!(v.len(), 39);
    // Column-major: Octave's thetaVec(16:39) is 0-based 15..39, and Theta2(2,1) comes right
    // after Theta2(1,1).
    assert_eq!(v[15], theta2[[0, 0]]);
    assert_eq!(v[16], theta2[[1, 0]]);
    assert_eq!(v[14], theta1[[4, 2]]);
    let part = v.slice(s![15..39]).to_owned();
    let back = Array2::from_shape_vec((4, 6).f(), part.to_vec()).unwrap();
    assert_eq!(back, theta2);
    assert_eq!(roll(&part, &[(4, 6)]).unwrap()[0], theta2);
    assert_eq!(
        roll(&v, &[(5, 3), (4, 6)]).unwrap(),
        vec![theta1.clone(), theta2.clone()]
    );
    // The wrong answers do not recover Theta2.
    assert_ne!(
        roll(&v.slice(s![14..38]).to_owned(), &[(4, 6)]).unwrap()[0],
        theta2
    );
    assert!(roll(&v.slice(s![15..24]).to_owned(), &[(4, 6)]).is_err());
    // Row-major holds the same numbers in another order; mixing the conventions misplaces them.
    let r = unroll_row_major(&[theta1, theta2.clone()]);
    assert_eq!(r[16], theta2[[0, 1]]);
    assert_ne!(
        roll(&r.slice(s![15..39]).to_owned(), &[(4, 6)]).unwrap()[0],
        theta2
    );
}

#[test]
fn digit_network_parameter_count_and_init_range() {
    let thetas = [Array2::<f64>::zeros((25, 401)), Array2::zeros((10, 26))];
    assert_eq!(unroll(&thetas).len(), 10_285);
    let e = epsilon_for(25, 400);
    assert!((e - 0.1188).abs() < 5e-5, "{e}");
}

/// 100 steps of batch gradient descent, rate 1, λ = 0, on the debug problem.
fn train(theta1: Array2<f64>, theta2: Array2<f64>) -> Network {
    let DebugProblem { x, y, .. } = debug_problem();
    let net = Network::new(vec![theta1, theta2], Activation::Sigmoid).unwrap();
    let descent = Descent::new(Loss::CrossEntropy, 1.0, 100);
    descent.run(net, x.view(), y.view()).unwrap().0
}

/// The largest difference between any hidden unit's row of Θ^(1) and the first one.
fn row_spread(t: &Array2<f64>) -> f64 {
    t.rows()
        .into_iter()
        .flat_map(|r| {
            (&r - &t.row(0))
                .into_iter()
                .map(f64::abs)
                .collect::<Vec<_>>()
        })
        .fold(0.0, f64::max)
}

#[test]
fn equal_initial_weights_keep_hidden_units_identical_and_random_ones_do_not() {
    for value in [0.0, 0.5] {
        let trained = train(
            Array2::from_elem((5, 4), value),
            Array2::from_elem((3, 6), value),
        );
        let t1 = &trained.thetas()[0];
        // The weights did move (so equality is not just "nothing happened")...
        assert!(
            (t1 - &Array2::from_elem((5, 4), value))
                .iter()
                .any(|d| d.abs() > 1e-3),
            "start {value}: Θ^(1) did not change"
        );
        // ...yet every hidden unit's row is the same.
        assert!(row_spread(t1) < 1e-12, "start {value}: {}", row_spread(t1));
    }
    let mut r = rng(6);
    let (t1, t2) = (uniform(5, 3, 0.12, &mut r), uniform(3, 5, 0.12, &mut r));
    assert!(t1.iter().chain(&t2).all(|w| w.abs() < 0.12));
    let trained = train(t1, t2);
    assert!(row_spread(&trained.thetas()[0]) > 1e-2);
}
