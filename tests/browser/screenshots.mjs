// Screenshots of the main page kinds at phone (360 px) and desktop (1280 px) widths, light and
// dark, plus the open search panel and the print view (as PDF, and as PNG pages when pdftoppm
// is installed), for a person to look at.
//
//   npm run screenshots                    writes into tests/browser/screenshots/
//   npm run screenshots -- OUT_DIR         writes into OUT_DIR
//   REPORTGEN_SITE_DIR=… npm run …         uses a build you made

import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { HERE, KINDS, launch, serve, site } from "./lib.mjs";

const out = process.argv[2] || join(HERE, "screenshots");
mkdirSync(out, { recursive: true });
const { dir, basePath } = site();
const server = await serve(dir, basePath);
const browser = await launch();
const MAX_HEIGHT = 5000; // tall pages are cut here: the top is what needs looking at

let count = 0;
for (const scheme of ["light", "dark"]) {
  for (const width of [360, 1280]) {
    const ctx = await browser.newContext({ viewport: { width, height: width < 600 ? 740 : 900 }, colorScheme: scheme, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    for (const [kind, rel] of Object.entries(KINDS)) {
      await page.goto(server.base + rel, { waitUntil: "load" });
      const height = await page.evaluate(() => document.scrollingElement.scrollHeight);
      const file = join(out, `${kind}-${width}-${scheme}.png`);
      await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, MAX_HEIGHT) } });
      count++;
    }
    // The search panel open over a chapter.
    await page.goto(server.base + KINDS.chapter, { waitUntil: "load" });
    await page.locator("#site-search").focus();
    await page.locator("#site-search").fill("플랫폼");
    await page.waitForFunction(() => document.getElementById("search-panel").dataset.query === "플랫폼");
    await page.screenshot({ path: join(out, `search-open-${width}-${scheme}.png`) });
    count++;
    await ctx.close();
  }
}

// Print: the whole report as an A4 PDF, as a reader's "save as PDF" gives it.
const ctx = await browser.newContext();
const page = await ctx.newPage();
await page.goto(server.base + KINDS.print, { waitUntil: "load" });
await page.emulateMedia({ media: "print" });
const pdf = join(out, "print.pdf");
writeFileSync(pdf, await page.pdf({ format: "A4", printBackground: true }));
await ctx.close();
const png = spawnSync("pdftoppm", ["-png", "-r", "60", pdf, join(out, "print-page")]);
await browser.close();
await server.close();
console.log(`${count} screenshots and print.pdf${png.status === 0 ? " (with PNG pages)" : ""} in ${out}`);
