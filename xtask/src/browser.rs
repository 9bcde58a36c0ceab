//! The book in a real browser (headless Debian Chromium driven by playwright-core) and as a PDF.
//! Chromium and poppler-utils come from Debian's packages, playwright-core from npm at a pinned
//! version into the tool cache; each is installed on first use when missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Result;

/// The playwright-core this check is written against (this workplace verified it with Debian's
/// Chromium).
const PLAYWRIGHT: &str = "1.64.1";

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Installs Debian packages with apt-get (root only; otherwise says what to install).
fn apt_install(packages: &[&str], why: &str) -> Result {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if !root {
        return Err(format!(
            "{why} needs the Debian packages {packages:?}: install them (sudo apt-get install {})",
            packages.join(" ")
        ));
    }
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

fn ensure_chromium() -> Result<PathBuf> {
    let path = chromium();
    if !path.is_file() {
        apt_install(&["chromium"], "the browser check")?;
    }
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "{} is still missing after installing chromium",
            path.display()
        ))
    }
}

/// The folder whose node_modules holds playwright-core at [`PLAYWRIGHT`].
fn ensure_playwright() -> Result<PathBuf> {
    let dir = crate::tools::cache_dir()?.join(format!("playwright-core-{PLAYWRIGHT}"));
    let modules = dir.join("node_modules");
    if !modules.join("playwright-core/package.json").is_file() {
        eprintln!(
            "==> installing npm playwright-core@{PLAYWRIGHT} into {} (once)",
            dir.display()
        );
        std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let status = Command::new("npm")
            .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg(format!("playwright-core@{PLAYWRIGHT}"))
            .status()
            .map_err(|e| format!("npm (is Node.js installed?): {e}"))?;
        if !status.success() {
            return Err(format!(
                "npm install playwright-core@{PLAYWRIGHT} failed ({status})"
            ));
        }
    }
    Ok(modules)
}

fn check_command(modules: &Path, chromium: &Path, book: &Path) -> Command {
    let mut cmd = Command::new("node");
    cmd.arg(crate::root().join("xtask/browser/check.cjs"))
        .arg(book)
        .env("NODE_PATH", modules)
        .env("CHROMIUM", chromium);
    cmd
}

/// Loads every page of the built book in Chromium (see xtask/browser/check.cjs), saves a
/// screenshot of chapter 5, then shows that the check fails on a page with a broken image.
pub fn check(book: &Path) -> Result<String> {
    let (chromium, modules) = (ensure_chromium()?, ensure_playwright()?);
    let shot = crate::root().join("target/browser/ch5_backprop.png");
    std::fs::create_dir_all(shot.parent().expect("a folder")).map_err(|e| e.to_string())?;
    let out = check_command(&modules, &chromium, book)
        .args([
            "--search",
            "backpropagation",
            "--screenshot",
            "ch5_backprop/index.html",
        ])
        .arg(&shot)
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let summary = String::from_utf8_lossy(&out.stdout).trim().to_string();

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
    let said = String::from_utf8_lossy(&failing.stderr);
    if failing.status.code() != Some(1)
        || !said.contains("image did not load: missing.svg")
        || !said.contains("raw TeX")
    {
        return Err(format!(
            "the browser check did not catch a broken image and raw TeX ({}):\n{said}",
            failing.status
        ));
    }
    Ok(format!(
        "{summary}; screenshot {}; a broken image and raw TeX are caught",
        shot.display()
    ))
}

/// Prints the book's print.html to a PDF with Chromium and checks it: page count, and the text
/// of a rendered formula (chapter 2's σ′(z) = σ(z)(1 − σ(z))) in its text layer.
pub fn pdf(book: &Path) -> Result<PathBuf> {
    let chromium = ensure_chromium()?;
    if Command::new("pdftotext").arg("-v").output().is_err() {
        apt_install(&["poppler-utils"], "checking the PDF")?;
    }
    let pdf = book.join("backprop-book.pdf");
    let tmp = book.join(".backprop-book.pdf.tmp");
    let printed = Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
        ])
        .args([
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            "--virtual-time-budget=15000",
        ])
        .arg(format!("--print-to-pdf={}", tmp.display()))
        .arg(format!("file://{}", book.join("print.html").display()))
        .output()
        .map_err(|e| format!("chromium: {e}"))?;
    if !printed.status.success() || !tmp.is_file() {
        return Err(format!(
            "chromium could not print the book ({}): {}",
            printed.status,
            String::from_utf8_lossy(&printed.stderr)
        ));
    }
    let info = Command::new("pdfinfo")
        .arg(&tmp)
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
        .arg(&tmp)
        .arg("-")
        .output()
        .map_err(|e| format!("pdftotext: {e}"))?;
    let text: String = String::from_utf8_lossy(&text.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let formula = "σ′(z)=σ(z)(1−σ(z))";
    if pages < 50 || !text.contains(formula) || !text.contains("Backpropagation") {
        return Err(format!(
            "the PDF looks wrong: {pages} pages (expected at least 50), formula {formula} found: {}",
            text.contains(formula)
        ));
    }
    std::fs::rename(&tmp, &pdf).map_err(|e| format!("writing {}: {e}", pdf.display()))?;
    eprintln!(
        "    pdf: {} pages, the rendered formula {formula} is in its text",
        pages
    );
    Ok(pdf)
}
