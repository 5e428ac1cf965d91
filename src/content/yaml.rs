//! The only place YAML is parsed: typed deserialization with located, readable errors.
//!
//! Everything else calls [`parse`] and [`locate_key`]/[`locate_text`]; swapping the YAML
//! library means changing this file only.

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Error, Result, did_you_mean, line_col};

/// Deserializes `text` (the YAML part of `file`, starting at line `first_line`) into `T`.
pub fn parse<T: DeserializeOwned>(text: &str, file: &str, first_line: usize) -> Result<T> {
    if text.trim().is_empty() {
        return Err(Error::new(Diagnostic::error("empty YAML: expected a mapping of fields").in_file(file).at(first_line, 1)));
    }
    serde_yaml::from_str(text).map_err(|e| Error::new(describe(&e, text, file, first_line)))
}

fn describe(e: &serde_yaml::Error, text: &str, file: &str, first_line: usize) -> Diagnostic {
    let full = e.to_string();
    // serde_yaml appends " at line L column C"; the location goes in front instead.
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full.clone(),
    };
    let (mut line, mut col) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
    let mut help = None;
    if let Some(field) = between(&message, "unknown field `", "`") {
        // "expected one of `a`, `b`, `c`" or "expected `a` or `b`": every backticked name.
        let expected: Vec<&str> =
            message.split_once("expected").map(|(_, rest)| rest.split('`').skip(1).step_by(2).collect()).unwrap_or_default();
        help = Some(match did_you_mean(field, expected.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None if !expected.is_empty() => format!("allowed fields: {}", expected.join(", ")),
            None => "remove it".to_string(),
        });
    }
    if let Some(field) = between(&message, "duplicate field `", "`") {
        // serde_yaml points at the start of the mapping; point at the second occurrence.
        if let Some(off) = nth_key(text, field, 1) {
            (line, col) = line_col(text, off);
        }
        help = Some(format!("`{field}` may appear only once"));
    }
    if message.contains("recursion limit exceeded") {
        help = Some("the YAML is nested too deeply".into());
    }
    // Point at the offending value itself when the message quotes it and it is on that line.
    if line > 0
        && let Some(value) = between(&message, "\"", "\"")
        && let Some(text_line) = text.lines().nth(line - 1)
        && let Some(at) = text_line.find(value)
    {
        col = text_line[..at].chars().count() + 1;
    }
    let line = if line == 0 { 0 } else { line + first_line - 1 };
    let mut d = Diagnostic::error(message).in_file(file).at(line, col);
    d.help = help;
    d
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

/// Byte offset of the `n`-th (0-based) line that defines mapping key `key`.
fn nth_key(text: &str, key: &str, n: usize) -> Option<usize> {
    let mut offset = 0;
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '-']);
        let rest = trimmed
            .strip_prefix(key)
            .or_else(|| trimmed.strip_prefix('"').and_then(|t| t.strip_prefix(key)).and_then(|t| t.strip_prefix('"')));
        if let Some(rest) = rest
            && rest.trim_start().starts_with(':')
        {
            if seen == n {
                return Some(offset + (line.len() - trimmed.len()));
            }
            seen += 1;
        }
        offset += line.len();
    }
    None
}

/// Line and column of the first definition of mapping key `key` in `text`, or (0, 0).
pub fn locate_key(text: &str, key: &str) -> (usize, usize) {
    nth_key(text, key, 0).map_or((0, 0), |off| line_col(text, off))
}

/// Line and column where `needle` first occurs in `text` (a value's own text), or (0, 0).
pub fn locate_text(text: &str, needle: &str) -> (usize, usize) {
    if needle.is_empty() {
        return (0, 0);
    }
    text.find(needle).map_or((0, 0), |off| line_col(text, off))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        id: String,
        values: Vec<String>,
    }

    #[test]
    fn keeps_numbers_as_written() {
        let t: T = parse("id: a\nvalues: [5.980, 10.191]\n", "t.yaml", 1).unwrap();
        assert_eq!(t.values, ["5.980", "10.191"]);
    }

    #[test]
    fn unknown_field_is_located_with_suggestion() {
        let e = parse::<T>("id: a\nvalues: []\nvalue: 3\n", "content/tables/t.yaml", 1).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!((d.line, d.col), (3, 1));
        assert!(d.message.contains("unknown field `value`"), "{}", d.message);
        assert_eq!(d.help.as_deref(), Some("did you mean `values`?"));
    }

    #[test]
    fn front_matter_offset_shifts_lines() {
        let e = parse::<T>("id: a\nvalues: 3\n", "c.md", 2).unwrap_err();
        assert_eq!(e.diagnostics[0].line, 3);
    }

    #[test]
    fn duplicate_key_points_at_second_occurrence() {
        let e = parse::<T>("id: a\nvalues: []\nid: b\n", "t.yaml", 1).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!((d.line, d.col), (3, 1), "{d}");
    }

    #[test]
    fn empty_and_deep_input_are_errors_not_crashes() {
        assert!(parse::<T>("  \n", "t.yaml", 1).is_err());
        let deep = format!("id: a\nvalues: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let e = parse::<T>(&deep, "t.yaml", 1).unwrap_err();
        assert!(e.to_string().contains("t.yaml:"), "{e}");
    }

    #[test]
    fn locates_keys_and_text() {
        let text = "id: a\nrows:\n  - [x, \"goal\"]\n";
        assert_eq!(locate_key(text, "rows"), (2, 1));
        assert_eq!(locate_text(text, "goal"), (3, 10));
    }
}
