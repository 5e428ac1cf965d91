//! The second pass over a text's events: emits the [`Fragment`]s with references resolved,
//! company mentions linked and everything recorded for backlinks, indexes and search.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use super::analyze::{
    Analysis, analyze, heading_level, is_block, is_block_end, is_embed_dest, normalize_ws, unclosed_fence, undefined_footnote,
};
use super::doc::{AnchorRef, Ctx, Input, Mode, Output, Place, RefSite, TermUse};
use super::escape::{is_safe_inline_tag, push_attr, push_escaped};
use super::ir::{Fragment, Seg, Target};
use super::links::{self, Dest};
use super::mentions::{excerpt, spaced};
use crate::config::RawHtml;
use crate::error::Diagnostic;

/// Closing tags of headings by level, 1 to 6.
const CLOSE_HEADING: [&str; 6] = ["</h1>\n", "</h2>\n", "</h3>\n", "</h4>\n", "</h5>\n", "</h6>\n"];

pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Parses and emits one text.
pub fn run(ctx: &Ctx, input: &Input) -> Output {
    let prepared;
    let (text, shift) = if input.mode == Mode::Inline {
        prepared = protect_inline(input.text);
        (prepared.0.as_str(), prepared.1)
    } else {
        (input.text, 0)
    };
    let (events, pieces) = collect_events(text);
    let analysis = analyze(ctx, input, &events);
    let mut e = Emitter::new(ctx, input, text, (&events, pieces), analysis, shift);
    e.emit_all();
    e.finish()
}

/// Escapes a leading block marker so a one-line field stays inline text: the text without its
/// leading whitespace (four spaces would start a code block), line breaks as spaces, and `\\`
/// before a block marker (for a number that would start an ordered list, `2025. …` or `1) …`,
/// before its `.` or `)`: a backslash escapes punctuation only). Also how far a byte of the
/// result is from where it was in `text` (after the escape; a digit before it is one byte off).
fn protect_inline(text: &str) -> (String, isize) {
    let t = text.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let escape_at = if t.starts_with(['*', '-', '+', '#', '>', '|', '=', '`', '~']) {
        Some(0)
    } else if digits > 0 && t[digits..].starts_with(['.', ')']) {
        Some(digits)
    } else {
        None
    };
    let mut single = t.replace('\n', " ");
    if let Some(at) = escape_at {
        single.insert(at, '\\');
    }
    (single, isize::from(escape_at.is_some()) - (text.len() - t.len()) as isize)
}

/// Where a piece of a merged text came from: (event index, byte in the merged text, byte in
/// the parsed text). Sorted; only merged texts have pieces.
type Piece = (usize, usize, usize);

/// Parser events with adjacent text merged, a line break within a paragraph (a soft break)
/// taken into the text before it as the `\n` it is written as: mentions, quotes and names
/// may span escapes and the lines of a wrapped paragraph. Also where each merged piece starts.
fn collect_events(text: &str) -> (Vec<(Event<'_>, Range<usize>)>, Vec<Piece>) {
    let mut events: Vec<(Event, Range<usize>)> = Vec::with_capacity(text.len() / 24);
    let mut pieces: Vec<Piece> = Vec::new();
    // The last event's text while pieces are added to it (set in place when it is complete).
    let mut merged: Option<String> = None;
    for (ev, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let piece = match &ev {
            Event::Text(t) => t.as_ref(),
            Event::SoftBreak => "\n",
            _ => {
                set_merged(&mut events, merged.take());
                events.push((ev, range));
                continue;
            }
        };
        let at = events.len().wrapping_sub(1);
        if let Some((Event::Text(prev), prev_range)) = events.last_mut() {
            let s = merged.get_or_insert_with(|| {
                pieces.push((at, 0, prev_range.start));
                prev.to_string()
            });
            pieces.push((at, s.len(), range.start));
            s.push_str(piece);
            prev_range.end = range.end;
            continue;
        }
        // Text or a soft break after anything but text: nothing is being merged (`merged` is
        // only ever set while the last event is text).
        events.push((ev, range));
    }
    set_merged(&mut events, merged);
    (events, pieces)
}

/// Puts the merged text of the last event in place.
fn set_merged(events: &mut [(Event<'_>, Range<usize>)], merged: Option<String>) {
    if let Some(s) = merged
        && let Some((Event::Text(prev), _)) = events.last_mut()
    {
        *prev = CowStr::from(s);
    }
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
    /// The text the events were parsed from (the input, or its inline form).
    source: &'e str,
    events: &'c [(Event<'e>, Range<usize>)],
    /// Where the pieces of merged texts start (see [`collect_events`]).
    pieces: Vec<Piece>,
    a: Analysis,
    /// Where a byte of the parsed text is, less where it is in the input (see `protect_inline`).
    shift: isize,
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
    buf: String,
}

impl<'c, 'e> Emitter<'c, 'e> {
    fn new(
        ctx: &'c Ctx<'c>,
        input: &'c Input<'c>,
        source: &'e str,
        (events, pieces): (&'c [(Event<'e>, Range<usize>)], Vec<Piece>),
        a: Analysis,
        shift: isize,
    ) -> Self {
        Emitter {
            ctx,
            input,
            source,
            events,
            pieces,
            a,
            shift,
            out: Output::default(),
            cur: 0,
            frags: vec![Fragment::default(), Fragment::default()],
            fn_numbers: HashMap::default(),
            fn_defs: HashMap::default(),
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
            linked: HashSet::default(),
            term_seen: HashSet::default(),
            blocks: Vec::new(),
            ref_counter: 0,
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
        let (line, col) = (self.input.locate)(offset.saturating_add_signed(-self.shift));
        let mut d = Diagnostic::error(message).in_file(self.input.file).at(line, col);
        d.help = help;
        self.out.diagnostics.push(d);
    }

    /// Reports a link destination [`links::classify`] refused (unless the refusal follows from
    /// a file that failed to load, whose own error is reported).
    fn refused_at(&mut self, offset: usize, refused: links::Refused) {
        if !refused.follows_from_load {
            self.error_at(offset, refused.message, refused.help);
        }
    }

    fn loc(&self, offset: usize) -> AnchorRef {
        let (line, col) = (self.input.locate)(offset.saturating_add_signed(-self.shift));
        AnchorRef { chapter: 0, anchor: String::new(), file: self.input.file.to_string(), line, col }
    }

    fn in_footnote(&self) -> bool {
        self.cur >= 2
    }

    fn mention_scope(&self) -> usize {
        if self.in_footnote() { usize::MAX - self.footnote_scope } else { self.scope }
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
        self.blocks.iter().rev().find_map(|&b| self.a.own_text(b)).unwrap_or("")
    }

    /// The sentence around `needle`'s first occurrence in the current block (the block's start
    /// when it is not there).
    fn excerpt_for(&self, needle: &str) -> String {
        let block = self.current_block_text();
        // The block's text has its line breaks as spaces.
        let needle = spaced(needle);
        match memchr::memmem::find(block.as_bytes(), needle.as_bytes()) {
            Some(i) => excerpt(block, i, i + needle.len()),
            None => excerpt(block, 0, 0),
        }
    }

    /// The sentence around the reference without text that starts at event `i` (its label
    /// stands for it in the block's text).
    fn excerpt_at_empty_ref(&self, i: usize) -> String {
        let block = self.current_block_text();
        let span = self.blocks.last().and_then(|b| self.a.empty_refs.get(b)).and_then(|refs| refs.iter().find(|r| r.0 == i));
        match span {
            Some((_, range)) => excerpt(block, range.start, range.end),
            None => excerpt(block, 0, 0),
        }
    }

    /// Reports every code fence that is never closed, first: what follows it was read as code,
    /// so problems found there (footnotes without definitions …) are not reported too.
    fn report_unclosed_fences(&mut self) {
        for (ev, range) in self.events {
            if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) = ev
                && let Some(fence) = unclosed_fence(self.source, range.clone())
            {
                self.out.unclosed_fence = true;
                self.error_at(
                    range.start,
                    "code fence opened here is never closed".into(),
                    Some(format!("close it with {fence} on a line of its own after the code")),
                );
            }
        }
    }

    fn emit_all(&mut self) {
        self.report_unclosed_fences();
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
            Event::Text(t) => self.text(i, t, range.start),
            Event::Code(t) => {
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
            }
            Event::HardBreak => {
                self.html("<br>\n");
            }
            Event::Rule => self.html("<hr>\n"),
            Event::TaskListMarker(done) => {
                self.html(if *done { "<input type=\"checkbox\" disabled checked> " } else { "<input type=\"checkbox\" disabled> " })
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text_escaped(t),
        }
    }

    /// Reports the heading starting at event `i` (source `range`) when an earlier heading
    /// already has the explicit id it is given: it would be renamed, and links meant for it
    /// would land on the other one. Located at its `{#id}`.
    fn report_id_clash(&mut self, i: usize, range: Range<usize>) {
        let Some(clash) = self.a.id_clashes.get(&i) else { return };
        let written = format!("{{#{}", clash.id);
        let at = self.source[range.clone()].find(&written).map_or(range.start, |p| range.start + p);
        let Some((first, first_explicit)) = clash.earlier else {
            let message = format!("heading id `{}` is one the page's layout uses", clash.id);
            self.error_at(at, message, Some(format!("give this heading another id than {written}}}")));
            return;
        };
        let first_at = self.events[first].1.start.saturating_add_signed(-self.shift);
        let first_line = (self.input.locate)(first_at).0;
        let (message, help) = if first_explicit {
            (
                format!("heading id `{}` is written twice", clash.id),
                format!("the heading on line {first_line} already has {written}}}: give this heading another id"),
            )
        } else {
            (
                format!("heading id `{}` is already the id of an earlier heading", clash.id),
                format!(
                    "the heading on line {first_line} takes `{}` from its text: give this heading another id, or that one its own {{#…}}",
                    clash.id
                ),
            )
        };
        self.error_at(at, message, Some(help));
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
                    self.report_id_clash(i, range);
                    self.heading = Some(h);
                    self.scope += 1;
                    let _ = write!(self.buf, "<h{lvl} id=\"");
                    push_escaped(&mut self.buf, &self.a.headings[h].id);
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
                self.html(if self.a.sym_items.contains(&i) { "<li class=\"sym\">" } else { "<li>" });
                self.place_anchors(i);
            }
            Tag::FootnoteDefinition(label) => {
                self.flush();
                if self.input.mode != Mode::Document {
                    self.error_at(
                        range.start,
                        "footnotes are only allowed in chapters".into(),
                        Some("write the note into the text itself; a table's notes go under its `notes`".into()),
                    );
                }
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
                self.html(if self.in_thead { "<th scope=\"col\"" } else { "<td" });
                self.html(class);
                self.html(">");
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
                    self.html(CLOSE_HEADING[heading_level(*level) as usize - 1]);
                } else {
                    self.html("</strong></p>\n");
                }
            }
            TagEnd::BlockQuote(_) => self.html("</blockquote>\n"),
            TagEnd::CodeBlock => {
                let (lang, code) = self.code.take().expect("code block open");
                self.out.has_code = true;
                self.frags[self.cur].push(Seg::Code { lang, code });
            }
            TagEnd::HtmlBlock => {}
            TagEnd::List(ordered) => self.html(if *ordered { "</ol>\n" } else { "</ul>\n" }),
            TagEnd::Item => {
                self.html("</li>\n");
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

    /// The pieces of the text of event `i`: none unless it was merged.
    fn pieces_of(&self, i: usize) -> &[Piece] {
        let own = &self.pieces[self.pieces.partition_point(|p| p.0 < i)..];
        &own[..own.partition_point(|p| p.0 == i)]
    }

    /// Where byte `at` of the text of event `i`, which starts at `offset`, is in the parsed text.
    fn text_offset(&self, i: usize, offset: usize, at: usize) -> usize {
        let own = self.pieces_of(i);
        match own[..own.partition_point(|p| p.1 <= at)].last() {
            Some(&(_, merged, source)) => source + (at - merged),
            None => offset + at,
        }
    }

    fn text(&mut self, i: usize, t: &str, offset: usize) {
        if let Some((at, label)) = undefined_footnote(t).filter(|_| !self.out.unclosed_fence) {
            self.error_at(
                self.text_offset(i, offset, at),
                format!("footnote [^{label}] has no definition"),
                Some(format!("add a line `[^{label}]: …` at the end of the file")),
            );
        }
        for (at, target, help) in super::links::unread_links(t) {
            self.error_at(
                self.text_offset(i, offset, at),
                format!("a link to `{target}` is written so that Markdown shows it as text"),
                Some(help),
            );
        }
        if !self.input.mentions || self.in_link > 0 {
            self.text_escaped(t);
            return;
        }
        let scope = self.mention_scope();
        // Only a text merged over a soft break can hold a line break.
        let searched = if self.pieces_of(i).is_empty() { t.into() } else { spaced(t) };
        // Glossary terms: the first use per section is recorded (not linked), headings included.
        for f in self.ctx.terms.find_all(&searched) {
            if self.term_seen.insert((scope, f.owner)) {
                let ex = self.excerpt_for(&t[f.start..f.end]);
                let place = self.input.place;
                self.out.term_uses.push(TermUse { term: f.owner, place, heading: self.heading_for_refs(), excerpt: ex });
            }
        }
        // Company mentions are linked in running text only: not in headings or the title.
        if self.in_heading > 0 || self.cur == 1 {
            self.text_escaped(t);
            return;
        }
        let mut last = 0;
        for f in self.ctx.companies.find_all(&searched) {
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
            push_attr(&mut self.buf, "id", anchor.as_deref().unwrap_or(""));
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
        let classified = links::classify(dest, &self.ctx.model.ids);
        // A reference fills an empty text with its label; any other link would be invisible.
        if empty && matches!(classified, Ok(Dest::Url(_) | Dest::Asset(_) | Dest::Page(_))) {
            self.error_at(
                range.start,
                format!("link to {dest:?} has no text"),
                Some("write the text to show between the brackets: `[text](…)`".into()),
            );
        }
        match classified {
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
                push_attr(&mut self.buf, "id", id.as_deref().unwrap_or(""));
                push_attr(&mut self.buf, "title", title);
                self.buf.push('>');
                self.flush();
                if empty {
                    match target {
                        Target::Table(_) | Target::Figure(_) => self.frags[self.cur].push(Seg::Label(target)),
                        _ => self.text_escaped(&super::analyze::label_text(self.ctx.model, target)),
                    }
                }
                let ex = if empty { self.excerpt_at_empty_ref(i) } else { self.excerpt_for(&self.link_text(i)) };
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
                    let help = crate::content::missing_asset_help(&rel, "assets/", self.ctx.model.assets.iter().map(|a| a.rel.as_str()));
                    self.error_at(range.start, format!("asset {rel:?} not found in content/assets/"), Some(help));
                }
                let url = self.ctx.urls.asset(&rel);
                self.open_plain_link(&url, title);
            }
            Ok(Dest::Page(name)) => {
                if !self.ctx.pages.contains(&name) {
                    let why = match name {
                        "search" => "search is off (`search = false` in site.toml)",
                        _ => "the report has too many chapters for a single print page",
                    };
                    self.error_at(
                        range.start,
                        format!("`{dest}`: this site has no {name} page"),
                        Some(format!("{why}; link to another page")),
                    );
                }
                let url = self.ctx.urls.index_page(name);
                self.open_plain_link(&url, title);
            }
            Ok(Dest::Url(url)) => {
                // A same-page `#id`, looked for in the rendered page.
                if let Some(id) = url.strip_prefix('#').filter(|id| !id.is_empty()) {
                    let mut loc = self.loc(range.start);
                    loc.anchor = id.to_string();
                    self.out.local_anchors.push(loc);
                    // A chapter is shown on the print page too, where its heading ids have the
                    // chapter's slug in front: the link leads to the chapter's own page.
                    if let Place::Chapter(c) = self.input.place {
                        let url = self.item_url(Target::Chapter(c), Some(id));
                        return self.open_plain_link(&url, title);
                    }
                }
                self.open_plain_link(&url, title)
            }
            Err(refused) => {
                self.refused_at(range.start, refused);
                self.links.push(OpenLink::Plain);
            }
        }
    }

    fn open_plain_link(&mut self, url: &str, title: &str) {
        self.buf.push_str("<a href=\"");
        push_escaped(&mut self.buf, url);
        self.buf.push('"');
        push_attr(&mut self.buf, "title", title);
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

    fn image_start(&mut self, i: usize, dest: &str, title: &str, range: Range<usize>) {
        if is_embed_dest(dest) {
            let para_start = i.checked_sub(1).filter(|p| self.a.embed_paras.contains(p));
            match links::classify(dest, &self.ctx.model.ids) {
                Ok(Dest::Item(target, None)) if para_start.is_some() => {
                    if self.input.mode != Mode::Document {
                        self.error_at(
                            range.start,
                            "tables and figures can only be placed in chapters".into(),
                            Some(format!("refer to it with a link instead: `[]({dest})`")),
                        );
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
                Err(refused) => self.refused_at(range.start, refused),
            }
            self.image = Some(Image::Skip);
            return;
        }
        let src = match links::classify(dest, &self.ctx.model.ids) {
            Ok(Dest::Asset(rel)) => {
                if !self.ctx.model.assets.iter().any(|a| a.rel == rel) {
                    let help = crate::content::missing_asset_help(&rel, "assets/", self.ctx.model.assets.iter().map(|a| a.rel.as_str()));
                    self.error_at(range.start, format!("image {rel:?} not found in content/assets/"), Some(help));
                }
                self.ctx.urls.asset(&rel)
            }
            Ok(Dest::Url(u)) => {
                // Another host's image (or a fragment): the site loads nothing from elsewhere,
                // so it works offline, in print and under `default-src 'self'`.
                let (save, write) = match links::file_name(&u) {
                    Some(name) => (format!("as content/assets/{name}"), format!("`![…](assets/{name})`")),
                    None => ("under content/assets/".to_string(), "`![…](assets/<file>)`".to_string()),
                };
                self.error_at(
                    range.start,
                    format!("image {u:?} is not a file of the site"),
                    Some(format!("save it {save} and write {write}: pages load nothing from other hosts")),
                );
                String::new()
            }
            Ok(Dest::Item(..) | Dest::Page(_)) => {
                self.error_at(
                    range.start,
                    format!("only tables and figures can be placed with `![](…)`, not {dest}"),
                    Some("use a link `[text](…)` instead".into()),
                );
                String::new()
            }
            Err(refused) => {
                self.refused_at(range.start, refused);
                String::new()
            }
        };
        let _ = title;
        if !src.is_empty() && matches!(self.events.get(i + 1), Some((Event::End(TagEnd::Image), _))) {
            self.error_at(
                range.start,
                format!("image {dest:?} has no alt text"),
                Some("describe it between the brackets for readers who cannot see it: `![description](…)`".into()),
            );
        }
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
        // Footnotes: every reference needs a definition, every definition a reference (unless a
        // fence left open took some of them into code).
        let complete = !self.out.unclosed_fence;
        let mut footnotes = vec![Fragment::default(); self.fn_numbers.len()];
        for (label, offset) in std::mem::take(&mut self.fn_ref_locs) {
            let n = self.fn_numbers[&label] as usize;
            match self.fn_defs.get(&label) {
                Some(&k) => footnotes[n - 1] = std::mem::take(&mut self.frags[2 + k]),
                None if !complete => {}
                None => {
                    self.error_at(offset, format!("footnote [^{label}] has no definition"), Some(format!("add a line `[^{label}]: …`")))
                }
            }
        }
        for label in std::mem::take(&mut self.fn_def_order) {
            if complete && !self.fn_numbers.contains_key(&label) {
                let needle = format!("[^{label}]:");
                let off = self.input.text.find(&needle).unwrap_or(0).saturating_add_signed(self.shift);
                self.error_at(
                    off,
                    format!("footnote [^{label}] is defined but never referenced"),
                    Some(format!("refer to it with [^{label}] in the text, or remove it")),
                );
            }
        }
        let mut frags = std::mem::take(&mut self.frags).into_iter();
        self.out.body = frags.next().unwrap_or_default();
        self.out.title = frags.next().unwrap_or_default();
        self.out.footnotes = footnotes;
        self.out.headings = std::mem::take(&mut self.a.headings);
        self.out.found_quotes = std::mem::take(&mut self.a.found_quotes);
        self.out.description = std::mem::take(&mut self.a.description);
        if let Some(t) = self.a.title_at {
            self.out.title_text = self.a.own_text(t).unwrap_or_default().to_string();
        }
        // Every chapter's output is kept until the pages are written: no slack capacity.
        for f in std::iter::once(&mut self.out.body).chain(self.out.footnotes.iter_mut()) {
            f.shrink_to_fit();
        }
        self.out.refs.shrink_to_fit();
        self.out
    }
}
