// Chinese search: the query is split the way `cargo xtask book` splits the index
// (xtask/src/search.rs): mdBook's split on whitespace and "-", then each run of Han characters
// into its overlapping pairs (反向传播 -> 反向 向传 传播), a lone character kept as itself.
// elasticlunr's trimmer would strip every Han character, so Han tokens skip the English
// pipeline here as they did when the index was built. Loaded before the search index is.
(function () {
  "use strict";
  if (typeof elasticlunr === "undefined") return;
  const han = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]|[\uD840-\uD87E][\uDC00-\uDFFF]/u;
  const separator = /[\u3000-\u303F\uFF00-\uFFEF\u2014\u2026]/u;
  const isHan = (c) => han.test(c);

  function split(word) {
    const tokens = [];
    let run = [];
    let other = "";
    const flushHan = () => {
      if (run.length === 1) tokens.push(run[0]);
      for (let i = 0; i + 1 < run.length; i++) tokens.push(run[i] + run[i + 1]);
      run = [];
    };
    const flushOther = () => {
      if (other && new TextEncoder().encode(other).length <= 80) tokens.push(other);
      other = "";
    };
    for (const c of word) {
      if (isHan(c)) { flushOther(); run.push(c); }
      else if (separator.test(c)) { flushOther(); flushHan(); }
      else { flushHan(); other += c; }
    }
    flushOther();
    flushHan();
    return tokens;
  }

  const original = elasticlunr.tokenizer;
  const tokenizer = function (str) {
    const words = original.apply(this, arguments);
    return words.flatMap((w) => ([...w].some((c) => isHan(c) || separator.test(c)) ? split(w) : [w]));
  };
  Object.assign(tokenizer, original);
  elasticlunr.tokenizer = tokenizer;

  for (const name of ["trimmer", "stopWordFilter", "stemmer"]) {
    const fn = elasticlunr.Pipeline.registeredFunctions[name];
    if (!fn) continue;
    const aware = function (token, i, tokens) {
      return isHan([...token][0] || "") ? token : fn(token, i, tokens);
    };
    elasticlunr.Pipeline.registeredFunctions[name] = aware;
    aware.label = name;
  }
})();
