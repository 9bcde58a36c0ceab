//! The appendix "How fast is it?" shows a table that `cargo xtask bench` wrote. Timing is not
//! repeatable, so the tests do not rerun it; they check that the committed table is whole and
//! consistent with itself (each ratio is its two times divided, each verdict follows from its
//! numbers and target), that all sides computed the same cost, and that the appendix includes it.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// "5.64 ms" or "3.66 s" in seconds.
fn seconds(cell: &str) -> f64 {
    let (value, unit) = cell.trim().split_once(' ').expect("a number and a unit");
    let value: f64 = value.replace(',', "").parse().expect("a number");
    match unit {
        "ms" => value / 1e3,
        "s" => value,
        other => panic!("unknown unit {other:?} in {cell:?}"),
    }
}

struct Row {
    task: String,
    ours: f64,
    /// numpy's and JAX's times and ratios, where that peer ran.
    peers: Vec<Option<(f64, f64)>>,
    targets: Vec<String>,
    verdicts: Vec<String>,
}

fn rows(table: &str) -> Vec<Row> {
    table
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            assert_eq!(cells.len(), 11, "11 columns in {line}");
            let task = cells[0][1..].split('`').next().unwrap().to_string();
            let peer = |time: &str, ratio: &str| {
                (time != "—").then(|| {
                    let ratio: f64 = ratio.trim_end_matches('×').parse().expect("a ratio");
                    (seconds(time), ratio)
                })
            };
            Row {
                task,
                ours: seconds(cells[1]),
                peers: vec![peer(cells[2], cells[4]), peer(cells[3], cells[5])],
                targets: cells[6].split("; ").map(String::from).collect(),
                verdicts: cells[7].split("; ").map(String::from).collect(),
            }
        })
        .collect()
}

/// A verdict, "met (3.1×)" or "missed by 16% (2.1×)", as (met, the value in brackets).
fn verdict(cell: &str) -> (bool, String) {
    let (head, value) = cell.split_once(" (").expect("a value in brackets");
    let met = match head {
        "met" => true,
        h if h.starts_with("missed by ") && h.ends_with('%') => false,
        other => panic!("unknown verdict {other:?}"),
    };
    (met, value.trim_end_matches(')').to_string())
}

/// Ratios are printed to 2 or 3 significant figures.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.02 * a.abs() + 0.05
}

#[test]
fn the_speed_table_is_whole_and_consistent() {
    let table = read("chapters/generated/speed-table.md");
    assert!(table.starts_with("<!-- Written by `cargo xtask bench`"));
    let rows = rows(&table);
    let tasks: Vec<&str> = rows.iter().map(|r| r.task.as_str()).collect();
    assert_eq!(tasks, ["cost_grad", "gradcheck", "optimise", "moons"]);
    // "ours (2.31 ms) ÷ floor = 1.6×."
    let to_floor: f64 = table
        .split("÷ floor = ")
        .nth(1)
        .and_then(|rest| rest.split('×').next())
        .expect("ours ÷ floor under the table")
        .parse()
        .unwrap();
    for row in &rows {
        assert!(row.peers[0].is_some(), "{}: numpy ran every task", row.task);
        for (time, ratio) in row.peers.iter().flatten() {
            assert!(
                close(time / row.ours, *ratio),
                "{}: {time} / {} = {:.2}, the table says {ratio}",
                row.task,
                row.ours,
                time / row.ours
            );
        }
        assert_eq!(row.targets.len(), row.verdicts.len(), "{}", row.task);
        for (target, cell) in row.targets.iter().zip(&row.verdicts) {
            let (met, value) = verdict(cell);
            let what = format!("{}: {target}: {cell}", row.task);
            if let Some(limit) = target
                .strip_prefix("≤ ")
                .and_then(|t| t.strip_suffix("× floor"))
            {
                let q: f64 = value.trim_end_matches('×').parse().unwrap();
                assert!(close(q, to_floor), "{what}, but ours ÷ floor = {to_floor}");
                assert_eq!(met, q <= limit.parse::<f64>().unwrap(), "{what}");
            } else if let Some(times) = target.strip_prefix("≥ ") {
                let (times, peer) = times.split_once("× ").unwrap();
                let index = ["numpy", "JAX"].iter().position(|p| *p == peer).unwrap();
                let (_, ratio) = row.peers[index].expect("the peer ran");
                let achieved: f64 = value.trim_end_matches('×').parse().unwrap();
                assert!(
                    close(achieved, ratio),
                    "{what}, the ratio column says {ratio}"
                );
                assert_eq!(met, achieved >= times.parse::<f64>().unwrap(), "{what}");
            } else if let Some(limit) = target.strip_prefix("≤ ") {
                assert!(close(seconds(&value), row.ours), "{what}");
                assert_eq!(met, row.ours <= seconds(limit), "{what}");
            } else {
                panic!("{what}: unknown target");
            }
        }
    }
    assert_eq!(
        rows[0].targets.len(),
        3,
        "cost_grad: numpy, JAX and the floor"
    );
}

#[test]
fn both_sides_computed_the_same_cost_and_the_appendix_shows_it() {
    let table = read("chapters/generated/speed-table.md");
    let line = table
        .lines()
        .find(|l| l.starts_with("- `cost_grad`: J: "))
        .expect("the cost line");
    // "J: ours X, numpy Y, JAX Z; ‖∇J‖₂: ours A, numpy B, JAX C"
    let numbers: Vec<&str> = line
        .split([',', ';', ' '])
        .filter(|w| w.parse::<f64>().is_ok())
        .collect();
    assert_eq!(numbers.len(), 6, "{line}");
    assert!(numbers[..3].iter().all(|n| *n == numbers[0]), "J: {line}");
    assert!(
        numbers[3..].iter().all(|n| *n == numbers[3]),
        "‖∇J‖: {line}"
    );

    let machine = read("chapters/generated/speed-machine.md");
    for fact in ["CPU:", "numpy", "JAX", "Rust:", "Load average"] {
        assert!(
            machine.contains(fact),
            "the machine description names {fact}"
        );
    }
    let appendix = read("chapters/appendix-speed.md");
    for include in [
        "{{#include generated/speed-table.md}}",
        "{{#include generated/speed-machine.md}}",
    ] {
        assert!(
            appendix.contains(include),
            "the appendix includes {include}"
        );
    }
}
