// Our search against Pagefind on the same built report, the same queries and the same headless
// chromium: which queries find the expected page (first or in the top three), and how many bytes
// each engine transfers for one query from a cold cache (raw and gzip).
//
//   npm run compare-search            builds the report, indexes it with Pagefind, compares
//   REPORTGEN_SITE_DIR=… npm run …    uses a build you made (Pagefind writes into it)

import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

import { CSP, HERE, gzipSize, launch, serve, site, watch } from "./lib.mjs";

const QUERIES = [
  // A page whose own text has 중국의 or 중국은 (checked in the built HTML).
  { q: "중국", wants: (dir, path) => /중국[의은]/.test(html(dir, path)), want: "a page with 중국의/중국은" },
  { q: "플랫폼", page: "chapters/internet-plus/" },
  { q: "지능", page: "chapters/ai/" },
  { q: "Baidu", page: "companies/baidu/" },
  { q: "百度", page: "companies/baidu/" },
];

function html(dir, path) {
  try {
    return readFileSync(join(dir, path, "index.html"), "utf8").replace(/<nav[\s\S]*?<\/nav>/g, "");
  } catch {
    return "";
  }
}

function dirBytes(d, keep = () => true) {
  let raw = 0, gz = 0, files = 0;
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) {
      const s = dirBytes(p, keep);
      raw += s.raw; gz += s.gz; files += s.files;
    } else if (keep(name)) {
      const b = readFileSync(p);
      raw += b.length; gz += gzipSize(b); files++;
    }
  }
  return { raw, gz, files };
}

async function ours(browser, server, q) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(server.base, { waitUntil: "load" });
  const log = watch(page);
  await page.locator("#site-search").focus();
  await page.locator("#site-search").fill(q);
  await page.waitForFunction((q) => document.getElementById("search-panel").dataset.query === q, q, { timeout: 15000 });
  await page.waitForTimeout(200);
  const urls = await page.$$eval("#search-panel li > a", (as) => as.map((a) => a.getAttribute("href").split("#")[0]));
  const errors = log.errors.length + log.failed.length;
  await ctx.close();
  return { urls, log, errors };
}

async function pagefind(browser, server, q) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(server.base, { waitUntil: "load" });
  const log = watch(page);
  let urls = [];
  let error = null;
  try {
    urls = await page.evaluate(
      async ({ base, q }) => {
        const pf = await import(base + "pagefind/pagefind.js");
        await pf.options({ baseUrl: new URL(base).pathname });
        const r = await pf.search(q);
        const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
        return data.map((d) => d.url.split("#")[0]);
      },
      { base: server.base, q },
    );
  } catch (e) {
    error = String(e.message || e).split("\n")[0];
  }
  await page.waitForTimeout(200);
  await ctx.close();
  return { urls, log, error };
}

function verdict(c, dir, basePath, urls) {
  const rel = (u) => u.startsWith(basePath) ? u.slice(basePath.length) : u;
  const ok = (u) => (c.page ? rel(u) === c.page : c.wants(dir, rel(u)));
  const rank = urls.findIndex(ok) + 1;
  return { rank, pass: rank >= 1 && rank <= 3 };
}

function bytesOf(log, test) {
  const rs = log.responses.filter((r) => test(r.url));
  return { raw: rs.reduce((a, r) => a + r.bytes, 0), gz: rs.reduce((a, r) => a + r.gzip, 0), n: rs.length };
}

const { dir, basePath } = site();
const pf = spawnSync(join(HERE, "node_modules/.bin/pagefind"), ["--site", dir, "--output-subdir", "pagefind"], { encoding: "utf8" });
if (pf.status !== 0) {
  console.error(pf.stdout, pf.stderr);
  throw new Error("pagefind failed: install it with `npm ci` in tests/browser");
}
const pfVersion = (pf.stdout.match(/Running Pagefind v[\d.]+/) || ["Pagefind"])[0].replace("Running ", "");
const browser = await launch();
const strict = await serve(dir, basePath, { csp: CSP });
const relaxed = await serve(dir, basePath, { csp: "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" });

const rows = [];
for (const c of QUERIES) {
  const o = await ours(browser, strict, c.q);
  const ps = await pagefind(browser, strict, c.q);
  const p = await pagefind(browser, relaxed, c.q);
  rows.push({
    c,
    ours: { ...verdict(c, dir, basePath, o.urls), bytes: bytesOf(o.log, (u) => /\/search(\/[^/]+\.json|\.js)/.test(u)), errors: o.errors },
    pfStrict: ps.error || (ps.urls.length ? "works" : "no results"),
    pf: { ...verdict(c, dir, basePath, p.urls), bytes: bytesOf(p.log, (u) => u.includes("/pagefind/")), error: p.error },
  });
}
await browser.close();
await strict.close();
await relaxed.close();

const fmt = (v) => (v.rank ? `#${v.rank}` : "not found") + (v.pass ? " ✓" : " ✗");
const b = (x) => `${x.raw} / ${x.gz} B (${x.n} files)`;
console.log(`\nSearch comparison on ${dir} (${basePath}); ours vs ${pfVersion}\n`);
console.log("| query | expected | ours | Pagefind | ours: bytes for the query, raw / gzip | Pagefind: bytes for the query, raw / gzip |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(`| ${r.c.q} | ${r.c.page || r.c.want} | ${fmt(r.ours)} | ${fmt(r.pf)}${r.pf.error ? ` (${r.pf.error})` : ""} | ${b(r.ours.bytes)} | ${b(r.pf.bytes)} |`);
}
const passed = (k) => rows.filter((r) => r[k].pass).length;
console.log(`\nPassing (expected page in the top three): ours ${passed("ours")}/${rows.length}, Pagefind ${passed("pf")}/${rows.length}`);
console.log(`Pagefind under Content-Security-Policy "${CSP}": ${[...new Set(rows.map((r) => r.pfStrict))].join("; ")}`);
const ourFiles = dirBytes(join(dir, "search"), (name) => name.endsWith(".json"));
const pfFiles = dirBytes(join(dir, "pagefind"));
console.log(`Index on disk: ours ${ourFiles.raw} B raw / ${ourFiles.gz} B gzip (${ourFiles.files} files); Pagefind ${pfFiles.raw} B raw / ${pfFiles.gz} B gzip (${pfFiles.files} files)`);
if (rows.some((r) => r.ours.errors)) process.exitCode = 1;
