//! `cargo xtask book | test | bless`: the project's commands, in Rust so they run wherever
//! cargo does. Tools (mdbook, mdbook-katex) are installed on first use into a versioned cache.

mod bench;
mod browser;
mod html;
mod listings;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Build, test and bless the backprop book")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Install the pinned mdbook and mdbook-katex if missing, then build the book into book/
    Book {
        /// Serve the book on localhost and rebuild on changes
        #[arg(long)]
        serve: bool,
        /// Port for --serve
        #[arg(long, default_value_t = 3000)]
        port: u16,
    },
    /// Every check CI runs: fmt, clippy, all tests (transcripts and figures too), the book
    Test {
        /// Also check the course's reference numbers on its ex4data1.mat (in $BACKPROP_BOOK_DATA
        /// or ./data); fails if the file is missing
        #[arg(long)]
        course_data: bool,
    },
    /// Re-run every chapter's example and rewrite its output.txt and figures
    Bless,
    /// Build the book and print it to book/backprop-book.pdf with Chromium (checked)
    Pdf,
    /// Build the book and run only the real-browser check (part of `test`)
    Browser,
    /// Time our Rust against the notes' numpy (bench/) on this machine, print one table and
    /// rewrite chapters/generated/speed-table.md and speed-machine.md
    Bench {
        /// Run only this task (repeatable); then the table is printed, not written
        #[arg(long, value_name = "TASK", value_parser = bench::TASKS)]
        only: Vec<String>,
        /// Run ours only, without Python; the table is printed, not written
        #[arg(long)]
        no_numpy: bool,
    },
    /// Measure the code listings the pages include (region lengths, indentation, printing lines,
    /// `)?`, line-range transcript includes, unused anchors) against the listing targets
    Listings {
        /// Exit non-zero when any target is not met
        #[arg(long)]
        check: bool,
    },
}

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Task::Book { serve, port } => book(serve, port),
        Task::Test { course_data } => test(course_data),
        Task::Bless => bless(),
        Task::Bench { only, no_numpy } => bench::bench(&only, no_numpy),
        Task::Listings { check } => listings::listings(check),
        Task::Browser => tools::Tools::ensure()
            .and_then(|t| build_book(&t))
            .and_then(|()| browser::check(&root().join("book")))
            .map(|seen| println!("{seen}")),
        Task::Pdf => tools::Tools::ensure()
            .and_then(|t| build_book(&t))
            .and_then(|()| browser::pdf(&root().join("book")))
            .map(|pdf| println!("{}", pdf.display())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The repository's top folder (the parent of xtask/).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ sits in the repository")
        .to_path_buf()
}

/// Runs a command in the repository, streaming its output; fails if it fails.
fn run(step: &str, cmd: &mut Command) -> Result {
    eprintln!("==> {step}");
    let start = Instant::now();
    let status = cmd
        .current_dir(root())
        .status()
        .map_err(|e| format!("{step}: could not start: {e}"))?;
    if !status.success() {
        return Err(format!("{step} failed ({status})"));
    }
    eprintln!("    {step}: ok in {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn book(serve: bool, port: u16) -> Result {
    let tools = tools::Tools::ensure()?;
    if serve {
        tools::katex_assets(&root().join("chapters").join("katex"))?;
        println!("serving the book at http://127.0.0.1:{port}/ (Ctrl-C to stop)");
        let mut cmd = tools.mdbook();
        cmd.args([
            "serve",
            "--hostname",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ]);
        return run("mdbook serve", &mut cmd);
    }
    build_book(&tools)
}

/// Builds the book, fails on any warning mdbook or mdbook-katex printed, then checks the HTML.
fn build_book(tools: &tools::Tools) -> Result {
    eprintln!("==> mdbook build");
    let start = Instant::now();
    let includes = html::check_includes(&root().join("chapters"))?;
    tools::katex_assets(&root().join("chapters").join("katex"))?;
    let out = tools
        .mdbook()
        .arg("build")
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("mdbook build: {e}"))?;
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprint!("{log}");
    if !out.status.success() {
        return Err(format!("mdbook build failed ({})", out.status));
    }
    let warnings = html::log_warnings(&log);
    if !warnings.is_empty() {
        return Err(format!(
            "mdbook build printed {} warning(s):\n{}",
            warnings.len(),
            warnings.join("\n")
        ));
    }
    let book_dir = root().join("book");
    let report = html::check_book(&book_dir)?;
    let links = html::check_links(&book_dir)?;
    eprintln!(
        "    book: ok in {:.1} s: {includes} includes resolved, {} pages, {} formulas rendered, {links} local links and anchors resolve, no raw TeX, no empty listing",
        start.elapsed().as_secs_f64(),
        report.pages,
        report.formulas
    );
    eprintln!("    open {}", book_dir.join("index.html").display());
    Ok(())
}

fn test(course_data: bool) -> Result {
    let start = Instant::now();
    run(
        "cargo fmt --check",
        cargo().args(["fmt", "--all", "--", "--check"]),
    )?;
    run(
        "cargo clippy",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run(
        "cargo test (unit, integration, doc; transcripts and figures)",
        cargo().args(["test", "--workspace"]),
    )?;
    if course_data {
        run(
            "the course's reference numbers on ex4data1.mat",
            cargo().args([
                "test",
                "--release",
                "--test",
                "course_data",
                "--",
                "--ignored",
                "--nocapture",
            ]),
        )?;
    } else {
        eprintln!(
            "    course-data test not run: it needs the course's ex4data1.mat, which the repository does not carry; \
             put it in ./data or $BACKPROP_BOOK_DATA and run `cargo xtask test --course-data`"
        );
    }
    build_book(&tools::Tools::ensure()?)?;
    eprintln!("==> the book in Chromium");
    let started = Instant::now();
    let seen = browser::check(&root().join("book"))?;
    eprintln!(
        "    browser: ok in {:.1} s: {seen}",
        started.elapsed().as_secs_f64()
    );
    eprintln!(
        "all checks passed in {:.0} s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The chapters: folders under chapters/ that hold a main.rs, in name order.
fn chapters() -> Result<Vec<String>> {
    let dir = root().join("chapters");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("reading {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().join("main.rs").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    Ok(names)
}

/// Runs each example as the tests do (dev profile, no data folder, an empty working folder) and
/// writes what it printed to its output.txt; the examples redraw their figures into their own
/// chapter folders.
fn bless() -> Result {
    run(
        "cargo build --examples",
        cargo().args(["build", "--quiet", "--examples"]),
    )?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let cwd = std::env::temp_dir().join(format!("backprop-book-bless-{}", std::process::id()));
    std::fs::create_dir_all(&cwd).map_err(|e| format!("creating {}: {e}", cwd.display()))?;
    for name in chapters()? {
        let out = Command::new(target.join("debug/examples").join(&name))
            .env_remove("BACKPROP_BOOK_DATA")
            .current_dir(&cwd)
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("running {name}: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "{name} failed ({}); its output.txt was left as it was",
                out.status
            ));
        }
        let path = root().join("chapters").join(&name).join("output.txt");
        let old = std::fs::read(&path).unwrap_or_default();
        if old != out.stdout {
            let tmp = path.with_extension("txt.tmp");
            std::fs::write(&tmp, &out.stdout)
                .and_then(|()| std::fs::rename(&tmp, &path))
                .map_err(|e| format!("writing {}: {e}", path.display()))?;
            println!("blessed chapters/{name}/output.txt");
        } else {
            println!("unchanged chapters/{name}/output.txt");
        }
    }
    let _ = std::fs::remove_dir_all(&cwd);
    println!("review the change with `git diff chapters/` before committing");
    Ok(())
}
