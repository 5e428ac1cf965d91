//! Chapters: `content/chapters/*.md`, YAML front matter and a Markdown body.

use serde::Deserialize;

use super::date::Date;
use super::files::Origin;
use super::{frontmatter, ids, yaml};
use crate::error::{Diagnostic, Result};

/// The front matter fields of a chapter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChapterMeta {
    pub title: String,
    pub order: i64,
    pub slug: String,
    #[serde(default)]
    pub part: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub events: Vec<Event>,
}

/// A dated event told in the chapter; `text` quotes the chapter verbatim.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub date: Date,
    pub text: String,
}

/// The number of a chapter in the report's outline: part (I, II, …) and section within it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChapterNumber {
    /// 1-based index into `Model::parts`, if the chapter belongs to a part.
    pub part: Option<usize>,
    /// 1-based, within the part (or within the report when there are no parts).
    pub section: usize,
}

#[derive(Debug, Clone)]
pub struct Chapter {
    pub meta: ChapterMeta,
    pub origin: Origin,
    /// Byte offset of the Markdown body in `origin.text`.
    pub body_start: usize,
    pub number: ChapterNumber,
}

impl Chapter {
    /// The Markdown body (empty once the model's sources are released after parsing).
    pub fn body(&self) -> &str {
        self.origin.text.get(self.body_start..).unwrap_or("")
    }

    pub fn slug(&self) -> &str {
        &self.meta.slug
    }

    /// The title without footnote references (`중창공간(衆創空間)[^2] 육성` → `중창공간(衆創空間) 육성`).
    pub fn plain_title(&self) -> String {
        strip_footnote_refs(&self.meta.title)
    }
}

/// Where the next `[^` starts in `s`.
pub fn find_footnote_ref(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    memchr::memchr_iter(b'[', b).find(|&i| b.get(i + 1) == Some(&b'^'))
}

/// Removes `[^label]` footnote references from a one-line text.
pub fn strip_footnote_refs(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = find_footnote_ref(rest) {
        match rest[i..].find(']') {
            Some(j) if !rest[i + 2..i + j].contains(char::is_whitespace) => {
                out.push_str(&rest[..i]);
                rest = &rest[i + j + 1..];
            }
            _ => {
                out.push_str(&rest[..i + 2]);
                rest = &rest[i + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parses a chapter file (already read into `origin`).
pub fn parse(origin: Origin) -> Result<Chapter> {
    let split = frontmatter::split(&origin.text, &origin.file)?;
    let meta: ChapterMeta = yaml::parse(split.yaml, &origin.file, 2)?;
    let body_start = split.body_start;
    let mut problems = Vec::new();
    if let Some(why) = ids::check(&meta.slug) {
        problems.push(origin.error_at_key("slug", format!("slug {:?} {why}", meta.slug)).with_help(ids::help(&meta.slug, "slug: ")));
    }
    if meta.title.trim().is_empty() {
        problems.push(origin.error_at_key("title", "`title` is empty"));
    }
    // Every event has `text`, and the front matter comes first: the k-th event's is the k-th.
    for (k, ev) in meta.events.iter().enumerate() {
        if ev.text.trim().is_empty() {
            problems.push(
                origin.error_at_nth_key("text", k, "event `text` is empty").with_help("copy the sentence that tells it from this chapter"),
            );
        }
    }
    crate::error::Error::check(problems)?;
    Ok(Chapter { meta, origin, body_start, number: ChapterNumber::default() })
}

/// Roman numeral for part numbers (I, II, III, …).
pub fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// Error for the chapter's `index`-th event, whose quote is not found (reported by the parse
/// stage).
pub fn event_not_found(ch: &Chapter, index: usize) -> Diagnostic {
    let ev = &ch.meta.events[index];
    ch.origin
        .error_at_text_or_key(&ev.text, "text", index, format!("event text is not a verbatim quote of this chapter: {:?}", ev.text))
        .with_help("events quote the chapter's own words; copy the text exactly from the body")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(text: &str) -> Origin {
        Origin { file: "content/chapters/a.md".into(), text: text.into() }
    }

    #[test]
    fn an_empty_event_is_located() {
        let text = "---\ntitle: 제목\norder: 2\nslug: a\nevents:\n  - {date: \"2015\", text: 본문}\n  - date: \"2016\"\n    text: \"\"\n---\n본문\n";
        let e = parse(origin(text)).unwrap_err();
        assert_eq!((e.diagnostics[0].line, e.diagnostics[0].message.as_str()), (8, "event `text` is empty"), "{e}");
    }

    #[test]
    fn parses_front_matter_and_body() {
        let c = parse(origin("---\ntitle: 제목\norder: 2\nslug: a-b\n---\n본문\n")).unwrap();
        assert_eq!(c.meta.title, "제목");
        assert_eq!(c.meta.order, 2);
        assert_eq!(c.body(), "본문\n");
    }

    #[test]
    fn bad_slug_and_unknown_field_are_located() {
        let e = parse(origin("---\ntitle: 제목\norder: 2\nslug: A B\n---\n")).unwrap_err();
        assert_eq!(e.diagnostics[0].line, 4, "{e}");
        assert!(e.to_string().contains("try `slug: a-b`"), "{e}");
        let e = parse(origin("---\ntitle: 제목\norder: 2\nslug: a\nsumary: x\n---\n")).unwrap_err();
        assert_eq!(e.diagnostics[0].line, 5, "{e}");
        assert!(e.to_string().contains("did you mean `summary`"), "{e}");
    }

    #[test]
    fn plain_title_drops_footnote_marks() {
        assert_eq!(strip_footnote_refs("중창공간(衆創空間)[^2] 육성"), "중창공간(衆創空間) 육성");
        assert_eq!(strip_footnote_refs("a [^ b] c"), "a [^ b] c");
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "I");
        assert_eq!(roman(2), "II");
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(14), "XIV");
    }
}
