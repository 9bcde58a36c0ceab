//! The runs that answer chapter 8's exercises. Each exercise's command line is parsed by the
//! chapter's own `Args` and trained by its own `train_custom`, so that a reader who types the
//! command sees the numbers printed here.

use backprop_book::activation::Activation;
use backprop_book::cli;
use backprop_book::cost::{Loss, one_hot};
use backprop_book::data::rng;
use backprop_book::fast;
use backprop_book::init;
use backprop_book::train::Descent;
use clap::Parser;

use super::{
    Args, Custom, Data, HIDDEN, ITERATIONS, RATE, RECORD_EVERY, Run, print_custom, train_custom,
};

/// Every answer that is a run, in the order of the exercises.
pub fn all(data: &[Data], widths: &[Vec<Run>], deep: &[Run]) -> backprop_book::Result<()> {
    cli::section("answer-1");
    let early = command(&["--hidden", "50", "--iterations", "3000"])?;
    command(&["--hidden", "50", "--iterations", "3000", "--points", "600"])?;
    cli::section("answer-2");
    print_again(&["--hidden", "50", "--iterations", "3000"], &early)?;
    command(&["--hidden", "50"])?;
    cli::section("answer-3");
    sigmoid_against_tanh(&data[1], &widths[1], &deep[0])?;
    cli::section("answer-4");
    command(&["--hidden", "10"])?;
    command(&["--hidden", "10", "--rate", "5"])?;
    command(&["--hidden", "10", "--rate", "1e300"])?;
    Ok(())
}

/// Runs the chapter's program with `flags` as its command line and prints what it prints; an
/// error is printed as the program reports it, and then the run is `None`.
fn command(flags: &[&str]) -> backprop_book::Result<Option<Custom>> {
    let args = parse(flags)?;
    println!("\n$ ch8_moons {}", flags.join(" "));
    let hidden = args.hidden.clone().unwrap_or_default();
    match train_custom(&args, &hidden) {
        Ok(custom) => {
            print_custom(&args, &custom)?;
            Ok(Some(custom))
        }
        Err(e) => {
            println!("error: {e}");
            Ok(None)
        }
    }
}

/// Prints an earlier run of `flags` again, beside the run it is compared with.
fn print_again(flags: &[&str], custom: &Option<Custom>) -> backprop_book::Result<()> {
    println!("\n$ ch8_moons {}", flags.join(" "));
    match custom {
        Some(custom) => print_custom(&parse(flags)?, custom),
        None => Ok(()),
    }
}

/// The chapter's flags parsed as its command line would be.
fn parse(flags: &[&str]) -> backprop_book::Result<Args> {
    Args::try_parse_from(std::iter::once("ch8_moons").chain(flags.iter().copied()))
        .map_err(|e| backprop_book::Error::invalid("an answer's flags", "valid flags", e))
}

/// The widths whose runs are repeated with sigmoid (all six would take longer than the others).
const SOME: [usize; 3] = [1, 4, 10];

// ANCHOR: sigmoid
/// Some of the clear setting's networks again, each with its seed, sigmoid in place of tanh.
fn sigmoid_runs(data: &Data) -> backprop_book::Result<Vec<Vec<f64>>> {
    let (x, classes) = &data.train;
    let y = one_hot(classes, 2)?;
    let descent = Descent {
        record_every: RECORD_EVERY,
        ..Descent::new(Loss::CrossEntropy, RATE, ITERATIONS)
    };
    let seed = |h| 10 + HIDDEN.iter().position(|&k| k == h).expect("h is in HIDDEN") as u64;
    let mut jobs: Vec<(Vec<usize>, u64)> = SOME.iter().map(|&h| (vec![2, h, 2], seed(h))).collect();
    jobs.push((vec![2, 10, 10, 2], 99));
    jobs.iter()
        .map(|(sizes, seed)| {
            let net = init::scaled_normal_network(sizes, Activation::Sigmoid, &mut rng(*seed))?;
            Ok(fast::descent::run(&descent, net, x.view(), y.view())?.1)
        })
        .collect()
}

/// The first recorded iteration at which J fell below `level`, if it did.
fn iterations_to(costs: &[f64], level: f64) -> Option<usize> {
    costs
        .iter()
        .position(|&j| j < level)
        .map(|k| k * RECORD_EVERY)
}
// ANCHOR_END: sigmoid

/// Tanh (the chapter's runs) against sigmoid: how long each takes to bring J below 0.05, and
/// where each ends.
fn sigmoid_against_tanh(data: &Data, tanh: &[Run], deep: &Run) -> backprop_book::Result<()> {
    let sigmoid = sigmoid_runs(data)?;
    let level = 0.05;
    println!("\nThe clear setting, the same seeds, tanh against sigmoid hidden units:");
    println!("  network          iterations to J < {level}       final cost");
    println!("                       tanh     sigmoid       tanh     sigmoid");
    let names = SOME
        .iter()
        .map(|h| format!("[2, {h}, 2]"))
        .chain(["[2, 10, 10, 2]".to_string()]);
    let width = |h: &usize| &tanh[HIDDEN.iter().position(|k| k == h).expect("h is in HIDDEN")];
    let tanh_runs = SOME.iter().map(width).chain([deep]);
    for ((name, tanh), sigmoid) in names.zip(tanh_runs).zip(&sigmoid) {
        let reached = |costs: &[f64]| match iterations_to(costs, level) {
            Some(i) => format!("{i:>10}"),
            None => format!("{:>10}", "never"),
        };
        println!(
            "  {name:<14} {}  {}   {:.6}   {:.6}",
            reached(&tanh.costs),
            reached(sigmoid),
            tanh.costs[tanh.costs.len() - 1],
            sigmoid[sigmoid.len() - 1]
        );
    }
    Ok(())
}
