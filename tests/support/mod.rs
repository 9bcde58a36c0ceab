//! What the integration tests share: where the course's weights file is, and how a test that
//! needs it and cannot find it says so, instead of failing on a reader's clone or passing silently.

use std::path::{Path, PathBuf};

use backprop_book::digits::EX4_WEIGHTS;

/// Set by `cargo xtask test --strict` (CI): a missing weights file fails the test instead of
/// skipping it.
const REQUIRE: &str = "BACKPROP_BOOK_REQUIRE_DATA";
/// Set by `cargo xtask test`: a folder where each skipped test leaves one file, so the run can
/// end with one line per group of tests it did not run.
const SKIPS: &str = "BACKPROP_BOOK_SKIPS";

/// Where the tests look for the weights, in order: `$BACKPROP_BOOK_DATA`, the repository's
/// `data/`, and `../shared/data` beside the repository (every development machine has it).
pub fn weight_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let env = std::env::var_os("BACKPROP_BOOK_DATA").filter(|v| !v.is_empty());
    env.map(PathBuf::from)
        .into_iter()
        .chain([root.join("data"), root.join("../shared/data")])
        .collect()
}

/// The first of [`weight_dirs`] holding ex4weights.mat.
pub fn find_course_weights() -> Option<PathBuf> {
    weight_dirs()
        .iter()
        .map(|d| d.join(EX4_WEIGHTS))
        .find(|p| p.is_file())
}

/// The path of ex4weights.mat, or `None` after recording that `test` (in `file`) was skipped.
/// Under `BACKPROP_BOOK_REQUIRE_DATA` a missing file panics with where it was looked for.
pub fn course_weights(file: &str, test: &str) -> Option<PathBuf> {
    if let Some(found) = find_course_weights() {
        return Some(found);
    }
    let looked = weight_dirs()
        .iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if std::env::var_os(REQUIRE).is_some() {
        panic!("{EX4_WEIGHTS} is required ({REQUIRE} is set) but is in none of: {looked}");
    }
    eprintln!("skipped {file}::{test}: {EX4_WEIGHTS} not found in {looked}");
    if let Some(dir) = std::env::var_os(SKIPS) {
        let record = Path::new(&dir).join(format!("{file}--{test}"));
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(record, format!("{EX4_WEIGHTS}\n{looked}\n"));
    }
    None
}
