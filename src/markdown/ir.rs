//! The parsed form of Markdown: final HTML with holes for what only the whole report knows.
//!
//! Table and figure numbers, global footnote numbers and highlighted code are filled in at
//! render time; everything else is already HTML.

/// Something a reference can point at (indices into the model's vectors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Chapter(usize),
    Table(usize),
    Figure(usize),
    Company(usize),
    Source(usize),
    Term(usize),
}

impl Target {
    pub fn kind(&self) -> &'static str {
        match self {
            Target::Chapter(_) => "chapter",
            Target::Table(_) => "table",
            Target::Figure(_) => "figure",
            Target::Company(_) => "company",
            Target::Source(_) => "source",
            Target::Term(_) => "term",
        }
    }
}

/// A piece of a rendered fragment.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    /// Final HTML.
    Html(String),
    /// The label of a table or figure ("표 3"), escaped at render time.
    Label(Target),
    /// A whole table or figure block, placed here.
    Embed(Target),
    /// A footnote reference by its number within the document (1-based).
    FootnoteRef(u32),
    /// A code block, highlighted at render time.
    Code { lang: String, code: String },
}

/// Rendered Markdown with holes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fragment {
    pub segs: Vec<Seg>,
}

impl Fragment {
    pub fn push_html(&mut self, html: &str) {
        if html.is_empty() {
            return;
        }
        if let Some(Seg::Html(last)) = self.segs.last_mut() {
            last.push_str(html);
        } else {
            self.segs.push(Seg::Html(html.to_string()));
        }
    }

    pub fn push(&mut self, seg: Seg) {
        match seg {
            Seg::Html(h) => self.push_html(&h),
            other => self.segs.push(other),
        }
    }

    /// Gives back spare capacity (fragments are kept for the whole build).
    pub fn shrink_to_fit(&mut self) {
        for seg in &mut self.segs {
            match seg {
                Seg::Html(h) => h.shrink_to_fit(),
                Seg::Code { code, .. } => code.shrink_to_fit(),
                _ => {}
            }
        }
        self.segs.shrink_to_fit();
    }

    pub fn is_empty(&self) -> bool {
        self.segs.iter().all(|s| matches!(s, Seg::Html(h) if h.trim().is_empty()))
    }

    /// The HTML when the fragment has no holes (headings, captions without labels).
    pub fn plain_html(&self) -> Option<&str> {
        match self.segs.as_slice() {
            [] => Some(""),
            [Seg::Html(h)] => Some(h),
            _ => None,
        }
    }
}
