//! The first pass over a text's events: headings and their ids, sections, report bullets,
//! placements, explicit company links, the description, and where each verbatim quote is.
//! Linear in the text, whatever the nesting depth.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::anchors::{IdSet, is_reserved, slugify};
use super::doc::{Ctx, Heading, Input, Mode};
use super::ir::{Target, push_label_hole};
use super::links::{self, Dest};

/// Report bullets that replace the list marker when an item starts with one.
pub const BULLETS: &[char] = &['◎', '▶', '※', '□', '■', '●', '○', '◆', '◇', '▷', '►', '•', '*', '-', '▲'];

/// What the first pass learns.
#[derive(Default)]
pub struct Analysis {
    /// Heading ids and texts, by order; and the event index each heading starts at.
    pub headings: Vec<Heading>,
    pub heading_at: HashMap<usize, usize>,
    /// Index of the title heading's start event, if the text has one.
    pub title_at: Option<usize>,
    /// The block's own text, without nested blocks: for excerpts, heading texts and the
    /// description. A reference written without text stands there as its label (a table's or
    /// figure's as a hole, see [`push_label_hole`]). By block start: its range in `texts`.
    own_text: HashMap<usize, Range<usize>>,
    /// Every block's own text, one after another (see [`Analysis::own_text`]).
    texts: String,
    /// References written without text (`[](table:t1)`), by block start: (event index, byte
    /// range of the label standing for it in the block's own text).
    pub empty_refs: HashMap<usize, Vec<(usize, Range<usize>)>>,
    /// Quote anchors to place right after a block's start tag.
    pub anchors_at: HashMap<usize, Vec<String>>,
    pub found_quotes: Vec<(usize, String)>,
    /// List items that start with a report bullet.
    pub sym_items: HashSet<usize>,
    /// Paragraphs that hold only a table/figure placement: start index → target image index.
    pub embed_paras: HashSet<usize>,
    /// (mention scope, company) pairs the editor linked explicitly.
    pub explicit: HashSet<(usize, usize)>,
    /// Block mode: the text is one paragraph, to be unwrapped.
    pub unwrap_single: bool,
    pub description: String,
    pub ids: IdSet,
    /// Headings whose explicit id (`{#x}`) an earlier heading already has, by start event.
    pub id_clashes: HashMap<usize, IdClash>,
}

/// An explicit heading id that is already taken: by an earlier heading of the same text, or
/// by the page's layout.
pub struct IdClash {
    pub id: String,
    /// The earlier heading's start event, and whether it was given the id explicitly too
    /// (else it took the id from its text); `None` when the layout uses the id (`main`, …).
    pub earlier: Option<(usize, bool)>,
}

impl Analysis {
    /// The own text of the block starting at event `block`, if it is a block.
    pub fn own_text(&self, block: usize) -> Option<&str> {
        self.own_text.get(&block).map(|r| &self.texts[r.clone()])
    }
}

pub fn normalize_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_collapsed(&mut out, s);
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

pub fn is_block(tag: &Tag) -> bool {
    matches!(tag, Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::TableCell | Tag::FootnoteDefinition(_) | Tag::BlockQuote(_))
}

pub fn is_block_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell | TagEnd::FootnoteDefinition | TagEnd::BlockQuote(_)
    )
}

/// Appends `t` to the document's plain text with whitespace collapsed to single spaces. A
/// document may separate its blocks with line breaks (the search texts do): after one, as at
/// the start, no space is added.
pub fn push_collapsed(doc: &mut String, t: &str) {
    let bytes = t.as_bytes();
    let ends_spaced = |doc: &str| matches!(doc.as_bytes().last(), None | Some(b' ' | b'\n'));
    if only_single_spaces(bytes) {
        // Prose with single spaces between words: copied as it is, but for a space that would
        // start the text or follow one already there.
        let skip = bytes.first() == Some(&b' ') && ends_spaced(doc);
        doc.push_str(&t[usize::from(skip)..]);
        return;
    }
    let mut run = 0; // start of the current run, copied as it is when it ends
    let mut i = 0;
    loop {
        // Most bytes cannot start whitespace: skip them with one table lookup each.
        while i < bytes.len() && !MAY_START_WHITESPACE[usize::from(bytes[i])] {
            i += 1;
        }
        if i == bytes.len() {
            break;
        }
        // A single space after a letter stays in the run: prose is then copied in one piece.
        if bytes[i] == b' ' && i > run && bytes[i - 1] != b' ' {
            i += 1;
            continue;
        }
        let ws = whitespace_len(t, i);
        if ws == 0 {
            i += 1;
            continue;
        }
        // The run may end with the space it kept: then no second one is added.
        doc.push_str(&t[run..i]);
        if !ends_spaced(doc) {
            doc.push(' ');
        }
        i += ws;
        run = i;
    }
    doc.push_str(&t[run..]);
}

/// Whether the only whitespace in `b` is single ASCII spaces (none right after another). The
/// byte test is branch-free so that it runs over many bytes at once.
fn only_single_spaces(b: &[u8]) -> bool {
    let Some(&last) = b.last() else { return true };
    !b.iter()
        .zip(&b[1..])
        .fold(may_start_other_whitespace(last), |f, (&x, &y)| f | may_start_other_whitespace(x) | ((x == b' ') & (y == b' ')))
}

/// Whether whitespace other than a space may start at byte `x`: ASCII control bytes (the
/// whitespace among them included) and the lead bytes of the other whitespace characters
/// (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000). Branch-free.
const fn may_start_other_whitespace(x: u8) -> bool {
    (x < b' ') | (x == 0xC2) | (x.wrapping_sub(0xE1) < 3)
}

/// The bytes `whitespace_len` may find whitespace at, as a table.
static MAY_START_WHITESPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut x = 0;
    while x < 256 {
        t[x] = x as u8 == b' ' || may_start_other_whitespace(x as u8);
        x += 1;
    }
    t
};

/// The byte length of the whitespace character starting at byte `i` of `t` (0 if none there).
/// Only a few lead bytes can start one, so most bytes are rejected without decoding.
#[inline]
fn whitespace_len(t: &str, i: usize) -> usize {
    match t.as_bytes()[i] {
        b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' => 1,
        0xC2 | 0xE1 | 0xE2 | 0xE3 => {
            let c = t[i..].chars().next().expect("a char starts at a lead byte");
            if c.is_whitespace() { c.len_utf8() } else { 0 }
        }
        _ => 0,
    }
}

/// The text a reference written without text shows: a chapter's number and title, a company's,
/// source's or term's name; a table's or figure's label is a hole (numbers come later).
pub fn label_text(model: &crate::content::Model, target: Target) -> String {
    let mut out = String::new();
    push_label(model, &mut out, target);
    out
}

fn push_label(model: &crate::content::Model, out: &mut String, target: Target) {
    match target {
        Target::Chapter(c) => {
            let ch = &model.chapters[c];
            out.push_str(&model.chapter_number(ch));
            out.push_str(". ");
            out.push_str(&ch.plain_title());
        }
        Target::Company(c) => out.push_str(&model.companies[c].name),
        Target::Source(s) => out.push_str(&model.sources[s].name),
        Target::Term(t) => out.push_str(&model.terms[t].term),
        Target::Table(_) | Target::Figure(_) => push_label_hole(out, target),
    }
}

pub fn analyze(ctx: &Ctx, input: &Input, events: &[(Event, Range<usize>)]) -> Analysis {
    let mut a = Analysis::default();
    // Own texts are no longer than the text they come from, but for the labels of references
    // written without text.
    a.texts.reserve(input.text.len());
    // The whole text, whitespace-collapsed; each block knows its range in it. Quotes are found
    // in this one string, so nesting depth never makes the work quadratic.
    let mut doc = String::new();
    // Open blocks: (start event, start in `doc`, own text without nested blocks).
    let mut open: Vec<(usize, usize, String)> = Vec::new();
    // Buffers of closed blocks, for the next ones to collect their text in.
    let mut spare: Vec<String> = Vec::new();
    // Closed blocks: (start event, range in `doc`).
    let mut closed: Vec<(usize, usize, usize)> = Vec::new();
    let mut footnote_depth = 0usize;
    let mut heading_start: Option<(usize, u8, Option<String>)> = None;
    // Each heading id, with the start event of its heading and whether it was written `{#id}`.
    let mut heading_ids: HashMap<String, (usize, bool)> = HashMap::default();
    let mut scope = 0usize;
    let mut footnote_scopes = 0usize;
    let mut top_level: Vec<bool> = Vec::new();
    let mut depth = 0usize;
    let mut description_at: Option<usize> = None;
    // Only quotes are looked up in `doc`: without any, it is not built.
    let quotes = !input.quotes.is_empty();
    for (i, (ev, _)) in events.iter().enumerate() {
        match ev {
            Event::Start(tag) => {
                if depth == 0 {
                    top_level.push(matches!(tag, Tag::Paragraph));
                }
                depth += 1;
                if is_block(tag) {
                    if quotes {
                        push_collapsed(&mut doc, " ");
                    }
                    open.push((i, doc.len(), spare.pop().unwrap_or_default()));
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
                        let target = match links::classify(dest_url, &ctx.model.ids) {
                            Ok(Dest::Item(target, _)) => target,
                            _ => continue,
                        };
                        if let Target::Company(c) = target {
                            let s = if footnote_depth > 0 { usize::MAX - footnote_scopes } else { scope };
                            a.explicit.insert((s, c));
                        }
                        if matches!(events.get(i + 1), Some((Event::End(TagEnd::Link), _)))
                            && let Some((block, _, own)) = open.last_mut()
                        {
                            let start = own.len();
                            push_label(ctx.model, own, target);
                            a.empty_refs.entry(*block).or_default().push((i, start..own.len()));
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
                if !is_block_end(tag) {
                    continue;
                }
                let Some((start, doc_start, mut own)) = open.pop() else { continue };
                // Collapsed as it was collected; only a trailing space is left to drop.
                if own.ends_with(' ') {
                    own.pop();
                }
                if quotes {
                    closed.push((start, doc_start, doc.len()));
                    push_collapsed(&mut doc, " ");
                }
                if let TagEnd::Heading(_) = tag
                    && let Some((h_start, level, explicit_id)) = heading_start.take()
                {
                    let is_title = input.has_title && a.title_at.is_none() && a.headings.is_empty() && level == 1 && h_start == 0;
                    if is_title {
                        a.title_at = Some(h_start);
                    } else if input.mode == Mode::Document {
                        let explicit = explicit_id.is_some();
                        let id = match explicit_id {
                            Some(id) if a.ids.claim_exact(&id) => id,
                            Some(id) => {
                                let earlier = heading_ids.get(&id).copied();
                                if earlier.is_some() || is_reserved(&id) {
                                    a.id_clashes.insert(h_start, IdClash { id: id.clone(), earlier });
                                }
                                a.ids.claim(&id)
                            }
                            None => a.ids.claim(&slugify(&own)),
                        };
                        heading_ids.insert(id.clone(), (h_start, explicit));
                        a.heading_at.insert(h_start, a.headings.len());
                        a.headings.push(Heading { level, id, text: own.clone() });
                        scope += 1;
                    }
                }
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
                let at = a.texts.len();
                a.texts.push_str(&own);
                a.own_text.insert(start, at..a.texts.len());
                own.clear();
                spare.push(own);
            }
            Event::Text(t) | Event::Code(t) => {
                if quotes {
                    push_collapsed(&mut doc, t);
                }
                if let Some((_, _, own)) = open.last_mut() {
                    push_collapsed(own, t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if quotes {
                    push_collapsed(&mut doc, " ");
                }
                if let Some((_, _, own)) = open.last_mut() {
                    push_collapsed(own, " ");
                }
            }
            _ => {}
        }
    }
    // Each quote is anchored at the innermost block that contains it.
    for (qi, q) in input.quotes.iter().enumerate() {
        let q = normalize_ws(&q.text);
        if q.is_empty() {
            continue;
        }
        let Some(at) = memchr::memmem::find(doc.as_bytes(), q.as_bytes()) else { continue };
        let end = at + q.len();
        let inner = closed.iter().filter(|(_, s, e)| *s <= at && end <= *e).max_by_key(|(_, s, e)| (*s, std::cmp::Reverse(*e)));
        if let Some((start, _, _)) = inner {
            let anchor = a.ids.claim(&input.quotes[qi].anchor);
            a.anchors_at.entry(*start).or_default().push(anchor.clone());
            a.found_quotes.push((qi, anchor));
        }
    }
    a.unwrap_single = input.mode == Mode::Block && top_level == [true];
    a
}

/// A footnote reference left as text (`[^x]`): the parser does this when `x` has no definition.
/// Its byte position in `t` and its label.
pub fn undefined_footnote(t: &str) -> Option<(usize, &str)> {
    let i = crate::content::chapter::find_footnote_ref(t)?;
    let rest = &t[i + 2..];
    let end = rest.find(']')?;
    let label = &rest[..end];
    (!label.is_empty() && !label.contains(char::is_whitespace)).then_some((i, label))
}

/// The fence (`` ``` ``, `~~~` or longer) of the fenced code block at `range` of `text` when
/// no closing fence ends it: CommonMark then closes the block at the end of the text or of its
/// container (a list item, a quote), so everything after the fence would show as code.
pub fn unclosed_fence(text: &str, range: Range<usize>) -> Option<&str> {
    let line_start = text[..range.start].rfind('\n').map_or(0, |p| p + 1);
    // Inside a quote, every line of the block starts with `>` markers.
    let quoted = text[line_start..range.start].contains('>');
    let block = &text[range];
    let open = block.trim_start_matches([' ', '\t']);
    let c = open.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let fence = &open[..open.len() - open.trim_start_matches(c).len()];
    let is_closing = |line: &str| {
        let line = if quoted { line.trim_start_matches([' ', '\t', '>']) } else { line.trim_start_matches([' ', '\t']) }.trim_end();
        line.len() >= fence.len() && line.chars().all(|x| x == c)
    };
    (!block.lines().skip(1).any(is_closing)).then_some(fence)
}

pub fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

pub fn is_embed_dest(dest: &str) -> bool {
    dest.starts_with("table:") || dest.starts_with("figure:")
}

#[cfg(test)]
mod tests {
    use super::{normalize_ws, push_collapsed, unclosed_fence};
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

    /// For each fenced code block of `text`, the fence it leaves unclosed, if any.
    fn unclosed_fences(text: &str) -> Vec<Option<&str>> {
        Parser::new_ext(text, super::super::emit::options())
            .into_offset_iter()
            .filter(|(e, _)| matches!(e, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_)))))
            .map(|(_, range)| unclosed_fence(text, range))
            .collect()
    }

    #[test]
    fn closed_fences_pass_and_unclosed_ones_are_found() {
        for closed in [
            "글\n\n```\ncode\n```\n\n글\n",
            "```rust\nfn main() {}\n```",
            "```rust\nfn main() {}\n```\n",
            "```\n```\n",
            "~~~\n``` 안쪽\n~~~\n",
            "````md\n```\nin\n```\n````\n",
            "```\ncode\n`````\n",
            "- 항목\n\n  ```\n  code\n  ```\n- 다음\n",
            "1. 항목\n   ```\n   code\n   ```\n",
            "> ```\n> code\n> ```\n",
            "> - ```\n>   code\n>   ```\n",
            "```\ncode\n```   \n\n[^1]\n\n[^1]: 주\n",
        ] {
            assert_eq!(unclosed_fences(closed), [None], "{closed:?}");
        }
        for (unclosed, fence) in [
            ("글\n\n```\n나머지 글\n\n[^1]: 주\n", "```"),
            ("```", "```"),
            ("```\n", "```"),
            ("~~~\ncode\n```\n", "~~~"),
            ("````\ncode\n```\n", "````"),
            ("- 항목\n\n  ```\n  code\n- 다음\n", "```"),
            ("> ```\n> code\n\n글\n", "```"),
            ("```\ncode\n``` 끝\n", "```"),
        ] {
            assert_eq!(unclosed_fences(unclosed), [Some(fence)], "{unclosed:?}");
        }
    }

    /// The definition: every whitespace run becomes one space, none at the start, none doubled.
    fn collapsed_by_chars(doc: &mut String, t: &str) {
        for c in t.chars() {
            if c.is_whitespace() {
                if !doc.is_empty() && !doc.ends_with(' ') {
                    doc.push(' ');
                }
            } else {
                doc.push(c);
            }
        }
    }

    #[test]
    fn collapses_every_kind_of_whitespace_as_char_is_whitespace_does() {
        let pieces = [
            "", " ", "  ", "\t\n", "\u{a0}", "\u{3000}", "\u{2028}", "\u{85}", "\u{1680}", "\u{205f}", "중국", "a", "é", "€", "\u{e000}",
            "😀", "\u{2019}", "\u{3001}",
        ];
        let mut cases = Vec::new();
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    cases.push(format!("{a}{b}{c}"));
                }
            }
        }
        for start in ["", "x", "x "] {
            for t in &cases {
                let (mut ours, mut theirs) = (start.to_string(), start.to_string());
                push_collapsed(&mut ours, t);
                collapsed_by_chars(&mut theirs, t);
                assert_eq!(ours, theirs, "{start:?} + {t:?}");
                assert_eq!(normalize_ws(t), t.split_whitespace().collect::<Vec<_>>().join(" "), "{t:?}");
            }
        }
    }
}
