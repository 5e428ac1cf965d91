//! Every URL the site uses, built in one place from the base path: templates never build URLs.

/// URL builder for one build. Paths are root-relative and include the base path
/// (`/reports/china-4ir/tables/x/`), so they work on any host under any sub-path.
#[derive(Debug, Clone)]
pub struct Urls {
    /// `/` or `/reports/china-4ir/`.
    pub base_path: String,
    /// `https://example.org/reports/china-4ir/`.
    pub base_url: String,
}

impl Urls {
    pub fn new(base_url: &str, base_path: &str) -> Self {
        Urls { base_path: base_path.to_string(), base_url: base_url.to_string() }
    }

    pub fn home(&self) -> String {
        self.base_path.clone()
    }

    /// An index page by its name in [`INDEX_PAGES`]: `home` is the root, the others `page(name)`.
    pub fn index_page(&self, name: &str) -> String {
        if name == "home" { self.home() } else { self.page(name) }
    }

    /// A page under the base path: `page("tables")` → `/base/tables/`.
    pub fn page(&self, name: &str) -> String {
        format!("{}{name}/", self.base_path)
    }

    /// A file under the base path: `file("sitemap.xml")` → `/base/sitemap.xml`.
    pub fn file(&self, name: &str) -> String {
        format!("{}{name}", self.base_path)
    }

    pub fn chapter(&self, slug: &str) -> String {
        format!("{}chapters/{slug}/", self.base_path)
    }

    pub fn table(&self, id: &str) -> String {
        format!("{}tables/{id}/", self.base_path)
    }

    pub fn figure(&self, id: &str) -> String {
        format!("{}figures/{id}/", self.base_path)
    }

    pub fn company(&self, id: &str) -> String {
        format!("{}companies/{id}/", self.base_path)
    }

    pub fn source(&self, id: &str) -> String {
        format!("{}sources/#{}", self.base_path, source_anchor(id))
    }

    pub fn term(&self, id: &str) -> String {
        format!("{}glossary/#{}", self.base_path, term_anchor(id))
    }

    /// A part's heading in the contents on the home page (`number` counts parts from 1).
    pub fn part(&self, number: usize) -> String {
        format!("{}#{}", self.home(), part_anchor(number))
    }

    pub fn sector(&self, id: &str) -> String {
        format!("{}companies/#sector-{id}", self.base_path)
    }

    /// A file copied from `content/assets/`, percent-encoded.
    pub fn asset(&self, rel: &str) -> String {
        format!("{}assets/{}", self.base_path, encode_path(rel))
    }

    /// The absolute URL of a root-relative `path` produced by this builder.
    pub fn absolute(&self, path: &str) -> String {
        let rest = path.strip_prefix(&self.base_path).unwrap_or(path.trim_start_matches('/'));
        format!("{}{rest}", self.base_url)
    }

    /// The output file for a page URL: `/base/tables/x/` → `tables/x/index.html`.
    pub fn output_file(&self, url: &str) -> String {
        let rest = url.strip_prefix(&self.base_path).unwrap_or(url).split('#').next().unwrap_or("");
        if rest.is_empty() || rest.ends_with('/') { format!("{rest}index.html") } else { rest.to_string() }
    }
}

/// Above this many chapters, there is no single-page print view (it would be enormous).
const PRINT_MAX_CHAPTERS: usize = 300;

/// Every index page a site can have, by the name its URL and a `page:` reference use
/// (`home` is the site's root).
pub const INDEX_PAGES: &[&str] = &["home", "tables", "figures", "companies", "sources", "timeline", "glossary", "print", "search"];

/// The index pages a site of `chapters` chapters has, with search on or off: every one of
/// [`INDEX_PAGES`] but the print view of a very long report and the search page without search.
pub fn index_pages(chapters: usize, search: bool) -> Vec<&'static str> {
    INDEX_PAGES
        .iter()
        .copied()
        .filter(|&p| match p {
            "print" => chapters <= PRINT_MAX_CHAPTERS,
            "search" => search,
            _ => true,
        })
        .collect()
}

/// What the in-page id of a source's entry on the sources page starts with.
pub const SOURCE_ANCHOR: &str = "source-";
/// What the in-page id of a term's entry on the glossary page starts with.
pub const TERM_ANCHOR: &str = "term-";

/// The in-page id of a source's entry on the sources page.
pub fn source_anchor(id: &str) -> String {
    format!("{SOURCE_ANCHOR}{id}")
}

/// The in-page id of a part's heading in the full contents (home and not-found pages).
pub fn part_anchor(number: usize) -> String {
    format!("part-{number}")
}

/// The in-page id of a term's entry on the glossary page.
pub fn term_anchor(id: &str) -> String {
    format!("{TERM_ANCHOR}{id}")
}

/// What a path of the site leads to, read back from the layout the builders above write.
#[derive(Debug, PartialEq, Eq)]
pub enum SitePath<'a> {
    /// A chapter, with the fragment after `#` if there is one.
    Chapter(&'a str, Option<&'a str>),
    Table(&'a str),
    Figure(&'a str),
    Company(&'a str),
    /// A source's entry on the sources page.
    Source(&'a str),
    /// A term's entry on the glossary page.
    Term(&'a str),
    /// An index page, by its name in [`INDEX_PAGES`].
    Page(&'static str),
    /// A file under `assets/`, as `assets/…`.
    Asset(String),
}

/// The inverse of [`Urls`]' layout: what a path of the site (`/chapters/ai/#x`, `../tables/`,
/// `companies/baidu/index.html`) leads to, any base path in front skipped. Ids are not checked;
/// `None` for a path outside the layout (a bare base path cannot be told from one).
pub fn read_site_path(path: &str) -> Option<SitePath<'_>> {
    let (path, fragment) = match path.split_once('#') {
        Some((p, f)) => (p, Some(f).filter(|f| !f.is_empty())),
        None => (path, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let mut segs: Vec<&str> = path.split('/').filter(|s| !matches!(*s, "" | "." | "..")).collect();
    if segs.last().is_some_and(|s| *s == "index.html") {
        segs.pop();
    }
    let page = |name: &str| INDEX_PAGES.iter().copied().find(|p| *p == name);
    // The site's own paths start with one of its sections.
    let Some(start) = segs.iter().position(|s| matches!(*s, "chapters" | "assets") || page(s).is_some()) else {
        return (segs.is_empty() && path.starts_with('/')).then_some(SitePath::Page("home"));
    };
    let anchored = |prefix: &str| fragment.and_then(|f| f.strip_prefix(prefix)).filter(|id| !id.is_empty());
    Some(match segs[start..] {
        ["chapters"] => SitePath::Page("home"),
        ["chapters", slug] => SitePath::Chapter(slug, fragment),
        ["tables", id] => SitePath::Table(id),
        ["figures", id] => SitePath::Figure(id),
        ["companies", id] => SitePath::Company(id),
        ["sources"] => anchored(SOURCE_ANCHOR).map_or(SitePath::Page("sources"), SitePath::Source),
        ["glossary"] => anchored(TERM_ANCHOR).map_or(SitePath::Page("glossary"), SitePath::Term),
        [name] => SitePath::Page(page(name)?),
        ["assets", _, ..] => SitePath::Asset(segs[start..].join("/")),
        _ => return None,
    })
}

/// Why `url` cannot be a link to another site, if it cannot: such an address starts with
/// `https://` or `http://`, names a host and holds no spaces (`htps://…`, `javascript:…`,
/// `www.example.org` and `https:///x` cannot be followed).
pub fn web_address_problem(url: &str) -> Option<&'static str> {
    let url = url.trim();
    let starts = |scheme: &str| url.as_bytes().get(..scheme.len()).is_some_and(|b| b.eq_ignore_ascii_case(scheme.as_bytes()));
    let Some(rest) = ["https://", "http://"].into_iter().find(|s| starts(s)).map(|s| &url[s.len()..]) else {
        return Some("is not a web address: it must start with https:// or http://");
    };
    if rest.split(['/', '?', '#']).next().unwrap_or("").is_empty() {
        return Some("has no host after `//`");
    }
    url.contains(char::is_whitespace).then_some("contains a space: write it as %20")
}

/// The fix for a web address written without its scheme (`www.gov.cn`), if it is one.
pub fn scheme_fix(url: &str) -> Option<String> {
    url.starts_with("www.").then(|| format!("write `https://{url}`"))
}

/// Percent-encodes a relative path for use in a URL, keeping `/`.
pub fn encode_path(rel: &str) -> String {
    let mut out = String::with_capacity(rel.len());
    for b in rel.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes the `%XX` escapes of a URL part (the reverse of [`encode_path`]). A `%` that is not
/// followed by two hex digits is kept as written when `lenient`, and makes the result `None`
/// otherwise (a server refuses such a path; a link checker reads it as the browser would).
pub fn percent_decode(s: &str, lenient: bool) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let digit = |at: usize| b.get(at).and_then(|&c| (c as char).to_digit(16));
            match (digit(i + 1), digit(i + 2)) {
                (Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 3;
                    continue;
                }
                _ if !lenient => return None,
                _ => {}
            }
        }
        out.push(b[i]);
        i += 1;
    }
    Some(out)
}

/// [`percent_decode`], leniently, as text: `None` when the bytes are not UTF-8.
pub fn percent_decode_text(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_string());
    }
    String::from_utf8(percent_decode(s, true)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_live_under_the_base_path() {
        let u = Urls::new("https://example.org/reports/x/", "/reports/x/");
        assert_eq!(u.table("t1"), "/reports/x/tables/t1/");
        assert_eq!(u.source("kotra"), "/reports/x/sources/#source-kotra");
        assert_eq!(u.absolute(&u.table("t1")), "https://example.org/reports/x/tables/t1/");
        assert_eq!(u.output_file(&u.table("t1")), "tables/t1/index.html");
        assert_eq!(u.output_file(&u.home()), "index.html");
        assert_eq!(u.output_file(&u.file("404.html")), "404.html");
        assert_eq!(u.asset("그림 1.png"), "/reports/x/assets/%EA%B7%B8%EB%A6%BC%201.png");
    }

    #[test]
    fn site_paths_read_back_what_the_builders_write() {
        for base in ["/", "/reports/x/"] {
            let u = Urls::new("https://example.org/", base);
            assert_eq!(read_site_path(&u.chapter("ai")), Some(SitePath::Chapter("ai", None)));
            let anchored = format!("{}#가-개요", u.chapter("ai"));
            assert_eq!(read_site_path(&anchored), Some(SitePath::Chapter("ai", Some("가-개요"))));
            assert_eq!(read_site_path(&u.table("t1")), Some(SitePath::Table("t1")));
            assert_eq!(read_site_path(&u.figure("f1")), Some(SitePath::Figure("f1")));
            assert_eq!(read_site_path(&u.company("baidu")), Some(SitePath::Company("baidu")));
            assert_eq!(read_site_path(&u.source("kotra")), Some(SitePath::Source("kotra")));
            assert_eq!(read_site_path(&u.term("zgc")), Some(SitePath::Term("zgc")));
            assert_eq!(read_site_path(&u.sector("ai")), Some(SitePath::Page("companies")));
            assert_eq!(read_site_path(&u.asset("charts/a.png")), Some(SitePath::Asset("assets/charts/a.png".into())));
            for &name in INDEX_PAGES.iter().filter(|&&p| p != "home") {
                assert_eq!(read_site_path(&u.index_page(name)), Some(SitePath::Page(name)), "{name}");
                let file = u.output_file(&u.index_page(name));
                assert_eq!(read_site_path(&file), Some(SitePath::Page(name)), "{file}");
            }
        }
        let root = Urls::new("https://example.org/", "/");
        assert_eq!(read_site_path(&root.home()), Some(SitePath::Page("home")));
        assert_eq!(read_site_path(&root.part(1)), Some(SitePath::Page("home")));
    }

    #[test]
    fn web_addresses_start_with_a_web_scheme_and_a_host() {
        for good in ["https://www.gov.cn/", "http://x.test", "HTTPS://X.TEST/a"] {
            assert_eq!(web_address_problem(good), None, "{good}");
        }
        let why = |url: &str| web_address_problem(url).unwrap_or("");
        assert!(why("htps://x.test/").starts_with("is not a web address"));
        assert!(why("javascript:alert(1)").starts_with("is not a web address"));
        assert!(why("www.x.test").starts_with("is not a web address"));
        assert!(why("/sources/").starts_with("is not a web address"));
        assert!(why("출처").starts_with("is not a web address"));
        assert_eq!(why("https:///x"), "has no host after `//`");
        assert_eq!(why("https://x.test/a b"), "contains a space: write it as %20");
    }

    #[test]
    fn percent_decoding_reverses_encoding() {
        let encoded = encode_path("assets/그림 1.png");
        assert_eq!(percent_decode(&encoded, false).as_deref(), Some("assets/그림 1.png".as_bytes()));
        assert_eq!(percent_decode("100%", true).as_deref(), Some(&b"100%"[..]));
        assert_eq!(percent_decode("100%", false), None);
        assert_eq!(percent_decode("%+1x", true).as_deref(), Some(&b"%+1x"[..]));
        assert_eq!(percent_decode("%+1x", false), None);
        assert_eq!(percent_decode("%FF", true).as_deref(), Some(&[0xFF][..]));
    }
}
