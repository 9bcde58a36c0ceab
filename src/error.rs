//! The one error type at the library's edges: every message names what was wrong and what was
//! expected, so a reader who mistyped a flag or pointed at the wrong file can fix it.

use std::path::PathBuf;

/// Everything a user of the library or of a chapter's example can get wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// A matrix or vector had the wrong shape.
    #[error("{what} has shape {found}, expected {expected}")]
    Shape {
        what: String,
        expected: String,
        found: String,
    },
    /// A value outside what the algorithm accepts (a flag, a hyper-parameter, a label).
    #[error("invalid {what}: {found}, expected {expected}")]
    Invalid {
        what: String,
        expected: String,
        found: String,
    },
    /// A data file exists but is not what was expected (format, variables, values).
    #[error("{path}: {message}")]
    Data { path: PathBuf, message: String },
    /// A data file was not found in any of the places it is looked for.
    #[error("{file} not found; looked in {searched}. {hint}")]
    Missing {
        file: String,
        searched: String,
        hint: String,
    },
    /// Drawing a figure failed.
    #[error("drawing {figure}: {message}")]
    Plot { figure: String, message: String },
}

/// `Result` with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A shape mismatch, with `found` given as `(rows, cols)`.
    pub fn shape(
        what: impl Into<String>,
        expected: impl Into<String>,
        found: (usize, usize),
    ) -> Self {
        Error::Shape {
            what: what.into(),
            expected: expected.into(),
            found: format!("{}×{}", found.0, found.1),
        }
    }

    /// An invalid value.
    pub fn invalid(
        what: impl Into<String>,
        expected: impl Into<String>,
        found: impl std::fmt::Display,
    ) -> Self {
        Error::Invalid {
            what: what.into(),
            expected: expected.into(),
            found: found.to_string(),
        }
    }
}
