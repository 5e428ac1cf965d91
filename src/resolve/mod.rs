//! Resolve stage: what only the whole report knows — numbering, checked anchors, backlinks,
//! the indexes (tables, figures, companies, sources, timeline, glossary) and reading order.

pub mod backlinks;
pub mod collate;
pub mod indexes;
pub mod numbering;

use std::collections::HashMap;

use crate::content::Model;
use crate::content::files::Origin;
use crate::error::{Diagnostic, Error, Result};
use crate::markdown::{Parsed, RefSite, Target, TermUse};
pub use indexes::{CompanyIndex, TimelineEntry};
pub use numbering::Numbering;

/// The resolved report: the model and parse results plus everything cross-document.
#[derive(Debug)]
pub struct Resolved {
    pub numbering: Numbering,
    pub backlinks: HashMap<Target, Vec<RefSite>>,
    pub companies: CompanyIndex,
    pub timeline: Vec<TimelineEntry>,
    pub term_uses: Vec<Vec<TermUse>>,
    /// Problems that do not stop the build (empty chapters, tables and figures never placed).
    pub warnings: Vec<crate::error::Diagnostic>,
}

impl Resolved {
    pub fn backlinks_of(&self, t: Target) -> &[RefSite] {
        self.backlinks.get(&t).map_or(&[], Vec::as_slice)
    }
}

/// The errors [`resolve`] finds (a table or figure placed twice, a `chapter:x#anchor` the
/// chapter lacks), for a report whose Markdown has errors of its own: an editor sees them all
/// in one run.
pub fn errors(model: &Model, parsed: &Parsed) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    numbering::number(model, parsed, &mut problems);
    backlinks::check_anchors(model, parsed, &mut problems);
    problems
}

pub fn resolve(model: &Model, parsed: &Parsed) -> Result<Resolved> {
    let mut problems = Vec::new();
    let numbering = numbering::number(model, parsed, &mut problems);
    backlinks::check_anchors(model, parsed, &mut problems);
    Error::check(problems)?;
    let mut warnings = Vec::new();
    warnings.extend(model.chapters.iter().zip(&parsed.chapters).filter_map(|(ch, text)| empty_chapter(ch, text)));
    for (i, t) in model.tables.iter().enumerate() {
        if numbering.table_chapter[i].is_none() {
            warnings.push(unplaced(&t.origin, "table", &t.id));
        }
    }
    for (i, f) in model.figures.iter().enumerate() {
        if numbering.figure_chapter[i].is_none() {
            warnings.push(unplaced(&f.origin, "figure", &f.id));
        }
    }
    Ok(Resolved {
        warnings,
        numbering,
        backlinks: backlinks::collect(parsed),
        companies: indexes::companies(model),
        timeline: indexes::timeline(model, parsed),
        term_uses: indexes::term_uses(model, parsed),
    })
}

/// The warning for a chapter with neither text nor footnotes below its front matter.
pub fn empty_chapter(ch: &crate::content::Chapter, text: &crate::markdown::Output) -> Option<Diagnostic> {
    (text.body.is_empty() && text.footnotes.is_empty()).then(|| {
        ch.origin
            .error_at(ch.body_start, format!("chapter `{}` has no text below its front matter", ch.slug()))
            .as_warning()
            .with_help("write the chapter's text after the closing `---` line, or remove the file")
    })
}

/// The warning for a table or figure (`kind`) that no chapter places.
fn unplaced(origin: &Origin, kind: &str, id: &str) -> Diagnostic {
    origin
        .error_at_key("id", format!("{kind} `{id}` is never placed in a chapter; it is numbered after every placed {kind}"))
        .as_warning()
        .with_help(format!("place it where the text discusses it, on a line of its own: ![]({kind}:{id})"))
}
