//! 가나다 order: a Unicode-aware sort key for Korean names, and initial-consonant groups.

/// The initial consonants (초성) in dictionary order, for grouping an index.
const INITIALS: [char; 19] =
    ['ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ'];

/// Sort key: Hangul first in 가나다 order (syllable code points follow the dictionary), then
/// Latin letters case-insensitively, then digits, then everything else by code point.
pub fn key(s: &str) -> Vec<(u8, u32)> {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '‘' | '’' | '\'' | '"' | '「' | '」'))
        .map(|c| {
            let cp = c as u32;
            if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
                (0, cp)
            } else if ('\u{3131}'..='\u{318E}').contains(&c) {
                (0, compat_jamo_rank(c))
            } else if c.is_ascii_alphabetic() {
                (1, c.to_ascii_lowercase() as u32)
            } else if c.is_ascii_digit() {
                (2, cp)
            } else {
                (3, cp)
            }
        })
        .collect()
}

/// Places a lone compatibility jamo (ㄱ) just before the syllables that start with it.
fn compat_jamo_rank(c: char) -> u32 {
    match INITIALS.iter().position(|&i| i == c) {
        Some(i) => 0xAC00 + (i as u32) * 588 - 1,
        None => c as u32,
    }
}

/// The index heading a name is listed under: its initial consonant (ㄲ under ㄱ), or the
/// upper-cased first letter, or `#` for anything else.
pub fn group(s: &str) -> String {
    let Some(c) = s.trim_start_matches(|c: char| !c.is_alphanumeric()).chars().next() else {
        return "#".into();
    };
    if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
        let i = ((c as u32 - 0xAC00) / 588) as usize;
        let merged = match INITIALS[i] {
            'ㄲ' => 'ㄱ',
            'ㄸ' => 'ㄷ',
            'ㅃ' => 'ㅂ',
            'ㅆ' => 'ㅅ',
            'ㅉ' => 'ㅈ',
            other => other,
        };
        merged.to_string()
    } else if c.is_ascii_alphabetic() {
        c.to_ascii_uppercase().to_string()
    } else {
        "#".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ganada_order() {
        let mut names = vec!["폭스콘", "Google", "거링선통", "까치", "바이두", "알리바바", "나무", "기즈윅츠", "123"];
        names.sort_by_key(|n| key(n));
        assert_eq!(names, ["거링선통", "기즈윅츠", "까치", "나무", "바이두", "알리바바", "폭스콘", "Google", "123"]);
    }

    #[test]
    fn groups_by_initial_consonant() {
        assert_eq!(group("바이두"), "ㅂ");
        assert_eq!(group("까치"), "ㄱ");
        assert_eq!(group("텐센트"), "ㅌ");
        assert_eq!(group("Google"), "G");
        assert_eq!(group("‘위뱅크’"), "ㅇ");
        assert_eq!(group("★"), "#");
    }
}
