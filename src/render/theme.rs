//! The theme: Tera templates (with located errors), static files with fingerprinted URLs,
//! and the UI strings the theme declares it needs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tera::Tera;

use crate::config::Settings;
use crate::content::shown_path;
use crate::error::{Diagnostic, Error, Result};
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

/// FNV-1a 64-bit: a small, stable content hash for cache-busting URLs.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:08x}", (h >> 32) as u32 ^ h as u32)
}

fn tera_error(root: &Path, dir: &Path, e: &tera::Error) -> Diagnostic {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let file = if r.filename().is_empty() { shown_path(root, dir) } else { shown_path(root, &dir.join(r.filename())) };
            let span = r.span();
            Diagnostic::error(format!("template: {}", r.message())).in_file(file).at(span.start_line, span.start_col + 1)
        }
        _ => Diagnostic::error(format!("template: {e}")).in_file(shown_path(root, dir)),
    }
}

/// Tera's `safe`, except that a value that is not defined is an error: Tera's own writes it as
/// nothing, so a misspelt field (`chapter.titel_html | safe`) would ship an empty heading.
/// (Written without a filter, an undefined value is already an error.)
fn safe(value: &tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::TeraResult<tera::Value> {
    if value.is_undefined() {
        return Err(tera::Error::message(
            "`safe` was given a value that is not defined: a misspelt variable or field name, or one this page does not have",
        ));
    }
    Ok(match value.as_str() {
        Some(s) => tera::Value::safe_string(s),
        None => tera::Value::safe_string(&value.to_string()),
    })
}

/// Turns a render-time Tera error into a located diagnostic.
pub fn render_error(settings: &Settings, e: &tera::Error) -> Diagnostic {
    tera_error(&settings.root, &settings.theme_dir().join("templates"), e)
}

pub fn load(settings: &Settings, urls: &Urls) -> Result<Theme> {
    let dir = settings.theme_dir();
    let root = &settings.root;
    let toml_path = dir.join("theme.toml");
    let shown = shown_path(root, &toml_path);
    let text = std::fs::read_to_string(&toml_path)
        .map_err(|e| Error::new(Diagnostic::error(format!("cannot read theme settings: {e}")).in_file(&shown)))?;
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
                    .with_help(format!("add `{key} = \"…\"` under [strings]")),
            );
        }
    }
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
    let mut sources = Vec::new();
    for (name, path) in &files {
        let src = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        sources.push((name.clone(), src));
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.register_filter("safe", safe);
    tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        .map_err(|e| Error::new(tera_error(root, &tpl_dir, &e)))?;

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
    fn fingerprint_is_stable_and_content_sensitive() {
        assert_eq!(fingerprint(b"abc"), fingerprint(b"abc"));
        assert_ne!(fingerprint(b"abc"), fingerprint(b"abd"));
        assert_eq!(fingerprint(b"").len(), 8);
    }
}
