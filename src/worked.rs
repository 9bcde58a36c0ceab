//! The hand-worked 2-2-2 examples (the source note's and Matt Mazur's), with weights named
//! w1..w8 and b1..b4 as their authors draw them, computed one chain-rule factor at a time. Tests
//! check this against the library's backpropagation; chapter 5 prints it.

use ndarray::array;

use crate::Result;
use crate::activation::{Activation, sigmoid};
use crate::backprop::cost_and_gradient;
use crate::cost::{Loss, cost};
use crate::network::Network;

/// A 2-2-2 network with named weights, as worked examples draw it: h1 = σ(w1·i1 + w2·i2 + b1),
/// h2 = σ(w3·i1 + w4·i2 + b2), o1 = σ(w5·h1 + w6·h2 + b3), o2 = σ(w7·h1 + w8·h2 + b4).
#[derive(Debug, Clone, Copy)]
pub struct HandNet {
    pub w: [f64; 8],
    pub b: [f64; 4],
}

/// Every quantity the worked examples print, computed by the chain rule one factor at a time.
#[derive(Debug, Clone, Copy)]
pub struct ByHand {
    pub in_h: [f64; 2],
    pub out_h: [f64; 2],
    pub in_o: [f64; 2],
    pub out_o: [f64; 2],
    pub e_o: [f64; 2],
    pub e_total: f64,
    /// ∂E/∂out_o1, ∂out_o1/∂in_o1, ∂in_o1/∂w5 and their product ∂E/∂w5.
    pub w5_factors: [f64; 4],
    /// ∂E_o1/∂out_h1, ∂E_o2/∂out_h1, ∂E/∂out_h1, ∂out_h1/∂in_h1, ∂in_h1/∂w1 and ∂E/∂w1.
    pub w1_factors: [f64; 6],
}

impl HandNet {
    /// Forward pass, error and the chain-rule factors of ∂E/∂w5 and ∂E/∂w1.
    pub fn by_hand(&self, i: [f64; 2], target: [f64; 2]) -> ByHand {
        by_hand(self, i, target)
    }

    /// The same network as the library sees it: Θ^(1) = [b1 w1 w2; b2 w3 w4], Θ^(2) = [b3 w5 w6; b4 w7 w8].
    pub fn network(&self) -> Result<Network> {
        let (w, b) = (self.w, self.b);
        let theta1 = array![[b[0], w[0], w[1]], [b[1], w[2], w[3]]];
        let theta2 = array![[b[2], w[4], w[5]], [b[3], w[6], w[7]]];
        Network::new(vec![theta1, theta2], Activation::Sigmoid)
    }
}

/// The worked example's arithmetic, one factor at a time, as on paper.
fn by_hand(net: &HandNet, i: [f64; 2], target: [f64; 2]) -> ByHand {
    let (w, b) = (net.w, net.b);
    // ANCHOR: hand_forward
    let in_h = [
        w[0] * i[0] + w[1] * i[1] + b[0],
        w[2] * i[0] + w[3] * i[1] + b[1],
    ];
    let out_h = in_h.map(sigmoid);
    let in_o = [
        w[4] * out_h[0] + w[5] * out_h[1] + b[2],
        w[6] * out_h[0] + w[7] * out_h[1] + b[3],
    ];
    let out_o = in_o.map(sigmoid);
    let e_o = [0, 1].map(|k| 0.5 * (target[k] - out_o[k]).powi(2)); // E = Σ ½(t − out)²
    // ANCHOR_END: hand_forward
    // ANCHOR: hand_backward
    // Output layer: ∂E/∂out = −(t − out); ∂out/∂in = σ' = out(1 − out); ∂in_o1/∂w5 = out_h1.
    let d_out = [-(target[0] - out_o[0]), -(target[1] - out_o[1])];
    let d_in = [out_o[0] * (1.0 - out_o[0]), out_o[1] * (1.0 - out_o[1])];
    let w5_factors = [d_out[0], d_in[0], out_h[0], d_out[0] * d_in[0] * out_h[0]];
    // Hidden layer: out_h1 feeds both outputs, through w5 and w7; the two paths add up.
    let via_o1 = d_out[0] * d_in[0] * w[4];
    let via_o2 = d_out[1] * d_in[1] * w[6];
    let d_out_h1 = via_o1 + via_o2;
    let d_in_h1 = out_h[0] * (1.0 - out_h[0]);
    let dw1 = d_out_h1 * d_in_h1 * i[0];
    let w1_factors = [via_o1, via_o2, d_out_h1, d_in_h1, i[0], dw1];
    // ANCHOR_END: hand_backward
    ByHand {
        in_h,
        out_h,
        in_o,
        out_o,
        e_o,
        e_total: e_o[0] + e_o[1],
        w5_factors,
        w1_factors,
    }
}

/// Where each named parameter sits: (layer, row, column) of Θ.
pub const PARAMETERS: [(&str, usize, usize, usize); 12] = [
    ("b1", 0, 0, 0),
    ("w1", 0, 0, 1),
    ("w2", 0, 0, 2),
    ("b2", 0, 1, 0),
    ("w3", 0, 1, 1),
    ("w4", 0, 1, 2),
    ("b3", 1, 0, 0),
    ("w5", 1, 0, 1),
    ("w6", 1, 0, 2),
    ("b4", 1, 1, 0),
    ("w7", 1, 1, 1),
    ("w8", 1, 1, 2),
];

// ANCHOR: note_setup
/// The note's stated setup: inputs, targets, w1..w8 = 0.1..0.8, four biases, learning rate 0.5.
pub const NOTE_INPUT: [f64; 2] = [0.1, 0.2];
pub const NOTE_TARGET: [f64; 2] = [0.01, 0.99];
pub const NOTE_NET: HandNet = HandNet {
    w: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
    b: [0.55, 0.56, 0.66, 0.67],
};
pub const RATE: f64 = 0.5;
// ANCHOR_END: note_setup

/// Mazur's setup: one bias per layer (0.35, 0.60), which his example does not update.
pub const MAZUR_INPUT: [f64; 2] = [0.05, 0.10];
pub const MAZUR_NET: HandNet = HandNet {
    w: [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55],
    b: [0.35, 0.35, 0.60, 0.60],
};

/// The quantities of a worked example in the order the note prints them.
pub fn quantities(
    h: &ByHand,
    w1_rate: f64,
    w5_rate: f64,
    net: &HandNet,
) -> Vec<(&'static str, f64)> {
    let [d_out, d_in, d_w, dw5] = h.w5_factors;
    let [via_o1, via_o2, d_out_h1, d_in_h1, d_w1, dw1] = h.w1_factors;
    vec![
        ("in_h1", h.in_h[0]),
        ("out_h1", h.out_h[0]),
        ("out_h2", h.out_h[1]),
        ("in_o1", h.in_o[0]),
        ("out_o1", h.out_o[0]),
        ("out_o2", h.out_o[1]),
        ("E_o1", h.e_o[0]),
        ("E_o2", h.e_o[1]),
        ("E_total", h.e_total),
        ("dE/dout_o1", d_out),
        ("dout_o1/din_o1", d_in),
        ("din_o1/dw5", d_w),
        ("dE/dw5", dw5),
        ("w5+", net.w[4] - w5_rate * dw5),
        ("dE_o1/din_o1", via_o1 / net.w[4]),
        ("dE_o1/dout_h1", via_o1),
        ("dE_o2/dout_h1", via_o2),
        ("dE/dout_h1", d_out_h1),
        ("dout_h1/din_h1", d_in_h1),
        ("din_h1/dw1", d_w1),
        ("dE/dw1", dw1),
        ("w1+", net.w[0] - w1_rate * dw1),
    ]
}

/// What the note printed, digit for digit (section 3 of the hand-worked example).
pub const NOTE_PRINTED: [(&str, &str); 22] = [
    ("in_h1", "0.6"),
    ("out_h1", "0.6456563062"),
    ("out_h2", "0.6592603884"),
    ("in_o1", "1.3783843861"),
    ("out_o1", "0.7987314002"),
    ("out_o2", "0.8374488853"),
    ("E_o1", "0.0116359213"),
    ("E_o2", "0.3110486109"),
    ("E_total", "0.3226845322"),
    ("dE/dout_o1", "0.7887314002"),
    ("dout_o1/din_o1", "0.1607595505"),
    ("din_o1/dw5", "0.6456563062"),
    ("dE/dw5", "0.0818667051"),
    ("w5+", "0.45906664745"),
    ("dE_o1/din_o1", "0.1284037009"),
    ("dE_o1/dout_h1", "0.06420185045"),
    ("dE_o2/dout_h1", "-0.0145365614"),
    ("dE/dout_h1", "0.04966528905"),
    ("dout_h1/din_h1", "0.2287842405"),
    ("din_h1/dw1", "0.1"),
    ("dE/dw1", "0.0011362635"),
    ("w1+", "0.0998863737"),
];

// ANCHOR: note_as_printed
/// The note's numbers, reproduced by making the slips chapter 5's erratum lists:
/// one bias per layer (b1 for both hidden units, b3 for both outputs), E_o1 and E_o2 swapped,
/// out_o1 written where ∂E/∂out_o1 belongs in (5.24), and learning rate 0.1 for w1.
pub fn note_as_printed() -> Vec<(&'static str, f64)> {
    let net = HandNet {
        b: [0.55, 0.55, 0.66, 0.66],
        ..NOTE_NET
    };
    let mut h = net.by_hand(NOTE_INPUT, NOTE_TARGET);
    h.e_o.swap(0, 1);
    let d_in_o1 = h.w5_factors[1];
    let via_o1 = h.out_o[0] * d_in_o1 * net.w[4]; // out_o1 instead of −(t1 − out_o1)
    let d_out_h1 = via_o1 + h.w1_factors[1];
    let [_, _, _, d_in_h1, d_w1, _] = h.w1_factors;
    h.w1_factors = [
        via_o1,
        h.w1_factors[1],
        d_out_h1,
        d_in_h1,
        d_w1,
        d_out_h1 * d_in_h1 * d_w1,
    ];
    quantities(&h, 0.1, RATE, &net)
}
// ANCHOR_END: note_as_printed

/// Whether `value` rounds to `printed` within one unit of its last printed digit.
pub fn agrees(value: f64, printed: &str) -> bool {
    // Our tables print 10 decimals, so a value printed with more agrees within 1e-10.
    let decimals = printed.split_once('.').map_or(0, |(_, d)| d.len()).min(10);
    let printed: f64 = printed.parse().expect("printed values are numbers");
    (value - printed).abs() <= 1.000001 * 10f64.powi(-(decimals as i32))
}

/// Mazur's error after one update, two ways: (a) all eight weights moved at once with the
/// gradients of the original weights, as his text describes; (b) the output weights first, the
/// hidden deltas then taken through the *updated* w5..w8. His published 0.291027924 is (b).
pub fn mazur_after_one_update() -> Result<(f64, f64)> {
    let h = MAZUR_NET.by_hand(MAZUR_INPUT, NOTE_TARGET);
    // (a) As the post describes: all eight weights move at once, using gradients from the original weights.
    let net = MAZUR_NET.network()?;
    let (x, t) = (array![MAZUR_INPUT], array![NOTE_TARGET]);
    let (_, mut d) = cost_and_gradient(&net, x.view(), t.view(), 0.0, Loss::SquaredError)?;
    for g in &mut d {
        g.column_mut(0).fill(0.0); // the biases stay where they are
    }
    let simultaneous = cost(
        &net.step(&d, RATE)?,
        x.view(),
        t.view(),
        0.0,
        Loss::SquaredError,
    )?;
    // ANCHOR: mazur_after
    // (b) The output weights first; the hidden deltas then use the *updated* w5..w8.
    let mut w = MAZUR_NET.w;
    for (k, (hid, out)) in [(4, (0, 0)), (5, (1, 0)), (6, (0, 1)), (7, (1, 1))] {
        w[k] -= RATE * d[1][[out, 1 + hid]];
    }
    let delta_o = [0, 1].map(|k| (h.out_o[k] - NOTE_TARGET[k]) * h.out_o[k] * (1.0 - h.out_o[k]));
    for (hid, (first, second)) in [(0, (4, 6)), (1, (5, 7))] {
        let delta_h =
            (delta_o[0] * w[first] + delta_o[1] * w[second]) * h.out_h[hid] * (1.0 - h.out_h[hid]);
        w[2 * hid] -= RATE * delta_h * MAZUR_INPUT[0];
        w[2 * hid + 1] -= RATE * delta_h * MAZUR_INPUT[1];
    }
    let sequential = HandNet { w, ..MAZUR_NET }
        .by_hand(MAZUR_INPUT, NOTE_TARGET)
        .e_total;
    // ANCHOR_END: mazur_after
    Ok((simultaneous, sequential))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand_agrees_with_backpropagation() {
        for (net, input) in [(NOTE_NET, NOTE_INPUT), (MAZUR_NET, MAZUR_INPUT)] {
            let h = net.by_hand(input, NOTE_TARGET);
            let (e, d) = cost_and_gradient(
                &net.network().unwrap(),
                array![input].view(),
                array![NOTE_TARGET].view(),
                0.0,
                Loss::SquaredError,
            )
            .unwrap();
            assert!((h.e_total - e).abs() < 1e-15);
            assert!((h.w5_factors[3] - d[1][[0, 1]]).abs() < 1e-15);
            assert!((h.w1_factors[5] - d[0][[0, 1]]).abs() < 1e-15);
        }
    }

    #[test]
    fn agreement_is_within_one_unit_of_the_last_printed_digit() {
        assert!(agrees(0.0818667050, "0.0818667051"));
        assert!(agrees(0.4590666475, "0.45906664745"));
        assert!(!agrees(0.0818233150, "0.0818667051"));
        assert!(!agrees(0.25, "0.1") && agrees(0.1003, "0.1"));
    }
}
