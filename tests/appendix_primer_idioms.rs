//! The primer's idiom table shows only code that runs: every Rust entry is in the crate's code
//! (the library or a chapter's program) and every numpy entry is in the primer's ex4.py, which
//! `cargo xtask test` runs against the Rust transcript.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The code spans (`...`) of a table cell.
fn spans(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// Drops whole-line comments, so that code mentioned only in a comment does not count.
fn code_only(source: &str, comment: &str) -> String {
    source
        .lines()
        .filter(|l| !l.trim_start().starts_with(comment))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The page's first table as cells: its header, then its rows (the separator skipped).
fn table(page: &str) -> Vec<Vec<&str>> {
    page.lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .enumerate()
        .filter(|&(i, _)| i != 1)
        .map(|(_, l)| {
            l.trim()
                .trim_matches('|')
                .split(" | ")
                .map(str::trim)
                .collect()
        })
        .collect()
}

/// Each code span of the table's Rust and numpy columns (found by their headers) that its
/// source does not contain.
fn missing_idioms(page: &str, rust: &str, numpy: &str) -> Vec<String> {
    let table = table(page);
    let Some((header, rows)) = table.split_first() else {
        return vec!["(no table)".to_string()];
    };
    let column = |name: &str| header.iter().position(|h| h.starts_with(name));
    let mut missing = Vec::new();
    for (name, source) in [("Rust", rust), ("numpy", numpy)] {
        let Some(c) = column(name) else {
            missing.push(format!("(no {name} column)"));
            continue;
        };
        for row in rows {
            for span in spans(row.get(c).copied().unwrap_or("")) {
                if !source.contains(span) {
                    missing.push(span.to_string());
                }
            }
        }
    }
    missing
}

/// The library's and the chapters' Rust, without comments.
fn rust_sources() -> String {
    let mut files = Vec::new();
    for dir in ["src", "src/fast"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    for entry in std::fs::read_dir(root().join("chapters")).unwrap() {
        files.push(entry.unwrap().path().join("main.rs"));
    }
    files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs") && p.is_file())
        .map(|p| code_only(&read(p), "//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_idiom_in_the_primer_table_is_in_code_that_runs() {
    let dir = root().join("chapters/appendix_primer");
    let page = read(&dir.join("README.md"));
    let rows = table(&page);
    assert!(rows.len() > 10, "the idiom table was not found");
    assert!(rows.iter().all(|r| r.len() == 4), "a row without 4 cells");
    let numpy = code_only(&read(&dir.join("ex4.py")), "#");
    let missing = missing_idioms(&page, &rust_sources(), &numpy);
    assert!(
        missing.is_empty(),
        "chapters/appendix_primer/README.md shows code that no tested file holds: {missing:?}"
    );
}

#[test]
fn the_idiom_check_catches_code_that_is_not_in_the_sources() {
    let page = "text\n\n| what | Rust | numpy | Octave |\n| --- | --- | --- | --- |\n\
                | transpose | `x.t()` | `x.T` | `X'` |\n| shape | `x.dim()` | `x.size` | `size(X)` |\n";
    let rust = "let y = x.t();\nlet s = x.dim();";
    assert!(missing_idioms(page, rust, "y = x.T\n").contains(&"x.size".to_string()));
    assert_eq!(
        missing_idioms(page, rust, "y = x.T\nn = x.size"),
        Vec::<String>::new()
    );
    // Only code counts: an idiom mentioned in a comment is missing.
    let commented = code_only("y = x.T\n# x.size is the number of entries", "#");
    assert_eq!(missing_idioms(page, rust, &commented), vec!["x.size"]);
}
