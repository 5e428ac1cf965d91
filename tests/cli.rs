//! The real binary on fixture sites: exit codes, summary lines, `--quiet` and `--verbose`,
//! colour only on a terminal, `check --format json|github`, and the deploy workflows in the
//! repository run as written, publishing under a sub-path without a link escaping it.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{Site, chapter, files};

const BIN: &str = env!("CARGO_BIN_EXE_reportgen");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().expect("exited"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

/// Runs the binary in `dir` (the site root) with `args`.
fn run_in(dir: &Path, args: &[&str]) -> Run {
    finish(Command::new(BIN).args(args).current_dir(dir).env_remove("NO_COLOR").output().expect("binary runs"))
}

fn fixture() -> Site {
    let s = Site::new();
    s.write("content/index.md", "---\n---\n\n소개 문단.\n");
    s.write("content/chapters/01-one.md", &chapter(1, "one", "첫째 장", "## 개요\n\n바이두가 발표했다.\n\n![](table:t1)\n"));
    s.write("content/tables/t1.yaml", "id: t1\ncaption: 첫 표\nheader:\n  - [구분, 값]\nrows:\n  - [가, \"1\"]\n");
    s.write("content/companies/baidu.yaml", "id: baidu\nname: 바이두\n");
    s
}

/// The fixture with one broken link (an error) and one table never placed (a warning).
fn broken() -> Site {
    let s = fixture();
    // Written as HTML: build refuses a Markdown link to a site path; a broken HTML link is check's to find.
    let toml = std::fs::read_to_string(s.root.join("site.toml")).unwrap().replace("raw_html = \"escape\"", "raw_html = \"allow\"");
    s.write("site.toml", &toml);
    s.write(
        "content/chapters/01-one.md",
        &chapter(1, "one", "첫째 장", "## 개요\n\n바이두가 <a href=\"/nowhere/\">발표</a>했다.\n\n![](table:t1)\n"),
    );
    s.write("content/tables/t2.yaml", "id: t2\ncaption: 둘째 표\nrows:\n  - [가]\n");
    s
}

#[test]
fn build_prints_one_summary_line_and_exits_0() {
    let s = fixture();
    let r = run_in(&s.root, &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    assert!(r.stdout.starts_with("built ") && r.stdout.contains(" pages (") && r.stdout.trim_end().ends_with(" ms"), "{}", r.stdout);
    assert_eq!(r.stderr, "");
    let v = run_in(&s.root, &["build", "--verbose"]);
    assert!(v.stdout.contains("  parse ") && v.stdout.contains("  total "), "verbose adds stage timings: {}", v.stdout);
}

/// The binary runs on jemalloc with its options compiled in: asked to print its settings at
/// exit, jemalloc shows the decay times from `src/main.rs` (its defaults are 10 s and 0 s).
#[cfg(all(unix, not(target_env = "msvc")))]
#[test]
fn the_binary_allocates_with_jemalloc_configured_to_return_memory_early() {
    let s = fixture();
    let out = Command::new(BIN)
        .args(["build", "-q"])
        .current_dir(&s.root)
        .env("MALLOC_CONF", "stats_print:true")
        .env("_RJEM_MALLOC_CONF", "stats_print:true")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stats = String::from_utf8_lossy(&out.stderr);
    assert!(stats.contains("opt.dirty_decay_ms: 200 "), "{stats}");
    assert!(stats.contains("opt.muzzy_decay_ms: 0 "), "{stats}");
}

/// On Linux the binary is linked at a fixed address (see `build.rs`): its ELF header says
/// `ET_EXEC` (2), not the `ET_DYN` (3) of a position-independent executable, so the loader has
/// no relocations to apply at start-up.
#[cfg(target_os = "linux")]
#[test]
fn the_binary_is_linked_at_a_fixed_address_on_linux() {
    if std::env::var_os("REPORTGEN_PIE").is_some_and(|v| v == "1") {
        return; // built with the default on purpose
    }
    let elf = std::fs::read(BIN).unwrap();
    assert_eq!(&elf[..4], b"\x7fELF");
    let e_type = u16::from_le_bytes([elf[16], elf[17]]);
    assert_eq!(e_type, 2, "ELF type {e_type}: expected ET_EXEC (2), a position-dependent executable");
}

#[test]
fn content_errors_exit_1_with_located_messages() {
    let s = fixture();
    s.write("content/chapters/01-one.md", &chapter(1, "one", "첫째 장", "깨진 [참조](table:nope)\n"));
    let r = run_in(&s.root, &["build"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.starts_with("error: content/chapters/01-one.md:7:4: unknown table id `nope`\n  help: "), "{}", r.stderr);
    assert!(r.stderr.contains("build failed with 1 error; the output directory was left as it was"), "{}", r.stderr);
    let q = run_in(&s.root, &["--quiet", "check"]);
    assert_eq!(q.code, 1);
    assert!(q.stderr.contains("error: content/chapters/01-one.md:7:4"), "{}", q.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let s = fixture();
    assert_eq!(run_in(&s.root, &["frobnicate"]).code, 2);
    assert_eq!(run_in(&s.root, &["build", "--bogus"]).code, 2);
    assert_eq!(run_in(&s.root, &["--quiet", "--verbose", "build"]).code, 2);
    assert_eq!(run_in(&s.root, &["new", "chart", "x"]).code, 2);
    let r = run_in(&s.root, &["new", "table", "Bad Id"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("error: table id \"Bad Id\" contains 'B'") && r.stderr.contains("help: try `bad-id`"), "{}", r.stderr);
    assert!(!s.root.join("content/tables/Bad Id.yaml").exists());
    assert_eq!(run_in(&s.root, &["--help"]).code, 0);
}

/// `serve --port N` with N taken exits 3 with an error naming the port; it does not serve
/// elsewhere (it would otherwise run until interrupted).
#[test]
fn serve_on_a_taken_port_exits_3_naming_it() {
    let s = fixture();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let r = run_in(&s.root, &["serve", "--port", &port]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(&format!("error: port {port} is already in use on 127.0.0.1")), "{}", r.stderr);
    assert!(!r.stdout.contains("serving"), "{}", r.stdout);
}

#[test]
fn check_summarizes_warnings_and_fails_on_errors() {
    let s = fixture();
    let ok = run_in(&s.root, &["check"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stdout.starts_with("checked ") && ok.stdout.contains("check passed with no errors and no warnings"), "{}", ok.stdout);

    let s = broken();
    let r = run_in(&s.root, &["check"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error: content/chapters/01-one.md:9:"), "{}", r.stderr);
    assert!(r.stderr.contains("warning: tables never placed in a chapter: 1\n"), "warnings summarized by kind: {}", r.stderr);
    assert!(!r.stderr.contains("content/tables/t2.yaml"), "not listed one by one without --verbose: {}", r.stderr);
    assert!(r.stderr.contains("check failed with 1 error and 1 warning"), "{}", r.stderr);

    let v = run_in(&s.root, &["check", "--verbose"]);
    assert!(v.stderr.contains("warning: content/tables/t2.yaml:1:1: table `t2` is never placed in a chapter"), "{}", v.stderr);
    assert!(v.stdout.contains("  links "), "timings: {}", v.stdout);
}

#[test]
fn quiet_prints_only_errors() {
    let s = fixture();
    s.write("content/tables/t2.yaml", "id: t2\ncaption: 둘째 표\nrows:\n  - [가]\n");
    for args in [&["--quiet", "build"][..], &["-q", "check"], &["check", "--quiet"]] {
        let r = run_in(&s.root, args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("", ""), "{args:?}");
    }
    let s = broken();
    let r = run_in(&s.root, &["-q", "check"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("error: ") && !r.stderr.lines().any(|l| l.starts_with("warning")), "{}", r.stderr);
}

#[test]
fn no_colour_unless_stderr_is_a_terminal() {
    let s = broken();
    let r = run_in(&s.root, &["check"]);
    assert!(!r.stderr.contains('\x1b') && !r.stdout.contains('\x1b'), "{}", r.stderr);
    // Under a pseudo-terminal (util-linux `script`), labels are coloured unless NO_COLOR is set.
    let cmd = format!("{BIN} check");
    let tty = |no_color: bool| {
        let mut c = Command::new("script");
        c.args(["-qec", &cmd, "/dev/null"]).current_dir(&s.root).env_remove("NO_COLOR");
        if no_color {
            c.env("NO_COLOR", "1");
        }
        finish(c.output().expect("`script` (util-linux) runs the binary under a terminal"))
    };
    let coloured = tty(false);
    assert!(coloured.stdout.contains("\x1b[1;31merror\x1b[0m: content/chapters/01-one.md"), "{:?}", coloured.stdout);
    let plain = tty(true);
    assert!(plain.stdout.contains("error: content/chapters/01-one.md") && !plain.stdout.contains('\x1b'), "{:?}", plain.stdout);
}

#[test]
fn check_leaves_the_output_alone_and_cleans_up() {
    let s = fixture();
    assert_eq!(run_in(&s.root, &["-q", "build"]).code, 0);
    let before: Vec<(String, Vec<u8>)> =
        files(&s.out()).into_iter().map(|f| (f.clone(), std::fs::read(s.out().join(&f)).unwrap())).collect();
    let child = Command::new(BIN)
        .args(["check", "--base-url", "https://example.org/sub/"])
        .current_dir(&s.root)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    assert!(child.wait_with_output().unwrap().status.success());
    let after: Vec<(String, Vec<u8>)> =
        files(&s.out()).into_iter().map(|f| (f.clone(), std::fs::read(s.out().join(&f)).unwrap())).collect();
    assert!(before == after, "public/ is exactly as build left it");
    let prefix = format!("reportgen-check-{pid}-");
    let left: Vec<String> = reportgen::scratch::bases()
        .iter()
        .flat_map(|b| std::fs::read_dir(b).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix))
        .collect();
    assert!(left.is_empty(), "temporary site removed: {left:?}");
    // No place for a temporary site ($TMPDIR, when set, is the only place tried): the check
    // cannot run.
    let blocked = Command::new(BIN).arg("check").current_dir(&s.root).env("TMPDIR", s.root.join("site.toml/tmp")).output().unwrap();
    let r = finish(blocked);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("check could not run"), "{}", r.stderr);
}

#[test]
fn check_json_is_machine_readable() {
    let s = broken();
    let r = run_in(&s.root, &["check", "--format", "json"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "", "JSON mode writes JSON only");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("valid JSON");
    assert_eq!(v["errors"], 1);
    assert_eq!(v["warnings"], 1);
    let f = &v["findings"][0];
    assert_eq!(f["kind"], "broken-link");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["file"], "content/chapters/01-one.md");
    assert_eq!(f["line"], 9);
    assert!(f["message"].as_str().unwrap().contains("`/nowhere/`"));
    assert_eq!(v["findings"][1]["kind"], "orphan-table");
    assert_eq!(v["findings"][1]["severity"], "warning");
    // Content errors come out the same way.
    s.write("content/chapters/01-one.md", &chapter(1, "one", "첫째 장", "깨진 [참조](table:nope)\n"));
    let v: serde_json::Value = serde_json::from_str(&run_in(&s.root, &["check", "--format", "json"]).stdout).unwrap();
    assert_eq!((v["errors"].as_u64(), v["findings"][0]["kind"].as_str()), (Some(1), Some("content")));
}

#[test]
fn check_github_format_annotates_files() {
    let s = broken();
    let r = run_in(&s.root, &["check", "--format", "github"]);
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].starts_with("::error file=content/chapters/01-one.md,line=9,col=") && lines[0].contains(",title=broken-link::"),
        "{}",
        r.stdout
    );
    assert!(lines[1].starts_with("::warning file=content/tables/t2.yaml,line=1,col=1,title=orphan-table::"), "{}", r.stdout);
    assert!(lines[2].contains("check failed"), "{}", r.stdout);
}

/// `run` lines of a parsed workflow step list (GitHub) or script (GitLab) that call reportgen.
fn reportgen_commands(commands: &[String]) -> Vec<String> {
    commands.iter().filter(|c| c.contains("target/release/reportgen")).map(|c| c.replace("./target/release/reportgen", BIN)).collect()
}

fn yaml(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(common::repo().join(path)).unwrap();
    reportgen::content::yaml::parse(&text, path, 1).unwrap_or_else(|e| panic!("{path} does not parse:\n{e}"))
}

/// Runs `commands` with `sh` in a copy of the report, as the CI job would.
fn run_commands(site: &Site, commands: &[String], env: &[(&str, &str)]) {
    assert!(commands.len() >= 2, "a check and a build: {commands:?}");
    for c in commands {
        let out = Command::new("sh").args(["-ec", c]).current_dir(&site.root).envs(env.iter().copied()).output().unwrap();
        let r = finish(out);
        assert_eq!(r.code, 0, "`{c}` failed:\n{}{}", r.stdout, r.stderr);
    }
}

#[test]
fn github_pages_workflow_builds_checks_and_publishes_under_its_sub_path() {
    let w = yaml(".github/workflows/pages.yml");
    assert_eq!(w["permissions"]["pages"], "write");
    assert_eq!(w["permissions"]["id-token"], "write");
    let steps = w["jobs"]["build"]["steps"].as_array().expect("build steps");
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses.iter().any(|u| u.starts_with("actions/configure-pages@")), "{uses:?}");
    let upload = steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))).unwrap();
    let deploy = w["jobs"]["deploy"]["steps"][0]["uses"].as_str().unwrap();
    assert!(deploy.starts_with("actions/deploy-pages@"), "{deploy}");
    assert_eq!(w["jobs"]["deploy"]["needs"], "build");
    let runs: Vec<String> = steps.iter().filter_map(|s| s["run"].as_str().map(String::from)).collect();
    assert!(runs.iter().any(|r| r.contains("cargo build --release --locked")), "{runs:?}");
    let commands = reportgen_commands(&runs);
    for s in steps.iter().filter(|s| s["run"].as_str().is_some_and(|r| r.contains("reportgen"))) {
        assert_eq!(s["env"]["BASE_URL"], "${{ steps.pages.outputs.base_url }}/", "the Pages URL from configure-pages");
    }
    assert!(commands[0].contains(" check ") && commands[1].contains(" build "), "check before build: {commands:?}");
    // configure-pages gives the Pages URL without a trailing slash; the step adds one.
    let site = Site::report();
    run_commands(&site, &commands, &[("BASE_URL", "https://owner.github.io/china-4ir/")]);
    let out = site.root.join(upload["with"]["path"].as_str().unwrap());
    assert_no_link_escapes(&out, "https://owner.github.io", "/china-4ir/");
}

#[test]
fn gitlab_pages_job_builds_checks_and_publishes_under_its_sub_path() {
    let w = yaml(".gitlab-ci.yml");
    let job = &w["pages"];
    assert_eq!(job["artifacts"]["paths"][0], "public", "GitLab publishes public/");
    let script: Vec<String> = job["script"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()).collect();
    assert!(script.iter().all(|l| !l.contains("reportgen") || l.contains("--base-url \"$CI_PAGES_URL\"")), "{script:?}");
    let commands = reportgen_commands(&script);
    assert!(commands[0].contains(" check ") && commands[1].contains(" build "), "{commands:?}");
    let site = Site::report();
    run_commands(&site, &commands, &[("CI_PAGES_URL", "https://group.gitlab.io/china-4ir")]);
    assert_no_link_escapes(&site.root.join("public"), "https://group.gitlab.io", "/china-4ir/");
}

/// Every URL of the site in every kind of file stays under the base path: root-relative URLs
/// start with it, absolute URLs on the site's own host start with the whole base URL.
fn assert_no_link_escapes(out: &Path, origin: &str, base_path: &str) {
    let base_url = format!("{origin}{base_path}");
    let mut seen = 0;
    let mut check = |file: &str, url: &str| {
        seen += 1;
        if url.starts_with('/') && !url.starts_with("//") {
            assert!(url.starts_with(base_path), "{file}: `{url}` escapes the base path {base_path}");
        } else if url.starts_with(origin) {
            assert!(url.starts_with(&base_url), "{file}: `{url}` escapes the base URL {base_url}");
        }
    };
    let all = files(out);
    assert!(all.iter().any(|f| f.ends_with(".js")) && all.iter().any(|f| f.ends_with(".json")) && all.iter().any(|f| f.ends_with(".xml")));
    for f in &all {
        let Ok(text) = std::fs::read_to_string(out.join(f)) else { continue };
        match f.rsplit('.').next().unwrap_or("") {
            "html" => {
                // Every double-quoted attribute value that is a URL.
                for (i, _) in text.match_indices("=\"") {
                    let v = &text[i + 2..];
                    let v = &v[..v.find('"').unwrap_or(0)];
                    if v.starts_with('/') || v.starts_with("http") {
                        check(f, &v.replace("&amp;", "&"));
                    }
                }
            }
            "json" => {
                fn walk(v: &serde_json::Value, f: &mut dyn FnMut(&str)) {
                    match v {
                        serde_json::Value::String(s) => f(s),
                        serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, f)),
                        serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, f)),
                        _ => {}
                    }
                }
                let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{f}: {e}"));
                walk(&v, &mut |s| {
                    if s.starts_with('/') || s.starts_with("http") {
                        check(f, s)
                    }
                });
            }
            "xml" | "txt" => {
                for (i, _) in text.match_indices("http") {
                    let url: String = text[i..].chars().take_while(|c| !c.is_whitespace() && *c != '<' && *c != '"').collect();
                    check(f, &url);
                }
            }
            "js" | "css" => {
                // String literals and url(…) values that are paths.
                for q in ["\"/", "'/", "url(/"] {
                    for (i, _) in text.match_indices(q) {
                        let rest = &text[i + q.len() - 1..];
                        if rest[1..].starts_with(|c: char| c.is_alphanumeric()) {
                            let end = rest.find(['"', '\'', ')']).unwrap_or(rest.len());
                            check(f, &rest[..end]);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    assert!(seen > 1000, "the scan saw the site's URLs ({seen})");
}
