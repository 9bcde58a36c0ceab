//! Planted mistakes: each test file is a chapter's solution with one known mistake written in,
//! graded through the real grader (scratch crate, a process per part). The parts the mistake
//! breaks must fail and name it; every other part must still pass. The files are written to
//! target/tmp/mutants/ (kept, so that a second run rebuilds nothing).

use std::path::Path;

use grader::layout::Layout;
use grader::{Outcome, Request};
use grader_checks::{ex4, gradcheck, perceptron};

/// A solution with one mistake: each `(find, replace)` must occur exactly once in the solution.
struct Mutant {
    name: &'static str,
    edits: &'static [(&'static str, &'static str)],
    /// The parts it must fail, each with what its feedback must say (the mistake's name).
    fails: Vec<(&'static str, &'static str)>,
}

/// Writes the mutant of `solution` into `dir` and grades `parts` of it (every part if empty).
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
            (Some((_, said)), false) => {
                if !row.feedback().contains(said) {
                    problems.push(format!(
                        "{}: part {} should say {said:?}: {}",
                        mutant.name,
                        row.part.id,
                        row.feedback()
                    ));
                }
            }
        }
    }
    problems
}

/// Grades every mutant of `exercise` at once (builds queue on cargo's lock; runs overlap).
fn run_all(exercise: &str, mutants: &[Mutant], parts: &[&str]) {
    let root = Layout::here().root;
    let chapter = grader::exercises::find(exercise).unwrap().chapter;
    let solution =
        std::fs::read_to_string(root.join("chapters").join(chapter).join("solution.rs")).unwrap();
    // A fixed folder: the grader keys its scratch crates by the file's path.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mutants");
    std::fs::create_dir_all(&dir).unwrap();
    let problems: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = mutants
            .iter()
            .map(|m| {
                let (solution, dir) = (&solution, dir.as_path());
                s.spawn(move || check(m, &grade(exercise, solution, m, dir, parts)))
            })
            .collect();
        runs.into_iter().flat_map(|r| r.join().unwrap()).collect()
    });
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// Every name in `names` is expected by some mutant.
fn all_planted(mutants: &[Mutant], names: &[&str]) {
    for name in names {
        assert!(
            mutants
                .iter()
                .any(|m| m.fails.iter().any(|(_, said)| said == name)),
            "{name:?} has no planted mutant"
        );
    }
}

const EX4_PARTS: [&str; 5] = ["1", "2", "3", "4", "5"];

fn ex4_mutants() -> Vec<Mutant> {
    use ex4::mistakes::Mistake::*;
    vec![
        Mutant {
            name: "cost_bias_regularised",
            edits: &[(
                "theta.slice(s![.., 1..]).iter().map(|w| w * w).sum()",
                "theta.iter().map(|w| w * w).sum()",
            )],
            fails: vec![("2", BiasRegularised.name())],
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
            fails: vec![("5", BiasRegularised.name())],
        },
        Mutant {
            name: "lambda_over_2_times_m",
            edits: &[("lambda / (2.0 * m) * penalty", "lambda / 2.0 * m * penalty")],
            fails: vec![("2", LambdaTimesM.name())],
        },
        Mutant {
            name: "cost_without_1_over_m",
            edits: &[("data_term / m", "data_term")],
            fails: vec![
                ("1", OneOverMForgotten.name()),
                ("2", OneOverMForgotten.name()),
            ],
        },
        Mutant {
            name: "gradient_without_1_over_m",
            edits: &[
                ("delta2.t().dot(&a1) / m", "delta2.t().dot(&a1)"),
                ("delta3.t().dot(&a2) / m", "delta3.t().dot(&a2)"),
            ],
            fails: vec![
                ("4", OneOverMForgotten.name()),
                ("5", OneOverMForgotten.name()),
            ],
        },
        Mutant {
            name: "label_10_in_column_0",
            edits: &[(
                "y_matrix[[i, label - 1]] = 1.0;",
                "y_matrix[[i, label % num_labels]] = 1.0;",
            )],
            fails: vec![
                ("1", LabelTenInColumnZero.name()),
                ("2", LabelTenInColumnZero.name()),
                ("4", LabelTenInColumnZero.name()),
                ("5", LabelTenInColumnZero.name()),
            ],
        },
        Mutant {
            name: "label_k_in_column_k",
            edits: &[(
                "y_matrix[[i, label - 1]] = 1.0;",
                "if let Some(cell) = y_matrix.get_mut([i, label]) {\n            *cell = 1.0;\n        }",
            )],
            fails: vec![
                ("1", LabelKInColumnK.name()),
                ("2", LabelKInColumnK.name()),
                ("4", LabelKInColumnK.name()),
                ("5", LabelKInColumnK.name()),
            ],
        },
        Mutant {
            name: "lambda_not_used",
            edits: &[(
                "let j = data_term / m + lambda / (2.0 * m) * penalty;",
                "let j = data_term / m;",
            )],
            fails: vec![("2", LambdaIgnored.name())],
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
            fails: vec![("5", PenaltyFactorTwo.name())],
        },
        Mutant {
            name: "a_times_1_minus_a_of_z",
            edits: &[("&g * &(1.0 - &g)", "&z * &(1.0 - &z)")],
            fails: vec![
                ("3", ZForA.name()),
                ("4", ZForA.name()),
                ("5", ZForA.name()),
            ],
        },
        Mutant {
            name: "sigmoid_for_its_gradient",
            edits: &[("&g * &(1.0 - &g)", "g")],
            fails: vec![
                ("3", SigmoidNotDerivative.name()),
                ("4", SigmoidNotDerivative.name()),
                ("5", SigmoidNotDerivative.name()),
            ],
        },
        Mutant {
            name: "delta3_times_slope",
            edits: &[(
                "let delta3 = &a3 - &y_matrix;",
                "let delta3 = (&a3 - &y_matrix) * &a3 * &(1.0 - &a3);",
            )],
            fails: vec![
                ("4", OutputDeltaSlope.name()),
                ("5", OutputDeltaSlope.name()),
            ],
        },
        Mutant {
            name: "sigmoid_applied_twice",
            edits: &[("let g = sigmoid(z);", "let g = sigmoid(sigmoid(z).view());")],
            fails: vec![
                ("3", GPrimeAtA.name()),
                ("4", GPrimeAtA.name()),
                ("5", GPrimeAtA.name()),
            ],
        },
        Mutant {
            name: "g_prime_at_a",
            edits: &[(
                "* sigmoid_gradient(z2.view())",
                "* sigmoid_gradient(a2.slice(s![.., 1..]))",
            )],
            fails: vec![("4", GPrimeAtA.name()), ("5", GPrimeAtA.name())],
        },
        Mutant {
            name: "bias_row_of_delta_kept",
            edits: &[(
                "delta3.dot(&theta2.slice(s![.., 1..])) * sigmoid_gradient(z2.view())",
                "delta3.dot(&theta2) * &(&a2 * &(1.0 - &a2))",
            )],
            fails: vec![
                ("1", BiasDeltaKept.name()),
                ("2", BiasDeltaKept.name()),
                ("4", BiasDeltaKept.name()),
                ("5", BiasDeltaKept.name()),
            ],
        },
        Mutant {
            name: "bias_row_of_delta_kept_shapes_unsaid",
            edits: &[(
                "delta3.dot(&theta2.slice(s![.., 1..])) * sigmoid_gradient(z2.view())",
                "delta3.dot(&theta2) * sigmoid_gradient(z2.view())",
            )],
            fails: vec![
                ("1", BiasDeltaKept.name()),
                ("2", BiasDeltaKept.name()),
                ("4", BiasDeltaKept.name()),
                ("5", BiasDeltaKept.name()),
            ],
        },
        Mutant {
            name: "gradient_unrolled_row_major",
            edits: &[(
                "theta1_grad\n        .t()\n        .iter()\n        .chain(theta2_grad.t().iter())",
                "theta1_grad\n        .iter()\n        .chain(theta2_grad.iter())",
            )],
            fails: vec![
                ("4", GradientRowMajor.name()),
                ("5", GradientRowMajor.name()),
            ],
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
            fails: vec![
                ("1", ParamsRowMajor.name()),
                ("2", ParamsRowMajor.name()),
                ("4", ParamsRowMajor.name()),
                ("5", ParamsRowMajor.name()),
            ],
        },
        Mutant {
            name: "sign_of_delta3",
            edits: &[("&a3 - &y_matrix", "&y_matrix - &a3")],
            fails: vec![("4", SignError.name()), ("5", SignError.name())],
        },
        Mutant {
            name: "log_of_h",
            edits: &[(
                ".map(|(&z, &t)| cross_entropy(z, t))",
                ".map(|(&z, &t)| {\n            let h = 1.0 / (1.0 + (-z).exp());\n            -(t * h.ln() + (1.0 - t) * (1.0 - h).ln())\n        })",
            )],
            fails: vec![("1", LogZero.name()), ("2", LogZero.name())],
        },
    ]
}

#[test]
fn every_planted_ex4_mistake_is_named_and_fails_only_its_parts() {
    let mutants = ex4_mutants();
    let names: Vec<&str> = ex4::mistakes::Mistake::ALL
        .iter()
        .map(|m| m.name())
        .collect();
    all_planted(&mutants, &names);
    run_all("ex4", &mutants, &EX4_PARTS);
}

fn perceptron_mutants() -> Vec<Mutant> {
    use perceptron::Mistake::*;
    let all =
        |m: perceptron::Mistake| vec![("first", m.name()), ("fit", m.name()), ("stop", m.name())];
    vec![
        Mutant {
            name: "step_at_zero",
            edits: &[("u8::from(z > 0.0)", "u8::from(z >= 0.0)")],
            fails: all(StepAtZero),
        },
        Mutant {
            name: "error_reversed",
            edits: &[(
                "f64::from(y) - f64::from(predicted)",
                "f64::from(predicted) - f64::from(y)",
            )],
            fails: all(ErrorReversed),
        },
        Mutant {
            name: "bias_frozen",
            edits: &[("            b += learning_rate * error;\n", "")],
            fails: all(BiasFrozen),
        },
        Mutant {
            name: "rate_ignored",
            edits: &[
                (
                    "w[0] += learning_rate * error * x[0];",
                    "w[0] += error * x[0];",
                ),
                (
                    "w[1] += learning_rate * error * x[1];",
                    "w[1] += error * x[1];",
                ),
                ("b += learning_rate * error;", "b += error;"),
            ],
            fails: vec![("first", RateIgnored.name()), ("fit", RateIgnored.name())],
        },
        Mutant {
            name: "never_stops",
            edits: &[(
                "        if wrong == 0 {\n            break;\n        }\n",
                "",
            )],
            fails: vec![("fit", NeverStops.name()), ("stop", NeverStops.name())],
        },
        Mutant {
            name: "count_not_reset",
            edits: &[
                (
                    "    let mut mistakes = Vec::new();\n",
                    "    let mut mistakes = Vec::new();\n    let mut wrong = 0;\n",
                ),
                ("        let mut wrong = 0;\n", ""),
            ],
            fails: vec![
                ("fit", CountNotReset.name()),
                ("stop", CountNotReset.name()),
            ],
        },
        Mutant {
            name: "updates_per_epoch",
            edits: &[
                (
                    "        let mut wrong = 0;\n",
                    "        let mut wrong = 0;\n        let (mut dw, mut db) = ([0.0, 0.0], 0.0);\n",
                ),
                ("w[0] += learning_rate", "dw[0] += learning_rate"),
                ("w[1] += learning_rate", "dw[1] += learning_rate"),
                ("b += learning_rate", "db += learning_rate"),
                (
                    "        mistakes.push(wrong);",
                    "        w = [w[0] + dw[0], w[1] + dw[1]];\n        b += db;\n        mistakes.push(wrong);",
                ),
            ],
            fails: all(UpdatesPerEpoch),
        },
    ]
}

#[test]
fn every_planted_perceptron_mistake_is_named_and_fails_only_its_parts() {
    let mutants = perceptron_mutants();
    let names: Vec<&str> = perceptron::Mistake::ALL.iter().map(|m| m.name()).collect();
    all_planted(&mutants, &names);
    run_all("perceptron", &mutants, &[]);
}

fn xnor_mutants() -> Vec<Mutant> {
    vec![
        Mutant {
            name: "nor_as_or",
            edits: &[("[10.0, -20.0, -20.0]", "[-10.0, 20.0, 20.0]")],
            fails: vec![
                ("nor", "a different gate: it computes x1 OR x2"),
                ("xnor", "a different gate: it computes x1 OR x2"),
            ],
        },
        Mutant {
            name: "and_too_small",
            edits: &[("[-30.0, 20.0, 20.0]", "[-3.0, 2.0, 2.0]")],
            fails: vec![("and", "weights too small")],
        },
        Mutant {
            name: "or_bias_last",
            edits: &[("[-10.0, 20.0, 20.0]", "[20.0, 20.0, -10.0]")],
            fails: vec![
                ("or", "the bias weight written last"),
                ("xnor", "a different gate"),
            ],
        },
        Mutant {
            name: "theta2_without_bias",
            edits: &[(
                "let theta2 = array![[or[0], or[1], or[2]]];",
                "let theta2 = array![[or[1], or[2]]];",
            )],
            fails: vec![("xnor", "Θ2 needs a first column")],
        },
        Mutant {
            name: "xor_network",
            edits: &[(
                "let theta2 = array![[or[0], or[1], or[2]]];",
                "let theta2 = array![[nor[0], nor[1], nor[2]]];",
            )],
            fails: vec![("xnor", "a different gate: it computes x1 XOR x2")],
        },
    ]
}

#[test]
fn every_planted_xnor_mistake_is_named_and_fails_only_its_parts() {
    let mutants = xnor_mutants();
    all_planted(
        &mutants,
        &[
            "a different gate",
            "weights too small",
            "the bias weight written last",
        ],
    );
    run_all("xnor", &mutants, &[]);
}

fn gradcheck_mutants() -> Vec<Mutant> {
    use gradcheck::Mistake::*;
    let uses_numerical = "uses numerical_gradient, which is wrong";
    let uses_relative = "uses relative_difference, which is wrong";
    vec![
        Mutant {
            name: "one_sided",
            edits: &[
                ("let minus = cost(&shifted);", "let minus = cost(theta);"),
                (
                    "(plus - minus) / (2.0 * epsilon)",
                    "(plus - minus) / epsilon",
                ),
            ],
            fails: vec![("numerical", OneSided.name()), ("check", uses_numerical)],
        },
        Mutant {
            name: "not_halved",
            edits: &[(
                "(plus - minus) / (2.0 * epsilon)",
                "(plus - minus) / epsilon",
            )],
            fails: vec![("numerical", NotHalved.name()), ("check", uses_numerical)],
        },
        Mutant {
            name: "sign_reversed",
            edits: &[("(plus - minus)", "(minus - plus)")],
            fails: vec![
                ("numerical", SignReversed.name()),
                ("check", uses_numerical),
            ],
        },
        Mutant {
            name: "not_restored",
            edits: &[(
                "        // Put θ_i back before moving the next one.\n        shifted[i] = theta[i];\n",
                "",
            )],
            fails: vec![("numerical", NotRestored.name()), ("check", uses_numerical)],
        },
        Mutant {
            name: "no_square_root",
            edits: &[(".sum::<f64>().sqrt()", ".sum::<f64>()")],
            fails: vec![("relative", NoSquareRoot.name()), ("check", uses_relative)],
        },
        Mutant {
            name: "norms_added",
            edits: &[(
                "let sum = norm(numerical.iter().zip(analytic).map(|(n, a)| n + a).collect());",
                "let sum = norm(numerical.to_vec()) + norm(analytic.to_vec());",
            )],
            // The check still decides right: ‖n‖ + ‖a‖ is about ‖n + a‖ when they nearly agree.
            fails: vec![("relative", NormsAdded.name())],
        },
        Mutant {
            name: "zero_over_zero",
            edits: &[(
                "    if difference == 0.0 {\n        0.0\n    } else {\n        difference / sum\n    }\n",
                "    difference / sum\n",
            )],
            fails: vec![("relative", ZeroOverZero.name())],
        },
        Mutant {
            name: "ten_e_minus_nine",
            edits: &[("< 1e-9", "< 10e-9")],
            fails: vec![("check", TenEMinusNine.name())],
        },
        Mutant {
            name: "comparison_reversed",
            edits: &[("< 1e-9", ">= 1e-9")],
            fails: vec![("check", ComparisonReversed.name())],
        },
    ]
}

#[test]
fn every_planted_gradcheck_mistake_is_named_and_fails_only_its_parts() {
    let mutants = gradcheck_mutants();
    let names: Vec<&str> = gradcheck::Mistake::ALL.iter().map(|m| m.name()).collect();
    all_planted(&mutants, &names);
    run_all("gradcheck", &mutants, &[]);
}
