//! Fills a parsed fragment's holes: table/figure labels and blocks, global footnote numbers,
//! highlighted code.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::highlight;
use crate::markdown::escape::push_escaped;
use crate::markdown::{Fragment, Seg, Target};

/// What the holes are filled with.
pub struct Filler<'a> {
    /// "표 1", "그림 2", by model index.
    pub table_labels: &'a [String],
    pub figure_labels: &'a [String],
    /// Pre-rendered table and figure blocks, by model index.
    pub table_blocks: &'a [String],
    pub figure_blocks: &'a [String],
    /// Code highlighting's themes; `None` when the site has no code.
    pub palette: Option<&'a highlight::Palette>,
}

/// Per-document state: footnote numbering and which references already have an id.
#[derive(Default)]
pub struct DocState {
    pub footnote_offset: u32,
    /// How many references each footnote number has had so far.
    seen_refs: HashMap<u32, u32>,
}

impl DocState {
    pub fn new(footnote_offset: u32) -> Self {
        DocState { footnote_offset, seen_refs: HashMap::new() }
    }
}

impl<'a> Filler<'a> {
    pub fn label(&self, t: Target) -> &'a str {
        match t {
            Target::Table(i) => &self.table_labels[i],
            Target::Figure(i) => &self.figure_labels[i],
            _ => "",
        }
    }

    /// The fragment as HTML.
    pub fn html(&self, frag: &Fragment, doc: &mut DocState) -> String {
        let mut out = String::with_capacity(frag.segs.iter().map(|s| if let Seg::Html(h) = s { h.len() } else { 64 }).sum());
        self.fill_into(&mut out, frag, doc);
        out
    }

    /// A fragment without footnotes (YAML fields).
    pub fn field(&self, frag: &Fragment) -> String {
        self.html(frag, &mut DocState::default())
    }

    pub fn fill_into(&self, out: &mut String, frag: &Fragment, doc: &mut DocState) {
        for seg in &frag.segs {
            match seg {
                Seg::Html(h) => out.push_str(h),
                Seg::Label(t) => push_escaped(out, self.label(*t)),
                Seg::Embed(Target::Table(i)) => out.push_str(&self.table_blocks[*i]),
                Seg::Embed(Target::Figure(i)) => out.push_str(&self.figure_blocks[*i]),
                Seg::Embed(_) => {}
                Seg::FootnoteRef(n) => {
                    let g = doc.footnote_offset + n;
                    let count = doc.seen_refs.entry(g).or_insert(0);
                    *count += 1;
                    let _ = write!(out, "<sup class=\"fnref\"><a href=\"#fn-{g}\" id=\"fnref-{g}");
                    if *count > 1 {
                        let _ = write!(out, "-{count}");
                    }
                    let _ = write!(out, "\" role=\"doc-noteref\">{g})</a></sup>");
                }
                Seg::Code { lang, code } => highlight::highlight_into(out, code, lang, self.palette),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_labels_footnotes_and_blocks() {
        let frag = Fragment {
            segs: vec![
                Seg::Html("<p>see ".into()),
                Seg::Label(Target::Table(0)),
                Seg::FootnoteRef(2),
                Seg::FootnoteRef(2),
                Seg::Html("</p>".into()),
                Seg::Embed(Target::Figure(0)),
            ],
        };
        let f = Filler {
            table_labels: &["표 3".into()],
            figure_labels: &["그림 1".into()],
            table_blocks: &["<figure>t</figure>".into()],
            figure_blocks: &["<figure>f</figure>".into()],
            palette: None,
        };
        let html = f.html(&frag, &mut DocState::new(4));
        assert_eq!(
            html,
            "<p>see 표 3<sup class=\"fnref\"><a href=\"#fn-6\" id=\"fnref-6\" role=\"doc-noteref\">6)</a></sup><sup class=\"fnref\"><a href=\"#fn-6\" id=\"fnref-6-2\" role=\"doc-noteref\">6)</a></sup></p><figure>f</figure>"
        );
    }
}
