//! Reading what a part's process reported: the status word on the first line of its report
//! file, the feedback after it (grader-checks writes it).

/// How a part went, as its process said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Passed,
    Failed,
    /// The grader could not compute what to compare with.
    GraderError,
}

/// One part's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub status: Status,
    pub feedback: String,
}

/// Parses a report file's text; `None` if it is not one (a process that died while writing).
pub fn parse(text: &str) -> Option<Report> {
    let (word, feedback) = text.split_once('\n').unwrap_or((text, ""));
    let status = match word {
        "passed" => Status::Passed,
        "failed" => Status::Failed,
        "error" => Status::GraderError,
        _ => return None,
    };
    Some(Report {
        status,
        feedback: feedback.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_parse_and_garbage_does_not() {
        let r = parse("failed\non the debug network: J = 1").unwrap();
        assert_eq!(r.status, Status::Failed);
        assert_eq!(r.feedback, "on the debug network: J = 1");
        assert_eq!(parse("passed").unwrap().feedback, "");
        assert_eq!(parse("error\nx").unwrap().status, Status::GraderError);
        assert!(parse("").is_none() && parse("pass\n").is_none());
    }
}
