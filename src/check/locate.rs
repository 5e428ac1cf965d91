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

    /// The place of the next occurrence of `needle` (or the first, if none follows). A line
    /// break in `needle` is one in the source, where the next line may start with indentation
    /// or quote markers that the rendered text does not have.
    pub fn find(&mut self, needle: &str) -> Place {
        let text = &self.origin.text;
        let at = find_wrapped(text, needle, self.pos).or_else(|| find_wrapped(text, needle, 0));
        let (line, col) = match at {
            Some((start, end)) => {
                self.pos = end;
                line_col(text, start)
            }
            None => (0, 0),
        };
        Place { file: self.origin.file.clone(), line, col }
    }
}

/// Where `needle` next occurs in `hay` from byte `from` on, as (start, end): verbatim, but
/// for its line breaks, each of which also matches the spaces before a line break in `hay`
/// and the spaces, tabs and `>` after it (a paragraph wrapped in a list item or a quote).
fn find_wrapped(hay: &str, needle: &str, from: usize) -> Option<(usize, usize)> {
    let mut parts = needle.split('\n');
    let first = parts.next().unwrap_or("");
    let mut pos = from;
    while pos <= hay.len() {
        let start = pos + hay[pos..].find(first)?;
        let mut end = start + first.len();
        let follows = parts.clone().all(|part| {
            let rest = hay[end..].trim_start_matches([' ', '\t']);
            let Some(rest) = rest.strip_prefix('\n') else { return false };
            let rest = rest.trim_start_matches([' ', '\t', '>']);
            if !rest.starts_with(part) {
                return false;
            }
            end = hay.len() - rest.len() + part.len();
            true
        });
        if follows {
            return Some((start, end));
        }
        pos = start + hay[start..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::find_wrapped;

    #[test]
    fn a_line_break_in_the_text_matches_the_wrapped_source_line() {
        let src = "- ◎ (알리바바) 중국\n  과학기술부와 실험실\n> 인공\n> 지능 \n분야";
        let at = |needle: &str, from: usize| find_wrapped(src, needle, from).map(|(s, e)| &src[s..e]);
        assert_eq!(at("중국\n과학기술부", 0), Some("중국\n  과학기술부"));
        assert_eq!(at("인공\n지능\n분야", 0), Some("인공\n> 지능 \n분야"));
        assert_eq!(at("실험실", 0), Some("실험실"));
        // Nothing else stands for a line break, and a search goes on from where it starts.
        assert_eq!(at("중국 과학기술부", 0), None);
        assert_eq!(at("중국\n과학", src.find("과학").unwrap()), None);
        assert_eq!(at("중국\n실험실", 0), None);
    }
}
