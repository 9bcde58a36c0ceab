//! `cargo xtask bench`: times our Rust (`benches/tasks.rs`) against two peers on the same data,
//! on this machine: the source notes' numpy (`bench/baseline.py`) and JAX (`bench/jax_peer.py`),
//! each at its own kernels, one process per task and side (so peak memory is per task). It
//! checks that all computed the same thing, measures the machine's limit (FMA rate, memory
//! bandwidth) and cost_grad's products beside the `gemm` crate, prints one table with each
//! target's verdict and writes it, with a description of the machine, into
//! `chapters/generated/` for the appendix.
//!
//! numpy, scipy, scikit-learn and JAX come from `bench/requirements.txt`, installed once into a
//! virtual environment of the machine's `python3` (`venv`).

mod checks;
mod format;
mod host;
mod limit;
mod machine;
mod measure;
mod notes;
mod peer;
mod products;
mod table;
mod targets;
mod venv;

use std::path::{Path, PathBuf};

use crate::{Result, cargo, root, run};
use checks::{agree, read_meta};
use limit::{Floor, Limit};
use machine::machine_markdown;
use measure::{COST_GRAD_RUNS, Measure, json_line, measure};
use notes::Extras;
use peer::Peer;
use table::{Row, text_table};
pub(crate) use venv::venv;

/// The tasks, in the order they run and are shown; all sides know them by these names.
pub const TASKS: [&str; 4] = ["cost_grad", "gradcheck", "optimise", "moons"];

pub fn bench(only: &[String], no_numpy: bool) -> Result {
    let tasks: Vec<&'static str> = TASKS
        .into_iter()
        .filter(|t| only.is_empty() || only.iter().any(|o| o == t))
        .collect();
    host::warn_if_busy();
    let forced = peer::forced(std::env::vars());
    if !forced.is_empty() {
        eprintln!("    the peers run without {}", forced.join(", "));
    }
    let python = if no_numpy {
        None
    } else {
        let requirements = root().join("bench").join("requirements.txt");
        Some(venv(
            &requirements,
            &["numpy", "scipy", "sklearn", "threadpoolctl", "jax"],
        )?)
    };
    let data = target_dir().join("bench-data");
    run(
        "cargo bench --bench tasks -- prepare (builds the runner in release, writes the data)",
        cargo()
            .args(["bench", "--bench", "tasks", "--", "prepare"])
            .arg(&data),
    )?;
    let meta = read_meta(&data)?;
    let peers: &[Peer] = if python.is_some() {
        &[Peer::Numpy, Peer::Jax]
    } else {
        &[]
    };
    let mut loads = Vec::new();
    let mut rows = Vec::new();
    for task in tasks.iter().copied() {
        let runs = if task == "cost_grad" {
            COST_GRAD_RUNS
        } else {
            1
        };
        let mut ours_runs = Vec::new();
        let mut peer_runs: Vec<Vec<Measure>> = peers.iter().map(|_| Vec::new()).collect();
        for run in 1..=runs {
            let of = if runs > 1 {
                format!(" (run {run} of {runs})")
            } else {
                String::new()
            };
            eprintln!("==> {task}: ours{of}");
            loads.extend(host::load_average());
            let ours = measure(
                task,
                "ours",
                cargo()
                    .args(["bench", "--quiet", "--bench", "tasks", "--", "run", task])
                    .arg(&data),
            )?;
            eprintln!("    ours: {}", ours.summary());
            if let Some(python) = &python {
                for (i, &peer) in peers.iter().enumerate() {
                    if !peer.runs(task) {
                        continue;
                    }
                    eprintln!("==> {task}: {}{of}", peer.name());
                    loads.extend(host::load_average());
                    let m = measure(
                        task,
                        peer.name(),
                        peer.command(python).args(["run", task]).arg(&data),
                    )?;
                    eprintln!("    {}: {}", peer.name(), m.summary());
                    agree(task, &meta, &ours, peer.name(), &m)?;
                    peer_runs[i].push(m);
                }
            }
            ours_runs.push(ours);
        }
        let mut medians = peer_runs
            .into_iter()
            .map(|r| (!r.is_empty()).then(|| Measure::median(r)));
        rows.push(Row {
            task,
            ours: Measure::median(ours_runs),
            numpy: medians.next().flatten(),
            jax: medians.next().flatten(),
        });
    }
    let extras = if tasks.contains(&"cost_grad") {
        eprintln!("==> the machine's limit: FMA loops and a streaming read");
        loads.extend(host::load_average());
        let limit = Limit::parse(&json_line(
            "tasks limit",
            cargo().args(["bench", "--quiet", "--bench", "tasks", "--", "limit"]),
        )?)?;
        eprintln!("==> cost_grad's two products: ours and the gemm crate");
        loads.extend(host::load_average());
        let products = products::parse(&json_line(
            "tasks products",
            cargo()
                .args(["bench", "--quiet", "--bench", "tasks", "--", "products"])
                .arg(&data),
        )?)?;
        Extras {
            limit: Some(limit),
            products,
        }
    } else {
        Extras {
            limit: None,
            products: Vec::new(),
        }
    };
    let floor = extras.limit.as_ref().map(|l| Floor::of(&meta, l).seconds());
    let markdown = notes::markdown(&rows, &meta, &extras);
    println!("{}", text_table(&rows, floor));
    // Under the table, what it rests on (the Markdown's notes, without its table).
    let notes = markdown
        .split_once("\n\nWhat each side")
        .map_or("", |(_, n)| n);
    println!("What each side{notes}");
    if !only.is_empty() || no_numpy {
        eprintln!(
            "    chapters/generated/ left as it was: it is rewritten only by a full run (no --only, no --no-numpy)"
        );
        return Ok(());
    }
    let python = python.expect("the peers were run");
    let generated = root().join("chapters").join("generated");
    std::fs::create_dir_all(&generated)
        .map_err(|e| format!("creating {}: {e}", generated.display()))?;
    write(&generated.join("speed-table.md"), &markdown)?;
    write(
        &generated.join("speed-machine.md"),
        &machine_markdown(&python, &forced, &host::describe_loads(&loads))?,
    )?;
    eprintln!("    wrote chapters/generated/speed-table.md and speed-machine.md");
    Ok(())
}

/// `$CARGO_TARGET_DIR`, else `target/` in the repository.
pub(super) fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from) {
        Some(dir) if dir.is_absolute() => dir,
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

pub(super) fn write(path: &Path, text: &str) -> Result {
    let tmp = path.with_extension("md.tmp");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| format!("writing {}: {e}", path.display()))
}
