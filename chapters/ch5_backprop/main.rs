//! Chapter 5: backpropagation. `cargo run --release --example ch5_backprop [-- --out DIR]`

use std::process::ExitCode;

mod answers;
mod figures;

use backprop_book::Result;
use backprop_book::activation::sigmoid;
use backprop_book::backprop::{cost_and_gradient, gradient_per_example};
use backprop_book::cli::{self, OutDir};
use backprop_book::cost::{Loss, cost};
use backprop_book::data::{rng, xnor};
use backprop_book::gradcheck::{DebugProblem, check_network, debug_problem};
use backprop_book::init;
use backprop_book::network::Network;
use backprop_book::train::{Descent, Schedule};
use backprop_book::unroll::{roll, shapes};
use backprop_book::worked::{
    MAZUR_INPUT, MAZUR_NET, NOTE_INPUT, NOTE_NET, NOTE_PRINTED, NOTE_TARGET, PARAMETERS, RATE,
    agrees, mazur_after_one_update, note_as_printed, quantities,
};
use clap::Parser;
use ndarray::{Array2, Axis, array, s};

/// Chapter 5: backpropagation by hand, in general, and checked every way we can.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    out: OutDir,
}

fn main() -> ExitCode {
    cli::run(|| {
        let args = Args::parse();
        let out = args.out.resolve("ch5_backprop")?;
        one_unit_graph(&out)?;
        by_hand(&out)?;
        general_algorithm()?;
        all_gradients()?;
        deep_learning_course()?;
        zhou_zhihua()?;
        let curves = standard_versus_accumulated()?;
        fair_comparison()?;
        figures::schedules(
            &out,
            &[
                ("accumulated, α = 0.5: 1 step per epoch", &curves.batch),
                ("accumulated, α = 2: the same step", &curves.batch_same_step),
                ("standard, α = 0.5: 4 steps per epoch", &curves.per_example),
            ],
        )?;
        slowdown(&out)?;
        quiz()?;
        errata()?;
        answers::all()
    })
}

// ANCHOR: loop_vs_vectorised
/// J, the vectorised gradient, and its largest gap to the per-example loop's, on `problem`.
fn loop_and_vectorised(
    problem: &DebugProblem,
    lambda: f64,
) -> Result<(f64, Vec<Array2<f64>>, f64)> {
    let (net, x, y) = (&problem.net, problem.x.view(), problem.y.view());
    let (j, fast) = cost_and_gradient(net, x, y, lambda, Loss::CrossEntropy)?;
    let slow = gradient_per_example(net, x, y, lambda, Loss::CrossEntropy)?;
    let worst = fast
        .iter()
        .zip(&slow)
        .flat_map(|(a, b)| (a - b).mapv(f64::abs))
        .fold(0.0, f64::max);
    Ok((j, fast, worst))
}
// ANCHOR_END: loop_vs_vectorised

fn general_algorithm() -> Result<()> {
    cli::section("general");
    println!("\n== The general algorithm on the 3-5-3 debugging network (m = 5) ==");
    let problem = debug_problem()?;
    for lambda in [0.0, 3.0] {
        let (j, fast, worst) = loop_and_vectorised(&problem, lambda)?;
        println!(
            "λ = {lambda}: J = {j:.10}; loop and vectorised gradients agree to 1e-14: {}",
            worst < 1e-14
        );
        println!("  D^(2) (3 × 6, bias column first):");
        for row in fast[1].rows() {
            println!("    {row:.8}");
        }
    }
    Ok(())
}

// ANCHOR: graph
/// One sigmoid unit with cross-entropy as a graph of three steps. Forward, each step keeps its
/// value; backward, each multiplies the gradient arriving from above by its own local derivative.
fn graph_gradients(w: [f64; 2], b: f64, x: [f64; 2], y: f64) -> (f64, [f64; 3]) {
    let z = w[0] * x[0] + w[1] * x[1] + b; // z = w·x + b
    let a = sigmoid(z); // a = σ(z)
    let j = -(y * a.ln() + (1.0 - y) * (1.0 - a).ln()); // J = −[y ln a + (1 − y) ln(1 − a)]
    let dj_da = (a - y) / (a * (1.0 - a)); // local gradient of J
    let da_dz = a * (1.0 - a); // local gradient of σ
    let dj_dz = dj_da * da_dz; // chain rule: what arrives at z
    (j, [dj_dz * x[0], dj_dz * x[1], dj_dz]) // ∂z/∂w_i = x_i, ∂z/∂b = 1
}
// ANCHOR_END: graph

/// The graph's values and local gradients from a run, and its gradient against central
/// differences of J.
fn one_unit_graph(out: &std::path::Path) -> Result<()> {
    cli::section("graph");
    println!("== One unit as a computational graph: z = w·x + b, a = σ(z), cross-entropy J ==");
    let (w, b, x, y) = ([0.5, -0.3], 0.4, [1.0, 2.0], 1.0);
    let z = w[0] * x[0] + w[1] * x[1] + b;
    let a = sigmoid(z);
    let (j, grad) = graph_gradients(w, b, x, y);
    println!(
        "  forward:  x = ({}, {}), w = ({}, {}), b = {b}, y = {y}",
        x[0], x[1], w[0], w[1]
    );
    println!("            z = {z:.10}, a = σ(z) = {a:.10}, J = {j:.10}");
    println!(
        "  local:    ∂J/∂a = {:.10}, ∂a/∂z = a(1 − a) = {:.10}, ∂z/∂w = x, ∂z/∂b = 1",
        (a - y) / (a * (1.0 - a)),
        a * (1.0 - a)
    );
    println!(
        "  backward: ∂J/∂z = {:.10} (= a − y), ∂J/∂w = ({:.10}, {:.10}), ∂J/∂b = {:.10}",
        grad[2], grad[0], grad[1], grad[2]
    );
    let eps = 1e-6;
    let numeric = [0, 1, 2].map(|k| {
        let moved = |d: f64| {
            let (mut w2, mut b2) = (w, b);
            if k < 2 {
                w2[k] += d
            } else {
                b2 += d
            }
            graph_gradients(w2, b2, x, y).0
        };
        (moved(eps) - moved(-eps)) / (2.0 * eps)
    });
    let worst = (0..3)
        .map(|k| (numeric[k] - grad[k]).abs())
        .fold(0.0, f64::max);
    println!("  central differences of J agree to 1e-9: {}", worst < 1e-9);
    let local = ((a - y) / (a * (1.0 - a)), a * (1.0 - a), grad);
    figures::unit_graph(out, (w, b, x), (z, a, j), local)
}

// ANCHOR: deep_learning_form
/// The deep-learning course's gradients for two sigmoid layers, one example per *column*: X is
/// n × m, Y is K × m, each W has no bias column and each b is a separate column.
fn dl_gradients(
    w: [&Array2<f64>; 2],
    b: [&Array2<f64>; 2],
    x: &Array2<f64>,
    y: &Array2<f64>,
) -> [Array2<f64>; 4] {
    let m = x.ncols() as f64;
    let a1 = (w[0].dot(x) + b[0]).mapv(sigmoid); // A¹ = g(W¹X + b¹), b¹ added to every column
    let a2 = (w[1].dot(&a1) + b[1]).mapv(sigmoid);
    let dz2 = &a2 - y; // dZ² = A² − Y
    let dw2 = dz2.dot(&a1.t()) / m; // dW² = (1/m) dZ² A¹ᵀ
    let db2 = dz2.sum_axis(Axis(1)).insert_axis(Axis(1)) / m; // db² = (1/m) Σ dZ² over examples
    let dz1 = w[1].t().dot(&dz2) * a1.mapv(|a| a * (1.0 - a)); // dZ¹ = W²ᵀ dZ² ∗ g′(Z¹)
    let dw1 = dz1.dot(&x.t()) / m;
    let db1 = dz1.sum_axis(Axis(1)).insert_axis(Axis(1)) / m;
    [dw1, db1, dw2, db2]
}
// ANCHOR_END: deep_learning_form

/// The deep-learning course's formulas against the library's D on the debugging network:
/// W^[l] is Θ^(l) without its bias column, b^[l] is that column, and every matrix is transposed.
fn deep_learning_course() -> Result<()> {
    cli::section("deep_learning");
    println!("\n== The deep-learning course's form, one example per column (3-5-3, m = 5) ==");
    let DebugProblem { net, x, y, .. } = debug_problem()?;
    let t = net.thetas();
    let w = [
        t[0].slice(s![.., 1..]).to_owned(),
        t[1].slice(s![.., 1..]).to_owned(),
    ];
    let b = [
        t[0].slice(s![.., ..1]).to_owned(),
        t[1].slice(s![.., ..1]).to_owned(),
    ];
    let [dw1, db1, dw2, db2] = dl_gradients(
        [&w[0], &w[1]],
        [&b[0], &b[1]],
        &x.t().to_owned(),
        &y.t().to_owned(),
    );
    let (_, d) = cost_and_gradient(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy)?;
    let gap = |a: &Array2<f64>, b: ndarray::ArrayView2<f64>| {
        (a - &b).mapv(f64::abs).fold(0.0, |m: f64, v| m.max(*v))
    };
    println!(
        "  shapes: X {:?}, W^[1] {:?}, b^[1] {:?}, dW^[2] {:?}",
        x.t().dim(),
        w[0].dim(),
        b[0].dim(),
        dw2.dim()
    );
    let gaps = [
        gap(&dw1, d[0].slice(s![.., 1..])),
        gap(&db1, d[0].slice(s![.., ..1])),
        gap(&dw2, d[1].slice(s![.., 1..])),
        gap(&db2, d[1].slice(s![.., ..1])),
    ];
    println!(
        "  dW^[1], db^[1], dW^[2], db^[2] equal D^(1) and D^(2) split into weights and bias column, to 1e-15: {}",
        gaps.iter().all(|&g| g < 1e-15)
    );
    Ok(())
}

fn zhou_zhihua() -> Result<()> {
    cli::section("zhou");
    println!(
        "\n== Zhou Zhihua's form: squared error, g_j and e_h (the note's network, stated inputs) =="
    );
    let net = NOTE_NET;
    let h = net.by_hand(NOTE_INPUT, NOTE_TARGET);
    // ANCHOR: zhou
    // g_j = ŷ_j(1 − ŷ_j)(y_j − ŷ_j) for each output, e_h = b_h(1 − b_h) Σ_j w_hj g_j for each hidden unit.
    let g: Vec<f64> = (0..2)
        .map(|j| h.out_o[j] * (1.0 - h.out_o[j]) * (NOTE_TARGET[j] - h.out_o[j]))
        .collect();
    let w_hj = |hidden: usize, output: usize| net.w[4 + 2 * output + hidden]; // w5, w6 / w7, w8
    let e: Vec<f64> = (0..2)
        .map(|hid| {
            h.out_h[hid] * (1.0 - h.out_h[hid]) * (0..2).map(|j| w_hj(hid, j) * g[j]).sum::<f64>()
        })
        .collect();
    // ANCHOR_END: zhou
    println!(
        "g_1 = {:.10}, g_2 = {:.10}; e_1 = {:.10}, e_2 = {:.10}",
        g[0], g[1], e[0], e[1]
    );
    // The updates Δw_hj = η g_j b_h and Δv_ih = η e_h x_i are minus η times backprop's gradients.
    let (_, d) = cost_and_gradient(
        &net.network()?,
        array![NOTE_INPUT].view(),
        array![NOTE_TARGET].view(),
        0.0,
        Loss::SquaredError,
    )?;
    let eta = 0.5;
    println!(
        "Δw5 = η g_1 b_1 = {:.10}; -η ∂E/∂w5 from backprop = {:.10}",
        eta * g[0] * h.out_h[0],
        -eta * d[1][[0, 1]]
    );
    println!(
        "Δw1 = η e_1 x_1 = {:.10}; -η ∂E/∂w1 from backprop = {:.10}",
        eta * e[0] * NOTE_INPUT[0],
        -eta * d[0][[0, 1]]
    );
    // Thresholds are minus the biases: Δθ_j = −η g_j and Δγ_h = −η e_h move each bias by +η g.
    println!(
        "Δθ_1 = -η g_1 = {:.10}; the bias b3 moves by -Δθ_1, and -η ∂E/∂b3 = {:.10}",
        -eta * g[0],
        -eta * d[1][[0, 0]]
    );
    println!(
        "Δγ_1 = -η e_1 = {:.10}; the bias b1 moves by -Δγ_1, and -η ∂E/∂b1 = {:.10}",
        -eta * e[0],
        -eta * d[0][[0, 0]]
    );
    let [squared, cross] = output_deltas(h.out_o);
    println!(
        "Output δ with squared error, (a - y)·a(1 - a): {:.10}, {:.10}",
        squared[0], squared[1]
    );
    println!(
        "Output δ with cross-entropy, a - y:            {:.10}, {:.10}",
        cross[0], cross[1]
    );
    Ok(())
}

// ANCHOR: delta_compare
/// The output δ of the note's network for its outputs `a`: with the squared error,
/// (a − y)·a(1 − a); with cross-entropy, a − y.
fn output_deltas(a: [f64; 2]) -> [[f64; 2]; 2] {
    let y = NOTE_TARGET;
    let squared = [0, 1].map(|k| (a[k] - y[k]) * a[k] * (1.0 - a[k]));
    let cross = [0, 1].map(|k| a[k] - y[k]);
    [squared, cross]
}
// ANCHOR_END: delta_compare

/// Cost per epoch of both schedules.
struct Curves {
    batch_same_step: Vec<f64>,
    batch: Vec<f64>,
    per_example: Vec<f64>,
}

fn standard_versus_accumulated() -> Result<Curves> {
    cli::section("schedules");
    println!("\n== Standard (per-example) versus accumulated (batch) updates: XNOR, 2-3-1 ==");
    // ANCHOR: schedules
    let (x, y) = xnor();
    let mut r = rng(5);
    let start = init::uniform_network(&[2, 3, 1], 1.0, &mut r)?;
    let run = |schedule, rate| {
        let descent = Descent {
            schedule,
            ..Descent::new(Loss::CrossEntropy, rate, 4000)
        };
        descent.run(start.clone(), x.view(), y.view())
    };
    let (batch_net, batch) = run(Schedule::Batch, 0.5)?;
    let (single_net, per_example) = run(Schedule::PerExample, 0.5)?;
    // ANCHOR_END: schedules
    let (_, batch_same_step) = run(Schedule::Batch, 2.0)?;
    println!("epoch   batch J     per-example J   batch J at α = 2");
    for epoch in [0, 500, 1000, 2000, 3000, 4000] {
        println!(
            "{epoch:5}   {:.6}    {:.6}        {:.6}",
            batch[epoch], per_example[epoch], batch_same_step[epoch]
        );
    }
    for (name, net) in [("batch", &batch_net), ("per-example", &single_net)] {
        let h = net.predict_proba(x.view())?;
        println!(
            "{name:>11} outputs for (0,0) (0,1) (1,0) (1,1): {:.4}",
            h.column(0)
        );
    }
    Ok(Curves {
        batch_same_step,
        batch,
        per_example,
    })
}

// ANCHOR: slowdown
/// One sigmoid unit, input 1, target 0, starting confidently wrong (w = b = 2: output 0.98),
/// trained with `loss`: its output after every epoch, read back from the recorded cost.
fn saturated_run(loss: Loss) -> Result<Vec<f64>> {
    let unit = Network::new(
        vec![array![[2.0, 2.0]]],
        backprop_book::activation::Activation::Sigmoid,
    )?;
    let descent = Descent::new(loss, 0.15, 300);
    let (_, costs) = descent.run(unit, array![[1.0]].view(), array![[0.0]].view())?;
    Ok(costs
        .iter()
        .map(|&j| match loss {
            Loss::SquaredError => (2.0 * j).sqrt(), // J = ½ a²
            Loss::CrossEntropy => 1.0 - (-j).exp(), // J = −ln(1 − a)
        })
        .collect())
}
// ANCHOR_END: slowdown

/// Chapter 4's cure for the learning slowdown, run: the same saturated start, both losses.
fn slowdown(out: &std::path::Path) -> Result<()> {
    cli::section("slowdown");
    println!("\n== The learning slowdown: one unit, target 0, w = b = 2, learning rate 0.15 ==");
    let squared = saturated_run(Loss::SquaredError)?;
    let cross = saturated_run(Loss::CrossEntropy)?;
    println!("  epoch   output, squared error   output, cross-entropy");
    for epoch in [0, 10, 50, 100, 200, 300] {
        println!(
            "  {epoch:5}   {:21.6}   {:21.6}",
            squared[epoch], cross[epoch]
        );
    }
    let below = |a: &[f64]| {
        a.iter()
            .position(|&v| v < 0.5)
            .map_or("never".into(), |e| e.to_string())
    };
    println!(
        "  first epoch with output below 0.5: squared error {}, cross-entropy {}",
        below(&squared),
        below(&cross)
    );
    figures::slowdown(
        out,
        &[("squared error", &squared), ("cross-entropy", &cross)],
    )
}

// ANCHOR: fair_comparison
/// Epochs until J falls to what it is when every output is 0.1 from its target, or `None` if
/// 4000 epochs are not enough: one run of XNOR on a 2-3-1 network from `seed`'s start.
fn epochs_to_learn(loss: Loss, schedule: Schedule, rate: f64, seed: u64) -> Result<Option<usize>> {
    let (x, y) = xnor();
    let start = init::uniform_network(&[2, 3, 1], 1.0, &mut rng(seed))?;
    let descent = Descent {
        schedule,
        ..Descent::new(loss, rate, 4000)
    };
    let (_, costs) = descent.run(start, x.view(), y.view())?;
    let learned = match loss {
        Loss::CrossEntropy => -(0.9f64.ln()),
        Loss::SquaredError => 0.5 * 0.1 * 0.1,
    };
    Ok(costs.iter().position(|&j| j <= learned))
}
// ANCHOR_END: fair_comparison

/// Standard against accumulated BP over ten seeds, for both losses: the batch step at α = 0.5
/// (as above), and at 4α = 2, the same total step per epoch as four per-example steps of α.
fn fair_comparison() -> Result<()> {
    cli::section("fair_comparison");
    println!("\nEpochs until J is as low as with every output 0.1 from its target, seeds 0 to 9:");
    println!(
        "  loss            updates                         median   fastest  slowest  not in 4000"
    );
    for (loss, name) in [
        (Loss::CrossEntropy, "cross-entropy"),
        (Loss::SquaredError, "squared error"),
    ] {
        let runs = [
            (Schedule::Batch, 0.5, "accumulated, α = 0.5"),
            (Schedule::Batch, 2.0, "accumulated, α = 2 (same step)"),
            (Schedule::PerExample, 0.5, "standard, α = 0.5"),
        ];
        for (schedule, rate, what) in runs {
            let epochs: Vec<Option<usize>> = (0..10)
                .map(|seed| epochs_to_learn(loss, schedule, rate, seed))
                .collect::<Result<_>>()?;
            let mut done: Vec<usize> = epochs.iter().flatten().copied().collect();
            done.sort_unstable();
            let show = |e: Option<&usize>| e.map_or("-".to_string(), |e| e.to_string());
            let median = match done.len() {
                0 => "-".to_string(),
                n => format!("{:.1}", (done[(n - 1) / 2] + done[n / 2]) as f64 / 2.0),
            };
            println!(
                "  {name:<15} {what:<31} {median:>6}   {:>7}  {:>7}  {:>11}",
                show(done.first()),
                show(done.last()),
                epochs.len() - done.len()
            );
        }
    }
    Ok(())
}

/// Shapes of a product, or why it cannot be formed.
fn product(a: &Array2<f64>, b: &Array2<f64>) -> Result<Array2<f64>, String> {
    if a.ncols() == b.nrows() {
        Ok(a.dot(b))
    } else {
        Err(format!(
            "cannot multiply {}×{} by {}×{}",
            a.nrows(),
            a.ncols(),
            b.nrows(),
            b.ncols()
        ))
    }
}

fn quiz() -> Result<()> {
    cli::section("quiz");
    println!("\n== Quiz: which form vectorises Δ^(2)_ij += δ^(3)_i (a^(2))_j? (3-5-3 network) ==");
    let DebugProblem { net, x, y, .. } = debug_problem()?;
    let (_, d) = cost_and_gradient(&net, x.view(), y.view(), 0.0, Loss::CrossEntropy)?;
    let want = &d[1] * x.nrows() as f64; // Δ^(2) = m · D^(2) when λ = 0
    // ANCHOR: quiz
    // Column vectors for example i: ā2 (6×1, bias first), a3 (3×1), δ3 (3×1), δ2 (5×1, bias dropped).
    type Form = fn(&[Array2<f64>; 4]) -> Result<Array2<f64>, String>;
    let forms: [(&str, Form); 4] = [
        ("(a^(2))ᵀ δ^(3)", |[a2, _, d3, _]| {
            product(&a2.t().to_owned(), d3)
        }),
        ("(a^(3))ᵀ δ^(2)", |[_, a3, _, d2]| {
            product(&a3.t().to_owned(), d2)
        }),
        ("δ^(3) (a^(2))ᵀ", |[a2, _, d3, _]| {
            product(d3, &a2.t().to_owned())
        }),
        ("δ^(3) (a^(3))ᵀ", |[_, a3, d3, _]| {
            product(d3, &a3.t().to_owned())
        }),
    ];
    // ANCHOR_END: quiz
    let theta2 = &net.thetas()[1];
    for (name, form) in forms {
        let mut total: Option<Array2<f64>> = None;
        let mut failure = None;
        for i in 0..x.nrows() {
            let pass = net.forward(x.slice(s![i..i + 1, ..]))?;
            let a2 = pass.a[1].t().to_owned();
            let a3 = pass.a[2].t().to_owned();
            let d3 = &a3 - &y.slice(s![i..i + 1, ..]).t();
            let d2 = theta2.t().dot(&d3).slice(s![1.., ..]).to_owned()
                * pass.z[0]
                    .t()
                    .mapv(backprop_book::activation::sigmoid_gradient);
            match form(&[a2, a3, d3, d2]) {
                Ok(term) => total = Some(total.map_or(term.clone(), |t| t + &term)),
                Err(e) => failure = Some(e),
            }
        }
        let verdict = match (failure, total) {
            (Some(e), _) => e,
            (None, Some(t)) if t.dim() != want.dim() => format!(
                "{}×{}, but Δ^(2) is {}×{}",
                t.nrows(),
                t.ncols(),
                want.nrows(),
                want.ncols()
            ),
            (None, Some(t)) => format!(
                "{}×{}, equal to the loop's Δ^(2) to 1e-14: {}",
                t.nrows(),
                t.ncols(),
                (&t - &want).iter().all(|v| v.abs() < 1e-14)
            ),
            (None, None) => "no examples".to_string(),
        };
        println!("  Δ^(2) += {name}: {verdict}");
    }
    Ok(())
}

/// The note's 2-2-2 network from its stated inputs: every quantity of the forward pass and of
/// the two gradients worked by hand, and the network drawn forward and backward.
fn by_hand(out: &std::path::Path) -> Result<()> {
    cli::section("by_hand");
    println!(
        "\n== The note's 2-2-2 network by hand: inputs 0.1, 0.2; targets 0.01, 0.99; w1..w8 = 0.1..0.8 =="
    );
    println!(
        "== biases 0.55, 0.56, 0.66, 0.67; sigmoid units; E = Σ ½(t - out)²; learning rate 0.5 =="
    );
    let h = NOTE_NET.by_hand(NOTE_INPUT, NOTE_TARGET);
    for (name, value) in quantities(&h, RATE, RATE, &NOTE_NET) {
        println!("  {name:<16} {value:>14.10}");
    }
    // δ of each output (squared error), then of each hidden unit: the errors the diagram shows.
    let w = NOTE_NET.w;
    let output = [0, 1].map(|k| (h.out_o[k] - NOTE_TARGET[k]) * h.out_o[k] * (1.0 - h.out_o[k]));
    let hidden = [0, 1].map(|j| {
        let back = w[4 + j] * output[0] + w[6 + j] * output[1]; // w5, w7 into h1; w6, w8 into h2
        back * h.out_h[j] * (1.0 - h.out_h[j])
    });
    println!(
        "  δ: o1 {:.10}, o2 {:.10}; h1 {:.10}, h2 {:.10}",
        output[0], output[1], hidden[0], hidden[1]
    );
    figures::forward(out, &h)?;
    figures::backward(out, &[hidden, output])
}

/// The note's network, its gradient two ways, and one step of gradient descent.
struct Twelve {
    net: Network,
    /// E before the step, and after it.
    e: [f64; 2],
    /// Backpropagation's gradient and the central differences, as Θ-shaped matrices.
    d: Vec<Array2<f64>>,
    numeric: Vec<Array2<f64>>,
    updated: Network,
}

// ANCHOR: all_gradients
/// All twelve gradients of the note's network for `loss`: backpropagation and central
/// differences (ε = 1e-6), and one update with η = 0.5.
fn all_twelve(loss: Loss) -> Result<Twelve> {
    let net = NOTE_NET.network()?;
    let (x, t) = (array![NOTE_INPUT], array![NOTE_TARGET]);
    let (e, d) = cost_and_gradient(&net, x.view(), t.view(), 0.0, loss)?;
    let check = check_network(&net, x.view(), t.view(), 0.0, loss, 1e-6)?;
    let numeric = roll(&check.numerical, &shapes(net.thetas()))?;
    let updated = net.step(&d, RATE)?;
    let after = cost(&updated, x.view(), t.view(), 0.0, loss)?;
    Ok(Twelve {
        net,
        e: [e, after],
        d,
        numeric,
        updated,
    })
}
// ANCHOR_END: all_gradients

fn all_gradients() -> Result<()> {
    cli::section("all_gradients");
    println!(
        "\nAll 12 gradients for the stated inputs: backprop, central differences (ε = 1e-6), one update (η = 0.5)"
    );
    let Twelve {
        net,
        e: [e, after],
        d,
        numeric,
        updated,
    } = all_twelve(Loss::SquaredError)?;
    println!("param   value      backprop dE/dθ   central diff.    after update");
    for (name, l, i, j) in PARAMETERS {
        let (value, grad, num, new) = (
            net.thetas()[l][[i, j]],
            d[l][[i, j]],
            numeric[l][[i, j]],
            updated.thetas()[l][[i, j]],
        );
        println!("{name:<5} {value:7.2}   {grad:14.10}   {num:14.10}   {new:12.10}");
    }
    println!("E_total before the update {e:.10}, after {after:.10}");
    Ok(())
}

/// The worked examples as their authors printed them, against the stated inputs (the errata
/// boxes at the end of the page), and Mazur's example.
fn errata() -> Result<()> {
    cli::section("errata_note");
    println!("\n== Errata: the note's printed numbers, reproduced, and from the stated inputs ==");
    let reproduced = note_as_printed();
    let stated = quantities(
        &NOTE_NET.by_hand(NOTE_INPUT, NOTE_TARGET),
        RATE,
        RATE,
        &NOTE_NET,
    );
    println!("quantity          note printed     reproduced        stated inputs");
    for ((name, printed), ((_, copy), (_, right))) in
        NOTE_PRINTED.iter().zip(reproduced.iter().zip(&stated))
    {
        let mark = |v: f64| if agrees(v, printed) { ' ' } else { '*' };
        println!(
            "{name:<16} {printed:>14}   {copy:>14.10}{}   {right:>14.10}{}",
            mark(*copy),
            mark(*right)
        );
    }
    println!("(* = differs from the printed value beyond its last digit)");
    mazur()
}

const MAZUR_PUBLISHED: [(&str, &str); 6] = [
    ("out_h1", "0.593269992"),
    ("out_o1", "0.75136507"),
    ("E_total", "0.298371109"),
    ("dE/dw5", "0.082167041"),
    ("w5+", "0.35891648"),
    ("w1+", "0.149780716"),
];

fn mazur() -> Result<()> {
    cli::section("errata_mazur");
    println!(
        "\n== Mazur (2015): inputs 0.05, 0.10; w1..w8 = 0.15 .. 0.55; biases 0.35, 0.60 (not updated) =="
    );
    let h = MAZUR_NET.by_hand(MAZUR_INPUT, NOTE_TARGET);
    let computed = quantities(&h, RATE, RATE, &MAZUR_NET);
    println!("quantity          published        computed");
    for (name, printed) in MAZUR_PUBLISHED {
        let value = computed
            .iter()
            .find(|(n, _)| *n == name)
            .expect("a known quantity")
            .1;
        println!(
            "{name:<16} {printed:>12}   {value:>14.10}{}",
            if agrees(value, printed) { ' ' } else { '*' }
        );
    }
    let (simultaneous, sequential) = mazur_after_one_update()?;
    println!("error after one update, published 0.291027924:");
    println!("  (a) all weights from the original gradients: {simultaneous:.10}");
    println!("  (b) hidden deltas through the updated w5..w8: {sequential:.10}");
    Ok(())
}
