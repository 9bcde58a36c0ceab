//! Runs each part in its own process, all at once, each with a watchdog. A process per part
//! (rather than threads and catch_unwind alone) is what stops an endless loop, and survives
//! an abort or a stack overflow; inside it, grader-checks still catches panics so the report
//! can say which input the code panicked on.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::error::{GradeError, Result, io};
use crate::exercises::Part;
use crate::report::{self, Status};

/// How one part ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// Its process wrote a report.
    Reported(report::Report),
    /// Stopped by the watchdog.
    TimedOut(Duration),
    /// Its process ended without a report: `stderr` is what it said last.
    Crashed { status: String, stderr: String },
}

impl Ending {
    pub fn passed(&self) -> bool {
        matches!(self, Ending::Reported(r) if r.status == Status::Passed)
    }
}

/// What a part's process is given: the inputs that are files.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub fixture: Option<PathBuf>,
    pub weights: Option<PathBuf>,
}

struct Running<'a> {
    part: &'a Part,
    child: Child,
    report: PathBuf,
    stderr: PathBuf,
    started: Instant,
    ended: Option<Ending>,
}

/// Runs every part of `parts` with `binary`, in `dir` (the scratch crate's folder).
pub fn run_parts(
    binary: &Path,
    dir: &Path,
    parts: &[&Part],
    inputs: &Inputs,
) -> Result<Vec<Ending>> {
    let runs = dir.join("runs");
    std::fs::create_dir_all(&runs).map_err(io("creating", &runs))?;
    let tag = std::process::id();
    let mut running = Vec::new();
    for part in parts {
        let file = |what: &str| runs.join(format!("{tag}-{}.{what}", part.id));
        let (report, stdout, stderr) = (file("report"), file("stdout"), file("stderr"));
        let _ = std::fs::remove_file(&report);
        let mut cmd = Command::new(binary);
        cmd.arg(part.id).arg(&report).current_dir(dir);
        if let Some(f) = &inputs.fixture {
            cmd.arg("--fixture").arg(f);
        }
        if let Some(w) = &inputs.weights {
            cmd.arg("--weights").arg(w);
        }
        let out = std::fs::File::create(&stdout).map_err(io("creating", &stdout))?;
        let err = std::fs::File::create(&stderr).map_err(io("creating", &stderr))?;
        let child = cmd
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|source| GradeError::Start {
                program: binary.display().to_string(),
                source,
            })?;
        running.push(Running {
            part,
            child,
            report,
            stderr,
            started: Instant::now(),
            ended: None,
        });
    }
    while running.iter().any(|r| r.ended.is_none()) {
        for r in running.iter_mut().filter(|r| r.ended.is_none()) {
            match r.child.try_wait() {
                Ok(Some(status)) => r.ended = Some(ending(status, &r.report, &r.stderr)),
                Ok(None) if r.started.elapsed() > r.part.time_limit => {
                    let _ = r.child.kill();
                    let _ = r.child.wait();
                    r.ended = Some(Ending::TimedOut(r.part.time_limit));
                }
                Ok(None) => {}
                Err(e) => {
                    r.ended = Some(Ending::Crashed {
                        status: format!("could not be waited for: {e}"),
                        stderr: String::new(),
                    })
                }
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let endings = running.into_iter().map(|r| {
        for path in [&r.report, &r.stderr] {
            let _ = std::fs::remove_file(path);
        }
        let _ = std::fs::remove_file(r.report.with_extension("stdout"));
        r.ended.expect("every part ended")
    });
    Ok(endings.collect())
}

/// The report if the process wrote one, else a crash with its last lines of stderr.
fn ending(status: ExitStatus, report: &Path, stderr: &Path) -> Ending {
    if let Some(parsed) = std::fs::read_to_string(report)
        .ok()
        .and_then(|t| report::parse(&t))
    {
        return Ending::Reported(parsed);
    }
    let said = std::fs::read_to_string(stderr).unwrap_or_default();
    let last: Vec<&str> = said
        .lines()
        .filter(|l| !l.trim().is_empty())
        .rev()
        .take(3)
        .collect();
    Ending::Crashed {
        status: status.to_string(),
        stderr: last.into_iter().rev().collect::<Vec<_>>().join(" / "),
    }
}
