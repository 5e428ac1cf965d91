//! The rendered site as a browser meets it: every internal URL in every page (links, images,
//! scripts, styles, form actions, `data-*` URLs, metadata), in the sitemap, robots.txt, the
//! search index and stylesheets must lead to a file of the site under the base path, and every
//! `#fragment` (and every same-page id reference such as `aria-labelledby`) to an `id` there.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use super::html::{Token, decode_entities, percent_decode, tokens};
use super::locate::{Place, Sources};
use super::{Finding, Kind};
use crate::build::Analysis;
use crate::error::{Diagnostic, Error, Result, line_col};
use crate::markdown::links::reference_for_path;

/// What the link scan found, and which files of the site something uses.
pub struct Scan {
    pub findings: Vec<Finding>,
    /// Internal URLs checked.
    pub checked: usize,
    /// Output files (relative, `/`-separated) that some internal URL leads to.
    pub used_files: HashSet<String>,
}

/// The files of the rendered site and the base URL it was rendered for.
struct Site {
    files: HashSet<String>,
    dirs: HashSet<String>,
    base_url: String,
    base_path: String,
}

/// Where a URL leads.
#[derive(Debug, PartialEq, Eq)]
enum Dest {
    External,
    /// A root-relative path outside the base path, or a relative path above the site root.
    Outside,
    /// A file of the site (which may not exist) and the fragment, if any.
    Internal {
        file: String,
        fragment: Option<String>,
    },
}

fn has_scheme(url: &str) -> bool {
    let scheme = url.split(':').next().unwrap_or("");
    url.contains(':')
        && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
}

impl Site {
    fn read(out: &Path) -> Result<Site> {
        let mut files = HashSet::new();
        let mut dirs = HashSet::new();
        for e in walkdir::WalkDir::new(out).min_depth(1) {
            let e = e.map_err(|e| Error::msg(format!("cannot read the rendered site: {e}")))?;
            let rel = e.path().strip_prefix(out).unwrap_or(e.path());
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            if e.file_type().is_dir() {
                dirs.insert(rel);
            } else {
                files.insert(rel);
            }
        }
        Ok(Site { files, dirs, base_url: String::new(), base_path: String::new() })
    }

    /// Resolves `url` as written in file `from` (relative to the output root).
    fn dest(&self, from: &str, url: &str) -> Dest {
        let url = url.trim();
        let path_url;
        let url = match url.strip_prefix(&self.base_url) {
            Some(rest) => {
                path_url = format!("{}{rest}", self.base_path);
                path_url.as_str()
            }
            None if url.starts_with("//") || has_scheme(url) => return Dest::External,
            None => url,
        };
        let (before, fragment) = match url.split_once('#') {
            Some((b, f)) => (b, Some(f.to_string())),
            None => (url, None),
        };
        let path = before.split('?').next().unwrap_or("");
        let rel = if path.is_empty() {
            return Dest::Internal { file: from.to_string(), fragment };
        } else if let Some(abs) = path.strip_prefix('/') {
            let base = self.base_path.trim_start_matches('/');
            if base.strip_suffix('/') == Some(abs) {
                String::new()
            } else if let Some(r) = abs.strip_prefix(base) {
                r.to_string()
            } else {
                return Dest::Outside;
            }
        } else {
            let mut segs: Vec<&str> = from.split('/').collect();
            segs.pop();
            for s in path.split('/') {
                match s {
                    "." => {}
                    ".." => {
                        if segs.pop().is_none() {
                            return Dest::Outside;
                        }
                    }
                    s => segs.push(s),
                }
            }
            segs.join("/")
        };
        let rel = percent_decode(&rel).unwrap_or(rel);
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else if self.dirs.contains(&rel) {
            format!("{rel}/index.html")
        } else {
            rel
        };
        Dest::Internal { file, fragment }
    }
}

/// How a URL is used, which decides the kind of finding when it is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    Link,
    Image,
}

/// One URL found in a file of the site.
#[derive(Debug, Clone)]
struct UrlRef {
    url: String,
    offset: usize,
    usage: Use,
}

/// What one HTML page holds.
#[derive(Default)]
struct Page {
    rel: String,
    text: String,
    ids: HashSet<String>,
    duplicate_ids: Vec<(String, usize)>,
    urls: Vec<UrlRef>,
    /// Same-page id references: (attribute, id, offset).
    id_refs: Vec<(String, String, usize)>,
}

const ID_REF_ATTRS: &[&str] = &["aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "for", "headers", "list"];

fn scan_page(rel: String, text: String, base_url: &str) -> Page {
    let mut p = Page { rel, ..Page::default() };
    for t in tokens(&text) {
        let Token::Tag(tag) = t else { continue };
        if tag.closing {
            continue;
        }
        for (name, raw) in &tag.attrs {
            let value = decode_entities(raw);
            let push = |p: &mut Page, url: &str, usage| p.urls.push(UrlRef { url: url.to_string(), offset: tag.offset, usage });
            match &**name {
                "id" if !p.ids.insert(value.to_string()) => p.duplicate_ids.push((value.to_string(), tag.offset)),
                "name" if tag.name == "a" => {
                    p.ids.insert(value.to_string());
                }
                "href" | "action" | "poster" | "data" => push(&mut p, &value, Use::Link),
                "src" => push(&mut p, &value, if tag.name == "img" { Use::Image } else { Use::Link }),
                "srcset" => {
                    for candidate in value.split(',') {
                        if let Some(u) = candidate.split_whitespace().next() {
                            push(&mut p, u, if tag.name == "img" || tag.name == "source" { Use::Image } else { Use::Link });
                        }
                    }
                }
                "content" if tag.name == "meta" && !base_url.is_empty() && value.starts_with(base_url) => push(&mut p, &value, Use::Link),
                n if n.starts_with("data-") && (value.starts_with('/') || (!base_url.is_empty() && value.starts_with(base_url))) => {
                    push(&mut p, &value, Use::Link)
                }
                n if ID_REF_ATTRS.contains(&n) && tag.name != "meta" => {
                    for id in value.split_ascii_whitespace() {
                        p.id_refs.push((n.to_string(), id.to_string(), tag.offset));
                    }
                }
                _ => {}
            }
        }
    }
    p.text = text;
    p
}

/// URLs in a stylesheet: `url(…)` values.
fn css_urls(css: &str) -> Vec<UrlRef> {
    let mut out = Vec::new();
    for (i, _) in css.match_indices("url(") {
        let rest = &css[i + 4..];
        let Some(end) = rest.find(')') else { continue };
        let v = rest[..end].trim().trim_matches(['"', '\'']);
        if !v.is_empty() && !v.starts_with("data:") {
            out.push(UrlRef { url: v.to_string(), offset: i, usage: Use::Link });
        }
    }
    out
}

/// A problem before it is located and merged with the same problem on other pages.
struct Problem {
    kind: Kind,
    message: String,
    help: Option<String>,
    /// The file of the site it was seen in, and the byte offset there.
    seen_in: String,
    offset: usize,
    /// How it may be written in the content (all empty: not from the content), and the part
    /// of it to point at.
    needles: Vec<String>,
    focus: String,
    /// Advice rather than a broken site.
    warning: bool,
}

impl Problem {
    /// A problem in a rendered file that is not written in the content.
    fn rendered(kind: Kind, message: String, seen_in: &str, offset: usize) -> Problem {
        Problem {
            kind,
            message,
            help: None,
            seen_in: seen_in.to_string(),
            offset,
            needles: Vec::new(),
            focus: String::new(),
            warning: false,
        }
    }
}

struct Checker<'a> {
    site: &'a Site,
    ids: HashMap<&'a str, &'a HashSet<String>>,
    problems: Vec<Problem>,
    used: HashSet<String>,
    /// (file, id) pairs some URL's fragment points at.
    targeted: HashSet<(String, String)>,
    checked: usize,
}

impl Checker<'_> {
    /// Checks one URL written in `from`.
    fn url(&mut self, from: &str, r: &UrlRef, what: &str) {
        if r.url.trim().is_empty() || r.url == "#" {
            return;
        }
        let u = r.url.as_str();
        let problem = |kind, message: String, help: Option<String>| Problem {
            kind,
            message,
            help,
            seen_in: from.to_string(),
            offset: r.offset,
            needles: vec![
                format!("]({u}"),
                format!("](<{u}"),
                format!("<{u}>"),
                format!("]: {u}"),
                format!("href=\"{u}\""),
                format!("src=\"{u}\""),
                format!("href='{u}'"),
                format!("src='{u}'"),
            ],
            focus: u.to_string(),
            warning: false,
        };
        match self.site.dest(from, &r.url) {
            Dest::External => {}
            Dest::Outside => {
                self.checked += 1;
                let base = &self.site.base_path;
                let path = r.url.strip_prefix('/').and_then(|p| p.split(['#', '?']).next());
                let help = match path.and_then(reference_for_path) {
                    Some(reference) => format!("the site is published under {base}; link with `{reference}` instead of a path"),
                    None => format!("the site is published under {base}; links must stay inside it (use chapter:, table:, … references)"),
                };
                self.problems.push(problem(
                    Kind::OutsideBase,
                    format!("{what} `{}` leads outside the base path {base}", r.url),
                    Some(help),
                ));
            }
            Dest::Internal { file, fragment } => {
                self.checked += 1;
                if !self.site.files.contains(&file) {
                    let kind = if r.usage == Use::Image { Kind::MissingImage } else { Kind::BrokenLink };
                    let noun = if r.usage == Use::Image { "image" } else { what };
                    let relative = !r.url.starts_with('/') && !r.url.starts_with(&self.site.base_url);
                    // A relative URL means another file on each page that shows it: the message
                    // stays the same so the pages merge into one finding.
                    let message = if relative {
                        format!("{noun} `{}` leads to no file of the site", r.url)
                    } else {
                        format!("{noun} `{}` leads to no file of the site ({file})", r.url)
                    };
                    let help = if relative && r.usage == Use::Image {
                        Some(
                            "relative paths change meaning from page to page: put the file in content/assets/ and write assets/<file>"
                                .into(),
                        )
                    } else if relative {
                        Some("relative paths change meaning from page to page (a chapter is also shown on /print/): use chapter:, table:, … references".into())
                    } else {
                        reference_for_path(&file).map(|reference| format!("link to items with references such as `{reference}`"))
                    };
                    self.problems.push(problem(kind, message, help));
                    return;
                }
                self.used.insert(file.clone());
                let Some(fragment) = fragment.filter(|f| !f.is_empty() && !f.eq_ignore_ascii_case("top")) else { return };
                let Some(ids) = self.ids.get(file.as_str()) else { return };
                let decoded = percent_decode(&fragment).unwrap_or_else(|| fragment.clone());
                self.targeted.insert((file.clone(), decoded.clone()));
                if !ids.contains(&fragment) && !ids.contains(&decoded) {
                    let near = crate::error::did_you_mean(&decoded, ids.iter().map(String::as_str));
                    let page = if file == from { "the page".to_string() } else { file.clone() };
                    self.problems.push(problem(
                        Kind::MissingAnchor,
                        format!("{what} `{}`: {page} has no element with id `{decoded}`", r.url),
                        near.map(|n| format!("did you mean `#{n}`?")),
                    ));
                }
            }
        }
    }
}

/// Reads the rendered site in `out` and checks every URL and anchor in it.
pub fn check(a: &Analysis, out: &Path, ignore: Option<&str>) -> Result<Scan> {
    let mut site = Site::read(out)?;
    site.base_url = a.settings.base_url.clone();
    site.base_path = a.settings.base_path.clone();
    let html_files: Vec<&String> = {
        let mut v: Vec<&String> = site.files.iter().filter(|f| f.ends_with(".html")).collect();
        v.sort();
        v
    };
    let pages: Vec<Page> = html_files
        .par_iter()
        .map(|rel| {
            let text = std::fs::read_to_string(out.join(rel.as_str())).unwrap_or_default();
            scan_page(rel.to_string(), text, &site.base_url)
        })
        .collect();
    let mut checker = Checker {
        site: &site,
        ids: pages.iter().map(|p| (p.rel.as_str(), &p.ids)).collect(),
        problems: Vec::new(),
        used: HashSet::new(),
        targeted: HashSet::new(),
        checked: 0,
    };
    for p in &pages {
        for r in p.urls.iter().filter(|r| Some(r.url.as_str()) != ignore) {
            checker.url(&p.rel, r, "link");
        }
        for (attr, id, offset) in &p.id_refs {
            if !p.ids.contains(id) {
                let message = format!("`{attr}` refers to id `{id}`, which is not in the page");
                checker.problems.push(Problem::rendered(Kind::MissingAnchor, message, &p.rel, *offset));
            }
        }
    }
    check_other_files(&site, out, &mut checker);
    // A duplicate id is an error where something links to it (the link reaches only the
    // first), advice otherwise (the print view repeats chapters' heading ids).
    for p in &pages {
        for (id, offset) in &p.duplicate_ids {
            let linked = checker.targeted.contains(&(p.rel.clone(), id.clone()));
            let message = if linked {
                format!("id `{id}` is used twice in the page; links to #{id} reach only the first")
            } else {
                format!("id `{id}` is used twice in the page")
            };
            checker.problems.push(Problem {
                help: Some("give headings unique `{#id}`s".into()),
                needles: vec![format!("{{#{id}}}"), format!("id=\"{id}\""), format!("id='{id}'")],
                focus: id.clone(),
                warning: !linked,
                ..Problem::rendered(Kind::DuplicateId, message, &p.rel, *offset)
            });
        }
    }
    let Checker { problems, used, checked, .. } = checker;
    let texts: HashMap<&str, &str> = pages.iter().map(|p| (p.rel.as_str(), p.text.as_str())).collect();
    let findings = locate(a, problems, |rel| texts.get(rel).map(|t| t.to_string()).or_else(|| std::fs::read_to_string(out.join(rel)).ok()));
    Ok(Scan { findings, checked, used_files: used })
}

/// The sitemap, the feed, robots.txt, the search index and stylesheets.
fn check_other_files(site: &Site, out: &Path, checker: &mut Checker) {
    let read = |rel: &str| std::fs::read_to_string(out.join(rel)).ok();
    if let Some(xml) = read("sitemap.xml") {
        xml_urls(checker, site, "sitemap.xml", &xml, &["loc"], "sitemap entry");
    }
    if let Some(xml) = read("feed.xml") {
        xml_urls(checker, site, "feed.xml", &xml, &["link", "guid"], "feed entry");
    }
    if let Some(robots) = read("robots.txt") {
        let mut offset = 0;
        for line in robots.split_inclusive('\n') {
            if let Some(url) = line.trim().strip_prefix("Sitemap:") {
                absolute(checker, site, "robots.txt", &UrlRef { url: url.trim().to_string(), offset, usage: Use::Link }, "sitemap address");
            }
            offset += line.len();
        }
    }
    let mut others: Vec<&String> =
        site.files.iter().filter(|f| f.ends_with(".css") || (f.starts_with("search/docs-") && f.ends_with(".json"))).collect();
    others.sort();
    for rel in others {
        let Some(text) = read(rel) else { continue };
        if rel.ends_with(".css") {
            for r in css_urls(&text) {
                checker.url(rel, &r, "stylesheet URL");
            }
            continue;
        }
        // Search documents: [url, title, keywords, [[anchor, title, text], …]] per page.
        let Ok(serde_json::Value::Array(docs)) = serde_json::from_str::<serde_json::Value>(&text) else {
            checker.problems.push(Problem::rendered(Kind::BrokenLink, "the search index file is not a JSON list of pages".into(), rel, 0));
            continue;
        };
        // The documents stand in the file in order: each is looked for after the one before.
        let mut from = 0;
        for doc in &docs {
            let Some(url) = doc.get(0).and_then(|u| u.as_str()) else { continue };
            let quoted = format!("\"{url}\"");
            let found = text[from..].find(&quoted).map(|i| from + i).or_else(|| text.find(&quoted));
            let offset = found.unwrap_or(0);
            from = found.map_or(from, |at| at + quoted.len());
            checker.url(rel, &UrlRef { url: url.to_string(), offset, usage: Use::Link }, "search result");
            let sections = doc.get(3).and_then(|s| s.as_array()).map_or(&[][..], Vec::as_slice);
            for s in sections {
                if let Some(anchor) = s.get(0).and_then(|a| a.as_str()).filter(|a| !a.is_empty()) {
                    let r = UrlRef { url: format!("{url}#{anchor}"), offset, usage: Use::Link };
                    checker.url(rel, &r, "search result");
                }
            }
        }
    }
}

/// Checks the text of every `elements` element of an XML file as an absolute URL under the base.
fn xml_urls(checker: &mut Checker, site: &Site, from: &str, xml: &str, elements: &[&str], what: &str) {
    let toks = tokens(xml);
    for w in toks.windows(2) {
        if let (Token::Tag(t), Token::Text(text, offset)) = (&w[0], &w[1])
            && elements.contains(&&*t.name)
            && !t.closing
        {
            let url = decode_entities(text.trim()).into_owned();
            absolute(checker, site, from, &UrlRef { url, offset: *offset, usage: Use::Link }, what);
        }
    }
}

/// Checks a URL that must be absolute and under the base URL (sitemap, feed, robots.txt).
fn absolute(checker: &mut Checker, site: &Site, from: &str, r: &UrlRef, what: &str) {
    if !r.url.starts_with(&site.base_url) {
        checker.checked += 1;
        let message = format!("{what} `{}` is not under the base URL {}", r.url, site.base_url);
        checker.problems.push(Problem::rendered(Kind::OutsideBase, message, from, r.offset));
        return;
    }
    checker.url(from, r, what);
}

/// Problems are the same finding when they agree on kind, place (file, line, column; empty for
/// rendered files) and message.
type MergeKey = (Kind, String, usize, usize, String);
/// A finding, the pages (or rendered files) it was seen on, and whether it is in the content.
type Merged = (Finding, Vec<String>, bool);

/// Turns problems into findings. A problem the content causes is located in the content file
/// that has it, and merged across the pages that show it (a chapter and the print view); one
/// the theme or the engine causes is located in the first rendered file it is seen in, and
/// merged across every file with the same problem.
fn locate(a: &Analysis, problems: Vec<Problem>, text_of: impl Fn(&str) -> Option<String>) -> Vec<Finding> {
    let sources = Sources::new(a);
    let page_url = |rel: &str| format!("{}{}", a.settings.base_path, rel.trim_end_matches("index.html"));
    let mut merged: BTreeMap<MergeKey, Merged> = BTreeMap::new();
    let mut texts: HashMap<String, Option<String>> = HashMap::new();
    for p in problems {
        let found = if p.needles.is_empty() { None } else { sources.find(&p.seen_in, &p.needles, &p.focus) };
        let in_content = found.is_some();
        let key = match &found {
            Some(pl) => (p.kind, pl.file.clone(), pl.line, pl.col, p.message.clone()),
            None => (p.kind, String::new(), 0, 0, p.message.clone()),
        };
        let entry = merged.entry(key).or_insert_with(|| {
            let place = found.unwrap_or_else(|| {
                let text = texts.entry(p.seen_in.clone()).or_insert_with(|| text_of(&p.seen_in));
                let (line, col) = text.as_deref().map_or((0, 0), |t| line_col(t, p.offset));
                Place { file: p.seen_in.clone(), line, col }
            });
            let d = if p.warning { Diagnostic::warning(p.message.clone()) } else { Diagnostic::error(p.message.clone()) };
            let mut d = d.in_file(&place.file).at(place.line, place.col);
            d.help = p.help.clone();
            (Finding::new(p.kind, d), Vec::new(), in_content)
        });
        let shown = if in_content { page_url(&p.seen_in) } else { p.seen_in.clone() };
        if !entry.1.contains(&shown) {
            entry.1.push(shown);
        }
    }
    merged
        .into_values()
        .map(|(mut f, seen, in_content)| {
            let d = &mut f.diagnostic;
            if in_content {
                let seen = format!("seen on {}", seen.join(", "));
                d.help = Some(match d.help.take() {
                    Some(h) => format!("{h}; {seen}"),
                    None => seen,
                });
            } else {
                let others = match seen.len() {
                    1 => String::new(),
                    2 => " and 1 other file".to_string(),
                    n => format!(" and {} other files", n - 1),
                };
                d.message = format!("{} (in the rendered {}{others}: written by the theme or the engine)", d.message, seen[0]);
            }
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(base_path: &str) -> Site {
        let files = ["index.html", "chapters/a/index.html", "assets/그림 1.png", "style.css"].map(String::from).into_iter().collect();
        let dirs = ["chapters", "chapters/a", "assets"].map(String::from).into_iter().collect();
        Site { files, dirs, base_url: format!("https://example.org{base_path}"), base_path: base_path.into() }
    }

    fn internal(file: &str, fragment: Option<&str>) -> Dest {
        Dest::Internal { file: file.into(), fragment: fragment.map(String::from) }
    }

    #[test]
    fn resolves_urls_under_a_sub_path() {
        let s = site("/r/x/");
        let from = "chapters/a/index.html";
        assert_eq!(s.dest(from, "/r/x/chapters/a/#h"), internal("chapters/a/index.html", Some("h")));
        assert_eq!(s.dest(from, "/r/x/"), internal("index.html", None));
        assert_eq!(s.dest(from, "/r/x"), internal("index.html", None));
        assert_eq!(s.dest(from, "/r/x/chapters/a"), internal("chapters/a/index.html", None));
        assert_eq!(s.dest(from, "/r/x/assets/%EA%B7%B8%EB%A6%BC%201.png"), internal("assets/그림 1.png", None));
        assert_eq!(s.dest(from, "https://example.org/r/x/style.css?v=1"), internal("style.css", None));
        assert_eq!(s.dest(from, "#note"), internal(from, Some("note")));
        assert_eq!(s.dest(from, "../../style.css"), internal("style.css", None));
        assert_eq!(s.dest(from, "../../../x"), Dest::Outside);
        assert_eq!(s.dest(from, "/chapters/a/"), Dest::Outside);
        assert_eq!(s.dest(from, "https://example.org/other/"), Dest::External);
        assert_eq!(s.dest(from, "mailto:a@b.c"), Dest::External);
        assert_eq!(s.dest(from, "//cdn.example.org/x.js"), Dest::External);
    }

    #[test]
    fn finds_urls_ids_and_id_references() {
        let html = "<a href=\"/x/?a=1&amp;b=2#f\" id=\"k\">a</a><img src=\"/i.png\" srcset=\"/i2.png 2x, /i3.png 3x\">\
            <div aria-labelledby=\"k missing\" data-search-meta=\"/s/meta.json\" id=\"k\"></div>\
            <meta property=\"og:url\" content=\"https://e.org/p/\"><meta name=\"description\" content=\"글\">";
        let p = scan_page("index.html".into(), html.into(), "https://e.org/");
        let urls: Vec<(&str, Use)> = p.urls.iter().map(|u| (u.url.as_str(), u.usage)).collect();
        assert_eq!(
            urls,
            [
                ("/x/?a=1&b=2#f", Use::Link),
                ("/i.png", Use::Image),
                ("/i2.png", Use::Image),
                ("/i3.png", Use::Image),
                ("/s/meta.json", Use::Link),
                ("https://e.org/p/", Use::Link)
            ]
        );
        assert_eq!(p.duplicate_ids, [("k".to_string(), html.find("<div").unwrap())]);
        assert_eq!(p.id_refs.len(), 2);
    }
}
