//! The theme: Tera templates (with located errors), static files with fingerprinted URLs,
//! and the UI strings the theme declares it needs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tera::Tera;

use crate::config::{ENGINE_STRINGS, Settings};
use crate::content::shown_path;
use crate::error::{Diagnostic, Error, Result, did_you_mean};
use crate::urls::Urls;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeToml {
    name: String,
    /// UI string keys every site using this theme must define in `[strings]`.
    #[serde(default)]
    strings: Vec<String>,
}

/// A static file of the theme, copied to the output root.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Path relative to the theme's `static/` (and to the output root).
    pub rel: String,
    pub bytes: Vec<u8>,
}

/// URLs of the theme's static files, with a content hash so caches never serve stale copies.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AssetUrls {
    #[serde(flatten)]
    pub by_name: BTreeMap<String, String>,
}

pub struct Theme {
    pub tera: Tera,
    pub statics: Vec<StaticFile>,
    pub assets: AssetUrls,
    pub name: String,
}

/// The templates reportgen renders by name, and what each makes: a theme must have them all.
/// (Others, such as `base.html` or partials, are the theme's own business: they are named by
/// the `extends` and `include` tags of these.)
pub const TEMPLATES: &[(&str, &str)] = &[
    ("index.html", "the home page"),
    ("chapter.html", "every chapter's page"),
    ("table.html", "every table's page"),
    ("figure.html", "every figure's page"),
    ("company.html", "every company's page"),
    ("tables.html", "the list of tables"),
    ("figures.html", "the list of figures"),
    ("companies.html", "the list of companies"),
    ("sources.html", "the list of sources"),
    ("timeline.html", "the timeline"),
    ("glossary.html", "the glossary"),
    ("print.html", "the whole report on one page"),
    ("search.html", "the search page"),
    ("404.html", "the page for addresses that lead nowhere"),
    ("partials/table.html", "each table placed in a chapter"),
    ("partials/figure.html", "each figure placed in a chapter"),
    ("sitemap.xml", "the sitemap"),
    ("feed.xml", "the feed"),
    ("robots.txt", "robots.txt"),
];

/// Whether `name` is one of the [`TEMPLATES`] every theme must have.
pub fn is_required(name: &str) -> bool {
    TEMPLATES.iter().any(|(n, _)| *n == name)
}

/// The error for template `name`, which reportgen renders, missing from the theme.
fn missing_template(root: &Path, dir: &Path, name: &str) -> Diagnostic {
    let what = TEMPLATES.iter().find(|(n, _)| *n == name).map_or("a page", |(_, what)| what);
    Diagnostic::error(format!("template `{name}` is missing: reportgen makes {what} with it"))
        .in_file(template_path(root, dir, name))
        .with_help(format!("restore it; `reportgen init <new dir>` writes the default theme, with its {name}"))
}

/// FNV-1a 64-bit: a small, stable content hash for cache-busting URLs.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:08x}", (h >> 32) as u32 ^ h as u32)
}

/// Turns a Tera error into located diagnostics: Tera writes each of its errors as a report
/// naming the template, line and column (several at once when the templates are checked on
/// load); an error with no such report is placed at the template it names, if any.
fn tera_error(root: &Path, dir: &Path, e: &tera::Error) -> Error {
    let text = e.to_string();
    let mut found: Vec<Diagnostic> = reports(&text).filter_map(|r| report_diagnostic(root, dir, r)).collect();
    let Some(first) = found.first_mut() else {
        let Some(Unplaced { template, tag, target }) = unplaced(e) else {
            if let tera::ErrorKind::TemplateNotFound(name) = e.kind() {
                return Error::new(missing_template(root, dir, name));
            }
            return Error::new(Diagnostic::error(format!("template: {text}")).in_file(template_path(root, dir, "")));
        };
        let d = Diagnostic::error(format!("template: {text}")).in_file(template_path(root, dir, template));
        // Tera gives these no place: the tag that names the template (or its `{%`).
        let source = std::fs::read_to_string(dir.join(template)).unwrap_or_default();
        return Error::new(match tag_place(&source, tag, target) {
            Some(at) => {
                let (line, col) = crate::error::line_col(&source, at);
                d.at(line, col)
            }
            None => d,
        });
    };
    if let Some(message) = undefined_through_safe(dir, e) {
        first.message = format!("template: {message}");
        first.help = Some("a misspelt variable or field name, or one this page does not have".into());
    }
    Error { diagnostics: found }
}

/// A Tera error without a report, about one template's `extends` or `include` tag.
struct Unplaced<'e> {
    /// The template with the tag.
    template: &'e str,
    /// `extends` or `include`.
    tag: &'static str,
    /// The template the tag names, when the error says which.
    target: Option<&'e str>,
}

/// What a Tera error without a report is about, for the errors that name a template.
fn unplaced(e: &tera::Error) -> Option<Unplaced<'_>> {
    let (template, tag, target) = match e.kind() {
        tera::ErrorKind::MissingParent { current, parent } => (current, "extends", Some(parent.as_str())),
        tera::ErrorKind::CircularExtend { tpl, .. } => (tpl, "extends", None),
        tera::ErrorKind::CircularInclude { tpl, include_chain } => {
            let next = include_chain.iter().position(|t| t == tpl).and_then(|i| include_chain.get(i + 1));
            (tpl, "include", next.map(String::as_str))
        }
        _ => return None,
    };
    Some(Unplaced { template, tag, target })
}

/// The byte offset in template `source` of the first `{% tag "target" %}` (any target when
/// `None`), at the quoted name; else the `{%` of the first `tag`, if any.
fn tag_place(source: &str, tag: &str, target: Option<&str>) -> Option<usize> {
    let mut first = None;
    let mut from = 0;
    while let Some(i) = source[from..].find("{%") {
        let open = from + i;
        from = open + 2;
        let inner = source[from..].trim_start_matches(['-', ' ', '\t', '\n']);
        let Some(rest) = inner.strip_prefix(tag).filter(|r| r.starts_with(char::is_whitespace)) else { continue };
        let name_at = source.len() - rest.trim_start().len();
        let Some(q) = source[name_at..].chars().next().filter(|c| matches!(c, '"' | '\'')) else {
            first.get_or_insert(open);
            continue;
        };
        let named = target.is_none_or(|t| source[name_at + 1..].strip_prefix(t).is_some_and(|r| r.starts_with(q)));
        if named {
            return Some(name_at);
        }
        first.get_or_insert(open);
    }
    first
}

/// Each report in Tera's error text: from an `error: ` line to the next.
fn reports(text: &str) -> impl Iterator<Item = &str> {
    let starts: Vec<usize> = text.match_indices("error: ").map(|(i, _)| i).filter(|&i| i == 0 || text.as_bytes()[i - 1] == b'\n').collect();
    let ends: Vec<usize> = starts.iter().skip(1).copied().chain([text.len()]).collect();
    starts.into_iter().zip(ends).map(move |(a, b)| &text[a..b])
}

/// One report (`error: message`, `--> name:line:col`, the source line, then any
/// `note: label name:line:col`) as a diagnostic at the template it names, its notes as help.
fn report_diagnostic(root: &Path, dir: &Path, report: &str) -> Option<Diagnostic> {
    let mut lines = report.lines();
    let message = lines.next()?.strip_prefix("error: ")?.trim();
    let (name, line, col) = location(lines.find_map(|l| l.trim_start().strip_prefix("--> "))?)?;
    let notes: Vec<String> = report
        .lines()
        .filter_map(|l| l.strip_prefix("note: "))
        .filter_map(|n| {
            let (label, at) = n.rsplit_once(' ')?;
            let (name, line, col) = location(at)?;
            Some(format!("{label} ({}:{line}:{col})", template_path(root, dir, name)))
        })
        .collect();
    let d = Diagnostic::error(format!("template: {message}")).in_file(template_path(root, dir, name)).at(line, col);
    Some(if notes.is_empty() { d } else { d.with_help(notes.join("; ")) })
}

/// `name:line:col` as Tera writes a location.
fn location(at: &str) -> Option<(&str, usize, usize)> {
    let mut parts = at.trim().rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?, line, col))
}

/// A template's path as the user reads it (the templates directory when Tera names none).
fn template_path(root: &Path, dir: &Path, name: &str) -> String {
    if name.is_empty() { shown_path(root, dir) } else { shown_path(root, &dir.join(name)) }
}

/// The message for `safe`'s refusal of an undefined value, instead of Tera's words for it:
/// the expression, as the template writes it from where Tera points up to the filter's `|`.
fn undefined_through_safe(dir: &Path, e: &tera::Error) -> Option<String> {
    let tera::ErrorKind::RenderingError(r) = e.kind() else { return None };
    if r.message() != undefined_for_safe().to_string() {
        return None;
    }
    let source = std::fs::read_to_string(dir.join(r.filename())).unwrap_or_default();
    let expression = source.get(r.span().range.start..).and_then(|s| s.split(['|', '\n']).next()).map(str::trim).filter(|x| !x.is_empty());
    Some(match expression {
        Some(x) => format!("`{x}` is not defined (given to `safe`)"),
        None => "a value given to `safe` is not defined".to_string(),
    })
}

/// The error `safe` gives for an undefined value. Tera places an invalid argument at the value
/// given to the filter (its other errors at the filter's name), so the value can be named.
fn undefined_for_safe() -> tera::Error {
    tera::Error::new(tera::ErrorKind::InvalidArgument { expected_type: "a defined value".into(), actual_type: "undefined".into() })
}

/// Tera's `safe`, except that a value that is not defined is an error: Tera's own writes it as
/// nothing, so a misspelt field (`chapter.titel_html | safe`) would ship an empty heading.
/// (Written without a filter, an undefined value is already an error.)
fn safe(value: &tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::TeraResult<tera::Value> {
    if value.is_undefined() {
        return Err(undefined_for_safe());
    }
    Ok(match value.as_str() {
        Some(s) => tera::Value::safe_string(s),
        None => tera::Value::safe_string(&value.to_string()),
    })
}

/// A `[strings]` key that neither the engine nor the theme uses (a misspelling, or a leftover)
/// is an error at the key: a misspelt string would otherwise never show.
fn unknown_strings(settings: &Settings, theme: &ThemeToml, theme_toml: &str) -> Vec<Diagnostic> {
    let known: Vec<&str> = ENGINE_STRINGS.iter().copied().chain(theme.strings.iter().map(String::as_str)).collect();
    let unknown = settings.config.strings.keys().filter(|k| !known.contains(&k.as_str()));
    unknown
        .map(|key| {
            let (line, col) = settings.string_keys.get(key).copied().unwrap_or_default();
            let d = Diagnostic::error(format!("unknown UI string `{key}`: neither reportgen nor theme `{}` uses it", theme.name))
                .in_file("site.toml")
                .at(line, col);
            match did_you_mean(key, known.iter().copied()) {
                Some(best) => d.with_help(format!("did you mean `{best}`?")),
                None => d.with_help(format!("remove it, or, if a template uses it (`t.{key}`), add it to `strings` in {theme_toml}")),
            }
        })
        .collect()
}

/// Turns a render-time Tera error into located diagnostics.
pub fn render_error(settings: &Settings, e: &tera::Error) -> Error {
    tera_error(&settings.root, &settings.theme_dir().join("templates"), e)
}

pub fn load(settings: &Settings, urls: &Urls) -> Result<Theme> {
    let dir = settings.theme_dir();
    let root = &settings.root;
    let toml_path = dir.join("theme.toml");
    let shown = shown_path(root, &toml_path);
    let bytes =
        std::fs::read(&toml_path).map_err(|e| Error::new(Diagnostic::error(format!("cannot read theme settings: {e}")).in_file(&shown)))?;
    let text = crate::decode::decode(bytes, &shown)?;
    let meta: ThemeToml = toml::from_str(&text).map_err(|e| {
        let (l, c) = e.span().map_or((0, 0), |s| crate::error::line_col(&text, s.start));
        Error::new(Diagnostic::error(e.message().trim().to_string()).in_file(&shown).at(l, c))
    })?;
    let mut problems = Vec::new();
    for key in &meta.strings {
        if !settings.config.strings.contains_key(key) {
            problems.push(
                Diagnostic::error(format!("[strings] has no `{key}`, which theme `{}` needs", meta.name))
                    .in_file("site.toml")
                    .at(settings.strings_at.0, settings.strings_at.1)
                    .with_help(format!("add `{key} = \"…\"` under [strings]")),
            );
        }
    }
    problems.extend(unknown_strings(settings, &meta, &shown));
    Error::check(problems)?;

    let tpl_dir = dir.join("templates");
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for entry in walkdir::WalkDir::new(&tpl_dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::msg(format!("{}: {e}", tpl_dir.display())))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&tpl_dir).unwrap_or(entry.path());
            let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            files.push((name, entry.path().to_path_buf()));
        }
    }
    let missing = TEMPLATES.iter().filter(|(name, _)| !files.iter().any(|(n, _)| n == name));
    Error::check(missing.map(|(name, _)| missing_template(root, &tpl_dir, name)).collect())?;
    let mut sources = Vec::new();
    for (name, path) in &files {
        // As the content is read: a bad byte is an error at its line and column.
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
        let src = crate::decode::decode(bytes, &shown_path(root, path))?;
        sources.push((name.clone(), src));
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.register_filter("safe", safe);
    tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str()))).map_err(|e| tera_error(root, &tpl_dir, &e))?;

    let static_dir = dir.join("static");
    let mut statics = Vec::new();
    let mut assets = AssetUrls::default();
    if static_dir.is_dir() {
        for entry in walkdir::WalkDir::new(&static_dir).sort_by_file_name() {
            let entry = entry.map_err(|e| Error::msg(format!("{}: {e}", static_dir.display())))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&static_dir).unwrap_or(entry.path());
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), &e))?;
            let key = rel.replace(['/', '.', '-'], "_");
            assets.by_name.insert(key, format!("{}?v={}", urls.file(&rel), fingerprint(&bytes)));
            statics.push(StaticFile { rel, bytes });
        }
    }
    Ok(Theme { tera, statics, assets, name: meta.name })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_that_names_a_template_is_found() {
        let src = "{# x #}\n{%- extends 'base.html' %}\n{% include \"a.html\" %}{% include \"b.html\" %}\n";
        assert_eq!(tag_place(src, "extends", Some("base.html")), src.find("'base"));
        assert_eq!(tag_place(src, "extends", None), src.find("'base"));
        assert_eq!(tag_place(src, "include", Some("b.html")), src.find("\"b.html"));
        // Not named as Tera says: the first such tag.
        assert_eq!(tag_place(src, "include", Some("c.html")), src.find("{% include"));
        assert_eq!(tag_place("{% extends base %}", "extends", Some("base")), Some(0));
        assert_eq!(tag_place("{% extendsx 'a' %}{{ x }}", "extends", None), None);
    }

    #[test]
    fn fingerprint_is_stable_and_content_sensitive() {
        assert_eq!(fingerprint(b"abc"), fingerprint(b"abc"));
        assert_ne!(fingerprint(b"abc"), fingerprint(b"abd"));
        assert_eq!(fingerprint(b"").len(), 8);
    }
}
