//! The executable-chapter contract: each chapter's example, run now, prints exactly its committed
//! output.txt and draws exactly its committed figures; and the book, the manifest and the
//! chapter folders agree on which chapters exist.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const BLESS: &str = "cargo xtask bless";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Folders under chapters/ holding a main.rs, in name order.
fn chapters() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("chapters"))
        .expect("chapters/ exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().join("main.rs").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Builds the examples (a no-op after `cargo test`, which builds them too) in this test's profile
/// and returns the folder holding them.
fn examples_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let mut build = Command::new(env!("CARGO"));
        build
            .current_dir(root())
            .args(["build", "--quiet", "--examples"]);
        if !cfg!(debug_assertions) {
            build.arg("--release");
        }
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "building the examples failed");
        // This test runs from target/<profile>/deps/; examples sit in target/<profile>/examples/.
        let exe = std::env::current_exe().expect("the test knows its path");
        exe.parent()
            .and_then(Path::parent)
            .expect("target/<profile>")
            .join("examples")
    })
}

// ANCHOR: compare
/// Compares what a run produced with the committed file. On a difference: a unified diff
/// (committed → now) and the command that regenerates the committed files.
fn compare_text(committed_path: &str, committed: &str, now: &str) -> Result<(), String> {
    if committed == now {
        return Ok(());
    }
    let diff = similar::TextDiff::from_lines(committed, now);
    let shown = diff
        .unified_diff()
        .context_radius(2)
        .header(committed_path, "this run")
        .to_string();
    Err(format!(
        "{committed_path} differs from what the example printed now:\n{shown}\n\
         If the new output is right, regenerate with `{BLESS}` and review `git diff`."
    ))
}
// ANCHOR_END: compare

/// Compares two figure files byte for byte; an SVG difference is shown as a text diff.
fn compare_file(committed_path: &str, committed: &[u8], now: &[u8]) -> Result<(), String> {
    match (std::str::from_utf8(committed), std::str::from_utf8(now)) {
        (Ok(a), Ok(b)) => compare_text(committed_path, a, b),
        _ if committed == now => Ok(()),
        _ => Err(format!(
            "{committed_path} ({} bytes) differs from the redrawn figure ({} bytes); regenerate with `{BLESS}`",
            committed.len(),
            now.len()
        )),
    }
}

/// Figures of the default runs. `course_*` figures come from runs with the course's data, which
/// the repository does not carry, so they are not part of the contract.
fn is_figure(path: &Path) -> bool {
    let course = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("course_"));
    path.extension().is_some_and(|e| e == "svg" || e == "png") && !course
}

/// Runs one chapter's example into a temporary folder and lists every disagreement.
fn check_chapter(name: &str) -> Vec<String> {
    let dir = root().join("chapters").join(name);
    let out = tempfile::tempdir().expect("a temporary folder");
    // The transcripts are the default runs: no data folder from the environment, and an empty
    // working folder, so a ./data/ of the reader's cannot change what is printed.
    let cwd = tempfile::tempdir().expect("a temporary folder");
    let run = Command::new(examples_dir().join(name))
        .arg("--out")
        .arg(out.path())
        .env_remove("BACKPROP_BOOK_DATA")
        .env(backprop_book::cli::SECTIONS_VAR, "1")
        .current_dir(cwd.path())
        .output()
        .unwrap_or_else(|e| panic!("running {name}: {e}"));
    if !run.status.success() {
        return vec![format!(
            "{name} failed ({}):\n{}",
            run.status,
            String::from_utf8_lossy(&run.stderr)
        )];
    }
    let mut problems = Vec::new();
    let transcript = std::fs::read_to_string(dir.join("output.txt")).unwrap_or_default();
    let marked = String::from_utf8(run.stdout).expect("transcripts are UTF-8");
    let (now, sections) = backprop_book::cli::split_sections(&marked);
    problems.extend(compare_text(&format!("chapters/{name}/output.txt"), &transcript, &now).err());
    let committed = std::fs::read_to_string(dir.join("sections.txt")).ok();
    let path = format!("chapters/{name}/sections.txt");
    match (committed, sections) {
        (Some(old), Some(new)) => problems.extend(compare_text(&path, &old, &new).err()),
        (None, None) => {}
        (None, Some(_)) => problems.push(format!(
            "{path} is printed but not committed; run `{BLESS}`"
        )),
        (Some(_), None) => problems.push(format!(
            "{path} is committed but no longer printed; run `{BLESS}`"
        )),
    }

    let drawn: Vec<PathBuf> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for fig in &drawn {
        let file = fig.file_name().unwrap().to_string_lossy();
        let committed_path = format!("chapters/{name}/{file}");
        match std::fs::read(dir.join(&*file)) {
            Ok(committed) => problems.extend(
                compare_file(&committed_path, &committed, &std::fs::read(fig).unwrap()).err(),
            ),
            Err(_) => problems.push(format!(
                "{committed_path} is drawn but not committed; run `{BLESS}`"
            )),
        }
    }
    for committed in std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| is_figure(p))
    {
        let file = committed.file_name().unwrap();
        if !drawn.iter().any(|d| d.file_name() == Some(file)) {
            problems.push(format!(
                "chapters/{name}/{} is committed but no longer drawn",
                file.to_string_lossy()
            ));
        }
    }
    problems
}

#[test]
fn every_example_prints_its_transcript_and_draws_its_figures() {
    let names = chapters();
    assert!(!names.is_empty(), "no chapters found");
    let problems: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = names
            .iter()
            .map(|n| s.spawn(move || check_chapter(n)))
            .collect();
        runs.into_iter()
            .flat_map(|r| r.join().expect("a chapter check panicked"))
            .collect()
    });
    assert!(problems.is_empty(), "\n{}", problems.join("\n\n"));
}

#[test]
fn the_comparator_fails_on_a_changed_digit_and_says_how_to_bless() {
    let committed = "cost 0.287629\naccuracy 97.52%\n";
    assert_eq!(compare_text("output.txt", committed, committed), Ok(()));
    let err =
        compare_text("output.txt", committed, "cost 0.287628\naccuracy 97.52%\n").unwrap_err();
    assert!(
        err.contains("-cost 0.287629") && err.contains("+cost 0.287628"),
        "{err}"
    );
    assert!(err.contains(BLESS), "{err}");
    // A missing or extra line, and a changed byte in a binary figure, fail too.
    assert!(compare_text("output.txt", committed, "cost 0.287629\n").is_err());
    assert!(compare_file("digits.png", &[0x89, 0x50, 0xff], &[0x89, 0x50, 0xfe]).is_err());
}

/// Words after which an integer names a place, not a result: "chapter 5", "equation 12",
/// "section 3", a year in a citation, an issue number.
const REFERENCES: [&str; 10] = [
    "chapter",
    "chapters",
    "equation",
    "equations",
    "section",
    "sections",
    "figure",
    "week",
    "appendix",
    "#",
];

/// The numbers a page's prose quotes that its transcript does not print: decimals with three or
/// more digits after the point, percentages, and integers of two or more digits (each end of a
/// range too; thousands separators ignored), except chapter, section and equation references and
/// years of citations. Code listings and display formulas are not prose, and neither are the
/// exercises' instructions (what to try); their folded answers are.
fn unbacked_numbers(page: &str, transcript: &str, tests: &str) -> Vec<String> {
    let (mut in_fence, mut in_exercises, mut in_answer) = (false, false, false);
    let prose: String = page
        .lines()
        .filter(|l| {
            in_fence ^= l.trim_start().starts_with("```");
            if l.starts_with("## ") {
                in_exercises = l.trim() == "## Exercises";
            }
            in_answer |= l.contains("<details");
            let instruction = in_exercises && !in_answer;
            in_answer &= !l.contains("</details>");
            !instruction
                && !in_fence
                && !l.trim_start().starts_with("```")
                && !l.trim_start().starts_with("$$")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let printed = printed_integers(transcript);
    let mut numbers = Vec::new();
    let chars: Vec<char> = prose.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts_number = chars[i].is_ascii_digit()
            && (i == 0
                || !(chars[i - 1].is_ascii_alphanumeric()
                    || chars[i - 1] == '.'
                    || chars[i - 1] == '^'
                    || chars[i - 1] == '_'
                    || chars[i - 1] == '{'
                    // the exponent of 1.02e-11 or 10^{-15}
                    || (matches!(chars[i - 1], '-' | '+')
                        && i >= 3
                        && ((chars[i - 2] == 'e' && chars[i - 3].is_ascii_digit())
                            || chars[i - 2] == '{'))));
        if !starts_number {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || (chars[i] == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
                || (chars[i] == ','
                    && chars
                        .get(i + 1..i + 4)
                        .is_some_and(|d| d.iter().all(char::is_ascii_digit))
                    && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit())))
        {
            i += 1;
        }
        let number: String = chars[start..i].iter().filter(|&&c| c != ',').collect();
        let decimals = number.split_once('.').map_or(0, |(_, d)| d.len());
        let percent = chars.get(i) == Some(&'%');
        if decimals >= 3 || (percent && decimals > 0) {
            let quoted = if percent {
                format!("{number}%")
            } else {
                number
            };
            if !transcript.contains(quoted.as_str()) && !tests.contains(quoted.as_str()) {
                numbers.push(quoted);
            }
        } else if decimals == 0 && number.len() >= 2 && chars.get(i) != Some(&'^') {
            let before: String = chars[..start].iter().collect();
            let word = before
                .trim_end_matches([' ', '(', '['])
                .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '[')
                .next()
                .unwrap_or("")
                .to_lowercase();
            let year = number.len() == 4
                && (number.starts_with("19") || number.starts_with("20"))
                && (chars.get(start.wrapping_sub(1)) == Some(&'(')
                    || chars.get(i) == Some(&')')
                    || ["of", "in", "since"].contains(&word.as_str()));
            let reference = REFERENCES.contains(&word.as_str()) || word.ends_with('#') || year;
            // A whole integer, or the integer part of a printed decimal ("44" of "44.223").
            if !reference && !printed.contains(&number) {
                numbers.push(number);
            }
        }
    }
    numbers
}

/// Every integer a transcript prints, and the integer part of every decimal, thousands
/// separators removed: "10,285" and "10285" both give "10285".
fn printed_integers(transcript: &str) -> std::collections::HashSet<String> {
    let cleaned: String = {
        let chars: Vec<char> = transcript.chars().collect();
        chars
            .iter()
            .enumerate()
            .filter(|&(i, &c)| {
                !(c == ','
                    && i > 0
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit))
            })
            .map(|(_, &c)| c)
            .collect()
    };
    cleaned
        .split(|c: char| !c.is_ascii_digit())
        .filter(|t| !t.is_empty())
        .map(|t| t.trim_start_matches('0').to_string())
        .map(|t| if t.is_empty() { "0".to_string() } else { t })
        .chain(
            cleaned
                .split(|c: char| !c.is_ascii_digit())
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        )
        .collect()
}

/// The text of every integration test: a number asserted there (such as the course's reference
/// numbers, which need data the repository does not carry) is checked too.
fn test_sources() -> String {
    let mut sources = String::new();
    for entry in std::fs::read_dir(root().join("tests"))
        .unwrap()
        .map(|e| e.unwrap().path())
    {
        // This file's own examples of numbers back nothing.
        if entry.extension().is_some_and(|e| e == "rs") && !entry.ends_with("chapters.rs") {
            sources += &std::fs::read_to_string(entry).unwrap();
        }
    }
    sources
}

#[test]
fn numbers_in_the_prose_come_from_the_transcripts() {
    let mut problems = Vec::new();
    let tests = test_sources();
    for name in chapters() {
        let dir = root().join("chapters").join(&name);
        let page = std::fs::read_to_string(dir.join("README.md")).unwrap_or_default();
        let transcript = std::fs::read_to_string(dir.join("output.txt")).unwrap_or_default();
        for n in unbacked_numbers(&page, &transcript, &tests) {
            problems.push(format!("chapters/{name}/README.md quotes {n}, which neither its output.txt prints nor a test asserts"));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// The speed appendix's transcript is what `cargo xtask bench` wrote into chapters/generated/.
#[test]
fn numbers_in_the_speed_appendix_come_from_its_generated_tables() {
    let read = |p: &str| std::fs::read_to_string(root().join(p)).unwrap();
    let page = read("chapters/appendix-speed.md");
    let generated =
        read("chapters/generated/speed-table.md") + &read("chapters/generated/speed-machine.md");
    let problems = unbacked_numbers(&page, &generated, &test_sources());
    assert!(
        problems.is_empty(),
        "chapters/appendix-speed.md quotes {problems:?}, which chapters/generated/ does not print \
         (run `cargo xtask bench`, then quote its tables)"
    );
}

#[test]
fn the_number_check_catches_a_number_the_transcript_lacks() {
    let transcript = "cost 0.287629\naccuracy 97.5%\n";
    let page = "The cost is 0.287629 at 97.5%, not 0.287630 or 96.1%.\n```text\n1.23456\n```\n$$0.999999$$\nWe use 0.25 and Θ^(1) and x_1.5.";
    assert_eq!(
        unbacked_numbers(page, transcript, ""),
        vec!["0.287630".to_string(), "96.1%".to_string()]
    );
}

#[test]
fn the_number_check_catches_a_planted_integer_and_a_range() {
    let transcript = "J: 8.467 511.743 44.223\n  all 10,285 parameters\n 1437 images, 71 rises\n";
    // Backed: 71 printed, 44 and 511 as integer parts, 10,285 against 10,285, 1,437 against
    // 1437; references and years are not results. Unbacked: the planted 72, both ends of
    // "30 to 1000", and 3770.
    let page = "J rises 71 times, between 44 and 511; all 10,285 parameters of 1,437 images. \
                Chapter 12 and section 10 (Glorot, 2010) say so. It rises 72 times, \
                between about 30 and 1000, and 3770 evaluations; x_{10} and 0.25^{10}.";
    assert_eq!(
        unbacked_numbers(page, transcript, ""),
        vec!["72", "30", "1000", "3770"]
    );
    // An exercise's instruction is not a claim; its folded answer is.
    let page = "## Exercises\n\n1. Train for 3000 iterations.\n\n<details>\nIt ends at 99 rises.\n</details>\n\n## Next\nSince 2019 and $10^{-15}$, 1.02e-11.";
    assert_eq!(unbacked_numbers(page, transcript, ""), vec!["99"]);
}

#[test]
fn chapters_manifest_and_book_agree() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let summary = std::fs::read_to_string(root().join("chapters/SUMMARY.md")).unwrap();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for name in chapters() {
        let dir = root().join("chapters").join(&name);
        let page = std::fs::read_to_string(dir.join("README.md")).unwrap_or_default();
        let checks = [
            (
                manifest.contains(&format!("path = \"chapters/{name}/main.rs\"")),
                "an [[example]] in Cargo.toml",
            ),
            (
                summary.contains(&format!("({name}/README.md)")),
                "an entry in chapters/SUMMARY.md",
            ),
            (
                page.contains("{{#include output.txt}}"),
                "its transcript included in its README.md",
            ),
            (
                page.contains(&format!("cargo run --release --example {name}")),
                "its run command on its page",
            ),
            (
                readme.contains(&format!("cargo run --release --example {name}")),
                "its run command in the top README.md",
            ),
            (dir.join("output.txt").is_file(), "a committed output.txt"),
        ];
        for (ok, what) in checks {
            assert!(ok, "chapter {name} lacks {what}");
        }
    }
}
