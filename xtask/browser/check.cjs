// The book in a real browser: headless Debian Chromium, driven by playwright-core, loads every
// page from a local server and checks what only a browser can see. Run by `cargo xtask test`.
//
//   node check.cjs BOOK_DIR [--under DIR | --exclude DIR]... [--search WORD[=PAGE]]...
//                  [--screenshot PAGE OUT.png]
//   node check.cjs BOOK_DIR --pdf OUT.pdf
//
// BOOK_DIR is served whole; --under checks only the pages in one edition's folder (zh-CN),
// --exclude leaves one out. Each --search types WORD into the search bar of the first page
// checked (the edition's own index.html); with =PAGE the first three results must include a
// link into PAGE (a prefix such as ch5_backprop/, relative to the edition).
//
// Prints one summary line and exits 1, listing every problem, if any page fails a check.
// With --pdf it prints print.html to OUT.pdf instead, once the page says it is ready: loaded,
// its fonts (KaTeX's among them) loaded and every image decoded. No header or footer, so the PDF
// carries no date and no address of this machine.
"use strict";
const { chromium } = require("playwright-core");
const http = require("node:http");
const fs = require("node:fs");
const path = require("node:path");

const [bookArg, ...rest] = process.argv.slice(2);
const root = path.resolve(bookArg);
const option = (name, count = 1) => {
  const i = rest.indexOf(name);
  return i < 0 ? null : rest.slice(i + 1, i + 1 + count);
};
const every = (name) => rest.flatMap((a, i) => (a === name && i + 1 < rest.length ? [rest[i + 1]] : []));
const searches = every("--search").map((s) => { const [word, page] = s.split("="); return { word, page }; });
const under = option("--under");
const excluded = every("--exclude");
const screenshot = option("--screenshot", 2);
const pdf = option("--pdf");
const edition = under ? under[0] + "/" : "";

const types = { ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml",
  ".png": "image/png", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".json": "application/json" };

function pages(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return pages(p);
    return e.name.endsWith(".html") ? [path.relative(root, p)] : [];
  });
}

async function main() {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url.split("?")[0]);
    let file = path.join(root, url);
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!file.startsWith(root) || !fs.existsSync(file)) { res.writeHead(404); res.end("not found"); return; }
    res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  if (pdf) {
    await printPdf(browser, base, pdf[0]);
    await browser.close();
    server.close();
    return;
  }
  const problems = [];
  const totals = { pages: 0, formulas: 0, images: 0, requests: 0 };
  const list = pages(root).sort().map((p) => p.split(path.sep).join("/"))
    .filter((p) => (!under || p.startsWith(edition)) && !excluded.some((x) => p.startsWith(x + "/")));
  for (const name of list) {
    const page = await browser.newPage();
    const url = base + name;
    page.on("console", (m) => { if (m.type() === "error") problems.push(`${name}: console error: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`${name}: script error: ${e.message}`));
    // Nothing may leave the machine: record and refuse every request to another host.
    await page.route("**/*", (route) => {
      const host = new URL(route.request().url()).hostname;
      totals.requests += 1;
      if (host === "127.0.0.1" || host === "localhost") return route.continue();
      problems.push(`${name}: request to a non-local host: ${route.request().url()}`);
      return route.abort();
    });
    const response = await page.goto(url, { waitUntil: "load" });
    if (!response || (response.status() !== 200 && !name.startsWith("404"))) problems.push(`${name}: HTTP ${response && response.status()}`);
    await page.evaluate(() => document.fonts.ready);
    const seen = await page.evaluate(() => {
      const main = document.querySelector("main") || document.body;
      const formulas = [...main.querySelectorAll(".katex")];
      // The text readers see outside code and rendered formulas must hold no raw TeX.
      const copy = main.cloneNode(true);
      copy.querySelectorAll("pre, code, .katex, script").forEach((e) => e.remove());
      const text = copy.textContent;
      const raw = (text.match(/\$\$|\$[^$\n]{0,80}\\[A-Za-z]+|\\(frac|sum|delta|Theta|sigma|partial)\b/) || [null])[0];
      const unstyled = formulas.filter((f) => !getComputedStyle(f).fontFamily.includes("KaTeX")).length;
      const images = [...document.images].map((i) => ({ src: i.getAttribute("src"), ok: i.complete && i.naturalWidth > 0 }));
      return { formulas: formulas.length, unstyled, raw, images };
    });
    totals.pages += 1;
    totals.formulas += seen.formulas;
    totals.images += seen.images.length;
    if (seen.raw) problems.push(`${name}: raw TeX on the page: ${seen.raw}`);
    if (seen.unstyled) problems.push(`${name}: ${seen.unstyled} formulas without KaTeX's fonts (stylesheet not loaded?)`);
    for (const img of seen.images.filter((i) => !i.ok)) problems.push(`${name}: image did not load: ${img.src}`);
    if (screenshot && name === screenshot[0]) await page.screenshot({ path: screenshot[1], fullPage: false });
    await page.close();
  }
  const found = [];
  if (searches.length) {
    const page = await browser.newPage();
    page.on("pageerror", (e) => problems.push(`search: script error: ${e.message}`));
    await page.goto(base + edition + "index.html", { waitUntil: "load" });
    await page.click("#mdbook-search-toggle");
    for (const { word, page: wanted } of searches) {
      // Chinese is not typed key by key: fill the bar, then the keyup mdBook's searcher listens to.
      await page.fill("#mdbook-searchbar", word);
      await page.dispatchEvent("#mdbook-searchbar", "keyup");
      const links = await page.waitForFunction((w) => {
        const header = document.querySelector("#mdbook-searchresults-header");
        const items = [...document.querySelectorAll("#mdbook-searchresults li a")];
        return header && header.textContent.includes(w) && items.length ? items.map((a) => a.getAttribute("href")) : null;
      }, word, { timeout: 10000 }).then((h) => h.jsonValue()).catch(() => []);
      if (!links.length) { problems.push(`search: no results for "${word}"`); continue; }
      // Result links are relative to the edition's root (path_to_root is "" on index.html).
      const rank = wanted ? links.findIndex((href) => href.startsWith(wanted)) : 0;
      if (wanted && (rank < 0 || rank > 2)) {
        problems.push(`search: "${word}" does not find ${wanted} among its first three results: ${links.slice(0, 5).join(", ")}`);
      } else {
        found.push(`"${word}" ${links.length} results` + (wanted ? ` (${wanted} #${rank + 1})` : ""));
      }
    }
    totals.search = found.join(", ");
    await page.close();
  }
  await browser.close();
  server.close();
  const summary = `${totals.pages} pages, ${totals.formulas} formulas rendered with KaTeX's fonts, ${totals.images} images loaded, ` +
    `${totals.requests} requests all local` + (totals.search ? `, search: ${totals.search}` : "");
  if (problems.length) {
    console.error(`browser check failed (${problems.length} problems):\n  ` + problems.join("\n  "));
    process.exit(1);
  }
  console.log(summary);
}

async function printPdf(browser, base, out) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.route("**/*", (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === "127.0.0.1" ? route.continue() : route.abort();
  });
  // print.html asks the browser to print itself once loaded; that print would race ours
  // ("Page is already being printed"), so the page's own print is a no-op here.
  await page.addInitScript(() => { window.print = () => {}; });
  await page.goto(base + "print.html", { waitUntil: "load" });
  await page.evaluate(async () => {
    await document.fonts.ready;
    await Promise.all([...document.images].map((i) => i.decode().catch(() => null)));
  });
  const ready = await page.evaluate(() => ({
    fonts: document.fonts.status,
    katexFonts: [...document.fonts].filter((f) => f.family.includes("KaTeX") && f.status === "loaded").length,
    formulas: document.querySelectorAll(".katex").length,
    brokenImages: [...document.images].filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.getAttribute("src")),
  }));
  if (ready.fonts !== "loaded" || !ready.katexFonts || !ready.formulas || ready.brokenImages.length || errors.length) {
    console.error(`print.html is not ready to print: ${JSON.stringify({ ...ready, errors })}`);
    process.exit(1);
  }
  await page.emulateMedia({ media: "print" });
  await page.pdf({ path: out, format: "A4", printBackground: true, displayHeaderFooter: false,
    margin: { top: "15mm", bottom: "15mm", left: "12mm", right: "12mm" } });
  console.log(`${ready.formulas} formulas, ${ready.katexFonts} KaTeX fonts loaded`);
}

main().catch((e) => { console.error(`browser check could not run: ${e.stack || e}`); process.exit(2); });
