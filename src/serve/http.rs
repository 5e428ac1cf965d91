//! A small HTTP/1.1 server on std::net: one thread per connection with keep-alive, GET and
//! HEAD only. Serves files of the output directory, the live-reload script and event stream,
//! and an error page while no build has succeeded yet.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::events::{self, Hub};
use super::files::{self, Target};
use crate::markdown::escape::escape;

/// Reserved URL prefix of the server's own files (never produced by a build).
pub const RESERVED: &str = "/__reportgen/";
pub const SCRIPT_PATH: &str = "/__reportgen/live.js";
const EVENTS_PATH: &str = "/__reportgen/events";
const SCRIPT: &str = include_str!("live.js");

const MAX_CLIENTS: usize = 512;
const MAX_LINE: u64 = 8 * 1024;
const MAX_HEADERS: usize = 100;
/// An idle keep-alive connection is closed after this long.
const IDLE: Duration = Duration::from_secs(15);
const STACK: usize = 256 * 1024;
/// Files up to this size are read whole; larger ones are streamed.
const INLINE: u64 = 256 * 1024;

/// What the connection threads share with the server.
pub struct Shared {
    /// The canonical output directory (its contents are swapped by each successful build).
    pub out: PathBuf,
    pub hub: Hub,
    pub stop: AtomicBool,
    clients: Mutex<HashMap<u64, TcpStream>>,
    next_client: AtomicU64,
}

impl Shared {
    pub fn new(out: PathBuf) -> Shared {
        Shared { out, hub: Hub::default(), stop: AtomicBool::new(false), clients: Mutex::default(), next_client: AtomicU64::new(0) }
    }

    fn clients(&self) -> std::sync::MutexGuard<'_, HashMap<u64, TcpStream>> {
        self.clients.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Closes every open connection (after `stop` is set).
    pub fn close_all(&self) {
        for s in self.clients().values() {
            let _ = s.shutdown(Shutdown::Both);
        }
        self.hub.wake_all();
    }
}

/// Accepts connections until `shared.stop` is set (and a connection wakes the loop).
pub fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for conn in listener.incoming() {
        if shared.stop.load(Ordering::Relaxed) {
            break;
        }
        let Ok(mut stream) = conn else {
            // Out of file descriptors, most likely: let some connections finish.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let id = shared.next_client.fetch_add(1, Ordering::Relaxed);
        let registered = {
            let mut clients = shared.clients();
            clients.len() < MAX_CLIENTS && stream.try_clone().map(|c| clients.insert(id, c)).is_ok()
        };
        if !registered {
            let _ = stream.write_all(&head(503, "text/plain; charset=utf-8", Some(0), false, &[]));
            continue;
        }
        let sh = Arc::clone(&shared);
        let spawned = std::thread::Builder::new().name("serve-conn".into()).stack_size(STACK).spawn(move || {
            connection(stream, &sh);
            sh.clients().remove(&id);
        });
        if spawned.is_err() {
            shared.clients().remove(&id);
        }
    }
}

struct Request {
    method: String,
    target: String,
    keep_alive: bool,
    has_body: bool,
}

enum ReadError {
    /// The connection closed or timed out: nothing to answer.
    Gone,
    /// Not a request we can read: answer 400 and close.
    Malformed,
}

fn read_line(r: &mut impl BufRead, line: &mut Vec<u8>) -> Result<(), ReadError> {
    line.clear();
    let n = r.take(MAX_LINE).read_until(b'\n', line).map_err(|_| ReadError::Gone)?;
    if n == 0 {
        return Err(ReadError::Gone);
    }
    if line.last() != Some(&b'\n') {
        return Err(ReadError::Malformed);
    }
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    Ok(())
}

fn read_request(r: &mut impl BufRead) -> Result<Request, ReadError> {
    let mut line = Vec::new();
    read_line(r, &mut line)?;
    while line.is_empty() {
        // Tolerate blank lines between requests.
        read_line(r, &mut line)?;
    }
    let request_line = std::str::from_utf8(&line).map_err(|_| ReadError::Malformed)?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(ReadError::Malformed);
    };
    if !version.starts_with("HTTP/1.") || target.is_empty() || target.bytes().any(|b| b.is_ascii_control()) {
        return Err(ReadError::Malformed);
    }
    let mut req = Request { method: method.into(), target: target.into(), keep_alive: version != "HTTP/1.0", has_body: false };
    for _ in 0..MAX_HEADERS {
        read_line(r, &mut line)?;
        if line.is_empty() {
            return Ok(req);
        }
        let text = String::from_utf8_lossy(&line);
        let Some((name, value)) = text.split_once(':') else { return Err(ReadError::Malformed) };
        let value = value.trim();
        if name.eq_ignore_ascii_case("connection") {
            let v = value.to_ascii_lowercase();
            if v.contains("close") {
                req.keep_alive = false;
            } else if v.contains("keep-alive") {
                req.keep_alive = true;
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") || (name.eq_ignore_ascii_case("content-length") && value != "0") {
            req.has_body = true;
        }
    }
    Err(ReadError::Malformed)
}

struct Response {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    /// A large file, streamed after the head instead of `body`, with its length.
    file: Option<(File, u64)>,
    extra: Vec<(&'static str, String)>,
}

impl Response {
    fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response { status, content_type, body: body.into(), file: None, extra: Vec::new() }
    }

    /// The file at `path`: read whole when small, else streamed. `None` if it cannot be opened.
    fn file(status: u16, path: &Path) -> Option<Response> {
        let mut f = File::open(path).ok()?;
        let len = f.metadata().ok()?.len();
        let mut r = Response::new(status, files::mime(path), Vec::new());
        if len <= INLINE {
            f.read_to_end(&mut r.body).ok()?;
        } else {
            r.file = Some((f, len));
        }
        Some(r)
    }

    fn len(&self) -> u64 {
        self.file.as_ref().map_or(self.body.len() as u64, |f| f.1)
    }

    fn text(status: u16) -> Response {
        Response::new(status, "text/plain; charset=utf-8", format!("{status} {}\n", reason(status)))
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// The response head; `len` is the Content-Length (`None` for a stream that ends with the connection).
fn head(status: u16, content_type: &str, len: Option<u64>, keep_alive: bool, extra: &[(&str, String)]) -> Vec<u8> {
    let mut h = format!(
        "HTTP/1.1 {status} {}\r\nDate: {}\r\nServer: reportgen\r\nContent-Type: {content_type}\r\n\
         Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: {}\r\n",
        reason(status),
        http_date(SystemTime::now()),
        if keep_alive { "keep-alive" } else { "close" }
    );
    if let Some(len) = len {
        h.push_str(&format!("Content-Length: {len}\r\n"));
    }
    for (k, v) in extra {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str("\r\n");
    h.into_bytes()
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 IMF-fixdate).
fn http_date(t: SystemTime) -> String {
    let secs = t.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Serves one connection: requests in order (keep-alive) until it closes or turns into an
/// event stream.
fn connection(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(IDLE));
    let _ = stream.set_write_timeout(Some(IDLE));
    let Ok(read_half) = stream.try_clone() else { return };
    let mut reader = BufReader::new(read_half);
    let mut w = stream;
    loop {
        let req = match read_request(&mut reader) {
            Ok(r) => r,
            Err(ReadError::Gone) => return,
            Err(ReadError::Malformed) => {
                let r = Response::text(400);
                let _ = w.write_all(&[head(400, r.content_type, Some(r.len()), false, &[]), r.body].concat());
                return;
            }
        };
        if shared.stop.load(Ordering::Relaxed) {
            return;
        }
        let is_head = req.method == "HEAD";
        // A request body we do not read would be taken for the next request: close after it.
        let keep_alive = req.keep_alive && !req.has_body;
        let path = req.target.split(['?', '#']).next().unwrap_or("");
        if path == EVENTS_PATH && req.method == "GET" {
            let _ = w.write_all(&head(200, "text/event-stream; charset=utf-8", None, false, &[]));
            let _ = w.set_write_timeout(Some(Duration::from_secs(5)));
            let _ = events::stream(&mut w, &shared.hub, &shared.stop);
            return;
        }
        let resp = route(shared, &req.method, path);
        let mut out = head(resp.status, resp.content_type, Some(resp.len()), keep_alive, &resp.extra);
        if !is_head {
            out.extend_from_slice(&resp.body);
        }
        let mut sent = w.write_all(&out).is_ok();
        if let (Some((f, len)), false, true) = (resp.file, is_head, sent) {
            // A short copy breaks the framing: the connection must end.
            sent = std::io::copy(&mut f.take(len), &mut w).is_ok_and(|n| n == len);
        }
        if !sent || !keep_alive {
            return;
        }
    }
}

/// The response to a GET or HEAD of `path` (the request target without its query).
fn route(shared: &Shared, method: &str, path: &str) -> Response {
    if method != "GET" && method != "HEAD" {
        let mut r = Response::text(405);
        r.extra.push(("Allow", "GET, HEAD".into()));
        return r;
    }
    if path == SCRIPT_PATH {
        return Response::new(200, "text/javascript; charset=utf-8", SCRIPT);
    }
    if path.starts_with(RESERVED) {
        return Response::text(404);
    }
    if !shared.hub.has_site() {
        return no_site_page(shared);
    }
    match files::resolve(&shared.out, path) {
        Target::File(p) => Response::file(200, &p).unwrap_or_else(|| Response::text(404)),
        Target::Redirect(to) => {
            let mut r = Response::text(301);
            r.extra.push(("Location", to));
            r
        }
        Target::Forbidden => Response::text(403),
        Target::NotFound => Response::file(404, &shared.out.join("404.html")).unwrap_or_else(|| Response::text(404)),
    }
}

/// What every page shows while no build has succeeded: the errors, reloading when fixed.
fn no_site_page(shared: &Shared) -> Response {
    let s = shared.hub.status();
    let error = s.error.as_deref().unwrap_or("the first build is still running");
    let body = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>build failed</title></head>\n<body>\
         <h1>reportgen: the site does not build yet</h1>\n<pre>{}</pre>\n{}</body></html>\n",
        escape(error),
        super::script_tag(events::NO_SITE)
    );
    Response::new(503, "text/html; charset=utf-8", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<Request, ReadError> {
        read_request(&mut BufReader::new(raw.as_bytes()))
    }

    #[test]
    fn reads_requests_and_keep_alive() {
        let Ok(r) = parse("GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n") else { panic!("parsed") };
        assert_eq!((r.method.as_str(), r.target.as_str(), r.keep_alive, r.has_body), ("GET", "/a?b", true, false));
        let Ok(r) = parse("GET / HTTP/1.0\r\n\r\n") else { panic!("parsed") };
        assert!(!r.keep_alive);
        let Ok(r) = parse("GET / HTTP/1.1\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc") else { panic!("parsed") };
        assert!(!r.keep_alive && r.has_body);
    }

    #[test]
    fn refuses_malformed_requests() {
        for raw in ["GET /\r\n\r\n", "GET / HTTP/2\r\n\r\n", "GET /a b HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nno colon\r\n\r\n"] {
            assert!(matches!(parse(raw), Err(ReadError::Malformed)), "{raw:?}");
        }
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_LINE as usize));
        assert!(matches!(parse(&long), Err(ReadError::Malformed)));
        assert!(matches!(parse(""), Err(ReadError::Gone)));
    }

    #[test]
    fn dates_are_imf_fixdate() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_210_096);
        assert_eq!(http_date(t), "Thu, 29 Feb 2024 12:34:56 GMT");
    }
}
