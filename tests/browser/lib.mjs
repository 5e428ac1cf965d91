// Shared by the browser tests, the search comparison and the screenshots: finds (or builds)
// the site, serves it under its base path with a strict Content-Security-Policy, launches
// Debian's chromium through playwright-core, and lists the site's pages by kind.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import { chromium } from "playwright-core";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, "..", "..");
export const BASE_PATH_DEFAULT = "/reports/china-4ir/";
export const CSP = "default-src 'self'";

/** The built site: `REPORTGEN_SITE_DIR` and `REPORTGEN_BASE_PATH` when set (the Rust test
 * sets them), else a fresh `cargo run -- build` under the default sub-path. */
export function site() {
  const dir = process.env.REPORTGEN_SITE_DIR;
  const basePath = process.env.REPORTGEN_BASE_PATH || BASE_PATH_DEFAULT;
  if (dir) return { dir, basePath };
  const out = mkdtempSync(join(tmpdir(), "reportgen-site-"));
  const r = spawnSync(
    "cargo",
    ["run", "--quiet", "--", "--root", REPO, "build", "--out", out, "--base-url", `https://example.org${basePath}`],
    { cwd: REPO, stdio: ["ignore", "inherit", "inherit"] },
  );
  if (r.status !== 0) throw new Error(`reportgen build failed (exit ${r.status})`);
  return { dir: out, basePath };
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".wasm": "application/wasm",
  ".pf_meta": "application/octet-stream",
};

/** Serves `dir` at `basePath` on 127.0.0.1 (a free port). Every response carries `csp` (when
 * given); unknown paths get 404.html with status 404, as static hosts do. */
export function serve(dir, basePath, { csp = CSP } = {}) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    const headers = { "Cache-Control": "no-store" };
    if (csp) headers["Content-Security-Policy"] = csp;
    let path = decodeURIComponent(url.pathname);
    let file = null;
    if (path.startsWith(basePath)) {
      let rel = path.slice(basePath.length);
      if (rel === "" || rel.endsWith("/")) rel += "index.html";
      const candidate = resolve(root, rel);
      if (candidate.startsWith(root + sep) && existsSync(candidate) && statSync(candidate).isFile()) file = candidate;
      else if (existsSync(candidate) && statSync(candidate).isDirectory()) {
        res.writeHead(301, { ...headers, Location: path + "/" });
        res.end();
        return;
      }
    }
    let status = 200;
    if (!file) {
      status = 404;
      file = join(root, "404.html");
    }
    const body = readFileSync(file);
    res.writeHead(status, { ...headers, "Content-Type": TYPES[extname(file)] || "application/octet-stream", "Content-Length": body.length });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  return new Promise((ok) => {
    server.listen(0, "127.0.0.1", () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      ok({ origin, base: origin + basePath, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

export const CHROMIUM = process.env.REPORTGEN_CHROMIUM || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** The site's pages: every URL of sitemap.xml (path under the base), plus search and 404. */
export function pages(dir, basePath) {
  const xml = readFileSync(join(dir, "sitemap.xml"), "utf8");
  const urls = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  for (const u of urls) if (!u.startsWith(basePath)) throw new Error(`sitemap URL ${u} is not under ${basePath}`);
  return [...urls, basePath + "search/", basePath + "no/such/page/"];
}

/** One page of each kind, by kind name (paths relative to the base). */
export const KINDS = {
  home: "",
  chapter: "chapters/internet-plus/",
  table: "tables/internet-plus-cities/",
  figure: "figures/tech-gap/",
  company: "companies/baidu/",
  tables: "tables/",
  figures: "figures/",
  companies: "companies/",
  sources: "sources/",
  timeline: "timeline/",
  glossary: "glossary/",
  print: "print/",
  search: "search/",
  "404": "no/such/page/",
};

export function gzipSize(buf) {
  return gzipSync(buf, { level: 9 }).length;
}

/** Records what a page does on the network and in its console. */
export function watch(page) {
  const log = { requests: [], failed: [], errors: [], bad: [], responses: [] };
  page.on("request", (r) => log.requests.push({ url: r.url(), type: r.resourceType() }));
  page.on("requestfailed", (r) => log.failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") log.errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => log.errors.push(`pageerror: ${e.message}`));
  page.on("response", async (r) => {
    const entry = { url: r.url(), status: r.status(), type: r.request().resourceType(), bytes: 0, gzip: 0 };
    log.responses.push(entry);
    if (r.status() >= 400) log.bad.push(`${r.status()} ${r.url()}`);
    try {
      const body = await r.body();
      entry.bytes = body.length;
      entry.gzip = gzipSize(body);
    } catch {
      /* redirects and aborted loads have no body */
    }
  });
  return log;
}

/** Collects Content-Security-Policy violations from the page (installed before any script). */
export const CSP_WATCH = `window.__csp = []; document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});`;

export function kb(n) {
  return `${(n / 1024).toFixed(1)} KiB`;
}
