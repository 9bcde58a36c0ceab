//! Where a run's time goes, and what it did not run: each stage is timed as it goes, and the
//! run ends with one line per stage and one line per check it skipped, with how to enable it.

use std::time::Instant;

/// The stages of one command, timed, and the checks it skipped.
#[derive(Default)]
pub struct Stages {
    done: Vec<(String, f64)>,
    skipped: Vec<String>,
}

impl Stages {
    /// Runs `work` as the stage `name`, printing its start and its time.
    pub fn run<T>(
        &mut self,
        name: &str,
        work: impl FnOnce() -> crate::Result<T>,
    ) -> crate::Result<T> {
        eprintln!("==> {name}");
        let start = Instant::now();
        let result = work();
        let seconds = start.elapsed().as_secs_f64();
        match &result {
            Ok(_) => eprintln!("    {name}: ok in {seconds:.1} s"),
            Err(_) => eprintln!("    {name}: failed after {seconds:.1} s"),
        }
        self.done.push((name.to_string(), seconds));
        result
    }

    /// Records a check that did not run: `line` says what, why and how to run it.
    pub fn skip(&mut self, line: String) {
        eprintln!("    skipped: {line}");
        self.skipped.push(line);
    }

    /// The closing summary: each stage's time, then each skipped check.
    pub fn summary(&self) -> String {
        let total: f64 = self.done.iter().map(|(_, s)| s).sum();
        let mut out = format!("where the time went ({total:.0} s in all):\n");
        for (name, seconds) in &self.done {
            out += &format!("  {seconds:>7.1} s  {name}\n");
        }
        if self.skipped.is_empty() {
            out += "nothing was skipped\n";
        } else {
            out += &format!("{} check(s) skipped:\n", self.skipped.len());
            for line in &self.skipped {
                out += &format!("  skipped: {line}\n");
            }
        }
        out
    }
}

/// What the integration tests recorded about themselves in `dir` (one file `FILE--TEST` per
/// skipped test, naming the missing file and where it was looked for), as one line per missing
/// file: which tests, why, and how to run them.
pub fn test_skips(dir: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    // (missing file, where it was looked for) → tests
    let mut groups: std::collections::BTreeMap<(String, String), Vec<String>> =
        std::collections::BTreeMap::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((file, test)) = name.split_once("--") else {
            continue;
        };
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let mut lines = text.lines();
        let missing = lines.next().unwrap_or("a data file").to_string();
        let looked = lines.next().unwrap_or("").to_string();
        groups
            .entry((missing, looked))
            .or_default()
            .push(format!("tests/{file}.rs {test}"));
    }
    groups
        .into_iter()
        .map(|((missing, looked), mut tests)| {
            tests.sort();
            format!(
                "{} test(s) that need the course's {missing}, not found in {looked}: {}. \
                 To run them, put {missing} in ./data/ or pass --data DIR",
                tests.len(),
                tests.join(", ")
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_tests_are_grouped_by_what_they_miss() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["digits--b_test", "digits--a_test", "fuzz_mat--c_test"] {
            std::fs::write(
                dir.path().join(name),
                "ex4weights.mat\n./data, ../shared/data\n",
            )
            .unwrap();
        }
        std::fs::write(dir.path().join("stray"), "").unwrap();
        let lines = test_skips(dir.path());
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with("3 test(s) that need the course's ex4weights.mat, not found in ./data, ../shared/data: tests/digits.rs a_test, tests/digits.rs b_test, tests/fuzz_mat.rs c_test.")
                && lines[0].ends_with("pass --data DIR"),
            "{}",
            lines[0]
        );
        assert!(test_skips(&dir.path().join("none")).is_empty());
    }

    #[test]
    fn the_summary_lists_stages_and_skips() {
        let mut stages = Stages::default();
        stages.run("one", || Ok(())).unwrap();
        assert!(
            stages
                .run("two", || Err::<(), _>("no".to_string()))
                .is_err()
        );
        assert!(stages.summary().contains("nothing was skipped"));
        stages.skip("the browser check: no Chromium".to_string());
        let summary = stages.summary();
        assert!(
            summary.contains(" s  one\n") && summary.contains(" s  two\n"),
            "{summary}"
        );
        assert!(summary.contains("1 check(s) skipped:\n  skipped: the browser check: no Chromium"));
    }
}
