//! The chapters' solutions and templates compiled into a test: clippy sees them, and each is
//! graded in this process, which is quick (`cargo xtask test` grades them again through the
//! scratch crate, as a learner's file is).

use grader_checks::{Data, Graded};

#[path = "../../../../chapters/ch7_digits/solution.rs"]
mod ex4_solution;
#[allow(dead_code, unused_variables, unused_imports)]
#[path = "../../../../chapters/ch7_digits/exercise.rs"]
mod ex4_template;
#[path = "../../../../chapters/ch6_gradcheck/solution.rs"]
mod gradcheck_solution;
#[allow(dead_code, unused_variables, unused_imports)]
#[path = "../../../../chapters/ch6_gradcheck/exercise.rs"]
mod gradcheck_template;
#[path = "../../../../chapters/ch1_neuron/solution.rs"]
mod perceptron_solution;
#[allow(dead_code, unused_variables, unused_imports)]
#[path = "../../../../chapters/ch1_neuron/exercise.rs"]
mod perceptron_template;
#[path = "../../../../chapters/ch3_xnor/solution.rs"]
mod xnor_solution;
#[allow(dead_code, unused_variables, unused_imports)]
#[path = "../../../../chapters/ch3_xnor/exercise.rs"]
mod xnor_template;

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

/// Grades `code` on every part of `exercise` (the grader's list) and checks each verdict.
fn grade_all(exercise: &str, code: &dyn Graded, solution: bool) {
    let parts = grader::exercises::find(exercise)
        .expect("an exercise")
        .parts;
    for part in parts {
        let verdict = code
            .grade(part.id, &data())
            .unwrap_or_else(|| panic!("{exercise} has no part {}", part.id));
        if solution {
            assert!(
                verdict.passed(),
                "{exercise} part {}: {}",
                part.id,
                verdict.feedback
            );
        } else {
            assert!(!verdict.passed(), "{exercise} part {} passed", part.id);
            assert!(
                verdict.feedback.contains("not implemented yet"),
                "{exercise} part {}: {}",
                part.id,
                verdict.feedback
            );
        }
    }
}

#[test]
fn every_solution_passes_every_part() {
    grade_all(
        "perceptron",
        &grader_checks::perceptron_code!(perceptron_solution),
        true,
    );
    grade_all("xnor", &grader_checks::xnor_code!(xnor_solution), true);
    grade_all(
        "gradcheck",
        &grader_checks::gradcheck_code!(gradcheck_solution),
        true,
    );
    grade_all("ex4", &grader_checks::ex4_code!(ex4_solution), true);
}

#[test]
fn every_template_fails_every_part_with_its_todo() {
    grade_all(
        "perceptron",
        &grader_checks::perceptron_code!(perceptron_template),
        false,
    );
    grade_all("xnor", &grader_checks::xnor_code!(xnor_template), false);
    grade_all(
        "gradcheck",
        &grader_checks::gradcheck_code!(gradcheck_template),
        false,
    );
    grade_all("ex4", &grader_checks::ex4_code!(ex4_template), false);
}
