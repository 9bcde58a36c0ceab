//! Chapter 7's data path: the course's weights file (where it is found: see
//! `support::course_weights`; CI always has it), the committed ex4data1-format fixture run
//! through the chapter's whole course pipeline, and bad data files.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use backprop_book::digits::{self, EX4_DATA, EX4_WEIGHTS};
use backprop_book::mat::MatFile;

/// The course's ex4weights.mat, or `None` (the test is then recorded as skipped).
fn weights(test: &str) -> Option<PathBuf> {
    support::course_weights(env!("CARGO_CRATE_NAME"), test)
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ex4data1-small.mat")
}

#[test]
fn the_course_weights_read_as_scipy_reads_them() {
    let Some(path) = weights("the_course_weights_read_as_scipy_reads_them") else {
        return;
    };
    let [t1, t2] = digits::load_course_weights(&path).unwrap();
    assert_eq!((t1.dim(), t2.dim()), ((25, 401), (10, 26)));
    // Reference values from scipy.io.loadmat, an independent reader of the same file.
    let close = |a: f64, b: f64| (a - b).abs() < 5e-11;
    assert!(
        close(t1[[0, 0]], -0.0225623899),
        "Theta1(1,1) = {}",
        t1[[0, 0]]
    );
    assert!(close(t1[[24, 400]], 0.0000000088) && close(t2[[9, 25]], -1.3275204190));
    assert!((t1.sum() - 9.2426439281).abs() < 1e-9 && (t2.sum() + 100.0834438493).abs() < 1e-9);
    assert!(
        (t1.mapv(f64::abs).sum() - 1229.1919866414).abs() < 1e-9
            && (t2.mapv(f64::abs).sum() - 325.9746384122).abs() < 1e-9
    );
}

#[test]
fn the_fixture_is_a_compressed_course_format_file() {
    let bytes = std::fs::read(fixture()).unwrap();
    assert_eq!(
        u32::from_le_bytes(bytes[128..132].try_into().unwrap()),
        15,
        "first element miCOMPRESSED, like the course's file"
    );
    let data = digits::load_course_data(&fixture()).unwrap();
    assert_eq!((data.x.nrows(), data.x.ncols(), data.side), (50, 400, 20));
    // Labels 10, 1, 2, …, 9 in blocks of five, as the course orders them; label 10 is unit 9.
    assert_eq!(data.classes[..6], [9, 9, 9, 9, 9, 0]);
    assert_eq!(data.class_names[9], "0");
}

/// Runs the chapter's example with `--data dir --out out` from an empty working folder.
fn run_ch7(dir: &Path, out: &Path) -> std::process::Output {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--example", "ch7_digits"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(status.success());
    let exe = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join("examples/ch7_digits");
    Command::new(exe)
        .arg("--data")
        .arg(dir)
        .arg("--out")
        .arg(out)
        .env_remove("BACKPROP_BOOK_DATA")
        .current_dir(out)
        .output()
        .unwrap()
}

#[test]
fn the_course_pipeline_runs_on_the_fixture() {
    let Some(path) = weights("the_course_pipeline_runs_on_the_fixture") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture(), dir.path().join(EX4_DATA)).unwrap();
    std::fs::copy(path, dir.path().join(EX4_WEIGHTS)).unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = run_ch7(dir.path(), out.path());
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for expected in [
        "ex4data1.mat is not the course's original file",
        "ex4weights.mat is the course's original file (git blob ace2a090d446).",
        "X 50×400",
        "J(Θ) with λ = 0: ",
        "training accuracy: ",
        "relative difference below 1e-9: true",
        "20 of its 10285 parameters, λ = 1: below 1e-7: true",
        "  20 parameters: relative difference ",
        "50 iterations, λ = 1: J from ",
        "400 iterations",
        "weighted avg",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    // Chapter 7's page: on the course-format file the large network's check lands near 2e-9,
    // above chapter 6's 1e-9 and well below the 1e-7 the chapter uses for large networks.
    let difference: f64 = stdout
        .split("  20 parameters: relative difference ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .and_then(|v| v.parse().ok())
        .expect("the check prints its relative difference");
    assert!((1e-9..1e-8).contains(&difference), "{difference}");
    for figure in [
        "course_digits.png",
        "course_costs.svg",
        "course_hidden_trained.png",
        "course_hidden_given.png",
    ] {
        let size = std::fs::metadata(out.path().join(figure))
            .map(|m| m.len())
            .unwrap_or(0);
        assert!(size > 1000, "{figure} not drawn");
    }
    // The 5×5 picture of the given weights' hidden units: 25 images of 20×20 at 4× scale.
    let png = std::fs::read(out.path().join("course_hidden_given.png")).unwrap();
    let (w, h) = (
        u32::from_be_bytes(png[16..20].try_into().unwrap()),
        u32::from_be_bytes(png[20..24].try_into().unwrap()),
    );
    assert_eq!((w, h), (412, 412));
}

#[test]
fn without_the_weights_the_course_run_says_so_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture(), dir.path().join(EX4_DATA)).unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = run_ch7(dir.path(), out.path());
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success()
            && stdout.contains("ex4weights.mat not found")
            && stdout.contains("400 iterations"),
        "{stdout}"
    );
}

#[test]
fn bad_data_files_get_clear_errors_and_a_failing_exit() {
    let good = std::fs::read(fixture()).unwrap();
    let cases: [(&str, Vec<u8>, &str); 3] = [
        ("empty", vec![], "the file is empty"),
        (
            "truncated",
            good[..good.len() / 2].to_vec(),
            "truncated MAT file",
        ),
        ("not a MAT file", b"X,y\n1,2\n".repeat(40), "not a MAT file"),
    ];
    for (what, bytes, message) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(EX4_DATA), &bytes).unwrap();
        let out = tempfile::tempdir().unwrap();
        let run = run_ch7(dir.path(), out.path());
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{what}: {stderr}");
        assert!(
            stderr.contains(message) && stderr.contains(EX4_DATA),
            "{what}: {stderr}"
        );
        assert_eq!(
            std::fs::read_dir(out.path()).unwrap().count(),
            0,
            "{what}: nothing may be written"
        );
    }
    let missing = MatFile::open(Path::new("/no/such/file.mat"))
        .err()
        .expect("a missing file fails");
    assert!(
        missing.to_string().starts_with("reading /no/such/file.mat"),
        "{missing}"
    );
}

#[test]
fn a_weights_file_where_the_data_should_be_names_both() {
    let Some(path) = weights("a_weights_file_where_the_data_should_be_names_both") else {
        return;
    };
    let err = digits::load_course_data(&path).unwrap_err().to_string();
    assert!(
        err.contains("no variable named X") && err.contains("Theta1"),
        "{err}"
    );
}

#[test]
fn a_changed_copy_of_the_weights_is_told_apart_from_the_courses() {
    let Some(path) = weights("a_changed_copy_of_the_weights_is_told_apart_from_the_courses") else {
        return;
    };
    let said = digits::provenance(EX4_WEIGHTS, &path).unwrap();
    assert_eq!(
        said,
        "ex4weights.mat is the course's original file (git blob ace2a090d446)."
    );
    // One byte of the header's text changed: the matrices still load, the file is not the course's.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[20] ^= 0x20;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join(EX4_WEIGHTS);
    std::fs::write(&copy, &bytes).unwrap();
    assert!(digits::load_course_weights(&copy).is_ok());
    let said = digits::provenance(EX4_WEIGHTS, &copy).unwrap();
    assert!(
        said.starts_with("ex4weights.mat is not the course's original file: its git blob is ")
            && said.contains("the course's is ace2a090d446")
            && said.ends_with("its numbers below will not be the course's."),
        "{said}"
    );
}
