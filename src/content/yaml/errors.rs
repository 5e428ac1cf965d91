//! serde_yaml's errors in an editor's words: its message without inner locations, the path
//! to the failing value counted from 1, Rust's type names in words, and a fix for each mistake
//! editors make (a tab, a key out of line, text after a closing quote, an unquoted number).
//! What depends on the library's messages is here.

use super::between;
use super::lines::{double_quoted, is_key, key_value, without_comment};
use super::locate::{keys_on_line, nth_key};
use crate::error::{Diagnostic, line_col, unknown_field_help};

pub(super) fn describe(e: &serde_yaml::Error, text: &str, file: &str, first_line: usize) -> Diagnostic {
    // serde_yaml and libyaml put " at line L column C" into the message (counted in the YAML
    // part, not the file); the location goes in front instead, in the file's own lines.
    let mut message = plain_types(&readable_path(&strip_locations(&e.to_string())));
    let (mut line, mut col) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
    let mut help = unknown_field_help(&message).or_else(|| syntax_help(&message).map(String::from));
    // libyaml says only that a character "cannot start any token": name a tab as the tab it is.
    if message.contains("cannot start any token") && char_at(text, line, col) == Some('\t') {
        help = Some(TAB_HELP.into());
    }
    // A key indented under a line that already has its value reads as that value going on.
    if (message.contains("mapping values are not allowed") || message.contains("did not find expected key"))
        && let Some((above, key_col)) = overindented_key(text, line, col)
    {
        help = Some(format!(
            "this line is indented more than line {}, whose value is already given: start it at column {key_col}, as the keys beside it",
            above + first_line - 1
        ));
    }
    // A block text (`key: |`) whose lines start no further right than its key: they read as keys.
    if message.contains("could not find expected ':'") {
        let no_space = colon_without_space(text, line);
        help = Some(match (no_space, unindented_block(text, line)) {
            (Some((at, after, fixed)), _) => {
                // The mistake is on the line above, where the colon lacks its space.
                (line, col) = (at, after);
                format!("write a space after the colon: `{fixed}`")
            }
            (None, Some((key, indicator, at, first, col))) => format!(
                "the text of `{key}: {indicator}` on line {} must be indented further than `{key}`: line {} starts at column {col}, as `{key}` does",
                at + first_line - 1,
                first + first_line - 1
            ),
            (None, None) => "this line is read as a key without its `:`: a text that goes on from the line above must be indented further than its key, or be in quotes".to_string(),
        });
    }
    // A quote left open swallows the lines after it; the parser stumbles only further down.
    if message.contains("did not find expected key")
        && let Some(open) = text.lines().take(line).position(|l| (l.matches('"').count() - l.matches("\\\"").count()) % 2 == 1)
    {
        help = Some(format!("the quote opened on line {} is not closed", open + first_line));
    }
    // `caption: '인터넷 플러스'의 …`: the quoted value ends at its closing quote, and text follows.
    if ["did not find expected key", "did not find expected '-'", "expected <block end>"].iter().any(|m| message.contains(m))
        && let Some((lead, fixed, quote)) = text_after_quote(text, line)
    {
        help = Some(format!(
            "a value that starts with a quote ends at its closing quote, and text follows it here: put the whole value in {quote} quotes, `{lead}{fixed}`"
        ));
    }
    // `- 주: 중국 제조업`: the `: ` makes a text a mapping.
    if message.contains("invalid type: map, expected a string")
        && let Some(written) =
            line.checked_sub(1).and_then(|l| text.lines().nth(l)).map(|l| l.chars().skip(col.saturating_sub(1)).collect::<String>())
        && !written.starts_with('{')
        && written.contains(": ")
    {
        let written = without_comment(&written);
        let quoted = double_quoted(written);
        help = Some(format!("YAML reads `{written}` as a mapping (`key: value`) because of its `: `: put the text in quotes, {quoted}"));
    }
    if let Some(field) = between(&message, "duplicate field `", "`") {
        // serde_yaml points at the start of the mapping; point at the second occurrence.
        if let Some(off) = nth_key(text, field, 1) {
            (line, col) = line_col(text, off);
        }
        help = Some(format!("`{field}` may appear only once"));
    }
    if let Some(field) = between(&message, "missing field `", "`") {
        help = Some(match misaligned_key(text, field, line, col) {
            Some((at, found)) => format!(
                "`{field}` is on line {} at column {found}, not lined up with this mapping's first key (column {col}): the keys of one mapping start at the same column{}",
                at + first_line - 1,
                if text.lines().nth(line - 1).is_some_and(|l| l.trim_start().starts_with("-  ")) {
                    "; write one space after `-`"
                } else {
                    ""
                }
            ),
            None => format!("the mapping that starts here needs a line `{field}: …`"),
        });
    }
    // An unquoted number in a cell: YAML has already dropped what the editor wrote beyond its
    // value (5.980 is 5.98), so the fix quotes the literal as written in the file.
    if message.contains("a number in a cell")
        && let Some(literal) = number_at(text, line, col)
    {
        help = Some(format!("quote it to keep it exactly as written: \"{literal}\""));
    }
    if message.contains("expected a sequence")
        && let Some(value) = between(&message, "invalid type: string \"", "\"")
    {
        // `header: [구분, 값]`: a row where a list of rows was expected.
        let row_of = ["header, item ", "rows, row "].iter().find(|p| message.starts_with(**p)).and_then(|p| p.split(',').next());
        help = Some(match row_of {
            Some(key) => format!(
                "`{key}` is a list of rows, each a list of cells: write each row on a line of its own under `{key}:`, as `  - [{value}, …]`"
            ),
            None => format!("write a list, even of one item: [{value}]"),
        });
    }
    if let Some(written) = between(&message, "invalid date \"", "\"")
        && let Some(date) = crate::content::date::suggest(written)
    {
        help = Some(format!("write \"{date}\""));
    }
    if message.contains("expected a whole number") {
        help = Some("write a whole number, without quotes or decimals".into());
    }
    // serde_yaml gives no place for a second document: the line that starts it.
    if line == 0 && message == MANY_DOCUMENTS {
        match second_document(text) {
            Some(SecondDocument::Marker(at)) => {
                (line, col) = (at, 1);
                help = Some(
                    "take the line out, or, if it is part of a text, put that text in quotes on its key's line or indent it under its key"
                        .into(),
                );
            }
            Some(SecondDocument::Dedent { at, first, indent }) => {
                (line, col) = (at, 1);
                message = format!(
                    "this line starts further left than line {}, where the YAML's top level starts: YAML reads it as a second document",
                    first + first_line - 1
                );
                help = Some(format!(
                    "start the YAML's top-level lines at the same column: line {} starts at column {}, after {indent} space{}",
                    first + first_line - 1,
                    indent + 1,
                    if indent == 1 { "" } else { "s" }
                ));
            }
            None => {}
        }
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

/// For 1-based `line` written `key: 'quoted' text` (or `- 'quoted' text`), where YAML ends the
/// value at its closing quote: what precedes the value (`key: `), the whole value in the other
/// quotes (escaped as those need), and the name of those quotes.
pub(super) fn text_after_quote(text: &str, line: usize) -> Option<(&str, String, &'static str)> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let (lead_end, raw) = match key_value(l) {
        Some(kv) => (kv.value_at, kv.value),
        None => {
            let item = l.trim_start().strip_prefix("- ")?.trim_start();
            (l.len() - item.len(), without_comment(item))
        }
    };
    let quote = raw.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let mut chars = raw.char_indices().skip(1);
    let close = loop {
        match chars.next()? {
            (_, '\\') if quote == '"' => {
                chars.next();
            }
            (i, '\'') if quote == '\'' && raw[i + 1..].starts_with('\'') => {
                chars.next();
            }
            (i, c) if c == quote => break i,
            _ => {}
        }
    };
    if raw[close + 1..].trim().is_empty() {
        return None;
    }
    let lead = &l[..lead_end];
    Some(if quote == '\'' {
        (lead, double_quoted(raw), "double")
    } else {
        let inner = raw[1..].strip_suffix('"').unwrap_or(&raw[1..]);
        (lead, format!("'{}'", inner.replace('\'', "''")), "single")
    })
}

/// `message` without its " at line L column C" parts.
pub(super) fn strip_locations(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        let tail = &rest[i + " at line ".len()..];
        let digits = |t: &str| t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let n = digits(tail);
        let located = n > 0 && tail[n..].starts_with(" column ") && digits(&tail[n + " column ".len()..]) > 0;
        if !located {
            out.push_str(&rest[..i + 1]);
            rest = &rest[i + 1..];
            continue;
        }
        out.push_str(&rest[..i]);
        let after = &tail[n + " column ".len()..];
        rest = &after[digits(after)..];
    }
    out.push_str(rest);
    out
}

/// `message` with serde's path to the failing value (`facts[0]: …`, `rows[2][1]: …`,
/// `.[0]: …`) in an editor's words and counted from 1: `facts, item 1: …`,
/// `rows, row 3, cell 2: …`, `item 1: …`. Anything else comes back unchanged.
pub(super) fn readable_path(message: &str) -> String {
    let Some((path, rest)) = message.split_once(": ") else { return message.to_string() };
    let mut out = String::new();
    let (mut items, mut after_key) = (0, false);
    // A table's `rows` is a list of rows, each a list of cells.
    let mut noun = "item";
    let mut chars = path.strip_prefix('.').unwrap_or(path);
    while !chars.is_empty() {
        if after_key && !chars.starts_with('[') {
            out.push('.');
        } else if !out.is_empty() {
            out.push_str(", ");
        }
        if let Some(tail) = chars.strip_prefix('[') {
            let Some((n, after)) = tail.split_once(']') else { return message.to_string() };
            let Ok(n) = n.parse::<usize>() else { return message.to_string() };
            out.push_str(&format!("{noun} {}", n + 1));
            noun = if noun == "row" { "cell" } else { "item" };
            (items, after_key) = (items + 1, false);
            chars = after.strip_prefix('.').unwrap_or(after);
        } else {
            let end = chars.find(['.', '[']).unwrap_or(chars.len());
            let key = &chars[..end];
            if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return message.to_string();
            }
            out.push_str(key);
            noun = if key == "rows" { "row" } else { "item" };
            after_key = true;
            chars = chars[end..].strip_prefix('.').unwrap_or(&chars[end..]);
        }
    }
    if items == 0 {
        return message.to_string();
    }
    format!("{out}: {rest}")
}

const MANY_DOCUMENTS: &str = "a file holds one YAML document: a line `---` starts another";

/// Where a second YAML document starts, which serde_yaml refuses without saying where.
#[derive(Debug, PartialEq)]
pub(super) enum SecondDocument {
    /// At this 1-based line: a `---` line after the first document's content (a `---` before
    /// any content only opens the first), or a line of content after a `...` line.
    Marker(usize),
    /// At 1-based line `at`, content further left than the first content line `first`
    /// (indented by `indent` spaces): the first document's top level has ended.
    Dedent { at: usize, first: usize, indent: usize },
}

/// Finds the [`SecondDocument`] of `text`, if any.
pub(super) fn second_document(text: &str) -> Option<SecondDocument> {
    let (mut first, mut opened, mut ended) = (None, false, false);
    for (i, l) in text.lines().enumerate() {
        let marker = |m: &str| l.strip_prefix(m).is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']));
        if marker("---") {
            if first.is_some() || opened || ended {
                return Some(SecondDocument::Marker(i + 1));
            }
            opened = true;
        } else if marker("...") {
            ended = true;
        } else if !l.trim().is_empty() && !l.trim_start().starts_with('#') {
            if ended {
                return Some(SecondDocument::Marker(i + 1));
            }
            let indent = l.len() - l.trim_start_matches(' ').len();
            match first {
                None => first = Some((i + 1, indent)),
                Some((line, top)) if indent < top => return Some(SecondDocument::Dedent { at: i + 1, first: line, indent: top }),
                Some(_) => {}
            }
        }
    }
    None
}

pub(super) const TAB_HELP: &str = "indent with spaces: YAML does not allow tabs in indentation";

/// The character at 1-based `line` and `col` (in characters) of `text`.
fn char_at(text: &str, line: usize, col: usize) -> Option<char> {
    text.lines().nth(line.checked_sub(1)?)?.chars().nth(col.checked_sub(1)?)
}

/// `message` with Rust's names for what was expected (`i64`, `struct TableFile`) in words.
pub(super) fn plain_types(message: &str) -> String {
    if message.contains("more than one document") {
        return MANY_DOCUMENTS.to_string();
    }
    let Some((head, expected)) = message.rsplit_once("expected ") else { return message.to_string() };
    let word = expected.split([',', ' ']).next().unwrap_or("");
    let plain = match word {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "struct" => "a mapping of fields (`key: value` lines)",
        _ => return message.to_string(),
    };
    let rest = if word == "struct" {
        expected.split_once(' ').map_or("", |(_, r)| r).trim_start_matches(|c: char| c.is_alphanumeric())
    } else {
        &expected[word.len()..]
    };
    format!("{head}expected {plain}{rest}")
}

/// A fix for the YAML syntax errors editors make most.
fn syntax_help(message: &str) -> Option<&'static str> {
    Some(if message.contains("tab character") {
        TAB_HELP
    } else if message.contains("mapping values are not allowed") {
        "a value that contains `: ` must be in quotes, e.g. text: \"…: …\""
    } else if message.contains("did not find expected key") || message.contains("did not find expected '-'") {
        "check this line's indentation against the lines above it, and quote a value that starts with [ { * & ! | > ' \" % @ or `"
    } else if message.contains("while scanning a quoted scalar") {
        "a quoted value is not closed: end it with the same quote it starts with"
    } else if message.contains("invalid type: sequence, expected a string") || message.contains("invalid type: map, expected a string") {
        "YAML reads a value that starts with [ or { as a list or a mapping (a Markdown link, say): put the text in quotes, e.g. summary: \"[…](…) …\""
    } else if message.contains("while scanning a tag") {
        "YAML reads a value that starts with ! as a tag: put the text in quotes, e.g. caption: \"!중요 …\""
    } else if message.contains("while scanning an alias") || message.contains("while scanning an anchor") {
        "YAML reads a value that starts with * or & as an alias or an anchor: put the text in quotes, e.g. - \"* 중국 제조업의 …\""
    } else if message.contains("cannot start any token") {
        "a value that starts with @ or ` must be in quotes"
    } else {
        return None;
    })
}

/// For a mapping that starts at `line`:`col` (1-based) and lacks `key`: the line and column
/// where `key` is written just below it at another indentation (before the next item at the
/// mapping's own level or less), which YAML reads as belonging elsewhere.
pub(super) fn misaligned_key(text: &str, key: &str, line: usize, col: usize) -> Option<(usize, usize)> {
    let first = text.lines().nth(line.checked_sub(1)?)?;
    // The indentation the mapping's item starts at (its `-`, or the key itself).
    let item_indent = first.len() - first.trim_start().len();
    for (i, l) in text.lines().enumerate().skip(line) {
        let body = l.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = l.len() - body.len();
        if indent <= item_indent {
            return None;
        }
        let found = indent + 1;
        if found != col && keys_on_line(l, key).any(|(at, _)| at == indent) {
            return Some((i + 1, found));
        }
    }
    None
}

/// For a `key:` at 1-based `line` where the parser stopped (`col` on the key or its colon):
/// the line above it and the column of that line's key, when the key is indented deeper than
/// a `key: value` line above (whose value is complete, so nothing can nest under it).
fn overindented_key(text: &str, line: usize, col: usize) -> Option<(usize, usize)> {
    let here = key_value(text.lines().nth(line.checked_sub(1)?)?)?;
    if !(here.key_at + 1..=here.key_at + here.key.chars().count() + 1).contains(&col) {
        return None;
    }
    let (above, prev) =
        text.lines().enumerate().take(line - 1).filter(|(_, l)| !l.trim_start().is_empty() && !l.trim_start().starts_with('#')).last()?;
    let prev_kv = key_value(prev)?;
    if here.key_at <= prev_kv.key_at || prev_kv.value.is_empty() || prev_kv.value.starts_with(['|', '>', '&']) {
        return None;
    }
    Some((above + 1, prev_kv.key_at + 1))
}

/// The line above 1-based `line` when it is `key:value`, with no space after the colon, which
/// YAML reads as text going on to the next line: that line (1-based), the column after the
/// colon and the line written with the space.
pub(super) fn colon_without_space(text: &str, line: usize) -> Option<(usize, usize, String)> {
    let lines: Vec<&str> = text.lines().take(line).collect();
    let (i, l) = lines.iter().enumerate().rev().skip(1).find(|(_, l)| !l.trim().is_empty())?;
    let body = l.trim_start_matches([' ', '-']);
    let (key, after) = body.split_once(':')?;
    if !is_key(key) || after.is_empty() || after.starts_with([' ', '/', ':']) {
        return None;
    }
    let lead = &l[..l.len() - body.len()];
    Some((i + 1, lead.len() + key.chars().count() + 2, format!("{lead}{key}: {after}").trim_start().to_string()))
}

/// The last `key: |` (or `>`) line at or above 1-based `line` whose first text line starts no
/// further right than its key: the key, its `|` or `>` as written, that line, the text line and
/// its column (1-based).
fn unindented_block(text: &str, line: usize) -> Option<(&str, &str, usize, usize, usize)> {
    let lines: Vec<&str> = text.lines().take(line).collect();
    lines.iter().enumerate().rev().find_map(|(i, l)| {
        let kv = key_value(l).filter(|kv| kv.value.starts_with(['|', '>']))?;
        let (j, next) = lines.iter().enumerate().skip(i + 1).find(|(_, n)| !n.trim().is_empty())?;
        let indent = next.len() - next.trim_start().len();
        (indent <= kv.key_at).then_some((kv.key, kv.value, i + 1, j + 1, indent + 1))
    })
}

/// The unquoted number that starts at `line`:`col` (1-based), as written: up to the next `,`
/// `]` `}` or comment.
pub(super) fn number_at(text: &str, line: usize, col: usize) -> Option<&str> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let rest = &l[l.char_indices().nth(col.checked_sub(1)?)?.0..];
    let end = rest.find([',', ']', '}']).unwrap_or(rest.len());
    let token = rest[..rest[..end].find(" #").unwrap_or(end)].trim_end();
    let digits = token.trim_start_matches(['-', '+']).trim_start_matches('.');
    (digits.starts_with(|c: char| c.is_ascii_digit()) && token.parse::<f64>().is_ok()).then_some(token)
}
