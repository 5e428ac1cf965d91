//! The corpus of bad and hostile inputs in `tests/bad-inputs/`: each case is a directory with
//! `case.toml` (what it is and the exact error it must produce, or what the built page must
//! and must not contain) and `files/` laid over a small valid site (`_base/`).
//!
//! For every error case the valid site is built first, then the case is laid over it: the
//! build must fail with exactly the expected diagnostics and leave the earlier output as it was.

mod common;

use std::path::{Path, PathBuf};

use common::{Site, files};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    /// Lines replacing (or adding) keys in site.toml.
    #[serde(default)]
    site: Option<String>,
    /// Lines added at the top of site.toml's `[strings]` table.
    #[serde(default)]
    strings: Option<String>,
    /// Keys whose lines are taken out of site.toml.
    #[serde(default)]
    unset: Vec<String>,
    /// Files taken away (paths from the site's root).
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    symlinks: Vec<(String, String)>,
    #[serde(default)]
    generate: Vec<Generate>,
    #[serde(default)]
    bytes: Vec<Bytes>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    ok: Option<Expect>,
}

/// A large file made of `head`, `repeat` × `count`, `tail`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Generate {
    path: String,
    head: String,
    repeat: String,
    count: usize,
    tail: String,
}

/// A file given as hex bytes (invalid UTF-8, UTF-16, BOM …).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bytes {
    path: String,
    hex: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    page: String,
    #[serde(default)]
    contains: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    /// Other files that must exist in the output.
    #[serde(default)]
    also: Vec<String>,
}

fn corpus() -> PathBuf {
    common::repo().join("tests/bad-inputs")
}

fn overlay(from: &Path, to: &Path) {
    for rel in files(from) {
        let target = to.join(&rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&rel), target).unwrap();
    }
}

/// The key a site.toml line sets (the whole line, trimmed, when it sets none).
fn key_of(line: &str) -> &str {
    line.split('=').next().unwrap_or(line).trim()
}

fn set_site(site: &Site, lines: &str) {
    let path = site.root.join("site.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    for line in lines.lines().filter(|l| !l.trim().is_empty()) {
        let key = key_of(line);
        let existing = text.lines().find(|l| key_of(l) == key).map(str::to_string);
        text = match existing {
            Some(old) => text.replacen(&old, line, 1),
            None => text.replacen("[strings]", &format!("{line}\n\n[strings]"), 1),
        };
    }
    std::fs::write(path, text).unwrap();
}

fn apply(site: &Site, case: &Case, dir: &Path) {
    if let Some(lines) = &case.site {
        set_site(site, lines);
    }
    if let Some(lines) = &case.strings {
        let path = site.root.join("site.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(path, text.replacen("[strings]\n", &format!("[strings]\n{}\n", lines.trim_end()), 1)).unwrap();
    }
    if !case.unset.is_empty() {
        let path = site.root.join("site.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let kept: Vec<&str> = text.lines().filter(|l| !case.unset.iter().any(|k| key_of(l) == k)).collect();
        assert!(kept.len() + case.unset.len() == text.lines().count(), "every key to unset is in site.toml once: {:?}", case.unset);
        std::fs::write(path, kept.join("\n") + "\n").unwrap();
    }
    if dir.join("files").is_dir() {
        overlay(&dir.join("files"), &site.root);
    }
    for path in &case.remove {
        site.remove(path);
    }
    for g in &case.generate {
        site.write(&g.path, &format!("{}{}{}", g.head, g.repeat.repeat(g.count), g.tail));
    }
    for b in &case.bytes {
        let bytes: Vec<u8> = (0..b.hex.len()).step_by(2).map(|i| u8::from_str_radix(&b.hex[i..i + 2], 16).unwrap()).collect();
        let p = site.root.join(&b.path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    for (link, target) in &case.symlinks {
        let p = site.root.join(link);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, p).unwrap();
    }
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files(dir).into_iter().map(|f| (f.clone(), std::fs::read(dir.join(&f)).unwrap())).collect()
}

/// Runs one case; returns a description of what went wrong, if anything.
fn run(name: &str, dir: &Path) -> Option<String> {
    let case: Case =
        toml::from_str(&std::fs::read_to_string(dir.join("case.toml")).unwrap()).unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
    let site = Site::new();
    std::fs::remove_dir_all(site.root.join("content")).unwrap();
    overlay(&corpus().join("_base"), &site.root);
    match (&case.error, &case.ok) {
        (Some(expected), None) => {
            if let Err(e) = site.build() {
                return Some(format!("{name}: the valid base site does not build:\n{e}"));
            }
            let before = snapshot(&site.out());
            apply(&site, &case, dir);
            let got = match site.build() {
                Ok(_) => return Some(format!("{name} ({}): built, but must fail with:\n{}", case.description, expected.trim())),
                Err(e) => e.to_string(),
            };
            if got.trim() != expected.trim() {
                return Some(format!("{name} ({}):\n--- expected\n{}\n--- got\n{}", case.description, expected.trim(), got.trim()));
            }
            if snapshot(&site.out()) != before {
                return Some(format!("{name}: the failed build changed the published output"));
            }
            None
        }
        (None, Some(expect)) => {
            apply(&site, &case, dir);
            if let Err(e) = site.build() {
                return Some(format!("{name} ({}): must build, failed:\n{e}", case.description));
            }
            let html = match std::fs::read_to_string(site.out().join(&expect.page)) {
                Ok(h) => h,
                Err(e) => return Some(format!("{name}: {}: {e}", expect.page)),
            };
            let mut problems = Vec::new();
            for c in &expect.contains {
                if !html.contains(c.as_str()) {
                    problems.push(format!("missing {c:?}"));
                }
            }
            for a in &expect.absent {
                if html.contains(a.as_str()) {
                    problems.push(format!("must not contain {a:?}"));
                }
            }
            for f in &expect.also {
                if !site.out().join(f).is_file() {
                    problems.push(format!("missing output file {f}"));
                }
            }
            (!problems.is_empty()).then(|| format!("{name} ({}): {}", case.description, problems.join("; ")))
        }
        _ => panic!("{name}/case.toml needs exactly one of `error` or `[ok]`"),
    }
}

#[test]
fn every_bad_input_gives_its_exact_error_or_a_safe_site() {
    let mut names: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('_'))
        .collect();
    names.sort();
    assert!(names.len() >= 40, "the corpus has {} cases", names.len());
    let failures: Vec<String> = names.iter().filter_map(|n| run(n, &corpus().join(n))).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), names.len(), failures.join("\n\n"));
}
