//! The appendix "How fast is it?" shows a table that `cargo xtask bench` wrote. Timing is not
//! repeatable, so the tests do not rerun it; they check that the committed table is whole and
//! consistent with itself (each ratio is its two times divided, each "met?" follows from its
//! numbers and target), that both sides computed the same cost, and that the appendix includes it.

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
    numpy: f64,
    ratio: f64,
    target: String,
    met: String,
}

fn rows(table: &str) -> Vec<Row> {
    table
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            assert_eq!(cells.len(), 8, "8 columns in {line}");
            let task = cells[0][1..].split('`').next().unwrap().to_string();
            Row {
                task,
                ours: seconds(cells[1]),
                numpy: seconds(cells[2]),
                ratio: cells[3].trim_end_matches('×').parse().expect("a ratio"),
                target: cells[4].to_string(),
                met: cells[5].to_string(),
            }
        })
        .collect()
}

#[test]
fn the_speed_table_is_whole_and_consistent() {
    let table = read("chapters/generated/speed-table.md");
    assert!(table.starts_with("<!-- Written by `cargo xtask bench`"));
    let rows = rows(&table);
    let tasks: Vec<&str> = rows.iter().map(|r| r.task.as_str()).collect();
    assert_eq!(tasks, ["cost_grad", "gradcheck", "optimise", "moons"]);
    for row in &rows {
        let ratio = row.numpy / row.ours;
        // Times are printed to 3 significant figures, the ratio to 2 or 3.
        assert!(
            (ratio - row.ratio).abs() <= 0.02 * ratio + 0.05,
            "{}: {} / {} = {ratio:.2}, the table says {}",
            row.task,
            row.numpy,
            row.ours,
            row.ratio
        );
        let met = if let Some(times) = row.target.strip_prefix("≥ ") {
            let times: f64 = times.trim_end_matches("× numpy").trim().parse().unwrap();
            row.ratio >= times
        } else if let Some(limit) = row.target.strip_prefix("≤ ") {
            row.ours <= seconds(limit)
        } else {
            panic!("{}: unknown target {:?}", row.task, row.target)
        };
        assert_eq!(row.met, if met { "yes" } else { "no" }, "{}", row.task);
    }
}

#[test]
fn both_sides_computed_the_same_cost_and_the_appendix_shows_it() {
    let table = read("chapters/generated/speed-table.md");
    let line = table
        .lines()
        .find(|l| l.starts_with("- `cost_grad`: J: "))
        .expect("the cost line");
    // "J: ours X, numpy Y; ‖∇J‖₂: ours A, numpy B"
    let numbers: Vec<&str> = line
        .split([',', ';', ' '])
        .filter(|w| w.parse::<f64>().is_ok())
        .collect();
    assert_eq!(numbers.len(), 4, "{line}");
    assert_eq!(numbers[0], numbers[1], "J: {line}");
    assert_eq!(numbers[2], numbers[3], "‖∇J‖: {line}");

    let machine = read("chapters/generated/speed-machine.md");
    for fact in ["CPU:", "numpy", "Rust:"] {
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
