//! Chapter 5's exercises, answered by runs: each prints under its own section, `answer-N`.

use backprop_book::Result;
use backprop_book::activation::sigmoid;
use backprop_book::cli;
use backprop_book::cost::Loss;
use backprop_book::data::{rng, xnor};
use backprop_book::init;
use backprop_book::train::{Descent, Schedule};
use backprop_book::worked::{NOTE_INPUT, NOTE_NET, NOTE_TARGET, PARAMETERS, RATE};

use super::{Twelve, all_twelve};

/// Every answer, in the order of the exercises.
pub fn all() -> Result<()> {
    w6_and_b3_by_hand()?;
    sigmoid_twice();
    other_rates()?;
    cross_entropy_for_the_note()
}

fn w6_and_b3_by_hand() -> Result<()> {
    cli::section("answer-1");
    let h = NOTE_NET.by_hand(NOTE_INPUT, NOTE_TARGET);
    // ANCHOR: answer_1
    let (out_o1, t1) = (h.out_o[0], NOTE_TARGET[0]);
    let delta_o1 = (out_o1 - t1) * out_o1 * (1.0 - out_o1); // ∂E/∂in_o1
    let dw6 = delta_o1 * h.out_h[1]; // ∂in_o1/∂w6 = out_h2
    let db3 = delta_o1; // ∂in_o1/∂b3 = 1
    // ANCHOR_END: answer_1
    let Twelve { d, .. } = all_twelve(Loss::SquaredError)?;
    println!("\nAnswer 1: two more gradients by hand, the note's network:");
    println!(
        "  δ_o1 = (out_o1 − t1)·out_o1(1 − out_o1) = {delta_o1:.10}, out_h2 = {:.10}",
        h.out_h[1]
    );
    println!(
        "  ∂E/∂w6 = δ_o1·out_h2 = {dw6:.10}; backprop {:.10}",
        d[1][[0, 2]]
    );
    println!(
        "  ∂E/∂b3 = δ_o1·1      = {db3:.10}; backprop {:.10}",
        d[1][[0, 0]]
    );
    Ok(())
}

// ANCHOR: answer_2
/// The classic bug: σ′ applied to a unit's output, σ(out)(1 − σ(out)), where out(1 − out),
/// which is σ′(in), belongs.
fn sigmoid_prime_of_output(out: f64) -> f64 {
    sigmoid(out) * (1.0 - sigmoid(out))
}
// ANCHOR_END: answer_2

fn sigmoid_twice() {
    cli::section("answer-2");
    let h = NOTE_NET.by_hand(NOTE_INPUT, NOTE_TARGET);
    let w = NOTE_NET.w;
    let (i1, t) = (NOTE_INPUT[0], NOTE_TARGET);
    // The chain-rule factors of ∂E/∂w5 and ∂E/∂w1 with a slope function for ∂out/∂in.
    let gradients = |slope: fn(f64) -> f64| {
        let d_in = h.out_o.map(slope);
        let dw5 = (h.out_o[0] - t[0]) * d_in[0] * h.out_h[0];
        let back = (h.out_o[0] - t[0]) * d_in[0] * w[4] + (h.out_o[1] - t[1]) * d_in[1] * w[6];
        let dw1 = back * slope(h.out_h[0]) * i1;
        [
            d_in[0],
            dw5,
            w[4] - RATE * dw5,
            slope(h.out_h[0]),
            dw1,
            w[0] - RATE * dw1,
        ]
    };
    let right = gradients(|out| out * (1.0 - out));
    let bug = gradients(sigmoid_prime_of_output);
    println!("\nAnswer 2: σ′(out) for out(1 − out) in by_hand (forward values and E unchanged):");
    println!("  quantity          right            with the bug");
    let names = [
        "dout_o1/din_o1",
        "dE/dw5",
        "w5+",
        "dout_h1/din_h1",
        "dE/dw1",
        "w1+",
    ];
    for (k, name) in names.iter().enumerate() {
        println!("  {name:<16} {:>14.10}   {:>14.10}", right[k], bug[k]);
    }
}

// ANCHOR: answer_3
/// The section's XNOR run (2-3-1, seed 5, cross-entropy, 4000 epochs) at `rate`: J after every
/// epoch, accumulated and standard.
fn xnor_curves(rate: f64) -> Result<[Vec<f64>; 2]> {
    let (x, y) = xnor();
    let start = init::uniform_network(&[2, 3, 1], 1.0, &mut rng(5))?;
    let run = |schedule| {
        let descent = Descent {
            schedule,
            ..Descent::new(Loss::CrossEntropy, rate, 4000)
        };
        Ok(descent.run(start.clone(), x.view(), y.view())?.1)
    };
    Ok([run(Schedule::Batch)?, run(Schedule::PerExample)?])
}
// ANCHOR_END: answer_3

fn other_rates() -> Result<()> {
    cli::section("answer-3");
    println!("\nAnswer 3: the XNOR comparison (seed 5) at other learning rates, J per epoch:");
    println!("  α      updates         epoch 0    100        500        1000       4000");
    for rate in [5.0, 0.05] {
        let [batch, single] = xnor_curves(rate)?;
        for (name, costs) in [("accumulated", &batch), ("standard", &single)] {
            let at = [0, 100, 500, 1000, 4000].map(|e| format!("{:.6}", costs[e]));
            println!("  {rate:<5}  {name:<12}    {}", at.join("   "));
        }
    }
    Ok(())
}

fn cross_entropy_for_the_note() -> Result<()> {
    cli::section("answer-4");
    // ANCHOR: answer_4
    let squared = all_twelve(Loss::SquaredError)?.d;
    let cross = all_twelve(Loss::CrossEntropy)?.d;
    // ANCHOR_END: answer_4
    let h = NOTE_NET.by_hand(NOTE_INPUT, NOTE_TARGET);
    println!("\nAnswer 4: the note's network with cross-entropy instead of the squared error:");
    println!("param   squared error    cross-entropy    ratio");
    for (name, l, i, j) in PARAMETERS {
        let (s, c) = (squared[l][[i, j]], cross[l][[i, j]]);
        println!("{name:<5} {s:14.10}   {c:14.10}   {:8.4}", c / s);
    }
    for (k, out) in h.out_o.iter().enumerate() {
        println!(
            "  output {}: 1 / (a(1 − a)) = {:.4} with a = {out:.10}",
            k + 1,
            1.0 / (out * (1.0 - out))
        );
    }
    Ok(())
}
