// The live preview (`reportgen serve`) in a real browser (headless Debian chromium): a save
// reloads every open tab (one tab holds the event stream and passes it on), the check of a
// good build shows its findings in a panel that opens and closes, a build that fails shows its
// located error over the last good page, and the next good save clears both.
//
// The Rust test (tests/browser.rs) starts the server on a small site and passes its URL and
// root in REPORTGEN_SERVE_URL and REPORTGEN_SITE_ROOT; this test edits the site's files.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { launch, watch } from "./lib.mjs";

const URL_ = process.env.REPORTGEN_SERVE_URL;
const ROOT = process.env.REPORTGEN_SITE_ROOT;
const WAIT = { timeout: 30000 };

/** Saves the body of the site's second chapter. */
function save(body) {
  writeFileSync(join(ROOT, "content/chapters/02-two.md"), `---\ntitle: "둘째 장"\norder: 2\nslug: two\n---\n\n${body}\n`);
}

/** The build id the page was served with. */
const buildOf = (page) => page.evaluate(() => document.querySelector("script[data-build]")?.getAttribute("data-build"));

/** Waits until `page` shows a build other than `before` and its body contains `text`. */
async function reloaded(page, before, text) {
  await page.waitForFunction(
    ([before, text]) => {
      const b = document.querySelector("script[data-build]")?.getAttribute("data-build");
      return b && b !== before && document.body.innerText.includes(text);
    },
    [before, text],
    WAIT,
  );
}

/** Waits for the server's `check` event whose data satisfies `pred` (read from the stream). */
async function checkEvent(pred) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), WAIT.timeout);
  try {
    const res = await fetch(URL_ + "__reportgen/events", { signal: abort.signal });
    const decoder = new TextDecoder();
    let buf = "";
    for await (const chunk of res.body) {
      buf += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buf.indexOf("\n\n")) >= 0) {
        const lines = buf.slice(0, end).split("\n");
        buf = buf.slice(end + 2);
        const name = lines.find((l) => l.startsWith("event: "))?.slice(7);
        const data = lines.filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
        if (name === "check" && pred(data)) return data;
      }
    }
    throw new Error("event stream ended");
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

let browser;

before(async () => {
  assert.ok(URL_ && ROOT, "REPORTGEN_SERVE_URL and REPORTGEN_SITE_ROOT are set");
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test("saves reload the tabs; check findings and build errors are shown, then cleared", async () => {
  const ctx = await browser.newContext({ viewport: { width: 412, height: 800 } });
  const page = await ctx.newPage();
  const log = watch(page);
  await page.goto(URL_ + "chapters/two/", { waitUntil: "load" });
  // A second tab of the same browser: only one tab holds the event stream.
  const other = await ctx.newPage();
  await other.goto(URL_ + "chapters/one/", { waitUntil: "load" });
  assert.equal(await page.locator("#reportgen-check").count(), 0, "a clean site shows no findings");

  // A mistake that still builds: the tabs reload, and the check's findings appear in a panel.
  let first = await buildOf(page);
  save("2016. 12. 바이두가 연구소를 열었다.");
  await reloaded(page, first, "바이두가 연구소를 열었다.");
  await reloaded(other, first, "첫 문장입니다.");
  const panel = page.locator("#reportgen-check");
  await panel.waitFor(WAIT);
  const summary = panel.locator("summary");
  assert.match(await summary.innerText(), /^reportgen check: 1 warning/);
  const list = panel.locator("pre");
  assert.equal(await list.isVisible(), false, "the list opens on demand");
  await summary.click();
  assert.equal(await list.isVisible(), true);
  const findings = await list.innerText();
  assert.ok(findings.includes("content/chapters/02-two.md:7:1: warning: `2016.` at the start of a paragraph"), findings);
  assert.ok(findings.includes("help: write `2016\\.` to keep it as text"), findings);
  await other.locator("#reportgen-check").waitFor(WAIT);
  await panel.locator("button").click();
  assert.equal(await page.locator("#reportgen-check").count(), 0, "× closes the panel");

  // A mistake that does not build: its located error covers the last good page, in both tabs.
  const good = await buildOf(page);
  save("깨진 참조 [](table:nope) 문장.");
  const overlay = page.locator("#reportgen-build-error");
  await overlay.waitFor(WAIT);
  const error = await overlay.innerText();
  assert.ok(error.includes("the last change does not build"), error);
  assert.ok(error.includes("content/chapters/02-two.md:7:7: unknown table id `nope`"), error);
  assert.equal(await buildOf(page), good, "the last good page stays");
  assert.ok((await page.innerText("main")).includes("바이두가 연구소를 열었다."));
  await other.locator("#reportgen-build-error").waitFor(WAIT);

  // The fix: the tabs reload, and neither the error nor a findings panel is left.
  save("고친 문장입니다.");
  await reloaded(page, good, "고친 문장입니다.");
  await reloaded(other, good, "첫 문장입니다.");
  // The check of the fixed build finds nothing, and the tabs show no panel.
  await checkEvent((d) => d === "check: no problems found");
  assert.equal(await page.locator("#reportgen-build-error, #reportgen-check").count(), 0);
  assert.equal(await other.locator("#reportgen-build-error, #reportgen-check").count(), 0);
  assert.deepEqual(log.errors, [], "no console errors");
  await ctx.close();
});
