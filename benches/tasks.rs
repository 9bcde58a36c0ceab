//! The Rust side of `cargo xtask bench`: the same four tasks as `bench/baseline.py` (numpy), on the
//! same data, which `prepare` writes so both sides read identical numbers.
//!
//! `cargo bench --bench tasks -- prepare DIR` writes the data; `cargo bench --bench tasks -- run
//! TASK DIR` runs one task and prints one JSON line: task, seconds, unit, check values, peak memory
//! (and, for `cost_grad`, the fastest single evaluation).
//!
//! Two more print what the table is measured against: `limit` the machine's multiply-add rate
//! and memory bandwidth (`tasks/limit.rs`), `products DIR` our kernels beside the `gemm` crate
//! on cost_grad's two plain products (`tasks/products.rs`).

#[path = "tasks/limit.rs"]
mod limit;
#[path = "tasks/products.rs"]
mod products;

use std::fs;
use std::path::Path;
use std::time::Instant;

use backprop_book::activation::Activation;
use backprop_book::cost::{Loss, one_hot};
use backprop_book::data::{DigitsShaped, moons, rng};
use backprop_book::network::Network;
use backprop_book::optimize::{Optimiser, Trained, Training};
use backprop_book::train::Descent;
use backprop_book::{fast, init};
use ndarray::{Array1, Array2, ArrayView2, s};
use rayon::prelude::*;

const DIGITS: DigitsShaped = DigitsShaped::BENCH;
const M: usize = DIGITS.examples;
const N: usize = DIGITS.pixels;
const HIDDEN: usize = DIGITS.hidden;
const LABELS: usize = DIGITS.labels;
const LAMBDA: f64 = 1.0;
const EPSILON: f64 = 1e-4;
const CG_ITERATIONS: usize = 400;
/// Where the course's reference gives a first row (issue 20: 50 iterations, 93 evaluations).
const CG_EARLY: usize = 50;
const MOONS_POINTS: usize = 60;
const MOONS_HIDDEN: [usize; 6] = [1, 2, 4, 10, 20, 50];
const MOONS_ITERATIONS: usize = 30_000;
const MOONS_RATE: f64 = 0.1;
/// Timed cost + gradient evaluations: at least this many, lasting at least this long in all.
const MIN_TIMED: usize = 20;
const MIN_SECONDS: f64 = 2.0;

type Result<T = ()> = std::result::Result<T, String>;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["prepare", dir] => prepare(Path::new(dir)),
        ["run", task, dir] => run(task, Path::new(dir)),
        ["limit"] => {
            println!("{}", limit::report());
            Ok(())
        }
        ["products", dir] => products_of(Path::new(dir)),
        _ => Err(
            "usage: tasks prepare DIR | tasks run cost_grad|gradcheck|optimise|moons DIR | \
             tasks limit | tasks products DIR"
                .into(),
        ),
    };
    if let Err(e) = result {
        eprintln!("tasks: {e}");
        std::process::exit(1);
    }
}

fn write_f64(dir: &Path, name: &str, values: impl IntoIterator<Item = f64>) -> Result {
    let bytes: Vec<u8> = values.into_iter().flat_map(f64::to_le_bytes).collect();
    fs::write(dir.join(name), bytes).map_err(|e| format!("writing {name}: {e}"))
}

fn read_f64(dir: &Path, name: &str, len: usize) -> Result<Vec<f64>> {
    let bytes =
        fs::read(dir.join(name)).map_err(|e| format!("reading {name}: {e} (run prepare first)"))?;
    if bytes.len() != 8 * len {
        return Err(format!(
            "{name}: {} bytes, expected {} ({len} f64)",
            bytes.len(),
            8 * len
        ));
    }
    Ok(bytes
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")))
        .collect())
}

fn matrix(dir: &Path, name: &str, rows: usize, cols: usize) -> Result<Array2<f64>> {
    Array2::from_shape_vec((rows, cols), read_f64(dir, name, rows * cols)?)
        .map_err(|e| e.to_string())
}

/// Seeded data of the exercise's shapes ([`DigitsShaped::generate`]: pixels uniform in [0, 1),
/// random classes, the course's uniform start); two moons (noise 1.0, as the note) and the
/// note's N(0, 1)/√fan_in weights with zero biases for each hidden size.
fn prepare(dir: &Path) -> Result {
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let (x, classes, net) = DIGITS.generate().map_err(|e| e.to_string())?;
    write_f64(dir, "digits_x.f64", x.iter().copied())?;
    write_f64(dir, "digits_y.f64", classes.iter().map(|&c| c as f64))?;
    // The notes' order: Θ1 row by row, then Θ2 row by row.
    write_f64(
        dir,
        "theta.f64",
        net.thetas()
            .iter()
            .flat_map(|t| t.iter().copied().collect::<Vec<_>>()),
    )?;
    let (mx, my) = moons(MOONS_POINTS, 1.0, 1);
    write_f64(dir, "moons_x.f64", mx.iter().copied())?;
    write_f64(dir, "moons_y.f64", my.iter().map(|&c| c as f64))?;
    for h in MOONS_HIDDEN {
        let net = init::scaled_normal_network(&[2, h, 2], Activation::Tanh, &mut rng(h as u64))
            .map_err(|e| e.to_string())?;
        let (t1, t2) = (&net.thetas()[0], &net.thetas()[1]);
        write_f64(
            dir,
            &format!("moons_h{h}_w1.f64"),
            t1.slice(s![.., 1..]).iter().copied(),
        )?;
        write_f64(
            dir,
            &format!("moons_h{h}_b1.f64"),
            t1.column(0).iter().copied(),
        )?;
        write_f64(
            dir,
            &format!("moons_h{h}_w2.f64"),
            t2.slice(s![.., 1..]).iter().copied(),
        )?;
        write_f64(
            dir,
            &format!("moons_h{h}_b2.f64"),
            t2.column(0).iter().copied(),
        )?;
    }
    let meta = format!(
        "{{\"m\":{M},\"n\":{N},\"hidden\":{HIDDEN},\"labels\":{LABELS},\"lambda\":{LAMBDA:?},\
         \"epsilon\":{EPSILON:?},\"cg_iterations\":{CG_ITERATIONS},\"moons_points\":{MOONS_POINTS},\
         \"moons_hidden\":{MOONS_HIDDEN:?},\"moons_iterations\":{MOONS_ITERATIONS},\"moons_rate\":{MOONS_RATE:?}}}\n"
    );
    fs::write(dir.join("meta.json"), meta).map_err(|e| e.to_string())
}

/// The digits problem: X, one-hot Y and the starting network.
fn digits(dir: &Path) -> Result<(Array2<f64>, Array2<f64>, Network)> {
    // numpy's allocator asks for 2 MB pages for an array this large; `prepared` does too.
    let x = fast::prepared(matrix(dir, "digits_x.f64", M, N)?.view());
    let classes: Vec<usize> = read_f64(dir, "digits_y.f64", M)?
        .into_iter()
        .map(|c| c as usize)
        .collect();
    let y = one_hot(&classes, LABELS).map_err(|e| e.to_string())?;
    let theta = read_f64(dir, "theta.f64", HIDDEN * (N + 1) + LABELS * (HIDDEN + 1))?;
    let (t1, t2) = theta.split_at(HIDDEN * (N + 1));
    let t1 = Array2::from_shape_vec((HIDDEN, N + 1), t1.to_vec()).map_err(|e| e.to_string())?;
    let t2 =
        Array2::from_shape_vec((LABELS, HIDDEN + 1), t2.to_vec()).map_err(|e| e.to_string())?;
    let net = Network::new(vec![t1, t2], Activation::Sigmoid).map_err(|e| e.to_string())?;
    Ok((x, y, net))
}

/// cost_grad's two plain products on the bench's X and Θ⁽¹⁾ (its bias column left out).
fn products_of(dir: &Path) -> Result {
    let (x, _, net) = digits(dir)?;
    let x = x.as_slice().ok_or("X is not contiguous")?;
    let t1 = net.thetas()[0].as_slice().ok_or("Θ1 is not contiguous")?;
    println!("{}", products::report(x, M, N, &t1[1..], N + 1, HIDDEN));
    Ok(())
}

/// One optimiser's run from the bench's start on the fast cost and gradient.
fn train(optimiser: Optimiser, x: &Array2<f64>, y: &Array2<f64>, net: &Network) -> Result<Trained> {
    let training = Training {
        gradient: fast::cost_and_gradient,
        ..Training::new(optimiser, LAMBDA, CG_ITERATIONS)
    };
    training
        .run(net, x, y, |_, _| {})
        .map_err(|e| e.to_string())
}

fn norm(v: &Array1<f64>) -> f64 {
    v.dot(v).sqrt()
}

/// Peak resident memory of this process, from the kernel's high-water mark.
fn peak_mib() -> f64 {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn run(task: &str, dir: &Path) -> Result {
    let e = |e: backprop_book::Error| e.to_string();
    // The fastest single evaluation, for the task timed over many.
    let mut fastest = None;
    let (seconds, unit, check): (f64, &str, Vec<f64>) = match task {
        "cost_grad" => {
            let (x, y, net) = digits(dir)?;
            // Two warm-up evaluations, then at least MIN_TIMED and at least MIN_SECONDS of
            // timed ones (the same rule as bench/baseline.py): the median of many short runs
            // is steadier on a shared machine than that of a few.
            let mut times = Vec::new();
            let mut last = None;
            let mut i = 0;
            while times.len() < MIN_TIMED || times.iter().sum::<f64>() < MIN_SECONDS {
                let start = Instant::now();
                let (j, d) =
                    fast::cost_and_gradient(&net, x.view(), y.view(), LAMBDA).map_err(e)?;
                if i >= 2 {
                    times.push(start.elapsed().as_secs_f64());
                }
                i += 1;
                last = Some((j, norm(&backprop_book::unroll::unroll(&d))));
            }
            times.sort_by(f64::total_cmp);
            let (j, g) = last.expect("at least one evaluation");
            fastest = Some(times[0]);
            (times[times.len() / 2], "evaluation", vec![j, g])
        }
        "gradcheck" => {
            let (x, y, net) = digits(dir)?;
            let start = Instant::now();
            let check =
                fast::check_network(&net, x.view(), y.view(), LAMBDA, EPSILON).map_err(e)?;
            let seconds = start.elapsed().as_secs_f64();
            (seconds, "run", vec![check.relative_difference()])
        }
        "optimise" => {
            // Timed: the course's optimiser. Then argmin's two, for their final J and
            // evaluations beside it (their times go to stderr).
            let (x, y, net) = digits(dir)?;
            let start = Instant::now();
            let course = train(Optimiser::Fmincg, &x, &y, &net)?;
            let seconds = start.elapsed().as_secs_f64();
            let early = CG_EARLY.min(course.costs.len() - 1);
            let mut check = vec![
                course.costs[course.costs.len() - 1],
                (course.costs.len() - 1) as f64,
                course.total_evaluations() as f64,
                course.costs[early],
                course.evaluations[early] as f64,
            ];
            for optimiser in [Optimiser::ConjugateGradient, Optimiser::Lbfgs] {
                let start = Instant::now();
                let other = train(optimiser, &x, &y, &net)?;
                eprintln!(
                    "    {}: {:.1} s",
                    optimiser.name(),
                    start.elapsed().as_secs_f64()
                );
                check.push(other.costs[other.costs.len() - 1]);
                check.push(other.total_evaluations() as f64);
            }
            (seconds, "run", check)
        }
        "moons" => {
            let x = matrix(dir, "moons_x.f64", MOONS_POINTS, 2)?;
            let classes: Vec<usize> = read_f64(dir, "moons_y.f64", MOONS_POINTS)?
                .into_iter()
                .map(|c| c as usize)
                .collect();
            let y = one_hot(&classes, 2).map_err(e)?;
            let mut nets = Vec::new();
            for h in MOONS_HIDDEN {
                let w1 = matrix(dir, &format!("moons_h{h}_w1.f64"), h, 2)?;
                let b1 = matrix(dir, &format!("moons_h{h}_b1.f64"), h, 1)?;
                let w2 = matrix(dir, &format!("moons_h{h}_w2.f64"), 2, h)?;
                let b2 = matrix(dir, &format!("moons_h{h}_b2.f64"), 2, 1)?;
                let t1 = ndarray::concatenate![ndarray::Axis(1), b1, w1];
                let t2 = ndarray::concatenate![ndarray::Axis(1), b2, w2];
                nets.push(Network::new(vec![t1, t2], Activation::Tanh).map_err(e)?);
            }
            let descent = Descent {
                record_every: 1000,
                ..Descent::new(Loss::CrossEntropy, MOONS_RATE, MOONS_ITERATIONS)
            };
            let start = Instant::now();
            let costs = train_each_in_parallel(&descent, nets, x.view(), y.view()).map_err(e)?;
            let seconds = start.elapsed().as_secs_f64();
            (seconds, "run", costs)
        }
        other => {
            return Err(format!(
                "unknown task {other:?}: expected cost_grad, gradcheck, optimise or moons"
            ));
        }
    };
    let check: Vec<String> = check.iter().map(|v| format!("{v:e}")).collect();
    let fastest = fastest.map_or(String::new(), |f| format!(", \"fastest\": {f:e}"));
    println!(
        "{{\"task\": \"{task}\", \"seconds\": {seconds:e}, \"unit\": \"{unit}\", \"check\": [{}], \"peak_mib\": {:.1}{fastest}}}",
        check.join(", "),
        peak_mib()
    );
    Ok(())
}

/// Trains each network with `fast::descent::run`, spread over the CPU's cores, and returns each
/// one's final cost (the moons experiment: one network per hidden-layer size).
fn train_each_in_parallel(
    descent: &Descent,
    nets: Vec<Network>,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
) -> backprop_book::Result<Vec<f64>> {
    // Largest networks first, so the last one to finish is a small one; results stay in the
    // networks' order.
    let mut order: Vec<usize> = (0..nets.len()).collect();
    order.sort_by_key(|&i| {
        std::cmp::Reverse(nets[i].thetas().iter().map(|t| t.len()).sum::<usize>())
    });
    let mut costs: Vec<(usize, backprop_book::Result<f64>)> = order
        .into_par_iter()
        .with_max_len(1)
        .map(|i| {
            let cost = fast::descent::run(descent, nets[i].clone(), x, y)
                .map(|(_, costs)| costs[costs.len() - 1]);
            (i, cost)
        })
        .collect();
    costs.sort_by_key(|(i, _)| *i);
    costs.into_iter().map(|(_, cost)| cost).collect()
}
