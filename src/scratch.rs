//! Scratch space for sites that are built to be read and thrown away (`check`) or served and
//! thrown away (`serve`): a memory-backed file system when there is one, since such a site is
//! written, read and deleted whole, and a disk charges for every file made and removed (on
//! ext4 without a journal, creating files where many were just deleted is slow for minutes).

use std::path::{Path, PathBuf};

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

/// Creates directory `name` (mode 0700) in the first of `bases` that allows it, replacing one
/// left there; returns its canonical path.
pub fn create(bases: &[PathBuf], name: &str) -> Result<PathBuf> {
    let mut last_err = None;
    for base in bases {
        let dir = base.join(name);
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
    fn creates_a_private_directory_in_the_first_base_that_allows_it() {
        let tmp = std::env::temp_dir();
        let missing = tmp.join(format!("reportgen-scratch-missing-{}", std::process::id())).join("deeper");
        let name = format!("reportgen-scratch-test-{}", std::process::id());
        let dir = create(&[missing, tmp.clone()], &name).unwrap();
        assert_eq!(dir, tmp.canonicalize().unwrap().join(&name));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
        }
        std::fs::remove_dir(&dir).unwrap();
        assert_eq!(bases().last(), Some(&tmp), "the system's temporary directory is the fallback");
    }
}
