//! The graded exercises from the repository's side: `cargo xtask grade` (one file), `cargo
//! xtask exercises check` (every template below full marks, every solution at 100, and with
//! `--pack` the student pack both ways round) and `cargo xtask exercises pack DIR`.

use std::path::{Path, PathBuf};

use grader::exercises::EXERCISES;
use grader::layout::{FIXTURE, Layout};

use crate::Result;

/// `cargo xtask grade`'s arguments.
#[derive(clap::Args)]
pub struct GradeArgs {
    /// The exercise: perceptron, xnor, gradcheck or ex4 (or its chapter's folder name)
    exercise: String,
    /// The file to grade, e.g. a student's submission [default: chapters/<chapter>/exercise.rs]
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,
    /// The folder holding the course's ex4weights.mat [default: $BACKPROP_BOOK_DATA, ./data,
    /// ../shared/data]
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Grade only this part (repeatable) [default: every part]
    #[arg(long = "part", value_name = "ID")]
    parts: Vec<String>,
}

/// `cargo xtask exercises ...`.
#[derive(clap::Subcommand)]
pub enum ExercisesCommand {
    /// Write a standalone student pack into DIR: the templates, the grader, the library it
    /// compares with and the data it needs, a README; no solutions and no ex4weights.mat
    Pack { dir: PathBuf },
    /// Grade every template (each must score below full marks) and every solution (each must
    /// score 100); with --pack, also build a pack in a clean folder and check it both ways round
    Check {
        #[arg(long)]
        pack: bool,
    },
}

fn layout() -> Layout {
    Layout::at(crate::root())
}

/// Grades one file and prints the table; fails unless it scored full marks.
pub fn grade(args: GradeArgs) -> Result {
    let request = grader::Request {
        exercise: args.exercise,
        file: args.file,
        data: args.data,
        parts: args.parts,
    };
    let outcome = grader::grade(&layout(), &request).map_err(|e| e.to_string())?;
    print!("{}", outcome.render());
    if outcome.full_marks() {
        Ok(())
    } else {
        Err(format!(
            "{}/{} points, not full marks",
            outcome.score(),
            outcome.possible()
        ))
    }
}

pub fn run(command: ExercisesCommand) -> Result {
    match command {
        ExercisesCommand::Pack { dir } => {
            let files = pack(&layout(), &dir)?;
            println!("wrote a student pack of {files} files to {}", dir.display());
            println!("in it: `cargo grade --list`, then `cargo grade ex4`");
            Ok(())
        }
        ExercisesCommand::Check { pack } => {
            check_templates_and_solutions(None)?;
            if pack {
                check_pack()?;
            }
            Ok(())
        }
    }
}

/// Every template below full marks and every solution at full marks (rustlings'
/// `--require-solutions`), each graded as a learner's file is; `data` holds ex4weights.mat
/// [default: looked for].
pub fn check_templates_and_solutions(data: Option<&Path>) -> Result {
    let layout = layout();
    let mut problems = Vec::new();
    for exercise in EXERCISES {
        let mut scores = Vec::new();
        for (kind, file, want_full) in [
            ("template", layout.template(exercise), false),
            ("solution", layout.solution(exercise), true),
        ] {
            let request = grader::Request {
                exercise: exercise.name.to_string(),
                file: Some(file),
                data: data.map(Path::to_path_buf),
                parts: Vec::new(),
            };
            let outcome = grader::grade(&layout, &request).map_err(|e| e.to_string())?;
            scores.push(format!("{kind} {}/{}", outcome.score(), outcome.possible()));
            if outcome.full_marks() != want_full {
                problems.push(format!(
                    "the {} {kind} should score {} but scored {}/{}:\n{}",
                    exercise.name,
                    if want_full { "100" } else { "below full marks" },
                    outcome.score(),
                    outcome.possible(),
                    outcome.render()
                ));
            }
        }
        eprintln!("    {}: {}", exercise.name, scores.join(", "));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Copies `from` to `to` (a file or a folder, recursively), keeping modification times, so
/// that cargo's cached build of a pack written again from the same sources stays valid.
fn copy(from: &Path, to: &Path, count: &mut usize) -> Result {
    let fail = |e: std::io::Error| format!("copying {} to {}: {e}", from.display(), to.display());
    if from.is_dir() {
        std::fs::create_dir_all(to).map_err(fail)?;
        let mut entries: Vec<_> = std::fs::read_dir(from)
            .map_err(fail)?
            .filter_map(|e| e.ok())
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            copy(&entry.path(), &to.join(entry.file_name()), count)?;
        }
        return Ok(());
    }
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::copy(from, to).map_err(fail)?;
    let modified = std::fs::metadata(from)
        .and_then(|m| m.modified())
        .map_err(fail)?;
    std::fs::File::options()
        .write(true)
        .open(to)
        .and_then(|f| f.set_modified(modified))
        .map_err(fail)?;
    *count += 1;
    Ok(())
}

/// The library's manifest for the pack: its package, dependencies and profiles; no examples,
/// benches or dev-dependencies (their files are not in the pack), and a workspace of the
/// grader's two crates. A comment block right above a section goes with that section.
fn pack_manifest(manifest: &str) -> String {
    let mut out = String::new();
    let (mut keep, mut pending) = (true, String::new());
    for line in manifest.lines() {
        let header = line.starts_with('[');
        if header {
            keep = ["[package]", "[dependencies]", "[target.", "[profile."]
                .iter()
                .any(|h| line.starts_with(h));
        }
        if line.starts_with('#') {
            pending += line;
            pending += "\n";
            continue;
        }
        if header {
            if keep {
                out += &pending;
            }
        } else if keep {
            out += &pending;
        }
        pending.clear();
        if keep {
            out += line;
            out += "\n";
        }
    }
    let out = out.trim_end().to_string();
    format!(
        "{out}\n\n# The grader: `cargo grade <exercise>` (see README.md).\n[workspace]\nmembers = [\"xtask/grader\", \"xtask/grader/checks\"]\n"
    )
}

/// The pack's README: what is in it, how to grade, where the course's weights go.
fn pack_readme() -> String {
    let mut rows = String::new();
    for e in EXERCISES {
        let parts: Vec<String> = e
            .parts
            .iter()
            .map(|p| {
                if p.points == 0 {
                    format!("{} (ungraded)", p.checks)
                } else {
                    format!("{} ({})", p.checks, p.points)
                }
            })
            .collect();
        rows += &format!(
            "| `{}` | `chapters/{}/exercise.rs` | {} | {} |\n",
            e.name,
            e.chapter,
            e.title,
            parts.join("; ")
        );
    }
    format!(
        "# Backpropagation, Executed: the graded exercises\n\n\
         A standalone cargo project: one file to complete per exercise, the grader that marks it,\n\
         the book's library it compares your answers with (`src/`), and the small data file the\n\
         grader needs (`{FIXTURE}`). There are no solutions here.\n\n\
         ## Grading\n\n\
         ```sh\n\
         cargo grade --list                  # the exercises and their files\n\
         cargo grade ex4                     # grade chapters/ch7_digits/exercise.rs\n\
         cargo grade ex4 --part 3            # one part only\n\
         cargo grade ex4 --file attempt.rs   # another file\n\
         ```\n\n\
         The first run builds the library and the grader (a few minutes); after that a file is\n\
         graded in seconds. Each part runs in its own process: a `todo!()`, a panic or a time-out\n\
         fails that part only. The grader prints one table (part, what it checks, result, points,\n\
         feedback) and the total out of 100, and exits 0 only at full marks. When a part is wrong it\n\
         compares your result with what each well-known mistake gives on the same inputs, and names\n\
         the one that matches.\n\n\
         | exercise | file | what | parts (points) |\n| --- | --- | --- | --- |\n{rows}\n\
         A graded file may use `std`, `ndarray` and `rand`; it cannot call the library in `src/`,\n\
         which is what the grader computes the expected answers with.\n\n\
         ## The course's weights\n\n\
         `ex4` is graded on fixed inputs and on chapter 6's debug network, and also on the course's\n\
         trained weights `ex4weights.mat` when it finds them. That file belongs to the course and is\n\
         not in this pack: put your copy in `./data/`, or name its folder with `--data DIR` or\n\
         `$BACKPROP_BOOK_DATA`. Without it the grader says in one line that those inputs were\n\
         skipped, and grades the rest.\n"
    )
}

/// Writes the student pack into `dir` (which must be empty or absent); returns how many files
/// it holds.
pub fn pack(layout: &Layout, dir: &Path) -> Result<usize> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| format!("reading {}: {e}", dir.display()))?
            .next()
            .is_some()
    {
        return Err(format!(
            "{} is not empty; the pack goes into an empty or new folder",
            dir.display()
        ));
    }
    let root = &layout.root;
    let mut count = 0;
    for path in [
        "src",
        "Cargo.lock",
        "xtask/grader/Cargo.toml",
        "xtask/grader/src",
        "xtask/grader/checks/Cargo.toml",
        "xtask/grader/checks/src",
        FIXTURE,
        "tests/fixtures/README.md",
    ] {
        copy(&root.join(path), &dir.join(path), &mut count)?;
    }
    for exercise in EXERCISES {
        copy(
            &layout.template(exercise),
            &dir.join("chapters")
                .join(exercise.chapter)
                .join("exercise.rs"),
            &mut count,
        )?;
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("reading Cargo.toml: {e}"))?;
    let generated = [
        ("Cargo.toml", pack_manifest(&manifest)),
        ("README.md", pack_readme()),
        (
            ".cargo/config.toml",
            "[alias]\ngrade = \"run --quiet --package grader --\"\n".to_string(),
        ),
        (".gitignore", "/target\n/data\n".to_string()),
    ];
    for (path, text) in generated {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("creating {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
        count += 1;
    }
    check_pack_contents(dir)?;
    Ok(count)
}

/// Every file under `dir`, relative to it.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.push(rel.to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// The pack holds no solution and no course file, and every path dependency stays inside it.
fn check_pack_contents(dir: &Path) -> Result {
    let all = files(dir);
    if let Some(bad) = all.iter().find(|f| {
        let name = f.file_name().unwrap_or_default();
        name == "solution.rs" || name == "ex4weights.mat" || name == "ex4data1.mat"
    }) {
        return Err(format!("the pack must not hold {}", bad.display()));
    }
    let path_dependency = regex::Regex::new(r#"path\s*=\s*"([^"]+)""#).expect("a valid regex");
    for manifest in all.iter().filter(|f| f.ends_with("Cargo.toml")) {
        let text = std::fs::read_to_string(dir.join(manifest)).unwrap_or_default();
        for cap in path_dependency.captures_iter(&text) {
            let target = dir.join(manifest).parent().map(|p| p.join(&cap[1]));
            let inside = target
                .and_then(|t| std::fs::canonicalize(t).ok())
                .zip(std::fs::canonicalize(dir).ok())
                .is_some_and(|(t, d)| t.starts_with(d));
            if !inside {
                return Err(format!(
                    "{}: the path dependency {:?} leaves the pack",
                    manifest.display(),
                    &cap[1]
                ));
            }
        }
    }
    Ok(())
}

/// Runs the pack's own grader on `exercise`; returns its exit code and what it printed.
fn pack_grade(dir: &Path, layout: &Layout, exercise: &str) -> Result<(Option<i32>, String)> {
    let out = crate::cargo()
        .args(["run", "--quiet", "--package", "grader", "--", exercise])
        .current_dir(dir)
        // The shared target folder only caches builds; the pack is built from its own sources.
        .env("CARGO_TARGET_DIR", &layout.target)
        // A student's machine has no course files: the pack must grade without them.
        .env_remove("BACKPROP_BOOK_DATA")
        .output()
        .map_err(|e| format!("running the pack's grader: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok((out.status.code(), text))
}

/// Builds a pack in a clean folder (target/xtask/pack-check) and grades it with its own
/// grader: every template must fail, then, with the solutions copied in, every exercise must
/// score 100; ex4 must say that it skipped the weights-based inputs.
pub fn check_pack() -> Result {
    let layout = layout();
    let dir = layout.target.join("xtask/pack-check");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("clearing {}: {e}", dir.display()))?;
    }
    let count = pack(&layout, &dir)?;
    eprintln!("    pack: {count} files in {}", dir.display());
    for exercise in EXERCISES {
        let (code, text) = pack_grade(&dir, &layout, exercise.name)?;
        if code != Some(1) {
            return Err(format!(
                "the pack's {} template should fail (exit 1), got {code:?}:\n{text}",
                exercise.name
            ));
        }
        if exercise.uses_course_weights
            && !text.contains("Skipped: the inputs that need the course's ex4weights.mat")
        {
            return Err(format!(
                "the pack's grader should say it skipped the weights:\n{text}"
            ));
        }
    }
    for exercise in EXERCISES {
        // A fresh modification time, as an edit gives: cargo rebuilds what is newer than its build.
        let (from, to) = (
            layout.solution(exercise),
            dir.join("chapters")
                .join(exercise.chapter)
                .join("exercise.rs"),
        );
        std::fs::copy(&from, &to)
            .map_err(|e| format!("copying {} to {}: {e}", from.display(), to.display()))?;
        let (code, text) = pack_grade(&dir, &layout, exercise.name)?;
        if code != Some(0) {
            return Err(format!(
                "the pack's {} with the solution copied in should score 100, got exit {code:?}:\n{text}",
                exercise.name
            ));
        }
    }
    eprintln!(
        "    pack: every template fails and every solution scores 100 with the pack's own grader"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pack_manifest_keeps_the_library_and_drops_what_the_pack_lacks() {
        let manifest = "[package]\nname = \"backprop-book\"\n\n[workspace]\nmembers = [\"xtask\"]\n\n[dependencies]\nndarray = \"0.17\"\n\n# dev only\n[dev-dependencies]\ntempfile = \"3\"\n\n# fast\n[profile.dev]\nopt-level = 1\n\n[[example]]\nname = \"ch1\"\npath = \"chapters/ch1/main.rs\"\n";
        let out = pack_manifest(manifest);
        assert!(out.contains("[package]\nname = \"backprop-book\""), "{out}");
        assert!(out.contains("ndarray = \"0.17\"") && out.contains("# fast\n[profile.dev]"));
        for gone in [
            "[[example]]",
            "chapters/ch1",
            "tempfile",
            "# dev only",
            "\"xtask\"]",
        ] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        assert!(out.ends_with("members = [\"xtask/grader\", \"xtask/grader/checks\"]\n"));
    }

    #[test]
    fn a_pack_holds_no_solution_and_never_reaches_outside() {
        let dir = tempfile::tempdir().unwrap();
        let n = pack(&Layout::at(crate::root()), dir.path()).unwrap();
        let all = files(dir.path());
        assert_eq!(all.len(), n);
        assert!(
            all.iter()
                .any(|f| f.ends_with("chapters/ch7_digits/exercise.rs"))
        );
        assert!(all.iter().any(|f| f.ends_with(FIXTURE)));
        assert!(
            pack(&Layout::at(crate::root()), dir.path()).is_err(),
            "not into a full folder"
        );
        std::fs::write(dir.path().join("chapters/solution.rs"), "").unwrap();
        assert!(
            check_pack_contents(dir.path())
                .unwrap_err()
                .contains("solution.rs")
        );
        std::fs::remove_file(dir.path().join("chapters/solution.rs")).unwrap();
        std::fs::write(
            dir.path().join("xtask/grader/Cargo.toml"),
            "[dependencies]\nx = { path = \"../../..\" }\n",
        )
        .unwrap();
        assert!(
            check_pack_contents(dir.path())
                .unwrap_err()
                .contains("leaves the pack")
        );
    }
}
