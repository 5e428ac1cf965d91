//! Watches `content/`, `themes/` and `site.toml` of a site (inotify or the platform's
//! equivalent, through `notify`), ignores editor temp files and dotfiles, and hands each burst
//! of changes to a callback once the burst has gone quiet.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

use crate::content;
use crate::error::{Error, Result};

/// A burst of changes is over once nothing happened for this long (editors save a file
/// through several operations, and sometimes several files at once).
const QUIET: Duration = Duration::from_millis(10);

/// The directories watched recursively; `site.toml` is watched through the root.
const WATCHED_DIRS: [&str; 2] = ["content", "themes"];

enum Msg {
    Fs(notify::Result<notify::Event>),
    Stop,
}

pub struct Watch {
    tx: Sender<Msg>,
    thread: Option<JoinHandle<()>>,
}

impl Watch {
    /// Stops watching; waits for a callback in progress to return.
    pub fn stop(&mut self) {
        let _ = self.tx.send(Msg::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether a change to `path` (absolute, under `root`) can change the site.
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let parts: Vec<&str> = rel.components().filter_map(|c| if let Component::Normal(s) = c { s.to_str() } else { None }).collect();
    let Some((first, _)) = parts.split_first() else { return false };
    if !(WATCHED_DIRS.contains(first) || parts == ["site.toml"]) {
        return false;
    }
    // Skipped like the content loader skips them, plus vim's write test file.
    !parts.iter().any(|p| content::is_ignored(p) || *p == "4913")
}

fn watch(w: &mut impl Watcher, root: &Path) -> notify::Result<()> {
    w.watch(root, RecursiveMode::NonRecursive)?;
    for d in WATCHED_DIRS {
        let p = root.join(d);
        if p.is_dir() {
            w.watch(&p, RecursiveMode::Recursive)?;
        }
    }
    Ok(())
}

/// Starts watching the site at `root` (canonical). `on_change` gets the changed paths of each
/// quiet-ended burst (empty if the watcher lost track and everything may have changed); changes
/// made while it runs make up the next burst.
pub fn spawn(root: &Path, mut on_change: impl FnMut(&[PathBuf]) + Send + 'static) -> Result<Watch> {
    let (tx, rx) = mpsc::channel();
    let events = tx.clone();
    let fail = |e: notify::Error| Error::msg(format!("cannot watch {} for changes: {e}", root.display()));
    let mut watcher = notify::recommended_watcher(move |e| {
        let _ = events.send(Msg::Fs(e));
    })
    .map_err(fail)?;
    watch(&mut watcher, root).map_err(fail)?;
    let root = root.to_path_buf();
    let thread = std::thread::Builder::new()
        .name("serve-watch".into())
        .spawn(move || {
            let mut changed: Vec<PathBuf> = Vec::new();
            let mut lost = false;
            let mut take = |msg: Msg, changed: &mut Vec<PathBuf>, lost: &mut bool| -> bool {
                match msg {
                    Msg::Stop => return false,
                    Msg::Fs(Err(_)) => *lost = true,
                    Msg::Fs(Ok(ev)) if !matches!(ev.kind, EventKind::Access(_)) => {
                        for p in ev.paths {
                            // A recreated content/ or themes/ needs its recursive watch again.
                            if p.parent() == Some(&root) && p.is_dir() && WATCHED_DIRS.iter().any(|d| p.ends_with(d)) {
                                let _ = watcher.watch(&p, RecursiveMode::Recursive);
                            }
                            if relevant(&root, &p) && !changed.contains(&p) {
                                changed.push(p);
                            }
                        }
                    }
                    Msg::Fs(Ok(_)) => {}
                }
                true
            };
            loop {
                let Ok(msg) = rx.recv() else { return };
                if !take(msg, &mut changed, &mut lost) {
                    return;
                }
                loop {
                    let msg = match rx.recv_timeout(QUIET) {
                        Ok(msg) => msg,
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    };
                    if !take(msg, &mut changed, &mut lost) {
                        return;
                    }
                }
                if lost {
                    changed.clear();
                }
                if lost || !changed.is_empty() {
                    on_change(&changed);
                }
                changed.clear();
                lost = false;
            }
        })
        .map_err(|e| Error::msg(format!("cannot start the watcher thread: {e}")))?;
    Ok(Watch { tx, thread: Some(thread) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_sources_count() {
        let root = Path::new("/site");
        for p in ["content/chapters/01.md", "themes/default/templates/base.html", "site.toml", "content/img/a.png"] {
            assert!(relevant(root, &root.join(p)), "{p}");
        }
        for p in [
            "public/index.html",
            "target/debug/x",
            "README.md",
            "content/chapters/.01.md.swp",
            "content/chapters/01.md~",
            "content/chapters/4913",
            "content/chapters/#01.md#",
            "content/.git/HEAD",
            "themes/default/x.tmp",
            ".site.toml.swp",
        ] {
            assert!(!relevant(root, &root.join(p)), "{p}");
        }
        assert!(!relevant(root, Path::new("/elsewhere/content/a.md")));
    }
}
