//! A part's result as the runner reports it: the status on the first line of the report file,
//! the feedback after it (a file, not stdout, so that a learner's `println!` cannot garble it).

/// How a part went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Passed,
    Failed,
    /// The grader itself could not compute what to compare with (a missing input file, a bug).
    GraderError,
}

impl Status {
    /// The word on the report's first line.
    pub fn word(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::GraderError => "error",
        }
    }
}

/// One part's status and what to tell the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub status: Status,
    pub feedback: String,
}

impl Verdict {
    pub fn pass(feedback: impl Into<String>) -> Verdict {
        Verdict {
            status: Status::Passed,
            feedback: feedback.into(),
        }
    }

    pub fn fail(feedback: impl Into<String>) -> Verdict {
        Verdict {
            status: Status::Failed,
            feedback: feedback.into(),
        }
    }

    /// The grader could not grade: `why` names what went wrong on its side.
    pub fn grader_error(why: impl std::fmt::Display) -> Verdict {
        Verdict {
            status: Status::GraderError,
            feedback: format!("the grader could not compute the expected values: {why}"),
        }
    }

    pub fn passed(&self) -> bool {
        self.status == Status::Passed
    }

    /// The report file's text: the status word, a newline, the feedback.
    pub fn to_report(&self) -> String {
        format!("{}\n{}", self.status.word(), self.feedback)
    }
}
