//! `cargo xtask grade <exercise> [--file PATH]`: builds a learner's exercise file against the
//! library in a scratch crate under target/, grades it part by part, each part in its own
//! process with a time limit, and prints one table with the total out of 100.
//!
//! This crate is the orchestrator and has no dependency on the library, so that xtask stays
//! light; what each part checks is in grader-checks, which the scratch crate links.

pub mod error;
pub mod exercises;
pub mod layout;
pub mod report;
pub mod run;
pub mod scratch;
mod table;

use std::path::{Path, PathBuf};

use error::io;
pub use error::{GradeError, Result};
use exercises::{Exercise, Part};
use layout::{FIXTURE, Layout, WEIGHTS};
use run::Ending;

/// What to grade.
#[derive(Debug, Clone)]
pub struct Request {
    /// An exercise's name (or its chapter's folder name).
    pub exercise: String,
    /// The file to grade [default: the chapter's exercise.rs].
    pub file: Option<PathBuf>,
    /// The folder holding ex4weights.mat [default: looked for].
    pub data: Option<PathBuf>,
    /// Only these parts [default, when empty: every part].
    pub parts: Vec<String>,
}

/// How one part went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartResult {
    Graded(Ending),
    /// The file did not compile, so the part could not run.
    NotBuilt,
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Row {
    pub part: &'static Part,
    pub result: PartResult,
}

impl Row {
    pub fn passed(&self) -> bool {
        matches!(&self.result, PartResult::Graded(e) if e.passed())
    }

    /// The points this row earned.
    pub fn points(&self) -> u32 {
        if self.passed() { self.part.points } else { 0 }
    }

    /// The word in the result column.
    pub fn word(&self) -> &'static str {
        match &self.result {
            PartResult::NotBuilt => "not built",
            PartResult::Graded(Ending::TimedOut(_)) => "timed out",
            PartResult::Graded(Ending::Crashed { .. }) => "crashed",
            PartResult::Graded(Ending::Reported(r)) => match r.status {
                report::Status::Passed => "passed",
                report::Status::Failed => "failed",
                report::Status::GraderError => "error",
            },
        }
    }

    /// What the feedback column says.
    pub fn feedback(&self) -> String {
        match &self.result {
            PartResult::NotBuilt => {
                "the file does not compile (see the messages above)".to_string()
            }
            PartResult::Graded(Ending::TimedOut(limit)) => format!(
                "stopped after {} s: an endless loop, or far too much work",
                limit.as_secs()
            ),
            PartResult::Graded(Ending::Crashed { status, stderr }) => {
                format!("the part's process died ({status}): {stderr}")
            }
            PartResult::Graded(Ending::Reported(r)) => r.feedback.clone(),
        }
    }
}

/// A graded submission.
#[derive(Debug)]
pub struct Outcome {
    pub exercise: &'static Exercise,
    pub file: PathBuf,
    /// Lines for above the table: which inputs were used or skipped.
    pub notes: Vec<String>,
    /// The compiler's messages, when the file did not compile.
    pub compiler: Option<String>,
    /// The signatures the grader calls, shown when the file did not compile.
    pub signatures: Vec<String>,
    pub rows: Vec<Row>,
}

impl Outcome {
    /// Points earned, out of [`Outcome::possible`].
    pub fn score(&self) -> u32 {
        self.rows.iter().map(Row::points).sum()
    }

    pub fn possible(&self) -> u32 {
        self.rows.iter().map(|r| r.part.points).sum()
    }

    pub fn full_marks(&self) -> bool {
        self.score() == self.possible()
    }

    /// The row of part `id`.
    pub fn row(&self, id: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.part.id == id)
    }

    /// Everything the grader prints: compiler messages if any, notes, the table, the total.
    pub fn render(&self) -> String {
        table::render(self)
    }
}

/// The `pub fn` signatures of a Rust file, each on one line.
fn signatures(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    for line in source.lines().map(str::trim) {
        if line.starts_with("pub fn ") {
            current = Some(String::new());
        }
        if let Some(sig) = current.as_mut() {
            let part = line.split('{').next().unwrap_or(line).trim();
            if !sig.is_empty() && !sig.ends_with('(') && !part.starts_with(')') {
                sig.push(' ');
            }
            sig.push_str(part);
            if line.contains('{') {
                found.push(sig.replace(",)", ")"));
                current = None;
            }
        }
    }
    found
}

/// Grades `request` in `layout`.
pub fn grade(layout: &Layout, request: &Request) -> Result<Outcome> {
    let exercise =
        exercises::find(&request.exercise).ok_or_else(|| GradeError::UnknownExercise {
            name: request.exercise.clone(),
            known: exercises::names(),
        })?;
    if let Some(unknown) = request
        .parts
        .iter()
        .find(|id| !exercise.parts.iter().any(|p| &p.id == id))
    {
        return Err(GradeError::UnknownPart {
            exercise: exercise.name,
            part: unknown.clone(),
            known: exercise
                .parts
                .iter()
                .map(|p| p.id)
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let parts: Vec<&'static Part> = exercise
        .parts
        .iter()
        .filter(|p| request.parts.is_empty() || request.parts.iter().any(|id| id == p.id))
        .collect();
    let file = request
        .file
        .clone()
        .unwrap_or_else(|| layout.template(exercise));
    if !file.is_file() {
        return Err(GradeError::Missing {
            what: "the file to grade,",
            path: file,
        });
    }
    let file = std::fs::canonicalize(&file).map_err(io("reading", &file))?;
    let (inputs, notes) = inputs(layout, exercise, request.data.as_deref())?;
    let mut outcome = Outcome {
        exercise,
        file: file.clone(),
        notes,
        compiler: None,
        signatures: Vec::new(),
        rows: Vec::new(),
    };
    match scratch::build(layout, exercise, &file)? {
        scratch::Build::Failed(messages) => {
            let template = std::fs::read_to_string(layout.template(exercise)).unwrap_or_default();
            outcome.signatures = signatures(&template);
            outcome.compiler = Some(messages);
            outcome.rows = parts
                .iter()
                .map(|&part| Row {
                    part,
                    result: PartResult::NotBuilt,
                })
                .collect();
        }
        scratch::Build::Built(binary) => {
            let (dir, _) = scratch::name_for(layout, exercise, &file);
            let endings = run::run_parts(&binary, &dir, &parts, &inputs)?;
            outcome.rows = parts
                .iter()
                .zip(endings)
                .map(|(&part, ending)| Row {
                    part,
                    result: PartResult::Graded(ending),
                })
                .collect();
        }
    }
    Ok(outcome)
}

/// The input files for `exercise`'s parts, and a line saying what was used or skipped.
fn inputs(
    layout: &Layout,
    exercise: &Exercise,
    data: Option<&Path>,
) -> Result<(run::Inputs, Vec<String>)> {
    let mut inputs = run::Inputs::default();
    if !exercise.uses_course_weights {
        return Ok((inputs, Vec::new()));
    }
    let fixture = layout.fixture();
    let mut notes = Vec::new();
    match layout.weights(data)? {
        Some(weights) if fixture.is_file() => {
            notes.push(format!(
                "Graded with the course's {WEIGHTS} ({}) on {FIXTURE}, besides the fixed inputs.",
                weights.display()
            ));
            inputs.weights = Some(weights);
            inputs.fixture = Some(fixture);
        }
        Some(_) => notes.push(format!(
            "{FIXTURE} is missing, so the inputs that use {WEIGHTS} are skipped."
        )),
        None => {
            let looked: Vec<String> = layout
                .weight_dirs()
                .iter()
                .map(|d| d.display().to_string())
                .collect();
            notes.push(format!(
                "Skipped: the inputs that need the course's {WEIGHTS}, which is not here (looked in {}). \
                 To grade with them too, put it in ./data/ or name its folder with --data DIR or $BACKPROP_BOOK_DATA.",
                looked.join(", ")
            ));
        }
    }
    Ok((inputs, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_read_whole_across_lines() {
        let source = "fn private() {}\npub fn a(x: f64) -> f64 {\n}\npub fn b(\n    x: &[f64],\n    y: usize,\n) -> (f64, Vec<f64>) {\n    todo!()\n}\n";
        assert_eq!(
            signatures(source),
            [
                "pub fn a(x: f64) -> f64",
                "pub fn b(x: &[f64], y: usize) -> (f64, Vec<f64>)"
            ]
        );
    }
}
