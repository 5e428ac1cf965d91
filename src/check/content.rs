//! Editor's advice from the resolved report: orphan content (tables and figures never placed,
//! companies never mentioned, sources never cited, terms never used, sectors and asset files
//! nothing uses), duplicate titles, and the Markdown of the chapters, the home page and the
//! YAML text fields: heading structure, raw HTML the `escape` policy shows as text, and what
//! CommonMark shows as text though it was meant as Markdown (a heading without its space, a
//! mismatched table, an undefined reference link, bold beside Korean punctuation). All warnings.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{BrokenLink, CodeBlockKind, Event, LinkType, Parser, Tag, TagEnd};

use super::{Finding, Kind};
use crate::build::Analysis;
use crate::content::files::Origin;
use crate::error::{Diagnostic, Severity};
use crate::markdown::{Mode, Target};

fn warn(kind: Kind, d: Diagnostic) -> Finding {
    Finding::new(kind, Diagnostic { severity: Severity::Warning, ..d })
}

pub fn check(a: &Analysis, used_files: &HashSet<String>) -> Vec<Finding> {
    let mut out = Vec::new();
    orphans(a, used_files, &mut out);
    duplicate_titles(a, &mut out);
    markdown(a, &mut out);
    out
}

fn orphans(a: &Analysis, used_files: &HashSet<String>, out: &mut Vec<Finding>) {
    let m = &a.model;
    let r = &a.resolved;
    let placed = [(&r.numbering.table_chapter, Kind::OrphanTable, "table"), (&r.numbering.figure_chapter, Kind::OrphanFigure, "figure")];
    for (chapters, kind, noun) in placed {
        for (i, chapter) in chapters.iter().enumerate() {
            if chapter.is_some() {
                continue;
            }
            let (id, origin) = match kind {
                Kind::OrphanTable => (&m.tables[i].id, &m.tables[i].origin),
                _ => (&m.figures[i].id, &m.figures[i].origin),
            };
            let target = if kind == Kind::OrphanTable { Target::Table(i) } else { Target::Figure(i) };
            let refs = r.backlinks_of(target).len();
            let also = if refs > 0 { format!(" ({refs} reference(s) link to it)") } else { String::new() };
            out.push(warn(
                kind,
                origin
                    .error_at_key(
                        "id",
                        format!("{noun} `{id}` is never placed in a chapter{also}; it is numbered after every placed {noun}"),
                    )
                    .with_help(format!("place it where the text discusses it, on a line of its own: ![]({noun}:{id})")),
            ));
        }
    }
    for (i, c) in m.companies.iter().enumerate() {
        if r.backlinks_of(Target::Company(i)).is_empty() {
            out.push(warn(
                Kind::OrphanCompany,
                c.origin
                    .error_at_key("id", format!("company `{}` ({}) is never mentioned or linked in the report", c.id, c.name))
                    .with_help("add the spelling the text uses to `aliases`, link it with [name](company:id), or remove the file"),
            ));
        }
    }
    let cited_by_company: HashSet<&str> = m.companies.iter().flat_map(|c| c.sources.iter().map(String::as_str)).collect();
    let registry = |origin: &Option<Origin>, id: &str, kind: Kind, message: String, help: &str| {
        origin.as_ref().map(|o| warn(kind, o.error_at_text(&format!("id: {id}"), message).with_help(help)))
    };
    for (i, s) in m.sources.iter().enumerate() {
        if r.backlinks_of(Target::Source(i)).is_empty() && !cited_by_company.contains(s.id.as_str()) {
            out.extend(registry(
                &m.registry_origins.sources,
                &s.id,
                Kind::OrphanSource,
                format!("source `{}` ({}) is never cited", s.id, s.name),
                "cite it with [text](source:id) where the report relies on it, or remove it",
            ));
        }
    }
    for (i, t) in m.terms.iter().enumerate() {
        if r.term_uses[i].is_empty() && r.backlinks_of(Target::Term(i)).is_empty() {
            let in_heading = a
                .parsed
                .chapters
                .iter()
                .flat_map(|c| c.headings.iter().map(|h| h.text.as_str()).chain([c.title_text.as_str()]))
                .any(|h| t.forms().iter().any(|f| h.contains(f)));
            let (message, help) = if in_heading {
                (
                    format!("glossary term `{}` ({}) appears only in headings, so its entry lists no uses", t.id, t.term),
                    "uses are counted in the text below headings; link it there with [text](term:id) if the text names it",
                )
            } else {
                (
                    format!("glossary term `{}` ({}) is never used in the chapters", t.id, t.term),
                    "add the form the text uses to its `aliases`, or remove the term",
                )
            };
            out.extend(registry(&m.registry_origins.glossary, &t.id, Kind::OrphanTerm, message, help));
        }
    }
    for s in &m.sectors {
        if !m.companies.iter().any(|c| c.sectors.contains(&s.id)) {
            out.extend(registry(
                &m.registry_origins.sectors,
                &s.id,
                Kind::OrphanSector,
                format!("sector `{}` ({}) has no companies", s.id, s.name),
                "list it in a company's `sectors`, or remove it",
            ));
        }
    }
    for asset in &m.assets {
        if !used_files.contains(&format!("assets/{}", asset.rel)) {
            out.push(warn(
                Kind::UnusedAsset,
                Diagnostic::error("asset file is never used by a figure or a link")
                    .in_file(format!("content/assets/{}", asset.rel))
                    .with_help(format!("use it with `image: {}` in a figure, or remove it", asset.rel)),
            ));
        }
    }
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Items of one kind: the noun, the key their title is under, and each title with its file.
type TitleGroup<'a> = (&'static str, &'static str, Vec<(String, &'a Origin)>);

fn duplicate_titles(a: &Analysis, out: &mut Vec<Finding>) {
    let m = &a.model;
    let groups: [TitleGroup; 4] = [
        ("chapter", "title", m.chapters.iter().map(|c| (c.plain_title(), &c.origin)).collect()),
        ("table", "caption", m.tables.iter().map(|t| (t.caption.clone(), &t.origin)).collect()),
        ("figure", "caption", m.figures.iter().map(|f| (f.caption.clone(), &f.origin)).collect()),
        ("company", "name", m.companies.iter().map(|c| (c.name.clone(), &c.origin)).collect()),
    ];
    for (noun, key, items) in groups {
        let mut first: HashMap<String, &str> = HashMap::new();
        for (title, origin) in items {
            let title = normalize(&title);
            match first.get(title.as_str()) {
                Some(prev) => out.push(warn(
                    Kind::DuplicateTitle,
                    origin
                        .error_at_key(key, format!("{noun} {key} {title:?} is the same as in {prev}"))
                        .with_help(format!("readers tell {noun}s apart by their {key}s in lists and search results")),
                )),
                None => {
                    first.insert(title, &origin.file);
                }
            }
        }
    }
}

/// The chapters' and the home page's Markdown, each read once: empty chapters, heading
/// structure, raw HTML shown as text, and Markdown shown as text; then the YAML text fields'.
fn markdown(a: &Analysis, out: &mut Vec<Finding>) {
    let escape = a.settings.config.raw_html == crate::config::RawHtml::Escape;
    let home = &a.model.home;
    if let Some(origin) = &home.origin {
        let place = |off| Some(home.body_start + off);
        read(&Text { origin, body: home.body(), place: &place }, escape, true, out, |_, _, _| {});
    }
    for (c, ch) in a.model.chapters.iter().enumerate() {
        if let Some(d) = crate::resolve::empty_chapter(ch, &a.parsed.chapters[c]) {
            out.push(warn(Kind::EmptyChapter, d));
        }
        let mut previous = 1u8;
        let place = |off| Some(ch.body_start + off);
        read(&Text { origin: &ch.origin, body: ch.body(), place: &place }, escape, true, out, |ev, off, out| {
            let Event::Start(Tag::Heading { level, .. }) = ev else { return };
            if !is_atx(ch.body(), off) {
                return; // A `---` under a line of text: warned about as text read as a heading.
            }
            let (level, at) = (*level as u8, ch.body_start + off);
            if level == 1 {
                out.push(warn(
                    Kind::BodyH1,
                    ch.origin
                        .error_at(at, "a `#` heading inside a chapter: the chapter title is the page's only level-1 heading")
                        .with_help("use `##` for the chapter's sections"),
                ));
            } else if level > previous + 1 {
                let want = "#".repeat(usize::from(previous) + 1);
                out.push(warn(
                    Kind::HeadingSkip,
                    ch.origin
                        .error_at(at, format!("heading level jumps from h{previous} to h{level}"))
                        .with_help(format!("use `{want}` here; skipped levels confuse screen readers and the page outline")),
                ));
            }
            previous = level;
        });
    }
    fields(a, escape, out);
}

/// The YAML text fields (captions, cells, notes, sources, summaries, facts, definitions,
/// editor's notes), read as the chapters are; a one-line field cannot hold a heading or a
/// table, so those are looked for in block fields only.
fn fields(a: &Analysis, escape: bool, out: &mut Vec<Finding>) {
    let mut found = Vec::new();
    crate::markdown::for_each_field(&a.model, |f| {
        let place = f.origin.value_places(f.text);
        read(&Text { origin: f.origin, body: f.text, place: &place }, escape, f.mode != Mode::Inline, &mut found, |_, _, _| {});
    });
    // Fields with the same text (two equal cells) are placed at the first: say it once.
    let mut seen = HashSet::new();
    out.extend(found.into_iter().filter(|f| {
        let d = &f.diagnostic;
        seen.insert((d.file.clone(), d.line, d.col, d.message.clone()))
    }));
}

/// A Markdown text being read: its file, the text, and where a byte of the text is in the
/// file (`None` where the text is not in the file as written).
struct Text<'a> {
    origin: &'a Origin,
    body: &'a str,
    place: &'a dyn Fn(usize) -> Option<usize>,
}

impl Text<'_> {
    /// A warning of `kind` at byte `offset` of the text.
    fn warn(&self, kind: Kind, offset: usize, message: String, help: String) -> Finding {
        let d = match (self.place)(offset) {
            Some(at) => self.origin.error_at(at, message),
            None => self.origin.error(message),
        };
        warn(kind, d.with_help(help))
    }
}

/// Reads one Markdown text: raw HTML shown as text (under the `escape` policy), reference
/// links without a definition, unpaired bold, and, where `blocks` may stand, paragraphs
/// holding a heading or table shown as text and text read as Markdown (a year that starts a
/// list, indented text shown as code, a `---` that makes a heading, a link definition no link
/// uses); `each` is called for every event with its offset in the text.
fn read(text: &Text, escape: bool, blocks: bool, out: &mut Vec<Finding>, mut each: impl FnMut(&Event, usize, &mut Vec<Finding>)) {
    let body = text.body;
    let mut broken = Vec::new();
    let callback = |link: BrokenLink| {
        // `[text][label]` and `[text][]` were meant as links; a lone `[…]` is often just text.
        if matches!(link.link_type, LinkType::Reference | LinkType::Collapsed) && !link.reference.starts_with('^') {
            broken.push((link.span, link.reference.to_string()));
        }
        None
    };
    let mut in_code = false;
    let mut labels_used = HashSet::new();
    let mut events = Parser::new_with_broken_link_callback(body, crate::markdown::emit::options(), Some(callback)).into_offset_iter();
    for (ev, range) in events.by_ref() {
        if let Event::Start(Tag::Link { link_type, id, .. } | Tag::Image { link_type, id, .. }) = &ev
            && matches!(link_type, LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut)
        {
            labels_used.insert(label_key(id));
        }
        if escape {
            out.extend(escaped_html(text, &ev, range.start));
        }
        match ev {
            Event::Start(Tag::Paragraph) if blocks => as_text(text, range.clone(), out),
            Event::Start(Tag::List(Some(start))) if blocks && start >= 100 => out.push(as_list(text, range.start, start)),
            Event::Start(Tag::CodeBlock(ref kind)) => {
                in_code = true;
                if blocks && matches!(kind, CodeBlockKind::Indented) {
                    out.push(as_code(text, range.start));
                }
            }
            Event::Start(Tag::Heading { .. }) if blocks && !is_atx(body, range.start) => out.push(as_heading(text, range.clone())),
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) if !in_code => out.extend(bold_as_text(text, range.clone())),
            _ => {}
        }
        each(&ev, range.start, out);
    }
    // `[1]: 중국 국무원` on a line of its own defines a link target: the line is not shown.
    if blocks {
        let mut unused: Vec<_> =
            events.reference_definitions().iter().filter(|(label, _)| !labels_used.contains(&label_key(label))).collect();
        unused.sort_by_key(|(_, def)| def.span.start);
        for (label, def) in unused {
            let line = body[def.span.clone()].lines().next().unwrap_or("").trim();
            out.push(text.warn(
                Kind::TextAsMarkdown,
                def.span.start,
                format!("`{line}` defines the target of links written `[…][{label}]`, and is not shown; no link uses it"),
                format!("to show the line, write `\\[{label}]: …`; otherwise remove it"),
            ));
        }
    }
    for (span, label) in broken {
        // A collapsed reference's span leaves out its `[]`.
        let end = if body[span.end..].starts_with("[]") { span.end + 2 } else { span.end };
        let written = &body[span.start..end];
        out.push(text.warn(
            Kind::MarkdownAsText,
            span.start,
            format!("`{written}` is shown as text: no line defines the link `[{label}]`"),
            format!("write the target in the link, `[…](company:…)` or another reference, or add a line `[{label}]: …`"),
        ));
    }
}

/// Whether the heading at byte `at` of `body` is written with `#`s (not as a line of text with
/// `---` or `===` under it).
fn is_atx(body: &str, at: usize) -> bool {
    body[at..].trim_start_matches(' ').starts_with('#')
}

/// A link label as CommonMark matches it: case and runs of whitespace do not count.
fn label_key(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A paragraph (`range` of the text) that holds what was meant as a heading or a table: a
/// line `##가. …` (no space after the `#`s), or rows of `|` cells whose second line is not a
/// delimiter row that matches the header (CommonMark then reads them as text).
fn as_text(text: &Text, range: std::ops::Range<usize>, out: &mut Vec<Finding>) {
    let paragraph = &text.body[range.clone()];
    let mut offset = range.start;
    for line in paragraph.split_inclusive('\n') {
        let body = line.trim_start_matches(' ');
        let hashes = body.len() - body.trim_start_matches('#').len();
        let after = body[hashes..].chars().next();
        if line.len() - body.len() <= 3 && (1..=6).contains(&hashes) && after.is_some_and(|c| !c.is_whitespace()) {
            let marks = &body[..hashes];
            let words = body[hashes..].trim_end();
            let mut rest: String = words.chars().take(20).collect();
            if rest.len() < words.len() {
                rest.push('…');
            }
            out.push(text.warn(
                Kind::MarkdownAsText,
                offset,
                format!("`{marks}{rest}` is shown as text: a heading needs a space after its `{marks}`"),
                format!("write `{marks} {rest}`"),
            ));
        }
        offset += line.len();
    }
    let rows: Vec<&str> = paragraph.lines().map(str::trim).collect();
    if rows.len() < 2 || !rows.iter().all(|r| r.starts_with('|')) {
        return;
    }
    let header = cells(rows[0]);
    let delimiter = |r: &str| cells(r).iter().all(|c| c.contains('-') && c.trim_matches(|ch| matches!(ch, '-' | ':' | ' ')).is_empty());
    let (problem, place) = if delimiter(rows[1]) {
        let second_line = range.start + paragraph.find('\n').map_or(0, |i| i + 1);
        let (n, of) = (cells(rows[1]).len(), header.len());
        (format!("its line under the header has {n} {} for the header's {of}", if n == 1 { "cell" } else { "cells" }), second_line)
    } else {
        ("it has no line of `---` cells under its header".to_string(), range.start)
    };
    let want = format!("|{}", "---|".repeat(header.len()));
    out.push(text.warn(
        Kind::MarkdownAsText,
        place,
        format!("a table is shown as text: {problem}"),
        format!("put one `---` cell under each header cell: `{want}`"),
    ));
}

/// A numbered list that starts at `start` (100 or more, at byte `at` of the text): a year or
/// another number at the start of a paragraph (`2016. 12. …`), not a list.
fn as_list(text: &Text, at: usize, start: u64) -> Finding {
    let marker: String = text.body[at..].chars().take_while(|c| c.is_ascii_digit() || matches!(c, '.' | ')')).collect();
    let digits = marker.trim_end_matches(['.', ')']);
    let escaped = format!("{digits}\\{}", &marker[digits.len()..]);
    text.warn(
        Kind::TextAsMarkdown,
        at,
        format!("`{marker}` at the start of a paragraph makes it a numbered list counting from {start}"),
        format!("write `{escaped}` to keep it as text"),
    )
}

/// Text indented by four spaces or more (at byte `at` of the text), which CommonMark shows as
/// a code block: pasted text often keeps its indentation.
fn as_code(text: &Text, at: usize) -> Finding {
    text.warn(
        Kind::TextAsMarkdown,
        at,
        "text indented by four spaces or more is shown as code".to_string(),
        "remove the indentation; code is written between ``` fences".to_string(),
    )
}

/// A line of text with a `---` or `===` line right under it (`range` of the text), which
/// CommonMark makes a heading: a separator line written without a blank line above it.
fn as_heading(text: &Text, range: std::ops::Range<usize>) -> Finding {
    let lines = text.body[range.clone()].trim_end();
    let under = lines.rfind('\n').map_or(0, |i| i + 1);
    let mark = lines[under..].trim();
    text.warn(
        Kind::TextAsMarkdown,
        range.start + under,
        format!("`{mark}` right under a line of text makes that line a heading"),
        format!("for a separator line, leave a blank line above `{mark}`; for a heading, write `## …` on one line"),
    )
}

/// A `**` in text (`range` of the text) that CommonMark left as it is because it stands
/// between punctuation and a letter (`’**를`, `가**‘`): Korean puts particles right after a
/// quoted or bracketed word, where CommonMark's rules neither open nor close bold.
fn bold_as_text(text: &Text, range: std::ops::Range<usize>) -> Option<Finding> {
    let body = text.body;
    // A delimiter run left as text comes one `*` per event: look at the `*` after the event too.
    let end = if body.as_bytes().get(range.end) == Some(&b'*') { range.end + 1 } else { range.end };
    let at = body[range.start..end].match_indices("**").map(|(i, _)| range.start + i).filter(|&i| i < range.end).find(|&i| {
        let before = body[..i].chars().next_back();
        let after = body[i + 2..].chars().next();
        let (Some(b), Some(a)) = (before, after) else { return false };
        b != '\\' && b != '*' && a != '*' && ((is_punctuation(b) && a.is_alphanumeric()) || (b.is_alphanumeric() && is_punctuation(a)))
    })?;
    let before = body[..at].chars().next_back().unwrap_or(' ');
    let after = body[at + 2..].chars().next().unwrap_or(' ');
    let (what, between) = if is_punctuation(before) { ("end", "punctuation and a letter") } else { ("start", "a letter and punctuation") };
    Some(text.warn(
        Kind::MarkdownAsText,
        at,
        format!("`{before}**{after}` is shown as text: CommonMark does not {what} bold between {between}"),
        "keep the punctuation outside the `**`: `‘**인터넷 플러스**’를`, `**중국**(中國)은`".to_string(),
    ))
}

/// Punctuation and symbols as CommonMark's emphasis rules see them (ASCII, Latin-1, general
/// and CJK punctuation, full-width forms): enough to tell `’` and `)` from the letters beside them.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c, '\u{A1}'..='\u{BF}' | '\u{D7}' | '\u{F7}' | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}')
}

/// The cells of a table row written with `|`: the outer pipes dropped, `\|` kept in its cell.
fn cells(row: &str) -> Vec<&str> {
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = if row.ends_with('|') && !row.ends_with("\\|") { &row[..row.len() - 1] } else { row };
    let mut cells = Vec::new();
    let mut start = 0;
    let bytes = row.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'|' && (i == 0 || bytes[i - 1] != b'\\') {
            cells.push(&row[start..i]);
            start = i + 1;
        }
    }
    cells.push(&row[start..]);
    cells
}

/// A raw HTML tag (event `ev` at byte `offset` of the text), which the default `escape`
/// policy shows as text: an editor who wrote `<br>` meant a line break, not the characters.
fn escaped_html(text: &Text, ev: &Event, offset: usize) -> Option<Finding> {
    let (Event::Html(html) | Event::InlineHtml(html)) = ev else { return None };
    // Tags and comments only: a lone `<` followed by a space is not HTML.
    let html = html.trim();
    if !html.starts_with('<') || !html[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!') {
        return None;
    }
    let shown: String = html.lines().next().unwrap_or("").chars().take(40).collect();
    Some(
        text.warn(
            Kind::EscapedHtml,
            offset,
            format!("raw HTML `{shown}` is shown as text (raw_html = \"escape\")"),
            "write it in Markdown (a line break: end the line with `\\`; bold: `**…**`), or set raw_html = \"sanitize\" in site.toml"
                .to_string(),
        ),
    )
}
