//! The chapters' solutions and templates compiled into a test: clippy sees them, and each is
//! graded in this process, which is quick (`cargo xtask test` grades them again through the
//! scratch crate, as a learner's file is).

use grader_checks::{Data, Graded};

#[path = "../../../../chapters/ch7_digits/solution.rs"]
mod ex4_solution;
#[allow(dead_code, unused_variables, unused_imports)]
#[path = "../../../../chapters/ch7_digits/exercise.rs"]
mod ex4_template;

/// The committed fixture, and the course's weights where tests/support would find them.
fn data() -> Data {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let env = std::env::var_os("BACKPROP_BOOK_DATA").map(std::path::PathBuf::from);
    let weights = env
        .into_iter()
        .chain([root.join("data"), root.join("../shared/data")])
        .map(|d| d.join("ex4weights.mat"))
        .find(|p| p.is_file());
    Data {
        fixture: Some(root.join("tests/fixtures/ex4data1-small.mat")),
        weights,
    }
}

const EX4_PARTS: [&str; 7] = ["1", "2", "3", "4", "5", "init", "train"];

#[test]
fn the_ex4_solution_passes_every_part() {
    let code = grader_checks::ex4_code!(ex4_solution);
    for part in EX4_PARTS {
        let verdict = code.grade(part, &data()).expect("a part of ex4");
        assert!(verdict.passed(), "part {part}: {}", verdict.feedback);
    }
}

#[test]
fn the_ex4_template_fails_every_part_with_todo() {
    let code = grader_checks::ex4_code!(ex4_template);
    for part in EX4_PARTS {
        let verdict = code.grade(part, &data()).expect("a part of ex4");
        assert!(!verdict.passed(), "part {part} passed");
        assert!(
            verdict.feedback.contains("not implemented yet"),
            "part {part}: {}",
            verdict.feedback
        );
    }
}
