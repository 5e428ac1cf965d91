//! Index pages' data: companies by sector and in 가나다 order, the timeline, term uses.

use super::collate;
use crate::content::Model;
use crate::content::date::Date;
use crate::markdown::{Parsed, QuoteKey, TermUse};

/// Companies grouped for the companies index.
#[derive(Debug, Default)]
pub struct CompanyIndex {
    /// All companies in 가나다 order of their Korean names.
    pub sorted: Vec<usize>,
    /// (sector index, companies in 가나다 order); `None` collects those without a sector.
    pub by_sector: Vec<(Option<usize>, Vec<usize>)>,
    /// (initial-consonant heading, companies), headings in order.
    pub by_initial: Vec<(String, Vec<usize>)>,
}

pub fn companies(model: &Model) -> CompanyIndex {
    let mut sorted: Vec<usize> = (0..model.companies.len()).collect();
    // Each name's collation key made once, not at every comparison.
    sorted.sort_by_cached_key(|&c| (collate::key(&model.companies[c].name), &model.companies[c].id));
    let mut by_sector = Vec::new();
    for (si, s) in model.sectors.iter().enumerate() {
        let members: Vec<usize> = sorted.iter().copied().filter(|&c| model.companies[c].sectors.contains(&s.id)).collect();
        if !members.is_empty() {
            by_sector.push((Some(si), members));
        }
    }
    let loose: Vec<usize> = sorted.iter().copied().filter(|&c| model.companies[c].sectors.is_empty()).collect();
    if !loose.is_empty() {
        by_sector.push((None, loose));
    }
    let mut by_initial: Vec<(String, Vec<usize>)> = Vec::new();
    for &c in &sorted {
        let g = collate::group(&model.companies[c].name);
        match by_initial.last_mut() {
            Some((last, list)) if *last == g => list.push(c),
            _ => by_initial.push((g, vec![c])),
        }
    }
    CompanyIndex { sorted, by_sector, by_initial }
}

/// One dated entry of the timeline, with where the report tells it.
#[derive(Debug, Clone)]
pub struct TimelineEntry {
    pub date: Date,
    pub key: QuoteKey,
    /// Chapter and anchor id of the paragraph that tells it.
    pub chapter: usize,
    pub anchor: String,
}

/// Every event and fact in date order (same date: reading order of where it is told).
pub fn timeline(model: &Model, parsed: &Parsed) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    for (ci, ch) in model.chapters.iter().enumerate() {
        for (k, ev) in ch.meta.events.iter().enumerate() {
            let key = QuoteKey::Event { chapter: ci, index: k };
            if let Some((c, a)) = parsed.quotes.get(&key) {
                out.push(TimelineEntry { date: ev.date, key, chapter: *c, anchor: a.clone() });
            }
        }
    }
    for (i, co) in model.companies.iter().enumerate() {
        for (k, f) in co.facts.iter().enumerate() {
            let key = QuoteKey::Fact { company: i, index: k };
            if let Some((c, a)) = parsed.quotes.get(&key) {
                out.push(TimelineEntry { date: f.date, key, chapter: *c, anchor: a.clone() });
            }
        }
    }
    let position =
        |e: &TimelineEntry| parsed.chapters[e.chapter].found_quotes.iter().position(|(_, a)| *a == e.anchor).unwrap_or(usize::MAX);
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.chapter.cmp(&b.chapter)).then_with(|| position(a).cmp(&position(b))));
    out
}

/// Uses of each glossary term (first use per section), in reading order.
pub fn term_uses(model: &Model, parsed: &Parsed) -> Vec<Vec<TermUse>> {
    let mut out = vec![Vec::new(); model.terms.len()];
    for ch in &parsed.chapters {
        for u in &ch.term_uses {
            out[u.term].push(u.clone());
        }
    }
    out
}
