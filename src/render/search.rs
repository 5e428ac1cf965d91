//! The offline search index: page texts split in sections, and — for sites too large to scan
//! whole — a character-bigram index, so a word is found inside inflected and compound
//! Korean forms (`중국` in `중국의`, `지능` in `인공지능`), where whitespace tokenizers fail.
//!
//! Files (under `search/`): `meta.json`; `docs-N.json` (pages: url, title, names that must
//! find the page, sections); `index-N.json` (bigram → page ids, delta-coded) only when the texts exceed
//! the scan limit. The browser loads them only when the reader starts searching.

use std::collections::HashMap;

use serde::Serialize;

use super::Report;
use super::blocks::html_text;

/// Target size of one docs shard, in bytes of text.
const DOC_SHARD_BYTES: usize = 128 * 1024;
/// Target size of one index shard, in postings.
const INDEX_SHARD_POSTINGS: usize = 24 * 1024;

/// One searchable page: its sections carry the text; keywords are the names that must find
/// it (a query equal to one of them ranks the page first).
#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    pub url: String,
    pub title: String,
    pub keywords: Vec<String>,
    /// (anchor, section title, text)
    pub sections: Vec<(String, String, String)>,
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

/// Files to write (path under the output root, contents) and the total bytes.
pub struct SearchFiles {
    pub files: Vec<(String, Vec<u8>)>,
    pub bytes: usize,
    pub pages: usize,
    pub indexed: bool,
}

/// The searchable text of every page, in reading order.
pub fn pages(r: &Report) -> Vec<SearchPage> {
    let mut out = Vec::new();
    let home = &r.model.home.meta;
    let home_text = [home.contact.as_deref(), home.disclaimer.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    out.push(SearchPage {
        url: r.urls.home(),
        title: r.settings.config.title.clone(),
        keywords: vec![r.settings.config.title.clone(), r.settings.config.publisher.clone()],
        sections: vec![(String::new(), String::new(), home_text)],
    });
    for (c, ch) in r.model.chapters.iter().enumerate() {
        let parsed = &r.parsed.chapters[c];
        let sections = parsed
            .sections
            .iter()
            .map(|s| {
                let (anchor, title) = match s.heading {
                    Some(h) => (parsed.headings[h].id.clone(), parsed.headings[h].text.clone()),
                    None if s.footnotes => ("footnotes".to_string(), r.t("footnotes")),
                    None => (String::new(), String::new()),
                };
                (anchor, title, s.text.clone())
            })
            .collect();
        out.push(SearchPage { url: r.urls.chapter(ch.slug()), title: r.chapter_label(c), keywords: vec![ch.plain_title()], sections });
    }
    for &i in &r.resolved.numbering.table_order {
        let v = &r.table_views[i];
        let mut text = String::new();
        for row in v.head.iter().chain(v.body.iter()) {
            for cell in row {
                text.push_str(&html_text(&cell.html).replace('\n', " "));
                text.push(' ');
            }
        }
        for n in &v.notes_html {
            text.push_str(&html_text(n));
            text.push(' ');
        }
        if let Some(s) = &v.source_html {
            text.push_str(&html_text(s));
        }
        out.push(SearchPage {
            url: v.url.clone(),
            title: r.table_title(i),
            keywords: vec![r.model.tables[i].caption.clone()],
            sections: vec![(String::new(), String::new(), text.trim().to_string())],
        });
    }
    for &i in &r.resolved.numbering.figure_order {
        let v = &r.figure_views[i];
        let text = [v.unit.clone(), v.source_html.as_deref().map(html_text)].into_iter().flatten().collect::<Vec<_>>().join(" ");
        out.push(SearchPage {
            url: v.url.clone(),
            title: r.figure_title(i),
            keywords: vec![r.model.figures[i].caption.clone()],
            sections: vec![(String::new(), String::new(), text)],
        });
    }
    for &i in &r.resolved.companies.sorted {
        let co = &r.model.companies[i];
        // The page shows its other names under the title: they lead the searchable text.
        let names = co.mention_forms();
        let mut text = names[1..].join(" · ");
        text.push(' ');
        text.push_str(co.summary.as_deref().unwrap_or_default());
        for f in &co.facts {
            text.push(' ');
            text.push_str(&f.text);
        }
        out.push(SearchPage {
            url: r.urls.company(&co.id),
            title: co.name.clone(),
            keywords: names.iter().map(|n| n.to_string()).collect(),
            sections: vec![(String::new(), String::new(), text.trim().to_string())],
        });
    }
    for (i, t) in r.model.terms.iter().enumerate() {
        let def = html_text(&r.filler().field(&r.parsed.terms[i].definition)).replace('\n', " ");
        out.push(SearchPage {
            url: r.urls.term(&t.id),
            title: format!("{} · {}", t.term, r.t("glossary")),
            keywords: t.forms().into_iter().chain(t.original.as_deref()).map(str::to_string).collect(),
            sections: vec![(String::new(), String::new(), def)],
        });
    }
    out
}

/// Packs a bigram of two lowercased characters into one key.
fn bigram_key(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 32) | u64::from(b as u32)
}

/// The distinct bigrams of a text, over runs of letters and digits, lowercased.
pub fn bigrams(text: &str, into: &mut Vec<u64>) {
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                if let Some(p) = prev {
                    into.push(bigram_key(p, l));
                }
                prev = Some(l);
            }
        } else {
            prev = None;
        }
    }
}

fn shard_of(key: u64, shards: usize) -> usize {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in key.to_le_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    (h % shards as u64) as usize
}

fn key_string(key: u64) -> String {
    let a = char::from_u32((key >> 32) as u32).unwrap_or('\u{FFFD}');
    let b = char::from_u32(key as u32).unwrap_or('\u{FFFD}');
    format!("{a}{b}")
}

/// Builds the search files; `scan_max` is the text size up to which no index is built.
pub fn build(pages: &[SearchPage], scan_max: usize) -> SearchFiles {
    use rayon::prelude::*;
    let mut files = Vec::new();
    let mut doc_shards = Vec::new();
    let mut shard: Vec<&SearchPage> = Vec::new();
    let mut shard_bytes = 0;
    let mut total_text = 0;
    let flush = |shard: &mut Vec<&SearchPage>, first: usize, files: &mut Vec<(String, Vec<u8>)>, doc_shards: &mut Vec<usize>| {
        if shard.is_empty() {
            return;
        }
        let rows: Vec<serde_json::Value> = shard.iter().map(|p| serde_json::json!([p.url, p.title, p.keywords, p.sections])).collect();
        let bytes = serde_json::to_vec(&rows).expect("search docs serialize");
        files.push((format!("search/docs-{}.json", doc_shards.len()), bytes));
        doc_shards.push(first);
        shard.clear();
    };
    let mut first = 0;
    for (i, p) in pages.iter().enumerate() {
        let size = p.title.len()
            + p.keywords.iter().map(String::len).sum::<usize>()
            + p.sections.iter().map(|s| s.1.len() + s.2.len()).sum::<usize>();
        total_text += size;
        if shard_bytes > 0 && shard_bytes + size > DOC_SHARD_BYTES {
            flush(&mut shard, first, &mut files, &mut doc_shards);
            first = i;
            shard_bytes = 0;
        }
        shard.push(p);
        shard_bytes += size;
    }
    flush(&mut shard, first, &mut files, &mut doc_shards);

    let indexed = total_text > scan_max;
    let mut index_shards = 0;
    if indexed {
        // Distinct bigrams per page, in parallel; then postings per bigram in page order.
        let per_page: Vec<Vec<u64>> = pages
            .par_iter()
            .map(|p| {
                let mut v = Vec::with_capacity(512);
                bigrams(&p.title, &mut v);
                for k in &p.keywords {
                    bigrams(k, &mut v);
                }
                for s in &p.sections {
                    bigrams(&s.1, &mut v);
                    bigrams(&s.2, &mut v);
                }
                v.sort_unstable();
                v.dedup();
                v
            })
            .collect();
        let total: usize = per_page.iter().map(Vec::len).sum();
        index_shards = total.div_ceil(INDEX_SHARD_POSTINGS).max(1);
        let mut shards: Vec<HashMap<u64, Vec<u32>>> = vec![HashMap::new(); index_shards];
        for (page, keys) in per_page.iter().enumerate() {
            for &k in keys {
                shards[shard_of(k, index_shards)].entry(k).or_default().push(page as u32);
            }
        }
        let encoded: Vec<(String, Vec<u8>)> = shards
            .into_par_iter()
            .enumerate()
            .map(|(s, map)| {
                let mut keys: Vec<(&u64, &Vec<u32>)> = map.iter().collect();
                keys.sort_unstable_by_key(|(k, _)| **k);
                let mut out = String::from("{");
                for (n, (k, postings)) in keys.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::to_string(&key_string(**k)).expect("string serializes"));
                    out.push_str(":[");
                    let mut last = 0u32;
                    for (j, p) in postings.iter().enumerate() {
                        if j > 0 {
                            out.push(',');
                        }
                        out.push_str(&(p - last).to_string());
                        last = *p;
                    }
                    out.push(']');
                }
                out.push('}');
                (format!("search/index-{s}.json"), out.into_bytes())
            })
            .collect();
        files.extend(encoded);
    }
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let meta = Meta { version: 1, pages: pages.len(), doc_shards, index_shards, bytes };
    let meta_bytes = serde_json::to_vec(&meta).expect("meta serializes");
    let bytes = bytes + meta_bytes.len();
    files.push(("search/meta.json".to_string(), meta_bytes));
    SearchFiles { files, bytes, pages: pages.len(), indexed }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, text: &str) -> SearchPage {
        SearchPage {
            url: format!("/{title}/"),
            title: title.into(),
            keywords: Vec::new(),
            sections: vec![(String::new(), String::new(), text.into())],
        }
    }

    #[test]
    fn bigrams_cover_words_inside_compounds() {
        let mut v = Vec::new();
        bigrams("인공지능 플랫폼", &mut v);
        let keys: Vec<String> = v.iter().map(|k| key_string(*k)).collect();
        assert_eq!(keys, ["인공", "공지", "지능", "플랫", "랫폼"]);
        let mut v = Vec::new();
        bigrams("Baidu", &mut v);
        assert_eq!(key_string(v[0]), "ba");
    }

    #[test]
    fn small_sites_ship_docs_only() {
        let pages = vec![page("a", "중국의 정책"), page("b", "인공지능")];
        let f = build(&pages, 1_000_000);
        assert!(!f.indexed);
        let names: Vec<&str> = f.files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["search/docs-0.json", "search/meta.json"]);
    }

    #[test]
    fn large_sites_get_a_bigram_index_with_delta_postings() {
        let pages = vec![page("a", "중국의 정책"), page("b", "인공지능"), page("c", "중국은")];
        let f = build(&pages, 0);
        assert!(f.indexed);
        let index: String =
            f.files.iter().filter(|(n, _)| n.starts_with("search/index-")).map(|(_, b)| String::from_utf8(b.clone()).unwrap()).collect();
        // "중국" occurs in pages 0 and 2: delta-coded as [0,2].
        assert!(index.contains("\"중국\":[0,2]"), "{index}");
        assert!(index.contains("\"지능\":[1]"), "{index}");
    }
}
