//! The offline search index: page texts split in sections, and — for sites too large to scan
//! whole — a character-bigram index, so a word is found inside inflected and compound
//! Korean forms (`중국` in `중국의`, `지능` in `인공지능`), where whitespace tokenizers fail.
//! Korean spacing varies, so the bigrams also span one run of whitespace between two letters
//! or digits: `인터넷플러스` finds the pages that write `인터넷 플러스`, as the browser's scan of
//! the docs does (`search.js`; its bigrams and shard hash must stay the same as these).
//!
//! Files (under `search/`): `meta.json`; `docs-N.json` (pages: url, title, names that must
//! find the page, sections); `index-N.json` (bigram → page ids, delta-coded) only when the
//! texts exceed the scan limit. The browser loads them only when the reader starts searching.
//!
//! Pages are made, written and indexed in batches: a page's text exists only while its batch
//! is processed (chapter texts come from their rendered fragments), so the search stage holds
//! the postings and one batch, never every page's text at once.

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::Report;
use super::blocks::html_text;
use crate::error::Result;
use crate::markdown::analyze::push_collapsed;
use crate::markdown::escape::decode_entity;
use crate::markdown::{Fragment, Seg};

/// Target size of one docs shard, in bytes of text.
const DOC_SHARD_BYTES: usize = 128 * 1024;
/// Text bytes per index shard (a shard's postings are roughly proportional to its text).
const INDEX_SHARD_TEXT: usize = 96 * 1024;
/// Bigrams are first spread over this many buckets; the index files group them (the number
/// of files is a power of two that divides it, so a bigram's file is its hash modulo the count).
const BUCKETS: usize = 4096;
/// Pages made, written and indexed together.
const BATCH: usize = 256;

/// One searchable page: its sections carry the text; keywords are the names that must find
/// it (a query equal to one of them ranks the page first). Text is borrowed where it exists.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPage<'a> {
    pub url: String,
    pub title: Cow<'a, str>,
    pub keywords: Vec<Cow<'a, str>>,
    /// (anchor, section title, text)
    pub sections: Vec<(Cow<'a, str>, Cow<'a, str>, Cow<'a, str>)>,
}

impl SearchPage<'_> {
    fn text_len(&self) -> usize {
        self.title.len()
            + self.keywords.iter().map(|k| k.len()).sum::<usize>()
            + self.sections.iter().map(|s| s.1.len() + s.2.len()).sum::<usize>()
    }
}

#[derive(Debug, Serialize)]
struct Meta {
    version: u32,
    pages: usize,
    /// First page id of each docs shard.
    doc_shards: Vec<usize>,
    /// Number of index shards; 0 means "scan the docs".
    index_shards: usize,
    bytes: usize,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchStats {
    pub bytes: usize,
    pub pages: usize,
    pub indexed: bool,
}

/// Where a searchable page comes from; its text is made when its batch is processed.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    Home,
    Chapter(usize),
    Table(usize),
    Figure(usize),
    Company(usize),
    Term(usize),
}

/// Every searchable page, in reading order.
pub fn sources(r: &Report) -> Vec<Source> {
    let mut out = vec![Source::Home];
    out.extend((0..r.model.chapters.len()).map(Source::Chapter));
    out.extend(r.resolved.numbering.table_order.iter().map(|&i| Source::Table(i)));
    out.extend(r.resolved.numbering.figure_order.iter().map(|&i| Source::Figure(i)));
    out.extend(r.resolved.companies.sorted.iter().map(|&i| Source::Company(i)));
    out.extend((0..r.model.terms.len()).map(Source::Term));
    out
}

/// Ends a block of a search text with a line break (replacing a space before it): no match
/// and no bigram crosses one, so a list item's last word and the next item's first, or two
/// table cells, are not read as one word. Elsewhere whitespace is single spaces.
fn push_break(out: &mut String) {
    if out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// [`push_break`] between the blocks of an item's text (each trimmed, empty ones left out).
fn blocks<'b>(parts: impl IntoIterator<Item = &'b str>) -> String {
    let mut out = String::new();
    for p in parts {
        let p = p.trim();
        if !p.is_empty() {
            push_break(&mut out);
            out.push_str(p);
        }
    }
    out
}

/// Appends the plain text of HTML made by this engine: tags dropped (block tags end a block,
/// inline ones do not separate words), the five entities it writes decoded, whitespace
/// collapsed.
fn push_text(html: &str, out: &mut String) {
    const INLINE: &[&str] = &["a", "em", "strong", "del", "code", "sup", "sub", "span", "b", "i", "mark", "kbd", "abbr", "s", "u", "small"];
    let mut rest = html;
    loop {
        let Some(i) = memchr::memchr2(b'<', b'&', rest.as_bytes()) else {
            push_collapsed(out, rest);
            return;
        };
        push_collapsed(out, &rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            let end = memchr::memchr(b'>', rest.as_bytes()).map_or(rest.len(), |j| j + 1);
            let name = rest[1..end].trim_start_matches('/').split([' ', '>', '/']).next().unwrap_or("");
            if !INLINE.contains(&name) {
                push_break(out);
            }
            rest = &rest[end..];
        } else {
            let (c, len) = decode_entity(rest);
            out.push(c);
            rest = &rest[len..];
        }
    }
}

/// A chapter's sections: its title, then its body split at its headings (each section starts
/// with its heading's text), then its footnotes as one section.
fn chapter_sections<'a>(r: &'a Report, c: usize) -> Vec<(Cow<'a, str>, Cow<'a, str>, Cow<'a, str>)> {
    let parsed = &r.parsed.chapters[c];
    // The first section is the title and whatever comes before the first heading.
    let mut sections: Vec<(Cow<str>, Cow<str>, String)> =
        vec![(Cow::Borrowed(""), Cow::Borrowed(""), r.plain(&parsed.title_text).into_owned())];
    let mut next = 0;
    for seg in &parsed.body.segs {
        match seg {
            Seg::Html(h) => {
                let mut rest = h.as_str();
                while let Some(heading) = parsed.headings.get(next) {
                    let tag = format!("<h{} id=\"{}\"", heading.level, crate::markdown::escape::escape(&heading.id));
                    let Some(at) = memchr::memmem::find(rest.as_bytes(), tag.as_bytes()) else { break };
                    push_text(&rest[..at], &mut sections.last_mut().expect("one section").2);
                    sections.push((Cow::Borrowed(&heading.id), r.plain(&heading.text), String::new()));
                    rest = &rest[at..];
                    next += 1;
                }
                push_text(rest, &mut sections.last_mut().expect("one section").2);
            }
            Seg::Code { code, .. } => {
                let text = &mut sections.last_mut().expect("one section").2;
                push_break(text);
                text.extend(code.split_whitespace().flat_map(|w| [w, " "]));
                push_break(text);
            }
            Seg::Label(_) | Seg::Embed(_) | Seg::FootnoteRef(_) => {}
        }
    }
    if !parsed.footnotes.is_empty() {
        let mut text = String::new();
        for f in &parsed.footnotes {
            push_fragment_text(f, &mut text);
            push_break(&mut text);
        }
        sections.push((Cow::Borrowed("footnotes"), Cow::Owned(r.t("footnotes")), text));
    }
    sections
        .into_iter()
        .filter(|(a, _, text)| !text.trim().is_empty() || !a.is_empty())
        .map(|(a, t, text)| (a, t, Cow::Owned(text.trim().to_string())))
        .collect()
}

fn push_fragment_text(f: &Fragment, out: &mut String) {
    for seg in &f.segs {
        if let Seg::Html(h) = seg {
            push_text(h, out);
        }
    }
}

/// The searchable page for one source.
pub fn page<'a>(r: &'a Report, s: Source) -> SearchPage<'a> {
    let owned = |s: String| -> Cow<'a, str> { Cow::Owned(s) };
    let one_section = |text: String| vec![(Cow::Borrowed(""), Cow::Borrowed(""), Cow::Owned(text))];
    match s {
        Source::Home => {
            let home = &r.model.home.meta;
            let text = blocks([home.contact.as_deref(), home.disclaimer.as_deref()].into_iter().flatten());
            SearchPage {
                url: r.urls.home(),
                title: Cow::Borrowed(&r.settings.config.title),
                keywords: vec![Cow::Borrowed(&r.settings.config.title), Cow::Borrowed(&r.settings.config.publisher)],
                sections: one_section(text),
            }
        }
        Source::Chapter(c) => {
            let ch = &r.model.chapters[c];
            SearchPage {
                url: r.urls.chapter(ch.slug()),
                title: owned(r.chapter_label(c)),
                keywords: vec![owned(ch.plain_title())],
                sections: chapter_sections(r, c),
            }
        }
        Source::Table(i) => {
            let v = &r.table_views[i];
            let cells = v.head.iter().chain(v.body.iter()).flatten().map(|cell| html_text(&cell.html));
            let texts: Vec<String> =
                cells.chain(v.notes_html.iter().map(|n| html_text(n))).chain(v.source_html.as_deref().map(html_text)).collect();
            let text = blocks(texts.iter().map(String::as_str));
            SearchPage {
                url: v.url.clone(),
                title: owned(r.table_title(i)),
                keywords: vec![Cow::Borrowed(&r.model.tables[i].caption)],
                sections: one_section(text),
            }
        }
        Source::Figure(i) => {
            let v = &r.figure_views[i];
            let text = blocks([v.unit.clone(), v.source_html.as_deref().map(html_text)].iter().flatten().map(String::as_str));
            SearchPage {
                url: v.url.clone(),
                title: owned(r.figure_title(i)),
                keywords: vec![Cow::Borrowed(&r.model.figures[i].caption)],
                sections: one_section(text),
            }
        }
        Source::Company(i) => {
            let co = &r.model.companies[i];
            // The page shows its other names under the title: they lead the searchable text.
            let names = co.mention_forms();
            let others = names[1..].join(" · ");
            let text = blocks(
                [others.as_str(), co.summary.as_deref().unwrap_or_default()].into_iter().chain(co.facts.iter().map(|f| f.text.as_str())),
            );
            SearchPage {
                url: r.urls.company(&co.id),
                title: Cow::Borrowed(&co.name),
                keywords: names.into_iter().map(Cow::Borrowed).collect(),
                sections: one_section(text),
            }
        }
        Source::Term(i) => {
            let t = &r.model.terms[i];
            let def = html_text(&r.filler().field(&r.parsed.terms[i].definition));
            SearchPage {
                url: r.urls.term(&t.id),
                title: owned(format!("{} · {}", t.term, r.t("glossary"))),
                keywords: t.forms().into_iter().chain(t.original.as_deref()).map(Cow::Borrowed).collect(),
                sections: one_section(def),
            }
        }
    }
}

/// Packs a bigram of two lowercased characters into one key.
fn bigram_key(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 32) | u64::from(b as u32)
}

/// Calls `f` with the lowercased letters and digits of `c`, or with `None` for anything else
/// (which ends a run). Fast for ASCII and Hangul syllables, which are most of the text.
#[inline]
fn fold(c: char, mut f: impl FnMut(Option<char>)) {
    if c.is_ascii() {
        f(c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase()));
    } else if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
        f(Some(c));
    } else if c.is_alphanumeric() {
        for l in c.to_lowercase() {
            f(l.is_alphanumeric().then_some(l));
        }
    } else {
        f(None);
    }
}

/// The bigrams of a text, lowercased (as the browser does): each two letters or digits next to
/// each other, or with one run of whitespace between them (`인터넷 플러스` gives `넷플`, so
/// that `인터넷플러스` finds it). Any other character, and a line break (the end of a block),
/// ends a run.
pub fn bigrams(text: &str, into: &mut Vec<u64>) {
    let mut prev: Option<char> = None;
    for c in text.chars() {
        fold(c, |l| match l {
            Some(l) => {
                if let Some(p) = prev {
                    into.push(bigram_key(p, l));
                }
                prev = Some(l);
            }
            // Whitespace keeps the letter before it, to pair with the one after it.
            None if c.is_whitespace() && c != '\n' => {}
            None => prev = None,
        });
    }
}

/// FNV-1a of the key's bytes (the browser computes the same to find a bigram's file).
fn bigram_hash(key: u64) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in key.to_le_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn key_string(key: u64) -> String {
    let a = char::from_u32((key >> 32) as u32).unwrap_or('\u{FFFD}');
    let b = char::from_u32(key as u32).unwrap_or('\u{FFFD}');
    format!("{a}{b}")
}

/// The page ids of one bigram, delta-coded as LEB128 while they are collected (compact).
#[derive(Default)]
struct Postings {
    last: u32,
    bytes: Vec<u8>,
}

impl Postings {
    fn push(&mut self, page: u32) {
        let mut d = page - self.last;
        self.last = page;
        loop {
            let b = (d & 0x7f) as u8;
            d >>= 7;
            if d == 0 {
                self.bytes.push(b);
                break;
            }
            self.bytes.push(b | 0x80);
        }
    }

    /// The deltas as a JSON array body: `0,2,1`.
    fn write_json(&self, out: &mut String) {
        let mut d: u32 = 0;
        let mut shift = 0;
        let mut first = true;
        for &b in &self.bytes {
            d |= u32::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(itoa(d, &mut [0u8; 10]));
                d = 0;
                shift = 0;
            } else {
                shift += 7;
            }
        }
    }
}

fn itoa(mut n: u32, buf: &mut [u8; 10]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).expect("digits are ASCII")
}

/// One page, made ready in parallel: its size, its docs row, its bigrams by bucket.
struct Prepared {
    size: usize,
    row: Vec<u8>,
    /// Its bigrams, packed (see `pack`), each once.
    keys: Vec<u64>,
}

thread_local! {
    /// The bigrams of the page being prepared, all then each once (kept between pages for
    /// their capacity).
    static SCRATCH: std::cell::RefCell<(Vec<u64>, rustc_hash::FxHashSet<u64>)> = std::cell::RefCell::default();
}

/// A page's size and docs row, and its bigrams when `bigrams` (only an indexed site needs them).
fn prepare(p: &SearchPage, bigrams: bool) -> Prepared {
    let row =
        serde_json::to_vec(&(p.url.as_str(), &*p.title, p.keywords.as_slice(), p.sections.as_slice())).expect("search docs serialize");
    let keys = if bigrams { page_bigrams(p) } else { Vec::new() };
    Prepared { size: p.text_len(), row, keys }
}

/// A page's bigrams, packed (see `pack`), each once.
fn page_bigrams(p: &SearchPage) -> Vec<u64> {
    SCRATCH.with_borrow_mut(|(v, seen)| {
        v.clear();
        bigrams(&p.title, v);
        for k in &p.keywords {
            bigrams(k, v);
        }
        for s in &p.sections {
            bigrams(&s.1, v);
            bigrams(&s.2, v);
        }
        // Most bigrams repeat within a page: dropped before they are hashed into buckets; what
        // is kept is allocated once, at its size.
        seen.clear();
        v.retain(|k| seen.insert(*k));
        v.iter().map(|&k| pack(k)).collect()
    })
}

/// A bigram key packed with its bucket — bucket (12 bits), first and second character (21
/// bits each) — so that the bucket is hashed while the page is prepared, in parallel.
fn pack(key: u64) -> u64 {
    const _: () = assert!(BUCKETS <= 1 << 12);
    let bucket = bigram_hash(key) % BUCKETS as u64;
    (bucket << 42) | ((key >> 32) << 21) | (key & 0x1F_FFFF)
}

/// (bucket, bigram key) of a packed key.
fn unpack(packed: u64) -> (u32, u64) {
    ((packed >> 42) as u32, (((packed >> 21) & 0x1F_FFFF) << 32) | (packed & 0x1F_FFFF))
}

/// Adds the bigrams of pages `first`, `first + 1`, … (`keys`, each page's from `page_bigrams`)
/// to the postings. Each half of the buckets is filled by its own thread, pages in order.
fn fill(buckets: &mut [FxHashMap<u64, Postings>], keys: &[&[u64]], first: usize) {
    let half = BUCKETS / 2;
    buckets.par_chunks_mut(half).enumerate().for_each(|(h, part)| {
        let base = (h * half) as u32;
        let top = base + half as u32;
        for (j, keys) in keys.iter().enumerate() {
            // Each thread passes over every key and takes those of its half (cheaper than
            // sorting each page's keys by bucket).
            for (b, k) in keys.iter().map(|k| unpack(*k)).filter(|(b, _)| (base..top).contains(b)) {
                part[(b - base) as usize].entry(k).or_default().push((first + j) as u32);
            }
        }
    });
}

/// Writes the search files of the report through `write(path, bytes)`.
pub fn build(r: &Report, scan_max: usize, write: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync)) -> Result<SearchStats> {
    let sources = sources(r);
    build_from(sources.len(), &|i| page(r, sources[i]), scan_max, write)
}

/// Writes the search files for `count` pages made by `make(i)`; `scan_max` is the text size
/// up to which no index is built (the browser scans the docs instead).
pub fn build_from<'a>(
    count: usize,
    make: &(dyn Fn(usize) -> SearchPage<'a> + Sync),
    scan_max: usize,
    write: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync),
) -> Result<SearchStats> {
    let mut doc_shards: Vec<usize> = Vec::new();
    let mut shard = Vec::with_capacity(DOC_SHARD_BYTES + 4096);
    let mut shard_text = 0;
    let mut total_text = 0;
    let mut bytes = 0;
    let flush = |shard: &mut Vec<u8>, doc_shards: &mut Vec<usize>, bytes: &mut usize| -> Result<()> {
        shard.push(b']');
        write(&format!("search/docs-{}.json", doc_shards.len() - 1), shard)?;
        *bytes += shard.len();
        shard.clear();
        Ok(())
    };
    // Bigrams are collected only once the text is past `scan_max` (below it no index is
    // written): then the pages of earlier batches are made again for theirs, and every later
    // page with.
    let mut buckets: Vec<FxHashMap<u64, Postings>> = Vec::new();
    let mut start = 0;
    while start < count {
        let end = (start + BATCH).min(count);
        let indexing = !buckets.is_empty();
        // Until the index is begun, each page is kept to the end of its batch: should the batch
        // cross the scan limit, its bigrams are made from it instead of making it again.
        let batch: Vec<(Option<SearchPage>, Prepared)> = (start..end)
            .into_par_iter()
            .map(|i| {
                let page = make(i);
                let prepared = prepare(&page, indexing);
                ((!indexing).then_some(page), prepared)
            })
            .collect();
        for (j, (_, p)) in batch.iter().enumerate() {
            total_text += p.size;
            if shard_text > 0 && shard_text + p.size > DOC_SHARD_BYTES {
                flush(&mut shard, &mut doc_shards, &mut bytes)?;
                shard_text = 0;
            }
            if shard.is_empty() {
                doc_shards.push(start + j);
                shard.push(b'[');
            } else {
                shard.push(b',');
            }
            shard.extend_from_slice(&p.row);
            shard_text += p.size;
        }
        if indexing {
            fill(&mut buckets, &batch.iter().map(|(_, p)| p.keys.as_slice()).collect::<Vec<_>>(), start);
        } else if total_text > scan_max {
            buckets = (0..BUCKETS).map(|_| FxHashMap::default()).collect();
            let mut keys: Vec<Vec<u64>> = (0..start).into_par_iter().map(|i| page_bigrams(&make(i))).collect();
            keys.par_extend(batch.par_iter().map(|(page, _)| page_bigrams(page.as_ref().expect("kept until the index is begun"))));
            fill(&mut buckets, &keys.iter().map(Vec::as_slice).collect::<Vec<_>>(), 0);
        }
        start = end;
    }
    if !shard.is_empty() {
        flush(&mut shard, &mut doc_shards, &mut bytes)?;
    }

    let indexed = !buckets.is_empty();
    let index_shards = if indexed { total_text.div_ceil(INDEX_SHARD_TEXT).clamp(1, BUCKETS).next_power_of_two().min(BUCKETS) } else { 0 };
    if indexed {
        // Index file s holds the buckets b with b % index_shards == s.
        let written: Vec<Result<usize>> = (0..index_shards)
            .into_par_iter()
            .map(|s| {
                let mut keys: Vec<(u64, &Postings)> =
                    buckets.iter().skip(s).step_by(index_shards).flat_map(|m| m.iter().map(|(k, p)| (*k, p))).collect();
                keys.sort_unstable_by_key(|(k, _)| *k);
                let mut out = String::with_capacity(keys.iter().map(|(_, p)| p.bytes.len() * 3 + 12).sum::<usize>() + 2);
                out.push('{');
                for (n, (k, postings)) in keys.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::to_string(&key_string(*k)).expect("string serializes"));
                    out.push_str(":[");
                    postings.write_json(&mut out);
                    out.push(']');
                }
                out.push('}');
                write(&format!("search/index-{s}.json"), out.as_bytes())?;
                Ok(out.len())
            })
            .collect();
        for w in written {
            bytes += w?;
        }
    }
    let meta = Meta { version: 1, pages: count, doc_shards, index_shards, bytes };
    let meta_bytes = serde_json::to_vec(&meta).expect("meta serializes");
    write("search/meta.json", &meta_bytes)?;
    Ok(SearchStats { bytes: bytes + meta_bytes.len(), pages: count, indexed })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &'static str, text: &'static str) -> SearchPage<'static> {
        SearchPage {
            url: format!("/{title}/"),
            title: title.into(),
            keywords: Vec::new(),
            sections: vec![("".into(), "".into(), text.into())],
        }
    }

    /// Builds into memory: (path, contents) in path order.
    fn files(pages: &[SearchPage], scan_max: usize) -> (SearchStats, Vec<(String, String)>) {
        let out = std::sync::Mutex::new(Vec::new());
        let stats = build_from(pages.len(), &|i| pages[i].clone(), scan_max, &|p, b| {
            out.lock().unwrap().push((p.to_string(), String::from_utf8(b.to_vec()).unwrap()));
            Ok(())
        })
        .unwrap();
        let mut files = out.into_inner().unwrap();
        files.sort();
        (stats, files)
    }

    #[test]
    fn plain_text_of_engine_html() {
        let mut out = String::new();
        push_text(
            "<h2 id=\"x\">가. 개요</h2>\n<ul>\n<li class=\"sym\">◎ R&amp;D <a href=\"/c/\">바이두</a>의</li>\n<li>둘</li>\n</ul><table><tr><td>가</td><td>1</td></tr></table>",
            &mut out,
        );
        // Each block on a line of its own (the last one too: the next block may follow).
        assert_eq!(out, "가. 개요\n◎ R&D 바이두의\n둘\n가\n1\n");
        // Inline tags do not separate words; a space before a block's end is not kept.
        let mut out = String::new();
        push_text("<p>인공<em>지능</em> </p><p> 산업</p>", &mut out);
        assert_eq!(out, "인공지능\n산업\n");
    }

    #[test]
    fn postings_round_trip_through_leb128() {
        let mut p = Postings::default();
        for page in [0, 1, 130, 20_000, 20_001, 3_000_000] {
            p.push(page);
        }
        let mut out = String::new();
        p.write_json(&mut out);
        assert_eq!(out, "0,1,129,19870,1,2979999");
    }

    fn keys(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        bigrams(text, &mut v);
        v.iter().map(|k| key_string(*k)).collect()
    }

    #[test]
    fn bigrams_cover_words_inside_compounds() {
        let mut v = Vec::new();
        bigrams("인공지능 플랫폼", &mut v);
        let keys: Vec<String> = v.iter().map(|k| key_string(*k)).collect();
        assert_eq!(keys, ["인공", "공지", "지능", "능플", "플랫", "랫폼"]);
        for k in v.iter().copied().chain([bigram_key('\u{10FFFF}', '\u{10FFFE}'), bigram_key('a', '\u{0}')]) {
            assert_eq!(unpack(pack(k)), ((bigram_hash(k) % BUCKETS as u64) as u32, k));
        }
        let mut v = Vec::new();
        bigrams("Baidu", &mut v);
        assert_eq!(key_string(v[0]), "ba");
    }

    /// Korean spacing varies (인터넷 플러스, 인터넷플러스): a bigram also spans one run of
    /// whitespace between two letters or digits, not any other character. The lists and the
    /// buckets are what `search.js` gives (`ReportSearch.bigrams(text)`,
    /// `ReportSearch.shard(bigram, 4096)`); the browser tests check the script against a whole
    /// index.
    #[test]
    fn bigrams_span_whitespace_between_letters_as_the_script_does() {
        assert_eq!(keys("인터넷 플러스"), ["인터", "터넷", "넷플", "플러", "러스"]);
        assert_eq!(keys("‘인터넷 플러스’를 통해"), ["인터", "터넷", "넷플", "플러", "러스", "를통", "통해"]);
        assert_eq!(keys("인터넷, 플러스"), ["인터", "터넷", "플러", "러스"]);
        assert_eq!(keys("R&D 센터"), ["d센", "센터"]);
        assert_eq!(keys("Baidu 百度\u{3000}AI 칩"), ["ba", "ai", "id", "du", "u百", "百度", "度a", "ai", "i칩"]);
        // A line break ends a block (a list item, a table cell): no bigram crosses it.
        assert_eq!(keys("정책임\n중국은"), ["정책", "책임", "중국", "국은"]);
        assert_eq!(keys("구분 \n 달성"), ["구분", "달성"]);
        assert_eq!(keys(" 가 \t "), Vec::<String>::new());
        for (a, b, shard) in [('넷', '플', 1362), ('인', '터', 987), ('a', 'i', 1981), ('i', '칩', 23), ('度', 'a', 392)] {
            assert_eq!(bigram_hash(bigram_key(a, b)) % BUCKETS as u64, shard, "{a}{b}");
        }
    }

    /// Text from the report (02-internet-plus.md, tables/internet-plus-guidelines.yaml): the
    /// spaced form is indexed under the bigram that only the spaceless query has.
    #[test]
    fn the_index_holds_bigrams_across_spaces() {
        let pages = vec![
            page("a", "양회 업무보고에서 인터넷 플러스 개념을 제시"),
            page("b", "인터넷플랫폼+제조, 인터넷플랫폼+에너지"),
            page("c", "인터넷 플러스 산업(신경제) 생태계 구축"),
        ];
        let (_, files) = files(&pages, 0);
        let index: String = files.iter().filter(|(n, _)| n.starts_with("search/index-")).map(|(_, b)| b.as_str()).collect();
        assert!(index.contains("\"넷플\":[0,1,1]"), "{index}");
        assert!(index.contains("\"플러\":[0,2]"), "{index}");
        assert!(index.contains("\"서인\":[0]"), "{index}");
        assert!(!index.contains("\"제인\""), "a comma ends a run: {index}");
    }

    #[test]
    fn small_sites_ship_docs_only() {
        let pages = vec![page("a", "중국의 정책"), page("b", "인공지능")];
        let (stats, files) = files(&pages, 1_000_000);
        assert!(!stats.indexed);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["search/docs-0.json", "search/meta.json"]);
        assert_eq!(stats.bytes, files.iter().map(|(_, b)| b.len()).sum::<usize>());
        assert!(files[0].1.starts_with("[[\"/a/\",\"a\",[],[[\"\",\"\",\"중국의 정책\"]]]"), "{}", files[0].1);
    }

    #[test]
    fn large_sites_get_a_bigram_index_with_delta_postings() {
        let pages = vec![page("a", "중국의 정책"), page("b", "인공지능"), page("c", "중국은")];
        let (stats, files) = files(&pages, 0);
        assert!(stats.indexed);
        let index: String = files.iter().filter(|(n, _)| n.starts_with("search/index-")).map(|(_, b)| b.as_str()).collect();
        // "중국" occurs in pages 0 and 2: delta-coded as [0,2].
        assert!(index.contains("\"중국\":[0,2]"), "{index}");
        assert!(index.contains("\"지능\":[1]"), "{index}");
    }

    /// Below the scan limit pages are prepared without bigrams; when the text passes it (here
    /// in the third batch), the pages before are made again for theirs: the index is the one
    /// made with bigrams from the start.
    #[test]
    fn an_index_begun_late_equals_one_begun_at_once() {
        const WORDS: [&str; 5] = ["중국의 정책", "인공지능 플랫폼", "빅데이터", "Baidu 바이두", "사물인터넷"];
        let pages: Vec<SearchPage> = (0..BATCH * 3 + 7)
            .map(|i| SearchPage {
                url: format!("/p{i}/"),
                title: format!("쪽 {i}").into(),
                keywords: Vec::new(),
                sections: vec![("".into(), "".into(), format!("{} {}", WORDS[i % 5], WORDS[(i / 5) % 5]).into())],
            })
            .collect();
        let total: usize = pages.iter().map(SearchPage::text_len).sum();
        let before_third: usize = pages[..BATCH * 2].iter().map(SearchPage::text_len).sum();
        let (at_once, from_start) = files(&pages, 0);
        let (late, begun_late) = files(&pages, before_third + 1);
        assert!(at_once.indexed && late.indexed);
        assert!(before_third + 1 < total);
        assert!(from_start.iter().any(|(n, _)| n.starts_with("search/index-")));
        assert_eq!(from_start, begun_late);
        let (_, never) = files(&pages, total);
        assert!(!never.iter().any(|(n, _)| n.starts_with("search/index-")));
    }
}
