//! Chapter 3's exercises answered by runs: each prints under its own section, `answer-N`.

use backprop_book::activation::Activation;
use backprop_book::cli;
use backprop_book::cost::Loss;
use backprop_book::data::xnor;
use backprop_book::network::Network;
use backprop_book::train::Descent;
use ndarray::{Array2, array};

use super::xnor_net;

/// The answers, in the order of the exercises.
pub fn run() -> backprop_book::Result<()> {
    nand_and_xor()?;
    weights_divided()?;
    zero_start()?;
    by_hand_row()
}

// ANCHOR: nand_xor
/// NAND is AND with every sign flipped. XOR is NOT XNOR: the same hidden AND and NOR units, and
/// an output unit that is 1 only when both are 0, a NOR of them.
fn nand_xor() -> backprop_book::Result<(Network, Network)> {
    let nand = Network::new(vec![array![[30.0, -20.0, -20.0]]], Activation::Sigmoid)?;
    let theta1 = array![[-30.0, 20.0, 20.0], [10.0, -20.0, -20.0]];
    let theta2 = array![[10.0, -20.0, -20.0]];
    let xor = Network::new(vec![theta1, theta2], Activation::Sigmoid)?;
    Ok((nand, xor))
}
// ANCHOR_END: nand_xor

/// One line per corner of the truth table: the inputs and each column's output.
fn print_table(x: &Array2<f64>, columns: &[(&str, Array2<f64>)]) {
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    println!("   x1 x2 | {}", names.join(" | "));
    for (i, row) in x.rows().into_iter().enumerate() {
        let outs: Vec<String> = columns
            .iter()
            .map(|(n, h)| format!("{:>w$.6}", h[[i, 0]], w = n.len().max(8)))
            .collect();
        println!("   {}  {} | {}", row[0], row[1], outs.join(" | "));
    }
}

fn nand_and_xor() -> backprop_book::Result<()> {
    cli::section("answer-1");
    let (x, _) = xnor();
    let (nand, xor) = nand_xor()?;
    println!(
        "\nAnswer 1: NAND as one unit, Θ = {}; XOR from 2 hidden units:",
        nand.thetas()[0].row(0)
    );
    println!(
        "  XOR's Θ^(1) = AND and NOR rows as in XNOR, Θ^(2) = {}",
        xor.thetas()[1].row(0)
    );
    let columns = [
        ("NAND", nand.predict_proba(x.view())?),
        ("XOR", xor.predict_proba(x.view())?),
    ];
    print_table(&x, &columns);
    Ok(())
}

fn weights_divided() -> backprop_book::Result<()> {
    cli::section("answer-2");
    let (x, _) = xnor();
    // ANCHOR: divided
    let tenth: Vec<Array2<f64>> = xnor_net()?.thetas().iter().map(|t| t / 10.0).collect();
    let pass = Network::new(tenth, Activation::Sigmoid)?.forward(x.view())?;
    // ANCHOR_END: divided
    println!("\nAnswer 2: every weight of the XNOR network divided by 10.");
    println!("   x1 x2 | z AND   AND      | z NOR   NOR      | z out   XNOR out | within 0.01");
    for i in 0..4 {
        let (z, a, out) = (pass.z[0].row(i), pass.a[1].row(i), pass.output()[[i, 0]]);
        let close = [a[1], a[2], out].map(|v| v.min(1.0 - v) <= 0.01);
        println!(
            "   {}  {} | {:5.2}   {:.6} | {:5.2}   {:.6} | {:5.2}   {:.6} | {close:?}",
            x[[i, 0]],
            x[[i, 1]],
            z[0],
            a[1],
            z[1],
            a[2],
            pass.z[1][[i, 0]],
            out
        );
    }
    println!(
        "  σ(z) is within 0.01 of 0 or 1 only where |z| >= ln 99 = {:.4}",
        99f64.ln()
    );
    Ok(())
}

/// Trains XNOR's 2-2-1 network from every weight equal to `w` (α = 2, 2000 epochs).
fn from_constant(w: f64) -> backprop_book::Result<(Network, Vec<f64>)> {
    let (x, y) = xnor();
    // ANCHOR: zero_start
    let same = vec![Array2::from_elem((2, 3), w), Array2::from_elem((1, 3), w)];
    let start = Network::new(same, Activation::Sigmoid)?;
    Descent::new(Loss::CrossEntropy, 2.0, 2000).run(start, x.view(), y.view())
    // ANCHOR_END: zero_start
}

fn zero_start() -> backprop_book::Result<()> {
    cli::section("answer-3");
    let (x, _) = xnor();
    println!("\nAnswer 3: XNOR's 2-2-1 network trained from equal weights (α = 2, 2000 epochs).");
    for w in [0.0, 0.5] {
        let (net, costs) = from_constant(w)?;
        let t = &net.thetas()[0];
        println!("  every weight {w} at the start:");
        println!(
            "    J: {:.6} at the start, {:.6} at the end",
            costs[0],
            costs[costs.len() - 1]
        );
        println!(
            "    Θ^(1) rows: {:.4} and {:.4}; identical: {}",
            t.row(0),
            t.row(1),
            t.row(0) == t.row(1)
        );
        println!("    Θ^(2) = {:.4}", net.thetas()[1].row(0));
        println!(
            "    outputs for (0,0) (0,1) (1,0) (1,1): {:.4}",
            net.predict_proba(x.view())?.column(0)
        );
    }
    Ok(())
}

fn by_hand_row() -> backprop_book::Result<()> {
    cli::section("answer-4");
    let (x, _) = xnor();
    let pass = xnor_net()?.forward(x.view())?;
    println!("\nAnswer 4: the row x = (1, 1) of z^(2) = ā^(1) Θ^(1)ᵀ, from the program:");
    println!(
        "  ā^(1) row = {}, z^(2) row = {}",
        pass.a[0].row(3),
        pass.z[0].row(3)
    );
    println!(
        "  g(z^(2)) = {:.6}, the hidden activations {:.6}",
        pass.z[0].row(3).mapv(backprop_book::activation::sigmoid),
        pass.a[1].row(3)
    );
    Ok(())
}
