//! The typed views pages are rendered from: what each template sees, field by field.
//! Rust fills them (numbers, labels, URLs, order); the templates only lay them out.

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// One entry of the feed (`feed.xml`): a chapter, with its absolute URL.
#[derive(Debug, Clone, Serialize)]
pub struct FeedItem {
    pub title: String,
    pub url: String,
    pub description: String,
}

/// An entry of the main navigation.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    /// Matched against a page's `section` to mark the current entry.
    pub key: &'static str,
    pub title: String,
    pub url: String,
}

/// What every page has: titles, URLs, navigation.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    /// The kind of page (`chapter`, `table`, `companies`, …): the template and the current nav item.
    pub kind: &'static str,
    pub title: String,
    pub url: String,
    pub canonical: String,
    pub description: String,
    pub breadcrumbs: Vec<Link>,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    /// Key of the main navigation entry this page belongs to.
    pub section: &'static str,
    pub has_code: bool,
    pub og_type: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct BacklinkView {
    /// What kind of place refers (본문, 표, 기업, …).
    pub kind: String,
    pub place: String,
    pub section: Option<String>,
    pub url: String,
    pub excerpt: String,
    /// The item itself is placed here (not only mentioned).
    pub placement: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChapterEntry {
    pub number: String,
    pub title: String,
    pub url: String,
    pub current: bool,
    pub headings: Vec<TocEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartEntry {
    pub number: Option<String>,
    /// The heading's id where the listing is the full contents (the target of
    /// breadcrumbs); none in a sidebar.
    pub anchor: Option<String>,
    pub title: Option<String>,
    pub chapters: Vec<ChapterEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FootnoteView {
    pub number: u32,
    pub id: String,
    pub backref: String,
    pub html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChapterView {
    pub number: String,
    pub part_number: Option<String>,
    pub part_title: Option<String>,
    /// On the print page: the chapter begins its part, whose title goes before it.
    pub starts_part: bool,
    pub title_html: String,
    pub body_html: String,
    pub footnotes: Vec<FootnoteView>,
    pub toc: Vec<TocEntry>,
    pub anchor: String,
}

/// Chapters shown in a page's sidebar: all of them for a small report, a window otherwise.
#[derive(Debug, Clone, Serialize)]
pub struct Sidebar {
    pub parts: Vec<PartEntry>,
    /// More chapters exist than are listed: link to the full contents.
    pub truncated: bool,
}

/// A company's dated fact, on its page.
#[derive(Debug, Clone, Serialize)]
pub struct FactView {
    pub date: String,
    pub date_label: String,
    pub html: String,
    /// Where the chapter tells it (its quote's anchor), when it does.
    pub url: Option<String>,
    pub chapter: Option<String>,
}

/// A company's page.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub original: Option<&'a str>,
    pub english: Option<&'a str>,
    /// Other names than the original and English ones.
    pub aliases: Vec<&'a str>,
    pub kind_label: String,
    pub sectors: Vec<Link>,
    pub summary_html: Option<String>,
    pub facts: Vec<FactView>,
    pub sources: Vec<Link>,
    pub editor_note_html: Option<String>,
}

/// One table or figure on its index page.
#[derive(Debug, Clone, Serialize)]
pub struct BlockEntry<'a> {
    pub label: &'a str,
    pub caption_html: String,
    pub url: String,
    pub source_html: Option<String>,
    pub placed_in: Option<Link>,
    pub used_in: Vec<Link>,
    /// A figure whose image the source lacks.
    pub missing: bool,
}

/// A company in the index.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyCard<'a> {
    pub name: &'a str,
    pub original: Option<&'a str>,
    pub english: Option<&'a str>,
    pub url: String,
    pub mentions: usize,
}

/// The companies of one sector (or of none: `sector-other`).
#[derive(Debug, Clone, Serialize)]
pub struct SectorGroup<'a> {
    pub anchor: String,
    pub name: String,
    /// The chapter about the sector, when there is one.
    pub chapter: Option<Link>,
    pub companies: Vec<CompanyCard<'a>>,
}

/// The companies whose names start with one initial.
#[derive(Debug, Clone, Serialize)]
pub struct InitialGroup<'a> {
    pub initial: &'a str,
    pub companies: Vec<CompanyCard<'a>>,
}

/// A source on the sources page, with what cites it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView<'a> {
    pub anchor: String,
    pub name: &'a str,
    pub english: Option<&'a str>,
    pub url: Option<&'a str>,
    pub backs: Vec<BacklinkView>,
}

/// One dated event or fact on the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub date: String,
    pub date_label: String,
    pub text_html: String,
    /// The chapter or company it is about.
    pub subject: Link,
    pub told_in: Link,
    pub url: String,
}

/// A year of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineYear {
    pub year: u16,
    pub anchor: String,
    pub entries: Vec<TimelineEntry>,
}

/// A glossary entry.
#[derive(Debug, Clone, Serialize)]
pub struct TermView<'a> {
    pub anchor: String,
    pub term: &'a str,
    pub original: Option<&'a str>,
    /// Other forms than the term itself.
    pub aliases: Vec<&'a str>,
    pub definition_html: String,
    pub defined_in: Option<Link>,
    pub editor_note_html: Option<String>,
    pub uses: Vec<BacklinkView>,
}

/// A card on the home page leading to an index page.
#[derive(Debug, Clone, Serialize)]
pub struct IndexCard {
    pub title: String,
    pub url: String,
    pub count: Option<usize>,
}
