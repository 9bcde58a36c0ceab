//! Planted mistakes: each test file is a chapter's solution with one known mistake written in,
//! graded through the real grader (scratch crate, a process per part). The parts the mistake
//! breaks must fail and name it; every other part must still pass. The files are written to
//! target/tmp/mutants/ (kept, so that a second run rebuilds nothing).

use std::path::Path;

use grader::layout::Layout;
use grader::{Outcome, Request};
use grader_checks::ex4::mistakes::Mistake;

/// A solution with one mistake: each `(find, replace)` must occur exactly once in the solution.
struct Mutant {
    name: &'static str,
    edits: &'static [(&'static str, &'static str)],
    /// The parts it must fail, each with the mistake its feedback must name.
    fails: &'static [(&'static str, Mistake)],
}

/// Writes the mutant of `solution` into `dir` and grades `parts` of it.
fn grade(exercise: &str, solution: &str, mutant: &Mutant, dir: &Path, parts: &[&str]) -> Outcome {
    let mut text = solution.to_string();
    for (find, replace) in mutant.edits {
        assert_eq!(
            text.matches(find).count(),
            1,
            "mutant {}: {find:?} must occur once in the solution",
            mutant.name
        );
        text = text.replace(find, replace);
    }
    let file = dir.join(format!("{exercise}_{}.rs", mutant.name));
    // Rewritten only when it changed, so a second run reuses its scratch crate's build.
    if std::fs::read_to_string(&file).ok() != Some(text.clone()) {
        std::fs::write(&file, text).unwrap();
    }
    let request = Request {
        exercise: exercise.to_string(),
        file: Some(file),
        data: None,
        parts: parts.iter().map(|p| p.to_string()).collect(),
    };
    grader::grade(&Layout::here(), &request).unwrap()
}

/// Checks one mutant's outcome: the right parts fail, each naming its mistake; the rest pass.
fn check(mutant: &Mutant, outcome: &Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    for row in &outcome.rows {
        let expected = mutant.fails.iter().find(|(id, _)| *id == row.part.id);
        match (expected, row.passed()) {
            (None, true) => {}
            (None, false) => problems.push(format!(
                "{}: part {} should pass: {}",
                mutant.name,
                row.part.id,
                row.feedback()
            )),
            (Some(_), true) => {
                problems.push(format!("{}: part {} should fail", mutant.name, row.part.id))
            }
            (Some((_, mistake)), false) => {
                let feedback = row.feedback();
                let diagnosis = feedback.split("Diagnosis:").nth(1).unwrap_or("");
                if !diagnosis.contains(mistake.name()) {
                    problems.push(format!(
                        "{}: part {} should name {:?}: {feedback}",
                        mutant.name, row.part.id, mistake
                    ));
                }
            }
        }
    }
    problems
}

const EX4_PARTS: [&str; 5] = ["1", "2", "3", "4", "5"];

use Mistake::*;

const EX4_MUTANTS: &[Mutant] = &[
    Mutant {
        name: "cost_bias_regularised",
        edits: &[(
            "theta.slice(s![.., 1..]).iter().map(|w| w * w).sum()",
            "theta.iter().map(|w| w * w).sum()",
        )],
        fails: &[("2", BiasRegularised)],
    },
    Mutant {
        name: "gradient_bias_regularised",
        edits: &[
            (
                "theta1_grad\n        .slice_mut(s![.., 1..])\n        .scaled_add(lambda / m, &theta1.slice(s![.., 1..]));",
                "theta1_grad.scaled_add(lambda / m, &theta1);",
            ),
            (
                "theta2_grad\n        .slice_mut(s![.., 1..])\n        .scaled_add(lambda / m, &theta2.slice(s![.., 1..]));",
                "theta2_grad.scaled_add(lambda / m, &theta2);",
            ),
        ],
        fails: &[("5", BiasRegularised)],
    },
    Mutant {
        name: "lambda_over_2_times_m",
        edits: &[("lambda / (2.0 * m) * penalty", "lambda / 2.0 * m * penalty")],
        fails: &[("2", LambdaTimesM)],
    },
    Mutant {
        name: "cost_without_1_over_m",
        edits: &[("data_term / m", "data_term")],
        fails: &[("1", OneOverMForgotten), ("2", OneOverMForgotten)],
    },
    Mutant {
        name: "gradient_without_1_over_m",
        edits: &[
            ("delta2.t().dot(&a1) / m", "delta2.t().dot(&a1)"),
            ("delta3.t().dot(&a2) / m", "delta3.t().dot(&a2)"),
        ],
        fails: &[("4", OneOverMForgotten), ("5", OneOverMForgotten)],
    },
    Mutant {
        name: "label_10_in_column_0",
        edits: &[(
            "y_matrix[[i, label - 1]] = 1.0;",
            "y_matrix[[i, label % num_labels]] = 1.0;",
        )],
        fails: &[
            ("1", LabelTenInColumnZero),
            ("2", LabelTenInColumnZero),
            ("4", LabelTenInColumnZero),
            ("5", LabelTenInColumnZero),
        ],
    },
    Mutant {
        name: "label_k_in_column_k",
        edits: &[(
            "y_matrix[[i, label - 1]] = 1.0;",
            "if let Some(cell) = y_matrix.get_mut([i, label]) {\n            *cell = 1.0;\n        }",
        )],
        fails: &[
            ("1", LabelKInColumnK),
            ("2", LabelKInColumnK),
            ("4", LabelKInColumnK),
            ("5", LabelKInColumnK),
        ],
    },
    Mutant {
        name: "lambda_not_used",
        edits: &[(
            "let j = data_term / m + lambda / (2.0 * m) * penalty;",
            "let j = data_term / m;",
        )],
        fails: &[("2", LambdaIgnored)],
    },
    Mutant {
        name: "gradient_penalty_halved",
        edits: &[
            (
                ".scaled_add(lambda / m, &theta1.slice(s![.., 1..]));",
                ".scaled_add(lambda / (2.0 * m), &theta1.slice(s![.., 1..]));",
            ),
            (
                ".scaled_add(lambda / m, &theta2.slice(s![.., 1..]));",
                ".scaled_add(lambda / (2.0 * m), &theta2.slice(s![.., 1..]));",
            ),
        ],
        fails: &[("5", PenaltyFactorTwo)],
    },
    Mutant {
        name: "a_times_1_minus_a_of_z",
        edits: &[("&g * &(1.0 - &g)", "&z * &(1.0 - &z)")],
        fails: &[("3", ZForA), ("4", ZForA), ("5", ZForA)],
    },
    Mutant {
        name: "sigmoid_for_its_gradient",
        edits: &[("&g * &(1.0 - &g)", "g")],
        fails: &[
            ("3", SigmoidNotDerivative),
            ("4", SigmoidNotDerivative),
            ("5", SigmoidNotDerivative),
        ],
    },
    Mutant {
        name: "delta3_times_slope",
        edits: &[(
            "let delta3 = &a3 - &y_matrix;",
            "let delta3 = (&a3 - &y_matrix) * &a3 * &(1.0 - &a3);",
        )],
        fails: &[("4", OutputDeltaSlope), ("5", OutputDeltaSlope)],
    },
    Mutant {
        name: "sigmoid_applied_twice",
        edits: &[("let g = sigmoid(z);", "let g = sigmoid(sigmoid(z).view());")],
        fails: &[("3", GPrimeAtA), ("4", GPrimeAtA), ("5", GPrimeAtA)],
    },
    Mutant {
        name: "g_prime_at_a",
        edits: &[(
            "* sigmoid_gradient(z2.view())",
            "* sigmoid_gradient(a2.slice(s![.., 1..]))",
        )],
        fails: &[("4", GPrimeAtA), ("5", GPrimeAtA)],
    },
    Mutant {
        name: "bias_row_of_delta_kept",
        edits: &[(
            "delta3.dot(&theta2.slice(s![.., 1..])) * sigmoid_gradient(z2.view())",
            "delta3.dot(&theta2) * &(&a2 * &(1.0 - &a2))",
        )],
        fails: &[
            ("1", BiasDeltaKept),
            ("2", BiasDeltaKept),
            ("4", BiasDeltaKept),
            ("5", BiasDeltaKept),
        ],
    },
    Mutant {
        name: "gradient_unrolled_row_major",
        edits: &[(
            "theta1_grad\n        .t()\n        .iter()\n        .chain(theta2_grad.t().iter())",
            "theta1_grad\n        .iter()\n        .chain(theta2_grad.iter())",
        )],
        fails: &[("4", GradientRowMajor), ("5", GradientRowMajor)],
    },
    Mutant {
        name: "params_rolled_row_major",
        edits: &[
            (
                "(hidden_layer_size, input_layer_size + 1).f(),",
                "(hidden_layer_size, input_layer_size + 1),",
            ),
            (
                "(num_labels, hidden_layer_size + 1).f(),",
                "(num_labels, hidden_layer_size + 1),",
            ),
        ],
        fails: &[
            ("1", ParamsRowMajor),
            ("2", ParamsRowMajor),
            ("4", ParamsRowMajor),
            ("5", ParamsRowMajor),
        ],
    },
    Mutant {
        name: "sign_of_delta3",
        edits: &[("&a3 - &y_matrix", "&y_matrix - &a3")],
        fails: &[("4", SignError), ("5", SignError)],
    },
    Mutant {
        name: "log_of_h",
        edits: &[(
            ".map(|(&z, &t)| cross_entropy(z, t))",
            ".map(|(&z, &t)| {\n            let h = 1.0 / (1.0 + (-z).exp());\n            -(t * h.ln() + (1.0 - t) * (1.0 - h).ln())\n        })",
        )],
        fails: &[("1", LogZero), ("2", LogZero)],
    },
];

#[test]
fn every_planted_ex4_mistake_is_named_and_fails_only_its_parts() {
    let root = Layout::here().root;
    let solution = std::fs::read_to_string(root.join("chapters/ch7_digits/solution.rs")).unwrap();
    // A fixed folder: the grader keys its scratch crates by the file's path.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mutants");
    std::fs::create_dir_all(&dir).unwrap();
    // Every mistake the grader can name is planted at least once.
    for mistake in Mistake::ALL {
        let planted = EX4_MUTANTS
            .iter()
            .any(|m| m.fails.iter().any(|(_, named)| *named == mistake));
        assert!(planted, "{mistake:?} has no planted mutant");
    }
    let problems: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = EX4_MUTANTS
            .iter()
            .map(|m| {
                let (solution, dir) = (&solution, dir.as_path());
                s.spawn(move || check(m, &grade("ex4", solution, m, dir, &EX4_PARTS)))
            })
            .collect();
        runs.into_iter().flat_map(|r| r.join().unwrap()).collect()
    });
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
