//! Scratch space for sites that are built to be read and thrown away (`check`) or served and
//! thrown away (`serve`): a memory-backed file system when there is one, since such a site is
//! written, read and deleted whole, and a disk charges for every file made and removed (on
//! ext4 without a journal, creating files where many were just deleted is slow for minutes).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, Result};

/// The places to try, best first, those that exist: `$XDG_RUNTIME_DIR`, `/dev/shm`, then the
/// system's temporary directory (always last, the fallback). A `$TMPDIR` that is set is the
/// user's choice: then it is the only place.
pub fn bases() -> Vec<PathBuf> {
    if std::env::var_os("TMPDIR").is_some_and(|d| !d.is_empty()) {
        return vec![std::env::temp_dir()];
    }
    let mut out: Vec<PathBuf> = Vec::new();
    if let Some(d) = std::env::var_os("XDG_RUNTIME_DIR") {
        out.push(d.into());
    }
    out.push("/dev/shm".into());
    out.retain(|b| b.is_dir());
    out.push(std::env::temp_dir());
    out
}

/// `bases` without those before the last (the fallback) that have less than `need` bytes free,
/// as `free` tells (a container's `/dev/shm` may hold only 64 MiB).
pub fn with_room(mut bases: Vec<PathBuf>, need: u64, free: impl Fn(&Path) -> Option<u64>) -> Vec<PathBuf> {
    let fallback = bases.pop();
    bases.retain(|b| free(b).is_some_and(|f| f >= need));
    bases.extend(fallback);
    bases
}

/// Bytes free for an unprivileged user on the file system of `dir`.
#[cfg(unix)]
pub fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut s = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `path` is a NUL-terminated string and `s` a valid out-pointer for statvfs.
    if unsafe { libc::statvfs(path.as_ptr(), s.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: statvfs returned 0, so it filled `s`.
    let s = unsafe { s.assume_init() };
    // The fields are u64 on 64-bit Linux, narrower elsewhere.
    #[allow(clippy::useless_conversion)]
    Some(u64::from(s.f_bavail).saturating_mul(u64::from(s.f_frsize)))
}

#[cfg(not(unix))]
pub fn free_bytes(_dir: &Path) -> Option<u64> {
    None
}

/// Creates a new directory `{kind}-{pid}-{n}` (mode 0700) in the first of `bases` that allows
/// it, and returns its canonical path. Directories of the same kind left by processes that no
/// longer run (killed before they could remove theirs) are removed first, from every scratch
/// place and not only from `bases`: on a memory-backed file system they hold memory until the
/// next reboot, and one left without room (so not in `bases`) is the one that most needs it.
pub fn create(bases: &[PathBuf], kind: &str) -> Result<PathBuf> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let prefix = format!("{kind}-");
    let mut places = self::bases();
    for b in bases {
        if !places.contains(b) {
            places.push(b.clone());
        }
    }
    for base in &places {
        remove_stale(base, &prefix);
    }
    let name = format!("{prefix}{}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
    let mut last_err = None;
    for base in bases {
        let dir = base.join(&name);
        let _ = std::fs::remove_dir_all(&dir);
        let mut b = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        match b.create(&dir).and_then(|()| dir.canonicalize()) {
            Ok(d) => return Ok(d),
            Err(e) => last_err = Some(Error::io(&dir, &e)),
        }
    }
    Err(last_err.unwrap_or_else(|| Error::msg("no temporary directory to build in")))
}

/// Removes the directories `{prefix}{pid}-…` in `base` whose process is gone.
fn remove_stale(base: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(base) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let pid = name.strip_prefix(prefix).and_then(|r| r.split('-').next()).and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid
            && pid != std::process::id()
            && !alive(pid)
        {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Whether process `pid` exists.
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    // SAFETY: signal 0 only checks that the process exists and may be signalled.
    unsafe { libc::kill(pid, 0) == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM) }
}

#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_without_room_is_passed_over_but_the_fallback_never_is() {
        let bases = vec![PathBuf::from("/run/user/1"), PathBuf::from("/dev/shm"), PathBuf::from("/tmp")];
        let free = |p: &Path| match p.to_str() {
            Some("/run/user/1") => Some(10),
            Some("/dev/shm") => Some(1000),
            _ => Some(0),
        };
        assert_eq!(with_room(bases.clone(), 100, free), [PathBuf::from("/dev/shm"), PathBuf::from("/tmp")]);
        assert_eq!(with_room(bases.clone(), 5000, free), [PathBuf::from("/tmp")]);
        assert_eq!(with_room(bases, 5, |_| None), [PathBuf::from("/tmp")], "unknown free space is no room");
    }

    #[test]
    fn creates_a_private_directory_in_the_first_base_that_allows_it_and_clears_dead_ones() {
        let base = std::env::temp_dir().join(format!("reportgen-scratch-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&base).unwrap();
        let base = base.canonicalize().unwrap();
        // Left by processes that are gone (pid 4194304 is above Linux's highest) and by this one.
        let dead = base.join("reportgen-test-4194304-0");
        std::fs::create_dir_all(dead.join("site")).unwrap();
        let mine = base.join(format!("reportgen-test-{}-999", std::process::id()));
        std::fs::create_dir(&mine).unwrap();
        let other_kind = base.join("reportgen-other-4194304-0");
        std::fs::create_dir(&other_kind).unwrap();

        let missing = base.join("missing").join("deeper");
        let dir = create(&[missing, base.clone()], "reportgen-test").unwrap();
        assert_eq!(dir.parent(), Some(base.as_path()));
        assert!(dir.file_name().unwrap().to_str().unwrap().starts_with(&format!("reportgen-test-{}-", std::process::id())));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
        }
        #[cfg(unix)]
        assert!(!dead.exists(), "a dead process's directory is removed");
        assert!(mine.exists() && other_kind.exists(), "this process's and another kind's are kept");
        std::fs::remove_dir_all(&base).unwrap();
        assert_eq!(bases().last(), Some(&std::env::temp_dir()), "the system's temporary directory is the fallback");
    }
}
