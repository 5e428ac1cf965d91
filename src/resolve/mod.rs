//! Resolve stage: what only the whole report knows — numbering, checked anchors, backlinks,
//! the indexes (tables, figures, companies, sources, timeline, glossary) and reading order.

pub mod backlinks;
pub mod collate;
pub mod indexes;
pub mod numbering;

use std::collections::HashMap;

use crate::content::Model;
use crate::error::{Error, Result};
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
}

impl Resolved {
    pub fn backlinks_of(&self, t: Target) -> &[RefSite] {
        self.backlinks.get(&t).map_or(&[], Vec::as_slice)
    }
}

pub fn resolve(model: &Model, parsed: &Parsed) -> Result<Resolved> {
    let mut problems = Vec::new();
    let numbering = numbering::number(model, parsed, &mut problems);
    backlinks::check_anchors(model, parsed, &mut problems);
    Error::check(problems)?;
    Ok(Resolved {
        numbering,
        backlinks: backlinks::collect(parsed),
        companies: indexes::companies(model),
        timeline: indexes::timeline(model, parsed),
        term_uses: indexes::term_uses(model, parsed),
    })
}
