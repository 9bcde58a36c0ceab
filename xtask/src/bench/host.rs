//! What Linux says about this machine and its load: /proc/loadavg, /proc/stat's steal time,
//! /proc/cpuinfo, /proc/meminfo, /etc/os-release.

use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

/// Says so if other work is running: it slows both sides, and numpy's BLAS (one thread per
/// core) most.
pub(super) fn warn_if_busy() {
    if let Some(load) = load_average().filter(|&l| l >= 0.5) {
        eprintln!(
            "    warning: the machine is busy (load average {load:.2} over the last minute): \
             the times will be noisy, numpy's most; run the benchmark on an idle machine"
        );
    }
}

/// The load average over the last minute, from /proc/loadavg.
pub(super) fn load_average() -> Option<f64> {
    first_number(&std::fs::read_to_string("/proc/loadavg").ok()?)
}

fn first_number(loadavg: &str) -> Option<f64> {
    loadavg.split_whitespace().next()?.parse().ok()
}

/// The loads seen, as "1.2–4.3 (1-minute load average, sampled before each run; 2 cores)".
pub(super) fn describe_loads(loads: &[f64]) -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let (lo, hi) = loads
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &l| {
            (lo.min(l), hi.max(l))
        });
    if loads.is_empty() {
        "unknown".into()
    } else {
        format!("{lo:.1}–{hi:.1} (1-minute load average, sampled before each run; {cores} cores)")
    }
}

/// All cores' time so far, from the first line of /proc/stat: (stolen, total), in clock ticks.
pub(super) fn cpu_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    stolen_and_total(stat.lines().next()?)
}

/// Reads "cpu user nice system idle iowait irq softirq steal guest guest_nice": steal, and the
/// sum of the first eight (a guest's time is already counted in user).
pub(super) fn stolen_and_total(line: &str) -> Option<(u64, u64)> {
    let ticks: Vec<u64> = line
        .strip_prefix("cpu ")?
        .split_whitespace()
        .map(|t| t.parse().ok())
        .collect::<Option<_>>()?;
    let first = ticks.get(..8)?;
    Some((first[7], first.iter().sum()))
}

pub(super) fn command_line(program: &str, args: &[&str]) -> Option<String> {
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
pub(super) fn cpu() -> String {
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

pub(super) fn ram() -> String {
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or("unknown".into(), |kb| {
            format!("{:.1} GiB", kb / 1024.0 / 1024.0)
        })
}

pub(super) fn os() -> String {
    let release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    release
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim().trim_matches('"').to_string())
        .unwrap_or_else(|| std::env::consts::OS.to_string())
}

/// Now, in UTC, as `YYYY-MM-DD HH:MM UTC`.
pub(super) fn now_utc() -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_steal_time() {
        let line = "cpu  2255 34 2290 22625563 6290 127 456 1200 0 0";
        assert_eq!(
            stolen_and_total(line),
            Some((1200, 2255 + 34 + 2290 + 22625563 + 6290 + 127 + 456 + 1200))
        );
        // A kernel too old to count steal time, and a per-core line, are not read.
        assert_eq!(stolen_and_total("cpu  1 2 3 4"), None);
        assert_eq!(stolen_and_total("cpu0 1 2 3 4 5 6 7 8 0 0"), None);
    }

    #[test]
    fn reads_the_load_average() {
        assert_eq!(first_number("4.19 3.24 6.56 8/146 22003\n"), Some(4.19));
        assert_eq!(first_number(""), None);
        assert!(describe_loads(&[4.19, 0.5, 2.0]).starts_with("0.5–4.2 "));
        assert_eq!(describe_loads(&[]), "unknown");
    }

    #[test]
    fn dates_have_one_shape() {
        let now = now_utc();
        assert_eq!(now.len(), "2026-01-01 00:00 UTC".len(), "{now}");
    }
}
