//! `reportgen new` and `reportgen init` through the real binary: starter files and new sites
//! that build and pass `check` as they are; nothing is ever overwritten.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Site, chapter, files};
use reportgen::check::{self, CheckOptions, Kind};

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reportgen")).args(args).current_dir(dir).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn site() -> Site {
    let s = Site::new();
    s.write("content/index.md", "---\n---\n\n소개.\n");
    s.write("content/chapters/01-one.md", "---\ntitle: \"첫째 장\"\norder: 1\nslug: one\npart: \"첫째 부\"\n---\n\n## 첫 절\n\n본문.\n");
    s.write(
        "content/chapters/07-seven.md",
        &chapter(7, "seven", "일곱째 장", "## 다른 절\n\n본문.\n").replace("slug: seven\n", "slug: seven\npart: \"둘째 부\"\n"),
    );
    s.write("content/sectors.yaml", "- id: ai\n  name: 인공지능\n- id: iot\n  name: 사물인터넷\n");
    s
}

fn kinds(root: &Path) -> Vec<Kind> {
    let r = check::run(&CheckOptions { root: root.to_path_buf(), base_url: None }).unwrap();
    let errors: Vec<String> = r.findings.iter().filter(|f| f.is_error()).map(|f| f.diagnostic.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let mut k: Vec<Kind> = r.findings.iter().map(|f| f.kind).collect();
    k.sort();
    k
}

#[test]
fn new_writes_starter_files_that_build() {
    let s = site();
    for (args, path) in [
        (["new", "chapter", "eight"], "content/chapters/08-eight.md"),
        (["new", "table", "t1"], "content/tables/t1.yaml"),
        (["new", "figure", "f1"], "content/figures/f1.yaml"),
        (["new", "company", "acme"], "content/companies/acme.yaml"),
    ] {
        let (code, out, err) = run(&s.root, &args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert_eq!(out.lines().next(), Some(format!("created {path}").as_str()), "prints where it went");
        assert!(s.root.join(path).is_file());
    }
    let ch = std::fs::read_to_string(s.root.join("content/chapters/08-eight.md")).unwrap();
    assert!(ch.contains("## 개요 {#eight-overview}\n"), "a heading id of its own, even in the print view:\n{ch}");
    assert!(
        ch.contains("order: 8\n") && ch.contains("slug: eight\n") && ch.contains("part: \"둘째 부\"\n"),
        "next order, same part as the last chapter:\n{ch}"
    );
    let company = std::fs::read_to_string(s.root.join("content/companies/acme.yaml")).unwrap();
    assert!(company.contains("# sectors: [ai, iot]"), "the sectors to choose from:\n{company}");
    let (_, out, _) = run(&s.root, &["new", "table", "t2"]);
    assert!(out.contains("![](table:t2)"), "says how to place it: {out}");
    // Every starter is valid: the site builds and checks without errors; the new table,
    // figures and company are reported as not yet used, which they are not.
    s.built();
    assert_eq!(
        kinds(&s.root),
        [Kind::OrphanTable, Kind::OrphanTable, Kind::OrphanFigure, Kind::OrphanCompany, Kind::OrphanSector, Kind::OrphanSector]
    );
}

#[test]
fn new_never_overwrites_nor_reuses_an_id() {
    let s = site();
    s.write("content/tables/other-name.yaml", "id: used\ncaption: 표\nrows:\n  - [가]\n");
    s.write("content/tables/taken.yaml", "id: something-else\ncaption: 표\nrows:\n  - [가]\n");
    let before = files(&s.root.join("content"));
    let (code, _, err) = run(&s.root, &["new", "table", "used"]);
    assert_eq!(code, 1);
    assert!(err.contains("error: content/tables/other-name.yaml: table id `used` is already used"), "{err}");
    let (code, _, err) = run(&s.root, &["new", "table", "taken"]);
    assert_eq!(code, 1);
    assert!(err.contains("error: content/tables/taken.yaml already exists") && err.contains("never overwrites"), "{err}");
    assert!(std::fs::read_to_string(s.root.join("content/tables/taken.yaml")).unwrap().starts_with("id: something-else"));
    let (code, _, err) = run(&s.root, &["new", "chapter", "seven"]);
    assert_eq!(code, 1);
    assert!(err.contains("chapter slug `seven` is already used"), "{err}");
    assert_eq!(files(&s.root.join("content")), before, "nothing written");
    let (code, _, err) = run(&s.root.join("content"), &["new", "table", "x"]);
    assert_eq!(code, 1, "outside a site root");
    assert!(err.contains("no site.toml"), "{err}");
}

#[test]
fn init_creates_a_site_that_builds_and_checks_clean() {
    let tmp = Site::new();
    let dir = tmp.root.join("next-report");
    let (code, out, err) = run(&tmp.root, &["init", "next-report"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("created a new report site in next-report ("), "{out}");
    let theme: Vec<String> = files(&common::repo().join("themes/default"));
    assert_eq!(files(&dir.join("themes/default")), theme, "the whole default theme");
    for f in &theme {
        assert_eq!(
            std::fs::read(dir.join("themes/default").join(f)).unwrap(),
            std::fs::read(common::repo().join("themes/default").join(f)).unwrap()
        );
    }
    assert!(std::fs::read_to_string(dir.join(".gitignore")).unwrap().lines().any(|l| l == "public/"));
    let (code, out, err) = run(&dir, &["build"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("built "), "{out}");
    assert!(dir.join("public/chapters/introduction/index.html").is_file());
    // A new site starts at a documentation example address, which `check` points out.
    let (code, out, err) = run(&dir, &["check"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("check passed with no errors and 1 warning"), "{out}{err}");
    assert!(err.contains("a placeholder base URL: 1"), "{out}{err}");
    let (_, out, err) = run(&dir, &["check", "--verbose"]);
    assert!(err.contains("warning: site.toml:5:1: base_url \"https://example.org/\" is a documentation example"), "{out}{err}");
    let (code, out, err) = run(&dir, &["check", "--base-url", "https://reports.test/"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("check passed with no errors and no warnings"), "{out}{err}");
    // And the next steps work in it.
    assert_eq!(run(&dir, &["new", "chapter", "second"]).0, 0);
    assert!(dir.join("content/chapters/02-second.md").is_file());
    let (code, _, err) = run(&dir, &["--quiet", "build"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(&dir, &["check", "--base-url", "https://reports.test/"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("no errors and no warnings"), "the new chapter's heading id does not repeat the first's: {out}{err}");
}

#[test]
fn init_refuses_a_non_empty_directory() {
    let tmp = Site::new();
    let dir = tmp.root.join("busy");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "keep").unwrap();
    let (code, _, err) = run(&tmp.root, &["init", "busy"]);
    assert_eq!(code, 1);
    assert!(err.contains("busy is not empty"), "{err}");
    assert_eq!(files(&dir), ["notes.txt"]);
    // An empty directory is fine.
    std::fs::remove_file(dir.join("notes.txt")).unwrap();
    assert_eq!(run(&tmp.root, &["init", "busy"]).0, 0);
}
