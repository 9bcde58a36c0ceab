//! One side's run of one task: starting its process, reading the JSON line it prints, and the
//! median of several runs.

use std::process::{Command, Stdio};

use regex::Regex;
use serde_json::Value;

use super::format::{fmt_percent, fmt_seconds};
use super::host::cpu_ticks;
use crate::{Result, root};

/// Runs per side of `cost_grad`, alternating ours and numpy's: over the seconds one run takes,
/// the host's load moves the times by 10–40% (either side can land in a busy spell), so the table
/// takes the median run.
pub(super) const COST_GRAD_RUNS: usize = 3;

/// One side's answer for one task: the JSON line its runner printed, and the share of the CPUs'
/// time the host took meanwhile.
pub(super) struct Measure {
    pub(super) seconds: f64,
    pub(super) unit: String,
    pub(super) check: Vec<f64>,
    pub(super) peak_mib: f64,
    /// Steal time, from /proc/stat: the share of all cores' time the hypervisor gave to other
    /// machines while this ran (None where there is no /proc/stat).
    pub(super) stolen: Option<f64>,
    /// The fastest single evaluation, for a task timed over many (`cost_grad`).
    pub(super) fastest: Option<f64>,
    /// JAX's first call (tracing and compiling), left out of its times.
    pub(super) compile: Option<f64>,
}

impl Measure {
    /// The run with the median time of several (an odd number) of one side's runs, with the
    /// fastest evaluation of them all.
    pub(super) fn median(mut runs: Vec<Measure>) -> Measure {
        let fastest = runs.iter().filter_map(|r| r.fastest).reduce(f64::min);
        runs.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
        let middle = runs.len() / 2;
        Measure {
            fastest,
            ..runs.swap_remove(middle)
        }
    }

    /// How long it took, and the host's share if known: "5.13 ms (host took 12%)".
    pub(super) fn summary(&self) -> String {
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

/// Runs one side of one task (its progress going to the terminal) and reads the one JSON line
/// it prints on stdout, with the share of the cores the host took meanwhile.
pub(super) fn measure(task: &str, side: &str, cmd: &mut Command) -> Result<Measure> {
    let what = format!("{task} ({side})");
    let before = cpu_ticks();
    let line = json_line(&what, cmd)?;
    let stolen = match (before, cpu_ticks()) {
        (Some((s0, t0)), Some((s1, t1))) if t1 > t0 => Some((s1 - s0) as f64 / (t1 - t0) as f64),
        _ => None,
    };
    let mut measure = parse(task, &line).map_err(|e| format!("{what}: {e} in {line}"))?;
    measure.stolen = stolen;
    Ok(measure)
}

/// Runs `cmd` (its stderr going to the terminal) and returns the one line of JSON it printed.
pub(super) fn json_line(what: &str, cmd: &mut Command) -> Result<String> {
    let out = cmd
        .current_dir(root())
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{what}: could not start: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "{what} failed ({}); it printed:\n{stdout}",
            out.status
        ));
    }
    let lines: Vec<&str> = stdout
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('{'))
        .collect();
    match lines.as_slice() {
        [line] => Ok(line.to_string()),
        _ => Err(format!(
            "{what}: expected one JSON line on stdout, got {}:\n{stdout}",
            lines.len()
        )),
    }
}

pub(super) fn parse(task: &str, line: &str) -> Result<Measure> {
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
        compile: number(&json["compile_seconds"]),
    })
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
    fn takes_the_median_run_with_the_fastest_evaluation_of_all() {
        let run = |seconds: f64| Measure {
            seconds,
            unit: "evaluation".into(),
            check: vec![seconds],
            peak_mib: 1.0,
            stolen: None,
            fastest: Some(seconds / 2.0),
            compile: None,
        };
        let median = Measure::median(vec![run(5.0), run(4.0), run(6.5)]);
        assert_eq!((median.seconds, median.check[0]), (5.0, 5.0));
        assert_eq!(median.fastest, Some(2.0));
    }
}
