//! Search that finds Chinese words. mdBook 0.5.4 splits text only on whitespace and `-`, and
//! elasticlunr's trimmer then strips every character that is not an ASCII letter or digit, so a
//! Chinese sentence is indexed as nothing (mdBook #1081). After each build this rewrites the
//! book's `searchindex*.js` from the documents it already stores, with one tokenizer more: a run
//! of Han characters becomes its overlapping pairs (反向传播 → 反向 向传 传播), which pass the
//! English pipeline untouched. `theme/cjk-search.js` splits the reader's query the same way in
//! the browser. Everything else is tokenized exactly as mdBook does, so English search is as
//! before (a test compares the two indexes on English text).

use std::path::Path;

use elasticlunr::pipeline::{Pipeline, PipelineFn};
use elasticlunr::{IndexBuilder, Language};
use serde_json::Value;

use crate::Result;

/// mdBook drops longer tokens (its `MAX_WORD_LENGTH_TO_INDEX`).
const MAX_TOKEN_BYTES: usize = 80;

/// Han ideographs: the characters that are written without spaces between words.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// CJK punctuation and full-width forms (，。：（）…) separate words like spaces do.
fn is_cjk_separator(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF | 0x2014 | 0x2026)
}

/// mdBook's tokenizer, then each token split at Han runs: the run's overlapping pairs (a lone
/// character stays itself), the rest as mdBook would have it. theme/cjk-search.js is the same.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || c == '-') {
        let word = word.trim().to_lowercase();
        if word.is_empty() {
            continue;
        }
        if !word.chars().any(|c| is_han(c) || is_cjk_separator(c)) {
            if word.len() <= MAX_TOKEN_BYTES {
                tokens.push(word);
            }
            continue;
        }
        let (mut han, mut other) = (Vec::<char>::new(), String::new());
        let flush_han = |han: &mut Vec<char>, tokens: &mut Vec<String>| {
            if han.len() == 1 {
                tokens.push(han[0].to_string());
            }
            for pair in han.windows(2) {
                tokens.push(pair.iter().collect());
            }
            han.clear();
        };
        let flush_other = |other: &mut String, tokens: &mut Vec<String>| {
            if !other.is_empty() && other.len() <= MAX_TOKEN_BYTES {
                tokens.push(std::mem::take(other));
            }
            other.clear();
        };
        for c in word.chars() {
            if is_han(c) {
                flush_other(&mut other, &mut tokens);
                han.push(c);
            } else if is_cjk_separator(c) {
                flush_other(&mut other, &mut tokens);
                flush_han(&mut han, &mut tokens);
            } else {
                flush_han(&mut han, &mut tokens);
                other.push(c);
            }
        }
        flush_other(&mut other, &mut tokens);
        flush_han(&mut han, &mut tokens);
    }
    tokens
}

/// elasticlunr's English pipeline (trimmer, stop words, stemmer: the names the browser loads),
/// except that a token of Han characters passes it unchanged.
struct HanAware(Box<dyn PipelineFn>);

impl PipelineFn for HanAware {
    fn name(&self) -> String {
        self.0.name()
    }

    fn filter(&self, token: String) -> Option<String> {
        if token.chars().next().is_some_and(is_han) {
            Some(token)
        } else {
            self.0.filter(token)
        }
    }
}

/// English, with Han runs split by [`tokenize`] and kept by the pipeline. It keeps English's
/// name, which is what the browser's elasticlunr expects.
struct EnglishAndHan;

impl Language for EnglishAndHan {
    fn name(&self) -> String {
        "English".into()
    }
    fn code(&self) -> String {
        "en".into()
    }
    fn tokenize(&self, text: &str) -> Vec<String> {
        tokenize(text)
    }
    fn make_pipeline(&self) -> Pipeline {
        let english = elasticlunr::lang::English::new().make_pipeline();
        Pipeline {
            queue: english
                .queue
                .into_iter()
                .map(|f| Box::new(HanAware(f)) as Box<dyn PipelineFn>)
                .collect(),
        }
    }
}

/// The index mdBook wrote, rebuilt from its stored documents with [`tokenize`]; the other
/// settings (result and search options, document URLs) are kept as they were.
pub fn reindex(search: &Value) -> Result<Value> {
    let index = &search["index"];
    let fields: Vec<String> = index["fields"]
        .as_array()
        .ok_or("the search index has no fields")?
        .iter()
        .filter_map(|f| f.as_str().map(str::to_string))
        .collect();
    let docs = index["documentStore"]["docs"]
        .as_object()
        .ok_or("the search index stores no documents (search.copy-js off?)")?;
    let mut builder = IndexBuilder::with_language(Box::new(EnglishAndHan));
    for field in &fields {
        builder = builder.add_field_with_tokenizer(field, Box::new(tokenize));
    }
    let mut rebuilt = builder.build();
    let count = search["doc_urls"].as_array().map_or(docs.len(), Vec::len);
    for n in 0..count {
        let doc_ref = n.to_string();
        let Some(doc) = docs.get(&doc_ref) else {
            continue;
        };
        let values: Vec<&str> = fields
            .iter()
            .map(|f| doc[f].as_str().unwrap_or(""))
            .collect();
        rebuilt.add_doc(&doc_ref, values);
    }
    let mut out = search.clone();
    out["index"] = serde_json::to_value(&rebuilt).map_err(|e| e.to_string())?;
    Ok(out)
}

const PREFIX: &str = "window.search = Object.assign(window.search, JSON.parse('";
const SUFFIX: &str = "'));";

/// Rewrites the book's search index in `book` (searchindex.js, or its hashed name) in place.
/// Returns how many Han pairs the index holds.
pub fn segment_book(book: &Path) -> Result<usize> {
    let file = std::fs::read_dir(book)
        .map_err(|e| format!("reading {}: {e}", book.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("searchindex") && n.ends_with(".js"))
        })
        .ok_or_else(|| format!("no searchindex*.js in {}", book.display()))?;
    let text =
        std::fs::read_to_string(&file).map_err(|e| format!("reading {}: {e}", file.display()))?;
    let json = text
        .trim()
        .strip_prefix(PREFIX)
        .and_then(|t| t.strip_suffix(SUFFIX))
        .ok_or_else(|| format!("{} is not in mdBook 0.5's format", file.display()))?
        .replace("\\'", "'")
        .replace("\\\\", "\\");
    let search: Value =
        serde_json::from_str(&json).map_err(|e| format!("{}: {e}", file.display()))?;
    let rebuilt = reindex(&search)?;
    let pairs = count_han_tokens(&rebuilt["index"]["index"]["body"]);
    let json = serde_json::to_string(&rebuilt).map_err(|e| e.to_string())?;
    let js = format!(
        "{PREFIX}{}{SUFFIX}",
        json.replace('\\', "\\\\").replace('\'', "\\'")
    );
    std::fs::write(&file, js).map_err(|e| format!("writing {}: {e}", file.display()))?;
    Ok(pairs)
}

/// Tokens in an inverted index's trie that are Han pairs.
fn count_han_tokens(trie: &Value) -> usize {
    fn walk(node: &Value, depth_han: usize) -> usize {
        let Some(map) = node.as_object() else {
            return 0;
        };
        let here = usize::from(depth_han == 2 && map.get("df").and_then(Value::as_u64) > Some(0));
        here + map
            .iter()
            .filter(|(k, _)| k.as_str() != "docs" && k.as_str() != "df")
            .map(|(k, v)| {
                let han = k.chars().next().is_some_and(is_han);
                walk(v, if han { depth_han + 1 } else { usize::MAX / 2 })
            })
            .sum::<usize>()
    }
    walk(&trie["root"], 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_runs_become_overlapping_pairs() {
        assert_eq!(tokenize("反向传播"), ["反向", "向传", "传播"]);
        assert_eq!(
            tokenize("用sigmoid函数，代价J(Θ)。过拟合 Back-Propagation"),
            [
                "用",
                "sigmoid",
                "函数",
                "代价",
                "j(θ)",
                "过拟",
                "拟合",
                "back",
                "propagation"
            ]
        );
        assert_eq!(tokenize("的"), ["的"]);
    }

    #[test]
    fn english_text_is_tokenized_as_mdbook_does() {
        let text =
            "The cost J(Θ) falls; backpropagation's δ-terms, word".to_string() + &"x".repeat(81);
        let mdbook: Vec<String> = text
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|s| !s.is_empty())
            .map(|s| s.trim().to_lowercase())
            .filter(|s| s.len() <= MAX_TOKEN_BYTES)
            .collect();
        assert_eq!(tokenize(&text), mdbook);
    }

    /// An index as mdBook writes it: its English pipeline and tokenizer.
    fn mdbook_index(docs: &[[&str; 3]]) -> Value {
        let split = |t: &str| -> Vec<String> {
            t.split(|c: char| c.is_whitespace() || c == '-')
                .filter(|s| !s.is_empty())
                .map(|s| s.trim().to_lowercase())
                .filter(|s| s.len() <= MAX_TOKEN_BYTES)
                .collect()
        };
        let mut index = IndexBuilder::new()
            .add_field_with_tokenizer("title", Box::new(split))
            .add_field_with_tokenizer("body", Box::new(split))
            .add_field_with_tokenizer("breadcrumbs", Box::new(split))
            .build();
        for (n, doc) in docs.iter().enumerate() {
            index.add_doc(&n.to_string(), doc);
        }
        let urls: Vec<String> = (0..docs.len()).map(|n| format!("p{n}.html")).collect();
        serde_json::json!({"results_options": {}, "search_options": {}, "doc_urls": urls,
            "index": serde_json::to_value(&index).unwrap()})
    }

    #[test]
    fn english_indexes_are_unchanged_and_han_is_added() {
        let english = mdbook_index(&[
            [
                "Backpropagation",
                "The errors flow back, layer by layer.",
                "Ch 5",
            ],
            [
                "Gradient checking",
                "Two cost evaluations per parameter.",
                "Ch 6",
            ],
        ]);
        assert_eq!(reindex(&english).unwrap(), english);

        let chinese = mdbook_index(&[["反向传播", "误差逐层反向传播。", "第五章"]]);
        let before = &chinese["index"]["index"]["body"]["root"];
        assert!(
            before.get("反").is_none(),
            "mdBook's own index holds no Han"
        );
        let after = reindex(&chinese).unwrap();
        let body = &after["index"]["index"]["body"];
        assert!(body["root"]["反"]["向"]["docs"].get("0").is_some());
        assert_eq!(count_han_tokens(body), 7); // 误差 差逐 逐层 层反 反向 向传 传播
    }
}
