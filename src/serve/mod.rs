//! `reportgen serve`: live preview on 127.0.0.1. Builds the site into a private directory,
//! serves it, rebuilds when `content/`, `themes/` or `site.toml` change and tells open tabs to
//! reload (or shows them the located error of a failed rebuild over the last good site), then
//! checks each good build and shows the tabs what the check found.
//!
//! Modules: [`http`] (the server), [`files`] (request path → file, MIME types), [`watch`]
//! (file watching with debounce), [`events`] (build status and the event stream), [`checks`]
//! (`check` after each rebuild).

pub mod checks;
pub mod events;
pub mod files;
pub mod http;
pub mod watch;

use std::net::{TcpListener, TcpStream};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use crate::build::{BuildOptions, build_analysed};
use crate::error::{Diagnostic, Error, Result};
use http::Shared;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// The port given with `--port` (0: any free port), used exactly; none: [`DEFAULT_PORT`],
    /// or the next free port after it.
    pub port: Option<u16>,
    pub quiet: bool,
}

/// The port tried first when none is given.
pub const DEFAULT_PORT: u16 = 1111;

/// How many ports from [`DEFAULT_PORT`] are tried when none is given.
const PORT_TRIES: u16 = 100;

/// The `<script>` tag added to every served page of build `id`.
pub fn script_tag(id: &str) -> String {
    format!("<script src=\"{}\" data-build=\"{id}\"></script>", http::SCRIPT_PATH)
}

/// A running preview server; stops (and removes its private output) on [`Server::shutdown`] or drop.
pub struct Server {
    port: u16,
    shared: Arc<Shared>,
    dir: PathBuf,
    watch: Option<watch::Watch>,
    checker: Option<checks::Checker>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The directory the site is built into and served from.
    pub fn out_dir(&self) -> &Path {
        &self.shared.out
    }

    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let Some(accept) = self.accept.take() else { return };
        self.shared.stop.store(true, Ordering::Relaxed);
        if let Some(mut w) = self.watch.take() {
            w.stop();
        }
        if let Some(mut c) = self.checker.take() {
            c.stop();
        }
        // Wake the accept loop so that it sees `stop`.
        let _ = TcpStream::connect_timeout(&([127, 0, 0, 1], self.port).into(), Duration::from_secs(1));
        let _ = accept.join();
        self.shared.close_all();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Rebuilds the site into the served directory and reports each outcome to the tabs.
struct Builder {
    root: PathBuf,
    out: PathBuf,
    base_url: String,
    quiet: bool,
    shared: Arc<Shared>,
    checks: checks::Requests,
    /// Distinguishes this server's build ids from an earlier run's (tabs left open).
    run: String,
    attempt: u64,
}

impl Builder {
    fn lock(b: &Mutex<Builder>) -> MutexGuard<'_, Builder> {
        b.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn rebuild(&mut self, changed: &[PathBuf]) {
        self.attempt += 1;
        self.checks.cancel();
        let id = format!("{}-{}", self.run, self.attempt);
        let started = Instant::now();
        let opts = BuildOptions {
            root: self.root.clone(),
            out: Some(self.out.clone()),
            base_url: Some(self.base_url.clone()),
            inject: Some(script_tag(&id)),
            exit_after: false,
        };
        match build_analysed(&opts) {
            Ok((r, analysis)) => {
                self.shared.hub.succeeded(id.clone());
                // The check that follows prints the build's warnings with its own findings.
                let warnings = r.warnings.iter().map(ToString::to_string).collect();
                self.checks.request(checks::Request { id, warnings, analysis, pages: r.pages });
                if !self.quiet {
                    // Name a file that is still there (not an editor's or sed's temporary one).
                    let shown = changed.iter().find(|p| p.exists()).or(changed.first());
                    let what = match shown {
                        None if self.attempt == 1 => String::new(),
                        None => " (after lost file events)".into(),
                        Some(p) if changed.len() == 1 => format!(" ({})", self.show(p)),
                        Some(p) => format!(" ({} and {} more)", self.show(p), changed.len() - 1),
                    };
                    let verb = if self.attempt == 1 { "built" } else { "rebuilt" };
                    println!("{verb} {} pages in {:.1} ms{what}", r.pages, started.elapsed().as_secs_f64() * 1000.0);
                }
            }
            Err(e) => {
                for d in &e.diagnostics {
                    eprintln!("{}: {d}", if d.is_error() { "error" } else { "warning" });
                }
                let keeps = if self.shared.hub.has_site() { "still serving the last good build" } else { "nothing to serve yet" };
                eprintln!("build failed with {}; {keeps}", crate::error::count(e.diagnostics.len(), "error"));
                self.shared.hub.failed(e.to_string());
            }
        }
    }

    fn show(&self, p: &Path) -> String {
        p.strip_prefix(&self.root).unwrap_or(p).display().to_string()
    }
}

/// Binds 127.0.0.1 on the port given, or else on [`DEFAULT_PORT`] or the next free port after it.
fn bind(given: Option<u16>) -> Result<TcpListener> {
    let ports = match given {
        Some(port) => port..=port,
        None => DEFAULT_PORT..=DEFAULT_PORT.saturating_add(PORT_TRIES - 1),
    };
    bind_first_free(ports.clone()).map_err(|e| bind_error(given, ports, &e))
}

/// Binds 127.0.0.1 on the first free port of `ports`; the error is the last port's.
fn bind_first_free(ports: RangeInclusive<u16>) -> std::io::Result<TcpListener> {
    let last = *ports.end();
    for p in ports {
        match TcpListener::bind(("127.0.0.1", p)) {
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && p < last => continue,
            result => return result,
        }
    }
    unreachable!("the last port returns")
}

/// Why no port could be had, and what to do about it.
fn bind_error(given: Option<u16>, ports: RangeInclusive<u16>, e: &std::io::Error) -> Error {
    let d = match given {
        Some(port) if e.kind() == std::io::ErrorKind::AddrInUse => Diagnostic::error(format!("port {port} is already in use on 127.0.0.1"))
            .with_help(format!("choose another with --port N, or leave out --port to use the first free port from {DEFAULT_PORT}")),
        Some(port) => Diagnostic::error(format!("cannot listen on 127.0.0.1 (port {port}): {e}")).with_help("choose another with --port N"),
        None => Diagnostic::error(format!("cannot listen on 127.0.0.1 (ports {}–{}): {e}", ports.start(), ports.end()))
            .with_help("choose one with --port N"),
    };
    Error::new(d)
}

/// Creates the server's private directory (mode 0700), preferring memory-backed file
/// systems: a preview is rebuilt on every change and thrown away at the end.
fn private_dir() -> Result<PathBuf> {
    crate::scratch::create(&crate::scratch::bases(), "reportgen-serve")
}

/// Builds the site, starts serving it and watching it; returns once the first build is done
/// (a failed first build is served as an error page until it is fixed).
pub fn start(opts: &ServeOptions) -> Result<Server> {
    let root = opts.root.canonicalize().map_err(|e| Error::io(&opts.root, &e))?;
    if !root.join("site.toml").is_file() {
        return Err(Error::new(
            Diagnostic::error("no site.toml here: not a site root")
                .in_file(root.display().to_string())
                .with_help("pass --root DIR, or create a site with `reportgen init DIR`"),
        ));
    }
    let listener = bind(opts.port)?;
    let port = listener.local_addr().map_err(|e| Error::msg(format!("cannot read the listening address: {e}")))?.port();
    let dir = private_dir()?;
    let shared = Arc::new(Shared::new(dir.join("site")));
    let run = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_micros() as u64);
    let base_url = format!("http://127.0.0.1:{port}/");
    let checker =
        checks::Checker::spawn(Arc::clone(&shared), opts.quiet).map_err(|e| Error::msg(format!("cannot start the check thread: {e}")))?;
    let builder = Arc::new(Mutex::new(Builder {
        root: root.clone(),
        out: shared.out.clone(),
        base_url,
        quiet: opts.quiet,
        shared: Arc::clone(&shared),
        checks: checker.requests(),
        run: format!("{run:x}"),
        attempt: 0,
    }));
    let mut server = Server { port, shared: Arc::clone(&shared), dir, watch: None, checker: Some(checker), accept: None };
    // Watch before the first build, so that no change made meanwhile is missed.
    let b = Arc::clone(&builder);
    server.watch = Some(watch::spawn(&root, move |changed| Builder::lock(&b).rebuild(changed))?);
    Builder::lock(&builder).rebuild(&[]);
    let sh = Arc::clone(&shared);
    let accept = std::thread::Builder::new().name("serve-accept".into()).spawn(move || http::accept_loop(listener, sh));
    server.accept = Some(accept.map_err(|e| Error::msg(format!("cannot start the server thread: {e}")))?);
    Ok(server)
}

/// The CLI command: serves until interrupted (Ctrl-C or SIGTERM), then cleans up.
pub fn run(opts: &ServeOptions) -> Result<()> {
    let signals = signals::block();
    let server = start(opts)?;
    if !opts.quiet {
        if opts.port.is_none() && server.port() != DEFAULT_PORT {
            println!("port {DEFAULT_PORT} is in use; serving on port {} instead", server.port());
        }
        println!("serving {} at {}  (watching content/, themes/ and site.toml; Ctrl-C stops)", opts.root.display(), server.url());
    }
    signals::wait(signals);
    server.shutdown();
    Ok(())
}

#[cfg(unix)]
mod signals {
    /// Blocks SIGINT, SIGTERM and SIGHUP in this thread and the threads it starts, so that
    /// [`wait`] receives them and the server can clean up.
    pub fn block() -> libc::sigset_t {
        // SAFETY: the set is initialised by sigemptyset before use; the calls only touch it
        // and this thread's signal mask.
        unsafe {
            let mut set = std::mem::MaybeUninit::<libc::sigset_t>::uninit();
            libc::sigemptyset(set.as_mut_ptr());
            let mut set = set.assume_init();
            for s in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                libc::sigaddset(&mut set, s);
            }
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
            set
        }
    }

    pub fn wait(set: libc::sigset_t) {
        let mut sig = 0;
        // SAFETY: `set` is a valid signal set and `sig` a valid out-pointer.
        unsafe { libc::sigwait(&set, &mut sig) };
    }
}

#[cfg(not(unix))]
mod signals {
    pub fn block() {}

    pub fn wait(_: ()) {
        loop {
            std::thread::park();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_port_the_next_free_one_is_taken() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let l = bind_first_free(port..=port.saturating_add(PORT_TRIES - 1)).unwrap();
        let got = l.local_addr().unwrap().port();
        assert!(got > port && got < port.saturating_add(PORT_TRIES), "{got} after {port}");
    }
}
