//! Load stage: walk `content/`, read and validate every file into the typed [`Model`].
//!
//! Files are read and parsed in parallel; every problem in every file is reported, each
//! with its location. Cross-file checks (unique ids, known sectors, chapters, sources)
//! run once everything is loaded.

pub mod chapter;
pub mod chart;
pub mod company;
pub mod date;
pub mod figure;
pub mod files;
pub mod frontmatter;
pub mod home;
pub mod ids;
mod misfiled;
pub mod parts;
pub mod registry;
pub mod table;
pub mod yaml;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Settings;
use crate::error::{Diagnostic, Error, Result, Sink};
pub use chapter::Chapter;
pub use company::Company;
pub use figure::Figure;
use files::Origin;
pub use home::Home;
pub use registry::{Sector, Source, Term};
pub use table::Table;

/// A file copied as it is into the output (under `/assets/`).
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to `content/assets/`, with `/` separators.
    pub rel: String,
    pub path: PathBuf,
}

/// The help for an asset path `rel` that names no file under content/assets/: the closest of
/// the files there (`assets`, as `rel` is), written as the path is (`written` in front), else
/// where to put the file.
pub fn missing_asset_help<'a>(rel: &str, written: &str, assets: impl IntoIterator<Item = &'a str>) -> String {
    match crate::error::did_you_mean(rel, assets) {
        Some(best) => format!("did you mean `{written}{best}`?"),
        None => format!("put the file at content/assets/{rel}, or correct the path"),
    }
}

/// Everything under `content/`, typed and validated, in reading order where order matters.
#[derive(Debug, Default)]
pub struct Model {
    pub home: Home,
    /// Part titles in reading order (I, II, …).
    pub parts: Vec<String>,
    /// Sorted by `order`.
    pub chapters: Vec<Chapter>,
    /// Sorted by id (numbering comes later, from placement in the text).
    pub tables: Vec<Table>,
    pub figures: Vec<Figure>,
    /// Sorted by id.
    pub companies: Vec<Company>,
    pub sectors: Vec<Sector>,
    pub sources: Vec<Source>,
    pub terms: Vec<Term>,
    pub assets: Vec<Asset>,
    /// Where each sectors/sources/glossary item was defined (for error locations).
    pub registry_origins: Registries,
    pub ids: Ids,
}

/// Origins of the three registry files, when present.
#[derive(Debug, Default)]
pub struct Registries {
    pub sectors: Option<Origin>,
    pub sources: Option<Origin>,
    pub glossary: Option<Origin>,
}

/// Id → position lookups for every kind.
#[derive(Debug, Default)]
pub struct Ids {
    pub chapters: HashMap<String, usize>,
    pub tables: HashMap<String, usize>,
    pub figures: HashMap<String, usize>,
    pub companies: HashMap<String, usize>,
    pub sectors: HashMap<String, usize>,
    pub sources: HashMap<String, usize>,
    pub terms: HashMap<String, usize>,
    /// (reference kind, a name the item is known by: title, caption, name, alias, term) → its id,
    /// so that a reference written with a name can be told the id to use.
    pub by_name: HashMap<(&'static str, String), String>,
    /// What files that failed to load meant to define (empty when everything loaded).
    pub unloaded: Unloaded,
}

/// The kinds of file found under `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Home,
    Chapter,
    Table,
    Figure,
    Company,
    Sectors,
    Sources,
    Glossary,
    Asset,
}

impl FileKind {
    /// What an editor calls a file of this kind (`None` for assets, which may be anything).
    fn noun(self) -> Option<&'static str> {
        Some(match self {
            FileKind::Home => "home page",
            FileKind::Chapter => "chapter",
            FileKind::Table => "table",
            FileKind::Figure => "figure",
            FileKind::Company => "company",
            FileKind::Sectors => "sector list",
            FileKind::Sources => "source list",
            FileKind::Glossary => "glossary",
            FileKind::Asset => return None,
        })
    }
}

enum Loaded {
    Home(Home),
    Chapter(Box<Chapter>),
    Table(Box<Table>),
    Figure(Box<Figure>),
    Company(Box<Company>),
    Sectors(Vec<Sector>, Origin),
    Sources(Vec<Source>, Origin),
    Glossary(Vec<Term>, Origin),
    Asset(Asset),
}

/// What the files that failed to load meant to define. A reference to it is not reported as
/// unknown: the file's own error is the one to fix, and the rest would follow from it.
#[derive(Debug, Default)]
pub struct Unloaded {
    /// (reference kind, id or slug) of items whose file failed to load, read from the file.
    items: HashSet<(&'static str, String)>,
    /// Kinds with a failed file whose id could not be read, and those of a failed registry file
    /// (sectors, sources, glossary): no item of these kinds is reported unknown.
    kinds: HashSet<&'static str>,
}

impl Unloaded {
    /// Notes a file of `kind` that failed to load. An item's file is read again for its id (its
    /// text went to the parser that refused it; this happens only on the way to an error).
    fn note(&mut self, kind: FileKind, path: &Path, shown: &str, max: u64) {
        // The reference kind, and the key an item's file gives its id under (a registry file
        // lists many items: the whole kind is covered).
        let (reference, key) = match kind {
            FileKind::Chapter => ("chapter", Some("slug")),
            FileKind::Table => ("table", Some("id")),
            FileKind::Figure => ("figure", Some("id")),
            FileKind::Company => ("company", Some("id")),
            FileKind::Sectors => ("sector", None),
            FileKind::Sources => ("source", None),
            FileKind::Glossary => ("term", None),
            FileKind::Home | FileKind::Asset => return,
        };
        let Some(key) = key else {
            self.kinds.insert(reference);
            return;
        };
        let id = files::read_text(path, shown, max).ok().and_then(|text| yaml::top_level_scalar(&text, key));
        match id {
            // An invalid id (the likely reason it failed) is reported with a valid form to use,
            // which references may already name.
            Some(id) if ids::check(&id).is_some() && id.chars().any(|c| c.is_ascii_alphanumeric()) => {
                self.items.insert((reference, ids::suggest(&id)));
            }
            Some(id) if ids::check(&id).is_none() => {
                self.items.insert((reference, id));
            }
            _ => {
                self.kinds.insert(reference);
            }
        }
    }

    /// Whether a reference of `kind` (`chapter`, `table`, `sector`, …) to `id` may name
    /// something that failed to load.
    pub fn covers(&self, kind: &'static str, id: &str) -> bool {
        self.kinds.contains(kind) || self.failed(kind, id)
    }

    /// Whether a file of `kind` whose id (or slug) is `id` failed to load.
    pub fn failed(&self, kind: &'static str, id: &str) -> bool {
        self.items.contains(&(kind, id.to_string()))
    }
}

/// A load that failed: its errors, and the model of the files that did load (`None` when there
/// was nothing to load), whose Markdown can still be checked.
pub struct Failed {
    pub error: Error,
    pub partial: Option<Box<Model>>,
}

const LAYOUT_HELP: &str = "content/ holds index.md, chapters/*.md, tables/*.yaml, figures/*.yaml, companies/*.yaml, sectors.yaml, sources.yaml, glossary.yaml and assets/";

/// Loads and validates the whole content directory; on failure, keeps the model of what
/// loaded ([`Failed`]).
pub fn load(site: &Settings) -> std::result::Result<Model, Failed> {
    let root = &site.root;
    let content = site.content_dir();
    if !content.is_dir() {
        return Err(Failed {
            error: Error::new(
                Diagnostic::error(format!("no content directory at {}", content.display())).with_help("create content/ with chapters/*.md"),
            ),
            partial: None,
        });
    }
    let mut sink = Sink::default();
    let found = walk(root, &content, &mut sink);
    let assets_dir = content.join("assets");
    let max = site.config.max_file_size;
    let loaded: Vec<Result<Loaded>> = found.par_iter().map(|(kind, path, shown)| load_one(*kind, path, shown, max, &assets_dir)).collect();
    let mut model = Model::default();
    let mut unloaded = Unloaded::default();
    for (r, (kind, path, shown)) in loaded.into_iter().zip(&found) {
        match r {
            Ok(Loaded::Home(h)) => model.home = h,
            Ok(Loaded::Chapter(c)) => model.chapters.push(*c),
            Ok(Loaded::Table(t)) => model.tables.push(*t),
            Ok(Loaded::Figure(f)) => model.figures.push(*f),
            Ok(Loaded::Company(c)) => model.companies.push(*c),
            Ok(Loaded::Sectors(s, o)) => {
                model.sectors = s;
                model.registry_origins.sectors = Some(o);
            }
            Ok(Loaded::Sources(s, o)) => {
                model.sources = s;
                model.registry_origins.sources = Some(o);
            }
            Ok(Loaded::Glossary(t, o)) => {
                model.terms = t;
                model.registry_origins.glossary = Some(o);
            }
            Ok(Loaded::Asset(a)) => model.assets.push(a),
            Err(e) => {
                sink.extend(e);
                unloaded.note(*kind, path, shown, max);
            }
        }
    }
    model.chapters.sort_by(|a, b| a.meta.order.cmp(&b.meta.order).then_with(|| a.origin.file.cmp(&b.origin.file)));
    model.tables.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.origin.file.cmp(&b.origin.file)));
    model.figures.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.origin.file.cmp(&b.origin.file)));
    model.companies.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.origin.file.cmp(&b.origin.file)));
    model.assets.sort_by(|a, b| a.rel.cmp(&b.rel));
    let misspelt = parts::check_spellings(&model.chapters, &mut sink);
    number_chapters(&mut model, &misspelt, &mut sink);
    index_ids(&mut model, &mut sink);
    cross_check(&model, &unloaded, &mut sink);
    model.ids.unloaded = unloaded;
    match sink.finish() {
        Ok(_) => Ok(model),
        Err(error) => Err(Failed { error, partial: Some(Box::new(model)) }),
    }
}

/// Walks `content/`, classifying files; odd files and unsafe symlinks become diagnostics.
fn walk(root: &Path, content: &Path, sink: &mut Sink) -> Vec<(FileKind, PathBuf, String)> {
    let canonical_content = content.canonicalize().unwrap_or_else(|_| content.to_path_buf());
    let mut found = Vec::new();
    let walker = walkdir::WalkDir::new(content).follow_links(false).sort_by_file_name().max_depth(32);
    let mut entries = walker.into_iter().filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let shown = err.path().map(|p| shown_path(root, p)).unwrap_or_else(|| "content".into());
                sink.push(Diagnostic::error(format!("cannot read: {err}")).in_file(shown));
                continue;
            }
        };
        let path = entry.path();
        let shown = shown_path(root, path);
        let mut is_file = entry.file_type().is_file();
        if entry.path_is_symlink() {
            match path.canonicalize() {
                Ok(target) if target.starts_with(&canonical_content) => {
                    if target.is_dir() {
                        sink.push(
                            Diagnostic::error("symlinked directories are not followed")
                                .in_file(shown)
                                .with_help("move the directory into content/ instead"),
                        );
                        continue;
                    }
                    is_file = target.is_file();
                }
                Ok(target) => {
                    sink.push(
                        Diagnostic::error(format!("symlink points outside content/ (to {})", target.display()))
                            .in_file(shown)
                            .with_help("copy the file into content/ instead of linking to it"),
                    );
                    continue;
                }
                Err(e) => {
                    sink.push(Diagnostic::error(format!("broken symlink: {e}")).in_file(shown));
                    continue;
                }
            }
        }
        let rel = path.strip_prefix(content).unwrap_or(path);
        let rel_s: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        if !is_file {
            // `tables/t9.yaml/` would be passed over as any folder is: its name says a file was meant.
            if entry.file_type().is_dir()
                && let Some(noun) = classify(&rel_s).and_then(FileKind::noun)
            {
                sink.push(
                    Diagnostic::error(format!("this is a folder, but its name is that of a {noun} file"))
                        .in_file(shown.clone())
                        .with_help(format!("a {noun} is one file: write it as the file {shown}, and take the folder away")),
                );
                entries.skip_current_dir();
            }
            continue;
        }
        match classify(&rel_s) {
            // sectors.yaml and sectors.yml (and the like) would each stand for the whole list.
            Some(kind @ (FileKind::Sectors | FileKind::Sources | FileKind::Glossary))
                if let Some((_, _, first)) = found.iter().find(|(k, _, _)| *k == kind) =>
            {
                sink.push(
                    Diagnostic::error(format!("{shown} and {first} are the same list written twice"))
                        .in_file(shown)
                        .with_help(format!("keep one of them: the entries of both belong in {first}")),
                );
            }
            Some(kind) => found.push((kind, path.to_path_buf(), shown)),
            None => sink.push(
                Diagnostic::error("unexpected file in content/")
                    .in_file(shown)
                    .with_help(rename_help(&rel_s).unwrap_or(LAYOUT_HELP.into())),
            ),
        }
    }
    found
}

/// For a content file whose name differs from an expected one only by its extension's
/// spelling (`01-ai.MD`, `01-ai.markdown`, `baidu.YAML`, `glossary.yml.txt` is not one), the
/// name it should have.
fn rename_help(rel: &[String]) -> Option<String> {
    let name = rel.last()?;
    let (stem, ext) = name.rsplit_once('.')?;
    let wanted = match ext.to_ascii_lowercase().as_str() {
        "md" | "markdown" | "mdown" | "mkd" => "md",
        "yaml" | "yml" => "yaml",
        _ => return None,
    };
    let mut fixed = rel.to_vec();
    *fixed.last_mut()? = format!("{stem}.{wanted}");
    classify(&fixed).map(|_| format!("rename it to {}", fixed.last().map_or("", String::as_str)))
}

/// Editor backups, swap files and dotfiles are skipped silently (and do not trigger a rebuild in `serve`).
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#') || name.ends_with(".swp") || name.ends_with(".tmp")
}

fn classify(rel: &[String]) -> Option<FileKind> {
    let ext = |name: &str, exts: &[&str]| exts.iter().any(|e| name.ends_with(e));
    let first = rel.first()?.as_str();
    let last = rel.last()?.as_str();
    match (first, rel.len()) {
        ("index.md", 1) => Some(FileKind::Home),
        ("sectors.yaml" | "sectors.yml", 1) => Some(FileKind::Sectors),
        ("sources.yaml" | "sources.yml", 1) => Some(FileKind::Sources),
        ("glossary.yaml" | "glossary.yml", 1) => Some(FileKind::Glossary),
        ("assets", n) if n > 1 => Some(FileKind::Asset),
        ("chapters", n) if n > 1 && ext(last, &[".md"]) => Some(FileKind::Chapter),
        ("tables", n) if n > 1 && ext(last, &[".yaml", ".yml"]) => Some(FileKind::Table),
        ("figures", n) if n > 1 && ext(last, &[".yaml", ".yml"]) => Some(FileKind::Figure),
        ("companies", n) if n > 1 && ext(last, &[".yaml", ".yml"]) => Some(FileKind::Company),
        _ => None,
    }
}

/// Reads and parses one file found under content/ (`shown` is its path as errors name it); an
/// asset is only named, not read (it is copied when the site is written).
fn load_one(kind: FileKind, path: &Path, shown: &str, max: u64, assets_dir: &Path) -> Result<Loaded> {
    if kind == FileKind::Asset {
        let rel = path.strip_prefix(assets_dir).unwrap_or(path);
        let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let rel = rel.join("/");
        if let Some(why) = figure::unsafe_asset_path(&rel) {
            return Err(Diagnostic::error(format!("asset file name {why}")).in_file(shown).with_help("rename the file").into());
        }
        return Ok(Loaded::Asset(Asset { rel, path: path.to_path_buf() }));
    }
    let text = files::read_text(path, shown, max)?;
    let origin = Origin { file: shown.to_string(), text };
    // A file in the wrong kind's folder: its errors say where it goes (the text read again,
    // decoded as the first reading was, only when it failed).
    let misfiled = |e: Error| misfiled::explain(e, kind, &files::read_text(path, shown, max).unwrap_or_default(), shown);
    Ok(match kind {
        FileKind::Home => Loaded::Home(home::parse(origin)?),
        FileKind::Chapter => Loaded::Chapter(Box::new(chapter::parse(origin)?)),
        FileKind::Table => Loaded::Table(Box::new(table::parse(origin).map_err(misfiled)?)),
        FileKind::Figure => Loaded::Figure(Box::new(figure::parse(origin, assets_dir).map_err(misfiled)?)),
        FileKind::Company => Loaded::Company(Box::new(company::parse(origin).map_err(misfiled)?)),
        FileKind::Sectors => Loaded::Sectors(registry::parse_list(&origin)?, origin),
        FileKind::Sources => Loaded::Sources(registry::parse_list(&origin)?, origin),
        FileKind::Glossary => Loaded::Glossary(registry::parse_list(&origin)?, origin),
        FileKind::Asset => unreachable!("handled above"),
    })
}

/// The path as the user should read it: relative to the site root, `/`-separated.
pub fn shown_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Numbers parts (in order of first appearance) and sections within them. A part's chapters
/// must follow each other: a part taken up again after another (often a misspelt part name
/// in between) would be listed twice. A part taken up again around a `misspelt` part name is
/// not reported: the misspelling itself already is.
fn number_chapters(model: &mut Model, misspelt: &[String], sink: &mut Sink) {
    let mut parts: Vec<String> = Vec::new();
    let mut counters: HashMap<Option<usize>, usize> = HashMap::new();
    // The part of the chapter before, the chapter that began that run of its part, and
    // whether that run was itself reported (what follows it is then no news).
    let mut current: Option<(Option<usize>, usize, bool)> = None;
    let mut left: Vec<usize> = Vec::new();
    for c in 0..model.chapters.len() {
        let ch = &model.chapters[c];
        let part = ch.meta.part.as_ref().map(|p| match parts.iter().position(|q| q == p) {
            Some(i) => i + 1,
            None => {
                parts.push(p.clone());
                parts.len()
            }
        });
        match current {
            Some((before, began, reported)) if before != part => {
                left.extend(before);
                let resumed = part.filter(|p| left.contains(p));
                let excused = [before, resumed].into_iter().flatten().any(|p| misspelt.contains(&parts[p - 1]));
                if let Some(p) = resumed.filter(|_| !reported && !excused) {
                    let name = &parts[p - 1];
                    let other = before.map_or("a chapter with no part".to_string(), |b| format!("part {:?}", parts[b - 1]));
                    let began = &model.chapters[began].origin.file;
                    let help = match before {
                        Some(b) if crate::error::did_you_mean(&parts[b - 1], [name.as_str()]).is_some() => {
                            format!("is {other} in {began} a misspelling of {name:?}?")
                        }
                        Some(_) => format!("give this chapter an `order` next to the other chapters of part {name:?}"),
                        None => format!("add `part: {name:?}` to {began}, or give it an `order` outside part {name:?}"),
                    };
                    let message = format!(
                        "part {name:?} is taken up again after {other} ({began}): a part's chapters must follow each other in `order`"
                    );
                    sink.push(ch.origin.error_at_key("part", message).with_help(help));
                }
                current = Some((part, c, resumed.is_some()));
            }
            Some(_) => {}
            None => current = Some((part, c, false)),
        }
        let n = counters.entry(part).or_insert(0);
        *n += 1;
        model.chapters[c].number = chapter::ChapterNumber { part, section: *n };
    }
    model.parts = parts;
}

/// Builds id lookups, reporting duplicates at the second definition.
fn index_ids(model: &mut Model, sink: &mut Sink) {
    fn build<'a>(kind: &str, items: impl Iterator<Item = (&'a str, &'a Origin, &'a str)>, sink: &mut Sink) -> HashMap<String, usize> {
        let mut map: HashMap<String, usize> = HashMap::new();
        let mut first: HashMap<String, String> = HashMap::new();
        for (i, (id, origin, key)) in items.enumerate() {
            if let Some(prev) = first.get(id) {
                sink.push(
                    origin
                        .error_at_key(key, format!("duplicate {kind} {key} {id:?}"))
                        .with_help(format!("{prev} already uses it; {kind} {key}s must be unique")),
                );
            } else {
                first.insert(id.to_string(), origin.file.clone());
                map.insert(id.to_string(), i);
            }
        }
        map
    }
    model.ids.chapters = build("chapter", model.chapters.iter().map(|c| (c.meta.slug.as_str(), &c.origin, "slug")), sink);
    model.ids.tables = build("table", model.tables.iter().map(|t| (t.id.as_str(), &t.origin, "id")), sink);
    model.ids.figures = build("figure", model.figures.iter().map(|f| (f.id.as_str(), &f.origin, "id")), sink);
    model.ids.companies = build("company", model.companies.iter().map(|c| (c.id.as_str(), &c.origin, "id")), sink);
    model.ids.sectors = model.sectors.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
    model.ids.sources = model.sources.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
    model.ids.terms = model.terms.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
    let names = model
        .chapters
        .iter()
        .map(|c| ("chapter", c.plain_title(), &c.meta.slug))
        .chain(model.tables.iter().map(|t| ("table", t.caption.clone(), &t.id)))
        .chain(model.figures.iter().map(|f| ("figure", f.caption.clone(), &f.id)))
        .chain(model.companies.iter().flat_map(|c| c.mention_forms().into_iter().map(move |n| ("company", n.to_string(), &c.id))))
        .chain(model.sources.iter().map(|s| ("source", s.name.clone(), &s.id)))
        .chain(model.terms.iter().flat_map(|t| t.forms().into_iter().map(move |n| ("term", n.to_string(), &t.id))));
    model.ids.by_name = names.map(|(kind, name, id)| ((kind, name), id.clone())).collect();
    let mut orders: HashMap<i64, &str> = HashMap::new();
    for ch in &model.chapters {
        if let Some(prev) = orders.insert(ch.meta.order, &ch.origin.file) {
            sink.push(
                ch.origin
                    .error_at_key("order", format!("duplicate chapter order {}", ch.meta.order))
                    .with_help(format!("{prev} has the same order; give each chapter its own number")),
            );
        }
    }
}

/// The chapters there are to name, by slug, in reading order (the first eight of a long
/// report); `None` when none loaded.
fn chapter_slugs(model: &Model) -> Option<String> {
    const SHOWN: usize = 8;
    let mut slugs: Vec<String> = model.chapters.iter().take(SHOWN).map(|c| format!("`{}`", c.slug())).collect();
    if model.chapters.len() > SHOWN {
        slugs.push(format!("… ({} in all)", model.chapters.len()));
    }
    (!slugs.is_empty()).then(|| format!("the chapters' slugs: {}", slugs.join(", ")))
}

/// Checks references between YAML items: sectors, chapters, sources, and alias clashes. Each
/// error points at the reference itself (`chapter: ai` on its own line, the `nth` time the
/// same value is given in the file); references to what failed to load are not reported.
fn cross_check(model: &Model, unloaded: &Unloaded, sink: &mut Sink) {
    let chapter_ids = || model.ids.chapters.keys().map(String::as_str);
    let unknown_chapter = |ch: &str| !model.ids.chapters.contains_key(ch) && !unloaded.covers("chapter", ch);
    // The error for `chapter: ch`, the `n`-th time `ch` is given in the file of `origin`.
    let unknown_chapter_error = |origin: &files::Origin, ch: &str, n: usize| {
        let message =
            if ch.trim().is_empty() { "`chapter` is empty: name a chapter by its slug".into() } else { format!("unknown chapter {ch:?}") };
        let d = origin.error_at_value("chapter", ch, n, message).suggest(ch, chapter_ids());
        match chapter_slugs(model) {
            Some(slugs) => d.with_help_if_none(&slugs),
            None => d,
        }
    };
    // How many times `value` was given before: which of its places to point at.
    fn nth<'a>(before: impl Iterator<Item = &'a str>, value: &str) -> usize {
        before.filter(|v| *v == value).count()
    }
    for c in &model.companies {
        // Sectors and sources: each declared in its registry file, named like its key.
        for (key, kind, given, known, failed) in [
            ("sectors", "sector", &c.sectors, &model.ids.sectors, unloaded.kinds.contains("sector")),
            ("sources", "source", &c.sources, &model.ids.sources, unloaded.kinds.contains("source")),
        ] {
            for (i, s) in given.iter().enumerate() {
                if !failed && !known.contains_key(s) {
                    let n = nth(given[..i].iter().map(String::as_str), s);
                    sink.push(
                        c.origin
                            .error_at_value(key, s, n, format!("unknown {kind} {s:?}"))
                            .suggest(s, known.keys().map(String::as_str))
                            .with_help_if_none(&format!("declare it in content/{key}.yaml")),
                    );
                }
            }
        }
        for (i, f) in c.facts.iter().enumerate() {
            if unknown_chapter(&f.chapter) {
                let n = nth(c.facts[..i].iter().map(|f| f.chapter.as_str()), &f.chapter);
                sink.push(unknown_chapter_error(&c.origin, &f.chapter, n));
            }
        }
    }
    if let Some(o) = &model.registry_origins.sectors {
        for (i, s) in model.sectors.iter().enumerate() {
            if let Some(ch) = &s.chapter
                && unknown_chapter(ch)
            {
                let n = nth(model.sectors[..i].iter().filter_map(|s| s.chapter.as_deref()), ch);
                sink.push(unknown_chapter_error(o, ch, n));
            }
        }
    }
    if let Some(o) = &model.registry_origins.glossary {
        for (i, t) in model.terms.iter().enumerate() {
            if unknown_chapter(&t.chapter) {
                let n = nth(model.terms[..i].iter().map(|t| t.chapter.as_str()), &t.chapter);
                sink.push(unknown_chapter_error(o, &t.chapter, n));
            }
        }
    }
    // The same name form may not stand for two companies: mentions would be ambiguous.
    let mut owner: HashMap<&str, &str> = HashMap::new();
    for c in &model.companies {
        for form in c.mention_forms() {
            if let Some(other) = owner.insert(form, &c.id)
                && other != c.id
            {
                // Pointed at the field that gives it (an alias may repeat part of the name).
                let given = |v: Option<&str>| v.is_some_and(|v| v.trim() == form);
                let key = [("name", Some(c.name.as_str())), ("original", c.original.as_deref()), ("english", c.english.as_deref())]
                    .into_iter()
                    .find_map(|(key, v)| given(v).then_some(key))
                    .unwrap_or("aliases");
                sink.push(
                    c.origin
                        .error_at_value(key, form, 0, format!("name {form:?} is also used by company {other:?}"))
                        .with_help("a name or alias can stand for one company only"),
                );
            }
        }
    }
}

trait HelpIfNone {
    fn with_help_if_none(self, help: &str) -> Self;
}
impl HelpIfNone for Diagnostic {
    fn with_help_if_none(self, help: &str) -> Self {
        if self.help.is_none() { self.with_help(help) } else { self }
    }
}

/// A chapter's Markdown body, owned: the text it lies in and where it starts there.
pub struct Body {
    text: String,
    start: usize,
}

impl Body {
    /// The body's Markdown.
    pub fn as_str(&self) -> &str {
        &self.text[self.start..]
    }
}

impl Model {
    /// Moves the chapters' sources out, to be parsed and dropped one by one: no byte of a body
    /// is copied, only each front matter (kept for error locations). `Chapter::body` is empty
    /// afterwards.
    pub fn take_chapter_bodies(&mut self) -> Vec<Body> {
        self.chapters
            .iter_mut()
            .map(|ch| {
                let start = ch.body_start.min(ch.origin.text.len());
                let text = std::mem::take(&mut ch.origin.text);
                ch.origin.text = text[..start].to_string();
                Body { text, start }
            })
            .collect()
    }

    /// The size of the content read (the texts the model keeps) and of the asset files (named
    /// only, so their sizes are asked of the file system): what a rendering of the site grows from.
    pub fn source_bytes(&self) -> u64 {
        let origins = self
            .chapters
            .iter()
            .map(|c| &c.origin)
            .chain(self.tables.iter().map(|t| &t.origin))
            .chain(self.figures.iter().map(|f| &f.origin))
            .chain(self.companies.iter().map(|c| &c.origin))
            .chain(self.home.origin.iter())
            .chain([&self.registry_origins.sectors, &self.registry_origins.sources, &self.registry_origins.glossary].into_iter().flatten());
        let assets = self.assets.iter().filter_map(|a| std::fs::metadata(&a.path).ok()).map(|m| m.len());
        origins.map(|o| o.text.len() as u64).sum::<u64>() + assets.sum::<u64>()
    }

    /// Copies of the chapters' Markdown bodies, for parsing while the model keeps them.
    pub fn chapter_bodies(&self) -> Vec<Body> {
        self.chapters.iter().map(|ch| Body { text: ch.body().to_string(), start: 0 }).collect()
    }

    /// The chapter's outline number as shown: `I-1`, or `1` when there are no parts.
    pub fn chapter_number(&self, ch: &Chapter) -> String {
        match ch.number.part {
            Some(p) => format!("{}-{}", chapter::roman(p), ch.number.section),
            None => ch.number.section.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_layout() {
        let c = |p: &str| classify(&p.split('/').map(String::from).collect::<Vec<_>>());
        assert_eq!(c("index.md"), Some(FileKind::Home));
        assert_eq!(c("chapters/01-a.md"), Some(FileKind::Chapter));
        assert_eq!(c("chapters/sub/01-a.md"), Some(FileKind::Chapter));
        assert_eq!(c("tables/t1.yaml"), Some(FileKind::Table));
        assert_eq!(c("tables/t1.yml"), Some(FileKind::Table));
        let rename = |p: &str| rename_help(&p.split('/').map(String::from).collect::<Vec<_>>());
        assert_eq!(rename("chapters/05-iot.MD").as_deref(), Some("rename it to 05-iot.md"));
        assert_eq!(rename("chapters/05-iot.markdown").as_deref(), Some("rename it to 05-iot.md"));
        assert_eq!(rename("companies/baidu.YAML").as_deref(), Some("rename it to baidu.yaml"));
        assert_eq!(rename("chapters/notes.txt"), None);
        assert_eq!(rename("misc/a.MD"), None);
        assert_eq!(c("assets/figs/a.png"), Some(FileKind::Asset));
        assert_eq!(c("chapters/notes.txt"), None);
        assert_eq!(c("README.md"), None);
        assert_eq!(c("tables.yaml"), None);
    }

    #[test]
    fn ignores_editor_files() {
        assert!(is_ignored(".DS_Store"));
        assert!(is_ignored("a.md~"));
        assert!(is_ignored(".a.md.swp"));
        assert!(!is_ignored("a.md"));
    }
}
