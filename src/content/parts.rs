//! Part names: one part spelt two ways (`중국 의 …` beside `중국의 …`) would start a part of its
//! own, so near-identical names are an error at the spelling fewer chapters use.

use super::Chapter;
use crate::error::{Sink, edit_distance};

/// One way a part name is written in the chapters' front matter.
struct Spelling<'a> {
    name: &'a str,
    /// How many chapters write it so.
    uses: usize,
    /// Index of the first chapter (in reading order) that does.
    first: usize,
}

/// Reports each chapter whose part name is nearly the same as another, more used one (or one
/// as used that comes earlier), and returns those misspelt names.
pub fn check_spellings(chapters: &[Chapter], sink: &mut Sink) -> Vec<String> {
    let spellings = spellings(chapters);
    let mut misspelt = Vec::new();
    for (i, wrong) in spellings.iter().enumerate() {
        let Some(right) = preferred_over(i, &spellings) else { continue };
        let (name, file) = (right.name, &chapters[right.first].origin.file);
        for ch in chapters.iter().filter(|c| c.meta.part.as_deref() == Some(wrong.name)) {
            let message = format!(
                "part {:?} is nearly the same as part {name:?} ({file}): as written, this chapter starts a part of its own",
                wrong.name
            );
            let help = format!("write `part: {name:?}` as {file} does, or give the two parts clearly different names");
            sink.push(ch.origin.error_at_key("part", message).with_help(help));
        }
        misspelt.push(wrong.name.to_string());
    }
    misspelt
}

/// The distinct part names in order of first appearance, with their use counts.
fn spellings(chapters: &[Chapter]) -> Vec<Spelling<'_>> {
    let mut out: Vec<Spelling> = Vec::new();
    for (c, name) in chapters.iter().enumerate().filter_map(|(c, ch)| Some((c, ch.meta.part.as_deref()?))) {
        match out.iter_mut().find(|s| s.name == name) {
            Some(s) => s.uses += 1,
            None => out.push(Spelling { name, uses: 1, first: c }),
        }
    }
    out
}

/// The spelling that `spellings[i]` is probably a misspelling of: a near-identical one used by
/// more chapters, or by as many but first written earlier (the most used, if several).
fn preferred_over<'s, 'a>(i: usize, spellings: &'s [Spelling<'a>]) -> Option<&'s Spelling<'a>> {
    let wrong = &spellings[i];
    spellings
        .iter()
        .enumerate()
        .filter(|&(j, s)| s.uses > wrong.uses || (s.uses == wrong.uses && j < i))
        .filter(|(_, s)| near_identical(wrong.name, s.name))
        .min_by_key(|&(j, s)| (std::cmp::Reverse(s.uses), j))
        .map(|(_, s)| s)
}

/// Whether two part names are probably one name written two ways: the same but for spaces, or
/// (without spaces) at most one letter in ten apart, with the same numbers in them. Short names
/// must match but for spaces: `1부` and `2부`, `가 부` and `나 부` are different parts.
pub fn near_identical(a: &str, b: &str) -> bool {
    let squeeze = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let numbers = |s: &str| -> String { s.chars().filter(|c| c.is_numeric()).collect() };
    let (a, b) = (squeeze(a), squeeze(b));
    let shorter = a.chars().count().min(b.chars().count());
    a == b || (numbers(&a) == numbers(&b) && edit_distance(&a, &b) <= shorter / 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_identical_names_differ_by_spaces_or_a_letter() {
        assert!(near_identical("중국의 4차 산업혁명 대응 정책 동향", "중국 의 4차 산업혁명 대응 정책 동향"));
        assert!(near_identical("가 부", "가  부"));
        assert!(near_identical("중국의 4차 산업혁명 대응 정책 동향", "중국의 4차 산업혁명 대응 정첵 동향"));
        assert!(near_identical("4차 산업혁명 관련 기반기술 분야 주요 기업 동향", "4차 산업혁명 관련 기반기술 분야 주요기업동항"));
    }

    #[test]
    fn different_parts_are_not_near_identical() {
        // The report's own parts.
        assert!(!near_identical("중국의 4차 산업혁명 대응 정책 동향", "4차 산업혁명 관련 기반기술 분야 주요 기업 동향"));
        assert!(!near_identical("1부", "2부"));
        assert!(!near_identical("가 부", "나 부"));
        assert!(!near_identical("2015년 이후 중국의 산업 정책 동향", "2016년 이후 중국의 산업 정책 동향"));
    }
}
