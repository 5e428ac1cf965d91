//! The benchmark harness (`bench/run.py`) at a small scale: it builds, checks and tabulates a
//! synthetic report, and it stops, naming the page, when a build writes a wrong site instead
//! of printing a time for it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::repo;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("reportgen-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs the harness at 1 and 20 chapters, reportgen only, with `bin` as the engine.
fn harness(bin: &Path, dir: &Path, report_reps: &str) -> Output {
    Command::new("python3")
        .arg(repo().join("bench/run.py"))
        .args(["--sizes", "1,20", "--reps", "1", "--tools", "reportgen", "--fs", "disk,tmpfs", "--report-reps", report_reps])
        .arg("--bin")
        .arg(bin)
        .arg("--work")
        .arg(dir.join("work"))
        .arg("--shm")
        .arg(dir.join("shm"))
        .output()
        .expect("python3 runs")
}

#[test]
fn the_harness_measures_checks_and_tabulates_a_small_report() {
    let dir = scratch("ok");
    let out = harness(Path::new(env!("CARGO_BIN_EXE_reportgen")), &dir, "2");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "harness failed:\n{stderr}");
    for row in ["| 20 | yes | disk |", "| 20 | yes | tmpfs |", "| 20 | no | disk |", "| 20 | no | tmpfs |", "| 1 | yes | disk |"] {
        assert!(stdout.contains(row), "no row {row:?} in:\n{stdout}");
    }
    assert!(stdout.contains("| the report (`content/`, 43 pages) | disk |"), "{stdout}");
    assert!(stdout.contains("- disk output: a new directory for every run"), "{stdout}");
    // Every run was checked and measured: one warm-up and one measured build per row.
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("work/results.json")).unwrap()).unwrap();
    let rows = json["results"].as_array().unwrap();
    assert_eq!(rows.len(), 8);
    for r in rows {
        let runs = r["runs"]["reportgen"].as_array().unwrap();
        assert_eq!(runs.len(), 1, "{r}");
        assert!(runs[0]["wall"].as_f64().unwrap() > 0.0);
        assert!(runs[0]["pages"].as_u64().unwrap() >= r["chapters"].as_u64().unwrap());
        assert_eq!(r["runs"]["floor"].as_array().unwrap().len(), 1);
        // With code, one more build with the highlighting memo off gives syntect's own cost.
        let memo_off = r["runs"]["syntect"].as_array().unwrap();
        if r["code"].as_bool().unwrap() {
            assert_eq!(memo_off.len(), 1, "{r}");
            assert!(memo_off[0]["timings"]["highlight"].as_f64().unwrap() > 0.0, "{r}");
        } else {
            assert!(memo_off.is_empty(), "{r}");
        }
    }
    // Both readings of the floor are tabulated for the code rows.
    assert!(stdout.contains("floor with syntect's cost s (write + hl/cores) | rg ÷ it |"), "{stdout}");
    let row = stdout.lines().find(|l| l.starts_with("| 20 | yes | tmpfs |")).unwrap();
    assert!(!row.trim_end_matches(" |").rsplit(" | ").take(2).any(|c| c == "–"), "{row}");
    // Outputs and corpora are removed at the end.
    assert!(!dir.join("work/out").exists());
    assert!(!dir.join("work/corpus/20-code").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_harness_stops_when_a_build_leaves_out_a_page() {
    let dir = scratch("missing");
    // The real engine, then one chapter page removed from what it wrote.
    let wrapper = dir.join("reportgen-missing-page");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\n\"{}\" \"$@\" || exit $?\nwhile [ $# -gt 0 ]; do [ \"$1\" = --out ] && out=$2; shift; done\n\
             rm -f \"$(find \"$out/chapters\" -name index.html | sort | head -n 1)\"\n",
            env!("CARGO_BIN_EXE_reportgen")
        ),
    )
    .unwrap();
    let mut perm = std::fs::metadata(&wrapper).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o755);
    std::fs::set_permissions(&wrapper, perm).unwrap();
    let out = harness(&wrapper, &dir, "0");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("benchmark stopped, a build produced a wrong site: missing page"), "{stderr}");
    assert!(stderr.contains("/chapters/"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Zola's figures and checks (bench/zola.py, `check_zola`) without Zola: its time is read from
/// its `Done in` line in either unit, and a site missing a link or its highlighting is refused.
#[test]
fn zolas_time_is_read_from_its_own_line_and_its_pages_are_checked() {
    let dir = scratch("zola");
    let script = r#"
import os, sys
sys.path.insert(0, sys.argv[1])
import zola, run
assert zola.own_time("Building site...\nDone in 627ms.\n") == 0.627
assert zola.own_time("Done in 11.5s.\n") == 11.5
assert zola.own_time("Error: Failed to build the site\n") is None
out = sys.argv[2]
def page(i, link, code):
    d = os.path.join(out, "chapters", "ch%05d" % i)
    os.makedirs(d, exist_ok=True)
    body = '자세한 내용은 <a href="https://example.org/chapters/ch%05d/">' % link
    if code:
        body += '<pre data-lang="rust" style=""><code><span style="color:#b48ead;">fn</span></code></pre>'
    open(os.path.join(d, "index.html"), "w", encoding="utf-8").write(body)
meta = {"chapters": 2}
page(1, 2, True); page(2, 1, True)
assert run.check_zola(out, meta, True) == 2
for bad, why in [((2, 2, True), "cross-chapter link missing"), ((2, 1, False), "highlighting is missing")]:
    page(*bad)
    try:
        run.check_zola(out, meta, True)
        raise SystemExit("accepted a wrong site: " + why)
    except run.Failure as e:
        assert why in str(e), e
    page(2, 1, True)
try:
    run.check_zola(out, meta, False)
    raise SystemExit("accepted highlighting in the no-code corpus")
except run.Failure as e:
    assert "highlighting is unexpected" in str(e), e
print("ok")
"#;
    let out = Command::new("python3").arg("-c").arg(script).arg(repo().join("bench")).arg(dir.join("site")).output().expect("python3 runs");
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok");
    std::fs::remove_dir_all(&dir).unwrap();
}
