//! Walks one Markdown text's events twice: first to analyze (headings, sections, quotes,
//! placements, explicit links), then to emit the [`Fragment`]s with references resolved,
//! mentions linked and everything recorded for backlinks, indexes and search.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::anchors::{IdSet, slugify};
use super::escape::{is_safe_inline_tag, push_escaped};
use super::ir::{Fragment, Seg, Target};
use super::links::{self, Dest};
use super::mentions::{Matcher, excerpt};
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

/// Searchable plain text of one section.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SectionText {
    /// Index into the headings; `None` before the first heading.
    pub heading: Option<usize>,
    /// True for the footnotes at the end.
    pub footnotes: bool,
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
    /// (index into the quotes, anchor id) for every quote found.
    pub found_quotes: Vec<(usize, String)>,
    pub sections: Vec<SectionText>,
    pub term_uses: Vec<TermUse>,
    pub has_code: bool,
    /// Plain text of the first paragraph, for page descriptions.
    pub description: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Report bullets that replace the list marker when an item starts with one.
const BULLETS: &[char] = &['◎', '▶', '※', '□', '■', '●', '○', '◆', '◇', '▷', '►', '•', '*', '-', '▲'];

pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Parses and emits one text.
pub fn run(ctx: &Ctx, input: &Input) -> Output {
    let prepared;
    let text = if input.mode == Mode::Inline {
        prepared = protect_inline(input.text);
        prepared.as_str()
    } else {
        input.text
    };
    let shift = text.len() - input.text.len();
    let events = collect_events(text);
    let analysis = analyze(ctx, input, &events, shift);
    let mut e = Emitter::new(ctx, input, &events, analysis, shift);
    e.emit_all();
    e.finish()
}

/// Escapes a leading block marker so a one-line field stays inline text.
fn protect_inline(text: &str) -> String {
    let t = text.trim_start();
    let starts_block = t.starts_with(['*', '-', '+', '#', '>', '|', '=', '`', '~'])
        || t.chars().take_while(|c| c.is_ascii_digit()).count() > 0
            && t.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with(['.', ')']);
    let single = t.replace('\n', " ");
    if starts_block { format!("\\{single}") } else { single }
}

/// Parser events with adjacent text merged (mentions and quotes may span escapes).
fn collect_events(text: &str) -> Vec<(Event<'_>, Range<usize>)> {
    let mut events: Vec<(Event, Range<usize>)> = Vec::with_capacity(text.len() / 24);
    for (ev, range) in Parser::new_ext(text, options()).into_offset_iter() {
        if let Event::Text(t) = &ev
            && let Some((Event::Text(prev), prev_range)) = events.last_mut()
        {
            let mut s = prev.to_string();
            s.push_str(t);
            *prev = CowStr::from(s);
            prev_range.end = range.end;
            continue;
        }
        events.push((ev, range));
    }
    events
}

/// What the first pass learns.
#[derive(Default)]
struct Analysis {
    /// Heading ids and texts, by order; and the event index each heading starts at.
    headings: Vec<Heading>,
    heading_at: HashMap<usize, usize>,
    /// Index of the title heading's start event, if the text has one.
    title_at: Option<usize>,
    /// Plain text of each block (with nested blocks), by its start event: for quotes.
    block_text: HashMap<usize, String>,
    /// The block's own text, without nested blocks: for excerpts.
    own_text: HashMap<usize, String>,
    /// Quote anchors to place right after a block's start tag.
    anchors_at: HashMap<usize, Vec<String>>,
    found_quotes: Vec<(usize, String)>,
    /// List items that start with a report bullet.
    sym_items: HashSet<usize>,
    /// Paragraphs that hold only a table/figure placement: start index → target image index.
    embed_paras: HashSet<usize>,
    /// (mention scope, company) pairs the editor linked explicitly.
    explicit: HashSet<(usize, usize)>,
    /// Block mode: the text is one paragraph, to be unwrapped.
    unwrap_single: bool,
    description: String,
    ids: IdSet,
}

fn normalize_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn is_block(tag: &Tag) -> bool {
    matches!(tag, Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::TableCell | Tag::FootnoteDefinition(_) | Tag::BlockQuote(_))
}

fn is_block_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell | TagEnd::FootnoteDefinition | TagEnd::BlockQuote(_)
    )
}

fn analyze(ctx: &Ctx, input: &Input, events: &[(Event, Range<usize>)], _shift: usize) -> Analysis {
    let mut a = Analysis::default();
    let quotes: Vec<String> = input.quotes.iter().map(|q| normalize_ws(&q.text)).collect();
    let mut quote_done = vec![false; quotes.len()];
    // Open blocks: (start index, accumulated plain text).
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut own_stack: Vec<String> = Vec::new();
    let mut footnote_depth = 0usize;
    let mut heading_start: Option<(usize, u8, Option<String>)> = None;
    let mut scope = 0usize;
    let mut footnote_scopes = 0usize;
    let mut top_level: Vec<bool> = Vec::new();
    let mut depth = 0usize;
    let mut description_at: Option<usize> = None;
    for (i, (ev, _)) in events.iter().enumerate() {
        match ev {
            Event::Start(tag) => {
                if depth == 0 {
                    top_level.push(matches!(tag, Tag::Paragraph));
                }
                depth += 1;
                if is_block(tag) {
                    stack.push((i, String::new()));
                    own_stack.push(String::new());
                }
                match tag {
                    Tag::Heading { level, id, .. } => {
                        heading_start = Some((i, heading_level(*level), id.as_ref().map(|s| s.to_string())));
                    }
                    Tag::FootnoteDefinition(_) => {
                        footnote_scopes += 1;
                        footnote_depth += 1;
                    }
                    Tag::Item => {
                        if let Some(t) = events[i + 1..].iter().take(3).find_map(|(e, _)| match e {
                            Event::Text(t) => Some(t),
                            _ => None,
                        }) && t.trim_start().starts_with(BULLETS)
                        {
                            a.sym_items.insert(i);
                        }
                    }
                    Tag::Paragraph => {
                        if let Some((Event::Start(Tag::Image { dest_url, .. }), _)) = events.get(i + 1)
                            && is_embed_dest(dest_url)
                        {
                            let close = events[i + 2..].iter().position(|(e, _)| matches!(e, Event::End(TagEnd::Image))).map(|p| p + i + 2);
                            if let Some(c) = close
                                && matches!(events.get(c + 1), Some((Event::End(TagEnd::Paragraph), _)))
                            {
                                a.embed_paras.insert(i);
                            }
                        }
                    }
                    Tag::Link { dest_url, .. } => {
                        if let Ok(Dest::Item(Target::Company(c), _)) = links::classify(dest_url, &ctx.model.ids) {
                            let s = if footnote_scopes > 0 { usize::MAX - footnote_scopes } else { scope };
                            a.explicit.insert((s, c));
                        }
                    }
                    _ => {}
                }
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                if matches!(tag, TagEnd::FootnoteDefinition) {
                    footnote_depth -= 1;
                }
                if let TagEnd::Heading(_) = tag
                    && let Some((start, level, explicit_id)) = heading_start.take()
                {
                    let text = stack.last().map(|(_, t)| normalize_ws(t)).unwrap_or_default();
                    let is_title = input.has_title && a.title_at.is_none() && a.headings.is_empty() && level == 1 && start == 0;
                    if is_title {
                        a.title_at = Some(start);
                    } else if input.mode == Mode::Document {
                        let id = match explicit_id {
                            Some(id) if a.ids.claim_exact(&id) => id,
                            Some(id) => a.ids.claim(&id),
                            None => a.ids.claim(&slugify(&text)),
                        };
                        a.heading_at.insert(start, a.headings.len());
                        a.headings.push(Heading { level, id, text });
                        scope += 1;
                    }
                }
                if is_block_end(tag)
                    && let Some((start, text)) = stack.pop()
                {
                    let norm = normalize_ws(&text);
                    for (qi, q) in quotes.iter().enumerate() {
                        if !quote_done[qi] && !q.is_empty() && norm.contains(q.as_str()) {
                            quote_done[qi] = true;
                            let anchor = a.ids.claim(&input.quotes[qi].anchor);
                            a.anchors_at.entry(start).or_default().push(anchor.clone());
                            a.found_quotes.push((qi, anchor));
                        }
                    }
                    let own = own_stack.pop().map(|t| normalize_ws(&t)).unwrap_or_default();
                    // The description is the first paragraph or item in reading order (by where it starts).
                    if matches!(tag, TagEnd::Paragraph | TagEnd::Item)
                        && footnote_depth == 0
                        && !a.embed_paras.contains(&start)
                        && description_at.is_none_or(|d| start < d)
                    {
                        let text = own.trim_start_matches(BULLETS).trim();
                        if !text.is_empty() {
                            description_at = Some(start);
                            a.description = text.to_string();
                        }
                    }
                    if let Some((_, parent)) = stack.last_mut() {
                        parent.push(' ');
                        parent.push_str(&text);
                    }
                    a.block_text.insert(start, norm);
                    a.own_text.insert(start, own);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, buf)) = stack.last_mut() {
                    buf.push_str(t);
                }
                if let Some(buf) = own_stack.last_mut() {
                    buf.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, buf)) = stack.last_mut() {
                    buf.push(' ');
                }
                if let Some(buf) = own_stack.last_mut() {
                    buf.push(' ');
                }
            }
            _ => {}
        }
    }
    a.unwrap_single = input.mode == Mode::Block && top_level == [true];
    a
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn is_embed_dest(dest: &str) -> bool {
    dest.starts_with("table:") || dest.starts_with("figure:")
}

/// What an open link will need at its end.
enum OpenLink {
    /// Close with `</a>`.
    Anchor,
    /// Refused or unresolvable: text is emitted plainly.
    Plain,
}

/// An open image: a placement or refused one (nothing emitted), or an `<img>` collecting its alt text.
enum Image {
    Skip,
    Img { src: String, alt: String },
}

struct Emitter<'c, 'e> {
    ctx: &'c Ctx<'c>,
    input: &'c Input<'c>,
    events: &'c [(Event<'e>, Range<usize>)],
    a: Analysis,
    shift: usize,
    out: Output,
    /// Fragment being written: 0 = body, 1 = title, 2 + k = footnote definition k.
    cur: usize,
    frags: Vec<Fragment>,
    /// Footnote label → local number (order of first reference).
    fn_numbers: HashMap<String, u32>,
    /// Footnote label → index of its definition fragment (k above).
    fn_defs: HashMap<String, usize>,
    fn_def_order: Vec<String>,
    fn_ref_locs: Vec<(String, usize)>,
    links: Vec<OpenLink>,
    /// Nesting counters for where mentions must not be linked.
    in_heading: usize,
    in_link: usize,
    image: Option<Image>,
    /// For each open paragraph: whether its tags are left out (placements, inline mode).
    para_bare: Vec<bool>,
    /// Paragraphs seen so far (inline mode joins them with a space).
    inline_paras: usize,
    code: Option<(String, String)>,
    /// Table state: alignments, current column, in header.
    aligns: Vec<Alignment>,
    col: usize,
    in_thead: bool,
    /// Section (mention scope) and the current heading index.
    scope: usize,
    heading: Option<usize>,
    footnote_scope: usize,
    linked: HashSet<(usize, usize)>,
    term_seen: HashSet<(usize, usize)>,
    /// Open blocks (start indices), for excerpts.
    blocks: Vec<usize>,
    ref_counter: usize,
    sections: Vec<SectionText>,
    buf: String,
}

impl<'c, 'e> Emitter<'c, 'e> {
    fn new(ctx: &'c Ctx<'c>, input: &'c Input<'c>, events: &'c [(Event<'e>, Range<usize>)], a: Analysis, shift: usize) -> Self {
        Emitter {
            ctx,
            input,
            events,
            a,
            shift,
            out: Output::default(),
            cur: 0,
            frags: vec![Fragment::default(), Fragment::default()],
            fn_numbers: HashMap::new(),
            fn_defs: HashMap::new(),
            fn_def_order: Vec::new(),
            fn_ref_locs: Vec::new(),
            links: Vec::new(),
            in_heading: 0,
            in_link: 0,
            image: None,
            para_bare: Vec::new(),
            inline_paras: 0,
            code: None,
            aligns: Vec::new(),
            col: 0,
            in_thead: false,
            scope: 0,
            heading: None,
            footnote_scope: 0,
            linked: HashSet::new(),
            term_seen: HashSet::new(),
            blocks: Vec::new(),
            ref_counter: 0,
            sections: vec![SectionText::default()],
            buf: String::with_capacity(256),
        }
    }

    fn html(&mut self, s: &str) {
        self.frags[self.cur].push_html(s);
    }

    fn flush(&mut self) {
        if !self.buf.is_empty() {
            let b = std::mem::take(&mut self.buf);
            self.frags[self.cur].push_html(&b);
            self.buf = b;
            self.buf.clear();
        }
    }

    fn text_escaped(&mut self, s: &str) {
        push_escaped(&mut self.buf, s);
        self.flush();
    }

    fn error_at(&mut self, offset: usize, message: String, help: Option<String>) {
        let (line, col) = (self.input.locate)(offset.saturating_sub(self.shift));
        let mut d = Diagnostic::error(message).in_file(self.input.file).at(line, col);
        d.help = help;
        self.out.diagnostics.push(d);
    }

    fn loc(&self, offset: usize) -> AnchorRef {
        let (line, col) = (self.input.locate)(offset.saturating_sub(self.shift));
        AnchorRef { chapter: 0, anchor: String::new(), file: self.input.file.to_string(), line, col }
    }

    fn in_footnote(&self) -> bool {
        self.cur >= 2
    }

    fn mention_scope(&self) -> usize {
        if self.in_footnote() { usize::MAX - self.footnote_scope } else { self.scope }
    }

    fn section_text(&mut self) -> &mut String {
        &mut self.sections.last_mut().expect("always one section").text
    }

    fn next_anchor(&mut self) -> Option<String> {
        if self.input.mode != Mode::Document || self.input.id_prefix.is_empty() {
            return None;
        }
        loop {
            self.ref_counter += 1;
            let id = format!("{}r{}", self.input.id_prefix, self.ref_counter);
            if self.a.ids.claim_exact(&id) {
                return Some(id);
            }
        }
    }

    fn current_block_text(&self) -> &str {
        self.blocks.iter().rev().find_map(|b| self.a.own_text.get(b)).map_or("", String::as_str)
    }

    fn excerpt_for(&self, needle: &str) -> String {
        let block = self.current_block_text();
        match block.find(needle) {
            Some(i) => excerpt(block, i, i + needle.len()),
            None => excerpt(block, 0, 0),
        }
    }

    fn emit_all(&mut self) {
        for i in 0..self.events.len() {
            let (ev, range) = &self.events[i];
            self.event(i, ev, range.clone());
        }
    }

    fn event(&mut self, i: usize, ev: &Event<'e>, range: Range<usize>) {
        if let Some((_, code)) = &mut self.code {
            match ev {
                Event::Text(t) => {
                    code.push_str(t);
                    return;
                }
                Event::End(TagEnd::CodeBlock) => {}
                _ => return,
            }
        }
        if let Some(image) = &mut self.image {
            match ev {
                Event::Text(t) | Event::Code(t) => {
                    if let Image::Img { alt, .. } = image {
                        alt.push_str(t);
                    }
                    return;
                }
                Event::End(TagEnd::Image) => {}
                _ => return,
            }
        }
        match ev {
            Event::Start(tag) => self.start(i, tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(t),
            Event::Code(t) => {
                self.section_text().push_str(t);
                self.buf.push_str("<code>");
                push_escaped(&mut self.buf, t);
                self.buf.push_str("</code>");
                self.flush();
            }
            Event::InlineHtml(h) | Event::Html(h) => self.raw_html(h, matches!(ev, Event::Html(_))),
            Event::FootnoteReference(label) => {
                if let Some(n) = self.fn_numbers.get(label.as_ref()) {
                    let n = *n;
                    self.frags[self.cur].push(Seg::FootnoteRef(n));
                } else {
                    let n = self.fn_numbers.len() as u32 + 1;
                    self.fn_numbers.insert(label.to_string(), n);
                    self.fn_ref_locs.push((label.to_string(), range.start));
                    self.frags[self.cur].push(Seg::FootnoteRef(n));
                }
            }
            Event::SoftBreak => {
                self.html("\n");
                self.section_text().push(' ');
            }
            Event::HardBreak => {
                self.html("<br>\n");
                self.section_text().push(' ');
            }
            Event::Rule => self.html("<hr>\n"),
            Event::TaskListMarker(done) => {
                self.html(if *done { "<input type=\"checkbox\" disabled checked> " } else { "<input type=\"checkbox\" disabled> " })
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text_escaped(t),
        }
    }

    fn place_anchors(&mut self, i: usize) {
        if let Some(anchors) = self.a.anchors_at.get(&i).cloned() {
            for id in anchors {
                self.buf.push_str("<span class=\"told\" id=\"");
                push_escaped(&mut self.buf, &id);
                self.buf.push_str("\"></span>");
            }
            self.flush();
        }
    }

    fn start(&mut self, i: usize, tag: &Tag<'e>, range: Range<usize>) {
        if is_block(tag) {
            self.blocks.push(i);
        }
        match tag {
            Tag::Paragraph => {
                let bare = self.a.embed_paras.contains(&i) || self.input.mode == Mode::Inline || self.a.unwrap_single;
                self.para_bare.push(bare);
                if self.input.mode == Mode::Inline && self.inline_paras > 0 {
                    self.html(" ");
                }
                self.inline_paras += 1;
                if !bare {
                    self.html("<p>");
                    self.place_anchors(i);
                }
            }
            Tag::Heading { level, .. } => {
                self.in_heading += 1;
                let lvl = heading_level(*level);
                if self.a.title_at == Some(i) {
                    self.cur = 1;
                    return;
                }
                if let Some(&h) = self.a.heading_at.get(&i) {
                    self.heading = Some(h);
                    self.scope += 1;
                    let text = self.a.headings[h].text.clone();
                    self.sections.push(SectionText { heading: Some(h), footnotes: false, text: text.clone() });
                    self.sections.last_mut().expect("pushed").text.push(' ');
                    let id = self.a.headings[h].id.clone();
                    self.buf.push_str(&format!("<h{lvl} id=\""));
                    push_escaped(&mut self.buf, &id);
                    self.buf.push_str("\">");
                    self.flush();
                    self.place_anchors(i);
                } else {
                    self.html("<p class=\"heading\"><strong>");
                }
            }
            Tag::BlockQuote(_) => {
                self.html("<blockquote>\n");
                self.place_anchors(i);
            }
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Tag::HtmlBlock => {}
            Tag::List(Some(start)) => {
                if *start == 1 {
                    self.html("<ol>\n");
                } else {
                    self.html(&format!("<ol start=\"{start}\">\n"));
                }
            }
            Tag::List(None) => self.html("<ul>\n"),
            Tag::Item => {
                // A nested list's first item follows its parent's text: keep the words apart.
                self.section_text().push(' ');
                self.html(if self.a.sym_items.contains(&i) { "<li class=\"sym\">" } else { "<li>" });
                self.place_anchors(i);
            }
            Tag::FootnoteDefinition(label) => {
                self.flush();
                let k = self.fn_def_order.len();
                if self.fn_defs.insert(label.to_string(), k).is_some() {
                    self.error_at(
                        range.start,
                        format!("footnote [^{label}] is defined twice"),
                        Some("give each footnote its own label".into()),
                    );
                }
                self.fn_def_order.push(label.to_string());
                self.frags.push(Fragment::default());
                self.cur = 2 + k;
                self.footnote_scope += 1;
                self.heading = None;
                if !self.sections.last().is_some_and(|s| s.footnotes) {
                    self.sections.push(SectionText { heading: None, footnotes: true, text: String::new() });
                }
                self.place_anchors(i);
            }
            Tag::Table(aligns) => {
                self.aligns = aligns.clone();
                self.buf.push_str("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"");
                push_escaped(&mut self.buf, self.ctx.table_label);
                self.buf.push_str("\"><table>\n");
                self.flush();
            }
            Tag::TableHead => {
                self.in_thead = true;
                self.col = 0;
                self.html("<thead><tr>");
            }
            Tag::TableRow => {
                self.col = 0;
                self.html("<tr>");
            }
            Tag::TableCell => {
                let class = match self.aligns.get(self.col) {
                    Some(Alignment::Right) => " class=\"num\"",
                    Some(Alignment::Center) => " class=\"center\"",
                    _ => "",
                };
                let open = if self.in_thead { format!("<th scope=\"col\"{class}>") } else { format!("<td{class}>") };
                self.html(&open);
                self.place_anchors(i);
            }
            Tag::Emphasis => self.html("<em>"),
            Tag::Strong => self.html("<strong>"),
            Tag::Strikethrough => self.html("<del>"),
            Tag::Superscript => self.html("<sup>"),
            Tag::Subscript => self.html("<sub>"),
            Tag::Link { dest_url, title, .. } => self.link_start(i, dest_url, title, range),
            Tag::Image { dest_url, title, .. } => self.image_start(i, dest_url, title, range),
            Tag::MetadataBlock(_) | Tag::DefinitionList | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => {}
        }
    }

    fn end(&mut self, tag: &TagEnd) {
        if is_block_end(tag) {
            self.blocks.pop();
        }
        match tag {
            TagEnd::Paragraph => {
                self.section_text().push(' ');
                if self.para_bare.pop().unwrap_or(false) {
                    return;
                }
                self.html("</p>\n");
            }
            TagEnd::Heading(level) => {
                self.in_heading -= 1;
                if self.cur == 1 {
                    self.cur = 0;
                    return;
                }
                if self.input.mode == Mode::Document {
                    self.html(&format!("</h{}>\n", heading_level(*level)));
                } else {
                    self.html("</strong></p>\n");
                }
            }
            TagEnd::BlockQuote(_) => self.html("</blockquote>\n"),
            TagEnd::CodeBlock => {
                let (lang, code) = self.code.take().expect("code block open");
                self.out.has_code = true;
                self.section_text().push_str(&code);
                self.frags[self.cur].push(Seg::Code { lang, code });
            }
            TagEnd::HtmlBlock => {}
            TagEnd::List(ordered) => self.html(if *ordered { "</ol>\n" } else { "</ul>\n" }),
            TagEnd::Item => {
                self.html("</li>\n");
                self.section_text().push(' ');
            }
            TagEnd::FootnoteDefinition => {
                self.flush();
                self.cur = 0;
            }
            TagEnd::Table => self.html("</tbody></table></div>\n"),
            TagEnd::TableHead => {
                self.in_thead = false;
                self.html("</tr></thead>\n<tbody>\n");
            }
            TagEnd::TableRow => self.html("</tr>\n"),
            TagEnd::TableCell => {
                self.html(if self.in_thead { "</th>" } else { "</td>" });
                self.col += 1;
                self.section_text().push(' ');
            }
            TagEnd::Emphasis => self.html("</em>"),
            TagEnd::Strong => self.html("</strong>"),
            TagEnd::Strikethrough => self.html("</del>"),
            TagEnd::Superscript => self.html("</sup>"),
            TagEnd::Subscript => self.html("</sub>"),
            TagEnd::Link => {
                self.in_link -= 1;
                if let Some(OpenLink::Anchor) = self.links.pop() {
                    self.html("</a>");
                }
            }
            TagEnd::Image => self.image_end(),
            TagEnd::MetadataBlock(_) | TagEnd::DefinitionList | TagEnd::DefinitionListTitle | TagEnd::DefinitionListDefinition => {}
        }
    }

    fn raw_html(&mut self, h: &str, block: bool) {
        match self.ctx.raw_html {
            RawHtml::Allow => self.html(h),
            RawHtml::Escape => self.text_escaped(h),
            RawHtml::Sanitize => {
                if block {
                    let clean = ammonia::clean(h);
                    self.html(&clean);
                } else if is_safe_inline_tag(h) {
                    let lower = h.to_ascii_lowercase().replace(' ', "");
                    self.html(&lower);
                } else {
                    self.text_escaped(h);
                }
            }
        }
    }

    fn text(&mut self, t: &str) {
        self.section_text().push_str(t);
        let linkable = self.input.mentions && self.in_heading == 0 && self.in_link == 0 && self.cur != 1;
        if !linkable {
            self.text_escaped(t);
            return;
        }
        let scope = self.mention_scope();
        // Glossary terms: record the first use per section (not linked).
        for f in self.ctx.terms.find_all(t) {
            if self.term_seen.insert((scope, f.owner)) {
                let ex = self.excerpt_for(&t[f.start..f.end]);
                let place = self.input.place;
                self.out.term_uses.push(TermUse { term: f.owner, place, heading: self.heading_for_refs(), excerpt: ex });
            }
        }
        let mut last = 0;
        for f in self.ctx.companies.find_all(t) {
            if Some(f.owner) == self.input.self_company
                || self.a.explicit.contains(&(scope, f.owner))
                || !self.linked.insert((scope, f.owner))
            {
                continue;
            }
            push_escaped(&mut self.buf, &t[last..f.start]);
            let company = &self.ctx.model.companies[f.owner];
            let url = self.ctx.urls.company(&company.id);
            let anchor = self.next_anchor();
            self.buf.push_str("<a class=\"mention\" href=\"");
            push_escaped(&mut self.buf, &url);
            self.buf.push('"');
            if let Some(id) = &anchor {
                self.buf.push_str(" id=\"");
                push_escaped(&mut self.buf, id);
                self.buf.push('"');
            }
            self.buf.push('>');
            push_escaped(&mut self.buf, &t[f.start..f.end]);
            self.buf.push_str("</a>");
            let ex = self.excerpt_for(&t[f.start..f.end]);
            self.out.refs.push(RefSite {
                target: Target::Company(f.owner),
                place: self.input.place,
                heading: self.heading_for_refs(),
                anchor,
                excerpt: ex,
                explicit: false,
                embed: false,
            });
            last = f.end;
        }
        push_escaped(&mut self.buf, &t[last..]);
        self.flush();
    }

    fn heading_for_refs(&self) -> Option<usize> {
        if self.in_footnote() { None } else { self.heading }
    }

    fn link_start(&mut self, i: usize, dest: &str, title: &str, range: Range<usize>) {
        self.in_link += 1;
        let empty = matches!(self.events.get(i + 1), Some((Event::End(TagEnd::Link), _)));
        match links::classify(dest, &self.ctx.model.ids) {
            Ok(Dest::Item(target, anchor)) => {
                let url = self.item_url(target, anchor.as_deref());
                if let (Target::Chapter(c), Some(a)) = (target, &anchor) {
                    let mut loc = self.loc(range.start);
                    loc.chapter = c;
                    loc.anchor = a.clone();
                    self.out.anchor_refs.push(loc);
                }
                let id = self.next_anchor();
                self.buf.push_str("<a class=\"ref ref-");
                self.buf.push_str(target.kind());
                self.buf.push_str("\" href=\"");
                push_escaped(&mut self.buf, &url);
                self.buf.push('"');
                if let Some(id) = &id {
                    self.buf.push_str(" id=\"");
                    push_escaped(&mut self.buf, id);
                    self.buf.push('"');
                }
                if !title.is_empty() {
                    self.buf.push_str(" title=\"");
                    push_escaped(&mut self.buf, title);
                    self.buf.push('"');
                }
                self.buf.push('>');
                self.flush();
                let label_text = self.label_text(target);
                if empty {
                    match target {
                        Target::Table(_) | Target::Figure(_) => self.frags[self.cur].push(Seg::Label(target)),
                        _ => self.text_escaped(&label_text),
                    }
                    self.section_text().push_str(&label_text);
                }
                let needle = if empty { String::new() } else { self.link_text(i) };
                let ex = if needle.is_empty() { self.excerpt_for("") } else { self.excerpt_for(&needle) };
                self.out.refs.push(RefSite {
                    target,
                    place: self.input.place,
                    heading: self.heading_for_refs(),
                    anchor: id,
                    excerpt: ex,
                    explicit: true,
                    embed: false,
                });
                self.links.push(OpenLink::Anchor);
            }
            Ok(Dest::Asset(rel)) => {
                if !self.ctx.model.assets.iter().any(|a| a.rel == rel) {
                    self.error_at(range.start, format!("asset {rel:?} not found in content/assets/"), None);
                }
                let url = self.ctx.urls.asset(&rel);
                self.open_plain_link(&url, title);
            }
            Ok(Dest::Url(url)) => self.open_plain_link(&url, title),
            Err(refused) => {
                self.error_at(range.start, refused.message, refused.help);
                self.links.push(OpenLink::Plain);
            }
        }
    }

    fn open_plain_link(&mut self, url: &str, title: &str) {
        self.buf.push_str("<a href=\"");
        push_escaped(&mut self.buf, url);
        self.buf.push('"');
        if !title.is_empty() {
            self.buf.push_str(" title=\"");
            push_escaped(&mut self.buf, title);
            self.buf.push('"');
        }
        self.buf.push('>');
        self.flush();
        self.links.push(OpenLink::Anchor);
    }

    /// Plain text of the link starting at event `i`.
    fn link_text(&self, i: usize) -> String {
        let mut s = String::new();
        for (e, _) in &self.events[i + 1..] {
            match e {
                Event::End(TagEnd::Link) => break,
                Event::Text(t) | Event::Code(t) => s.push_str(t),
                _ => {}
            }
        }
        normalize_ws(&s)
    }

    fn item_url(&self, target: Target, anchor: Option<&str>) -> String {
        let m = self.ctx.model;
        let u = self.ctx.urls;
        match target {
            Target::Chapter(c) => {
                let base = u.chapter(m.chapters[c].slug());
                match anchor {
                    Some(a) => format!("{base}#{a}"),
                    None => base,
                }
            }
            Target::Table(t) => u.table(&m.tables[t].id),
            Target::Figure(f) => u.figure(&m.figures[f].id),
            Target::Company(c) => u.company(&m.companies[c].id),
            Target::Source(s) => u.source(&m.sources[s].id),
            Target::Term(t) => u.term(&m.terms[t].id),
        }
    }

    /// Text shown for an empty reference, where it is known without numbering.
    fn label_text(&self, target: Target) -> String {
        let m = self.ctx.model;
        match target {
            Target::Chapter(c) => {
                let ch = &m.chapters[c];
                format!("{}. {}", m.chapter_number(ch), ch.plain_title())
            }
            Target::Company(c) => m.companies[c].name.clone(),
            Target::Source(s) => m.sources[s].name.clone(),
            Target::Term(t) => m.terms[t].term.clone(),
            Target::Table(_) | Target::Figure(_) => String::new(),
        }
    }

    fn image_start(&mut self, i: usize, dest: &str, title: &str, range: Range<usize>) {
        if is_embed_dest(dest) {
            let para_start = i.checked_sub(1).filter(|p| self.a.embed_paras.contains(p));
            match links::classify(dest, &self.ctx.model.ids) {
                Ok(Dest::Item(target, None)) if para_start.is_some() => {
                    if self.input.mode != Mode::Document {
                        self.error_at(range.start, "tables and figures can only be placed in chapters".into(), None);
                    } else {
                        let mut loc = self.loc(range.start);
                        loc.anchor = String::new();
                        self.out.embeds.push((target, loc));
                        self.frags[self.cur].push(Seg::Embed(target));
                        self.out.refs.push(RefSite {
                            target,
                            place: self.input.place,
                            heading: self.heading_for_refs(),
                            anchor: None,
                            excerpt: String::new(),
                            explicit: true,
                            embed: true,
                        });
                    }
                }
                Ok(Dest::Item(..)) => {
                    self.error_at(
                        range.start,
                        format!("`![](…)` placement of {dest} must stand alone on its own line"),
                        Some("put the placement in a paragraph of its own, with blank lines around it".into()),
                    );
                }
                Ok(_) => {}
                Err(refused) => self.error_at(range.start, refused.message, refused.help),
            }
            self.image = Some(Image::Skip);
            return;
        }
        let src = match links::classify(dest, &self.ctx.model.ids) {
            Ok(Dest::Asset(rel)) => {
                if !self.ctx.model.assets.iter().any(|a| a.rel == rel) {
                    self.error_at(range.start, format!("image {rel:?} not found in content/assets/"), None);
                }
                self.ctx.urls.asset(&rel)
            }
            Ok(Dest::Url(u)) => u,
            Ok(Dest::Item(..)) => {
                self.error_at(
                    range.start,
                    format!("only tables and figures can be placed with `![](…)`, not {dest}"),
                    Some("use a link `[text](…)` instead".into()),
                );
                String::new()
            }
            Err(refused) => {
                self.error_at(range.start, refused.message, refused.help);
                String::new()
            }
        };
        let _ = title;
        self.image = Some(if src.is_empty() { Image::Skip } else { Image::Img { src, alt: String::new() } });
    }

    fn image_end(&mut self) {
        let Some(Image::Img { src, alt }) = self.image.take() else { return };
        self.buf.push_str("<img src=\"");
        push_escaped(&mut self.buf, &src);
        self.buf.push_str("\" alt=\"");
        push_escaped(&mut self.buf, &alt);
        self.buf.push_str("\" loading=\"lazy\">");
        self.flush();
    }

    fn finish(mut self) -> Output {
        self.flush();
        // Footnotes: every reference needs a definition, every definition a reference.
        let mut footnotes = vec![Fragment::default(); self.fn_numbers.len()];
        for (label, offset) in std::mem::take(&mut self.fn_ref_locs) {
            let n = self.fn_numbers[&label] as usize;
            match self.fn_defs.get(&label) {
                Some(&k) => footnotes[n - 1] = std::mem::take(&mut self.frags[2 + k]),
                None => {
                    self.error_at(offset, format!("footnote [^{label}] has no definition"), Some(format!("add a line `[^{label}]: …`")))
                }
            }
        }
        for label in std::mem::take(&mut self.fn_def_order) {
            if !self.fn_numbers.contains_key(&label) {
                let needle = format!("[^{label}]:");
                let off = self.input.text.find(&needle).unwrap_or(0) + self.shift;
                self.error_at(
                    off,
                    format!("footnote [^{label}] is defined but never referenced"),
                    Some(format!("refer to it with [^{label}] in the text, or remove it")),
                );
            }
        }
        // Quotes that were not found.
        let mut frags = std::mem::take(&mut self.frags).into_iter();
        self.out.body = frags.next().unwrap_or_default();
        self.out.title = frags.next().unwrap_or_default();
        self.out.footnotes = footnotes;
        self.out.headings = std::mem::take(&mut self.a.headings);
        self.out.found_quotes = std::mem::take(&mut self.a.found_quotes);
        self.out.description = std::mem::take(&mut self.a.description);
        if let Some(t) = self.a.title_at {
            self.out.title_text = self.a.block_text.get(&t).cloned().unwrap_or_default();
        }
        for s in &mut self.sections {
            s.text = normalize_ws(&s.text);
        }
        self.sections.retain(|s| !s.text.is_empty() || s.heading.is_some());
        self.out.sections = std::mem::take(&mut self.sections);
        self.out
    }
}
