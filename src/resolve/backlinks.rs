//! Backlinks: for every item, every place that refers to it, in reading order; and the check
//! that every `chapter:slug#anchor` lands on an anchor that exists.

use std::collections::{HashMap, HashSet};

use crate::content::Model;
use crate::error::{Diagnostic, did_you_mean};
use crate::markdown::{Parsed, RefSite, Target};

/// References grouped by what they point at, each list in reading order.
pub fn collect(parsed: &Parsed) -> HashMap<Target, Vec<RefSite>> {
    let mut map: HashMap<Target, Vec<RefSite>> = HashMap::new();
    let all = parsed.chapters.iter().flat_map(|c| c.refs.iter()).chain(parsed.home.refs.iter()).chain(parsed.field_refs.iter());
    for r in all {
        // A table's own caption or cells referring to itself is not a backlink, nor is a
        // chapter's link to one of its own headings.
        let own = matches!((r.target, r.place), (Target::Chapter(a), crate::markdown::Place::Chapter(b)) if a == b)
            || matches!((r.target, r.place), (Target::Table(a), crate::markdown::Place::Table(b)) if a == b)
            || matches!((r.target, r.place), (Target::Figure(a), crate::markdown::Place::Figure(b)) if a == b)
            || matches!((r.target, r.place), (Target::Company(a), crate::markdown::Place::Company(b)) if a == b);
        if !own {
            map.entry(r.target).or_default().push(r.clone());
        }
    }
    map
}

/// Every id a chapter page defines that a `#anchor` may point at.
pub fn chapter_anchors(parsed: &Parsed, chapter: usize) -> HashSet<&str> {
    let out = &parsed.chapters[chapter];
    let mut set: HashSet<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
    set.extend(out.refs.iter().filter_map(|r| r.anchor.as_deref()));
    set.extend(out.found_quotes.iter().map(|(_, a)| a.as_str()));
    set
}

/// Checks every anchored chapter reference.
pub fn check_anchors(model: &Model, parsed: &Parsed, problems: &mut Vec<Diagnostic>) {
    let refs = parsed.chapters.iter().flat_map(|c| c.anchor_refs.iter()).chain(parsed.home.anchor_refs.iter());
    for a in refs {
        // A code fence left open (an error of its own) turned the rest of that chapter into
        // code: its later headings are not there to judge by.
        if parsed.chapters[a.chapter].unclosed_fence {
            continue;
        }
        let known = chapter_anchors(parsed, a.chapter);
        if !known.contains(a.anchor.as_str()) {
            let slug = model.chapters[a.chapter].slug();
            let headings = parsed.chapters[a.chapter].headings.iter().map(|h| h.id.as_str());
            let ids: Vec<&str> = parsed.chapters[a.chapter].headings.iter().map(|h| h.id.as_str()).collect();
            let help = match did_you_mean(&a.anchor, headings) {
                Some(best) => format!("did you mean `chapter:{slug}#{best}`?"),
                None if ids.is_empty() => format!("`{slug}` has no headings to link to: link to the chapter itself, `chapter:{slug}`"),
                None => format!(
                    "headings of `{slug}` have ids: {}{}",
                    ids[..ids.len().min(8)].join(", "),
                    if ids.len() > 8 { ", …" } else { "" }
                ),
            };
            problems.push(
                Diagnostic::error(format!("chapter `{slug}` has no anchor `#{}`", a.anchor))
                    .in_file(&a.file)
                    .at(a.line, a.col)
                    .with_help(help),
            );
        }
    }
}
