//! The table: its rows, the targets and whether they were met, as text for the terminal and as
//! Markdown for the appendix.

use std::fmt::Write as _;

use super::checks::{Meta, check_labels};
use super::format::{fmt_check, fmt_mib, fmt_percent, fmt_ratio, fmt_seconds, thousands};
use super::measure::{COST_GRAD_RUNS, Measure};

/// What a task must achieve: a speed-up over numpy, or a time of its own.
#[derive(Clone, Copy)]
pub(super) enum Target {
    Ratio(f64),
    Seconds(f64),
}

impl Target {
    pub(super) fn of(task: &str) -> Target {
        match task {
            "cost_grad" => Target::Ratio(4.0),
            "moons" => Target::Ratio(20.0),
            _ => Target::Seconds(5.0),
        }
    }

    pub(super) fn label(self) -> String {
        match self {
            Target::Ratio(r) => format!("≥ {r}× numpy"),
            Target::Seconds(s) => format!("≤ {s} s"),
        }
    }

    /// "yes" or "no", or "—" when it needs numpy and numpy was not run.
    pub(super) fn met(self, ours: &Measure, numpy: Option<&Measure>) -> &'static str {
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

pub(super) struct Row {
    pub(super) task: &'static str,
    pub(super) ours: Measure,
    pub(super) numpy: Option<Measure>,
}

/// The cells of one row: task, ours, numpy, ratio, target, met?, peak ours, peak numpy.
pub(super) fn cells(row: &Row, task: String) -> Vec<String> {
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

pub(super) const HEADER: [&str; 8] = [
    "task",
    "ours",
    "numpy",
    "numpy ÷ ours",
    "target",
    "met?",
    "peak memory, ours",
    "peak memory, numpy",
];

pub(super) fn text_table(rows: &[Row]) -> String {
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

pub(super) fn description(task: &str, meta: &Meta) -> String {
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

pub(super) fn markdown_table(rows: &[Row], meta: &Meta) -> String {
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
