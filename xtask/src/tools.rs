//! The book's tools at pinned versions, installed with `cargo install --locked` into a cache
//! folder per version (`$BACKPROP_BOOK_TOOLS`, else `~/.cache/backprop-book/tools`), so a fresh
//! clone reuses them and a version bump installs the new one beside the old.

use std::path::PathBuf;
use std::process::Command;

use crate::Result;

/// The versions the book is built with (mdbook-katex 0.10.0 renders with KaTeX 0.16.4, so the
/// stylesheet and fonts must be KaTeX 0.16.4's too).
pub const MDBOOK: &str = "0.5.4";
pub const MDBOOK_KATEX: &str = "0.10.0";
pub const KATEX: &str = "0.16.4";
/// mdbook-gettext and mdbook-xgettext for the Chinese edition. 0.4.0 is built against
/// mdbook-preprocessor and mdbook-renderer 0.5 (0.5.0 in its lock file), the protocol of the
/// pinned mdbook 0.5.4: it prints no version warning and needs no newer mdbook.
pub const MDBOOK_I18N_HELPERS: &str = "0.4.0";

pub struct Tools {
    mdbook: PathBuf,
    /// Folders put first on mdbook's PATH: mdbook-katex's and mdbook-i18n-helpers'.
    bin_dirs: Vec<PathBuf>,
}

impl Tools {
    /// Installs whichever tool is missing or at another version.
    pub fn ensure() -> Result<Tools> {
        let mdbook = ensure("mdbook", MDBOOK, "mdbook")?;
        let katex = ensure("mdbook-katex", MDBOOK_KATEX, "mdbook-katex")?;
        let gettext = ensure("mdbook-i18n-helpers", MDBOOK_I18N_HELPERS, "mdbook-gettext")?;
        let bin_dirs = [katex, gettext]
            .iter()
            .map(|bin| {
                bin.parent()
                    .expect("a binary lives in a folder")
                    .to_path_buf()
            })
            .collect();
        Ok(Tools { mdbook, bin_dirs })
    }

    /// `mdbook`, with the pinned mdbook-katex and mdbook-i18n-helpers first on its PATH.
    pub fn mdbook(&self) -> Command {
        let mut cmd = Command::new(&self.mdbook);
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = self.bin_dirs.clone();
        dirs.extend(std::env::split_paths(&path));
        cmd.env(
            "PATH",
            std::env::join_paths(dirs).expect("tool folders are valid in PATH"),
        );
        cmd
    }
}

/// Puts KaTeX's stylesheet and fonts into `dest` (the book's `katex/` folder), from the npm
/// package `katex` at [`KATEX`], fetched once into the tool cache with `npm pack`. The book then
/// renders its formulas with no network.
pub fn katex_assets(dest: &std::path::Path) -> Result<()> {
    let dir = cache_dir()?.join(format!("katex-{KATEX}"));
    let css = dir.join("package/dist/katex.min.css");
    if !css.is_file() {
        eprintln!(
            "==> fetching the npm package katex@{KATEX} into {}",
            dir.display()
        );
        std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let pack = Command::new("npm")
            .args([
                "pack",
                &format!("katex@{KATEX}"),
                "--silent",
                "--pack-destination",
            ])
            .arg(&dir)
            .status()
            .map_err(|e| format!("npm pack katex@{KATEX} (is npm installed?): {e}"))?;
        let tarball = dir.join(format!("katex-{KATEX}.tgz"));
        if !pack.success() || !tarball.is_file() {
            return Err(format!("npm pack katex@{KATEX} failed ({pack})"));
        }
        let untar = Command::new("tar")
            .arg("xzf")
            .arg(&tarball)
            .arg("-C")
            .arg(&dir)
            .status()
            .map_err(|e| format!("tar: {e}"))?;
        if !untar.success() || !css.is_file() {
            return Err(format!("unpacking {} failed ({untar})", tarball.display()));
        }
    }
    let fonts = dest.join("fonts");
    std::fs::create_dir_all(&fonts).map_err(|e| format!("creating {}: {e}", fonts.display()))?;
    let copy = |from: PathBuf, to: PathBuf| {
        std::fs::copy(&from, &to)
            .map(|_| ())
            .map_err(|e| format!("copying {}: {e}", from.display()))
    };
    copy(css, dest.join("katex.min.css"))?;
    let font_dir = dir.join("package/dist/fonts");
    for entry in
        std::fs::read_dir(&font_dir).map_err(|e| format!("reading {}: {e}", font_dir.display()))?
    {
        let path = entry.map_err(|e| e.to_string())?.path();
        copy(
            path.clone(),
            fonts.join(path.file_name().expect("a font file has a name")),
        )?;
    }
    Ok(())
}

pub fn cache_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("BACKPROP_BOOK_TOOLS") {
        return Ok(PathBuf::from(dir));
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .ok_or("neither BACKPROP_BOOK_TOOLS, XDG_CACHE_HOME nor HOME is set: no place to install the book's tools")?;
    Ok(cache.join("backprop-book").join("tools"))
}

/// The path of the binary `bin` of the crate `name` at `version`, installing it first if
/// needed.
fn ensure(name: &str, version: &str, bin: &str) -> Result<PathBuf> {
    let root = cache_dir()?.join(format!("{name}-{version}"));
    let bin = root.join("bin").join(bin);
    if installed_version(&root, name, &bin).is_some_and(|v| v.contains(version)) {
        return Ok(bin);
    }
    eprintln!(
        "==> installing {name} {version} into {} (once; mdbook and mdbook-katex take about 4 minutes on 2 cores, mdbook-i18n-helpers 1.5)",
        root.display()
    );
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "install",
            name,
            "--version",
            &format!("={version}"),
            "--locked",
            "--root",
        ])
        .arg(&root)
        .status()
        .map_err(|e| format!("cargo install {name}: {e}"))?;
    if !status.success() {
        return Err(format!("cargo install {name} {version} failed ({status})"));
    }
    match installed_version(&root, name, &bin) {
        Some(v) if v.contains(version) => Ok(bin),
        other => Err(format!(
            "{} reports version {other:?} after installing {version}",
            bin.display()
        )),
    }
}

/// What the installed binary says its version is; for a crate whose binaries have no
/// `--version` (mdbook-i18n-helpers), what cargo recorded installing into `root`.
fn installed_version(root: &std::path::Path, name: &str, bin: &PathBuf) -> Option<String> {
    if !bin.is_file() {
        return None;
    }
    if !name.starts_with("mdbook-i18n") {
        return version_flag(bin);
    }
    let record = std::fs::read_to_string(root.join(".crates.toml")).ok()?;
    record
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("\"{name} ")))
        .and_then(|rest| rest.split_whitespace().next())
        .map(str::to_string)
}

fn version_flag(bin: &PathBuf) -> Option<String> {
    let out = Command::new(bin).arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
