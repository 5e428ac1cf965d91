//! Parse stage: every Markdown text (chapters, the home page, YAML text fields) to HTML with
//! holes, plus what the resolve stage needs: headings, references, placements, quotes, search text.
//!
//! Each file is parsed exactly once; chapters in parallel.

pub mod analyze;
pub mod anchors;
pub mod doc;
pub mod emit;
pub mod escape;
pub mod ir;
pub mod links;
pub mod mentions;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::config::Settings;
use crate::content::{Body, Model, files::Origin};
use crate::error::{Diagnostic, Error, line_col};
use crate::urls::Urls;
pub use doc::{AnchorRef, Heading, Mode, Output, Place, Quote, RefSite, TermUse};
pub use ir::{Fragment, Seg, Target, fill_label_holes};
use mentions::Matcher;

/// Which verbatim quote an anchor belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuoteKey {
    Event { chapter: usize, index: usize },
    Fact { company: usize, index: usize },
    Definition { term: usize },
}

#[derive(Debug, Default)]
pub struct TableText {
    pub caption: Fragment,
    /// Header cells then body cells, in reading order.
    pub cells: Vec<Fragment>,
    pub notes: Vec<Fragment>,
    pub source: Option<Fragment>,
    pub editor_note: Option<Fragment>,
}

#[derive(Debug, Default)]
pub struct FigureText {
    pub caption: Fragment,
    pub source: Option<Fragment>,
    pub note: Option<Fragment>,
    pub editor_note: Option<Fragment>,
}

#[derive(Debug, Default)]
pub struct CompanyText {
    pub summary: Option<Fragment>,
    pub facts: Vec<Fragment>,
    pub editor_note: Option<Fragment>,
}

#[derive(Debug, Default)]
pub struct TermText {
    pub definition: Fragment,
    pub editor_note: Option<Fragment>,
}

/// Everything the parse stage produced.
#[derive(Debug, Default)]
pub struct Parsed {
    pub home: Output,
    pub chapters: Vec<Output>,
    pub tables: Vec<TableText>,
    pub figures: Vec<FigureText>,
    pub companies: Vec<CompanyText>,
    pub terms: Vec<TermText>,
    /// References made from YAML text fields (captions, summaries, sources, …).
    pub field_refs: Vec<RefSite>,
    /// Where each verbatim quote was found: (chapter, anchor id).
    pub quotes: HashMap<QuoteKey, (usize, String)>,
    pub has_code: bool,
}

/// A parse with errors: the errors, and everything parsed (every text is parsed to its end
/// whatever its errors), so that later stages can add theirs to the same run.
pub struct Failed {
    pub error: crate::error::Error,
    pub parsed: Box<Parsed>,
}

/// Parses every Markdown text of the model.
///
/// `bodies` are the chapters' Markdown bodies (from [`Model::take_chapter_bodies`] or
/// [`Model::chapter_bodies`]); each is dropped as soon as its chapter is parsed.
pub fn parse(model: &Model, bodies: Vec<Body>, settings: &Settings, urls: &Urls) -> std::result::Result<Parsed, Failed> {
    let text_bytes: usize = bodies.iter().map(|b| b.as_str().len()).sum();
    let (companies, terms) = rayon::join(
        || {
            Matcher::for_text(
                model.companies.iter().enumerate().flat_map(|(i, c)| c.mention_forms().into_iter().map(move |f| (i, f))),
                text_bytes,
            )
        },
        || Matcher::for_text(model.terms.iter().enumerate().flat_map(|(i, t)| t.forms().into_iter().map(move |f| (i, f))), text_bytes),
    );
    let pages = crate::urls::index_pages(model.chapters.len(), settings.config.search);
    let ctx = doc::Ctx {
        model,
        urls,
        companies: &companies,
        terms: &terms,
        raw_html: settings.config.raw_html,
        table_label: settings.string("table"),
        pages: &pages,
    };
    let quotes = quotes_by_chapter(model);
    let mut diagnostics: Vec<Diagnostic> = Vec::new();

    // Chapters in parallel, and the YAML text fields alongside them.
    let parse_chapters = || -> Vec<Output> {
        bodies
            .into_par_iter()
            .enumerate()
            // The title line and the body are parsed as one text, made in a buffer that each
            // rayon job reuses for its chapters.
            .map_init(String::new, |text, (i, body)| {
                let ch = &model.chapters[i];
                let body = body.as_str();
                text.clear();
                // Grown once to its size: a job's buffer starts empty, and rayon makes many jobs.
                text.reserve(ch.meta.title.len() + body.len() + 4);
                text.push_str("# ");
                text.push_str(&ch.meta.title);
                text.push_str("\n\n");
                let prefix = text.len();
                text.push_str(body);
                let qs: Vec<Quote> = quotes[i].iter().map(|(_, q)| q.clone()).collect();
                let origin = &ch.origin;
                let body_start = ch.body_start;
                let title_at = origin.offset_of(&ch.meta.title).unwrap_or(0);
                // The body starts on a line of its own, after the front matter's lines.
                let body_line = origin.text[..body_start.min(origin.text.len())].matches('\n').count();
                let locate = move |off: usize| {
                    if off < prefix {
                        line_col(&origin.text, title_at + off.saturating_sub(2))
                    } else {
                        let (l, c) = line_col(body, off - prefix);
                        (l + body_line, c)
                    }
                };
                let id_prefix = format!("{}-", ch.slug());
                emit::run(
                    &ctx,
                    &doc::Input {
                        text: text.as_str(),
                        mode: Mode::Document,
                        place: Place::Chapter(i),
                        id_prefix: &id_prefix,
                        has_title: true,
                        quotes: &qs,
                        file: &origin.file,
                        locate: &locate,
                        self_company: None,
                        mentions: true,
                    },
                )
            })
            .collect()
    };
    let (chapters, fields) = rayon::join(parse_chapters, || parse_fields(&ctx, model));

    let mut parsed = Parsed {
        tables: fields.tables,
        figures: fields.figures,
        companies: fields.companies,
        terms: fields.terms,
        field_refs: fields.refs,
        ..Parsed::default()
    };
    for (i, out) in chapters.iter().enumerate() {
        for (qi, anchor) in &out.found_quotes {
            let key = quotes[i][*qi].0;
            parsed.quotes.entry(key).or_insert((i, anchor.clone()));
        }
    }
    // Every part of every quote must have been found in its chapter (unless a fence left open
    // turned the rest of the chapter into code).
    for (i, qs) in quotes.iter().enumerate().filter(|(i, _)| !chapters[*i].unclosed_fence) {
        let found: std::collections::HashSet<usize> = chapters[i].found_quotes.iter().map(|(q, _)| *q).collect();
        for (qi, (key, q)) in qs.iter().enumerate() {
            if !found.contains(&qi) {
                diagnostics.push(quote_missing(model, *key, &q.text, i));
            }
        }
    }
    for out in &chapters {
        parsed.has_code |= out.has_code;
        diagnostics.extend(out.diagnostics.iter().cloned());
    }
    parsed.chapters = chapters;

    // The home page body.
    if let Some(origin) = &model.home.origin {
        let body = model.home.body();
        let start = model.home.body_start;
        let locate = move |off: usize| line_col(&origin.text, start + off);
        let out = emit::run(
            &ctx,
            &doc::Input {
                text: body,
                mode: Mode::Document,
                place: Place::Home,
                id_prefix: "home-",
                has_title: false,
                quotes: &[],
                file: &origin.file,
                locate: &locate,
                self_company: None,
                mentions: true,
            },
        );
        diagnostics.extend(out.diagnostics.iter().cloned());
        parsed.has_code |= out.has_code;
        parsed.home = out;
    }

    diagnostics.extend(fields.diagnostics);
    match Error::check(diagnostics) {
        Ok(_) => Ok(parsed),
        Err(error) => Err(Failed { error, parsed: Box::new(parsed) }),
    }
}

/// The parsed YAML text fields of tables, figures, companies and glossary terms.
struct Fields {
    tables: Vec<TableText>,
    figures: Vec<FigureText>,
    companies: Vec<CompanyText>,
    terms: Vec<TermText>,
    refs: Vec<RefSite>,
    diagnostics: Vec<Diagnostic>,
}

/// Which of its item's fields a YAML text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKey {
    Caption,
    Cell,
    Note,
    Source,
    EditorNote,
    Summary,
    Fact,
    Definition,
}

/// A YAML text field: its file, its text, how it is read and whose it is.
pub struct Field<'a> {
    pub origin: &'a Origin,
    pub text: &'a str,
    pub mode: Mode,
    pub place: Place,
    pub key: FieldKey,
}

/// Every YAML text that is Markdown, item by item: tables (caption, cells in reading order,
/// notes, source, editor's note), figures (caption, source, note, editor's note), companies
/// (summary, facts, editor's note), glossary terms (definition, editor's note). The one list
/// of them, for the parse and for `check`.
pub fn for_each_field<'a>(model: &'a Model, mut each: impl FnMut(Field<'a>)) {
    use FieldKey::*;
    use Mode::{Block, Inline};
    let mut emit = |origin: &'a Origin, place: Place, key: FieldKey, mode: Mode, text: &'a str| {
        each(Field { origin, text, mode, place, key });
    };
    for (i, t) in model.tables.iter().enumerate() {
        let (o, place) = (&t.origin, Place::Table(i));
        emit(o, place, Caption, Inline, &t.caption);
        t.cells().for_each(|c| emit(o, place, Cell, Block, &c.text));
        t.notes.iter().for_each(|n| emit(o, place, Note, Inline, n));
        t.source.iter().for_each(|s| emit(o, place, Source, Inline, s));
        t.editor_note.iter().for_each(|s| emit(o, place, EditorNote, Inline, s));
    }
    for (i, f) in model.figures.iter().enumerate() {
        let (o, place) = (&f.origin, Place::Figure(i));
        emit(o, place, Caption, Inline, &f.caption);
        f.source.iter().for_each(|s| emit(o, place, Source, Inline, s));
        f.note.iter().for_each(|s| emit(o, place, Note, Block, s));
        f.editor_note.iter().for_each(|s| emit(o, place, EditorNote, Inline, s));
    }
    for (i, c) in model.companies.iter().enumerate() {
        let (o, place) = (&c.origin, Place::Company(i));
        c.summary.iter().for_each(|s| emit(o, place, Summary, Block, s));
        c.facts.iter().for_each(|f| emit(o, place, Fact, Inline, &f.text));
        c.editor_note.iter().for_each(|s| emit(o, place, EditorNote, Inline, s));
    }
    if let Some(o) = &model.registry_origins.glossary {
        for (i, t) in model.terms.iter().enumerate() {
            emit(o, Place::Term(i), Definition, Block, &t.definition);
            t.editor_note.iter().for_each(|s| emit(o, Place::Term(i), EditorNote, Inline, s));
        }
    }
}

fn parse_fields(ctx: &doc::Ctx<'_>, model: &Model) -> Fields {
    use FieldKey::*;
    let mut parser = FieldParser { ctx, refs: Vec::new(), diagnostics: Vec::new() };
    let mut tables: Vec<TableText> = model.tables.iter().map(|_| TableText::default()).collect();
    let mut figures: Vec<FigureText> = model.figures.iter().map(|_| FigureText::default()).collect();
    let mut companies: Vec<CompanyText> = model.companies.iter().map(|_| CompanyText::default()).collect();
    let mut terms: Vec<TermText> = Vec::new();
    if model.registry_origins.glossary.is_some() {
        terms = model.terms.iter().map(|_| TermText::default()).collect();
    }
    for_each_field(model, |field| {
        let text = parser.parse(&field);
        match (field.place, field.key) {
            (Place::Table(i), Caption) => tables[i].caption = text,
            (Place::Table(i), Cell) => tables[i].cells.push(text),
            (Place::Table(i), Note) => tables[i].notes.push(text),
            (Place::Table(i), Source) => tables[i].source = Some(text),
            (Place::Table(i), EditorNote) => tables[i].editor_note = Some(text),
            (Place::Figure(i), Caption) => figures[i].caption = text,
            (Place::Figure(i), Source) => figures[i].source = Some(text),
            (Place::Figure(i), Note) => figures[i].note = Some(text),
            (Place::Figure(i), EditorNote) => figures[i].editor_note = Some(text),
            (Place::Company(i), Summary) => companies[i].summary = Some(text),
            (Place::Company(i), Fact) => companies[i].facts.push(text),
            (Place::Company(i), EditorNote) => companies[i].editor_note = Some(text),
            (Place::Term(i), Definition) => terms[i].definition = text,
            (Place::Term(i), EditorNote) => terms[i].editor_note = Some(text),
            (place, key) => unreachable!("no field {key:?} in {place:?}"),
        }
    });
    Fields { tables, figures, companies, terms, refs: parser.refs, diagnostics: parser.diagnostics }
}

/// Parses YAML text fields, collecting their references and problems.
struct FieldParser<'a> {
    ctx: &'a doc::Ctx<'a>,
    refs: Vec<RefSite>,
    diagnostics: Vec<Diagnostic>,
}

impl FieldParser<'_> {
    fn parse(&mut self, field: &Field) -> Fragment {
        let Field { origin, text, mode, place, key } = *field;
        // An editor's note is not the report's text: its names are not mentions of companies.
        let mentions = key != FieldKey::EditorNote;
        let self_company = match place {
            Place::Company(i) if mentions => Some(i),
            _ => None,
        };
        // Errors point into the YAML file where the field's words are; looked up only when
        // there is an error to place.
        let in_file = origin.value_places(text);
        let locate = |off: usize| in_file(off).map_or((0, 0), |at| line_col(&origin.text, at));
        let out = emit::run(
            self.ctx,
            &doc::Input {
                text,
                mode,
                place,
                id_prefix: "",
                has_title: false,
                quotes: &[],
                file: &origin.file,
                locate: &locate,
                self_company,
                mentions,
            },
        );
        self.diagnostics.extend(out.diagnostics);
        self.refs.extend(out.refs);
        out.body
    }
}

/// The verbatim quotes each chapter must contain: its events, companies' facts, term definitions.
fn quotes_by_chapter(model: &Model) -> Vec<Vec<(QuoteKey, Quote)>> {
    let mut out: Vec<Vec<(QuoteKey, Quote)>> = vec![Vec::new(); model.chapters.len()];
    for (ci, ch) in model.chapters.iter().enumerate() {
        for (k, ev) in ch.meta.events.iter().enumerate() {
            out[ci].push((
                QuoteKey::Event { chapter: ci, index: k },
                Quote { anchor: format!("{}-event-{}", ch.slug(), k + 1), text: ev.text.clone() },
            ));
        }
    }
    for (i, c) in model.companies.iter().enumerate() {
        for (k, f) in c.facts.iter().enumerate() {
            if let Some(&ci) = model.ids.chapters.get(&f.chapter) {
                out[ci].push((
                    QuoteKey::Fact { company: i, index: k },
                    Quote { anchor: format!("fact-{}-{}", c.id, k + 1), text: f.text.clone() },
                ));
            }
        }
    }
    for (i, t) in model.terms.iter().enumerate() {
        if let Some(&ci) = model.ids.chapters.get(&t.chapter) {
            // A definition of several paragraphs: each paragraph must be a quote.
            for part in t.definition.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
                out[ci].push((QuoteKey::Definition { term: i }, Quote { anchor: format!("def-{}", t.id), text: part.to_string() }));
            }
        }
    }
    out
}

fn quote_missing(model: &Model, key: QuoteKey, text: &str, chapter: usize) -> Diagnostic {
    let ch = &model.chapters[chapter];
    let help = format!("it must be copied exactly from {} ({}); whitespace may differ, wording may not", ch.origin.file, ch.slug());
    match key {
        QuoteKey::Event { index, .. } => crate::content::chapter::event_not_found(ch, index),
        QuoteKey::Fact { company, index } => model.companies[company]
            .origin
            .error_at_text_or_key(text, "text", index, format!("fact text is not a verbatim quote of chapter `{}`", ch.slug()))
            .with_help(help),
        QuoteKey::Definition { term } => match &model.registry_origins.glossary {
            Some(o) => o
                .error_at_text_or_key(text, "definition", term, format!("definition is not a verbatim quote of chapter `{}`", ch.slug()))
                .with_help(help),
            None => Diagnostic::error("definition not found"),
        },
    }
}
