//! Atomic output: the site is written into a staging directory beside the output and swapped
//! in only when the whole build succeeded. A failed or killed build leaves the previous site
//! as it was; leftovers of killed builds are cleaned up (or restored) on the next run.

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use crate::error::{Diagnostic, Error, Result};

const STAGING: &str = "tmp";
const RETIRED: &str = "old";

/// A directory being filled with a new build of the site.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
    pub files: AtomicUsize,
    pub bytes: AtomicU64,
    /// Nanoseconds spent in `write`, summed over threads.
    pub write_nanos: AtomicU64,
}

fn leftover_name(target: &Path, kind: &str, pid: u32) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    target.with_file_name(format!(".{name}.{kind}-{pid}"))
}

fn pid_alive(pid: u32) -> bool {
    pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
}

/// Leftovers of earlier builds that died: (path, kind, pid).
fn leftovers(target: &Path) -> Vec<(PathBuf, String, u32)> {
    let Some(parent) = target.parent() else { return Vec::new() };
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(if parent.as_os_str().is_empty() { Path::new(".") } else { parent }) else { return Vec::new() };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let fname = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = fname.strip_prefix(&prefix) else { continue };
        let Some((kind, pid)) = rest.split_once('-') else { continue };
        if (kind == STAGING || kind == RETIRED)
            && let Ok(pid) = pid.parse::<u32>()
            && !pid_alive(pid)
        {
            out.push((e.path(), kind.to_string(), pid));
        }
    }
    out.sort();
    out
}

/// Cleans up after builds that were killed: a retired copy of the site is put back if the
/// site itself is missing (killed mid-swap); half-written staging directories are removed.
pub fn recover(target: &Path) {
    for (path, kind, _) in leftovers(target) {
        if kind == RETIRED && !target.exists() {
            let _ = std::fs::rename(&path, target);
        } else {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Whether every component is a plain name (no `..`, no root, no prefix).
fn is_safe_relative(rel: &str) -> bool {
    let p = Path::new(rel);
    !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// `p` made absolute, `.` and `..` applied as written, and symlinks resolved as far as the
/// path exists, so that two spellings of one place compare equal.
fn resolved(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut lexical = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            c => lexical.push(c),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    let mut out = loop {
        if let Ok(c) = existing.canonicalize() {
            break c;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                existing = parent;
            }
            _ => break existing.to_path_buf(),
        }
    };
    out.extend(rest.iter().rev());
    out
}

/// Refuses an output directory a build must not replace: the site's root, a folder above it,
/// anything inside its content or themes (`sources`), or an existing directory that holds
/// something other than a built site (no `index.html`, or hidden entries such as `.git`),
/// since the whole directory is swapped for the new build.
pub fn check_target(target: &Path, root: &Path, sources: &[PathBuf]) -> Result<()> {
    let t = resolved(target);
    let shown = target.display().to_string();
    let root = resolved(root);
    if root.starts_with(&t) {
        return Err(Error::new(
            Diagnostic::error(format!("the output directory `{shown}` holds the site's own files (site.toml, content/, themes/)"))
                .with_help("a build replaces its output directory as a whole: choose one of its own, such as `public`"),
        ));
    }
    for src in sources {
        let src = resolved(src);
        if t.starts_with(&src) {
            let name = src.strip_prefix(&root).unwrap_or(&src).display().to_string();
            return Err(Error::new(
                Diagnostic::error(format!(
                    "the output directory `{shown}` {} the site's `{name}`",
                    if t == src { "is" } else { "is inside" }
                ))
                .with_help("a build replaces its output directory as a whole: choose one outside content/ and themes/, such as `public`"),
            ));
        }
    }
    let Ok(entries) = std::fs::read_dir(&t) else { return Ok(()) };
    let names: Vec<String> = entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    let hidden: Vec<&str> = names.iter().map(String::as_str).filter(|n| n.starts_with('.')).collect();
    let foreign = if !hidden.is_empty() {
        Some(format!("holds {}", hidden.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")))
    } else if !names.is_empty() && !names.iter().any(|n| n == "index.html") {
        Some("is not empty and holds no built site (no index.html)".to_string())
    } else {
        None
    };
    match foreign {
        Some(what) => Err(Error::new(
            Diagnostic::error(format!("the output directory `{shown}` {what}"))
                .with_help("a build replaces its output directory as a whole, so it would be lost: build into a new or empty directory, or move those files away first"),
        )),
        None => Ok(()),
    }
}

impl Staging {
    /// Creates the staging directory beside `target` (after recovering from earlier crashes).
    pub fn create(target: &Path) -> Result<Staging> {
        if target.exists() && !target.is_dir() {
            return Err(Error::new(
                Diagnostic::error("output path exists and is not a directory")
                    .in_file(target.display().to_string())
                    .with_help("build into a directory: choose another path (`--out` or `output_dir` in site.toml), or move the file away"),
            ));
        }
        if let Some(parent) = target.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
        }
        recover(target);
        let dir = leftover_name(target, STAGING, std::process::id());
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, &e))?;
        }
        std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, &e))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            write_nanos: AtomicU64::new(0),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The output directory this staging directory replaces on commit.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Creates directory `rel` (and its parents) inside the staging directory.
    pub fn mkdir(&self, rel: &str) -> Result<()> {
        if rel.is_empty() {
            return Ok(());
        }
        if !is_safe_relative(rel) {
            return Err(Error::msg(format!("refusing to create output directory outside the site: {rel:?}")));
        }
        let p = self.dir.join(rel);
        std::fs::create_dir_all(&p).map_err(|e| Error::io(&p, &e))
    }

    /// Writes file `rel` (its directory must exist: see [`Staging::mkdir`]).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if !is_safe_relative(rel) {
            return Err(Error::msg(format!("refusing to write outside the output directory: {rel:?}")));
        }
        let started = Instant::now();
        let p = self.dir.join(rel);
        std::fs::write(&p, bytes).map_err(|e| Error::io(&p, &e))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        self.write_nanos.fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Puts the finished site in place of the old one, atomically where the system allows.
    pub fn commit(mut self) -> Result<()> {
        if self.target.exists() {
            if !exchange(&self.dir, &self.target) {
                // No atomic exchange here: retire the old site, then move the new one in.
                // A crash between the two renames is repaired by `recover` on the next run.
                let retired = leftover_name(&self.target, RETIRED, std::process::id());
                std::fs::rename(&self.target, &retired).map_err(|e| Error::io(&self.target, &e))?;
                if let Err(e) = std::fs::rename(&self.dir, &self.target) {
                    let _ = std::fs::rename(&retired, &self.target);
                    return Err(Error::io(&self.target, &e));
                }
                self.committed = true;
                let _ = std::fs::remove_dir_all(&retired);
                return Ok(());
            }
            // The old site is now in the staging path.
            self.committed = true;
            let _ = std::fs::remove_dir_all(&self.dir);
            return Ok(());
        }
        std::fs::rename(&self.dir, &self.target).map_err(|e| Error::io(&self.target, &e))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Atomically swaps two directories (Linux `renameat2(RENAME_EXCHANGE)`); false if unsupported.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (Ok(ca), Ok(cb)) = (CString::new(a.as_os_str().as_bytes()), CString::new(b.as_os_str().as_bytes())) else {
        return false;
    };
    // SAFETY: both are valid NUL-terminated paths; AT_FDCWD makes them relative to the cwd.
    let rc = unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
    rc == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tempdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("reportgen-output-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn commit_replaces_whole_site() {
        let d = tempdir("commit");
        let target = d.join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();
        let s = Staging::create(&target).unwrap();
        s.write("index.html", b"new").unwrap();
        s.commit().unwrap();
        assert_eq!(std::fs::read_to_string(target.join("index.html")).unwrap(), "new");
        assert!(!target.join("old.html").exists());
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1, "no leftovers beside the output");
    }

    #[test]
    fn dropped_staging_leaves_old_site() {
        let d = tempdir("drop");
        let target = d.join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("index.html"), "old").unwrap();
        {
            let s = Staging::create(&target).unwrap();
            s.write("index.html", b"half").unwrap();
        }
        assert_eq!(std::fs::read_to_string(target.join("index.html")).unwrap(), "old");
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
    }

    #[test]
    fn refuses_paths_outside() {
        let d = tempdir("outside");
        let s = Staging::create(&d.join("public")).unwrap();
        assert!(s.write("../escape.html", b"x").is_err());
        assert!(s.write("/etc/x", b"x").is_err());
        assert!(s.mkdir("a/../../b").is_err());
        assert!(!d.join("escape.html").exists());
    }

    #[test]
    fn recovers_from_a_crash_mid_swap() {
        let d = tempdir("recover");
        let target = d.join("public");
        // A dead process retired the old site and died before moving the new one in.
        let dead = 999_999_999u32;
        let retired = leftover_name(&target, RETIRED, dead);
        std::fs::create_dir(&retired).unwrap();
        std::fs::write(retired.join("index.html"), "old").unwrap();
        let staging = leftover_name(&target, STAGING, dead);
        std::fs::create_dir(&staging).unwrap();
        recover(&target);
        assert_eq!(std::fs::read_to_string(target.join("index.html")).unwrap(), "old");
        assert!(!staging.exists() && !retired.exists());
    }
}
