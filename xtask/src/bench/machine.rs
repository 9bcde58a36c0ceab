//! The machine section under the table: the CPU, memory, OS, Rust, and the Python side's
//! versions and BLAS.

use std::path::Path;
use std::process::Stdio;

use serde_json::Value;

use super::host::{command_line, cpu, now_utc, os, ram};
use super::peer::Peer;
use crate::Result;

/// A peer's facts, from `SCRIPT machine`, run as the peer runs (without the forcing
/// variables), so the BLAS kernel it names is the one the timed runs used.
pub(super) fn python_facts(python: &Path, peer: Peer) -> Result<Value> {
    let what = format!("{} machine", peer.name());
    let out = peer
        .command(python)
        .arg("machine")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{what}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{what} failed ({})", out.status));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("{what}: {e}"))
}

/// The machine section; `forced` names the variables the peers ran without, `load` the load
/// averages seen while measuring.
pub(super) fn machine_markdown(python: &Path, forced: &[String], load: &str) -> Result<String> {
    let facts = python_facts(python, Peer::Numpy)?;
    let jax = python_facts(python, Peer::Jax)?;
    let fact = |facts: &Value, name: &str| match &facts[name] {
        Value::String(s) => s.clone(),
        Value::Null => "unknown".into(),
        other => other.to_string(),
    };
    let threads = match facts["blas_threads"].as_u64() {
        Some(1) => ", 1 thread".to_string(),
        Some(n) => format!(", {n} threads"),
        None => String::new(),
    };
    let forced = if forced.is_empty() {
        "none was set".to_string()
    } else {
        format!("unset for the peers only: {}", forced.join(", "))
    };
    Ok(format!(
        "{}\n\n\
         - Measured: {}\n\
         - Load average while measuring (other work on the machine): {load}\n\
         - CPU: {}\n\
         - RAM: {}\n\
         - OS: {}\n\
         - Rust: {}\n\
         - Python: {}\n\
         - numpy {}, scipy {}, scikit-learn {}\n\
         - numpy's BLAS, as numpy ran it (threadpoolctl): {}{threads}\n\
         - JAX {}, jaxlib {}, on {} (float64)\n\
         - Variables that force a BLAS's kernels or threads: {forced}\n\n{}\n",
        crate::mdprep::GENERATED_START,
        now_utc(),
        cpu(),
        ram(),
        os(),
        command_line("rustc", &["-V"]).unwrap_or_else(|| "unknown".into()),
        fact(&facts, "python"),
        fact(&facts, "numpy"),
        fact(&facts, "scipy"),
        fact(&facts, "scikit-learn"),
        fact(&facts, "blas"),
        fact(&jax, "jax"),
        fact(&jax, "jaxlib"),
        fact(&jax, "backend"),
        crate::mdprep::GENERATED_END,
    ))
}
