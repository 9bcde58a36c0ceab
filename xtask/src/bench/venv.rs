//! The Python side's virtual environment: the pins of a requirements file installed once, into a
//! folder named after the file's hash, so a change of pins makes a new one beside the old.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::{Result, root, run, tools};

/// FNV-1a, 64 bits: a hash that stays the same on every machine and Rust version.
pub(super) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The Python of a virtual environment holding `requirements` (which must make `modules`
/// importable), made first if it is missing or was left incomplete:
/// `$BACKPROP_BOOK_TOOLS/venv-HASH` if that is set, else `~/.cache/backprop-book/venv-HASH`
/// (beside the tools folder). The bench and the primer's numpy (`crate::primer`) share it.
pub fn venv(requirements: &Path, modules: &[&str]) -> Result<PathBuf> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
