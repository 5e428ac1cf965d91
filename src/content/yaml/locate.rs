//! Where a key, a value or a piece of text stands in a YAML file (line and column, or a byte
//! offset), read from the text itself: for located errors after the YAML was parsed.

use super::lines::{is_null, without_comment};
use crate::error::line_col;

/// Byte offset of the `n`-th (0-based) line that defines mapping key `key`.
pub(super) fn nth_key(text: &str, key: &str, n: usize) -> Option<usize> {
    let mut offset = 0;
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        for (at, _) in keys_on_line(line, key) {
            if seen == n {
                return Some(offset + at);
            }
            seen += 1;
        }
        offset += line.len();
    }
    None
}

/// Where mapping key `key` is defined on `line`: at its start (after indentation and list
/// dashes) or inside a flow mapping (`- {date: x, key: y}`), quoted or not. Each as (byte
/// position of the key, byte position just after its `:`).
pub(super) fn keys_on_line<'a>(line: &'a str, key: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
    let lead = line.len() - line.trim_start_matches([' ', '-']).len();
    line.match_indices(key).filter_map(move |(i, _)| {
        let quoted = line[..i].ends_with('"') && line[i + key.len()..].starts_with('"');
        let (before, after) = if quoted { (i - 1, i + key.len() + 1) } else { (i, i + key.len()) };
        let in_flow = line[..before].trim_end().ends_with(['{', ',']) && line[..before].contains('{');
        if !(before == lead || in_flow) {
            return None;
        }
        let rest = line[after..].trim_start().strip_prefix(':')?;
        Some((before, line.len() - rest.len()))
    })
}

/// Line and column of the first definition of mapping key `key` in `text`, or (0, 0).
pub fn locate_key(text: &str, key: &str) -> (usize, usize) {
    locate_nth_key(text, key, 0)
}

/// Line and column of the first definition of mapping key `key` after that of `section` (a
/// chart's `unit`, not the table's); of `section` itself if there is none, or (0, 0).
pub fn locate_key_under(text: &str, section: &str, key: &str) -> (usize, usize) {
    let Some(from) = nth_key(text, section, 0) else { return (0, 0) };
    match nth_key(&text[from..], key, 0) {
        Some(off) => line_col(text, from + off),
        None => line_col(text, from),
    }
}

/// Line and column of the `n`-th (0-based) definition of mapping key `key`, or (0, 0).
pub fn locate_nth_key(text: &str, key: &str, n: usize) -> (usize, usize) {
    nth_key(text, key, n).map_or((0, 0), |off| line_col(text, off))
}

/// Line and column where `needle` first occurs in `text` (a value's own text; see
/// [`find_text`]), or (0, 0).
pub fn locate_text(text: &str, needle: &str) -> (usize, usize) {
    find_text(text, needle).map_or((0, 0), |off| line_col(text, off))
}

/// Byte offset where `needle` (a value's own text) first occurs in `text`. A value YAML read
/// from several lines (folded into spaces) or with escapes (`\"`) is not in the file as it
/// reads: then where its longest beginning is, if that is long enough (8 characters) to be
/// its own.
pub fn find_text(text: &str, needle: &str) -> Option<usize> {
    const LEAST: usize = 8;
    if needle.is_empty() {
        return None;
    }
    if let Some(off) = text.find(needle).or_else(|| find_folded(text, needle)) {
        return Some(off);
    }
    let ends: Vec<usize> = needle.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
    if ends.len() < LEAST {
        return None;
    }
    // Found beginnings are a run from the shortest: the longest is found by bisection.
    let (mut found, mut low, mut missing) = (None, LEAST - 1, ends.len());
    while low < missing {
        let mid = (low + missing) / 2;
        match text.find(&needle[..ends[mid]]) {
            Some(off) => {
                found = Some(off);
                low = mid + 1;
            }
            None => missing = mid,
        }
    }
    found
}

/// Byte offset where `needle`'s words stand in `text` in order, separated by any whitespace
/// (line breaks and indentation where YAML folded a value into single spaces).
fn find_folded(text: &str, needle: &str) -> Option<usize> {
    let mut words = needle.split_whitespace();
    let first = words.next()?;
    let rest: Vec<&str> = words.collect();
    let mut from = 0;
    while let Some(i) = text[from..].find(first) {
        let start = from + i;
        let mut at = start + first.len();
        let follows = rest.iter().all(|w| {
            let gap = text[at..].len() - text[at..].trim_start().len();
            let found = gap > 0 && text[at + gap..].starts_with(w);
            at += gap + w.len();
            found
        });
        if follows {
            return Some(start);
        }
        from = start + first.len();
    }
    None
}

/// Where a value's text stands in its file, word by word. YAML drops a block text's
/// indentation, folds line breaks into spaces and reads escapes, so an offset into the value
/// is found through the word it falls in: each word is looked for just after the one before.
#[derive(Debug)]
pub struct TextPlaces {
    /// Each word found: (offset in the value, offset in the file).
    words: Vec<(usize, usize)>,
}

impl TextPlaces {
    /// The places of `value`'s words in `text`, from where [`find_text`] finds the value (or
    /// its first line); `None` when it is not there as written.
    pub fn find(text: &str, value: &str) -> Option<TextPlaces> {
        let start = find_text(text, value).or_else(|| value.lines().next().and_then(|l| find_text(text, l.trim())))?;
        let (mut words, mut cursor, mut last_end) = (Vec::new(), start, 0);
        for (at, word) in words_of(value) {
            let Some(i) = text[cursor..].find(word) else { continue };
            // Only whitespace between, or not much more than the value has: an escape (`\"`);
            // a word found further on is another occurrence, not this one.
            let gap = &text[cursor..cursor + i];
            if gap.trim().is_empty() || i <= at - last_end + 8 {
                words.push((at, cursor + i));
                cursor += i + word.len();
                last_end = at + word.len();
            }
        }
        (!words.is_empty()).then_some(TextPlaces { words })
    }

    /// The file offset of byte `offset` of the value.
    pub fn file_offset(&self, offset: usize) -> usize {
        let k = self.words.partition_point(|&(at, _)| at <= offset).max(1) - 1;
        let (at, file) = self.words[k];
        file + offset.saturating_sub(at)
    }
}

/// The words of `s` (runs of non-whitespace), each with its byte offset.
fn words_of(s: &str) -> impl Iterator<Item = (usize, &str)> {
    s.split(char::is_whitespace).filter(|w| !w.is_empty()).map(move |w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
}

/// Line and column of `value` given to mapping key `key` — `key: value`, an item of a flow
/// list `key: [a, value]` or of a block list under `key:` — at its `nth` (0-based) such place
/// in `text`. Failing that, where its first line is so given (a value over several lines),
/// where `value` first stands as a whole word, then anywhere (see [`find_text`]), then the key
/// if it is defined once, then (0, 0).
/// (`chapter: ai` is found on its own line, not inside `id: baidu` or `sectors: [ai]`.)
pub fn locate_value(text: &str, key: &str, value: &str, nth: usize) -> (usize, usize) {
    let once = || nth_key(text, key, 1).is_none().then(|| nth_key(text, key, 0)).flatten();
    if value.trim().is_empty() {
        return nth_empty_value(text, key, nth).or_else(once).map_or((0, 0), |off| line_col(text, off));
    }
    // A value written over several lines: its first line begins where it is written.
    let first_line = value.lines().next().filter(|l| l.len() < value.len() && !l.trim().is_empty());
    let at = nth_value(text, key, value, nth)
        .or_else(|| first_line.and_then(|l| nth_value(text, key, l.trim(), nth)))
        .or_else(|| word_at(text, 0, value))
        .or_else(|| find_text(text, value))
        // Written so that no part of it reads as it is written (a plain scalar folded over
        // several lines): the key, if the file defines it once.
        .or_else(once);
    at.map_or((0, 0), |off| line_col(text, off))
}

/// Byte offset of the `nth` key `key` written with nothing after it (`id:`, `id: ""`, `id: ~`)
/// and no block below it.
fn nth_empty_value(text: &str, key: &str, nth: usize) -> Option<usize> {
    let mut offset = 0;
    let mut seen = 0;
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let start = offset;
        offset += line.len();
        let Some((at, after)) = keys_on_line(line, key).next() else { continue };
        let mut rest = without_comment(&line[after..]);
        // In a flow mapping (`- {label: 항주, value: ""}`) the value ends at `,` or `}`.
        if line[..at].matches('{').count() > line[..at].matches('}').count() {
            rest = rest.split([',', '}']).next().unwrap_or("").trim();
        }
        if !(matches!(rest, "" | "\"\"" | "''") || is_null(rest)) {
            continue;
        }
        // A value on the lines below, indented further, is not empty.
        let indent = line.len() - line.trim_start_matches([' ', '-']).len();
        let below = lines.peek().is_some_and(|next| {
            let body = next.trim_start();
            !body.is_empty() && !body.starts_with('#') && next.len() - body.len() > indent
        });
        if rest.is_empty() && below {
            continue;
        }
        if seen == nth {
            return Some(start + at);
        }
        seen += 1;
    }
    None
}

/// Byte offset of the `nth` place where `value` is given to key `key` (see [`locate_value`]).
fn nth_value(text: &str, key: &str, value: &str, nth: usize) -> Option<usize> {
    let mut seen = 0;
    let mut offset = 0;
    // The indentation of a `key:` line whose value is a block list below it.
    let mut list_under: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = line.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        // The span of the line that may hold the value: a block list's item, or after `key:`.
        let mut span = None;
        if let Some(k) = list_under {
            if indent >= k && content.starts_with('-') {
                span = Some((line.len() - line.trim_start_matches([' ', '-']).len(), line.len()));
            } else {
                list_under = None;
            }
        }
        if span.is_none() {
            match value_after_key(line, key) {
                Some(None) => {
                    list_under = Some(indent);
                    continue;
                }
                Some(Some(s)) => span = Some(s),
                None => {}
            }
        }
        if let Some((from, to)) = span
            && let Some(at) = word_at(&line[..to], from, value)
        {
            if seen == nth {
                return Some(start + at);
            }
            seen += 1;
        }
    }
    None
}

/// Where the value of key `key` is on `line`: `Some(Some((from, to)))` for a value on the line
/// (a scalar, up to `,`/`}` inside a flow mapping `{a: x, key: value}`; a whole flow list),
/// `Some(None)` when the key's value is below it (a block), `None` when the key is not there.
fn value_after_key(line: &str, key: &str) -> Option<Option<(usize, usize)>> {
    let (before, from) = keys_on_line(line, key).next()?;
    let value = line[from..].trim_start();
    if value.is_empty() || value.starts_with('#') {
        return Some(None);
    }
    let in_flow = line[..before].contains('{');
    let to = if value.starts_with('[') {
        value.find(']').map_or(line.len(), |j| line.len() - value.len() + j)
    } else if in_flow {
        value.find([',', '}']).map_or(line.len(), |j| line.len() - value.len() + j)
    } else {
        line.len()
    };
    Some(Some((from, to)))
}

/// Line and column of the `n`-th (0-based) item of the block list that is the value of the
/// first definition of key `key` (`rows:` followed by `- [...]` lines), or `None` when the
/// value is not a block list with that many items (a flow list on one line, say).
pub fn locate_item(text: &str, key: &str, n: usize) -> Option<(usize, usize)> {
    let key_at = nth_key(text, key, 0)?;
    let line_end = text[key_at..].find('\n').map_or(text.len(), |i| key_at + i + 1);
    let after = text[key_at..line_end].split_once(':')?.1.trim();
    if !(after.is_empty() || after.starts_with('#')) {
        return None;
    }
    let mut offset = line_end;
    let mut item_indent = None;
    let mut seen = 0;
    for line in text[line_end..].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let m = *item_indent.get_or_insert(indent);
        if indent < m || (indent == m && !content.starts_with('-')) {
            break;
        }
        // Deeper lines continue the item above them.
        if indent == m {
            if seen == n {
                let item = line[indent + 1..].trim_start_matches(' ');
                return Some(line_col(text, start + line.len() - item.len()));
            }
            seen += 1;
        }
    }
    None
}

/// The plain value of top-level key `key` (`id: baidu`, `slug: "ai"`) read line by line, for
/// a file that failed to parse: what it meant to define, so that errors elsewhere that merely
/// follow from its failure are not reported. Reading stops at a `---` line after the first.
pub fn top_level_scalar(text: &str, key: &str) -> Option<String> {
    for (i, line) in text.lines().enumerate() {
        if i > 0 && line.trim_end() == "---" {
            break;
        }
        let Some(rest) = line.strip_prefix(key).and_then(|r| r.trim_start().strip_prefix(':')) else { continue };
        let rest = rest.split(" #").next().unwrap_or("").trim();
        let unquoted = ['"', '\''].iter().find_map(|&q| rest.strip_prefix(q).and_then(|r| r.strip_suffix(q)));
        let value = unquoted.unwrap_or(rest);
        return (!value.is_empty()).then(|| value.to_string());
    }
    None
}

/// Byte offset of the first place at or after `from` where `value` stands as a whole YAML
/// scalar: not inside a longer word (`ai` is not inside `baidu` or `ai-chips`).
fn word_at(text: &str, from: usize, value: &str) -> Option<usize> {
    let word = |c: char| c.is_alphanumeric() || c == '-' || c == '_' || c == '.';
    text[from..]
        .match_indices(value)
        .map(|(i, _)| from + i)
        .find(|&i| !text[..i].chars().next_back().is_some_and(word) && !text[i + value.len()..].chars().next().is_some_and(word))
}
