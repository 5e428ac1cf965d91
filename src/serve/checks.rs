//! `check` in the live preview: after each successful rebuild, the served site is checked on a
//! thread of its own (the reload does not wait for it), from the build's own analysis and
//! output (nothing is analysed or rendered twice), and the findings — Markdown shown as text,
//! company names left unlinked, tables never placed — go to the open tabs and, once each, to
//! the terminal (the build's own warnings among them, found again by the check). Only the
//! newest build is checked: a request made while a check runs replaces any older one still
//! waiting.

use std::collections::BTreeSet;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use super::http::{SCRIPT_PATH, Shared};
use crate::build::Analysis;
use crate::check::{self, CheckReport};
use crate::error::count;

/// A build to check.
pub struct Request {
    pub id: String,
    /// The build's own warnings (printed if the check cannot run).
    pub warnings: Vec<String>,
    /// What the build analysed, and how many pages it wrote.
    pub analysis: Analysis,
    pub pages: usize,
}

#[derive(Default)]
struct Queue {
    next: Option<Request>,
    stop: bool,
}

#[derive(Default)]
struct State {
    queue: Mutex<Queue>,
    wake: Condvar,
}

impl State {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Asks for a check of a build; cheap to clone into the rebuild loop.
#[derive(Clone)]
pub struct Requests(Arc<State>);

impl Requests {
    /// Drops the check waiting (if any): a build has begun that will replace it. What it would
    /// check (the analysis of a whole report) is not kept alive meanwhile.
    pub fn cancel(&self) {
        self.0.lock().next = None;
    }

    /// Checks a build once the check in progress (if any) is done.
    pub fn request(&self, request: Request) {
        self.0.lock().next = Some(request);
        self.0.wake.notify_one();
    }
}

/// The thread that runs the checks; stopped by [`Checker::stop`] or drop.
pub struct Checker {
    state: Arc<State>,
    thread: Option<JoinHandle<()>>,
}

impl Checker {
    /// Starts the thread, checking the site served from `shared`.
    pub fn spawn(shared: Arc<Shared>, quiet: bool) -> std::io::Result<Checker> {
        let state = Arc::new(State::default());
        let s = Arc::clone(&state);
        // A pool of its own, of one thread: the check's parallel work does not queue ahead of
        // the next rebuild's in the pool the builds use.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).thread_name(|_| "serve-check-work".into()).build();
        let pool = pool.map_err(std::io::Error::other)?;
        let thread = std::thread::Builder::new().name("serve-check".into()).spawn(move || {
            let mut shown = BTreeSet::new();
            while let Some(request) = next(&s) {
                pool.install(|| check_once(&shared, request, &mut shown, quiet));
            }
        })?;
        Ok(Checker { state, thread: Some(thread) })
    }

    pub fn requests(&self) -> Requests {
        Requests(Arc::clone(&self.state))
    }

    /// Stops the thread after the check in progress.
    pub fn stop(&mut self) {
        self.state.lock().stop = true;
        self.state.wake.notify_one();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Checker {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Checks a build and publishes what was found; `shown` is what the terminal was last told.
fn check_once(shared: &Shared, request: Request, shown: &mut BTreeSet<String>, quiet: bool) {
    let Request { id, warnings, analysis, pages } = request;
    let report = check::run_built(&analysis, &shared.out, pages, Some(SCRIPT_PATH));
    drop(analysis);
    // Published only while the build it follows is served and the content still builds (else
    // a newer build is on its way, or its error is shown already). A newer build replaces the
    // served files, maybe while they are read here: what was found then is not published.
    let status = shared.hub.status();
    if status.good != id || status.error.is_some() {
        return;
    }
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            if !quiet {
                for w in &warnings {
                    eprintln!("warning: {}", w.replacen("warning: ", "", 1));
                }
                eprintln!("check could not run: {e}");
            }
            return;
        }
    };
    let found: Vec<String> = report.findings.iter().map(|f| f.diagnostic.to_string()).collect();
    shared.hub.checked(id, for_tabs(&summary(&report), &found));
    let found: BTreeSet<String> = found.into_iter().collect();
    if !quiet {
        print_changes(&report, shown, &found);
    }
    *shown = found;
}

/// Waits for the next build to check; `None` once stopped.
fn next(s: &State) -> Option<Request> {
    let mut q = s.lock();
    loop {
        if q.stop {
            return None;
        }
        if let Some(r) = q.next.take() {
            return Some(r);
        }
        q = s.wake.wait(q).unwrap_or_else(|p| p.into_inner());
    }
}

/// `check: 2 warnings`, or `check: no problems found`.
fn summary(r: &CheckReport) -> String {
    match (r.errors(), r.warnings()) {
        (0, 0) => "check: no problems found".into(),
        (0, w) => format!("check: {}", count(w, "warning")),
        (e, 0) => format!("check: {}", count(e, "error")),
        (e, w) => format!("check: {} and {}", count(e, "error"), count(w, "warning")),
    }
}

/// The most findings sent to the tabs, or printed at once: a large report may have thousands
/// (every tab is sent them again on each change), and `check --verbose` lists them all.
const SHOWN_AT_MOST: usize = 50;

/// What the tabs are sent: the summary line, then the first findings (errors first).
fn for_tabs(summary: &str, found: &[String]) -> String {
    let mut out = summary.to_string();
    for f in found.iter().take(SHOWN_AT_MOST) {
        out.push_str("\n\n");
        out.push_str(f);
    }
    if found.len() > SHOWN_AT_MOST {
        out.push_str(&format!("\n\n… and {} more: `reportgen check --verbose` lists them all", found.len() - SHOWN_AT_MOST));
    }
    out
}

/// Prints the findings not printed after the last check (the first [`SHOWN_AT_MOST`]), and
/// how many of those are gone.
fn print_changes(report: &CheckReport, before: &BTreeSet<String>, now: &BTreeSet<String>) {
    let fixed = before.difference(now).count();
    let new = now.difference(before).count();
    if fixed == 0 && new == 0 {
        return;
    }
    let mut line = summary(report);
    if !before.is_empty() {
        let parts: Vec<String> = [(new, "new"), (fixed, "fixed")].iter().filter(|(n, _)| *n > 0).map(|(n, w)| format!("{n} {w}")).collect();
        line.push_str(&format!(" ({})", parts.join(", ")));
    }
    eprintln!("{line}");
    for f in report.findings.iter().filter(|f| !before.contains(&f.diagnostic.to_string())).take(SHOWN_AT_MOST) {
        let text = f.diagnostic.to_string().replacen("warning: ", "", 1);
        eprintln!("{}: {text}", if f.is_error() { "error" } else { "warning" });
    }
    if new > SHOWN_AT_MOST {
        eprintln!("… and {} more new: `reportgen check --verbose` lists them all", new - SHOWN_AT_MOST);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tabs_get_the_first_findings_and_a_count_of_the_rest() {
        assert_eq!(for_tabs("check: no problems found", &[]), "check: no problems found");
        let found: Vec<String> = (1..=SHOWN_AT_MOST + 3).map(|i| format!("a.md:{i}:1: warning: x")).collect();
        let sent = for_tabs("check: 53 warnings", &found);
        assert!(sent.starts_with("check: 53 warnings\n\na.md:1:1: warning: x\n\na.md:2:1"), "{sent}");
        assert!(sent.contains(&format!("a.md:{SHOWN_AT_MOST}:1:")) && !sent.contains(&format!("a.md:{}:1:", SHOWN_AT_MOST + 1)));
        assert!(sent.ends_with("… and 3 more: `reportgen check --verbose` lists them all"), "{sent}");
    }
}
