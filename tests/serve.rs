//! `reportgen serve` end to end on temporary sites: pages and MIME types, rebuild and reload
//! after a change, located errors over the last good site, path traversal, and a build output
//! free of the live-reload script. Waits poll with generous deadlines (a loaded 2-core machine).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{Site, chapter, files};
use reportgen::serve::{self, ServeOptions, Server};

const DEADLINE: Duration = Duration::from_secs(30);

fn fixture() -> Site {
    let s = Site::new();
    s.write("content/index.md", "---\n---\n\n소개 문단.\n");
    s.write("content/chapters/01-one.md", &chapter(1, "one", "첫째 장", "첫 문장입니다. [](table:t1) 참고.\n\n![](table:t1)\n"));
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "둘째 장 본문.\n"));
    s.write(
        "content/tables/t1.yaml",
        "id: t1\ncaption: 첫 표\nheader:\n  - [구분, 값]\nrows:\n  - [가, \"1\"]\nsource: \"[기관](source:src)\"\n",
    );
    s.write("content/sources.yaml", "- id: src\n  name: 기관\n");
    // Large enough to be streamed rather than read whole.
    let big: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::create_dir_all(s.root.join("content/assets")).unwrap();
    std::fs::write(s.root.join("content/assets/big.pdf"), big).unwrap();
    s
}

fn start(site: &Site) -> Server {
    match serve::start(&ServeOptions { root: site.root.clone(), port: Some(0), quiet: true }) {
        Ok(s) => s,
        Err(e) => panic!("serve did not start:\n{e}"),
    }
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

fn parse_reply(raw: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no response head in {text:?}"));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no status in {head:?}"));
    Reply { status, head: head.to_string(), body: body.to_string() }
}

/// Sends `method target` exactly as given (no normalisation of `..`) and reads the raw reply.
fn request_raw(port: u16, method: &str, target: &str) -> Vec<u8> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(s, "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    raw
}

fn request(port: u16, method: &str, target: &str) -> Reply {
    parse_reply(&request_raw(port, method, target))
}

fn get(port: u16, target: &str) -> Reply {
    request(port, "GET", target)
}

/// Polls `f` until it holds or the deadline passes.
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A client of the server-sent-events endpoint.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET /__reportgen/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        s.set_read_timeout(Some(DEADLINE)).unwrap();
        let mut reader = BufReader::new(s);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
            head.push_str(&line);
        }
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.contains("Content-Type: text/event-stream"), "{head}");
        Events { reader }
    }

    /// The next event as (name, data); panics after `deadline` (keep-alive pings included).
    fn next(&mut self, deadline: Instant) -> (String, String) {
        let (mut name, mut data) = (String::new(), Vec::new());
        loop {
            assert!(Instant::now() < deadline, "no event in time");
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).expect("an event before the deadline");
            assert!(n > 0, "event stream closed");
            let line = line.trim_end_matches('\n');
            if line.is_empty() {
                if !name.is_empty() {
                    return (name, data.join("\n"));
                }
            } else if let Some(v) = line.strip_prefix("event: ") {
                name = v.to_string();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data.push(v.to_string());
            }
        }
    }

    /// Waits for reloads (build ids other than `id`) until `path` shows `text`; updates `id`.
    fn reload_showing(&mut self, id: &mut String, port: u16, path: &str, text: &str) {
        let start = Instant::now();
        loop {
            let last = id.clone();
            *id = self.until("reload", |d| d != last);
            let page = get(port, path).body;
            if page.contains(text) {
                return;
            }
            assert!(start.elapsed() < DEADLINE, "{path} never showed {text:?}: {page}");
        }
    }

    /// Skips events until one named `name` satisfies `pred`; returns its data.
    fn until(&mut self, name: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let (n, d) = self.next(deadline);
            if n == name && pred(&d) {
                return d;
            }
        }
    }
}

#[test]
fn serves_pages_with_the_live_reload_script_and_right_types() {
    let site = fixture();
    let server = start(&site);
    let port = server.port();

    let home = get(port, "/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert_eq!(home.header("Cache-Control"), Some("no-cache"));
    assert!(home.body.contains("소개 문단."), "{}", home.body);
    assert!(home.body.contains("<script src=\"/__reportgen/live.js\" data-build=\""), "live-reload script in served pages");
    assert!(home.body.contains(&format!("http://127.0.0.1:{port}/")) || home.body.contains("href=\"/"), "links point at the preview");

    let ch = get(port, "/chapters/one/");
    assert_eq!(ch.status, 200);
    assert!(ch.body.contains("첫 문장입니다."));
    let redirect = get(port, "/chapters/one");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("Location"), Some("/chapters/one/"));

    for (path, mime) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml; charset=utf-8"),
        ("/__reportgen/live.js", "text/javascript; charset=utf-8"),
    ] {
        let r = get(port, path);
        assert_eq!((r.status, r.header("Content-Type")), (200, Some(mime)), "{path}");
        assert!(!r.body.is_empty(), "{path}");
    }
    assert!(get(port, "/__reportgen/live.js").body.contains("EventSource"));
    let raw = request_raw(port, "GET", "/assets/big.pdf");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = parse_reply(&raw[..split]);
    assert_eq!((head.status, head.header("Content-Type"), head.header("Content-Length")), (200, Some("application/pdf"), Some("1000000")));
    assert!(raw[split..] == std::fs::read(site.root.join("content/assets/big.pdf")).unwrap()[..], "a large file arrives whole");

    let head = request(port, "HEAD", "/chapters/one/");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("Content-Length"), Some(ch.body.len().to_string().as_str()));
    assert!(head.body.is_empty(), "HEAD has no body");
    assert_eq!(request(port, "POST", "/").status, 405);

    let missing = get(port, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert!(missing.body.contains("페이지를 찾을 수 없습니다"), "the site's 404 page: {}", missing.body);

    // Keep-alive: two requests on one connection, answered in order.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(s, "GET /style.css HTTP/1.1\r\nHost: x\r\n\r\nGET /chapters/two/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    assert_eq!(raw.matches("HTTP/1.1 200 OK").count(), 2, "{raw}");
    assert!(raw.contains("둘째 장 본문."));
}

#[test]
fn rebuilds_on_change_shows_errors_and_keeps_the_last_good_site() {
    let site = fixture();
    let server = start(&site);
    let port = server.port();
    let mut events = Events::open(port);
    let mut id = events.until("reload", |_| true);
    assert!(get(port, "/chapters/one/").body.contains(&format!("data-build=\"{id}\"")), "pages carry the served build id");

    // An edit: open tabs are told to reload, and the page changed. (A loaded machine may
    // see a plain write as two bursts, truncation then text, hence the loop.)
    site.write("content/chapters/01-one.md", &chapter(1, "one", "첫째 장", "고친 문장입니다.\n"));
    events.reload_showing(&mut id, port, "/chapters/one/", "고친 문장입니다.");

    // A mistake: the located error goes to the tabs; the last good page is still served.
    site.write("content/chapters/01-one.md", &chapter(1, "one", "첫째 장", "깨진 참조 [](table:nope) 문장.\n"));
    let error = events.until("build-error", |d| d.contains("unknown table id"));
    assert!(error.contains("content/chapters/01-one.md:7:7: unknown table id `nope`"), "{error}");
    let page = get(port, "/chapters/one/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("고친 문장입니다.") && !page.body.contains("깨진 참조"), "last good page still served");

    // The fix: reload again.
    site.write("content/chapters/01-one.md", &chapter(1, "one", "첫째 장", "다시 고친 문장입니다.\n"));
    events.reload_showing(&mut id, port, "/chapters/one/", "다시 고친 문장입니다.");

    // A theme change is watched too.
    let before = get(port, "/style.css").body;
    site.write("themes/default/static/style.css", &format!("{before}\n/* changed */\n"));
    events.reload_showing(&mut id, port, "/style.css", "/* changed */");

    // Editor temp files are not: the next reload is the one of the real save that follows them,
    // made the way editors often save (write a hidden temp file, rename it over the chapter).
    site.write("content/chapters/.01-one.md.swp", "junk");
    site.write("content/chapters/01-one.md~", "junk");
    site.write("content/chapters/4913", "");
    site.remove("content/chapters/4913");
    std::thread::sleep(Duration::from_millis(300));
    site.write("content/chapters/.02-two.md.tmp", &chapter(2, "two", "둘째 장", "이름 바꿔 저장.\n"));
    std::fs::rename(site.root.join("content/chapters/.02-two.md.tmp"), site.root.join("content/chapters/02-two.md")).unwrap();
    events.until("reload", |d| d != id);
    assert!(get(port, "/chapters/two/").body.contains("이름 바꿔 저장."), "a temp file caused a rebuild of its own");
}

#[test]
fn each_good_build_is_checked_and_the_tabs_are_told_what_the_check_found() {
    let site = fixture();
    site.remove("content/assets/big.pdf"); // an asset nothing links to is a finding of its own
    let server = start(&site);
    let port = server.port();
    let mut events = Events::open(port);
    const CLEAN: &str = "check: no problems found";
    assert_eq!(events.until("check", |_| true), CLEAN);

    // A date at the start of a paragraph makes it a numbered list: the page still builds and
    // reloads, and the check of the new build says where and what to write instead.
    site.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "2016. 12. 바이두가 연구소를 열었다.\n"));
    let found = events.until("check", |d| d != CLEAN);
    assert_eq!(
        found,
        "check: 1 warning\n\ncontent/chapters/02-two.md:7:1: warning: `2016.` at the start of a paragraph makes it a numbered \
         list counting from 2016\n  help: write `2016\\.` to keep it as text"
    );
    // A table never placed: the build's own warning, told once, with the check's.
    site.write("content/tables/t2.yaml", "id: t2\ncaption: 둘째 표\nheader:\n  - [구분]\nrows:\n  - [가]\n");
    let found = events.until("check", |d| d.starts_with("check: 2 warnings"));
    assert_eq!(found.matches("table `t2` is never placed").count(), 1, "{found}");

    // Both fixed: the next check finds nothing, and a tab opened now is told so.
    site.remove("content/tables/t2.yaml");
    site.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "2016\\. 12. 바이두가 연구소를 열었다.\n"));
    events.until("check", |d| d == CLEAN);
    assert_eq!(Events::open(port).until("check", |_| true), CLEAN);
}

#[test]
fn a_failed_first_build_is_shown_until_fixed() {
    let site = fixture();
    site.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "<b>태그</b> [](figure:nope)\n"));
    let server = start(&site);
    let port = server.port();
    let page = get(port, "/chapters/two/");
    assert_eq!(page.status, 503);
    assert!(page.body.contains("content/chapters/02-two.md:7:"), "{}", page.body);
    assert!(page.body.contains("/__reportgen/live.js"), "the error page reloads when fixed");
    site.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "이제 된다.\n"));
    eventually("the site after the fix", || {
        let r = get(port, "/chapters/two/");
        r.status == 200 && r.body.contains("이제 된다.")
    });
}

#[test]
fn refuses_paths_outside_the_output() {
    let site = fixture();
    let server = start(&site);
    let port = server.port();
    let out = server.out_dir().to_path_buf();
    std::os::unix::fs::symlink(site.root.join("site.toml"), out.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(&site.root, out.join("leakdir")).unwrap();
    std::os::unix::fs::symlink(out.join("index.html"), out.join("inside.html")).unwrap();
    let secret = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    assert!(secret.contains("[strings]"));
    for target in [
        "/../site.toml",
        "/../../../../../../etc/passwd",
        "/%2e%2e/site.toml",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/..%2fsite.toml",
        "/%2e%2e%2fsite.toml",
        "/chapters/../../site.toml",
        "/..\\site.toml",
        "/..%5csite.toml",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/leak.txt",
        "/leakdir/site.toml",
        "/leakdir/",
        "/index.html%00.txt",
    ] {
        let r = get(port, target);
        assert!(r.status == 403 || r.status == 404, "{target}: {}", r.status);
        assert!(!r.body.contains("[strings]") && !r.body.contains("root:x:0"), "{target} leaked a file");
    }
    // A symlink that stays inside is served.
    assert_eq!(get(port, "/inside.html").status, 200);
}

/// A port given with `--port` is used or refused, never swapped for another the editor did not
/// ask for (the next free port is taken only when no port is given).
#[test]
fn a_given_port_that_is_taken_is_an_error_naming_it() {
    let site = fixture();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let err = match serve::start(&ServeOptions { root: site.root.clone(), port: Some(port), quiet: true }) {
        Ok(s) => panic!("served on {} although port {port} was given and taken", s.port()),
        Err(e) => e.to_string(),
    };
    assert!(err.contains(&format!("port {port} is already in use")), "{err}");
    assert!(err.contains("leave out --port"), "{err}");
}

#[test]
fn build_output_has_no_live_reload_script() {
    let site = fixture();
    site.built();
    let out = site.out();
    for f in files(&out) {
        let bytes = std::fs::read(Path::new(&out).join(&f)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("__reportgen") && !text.contains("EventSource"), "{f} has the live-reload script");
    }
}

/// End-to-end latency on the real report: from writing a chapter to the reload event and the
/// new page fetched. Run with a release build:
/// `cargo test --release --test serve -- --ignored --nocapture latency`
#[test]
#[ignore]
fn latency_on_the_report() {
    let site = Site::report();
    let server = start(&site);
    let port = server.port();
    let mut events = Events::open(port);
    let mut id = events.until("reload", |_| true);
    let rel = "content/chapters/04-ai.md";
    let original = std::fs::read_to_string(site.root.join(rel)).unwrap();
    let mut times = Vec::new();
    for i in 0..30 {
        // Let the page cache and the machine settle between edits, like an editor typing.
        std::thread::sleep(Duration::from_millis(200));
        let marker = format!("측정표지{i:03}");
        let text = original.replacen("거액을", &format!("거액을 {marker}"), 1);
        let t0 = Instant::now();
        std::fs::write(site.root.join(rel), &text).unwrap();
        let (t_event, t_page) = loop {
            let last = id.clone();
            id = events.until("reload", |d| d != last);
            let t_event = t0.elapsed();
            if get(port, "/chapters/ai/").body.contains(&marker) {
                break (t_event, t0.elapsed());
            }
        };
        times.push((t_event, t_page));
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("each (ms): {:?}", times.iter().map(|t| ms(t.1).round()).collect::<Vec<_>>());
    let mut ev: Vec<f64> = times.iter().map(|t| ms(t.0)).collect();
    let mut pg: Vec<f64> = times.iter().map(|t| ms(t.1)).collect();
    ev.sort_by(f64::total_cmp);
    pg.sort_by(f64::total_cmp);
    println!(
        "{} edits: reload event median {:.1} ms, max {:.1} ms; new page fetched median {:.1} ms, max {:.1} ms",
        times.len(),
        ev[ev.len() / 2],
        ev[ev.len() - 1],
        pg[pg.len() / 2],
        pg[pg.len() - 1]
    );
}
