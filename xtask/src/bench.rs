//! `cargo xtask bench`: times our Rust (`benches/tasks.rs`) against the source notes' numpy
//! (`bench/baseline.py`) on the same data, on this machine, one process per task and side (so
//! peak memory is per task), checks that both computed the same thing, prints one table and
//! writes it, with a description of the machine, into `chapters/generated/` for the appendix.
//!
//! numpy, scipy and scikit-learn come from `bench/requirements.txt`, installed once into a
//! virtual environment of the machine's `python3`, in the tool cache, named after a hash of
//! that file (so a change of pins makes a new one beside the old).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use regex::Regex;
use serde_json::Value;

use crate::{Result, cargo, root, run, tools};

/// The tasks, in the order they run and are shown; both sides know them by these names.
pub const TASKS: [&str; 4] = ["cost_grad", "gradcheck", "optimise", "moons"];

/// What a task must achieve: a speed-up over numpy, or a time of its own.
#[derive(Clone, Copy)]
enum Target {
    Ratio(f64),
    Seconds(f64),
}

impl Target {
    fn of(task: &str) -> Target {
        match task {
            "cost_grad" => Target::Ratio(4.0),
            "moons" => Target::Ratio(20.0),
            _ => Target::Seconds(5.0),
        }
    }

    fn label(self) -> String {
        match self {
            Target::Ratio(r) => format!("≥ {r}× numpy"),
            Target::Seconds(s) => format!("≤ {s} s"),
        }
    }

    /// "yes" or "no", or "—" when it needs numpy and numpy was not run.
    fn met(self, ours: &Measure, numpy: Option<&Measure>) -> &'static str {
        let met = match self {
            Target::Ratio(r) => match numpy {
                Some(numpy) => numpy.seconds / ours.seconds >= r,
                None => return "—",
            },
            Target::Seconds(s) => ours.seconds <= s,
        };
        if met { "yes" } else { "no" }
    }
}

/// Runs per side of `cost_grad`, alternating ours and numpy's: over the seconds one run takes,
/// the host's load moves the times by 10–40% (either side can land in a busy spell), so the table
/// takes the median run.
const COST_GRAD_RUNS: usize = 3;

/// One side's answer for one task: the JSON line its runner printed, and the share of the CPUs'
/// time the host took meanwhile.
struct Measure {
    seconds: f64,
    unit: String,
    check: Vec<f64>,
    peak_mib: f64,
    /// Steal time, from /proc/stat: the share of all cores' time the hypervisor gave to other
    /// machines while this ran (None where there is no /proc/stat).
    stolen: Option<f64>,
    /// The fastest single evaluation, for a task timed over many (`cost_grad`).
    fastest: Option<f64>,
}

impl Measure {
    /// The run with the median time of several (an odd number) of one side's runs, with the
    /// fastest evaluation of them all.
    fn median(mut runs: Vec<Measure>) -> Measure {
        let fastest = runs.iter().filter_map(|r| r.fastest).reduce(f64::min);
        runs.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
        let middle = runs.len() / 2;
        Measure {
            fastest,
            ..runs.swap_remove(middle)
        }
    }

    /// How long it took, and the host's share if known: "5.13 ms (host took 12%)".
    fn summary(&self) -> String {
        match self.stolen {
            Some(s) => format!(
                "{} (host took {})",
                fmt_seconds(self.seconds),
                fmt_percent(s)
            ),
            None => fmt_seconds(self.seconds),
        }
    }
}

struct Row {
    task: &'static str,
    ours: Measure,
    numpy: Option<Measure>,
}

/// The sizes `prepare` wrote into meta.json, for the descriptions and the checks.
struct Meta {
    m: u64,
    n: u64,
    hidden: u64,
    labels: u64,
    epsilon: f64,
    cg_iterations: u64,
    moons_points: u64,
    moons_hidden: Vec<u64>,
    moons_iterations: u64,
    moons_rate: f64,
}

pub fn bench(only: &[String], no_numpy: bool) -> Result {
    let tasks: Vec<&'static str> = TASKS
        .into_iter()
        .filter(|t| only.is_empty() || only.iter().any(|o| o == t))
        .collect();
    warn_if_busy();
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

/// Says so if other work is running: it slows both sides, and numpy's BLAS (one thread per
/// core) most.
fn warn_if_busy() {
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next()?.parse::<f64>().ok());
    if let Some(load) = load.filter(|&l| l >= 0.5) {
        eprintln!(
            "    warning: the machine is busy (load average {load:.2} over the last minute): \
             the times will be noisy, numpy's most; run the benchmark on an idle machine"
        );
    }
}

/// `$CARGO_TARGET_DIR`, else `target/` in the repository.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from) {
        Some(dir) if dir.is_absolute() => dir,
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

fn write(path: &Path, text: &str) -> Result {
    let tmp = path.with_extension("md.tmp");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| format!("writing {}: {e}", path.display()))
}

/// FNV-1a, 64 bits: a hash that stays the same on every machine and Rust version.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The Python of a virtual environment holding `requirements` (which must make `modules`
/// importable), made first if it is missing or was left incomplete:
/// `$BACKPROP_BOOK_TOOLS/venv-HASH` if that is set, else `~/.cache/backprop-book/venv-HASH`
/// (beside the tools folder). The bench and the primer's numpy (`crate::primer`) share it.
pub(crate) fn venv(requirements: &Path, modules: &[&str]) -> Result<PathBuf> {
    let pins = std::fs::read(requirements)
        .map_err(|e| format!("reading {}: {e}", requirements.display()))?;
    let hash = format!("{:016x}", fnv1a(&pins));
    let tools = tools::cache_dir()?;
    let base = match (
        std::env::var_os("BACKPROP_BOOK_TOOLS").is_some(),
        tools.parent(),
    ) {
        (false, Some(parent)) => parent.to_path_buf(),
        _ => tools,
    };
    let dir = base.join(format!("venv-{}", &hash[..12]));
    let python = dir.join("bin").join("python");
    let marker = dir.join("installed.txt");
    let works = || {
        Command::new(&python)
            .args(["-c", &format!("import {}", modules.join(", "))])
            .stdin(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if std::fs::read(&marker).is_ok_and(|m| m == pins) && works() {
        return Ok(python);
    }
    if dir.exists() {
        eprintln!("==> {} is incomplete: making it again", dir.display());
        std::fs::remove_dir_all(&dir).map_err(|e| format!("removing {}: {e}", dir.display()))?;
    }
    run(
        &format!("python3 -m venv {}", dir.display()),
        Command::new("python3").args(["-m", "venv"]).arg(&dir),
    )?;
    let shown = requirements.strip_prefix(root()).unwrap_or(requirements);
    run(
        &format!("pip install -r {} (once per set of pins)", shown.display()),
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--only-binary=:all:",
                "-r",
            ])
            .arg(requirements),
    )?;
    if !works() {
        return Err(format!(
            "{} cannot import {} after pip install",
            python.display(),
            modules.join(", ")
        ));
    }
    std::fs::write(&marker, &pins).map_err(|e| format!("writing {}: {e}", marker.display()))?;
    Ok(python)
}

/// All cores' time so far, from the first line of /proc/stat: (stolen, total), in clock ticks.
fn cpu_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    stolen_and_total(stat.lines().next()?)
}

/// Reads "cpu user nice system idle iowait irq softirq steal guest guest_nice": steal, and the
/// sum of the first eight (a guest's time is already counted in user).
fn stolen_and_total(line: &str) -> Option<(u64, u64)> {
    let ticks: Vec<u64> = line
        .strip_prefix("cpu ")?
        .split_whitespace()
        .map(|t| t.parse().ok())
        .collect::<Option<_>>()?;
    let first = ticks.get(..8)?;
    Some((first[7], first.iter().sum()))
}

/// Runs one side of one task (its progress going to the terminal) and reads the one JSON line
/// it prints on stdout.
fn measure(task: &str, side: &str, cmd: &mut Command) -> Result<Measure> {
    let before = cpu_ticks();
    let out = cmd
        .current_dir(root())
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{task} ({side}): could not start: {e}"))?;
    let stolen = match (before, cpu_ticks()) {
        (Some((s0, t0)), Some((s1, t1))) if t1 > t0 => Some((s1 - s0) as f64 / (t1 - t0) as f64),
        _ => None,
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "{task} ({side}) failed ({}); it printed:\n{stdout}",
            out.status
        ));
    }
    let lines: Vec<&str> = stdout
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('{'))
        .collect();
    let [line] = lines.as_slice() else {
        return Err(format!(
            "{task} ({side}): expected one JSON line on stdout, got {}:\n{stdout}",
            lines.len()
        ));
    };
    let mut measure = parse(task, line).map_err(|e| format!("{task} ({side}): {e} in {line}"))?;
    measure.stolen = stolen;
    Ok(measure)
}

fn parse(task: &str, line: &str) -> Result<Measure> {
    // Python's json and Rust's `{:e}` write NaN and infinities as bare words, which JSON lacks:
    // quote them so they parse, and read them back as numbers.
    let words = Regex::new(r"-?\b(?:NaN|nan|inf|Infinity)\b").expect("valid regex");
    let quoted = words.replace_all(line, "\"$0\"");
    let json: Value = serde_json::from_str(&quoted).map_err(|e| format!("not JSON: {e}"))?;
    let number = |v: &Value| -> Option<f64> {
        match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => match s.to_ascii_lowercase().as_str() {
                "nan" | "-nan" => Some(f64::NAN),
                "inf" | "infinity" => Some(f64::INFINITY),
                "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
                _ => None,
            },
            _ => None,
        }
    };
    if json["task"] != task {
        return Err(format!("task is {}, expected {task:?}", json["task"]));
    }
    let field = |name: &str| number(&json[name]).ok_or(format!("no number {name:?}"));
    let check = json["check"]
        .as_array()
        .ok_or("no array \"check\"")?
        .iter()
        .map(|v| number(v).ok_or(format!("check value {v} is not a number")))
        .collect::<Result<Vec<f64>>>()?;
    Ok(Measure {
        seconds: field("seconds")?,
        unit: json["unit"]
            .as_str()
            .ok_or("no string \"unit\"")?
            .to_string(),
        check,
        peak_mib: field("peak_mib")?,
        stolen: None,
        fastest: number(&json["fastest"]),
    })
}

fn read_meta(data: &Path) -> Result<Meta> {
    let path = data.join("meta.json");
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let json: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let int = |name: &str| {
        json[name]
            .as_u64()
            .ok_or(format!("{}: no whole number {name:?}", path.display()))
    };
    let float = |name: &str| {
        json[name]
            .as_f64()
            .ok_or(format!("{}: no number {name:?}", path.display()))
    };
    Ok(Meta {
        m: int("m")?,
        n: int("n")?,
        hidden: int("hidden")?,
        labels: int("labels")?,
        epsilon: float("epsilon")?,
        cg_iterations: int("cg_iterations")?,
        moons_points: int("moons_points")?,
        moons_hidden: json["moons_hidden"]
            .as_array()
            .and_then(|a| a.iter().map(Value::as_u64).collect())
            .ok_or(format!("{}: no list \"moons_hidden\"", path.display()))?,
        moons_iterations: int("moons_iterations")?,
        moons_rate: float("moons_rate")?,
    })
}

/// The names of a task's check values, in the order the runners print them.
fn check_labels(task: &str, meta: &Meta) -> Vec<String> {
    match task {
        "cost_grad" => vec!["J".into(), "‖∇J‖₂".into()],
        "gradcheck" => vec!["relative difference".into()],
        "optimise" => vec![
            "final J".into(),
            "iterations".into(),
            "cost evaluations".into(),
        ],
        _ => meta
            .moons_hidden
            .iter()
            .map(|h| format!("final cost with h = {h}"))
            .collect(),
    }
}

fn relative(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / a.abs().max(b.abs())
    }
}

/// Whether a and b agree to a relative `tolerance` (never if either is NaN).
fn within(a: f64, b: f64, tolerance: f64) -> bool {
    relative(a, b) <= tolerance
}

/// Fails, showing both sides' values, unless ours and numpy's check values agree: the same cost
/// and gradient norm (relative 1e-9), both gradient checks passed (below 1e-9), the same final
/// moons costs (relative 1e-6; numpy's NaN where the notes' cost overflows is shown, not failed).
/// The optimisers' line searches differ, so theirs are only shown.
fn agree(task: &str, meta: &Meta, ours: &Measure, numpy: &Measure) -> Result {
    let labels = check_labels(task, meta);
    for (side, m) in [("ours", ours), ("numpy", numpy)] {
        if m.check.len() != labels.len() {
            return Err(format!(
                "{task} ({side}): {} check values, expected {} ({})",
                m.check.len(),
                labels.len(),
                labels.join(", ")
            ));
        }
    }
    let mut problems = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let (a, b) = (ours.check[i], numpy.check[i]);
        let bad = match task {
            "cost_grad" => !within(a, b, 1e-9),
            // A NaN from numpy is the notes' formulas overflowing (their sigmoid rounds to 1.0 and
            // they take ln(1 − 1.0)), not a disagreement: the table shows it and the appendix
            // explains it. A NaN from ours is always a failure.
            "moons" if b.is_nan() && a.is_finite() => false,
            "moons" => !within(a, b, 1e-6),
            "gradcheck" => !(a < 1e-9 && b < 1e-9),
            _ => false,
        };
        if bad {
            let mut problem = format!(
                "{label}: ours {a:e}, numpy {b:e} (relative difference {:e})",
                relative(a, b)
            );
            if task == "moons" && b.is_nan() && a.is_finite() {
                problem.push_str(
                    ": numpy's is NaN: the notes' sigmoid rounded to exactly 1.0, so log(1 - output) \
                     and (1 - y)/(1 - output) are -inf and 0/0 (the notes' algorithm overflows; \
                     bench/baseline.py said at which iteration)",
                );
            }
            problems.push(problem);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{task}: ours and numpy do not agree:\n  {}\n  ours:  {:?}\n  numpy: {:?}",
            problems.join("\n  "),
            ours.check,
            numpy.check
        ))
    }
}

/// A time with its unit: ms under a second, s above, to three significant figures or so.
fn fmt_seconds(s: f64) -> String {
    let (v, unit) = if s < 1.0 { (s * 1e3, "ms") } else { (s, "s") };
    let digits = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    format!("{v:.digits$} {unit}")
}

fn fmt_ratio(r: f64) -> String {
    let digits = if r >= 100.0 {
        0
    } else if r >= 1.0 {
        1
    } else {
        2
    };
    format!("{r:.digits$}×")
}

/// A share as a whole percentage, or to one decimal below 10%: "12%", "0.4%".
fn fmt_percent(share: f64) -> String {
    let p = share * 100.0;
    if p < 10.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

fn fmt_mib(m: f64) -> String {
    format!("{m:.1} MiB")
}

/// A check value: whole numbers as they are, others to 12 significant figures.
fn fmt_check(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{v:.0}");
    }
    let exponent = v.abs().log10().floor();
    if (-4.0..6.0).contains(&exponent) {
        let digits = (11.0 - exponent) as usize;
        format!("{v:.digits$}")
    } else {
        format!("{v:.11e}")
    }
}

/// The cells of one row: task, ours, numpy, ratio, target, met?, peak ours, peak numpy.
fn cells(row: &Row, task: String) -> Vec<String> {
    let target = Target::of(row.task);
    let ours = &row.ours;
    let (numpy, ratio, numpy_mib) = match &row.numpy {
        Some(n) => (
            fmt_seconds(n.seconds),
            fmt_ratio(n.seconds / ours.seconds),
            fmt_mib(n.peak_mib),
        ),
        None => ("—".into(), "—".into(), "—".into()),
    };
    vec![
        task,
        fmt_seconds(ours.seconds),
        numpy,
        ratio,
        target.label(),
        target.met(ours, row.numpy.as_ref()).into(),
        fmt_mib(ours.peak_mib),
        numpy_mib,
    ]
}

const HEADER: [&str; 8] = [
    "task",
    "ours",
    "numpy",
    "numpy ÷ ours",
    "target",
    "met?",
    "peak memory, ours",
    "peak memory, numpy",
];

fn text_table(rows: &[Row]) -> String {
    let mut table: Vec<Vec<String>> = vec![HEADER.iter().map(|h| h.to_string()).collect()];
    for row in rows {
        let task = if row.ours.unit == "evaluation" {
            format!("{} (per evaluation)", row.task)
        } else {
            row.task.to_string()
        };
        table.push(cells(row, task));
    }
    let widths: Vec<usize> = (0..HEADER.len())
        .map(|c| {
            table
                .iter()
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (i, row) in table.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, &w))| {
                let pad = " ".repeat(w - cell.chars().count());
                // Text to the left, numbers to the right.
                if c == 0 || c == 4 || c == 5 {
                    format!("{cell}{pad}")
                } else {
                    format!("{pad}{cell}")
                }
            })
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
            let _ = writeln!(out, "{}", rule.join("  "));
        }
    }
    out
}

/// 10285 as "10,285".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn description(task: &str, meta: &Meta) -> String {
    let net = format!("{}-{}-{}", meta.n, meta.hidden, meta.labels);
    match task {
        "cost_grad" => format!(
            "`cost_grad`: regularised cost and gradient of the {net} network on {} examples \
             (one evaluation; the median of {COST_GRAD_RUNS} runs, each the median of ≥ 20 over \
             ≥ 2 s)",
            thousands(meta.m)
        ),
        "gradcheck" => {
            let params = meta.hidden * (meta.n + 1) + meta.labels * (meta.hidden + 1);
            format!(
                "`gradcheck`: gradient checking of all {} parameters (two full costs each, \
                 ε = {:e})",
                thousands(params),
                meta.epsilon
            )
        }
        "optimise" => format!(
            "`optimise`: {} iterations of conjugate gradient on the {net} network¹",
            meta.cg_iterations
        ),
        _ => format!(
            "`moons`: six 2-h-2 networks (h = {}) on {} points, {} full-batch gradient-descent \
             steps each at rate {}",
            meta.moons_hidden
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            meta.moons_points,
            thousands(meta.moons_iterations),
            meta.moons_rate
        ),
    }
}

fn markdown_table(rows: &[Row], meta: &Meta) -> String {
    let mut out = String::from(
        "<!-- Written by `cargo xtask bench`; do not edit: run it again instead. -->\n\n",
    );
    let _ = writeln!(out, "| {} |", HEADER.join(" | "));
    let _ = writeln!(
        out,
        "| --- | ---: | ---: | ---: | --- | --- | ---: | ---: |"
    );
    for row in rows {
        let _ = writeln!(
            out,
            "| {} |",
            cells(row, description(row.task, meta)).join(" | ")
        );
    }
    out.push_str("\nWhat each side computed, to show they computed the same thing:\n\n");
    for row in rows {
        let labels = check_labels(row.task, meta);
        let numpy = row.numpy.as_ref().map(|n| &n.check);
        let values: Vec<String> = labels
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let ours = fmt_check(row.ours.check[i]);
                match numpy {
                    Some(n) => format!("{label}: ours {ours}, numpy {}", fmt_check(n[i])),
                    None => format!("{label}: ours {ours}"),
                }
            })
            .collect();
        let _ = writeln!(out, "- `{}`: {}", row.task, values.join("; "));
    }
    let stolen: Vec<String> = rows
        .iter()
        .filter_map(|row| {
            let share = |m: &Measure| m.stolen.map(fmt_percent);
            let ours = share(&row.ours)?;
            Some(match row.numpy.as_ref().and_then(share) {
                Some(numpy) => format!("`{}` ours {ours}, numpy {numpy}", row.task),
                None => format!("`{}` ours {ours}", row.task),
            })
        })
        .collect();
    for row in rows {
        if let (Some(ours), Some(numpy)) =
            (row.ours.fastest, row.numpy.as_ref().and_then(|n| n.fastest))
        {
            let _ = write!(
                out,
                "\nThe fastest single evaluation of `{}` in all its runs: ours {}, numpy {}, \
                 {} apart.\n",
                row.task,
                fmt_seconds(ours),
                fmt_seconds(numpy),
                fmt_ratio(numpy / ours)
            );
        }
    }
    if !stolen.is_empty() {
        let _ = write!(
            out,
            "\nHow much of the cores' time the host took for other machines while each side ran \
             (steal time in /proc/stat, in the runs shown): {}.\n",
            stolen.join("; ")
        );
    }
    let _ = write!(
        out,
        "\nTimes are wall-clock, each task in a fresh process per side; `cost_grad` shows one \
         evaluation (after 2 warm-up evaluations, the median of at least 20 timed ones that \
         together last at least 2 s, the same rule on both sides; each side runs {COST_GRAD_RUNS} times, \
         alternating with the other, and the table shows the median run), the others one whole run. \
         numpy ÷ ours above 1 means ours is faster. Peak memory is each process's peak resident \
         size (the Python interpreter and numpy's libraries included).\n\n\
         ¹ numpy runs scipy's `minimize(method='CG')` (Polak–Ribière, like ours) with the same \
         iteration budget and `gtol` 0; the notes themselves call `method='TNC'` \
         (`bench/baseline.py run optimise DIR --tnc` runs that). The two line searches differ, \
         so the final costs and evaluation counts differ too: they are shown, not compared.\n"
    );
    out
}

/// The numpy side's versions and BLAS, from `baseline.py machine`.
fn python_facts(python: &Path) -> Result<Value> {
    let out = Command::new(python)
        .arg(root().join("bench").join("baseline.py"))
        .arg("machine")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("baseline.py machine: {e}"))?;
    if !out.status.success() {
        return Err(format!("baseline.py machine failed ({})", out.status));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("baseline.py machine: {e}"))
}

fn command_line(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The CPU's model name and the number of cores, from /proc/cpuinfo, else `lscpu`.
fn cpu() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let value = |line: &str| line.split_once(':').map(|(_, v)| v.trim().to_string());
    let mut model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(value);
    if model.is_none() {
        model = command_line("lscpu", &[]).and_then(|out| {
            out.lines()
                .find(|l| l.trim_start().starts_with("Model name"))
                .and_then(value)
        });
    }
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "{}, {cores} cores",
        model.unwrap_or_else(|| "unknown".into())
    )
}

fn ram() -> String {
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or("unknown".into(), |kb| {
            format!("{:.1} GiB", kb / 1024.0 / 1024.0)
        })
}

fn os() -> String {
    let release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    release
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim().trim_matches('"').to_string())
        .unwrap_or_else(|| std::env::consts::OS.to_string())
}

/// Now, in UTC, as `YYYY-MM-DD HH:MM UTC`.
fn now_utc() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = crate::browser::civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

fn machine_markdown(python: &Path) -> Result<String> {
    let facts = python_facts(python)?;
    let fact = |name: &str| match &facts[name] {
        Value::String(s) => s.clone(),
        Value::Null => "unknown".into(),
        other => other.to_string(),
    };
    let threads = match facts["blas_threads"].as_u64() {
        Some(1) => ", 1 thread".to_string(),
        Some(n) => format!(", {n} threads"),
        None => String::new(),
    };
    Ok(format!(
        "<!-- Written by `cargo xtask bench`; do not edit: run it again instead. -->\n\n\
         - Measured: {}\n\
         - CPU: {}\n\
         - RAM: {}\n\
         - OS: {}\n\
         - Rust: {}\n\
         - Python: {}\n\
         - numpy {}, scipy {}, scikit-learn {}\n\
         - numpy's BLAS: {}{threads}\n",
        now_utc(),
        cpu(),
        ram(),
        os(),
        command_line("rustc", &["-V"]).unwrap_or_else(|| "unknown".into()),
        fact("python"),
        fact("numpy"),
        fact("scipy"),
        fact("scikit-learn"),
        fact("blas"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_runners_lines_nan_and_infinity_included() {
        let rust = r#"{"task": "moons", "seconds": 3.3e0, "unit": "run", "check": [1.02e0, NaN, inf, -inf], "peak_mib": 3.1}"#;
        let m = parse("moons", rust).unwrap();
        assert_eq!((m.seconds, m.fastest), (3.3, None));
        assert_eq!(m.unit, "run");
        assert_eq!(m.check[0], 1.02);
        assert!(m.check[1].is_nan());
        assert_eq!(m.check[2..], [f64::INFINITY, f64::NEG_INFINITY]);
        let python = r#"{"task": "optimise", "seconds": 15.2, "unit": "run", "check": [2.33, 400, 639, -Infinity], "peak_mib": 108.8}"#;
        let m = parse("optimise", python).unwrap();
        assert_eq!(m.check[..3], [2.33, 400.0, 639.0]);
        assert_eq!(m.check[3], f64::NEG_INFINITY);
        assert!(parse("gradcheck", python).is_err());
    }

    #[test]
    fn formats_with_units() {
        assert_eq!(fmt_seconds(0.0302), "30.2 ms");
        assert_eq!(fmt_seconds(0.00412), "4.12 ms");
        assert_eq!(fmt_seconds(0.5), "500 ms");
        assert_eq!(fmt_seconds(17.4), "17.4 s");
        assert_eq!(fmt_seconds(190.2), "190 s");
        assert_eq!(fmt_ratio(2.14), "2.1×");
        assert_eq!(fmt_ratio(0.874), "0.87×");
        assert_eq!(fmt_check(400.0), "400");
        assert_eq!(fmt_check(6.822948855295128), "6.82294885530");
        assert_eq!(fmt_check(1.25e-11), "1.25000000000e-11");
        assert_eq!(fmt_check(f64::NAN), "NaN");
        assert_eq!(thousands(10285), "10,285");
        assert_eq!(thousands(30000), "30,000");
        assert_eq!(thousands(400), "400");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn reads_steal_time_and_takes_the_median_run() {
        let line = "cpu  2255 34 2290 22625563 6290 127 456 1200 0 0";
        assert_eq!(
            stolen_and_total(line),
            Some((1200, 2255 + 34 + 2290 + 22625563 + 6290 + 127 + 456 + 1200))
        );
        // A kernel too old to count steal time, and a per-core line, are not read.
        assert_eq!(stolen_and_total("cpu  1 2 3 4"), None);
        assert_eq!(stolen_and_total("cpu0 1 2 3 4 5 6 7 8 0 0"), None);
        assert_eq!(fmt_percent(0.1234), "12%");
        assert_eq!(fmt_percent(0.004), "0.4%");
        let run = |seconds: f64| Measure {
            seconds,
            unit: "evaluation".into(),
            check: vec![seconds],
            peak_mib: 1.0,
            stolen: None,
            fastest: Some(seconds / 2.0),
        };
        let median = Measure::median(vec![run(5.0), run(4.0), run(6.5)]);
        assert_eq!((median.seconds, median.check[0]), (5.0, 5.0));
        assert_eq!(median.fastest, Some(2.0));
    }

    #[test]
    fn agreement_is_relative_and_nan_never_agrees() {
        assert!(within(1.0, 1.0 + 1e-12, 1e-9));
        assert!(!within(1.0, 1.0 + 1e-8, 1e-9));
        assert!(!within(1.0, f64::NAN, 1e-6));
        assert!(within(0.0, 0.0, 1e-9));
    }

    #[test]
    fn dates_and_hashes_are_stable() {
        let now = now_utc();
        assert_eq!(now.len(), "2026-01-01 00:00 UTC".len(), "{now}");
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
