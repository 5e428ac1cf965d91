//! Heading ids: readable, stable ids from heading text (Korean kept), unique within a page.

use rustc_hash::FxHashSet as HashSet;

/// Ids the page layout uses itself; headings never take them.
const RESERVED: &[&str] = &[
    "main",
    "top",
    "content",
    "footnotes",
    "footnotes-h",
    "backlinks",
    "backlinks-h",
    "otp-h",
    "search",
    "search-panel",
    "site-search",
    "nav",
    "toc",
    "site-nav",
    "skip",
];

/// Longest id made from heading text, in characters (ids stay readable in URLs).
const MAX_CHARS: usize = 30;

/// Whether the page's layout uses `id` itself (a heading may not take it).
pub fn is_reserved(id: &str) -> bool {
    RESERVED.contains(&id)
}

/// A readable id from heading text: lowercased letters and digits of any script, words
/// joined with `-`, cut near 30 characters.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut pending_dash = false;
    let mut in_hole = false;
    for c in text.chars() {
        if super::ir::is_in_hole(c, &mut in_hole) {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                if count + 1 >= MAX_CHARS {
                    break;
                }
                out.push('-');
                count += 1;
            }
            pending_dash = false;
            for l in c.to_lowercase() {
                out.push(l);
            }
            count += 1;
            if count >= MAX_CHARS {
                break;
            }
        } else if !out.is_empty() {
            pending_dash = true;
        }
    }
    if out.is_empty() { "section".to_string() } else { out }
}

/// Hands out unique ids for one page.
#[derive(Debug, Default)]
pub struct IdSet {
    used: HashSet<String>,
}

impl IdSet {
    /// Claims `wanted` (or `wanted-2`, `-3`, … when taken or reserved).
    pub fn claim(&mut self, wanted: &str) -> String {
        let mut id = wanted.to_string();
        let mut n = 1;
        while RESERVED.contains(&id.as_str()) || self.used.contains(&id) {
            n += 1;
            id = format!("{wanted}-{n}");
        }
        self.used.insert(id.clone());
        id
    }

    /// Claims an explicit id exactly; false if it is already taken.
    pub fn claim_exact(&mut self, id: &str) -> bool {
        !RESERVED.contains(&id) && self.used.insert(id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_headings_get_readable_ids() {
        assert_eq!(slugify("가. 제조업 공통으로 적용할 5대 프로젝트"), "가-제조업-공통으로-적용할-5대-프로젝트");
        assert_eq!(slugify("Made in China 2025!"), "made-in-china-2025");
        assert_eq!(slugify("★★★"), "section");
        let long = slugify(
            "가. 중국은 13차 5개년 계획(2016~2020)의 제조업 육성을 위한 산업정책으로 「중국제조 2025 (Made in China 2025)」를 발표·추진(2015.5.)",
        );
        assert!(long.chars().count() <= 30, "{long}");
        assert!(!long.ends_with('-'));
        assert!(long.starts_with("가-중국은-13차-5개년"), "{long}");
    }

    #[test]
    fn ids_are_unique_and_avoid_reserved() {
        let mut ids = IdSet::default();
        assert_eq!(ids.claim("개요"), "개요");
        assert_eq!(ids.claim("개요"), "개요-2");
        assert_eq!(ids.claim("main"), "main-2");
        assert!(!ids.claim_exact("개요"));
        assert!(ids.claim_exact("my-id"));
    }
}
