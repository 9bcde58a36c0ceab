//! The Chinese edition's machinery, proved end to end on a small translated book
//! (xtask/fixtures/i18n-book) before the real translation exists: built with the repository's
//! book.toml and theme/ in both editions and checked like the book (formulas, a table, a
//! caption, a note, a folded answer, an include, code blocks), then shown to fail where it
//! must: formulas without the guard, a changed English sentence, a glossary term translated
//! otherwise.

use std::path::{Path, PathBuf};

use crate::browser::Ready;
use crate::tools::Tools;
use crate::{Result, i18n, root};

const LANG: &str = "zh-CN";

/// Where the fixture is copied and built (its book/ is what the browser check loads).
pub fn dir() -> PathBuf {
    root().join("target/i18n/fixture")
}

fn copy_tree(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| format!("creating {}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("reading {}: {e}", from.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let dest = to.join(path.file_name().expect("an entry has a name"));
        if path.is_dir() {
            copy_tree(&path, &dest)?;
        } else {
            std::fs::copy(&path, &dest).map_err(|e| format!("copying {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// A fresh copy of the fixture with the repository's book.toml and theme.
fn prepare() -> Result<PathBuf> {
    let dir = dir();
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(&root().join("xtask/fixtures/i18n-book"), &dir)?;
    copy_tree(&root().join("theme"), &dir.join("theme"))?;
    std::fs::copy(root().join("book.toml"), dir.join("book.toml"))
        .map_err(|e| format!("copying book.toml: {e}"))?;
    Ok(dir)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// Builds and checks the fixture; returns one line saying what was shown.
pub fn check(tools: &Tools) -> Result<String> {
    let dir = prepare()?;
    let built = crate::build_editions(tools, &dir, None)
        .map_err(|e| format!("the i18n fixture book: {e}"))?;
    let zh = dir.join("book").join(LANG);

    // The translation is there, and the pieces that must not be translated are not.
    let page = read(&zh.join("backprop/index.html"))?;
    for wanted in [
        "反向传播",
        "偏置单元",
        "blockquote-tag-note",
        "<summary>",
        "答案",
        "<table>",
        "形状",
        "listing-caption",
        "美元符号",
        "alt=\"反向传播：",
    ] {
        if !page.contains(wanted) {
            return Err(format!(
                "the fixture's Chinese backpropagation page lacks {wanted:?}"
            ));
        }
    }
    if !page.contains("a minus y") || !page.contains("as printed") {
        return Err("the fixture's listing or transcript changed in translation".into());
    }
    if !read(&zh.join("index.html"))?.contains("lang=\"zh-CN\"") {
        return Err("the fixture's Chinese pages do not say lang=\"zh-CN\"".into());
    }
    let formulas = crate::html::count_formulas(&page);

    let complete = match i18n::check(tools, &dir, LANG)? {
        Ready::Yes(seen) => seen,
        Ready::No(why) => return Err(format!("the fixture's PO file: {why}")),
    };

    // Without the guard, mdbook-gettext's Markdown writer breaks formulas (#105): the
    // comparison with the English must catch it.
    let unguarded = unguarded_build(tools, &dir)?;

    // A changed English sentence is a message the PO file lacks.
    let chapter = dir.join("chapters/gradcheck.md");
    let english = read(&chapter)?;
    let planted = english.replace(
        "is switched off during training",
        "is turned off for training",
    );
    if planted == english {
        return Err(
            "the fixture's gradcheck.md no longer has the sentence the test changes".into(),
        );
    }
    write(&chapter, &planted)?;
    let drift = i18n::check(tools, &dir, LANG);
    write(&chapter, &english)?;
    match drift {
        Err(e) if e.contains("1 of") && e.contains("Gradient checking compares") => {}
        other => {
            return Err(format!(
                "the completeness check did not fail on a changed English sentence: {:?}",
                other.map(|_| "passed")
            ));
        }
    }

    // A glossary term translated otherwise.
    let po = i18n::po_file(&dir, LANG);
    let translation = read(&po)?;
    write(&po, &translation.replace("梯度检验", "梯度检查"))?;
    let glossary = i18n::check(tools, &dir, LANG);
    write(&po, &translation)?;
    match glossary {
        Err(e) if e.contains("gradcheck.md") && e.contains("\"梯度检验\"") => {}
        other => {
            return Err(format!(
                "the glossary check did not fail on 梯度检查 for 梯度检验: {:?}",
                other.map(|_| "passed")
            ));
        }
    }
    Ok(format!(
        "i18n fixture: {built}; {complete}; {formulas} formulas on its Chinese backpropagation \
         page; caught: {unguarded}, a changed English sentence, a glossary term translated otherwise"
    ))
}

/// Builds the fixture's translation without the formula guard, shows that the comparison with
/// the English fails, then builds it properly again.
fn unguarded_build(tools: &Tools, dir: &Path) -> Result<String> {
    let zh = dir.join("book").join(LANG);
    i18n::mdbook_build_unguarded(tools, dir, LANG)?;
    let problems: Vec<String> = [
        crate::html::compare_editions(&dir.join("book"), &zh).err(),
        crate::html::check_book(&zh).err(),
    ]
    .into_iter()
    .flatten()
    .flat_map(|e| {
        e.lines()
            .skip(1)
            .map(str::trim)
            .map(str::to_string)
            .collect::<Vec<_>>()
    })
    .collect();
    let log = i18n::mdbook_build(tools, dir, Some(LANG))?;
    drop(log);
    crate::search::segment_book(&zh)?;
    i18n::link_editions(&dir.join("book"), LANG, "中文版")?;
    if problems.is_empty() {
        return Err(
            "without the formula guard the translated fixture still passed: the check \
                    cannot see mdbook-i18n-helpers #105"
                .to_string(),
        );
    }
    Ok(format!(
        "the translation built without the formula guard ({} problems, e.g. {})",
        problems.len(),
        problems
            .iter()
            .find(|p| p.contains("formula") || p.contains("TeX"))
            .unwrap_or(&problems[0])
    ))
}
