//! Finding company names and glossary terms in running text, and cutting excerpts around them.

use std::borrow::Cow;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// Finds any of a set of name forms in text, each form standing for one owner (company or term).
pub struct Matcher {
    ac: Option<AhoCorasick>,
    owners: Vec<usize>,
    ascii: Vec<bool>,
}

/// A found mention: owner index and byte range in the searched text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub owner: usize,
    pub start: usize,
    pub end: usize,
}

impl Matcher {
    /// `forms`: (owner, form) pairs. Longer forms win over shorter ones at the same place.
    pub fn new<'a>(forms: impl IntoIterator<Item = (usize, &'a str)>) -> Self {
        Self::for_text(forms, 0)
    }

    /// [`Matcher::new`] for searching about `text_bytes` of text in all.
    pub fn for_text<'a>(forms: impl IntoIterator<Item = (usize, &'a str)>, text_bytes: usize) -> Self {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        let mut ascii = Vec::new();
        for (owner, form) in forms {
            let form = form.trim();
            if form.is_empty() {
                continue;
            }
            ascii.push(form.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()));
            patterns.push(form.to_string());
            owners.push(owner);
        }
        // A DFA searches fastest but takes longest to build: worth it for many names or much
        // text, which come with a large report. A single report builds the NFA that takes least
        // to build (its names are found as fast as with the contiguous one, measured on the
        // report: 0.4 M fewer instructions in all).
        let kind = if patterns.len() > 256 || text_bytes > 1 << 20 { AhoCorasickKind::DFA } else { AhoCorasickKind::NoncontiguousNFA };
        let ac = if patterns.is_empty() {
            None
        } else {
            AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).kind(Some(kind)).build(&patterns).ok()
        };
        Matcher { ac, owners, ascii }
    }

    /// All mentions in `text`, left to right, that stand on word boundaries. (A text whose
    /// lines wrap is searched as [`spaced`].)
    pub fn find_all(&self, text: &str) -> Vec<Found> {
        let Some(ac) = &self.ac else { return Vec::new() };
        let mut out = Vec::new();
        for m in ac.find_iter(text) {
            let p = m.pattern().as_usize();
            if boundary_ok(text, m.start(), m.end(), self.ascii[p]) {
                out.push(Found { owner: self.owners[p], start: m.start(), end: m.end() });
            }
        }
        out
    }
}

/// `text` with its line breaks as the spaces they show as, to be searched for names that wrap
/// onto the next line of the source. The same length: what is found in it is at the same
/// bytes in `text`.
pub fn spaced(text: &str) -> Cow<'_, str> {
    if text.contains('\n') { text.replace('\n', " ").into() } else { text.into() }
}

/// Latin names must stand alone (`Mi` is not inside `Midea`); Korean and Chinese names
/// may carry particles after them (`바이두의`) but must not continue a longer word before.
fn boundary_ok(text: &str, start: usize, end: usize, ascii: bool) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    if ascii {
        !before.is_some_and(|c| c.is_alphanumeric()) && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    } else {
        !before.is_some_and(is_hangul_syllable)
    }
}

fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// A short excerpt of `text` around byte range `start..end`: the sentence it is in, cut to
/// about `before` characters before and `after` characters after, with `…` where cut.
pub fn excerpt(text: &str, start: usize, end: usize) -> String {
    const BEFORE: usize = 40;
    const AFTER: usize = 60;
    let start = start.min(text.len());
    let end = end.clamp(start, text.len());
    let bytes = text.as_bytes();
    // Sentence start: after the last ". " (or "다. ") before the match. Only the last BEFORE + 1
    // characters are looked at: a sentence starting further back is cut to BEFORE anyway.
    // (One byte more: a ". " may straddle the window's edge.)
    let window = text[..start].char_indices().rev().nth(BEFORE).map_or(0, |(i, _)| i);
    let from = window.saturating_sub(1);
    let head_start = memchr::memmem::rfind(&bytes[from..start], b". ").map_or(window, |i| from + i + 2);
    // Sentence end: through the first ". " after the match, looked for within AFTER + 1 characters.
    let window = text[end..].char_indices().nth(AFTER + 1).map_or(text.len(), |(i, _)| end + i);
    let tail_end = match memchr::memmem::find(&bytes[end..(window + 1).min(text.len())], b". ") {
        Some(i) => end + i + 1,
        None => window,
    };
    let head = &text[head_start..start];
    let tail = &text[end..tail_end];
    let mut out = String::with_capacity(head.len() + (end - start) + tail.len() + 6);
    match head.char_indices().rev().nth(BEFORE - 1) {
        Some((i, _)) if i > 0 => {
            out.push('…');
            out.push_str(&head[i..]);
        }
        _ => out.push_str(head),
    }
    out.push_str(&text[start..end]);
    match tail.char_indices().nth(AFTER) {
        Some((i, _)) => {
            out.push_str(&tail[..i]);
            out.push('…');
        }
        None => out.push_str(tail),
    }
    let trimmed = out.trim();
    if trimmed.len() == out.len() { out } else { trimmed.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names_with_particles_and_prefers_longest() {
        let m = Matcher::new([(0, "바이두"), (1, "소프트뱅크"), (2, "소프트뱅크 로보틱스홀딩스"), (3, "Baidu")]);
        let text = "바이두의 연구와 ‘소프트뱅크 로보틱스홀딩스’를 설립. Baidu, xBaidu";
        let found: Vec<usize> = m.find_all(text).iter().map(|f| f.owner).collect();
        assert_eq!(found, [0, 2, 3]);
    }

    #[test]
    fn names_are_found_across_a_line_break() {
        let m = Matcher::new([(0, "중국 과학기술부"), (1, "Horizon Robotics")]);
        let text = "중국\n과학기술부와 Horizon\nRobotics";
        assert!(m.find_all(text).is_empty());
        let found: Vec<(usize, &str)> = m.find_all(&spaced(text)).iter().map(|f| (f.owner, &text[f.start..f.end])).collect();
        assert_eq!(found, [(0, "중국\n과학기술부"), (1, "Horizon\nRobotics")]);
    }

    #[test]
    fn latin_names_need_word_boundaries() {
        let m = Matcher::new([(0, "Mi"), (1, "Midea")]);
        let found: Vec<usize> = m.find_all("Midea and Mi band, Mix").iter().map(|f| f.owner).collect();
        assert_eq!(found, [1, 0]);
    }

    #[test]
    fn korean_names_do_not_match_inside_longer_words() {
        let m = Matcher::new([(0, "위뱅크")]);
        assert!(m.find_all("소위뱅크").is_empty());
        assert_eq!(m.find_all("‘위뱅크’에서").len(), 1);
    }

    #[test]
    fn excerpt_cuts_to_the_sentence() {
        let text = "첫 문장이다. 둘째 문장에서 바이두가 나온다. 셋째 문장.";
        let i = text.find("바이두").unwrap();
        assert_eq!(excerpt(text, i, i + "바이두".len()), "둘째 문장에서 바이두가 나온다.");
        let long = format!("{}바이두{}", "가".repeat(100), "나".repeat(100));
        let i = long.find("바이두").unwrap();
        let e = excerpt(&long, i, i + "바이두".len());
        assert!(e.starts_with('…') && e.ends_with('…'));
        assert_eq!(e.chars().count(), 40 + 3 + 60 + 2);
    }

    /// `excerpt` against its plain definition (the whole sentence around the match, cut to 40
    /// characters before and 60 after), on texts of every length from pieces that make sentence
    /// ends, spaces, Korean and Latin letters, at every match position.
    #[test]
    fn excerpt_matches_its_definition() {
        fn definition(text: &str, start: usize, end: usize) -> String {
            let start = start.min(text.len());
            let end = end.clamp(start, text.len());
            let sentence_start = text[..start].rfind(". ").map_or(0, |i| i + 2);
            let sentence_end = text[end..].find(". ").map_or(text.len(), |i| end + i + 1);
            let head: Vec<char> = text[sentence_start..start].chars().collect();
            let tail: Vec<char> = text[end..sentence_end].chars().collect();
            let mut out = String::new();
            if head.len() > 40 {
                out.push('…');
                out.extend(&head[head.len() - 40..]);
            } else {
                out.extend(&head);
            }
            out.push_str(&text[start..end]);
            if tail.len() > 60 {
                out.extend(&tail[..60]);
                out.push('…');
            } else {
                out.extend(&tail);
            }
            out.trim().to_string()
        }
        // Sentence ends are rare enough that sentences run past both cut lengths.
        const PIECES: [&str; 40] = [
            ". ", "다. ", ".", ".", "가", "가", "가", "가", "가", "가", "가", "가", "가", "가", "가", "가", "a", "a", "a", "a", "a", "a",
            "a", "a", "a", "a", " ", " ", " ", " ", " ", " ", "나", "나", "나", "나", "b", "b", "b", "b",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for len in 0..200 {
            for _ in 0..6 {
                let text = crate::testing::random_text(&mut seed, &PIECES, len);
                let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
                for (k, &a) in bounds.iter().enumerate() {
                    for &b in bounds[k..].iter().take(3) {
                        assert_eq!(excerpt(&text, a, b), definition(&text, a, b), "{text:?} {a}..{b}");
                    }
                }
            }
        }
    }
}
