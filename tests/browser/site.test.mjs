// The reader's site in a real browser (headless Debian chromium): every page loads cleanly
// under a strict Content-Security-Policy and a sub-path, search finds Korean words inside
// inflected and compound forms, the theme toggle persists, phones never scroll sideways,
// tables are accessible, axe-core finds nothing serious, pages work without JavaScript,
// print keeps the whole report, and the page weight and layout-shift budgets hold.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { KINDS, CSP_WATCH, kb, launch, pages, serve, site, watch } from "./lib.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

let browser, server, dir, basePath, all, origin, base;
const summary = [];

before(async () => {
  ({ dir, basePath } = site());
  server = await serve(dir, basePath);
  ({ origin, base } = server);
  all = pages(dir, basePath);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (summary.length) console.log("\n" + summary.map((l) => `# ${l}`).join("\n"));
});

const LIGHT = "rgb(255, 255, 255)";
const DARK = "rgb(22, 24, 29)";
const NOT_FOUND = () => basePath + "no/such/page/";

async function context(options = {}) {
  const { width = 1280, height = 900, js = true, scheme = "light", bypassCSP = false } = options;
  const ctx = await browser.newContext({ viewport: { width, height }, javaScriptEnabled: js, colorScheme: scheme, bypassCSP });
  if (js) await ctx.addInitScript(CSP_WATCH);
  return ctx;
}

/** Opens `path` in a new context; returns { page, log, ctx } (close ctx when done). */
async function open(path, options = {}) {
  const ctx = await context(options);
  const page = await ctx.newPage();
  const log = watch(page);
  await page.goto(origin + path, { waitUntil: "load" });
  return { ctx, page, log };
}

/** Calls `fn(path, page, log)` for each path, each in a fresh tab of one context. */
async function eachPage(paths, options, fn) {
  const ctx = await context(options);
  for (const path of paths) {
    const page = await ctx.newPage();
    const log = watch(page);
    await page.goto(origin + path, { waitUntil: "load" });
    await fn(path, page, log);
    await page.close();
  }
  await ctx.close();
}

function kindPath(kind) {
  return basePath + KINDS[kind];
}

/** Results in the search box's panel for `query`, typed into the header box of `page`. */
async function searchBox(page, query) {
  const input = page.locator("#site-search");
  await page.evaluate(() => delete document.getElementById("search-panel").dataset.query);
  await input.focus();
  await input.fill(query);
  await page.waitForFunction((q) => document.getElementById("search-panel").dataset.query === q, query, { timeout: 10000 });
  return page.$$eval("#search-panel li", (lis) =>
    lis.map((li) => ({
      url: li.querySelector("a").getAttribute("href"),
      title: li.querySelector(".result-title").textContent,
      section: (li.querySelector(".result-section")?.textContent || "").replace(/^ › /, ""),
      excerpt: li.querySelector(".excerpt").textContent,
      marks: [...li.querySelectorAll(".excerpt mark")].map((m) => m.textContent),
    })),
  );
}

const pathOf = (url) => url.split("#")[0];

describe("every page", () => {
  test("loads with no console errors, failed requests, CSP violations or other hosts", async () => {
    const problems = [];
    await eachPage(all, { width: 360 }, async (path, page, log) => {
      const csp = await page.evaluate(() => window.__csp);
      const foreign = log.requests.filter((r) => !r.url.startsWith(origin + "/") && !r.url.startsWith("data:"));
      // The 404 page itself is served with status 404 (and chromium logs that).
      const notFound = path === NOT_FOUND();
      const bad = log.bad.filter((b) => !(notFound && b === `404 ${origin}${path}`));
      const errors = log.errors.filter((e) => !(notFound && e.includes("status of 404")));
      const fonts = log.requests.filter((r) => r.type === "font");
      for (const [what, list] of [["console", errors], ["failed", log.failed], ["status", bad], ["csp", csp], ["other host", foreign.map((r) => r.url)], ["web font", fonts.map((r) => r.url)]]) {
        for (const item of list) problems.push(`${path}: ${what}: ${item}`);
      }
    });
    assert.deepEqual(problems, []);
    summary.push(`${all.length} pages loaded under ${basePath} with CSP "default-src 'self'": no errors, no failed requests, no other host`);
  });

  test("has no inline style attributes or inline scripts, and the right landmarks and metadata", async () => {
    const problems = [];
    await eachPage(all, {}, async (path, page) => {
      const facts = await page.evaluate(() => ({
        styled: [...document.querySelectorAll("[style]")].map((e) => e.outerHTML.slice(0, 80)),
        inlineScripts: document.querySelectorAll("script:not([src])").length,
        handlers: [...document.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).length,
        lang: document.documentElement.lang,
        main: document.querySelectorAll("main").length,
        banner: document.querySelectorAll("body > header").length,
        footer: document.querySelectorAll("body > footer").length,
        skip: document.querySelector("a.skip-link")?.getAttribute("href"),
        canonical: document.querySelector('link[rel="canonical"]')?.href,
        ogUrl: document.querySelector('meta[property="og:url"]')?.content,
        ogTitle: document.querySelector('meta[property="og:title"]')?.content,
        ogDesc: document.querySelector('meta[property="og:description"]')?.content,
        desc: document.querySelector('meta[name="description"]')?.content,
        icon: document.querySelector('link[rel="icon"]')?.getAttribute("href"),
        h1: document.querySelectorAll("h1").length,
        noindex: document.querySelector('meta[name="robots"]')?.content === "noindex",
      }));
      const where = (m) => problems.push(`${path}: ${m}`);
      if (facts.styled.length) where(`style attributes: ${facts.styled.join(" | ")}`);
      if (facts.inlineScripts) where(`${facts.inlineScripts} inline scripts`);
      if (facts.handlers) where(`${facts.handlers} inline event handlers`);
      if (facts.lang !== "ko") where(`lang=${facts.lang}`);
      if (facts.main !== 1 || facts.banner !== 1 || facts.footer !== 1) where(`landmarks main=${facts.main} header=${facts.banner} footer=${facts.footer}`);
      if (facts.skip !== "#main") where(`skip link ${facts.skip}`);
      if (facts.h1 !== 1) where(`${facts.h1} h1 elements`);
      if (!facts.desc || !facts.ogDesc || !facts.ogTitle) where("missing description or OpenGraph title/description");
      if (!facts.icon?.startsWith(basePath)) where(`favicon ${facts.icon}`);
      if (facts.noindex !== (path === NOT_FOUND() || path === kindPath("search"))) where(`noindex ${facts.noindex}`);
      if (path === NOT_FOUND() && facts.canonical) where("the 404 page names a canonical URL");
      if (path !== NOT_FOUND()) {
        const want = "https://example.org" + path;
        if (facts.canonical !== want) where(`canonical ${facts.canonical}, want ${want}`);
        if (facts.ogUrl !== want) where(`og:url ${facts.ogUrl}, want ${want}`);
      }
    });
    assert.deepEqual(problems, []);
  });

  test("links to pages and anchors that exist, all under the base path", async () => {
    const html = {};
    const fileOf = (p) => join(dir, p.slice(basePath.length).replace(/\/$/, "/index.html").replace(/^$/, "index.html"));
    const links = new Set();
    for (const path of all.filter((p) => p !== NOT_FOUND())) {
      const text = readFileSync(fileOf(path), "utf8");
      html[path] = text;
      for (const m of text.matchAll(/(?:href|src)="([^"]+)"/g)) {
        const raw = m[1].replaceAll("&amp;", "&");
        if (raw.startsWith("https://example.org/")) continue; // canonical and og:url
        if (/^(https?:|mailto:)/.test(raw)) continue; // sources' own sites: links out, never loaded
        links.add(new URL(raw, origin + path).href);
      }
    }
    const problems = [];
    const api = await browser.newContext();
    for (const link of links) {
      const u = new URL(link);
      if (u.origin !== origin || !u.pathname.startsWith(basePath)) {
        problems.push(`outside the base path: ${link}`);
        continue;
      }
      const r = await api.request.get(u.origin + u.pathname + u.search);
      if (r.status() !== 200) problems.push(`${r.status()} ${link}`);
      if (u.hash && r.status() === 200) {
        const body = await r.text();
        const id = decodeURIComponent(u.hash.slice(1));
        if (!body.includes(`id="${id}"`)) problems.push(`no #${id} on ${u.pathname}`);
      }
    }
    await api.close();
    assert.deepEqual(problems, []);
    summary.push(`${links.size} distinct internal links and anchors resolve under ${basePath}`);
  });

  test("sitemap.xml, robots.txt and the 404 page are right under the sub-path", async () => {
    const api = await browser.newContext();
    const robots = await (await api.request.get(base + "robots.txt")).text();
    assert.match(robots, new RegExp(`Sitemap: https://example\\.org${basePath}sitemap\\.xml`));
    const sitemap = await (await api.request.get(base + "sitemap.xml")).text();
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    assert.ok(locs.length >= 40, `${locs.length} sitemap entries`);
    for (const l of locs) assert.ok(l.startsWith(`https://example.org${basePath}`), l);
    assert.ok(!locs.some((l) => l.includes("404")), "404 page listed in the sitemap");
    const missing = await api.request.get(base + "no/such/page/");
    assert.equal(missing.status(), 404);
    await api.close();
    const { ctx, page } = await open(NOT_FOUND());
    assert.equal(await page.locator("h1").textContent(), "페이지를 찾을 수 없습니다");
    assert.ok((await page.locator("main ol.contents a").count()) > 5, "404 page offers the contents");
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector(".site-header")).borderBottomStyle), "solid", "404 page is styled");
    await ctx.close();
  });
});

describe("search", () => {
  test("loads nothing until the reader starts searching, then reports its size", async () => {
    const { ctx, page, log } = await open(kindPath("chapter"));
    await page.waitForLoadState("networkidle");
    const searchy = () => log.requests.filter((r) => /\/search(\/[^/]*\.json|\.js)/.test(r.url)).map((r) => r.url);
    assert.deepEqual(searchy(), [], "search files requested on page load");
    await page.locator("#site-search").focus();
    await page.waitForTimeout(300);
    assert.ok(!searchy().some((u) => u.endsWith(".json")), "index requested before any query was typed");
    await searchBox(page, "중국");
    const files = log.responses.filter((r) => /\/search(\/[^/]*\.json|\.js)/.test(r.url));
    assert.ok(files.some((r) => r.url.includes("meta.json")), "meta.json loaded after typing");
    const index = files.filter((r) => r.url.endsWith(".json"));
    const js = files.filter((r) => !r.url.endsWith(".json"));
    const sum = (l, k) => l.reduce((a, r) => a + r[k], 0);
    summary.push(
      `search index for a query: ${sum(index, "bytes")} B raw, ${sum(index, "gzip")} B gzip (${index.length} files); search.js ${sum(js, "bytes")} B raw, ${sum(js, "gzip")} B gzip`,
    );
    await ctx.close();
  });

  const CASES = [
    { q: "플랫폼", page: "chapters/internet-plus/", excerpt: "인터넷플랫폼+제조" },
    { q: "지능", page: "chapters/ai/", excerpt: "인공지능" },
    { q: "Baidu", page: "companies/baidu/", first: true },
    { q: "百度", page: "companies/baidu/", first: true },
  ];
  for (const c of CASES) {
    test(`"${c.q}" returns ${c.page} ${c.first ? "first" : "in the top three"} with a highlighted excerpt`, async () => {
      const { ctx, page } = await open(kindPath("home"));
      const results = await searchBox(page, c.q);
      const top = results.slice(0, c.first ? 1 : 3);
      const hit = top.find((r) => pathOf(r.url) === basePath + c.page);
      assert.ok(hit, `${c.q}: top results ${JSON.stringify(top.map((r) => r.url))}`);
      assert.ok(hit.marks.length > 0 && hit.marks.every((m) => m.toLowerCase() === c.q.toLowerCase()), `marks ${hit.marks}`);
      if (c.excerpt) assert.ok(hit.excerpt.includes(c.excerpt), `excerpt "${hit.excerpt}" lacks ${c.excerpt}`);
      if (hit.url.includes("#")) assert.ok(hit.section, "a section result names its section");
      await ctx.close();
    });
  }

  test(`"중국" finds 중국의 and 중국은 inside words, title matches first`, async () => {
    const { ctx, page } = await open(kindPath("chapter"));
    const results = await searchBox(page, "중국");
    assert.ok(results[0].title.includes("중국"), `first result ${results[0].title}`);
    const after = (r) => [...r.excerpt.matchAll(/중국(.)/g)].map((m) => m[1]);
    assert.ok(results.some((r) => after(r).includes("의")), "no excerpt shows 중국의");
    assert.ok(results.some((r) => after(r).includes("은")), "no excerpt shows 중국은");
    assert.ok(results.some((r) => r.section), "no result names its section");
    await ctx.close();
  });

  test("a page's exact title ranks it first (every company and chapter)", async () => {
    const queries = [];
    for (const path of all) {
      const rel = path.slice(basePath.length);
      if (!/^(companies|chapters)\/[^/]+\/$/.test(rel)) continue;
      const h = readFileSync(join(dir, rel, "index.html"), "utf8").match(/<h1[^>]*>([\s\S]*?)<\/h1>/)[1];
      // The title as read: without the chapter number and footnote marks.
      const title = h.replace(/<span class="num">[^<]*<\/span>/, "").replace(/<sup[\s\S]*?<\/sup>/g, "").replace(/<[^>]+>/g, "").replaceAll("&amp;", "&").replaceAll("&#39;", "'").trim();
      queries.push({ q: title, path });
    }
    assert.ok(queries.length >= 20);
    const { ctx, page } = await open(kindPath("home"));
    const wrong = [];
    for (const { q, path } of queries) {
      const results = await searchBox(page, q);
      if (!results.length || pathOf(results[0].url) !== path) wrong.push(`${q} → ${results[0]?.url} (want ${path})`);
    }
    await ctx.close();
    assert.deepEqual(wrong, []);
  });

  // Korean spacing varies. 02-internet-plus.md: "… 양회 업무보고에서 인터넷 플러스 개념을 제시";
  // tables/internet-plus-guidelines.yaml: "인터넷 플러스 산업(신경제) 생태계 구축" (neither page
  // writes 인터넷플러스; the chapter also has 인터넷플랫폼, so its bigram 넷플 is there anyway,
  // the table's is not). With the bigram index (the "search" tests run on an indexed build
  // too), the table is found only if the index spans the space.
  test(`"인터넷플러스" finds the pages that write 인터넷 플러스, the space marked with the match`, async () => {
    const { ctx, page } = await open(kindPath("home"));
    const results = await searchBox(page, "인터넷플러스");
    for (const want of ["chapters/internet-plus/", "tables/internet-plus-guidelines/"]) {
      const hits = results.filter((r) => pathOf(r.url) === basePath + want);
      assert.ok(hits.length, `${want} not among ${JSON.stringify(results.map((r) => r.url))}`);
      for (const hit of hits) assert.ok(hit.marks.length && hit.marks.every((m) => m === "인터넷 플러스"), `${hit.url}: marks ${JSON.stringify(hit.marks)}`);
    }
    await ctx.close();
  });

  // A block ends in the search text (a list item, a table cell): a spaced match must not run
  // across it. 01-made-in-china-2025.md: an item ends "… 하드웨어 업그레이드 정책임", the next
  // starts "중국은 …"; tables/mic2025-goals.yaml: the header cells 구분 | 달성목표. Neither query
  // is in the report within one block.
  test("a word does not run across the end of a list item or a table cell", async () => {
    const { ctx, page } = await open(kindPath("home"));
    // 05-iot.md too: "… 사물인터넷 플랫폼 제공업체", then a nested item "사물인터넷 개발자들에게 …".
    for (const q of ["책임중국", "구분달성목표", "제공업체사물인터넷"]) {
      const results = await searchBox(page, q);
      assert.deepEqual(results.map((r) => `${r.url}: ${r.marks}`), [], q);
    }
    // Each side is found on its own.
    for (const [q, want] of [["정책임", "chapters/made-in-china-2025/"], ["구분", "tables/mic2025-goals/"]]) {
      const results = await searchBox(page, q);
      assert.ok(results.some((r) => pathOf(r.url) === basePath + want), `${q}: ${JSON.stringify(results.map((r) => r.url))}`);
    }
    await ctx.close();
  });

  test("a two-character word matches only as typed (국제 is not 중국 제조)", async () => {
    // 01-made-in-china-2025.md writes '중국 제조 2025'; a spaced match of 국제 would mark 국 제.
    const { ctx, page } = await open(kindPath("home"));
    const results = await searchBox(page, "국제");
    assert.ok(results.length, "국제 is in the report");
    for (const r of results) assert.ok(r.marks.every((m) => m === "국제"), `${r.url}: marks ${JSON.stringify(r.marks)}`);
    await ctx.close();
  });

  test("a query written with spaces finds the text written without (빅 데이터 → 빅데이터)", async () => {
    // The report writes 빅데이터 (06-big-data.md: "빅데이터 분야"), never 빅 데이터.
    const { ctx, page } = await open(kindPath("home"));
    const results = await searchBox(page, "빅 데이터");
    const hit = results.find((r) => pathOf(r.url) === basePath + "chapters/big-data/");
    assert.ok(hit, JSON.stringify(results.map((r) => r.url)));
    assert.ok(hit.excerpt.includes("빅데이터") && hit.marks.includes("빅") && hit.marks.includes("데이터"), `${hit.excerpt}: ${hit.marks}`);
    await ctx.close();
  });

  test("a match as typed ranks above one with a space inside (중국제조: 중국제조 2025 before 중국 제조업)", async () => {
    // 01-made-in-china-2025.md writes 중국제조 2025; tables/mic2025-goals.yaml "중국 제조업의 수준".
    const { ctx, page } = await open(kindPath("home"));
    const results = await searchBox(page, "중국제조");
    const exact = results.map((r, i) => (r.marks.includes("중국제조") ? i : -1)).filter((i) => i >= 0);
    const spaced = results.map((r, i) => (r.marks.length && r.marks.every((m) => m !== "중국제조") ? i : -1)).filter((i) => i >= 0);
    assert.ok(exact.length && spaced.length, JSON.stringify(results.map((r) => [r.url, r.marks])));
    assert.ok(Math.max(...exact) < Math.min(...spaced), JSON.stringify(results.map((r) => [r.url, r.marks])));
    await ctx.close();
  });

  test("the script's bigrams and shard hash are the index builder's (indexed build)", async (t) => {
    const { ctx, page } = await open(kindPath("home"));
    await searchBox(page, "중국"); // loads search.js
    // Every bigram is in the file where the script looks for it, and each page's bigrams, as
    // the script makes them from the page's docs row, are those the index lists for it.
    const problems = await page.evaluate(async () => {
      const S = window.ReportSearch;
      const metaUrl = document.body.dataset.searchMeta;
      const dir = metaUrl.slice(0, metaUrl.lastIndexOf("/") + 1);
      const get = (u) => fetch(u).then((r) => r.json());
      const m = await get(metaUrl);
      if (!m.index_shards) return null;
      const out = [];
      const indexed = {};
      for (let s = 0; s < m.index_shards; s++) {
        for (const [b, deltas] of Object.entries(await get(`${dir}index-${s}.json`))) {
          if (S.shard(b, m.index_shards) !== s) out.push(`${b} is in index-${s}, the script looks in index-${S.shard(b, m.index_shards)}`);
          let id = 0;
          for (const d of deltas) (indexed[(id += d)] ||= new Set()).add(b);
        }
      }
      for (let k = 0; k < m.doc_shards.length; k++) {
        (await get(`${dir}docs-${k}.json`)).forEach((p, j) => {
          const id = m.doc_shards[k] + j;
          const want = new Set([p[1], ...p[2], ...p[3].flatMap((s) => [s[1], s[2]])].flatMap(S.bigrams));
          const got = indexed[id] || new Set();
          const missing = [...want].filter((b) => !got.has(b));
          const extra = [...got].filter((b) => !want.has(b));
          if (missing.length || extra.length) out.push(`${p[0]}: not indexed ${missing.slice(0, 5)}; indexed, not the script's ${extra.slice(0, 5)}`);
        });
      }
      return { out, pages: m.pages };
    });
    await ctx.close();
    if (problems === null) return t.skip("no bigram index in this build");
    assert.deepEqual(problems.out, []);
    summary.push(`bigram index: the script's bigrams and shards match the builder's on all ${problems.pages} pages`);
  });

  test("the keyboard reaches the results (ArrowDown) and Escape closes them", async () => {
    const { ctx, page } = await open(kindPath("chapter"));
    const results = await searchBox(page, "인공지능");
    assert.ok(results.length > 0);
    await page.keyboard.press("ArrowDown");
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), results[0].url);
    await page.keyboard.press("Escape");
    assert.equal(await page.locator("#search-panel").isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement.id), "site-search");
    await ctx.close();
  });

  test("the search page works from its URL and says so without JavaScript", async () => {
    const { ctx, page } = await open(kindPath("search") + "?q=" + encodeURIComponent("인공지능"));
    await page.waitForSelector("#search-page-results li");
    assert.ok((await page.locator("#search-page-results li").count()) > 0);
    await ctx.close();
    const nojs = await open(kindPath("search"), { js: false });
    assert.match(await nojs.page.locator("main").innerText(), /자바스크립트/);
    await nojs.ctx.close();
  });
});

describe("theme", () => {
  const bg = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  test("the toggle switches light and dark and remembers across reloads and pages", async () => {
    const { ctx, page } = await open(kindPath("chapter"));
    const toggle = page.locator(".theme-toggle");
    assert.ok(await toggle.isVisible());
    assert.equal(await bg(page), LIGHT);
    assert.equal(await toggle.getAttribute("aria-pressed"), "false");
    await toggle.click();
    assert.equal(await bg(page), DARK);
    assert.equal(await toggle.getAttribute("aria-pressed"), "true");
    assert.equal(await page.evaluate(() => localStorage.getItem("reportgen-theme")), "dark");
    const themeColors = () => page.$$eval('meta[name="theme-color"]', (ms) => ms.map((m) => m.content));
    assert.deepEqual(await themeColors(), [DARK, DARK], "theme-color follows the choice");
    await page.reload({ waitUntil: "load" });
    assert.equal(await bg(page), DARK, "dark after reload");
    await page.goto(base + "tables/", { waitUntil: "load" });
    assert.equal(await bg(page), DARK, "dark on another page");
    await page.locator(".theme-toggle").click();
    await page.reload({ waitUntil: "load" });
    assert.equal(await bg(page), LIGHT, "light after toggling back and reloading");
    await ctx.close();
  });

  test("prefers-color-scheme: dark applies dark colours without a toggle, with or without JavaScript", async () => {
    for (const js of [true, false]) {
      const { ctx, page } = await open(kindPath("table"), { scheme: "dark", js });
      assert.equal(await bg(page), DARK, `js=${js}`);
      assert.equal(await page.evaluate(() => document.documentElement.getAttribute("data-theme")), null);
      await ctx.close();
    }
  });

  test("charts take their colours from the theme (light, dark)", async () => {
    const colours = {};
    for (const scheme of ["light", "dark"]) {
      const { ctx, page } = await open(kindPath("table"), { scheme });
      colours[scheme] = await page.evaluate(() => {
        const f = (sel) => getComputedStyle(document.querySelector(sel)).fill;
        return { bar: f(".chart-bar"), label: f(".chart-label"), fg: getComputedStyle(document.body).color };
      });
      assert.equal(colours[scheme].label, colours[scheme].fg, `${scheme}: chart labels in the text colour`);
      await ctx.close();
    }
    assert.notEqual(colours.light.bar, colours.dark.bar);
  });
});

describe("phones", () => {
  test("no page scrolls sideways at 360 px; wide tables scroll inside their labelled region", async () => {
    const problems = [];
    let wide = 0;
    for (const js of [true, false]) {
      await eachPage(all, { width: 360, height: 740, js }, async (path, page) => {
        const f = await page.evaluate(() => {
          const s = document.scrollingElement;
          const regions = [...document.querySelectorAll(".table-scroll")].map((r) => ({
            role: r.getAttribute("role"),
            label: document.getElementById(r.getAttribute("aria-labelledby") || "")?.tagName,
            tab: r.tabIndex,
            right: r.getBoundingClientRect().right,
            scrolls: r.scrollWidth > r.clientWidth,
            // Column headings kept to one line make a table wider than it needs to be.
            unwrapped: [...r.querySelectorAll("thead th")].filter((th) => getComputedStyle(th).whiteSpace === "nowrap").map((th) => th.textContent),
          }));
          const over = [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5 && !e.closest(".table-scroll, .visually-hidden, .skip-link"))
            .slice(0, 3)
            .map((e) => e.tagName + "." + e.className);
          return { sw: s.scrollWidth, cw: s.clientWidth, regions, over };
        });
        if (f.sw > f.cw) problems.push(`${path} (js=${js}): scrollWidth ${f.sw} > ${f.cw}: ${f.over.join(", ")}`);
        for (const r of f.regions) {
          if (r.role !== "region" || r.label !== "CAPTION" || r.tab !== 0) problems.push(`${path}: table region ${JSON.stringify(r)}`);
          if (r.right > 360.5) problems.push(`${path}: table region overflows the page`);
          if (r.scrolls) wide++;
          if (r.scrolls && r.unwrapped.length) problems.push(`${path}: a scrolling table's headings do not wrap: ${r.unwrapped.join(" | ")}`);
        }
      });
    }
    assert.deepEqual(problems, []);
    summary.push(`${all.length} pages at 360 px (with and without JavaScript): no sideways scroll; ${wide} table views scroll inside their region`);
  });

  test("the contents sidebar collapses on phones and stays open on desktops, with or without JavaScript", async () => {
    for (const [width, js, open_] of [[360, true, false], [1280, true, true], [360, false, false], [1280, false, true]]) {
      const { ctx, page } = await open(kindPath("chapter"), { width, js });
      const visible = await page.locator(".sidebar nav").isVisible();
      assert.equal(visible, open_, `width ${width}, js ${js}`);
      await ctx.close();
    }
  });
});

describe("tables", () => {
  test("have captions with the report's label, thead/tbody, header scopes and right-aligned numbers", async () => {
    const problems = [];
    let count = 0;
    await eachPage(all.filter((p) => /\/(tables\/[^/]+|chapters\/[^/]+|print)\/$/.test(p)), {}, async (path, page) => {
      const tables = await page.$$eval("main table", (ts) =>
        ts.map((t) => ({
          caption: t.caption?.textContent.trim() || "",
          thead: !!t.tHead,
          tbody: t.tBodies.length,
          scopes: [...t.querySelectorAll("th")].map((th) => th.getAttribute("scope")),
          nums: [...t.querySelectorAll("td.num")].map((td) => getComputedStyle(td).textAlign),
        })),
      );
      for (const t of tables) {
        count++;
        if (!/^\[표 \d+\] \S/.test(t.caption)) problems.push(`${path}: caption "${t.caption}"`);
        if (!t.thead || t.tbody !== 1) problems.push(`${path}: ${t.caption}: thead/tbody`);
        const badScopes = t.scopes.filter((s) => !["col", "row", "colgroup", "rowgroup"].includes(s));
        if (badScopes.length) problems.push(`${path}: ${t.caption}: th scopes ${badScopes}`);
        if (t.nums.some((a) => a !== "right")) problems.push(`${path}: ${t.caption}: numbers not right-aligned`);
      }
    });
    assert.ok(count >= 15, `${count} tables seen`);
    assert.deepEqual(problems, []);
  });

  test("are listed in number order where a source backs them", async () => {
    const { ctx, page } = await open(kindPath("sources"));
    const lists = await page.$$eval(".source-list > li", (lis) =>
      lis.map((li) => [...li.querySelectorAll(".backlink-list .place")].map((p) => p.textContent).filter((t) => /^표 \d+/.test(t)).map((t) => parseInt(t.slice(2)))),
    );
    await ctx.close();
    assert.ok(lists.some((l) => l.length >= 3), JSON.stringify(lists));
    for (const l of lists) assert.deepEqual(l, [...l].sort((a, b) => a - b));
  });

  test("offer CSV (UTF-8 with BOM) and JSON downloads", async () => {
    const api = await browser.newContext();
    for (const path of all.filter((p) => /\/tables\/[^/]+\/$/.test(p))) {
      const html = await (await api.request.get(origin + path)).text();
      const csv = html.match(/href="([^"]+\.csv)"/)[1];
      const json = html.match(/href="([^"]+\.json)"/)[1];
      const body = await (await api.request.get(origin + csv)).body();
      assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${csv} starts with a BOM`);
      assert.match(body.toString("utf8"), /[가-힣]/);
      const doc = JSON.parse(await (await api.request.get(origin + json)).text());
      assert.match(doc.label, /^표 \d+$/);
    }
    await api.close();
  });
});

describe("accessibility", () => {
  for (const kind of Object.keys(KINDS)) {
    test(`axe-core: no serious or critical violations on the ${kind} page (light and dark, 1280 and 360 px)`, async () => {
      const found = [];
      let moderate = 0;
      for (const [scheme, width] of [["light", 1280], ["dark", 1280], ["light", 360]]) {
        const { ctx, page } = await open(kindPath(kind), { scheme, width, bypassCSP: true });
        if (kind === "search") {
          await page.locator("#search-page-input").fill("인공지능");
          await page.waitForSelector("#search-page-results li");
        }
        if (kind === "chapter") await searchBox(page, "지능"); // the open results panel too
        await page.evaluate(AXE);
        const v = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations));
        moderate += v.filter((x) => x.impact === "moderate" || x.impact === "minor").length;
        for (const x of v) {
          if (x.impact === "serious" || x.impact === "critical") {
            found.push(`${scheme} ${width}px: ${x.id} (${x.impact}): ${x.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
          }
        }
        await ctx.close();
      }
      assert.deepEqual(found, []);
      if (moderate) summary.push(`axe on the ${kind} page: ${moderate} moderate or minor findings`);
    });
  }

  test("the skip link is the first stop, visible when focused, and focus is always visible", async () => {
    const { ctx, page } = await open(kindPath("chapter"));
    await page.keyboard.press("Tab");
    const skip = await page.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      return { cls: a.className, top: r.top, outline: getComputedStyle(a).outlineStyle };
    });
    assert.equal(skip.cls, "skip-link");
    assert.ok(skip.top >= 0, "skip link on screen when focused");
    assert.notEqual(skip.outline, "none");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement.id), "main");
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      const f = await page.evaluate(() => ({ tag: document.activeElement.tagName, o: getComputedStyle(document.activeElement).outlineStyle }));
      assert.notEqual(f.o, "none", `focus ring on ${f.tag}`);
    }
    await ctx.close();
  });

  test("Korean typography: system Korean fonts, keep-all, about 1.7 line height", async () => {
    const { ctx, page } = await open(kindPath("chapter"));
    const t = await page.evaluate(() => {
      const s = getComputedStyle(document.querySelector(".prose p, .prose li"));
      return { font: s.fontFamily, wb: s.wordBreak, ow: s.overflowWrap, lh: parseFloat(s.lineHeight) / parseFloat(s.fontSize) };
    });
    for (const f of ["Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR"]) assert.ok(t.font.includes(f), `${f} in ${t.font}`);
    assert.equal(t.wb, "keep-all");
    assert.ok(["anywhere", "break-word"].includes(t.ow), t.ow);
    assert.ok(t.lh >= 1.6 && t.lh <= 1.8, `line height ${t.lh}`);
    const css = await page.evaluate(() => [...document.styleSheets].flatMap((s) => [...s.cssRules]).filter((r) => r instanceof CSSFontFaceRule).length);
    assert.equal(css, 0, "no @font-face");
    await ctx.close();
  });
});

describe("without JavaScript", () => {
  test("every page shows its content and navigation, laid out", async () => {
    const problems = [];
    await eachPage(all, { js: false }, async (path, page) => {
      const f = await page.evaluate(() => ({
        main: document.querySelector("main")?.innerText.trim().length || 0,
        nav: document.querySelectorAll(".site-nav a").length,
        styled: getComputedStyle(document.body).fontFamily.includes("Gothic"),
        toggle: !!document.querySelector(".theme-toggle")?.checkVisibility(),
        search: !!document.querySelector(".search-form, .search-page-form")?.checkVisibility(),
        mainWidth: document.querySelector("main")?.getBoundingClientRect().width || 0,
      }));
      if (f.main < 40) problems.push(`${path}: main has ${f.main} characters`);
      if (f.nav < 7) problems.push(`${path}: ${f.nav} nav links`);
      if (!f.styled) problems.push(`${path}: stylesheet not applied`);
      if (f.toggle) problems.push(`${path}: theme toggle shown though it cannot work`);
      if (!f.search) problems.push(`${path}: search form hidden`);
      if (f.mainWidth < 300) problems.push(`${path}: main only ${f.mainWidth}px wide`);
    });
    assert.deepEqual(problems, []);
  });
});

describe("print", () => {
  test("the whole-report page prints with no chrome and every table, figure and footnote", async () => {
    const tablePages = all.filter((p) => /\/tables\/[^/]+\/$/.test(p)).length;
    const figurePages = all.filter((p) => /\/figures\/[^/]+\/$/.test(p)).length;
    let footnotes = 0;
    for (const p of all.filter((p) => /\/chapters\/[^/]+\/$/.test(p))) {
      footnotes += (readFileSync(join(dir, p.slice(basePath.length), "index.html"), "utf8").match(/<li id="fn-/g) || []).length;
    }
    const { ctx, page } = await open(kindPath("print"));
    await page.emulateMedia({ media: "print" });
    for (const sel of [".site-header", ".site-nav", ".site-footer", ".skip-link", ".breadcrumbs", ".print-intro", ".theme-toggle", ".search-form", ".pager", ".sidebar"]) {
      const shown = await page.$$eval(sel, (es) => es.filter((e) => e.checkVisibility()).length);
      assert.equal(shown, 0, `${sel} visible in print`);
    }
    const f = await page.evaluate(() => ({
      tables: [...document.querySelectorAll("main table")].filter((e) => e.checkVisibility()).length,
      figures: [...document.querySelectorAll("main figure.figure-block")].filter((e) => e.checkVisibility()).length,
      notes: [...document.querySelectorAll("main .footnote-list li")].filter((e) => e.checkVisibility()).length,
      refs: [...document.querySelectorAll("main sup.fnref a")].map((a) => a.getAttribute("href")).filter((h) => !document.getElementById(decodeURIComponent(h.slice(1)))),
      bg: getComputedStyle(document.body).backgroundColor,
      overflow: [...document.querySelectorAll(".table-scroll")].filter((e) => e.scrollWidth > e.clientWidth + 1).length,
    }));
    assert.equal(f.tables, tablePages, "tables in print");
    assert.equal(f.figures, figurePages, "figures in print");
    assert.ok(footnotes > 0);
    assert.equal(f.notes, footnotes, "footnotes in print");
    assert.deepEqual(f.refs, [], "footnote references without a target");
    assert.equal(f.overflow, 0, "tables cut off in print");
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    const sheets = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert.ok(sheets >= 5, `${sheets} printed pages`);
    summary.push(`print: ${f.tables} tables, ${f.figures} figures, ${f.notes} footnotes, ${sheets} A4 pages, no chrome`);
    await ctx.close();
    // Printing in dark mode still gives black on white.
    const dark = await open(kindPath("print"), { scheme: "dark" });
    await dark.page.emulateMedia({ media: "print", colorScheme: "dark" });
    assert.equal(await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor), LIGHT);
    await dark.ctx.close();
  });
});

describe("budgets", () => {
  test("a chapter page transfers under 60 KB (gzip) before search, with no layout shift", async () => {
    const problems = [];
    let heaviest = 0;
    let worst = 0;
    for (const path of all.filter((p) => /\/chapters\/[^/]+\/$/.test(p))) {
      for (const width of [360, 1280]) {
        const ctx = await browser.newContext({ viewport: { width, height: 800 } });
        await ctx.addInitScript(() => {
          window.__cls = 0;
          new PerformanceObserver((l) => {
            for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
          }).observe({ type: "layout-shift", buffered: true });
        });
        const page = await ctx.newPage();
        const log = watch(page);
        await page.goto(origin + path, { waitUntil: "load" });
        await page.waitForLoadState("networkidle");
        await page.waitForTimeout(300);
        const cls = await page.evaluate(() => window.__cls);
        const gz = log.responses.reduce((a, r) => a + r.gzip, 0);
        if (gz > 60 * 1024) problems.push(`${path}: ${gz} B gzip`);
        if (cls > 0.01) problems.push(`${path} at ${width}px: CLS ${cls}`);
        heaviest = Math.max(heaviest, gz);
        worst = Math.max(worst, cls);
        await ctx.close();
      }
    }
    assert.deepEqual(problems, []);
    summary.push(`heaviest chapter page: ${heaviest} B (${kb(heaviest)}) gzip with CSS and JS; worst CLS ${worst.toFixed(4)}`);
  });
});
