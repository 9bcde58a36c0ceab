//! Checks over mdbook's log and the built HTML. mdbook exits 0 on a missing include file, a
//! missing anchor or TeX that KaTeX rejects, so these are what make such mistakes fail.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::Result;

/// The one notice mdbook-katex prints that is not a problem (it was compiled against 0.5.3).
const KNOWN_NOTICE: &str = "built against mdbook v0.5.3";

/// The log lines that are warnings or errors, apart from the known notice.
pub fn log_warnings(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| {
            l.contains("WARN")
                || l.contains("ERROR")
                || l.contains("warning:")
                || l.contains("error:")
        })
        .filter(|l| !l.contains(KNOWN_NOTICE))
        .map(str::to_string)
        .collect()
}

/// Checks every `{{#include file:anchor}}` in the book's markdown before mdBook sees it: the file
/// must exist and a named anchor must be present and enclose at least one line.
pub fn check_includes(src: &Path) -> Result<usize> {
    let mut pages = Vec::new();
    collect(src, "md", &mut pages).map_err(|e| format!("reading {}: {e}", src.display()))?;
    pages.sort();
    let (mut count, mut problems) = (0, Vec::new());
    for page in &pages {
        let text = std::fs::read_to_string(page)
            .map_err(|e| format!("reading {}: {e}", page.display()))?;
        let dir = page.parent().expect("a page lives in a folder");
        for include in includes(&text) {
            count += 1;
            let (file, directive) = (include.file, include.directive);
            let name = page.strip_prefix(src).unwrap_or(page).display();
            if file.ends_with(".txt") && include.is_line_range() {
                problems.push(format!(
                    "{name}:{}: {directive} takes a transcript by line numbers, which shift when it \
                     grows: name a section instead (cli::section in the program, then \
                     {{{{#include sections.txt:NAME}}}})",
                    include.line
                ));
                continue;
            }
            if file.ends_with(".rs") && !captioned(&text, include.line) {
                problems.push(format!(
                    "{name}:{}: the listing {directive} has no caption line \
                     <p class=\"listing-caption\">FILE, <code>ITEM</code></p> before its fence",
                    include.line
                ));
            }
            match std::fs::read_to_string(dir.join(file)) {
                Err(e) => problems.push(format!(
                    "{name}: {directive} names {file}, which cannot be read: {e}"
                )),
                Ok(included) => {
                    if let Some(problem) =
                        include.anchor().and_then(|a| anchor_problem(&included, a))
                    {
                        problems.push(format!("{name}: {directive}: {problem}"));
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(count)
    } else {
        Err(format!("broken includes:\n  {}", problems.join("\n  ")))
    }
}

/// Whether the listing whose include is on `line` (from 1) of `page` has a caption: a
/// `listing-caption` line just above its opening fence (a blank line between them allowed).
fn captioned(page: &str, line: usize) -> bool {
    let lines: Vec<&str> = page.lines().collect();
    // Only a listing's first include (right after its ```rust fence) carries the caption.
    let opens_listing = line >= 2 && lines[line - 2].starts_with("```rust");
    if !opens_listing {
        return true;
    }
    let above = lines[..line.saturating_sub(2)]
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty());
    above.is_some_and(|l| l.starts_with("<p class=\"listing-caption\">"))
}

/// One `{{#include FILE}}`, `{{#include FILE:SELECTOR}}` or `{{#rustdoc_include ...}}` on a page.
#[derive(Debug, PartialEq)]
pub(crate) struct Include<'a> {
    /// The whole directive, braces included.
    pub directive: &'a str,
    /// The file, relative to the page's folder.
    pub file: &'a str,
    /// What follows the first `:`: an anchor's name or a line range (`3:10`, `5`, `5:`, `:10`).
    pub selector: Option<&'a str>,
    /// The page's line the directive is on, from 1.
    pub line: usize,
}

impl Include<'_> {
    /// The anchor's name, if the selector is one; mdBook reads a selector whose first part is a
    /// number or empty as a line range.
    pub fn anchor(&self) -> Option<&str> {
        let first = self.selector?.split(':').next().unwrap_or("");
        (!first.is_empty() && first.parse::<usize>().is_err()).then_some(first)
    }

    /// Whether the include takes a range of lines (not an anchor and not the whole file).
    pub fn is_line_range(&self) -> bool {
        let Some(selector) = self.selector else {
            return false;
        };
        let mut parts = selector.splitn(3, ':');
        let start = parts.next().unwrap_or("");
        self.anchor().is_none()
            && (start.parse::<usize>().is_ok()
                || parts.next().is_some_and(|end| end.parse::<usize>().is_ok()))
    }
}

/// The include directives on a page, in order.
pub(crate) fn includes(page: &str) -> Vec<Include<'_>> {
    static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\{\{#(?:include|rustdoc_include)\s+([^}\s:]+)(?::([^}\s]+))?\s*\}\}")
            .expect("valid regex")
    });
    DIRECTIVE
        .captures_iter(page)
        .map(|cap| {
            let whole = cap.get(0).expect("the whole match");
            Include {
                directive: whole.as_str(),
                file: cap.get(1).expect("a file").as_str(),
                selector: cap.get(2).map(|m| m.as_str()),
                line: page[..whole.start()].matches('\n').count() + 1,
            }
        })
        .collect()
}

/// mdBook's anchor markers: `ANCHOR: name` and `ANCHOR_END: name` anywhere in a line (in Rust,
/// `// ANCHOR: name`).
static ANCHOR_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR:\s*([\w_-]+)").expect("valid regex"));
static ANCHOR_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR_END:\s*([\w_-]+)").expect("valid regex"));

/// Whether a line is an anchor marker (a start or an end, of any anchor).
pub(crate) fn is_anchor_marker(line: &str) -> bool {
    ANCHOR_START.is_match(line) || ANCHOR_END.is_match(line)
}

/// The names of the anchors a file starts (`ANCHOR: name`), in order, each once.
pub(crate) fn anchor_names(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for cap in text.lines().filter_map(|l| ANCHOR_START.captures(l)) {
        let name = cap.get(1).expect("a name").as_str();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The lines mdBook includes for `anchor`, as its `take_anchored_lines` does: those after the
/// first `ANCHOR: anchor` up to its `ANCHOR_END: anchor` (or the end of the file), without the
/// lines of other anchors' markers. None if the file has no such anchor.
pub(crate) fn anchored_lines<'a>(text: &'a str, anchor: &str) -> Option<Vec<&'a str>> {
    let mut lines = text
        .lines()
        .skip_while(|l| ANCHOR_START.captures(l).is_none_or(|cap| &cap[1] != anchor));
    lines.next()?;
    Some(
        lines
            .take_while(|l| ANCHOR_END.captures(l).is_none_or(|cap| &cap[1] != anchor))
            .filter(|l| !is_anchor_marker(l))
            .collect(),
    )
}

/// Why `anchor` does not select anything from `text` (None if it does). Line ranges (`3:10`,
/// `5`) are left to mdBook.
fn anchor_problem(text: &str, anchor: &str) -> Option<String> {
    if anchor.chars().all(|c| c.is_ascii_digit() || c == ':') {
        return None;
    }
    let Some(body) = anchored_lines(text, anchor) else {
        return Some(format!("no `// ANCHOR: {anchor}` line in the file"));
    };
    if body.iter().all(|l| l.trim().is_empty()) {
        return Some(format!(
            "the anchor `{anchor}` encloses nothing (or has no `// ANCHOR_END: {anchor}`)"
        ));
    }
    None
}

/// What the checks of one built book counted.
#[derive(Debug, Default, PartialEq)]
pub struct Report {
    pub pages: usize,
    pub formulas: usize,
}

/// Checks every page of the book built in `dir`; the error lists each problem with its page.
pub fn check_book(dir: &Path) -> Result<Report> {
    let mut pages = Vec::new();
    collect(dir, "html", &mut pages)
        .map_err(|e| format!("reading the built book in {}: {e}", dir.display()))?;
    pages.sort();
    let mut report = Report::default();
    let mut problems = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(page)
            .map_err(|e| format!("reading {}: {e}", page.display()))?;
        let name = page.strip_prefix(dir).unwrap_or(page).display().to_string();
        problems.extend(
            check_page(&html)
                .into_iter()
                .map(|p| format!("{name}: {p}")),
        );
        report.pages += 1;
        report.formulas += count_formulas(&html);
    }
    if report.pages == 0 {
        problems.push("no HTML pages were built".to_string());
    }
    if problems.is_empty() {
        Ok(report)
    } else {
        Err(format!(
            "the built book has problems:\n  {}",
            problems.join("\n  ")
        ))
    }
}

pub(crate) fn collect(
    dir: &Path,
    extension: &str,
    out: &mut Vec<std::path::PathBuf>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, extension, out)?;
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
    Ok(())
}

/// Checks every local link (`href`, `src`) of every page in `dir`: the file must exist, and a
/// `#fragment` must be an `id` in the target page. Returns how many links were checked.
pub fn check_links(dir: &Path) -> Result<usize> {
    let mut pages = Vec::new();
    collect(dir, "html", &mut pages).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    pages.sort();
    let link = Regex::new(r#"(?:href|src)="([^"]*)""#).expect("valid regex");
    let id = Regex::new(r#"\sid="([^"]*)""#).expect("valid regex");
    let ids_of = |page: &Path| -> std::collections::HashSet<String> {
        let html = std::fs::read_to_string(page).unwrap_or_default();
        id.captures_iter(&html).map(|c| c[1].to_string()).collect()
    };
    let (mut checked, mut problems) = (0, Vec::new());
    for page in &pages {
        let html = std::fs::read_to_string(page)
            .map_err(|e| format!("reading {}: {e}", page.display()))?;
        let name = page.strip_prefix(dir).unwrap_or(page).display().to_string();
        for cap in link.captures_iter(&html) {
            let target = &cap[1];
            if target.is_empty()
                || target.contains("://")
                || target.starts_with("mailto:")
                || target.starts_with("javascript:")
                || target.starts_with("data:")
            {
                continue;
            }
            checked += 1;
            let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
            let path = path.split('?').next().unwrap_or("");
            // A path from the site's root (the 404 page's "/") is taken from the book's root.
            let file = match path {
                "" => page.clone(),
                p if p.starts_with('/') => dir.join(p.trim_start_matches('/')),
                p => page.parent().expect("a page is in a folder").join(p),
            };
            let file = if file.is_dir() {
                file.join("index.html")
            } else {
                file
            };
            if !file.is_file() {
                problems.push(format!("{name}: link to {target}: no such file"));
            } else if !fragment.is_empty()
                && file.extension().is_some_and(|e| e == "html")
                && !ids_of(&file).contains(fragment)
            {
                problems.push(format!(
                    "{name}: link to {target}: no id \"{fragment}\" in that page"
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(format!("broken links:\n  {}", problems.join("\n  ")))
    }
}

/// Formulas KaTeX rendered on a page (each has one `class="katex"` span).
pub fn count_formulas(html: &str) -> usize {
    html.matches("<span class=\"katex\">").count()
}

/// The problems on one page: leftover include directives, empty listings, raw TeX.
pub fn check_page(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for host in ["cdn.jsdelivr", "cdnjs.", "unpkg.com"] {
        if let Some(i) = html.find(host) {
            problems.push(format!(
                "a link to {host}: the book must render offline: {}",
                snippet(html, i)
            ));
        }
    }
    if let Some(i) = html.find("{{#") {
        problems.push(format!(
            "a directive mdbook did not expand: {}",
            snippet(html, i)
        ));
    }
    // mdBook wraps Rust listings in hidden ("boring") lines; a listing with nothing else is empty.
    let boring = Regex::new(r#"(?s)<span class="boring">.*?</span>"#).expect("valid regex");
    let without_boring = boring.replace_all(html, "");
    let empty_code = Regex::new(r"<code[^>]*>\s*</code>").expect("valid regex");
    if let Some(m) = empty_code.find(&without_boring) {
        problems.push(format!(
            "an empty code listing (a missing anchor?): {}",
            snippet(&without_boring, m.start())
        ));
    }
    // KaTeX keeps the source of each formula in an <annotation>; mdBook's own scripts may hold
    // `$`. Neither is raw TeX on the page.
    let hidden = Regex::new(r"(?s)<annotation[^>]*>.*?</annotation>|<script[^>]*>.*?</script>")
        .expect("valid regex");
    let visible = hidden.replace_all(html, "");
    let raw_tex = Regex::new(r"\$\$|\$[^$<>\n]{0,200}?\\[A-Za-z]+").expect("valid regex");
    if let Some(m) = raw_tex.find(&visible) {
        problems.push(format!(
            "TeX that KaTeX did not render: {}",
            snippet(&visible, m.start())
        ));
    }
    problems
}

/// What a translated page must share with its English page: the code and transcripts
/// (`<pre>` blocks) byte for byte, the figures, and the formulas as KaTeX rendered them (a
/// formula with `\text{...}`, which a translation may change, only by its place).
#[derive(Debug, PartialEq)]
struct Shared {
    code: Vec<String>,
    images: Vec<String>,
    formulas: Vec<String>,
    /// The first column of each table headed "English" (the glossary's): it stays English.
    english_column: Vec<String>,
}

/// Each rendered formula of a page: the whole `<span class="katex">` element.
fn rendered_formulas(html: &str) -> Vec<&str> {
    const OPEN: &str = "<span class=\"katex\">";
    let mut formulas = Vec::new();
    let mut from = 0;
    while let Some(k) = html[from..].find(OPEN) {
        let start = from + k;
        let (mut depth, mut at) = (0usize, start);
        loop {
            let (next_open, next_close) = (html[at..].find("<span"), html[at..].find("</span>"));
            match (next_open, next_close) {
                (Some(o), Some(c)) if o < c => {
                    depth += 1;
                    at += o + 5;
                }
                (_, Some(c)) => {
                    depth -= 1;
                    at += c + 7;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {
                    at = html.len();
                    break;
                }
            }
        }
        formulas.push(&html[start..at]);
        from = at;
    }
    formulas
}

fn shared(html: &str) -> Shared {
    static PRE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?s)<pre>.*?</pre>").expect("valid regex"));
    static IMG: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"<img src="([^"]*)""#).expect("valid regex"));
    Shared {
        code: PRE
            .find_iter(html)
            .map(|m| m.as_str().to_string())
            .collect(),
        images: IMG.captures_iter(html).map(|c| c[1].to_string()).collect(),
        english_column: english_column(html),
        formulas: rendered_formulas(html)
            .into_iter()
            .map(|f| {
                if f.contains("class=\"mord text\"") || f.contains("class=\"text") {
                    "a formula with \\text".to_string()
                } else {
                    f.to_string()
                }
            })
            .collect(),
    }
}

/// The first cell of every body row of each table whose first header cell is "English".
fn english_column(html: &str) -> Vec<String> {
    static TABLE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?s)<table>.*?</table>").expect("valid regex"));
    static HEAD: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?s)<th(?:\s[^>]*)?>(.*?)</th>").expect("valid regex"));
    static ROW: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?s)<tr>\s*<td(?:\s[^>]*)?>(.*?)</td>").expect("valid regex")
    });
    TABLE
        .find_iter(html)
        .filter(|t| {
            HEAD.captures(t.as_str())
                .is_some_and(|c| c[1].trim() == "English")
        })
        .flat_map(|t| {
            ROW.captures_iter(t.as_str())
                .map(|c| c[1].trim().to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Compares each page of a translated edition (`translated`, inside `english`) with its English
/// page; returns what was compared.
pub fn compare_editions(english: &Path, translated: &Path) -> Result<String> {
    let mut pages = Vec::new();
    collect(english, "html", &mut pages)
        .map_err(|e| format!("reading {}: {e}", english.display()))?;
    pages.retain(|p| !p.starts_with(translated));
    pages.sort();
    let (mut problems, mut counts) = (Vec::new(), (0, 0, 0, 0));
    for page in &pages {
        let name = page.strip_prefix(english).unwrap_or(page);
        let other = translated.join(name);
        let name = name.display().to_string();
        let (Ok(en), Ok(zh)) = (
            std::fs::read_to_string(page),
            std::fs::read_to_string(&other),
        ) else {
            problems.push(format!("{name}: no such page in {}", translated.display()));
            continue;
        };
        let (a, b) = (shared(&en), shared(&zh));
        counts.0 += 1;
        counts.1 += a.code.len();
        counts.2 += a.images.len();
        counts.3 += a.formulas.len();
        if a.formulas.len() != b.formulas.len() {
            problems.push(format!(
                "{name}: {} formulas rendered in English, {} in translation",
                a.formulas.len(),
                b.formulas.len()
            ));
        } else {
            // Chinese word order may move a formula within its sentence: the same formulas,
            // in any order, each rendered the same.
            let (mut x, mut y) = (a.formulas.clone(), b.formulas.clone());
            x.sort();
            y.sort();
            if let Some((x, _)) = x.iter().zip(&y).find(|(x, y)| x != y) {
                problems.push(format!(
                    "{name}: a formula of the English is not rendered the same in translation: {}",
                    tex_of(x)
                ));
            }
        }
        if a.code != b.code {
            let first = a.code.iter().zip(&b.code).find(|(x, y)| x != y);
            problems.push(format!(
                "{name}: code or transcripts differ from the English ({} blocks, {} in translation){}",
                a.code.len(),
                b.code.len(),
                first.map(|(x, _)| format!(", first at {}", snippet(x, 0))).unwrap_or_default()
            ));
        }
        if let Some((x, y)) = a
            .english_column
            .iter()
            .zip(&b.english_column)
            .find(|(x, y)| x != y)
        {
            problems.push(format!(
                "{name}: a cell of a table's English column is translated: {x:?} became {y:?} \
                 (the glossary's English terms stay English: their msgstr is the msgid)"
            ));
        }
        if a.images != b.images {
            problems.push(format!(
                "{name}: the figures differ from the English: {:?} against {:?}",
                a.images, b.images
            ));
        }
    }
    if problems.is_empty() {
        Ok(format!(
            "{} pages with the English's {} code blocks, {} figures and {} formulas",
            counts.0, counts.1, counts.2, counts.3
        ))
    } else {
        Err(format!(
            "the translation differs from the English where it must not:\n  {}",
            problems.join("\n  ")
        ))
    }
}

/// A rendered formula's TeX source (KaTeX keeps it in an annotation), else its first characters.
fn tex_of(formula: &str) -> String {
    const TEX: &str = r#"<annotation encoding="application/x-tex">"#;
    formula
        .split_once(TEX)
        .and_then(|(_, rest)| rest.split_once("</annotation>"))
        .map_or_else(|| snippet(formula, 0), |(tex, _)| tex.trim().to_string())
}

fn snippet(text: &str, at: usize) -> String {
    let start = text.floor_char_boundary(at.saturating_sub(20));
    let end = text.ceil_char_boundary((at + 60).min(text.len()));
    text[start..end].replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"<p>The cost <span class="katex"><span class="katex-mathml"><math><semantics><annotation encoding="application/x-tex">J(\Theta)</annotation></semantics></math></span></span> falls.</p>
<pre><code class="language-rust">fn main() {}</code></pre><script>var x = "$";</script>"#;

    #[test]
    fn a_good_page_passes_and_its_formula_is_counted() {
        assert_eq!(check_page(GOOD), Vec::<String>::new());
        assert_eq!(count_formulas(GOOD), 1);
    }

    #[test]
    fn a_cdn_link_is_caught() {
        let page = format!(
            "<link rel=\"stylesheet\" href=\"https://cdn.jsdelivr.net/npm/katex@0.16.4/dist/katex.min.css\">{GOOD}"
        );
        assert!(check_page(&page)[0].contains("render offline"));
    }

    #[test]
    fn a_leftover_include_is_caught() {
        let page = GOOD.replace("fn main() {}", "{{#include main.rs:setup}}");
        assert!(check_page(&page)[0].contains("did not expand"));
    }

    #[test]
    fn an_empty_listing_is_caught() {
        let page = GOOD.replace("fn main() {}", "\n");
        assert!(check_page(&page)[0].contains("empty code listing"));
    }

    #[test]
    fn a_listing_of_only_hidden_lines_is_caught() {
        let page = GOOD.replace(
            "fn main() {}",
            "<span class=\"boring\">fn main() {\n</span>\n<span class=\"boring\">}</span>",
        );
        assert!(check_page(&page)[0].contains("empty code listing"));
    }

    #[test]
    fn raw_tex_is_caught() {
        for raw in [r"$$J(\theta)$$", r"where $\delta^{(3)}$ is", r"$x \cdot y$"] {
            let page = GOOD.replace("falls.", raw);
            assert_eq!(check_page(&page).len(), 1, "{raw}");
        }
        assert!(check_page(&GOOD.replace("falls.", "costs $5 and $6")).is_empty());
    }

    #[test]
    fn anchors_must_exist_and_enclose_something() {
        let file = "// ANCHOR: full\nlet x = 1;\n// ANCHOR_END: full\n// ANCHOR: empty\n// ANCHOR_END: empty\n";
        assert_eq!(anchor_problem(file, "full"), None);
        assert_eq!(anchor_problem(file, "3:4"), None);
        assert!(
            anchor_problem(file, "empty")
                .unwrap()
                .contains("encloses nothing")
        );
        assert!(
            anchor_problem(file, "missing")
                .unwrap()
                .contains("no `// ANCHOR: missing`")
        );
    }

    #[test]
    fn a_transcript_taken_by_line_numbers_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("output.txt"), "a\nb\nc\n").unwrap();
        std::fs::write(dir.path().join("main.rs"), "a\nb\nc\n").unwrap();
        std::fs::write(dir.path().join("page.md"), "{{#include output.txt:2:3}}\n").unwrap();
        let err = check_includes(dir.path()).unwrap_err();
        assert!(
            err.contains("page.md:1") && err.contains("by line numbers"),
            "{err}"
        );
        std::fs::write(
            dir.path().join("page.md"),
            "{{#include output.txt}}\n<p class=\"listing-caption\">main.rs</p>\n\n```rust\n{{#include main.rs:2:3}}\n```\n",
        )
        .unwrap();
        assert_eq!(check_includes(dir.path()), Ok(2));
        std::fs::write(
            dir.path().join("page.md"),
            "```rust\n{{#include main.rs:2:3}}\n```\n",
        )
        .unwrap();
        assert!(
            check_includes(dir.path())
                .unwrap_err()
                .contains("no caption")
        );
    }

    #[test]
    fn includes_are_checked_against_the_files() {
        let dir = std::env::temp_dir().join(format!("xtask-includes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("main.rs"),
            "// ANCHOR: a\nfn a() {}\n// ANCHOR_END: a\n",
        )
        .unwrap();
        std::fs::write(dir.join("README.md"), "{{#include main.rs:a}}\n").unwrap();
        assert_eq!(check_includes(&dir), Ok(1));
        std::fs::write(
            dir.join("README.md"),
            "{{#include main.rs:b}}\n{{#include gone.txt}}\n",
        )
        .unwrap();
        let err = check_includes(&dir).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            err.contains("main.rs:b") && err.contains("gone.txt"),
            "{err}"
        );
    }

    #[test]
    fn broken_links_and_anchors_are_caught() {
        let dir = std::env::temp_dir().join(format!("xtask-links-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("ch")).unwrap();
        std::fs::write(
            dir.join("ch/index.html"),
            r#"<h2 id="the-cost">x</h2><img src="fig.svg">"#,
        )
        .unwrap();
        std::fs::write(dir.join("ch/fig.svg"), "<svg/>").unwrap();
        std::fs::write(
            dir.join("index.html"),
            r#"<a href="ch/index.html#the-cost">ok</a> <a href="https://example.org">ext</a>"#,
        )
        .unwrap();
        assert_eq!(check_links(&dir), Ok(2));
        std::fs::write(
            dir.join("index.html"),
            r#"<a href="ch/index.html#nope">a</a> <a href="gone.html">b</a>"#,
        )
        .unwrap();
        let err = check_links(&dir).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            err.contains("no id \"nope\"") && err.contains("gone.html: no such file"),
            "{err}"
        );
    }

    #[test]
    fn a_glossarys_english_column_stays_english() {
        let table = |term: &str| {
            format!(
                "<table>\n<thead>\n<tr><th>English</th><th>中文</th></tr>\n</thead>\n<tbody>\n\
                 <tr><td>{term}</td><td>加权和</td></tr>\n</tbody></table>"
            )
        };
        assert_eq!(english_column(&table("weighted sum")), ["weighted sum"]);
        let other = "<table><thead><tr><th>quantity</th></tr></thead><tr><td>x</td></tr></table>";
        assert!(english_column(other).is_empty());
        let dir = tempfile::tempdir().unwrap();
        let (en, zh) = (dir.path(), dir.path().join("zh-CN"));
        std::fs::create_dir_all(&zh).unwrap();
        std::fs::write(en.join("g.html"), table("weighted sum")).unwrap();
        std::fs::write(zh.join("g.html"), table("加权和")).unwrap();
        let err = compare_editions(en, &zh).unwrap_err();
        assert!(err.contains("English column is translated"), "{err}");
    }

    #[test]
    fn a_translation_must_keep_code_figures_and_formulas() {
        let dir = tempfile::tempdir().unwrap();
        let (en, zh) = (dir.path(), dir.path().join("zh-CN"));
        std::fs::create_dir_all(&zh).unwrap();
        let katex = |inner: &str| {
            format!("<span class=\"katex\"><span class=\"mord\">{inner}</span></span>")
        };
        let page = |text: &str, formula: &str, code: &str| {
            format!(
                "<p>{text} {formula} and {}</p><img src=\"fig.svg\"><pre><code>{code}</code></pre>",
                katex("J")
            )
        };
        let text = |t: &str| katex(&format!("<span class=\"mord text\">{t}</span>"));
        std::fs::write(en.join("a.html"), page("The cost", &text("cost"), "x")).unwrap();
        std::fs::write(zh.join("a.html"), page("代价", &text("代价"), "x")).unwrap();
        assert!(compare_editions(en, &zh).unwrap().starts_with("1 pages"));
        // Chinese word order may put the sentence's formulas in another order.
        let swapped = format!(
            "<p>代价 {} 与 {}</p><img src=\"fig.svg\"><pre><code>x</code></pre>",
            katex("J"),
            katex("δ")
        );
        std::fs::write(en.join("a.html"), page("The cost", &katex("δ"), "x")).unwrap();
        std::fs::write(zh.join("a.html"), swapped).unwrap();
        assert!(compare_editions(en, &zh).unwrap().starts_with("1 pages"));
        std::fs::write(zh.join("a.html"), page("代价", &katex("\\delta"), "x")).unwrap();
        assert!(
            compare_editions(en, &zh)
                .unwrap_err()
                .contains("is not rendered the same")
        );
        std::fs::write(zh.join("a.html"), page("代价", "$\\delta$", "x")).unwrap();
        assert!(
            compare_editions(en, &zh)
                .unwrap_err()
                .contains("2 formulas rendered in English, 1")
        );
        std::fs::write(zh.join("a.html"), page("代价", &katex("δ"), "y")).unwrap();
        assert!(
            compare_editions(en, &zh)
                .unwrap_err()
                .contains("code or transcripts")
        );
        std::fs::remove_file(zh.join("a.html")).unwrap();
        assert!(
            compare_editions(en, &zh)
                .unwrap_err()
                .contains("no such page")
        );
    }

    #[test]
    fn only_unexpected_log_lines_are_warnings() {
        let log = "INFO Book building has started\n WARN mdbook-katex: built against mdbook v0.5.3\n WARN Renderer: missing file\n";
        assert_eq!(
            log_warnings(log),
            vec![" WARN Renderer: missing file".to_string()]
        );
    }
}
