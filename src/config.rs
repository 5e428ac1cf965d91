//! `site.toml`: the site's settings and the theme's UI strings, validated on load.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Diagnostic, Error, Result, line_col};

/// What happens to raw HTML written inside Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Shown as text: `<b>` reads as `<b>`. The default: content cannot inject markup.
    #[default]
    Escape,
    /// Cleaned by a whitelist sanitizer (ammonia): safe tags kept, scripts and handlers removed.
    Sanitize,
    /// Passed through untouched. Only for fully trusted content.
    Allow,
}

fn default_theme() -> String {
    "default".into()
}
fn default_output() -> String {
    "public".into()
}
fn default_max_file_size() -> u64 {
    4 * 1024 * 1024
}
fn default_true() -> bool {
    true
}
fn default_scan_max() -> u64 {
    512 * 1024
}
fn default_hl_light() -> String {
    "InspiredGitHub".into()
}
fn default_hl_dark() -> String {
    "base16-ocean.dark".into()
}

/// The settings as written in `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    /// BCP 47 language tag of the content (`ko`).
    pub language: String,
    /// Absolute URL the site is published under, with or without a sub-path.
    pub base_url: String,
    #[serde(default)]
    pub description: Option<String>,
    pub publisher: String,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Output directory, relative to the site root unless absolute.
    #[serde(default = "default_output")]
    pub output_dir: String,
    #[serde(default)]
    pub raw_html: RawHtml,
    /// Content files larger than this many bytes are refused.
    #[serde(default = "default_max_file_size")]
    pub max_file_size: u64,
    /// Build the offline search index.
    #[serde(default = "default_true")]
    pub search: bool,
    /// Up to this many bytes of text the browser scans the pages; above it, a bigram index is built.
    #[serde(default = "default_scan_max")]
    pub search_scan_max: u64,
    /// syntect theme names for code blocks (light and dark colour schemes).
    #[serde(default = "default_hl_light")]
    pub highlight_theme: String,
    #[serde(default = "default_hl_dark")]
    pub highlight_theme_dark: String,
    /// The theme's UI strings (목차, 이전, 다음, 표, 그림, …).
    #[serde(default)]
    pub strings: BTreeMap<String, String>,
}

/// UI strings the engine itself needs (labels such as "표 1"); themes add their own (the
/// `strings` of their `theme.toml`), and `[strings]` may define no others.
pub const ENGINE_STRINGS: &[&str] = &["table", "figure", "footnotes", "date_year", "date_month", "date_day"];

/// A loaded site: its root directory, settings and the derived base URL parts.
#[derive(Debug, Clone)]
pub struct Settings {
    pub root: PathBuf,
    pub config: Config,
    /// `https://example.org/reports/x/` — always ends with `/`.
    pub base_url: String,
    /// `/reports/x/` — the path part of `base_url`, always starting and ending with `/`.
    pub base_path: String,
    /// Where each key of `[strings]` is written in site.toml: 1-based line and column.
    pub string_keys: BTreeMap<String, (usize, usize)>,
    /// Where a missing `[strings]` key belongs: the table's header, or, without one, the
    /// file's last line.
    pub strings_at: (usize, usize),
    /// Where site.toml sets `base_url` to a documentation example (`https://example.org/`, as
    /// a new site starts): line and column. `None` when it is any other address or
    /// `--base-url` overrides it.
    pub placeholder_base_url: Option<(usize, usize)>,
    /// Where site.toml sets `output_dir`: line and column; `None` when it leaves the default.
    pub output_dir_at: Option<(usize, usize)>,
}

impl Settings {
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    pub fn theme_dir(&self) -> PathBuf {
        self.root.join("themes").join(&self.config.theme)
    }

    pub fn output_dir(&self) -> PathBuf {
        let p = Path::new(&self.config.output_dir);
        if p.is_absolute() { p.to_path_buf() } else { self.root.join(p) }
    }

    /// A UI string; the key set was validated on load.
    pub fn string<'a>(&'a self, key: &'a str) -> &'a str {
        self.config.strings.get(key).map_or(key, String::as_str)
    }
}

/// Reads and validates `site.toml` in `root`, applying a `--base-url` override.
pub fn load(root: &Path, base_url_override: Option<&str>) -> Result<Settings> {
    let path = root.join("site.toml");
    let shown = "site.toml";
    let bytes = std::fs::read(&path).map_err(|e| {
        Error::new(
            Diagnostic::error(format!("cannot read site settings: {e}"))
                .in_file(path.display().to_string())
                .with_help("run reportgen from the site's root directory, or pass --root"),
        )
    })?;
    // As the content is read: a bad byte is located, and the text is taken in NFC.
    let text = crate::decode::decode(bytes, shown)?;
    let config: Config = toml::from_str(&text).map_err(|e| {
        let (line, col) = e.span().map_or((0, 0), |s| line_col(&text, s.start));
        let mut d = Diagnostic::error(e.message().trim().to_string()).in_file(shown).at(line, col);
        d.help = crate::error::unknown_field_help(e.message());
        Error::new(d)
    })?;
    let locate =
        |key: &str| -> (usize, usize) { text.find(&format!("{key} =")).or_else(|| text.find(key)).map_or((0, 0), |i| line_col(&text, i)) };
    let raw_base = base_url_override.unwrap_or(&config.base_url);
    let (base_url, base_path) = normalize_base_url(raw_base).map_err(|msg| {
        let (l, c) = if base_url_override.is_some() { (0, 0) } else { locate("base_url") };
        let d = Diagnostic::error(msg).with_help("use an absolute URL such as https://example.org/reports/china-4ir/");
        Error::new(if base_url_override.is_some() { d } else { d.in_file(shown).at(l, c) })
    })?;
    let placeholder_base_url = (base_url_override.is_none() && is_example_host(&base_url)).then(|| locate("base_url"));
    let KeyPlaces { string_keys, strings_at, output_dir_at } = key_places(&text);
    let site =
        Settings { root: root.to_path_buf(), config, base_url, base_path, string_keys, strings_at, placeholder_base_url, output_dir_at };
    let mut problems = Vec::new();
    if site.config.title.trim().is_empty() {
        let (l, c) = locate("title");
        problems.push(Diagnostic::error("`title` is empty").in_file(shown).at(l, c));
    }
    if !is_language_tag(&site.config.language) {
        let (l, c) = locate("language");
        problems.push(
            Diagnostic::error(format!("`language` = {:?} is not a language tag", site.config.language))
                .in_file(shown)
                .at(l, c)
                .with_help("use a BCP 47 tag such as \"ko\""),
        );
    }
    if !site.theme_dir().join("templates").is_dir() {
        let (l, c) = locate("theme");
        problems.push(
            Diagnostic::error(format!("theme `{0}` not found: there is no themes/{0}/templates/", site.config.theme))
                .in_file(shown)
                .at(l, c)
                .with_help(theme_help(&site.root.join("themes"), &site.config.theme)),
        );
    }
    let (sl, sc) = site.strings_at;
    for key in ENGINE_STRINGS {
        if !site.config.strings.contains_key(*key) {
            problems.push(
                Diagnostic::error(format!("[strings] has no `{key}`"))
                    .in_file(shown)
                    .at(sl, sc)
                    .with_help(format!("add `{key} = \"…\"` under [strings]")),
            );
        }
    }
    Error::check(problems)?;
    Ok(site)
}

/// A 1-based line and column in site.toml.
type LineCol = (usize, usize);

/// Where site.toml writes the keys errors point at.
struct KeyPlaces {
    /// Each key of the `[strings]` table.
    string_keys: BTreeMap<String, LineCol>,
    /// The `[strings]` table's header; the last line when there is none.
    strings_at: LineCol,
    /// Top-level `output_dir`.
    output_dir_at: Option<LineCol>,
}

/// Finds the [`KeyPlaces`] (site.toml parsed once already, so a document that does not parse
/// has none).
fn key_places(text: &str) -> KeyPlaces {
    let last_line = (text.lines().count().max(1), 1);
    let mut places = KeyPlaces { string_keys: BTreeMap::new(), strings_at: last_line, output_dir_at: None };
    let Ok(doc) = toml::de::DeTable::parse(text) else { return places };
    let at = |k: &toml::Spanned<_>| line_col(text, k.span().start);
    places.output_dir_at = doc.get_ref().keys().find(|k| k.get_ref() == "output_dir").map(at);
    let Some((key, value)) = doc.get_ref().iter().find(|(k, _)| k.get_ref() == "strings") else { return places };
    // At the header's `[` (the key's span starts after it).
    let start = key.span().start;
    let bracket = text[..start].trim_end_matches([' ', '\t']).strip_suffix('[').map_or(start, str::len);
    places.strings_at = line_col(text, bracket);
    if let toml::de::DeValue::Table(table) = value.get_ref() {
        places.string_keys = table.keys().map(|k| (k.get_ref().to_string(), at(k))).collect();
    }
    places
}

/// What to write for a theme that is not there: the nearest theme of `themes` by name, or the
/// themes there are, or how to get one.
fn theme_help(themes: &Path, wanted: &str) -> String {
    let mut names: Vec<String> = std::fs::read_dir(themes)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("templates").is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    if let Some(name) = crate::error::did_you_mean(wanted, names.iter().map(String::as_str)) {
        return format!("did you mean `theme = \"{name}\"`?");
    }
    match names.as_slice() {
        [] => "a theme is a folder themes/NAME/ with a templates/ folder: `reportgen init` writes the default one".to_string(),
        _ => format!("the themes here are {}", names.join(", ")),
    }
}

/// Whether a normalized base URL's host is one of the names reserved for documentation
/// examples (RFC 2606): example.com, example.net, example.org and their subdomains, or a name
/// under `.example`. A site published there is not published.
pub fn is_example_host(base_url: &str) -> bool {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let host = rest.split('/').next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or("").trim_end_matches('.').to_ascii_lowercase();
    let under = |name: &str| host == name || host.ends_with(&format!(".{name}"));
    ["example.com", "example.net", "example.org", "example"].into_iter().any(under)
}

/// Splits a base URL into its normalized form and its path, or says what is wrong with it.
pub fn normalize_base_url(raw: &str) -> std::result::Result<(String, String), String> {
    let raw = raw.trim();
    let rest = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url {raw:?} must start with http:// or https://"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() || host.contains(['?', '#', ' ', '\\']) {
        return Err(format!("base_url {raw:?} has no valid host"));
    }
    if let Some(why) = unusable_path(path) {
        return Err(format!("base_url {raw:?} has an unusable path: {why}"));
    }
    let mut path = path.to_string();
    if !path.ends_with('/') {
        path.push('/');
    }
    while path.contains("//") {
        path = path.replace("//", "/");
    }
    let scheme = if raw.starts_with("https://") { "https://" } else { "http://" };
    Ok((format!("{scheme}{host}{path}"), path))
}

/// What makes the path of a base URL unusable as the directory every URL starts with, if
/// anything: a query or fragment, a character that needs percent-encoding in a URL, or a `.`
/// or `..` segment.
fn unusable_path(path: &str) -> Option<String> {
    if let Some(c) = path.chars().find(|c| matches!(c, '?' | '#')) {
        return Some(format!("a base URL names a directory, it takes no {} part", if c == '?' { "`?` query" } else { "`#` fragment" }));
    }
    if let Some(c) = path.chars().find(|c| matches!(c, ' ' | '\\' | '"' | '\'' | '<' | '>')) {
        return Some(format!("{c:?} must be written percent-encoded (%{:02X})", c as u32));
    }
    path.split('/').find(|s| *s == ".." || *s == ".").map(|s| format!("a `{s}` segment"))
}

fn is_language_tag(s: &str) -> bool {
    !s.is_empty() && s.split('-').all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_sub_path() {
        assert_eq!(
            normalize_base_url("https://example.org/reports/china-4ir").unwrap(),
            ("https://example.org/reports/china-4ir/".into(), "/reports/china-4ir/".into())
        );
        assert_eq!(normalize_base_url("http://127.0.0.1:8000").unwrap(), ("http://127.0.0.1:8000/".into(), "/".into()));
    }

    #[test]
    fn missing_strings_are_placed_at_the_table_or_the_last_line() {
        let places = key_places("title = \"x\"\n\n[ strings ]\ncontents = \"목차\"\n");
        assert_eq!(places.strings_at, (3, 1));
        assert_eq!(places.string_keys.get("contents"), Some(&(4, 1)));
        assert_eq!(key_places("title = \"x\"\nstrings = { home = \"처음\" }\n").strings_at, (2, 1));
        assert_eq!(key_places("title = \"x\"\n# [strings] would go here\ntheme = \"default\"\n").strings_at, (3, 1));
        assert_eq!(key_places("").strings_at, (1, 1));
    }

    #[test]
    fn example_hosts_are_placeholders() {
        for url in [
            "https://example.org/",
            "http://EXAMPLE.com:8080/x/",
            "https://docs.example.net/",
            "https://site.example/",
            "https://example.org./",
        ] {
            assert!(is_example_host(url), "{url}");
        }
        for url in
            ["https://iitp.kr/", "https://myexample.org/", "https://example.org.kr/", "http://localhost:8000/", "https://reports.test/"]
        {
            assert!(!is_example_host(url), "{url}");
        }
    }

    #[test]
    fn base_url_rejects_relative_and_odd_paths() {
        assert!(normalize_base_url("/reports/").is_err());
        assert!(normalize_base_url("https://x.org/a/../b").is_err());
        assert!(normalize_base_url("https:///x").is_err());
        assert!(normalize_base_url("https://x.org/a\"b").is_err());
        let why = |url: &str| normalize_base_url(url).unwrap_err();
        assert!(why("https://x.org/a b/").ends_with("unusable path: ' ' must be written percent-encoded (%20)"));
        assert!(why("https://x.org/a/?v=1").ends_with("unusable path: a base URL names a directory, it takes no `?` query part"));
        assert!(why("https://x.org/a/#top").ends_with("it takes no `#` fragment part"));
        assert!(why("https://x.org/a/./b").ends_with("unusable path: a `.` segment"));
        assert_eq!(normalize_base_url("https://x.org/a%20b").unwrap().1, "/a%20b/");
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("ko"));
        assert!(is_language_tag("ko-KR"));
        assert!(!is_language_tag("한국어"));
        assert!(!is_language_tag(""));
    }
}
