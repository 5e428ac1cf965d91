//! Atomic output under SIGKILL: a build killed at any moment leaves the previous site exactly
//! as it was (or, if it got that far, the complete new one); the next build cleans up.

mod common;

use std::process::{Command, Stdio};
use std::time::Instant;

use common::{Site, chapter, files};

/// A site big enough that a build takes a noticeable time; `version` changes every page.
fn write_content(s: &Site, version: &str) {
    for i in 1..=150 {
        let body = format!(
            "## 절 {i}\n\n{version} 본문 {i}. {}\n\n- ◎ 항목 하나\n  - ▶ 항목 둘\n\n[다음](chapter:c{})\n",
            "가나다라마바사 ".repeat(40),
            i % 150 + 1
        );
        s.write(&format!("content/chapters/{i:03}.md"), &chapter(i, &format!("c{i}"), &format!("{version} 장 {i}"), &body));
    }
}

fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    files(dir).into_iter().map(|f| (f.clone(), std::fs::read(dir.join(&f)).unwrap())).collect()
}

fn build_cmd(s: &Site) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reportgen"));
    c.arg("--root").arg(&s.root).arg("--quiet").arg("build").stdout(Stdio::null()).stderr(Stdio::null());
    c
}

#[test]
fn killed_builds_never_leave_a_broken_site() {
    let s = Site::new();
    write_content(&s, "첫판");
    assert!(build_cmd(&s).status().unwrap().success());
    let old = snapshot(&s.out());
    write_content(&s, "둘째판");

    // How long a full build takes here, to spread the kills over it.
    let t = Instant::now();
    let tmp = s.root.join("probe");
    assert!(build_cmd(&s).arg("--out").arg(&tmp).status().unwrap().success());
    let full = t.elapsed();
    std::fs::remove_dir_all(&tmp).unwrap();

    let mut old_seen = 0;
    for k in 0..24u32 {
        let delay = full.mul_f64(f64::from(k) / 20.0);
        let mut child = build_cmd(&s).spawn().unwrap();
        std::thread::sleep(delay);
        // SIGKILL: no destructor, no cleanup runs.
        unsafe {
            libc::kill(child.id() as i32, libc::SIGKILL);
        }
        let _ = child.wait();
        let now = snapshot(&s.out());
        if now == old {
            old_seen += 1;
        } else {
            // Only a complete new site may have replaced the old one.
            let pages: Vec<&(String, Vec<u8>)> = now.iter().filter(|(f, _)| f.starts_with("chapters/")).collect();
            assert_eq!(pages.len(), 150, "kill after {delay:?}: chapters missing from the published site");
            assert!(
                pages.iter().all(|(_, b)| String::from_utf8_lossy(b).contains("둘째판")),
                "kill after {delay:?}: a mix of old and new pages was published"
            );
            assert_eq!(now.len(), old.len(), "kill after {delay:?}: file count changed");
            break;
        }
    }
    assert!(old_seen > 0, "no kill landed before the swap; the test did not test anything");

    // The next build succeeds and leaves no staging leftovers behind.
    assert!(build_cmd(&s).status().unwrap().success());
    let after = snapshot(&s.out());
    assert!(after.iter().filter(|(f, _)| f.starts_with("chapters/")).all(|(_, b)| String::from_utf8_lossy(b).contains("둘째판")));
    let leftovers: Vec<String> = std::fs::read_dir(&s.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert!(leftovers.is_empty(), "leftovers: {leftovers:?}");
}
