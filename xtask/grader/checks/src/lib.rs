//! The checking half of `cargo xtask grade`: what runs inside each graded part's process.
//!
//! The orchestrator (the `grader` crate) builds one small binary per submission. Its `main` binds
//! the learner's module to an exercise's [`Graded`] checks (with that exercise's `*_code!` macro)
//! and calls [`main`], which grades the one part named on the command line and writes a report.
//! Expected values come from the library; the known mistakes are the library's answers with one
//! thing done wrong (see each exercise's `mistakes`).

pub mod compare;
pub mod ex4;
pub mod gradcheck;
pub mod isolate;
pub mod perceptron;
mod verdict;
pub mod xnor;

use std::path::PathBuf;
use std::process::ExitCode;

pub use verdict::{Status, Verdict};

/// " Diagnosis: …" naming each known mistake (its name, what to do instead) whose result
/// matches the learner's on every input; or a line saying that none does.
pub fn diagnosis(found: &[(&str, &str)]) -> String {
    match found {
        [] => " It matches none of the known mistakes the grader tries for this part.".to_string(),
        [(name, advice)] => format!(" Diagnosis: {name}: {advice}."),
        several => {
            let named: Vec<String> = several.iter().map(|(n, a)| format!("{n} ({a})")).collect();
            format!(
                " Diagnosis: it matches each of these: {}.",
                named.join("; ")
            )
        }
    }
}

/// An exercise's checks, with the learner's functions bound in.
pub trait Graded {
    /// Grades part `id`; `None` if the exercise has no such part.
    fn grade(&self, id: &str, data: &Data) -> Option<Verdict>;
}

/// The grading inputs that are files, as the orchestrator found them.
#[derive(Debug, Clone, Default)]
pub struct Data {
    /// tests/fixtures/ex4data1-small.mat: 50 images in the course's format.
    pub fixture: Option<PathBuf>,
    /// The course's ex4weights.mat, when the grader found it (it is not ours to ship).
    pub weights: Option<PathBuf>,
}

/// Why the runner could not even start grading: its command line was not the orchestrator's.
#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    #[error("usage: PART REPORT [--fixture PATH] [--weights PATH]; got {0:?}")]
    Usage(Vec<String>),
    #[error("this exercise has no part {0:?}")]
    UnknownPart(String),
    #[error("writing the report {path}: {source}")]
    Report {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The runner's entry point: `BINARY PART REPORT [--fixture PATH] [--weights PATH]`. Grades one
/// part and writes its verdict to REPORT; the exit code says only whether that worked.
pub fn main(exercise: impl Graded) -> ExitCode {
    match run(&exercise, std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("grader runner: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(exercise: &impl Graded, args: Vec<String>) -> Result<(), RunnerError> {
    let usage = || RunnerError::Usage(args.clone());
    let [part, report, options @ ..] = args.as_slice() else {
        return Err(usage());
    };
    let mut data = Data::default();
    for pair in options.chunks(2) {
        match pair {
            [flag, path] if flag == "--fixture" => data.fixture = Some(path.into()),
            [flag, path] if flag == "--weights" => data.weights = Some(path.into()),
            _ => return Err(usage()),
        }
    }
    let verdict = exercise
        .grade(part, &data)
        .ok_or_else(|| RunnerError::UnknownPart(part.clone()))?;
    std::fs::write(report, verdict.to_report()).map_err(|source| RunnerError::Report {
        path: report.into(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Echo;
    impl Graded for Echo {
        fn grade(&self, id: &str, data: &Data) -> Option<Verdict> {
            (id == "1").then(|| Verdict::pass(format!("{:?}", data.weights)))
        }
    }

    #[test]
    fn the_runner_reads_its_command_line_and_refuses_anything_else() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("r").display().to_string();
        let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        run(&Echo, args(&["1", &report, "--weights", "w.mat"])).unwrap();
        let text = std::fs::read_to_string(&report).unwrap();
        assert_eq!(
            grader::report::parse(&text).unwrap().feedback,
            "Some(\"w.mat\")"
        );
        assert!(matches!(
            run(&Echo, args(&["2", &report])),
            Err(RunnerError::UnknownPart(_))
        ));
        assert!(matches!(
            run(&Echo, args(&["1", &report, "--weights"])),
            Err(RunnerError::Usage(_))
        ));
        assert!(matches!(
            run(&Echo, args(&["1"])),
            Err(RunnerError::Usage(_))
        ));
    }
}
