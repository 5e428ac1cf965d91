//! The reader's site in a real browser: builds the report under a sub-path base URL (and at the
//! root, and with the bigram search index), then runs the Node tests in `tests/browser/` (playwright-core driving Debian's
//! headless chromium, axe-core), which serve the build with a strict Content-Security-Policy.
//! And the editor's live preview: `reportgen serve` on a small site, driven by `live.test.mjs`.
//!
//! Without node, npm packages or chromium the test prints a loud SKIPPED line and passes,
//! unless `REPORTGEN_REQUIRE_BROWSER=1` (set by CI), where it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Site, chapter, repo};

fn require() -> bool {
    std::env::var("REPORTGEN_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// Passes loudly, or fails when the browser tests are required.
fn skip(why: &str) {
    if require() {
        panic!("browser tests required (REPORTGEN_REQUIRE_BROWSER=1) but {why}");
    }
    eprintln!("\n=== SKIPPED: browser tests not run: {why} (set REPORTGEN_REQUIRE_BROWSER=1 to make this fail) ===\n");
}

fn runs(cmd: &str, arg: &str) -> bool {
    Command::new(cmd).arg(arg).output().is_ok_and(|o| o.status.success())
}

/// Checks node, chromium and the npm packages; installs the packages with `npm ci` if missing.
fn ready(dir: &Path) -> Result<(), String> {
    if !runs("node", "--version") {
        return Err("`node` is not installed".into());
    }
    let chromium = std::env::var("REPORTGEN_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Err(format!("chromium is not installed at {chromium}"));
    }
    if !dir.join("node_modules/playwright-core").is_dir() || !dir.join("node_modules/axe-core").is_dir() {
        let ok = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(dir).status().is_ok_and(|s| s.success());
        if !ok {
            return Err("the npm packages of tests/browser are missing and `npm ci` failed".into());
        }
    }
    Ok(())
}

/// Runs the Node tests against the site built in `out` under `base_path`; panics with their output.
fn run_node(dir: &Path, out: &Path, base_path: &str, pattern: Option<&str>) -> String {
    let mut cmd = Command::new("node");
    cmd.args(["--test", "--test-concurrency=1", "--test-timeout=600000"]);
    if let Some(p) = pattern {
        cmd.arg(format!("--test-name-pattern={p}"));
    }
    cmd.arg("site.test.mjs").current_dir(dir).env("REPORTGEN_SITE_DIR", out).env("REPORTGEN_BASE_PATH", base_path);
    let o = cmd.output().expect("node runs");
    let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success(), "browser tests failed under {base_path}:\n{text}");
    text
}

/// `tests/browser`, ready to run; `None` (after [`skip`]) when it cannot run.
fn browser_dir() -> Option<PathBuf> {
    let dir = repo().join("tests/browser");
    match ready(&dir) {
        Ok(()) => Some(dir),
        Err(why) => {
            skip(&why);
            None
        }
    }
}

fn build(site: &Site, base_url: &str, name: &str) -> PathBuf {
    let out = site.root.join(name);
    if let Err(e) = site.build_with(base_url, &out) {
        panic!("build failed:\n{e}");
    }
    out
}

#[test]
fn the_report_reads_searches_and_prints_in_a_real_browser() {
    let Some(dir) = browser_dir() else { return };
    let site = Site::report();
    // Under a sub-path: everything.
    let out = build(&site, "https://example.org/reports/china-4ir/", "public-sub");
    let text = run_node(&dir, &out, "/reports/china-4ir/", None);
    // At the host's root: every page and link again.
    let root = build(&site, "https://example.org/", "public-root");
    run_node(&dir, &root, "/", Some("every page"));
    // With the bigram index that large reports get (forced by a scan limit of 0): search again.
    let settings = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    site.write("site.toml", &settings.replacen("theme = \"default\"", "theme = \"default\"\nsearch_scan_max = 0", 1));
    let indexed = build(&site, "https://example.org/reports/china-4ir/", "public-indexed");
    assert!(indexed.join("search/index-0.json").is_file(), "no bigram index was built");
    run_node(&dir, &indexed, "/reports/china-4ir/", Some("search"));
    // The measurements (sizes, counts) the suite reports.
    for line in text.lines().filter(|l| l.starts_with("# \\# ") || l.starts_with("# # ")) {
        println!("{}", line.trim_start_matches("# \\# ").trim_start_matches("# # "));
    }
}

/// The live preview in a real browser: saves reload the open tabs, the check's findings show in
/// a panel, a failed build's error covers the last good page, and a good save clears both.
#[test]
fn the_live_preview_reloads_and_shows_findings_and_errors_in_a_real_browser() {
    let Some(dir) = browser_dir() else { return };
    let site = Site::new();
    site.write("content/index.md", "---\n---\n\n소개 문단.\n");
    site.write("content/chapters/01-one.md", &chapter(1, "one", "첫째 장", "첫 문장입니다. [](table:t1) 참고.\n\n![](table:t1)\n"));
    site.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "둘째 장 본문.\n"));
    site.write("content/tables/t1.yaml", "id: t1\ncaption: 첫 표\nheader:\n  - [구분, 값]\nrows:\n  - [가, \"1\"]\n");
    let server = match reportgen::serve::start(&reportgen::serve::ServeOptions { root: site.root.clone(), port: Some(0), quiet: true }) {
        Ok(s) => s,
        Err(e) => panic!("serve did not start:\n{e}"),
    };
    let o = Command::new("node")
        .args(["--test", "--test-timeout=300000", "live.test.mjs"])
        .current_dir(&dir)
        .env("REPORTGEN_SERVE_URL", server.url())
        .env("REPORTGEN_SITE_ROOT", &site.root)
        .output()
        .expect("node runs");
    let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success(), "live preview browser test failed:\n{text}");
}
