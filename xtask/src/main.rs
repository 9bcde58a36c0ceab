//! `cargo xtask book | test | bless | pdf | browser | i18n | bench | primer | listings | grade |
//! exercises`: the project's commands, in Rust so they run wherever cargo does. Tools (mdbook,
//! mdbook-katex, mdbook-i18n-helpers) are installed on first use into a versioned cache.

mod bench;
mod browser;
mod exercises;
mod html;
mod i18n;
mod i18n_fixture;
mod listings;
mod mdprep;
mod primer;
mod search;
mod stages;
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
    /// Install the pinned mdbook, mdbook-katex and mdbook-i18n-helpers if missing, then build
    /// the book: English into book/, and the Chinese edition into book/zh-CN/ once po/zh-CN.po
    /// exists
    Book {
        /// Serve the book on localhost and rebuild on changes (English; `--lang zh-CN` serves the
        /// Chinese edition)
        #[arg(long)]
        serve: bool,
        /// Port for --serve
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Build (or serve) one edition only: en, or zh-CN (which needs po/zh-CN.po)
        #[arg(long, value_name = "LANG", value_parser = ["en", "zh-CN"])]
        lang: Option<String>,
    },
    /// Regenerate po/messages.pot from the English and merge it into po/zh-CN.po (msgmerge),
    /// starting po/zh-CN.po if there is none; prints what is left to translate
    I18n {
        /// Only check, as `cargo xtask test` does: every message translated, none fuzzy,
        /// formulas kept, glossary terms used (needs no gettext tools)
        #[arg(long)]
        check: bool,
    },
    /// mdBook preprocessors of the Chinese edition (guard, unguard, extract); run by mdbook
    #[command(hide = true)]
    MdbookI18n {
        mode: String,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Every check CI runs: fmt, clippy, all tests (transcripts and figures too), the book, the
    /// browser and the PDF. A check whose prerequisites are missing is skipped and said so.
    Test {
        /// The folder holding the course's ex4weights.mat (and ex4data1.mat, for --course-data);
        /// it must hold ex4weights.mat [default: $BACKPROP_BOOK_DATA, ./data, ../shared/data]
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Skip nothing (CI): a missing weights file, Chromium or poppler fails the run
        #[arg(long)]
        strict: bool,
        /// Also check the course's reference numbers on its ex4data1.mat (in $BACKPROP_BOOK_DATA
        /// or ./data); fails if the file is missing
        #[arg(long)]
        course_data: bool,
    },
    /// Re-run every chapter's example and rewrite its output.txt and figures
    Bless,
    /// Build the book and print it to book/backprop-book.pdf with Chromium (checked);
    /// `--lang zh-CN` prints the Chinese edition to book/zh-CN/backprop-book.pdf
    Pdf {
        #[arg(long, value_name = "LANG", value_parser = ["en", "zh-CN"], default_value = "en")]
        lang: String,
    },
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
    /// Run the primer's numpy (chapters/appendix_primer/ex4.py) and compare every number it
    /// prints with its Rust program's output.txt (part of `test`)
    Primer,
    /// Measure the code listings the pages include (region lengths, indentation, printing lines,
    /// `)?`, line-range transcript includes, unused anchors) against the listing targets
    Listings {
        /// Exit non-zero when any target is not met
        #[arg(long)]
        check: bool,
    },
    /// Grade an exercise part by part: the in-repo exercise.rs, or a submission with --file;
    /// exits 0 only at full marks
    Grade(exercises::GradeArgs),
    /// For teachers: write a student pack, or check every template and solution
    Exercises {
        #[command(subcommand)]
        command: exercises::ExercisesCommand,
    },
}

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Task::Book { serve, port, lang } => book(serve, port, lang.as_deref()),
        Task::I18n { check: false } => {
            tools::Tools::ensure().and_then(|t| i18n::update(&t, &root()))
        }
        Task::I18n { check: true } => tools::Tools::ensure().and_then(|t| {
            for (lang, _) in i18n::EDITIONS {
                match i18n::check(&t, &root(), lang)? {
                    browser::Ready::Yes(seen) => println!("{seen}"),
                    browser::Ready::No(why) => println!("{why}"),
                }
            }
            Ok(())
        }),
        Task::MdbookI18n { mode, args } => {
            mdprep::Mode::parse(&mode).and_then(|m| mdprep::run(m, &args))
        }
        Task::Test {
            data,
            strict,
            course_data,
        } => test(data, strict, course_data),
        Task::Bless => bless(),
        Task::Bench { only, no_numpy } => bench::bench(&only, no_numpy),
        Task::Listings { check } => listings::listings(check),
        Task::Primer => primer::check()
            .and_then(required)
            .map(|agreed| println!("primer: {agreed}")),
        Task::Grade(args) => exercises::grade(args),
        Task::Exercises { command } => exercises::run(command),
        Task::Browser => tools::Tools::ensure()
            .and_then(|t| build_book(&t, None).map(|()| t))
            .and_then(|t| {
                let fixture = i18n_fixture::check(&t)?;
                eprintln!("    {fixture}");
                browser::check(&root().join("book"), Some(&fixture_book()))
            })
            .and_then(required)
            .map(|seen| println!("{seen}")),
        Task::Pdf { lang } => {
            let only = (lang != "en").then_some(lang.as_str());
            tools::Tools::ensure()
                .and_then(|t| build_book(&t, only))
                .and_then(|()| browser::pdf(&root().join("book"), only))
                .and_then(required)
                .map(|(pdf, seen)| println!("{}: {seen}", pdf.display()))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A check asked for by name must run: what it lacks is an error.
fn required<T>(ready: browser::Ready<T>) -> Result<T> {
    match ready {
        browser::Ready::Yes(t) => Ok(t),
        browser::Ready::No(why) => Err(why),
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
    let status = cmd
        .current_dir(root())
        .status()
        .map_err(|e| format!("{step}: could not start: {e}"))?;
    if !status.success() {
        return Err(format!("{step} failed ({status})"));
    }
    Ok(())
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn book(serve: bool, port: u16, lang: Option<&str>) -> Result {
    let tools = tools::Tools::ensure()?;
    if serve {
        tools::katex_assets(&root().join("chapters").join("katex"))?;
        let mut cmd = tools.mdbook();
        match lang {
            Some(lang @ "zh-CN") => {
                i18n::configure(&mut cmd, &root(), lang, true)?;
                println!(
                    "serving the {lang} edition at http://127.0.0.1:{port}/ (Ctrl-C to stop; its \
                     search finds Chinese words only after `cargo xtask book`, which segments them)"
                );
            }
            _ => println!("serving the book at http://127.0.0.1:{port}/ (Ctrl-C to stop)"),
        }
        cmd.current_dir(root()).args([
            "serve",
            "--hostname",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ]);
        return run("mdbook serve", &mut cmd);
    }
    build_book(&tools, lang)
}

/// Builds the book's editions (see [`build_editions`]) in the repository and says where it is.
fn build_book(tools: &tools::Tools, only: Option<&str>) -> Result {
    eprintln!("==> mdbook build");
    let report = build_editions(tools, &root(), only)?;
    eprintln!("    {report}");
    eprintln!("    open {}", root().join("book/index.html").display());
    Ok(())
}

/// Builds the book in `root` (a folder with book.toml and chapters/): English into book/, then
/// each translation whose PO file exists into book/LANG/ (`only` picks one edition). Fails on
/// any warning mdbook or a preprocessor printed, then segments each search index for Chinese,
/// links the editions page to page and checks the HTML (both editions, and each translation
/// against the English: the same code, transcripts, figures and formulas).
pub(crate) fn build_editions(
    tools: &tools::Tools,
    root: &Path,
    only: Option<&str>,
) -> Result<String> {
    let start = Instant::now();
    let includes = html::check_includes(&root.join("chapters"))?;
    tools::katex_assets(&root.join("chapters").join("katex"))?;
    let mut translations = i18n::present_editions(root);
    let book_dir = root.join("book");
    let mut english = true;
    if let Some(lang) = only.filter(|l| *l != "en") {
        if !translations.contains(&lang) {
            return Err(format!(
                "there is no po/{lang}.po yet: `cargo xtask i18n` starts it"
            ));
        }
        translations = vec![lang];
        // The translation's pages link to the English ones, which must be there.
        english = !book_dir.join("index.html").is_file();
    } else if only == Some("en") {
        translations.clear();
    }
    let editions: Vec<Option<&str>> = english
        .then_some(None)
        .into_iter()
        .chain(translations.iter().map(|l| Some(*l)))
        .collect();
    for lang in &editions {
        let log = i18n::mdbook_build(tools, root, *lang)?;
        eprint!("{log}");
        let warnings = html::log_warnings(&log);
        if !warnings.is_empty() {
            return Err(format!(
                "mdbook build printed {} warning(s):\n{}",
                warnings.len(),
                warnings.join("\n")
            ));
        }
        search::segment_book(&i18n::edition_dir(root, *lang))?;
    }
    let mut switches = 0;
    for (lang, label) in i18n::EDITIONS {
        if i18n::edition_dir(root, Some(lang))
            .join("index.html")
            .is_file()
        {
            switches += i18n::link_editions(&book_dir, lang, label)?;
        }
    }
    let report = html::check_book(&book_dir)?;
    let links = html::check_links(&book_dir)?;
    let mut compared = String::new();
    for lang in &translations {
        let seen = html::compare_editions(&book_dir, &i18n::edition_dir(root, Some(lang)))?;
        compared += &format!("; {lang}: {seen}");
    }
    Ok(format!(
        "book: ok in {:.1} s: {} edition(s), {includes} includes resolved, {} pages, {} formulas rendered, \
         {links} local links and anchors resolve ({switches} edition switches), no raw TeX, no empty listing{compared}",
        start.elapsed().as_secs_f64(),
        editions.len(),
        report.pages,
        report.formulas
    ))
}

/// Where the fixture book of the Chinese edition's machinery is built (see i18n_fixture).
fn fixture_book() -> PathBuf {
    root().join("target/i18n/fixture/book")
}

/// Where the tests find the course's weights (see tests/support): `--data DIR` when given, then
/// `$BACKPROP_BOOK_DATA`, ./data and ../shared/data. `--data` must hold the file.
fn weights_dir(data: Option<&Path>) -> Result<Option<PathBuf>> {
    const WEIGHTS: &str = "ex4weights.mat";
    if let Some(dir) = data {
        return if dir.join(WEIGHTS).is_file() {
            Ok(Some(
                std::path::absolute(dir).map_err(|e| format!("--data {}: {e}", dir.display()))?,
            ))
        } else {
            Err(format!(
                "--data {}: there is no {WEIGHTS} in it",
                dir.display()
            ))
        };
    }
    let env = std::env::var_os("BACKPROP_BOOK_DATA").filter(|v| !v.is_empty());
    let dirs = env
        .map(PathBuf::from)
        .into_iter()
        .chain([root().join("data"), root().join("../shared/data")]);
    Ok(dirs.into_iter().find(|d| d.join(WEIGHTS).is_file()))
}

/// `cargo xtask test`: each stage timed as it goes; a check whose prerequisites are missing is
/// skipped with a line saying how to run it, unless `strict`.
fn test(data: Option<PathBuf>, strict: bool, course_data: bool) -> Result {
    let mut stages = stages::Stages::default();
    let result = test_stages(&mut stages, data, strict, course_data);
    eprint!("{}", stages.summary());
    result?;
    eprintln!("all checks passed");
    Ok(())
}

fn test_stages(
    stages: &mut stages::Stages,
    data: Option<PathBuf>,
    strict: bool,
    course_data: bool,
) -> Result {
    let skip = |stages: &mut stages::Stages, line: String| {
        if strict {
            Err(format!("--strict: {line}"))
        } else {
            stages.skip(line);
            Ok(())
        }
    };
    let weights = weights_dir(data.as_deref())?;
    if weights.is_none() && strict {
        return Err("--strict: ex4weights.mat is not in --data DIR, $BACKPROP_BOOK_DATA, ./data or ../shared/data".to_string());
    }
    let tools = stages.run(
        "tools: mdbook and mdbook-katex (cargo install, about 4 minutes, once)",
        tools::Tools::ensure,
    )?;
    stages.run("cargo fmt --check", || {
        run(
            "cargo fmt --check",
            cargo().args(["fmt", "--all", "--", "--check"]),
        )
    })?;
    stages.run("cargo clippy (compiles everything once)", || {
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
        )
    })?;
    let skips = root().join("target/xtask/skipped-tests");
    let _ = std::fs::remove_dir_all(&skips);
    stages.run(
        "cargo test (unit, integration, doc; transcripts and figures)",
        || {
            let mut cmd = cargo();
            cmd.args(["test", "--workspace"])
                .env("BACKPROP_BOOK_SKIPS", &skips);
            if let Some(dir) = &weights {
                cmd.env("BACKPROP_BOOK_DATA", dir);
            }
            if strict {
                cmd.env("BACKPROP_BOOK_REQUIRE_DATA", "1");
            }
            run("cargo test", &mut cmd)
        },
    )?;
    for line in stages::test_skips(&skips) {
        skip(stages, line)?;
    }
    // A kernel chosen at run time changes the last bits of sums; what a chapter prints must not.
    stages.run(
        "the transcripts and figures again, with the portable kernels (BACKPROP_BOOK_KERNELS=portable)",
        || {
            for args in [
                &["--lib", "--", "fast::gemm::tests::the_kernel_choice_reaches_the_products"][..],
                &[
                    "--test",
                    "chapter_contract",
                    "--",
                    "every_example_prints_its_transcript_and_draws_its_figures",
                ],
            ] {
                let mut cmd = cargo();
                cmd.args(["test", "--quiet", "-p", "backprop-book"])
                    .args(args)
                    .env("BACKPROP_BOOK_KERNELS", "portable");
                run("cargo test with the portable kernels", &mut cmd)?;
            }
            Ok(())
        },
    )?;
    match stages.run(
        "the primer's numpy against its Rust (chapters/appendix_primer/ex4.py)",
        primer::check,
    )? {
        browser::Ready::Yes(agreed) => eprintln!("    primer: {agreed}"),
        browser::Ready::No(why) => skip(stages, format!("the primer's numpy: {why}"))?,
    }
    stages.run(
        "the exercises: templates below full marks, solutions at 100, the student pack",
        || {
            exercises::check_templates_and_solutions(weights.as_deref())?;
            exercises::check_pack()
        },
    )?;
    if course_data {
        stages.run("the course's reference numbers on ex4data1.mat", || {
            let mut cmd = cargo();
            cmd.args([
                "test",
                "--release",
                "--test",
                "course_data",
                "--",
                "--ignored",
                "--nocapture",
            ]);
            if let Some(dir) = &data {
                cmd.env("BACKPROP_BOOK_DATA", dir);
            }
            run("cargo test --test course_data", &mut cmd)
        })?;
    } else {
        stages.skip(
            "the course-data test: it needs the course's ex4data1.mat, which the repository does not carry; \
             put it in ./data or pass --data DIR, and run `cargo xtask test --course-data`"
                .to_string(),
        );
    }
    stages.run(
        "the Chinese edition's machinery on a fixture book (xtask/fixtures/i18n-book)",
        || i18n_fixture::check(&tools).map(|seen| eprintln!("    {seen}")),
    )?;
    for (lang, _) in i18n::EDITIONS {
        match stages.run(
            &format!("the {lang} translation is complete (po/{lang}.po)"),
            || i18n::check(&tools, &root(), lang),
        )? {
            browser::Ready::Yes(seen) => eprintln!("    {seen}"),
            browser::Ready::No(why) => stages.skip(format!("the {lang} edition: {why}")),
        }
    }
    stages.run("the book (mdbook build and its checks)", || {
        build_book(&tools, None)
    })?;
    let book = root().join("book");
    match stages.run("the book in Chromium", || {
        browser::check(&book, Some(&fixture_book()))
    })? {
        browser::Ready::Yes(seen) => eprintln!("    browser: {seen}"),
        browser::Ready::No(why) => skip(stages, format!("the browser check: {why}"))?,
    }
    match stages.run("the PDF (cargo xtask pdf)", || browser::pdf(&book, None))? {
        browser::Ready::Yes((pdf, seen)) => eprintln!("    pdf: {}: {seen}", pdf.display()),
        browser::Ready::No(why) => skip(stages, format!("the PDF: {why}"))?,
    }
    for lang in i18n::present_editions(&root()) {
        match stages.run(
            &format!("the {lang} PDF (cargo xtask pdf --lang {lang})"),
            || browser::pdf(&book, Some(lang)),
        )? {
            browser::Ready::Yes((pdf, seen)) => eprintln!("    pdf: {}: {seen}", pdf.display()),
            browser::Ready::No(why) => skip(stages, format!("the {lang} PDF: {why}"))?,
        }
    }
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

/// Writes `text` to `path` whole (or removes `path` for `None`), saying what changed.
fn bless_file(name: &str, path: &Path, text: Option<String>) -> Result {
    let file = path.file_name().expect("a file").to_string_lossy();
    let old = std::fs::read_to_string(path).ok();
    if old == text {
        println!("unchanged chapters/{name}/{file}");
        return Ok(());
    }
    match text {
        Some(text) => {
            let tmp = path.with_extension("txt.tmp");
            std::fs::write(&tmp, text)
                .and_then(|()| std::fs::rename(&tmp, path))
                .map_err(|e| format!("writing {}: {e}", path.display()))?;
            println!("blessed chapters/{name}/{file}");
        }
        None => {
            std::fs::remove_file(path).map_err(|e| format!("removing {}: {e}", path.display()))?;
            println!("removed chapters/{name}/{file}");
        }
    }
    Ok(())
}

/// The same split as the library's `cli::split_sections` (xtask does not build the library):
/// marked stdout into the plain transcript and the named-sections file. The transcript test
/// splits with the library's and compares with what this wrote, so the two cannot disagree.
fn split_sections(marked: &str) -> (String, Option<String>) {
    const MARK: &str = "\u{1e}section ";
    let (mut plain, mut sections, mut open) = (String::new(), String::new(), None::<&str>);
    for line in marked.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix(MARK) {
            if let Some(previous) = open {
                sections += &format!("ANCHOR_END: {previous}\n");
            }
            open = Some(name.trim_end());
            sections += &format!("ANCHOR: {}\n", name.trim_end());
        } else {
            plain += line;
            // A section starts at its first printed line, not at the blank line before it.
            let fresh = sections.ends_with(&format!("ANCHOR: {}\n", open.unwrap_or("")));
            if open.is_some() && !(fresh && line.trim().is_empty()) {
                sections += line;
            }
        }
    }
    let sections = open.map(|last| {
        if !sections.ends_with('\n') {
            sections.push('\n');
        }
        sections + &format!("ANCHOR_END: {last}\n")
    });
    (plain, sections)
}

/// Runs each example as the tests do (dev profile, no data folder, an empty working folder) and
/// writes what it printed to its output.txt, and its named sections to sections.txt; the
/// examples redraw their figures into their own chapter folders.
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
            .env("BACKPROP_BOOK_SECTIONS", "1")
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
        let marked = String::from_utf8(out.stdout)
            .map_err(|_| format!("{name} printed something that is not UTF-8"))?;
        let (plain, sections) = split_sections(&marked);
        let dir = root().join("chapters").join(&name);
        bless_file(&name, &dir.join("output.txt"), Some(plain))?;
        bless_file(&name, &dir.join("sections.txt"), sections)?;
    }
    let _ = std::fs::remove_dir_all(&cwd);
    println!("review the change with `git diff chapters/` before committing");
    Ok(())
}
