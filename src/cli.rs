//! What every chapter's example shares on the command line: where figures go, and how an
//! error is reported (a message on stderr and a non-zero exit, never a panic).

use std::path::PathBuf;
use std::process::ExitCode;

use crate::{Error, Result};

/// The folder of chapter `name`, where its figures live and are shown by the book.
pub fn chapter_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("chapters")
        .join(name)
}

/// `--out DIR`: where an example draws its figures.
#[derive(Debug, Clone, clap::Args)]
pub struct OutDir {
    /// Folder to write the figures to [default: the chapter's own folder]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

impl OutDir {
    /// The folder to draw into (created if missing): `--out`, else the folder of `chapter`.
    pub fn resolve(&self, chapter: &str) -> Result<PathBuf> {
        let dir = self.out.clone().unwrap_or_else(|| chapter_dir(chapter));
        std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
            action: "creating folder",
            path: dir.clone(),
            source,
        })?;
        Ok(dir)
    }
}

/// Flag parser: a number > 0 (a learning rate, a noise level). Rejects 0, negatives and NaN.
pub fn positive_f64(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
        Ok(v) => Err(format!("{v} is not a number > 0")),
        Err(_) => Err(format!("{s:?} is not a number")),
    }
}

/// Flag parser: a number ≥ 0 (λ).
pub fn non_negative_f64(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v >= 0.0 && v.is_finite() => Ok(v),
        Ok(v) => Err(format!("{v} is not a number ≥ 0")),
        Err(_) => Err(format!("{s:?} is not a number")),
    }
}

/// Flag parser: a whole number ≥ 1 (a layer size, a number of iterations or points).
pub fn positive_usize(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("0 is not allowed: at least 1 is needed".to_string()),
        Ok(v) => Ok(v),
        Err(_) => Err(format!("{s:?} is not a whole number ≥ 1")),
    }
}

/// Runs an example's body; on error prints `error: …` to stderr and exits with status 1.
/// (Bad flags are caught earlier by clap, which exits with status 2.)
pub fn run(body: impl FnOnce() -> Result<()>) -> ExitCode {
    match body() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_parsers_accept_and_reject() {
        assert_eq!(positive_f64("0.5"), Ok(0.5));
        for bad in ["0", "-1", "NaN", "inf", "fast"] {
            assert!(positive_f64(bad).is_err(), "{bad}");
        }
        assert_eq!(non_negative_f64("0"), Ok(0.0));
        assert!(non_negative_f64("-0.1").unwrap_err().contains("≥ 0"));
        assert_eq!(positive_usize("30000"), Ok(30000));
        assert!(positive_usize("0").unwrap_err().contains("at least 1"));
        assert!(positive_usize("-3").is_err() && positive_usize("2.5").is_err());
    }
}
