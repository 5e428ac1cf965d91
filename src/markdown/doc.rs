//! The data of one parsed text: where it lives, how it is parsed, and what parsing records
//! (headings, references, term uses, quotes, search text) for the later stages.

use super::ir::{Fragment, Target};
use super::mentions::Matcher;
use crate::config::RawHtml;
use crate::content::Model;
use crate::error::Diagnostic;
use crate::urls::Urls;

/// Where a piece of text lives, for backlinks ("mentioned in …").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    Chapter(usize),
    Home,
    Table(usize),
    Figure(usize),
    Company(usize),
    Term(usize),
}

/// How the text is parsed and wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A chapter or the home page: headings get ids, references get anchors.
    Document,
    /// A table cell or definition: a single paragraph is unwrapped, lists stay lists.
    Block,
    /// A one-line field (caption, note, source): no paragraph, leading `*`/`-`/`#` kept as text.
    Inline,
}

/// A heading of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A place in the text that refers to an item.
#[derive(Debug, Clone, PartialEq)]
pub struct RefSite {
    pub target: Target,
    pub place: Place,
    /// Index into the document's headings of the section the reference is in.
    pub heading: Option<usize>,
    /// Id of the link element (documents only), so backlinks land on the very spot.
    pub anchor: Option<String>,
    pub excerpt: String,
    /// Written by the editor (`[..](company:x)`), as opposed to a linked mention.
    pub explicit: bool,
    /// The table or figure itself is placed here.
    pub embed: bool,
}

/// A glossary term used in a section.
#[derive(Debug, Clone, PartialEq)]
pub struct TermUse {
    pub term: usize,
    pub place: Place,
    pub heading: Option<usize>,
    pub excerpt: String,
}

/// A `chapter:slug#anchor` reference, checked once every chapter is parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct AnchorRef {
    pub chapter: usize,
    pub anchor: String,
    pub file: String,
    pub line: usize,
    pub col: usize,
}

/// Text that must occur verbatim in the document; anchored where it is found.
#[derive(Debug, Clone)]
pub struct Quote {
    /// The id the anchor gets.
    pub anchor: String,
    pub text: String,
}

/// Everything shared by all parses of one build.
pub struct Ctx<'a> {
    pub model: &'a Model,
    pub urls: &'a Urls,
    pub companies: &'a Matcher,
    pub terms: &'a Matcher,
    pub raw_html: RawHtml,
    /// The "table" UI string, for the labelled scroll region of Markdown tables.
    pub table_label: &'a str,
    /// The index pages the site has ([`crate::urls::index_pages`]), which `page:` links can name.
    pub pages: &'a [&'static str],
}

/// One text to parse.
pub struct Input<'a> {
    pub text: &'a str,
    pub mode: Mode,
    pub place: Place,
    /// Prefix of reference anchors (`ai-` → `ai-r1`); documents only.
    pub id_prefix: &'a str,
    /// The text starts with `# title` that belongs in `Output::title`.
    pub has_title: bool,
    pub quotes: &'a [Quote],
    /// Maps a byte offset in `text` to (line, column) in `file`.
    pub file: &'a str,
    pub locate: &'a dyn Fn(usize) -> (usize, usize),
    /// A company whose own page this is: its mentions are not linked.
    pub self_company: Option<usize>,
    /// Link company mentions and record term uses (off for editors' notes, which are not the report).
    pub mentions: bool,
}

/// What parsing produced.
#[derive(Debug, Default)]
pub struct Output {
    pub title: Fragment,
    pub title_text: String,
    pub body: Fragment,
    /// Footnote bodies by local number − 1 (numbered in order of first reference).
    pub footnotes: Vec<Fragment>,
    pub headings: Vec<Heading>,
    pub refs: Vec<RefSite>,
    /// Tables and figures placed in this text, in order, with where.
    pub embeds: Vec<(Target, AnchorRef)>,
    pub anchor_refs: Vec<AnchorRef>,
    /// Links to an id on the same page (`[…](#x)`), checked against the rendered page.
    pub local_anchors: Vec<AnchorRef>,
    /// (index into the quotes, anchor id) for every quote found.
    pub found_quotes: Vec<(usize, String)>,
    pub term_uses: Vec<TermUse>,
    pub has_code: bool,
    /// A code fence is never closed, so the rest of the text was read as code: quotes are
    /// not looked for in it (the fence is the one error to report).
    pub unclosed_fence: bool,
    /// Plain text of the first paragraph, for page descriptions.
    pub description: String,
    pub diagnostics: Vec<Diagnostic>,
}
