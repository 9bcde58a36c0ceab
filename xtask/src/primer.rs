//! The primer's numpy (`chapters/appendix_primer/ex4.py`), run by `cargo xtask test`: it computes
//! the course's five ex4 functions on the same inputs as the primer's Rust program, and every
//! number it prints must match that program's transcript (`output.txt`), line by line.

use std::fmt;
use std::process::{Command, Stdio};
use std::sync::LazyLock;

use regex::Regex;

use crate::browser::Ready;
use crate::{Result, bench, root};

/// The primer's folder under chapters/.
const CHAPTER: &str = "appendix_primer";

/// How far apart two printed numbers may be, relative to the larger: both programs print 13
/// significant digits, so this allows a last digit rounded the other way and nothing more.
pub const TOLERANCE: f64 = 1e-12;

/// A number as either program prints it: `3`, `-0.5`, `2.100950569902e+00`.
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?").expect("valid regex"));

/// What the two outputs agreed on.
#[derive(Debug, PartialEq)]
pub struct Agreement {
    pub lines: usize,
    pub numbers: usize,
    /// Lines the two printed character for character.
    pub identical: usize,
}

impl fmt::Display for Agreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} numbers on {} lines agree with output.txt to {TOLERANCE:e} (relative); {} of the lines are identical",
            self.numbers, self.lines, self.identical
        )
    }
}

/// The first place where numpy's output and the transcript part.
#[derive(Debug, PartialEq)]
pub enum Disagreement {
    /// One printed more lines than the other.
    LineCount { transcript: usize, numpy: usize },
    /// A line's text around its numbers differs (or it holds more or fewer numbers).
    Text {
        line: usize,
        transcript: String,
        numpy: String,
    },
    /// A number differs by more than [`TOLERANCE`].
    Number {
        line: usize,
        transcript: String,
        numpy: String,
        relative: f64,
    },
}

impl fmt::Display for Disagreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Disagreement::LineCount { transcript, numpy } => write!(
                f,
                "numpy printed {numpy} lines, output.txt has {transcript}"
            ),
            Disagreement::Text {
                line,
                transcript,
                numpy,
            } => write!(
                f,
                "line {line} differs in its text:\n  output.txt: {transcript}\n  numpy:      {numpy}"
            ),
            Disagreement::Number {
                line,
                transcript,
                numpy,
                relative,
            } => write!(
                f,
                "line {line}: output.txt prints {transcript}, numpy {numpy} \
                 (relative difference {relative:.1e}, more than {TOLERANCE:e})"
            ),
        }
    }
}

/// A line cut into its numbers and the text between them.
fn split(line: &str) -> (Vec<&str>, Vec<&str>) {
    let numbers = NUMBER.find_iter(line).map(|m| m.as_str()).collect();
    (NUMBER.split(line).collect(), numbers)
}

/// Compares what numpy printed with the Rust transcript: the same lines, the same text between
/// the numbers, and each number within [`TOLERANCE`] of the transcript's.
pub fn compare(transcript: &str, numpy: &str) -> std::result::Result<Agreement, Disagreement> {
    let (ours, theirs): (Vec<&str>, Vec<&str>) =
        (transcript.lines().collect(), numpy.lines().collect());
    if ours.len() != theirs.len() {
        return Err(Disagreement::LineCount {
            transcript: ours.len(),
            numpy: theirs.len(),
        });
    }
    let mut agreement = Agreement {
        lines: ours.len(),
        numbers: 0,
        identical: 0,
    };
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        let ((text_a, numbers_a), (text_b, numbers_b)) = (split(a), split(b));
        if text_a != text_b {
            return Err(Disagreement::Text {
                line: i + 1,
                transcript: a.to_string(),
                numpy: b.to_string(),
            });
        }
        for (x, y) in numbers_a.iter().zip(&numbers_b) {
            let (u, v): (f64, f64) = (
                x.parse().expect("the pattern matches numbers only"),
                y.parse().expect("the pattern matches numbers only"),
            );
            let relative = if u == v {
                0.0
            } else {
                (u - v).abs() / u.abs().max(v.abs())
            };
            if relative.is_nan() || relative > TOLERANCE {
                return Err(Disagreement::Number {
                    line: i + 1,
                    transcript: x.to_string(),
                    numpy: y.to_string(),
                    relative,
                });
            }
        }
        agreement.numbers += numbers_a.len();
        agreement.identical += usize::from(a == b);
    }
    Ok(agreement)
}

/// Runs ex4.py in a virtual environment with its pinned numpy and compares its output with the
/// primer's transcript. Without python3, or when numpy cannot be installed (no PyPI), it is not
/// ready, with a sentence saying what it needs.
pub fn check() -> Result<Ready<Agreement>> {
    let dir = root().join("chapters").join(CHAPTER);
    let python3 = Command::new("python3")
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status();
    if python3.is_err() {
        return Ok(Ready::No(
            "python3 is not on PATH: install it (with its venv module) and run `cargo xtask primer`"
                .to_string(),
        ));
    }
    let python = match bench::venv(&dir.join("requirements.txt"), &["numpy"]) {
        Ok(python) => python,
        Err(e) => {
            return Ok(Ready::No(format!(
                "numpy could not be installed ({e}); the check needs python3 with venv and pip \
                 access to PyPI, then `cargo xtask primer` runs it"
            )));
        }
    };
    let script = format!("chapters/{CHAPTER}/ex4.py");
    let out = Command::new(&python)
        .args(["-X", "utf8"])
        .arg(&script)
        .current_dir(root())
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{script}: could not start {}: {e}", python.display()))?;
    let printed = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "{script} failed ({}); it printed:\n{printed}",
            out.status
        ));
    }
    let transcript_path = dir.join("output.txt");
    let transcript = std::fs::read_to_string(&transcript_path)
        .map_err(|e| format!("reading {}: {e}", transcript_path.display()))?;
    compare(&transcript, &printed)
        .map(Ready::Yes)
        .map_err(|d| format!("{script} disagrees with chapters/{CHAPTER}/output.txt: {d}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRANSCRIPT: &str = "a 3-5-3 network, shape (1, 5):\n\
        1. J = 2.100950569902e+00\n     6  -3.049789135197e-06  -1.676797968107e-02\n";

    #[test]
    fn the_same_lines_agree_and_are_counted() {
        let agreement = compare(TRANSCRIPT, TRANSCRIPT).unwrap();
        assert_eq!(
            agreement,
            Agreement {
                lines: 3,
                numbers: 10,
                identical: 3
            }
        );
        // A last digit rounded the other way is within the tolerance.
        let rounded = TRANSCRIPT.replace("2.100950569902e+00", "2.100950569903e+00");
        assert_eq!(compare(TRANSCRIPT, &rounded).unwrap().identical, 2);
    }

    #[test]
    fn a_changed_number_fails_and_is_named() {
        let changed = TRANSCRIPT.replace("-3.049789135197e-06", "-3.049789135297e-06");
        let err = compare(TRANSCRIPT, &changed).unwrap_err();
        let Disagreement::Number {
            line,
            transcript,
            numpy,
            relative,
        } = &err
        else {
            panic!("expected a number disagreement, got {err:?}");
        };
        assert_eq!((*line, transcript.as_str()), (3, "-3.049789135197e-06"));
        assert_eq!(numpy, "-3.049789135297e-06");
        assert!(*relative > 3e-11 && *relative < 4e-11, "{relative}");
        assert!(
            err.to_string()
                .contains("line 3: output.txt prints -3.049789135197e-06")
        );
        // A flipped sign, a changed exponent, or a NaN fail as well.
        for (from, to) in [
            ("-1.676797968107e-02", "1.676797968107e-02"),
            ("e-02", "e-03"),
            ("2.100950569902e+00", "NaN"),
        ] {
            assert!(
                compare(TRANSCRIPT, &TRANSCRIPT.replace(from, to)).is_err(),
                "{to}"
            );
        }
    }

    #[test]
    fn changed_text_and_missing_lines_fail() {
        let text = TRANSCRIPT.replace("network", "net");
        assert!(matches!(
            compare(TRANSCRIPT, &text),
            Err(Disagreement::Text { line: 1, .. })
        ));
        let fewer: String = TRANSCRIPT
            .lines()
            .take(2)
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(
            compare(TRANSCRIPT, &fewer),
            Err(Disagreement::LineCount {
                transcript: 3,
                numpy: 2
            })
        );
        // An extra number on a line changes its text.
        let extra = TRANSCRIPT.replace("(1, 5)", "(1, 5, 1)");
        assert!(matches!(
            compare(TRANSCRIPT, &extra),
            Err(Disagreement::Text { line: 1, .. })
        ));
    }
}
