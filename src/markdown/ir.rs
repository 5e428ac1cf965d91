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

/// Opens and closes a table's or figure's label left as a hole in plain text (an excerpt):
/// `\u{E000}t3\u{E001}` is table 3's label. Private-use characters, which a report's text has
/// no reason to hold; anything between them that is not a hole is left as it is.
const HOLE_OPEN: char = '\u{E000}';
const HOLE_CLOSE: char = '\u{E001}';

/// Appends the hole for `t`'s label (a table or figure) to plain text.
pub fn push_label_hole(out: &mut String, t: Target) {
    let (kind, i) = match t {
        Target::Table(i) => ('t', i),
        Target::Figure(i) => ('f', i),
        _ => return,
    };
    out.push(HOLE_OPEN);
    out.push(kind);
    out.push_str(&i.to_string());
    out.push(HOLE_CLOSE);
}

/// Plain text with its label holes filled by `label` (unchanged text when it has none).
pub fn fill_label_holes<'t>(text: &'t str, label: impl Fn(Target) -> &'t str) -> std::borrow::Cow<'t, str> {
    if !text.contains(HOLE_OPEN) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(HOLE_OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + HOLE_OPEN.len_utf8()..];
        let hole = after.find(HOLE_CLOSE).and_then(|end| {
            let index = after.get(1..end)?.parse::<usize>().ok()?;
            let target = match after.as_bytes()[0] {
                b't' => Target::Table(index),
                b'f' => Target::Figure(index),
                _ => return None,
            };
            Some((target, end + HOLE_CLOSE.len_utf8()))
        });
        match hole {
            Some((target, len)) => {
                out.push_str(label(target));
                rest = &after[len..];
            }
            None => {
                out.push(HOLE_OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Whether `c` belongs to a label hole, `in_hole` carrying the state from one character to the
/// next (ids skip holes: they must not change when tables are renumbered).
pub fn is_in_hole(c: char, in_hole: &mut bool) -> bool {
    match c {
        HOLE_OPEN => *in_hole = true,
        HOLE_CLOSE => {
            *in_hole = false;
            return true;
        }
        _ => {}
    }
    *in_hole
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_holes_are_filled_and_anything_else_is_left() {
        let mut text = String::from("비교는 ");
        push_label_hole(&mut text, Target::Table(12));
        text.push_str("과 ");
        push_label_hole(&mut text, Target::Figure(0));
        text.push_str("에 정리했다.");
        let labels = |t: Target| match t {
            Target::Table(12) => "표 3",
            Target::Figure(0) => "그림 1",
            _ => "?",
        };
        assert_eq!(fill_label_holes(&text, labels), "비교는 표 3과 그림 1에 정리했다.");
        assert!(matches!(fill_label_holes("표 없음", labels), std::borrow::Cow::Borrowed("표 없음")));
        for odd in ["a\u{E000}x1\u{E001}b\u{E000}t", "\u{E000}\u{E001}", "\u{E000}가1\u{E001}", "\u{E000}t\u{E001}", "\u{E000}"] {
            assert_eq!(fill_label_holes(odd, labels), odd);
        }
    }
}
