//! Chapter 8's claims, checked with the library the chapter uses: one hidden unit draws a straight
//! boundary, and 50 hidden units fit the clear two-moons set perfectly.

use backprop_book::activation::Activation;
use backprop_book::cost::{Loss, one_hot};
use backprop_book::data::{moons, rng};
use backprop_book::init;
use backprop_book::network::Network;
use backprop_book::train::Descent;
use ndarray::Array2;

fn train(sizes: &[usize], x: &Array2<f64>, classes: &[usize], iterations: usize) -> Network {
    let net = init::scaled_normal_network(sizes, Activation::Tanh, &mut rng(7)).unwrap();
    let y = one_hot(classes, 2).unwrap();
    let descent = Descent {
        record_every: 1000,
        ..Descent::new(Loss::CrossEntropy, 0.1, iterations)
    };
    descent.run(net, x.view(), y.view()).unwrap().0
}

/// Points of a grid over [−3, 4] × [−3, 4], one per row.
fn grid() -> Array2<f64> {
    let n = 141;
    Array2::from_shape_fn((n * n, 2), |(i, c)| {
        -3.0 + 0.05 * (if c == 0 { i / n } else { i % n }) as f64
    })
}

/// How often the predicted class changes along the grid when the points are sorted by the first
/// hidden unit's weighted sum z = w·x + b.
fn class_changes_along_first_unit(net: &Network) -> usize {
    let points = grid();
    let theta = &net.thetas()[0];
    let predicted = net.predict(points.view()).unwrap();
    let mut by_z: Vec<(f64, usize)> = points
        .rows()
        .into_iter()
        .zip(predicted)
        .map(|(p, class)| {
            (
                theta[[0, 0]] + theta[[0, 1]] * p[0] + theta[[0, 2]] * p[1],
                class,
            )
        })
        .collect();
    by_z.sort_by(|a, b| a.0.total_cmp(&b.0));
    by_z.windows(2).filter(|w| w[0].1 != w[1].1).count()
}

#[test]
fn one_hidden_unit_draws_a_straight_boundary() {
    let (x, classes) = moons(60, 1.0, 1);
    // With one hidden unit the class depends on x only through its z = w·x + b: sorted by z, the
    // class changes exactly once, so the boundary is the line z = constant.
    assert_eq!(
        class_changes_along_first_unit(&train(&[2, 1, 2], &x, &classes, 3000)),
        1
    );
    // With 4 hidden units the regions bend, and the same measure sees it: the test can fail.
    assert!(class_changes_along_first_unit(&train(&[2, 4, 2], &x, &classes, 3000)) > 1);
}

#[test]
fn fifty_hidden_units_fit_the_clear_setting_perfectly() {
    let (x, classes) = moons(60, 0.1, 2);
    let net = train(&[2, 50, 2], &x, &classes, 30_000);
    assert_eq!(net.accuracy(x.view(), &classes).unwrap(), 1.0);
}

#[test]
fn moons_are_seeded_and_shaped_like_scikit_learns() {
    let (x, classes) = moons(6, 0.0, 3);
    // Without noise: class 0 on the upper half circle, class 1 on the shifted lower one.
    assert_eq!(classes, vec![0, 0, 0, 1, 1, 1]);
    assert!((x[[0, 0]] - 1.0).abs() < 1e-15 && x[[0, 1]].abs() < 1e-15);
    assert!((x[[2, 0]] + 1.0).abs() < 1e-15);
    assert!(x[[3, 0]].abs() < 1e-15 && (x[[3, 1]] - 0.5).abs() < 1e-15);
    assert_eq!(moons(50, 0.3, 9).0, moons(50, 0.3, 9).0);
    assert_ne!(moons(50, 0.3, 9).0, moons(50, 0.3, 10).0);
}
