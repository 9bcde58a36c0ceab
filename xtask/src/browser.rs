//! The book in a real browser (headless Debian Chromium driven by playwright-core) and as a PDF.
//! Chromium and poppler-utils come from Debian's packages, playwright-core from npm at a pinned
//! version into the tool cache; each is installed on first use when missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Result;

/// The playwright-core this check is written against (this workplace verified it with Debian's
/// Chromium).
const PLAYWRIGHT: &str = "1.64.1";

/// A check's prerequisites: there, or missing with a sentence saying how to provide them.
pub enum Ready<T> {
    Yes(T),
    No(String),
}

/// Names a Chromium or Chrome binary goes by on PATH.
const BROWSERS: [&str; 5] = [
    "chromium",
    "chromium-browser",
    "google-chrome-stable",
    "google-chrome",
    "chrome",
];

pub(crate) fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// The first of `names` that is a file in one of `path`'s folders.
fn on_path(names: &[&str], path: &std::ffi::OsStr) -> Option<PathBuf> {
    std::env::split_paths(path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Installs Debian packages with apt-get, as root (the caller checks).
pub(crate) fn apt_install(packages: &[&str]) -> Result {
    eprintln!("==> installing {} with apt-get (once)", packages.join(", "));
    let update = Command::new("apt-get")
        .args(["update", "-qq"])
        .status()
        .map_err(|e| format!("apt-get: {e}"))?;
    let install = Command::new("apt-get")
        .args(["install", "-y", "-qq"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .map_err(|e| format!("apt-get: {e}"))?;
    if update.success() && install.success() {
        Ok(())
    } else {
        Err(format!("apt-get install {} failed", packages.join(" ")))
    }
}

/// What `find` finds; else, as root, Debian's `package` installed with apt-get and `find` again
/// (`still_missing` when it still finds nothing); without root, not ready: `without_root` says
/// what to install.
pub(crate) fn debian_package<T>(
    package: &str,
    without_root: &str,
    still_missing: &str,
    find: impl Fn() -> Option<T>,
) -> Result<Ready<T>> {
    if let Some(found) = find() {
        return Ok(Ready::Yes(found));
    }
    if !is_root() {
        return Ok(Ready::No(without_root.to_string()));
    }
    apt_install(&[package])?;
    find()
        .map(Ready::Yes)
        .ok_or_else(|| still_missing.to_string())
}

/// A Chromium: `$CHROME` (or `$CHROMIUM`) when set, else one on PATH, else Debian's, installed
/// with apt-get when this runs as root. Without root and without a Chromium it is not ready.
fn find_chromium() -> Result<Ready<PathBuf>> {
    for var in ["CHROME", "CHROMIUM"] {
        if let Some(path) = std::env::var_os(var).filter(|v| !v.is_empty()) {
            let path = PathBuf::from(path);
            return if path.is_file() {
                Ok(Ready::Yes(path))
            } else {
                Err(format!("${var} is {}, which is not a file", path.display()))
            };
        }
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    debian_package(
        "chromium",
        "no Chromium on PATH and no $CHROME, and apt-get needs root: install Debian's chromium \
         (sudo apt-get install chromium), or set CHROME to a Chromium or Chrome binary",
        "chromium is still not on PATH after apt-get installed it",
        || on_path(&BROWSERS, &path),
    )
}

/// poppler's pdfinfo and pdftotext, for checking the PDF; installed with apt-get as root.
fn find_poppler() -> Result<Ready<()>> {
    debian_package(
        "poppler-utils",
        "poppler's pdftotext is not installed, and apt-get needs root: install Debian's \
         poppler-utils (sudo apt-get install poppler-utils)",
        "pdftotext is still missing after apt-get installed poppler-utils",
        || {
            Command::new("pdftotext")
                .arg("-v")
                .output()
                .is_ok()
                .then_some(())
        },
    )
}

/// The folder whose node_modules holds playwright-core at [`PLAYWRIGHT`]; not ready without
/// Node.js and npm.
fn ensure_playwright() -> Result<Ready<PathBuf>> {
    if Command::new("node").arg("--version").output().is_err()
        || Command::new("npm").arg("--version").output().is_err()
    {
        return Ok(Ready::No(
            "Node.js and npm are not on PATH: install them (sudo apt-get install nodejs npm)"
                .to_string(),
        ));
    }
    let dir = crate::tools::cache_dir()?.join(format!("playwright-core-{PLAYWRIGHT}"));
    let modules = dir.join("node_modules");
    if !modules.join("playwright-core/package.json").is_file() {
        eprintln!(
            "==> installing npm playwright-core@{PLAYWRIGHT} into {} (once)",
            dir.display()
        );
        std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let out = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg(format!("playwright-core@{PLAYWRIGHT}"))
            .output()
            .map_err(|e| format!("npm: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "npm install playwright-core@{PLAYWRIGHT} failed ({}):\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    Ok(Ready::Yes(modules))
}

/// Chromium and playwright-core together, or what is missing.
fn driver() -> Result<Ready<(PathBuf, PathBuf)>> {
    let chromium = match find_chromium()? {
        Ready::Yes(path) => path,
        Ready::No(why) => return Ok(Ready::No(why)),
    };
    Ok(match ensure_playwright()? {
        Ready::Yes(modules) => Ready::Yes((chromium, modules)),
        Ready::No(why) => Ready::No(why),
    })
}

fn check_command(modules: &Path, chromium: &Path, book: &Path) -> Command {
    let mut cmd = Command::new("node");
    cmd.arg(crate::root().join("xtask/browser/check.cjs"))
        .arg(book)
        .env("NODE_PATH", modules)
        .env("CHROMIUM", chromium);
    cmd
}

/// The Chinese searches of issue 16 and the chapter each must find among its first results.
const CHINESE_SEARCHES: [(&str, &str); 4] = [
    ("反向传播", "ch5_backprop/"),
    ("梯度检验", "ch6_gradcheck/"),
    ("代价函数", "ch4_cost/"),
    ("过拟合", "ch8_moons/"),
];

/// The same four words in the i18n fixture book, each with its page.
const FIXTURE_SEARCHES: [(&str, &str); 4] = [
    ("反向传播", "backprop/"),
    ("梯度检验", "gradcheck.html"),
    ("代价函数", "cost.html"),
    ("过拟合", "overfit.html"),
];

fn search_args(cmd: &mut Command, searches: &[(&str, &str)]) {
    for (word, page) in searches {
        cmd.arg("--search").arg(format!("{word}={page}"));
    }
}

/// Runs check.cjs once; its summary line, or every problem it printed.
fn run_check(mut cmd: Command) -> Result<String> {
    let out = cmd.output().map_err(|e| format!("node: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Loads every page of each edition of the built book in Chromium (see
/// xtask/browser/check.cjs), searches it (English and, in the Chinese edition, the four Chinese
/// words), saves a screenshot of chapter 5 per edition, and runs the Chinese searches on the
/// i18n fixture book when it is built; then shows that the check fails on a page with a broken
/// image.
pub fn check(book: &Path, fixture: Option<&Path>) -> Result<Ready<String>> {
    let (chromium, modules) = match driver()? {
        Ready::Yes(found) => found,
        Ready::No(why) => return Ok(Ready::No(why)),
    };
    let shots = crate::root().join("target/browser");
    std::fs::create_dir_all(&shots).map_err(|e| e.to_string())?;
    let mut said = Vec::new();
    let shot = shots.join("ch5_backprop.png");
    let mut english = check_command(&modules, &chromium, book);
    for (lang, _) in crate::i18n::EDITIONS {
        english.args(["--exclude", lang]);
    }
    english
        .args(["--search", "backpropagation=ch5_backprop/"])
        .args(["--screenshot", "ch5_backprop/index.html"])
        .arg(&shot);
    said.push(format!(
        "en: {}; screenshot {}",
        run_check(english)?,
        shot.display()
    ));
    for (lang, _) in crate::i18n::EDITIONS {
        if !book.join(lang).join("index.html").is_file() {
            continue;
        }
        let shot = shots.join(format!("ch5_backprop.{lang}.png"));
        let mut cmd = check_command(&modules, &chromium, book);
        cmd.args(["--under", lang])
            .args(["--search", "backpropagation"])
            .args(["--screenshot", &format!("{lang}/ch5_backprop/index.html")])
            .arg(&shot);
        search_args(&mut cmd, &CHINESE_SEARCHES);
        said.push(format!(
            "{lang}: {}; screenshot {}",
            run_check(cmd)?,
            shot.display()
        ));
    }
    if let Some(fixture) = fixture.filter(|f| f.join("zh-CN/index.html").is_file()) {
        let mut cmd = check_command(&modules, &chromium, fixture);
        cmd.args(["--under", "zh-CN", "--search", "backpropagation"]);
        search_args(&mut cmd, &FIXTURE_SEARCHES);
        said.push(format!("i18n fixture zh-CN: {}", run_check(cmd)?));
    }

    // The check must be able to fail: a page with a broken image and a formula left as raw TeX.
    let broken = std::env::temp_dir().join(format!("backprop-book-broken-{}", std::process::id()));
    std::fs::create_dir_all(&broken).map_err(|e| e.to_string())?;
    std::fs::write(
        broken.join("index.html"),
        "<main><p>The cost $$J(\\Theta)$$ falls.</p><img src=\"missing.svg\"></main>",
    )
    .map_err(|e| e.to_string())?;
    let failing = check_command(&modules, &chromium, &broken)
        .output()
        .map_err(|e| format!("node: {e}"))?;
    let _ = std::fs::remove_dir_all(&broken);
    let stderr = String::from_utf8_lossy(&failing.stderr);
    if failing.status.code() != Some(1)
        || !stderr.contains("image did not load: missing.svg")
        || !stderr.contains("raw TeX")
    {
        return Err(format!(
            "the browser check did not catch a broken image and raw TeX ({}):\n{stderr}",
            failing.status
        ));
    }
    Ok(Ready::Yes(format!(
        "{}; a broken image and raw TeX are caught",
        said.join("; ")
    )))
}

/// Fonts with Chinese glyphs (Debian's fonts-noto-cjk), installed with apt-get as root: without
/// them Chromium prints the Chinese edition as empty boxes.
fn find_cjk_fonts() -> Result<Ready<()>> {
    debian_package(
        "fonts-noto-cjk",
        "no font with Chinese glyphs is installed (fc-list :lang=zh is empty), and apt-get \
         needs root: install Debian's fonts-noto-cjk (sudo apt-get install fonts-noto-cjk)",
        "fc-list still finds no Chinese font after apt-get installed fonts-noto-cjk",
        || {
            Command::new("fc-list")
                .arg(":lang=zh")
                .arg("family")
                .output()
                .is_ok_and(|o| !o.stdout.trim_ascii().is_empty())
                .then_some(())
        },
    )
}

/// Prints an edition's print.html (`lang` None: the English in `book`, else book/LANG) to a
/// PDF through the same browser driver, once the page is ready (see xtask/browser/check.cjs),
/// and checks it with poppler: the page count, a rendered formula (chapter 2's
/// σ′(z) = σ(z)(1 − σ(z))) in its text layer, no trace of the machine (no `file://` or
/// local-server address, no date of today), and for the Chinese edition a CJK font embedded.
pub fn pdf(book: &Path, lang: Option<&str>) -> Result<Ready<(PathBuf, String)>> {
    let (chromium, modules) = match driver()? {
        Ready::Yes(found) => found,
        Ready::No(why) => return Ok(Ready::No(why)),
    };
    if let Ready::No(why) = find_poppler()? {
        return Ok(Ready::No(why));
    }
    if lang.is_some()
        && let Ready::No(why) = find_cjk_fonts()?
    {
        return Ok(Ready::No(why));
    }
    let edition = lang.map_or(book.to_path_buf(), |l| book.join(l));
    let pdf = edition.join("backprop-book.pdf");
    let tmp = edition.join(".backprop-book.pdf.tmp");
    let printed = check_command(&modules, &chromium, &edition)
        .arg("--pdf")
        .arg(&tmp)
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !printed.status.success() || !tmp.is_file() {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!(
            "Chromium could not print the book ({}): {}{}",
            printed.status,
            String::from_utf8_lossy(&printed.stdout),
            String::from_utf8_lossy(&printed.stderr)
        ));
    }
    let checked = check_pdf(&tmp, lang);
    if checked.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    let pages = checked?;
    std::fs::rename(&tmp, &pdf).map_err(|e| format!("writing {}: {e}", pdf.display()))?;
    let said = String::from_utf8_lossy(&printed.stdout).trim().to_string();
    Ok(Ready::Yes((
        pdf,
        format!(
            "{pages} pages ({said}); the formula σ′(z)=σ(z)(1−σ(z)) is in its text{}; no header, footer, file:// path or date",
            if lang.is_some() {
                ", Chinese in a CJK font"
            } else {
                ""
            }
        ),
    )))
}

/// The page count of a printed book, after checking its text.
fn check_pdf(pdf: &Path, lang: Option<&str>) -> Result<usize> {
    let info = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .map_err(|e| format!("pdfinfo: {e}"))?;
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| {
            l.strip_prefix("Pages:")
                .map(|n| n.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    let text = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .map_err(|e| format!("pdftotext: {e}"))?;
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    let mut problems = pdf_problems(pages, &text, today());
    if lang.is_some() {
        problems.extend(cjk_font_problem(pdf, pages));
    }
    if problems.is_empty() {
        Ok(pages)
    } else {
        Err(format!("the PDF looks wrong: {}", problems.join("; ")))
    }
}

/// Whether the Chinese of a printed edition is drawn with a CJK font: the first page whose text
/// holds Han characters must embed one. Chromium embeds Noto CJK (CFF outlines in a .ttc) as
/// unnamed Type 3 fonts, so a Type 3 font or one named CJK counts (checked by eye once: the
/// glossary page of the PDF shows its Chinese in Noto Serif CJK).
fn cjk_font_problem(pdf: &Path, pages: usize) -> Option<String> {
    let text_of = |p: usize| {
        Command::new("pdftotext")
            .args(["-f", &p.to_string(), "-l", &p.to_string()])
            .arg(pdf)
            .arg("-")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    };
    let Some(page) = (1..=pages).find(|&p| text_of(p).chars().any(crate::search::is_han)) else {
        return Some("its text holds no Chinese".to_string());
    };
    let fonts = Command::new("pdffonts")
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    (!fonts.contains("CJK") && !fonts.contains("Type 3")).then(|| {
        format!("page {page} holds Chinese but embeds no CJK font (pdffonts lists:\n{fonts})")
    })
}

/// What is wrong with a printed book of `pages` pages whose text is `text`, printed on the day
/// `(year, month, day)`.
fn pdf_problems(pages: usize, text: &str, (y, m, d): (i64, u32, u32)) -> Vec<String> {
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut problems = Vec::new();
    if pages < 50 {
        problems.push(format!("{pages} pages, expected at least 50"));
    }
    let formula = "σ′(z)=σ(z)(1−σ(z))";
    if !squeezed.contains(formula) {
        problems.push(format!("the rendered formula {formula} is not in its text"));
    }
    if !text.contains("Backpropagation") {
        problems.push("the word Backpropagation is not in its text".to_string());
    }
    for trace in ["file://", "127.0.0.1", "localhost:"] {
        if text.contains(trace) {
            problems.push(format!(
                "its text holds {trace:?}, an address of this machine"
            ));
        }
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS[(m - 1) as usize];
    let dates = [
        format!("{y}-{m:02}-{d:02}"),
        format!("{m}/{d}/{}", y % 100),
        format!("{m}/{d}/{y}"),
        format!("{d}/{m}/{y}"),
        format!("{month} {d}, {y}"),
        format!("{d} {month} {y}"),
    ];
    // A header repeats on every page; a page of the book may quote today's date once or twice
    // (the speed appendix says when it was measured).
    for date in dates {
        let times = text.matches(&date).count();
        if times > 0 && times * 2 >= pages {
            problems.push(format!(
                "its text holds today's date ({date}) on {times} of {pages} pages, as a page header does"
            ));
        }
    }
    problems
}

/// Today's date (UTC) as (year, month, day), from the system clock: days since 1970 to the
/// civil calendar (the proleptic Gregorian algorithm of Howard Hinnant's date library).
fn today() -> (i64, u32, u32) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    civil_from_days(secs.div_euclid(86_400))
}

/// Days since 1970-01-01 as a civil (year, month, day); shared with the bench's timestamp.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_788), (2026, 12, 1));
    }

    #[test]
    fn a_pdf_with_a_header_or_a_path_is_refused() {
        let good = "Backpropagation\nσ′(z) = σ(z)(1 − σ(z))\n";
        assert!(pdf_problems(154, good, (2026, 12, 1)).is_empty());
        let header = format!(
            "12/1/26, 9:41 AM  Backpropagation, Executed\n{good}file:///tmp/book/print.html 1/154\n"
        )
        .repeat(154);
        let problems = pdf_problems(154, &header, (2026, 12, 1));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("file://") && problems[1].contains("12/1/26"));
        assert_eq!(pdf_problems(3, "nothing", (2026, 12, 1)).len(), 3);
        // The book quoting today's date once, as the speed appendix does, is not a header.
        let quoted = format!("{good}- Measured: 2026-12-01 14:30 UTC\n");
        assert!(pdf_problems(154, &quoted, (2026, 12, 1)).is_empty());
    }

    #[test]
    fn browsers_are_found_on_path() {
        let dir = tempfile::tempdir().unwrap();
        let path =
            std::env::join_paths([dir.path().join("none"), dir.path().to_path_buf()]).unwrap();
        assert_eq!(on_path(&BROWSERS, &path), None);
        std::fs::write(dir.path().join("google-chrome"), "").unwrap();
        assert_eq!(
            on_path(&BROWSERS, &path),
            Some(dir.path().join("google-chrome"))
        );
    }
}
