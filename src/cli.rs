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

/// Set by `cargo xtask bless` and the transcript test: [`section`] then marks where each named
/// part of the transcript begins, so that a page can include that part by name.
pub const SECTIONS_VAR: &str = "BACKPROP_BOOK_SECTIONS";
/// The line that marks a section's start in a marked transcript (never in a normal run).
const SECTION_MARK: &str = "\u{1e}section ";

/// Starts the transcript's section `name`, ending the one before. In a normal run it prints
/// nothing: stdout stays the whole transcript.
pub fn section(name: &str) {
    if std::env::var_os(SECTIONS_VAR).is_some() {
        println!("{SECTION_MARK}{name}");
    }
}

/// Splits a marked run's stdout into the plain transcript and the sections file, where each
/// section sits between mdBook's anchor lines named after it, which
/// `{{#include sections.txt:NAME}}` understands. No marks: no sections file.
pub fn split_sections(marked: &str) -> (String, Option<String>) {
    let (mut plain, mut sections, mut open) = (String::new(), String::new(), None::<&str>);
    for line in marked.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix(SECTION_MARK) {
            if let Some(previous) = open {
                sections += &format!("ANCHOR_END: {previous}\n");
            }
            let name = name.trim_end();
            sections += &format!("ANCHOR: {name}\n");
            open = Some(name);
        } else {
            plain += line;
            // A section starts at its first printed line, not at the blank line before it.
            let fresh = sections.ends_with(&format!("ANCHOR: {}\n", open.unwrap_or("")));
            if open.is_some() && !(fresh && line.trim().is_empty()) {
                sections += line;
            }
        }
    }
    match open {
        Some(last) => {
            if !sections.ends_with('\n') {
                sections.push('\n');
            }
            sections += &format!("ANCHOR_END: {last}\n");
            (plain, Some(sections))
        }
        None => (plain, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marked_transcript_splits_into_the_plain_one_and_named_sections() {
        let marked = format!("intro\n{SECTION_MARK}one\na\nb\n{SECTION_MARK}two\n\nc\n");
        let (plain, sections) = split_sections(&marked);
        assert_eq!(plain, "intro\na\nb\n\nc\n");
        assert_eq!(
            sections.unwrap(),
            "ANCHOR: one\na\nb\nANCHOR_END: one\nANCHOR: two\nc\nANCHOR_END: two\n"
        );
        assert_eq!(
            split_sections("just text\n"),
            ("just text\n".to_string(), None)
        );
    }

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
