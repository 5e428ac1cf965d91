//! `reportgen new` and `reportgen init`: valid starter files and a minimal new report site.
//!
//! A new site is self-contained: the default theme and the UI strings of this repository's
//! `site.toml` are compiled into the binary, so `init` works wherever the binary is.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::content::files::Origin;
use crate::content::registry::{self, Sector};
use crate::content::{chapter, ids, shown_path, yaml};
use crate::error::{Diagnostic, Error, Result};

/// The kinds of item `reportgen new` can create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Chapter,
    Table,
    Figure,
    Company,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Chapter => "chapter",
            Kind::Table => "table",
            Kind::Figure => "figure",
            Kind::Company => "company",
        }
    }

    fn dir(self) -> &'static str {
        match self {
            Kind::Chapter => "chapters",
            Kind::Table => "tables",
            Kind::Figure => "figures",
            Kind::Company => "companies",
        }
    }
}

/// Checks an id given on the command line: the rules of [`ids::check`], with a suggestion.
pub fn check_id(kind: Kind, id: &str) -> Result<()> {
    match ids::check(id) {
        None => Ok(()),
        Some(why) => {
            let what = if kind == Kind::Chapter { "slug" } else { "id" };
            Err(Error::new(Diagnostic::error(format!("{} {what} {id:?} {why}", kind.noun())).with_help(ids::help(id, ""))))
        }
    }
}

/// Writes a starter file for a new item; returns its path. Never overwrites.
pub fn new_item(root: &Path, kind: Kind, id: &str) -> Result<PathBuf> {
    check_id(kind, id)?;
    if !root.join("site.toml").is_file() {
        return Err(Error::new(
            Diagnostic::error(format!("no site.toml in {}", root.display()))
                .with_help("run reportgen new in the site's root directory, or pass --root"),
        ));
    }
    let dir = root.join("content").join(kind.dir());
    let existing = existing_items(root, kind, &dir);
    if let Some(other) = existing.iter().find(|e| e.id == id) {
        let what = if kind == Kind::Chapter { "slug" } else { "id" };
        return Err(Error::new(
            Diagnostic::error(format!("{} {what} `{id}` is already used", kind.noun()))
                .in_file(&other.file)
                .with_help(format!("choose another {what}; each {} needs its own", kind.noun())),
        ));
    }
    let (name, text) = match kind {
        Kind::Chapter => {
            let last = existing.iter().filter_map(|e| e.order.map(|o| (o, e.part.clone()))).max_by_key(|(o, _)| *o);
            let order = last.as_ref().map_or(1, |(o, _)| o + 1);
            let part = last.and_then(|(_, p)| p);
            (format!("{order:02}-{id}.md"), chapter_text(id, order, part.as_deref()))
        }
        Kind::Table => (format!("{id}.yaml"), table_text(id)),
        Kind::Figure => (format!("{id}.yaml"), figure_text(id)),
        Kind::Company => (format!("{id}.yaml"), company_text(id, &sector_ids(root))),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, &e))?;
    let path = dir.join(name);
    let shown = shown_path(root, &path);
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::new(
                Diagnostic::error(format!("{shown} already exists"))
                    .with_help("reportgen new never overwrites a file; choose another id or remove the file"),
            ));
        }
        Err(e) => return Err(Error::io(&path, &e)),
    };
    file.write_all(text.as_bytes()).map_err(|e| Error::io(&path, &e))?;
    Ok(path)
}

/// An item already in the content directory: its id (slug) and, for chapters, order and part.
struct Existing {
    id: String,
    file: String,
    order: Option<i64>,
    part: Option<String>,
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

/// The items of one kind already present; files that do not parse are passed over (the
/// build reports them).
fn existing_items(root: &Path, kind: Kind, dir: &Path) -> Vec<Existing> {
    let mut out = Vec::new();
    let ext: &[&str] = if kind == Kind::Chapter { &["md"] } else { &["yaml", "yml"] };
    for e in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
        let path = e.path();
        if !e.file_type().is_file() || !path.extension().is_some_and(|x| ext.iter().any(|w| x == *w)) {
            continue;
        }
        let file = shown_path(root, path);
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        if kind == Kind::Chapter {
            if let Ok(ch) = chapter::parse(Origin { file: file.clone(), text }) {
                out.push(Existing { id: ch.meta.slug.clone(), file, order: Some(ch.meta.order), part: ch.meta.part.clone() });
            }
        } else if let Ok(item) = yaml::parse::<IdOnly>(&text, &file, 1) {
            out.push(Existing { id: item.id, file, order: None, part: None });
        }
    }
    out
}

fn sector_ids(root: &Path) -> Vec<String> {
    let path = root.join("content/sectors.yaml");
    let Ok(text) = std::fs::read_to_string(&path) else { return Vec::new() };
    let origin = Origin { file: "content/sectors.yaml".into(), text };
    registry::parse_list::<Sector>(&origin).map(|s| s.into_iter().map(|s| s.id).collect()).unwrap_or_default()
}

fn chapter_text(slug: &str, order: i64, part: Option<&str>) -> String {
    let part = part.map(|p| format!("part: {}\n", yaml_string(p))).unwrap_or_default();
    format!(
        "---\ntitle: \"새 장 ({slug})\"\norder: {order}\nslug: {slug}\n{part}---\n\n## 개요 {{#{slug}-overview}}\n\n\
         이 장의 본문을 여기에 씁니다. 표는 `reportgen new table <id>`로 만들고 `![](table:<id>)`로 배치합니다.\n"
    )
}

fn table_text(id: &str) -> String {
    format!(
        "id: {id}\ncaption: \"새 표 ({id})\"\n# unit: \"억 원\"\nheader:\n  - [구분, 값]\nrow_headers: 1\nrows:\n  - [항목, \"0\"]\n\
         # notes:\n#   - \"* 주석\"\n# source: \"[기관](source:source-id)\"\n"
    )
}

fn figure_text(id: &str) -> String {
    format!(
        "id: {id}\ncaption: \"새 그림 ({id})\"\n# unit: \"10 억 달러\"\n\
         # image: figures/{id}.png       # a file under content/assets/\n# alt: \"그림이 보여 주는 내용\"\n\
         # source: \"[기관](source:source-id)\"\n"
    )
}

fn company_text(id: &str, sectors: &[String]) -> String {
    let sectors = if sectors.is_empty() {
        String::new()
    } else {
        format!("# sectors: [{}]   # those that apply, from content/sectors.yaml\n", sectors.join(", "))
    };
    format!(
        "id: {id}\n# The name as the report writes it; it and every alias are linked wherever the text uses them.\n\
         name: \"{id}\"\n# original: \"原文\"\n# english: \"English Name\"\n# aliases: [\"다른 표기\"]\n{sectors}\
         # summary: \"한두 문장 소개\"\n"
    )
}

/// A YAML double-quoted string.
fn yaml_string(s: &str) -> String {
    let escaped = s.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{escaped}\"")
}

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)) as &[u8])),*]
    };
}

/// Every file of the default theme, as compiled into the binary.
pub const THEME_FILES: &[(&str, &[u8])] = embed![
    "theme.toml",
    "static/app.js",
    "static/favicon.svg",
    "static/search.js",
    "static/style.css",
    "static/theme.js",
    "templates/404.html",
    "templates/base.html",
    "templates/chapter.html",
    "templates/companies.html",
    "templates/company.html",
    "templates/figure.html",
    "templates/feed.xml",
    "templates/figures.html",
    "templates/glossary.html",
    "templates/index.html",
    "templates/partials/backlinks.html",
    "templates/partials/contents.html",
    "templates/partials/figure.html",
    "templates/partials/table.html",
    "templates/print.html",
    "templates/robots.txt",
    "templates/search.html",
    "templates/sitemap.xml",
    "templates/sources.html",
    "templates/table.html",
    "templates/tables.html",
    "templates/timeline.html",
];

/// This repository's settings: a new site takes its UI strings and defaults.
const SITE_TOML: &str = include_str!("../site.toml");

/// `site.toml` for a new site: the repository's settings with the report's own title,
/// description, publisher and author (top-level keys only) replaced by placeholders.
pub fn new_site_toml() -> String {
    let mut out = String::with_capacity(SITE_TOML.len());
    let mut top_level = true;
    for line in SITE_TOML.lines() {
        top_level &= !line.trim_start().starts_with('[');
        let key = if top_level { line.split('=').next().unwrap_or("").trim() } else { "" };
        let replaced = match key {
            "title" => "title = \"새 보고서\"",
            "description" => "# description = \"보고서를 한두 문장으로 소개합니다.\"",
            "publisher" => "publisher = \"발행 기관\"",
            "author" => "# author = \"저자\"",
            "base_url" => "base_url = \"https://example.org/\"",
            _ => line,
        };
        out.push_str(replaced);
        out.push('\n');
    }
    out
}

const INDEX_MD: &str = "---\n---\n\n이 보고서의 소개 문단을 여기에 씁니다.\n";

const FIRST_CHAPTER: &str = "---\ntitle: \"들어가며\"\norder: 1\nslug: introduction\n---\n\n## 개요\n\n\
첫 장의 본문을 여기에 씁니다. 새 장은 `reportgen new chapter <slug>`로 만듭니다.\n";

const GITIGNORE: &str = "public/\n/.public.*\n";

/// Creates a minimal report site in `dir` that builds as it is; returns the files written.
pub fn init_site(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Error::new(Diagnostic::error(format!("{} exists and is not a directory", dir.display()))));
        }
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, &e))?;
        if entries.next().is_some() {
            return Err(Error::new(
                Diagnostic::error(format!("{} is not empty", dir.display()))
                    .with_help("reportgen init creates a site in a new or empty directory only; it never overwrites"),
            ));
        }
    }
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("site.toml".into(), new_site_toml().into_bytes()),
        (".gitignore".into(), GITIGNORE.into()),
        ("content/index.md".into(), INDEX_MD.into()),
        ("content/chapters/01-introduction.md".into(), FIRST_CHAPTER.into()),
    ];
    files.extend(THEME_FILES.iter().map(|(rel, bytes)| (format!("themes/default/{rel}"), bytes.to_vec())));
    let mut written = Vec::with_capacity(files.len());
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, &e))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_theme_file_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| shown_path(&dir, e.path()))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = THEME_FILES.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        assert_eq!(embedded, on_disk, "THEME_FILES must list every file of themes/default");
    }

    #[test]
    fn new_site_settings_are_the_repository_strings_with_placeholders() {
        let toml = new_site_toml();
        assert!(toml.contains("title = \"새 보고서\"\n"));
        assert!(!toml.contains("IITP"), "the report's own publisher and author are not copied");
        let strings_at = |t: &str| t[t.find("[strings]").unwrap()..].to_string();
        assert_eq!(strings_at(&toml), strings_at(SITE_TOML).trim_end().to_string() + "\n");
    }

    #[test]
    fn ids_are_checked_with_a_suggestion() {
        let e = check_id(Kind::Table, "My Table").unwrap_err();
        assert_eq!(e.diagnostics[0].help.as_deref(), Some("try `my-table`"));
        assert!(check_id(Kind::Chapter, "ai-2").is_ok());
    }
}
