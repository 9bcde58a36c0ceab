//! Chapter 8: two moons, and what the hidden layer's size buys.
//! `cargo run --release --example ch8_moons [-- --out DIR]`

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use backprop_book::activation::Activation;
use backprop_book::cli::{self, OutDir};
use backprop_book::cost::{Loss, one_hot};
use backprop_book::data::{moons, rng};
use backprop_book::fast;
use backprop_book::init;
use backprop_book::network::Network;
use backprop_book::plot::diagram::NetworkDiagram;
use backprop_book::plot::{self, BLUE, DrawResult, PALETTE, RED};
use backprop_book::train::Descent;
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use ndarray::{Array2, ArrayView2};
use plotters::prelude::*;

mod answers;

/// Chapter 8: a [2, h, 2] network on two moons for h = 1 … 50, and a deeper one. With --hidden,
/// trains one network of your own instead and prints how it did.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    out: OutDir,
    /// Train one network of your own: its hidden layer sizes, e.g. 10 or 10,10
    #[arg(long, value_name = "SIZES", value_delimiter = ',', value_parser = cli::positive_usize)]
    hidden: Option<Vec<usize>>,
    /// Hidden-layer activation: sigmoid, tanh, relu or leaky-relu
    #[arg(long, default_value = "tanh")]
    activation: Activation,
    /// Learning rate α (> 0)
    #[arg(long, default_value_t = RATE, value_parser = cli::positive_f64, allow_negative_numbers = true)]
    rate: f64,
    /// Iterations of gradient descent (≥ 1)
    #[arg(long, default_value_t = ITERATIONS, value_parser = cli::positive_usize)]
    iterations: usize,
    /// Regularisation λ (≥ 0)
    #[arg(long, default_value_t = 0.0, value_parser = cli::non_negative_f64, allow_negative_numbers = true)]
    lambda: f64,
    /// Training points (≥ 1)
    #[arg(long, default_value_t = 60, value_parser = cli::positive_usize)]
    points: usize,
    /// Noise of the moons (> 0)
    #[arg(long, default_value_t = 1.0, value_parser = cli::positive_f64, allow_negative_numbers = true)]
    noise: f64,
}

fn main() -> ExitCode {
    cli::run(|| {
        let args = Args::parse();
        if let Some(hidden) = &args.hidden {
            return print_custom(&args, &train_custom(&args, hidden)?);
        }
        let out = args.out.resolve("ch8_moons")?;
        let data = data_sets();
        cli::section("experiment");
        let (widths, deep) = experiment(&data)?;
        widths_table(&data, &widths)?;
        cli::section("deeper");
        deeper_table(&data[1], &deep)?;
        figures(&out, &data, &widths, &deep)?;
        cli::section("interpolate");
        interpolation_table()?;
        cli::section("depth");
        depth_table()?;
        answers::all(&data, &widths, &deep)
    })
}

// ANCHOR: settings
/// One data set: training points and 1000 held-out points from the same generator.
struct Setting {
    name: &'static str,
    points: usize,
    noise: f64,
    seed: u64,
}

/// The note's own setting (60 points, noise 1.0) and a clearer one.
const SETTINGS: [Setting; 2] = [
    Setting {
        name: "the note's setting: 60 points, noise 1.0",
        points: 60,
        noise: 1.0,
        seed: 1,
    },
    Setting {
        name: "a clearer setting: 60 points, noise 0.1",
        points: 60,
        noise: 0.1,
        seed: 2,
    },
];
const HIDDEN: [usize; 6] = [1, 2, 4, 10, 20, 50];
const RATE: f64 = 0.1;
const ITERATIONS: usize = 30_000;
const HELD_OUT: usize = 1000;
/// The cost is recorded every this many iterations (for the curves; the table prints the last).
const RECORD_EVERY: usize = 100;
// ANCHOR_END: settings

/// Points, one per row, and the class of each.
type Points = (Array2<f64>, Vec<usize>);

/// One setting's points: those to train on, and the held-out ones to judge on.
struct Data {
    train: Points,
    held_out: Points,
}

/// Both settings' points, each drawn with its own seeds.
fn data_sets() -> Vec<Data> {
    SETTINGS
        .iter()
        .map(|s| Data {
            train: moons(s.points, s.noise, s.seed),
            held_out: moons(HELD_OUT, s.noise, s.seed + 100),
        })
        .collect()
}

// ANCHOR: train
/// Trains `sizes` with `hidden` activations on (x, classes): full-batch gradient descent on the
/// cross-entropy, the note's initialisation, one seed per run.
fn train(
    sizes: &[usize],
    hidden: Activation,
    x: ArrayView2<f64>,
    classes: &[usize],
    seed: u64,
    progress: &ProgressBar,
) -> backprop_book::Result<(Network, Vec<f64>)> {
    let net = init::scaled_normal_network(sizes, hidden, &mut rng(seed))?;
    let y = one_hot(classes, 2)?;
    let descent = Descent {
        record_every: RECORD_EVERY,
        ..Descent::new(Loss::CrossEntropy, RATE, ITERATIONS)
    };
    descent.run_with(net, x, y.view(), |_, _| progress.inc(RECORD_EVERY as u64))
}
// ANCHOR_END: train

/// A network trained by gradient descent, and its recorded costs.
type Fitted = (Network, Vec<f64>);

/// One training run of the chapter: which data, which network, which seed.
struct Job {
    data: usize,
    sizes: Vec<usize>,
    hidden: Activation,
    seed: u64,
}

// ANCHOR: experiment
/// For each setting, a [2, h, 2] tanh network for every h, each with its own seed.
fn width_jobs() -> Vec<Job> {
    let mut jobs = Vec::new();
    for s in 0..SETTINGS.len() {
        for (k, &h) in HIDDEN.iter().enumerate() {
            let (sizes, seed) = (vec![2, h, 2], 10 * s as u64 + k as u64);
            let hidden = Activation::Tanh;
            jobs.push(Job {
                data: s,
                sizes,
                hidden,
                seed,
            });
        }
    }
    jobs
}

/// A trained run judged: its final cost, and the share of points it gets right on the training
/// and on the held-out set.
fn judge(run: &Run, data: &Data) -> backprop_book::Result<[f64; 3]> {
    let ((x, classes), (x_test, classes_test)) = (&data.train, &data.held_out);
    let final_cost = run.costs[run.costs.len() - 1];
    let train = run.net.accuracy(x.view(), classes)?;
    Ok([
        final_cost,
        train,
        run.net.accuracy(x_test.view(), classes_test)?,
    ])
}
// ANCHOR_END: experiment

// ANCHOR: deeper
/// Two hidden layers of ten units, with tanh and with ReLU, on the clear setting (data 1).
fn deeper_jobs() -> Vec<Job> {
    [Activation::Tanh, Activation::Relu]
        .into_iter()
        .map(|hidden| Job {
            data: 1,
            sizes: vec![2, 10, 10, 2],
            hidden,
            seed: 99,
        })
        .collect()
}
// ANCHOR_END: deeper

/// A trained network, its recorded costs, and the title its panel and legend show.
struct Run {
    title: String,
    hidden: Activation,
    net: Network,
    costs: Vec<f64>,
}

/// Trains every job, and splits the runs into the width runs (one list per setting) and the
/// deeper ones. Progress and the time taken go to stderr.
fn experiment(data: &[Data]) -> backprop_book::Result<(Vec<Vec<Run>>, Vec<Run>)> {
    println!(
        "Every network: gradient descent, learning rate {RATE}, {ITERATIONS} iterations, tanh unless said.\n"
    );
    let start = Instant::now();
    let jobs: Vec<Job> = width_jobs().into_iter().chain(deeper_jobs()).collect();
    let trained = train_jobs(&jobs, data)?;
    eprintln!(
        "trained {} networks in {:.2} s",
        jobs.len(),
        start.elapsed().as_secs_f64()
    );
    let mut runs = jobs.iter().zip(trained).map(|(job, (net, costs))| {
        let title = match job.sizes[..] {
            [_, 1, _] => "1 hidden unit".to_string(),
            [_, h, _] => format!("{h} hidden units"),
            _ => format!("[2, 10, 10, 2], {}", job.hidden),
        };
        let hidden = job.hidden;
        Run {
            title,
            hidden,
            net,
            costs,
        }
    });
    let widths = SETTINGS
        .iter()
        .map(|_| runs.by_ref().take(HIDDEN.len()).collect())
        .collect();
    Ok((widths, runs.collect()))
}

/// Runs the jobs on every core (each is seeded on its own, so the order does not matter) and
/// returns their results in job order. Progress goes to stderr.
fn train_jobs(jobs: &[Job], data: &[Data]) -> backprop_book::Result<Vec<Fitted>> {
    let progress = ProgressBar::new((jobs.len() * ITERATIONS) as u64).with_style(
        ProgressStyle::with_template("training {pos}/{len} iterations [{bar:40}] {elapsed}")
            .expect("a valid template"),
    );
    // Longest jobs first, so neither core is left with a long one at the end.
    let work = |j: &Job| data[j.data].train.0.nrows() * j.sizes.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(work(&jobs[i])));
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len());
    let train_next = || {
        let mut done = Vec::new();
        while let Some(&index) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            let job = &jobs[index];
            let (x, classes) = &data[job.data].train;
            let seed = job.seed;
            let trained = train(&job.sizes, job.hidden, x.view(), classes, seed, &progress);
            done.push((index, trained));
        }
        done
    };
    let mut results: Vec<(usize, backprop_book::Result<Fitted>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads).map(|_| scope.spawn(train_next)).collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a training thread panicked"))
            .collect()
    });
    progress.finish_and_clear();
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, r)| r).collect()
}

/// The width tables: per setting, each h's final cost and accuracies.
fn widths_table(data: &[Data], widths: &[Vec<Run>]) -> backprop_book::Result<()> {
    for ((setting, data), runs) in SETTINGS.iter().zip(data).zip(widths) {
        println!("{} ({HELD_OUT} held-out points)", setting.name);
        println!("  hidden units   final cost   training accuracy   held-out accuracy");
        for (h, run) in HIDDEN.iter().zip(runs) {
            let [cost, train, test] = judge(run, data)?;
            println!(
                "  {h:>12}   {cost:>10.6}   {:>16.1}%   {:>16.1}%",
                100.0 * train,
                100.0 * test
            );
        }
    }
    Ok(())
}

/// The deeper network's table: tanh against ReLU on the clear setting.
fn deeper_table(data: &Data, deep: &[Run]) -> backprop_book::Result<()> {
    println!("\nA deeper network, [2, 10, 10, 2], on the clearer setting:");
    println!("  activation   final cost   training accuracy   held-out accuracy");
    for run in deep {
        let [cost, train, test] = judge(run, data)?;
        println!(
            "  {:>10}   {cost:>10.6}   {:>16.1}%   {:>16.1}%",
            run.hidden.name(),
            100.0 * train,
            100.0 * test
        );
    }
    Ok(())
}

/// The region maps of every run, the cost curves, and two trained networks drawn.
fn figures(
    out: &Path,
    data: &[Data],
    widths: &[Vec<Run>],
    deep: &[Run],
) -> backprop_book::Result<()> {
    // The region maps evaluate each network on a fine grid: draw them on both cores.
    std::thread::scope(|scope| -> backprop_book::Result<()> {
        let drawings = [("moons_note.png", 0), ("moons_clear.png", 1)].map(|(name, s)| {
            scope.spawn(move || {
                plot::save_png(out, name, (1050, 700), |root| {
                    let (x, classes) = &data[s].train;
                    draw_region_panels(root, x.view(), classes, &widths[s], (2, 3))
                })
            })
        });
        plot::save_png(out, "moons_deep.png", (700, 350), |root| {
            let (x, classes) = &data[1].train;
            draw_region_panels(root, x.view(), classes, deep, (1, 2))
        })?;
        for drawing in drawings {
            drawing.join().expect("a drawing thread panicked")?;
        }
        Ok(())
    })?;
    let panels = [
        ("60 points, noise 1.0", &widths[0][..]),
        ("60 points, noise 0.1", &widths[1][..]),
        ("[2, 10, 10, 2], 60 points, noise 0.1", deep),
    ];
    plot::save_svg(out, "moons_costs.svg", (1050, 360), |root| {
        draw_costs(root, &panels)
    })?;
    networks(out, &widths[1][2].net, &deep[0].net)
}

// ANCHOR: custom
/// One network of the reader's choosing, trained on fresh moons by the library's fast twin of
/// `Descent::run` (the same steps; ReLU goes to the readable one).
fn train_custom(args: &Args, hidden: &[usize]) -> backprop_book::Result<Custom> {
    let (x, classes) = moons(args.points, args.noise, 1);
    let (x_test, classes_test) = moons(HELD_OUT, args.noise, 101);
    let sizes = [&[2], hidden, &[2]].concat();
    let net = init::scaled_normal_network(&sizes, args.activation, &mut rng(0))?;
    let descent = Descent {
        lambda: args.lambda,
        ..Descent::new(Loss::CrossEntropy, args.rate, args.iterations)
    };
    let y = one_hot(&classes, 2)?;
    let (net, costs) = fast::descent::run(&descent, net, x.view(), y.view())?;
    let final_cost = costs[costs.len() - 1];
    let train_accuracy = net.accuracy(x.view(), &classes)?;
    let test_accuracy = net.accuracy(x_test.view(), &classes_test)?;
    Ok(Custom {
        sizes,
        final_cost,
        train_accuracy,
        test_accuracy,
    })
}
// ANCHOR_END: custom

/// What a network of the reader's choosing reached.
struct Custom {
    sizes: Vec<usize>,
    final_cost: f64,
    train_accuracy: f64,
    test_accuracy: f64,
}

/// The two lines `--hidden` prints: the settings, then the final cost and both accuracies.
fn print_custom(args: &Args, custom: &Custom) -> backprop_book::Result<()> {
    println!(
        "{:?} with {}, α = {}, λ = {}, {} iterations on {} points (noise {}):",
        custom.sizes,
        args.activation,
        args.rate,
        args.lambda,
        args.iterations,
        args.points,
        args.noise
    );
    println!(
        "  final cost {:.6}, training accuracy {:.1}%, held-out accuracy {:.1}%",
        custom.final_cost,
        100.0 * custom.train_accuracy,
        100.0 * custom.test_accuracy
    );
    Ok(())
}

/// Two trained networks drawn from their weights: a [2, 4, 2] of the clear setting, and the
/// deeper [2, 10, 10, 2] with tanh (schematic: six units of each hidden layer are drawn).
fn networks(out: &Path, small: &Network, deep: &Network) -> backprop_book::Result<()> {
    let small = NetworkDiagram::of(small, &["x1, x2", "4 tanh units", "2 outputs"], 6);
    let deep = NetworkDiagram::of(deep, &["x1, x2", "10 tanh", "10 tanh", "2 outputs"], 6);
    plot::save_svg(out, "moons_networks.svg", (1100, 400), |root| {
        let (left, right) = root.split_horizontally(400);
        small.draw(&left)?;
        deep.draw(&right)
    })?;
    Ok(())
}

// ANCHOR: interpolate
/// One hidden layer of h ReLU units that draws f through h + 1 evenly spaced knots on [0, 1]:
/// unit i switches on at knot i, and its output weight is the change of slope there.
fn one_layer(f: impl Fn(f64) -> f64, h: usize) -> backprop_book::Result<Network> {
    let knot = |i: usize| i as f64 / h as f64;
    let slope = |i: usize| (f(knot(i + 1)) - f(knot(i))) * h as f64;
    let theta1 = Array2::from_shape_fn((h, 2), |(i, j)| if j == 0 { -knot(i) } else { 1.0 });
    let mut theta2 = Array2::zeros((1, h + 1));
    theta2[[0, 0]] = f(0.0);
    for i in 0..h {
        theta2[[0, i + 1]] = slope(i) - if i == 0 { 0.0 } else { slope(i - 1) };
    }
    Network::new(vec![theta1, theta2], Activation::Relu)
}
// ANCHOR_END: interpolate

// ANCHOR: sawtooth
/// A ReLU network with `k` hidden layers of two units that computes the tent map
/// T(x) = 2x on [0, ½], 2 − 2x on [½, 1], applied k times: T = 2·relu(x) − 4·relu(x − ½), and
/// each layer feeds the next layer's two units with that combination of its own.
fn sawtooth(k: usize) -> backprop_book::Result<Network> {
    let mut thetas = vec![ndarray::array![[0.0, 1.0], [-0.5, 1.0]]];
    for _ in 1..k {
        thetas.push(ndarray::array![[0.0, 2.0, -4.0], [-0.5, 2.0, -4.0]]);
    }
    thetas.push(ndarray::array![[0.0, 2.0, -4.0]]); // the output's weighted sum z is T^k(x)
    Network::new(thetas, Activation::Relu)
}
// ANCHOR_END: sawtooth

/// The number of straight pieces of `f` on [0, 1], counted as the places where its slope changes
/// between neighbouring steps of a grid of 2^14 steps (the kinks of T^k lie on that grid).
fn pieces(f: &[f64]) -> usize {
    let slopes: Vec<f64> = f.windows(2).map(|w| w[1] - w[0]).collect();
    1 + slopes
        .windows(2)
        .filter(|s| (s[1] - s[0]).abs() > 1e-9)
        .count()
}

/// Enough units do it: the largest error on [0, 1] of `one_layer`'s interpolation of
/// f(x) = sin 2πx + x/2 for h = 2 … 64 units.
fn interpolation_table() -> backprop_book::Result<()> {
    let x = grid_on_unit_interval();
    let f = |x: f64| (2.0 * std::f64::consts::PI * x).sin() + 0.5 * x;
    println!("\nOne hidden layer of h ReLU units through h + 1 points of f(x) = sin 2πx + x/2:");
    println!("   h   largest error on [0, 1]");
    for h in [2, 4, 8, 16, 32, 64] {
        let pass = one_layer(f, h)?.forward(x.view())?;
        let z = pass.z.last().expect("an output layer");
        let error = x
            .column(0)
            .iter()
            .zip(z.column(0))
            .fold(0.0f64, |e, (&x, &z)| e.max((f(x) - z).abs()));
        println!("  {h:>2}   {error:.6}");
    }
    Ok(())
}

/// Why depth: the deep sawtooth has 2^k pieces from 2k units, while one hidden layer of h ReLU
/// units has at most h + 1 pieces, so it needs 2^k − 1 units for the same function.
fn depth_table() -> backprop_book::Result<()> {
    let x = grid_on_unit_interval();
    println!("\nDepth: T applied k times, by k hidden layers of 2 ReLU units each:");
    println!("  k   hidden units   straight pieces   one hidden layer needs at least");
    for k in 1..=6 {
        let pass = sawtooth(k)?.forward(x.view())?;
        let z = pass.z.last().expect("an output layer");
        let n = pieces(&z.column(0).to_vec());
        println!("  {k}   {:>12}   {n:>15}   {:>31}", 2 * k, n - 1);
    }
    Ok(())
}

/// The 2^14 + 1 points of a grid on [0, 1], one per row.
fn grid_on_unit_interval() -> Array2<f64> {
    let steps = 1 << 14;
    Array2::from_shape_fn((steps + 1, 1), |(i, _)| i as f64 / steps as f64)
}

/// P(blue) for each point: the second output's share of the two.
fn p_blue(net: &Network, points: ArrayView2<f64>) -> backprop_book::Result<Vec<f64>> {
    let h: Array2<f64> = net.predict_proba(points)?;
    Ok(h.rows().into_iter().map(|r| r[1] / (r[0] + r[1])).collect())
}

/// One panel per run: the regions on a 0.01 grid over the data's range plus a margin, then the points.
fn draw_region_panels(
    root: &DrawingArea<BitMapBackend<'_>, plotters::coord::Shift>,
    x: ArrayView2<f64>,
    classes: &[usize],
    runs: &[Run],
    layout: (usize, usize),
) -> DrawResult {
    let range = |c: usize| {
        let col = x.column(c);
        let (lo, hi) = col
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
        (lo - 0.5, hi + 0.5)
    };
    let (xr, yr) = (range(0), range(1));
    for (area, run) in root.split_evenly(layout).iter().zip(runs) {
        let mut chart = ChartBuilder::on(area)
            .caption(&run.title, ("sans-serif", 16))
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(30)
            .build_cartesian_2d(xr.0..xr.1, yr.0..yr.1)?;
        plot::draw_grid(&chart, 0.01, |points| p_blue(&run.net, points))?;
        chart.configure_mesh().disable_mesh().draw()?;
        let dots = x.rows().into_iter().zip(classes).map(|(p, &c)| {
            EmptyElement::at((p[0], p[1]))
                + Circle::new((0, 0), 3, if c == 1 { BLUE.filled() } else { RED.filled() })
                + Circle::new((0, 0), 3, BLACK.stroke_width(1))
        });
        chart.draw_series(dots)?;
    }
    Ok(())
}

/// Cost per iteration (every 100th) for each run, one panel per experiment.
fn draw_costs(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    panels: &[(&str, &[Run]); 3],
) -> DrawResult {
    for (area, (title, runs)) in root.split_evenly((1, 3)).iter().zip(panels) {
        let mut chart = ChartBuilder::on(area)
            .caption(*title, ("sans-serif", 16))
            .margin(10)
            .margin_right(24)
            .x_label_area_size(30)
            .y_label_area_size(44)
            .build_cartesian_2d(0..ITERATIONS, (1e-5..2.0).log_scale())?;
        chart
            .configure_mesh()
            .x_desc("iteration")
            .y_desc("J (log scale)")
            .x_labels(4)
            .draw()?;
        for (run, colour) in runs.iter().zip(PALETTE) {
            let curve = run
                .costs
                .iter()
                .enumerate()
                .map(|(k, &j)| (k * RECORD_EVERY, j.clamp(1e-5, 2.0)));
            chart
                .draw_series(LineSeries::new(curve, colour.stroke_width(2)))?
                .label(run.title.clone())
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 14, y)], colour.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .border_style(BLACK)
            .background_style(WHITE.mix(0.8))
            .position(SeriesLabelPosition::LowerLeft)
            .label_font(("sans-serif", 11))
            .draw()?;
    }
    Ok(())
}
