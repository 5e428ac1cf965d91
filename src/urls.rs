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
