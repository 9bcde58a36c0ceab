//! The machine section under the table: the CPU, memory, OS, Rust, and the Python side's
//! versions and BLAS.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use super::host::{command_line, cpu, now_utc, os, ram};
use crate::{Result, root};

/// The numpy side's versions and BLAS, from `baseline.py machine`.
pub(super) fn python_facts(python: &Path) -> Result<Value> {
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

pub(super) fn machine_markdown(python: &Path) -> Result<String> {
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
