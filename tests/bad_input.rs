//! Everything a reader can get wrong, tried: bad data files, bad flags, a diverging run, an
//! unwritable output folder, an interrupted figure. Each gets a clear message and a non-zero exit,
//! never a panic, and nothing half-written. The test prints the table of what it tried.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use backprop_book::digits::{self, EX4_DATA, EX4_WEIGHTS};

/// A matrix for [`mat_file`]: name, rows, cols and values in column-major order.
struct Var<'a>(&'a str, usize, usize, Vec<f64>);

/// Writes a MAT version 5 file (uncompressed doubles) holding `vars`.
fn mat_file(vars: &[Var]) -> Vec<u8> {
    let mut out = b"MATLAB 5.0 MAT-file, written by backprop-book's tests".to_vec();
    out.resize(116, b' ');
    out.extend_from_slice(&[0; 8]); // subsystem data offset
    out.extend_from_slice(&0x0100u16.to_le_bytes());
    out.extend_from_slice(b"IM");
    let element = |kind: u32, data: &[u8]| {
        let mut e = kind.to_le_bytes().to_vec();
        e.extend_from_slice(&(data.len() as u32).to_le_bytes());
        e.extend_from_slice(data);
        e.resize(e.len().next_multiple_of(8), 0);
        e
    };
    for Var(name, rows, cols, values) in vars {
        let mut body = element(6, &[6, 0, 0, 0, 0, 0, 0, 0]); // array flags: class double
        body.extend(element(
            5,
            &[(*rows as i32).to_le_bytes(), (*cols as i32).to_le_bytes()].concat(),
        ));
        body.extend(element(1, name.as_bytes()));
        body.extend(element(
            9,
            &values
                .iter()
                .flat_map(|v| v.to_le_bytes())
                .collect::<Vec<u8>>(),
        ));
        out.extend(element(14, &body));
    }
    out
}

fn matrix(name: &str, rows: usize, cols: usize, value: f64) -> Var<'_> {
    Var(name, rows, cols, vec![value; rows * cols])
}

/// A data file with X m×cols and the labels given.
fn data_file(cols: usize, labels: &[f64]) -> Vec<u8> {
    mat_file(&[
        matrix("X", labels.len(), cols, 0.5),
        Var("y", labels.len(), 1, labels.to_vec()),
    ])
}

fn example(name: &str) -> PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--examples"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(status.success());
    });
    std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join("examples")
        .join(name)
}

fn run(name: &str, args: &[&str], cwd: &Path) -> Output {
    Command::new(example(name))
        .args(args)
        .env_remove("BACKPROP_BOOK_DATA")
        .current_dir(cwd)
        .output()
        .unwrap()
}

/// One row of the table: what was tried, the exit status, and the first line of the message.
struct Tried {
    what: String,
    status: Option<i32>,
    message: String,
}

fn first_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .find(|l| l.starts_with("error"))
        .unwrap_or("")
        .to_string()
}

#[test]
fn every_bad_input_gets_a_clear_error() {
    let mut table = Vec::new();

    // Data files, through chapter 7's program: `--data DIR` with a bad ex4data1.mat.
    let good_x = |rows: usize| data_file(400, &vec![1.0; rows]);
    let mut nan = data_file(400, &[1.0, 2.0]);
    let nan_at = 128 + 8 + 16 + 16 + 16 + 8; // X: matrix tag, flags, dimensions, name, then its values
    nan[nan_at..nan_at + 8].copy_from_slice(&f64::NAN.to_le_bytes());
    let mut v73 =
        b"MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan 1 2024 HDF5 schema 1.00 ."
            .to_vec();
    v73.resize(1024, 0);
    let data_cases: Vec<(&str, Option<Vec<u8>>, &str)> = vec![
        (
            "data file missing",
            None,
            "ex4data1.mat not found; looked in",
        ),
        ("data file empty", Some(vec![]), "the file is empty"),
        (
            "not a MAT file (CSV)",
            Some(b"x1,x2,y\n0.1,0.2,3\n".repeat(20)),
            "not a MAT file",
        ),
        (
            "truncated MAT file",
            Some(good_x(3)[..900].to_vec()),
            "truncated MAT file",
        ),
        ("MAT v7.3 (HDF5)", Some(v73), "save it with -v7"),
        (
            "variable X missing",
            Some(mat_file(&[Var("y", 2, 1, vec![1.0, 2.0])])),
            "no variable named X",
        ),
        (
            "X misnamed x",
            Some(mat_file(&[
                matrix("x", 2, 400, 0.5),
                Var("y", 2, 1, vec![1.0, 2.0]),
            ])),
            "no variable named X",
        ),
        (
            "X with 399 columns",
            Some(data_file(399, &[1.0, 2.0])),
            "X has 399 columns, expected 400",
        ),
        (
            "y = 11",
            Some(data_file(400, &[1.0, 11.0])),
            "y(2) is 11, expected a label 1..10",
        ),
        (
            "y = 0",
            Some(data_file(400, &[0.0, 1.0])),
            "y(1) is 0, expected a label 1..10",
        ),
        ("y = 2.5", Some(data_file(400, &[2.5])), "y(1) is 2.5"),
        (
            "NaN in X",
            Some(nan),
            "X(1, 1) is NaN, expected finite numbers",
        ),
        (
            "X 3 rows, y 2 rows",
            Some(mat_file(&[
                matrix("X", 3, 400, 0.5),
                Var("y", 2, 1, vec![1.0, 2.0]),
            ])),
            "y has shape 2×1, expected 3×1",
        ),
    ];
    for (what, bytes, expected) in data_cases {
        let dir = tempfile::tempdir().unwrap();
        if let Some(bytes) = &bytes {
            std::fs::write(dir.path().join(EX4_DATA), bytes).unwrap();
        }
        let out = tempfile::tempdir().unwrap();
        let result = run(
            "ch7_digits",
            &[
                "--data",
                dir.path().to_str().unwrap(),
                "--out",
                out.path().to_str().unwrap(),
            ],
            out.path(),
        );
        let stderr = String::from_utf8_lossy(&result.stderr);
        if bytes.is_some() {
            assert_eq!(result.status.code(), Some(1), "{what}: {stderr}");
            assert!(
                stderr.contains(expected),
                "{what}: expected {expected:?} in {stderr}"
            );
            assert_eq!(
                std::fs::read_dir(out.path()).unwrap().count(),
                0,
                "{what}: nothing may be drawn"
            );
        } else {
            // No data file is not an error for chapter 7: it says so and uses the bundled digits.
            assert!(
                result.status.success() && stderr.contains(expected),
                "{what}: {stderr}"
            );
        }
        let message = if bytes.is_some() {
            first_line(&result.stderr)
        } else {
            stderr.lines().next().unwrap_or("").to_string()
        };
        table.push(Tried {
            what: what.to_string(),
            status: result.status.code(),
            message,
        });
    }

    // The weights file, through the loader chapter 7 uses.
    let weight_cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "Theta1 26×401",
            mat_file(&[
                matrix("Theta1", 26, 401, 0.1),
                matrix("Theta2", 10, 26, 0.1),
            ]),
            "Theta1 has shape 26×401, expected 25×401",
        ),
        (
            "Theta2 missing",
            mat_file(&[matrix("Theta1", 25, 401, 0.1)]),
            "no variable named Theta2",
        ),
        (
            "infinity in Theta2",
            mat_file(&[
                matrix("Theta1", 25, 401, 0.1),
                matrix("Theta2", 10, 26, f64::INFINITY),
            ]),
            "Theta2(1, 1) is inf",
        ),
    ];
    for (what, bytes, expected) in weight_cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(EX4_WEIGHTS);
        std::fs::write(&path, bytes).unwrap();
        let err = digits::load_course_weights(&path)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains(expected) && err.contains(EX4_WEIGHTS),
            "{what}: {err}"
        );
        table.push(Tried {
            what: what.to_string(),
            status: None,
            message: format!("error: {err}"),
        });
    }

    // Flags and runs, through chapter 8's program.
    let cwd = tempfile::tempdir().unwrap();
    let flag_cases: [(&str, &[&str], i32, &str); 10] = [
        (
            "unknown activation",
            &["--hidden", "4", "--activation", "softplus"],
            2,
            "expected one of sigmoid, tanh, relu, leaky-relu",
        ),
        ("hidden size 0", &["--hidden", "0"], 2, "0 is not allowed"),
        (
            "hidden size not a number",
            &["--hidden", "four"],
            2,
            "is not a whole number",
        ),
        (
            "negative λ",
            &["--hidden", "4", "--lambda", "-1"],
            2,
            "is not a number ≥ 0",
        ),
        (
            "learning rate 0",
            &["--hidden", "4", "--rate", "0"],
            2,
            "is not a number > 0",
        ),
        (
            "learning rate negative",
            &["--hidden", "4", "--rate", "-0.1"],
            2,
            "is not a number > 0",
        ),
        (
            "learning rate NaN",
            &["--hidden", "4", "--rate", "NaN"],
            2,
            "is not a number > 0",
        ),
        (
            "iterations 0",
            &["--hidden", "4", "--iterations", "0"],
            2,
            "0 is not allowed",
        ),
        (
            "unknown flag",
            &["--hiden", "4"],
            2,
            "unexpected argument '--hiden'",
        ),
        (
            "training diverges (α = 1e300)",
            &["--hidden", "4", "--rate", "1e300", "--iterations", "20"],
            1,
            "training diverged (try a smaller learning rate)",
        ),
    ];
    for (what, args, code, expected) in flag_cases {
        let result = run("ch8_moons", args, cwd.path());
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(code), "{what}: {stderr}");
        assert!(
            stderr.contains(expected),
            "{what}: expected {expected:?} in {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        table.push(Tried {
            what: what.to_string(),
            status: result.status.code(),
            message: first_line(&result.stderr),
        });
    }

    // An output folder that cannot be written: a file where the folder should be.
    let blocker = cwd.path().join("a-file");
    std::fs::write(&blocker, "not a folder").unwrap();
    for name in ["ch1_neuron", "ch8_moons"] {
        let target = blocker.join("figures");
        let result = run(name, &["--out", target.to_str().unwrap()], cwd.path());
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains("creating folder") && stderr.contains("a-file/figures"),
            "{name}: {stderr}"
        );
        table.push(Tried {
            what: format!("{name}: --out under a file"),
            status: result.status.code(),
            message: first_line(&result.stderr),
        });
    }

    println!("\n{} bad inputs tried:\n", table.len());
    println!("| input | exit | message |\n| --- | --- | --- |");
    for t in &table {
        let status = t.status.map_or("(library)".to_string(), |c| c.to_string());
        println!(
            "| {} | {status} | {} |",
            t.what,
            t.message.replace('|', "\\|")
        );
    }
    assert_eq!(table.len(), 28);
}

#[test]
fn an_interrupted_figure_leaves_the_old_one_whole() {
    use backprop_book::plot::save_svg;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("figure.svg");
    std::fs::write(&path, "<svg>the old figure</svg>").unwrap();
    // The drawing fails half-way: after drawing something, before finishing.
    let result = save_svg(dir.path(), "figure.svg", (100, 100), |root| {
        root.fill(&plotters::style::RED)?;
        Err("the drawing failed half-way".into())
    });
    assert!(
        result
            .unwrap_err()
            .to_string()
            .contains("the drawing failed half-way")
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "<svg>the old figure</svg>"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file is left behind"
    );
}
