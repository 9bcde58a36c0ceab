//! `cargo xtask bench`: times our Rust (`benches/tasks.rs`) against the source notes' numpy
//! (`bench/baseline.py`) on the same data, on this machine, one process per task and side (so
//! peak memory is per task), checks that both computed the same thing, prints one table and
//! writes it, with a description of the machine, into `chapters/generated/` for the appendix.
//!
//! numpy, scipy and scikit-learn come from `bench/requirements.txt`, installed once into a
//! virtual environment of the machine's `python3`, in the tool cache, named after a hash of
//! that file (so a change of pins makes a new one beside the old).

mod checks;
mod format;
mod host;
mod machine;
mod measure;
mod table;
mod venv;

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, cargo, root, run};
use checks::{agree, read_meta};
use machine::machine_markdown;
use measure::{COST_GRAD_RUNS, Measure, measure};
use table::{Row, markdown_table, text_table};
pub(crate) use venv::venv;

/// The tasks, in the order they run and are shown; both sides know them by these names.
pub const TASKS: [&str; 4] = ["cost_grad", "gradcheck", "optimise", "moons"];

pub fn bench(only: &[String], no_numpy: bool) -> Result {
    let tasks: Vec<&'static str> = TASKS
        .into_iter()
        .filter(|t| only.is_empty() || only.iter().any(|o| o == t))
        .collect();
    host::warn_if_busy();
    let python = if no_numpy {
        None
    } else {
        let requirements = root().join("bench").join("requirements.txt");
        Some(venv(
            &requirements,
            &["numpy", "scipy", "sklearn", "threadpoolctl"],
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
    let mut rows = Vec::new();
    for task in tasks {
        let runs = if task == "cost_grad" {
            COST_GRAD_RUNS
        } else {
            1
        };
        let (mut ours_runs, mut numpy_runs) = (Vec::new(), Vec::new());
        for run in 1..=runs {
            let of = if runs > 1 {
                format!(" (run {run} of {runs})")
            } else {
                String::new()
            };
            eprintln!("==> {task}: ours{of}");
            let ours = measure(
                task,
                "ours",
                cargo()
                    .args(["bench", "--quiet", "--bench", "tasks", "--", "run", task])
                    .arg(&data),
            )?;
            eprintln!("    ours: {}", ours.summary());
            if let Some(python) = &python {
                eprintln!("==> {task}: numpy{of}");
                let numpy = measure(
                    task,
                    "numpy",
                    Command::new(python)
                        .arg(root().join("bench").join("baseline.py"))
                        .args(["run", task])
                        .arg(&data),
                )?;
                eprintln!("    numpy: {}", numpy.summary());
                agree(task, &meta, &ours, &numpy)?;
                numpy_runs.push(numpy);
            }
            ours_runs.push(ours);
        }
        let ours = Measure::median(ours_runs);
        let numpy = (!numpy_runs.is_empty()).then(|| Measure::median(numpy_runs));
        rows.push(Row { task, ours, numpy });
    }
    println!("{}", text_table(&rows));
    if !only.is_empty() || no_numpy {
        eprintln!(
            "    chapters/generated/ left as it was: it is rewritten only by a full run (no --only, no --no-numpy)"
        );
        return Ok(());
    }
    let python = python.expect("numpy was run");
    let generated = root().join("chapters").join("generated");
    std::fs::create_dir_all(&generated)
        .map_err(|e| format!("creating {}: {e}", generated.display()))?;
    write(
        &generated.join("speed-table.md"),
        &markdown_table(&rows, &meta),
    )?;
    write(
        &generated.join("speed-machine.md"),
        &machine_markdown(&python)?,
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
