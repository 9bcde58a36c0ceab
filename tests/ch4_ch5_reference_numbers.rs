//! Reference numbers of chapters 4 and 5, each computed by the library and compared with the
//! value its source published, with an explicit tolerance: a wrong bless cannot hide them.

use backprop_book::activation::sigmoid_gradient;
use backprop_book::backprop::cost_and_gradient;
use backprop_book::cost::{Loss, cost, one_hot};
use backprop_book::network::Network;
use backprop_book::worked::{
    MAZUR_INPUT, MAZUR_NET, NOTE_INPUT, NOTE_NET, NOTE_PRINTED, NOTE_TARGET, RATE, agrees,
    mazur_after_one_update, note_as_printed,
};
use ndarray::array;

fn close(name: &str, value: f64, expected: f64, tolerance: f64) {
    assert!(
        (value - expected).abs() <= tolerance,
        "{name}: computed {value:.12}, expected {expected} ± {tolerance:e}"
    );
}

/// Forward values, E_total and the two gradients the worked examples print, from the library.
fn library_values(net: &Network, input: [f64; 2]) -> ([f64; 4], f64, f64, f64) {
    let x = array![input];
    let pass = net.forward(x.view()).unwrap();
    let outs = [
        pass.a[1][[0, 1]],
        pass.a[1][[0, 2]],
        pass.a[2][[0, 0]],
        pass.a[2][[0, 1]],
    ];
    let (e, d) = cost_and_gradient(
        net,
        x.view(),
        array![NOTE_TARGET].view(),
        0.0,
        Loss::SquaredError,
    )
    .unwrap();
    (outs, e, d[1][[0, 1]], d[0][[0, 1]])
}

#[test]
fn note_example_corrected_values_from_the_stated_inputs() {
    let ([h1, h2, o1, o2], e, dw5, dw1) = library_values(&NOTE_NET.network().unwrap(), NOTE_INPUT);
    close("out_h1", h1, 0.6456563062, 1e-10);
    close("out_h2", h2, 0.6615031592, 1e-10);
    close("out_o1", o1, 0.7989476414, 1e-10);
    close("out_o2", o2, 0.8390480283, 1e-10);
    close("E_total", e, 0.3226124393, 1e-10);
    close("dE/dw5", dw5, 0.0818233150, 1e-10);
    close("w5+", 0.5 - RATE * dw5, 0.4590883425, 1e-10);
    close("dE/dw1", dw1, 0.0011232067, 1e-10);
    close("w1+", 0.1 - RATE * dw1, 0.0994383967, 1e-10);
}

#[test]
fn note_example_printed_values_are_reproduced_by_its_slips() {
    let reproduced = note_as_printed();
    assert_eq!(reproduced.len(), NOTE_PRINTED.len());
    for ((name, value), (printed_name, printed)) in reproduced.iter().zip(NOTE_PRINTED) {
        assert_eq!(*name, printed_name);
        assert!(
            agrees(*value, printed),
            "{name}: reproduced {value:.11}, the note printed {printed}"
        );
    }
    // The headline numbers, one by one.
    let get = |n: &str| reproduced.iter().find(|(name, _)| *name == n).unwrap().1;
    close("E_total", get("E_total"), 0.3226845322, 1.5e-10);
    close("dE/dw5", get("dE/dw5"), 0.0818667051, 1.5e-10);
    close("w5+", get("w5+"), 0.45906664745, 1e-10);
    close("dE/dw1", get("dE/dw1"), 0.0011362635, 1e-10);
    close("w1+", get("w1+"), 0.0998863737, 1.5e-10);
    // And the stated inputs do NOT reproduce them: the erratum is real.
    let ([_, h2, ..], e, ..) = library_values(&NOTE_NET.network().unwrap(), NOTE_INPUT);
    assert!((h2 - 0.6592603884).abs() > 1e-3 && (e - 0.3226845322).abs() > 1e-5);
}

#[test]
fn mazur_published_values() {
    let net = MAZUR_NET.network().unwrap();
    let ([h1, _, o1, _], e, dw5, dw1) = library_values(&net, MAZUR_INPUT);
    close("out_h1", h1, 0.593269992, 1e-9);
    close("out_o1", o1, 0.75136507, 1e-8);
    close("E_total", e, 0.298371109, 1e-9);
    close("dE/dw5", dw5, 0.082167041, 1e-9);
    close("w5+", 0.40 - RATE * dw5, 0.35891648, 1e-8);
    close("w1+", 0.15 - RATE * dw1, 0.149780716, 1e-9);
    let (simultaneous, sequential) = mazur_after_one_update().unwrap();
    close(
        "error after update, output weights first",
        sequential,
        0.291027924,
        1e-9,
    );
    close(
        "error after update, all at once",
        simultaneous,
        0.2910277737,
        1e-10,
    );
    assert!(
        (simultaneous - 0.291027924).abs() > 1e-7,
        "the published value is not the simultaneous update"
    );
}

#[test]
fn sigmoid_output_with_cross_entropy_cancels_the_derivative() {
    // δ^(L) = ∂J/∂z^(L) = a − y for cross-entropy; with squared error it is (a − y)·σ'(z).
    let net = Network::new(
        vec![array![[0.3, -0.2, 0.5]]],
        backprop_book::activation::Activation::Sigmoid,
    )
    .unwrap();
    let x = array![[0.7, -1.1]];
    let z: f64 = 0.3 - 0.2 * 0.7 + 0.5 * -1.1;
    let a = 1.0 / (1.0 + (-z).exp());
    for (loss, delta) in [
        (Loss::CrossEntropy, a - 1.0),
        (Loss::SquaredError, (a - 1.0) * sigmoid_gradient(z)),
    ] {
        let (_, d) = cost_and_gradient(&net, x.view(), array![[1.0]].view(), 0.0, loss).unwrap();
        close(
            &format!("{loss:?} bias gradient"),
            d[0][[0, 0]],
            delta,
            1e-15,
        );
    }
}

#[test]
fn chapter4_costs_on_the_debug_network() {
    let backprop_book::gradcheck::DebugProblem {
        net, x, classes, ..
    } = backprop_book::gradcheck::debug_problem().unwrap();
    assert_eq!(
        classes,
        vec![1, 2, 0, 1, 2],
        "the course's labels 2 3 1 2 3, 0-based"
    );
    let y = one_hot(&classes, 3).unwrap();
    let j0 = cost(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy).unwrap();
    let j3 = cost(&net, x.view(), y.view(), 3.0, Loss::CrossEntropy).unwrap();
    // Independent of the library's regulariser: sum the squares here, bias columns left out.
    let squares: f64 = net
        .thetas()
        .iter()
        .map(|t| t.slice(ndarray::s![.., 1..]).mapv(|w| w * w).sum())
        .sum();
    close("J(λ=3) - J(λ=0)", j3 - j0, 3.0 / 10.0 * squares, 1e-14);
    // The textbook formula, straight from the outputs h (not saturated here, so ln is safe).
    let h = net.predict_proba(x.view()).unwrap();
    let textbook = -h
        .iter()
        .zip(&y)
        .map(|(h, y)| y * h.ln() + (1.0 - y) * (1.0 - h).ln())
        .sum::<f64>()
        / 5.0;
    close("J(λ=0)", j0, textbook, 1e-13);
}
