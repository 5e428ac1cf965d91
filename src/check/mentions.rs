//! Company names in the text that readers cannot follow.
//!
//! The engine links the first mention of each company in every section (a heading starts a
//! new section; each footnote and each YAML text field is a section of its own). Two things
//! slip through, and both are checked here on the parsed HTML:
//!
//! - **unlinked mentions**: a declared name that stands in a section with no link to its
//!   company at all. Headings are never linked, so this is mostly a company named only in a
//!   heading, or a name split by formatting (`바이**두**`).
//! - **undeclared names**: a spelling that differs from every declared name only by letter
//!   case, spaces, hyphens or middle dots (`BAIDU`, `소프트뱅크로보틱스홀딩스`). The engine does not
//!   recognise it, so it is neither linked nor counted on the company's page. It must start a
//!   word and end one, or be followed only by a Korean particle (`…의`, `…에서`).
//!
//! Editors' notes are not the report and are not checked.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::html::{Token, decode_entities, tokens};
use super::locate::Cursor;
use super::{Finding, Kind};
use crate::build::Analysis;
use crate::content::files::Origin;
use crate::error::{Diagnostic, Severity};
use crate::markdown::mentions::{Matcher, spaced};
use crate::markdown::{Fragment, Seg};

/// Text a reader sees as one run (inline formatting and mention links do not break it).
#[derive(Debug, Default, Clone)]
struct Run {
    text: String,
    /// Byte ranges of `text` inside mention links.
    linked: Vec<(usize, usize)>,
    heading: bool,
    section: usize,
}

/// The text runs of one fragment and the companies each section links to.
#[derive(Debug, Default)]
struct Sections {
    runs: Vec<Run>,
    links: HashSet<(usize, String)>,
    section: usize,
}

const INLINE: &[&str] = &["em", "strong", "del", "sup", "sub", "span", "b", "i", "u", "s", "mark", "small", "abbr", "wbr"];
const SKIPPED: &[&str] = &["code", "pre", "kbd", "samp", "svg", "math"];

impl Sections {
    /// Adds a fragment's HTML. `new_sections`: headings start a section (documents);
    /// `heading`: the whole fragment is a heading (a chapter's title).
    fn add(&mut self, frag: &Fragment, new_sections: bool, heading: bool) {
        let mut cur = Run { section: self.section, heading, ..Run::default() };
        // Open links: true for a mention link (its text is read), false for any other link.
        let mut open_links: Vec<bool> = Vec::new();
        let mut skip = 0usize;
        let mut heading = heading;
        for seg in &frag.segs {
            let Seg::Html(h) = seg else {
                self.flush(&mut cur);
                continue;
            };
            for t in tokens(h) {
                match t {
                    Token::Text(raw, _) => {
                        if skip == 0 && !open_links.contains(&false) {
                            cur.text.push_str(&decode_entities(raw));
                        }
                    }
                    Token::Tag(tag) => {
                        let name = &*tag.name;
                        if name == "a" {
                            if tag.closing {
                                if open_links.pop() == Some(true) {
                                    if let Some(last) = cur.linked.last_mut() {
                                        last.1 = cur.text.len();
                                    }
                                } else {
                                    self.flush(&mut cur);
                                }
                            } else {
                                let mention = tag.has_class("mention");
                                if let Some(href) = tag.attr("href") {
                                    self.links.insert((self.section, href.into_owned()));
                                }
                                if mention {
                                    cur.linked.push((cur.text.len(), cur.text.len()));
                                } else {
                                    self.flush(&mut cur);
                                }
                                open_links.push(mention);
                            }
                        } else if SKIPPED.contains(&name) {
                            self.flush(&mut cur);
                            skip = if tag.closing { skip.saturating_sub(1) } else { skip + 1 };
                        } else if is_heading(name) {
                            self.flush(&mut cur);
                            if new_sections && !tag.closing {
                                self.section += 1;
                            }
                            heading = !tag.closing;
                        } else if !INLINE.contains(&name) {
                            self.flush(&mut cur);
                        }
                        cur.section = self.section;
                        cur.heading = heading;
                    }
                }
            }
        }
        self.flush(&mut cur);
    }

    fn flush(&mut self, cur: &mut Run) {
        if !cur.text.trim().is_empty() {
            self.runs.push(cur.clone());
        }
        cur.text.clear();
        cur.linked.clear();
    }

    /// Ends a section: the next fragment starts a new one.
    fn next_section(&mut self) {
        self.section += 1;
    }
}

fn is_heading(name: &str) -> bool {
    name.len() == 2 && name.starts_with('h') && (b'1'..=b'6').contains(&name.as_bytes()[1])
}

/// The characters of `s` as folded for comparison — lowercased, without spaces, hyphens and
/// middle dots — each with the byte range of the character of `s` it comes from.
fn folded_chars(s: &str) -> impl Iterator<Item = (char, usize, usize)> + '_ {
    s.char_indices().flat_map(|(i, c)| {
        let end = i + c.len_utf8();
        let skipped =
            c.is_whitespace() || matches!(c, '-' | '‐' | '‑' | '·' | '・' | '‧' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}');
        // ASCII and Hangul syllables (most of the text) lowercase to themselves or one letter.
        let one = if skipped {
            None
        } else if c.is_ascii() || ('\u{AC00}'..='\u{D7A3}').contains(&c) {
            Some(c.to_ascii_lowercase())
        } else {
            None
        };
        let many = (!skipped && one.is_none()).then(|| c.to_lowercase());
        one.into_iter().chain(many.into_iter().flatten()).map(move |l| (l, i, end))
    })
}

/// `s` folded (see [`folded_chars`]) into `out`, which is cleared first.
fn fold_into(s: &str, out: &mut String) {
    out.clear();
    out.extend(folded_chars(s).map(|(c, _, _)| c));
}

/// The byte range of `s` that the folded bytes `start..end` come from (the match ends at its
/// last character, not after a skipped one that follows).
fn source_range(s: &str, start: usize, end: usize) -> (usize, usize) {
    let (mut at, mut range) = (0, (s.len(), s.len()));
    for (c, from, to) in folded_chars(s) {
        if at == start {
            range.0 = from;
        }
        at += c.len_utf8();
        if at == end {
            range.1 = to;
            break;
        }
    }
    range
}

/// Syllables Korean particles are made of: a name may be followed by these alone (`바이두의`).
const PARTICLE_SYLLABLES: &str = "의가이은는을를와과에서게로으도만까지부터처럼보다나랑하고께라";

fn ends_word(text: &str, end: usize, ascii_final: bool) -> bool {
    if ascii_final {
        // As the engine does: a Latin name may be followed by anything but a Latin letter or digit.
        return !text[end..].chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    }
    let rest: String = text[end..].chars().take_while(|c| c.is_alphanumeric()).collect();
    rest.is_empty() || (rest.chars().count() <= 3 && rest.chars().all(|c| PARTICLE_SYLLABLES.contains(c)))
}

fn starts_word(text: &str, start: usize) -> bool {
    !text[..start].chars().next_back().is_some_and(char::is_alphanumeric)
}

struct Names<'a> {
    a: &'a Analysis,
    exact: Matcher,
    folded: Option<AhoCorasick>,
    folded_owner: Vec<usize>,
    url_owner: HashMap<String, usize>,
}

impl<'a> Names<'a> {
    fn new(a: &'a Analysis) -> Self {
        let companies = &a.model.companies;
        let exact = Matcher::new(companies.iter().enumerate().flat_map(|(i, c)| c.mention_forms().into_iter().map(move |f| (i, f))));
        let mut patterns: Vec<String> = Vec::new();
        let mut folded_owner = Vec::new();
        for (i, c) in companies.iter().enumerate() {
            for f in c.mention_forms() {
                let mut folded = String::new();
                fold_into(f, &mut folded);
                // Very short names match too much once case and spacing are ignored.
                if folded.chars().count() >= 3 && !patterns.contains(&folded) {
                    patterns.push(folded);
                    folded_owner.push(i);
                }
            }
        }
        let folded = if patterns.is_empty() {
            None
        } else {
            AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).kind(Some(AhoCorasickKind::DFA)).build(&patterns).ok()
        };
        let url_owner = companies.iter().enumerate().map(|(i, c)| (a.urls.company(&c.id), i)).collect();
        Names { a, exact, folded, folded_owner, url_owner }
    }

    /// Checks the fragments of one file (already split into runs and sections).
    fn check(&self, origin: &Origin, s: &Sections, self_company: Option<usize>, out: &mut Vec<Finding>) {
        let companies = &self.a.model.companies;
        let linked: HashSet<(usize, usize)> =
            s.links.iter().filter_map(|(sec, url)| self.url_owner.get(url.split('#').next().unwrap_or("")).map(|&c| (*sec, c))).collect();
        // The place of `written` in run `k`: the cursor follows the runs in order, and only as
        // far as a finding needs (most runs have none).
        let (mut cursor, mut synced) = (Cursor::new(origin), 0);
        let mut place = |k: usize, written: &str| {
            for r in &s.runs[synced..=k] {
                cursor.sync(&r.text);
            }
            synced = k + 1;
            cursor.find(written)
        };
        let mut reported: HashSet<(usize, usize)> = HashSet::new();
        let mut undeclared: HashMap<(String, usize), (Finding, usize)> = HashMap::new();
        let mut folded = String::new();
        for (k, run) in s.runs.iter().enumerate() {
            // Names may wrap onto the next line: the run with its line breaks as spaces, as the
            // build reads it (same length, so what is found is at the run's own bytes).
            let shown = spaced(&run.text);
            for f in self.exact.find_all(&shown) {
                let inside_link = run.linked.iter().any(|&(a, b)| f.start >= a && f.end <= b);
                if inside_link || Some(f.owner) == self_company || linked.contains(&(run.section, f.owner)) {
                    continue;
                }
                if !reported.insert((run.section, f.owner)) {
                    continue;
                }
                let c = &companies[f.owner];
                let place = place(k, &run.text[f.start..f.end]);
                let written = &shown[f.start..f.end];
                let (message, help) = if run.heading {
                    (
                        format!("company `{}` ({}) is named in a title or heading, and its section never links it", c.id, c.name),
                        format!("titles and headings are not linked; mention or link it in the text below: [{written}](company:{})", c.id),
                    )
                } else {
                    (
                        format!("company `{}` ({}) is named here but not linked anywhere in its section", c.id, c.name),
                        format!("the name is split by formatting or markup; write it plainly or link it: [{written}](company:{})", c.id),
                    )
                };
                let d = Diagnostic::warning(message).in_file(place.file).at(place.line, place.col).with_help(help);
                out.push(Finding::new(Kind::UnlinkedMention, d));
            }
            let Some(ac) = &self.folded else { continue };
            fold_into(&run.text, &mut folded);
            for m in ac.find_iter(&folded) {
                let owner = self.folded_owner[m.pattern().as_usize()];
                let (start, end) = source_range(&run.text, m.start(), m.end());
                let (source, written) = (&run.text[start..end], &shown[start..end]);
                let c = &companies[owner];
                let forms = c.mention_forms();
                let ascii_final = written.chars().next_back().is_some_and(|ch| ch.is_ascii_alphanumeric());
                if forms.contains(&written)
                    || Some(owner) == self_company
                    || !starts_word(&run.text, start)
                    || !ends_word(&run.text, end, ascii_final)
                {
                    continue;
                }
                if let Some((_, n)) = undeclared.get_mut(&(written.to_string(), owner)) {
                    *n += 1;
                    continue;
                }
                let place = place(k, source);
                let shown: Vec<String> = forms.iter().map(|f| format!("`{f}`")).collect();
                let d = Diagnostic::warning(format!(
                    "`{written}` looks like company `{}` but is not one of its declared names, so it is not recognised",
                    c.id
                ))
                .in_file(place.file)
                .at(place.line, place.col)
                .with_help(format!(
                    "write it as {}, or add \"{written}\" to `aliases` in {}",
                    shown.join(", "),
                    c.origin.file
                ));
                undeclared.insert((written.to_string(), owner), (Finding::new(Kind::UndeclaredName, d), 1));
            }
        }
        let mut found: Vec<(Finding, usize)> = undeclared.into_values().collect();
        found.sort_by_key(|x| (x.0.diagnostic.line, x.0.diagnostic.col));
        for (mut f, n) in found {
            if n > 1 {
                f.diagnostic.message.push_str(&format!(" ({n} times in this file)"));
            }
            out.push(f);
        }
    }
}

/// Every text that links company names: chapters (title, body, footnotes), the home page and
/// the YAML text fields of tables, figures, companies and the glossary.
pub fn check(a: &Analysis) -> Vec<Finding> {
    let names = Names::new(a);
    let m = &a.model;
    let p = &a.parsed;
    let mut out = Vec::new();
    let fields = |frags: &mut dyn Iterator<Item = &Fragment>| {
        let mut s = Sections::default();
        for f in frags {
            s.add(f, false, false);
            s.next_section();
        }
        s
    };
    for (c, ch) in m.chapters.iter().enumerate() {
        let o = &p.chapters[c];
        let mut s = Sections::default();
        s.add(&o.title, false, true);
        s.add(&o.body, true, false);
        for f in &o.footnotes {
            s.next_section();
            s.add(f, false, false);
        }
        names.check(&ch.origin, &s, None, &mut out);
    }
    if let Some(origin) = &m.home.origin {
        let mut s = Sections::default();
        s.add(&p.home.body, true, false);
        names.check(origin, &s, None, &mut out);
    }
    for (i, t) in m.tables.iter().enumerate() {
        let x = &p.tables[i];
        let s = fields(&mut std::iter::once(&x.caption).chain(&x.cells).chain(&x.notes).chain(&x.source));
        names.check(&t.origin, &s, None, &mut out);
    }
    for (i, f) in m.figures.iter().enumerate() {
        let x = &p.figures[i];
        let s = fields(&mut std::iter::once(&x.caption).chain(&x.source).chain(&x.note));
        names.check(&f.origin, &s, None, &mut out);
    }
    for (i, c) in m.companies.iter().enumerate() {
        let x = &p.companies[i];
        let s = fields(&mut x.summary.iter().chain(&x.facts));
        names.check(&c.origin, &s, Some(i), &mut out);
    }
    if let Some(origin) = &m.registry_origins.glossary {
        let s = fields(&mut p.terms.iter().map(|t| &t.definition));
        names.check(origin, &s, None, &mut out);
    }
    for f in &mut out {
        f.diagnostic.severity = Severity::Warning;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_maps_back_to_the_original() {
        let text = "소프트뱅크 로보틱스·Holdings İ";
        let mut f = String::new();
        fold_into(text, &mut f);
        assert_eq!(f, "소프트뱅크로보틱스holdingsi\u{307}", "İ lowercases to two characters");
        let i = f.find("로보").unwrap();
        let (from, _) = source_range(text, i, i + "로보".len());
        assert_eq!(&text[from..], "로보틱스·Holdings İ");
        let j = f.find("스").unwrap() + "스".len();
        assert_eq!(
            &text[source_range(text, 0, j).0..source_range(text, 0, j).1],
            "소프트뱅크 로보틱스",
            "the match ends at its last character, not after the next skipped one"
        );
        let k = f.find("holdings").unwrap();
        assert_eq!(source_range(text, k, f.len()), (text.find('H').unwrap(), text.len()));
    }

    #[test]
    fn names_end_at_a_word_end_or_before_particles() {
        let t = "바이 두의 발표, 인 텔레비전, BAIDUX";
        assert!(ends_word(t, t.find("의").unwrap(), false));
        let tel = t.find("텔").unwrap() + "텔".len();
        assert!(!ends_word(t, tel, false), "인텔 is not inside 인 텔레비전");
        let x = t.find('X').unwrap();
        assert!(!ends_word(t, x, true), "BAIDU is not inside BAIDUX");
        assert!(ends_word("BAIDU가", 5, true), "a Latin name may take a Korean particle");
        assert!(starts_word(t, 0) && !starts_word(t, "바".len()));
    }

    #[test]
    fn runs_follow_sections_and_skip_other_links() {
        let html = "<p>앞 <a class=\"mention\" href=\"/companies/baidu/\">바이두</a>의 글 <a href=\"https://x\">링크 안 바이두</a> 뒤</p>\n\
                    <h2 id=\"a\">바이<em>두</em> 소개</h2>\n<p>본문</p>";
        let frag = Fragment { segs: vec![Seg::Html(html.into())] };
        let mut s = Sections::default();
        s.add(&frag, true, false);
        let texts: Vec<(&str, usize, bool)> = s.runs.iter().map(|r| (r.text.as_str(), r.section, r.heading)).collect();
        assert_eq!(texts, [("앞 바이두의 글 ", 0, false), (" 뒤", 0, false), ("바이두 소개", 1, true), ("본문", 1, false)]);
        assert_eq!(s.runs[0].linked, [("앞 ".len(), "앞 바이두".len())]);
        assert!(s.links.contains(&(0, "/companies/baidu/".to_string())));
    }
}
