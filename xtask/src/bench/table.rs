//! The table: one row per task, ours beside numpy and JAX, the ratios, and each target's
//! verdict, as text for the terminal and as Markdown for the appendix.

use std::fmt::Write as _;

use super::checks::Meta;
use super::format::{fmt_mib, fmt_ratio, fmt_seconds, thousands};
use super::measure::{COST_GRAD_RUNS, Measure};
use super::peer::Peer;
use super::targets::Target;

pub(super) struct Row {
    pub(super) task: &'static str,
    pub(super) ours: Measure,
    pub(super) numpy: Option<Measure>,
    pub(super) jax: Option<Measure>,
}

impl Row {
    pub(super) fn peer(&self, peer: Peer) -> Option<&Measure> {
        match peer {
            Peer::Numpy => self.numpy.as_ref(),
            Peer::Jax => self.jax.as_ref(),
        }
    }

    /// What the row achieved against a target: the peer's time ÷ ours, our seconds, or ours ÷
    /// the floor (`floor`, seconds, known for cost_grad only).
    pub(super) fn achieved(&self, target: Target, floor: Option<f64>) -> Option<f64> {
        match target {
            Target::Faster(peer, _) => self.peer(peer).map(|p| p.seconds / self.ours.seconds),
            Target::Seconds(_) => Some(self.ours.seconds),
            Target::NearFloor(_) => floor.map(|f| self.ours.seconds / f),
        }
    }
}

pub(super) const HEADER: [&str; 11] = [
    "task",
    "ours",
    "numpy",
    "JAX",
    "numpy ÷ ours",
    "JAX ÷ ours",
    "target",
    "met?",
    "peak memory, ours",
    "peak memory, numpy",
    "peak memory, JAX",
];

/// The cells of one row, in HEADER's order.
pub(super) fn cells(row: &Row, task: String, floor: Option<f64>) -> Vec<String> {
    let dash = || "—".to_string();
    let time = |p: Peer| row.peer(p).map_or_else(dash, |m| fmt_seconds(m.seconds));
    let ratio = |p: Peer| {
        row.peer(p)
            .map_or_else(dash, |m| fmt_ratio(m.seconds / row.ours.seconds))
    };
    let peak = |p: Peer| row.peer(p).map_or_else(dash, |m| fmt_mib(m.peak_mib));
    let targets = Target::of(row.task);
    let labels: Vec<String> = targets.iter().map(|t| t.label()).collect();
    let verdicts: Vec<String> = targets
        .iter()
        .map(|&t| t.verdict(row.achieved(t, floor)))
        .collect();
    vec![
        task,
        fmt_seconds(row.ours.seconds),
        time(Peer::Numpy),
        time(Peer::Jax),
        ratio(Peer::Numpy),
        ratio(Peer::Jax),
        labels.join("; "),
        verdicts.join("; "),
        fmt_mib(row.ours.peak_mib),
        peak(Peer::Numpy),
        peak(Peer::Jax),
    ]
}

pub(super) fn text_table(rows: &[Row], floor: Option<f64>) -> String {
    let mut table: Vec<Vec<String>> = vec![HEADER.iter().map(|h| h.to_string()).collect()];
    for row in rows {
        let task = if row.ours.unit == "evaluation" {
            format!("{} (per evaluation)", row.task)
        } else {
            row.task.to_string()
        };
        table.push(cells(row, task, floor));
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
                if c == 0 || c == 6 || c == 7 {
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
                "`gradcheck`: gradient checking of all {} parameters, ε = {:e} (the peers take two \
                 full costs per parameter; ours recomputes the one unit each weight moves)",
                thousands(params),
                meta.epsilon
            )
        }
        "optimise" => format!(
            "`optimise`: {} iterations of the course's optimiser (fmincg) on the {net} network¹",
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

/// The table in Markdown, the description of each task in its first cell.
pub(super) fn markdown_rows(rows: &[Row], meta: &Meta, floor: Option<f64>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| {} |", HEADER.join(" | "));
    let _ = writeln!(
        out,
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: |"
    );
    for row in rows {
        let _ = writeln!(
            out,
            "| {} |",
            cells(row, description(row.task, meta), floor).join(" | ")
        );
    }
    out
}
