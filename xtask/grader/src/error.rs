//! What can stop the grader before it has a table to print. A submission that does not build,
//! panics or hangs is not an error: it is graded (with 0 points for what failed).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum GradeError {
    #[error("there is no exercise {name:?}; the exercises are {known}")]
    UnknownExercise { name: String, known: String },
    #[error("{exercise} has no part {part:?}; its parts are {known}")]
    UnknownPart {
        exercise: &'static str,
        part: String,
        known: String,
    },
    #[error("{what} {path} does not exist")]
    Missing { what: &'static str, path: PathBuf },
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not start {program}: {source}")]
    Start {
        program: String,
        source: std::io::Error,
    },
    #[error(
        "{path} has no `{dependency} = ...` line under [dependencies]; the scratch crate copies it"
    )]
    Manifest {
        path: PathBuf,
        dependency: &'static str,
    },
    #[error("--data {dir}: there is no ex4weights.mat in it")]
    NoWeights { dir: PathBuf },
}

pub type Result<T, E = GradeError> = std::result::Result<T, E>;

/// Attaches what was being done to which path to an I/O error.
pub(crate) fn io(
    action: &'static str,
    path: impl Into<PathBuf>,
) -> impl FnOnce(std::io::Error) -> GradeError {
    let path = path.into();
    move |source| GradeError::Io {
        action,
        path,
        source,
    }
}
