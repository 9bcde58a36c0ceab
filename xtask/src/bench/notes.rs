//! speed-table.md: the table, then what it rests on: what each side computed, the machine's
//! limit and the floor it gives `cost_grad`, our kernels beside the `gemm` crate, and the
//! optimisers' final costs beside the course's reference.

use std::fmt::Write as _;

use super::checks::{Meta, check_labels};
use super::format::{fmt_check, fmt_percent, fmt_ratio, fmt_seconds, thousands};
use super::limit::{Floor, Limit};
use super::measure::COST_GRAD_RUNS;
use super::peer::Peer;
use super::products::Product;
use super::table::{Row, markdown_rows};

/// The course's `fmincg` in Octave on the bench's data from its start, λ = 1 (issue 20; also
/// asserted in tests/fmincg.rs): iterations, J, cost evaluations.
pub(super) const OCTAVE: [(u64, f64, u64); 2] =
    [(50, 2.97323546861, 93), (400, 2.58938676780, 638)];

/// What the table rests on besides the rows.
pub(super) struct Extras {
    pub(super) limit: Option<Limit>,
    pub(super) products: Vec<Product>,
}

pub(super) fn markdown(rows: &[Row], meta: &Meta, extras: &Extras) -> String {
    let floor = extras.limit.as_ref().map(|l| Floor::of(meta, l));
    let mut out = format!("{}\n\n", crate::mdprep::GENERATED_START);
    out += &markdown_rows(rows, meta, floor.as_ref().map(Floor::seconds));
    checks(&mut out, rows, meta);
    timings(&mut out, rows);
    if let (Some(limit), Some(floor)) = (&extras.limit, &floor) {
        let ours = rows
            .iter()
            .find(|r| r.task == "cost_grad")
            .map(|r| r.ours.seconds);
        machine_limit(&mut out, limit, floor, ours);
    }
    if !extras.products.is_empty() {
        products(&mut out, &extras.products, meta, extras.limit.as_ref());
    }
    if let Some(row) = rows.iter().find(|r| r.task == "optimise") {
        optimisers(&mut out, row);
    }
    footnotes(&mut out);
    out.push_str(&format!("\n{}\n", crate::mdprep::GENERATED_END));
    out
}

fn checks(out: &mut String, rows: &[Row], meta: &Meta) {
    out.push_str("\nWhat each side computed, to show they computed the same thing:\n\n");
    for row in rows {
        let shared = check_labels(row.task, meta, false);
        let values: Vec<String> = shared
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let mut v = format!("{label}: ours {}", fmt_check(row.ours.check[i]));
                for peer in [Peer::Numpy, Peer::Jax] {
                    if let Some(m) = row.peer(peer) {
                        let _ = write!(v, ", {} {}", peer.name(), fmt_check(m.check[i]));
                    }
                }
                v
            })
            .collect();
        let _ = writeln!(out, "- `{}`: {}", row.task, values.join("; "));
    }
}

fn timings(out: &mut String, rows: &[Row]) {
    for row in rows {
        let fastest: Vec<String> = [
            ("ours", Some(&row.ours)),
            ("numpy", row.numpy.as_ref()),
            ("JAX", row.jax.as_ref()),
        ]
        .into_iter()
        .filter_map(|(name, m)| Some(format!("{name} {}", fmt_seconds(m?.fastest?))))
        .collect();
        if fastest.len() > 1 {
            let _ = write!(
                out,
                "\nThe fastest single evaluation of `{}` in all its runs: {}.\n",
                row.task,
                fastest.join(", ")
            );
        }
    }
    let compiles: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            Some(format!(
                "`{}` {}",
                r.task,
                fmt_seconds(r.jax.as_ref()?.compile?)
            ))
        })
        .collect();
    if !compiles.is_empty() {
        let _ = write!(
            out,
            "\nJAX's first call, tracing and compiling (left out of its times as warm-up): {}.\n",
            compiles.join(", ")
        );
    }
    let stolen: Vec<String> = rows
        .iter()
        .filter_map(|row| {
            let sides: Vec<String> = [
                ("ours", Some(&row.ours)),
                ("numpy", row.numpy.as_ref()),
                ("JAX", row.jax.as_ref()),
            ]
            .into_iter()
            .filter_map(|(name, m)| Some(format!("{name} {}", fmt_percent(m?.stolen?))))
            .collect();
            (!sides.is_empty()).then(|| format!("`{}` {}", row.task, sides.join(", ")))
        })
        .collect();
    if !stolen.is_empty() {
        let _ = write!(
            out,
            "\nHow much of the cores' time the host took for other machines while each side ran \
             (steal time in /proc/stat, in the runs shown): {}.\n",
            stolen.join("; ")
        );
    }
}

fn giga(v: f64) -> String {
    format!("{:.1} G", v / 1e9)
}

fn machine_limit(out: &mut String, limit: &Limit, floor: &Floor, ours: Option<f64>) {
    let _ = write!(
        out,
        "\n**The machine's limit**, measured (`cargo bench --bench tasks -- limit`): f64 \
         multiply-adds per second of a loop of 12 independent fused multiply-adds in registers, \
         at each vector width the CPU has, and a streaming read of 512 MiB; best of 7 runs each.\n\n\
         | | one core | {} cores |\n| --- | ---: | ---: |\n",
        limit.cores
    );
    for w in &limit.widths {
        let _ = writeln!(
            out,
            "| FMA, {} | {} multiply-adds/s | {} multiply-adds/s |",
            w.name,
            giga(w.one_core),
            giga(w.all_cores)
        );
    }
    let _ = writeln!(
        out,
        "| memory read | {}B/s | {}B/s |",
        giga(limit.read_one_core),
        giga(limit.read_all_cores)
    );
    let widest = limit.widest();
    let _ = write!(
        out,
        "\n{}The floor of `cost_grad`: {} multiply-adds in its matrix products, at the widest \
         vectors ({}) on {} cores, take {}; its {} bytes (X and Y read once, Θ read and the \
         gradient written once) take {} at the measured read rate. The floor is the larger, {}",
        if limit.avx512 {
            ""
        } else {
            "This CPU has no AVX-512. "
        },
        thousands(floor.multiply_adds),
        widest.name,
        limit.cores,
        fmt_seconds(floor.fma_seconds),
        thousands(floor.bytes),
        fmt_seconds(floor.memory_seconds),
        fmt_seconds(floor.seconds()),
    );
    match ours {
        Some(ours) => {
            let _ = writeln!(
                out,
                "; ours ({}) ÷ floor = {}.",
                fmt_seconds(ours),
                fmt_ratio(ours / floor.seconds())
            );
        }
        None => out.push_str(".\n"),
    }
}

fn products(out: &mut String, products: &[Product], meta: &Meta, limit: Option<&Limit>) {
    // Each product is one multiply-add per example, hidden unit and input.
    let multiply_adds = (meta.m * meta.hidden * meta.n) as f64;
    let peak = |seconds: f64| {
        limit.map_or("—".to_string(), |l| {
            fmt_percent(multiply_adds / seconds / l.widest().one_core)
        })
    };
    let _ = write!(
        out,
        "\n**Our kernels beside the `gemm` crate** (`cargo bench --bench tasks -- products DIR`): \
         `cost_grad`'s two plain products on the bench's X, one core, alternating, the median of 15 \
         each; ours in 60-row blocks as `fast::cost_and_gradient` runs them, the crate on the whole \
         matrices and on the same blocks. Above 1, ours is faster. Each product is {} \
         multiply-adds; the last column is ours against one core's rate at its widest vectors, \
         measured above.\n\n\
         | product | ours | gemm, whole | gemm, 60-row blocks | gemm ÷ ours (whole) | gemm ÷ ours (blocks) | ours, of one core's peak |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        thousands(multiply_adds as u64)
    );
    for p in products {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            p.name,
            fmt_seconds(p.ours),
            fmt_seconds(p.gemm),
            fmt_seconds(p.gemm_blocks),
            fmt_ratio(p.gemm / p.ours),
            fmt_ratio(p.gemm_blocks / p.ours),
            peak(p.ours)
        );
    }
}

/// Ours prints: final J, iterations, evaluations, J and evaluations after 50, then argmin's CG
/// and L-BFGS (final J, evaluations); numpy: scipy's CG final J, iterations, evaluations.
fn optimisers(out: &mut String, row: &Row) {
    let c = &row.ours.check;
    if c.len() < 9 {
        return;
    }
    let whole = |v: f64| thousands(v as u64);
    let iterations = whole(c[1]);
    out.push_str(
        "\n**The optimisers from the bench's start** (λ = 1; only the course's optimiser is timed):\n\n\
         | optimiser | iterations | final J | cost evaluations |\n| --- | ---: | ---: | ---: |\n",
    );
    let octave = |(it, j, evals): (u64, f64, u64)| {
        format!(
            "| the course's fmincg in Octave (reference) | {it} | {} | {evals} |",
            fmt_check(j)
        )
    };
    let _ = writeln!(
        out,
        "| the course's fmincg, ours | 50 | {} | {} |",
        fmt_check(c[3]),
        whole(c[4])
    );
    let _ = writeln!(out, "{}", octave(OCTAVE[0]));
    let _ = writeln!(
        out,
        "| the course's fmincg, ours | {iterations} | {} | {} |",
        fmt_check(c[0]),
        whole(c[2])
    );
    let _ = writeln!(out, "{}", octave(OCTAVE[1]));
    let _ = writeln!(
        out,
        "| argmin's CG (More–Thuente) | {iterations} | {} | {} |",
        fmt_check(c[5]),
        whole(c[6])
    );
    let _ = writeln!(
        out,
        "| argmin's L-BFGS | {iterations} | {} | {} |",
        fmt_check(c[7]),
        whole(c[8])
    );
    if let Some(n) = &row.numpy {
        let _ = writeln!(
            out,
            "| scipy's CG | {} | {} | {} |",
            whole(n.check[1]),
            fmt_check(n.check[0]),
            whole(n.check[2])
        );
    }
    let (j50, e50) = (c[3], c[4] as u64);
    let (_, octave_j50, octave_e50) = OCTAVE[0];
    let (_, octave_j400, _) = OCTAVE[1];
    let _ = write!(
        out,
        "\nAfter 50 iterations ours is {} from Octave's J (relative) with {}; after {iterations} it \
         ends {} from it.\n",
        fmt_relative(j50, octave_j50),
        if e50 == octave_e50 {
            "the same number of evaluations".to_string()
        } else {
            format!("{e50} evaluations against {octave_e50}")
        },
        fmt_relative(c[0], octave_j400),
    );
}

/// |a − b| / |b| in scientific notation with two digits: "6.8e-7".
fn fmt_relative(a: f64, b: f64) -> String {
    format!("{:.1e}", (a - b).abs() / b.abs())
}

fn footnotes(out: &mut String) {
    let _ = write!(
        out,
        "\nTimes are wall-clock, each task in a fresh process per side; `cost_grad` shows one \
         evaluation (after 2 warm-up evaluations, the median of at least 20 timed ones that \
         together last at least 2 s, the same rule on every side; each side runs {COST_GRAD_RUNS} \
         times, alternating with the others, and the table shows the median run), the others one \
         whole run. A ratio above 1 means ours is faster. Peak memory is each process's peak \
         resident size (the Python interpreter and its libraries included). JAX runs the two tasks \
         that are one cost-and-gradient function; its gradient check is the notes' method, two \
         full costs per parameter, batched 64 perturbations at a time with `jax.vmap`.\n\n\
         ¹ numpy runs scipy's `minimize(method='CG')` (Polak–Ribière, like the course's) with the \
         same iteration budget and `gtol` 0; the notes themselves call `method='TNC'` \
         (`bench/baseline.py run optimise DIR --tnc` runs that). The line searches differ, so the \
         final costs and evaluation counts differ too: they are shown, not compared. The time ratio \
         is of two whole runs of 400 iterations with about as many cost evaluations, not of one \
         algorithm implemented twice.\n"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_differences_are_short() {
        assert_eq!(
            fmt_relative(2.97323546861 * (1.0 + 6.8e-7), 2.97323546861),
            "6.8e-7"
        );
    }
}
