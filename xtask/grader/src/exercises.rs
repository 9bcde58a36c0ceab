//! The graded exercises: where each lives, which macro of grader-checks binds it, and its parts
//! with their points. The checks themselves are in grader-checks; a test there proves that it
//! knows every part named here.

use std::time::Duration;

/// One graded exercise: `chapters/<chapter>/exercise.rs` and its `solution.rs`.
#[derive(Debug)]
pub struct Exercise {
    /// What `cargo xtask grade` is given.
    pub name: &'static str,
    /// The chapter folder holding exercise.rs and solution.rs.
    pub chapter: &'static str,
    pub title: &'static str,
    /// The macro of grader-checks that binds a module with the exercise's functions.
    pub binding: &'static str,
    /// Whether some inputs need the course's ex4weights.mat (and the committed fixture).
    pub uses_course_weights: bool,
    pub parts: &'static [Part],
}

/// One part: graded on its own, in its own process.
#[derive(Debug)]
pub struct Part {
    pub id: &'static str,
    /// What it checks, for the table.
    pub checks: &'static str,
    /// 0 for an ungraded part, which is reported but not scored.
    pub points: u32,
    /// How long its process may run before it is stopped and the part fails.
    pub time_limit: Duration,
}

const LIMIT: Duration = Duration::from_secs(10);

const fn part(id: &'static str, checks: &'static str, points: u32) -> Part {
    Part {
        id,
        checks,
        points,
        time_limit: LIMIT,
    }
}

/// Every graded exercise, in chapter order.
pub const EXERCISES: &[Exercise] = &[
    Exercise {
        name: "perceptron",
        chapter: "ch1_neuron",
        title: "chapter 1: the perceptron rule",
        binding: "perceptron_code",
        uses_course_weights: false,
        parts: &[
            part("first", "the first updates, z = 0 is red", 30),
            part("fit", "the chapter's fit: w, b, mistakes", 40),
            part("stop", "stops after a clean epoch, or never", 30),
        ],
    },
    Exercise {
        name: "xnor",
        chapter: "ch3_xnor",
        title: "chapter 3: weights for AND, NOR and OR that make XNOR",
        binding: "xnor_code",
        uses_course_weights: false,
        parts: &[
            part("and", "the AND unit's truth table", 20),
            part("nor", "the NOR unit's truth table", 20),
            part("or", "the OR unit's truth table", 20),
            part("xnor", "the 2-2-1 network's truth table", 40),
        ],
    },
    Exercise {
        name: "gradcheck",
        chapter: "ch6_gradcheck",
        title: "chapter 6: the numerical gradient and the gradient check",
        binding: "gradcheck_code",
        uses_course_weights: false,
        parts: &[
            part("numerical", "the two-sided numerical gradient", 50),
            part("relative", "the relative difference", 20),
            part("check", "the check passes and fails", 30),
        ],
    },
    Exercise {
        name: "ex4",
        chapter: "ch7_digits",
        title: "the course's exercise 4: the network's cost and backpropagation",
        binding: "ex4_code",
        uses_course_weights: true,
        parts: &[
            part("1", "feed-forward and cost (λ = 0)", 30),
            part("2", "regularised cost", 12),
            part("3", "sigmoid gradient", 5),
            part("4", "backprop gradient (λ = 0)", 40),
            part("5", "regularised gradient", 13),
            part("init", "random initialisation", 0),
            Part {
                id: "train",
                checks: "training to 95% on the UCI digits",
                points: 0,
                time_limit: Duration::from_secs(60),
            },
        ],
    },
];

/// The exercise called `name`, or its chapter's folder name.
pub fn find(name: &str) -> Option<&'static Exercise> {
    EXERCISES
        .iter()
        .find(|e| e.name == name || e.chapter == name)
}

/// The names `cargo xtask grade` accepts, for messages.
pub fn names() -> String {
    EXERCISES
        .iter()
        .map(|e| e.name)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graded_parts_add_up_to_100_and_ex4_keeps_the_courses_weights() {
        for e in EXERCISES {
            let total: u32 = e.parts.iter().map(|p| p.points).sum();
            assert_eq!(total, 100, "{}", e.name);
        }
        let ex4: Vec<u32> = find("ex4")
            .unwrap()
            .parts
            .iter()
            .map(|p| p.points)
            .collect();
        assert_eq!(ex4, [30, 12, 5, 40, 13, 0, 0]);
        assert_eq!(find("ch7_digits").unwrap().name, "ex4");
        assert!(find("ex5").is_none());
    }
}
