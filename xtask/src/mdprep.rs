//! The three small mdBook preprocessors the Chinese edition needs around mdbook-i18n-helpers,
//! run by this same binary (`xtask mdbook-i18n MODE`, wired in by [`crate::i18n`]):
//!
//! - `guard` wraps every KaTeX formula in an inline code span (`$x_1$` becomes `` `$x_1$` ``).
//!   mdbook-gettext parses and re-writes every page as Markdown, and its writer escapes `\`, `_`
//!   and `*` in text: a formula that reaches mdbook-katex after it has `\\begin`, `\_` or `_`
//!   for `*` (mdbook-i18n-helpers #105). A code span is written back byte for byte.
//! - `unguard` turns those code spans back into formulas, after mdbook-gettext and before katex.
//! - `guard` also folds what a program wrote into the page (the speed appendix's tables, between
//!   [`GENERATED_START`] and [`GENERATED_END`]) into one skipped HTML comment, and `unguard`
//!   unfolds it: like a transcript it is output, the same bytes in both editions, and no message.
//! - `extract` guards and empties every code block, for mdbook-xgettext only: the helpers
//!   extract string literals and comments from code, but listings and transcripts must be the
//!   same bytes in both editions, so they are never messages.

use std::io::Read;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use serde_json::Value;

use crate::Result;

/// What a preprocessor run does to each page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    Guard,
    Unguard,
    Extract,
}

impl Mode {
    pub fn parse(name: &str) -> Result<Mode> {
        match name {
            "guard" => Ok(Mode::Guard),
            "unguard" => Ok(Mode::Unguard),
            "extract" => Ok(Mode::Extract),
            other => Err(format!(
                "unknown preprocessor mode {other:?}: expected guard, unguard or extract"
            )),
        }
    }

    fn apply(self, page: &str) -> Result<String> {
        match self {
            Mode::Guard => guard(page),
            Mode::Unguard => unfold_generated(&unguard_math(page)),
            Mode::Extract => guard(page).map(|g| empty_code_blocks(&g)),
        }
    }
}

/// The preprocessor protocol: `supports RENDERER` answers yes; otherwise `[context, book]` JSON
/// on stdin, the book with every chapter's content rewritten on stdout.
pub fn run(mode: Mode, args: &[String]) -> Result {
    if args.first().is_some_and(|a| a == "supports") {
        return Ok(());
    }
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| format!("reading the book from mdbook: {e}"))?;
    let mut pair: Value =
        serde_json::from_str(&input).map_err(|e| format!("mdbook sent no JSON: {e}"))?;
    let book = pair
        .get_mut(1)
        .ok_or("mdbook sent no book after the context")?;
    rewrite_chapters(book, mode)?;
    serde_json::to_writer(std::io::stdout(), book).map_err(|e| format!("writing the book: {e}"))
}

/// Applies `mode` to the `content` of every chapter, at any depth.
fn rewrite_chapters(value: &mut Value, mode: Mode) -> Result {
    match value {
        Value::Object(map) => {
            if let Some(chapter) = map.get_mut("Chapter") {
                let name = chapter["name"].as_str().unwrap_or("?").to_string();
                if let Some(Value::String(content)) = chapter.get_mut("content") {
                    *content = mode
                        .apply(content)
                        .map_err(|e| format!("chapter {name:?}: {e}"))?;
                }
            }
            for v in map.values_mut() {
                rewrite_chapters(v, mode)?;
            }
        }
        Value::Array(items) => {
            for v in items {
                rewrite_chapters(v, mode)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The first line of a file `cargo xtask bench` writes into chapters/generated/.
pub const GENERATED_START: &str =
    "<!-- Written by `cargo xtask bench`; do not edit: run it again instead. -->";
/// The last line of such a file.
pub const GENERATED_END: &str = "<!-- End of what `cargo xtask bench` wrote. -->";
/// What a generated region becomes between guard and unguard: its bytes in hex, in a comment
/// that mdbook-gettext is told to skip.
const FOLDED: &str = "<!-- generated output, folded: ";
/// mdbook-i18n-helpers' directive: the next group is not a message.
const SKIP: &str = "<!-- i18n:skip -->";

/// Replaces each generated region with a skipped comment holding its bytes, so that neither
/// mdbook-xgettext nor mdbook-gettext sees (or rewrites) its text.
fn fold_generated(page: &str) -> Result<String> {
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(start) = rest.find(GENERATED_START) {
        let Some(len) = rest[start..].find(GENERATED_END) else {
            return Err(format!(
                "generated output starts ({GENERATED_START}) but never ends ({GENERATED_END}): \
                 run `cargo xtask bench` again"
            ));
        };
        let end = start + len + GENERATED_END.len();
        let hex: String = rest[start..end]
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect();
        out.push_str(&rest[..start]);
        out.push_str(&format!("{SKIP}\n\n{FOLDED}{hex} -->"));
        rest = &rest[end..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Undoes [`fold_generated`]: each folded comment, with the skip directive just before it, becomes
/// the bytes it holds.
fn unfold_generated(page: &str) -> Result<String> {
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(start) = rest.find(FOLDED) {
        let hex_start = start + FOLDED.len();
        let hex = rest[hex_start..]
            .split_once(" -->")
            .map(|(hex, _)| hex)
            .ok_or("a folded region of generated output has no end")?;
        let text = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or("a folded region of generated output is not the hex of UTF-8 text")?;
        let before = rest[..start].trim_end();
        out.push_str(before.strip_suffix(SKIP).unwrap_or(&rest[..start]));
        out.push_str(&text);
        rest = &rest[hex_start + hex.len() + " -->".len()..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Everything the guard does: formulas into code spans ([`guard_math`]), and two shapes the
/// helpers would otherwise miss or break, outside code fences: a one-line
/// `<summary>text</summary>` (an HTML block, never extracted) gets its text on lines of its own,
/// and an admonition's `> [!NOTE]` marker becomes a code span in a paragraph of its own
/// (mdBook sees the marker only alone on its line, and mdbook-gettext would write `\[!NOTE\]`).
pub fn guard(page: &str) -> Result<String> {
    static SUMMARY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(\s*)<summary>(.+)</summary>\s*$").expect("valid regex")
    });
    static ALERT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(\s*>\s*)\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*$")
            .expect("valid regex")
    });
    let math = guard_math(&fold_generated(page)?)?;
    let mut out = String::with_capacity(math.len());
    let mut fence: Option<String> = None;
    for line in math.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let ticks: String = trimmed.chars().take_while(|&c| c == '`').collect();
        if let Some(open) = &fence {
            if ticks.len() >= open.len() && trimmed.trim_end() == ticks {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if ticks.len() >= 3 {
            fence = Some(ticks);
            out.push_str(line);
        } else if let Some(c) = SUMMARY.captures(line.trim_end_matches('\n')) {
            out.push_str(&format!(
                "{0}<summary>\n\n{1}\n\n{0}</summary>\n",
                &c[1], &c[2]
            ));
        } else if let Some(c) = ALERT.captures(line.trim_end_matches('\n')) {
            // As a code span the marker is no message to translate, and comes back unescaped.
            out.push_str(&format!("{}`[!{}]`\n{}\n", &c[1], &c[2], c[1].trim_end()));
        } else {
            out.push_str(line);
        }
    }
    Ok(out)
}

/// Wraps each formula in a code span, finding formulas as mdbook-katex does: `$$...$$` and
/// `$...$`, not inside backtick code (spans or fences), `\$` a literal dollar. Line breaks
/// inside a formula become spaces (a code span would do the same, and a TeX line that starts
/// with `-` or `=` must not become Markdown). Refuses what would not come back unchanged.
pub fn guard_math(page: &str) -> Result<String> {
    let bytes = page.as_bytes();
    let mut out = String::with_capacity(page.len() + page.len() / 8);
    let (mut i, mut copied) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            // A literal dollar: as text mdbook-gettext would write it back bare, and KaTeX would
            // take it for a formula's start.
            b'\\' if bytes.get(i + 1) == Some(&b'$') => {
                out.push_str(&page[copied..i]);
                out.push_str("`\\$`");
                i += 2;
                copied = i;
            }
            b'\\' => i += 2,
            b'`' => {
                let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                let fence = "`".repeat(run);
                let after = i + run;
                // The matching run of exactly as many backticks closes it.
                let mut j = after;
                let close = loop {
                    match page[j..].find(&fence) {
                        None => break None,
                        Some(k) => {
                            let at = j + k;
                            let len = bytes[at..].iter().take_while(|&&b| b == b'`').count();
                            if len == run {
                                break Some(at);
                            }
                            j = at + len;
                        }
                    }
                };
                let Some(close) = close else {
                    i = after;
                    continue;
                };
                let inner = page[after..close].trim();
                if run < 3 && (is_guarded(inner) || is_guarded_dollar(inner)) {
                    return Err(format!(
                        "the code span {} looks like a guarded formula and would be rendered as one \
                         in the Chinese edition: write it without the `$` at both ends",
                        &page[i..close + run]
                    ));
                }
                i = close + run;
            }
            b'$' => {
                let delim = if bytes.get(i + 1) == Some(&b'$') {
                    "$$"
                } else {
                    "$"
                };
                let start = i + delim.len();
                let Some(end) = closing(page, start, delim) else {
                    // mdbook-katex leaves an unclosed `$` as text.
                    break;
                };
                let tex = &page[start..end];
                if has_blank_line(tex) {
                    return Err(format!(
                        "a formula spans a blank line: {delim}{}",
                        tex.chars().take(60).collect::<String>()
                    ));
                }
                if percent_comment(tex) {
                    return Err(format!(
                        "a formula has a TeX comment (%), which would swallow the rest once its \
                         lines are joined: write \\% for a percent sign: {delim}{}",
                        tex.chars().take(60).collect::<String>()
                    ));
                }
                let math = format!("{delim}{}{delim}", tex.replace('\n', " "));
                let ticks = "`".repeat(longest_backtick_run(&math) + 1);
                out.push_str(&page[copied..i]);
                out.push_str(&ticks);
                out.push_str(&math);
                out.push_str(&ticks);
                i = end + delim.len();
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&page[copied.min(page.len())..]);
    Ok(out)
}

/// Where the unescaped `delim` that closes a formula begins, searching from `from`.
fn closing(page: &str, from: usize, delim: &str) -> Option<usize> {
    let bytes = page.as_bytes();
    let mut at = from;
    loop {
        let k = at + page[at..].find(delim)?;
        let backslashes = bytes[..k].iter().rev().take_while(|&&b| b == b'\\').count();
        if backslashes % 2 == 0 {
            return Some(k);
        }
        at = k + delim.len();
    }
}

/// Whether a blank line (a paragraph break) lies inside a formula.
fn has_blank_line(tex: &str) -> bool {
    let parts: Vec<&str> = tex.split('\n').collect();
    parts.len() > 2
        && parts[1..parts.len() - 1]
            .iter()
            .any(|l| l.trim().is_empty())
}

/// Whether TeX holds an unescaped `%`.
fn percent_comment(tex: &str) -> bool {
    let bytes = tex.as_bytes();
    (0..bytes.len()).any(|k| {
        bytes[k] == b'%' && bytes[..k].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 0
    })
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// Whether an inline code span's text is a guarded formula.
pub fn is_guarded(code: &str) -> bool {
    code.len() >= 2 && code.starts_with('$') && code.ends_with('$')
}

/// Whether an inline code span's text is a guarded literal dollar (`\$`).
fn is_guarded_dollar(code: &str) -> bool {
    code == "\\$"
        || code
            .strip_prefix("[!")
            .and_then(|c| c.strip_suffix(']'))
            .is_some_and(|k| ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"].contains(&k))
}

/// Turns each code span that holds a formula back into the formula, wherever mdbook-gettext's
/// writer put it (it may have changed the number of backticks, never the text).
pub fn unguard_math(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut copied = 0;
    for (event, range) in parser(page).into_offset_iter() {
        if let Event::Code(code) = event
            && (is_guarded(&code) || is_guarded_dollar(&code))
            && range.start >= copied
        {
            out.push_str(&page[copied..range.start]);
            out.push_str(&code);
            copied = range.end;
        }
    }
    out.push_str(&page[copied..]);
    // The admonition marker's own paragraph joins the text again, first in its quote as mdBook
    // wants it (mdbook-gettext's writer opens a quote with an empty `>` line).
    static ALERT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?m)^(?:[ \t]*>[ \t]*\n)?([ \t]*>[ \t]*)\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*\n[ \t]*>[ \t]*\n",
        )
        .expect("valid regex")
    });
    ALERT.replace_all(&out, "$1[!$2]\n").into_owned()
}

/// Empties every code block, fences and line count kept, so nothing in it becomes a message
/// while the blocks around it are extracted exactly as mdbook-gettext will see them.
pub fn empty_code_blocks(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut copied = 0;
    let mut in_code = false;
    for (event, range) in parser(page).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                if matches!(kind, CodeBlockKind::Indented) {
                    // An indented block has no fence to keep: blank it whole.
                    out.push_str(&page[copied..range.start]);
                    out.push_str(&"\n".repeat(page[range.clone()].matches('\n').count()));
                    copied = range.end;
                }
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) if in_code && range.start >= copied => {
                out.push_str(&page[copied..range.start]);
                out.push_str(&"\n".repeat(page[range.clone()].matches('\n').count()));
                copied = range.end;
            }
            _ => {}
        }
    }
    out.push_str(&page[copied..]);
    out
}

/// A Markdown parser with the extensions mdbook-i18n-helpers enables.
pub fn parser(text: &str) -> Parser<'_> {
    use pulldown_cmark::Options;
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_OLD_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    Parser::new_ext(text, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_output_is_folded_and_comes_back() {
        let page = format!(
            "Before $x$.\n\n{GENERATED_START}\n\n| a | b $y$ |\n| --- | --- |\n| 1 ms | met |\n\n\
             Words_with *stars*.\n\n{GENERATED_END}\n\nAfter.\n"
        );
        let guarded = guard(&page).unwrap();
        // The table and its words are gone from what the helpers see; the formula outside is
        // guarded as usual.
        assert!(
            !guarded.contains("| a |") && !guarded.contains("Words"),
            "{guarded}"
        );
        assert!(guarded.contains("<!-- i18n:skip -->") && guarded.contains("`$x$`"));
        assert_eq!(Mode::Unguard.apply(&guarded).unwrap(), page);
        assert!(unfold_generated(&format!("{FOLDED}zz -->")).is_err());
        let cut = format!("{GENERATED_START}\n| a |\n");
        assert!(guard(&cut).unwrap_err().contains("never ends"));
    }

    #[test]
    fn formulas_are_guarded_and_come_back() {
        let page = "The cost $J(\\Theta)$ and\n\n$$\n\\begin{aligned}\na_1 &= x * y \\\\\n- b\n\\end{aligned}\n$$\n\ncosts \\$5; `$HOME` and\n```sh\necho $PATH $x$\n```\n";
        let guarded = guard_math(page).unwrap();
        assert_eq!(
            guarded,
            "The cost `$J(\\Theta)$` and\n\n`$$ \\begin{aligned} a_1 &= x * y \\\\ - b \\end{aligned} $$`\n\ncosts `\\$`5; `$HOME` and\n```sh\necho $PATH $x$\n```\n"
        );
        let back = unguard_math(&guarded);
        assert_eq!(
            back,
            "The cost $J(\\Theta)$ and\n\n$$ \\begin{aligned} a_1 &= x * y \\\\ - b \\end{aligned} $$\n\ncosts \\$5; `$HOME` and\n```sh\necho $PATH $x$\n```\n"
        );
    }

    #[test]
    fn summaries_and_admonition_markers_get_lines_of_their_own() {
        let page = "<details>\n<summary>A solution</summary>\n\n> [!NOTE]\n> **Errata.** Text.\n\n```md\n<summary>x</summary>\n```\n";
        assert_eq!(
            guard(page).unwrap(),
            "<details>\n<summary>\n\nA solution\n\n</summary>\n\n> `[!NOTE]`\n>\n> **Errata.** Text.\n\n```md\n<summary>x</summary>\n```\n"
        );
        let back = unguard_math(&guard(page).unwrap());
        let written = " > \n > `[!NOTE]`\n > \n > **Errata.** Text.\n";
        assert_eq!(unguard_math(written), " > [!NOTE]\n > **Errata.** Text.\n");
        assert!(back.contains("> [!NOTE]\n> **Errata.**"), "{back}");
    }

    #[test]
    fn a_literal_dollar_is_guarded_too() {
        let guarded = guard_math("costs \\$5 and $x$").unwrap();
        assert_eq!(guarded, "costs `\\$`5 and `$x$`");
        assert_eq!(unguard_math(&guarded), "costs \\$5 and $x$");
    }

    #[test]
    fn a_formula_with_a_backtick_gets_a_longer_fence() {
        let guarded = guard_math("see $a`b$ here").unwrap();
        assert_eq!(guarded, "see ``$a`b$`` here");
        assert_eq!(unguard_math(&guarded), "see $a`b$ here");
    }

    #[test]
    fn what_would_not_come_back_is_refused() {
        assert!(
            guard_math("a `$x$` span")
                .unwrap_err()
                .contains("looks like")
        );
        assert!(guard_math("$$ a % note\n b $$").unwrap_err().contains("%"));
        assert!(guard_math("$$ 5\\% $$").is_ok());
    }

    #[test]
    fn code_blocks_are_emptied_keeping_their_lines() {
        let page = "Text \"quoted\".\n\n```rust\n// a comment\nlet s = \"str\";\n```\n\n    indented // code\n\n- item\n\n  ```text\n  out \"x\"\n  ```\n\nEnd.\n";
        let empty = empty_code_blocks(page);
        assert_eq!(page.lines().count(), empty.lines().count());
        assert!(!empty.contains("comment") && !empty.contains("str") && !empty.contains("out"));
        assert!(!empty.contains("indented"));
        assert!(
            empty.contains("Text \"quoted\".")
                && empty.contains("- item")
                && empty.contains("End.")
        );
        assert!(empty.contains("```rust\n\n\n```"));
    }
}
