//! Build status shared by the rebuild loop and the browsers: which build is being served, the
//! error of the last failed one, the findings of the served build's check, and the
//! server-sent-events stream that keeps open tabs in step.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// The build id before any build succeeded (no site to serve yet).
pub const NO_SITE: &str = "none";

/// Idle streams get a comment line this often, so that closed tabs free their connection.
const PING: Duration = Duration::from_secs(15);

#[derive(Debug, Clone)]
pub struct Status {
    /// Id of the build being served ([`NO_SITE`] before the first success).
    pub good: String,
    /// The located error of the latest build, if it failed.
    pub error: Option<String>,
    /// The check of a build: its id and what it found (a summary line, then each finding).
    pub check: Option<(String, String)>,
    /// Bumped on every change, so that waiters see each one.
    pub seq: u64,
}

pub struct Hub {
    status: Mutex<Status>,
    changed: Condvar,
}

impl Default for Hub {
    fn default() -> Self {
        Hub { status: Mutex::new(Status { good: NO_SITE.into(), error: None, check: None, seq: 0 }), changed: Condvar::new() }
    }
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn update(&self, f: impl FnOnce(&mut Status)) {
        let mut s = self.lock();
        f(&mut s);
        s.seq += 1;
        self.changed.notify_all();
    }

    /// Build `id` succeeded and is now served.
    pub fn succeeded(&self, id: String) {
        self.update(|s| {
            s.good = id;
            s.error = None;
        });
    }

    /// The latest build failed with `error`; the previous one stays served.
    pub fn failed(&self, error: String) {
        self.update(|s| s.error = Some(error));
    }

    /// Build `id` was checked and `found` is what the check found.
    pub fn checked(&self, id: String, found: String) {
        self.update(|s| s.check = Some((id, found)));
    }

    pub fn status(&self) -> Status {
        self.lock().clone()
    }

    pub fn has_site(&self) -> bool {
        self.lock().good != NO_SITE
    }

    /// Wakes every stream (to notice shutdown).
    pub fn wake_all(&self) {
        self.changed.notify_all();
    }

    /// Waits until the status differs from `seen` (by seq) or `timeout` passes.
    fn wait(&self, seen: u64, timeout: Duration) -> Option<Status> {
        let guard = self.lock();
        let (s, _) = self.changed.wait_timeout_while(guard, timeout, |s| s.seq == seen).unwrap_or_else(|p| p.into_inner());
        (s.seq != seen).then(|| s.clone())
    }
}

/// The events that bring a tab up to date: `reload` with the served build id (the tab reloads
/// if it shows another build, else hides any error), `check` with the findings of that build's
/// check once it is done, then `build-error` if the latest build failed.
pub fn events(s: &Status) -> String {
    let mut out = format!("event: reload\ndata: {}\n\n", s.good);
    if let Some((id, found)) = &s.check
        && *id == s.good
    {
        push_event(&mut out, "check", found);
    }
    if let Some(e) = &s.error {
        push_event(&mut out, "build-error", e);
    }
    out
}

/// One event whose data is `text`, line by line.
fn push_event(out: &mut String, name: &str, text: &str) {
    out.push_str("event: ");
    out.push_str(name);
    out.push('\n');
    for line in text.lines() {
        out.push_str("data: ");
        out.push_str(&line.replace('\r', ""));
        out.push('\n');
    }
    out.push('\n');
}

/// Streams status changes to one tab (after the response head) until it goes away or `stop`.
pub fn stream(w: &mut impl Write, hub: &Hub, stop: &AtomicBool) -> io::Result<()> {
    let mut s = hub.status();
    w.write_all(format!("retry: 500\n\n{}", events(&s)).as_bytes())?;
    w.flush()?;
    while !stop.load(Ordering::Relaxed) {
        match hub.wait(s.seq, PING) {
            Some(new) => {
                s = new;
                w.write_all(events(&s).as_bytes())?;
            }
            None => w.write_all(b": ping\n\n")?,
        }
        w.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_lines_become_data_lines() {
        let s = Status { good: "a-1".into(), error: Some("x.md:1:2: bad\r\n  help: fix".into()), check: None, seq: 3 };
        assert_eq!(events(&s), "event: reload\ndata: a-1\n\nevent: build-error\ndata: x.md:1:2: bad\ndata:   help: fix\n\n");
    }

    #[test]
    fn the_check_of_the_served_build_is_sent_and_an_older_one_is_not() {
        let found = "check: 1 warning\n\nx.md:3:1: warning: text read as Markdown".to_string();
        let mut s = Status { good: "a-2".into(), error: None, check: Some(("a-2".into(), found)), seq: 4 };
        assert_eq!(
            events(&s),
            "event: reload\ndata: a-2\n\nevent: check\ndata: check: 1 warning\ndata: \ndata: x.md:3:1: warning: text read as Markdown\n\n"
        );
        s.good = "a-3".into();
        assert_eq!(events(&s), "event: reload\ndata: a-3\n\n", "the findings were of the build before");
    }

    #[test]
    fn waiters_see_each_change() {
        let hub = Hub::default();
        let seen = hub.status().seq;
        assert!(hub.wait(seen, Duration::from_millis(1)).is_none());
        hub.failed("e".into());
        let s = hub.wait(seen, Duration::from_secs(5)).expect("change seen");
        assert_eq!(s.error.as_deref(), Some("e"));
        hub.succeeded("b".into());
        assert!(hub.has_site() && hub.status().error.is_none());
    }
}
