//! Maps what `check` finds in rendered pages back to the content files that produced it, so a
//! finding names the line an editor can fix rather than a line of generated HTML.

use std::collections::HashMap;

use crate::build::Analysis;
use crate::content::files::Origin;
use crate::error::line_col;

/// A place in a content file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: usize,
    pub col: usize,
}

/// The content files behind each rendered page.
pub struct Sources<'a> {
    by_page: HashMap<String, Vec<&'a Origin>>,
    all: Vec<&'a Origin>,
}

impl<'a> Sources<'a> {
    pub fn new(a: &'a Analysis) -> Self {
        let m = &a.model;
        let u = &a.urls;
        let placed = |c: usize| {
            let tables =
                m.tables.iter().enumerate().filter(move |(i, _)| a.resolved.numbering.table_chapter[*i] == Some(c)).map(|(_, t)| &t.origin);
            let figures = m
                .figures
                .iter()
                .enumerate()
                .filter(move |(i, _)| a.resolved.numbering.figure_chapter[*i] == Some(c))
                .map(|(_, f)| &f.origin);
            tables.chain(figures)
        };
        let mut by_page: HashMap<String, Vec<&Origin>> = HashMap::new();
        let mut add = |url: String, origins: Vec<&'a Origin>| by_page.entry(u.output_file(&url)).or_default().extend(origins);
        if let Some(o) = &m.home.origin {
            add(u.home(), vec![o]);
        }
        let mut print = Vec::new();
        for (c, ch) in m.chapters.iter().enumerate() {
            let mut v = vec![&ch.origin];
            v.extend(placed(c));
            print.extend(v.iter().copied());
            add(u.chapter(ch.slug()), v);
        }
        add(u.page("print"), print);
        for t in &m.tables {
            add(u.table(&t.id), vec![&t.origin]);
        }
        for f in &m.figures {
            add(u.figure(&f.id), vec![&f.origin]);
        }
        for c in &m.companies {
            add(u.company(&c.id), vec![&c.origin]);
        }
        let reg = &m.registry_origins;
        add(u.page("companies"), reg.sectors.iter().collect());
        add(u.page("sources"), reg.sources.iter().collect());
        add(u.page("glossary"), reg.glossary.iter().collect());
        let mut all: Vec<&Origin> = m.home.origin.iter().collect();
        all.extend(m.chapters.iter().map(|c| &c.origin));
        all.extend(m.tables.iter().map(|t| &t.origin));
        all.extend(m.figures.iter().map(|f| &f.origin));
        all.extend(m.companies.iter().map(|c| &c.origin));
        all.extend([&reg.sectors, &reg.sources, &reg.glossary].into_iter().flatten());
        Sources { by_page, all }
    }

    /// The first of `patterns` found (files behind `page` first), located at `focus` within it.
    pub fn find(&self, page: &str, patterns: &[String], focus: &str) -> Option<Place> {
        let own = self.by_page.get(page).map_or(&[][..], Vec::as_slice);
        for origins in [own, &self.all] {
            for o in origins {
                for p in patterns {
                    if let Some(i) = o.text.find(p.as_str()) {
                        let off = i + p.find(focus).unwrap_or(0);
                        let (line, col) = line_col(&o.text, off);
                        return Some(Place { file: o.file.clone(), line, col });
                    }
                }
            }
        }
        None
    }
}

/// Finds texts in one file in reading order: each search starts where the last one ended,
/// so the second mention of a name is found at its own line, not at the first.
pub struct Cursor<'a> {
    origin: &'a Origin,
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(origin: &'a Origin) -> Self {
        Cursor { origin, pos: 0 }
    }

    /// Moves to where `text` (rendered text, whose start usually stands verbatim in the
    /// source) next occurs, if it does.
    pub fn sync(&mut self, text: &str) {
        let probe: String = text.trim_start().chars().take(12).collect();
        let probe = probe.trim_end();
        if probe.chars().count() < 4 {
            return;
        }
        if let Some(i) = self.origin.text[self.pos..].find(probe) {
            self.pos += i;
        }
    }

    /// The place of the next occurrence of `needle` (or the first, if none follows).
    pub fn find(&mut self, needle: &str) -> Place {
        let text = &self.origin.text;
        let at = text[self.pos..].find(needle).map(|i| self.pos + i).or_else(|| text.find(needle));
        let (line, col) = match at {
            Some(i) => {
                self.pos = i + needle.len();
                line_col(text, i)
            }
            None => (0, 0),
        };
        Place { file: self.origin.file.clone(), line, col }
    }
}
