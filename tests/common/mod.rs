//! Fixture sites for integration tests: a temporary site root with the real theme and the
//! real UI strings, into which each test writes its own content.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use reportgen::{BuildOptions, BuildReport, Error};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The repository root (where the real site.toml, content/ and themes/ are).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

pub struct Site {
    pub root: PathBuf,
}

impl Site {
    /// An empty site: site.toml (the repository's, retitled, at an address reserved for
    /// tests rather than the documentation example `check` warns about) and the default theme.
    pub fn new() -> Site {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let root = std::env::temp_dir().join(format!("reportgen-test-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("content")).unwrap();
        copy_dir(&repo().join("themes/default"), &root.join("themes/default"));
        let settings = std::fs::read_to_string(repo().join("site.toml")).unwrap();
        let settings = settings
            .lines()
            .map(|l| match l.split(" = ").next() {
                Some("title") => "title = \"테스트 보고서\"",
                Some("base_url") => "base_url = \"https://reports.test/\"",
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(root.join("site.toml"), settings + "\n").unwrap();
        Site { root }
    }

    /// A copy of the repository's real report.
    pub fn report() -> Site {
        let s = Site::new();
        std::fs::remove_dir_all(s.root.join("content")).unwrap();
        copy_dir(&repo().join("content"), &s.root.join("content"));
        std::fs::copy(repo().join("site.toml"), s.root.join("site.toml")).unwrap();
        s
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root.join(rel)).unwrap();
    }

    pub fn out(&self) -> PathBuf {
        self.root.join("public")
    }

    pub fn build(&self) -> Result<BuildReport, Error> {
        reportgen::build(&BuildOptions { root: self.root.clone(), ..Default::default() })
    }

    pub fn build_with(&self, base_url: &str, out: &Path) -> Result<BuildReport, Error> {
        reportgen::build(&BuildOptions {
            root: self.root.clone(),
            out: Some(out.to_path_buf()),
            base_url: Some(base_url.into()),
            ..Default::default()
        })
    }

    /// Builds and panics with the diagnostics if it fails.
    pub fn built(&self) -> BuildReport {
        match self.build() {
            Ok(r) => r,
            Err(e) => panic!("build failed:\n{e}"),
        }
    }

    /// Builds, expecting failure; returns every diagnostic as text.
    pub fn fails(&self) -> String {
        match self.build() {
            Ok(_) => panic!("build succeeded but should have failed"),
            Err(e) => e.to_string(),
        }
    }

    /// A page of the built site.
    pub fn page(&self, rel: &str) -> String {
        let p = self.out().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// A chapter file with front matter.
pub fn chapter(order: u32, slug: &str, title: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\norder: {order}\nslug: {slug}\n---\n\n{body}\n")
}

/// All files under `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(base: &Path, d: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(base, &e.path(), out);
            } else {
                out.push(e.path().strip_prefix(base).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Every `href="…"` and `src="…"` value in `html`.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
            }
        }
    }
    out
}
