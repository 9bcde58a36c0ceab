//! `cargo xtask listings`: the code the book's pages include, measured against the listing
//! targets. Every `{{#include FILE[:ANCHOR]}}` (and `{{#rustdoc_include ...}}`) of a `.rs` file
//! on a page (chapters/*.md, chapters/*/README.md) is one region, taken as mdBook takes it; the
//! report gives each region's length, indentation, printing lines and `)?`s, the transcripts
//! included by line range, and the anchors no page includes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::Result;
use crate::html::{self, Include};

/// The targets: no region longer than this many lines...
pub const MAX_LINES: usize = 40;
/// ...a median region no longer than this...
pub const MAX_MEDIAN: f64 = 15.0;
/// ...at most this share of the included lines inside printing and formatting macros...
pub const MAX_PRINT_SHARE: f64 = 0.10;
/// ...and no region whose every line is indented by this many spaces or more.
pub const MAX_INDENT: usize = 8;
/// Regions over this many lines are listed too (not a target).
pub const LONG: usize = 30;

/// The macros whose calls count as printing and formatting lines.
const PRINT_MACROS: &str = r"\b(?:e?print(?:ln)?|format|write(?:ln)?)!";

/// One included Rust region, as it renders.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Region {
    /// The page that includes it, relative to chapters/.
    pub page: String,
    /// The directive's line on the page.
    pub line: usize,
    /// The included file, relative to the repository.
    pub file: String,
    /// The anchor, None for a whole-file include.
    pub anchor: Option<String>,
    /// All its lines, blank ones too.
    pub lines: usize,
    pub non_blank: usize,
    /// The smallest indentation of its non-blank lines, in columns (a tab counts 4).
    pub indent: usize,
    /// Its lines inside a `println!`, `print!`, `eprintln!`, `eprint!`, `format!`, `write!` or
    /// `writeln!` call, from the macro's name to its closing bracket.
    pub print_lines: usize,
    /// How often `)?` occurs in it, as the reader sees it (doc-comment examples too).
    pub question: usize,
}

impl Region {
    /// `file:anchor`, or the file for a whole-file include.
    pub fn name(&self) -> String {
        match &self.anchor {
            Some(a) => format!("{}:{a}", self.file),
            None => self.file.clone(),
        }
    }

    /// The page's folder under chapters/ ("." for a top-level page).
    pub fn folder(&self) -> &str {
        self.page.rsplit_once('/').map_or(".", |(folder, _)| folder)
    }
}

/// A transcript (`.txt`) included by a line range, which goes stale when the transcript changes.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeInclude {
    pub page: String,
    pub line: usize,
    pub directive: String,
}

/// What the report measured.
#[derive(Debug, Default, PartialEq)]
pub struct Listings {
    /// The Rust regions, in page order (pages sorted by name).
    pub regions: Vec<Region>,
    pub range_includes: Vec<RangeInclude>,
    /// `file:name` of each anchor no page includes, sorted.
    pub unused_anchors: Vec<String>,
}

impl Listings {
    pub fn total_lines(&self) -> usize {
        self.regions.iter().map(|r| r.lines).sum()
    }

    pub fn non_blank_lines(&self) -> usize {
        self.regions.iter().map(|r| r.non_blank).sum()
    }

    pub fn print_lines(&self) -> usize {
        self.regions.iter().map(|r| r.print_lines).sum()
    }

    pub fn question_marks(&self) -> usize {
        self.regions.iter().map(|r| r.question).sum()
    }

    /// The median region length in lines (0 with no region).
    pub fn median(&self) -> f64 {
        self.median_by(|r| r.lines)
    }

    /// The median of `length` over the regions (0 with no region).
    pub fn median_by(&self, length: impl Fn(&Region) -> usize) -> f64 {
        let mut lengths: Vec<usize> = self.regions.iter().map(length).collect();
        lengths.sort_unstable();
        match lengths.len() {
            0 => 0.0,
            n if n % 2 == 1 => lengths[n / 2] as f64,
            n => (lengths[n / 2 - 1] + lengths[n / 2]) as f64 / 2.0,
        }
    }

    /// The share of included lines inside printing and formatting macros, from 0 to 1.
    pub fn print_share(&self) -> f64 {
        share(self.print_lines(), self.total_lines())
    }

    /// The regions, longest first (in page order among equals).
    pub fn longest(&self) -> Vec<&Region> {
        let mut regions: Vec<&Region> = self.regions.iter().collect();
        regions.sort_by_key(|r| std::cmp::Reverse(r.lines));
        regions
    }

    pub fn over(&self, lines: usize) -> Vec<&Region> {
        self.regions.iter().filter(|r| r.lines > lines).collect()
    }

    pub fn indented(&self) -> Vec<&Region> {
        self.regions
            .iter()
            .filter(|r| r.indent >= MAX_INDENT)
            .collect()
    }

    /// Per chapter folder: its included lines and its printing lines.
    pub fn by_folder(&self) -> BTreeMap<&str, (usize, usize)> {
        let mut folders = BTreeMap::new();
        for r in &self.regions {
            let entry = folders.entry(r.folder()).or_insert((0, 0));
            entry.0 += r.lines;
            entry.1 += r.print_lines;
        }
        folders
    }

    /// Each target: what it asks, whether it is met, and the figure.
    pub fn targets(&self) -> Vec<Target> {
        let over = self.over(MAX_LINES).len();
        let longest = self.longest().first().map_or(0, |r| r.lines);
        let median = self.median();
        let print = self.print_share();
        let indented = self.indented().len();
        vec![
            Target {
                name: format!("no region over {MAX_LINES} lines"),
                met: over == 0,
                figure: format!("{over} over, longest {longest}"),
            },
            Target {
                name: format!("median at most {MAX_MEDIAN}"),
                met: median <= MAX_MEDIAN,
                figure: format!("median {median}"),
            },
            Target {
                name: format!("print/format lines at most {:.0}%", MAX_PRINT_SHARE * 100.0),
                met: print <= MAX_PRINT_SHARE,
                figure: format!("{:.1}%", print * 100.0),
            },
            Target {
                name: format!("no region indented by {MAX_INDENT}+ spaces"),
                met: indented == 0,
                figure: format!("{indented}"),
            },
            Target {
                name: "no line-range transcript include".to_string(),
                met: self.range_includes.is_empty(),
                figure: format!("{}", self.range_includes.len()),
            },
            Target {
                name: "no unused anchor".to_string(),
                met: self.unused_anchors.is_empty(),
                figure: format!("{}", self.unused_anchors.len()),
            },
        ]
    }

    /// The targets not met, one sentence each; empty when the listings meet them all.
    pub fn problems(&self) -> Vec<String> {
        self.targets()
            .into_iter()
            .filter(|t| !t.met)
            .map(|t| format!("{}: not met ({})", t.name, t.figure))
            .collect()
    }
}

/// One listing target and how the book stands against it.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub name: String,
    pub met: bool,
    pub figure: String,
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// `cargo xtask listings [--check]`: prints the report; with `check`, fails if a target is not met.
pub fn listings(check: bool) -> Result {
    let listings = measure(&crate::root())?;
    print!("{listings}");
    let problems = listings.problems();
    if check && !problems.is_empty() {
        return Err(format!(
            "{} listing target(s) not met:\n  {}",
            problems.len(),
            problems.join("\n  ")
        ));
    }
    Ok(())
}

/// Measures the listings of the book whose repository is `root` (chapters/ and src/ in it).
pub fn measure(root: &Path) -> Result<Listings> {
    let chapters = root.join("chapters");
    let mut listings = Listings::default();
    let mut used = BTreeSet::new();
    for page in pages(&chapters)? {
        let text = read(&page)?;
        let page_name = relative(&page, &chapters);
        let dir = page.parent().expect("a page lives in a folder");
        for include in html::includes(&text) {
            let path = normalize(&dir.join(include.file));
            let file = relative(&path, root);
            if let Some(anchor) = include.anchor() {
                used.insert((file.clone(), anchor.to_string()));
            }
            if include.file.ends_with(".txt") && include.is_line_range() {
                listings.range_includes.push(RangeInclude {
                    page: page_name.clone(),
                    line: include.line,
                    directive: include.directive.to_string(),
                });
            }
            if include.file.ends_with(".rs") {
                let source = read(&path)?;
                let region_lines = included_lines(&source, &include).map_err(|e| {
                    format!("{page_name}:{}: {}: {e}", include.line, include.directive)
                })?;
                listings.regions.push(measure_region(
                    Region {
                        page: page_name.clone(),
                        line: include.line,
                        file,
                        anchor: include.anchor().map(str::to_string),
                        ..Region::default()
                    },
                    &region_lines,
                ));
            }
        }
    }
    // chapters/katex/ is KaTeX's stylesheet and fonts, copied in at build time; sections.txt
    // holds a transcript's named sections, which a page may or may not show apart.
    let mut anchored: Vec<PathBuf> = files(&chapters)?
        .into_iter()
        .filter(|p| !p.starts_with(chapters.join("katex")))
        .filter(|p| !p.ends_with("sections.txt"))
        .collect();
    anchored.extend(
        files(&root.join("src"))?
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "rs")),
    );
    for path in anchored {
        // Figures and other binary files hold no anchors.
        let Ok(text) = String::from_utf8(std::fs::read(&path).unwrap_or_default()) else {
            continue;
        };
        let file = relative(&path, root);
        // A marker inside a string literal (the code that writes sections.txt) is not an anchor.
        let code: String = text
            .lines()
            .filter(|l| {
                !l.split("ANCHOR")
                    .next()
                    .is_some_and(|before| before.contains('"'))
            })
            .map(|l| format!("{l}\n"))
            .collect();
        for name in html::anchor_names(&code) {
            if !used.contains(&(file.clone(), name.to_string())) {
                listings.unused_anchors.push(format!("{file}:{name}"));
            }
        }
    }
    listings.unused_anchors.sort();
    Ok(listings)
}

/// The lines an include shows: an anchor's (see [`html::anchored_lines`]), or a line range's,
/// or the whole file's without anchor markers (mdBook 0.5.4 shows the markers of a whole-file
/// include; the book's Rust includes all name an anchor).
fn included_lines<'a>(text: &'a str, include: &Include) -> Result<Vec<&'a str>> {
    if let Some(anchor) = include.anchor() {
        return html::anchored_lines(text, anchor)
            .ok_or_else(|| format!("no anchor `{anchor}` in the file"));
    }
    if include.is_line_range() {
        // mdBook's lines are numbered from 1; `N` alone is one line, `N:` runs to the end.
        let selector = include.selector.unwrap_or("");
        let mut parts = selector.splitn(3, ':');
        let start: usize = parts.next().and_then(|s| s.parse().ok()).unwrap_or(1);
        let end = match parts.next() {
            None => Some(start),
            Some(end) => end.parse().ok(),
        };
        let start = start.saturating_sub(1);
        let lines = text.lines().skip(start);
        return Ok(match end {
            Some(end) => lines.take(end.saturating_sub(start)).collect(),
            None => lines.collect(),
        });
    }
    Ok(text
        .lines()
        .filter(|l| !html::is_anchor_marker(l))
        .collect())
}

/// Fills in a region's figures from its lines.
fn measure_region(mut region: Region, lines: &[&str]) -> Region {
    let text = lines.join("\n");
    let code = code_only(&text);
    region.lines = lines.len();
    region.non_blank = lines.iter().filter(|l| !l.trim().is_empty()).count();
    region.indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| indentation(l))
        .min()
        .unwrap_or(0);
    region.print_lines = print_lines(&code, lines.len());
    region.question = text.matches(")?").count();
    region
}

fn indentation(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// How many of the `n` lines of `code` (see [`code_only`]) lie inside a printing or formatting
/// macro call: every line from the macro's name to its closing bracket.
fn print_lines(code: &str, n: usize) -> usize {
    static MACRO: LazyLock<Regex> = LazyLock::new(|| Regex::new(PRINT_MACROS).expect("valid"));
    let mut inside = vec![false; n.max(1)];
    let line_of = |at: usize| code[..at].matches('\n').count();
    for m in MACRO.find_iter(code) {
        let rest = &code[m.end()..];
        let Some(open) = rest.find(|c: char| !c.is_whitespace()) else {
            continue;
        };
        if !rest[open..].starts_with(['(', '[', '{']) {
            continue;
        }
        let mut depth = 0usize;
        let mut end = code.len();
        for (i, c) in rest[open..].char_indices() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = m.end() + open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let last = line_of(end.min(code.len()));
        for flag in &mut inside[line_of(m.start())..=last.min(n.saturating_sub(1))] {
            *flag = true;
        }
    }
    if n == 0 {
        0
    } else {
        inside.iter().filter(|&&f| f).count()
    }
}

/// `text` with the insides of comments and of string and character literals blanked out (line
/// breaks kept), so that macro names and brackets in them are not taken for code.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to.min(b.len())] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        let start = i;
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                blank(&mut out, start, i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i..].starts_with(b"/*") {
                        depth += 1;
                        i += 2;
                    } else if b[i..].starts_with(b"*/") {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                blank(&mut out, start, i);
                continue;
            }
            b'r' if (i == 0
                || !ident(b[i - 1])
                || (b[i - 1] == b'b' && (i < 2 || !ident(b[i - 2]))))
                && {
                    let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                    b.get(i + 1 + hashes) == Some(&b'"')
                } =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                i += 2 + hashes;
                while i < b.len() && !b[i..].starts_with(&close) {
                    i += 1;
                }
                i += close.len();
                blank(&mut out, start, i);
                continue;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                blank(&mut out, start, i);
                continue;
            }
            b'\'' => {
                // A character literal ('x', '\n', '\u{..}', 'é'), not a lifetime or label ('a).
                if b.get(i + 1) == Some(&b'\\') {
                    i += 2;
                    while i < b.len() && b[i] != b'\'' && b[i] != b'\n' {
                        i += 1;
                    }
                    i += 1;
                    blank(&mut out, start, i);
                    continue;
                }
                let next = text[i + 1..].chars().next().map_or(0, char::len_utf8);
                if next > 0 && b.get(i + 1 + next) == Some(&b'\'') {
                    i += 2 + next;
                    blank(&mut out, start, i);
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    // Only whole characters were blanked, so the bytes are still UTF-8.
    String::from_utf8(out).expect("blanking keeps UTF-8")
}

/// The pages: chapters/*.md and chapters/*/README.md, sorted.
fn pages(chapters: &Path) -> Result<Vec<PathBuf>> {
    let mut pages = Vec::new();
    let entries =
        std::fs::read_dir(chapters).map_err(|e| format!("reading {}: {e}", chapters.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("reading {}: {e}", chapters.display()))?
            .path();
        if path.is_dir() && path.join("README.md").is_file() {
            pages.push(path.join("README.md"));
        } else if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    pages.sort();
    Ok(pages)
}

/// Every file under `dir` (none if it does not exist), sorted.
fn files(dir: &Path) -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, out)?;
            } else {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    if dir.is_dir() {
        walk(dir, &mut out).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    }
    out.sort();
    Ok(out)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

/// `path` without `.` and `dir/..` (lexically: the book's include paths are plain).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to `base`, with `/` separators.
fn relative(path: &Path, base: &Path) -> String {
    let path = path.strip_prefix(base).unwrap_or(path);
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

impl fmt::Display for Listings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.total_lines();
        let percent = |part: usize, whole: usize| format!("{:.1}%", share(part, whole) * 100.0);
        let over_both = |lines: usize| {
            let non_blank = self.regions.iter().filter(|r| r.non_blank > lines).count();
            format!(
                "{} (by non-blank lines {non_blank})",
                self.over(lines).len()
            )
        };
        let row = |f: &mut fmt::Formatter<'_>, label: &str, value: String| {
            writeln!(f, "  {label:<34} {value}")
        };
        writeln!(
            f,
            "Code listings the book's pages include (chapters/*.md, chapters/*/README.md)"
        )?;
        writeln!(f)?;
        row(f, "Rust regions", self.regions.len().to_string())?;
        row(
            f,
            "included lines",
            format!("{total} (non-blank {})", self.non_blank_lines()),
        )?;
        row(
            f,
            "median region length",
            format!(
                "{} lines (by non-blank lines {})",
                self.median(),
                self.median_by(|r| r.non_blank)
            ),
        )?;
        row(f, &format!("regions over {LONG} lines"), over_both(LONG))?;
        row(
            f,
            &format!("regions over {MAX_LINES} lines"),
            over_both(MAX_LINES),
        )?;
        row(
            f,
            "lines in print!/format!-like calls",
            format!(
                "{} ({})",
                self.print_lines(),
                percent(self.print_lines(), total)
            ),
        )?;
        row(f, "`)?`", self.question_marks().to_string())?;
        row(
            f,
            &format!("regions indented by {MAX_INDENT}+ spaces"),
            self.indented().len().to_string(),
        )?;
        row(
            f,
            "line-range transcript includes",
            self.range_includes.len().to_string(),
        )?;
        row(f, "unused anchors", self.unused_anchors.len().to_string())?;

        let region_table = |f: &mut fmt::Formatter<'_>, title: &str, regions: &[&Region]| {
            writeln!(f)?;
            writeln!(f, "{title}")?;
            if regions.is_empty() {
                return writeln!(f, "  none");
            }
            writeln!(
                f,
                "  {:>5} {:>9} {:>5} {:>6} {:>3}  {:<34} region",
                "lines", "non-blank", "print", "indent", ")?", "page:line"
            )?;
            for r in regions {
                writeln!(
                    f,
                    "  {:>5} {:>9} {:>5} {:>6} {:>3}  {:<34} {}",
                    r.lines,
                    r.non_blank,
                    r.print_lines,
                    r.indent,
                    r.question,
                    format!("{}:{}", r.page, r.line),
                    r.name()
                )?;
            }
            Ok(())
        };
        let longest = self.longest();
        region_table(f, "longest 5 regions", &longest[..longest.len().min(5)])?;
        region_table(f, &format!("regions over {LONG} lines"), &self.over(LONG))?;
        region_table(
            f,
            &format!("regions indented by {MAX_INDENT}+ spaces"),
            &self.indented(),
        )?;

        writeln!(f)?;
        writeln!(f, "print!/format!-like lines by chapter folder")?;
        writeln!(
            f,
            "  {:<24} {:>7} {:>6} {:>7}",
            "folder", "regions", "lines", "print"
        )?;
        for (folder, (lines, print)) in self.by_folder() {
            let regions = self.regions.iter().filter(|r| r.folder() == folder).count();
            writeln!(
                f,
                "  {folder:<24} {regions:>7} {lines:>6} {print:>4} {:>6}",
                percent(print, lines)
            )?;
        }
        writeln!(
            f,
            "  {:<24} {:>7} {total:>6} {:>4} {:>6}",
            "all",
            self.regions.len(),
            self.print_lines(),
            percent(self.print_lines(), total)
        )?;

        writeln!(f)?;
        writeln!(f, "line-range transcript includes")?;
        if self.range_includes.is_empty() {
            writeln!(f, "  none")?;
        }
        for r in &self.range_includes {
            writeln!(
                f,
                "  {:<34} {}",
                format!("{}:{}", r.page, r.line),
                r.directive
            )?;
        }

        writeln!(f)?;
        writeln!(f, "unused anchors")?;
        if self.unused_anchors.is_empty() {
            writeln!(f, "  none")?;
        }
        for a in &self.unused_anchors {
            writeln!(f, "  {a}")?;
        }

        writeln!(f)?;
        let mut line = String::from("targets:");
        for (i, t) in self.targets().iter().enumerate() {
            let sep = if i == 0 { " " } else { "; " };
            let verdict = if t.met { "met" } else { "not met" };
            write!(line, "{sep}{}: {verdict} ({})", t.name, t.figure)?;
        }
        writeln!(f, "{line}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository in a temporary folder: `files` are (path, text) pairs.
    fn book(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn measured(files: &[(&str, &str)]) -> Listings {
        measure(book(files).path()).unwrap()
    }

    /// An anchor `a` around `body`, in a file of its own.
    fn anchored(body: &str) -> String {
        format!("fn f() {{\n    // ANCHOR: a\n{body}    // ANCHOR_END: a\n}}\n")
    }

    fn lines(n: usize, indent: usize) -> String {
        (0..n)
            .map(|i| format!("{:indent$}let x{i} = {i};\n", ""))
            .collect()
    }

    const PAGE: (&str, &str) = (
        "chapters/ch1/README.md",
        "# One\n\n```rust\n{{#include main.rs:a}}\n```\n",
    );

    #[test]
    fn a_short_flat_quiet_book_meets_every_target() {
        let l = measured(&[PAGE, ("chapters/ch1/main.rs", &anchored(&lines(5, 4)))]);
        assert_eq!(l.regions.len(), 1);
        let r = &l.regions[0];
        assert_eq!((r.page.as_str(), r.line), ("ch1/README.md", 4));
        assert_eq!(r.name(), "chapters/ch1/main.rs:a");
        assert_eq!(
            (r.lines, r.non_blank, r.indent, r.print_lines),
            (5, 5, 4, 0)
        );
        assert_eq!(l.problems(), Vec::<String>::new());
        assert!(
            l.to_string()
                .lines()
                .last()
                .unwrap()
                .starts_with("targets: no region over")
        );
        assert!(!l.to_string().contains("not met"));
    }

    #[test]
    fn a_long_region_fails() {
        let ok = measured(&[
            PAGE,
            ("chapters/ch1/main.rs", &anchored(&lines(MAX_LINES, 4))),
        ]);
        // 40 lines meet the length target (if not the median's).
        assert!(ok.targets()[0].met, "{:?}", ok.targets());
        assert_eq!(ok.problems(), ["median at most 15: not met (median 40)"]);
        let long = measured(&[
            PAGE,
            ("chapters/ch1/main.rs", &anchored(&lines(MAX_LINES + 1, 4))),
        ]);
        assert_eq!(long.over(MAX_LINES).len(), 1);
        let problems = long.problems();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("no region over 40 lines: not met (1 over, longest 41)")),
            "{problems:?}"
        );
        // One region of 41 lines is also a median of 41.
        assert!(
            problems
                .iter()
                .any(|p| p.contains("median at most 15: not met (median 41)")),
            "{problems:?}"
        );
    }

    #[test]
    fn the_median_is_taken_over_the_regions() {
        let page = "{{#include main.rs:a}}\n{{#include main.rs:b}}\n{{#include main.rs:c}}\n{{#include main.rs:c}}\n";
        let main = format!(
            "// ANCHOR: a\n{}// ANCHOR_END: a\n// ANCHOR: b\n{}// ANCHOR_END: b\n// ANCHOR: c\n{}// ANCHOR_END: c\n",
            lines(2, 0),
            lines(20, 0),
            lines(30, 0)
        );
        let l = measured(&[
            ("chapters/ch1/README.md", page),
            ("chapters/ch1/main.rs", &main),
        ]);
        // The same anchor on two pages (or twice on one) is two regions.
        assert_eq!(l.regions.len(), 4);
        assert_eq!(l.median(), 25.0);
        assert_eq!(l.total_lines(), 82);
    }

    #[test]
    fn an_indented_region_fails() {
        let four = measured(&[PAGE, ("chapters/ch1/main.rs", &anchored(&lines(3, 4)))]);
        assert!(four.indented().is_empty());
        // Blank lines do not lower the indentation.
        let body = format!("{}\n{}", lines(2, 8), lines(1, 12));
        let eight = measured(&[PAGE, ("chapters/ch1/main.rs", &anchored(&body))]);
        assert_eq!(eight.regions[0].indent, 8);
        assert_eq!(eight.regions[0].non_blank, 3);
        assert_eq!(eight.regions[0].lines, 4);
        assert_eq!(eight.indented().len(), 1);
        assert!(
            eight
                .problems()
                .iter()
                .any(|p| p.starts_with("no region indented by 8+ spaces: not met (1)"))
        );
    }

    #[test]
    fn a_multi_line_println_counts_all_its_lines() {
        let body = r#"    let x = 1;
    println!(
        "x = {} (of {})",
        x,
        2
    );
    let s = format!("{x}");
    // println!("a comment is not a call");
    let t = "println!(";
    eprint!("{}", [1, 2].len());
    writeln!(out, "closing ) in a string")?;
    let y = f(x)?;
    /// let z = g(y)?;
"#;
        let l = measured(&[PAGE, ("chapters/ch1/main.rs", &anchored(body))]);
        let r = &l.regions[0];
        assert_eq!(r.lines, 13);
        // println! (5 lines), format!, eprint!, writeln!.
        assert_eq!(r.print_lines, 8);
        // `)?` as the reader sees it: a doc comment's example counts too.
        assert_eq!(r.question, 3);
        assert!(
            l.problems()
                .iter()
                .any(|p| p.starts_with("print/format lines at most 10%: not met (61.5%)")),
            "{:?}",
            l.problems()
        );
    }

    #[test]
    fn strings_and_comments_are_blanked_but_lines_kept() {
        let code = code_only("a(\"(\\\")\", r#\")\"#, '(', 'b, /* ) */ c)? // )?\nd");
        assert_eq!(code.lines().count(), 2);
        assert_eq!(code.matches('(').count(), 1);
        assert_eq!(code.matches(")?").count(), 1);
        assert!(code.contains("'b"));
        // A call left open at the region's end counts up to the end.
        assert_eq!(print_lines("print!(\n  x,\n", 3), 3);
    }

    #[test]
    fn a_line_range_transcript_include_fails() {
        let page = "{{#include output.txt}}\n{{#include output.txt:3:5}}\n{{#include output.txt:4}}\n\
                    {{#include output.txt:7:}}\n{{#include output.txt::2}}\n{{#include output.txt:part}}\n\
                    {{#include main.rs:1:2}}\n";
        let l = measured(&[
            ("chapters/ch1/README.md", page),
            (
                "chapters/ch1/output.txt",
                "a\nANCHOR: part\nb\nANCHOR_END: part\n",
            ),
            ("chapters/ch1/main.rs", "fn main() {\n}\n"),
        ]);
        let flagged: Vec<(usize, &str)> = l
            .range_includes
            .iter()
            .map(|r| (r.line, r.directive.as_str()))
            .collect();
        assert_eq!(
            flagged,
            [
                (2, "{{#include output.txt:3:5}}"),
                (3, "{{#include output.txt:4}}"),
                (4, "{{#include output.txt:7:}}"),
                (5, "{{#include output.txt::2}}"),
            ]
        );
        // A Rust file's line range is a region, not a transcript.
        assert_eq!(l.regions.len(), 1);
        assert_eq!(l.regions[0].lines, 2);
        assert!(
            l.problems()
                .iter()
                .any(|p| p.starts_with("no line-range transcript include: not met (4)"))
        );
        assert!(l.to_string().contains("ch1/README.md:2"));
    }

    #[test]
    fn an_unused_anchor_fails() {
        let l = measured(&[
            (
                "chapters/ch1/README.md",
                "{{#include ../../src/lib.rs:used}}\n{{#include main.rs:a}}\n",
            ),
            (
                "chapters/ch1/main.rs",
                &format!(
                    "{}// ANCHOR: spare\n// ANCHOR_END: spare\n",
                    anchored("x\n")
                ),
            ),
            (
                "chapters/ch1/output.txt",
                "ANCHOR: in_a_transcript\nANCHOR_END: in_a_transcript\n",
            ),
            (
                "src/lib.rs",
                "// ANCHOR: used\nfn u() {}\n// ANCHOR_END: used\n",
            ),
            (
                "src/deep/mod.rs",
                "// ANCHOR: unused\nfn v() {}\n// ANCHOR_END: unused\n",
            ),
            ("tests/t.rs", "// ANCHOR: not_looked_at\n"),
            ("chapters/katex/katex.css", "/* ANCHOR: not_ours */\n"),
        ]);
        assert_eq!(
            l.unused_anchors,
            [
                "chapters/ch1/main.rs:spare",
                "chapters/ch1/output.txt:in_a_transcript",
                "src/deep/mod.rs:unused",
            ]
        );
        assert!(
            l.problems()
                .iter()
                .any(|p| p.starts_with("no unused anchor: not met (3)"))
        );
    }

    #[test]
    fn nested_anchor_markers_are_not_counted() {
        let main = "// ANCHOR: outer\nfn a() {}\n// ANCHOR: inner\nfn b() {}\n// ANCHOR_END: inner\nfn c() {}\n// ANCHOR_END: outer\n";
        let page = "{{#include main.rs:outer}}\n{{#include main.rs:inner}}\n{{#rustdoc_include main.rs}}\n";
        let l = measured(&[
            ("chapters/ch1/README.md", page),
            ("chapters/ch1/main.rs", main),
        ]);
        let counts: Vec<(Option<&str>, usize)> = l
            .regions
            .iter()
            .map(|r| (r.anchor.as_deref(), r.lines))
            .collect();
        // A whole-file include is one region, without any anchor's markers.
        assert_eq!(counts, [(Some("outer"), 3), (Some("inner"), 1), (None, 3)]);
        assert!(l.unused_anchors.is_empty());
    }

    #[test]
    fn an_anchor_that_is_a_prefix_of_another_is_its_own() {
        let main =
            "// ANCHOR: a\nx\n// ANCHOR_END: a\n// ANCHOR: a_long\ny\nz\n// ANCHOR_END: a_long\n";
        let l = measured(&[
            ("chapters/ch1/README.md", "{{#include main.rs:a_long}}\n"),
            ("chapters/ch1/main.rs", main),
        ]);
        assert_eq!(l.regions[0].lines, 2);
        assert_eq!(l.unused_anchors, ["chapters/ch1/main.rs:a"]);
    }

    #[test]
    fn only_pages_are_read_and_a_missing_anchor_is_an_error() {
        let dir = book(&[
            ("chapters/intro.md", "{{#include ch1/main.rs:a}}\n"),
            ("chapters/ch1/notes.md", "{{#include main.rs:a}}\n"),
            (
                "chapters/generated/table.md",
                "{{#include ../ch1/main.rs:a}}\n",
            ),
            ("chapters/ch1/main.rs", &anchored("x\n")),
        ]);
        let l = measure(dir.path()).unwrap();
        assert_eq!(l.regions.len(), 1);
        assert_eq!(l.regions[0].page, "intro.md");
        assert_eq!(l.regions[0].folder(), ".");
        std::fs::write(
            dir.path().join("chapters/intro.md"),
            "{{#include ch1/main.rs:b}}\n",
        )
        .unwrap();
        let err = measure(dir.path()).unwrap_err();
        assert!(
            err.contains("intro.md:1") && err.contains("no anchor `b`"),
            "{err}"
        );
    }
}
