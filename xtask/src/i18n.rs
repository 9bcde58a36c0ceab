//! The Chinese edition: gettext messages (`po/zh-CN.po`) over the same pages, through
//! mdbook-i18n-helpers. English stays where it always was (`book/`), the translation is built
//! into `book/zh-CN/`, so every existing path and link keeps working.
//!
//! Preprocessor order for the translation: links ({{#include}}) → i18n-guard (formulas into code
//! spans, see [`crate::mdprep`]) → gettext → i18n-unguard → katex. Extraction (`cargo xtask i18n`)
//! runs links → i18n-extract (guard, and code blocks emptied) → the xgettext renderer. All of it
//! is set through mdBook's `MDBOOK_*` environment overrides, so `book.toml` and the English
//! build are as they were.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::LazyLock;

use polib::catalog::Catalog;
use polib::message::{Message, MessageView};
use pulldown_cmark::{Event, Tag, TagEnd};
use regex::Regex;

use crate::Result;
use crate::browser::Ready;
use crate::tools::Tools;

/// The translated editions: language code (book.language, the PO file's name, the folder in
/// book/) and what its link in the other edition says.
pub const EDITIONS: &[(&str, &str)] = &[("zh-CN", "中文版")];

/// What the Chinese edition's pages say to link back to the English one.
const ENGLISH_LINK: &str = "English edition";

/// The message that carries the book's title (book.toml, not a page).
const TITLE_SOURCE: &str = "book.toml";

pub fn po_file(root: &Path, lang: &str) -> PathBuf {
    root.join("po").join(format!("{lang}.po"))
}

/// The folder an edition is built into, under the book's root.
pub fn edition_dir(root: &Path, lang: Option<&str>) -> PathBuf {
    match lang {
        None => root.join("book"),
        Some(lang) => root.join("book").join(lang),
    }
}

/// The editions to build: English, and each translation whose PO file exists.
pub fn present_editions(root: &Path) -> Vec<&'static str> {
    EDITIONS
        .iter()
        .map(|(lang, _)| *lang)
        .filter(|lang| po_file(root, lang).is_file())
        .collect()
}

/// This binary as an mdBook preprocessor command (`xtask mdbook-i18n MODE`).
fn preprocessor(mode: &str) -> Result<String> {
    let exe = std::env::current_exe().map_err(|e| format!("finding xtask's binary: {e}"))?;
    let exe = exe.display().to_string();
    if exe.contains(['"', '\'', ' ']) {
        return Err(format!(
            "xtask's binary lies at {exe:?}, whose quotes or spaces mdBook cannot run"
        ));
    }
    Ok(format!("{exe} mdbook-i18n {mode}"))
}

fn json(value: serde_json::Value) -> String {
    value.to_string()
}

/// `mdbook build` for one edition in `root` (the folder with book.toml), returning its log.
pub fn mdbook_build(tools: &Tools, root: &Path, lang: Option<&str>) -> Result<String> {
    build_with(tools, root, lang, true)
}

/// The translation built without the formula guard, to show what it prevents.
pub fn mdbook_build_unguarded(tools: &Tools, root: &Path, lang: &str) -> Result<String> {
    build_with(tools, root, Some(lang), false)
}

/// The variables that make an mdbook command (build or serve) the `lang` edition: its language,
/// build folder and site URL, the gettext preprocessor after `links`, the formula guards around it
/// (unless `guard` is false, for the fixture's proof that they are needed), and the translated title.
pub fn configure(cmd: &mut Command, root: &Path, lang: &str, guard: bool) -> Result {
    let po = po_file(root, lang);
    let catalog = read_po(&po)?;
    cmd.env("MDBOOK_BOOK__LANGUAGE", lang)
        .env("MDBOOK_BUILD__BUILD_DIR", format!("book/{lang}"))
        .env("MDBOOK_OUTPUT__HTML__SITE_URL", format!("/{lang}/"))
        .env(
            "MDBOOK_PREPROCESSOR__GETTEXT",
            json(serde_json::json!({"after": ["links"], "before": ["katex"]})),
        );
    if guard {
        cmd.env(
                "MDBOOK_PREPROCESSOR__I18N_GUARD",
                json(serde_json::json!({
                    "command": preprocessor("guard")?, "after": ["links"], "before": ["gettext"]})),
            )
            .env(
                "MDBOOK_PREPROCESSOR__I18N_UNGUARD",
                json(serde_json::json!({
                    "command": preprocessor("unguard")?, "after": ["gettext"], "before": ["katex"]})),
            );
    }
    if let Some(title) = catalog
        .messages()
        .find(|m| m.source().contains(TITLE_SOURCE) && m.is_translated() && !m.is_fuzzy())
    {
        cmd.env("MDBOOK_BOOK__TITLE", title.msgstr().unwrap_or_default());
    }
    Ok(())
}

fn build_with(tools: &Tools, root: &Path, lang: Option<&str>, guard: bool) -> Result<String> {
    let mut cmd = tools.mdbook();
    cmd.arg("build").current_dir(root).stdin(Stdio::null());
    if let Some(lang) = lang {
        configure(&mut cmd, root, lang, guard)?;
    }
    let out = cmd.output().map_err(|e| format!("mdbook build: {e}"))?;
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if !out.status.success() {
        return Err(format!(
            "mdbook build{} failed ({}):\n{log}",
            lang.map(|l| format!(" --lang {l}")).unwrap_or_default(),
            out.status
        ));
    }
    Ok(log)
}

/// Extracts every message of the book in `root` into `dir/messages.pot` with mdbook-xgettext
/// (code blocks skipped, formulas guarded, references without line numbers so a PO file does
/// not change when a page grows), plus the book's title.
pub fn xgettext(tools: &Tools, root: &Path, dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let out = tools
        .mdbook()
        .arg("build")
        .arg("--dest-dir")
        .arg(dir)
        .current_dir(root)
        .stdin(Stdio::null())
        .env(
            "MDBOOK_OUTPUT",
            json(serde_json::json!({"xgettext": {"granularity": 0}})),
        )
        .env(
            "MDBOOK_PREPROCESSOR__I18N_EXTRACT",
            json(serde_json::json!({"command": preprocessor("extract")?, "after": ["links"]})),
        )
        .output()
        .map_err(|e| format!("mdbook-xgettext: {e}"))?;
    let log = String::from_utf8_lossy(&out.stderr);
    let warnings = crate::html::log_warnings(&log);
    if !out.status.success() || !warnings.is_empty() {
        return Err(format!(
            "extracting the messages failed ({}):\n{log}",
            out.status
        ));
    }
    let pot = dir.join("messages.pot");
    let mut catalog = read_po(&pot)?;
    let title = book_title(root)?;
    catalog.append_or_update(
        Message::build_singular()
            .with_source(TITLE_SOURCE.to_string())
            .with_comments("The book's title (book.toml).".to_string())
            .with_msgid(title)
            .done(),
    );
    polib::po_file::write(&catalog, &pot).map_err(|e| format!("writing {}: {e}", pot.display()))?;
    Ok(pot)
}

fn book_title(root: &Path) -> Result<String> {
    let toml = std::fs::read_to_string(root.join("book.toml"))
        .map_err(|e| format!("reading book.toml: {e}"))?;
    static TITLE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(?m)^title\s*=\s*"([^"]*)""#).expect("valid regex"));
    TITLE
        .captures(&toml)
        .map(|c| c[1].to_string())
        .ok_or_else(|| "book.toml has no title".to_string())
}

/// Reads a PO file as mdbook-gettext does (polib), which panics on a header without one of the
/// fields gettext writes: that becomes an error naming them.
pub fn read_po(path: &Path) -> Result<Catalog> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let parsed = std::panic::catch_unwind(|| polib::po_file::parse(path));
    std::panic::set_hook(hook);
    match parsed {
        Ok(catalog) => catalog.map_err(|e| format!("reading {}: {e}", path.display())),
        Err(_) => Err(format!(
            "{}: its header lacks a field that mdbook-gettext's PO reader requires \
             (Project-Id-Version, POT-Creation-Date, PO-Revision-Date, Language-Team, \
             MIME-Version, Content-Type, Content-Transfer-Encoding, Language)",
            path.display()
        )),
    }
}

/// The pages (source files) a message comes from, as the PO file's `#:` lines name them.
fn pages_of(message: &dyn MessageView) -> Vec<String> {
    message
        .source()
        .split_whitespace()
        .map(|s| s.rsplit_once(':').map_or(s, |(p, _)| p).to_string())
        .collect()
}

fn short(msgid: &str) -> String {
    let line: String = msgid.replace('\n', " ");
    if line.chars().count() > 70 {
        format!("{}…", line.chars().take(70).collect::<String>())
    } else {
        line
    }
}

/// How a translation stands against the English it translates.
#[derive(Debug, Default)]
pub struct Status {
    pub messages: usize,
    pub words: usize,
    pub untranslated: Vec<String>,
    pub fuzzy: Vec<String>,
    pub formula_problems: Vec<String>,
}

impl Status {
    pub fn problems(&self, lang: &str) -> Vec<String> {
        let mut problems = Vec::new();
        let list = |ids: &[String]| {
            ids.iter()
                .take(5)
                .map(|id| format!("\n      {:?}", short(id)))
                .collect::<String>()
        };
        if !self.untranslated.is_empty() {
            problems.push(format!(
                "{} of {} messages have no {lang} translation in po/{lang}.po (changed English \
                 text is a new message: run `cargo xtask i18n`, then translate), the first:{}",
                self.untranslated.len(),
                self.messages,
                list(&self.untranslated)
            ));
        }
        if !self.fuzzy.is_empty() {
            problems.push(format!(
                "{} messages of po/{lang}.po are fuzzy (their English changed: check the \
                 translation, then remove the `#, fuzzy` line), the first:{}",
                self.fuzzy.len(),
                list(&self.fuzzy)
            ));
        }
        problems.extend(self.formula_problems.iter().cloned());
        problems
    }
}

/// Compares a translation with the messages the English has now: every message must be
/// translated and not fuzzy, and keep its formulas as guarded code spans.
pub fn status(pot: &Catalog, po: &Catalog) -> Status {
    let translations: BTreeMap<(&str, &str), &dyn MessageView> = po
        .messages()
        .map(|m| ((m.msgctxt(), m.msgid()), m))
        .collect();
    let mut status = Status::default();
    for message in pot.messages() {
        status.messages += 1;
        let msgid = message.msgid();
        match translations.get(&(message.msgctxt(), msgid)) {
            Some(t) if t.is_fuzzy() => status.fuzzy.push(msgid.to_string()),
            Some(t) if t.is_translated() => {
                let msgstr = t.msgstr().unwrap_or_default();
                status
                    .formula_problems
                    .extend(formula_problem(msgid, msgstr));
                status
                    .formula_problems
                    .extend(number_problem(msgid, msgstr));
            }
            _ => {
                status.words += prose_words(msgid);
                status.untranslated.push(msgid.to_string());
            }
        }
    }
    status
}

/// The formulas of a message: its guarded code spans (`` `$...$` ``).
fn formulas(text: &str) -> Vec<String> {
    crate::mdprep::parser(text)
        .filter_map(|e| match e {
            Event::Code(code) if crate::mdprep::is_guarded(&code) => Some(code.to_string()),
            _ => None,
        })
        .collect()
}

/// A translation must carry as many formulas as its English, each still a code span: a bare
/// `$...$` in a msgstr is re-escaped by mdbook-gettext and renders wrong.
fn formula_problem(msgid: &str, msgstr: &str) -> Option<String> {
    let (en, zh) = (formulas(msgid), formulas(msgstr));
    let bare =
        crate::mdprep::parser(msgstr).any(|e| matches!(e, Event::Text(t) if t.contains('$')));
    if bare {
        return Some(format!(
            "a translation has a formula outside backticks (write `$...$` as the English does): {:?}",
            short(msgstr)
        ));
    }
    (en.len() != zh.len()).then(|| {
        format!(
            "a translation has {} formulas where its English has {}: {:?}",
            zh.len(),
            en.len(),
            short(msgid)
        )
    })
}

/// The numbers a message's prose quotes, as the English pages' prose-number check counts them:
/// decimals with three or more digits, percentages with decimals, integers of two or more
/// digits (thousands separators ignored). Formulas and code are not prose.
fn quoted_numbers(text: &str) -> Vec<String> {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[^A-Za-z0-9._^{])(\d+(?:,\d{3})*(?:\.\d+)?%?)").expect("valid regex")
    });
    NUMBER
        .captures_iter(&prose(text))
        .map(|c| c[1].replace(',', ""))
        .filter(|n| {
            let percent = n.ends_with('%');
            let digits = n.trim_end_matches('%');
            let decimals = digits.split_once('.').map_or(0, |(_, d)| d.len());
            decimals >= 3 || (percent && decimals > 0) || (decimals == 0 && digits.len() >= 2)
        })
        .collect()
}

/// A translation may quote only numbers its English quotes: the English passes the
/// prose-number check against the transcripts, so the Chinese then passes it too.
fn number_problem(msgid: &str, msgstr: &str) -> Option<String> {
    let mut english = quoted_numbers(msgid);
    let extra: Vec<String> = quoted_numbers(msgstr)
        .into_iter()
        .filter(|n| match english.iter().position(|e| e == n) {
            Some(i) => {
                english.swap_remove(i);
                false
            }
            None => true,
        })
        .collect();
    (!extra.is_empty()).then(|| {
        format!(
            "a translation quotes {} where its English does not: {:?}",
            extra.join(", "),
            short(msgid)
        )
    })
}

/// Words a translator has to translate in a message: outside formulas, code and tags.
fn prose_words(msgid: &str) -> usize {
    prose(msgid)
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count()
}

/// A message's text without code spans (formulas among them), HTML tags, link targets and
/// paths: what is left for a translator.
fn prose(msgid: &str) -> String {
    static PATH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\S*[/.]\S*\.(rs|txt|md|py|svg|png|toml)\b|\S+/\S+").expect("valid regex")
    });
    let mut text = String::new();
    let mut in_code_html = 0usize;
    for event in crate::mdprep::parser(msgid) {
        match event {
            Event::Text(t) if in_code_html == 0 => {
                text.push_str(&t);
                text.push(' ');
            }
            Event::InlineHtml(h) | Event::Html(h) => {
                if h.starts_with("<code") {
                    in_code_html += 1;
                } else if h.starts_with("</code") {
                    in_code_html = in_code_html.saturating_sub(1);
                }
            }
            _ => {}
        }
    }
    PATH.replace_all(&text, " ").into_owned()
}

/// Whether a message has nothing to translate (a formula alone, a listing's caption of a file
/// and an item, a number): `cargo xtask i18n` copies those as they are.
fn nothing_to_translate(msgid: &str) -> bool {
    static TEXT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\\(text|mathrm|textrm)\{[^}]*[A-Za-z]{2}").expect("valid regex")
    });
    !prose(msgid).chars().any(char::is_alphabetic) && !TEXT.is_match(msgid)
}

/// `cargo xtask i18n`: regenerates po/messages.pot from the English and merges it into each
/// po/LANG.po with msgmerge (a new PO file is started when there is none). Messages with nothing
/// to translate are filled in through a compendium; everything else is left to the translator.
pub fn update(tools: &Tools, root: &Path) -> Result {
    let po_dir = root.join("po");
    let pot_path = xgettext(tools, root, &po_dir)?;
    let pot = read_po(&pot_path)?;
    let msgmerge = ensure_msgmerge()?;
    let mut metadata = polib::metadata::CatalogMetadata::new();
    metadata.language = "en".to_string();
    metadata.mime_version = "1.0".to_string();
    metadata.content_type = "text/plain; charset=UTF-8".to_string();
    metadata.content_transfer_encoding = "8bit".to_string();
    let mut compendium = Catalog::new(metadata);
    for m in pot.messages().filter(|m| nothing_to_translate(m.msgid())) {
        compendium.append_or_update(
            Message::build_singular()
                .with_msgid(m.msgid().to_string())
                .with_msgstr(m.msgid().to_string())
                .done(),
        );
    }
    let scratch = root.join("target/i18n");
    std::fs::create_dir_all(&scratch)
        .map_err(|e| format!("creating {}: {e}", scratch.display()))?;
    let compendium_path = scratch.join("nothing-to-translate.po");
    polib::po_file::write(&compendium, &compendium_path)
        .map_err(|e| format!("writing {}: {e}", compendium_path.display()))?;
    for (lang, _) in EDITIONS {
        let po = po_file(root, lang);
        if !po.is_file() {
            std::fs::write(&po, new_po_header(lang))
                .map_err(|e| format!("writing {}: {e}", po.display()))?;
            println!(
                "started {} (the {lang} edition is built and checked from now on)",
                po.display()
            );
        }
        // First the usual merge (an old translation whose English changed comes back fuzzy,
        // with its previous English); then, without fuzzy matching, the messages with nothing
        // to translate from the compendium, so none of those is a guess.
        for pass in [
            &["--previous"][..],
            &["--no-fuzzy-matching", "--compendium"][..],
        ] {
            let mut cmd = Command::new(&msgmerge);
            cmd.args(["--update", "--backup=none", "--quiet", "--lang"])
                .arg(lang.replace('-', "_"))
                .args(pass);
            if pass.contains(&"--compendium") {
                cmd.arg(&compendium_path);
            }
            let status = cmd
                .arg(&po)
                .arg(&pot_path)
                .status()
                .map_err(|e| format!("msgmerge: {e}"))?;
            if !status.success() {
                return Err(format!("msgmerge {} failed ({status})", po.display()));
            }
        }
        let now = status_of(&pot, &read_po(&po)?);
        println!(
            "{}: {} messages, {} translated, {} fuzzy, {} untranslated ({} words of prose to translate)",
            po.display(),
            now.messages,
            now.messages - now.untranslated.len() - now.fuzzy.len(),
            now.fuzzy.len(),
            now.untranslated.len(),
            now.words
        );
    }
    println!(
        "{} messages in {} ({} with nothing to translate, copied)",
        pot.messages().count(),
        pot_path.display(),
        compendium.messages().count()
    );
    Ok(())
}

fn status_of(pot: &Catalog, po: &Catalog) -> Status {
    status(pot, po)
}

fn new_po_header(lang: &str) -> String {
    format!(
        "msgid \"\"\nmsgstr \"\"\n\"Project-Id-Version: backprop-book\\n\"\n\"POT-Creation-Date: \\n\"\n\
         \"PO-Revision-Date: \\n\"\n\"Last-Translator: \\n\"\n\"Language-Team: {lang}\\n\"\n\"Language: {lang}\\n\"\n\
         \"MIME-Version: 1.0\\n\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\
         \"Content-Transfer-Encoding: 8bit\\n\"\n\"Plural-Forms: nplurals=1; plural=0;\\n\"\n"
    )
}

/// msgmerge, from Debian's gettext: installed with apt-get as root when missing.
fn ensure_msgmerge() -> Result<PathBuf> {
    match crate::browser::debian_package(
        "gettext",
        "msgmerge is not installed, and apt-get needs root: install Debian's gettext \
         (sudo apt-get install gettext), then run `cargo xtask i18n` again",
        "msgmerge is still missing after apt-get installed gettext",
        || {
            Command::new("msgmerge")
                .arg("--version")
                .output()
                .is_ok()
                .then(|| PathBuf::from("msgmerge"))
        },
    )? {
        Ready::Yes(msgmerge) => Ok(msgmerge),
        Ready::No(why) => Err(why),
    }
}

/// The completeness check for `lang` (part of `cargo xtask test`): not ready while the PO file
/// does not exist; once it does, every message the English has now must be translated, none
/// fuzzy, formulas kept, and the glossary's terms used. Needs no gettext tools.
pub fn check(tools: &Tools, root: &Path, lang: &str) -> Result<Ready<String>> {
    let po_path = po_file(root, lang);
    if !po_path.is_file() {
        return Ok(Ready::No(format!(
            "po/{lang}.po does not exist yet, so the {lang} edition is neither built nor \
             enforced: `cargo xtask i18n` starts it"
        )));
    }
    let scratch = tempfile_dir("xgettext")?;
    let pot = read_po(&xgettext(tools, root, &scratch)?);
    let _ = std::fs::remove_dir_all(&scratch);
    let pot = pot?;
    let po = read_po(&po_path)?;
    let now = status(&pot, &po);
    let mut problems = now.problems(lang);
    let glossary = root.join("chapters/appendix-glossary.md");
    let pairs = if glossary.is_file() {
        glossary_pairs(
            &std::fs::read_to_string(&glossary)
                .map_err(|e| format!("reading {}: {e}", glossary.display()))?,
        )
    } else {
        Vec::new()
    };
    problems.extend(check_glossary(&po, &pairs));
    if !problems.is_empty() {
        return Err(format!(
            "the {lang} edition is behind the English:\n  {}",
            problems.join("\n  ")
        ));
    }
    Ok(Ready::Yes(format!(
        "po/{lang}.po: all {} messages translated, none fuzzy, formulas kept; {} glossary pairs \
         used consistently",
        now.messages,
        pairs.len()
    )))
}

pub fn tempfile_dir(what: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "backprop-book-{what}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    Ok(dir)
}

/// One row of the glossary: the English terms and the Chinese ones. Where both cells list the
/// same number of terms they pair up in order; otherwise any Chinese term answers any English.
#[derive(Debug, PartialEq)]
pub struct Pair {
    pub english: Vec<String>,
    pub chinese: Vec<String>,
}

/// The glossary's term pairs: every table whose header starts `English | 中文`. Text in
/// parentheses is a note, not part of a term.
pub fn glossary_pairs(markdown: &str) -> Vec<Pair> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let (mut in_head, mut header, mut row, mut cell) = (
        false,
        Vec::<String>::new(),
        Vec::<String>::new(),
        String::new(),
    );
    let mut table_ok = false;
    for event in crate::mdprep::parser(markdown) {
        match event {
            Event::Start(Tag::Table(_)) => header.clear(),
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                table_ok = header.first().is_some_and(|h| h.trim() == "English")
                    && header.get(1).is_some_and(|h| h.trim().starts_with("中文"));
            }
            Event::Start(Tag::TableRow) => row.clear(),
            Event::Start(Tag::TableCell) => cell.clear(),
            Event::End(TagEnd::TableCell) => {
                if in_head {
                    header.push(std::mem::take(&mut cell));
                } else {
                    row.push(std::mem::take(&mut cell));
                }
            }
            Event::End(TagEnd::TableRow) if table_ok && row.len() >= 2 => rows.push(row.clone()),
            Event::Text(t) | Event::Code(t) => cell.push_str(&t),
            _ => {}
        }
    }
    static NOTE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\([^)]*\)|（[^）]*）").expect("valid regex"));
    let terms = |cell: &str| -> Vec<String> {
        NOTE.replace_all(cell, "")
            .split([',', '，', '、', ';'])
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect()
    };
    rows.iter()
        .map(|r| Pair {
            english: terms(&r[0]),
            chinese: terms(&r[1]),
        })
        .filter(|p| !p.english.is_empty() && !p.chinese.is_empty())
        .collect()
}

/// Where a page's English uses a glossary term, that page's Chinese must use the glossary's
/// Chinese for it. Pages are the PO file's `#:` references; only translated messages count
/// (the completeness check reports the rest), and only their prose (not code or formulas).
pub fn check_glossary(po: &Catalog, pairs: &[Pair]) -> Vec<String> {
    let mut pages: BTreeMap<String, (String, String)> = BTreeMap::new();
    for m in po.messages().filter(|m| m.is_translated() && !m.is_fuzzy()) {
        for page in pages_of(m) {
            let (en, zh) = pages.entry(page).or_default();
            en.push_str(&prose(m.msgid()));
            en.push('\n');
            zh.push_str(m.msgstr().unwrap_or_default());
            zh.push('\n');
        }
    }
    let term_regex = |english: &str, any_case: bool| {
        let case = if any_case { "(?i)" } else { "" };
        Regex::new(&format!(r"{case}\b{}(s|es)?\b", regex::escape(english)))
            .expect("an escaped term is a valid regex")
    };
    let all_terms: Vec<&String> = pairs.iter().flat_map(|p| &p.english).collect();
    let mut problems = BTreeSet::new();
    for pair in pairs {
        let pairwise = pair.english.len() == pair.chinese.len();
        for (i, english) in pair.english.iter().enumerate() {
            // A term in lower case matches any case; XNOR or ReLU only as written, so that
            // "or" and "and" in prose are not the gates OR and AND.
            let word = term_regex(english, !english.chars().any(char::is_uppercase));
            // A longer term that holds this one ("activation function" holds "activation")
            // answers for itself: its occurrences are not this term's.
            let longer: Vec<Regex> = all_terms
                .iter()
                .filter(|t| **t != english && word.is_match(t))
                .map(|t| term_regex(t, true))
                .collect();
            let wanted: Vec<&String> = if pairwise {
                vec![&pair.chinese[i]]
            } else {
                pair.chinese.iter().collect()
            };
            for (page, (en, zh)) in &pages {
                let en = longer
                    .iter()
                    .fold(en.clone(), |en, l| l.replace_all(&en, " ").into_owned());
                if word.is_match(&en) && !wanted.iter().any(|w| zh.contains(w.as_str())) {
                    problems.insert(format!(
                        "{page}: its English uses \"{english}\", its Chinese has none of {} \
                         (the glossary's term; or extend the glossary)",
                        wanted
                            .iter()
                            .map(|w| format!("\"{w}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
        }
    }
    problems.into_iter().collect()
}

/// Fills each page's edition switch (theme/header.hbs leaves `<nav class="edition-switch"
/// data-path=... data-root=...>` empty) with a link to the same page in the other edition,
/// once both are built. Returns how many links it wrote.
pub fn link_editions(book: &Path, lang: &str, label: &str) -> Result<usize> {
    static NAV: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"<nav class="edition-switch" data-path="([^"]*)" data-root="([^"]*)"[^>]*>(?s:.*?)</nav>"#)
            .expect("valid regex")
    });
    let mut count = 0;
    let mut pages = Vec::new();
    crate::html::collect(book, "html", &mut pages).map_err(|e| e.to_string())?;
    let translated = book.join(lang);
    for page in pages {
        let name = page.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "404.html" || name == "toc.html" {
            continue;
        }
        let in_translation = page.starts_with(&translated);
        let html =
            std::fs::read_to_string(&page).map_err(|e| format!("{}: {e}", page.display()))?;
        let filled = NAV.replace_all(&html, |c: &regex::Captures| {
            count += 1;
            let path = c[1].replace("&#x2F;", "/");
            let target = path.strip_suffix(".md").map_or(path.clone(), |p| format!("{p}.html"));
            let root = c[2].replace("&#x2F;", "/");
            let (href, hreflang, text) = if in_translation {
                (format!("{root}../{target}"), "en", ENGLISH_LINK)
            } else {
                (format!("{root}{lang}/{target}"), lang, label)
            };
            format!(
                r#"<nav class="edition-switch" data-path="{}" data-root="{}"><a href="{href}" hreflang="{hreflang}" lang="{hreflang}">{text}</a></nav>"#,
                &c[1], &c[2]
            )
        });
        if let std::borrow::Cow::Owned(new) = filled {
            std::fs::write(&page, new).map_err(|e| format!("{}: {e}", page.display()))?;
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(entries: &[(&str, &str, &str, bool)]) -> Catalog {
        let mut c = Catalog::new(polib::metadata::CatalogMetadata::new());
        for (source, id, s, fuzzy) in entries {
            let mut b = Message::build_singular();
            b.with_source(source.to_string())
                .with_msgid(id.to_string())
                .with_msgstr(s.to_string());
            if *fuzzy {
                let mut flags = polib::message::MessageFlags::new();
                flags.add_flag("fuzzy");
                b.with_flags(flags);
            }
            c.append_or_update(b.done());
        }
        c
    }

    #[test]
    fn untranslated_and_fuzzy_messages_are_named() {
        let pot = catalog(&[
            ("a.md", "Backpropagation", "", false),
            ("a.md", "The cost `$J$` falls.", "", false),
            ("a.md", "A new sentence.", "", false),
        ]);
        let po = catalog(&[
            ("a.md", "Backpropagation", "反向传播", false),
            ("a.md", "The cost `$J$` falls.", "代价 `$J$` 下降。", true),
            ("a.md", "An old sentence.", "旧句子。", false),
        ]);
        let s = status(&pot, &po);
        assert_eq!((s.messages, s.untranslated.len(), s.fuzzy.len()), (3, 1, 1));
        let problems = s.problems("zh-CN").join("\n");
        assert!(problems.contains("1 of 3 messages") && problems.contains("A new sentence."));
        assert!(problems.contains("fuzzy") && problems.contains("The cost"));
        let full = catalog(&[
            ("a.md", "Backpropagation", "反向传播", false),
            ("a.md", "The cost `$J$` falls.", "代价 `$J$` 下降。", false),
            ("a.md", "A new sentence.", "新句子。", false),
        ]);
        assert!(status(&pot, &full).problems("zh-CN").is_empty());
    }

    #[test]
    fn a_formula_dropped_or_left_bare_is_caught() {
        assert_eq!(formula_problem("The cost `$J$`.", "代价 `$J$`。"), None);
        assert!(
            formula_problem("The cost `$J$`.", "代价 $J$。")
                .unwrap()
                .contains("outside backticks")
        );
        assert!(
            formula_problem("`$a$` and `$b$`", "`$a$`")
                .unwrap()
                .contains("1 formulas")
        );
    }

    #[test]
    fn messages_with_nothing_to_translate_are_recognised() {
        assert!(nothing_to_translate("`$$ \\delta^{(3)} = a^{(3)} - y $$`"));
        assert!(!nothing_to_translate("`$$ \\text{parameters} = n $$`"));
        assert!(nothing_to_translate(
            "chapters/ch5_backprop/main.rs, <code>by_hand</code>"
        ));
        assert!(nothing_to_translate(
            "src/backprop.rs, <code>output_delta</code>"
        ));
        assert!(!nothing_to_translate("The cost `$J$` falls."));
        assert!(!nothing_to_translate("src/cost.rs, the regularised cost"));
        assert_eq!(
            prose_words("The cost `$J(\\Theta)$` falls, see `src/cost.rs`."),
            4
        );
    }

    const GLOSSARY: &str = "# Glossary\n\n| English | 中文 (as the notes write it) | where |\n| --- | --- | --- |\n\
        | backpropagation | 反向传播 | [5](ch5.md) |\n\
        | cost function, cost | 代价函数, 代价 | 4 |\n\
        | weight | 权重, 权值 | 1 |\n\
        | AND, OR | 与, 或 | 3 |\n\
        | (artificial) neural network | (人工)神经网络 | 3 |\n\n\
        | not | a glossary |\n| --- | --- |\n| x | y |\n";

    #[test]
    fn glossary_rows_become_pairs() {
        let pairs = glossary_pairs(GLOSSARY);
        assert_eq!(pairs.len(), 5);
        assert_eq!(pairs[1].english, ["cost function", "cost"]);
        assert_eq!(pairs[1].chinese, ["代价函数", "代价"]);
        assert_eq!(pairs[4].english, ["neural network"]);
        assert_eq!(pairs[4].chinese, ["神经网络"]);
    }

    #[test]
    fn a_page_that_translates_a_term_otherwise_is_named() {
        let pairs = glossary_pairs(GLOSSARY);
        let good = catalog(&[
            (
                "ch5.md",
                "Backpropagation sends the error back.",
                "反向传播把误差传回去。",
                false,
            ),
            (
                "ch5.md",
                "Each weight changes.",
                "每个权值都会改变。",
                false,
            ),
            (
                "ch4.md",
                "The cost functions of chapter 4.",
                "第四章的代价函数。",
                false,
            ),
            (
                "ch4.md",
                "Right or wrong, `AND` is code.",
                "对或错，`AND` 是代码。",
                false,
            ),
        ]);
        assert_eq!(check_glossary(&good, &pairs), Vec::<String>::new());
        let bad = catalog(&[
            (
                "ch5.md",
                "Backpropagation sends the error back.",
                "误差逆传播把误差传回去。",
                false,
            ),
            (
                "ch4.md",
                "The cost functions of chapter 4.",
                "第四章的损失函数。",
                false,
            ),
            ("ch6.md", "Untranslated backpropagation.", "", false),
        ]);
        let problems = check_glossary(&bad, &pairs);
        // ch4 uses "cost function" (its Chinese lacks 代价函数; "cost" there is part of the
        // longer term), ch5 "backpropagation"; ch6's untranslated message is the completeness
        // check's business.
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("ch4.md") && problems[0].contains("\"代价函数\""));
        assert!(problems[1].starts_with("ch5.md") && problems[1].contains("\"反向传播\""));
    }

    #[test]
    fn a_longer_term_answers_for_itself() {
        let pairs = glossary_pairs(
            "| English | 中文 |\n| --- | --- |\n| activation, activation function | 激活值, 激活函数 |\n",
        );
        let function_only = catalog(&[("ch2.md", "An activation function.", "激活函数。", false)]);
        assert_eq!(check_glossary(&function_only, &pairs), Vec::<String>::new());
        let both = catalog(&[(
            "ch2.md",
            "An activation function gives an activation.",
            "激活函数给出激活。",
            false,
        )]);
        let problems = check_glossary(&both, &pairs);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("\"激活值\""), "{problems:?}");
    }

    #[test]
    fn a_translation_quotes_only_the_numbers_of_its_english() {
        let en = "After 5,000 steps J is 0.287629 (95.3% right), see `$J = 0.5$` and chapter 4.";
        assert_eq!(quoted_numbers(en), ["5000", "0.287629", "95.3%"]);
        let good = "第 4 章：5,000 步之后 J 为 0.287629（95.3% 正确），见 `$J = 0.5$`。";
        assert_eq!(number_problem(en, good), None);
        let drifted = "5,000 步之后 J 为 0.287692（95.3% 正确），共 12 个样本。";
        let problem = number_problem(en, drifted).expect("two numbers the English lacks");
        assert!(problem.contains("0.287692, 12"), "{problem}");
    }

    #[test]
    fn edition_switches_link_the_same_page() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path();
        std::fs::create_dir_all(book.join("zh-CN/ch5")).unwrap();
        std::fs::create_dir_all(book.join("ch5")).unwrap();
        let nav = |path: &str, root: &str| {
            format!(
                r#"<p><nav class="edition-switch" data-path="{path}" data-root="{root}" data-lang="x"></nav></p>"#
            )
        };
        std::fs::write(book.join("ch5/index.html"), nav("ch5/index.md", "../")).unwrap();
        std::fs::write(
            book.join("zh-CN/ch5/index.html"),
            nav("ch5/index.md", "../"),
        )
        .unwrap();
        assert_eq!(link_editions(book, "zh-CN", "中文版").unwrap(), 2);
        let en = std::fs::read_to_string(book.join("ch5/index.html")).unwrap();
        let zh = std::fs::read_to_string(book.join("zh-CN/ch5/index.html")).unwrap();
        assert!(
            en.contains(r#"href="../zh-CN/ch5/index.html" hreflang="zh-CN""#),
            "{en}"
        );
        assert!(
            zh.contains(r#"href="../../ch5/index.html" hreflang="en""#),
            "{zh}"
        );
        // Filling again leaves one link, not two.
        link_editions(book, "zh-CN", "中文版").unwrap();
        let again = std::fs::read_to_string(book.join("ch5/index.html")).unwrap();
        assert_eq!(again.matches("<a ").count(), 1);
    }
}
