//! The only place YAML is parsed: typed deserialization with located, readable errors.
//!
//! Everything else calls [`parse`] and [`locate_key`]/[`locate_text`]; swapping the YAML
//! library means changing this file only.

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Error, Result, line_col, unknown_field_help};

/// Deserializes `text` (the YAML part of `file`, starting at line `first_line`) into `T`.
pub fn parse<T: DeserializeOwned>(text: &str, file: &str, first_line: usize) -> Result<T> {
    if text.trim().is_empty() {
        let mut d = Diagnostic::error("empty YAML: expected a mapping of fields").in_file(file).at(first_line, 1);
        // The field an empty mapping lacks first is the one to start with.
        if let Err(e) = serde_yaml::from_str::<T>("{}")
            && let Some(field) = between(&e.to_string(), "missing field `", "`")
        {
            d = d.with_help(format!("write its fields as `key: value` lines, starting with `{field}: …`"));
        }
        return Err(Error::new(d));
    }
    let value = serde_yaml::from_str(text).map_err(|e| Error::new(describe(&e, text, file, first_line)))?;
    // An error about a value YAML read otherwise than meant, at `line`/`col` of the YAML part.
    let refused = |line: usize, col: usize, message: String, help: String| {
        Err(Error::new(Diagnostic::error(message).in_file(file).at(line + first_line - 1, col).with_help(help)))
    };
    let named = |key: &str| if key.is_empty() { "this item".to_string() } else { format!("`{key}`") };
    // YAML reads `key: ~` or `key: null` as nothing, which a text field would show as "~" or
    // "null" on the page: never meant, so refused (a field left empty is left out).
    let values = written_values(text);
    if let Some((line, col, key, null)) = written_null(&values) {
        let help = format!("write the value, or leave {} out; in quotes (\"{null}\") it is shown as written", named(key));
        return refused(line, col, format!("`{null}` is YAML's empty value, not text"), help);
    }
    // `caption: 중국 #1 기업` is "중국" to YAML: the rest was meant as text, not a comment.
    if let Some((line, col, key, raw, kept)) = comment_in_text(&values) {
        let help = format!("put the whole text in quotes, `{}`; a comment is written `# …`, with a space", quoted_line(key, raw));
        return refused(line, col, format!("YAML reads ` #…` here as a comment, so {} is {kept:?}", named(key)), help);
    }
    // `chapter: &made-in-china-2025` names the value (an anchor) and leaves it empty;
    // `*name` repeats another: neither is text, and content files have no use for them.
    if let Some((line, col, key, raw)) = anchor_or_alias(&values) {
        let what =
            if raw.starts_with('&') { "an anchor (a name for the value that follows)" } else { "an alias (a copy of another value)" };
        let help = format!("to keep it as text, put it in quotes, `{}`; otherwise remove the `{}`", quoted_line(key, raw), &raw[..1]);
        let token = raw.split_whitespace().next().unwrap_or(raw);
        return refused(line, col, format!("YAML reads `{token}` in {} as {what}, not as text", named(key)), help);
    }
    Ok(value)
}

/// The first value written as a YAML anchor (`&name …`) or alias (`*name`), unquoted: (line,
/// column, the key or "" for an item, the value as written).
fn anchor_or_alias<'a>(values: &[Written<'a>]) -> Option<(usize, usize, &'a str, &'a str)> {
    values.iter().find_map(|&(i, line, key, at)| {
        let raw = without_comment(&line[at..]);
        raw.starts_with(['&', '*']).then(|| (i + 1, line[..at].chars().count() + 1, key, raw))
    })
}

/// `text` as a YAML double-quoted value: `"…"`, with `\` and `"` escaped.
fn double_quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The line to write for `key: text` (or the list item `- text`, `key` empty) with the text in
/// double quotes.
fn quoted_line(key: &str, text: &str) -> String {
    let lead = if key.is_empty() { "- ".to_string() } else { format!("{key}: ") };
    format!("{lead}{}", double_quoted(text))
}

/// Whether `s` can be a key of the content files' mappings.
fn is_key(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// A value as written on its line, without a trailing `# comment` and surrounding spaces.
fn without_comment(value: &str) -> &str {
    value[..comments(value).next().map_or(value.len(), |hash| hash - 1)].trim()
}

/// Where a `#` stands after a space in `value` (where YAML may start a comment), in order.
/// (Read byte by byte: lines are short, and this runs for every line of every YAML file.)
fn comments(value: &str) -> impl Iterator<Item = usize> + '_ {
    let b = value.as_bytes();
    (1..b.len()).filter(move |&i| b[i] == b'#' && b[i - 1] == b' ')
}

/// Whether a plain value is YAML's null (`~`, `null`).
fn is_null(value: &str) -> bool {
    matches!(value, "~" | "null" | "Null" | "NULL")
}

/// A line read as YAML's `key: value`, after any list dashes (`- key: value`, `- - key:`).
struct KeyValue<'a> {
    /// Byte offset of the key in the line (its column, less one: what precedes it is ASCII).
    key_at: usize,
    key: &'a str,
    /// The value as written, without a trailing comment; empty when the line ends at its colon.
    value: &'a str,
    /// Byte offset of the value in the line.
    value_at: usize,
}

/// `line` as a `key: value` line, or `None` for any other line.
fn key_value(line: &str) -> Option<KeyValue<'_>> {
    let mut body = line.trim_start_matches(' ');
    while let Some(rest) = body.strip_prefix("- ").or_else(|| (body == "-").then_some("")) {
        body = rest.trim_start_matches(' ');
    }
    let colon = body.find(':')?;
    let (key, after) = (&body[..colon], &body[colon + 1..]);
    if !is_key(key) || !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    let key_at = line.len() - body.len();
    let value = without_comment(after);
    let value_at = key_at + colon + 1 + (after.len() - after.trim_start().len());
    Some(KeyValue { key_at, key, value, value_at })
}

/// A value written on its own line, `key: value` or a list item `- value`: (0-based line, the
/// line, the key or "" for an item, the value's byte offset in the line).
type Written<'a> = (usize, &'a str, &'a str, usize);

/// The values written on their own lines, in order. Text inside block scalars (`|`, `>`) is
/// text, not values.
fn written_values(text: &str) -> Vec<Written<'_>> {
    let mut out = Vec::new();
    let mut block: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        if let Some(b) = block {
            if body.trim().is_empty() || indent > b {
                continue;
            }
            block = None;
        }
        let (key, at) = match key_value(line) {
            Some(kv) => (kv.key, kv.value_at),
            None if body.starts_with("- ") => ("", line.len() - body.trim_start_matches(['-', ' ']).len()),
            None => continue,
        };
        if without_comment(&line[at..]).starts_with(['|', '>']) {
            block = Some(indent);
        }
        out.push((i, line, key, at));
    }
    out
}

/// The first value written as YAML's null (`~`, `null`): (line, column, its key or "" for a
/// list item, the token).
fn written_null<'a>(values: &[Written<'a>]) -> Option<(usize, usize, &'a str, &'a str)> {
    values.iter().find_map(|&(i, line, key, at)| {
        let value = without_comment(&line[at..]);
        is_null(value).then(|| (i + 1, line[..at].chars().count() + 1, key, value))
    })
}

/// The first unquoted value whose text goes on after ` #` with no space (`중국 #1 기업`): YAML
/// reads the rest of the line as a comment and the value as what comes before it. (line,
/// column of the `#`, the key or "", the value as written, what YAML keeps.)
fn comment_in_text<'a>(values: &[Written<'a>]) -> Option<(usize, usize, &'a str, &'a str, &'a str)> {
    values.iter().find_map(|&(i, line, key, at)| {
        let raw = line[at..].trim_end();
        if raw.starts_with(['"', '\'', '[', '{', '|', '>', '#']) {
            return None;
        }
        let hash = comments(raw).find(|&j| raw[j + 1..].starts_with(|c: char| !c.is_whitespace()))?;
        let kept = raw[..hash].trim_end();
        Some((i + 1, line[..at + hash].chars().count() + 1, key, raw, kept))
    })
}

fn describe(e: &serde_yaml::Error, text: &str, file: &str, first_line: usize) -> Diagnostic {
    // serde_yaml and libyaml put " at line L column C" into the message (counted in the YAML
    // part, not the file); the location goes in front instead, in the file's own lines.
    let message = plain_types(&readable_path(&strip_locations(&e.to_string())));
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
        && let Some(date) = super::date::suggest(written)
    {
        help = Some(format!("write \"{date}\""));
    }
    if message.contains("expected a whole number") {
        help = Some("write a whole number, without quotes or decimals".into());
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
fn text_after_quote(text: &str, line: usize) -> Option<(&str, String, &'static str)> {
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
fn strip_locations(message: &str) -> String {
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
fn readable_path(message: &str) -> String {
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

const TAB_HELP: &str = "indent with spaces: YAML does not allow tabs in indentation";

/// The character at 1-based `line` and `col` (in characters) of `text`.
fn char_at(text: &str, line: usize, col: usize) -> Option<char> {
    text.lines().nth(line.checked_sub(1)?)?.chars().nth(col.checked_sub(1)?)
}

/// `message` with Rust's names for what was expected (`i64`, `struct TableFile`) in words.
fn plain_types(message: &str) -> String {
    if message.contains("more than one document") {
        return "a file holds one YAML document: a line `---` starts another".to_string();
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
fn misaligned_key(text: &str, key: &str, line: usize, col: usize) -> Option<(usize, usize)> {
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
fn colon_without_space(text: &str, line: usize) -> Option<(usize, usize, String)> {
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
fn keys_on_line<'a>(line: &'a str, key: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
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

/// The unquoted number that starts at `line`:`col` (1-based), as written: up to the next `,`
/// `]` `}` or comment.
fn number_at(text: &str, line: usize, col: usize) -> Option<&str> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let rest = &l[l.char_indices().nth(col.checked_sub(1)?)?.0..];
    let end = rest.find([',', ']', '}']).unwrap_or(rest.len());
    let token = rest[..rest[..end].find(" #").unwrap_or(end)].trim_end();
    let digits = token.trim_start_matches(['-', '+']).trim_start_matches('.');
    (digits.starts_with(|c: char| c.is_ascii_digit()) && token.parse::<f64>().is_ok()).then_some(token)
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

    /// A value's offset is placed in its file through its words: a block text's indentation,
    /// a folded line break and an escape do not shift what follows them.
    #[test]
    fn offsets_into_a_value_are_placed_in_the_file_word_by_word() {
        let place = |file: &str, value: &str, what: &str| {
            let p = TextPlaces::find(file, value).expect("found");
            line_col(file, p.file_offset(value.find(what).unwrap()))
        };
        let file = "id: t\nrows:\n  - - 가\n    - |-\n      - 첫 줄\n      - 둘째 [링크](table:x) 줄\n";
        assert_eq!(place(file, "- 첫 줄\n- 둘째 [링크](table:x) 줄", "[링크]"), (6, 12));
        assert_eq!(place(file, "- 첫 줄\n- 둘째 [링크](table:x) 줄", "줄\n"), (5, 11));
        let folded = "caption: 첫째 둘째\n  셋째 **넷째**\n";
        assert_eq!(place(folded, "첫째 둘째 셋째 **넷째**", "**"), (2, 6));
        let escaped = "caption: \"따옴표 다음에 \\\"가\\\" 다음 **굵게**\"\n";
        assert_eq!(place(escaped, "따옴표 다음에 \"가\" 다음 **굵게**", "**"), (1, 28));
        // Two cells with the same first words: the second's words are its own.
        let twice = "rows:\n  - [가 나 다 라 마 바, 가 나 다 라 마 바 사]\n";
        let p = TextPlaces::find(twice, "가 나 다 라 마 바 사").unwrap();
        assert_eq!(line_col(twice, p.file_offset(0)), (2, 19), "the whole value, not the first cell that begins like it");
        assert!(TextPlaces::find(twice, "없는 글").is_none());
    }

    #[test]
    fn rust_type_names_are_put_in_words() {
        assert_eq!(
            plain_types("order: invalid type: string \"x4\", expected i64"),
            "order: invalid type: string \"x4\", expected a whole number"
        );
        assert_eq!(
            plain_types("invalid type: sequence, expected struct TableFile"),
            "invalid type: sequence, expected a mapping of fields (`key: value` lines)"
        );
        assert_eq!(plain_types("x: expected usize at the end"), "x: expected a whole number at the end");
        assert_eq!(plain_types("invalid type: map, expected a string"), "invalid type: map, expected a string");
        assert!(plain_types("deserializing from YAML containing more than one document is not supported").contains("one YAML document"));
    }

    #[test]
    fn paths_in_messages_count_items_from_one() {
        assert_eq!(readable_path(".[0]: missing field `name`"), "item 1: missing field `name`");
        assert_eq!(readable_path("facts[0]: invalid month"), "facts, item 1: invalid month");
        assert_eq!(readable_path("rows[2][1]: a number"), "rows, row 3, cell 2: a number");
        assert_eq!(readable_path("rows[2]: x"), "rows, row 3: x");
        assert_eq!(readable_path("chart.items[1].to: x"), "chart.items, item 2, to: x");
        // Not a path, or a path with no list in it: left alone.
        assert_eq!(readable_path("unknown field `x`: y"), "unknown field `x`: y");
        assert_eq!(readable_path("chart: x"), "chart: x");
        assert_eq!(readable_path("a[b]: x"), "a[b]: x");
    }

    /// A quoted value followed by more text: the help writes the whole value in the other
    /// quotes, escaped as those need.
    #[test]
    fn text_after_a_closing_quote_is_told_the_value_to_write() {
        let help = |t: &str| parse::<T>(t, "t.yaml", 1).unwrap_err().diagnostics[0].help.clone().unwrap_or_default();
        let single = help("values: []\nid: '인터넷 플러스'의 발전 목표\n");
        assert!(single.ends_with("double quotes, `id: \"'인터넷 플러스'의 발전 목표\"`"), "{single}");
        let double = help("values: []\nid: \"중국 \"인터넷 플러스\"의 목표\"\n");
        assert!(double.ends_with("single quotes, `id: '중국 \"인터넷 플러스\"의 목표'`"), "{double}");
        let item = help("id: a\nvalues:\n  - '가'나 \"다\"\n");
        assert!(item.ends_with("`  - \"'가'나 \\\"다\\\"\"`"), "{item}");
        // An escaped quote inside is not the closing one; a quoted value alone is fine.
        assert_eq!(text_after_quote("caption: '그''s'\n", 1), None);
        assert_eq!(text_after_quote("caption: \"a \\\" b\" # 주석\n", 1), None);
    }

    /// Text that YAML would cut at ` #` is an error with the quoted value to write; a comment
    /// written `# …`, a `#` in quotes, in a block text or in an address is left alone.
    #[test]
    fn text_cut_by_a_comment_is_refused() {
        let e = parse::<T>("id: 중국 #1 기업\nvalues:\n  - 가 #나\n", "t.yaml", 1).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!((d.line, d.col, d.message.as_str()), (1, 8, "YAML reads ` #…` here as a comment, so `id` is \"중국\""), "{e}");
        assert_eq!(
            d.help.as_deref(),
            Some("put the whole text in quotes, `id: \"중국 #1 기업\"`; a comment is written `# …`, with a space")
        );
        assert_eq!(comment_in_text(&written_values("values:\n  - 가 #나\n")).map(|c| (c.0, c.1, c.4)), Some((2, 7, "가")));
        for fine in ["id: a # 주석\n", "id: \"중국 #1\"\n", "id: |\n  중국 #1\n", "url: https://x.org/#a\n", "# 주석 #1\nid: a\n"] {
            assert_eq!(comment_in_text(&written_values(fine)), None, "{fine:?}");
        }
    }

    /// `key:value` (no space after the colon) is pointed at, with the line to write; a value
    /// starting with `*` or `!` is told to be quoted.
    #[test]
    fn a_colon_without_its_space_an_alias_and_a_tag_are_told_the_fix() {
        let e = parse::<T>("values: []\nid:\"가\"\nother: 1\n", "t.yaml", 1).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!((d.line, d.col), (2, 4), "{e}");
        assert_eq!(d.help.as_deref(), Some("write a space after the colon: `id: \"가\"`"));
        assert_eq!(colon_without_space("a: 1\nurl:https://x\nb: 2\n", 3), Some((2, 5, "url: https://x".into())));
        assert_eq!(colon_without_space("a: 1\n  https://x.org\nb: 2\n", 3), None, "an address's colon is not a key's");
        let e = parse::<T>("id: a\nvalues:\n  - * 중국 제조업\n", "t.yaml", 1).unwrap_err();
        assert!(e.diagnostics[0].help.as_deref().is_some_and(|h| h.contains("starts with * or &")), "{e}");
        let e = parse::<T>("id: !중요 목표\nvalues: []\n", "t.yaml", 1).unwrap_err();
        assert!(e.diagnostics[0].help.as_deref().is_some_and(|h| h.contains("starts with ! as a tag")), "{e}");
    }

    /// An anchor or an alias written where text was meant is refused at its place (an anchor
    /// alone left the value empty, and the error about it had no line).
    #[test]
    fn anchors_and_aliases_are_not_text() {
        let e = parse::<T>("id: &made-in-china-2025\nvalues: []\n", "t.yaml", 1).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!((d.line, d.col), (1, 5), "{e}");
        assert_eq!(d.message, "YAML reads `&made-in-china-2025` in `id` as an anchor (a name for the value that follows), not as text");
        assert_eq!(
            d.help.as_deref(),
            Some("to keep it as text, put it in quotes, `id: \"&made-in-china-2025\"`; otherwise remove the `&`")
        );
        let e = parse::<T>("id: &a 가\nvalues:\n  - *a\n", "t.yaml", 1).unwrap_err();
        assert_eq!((e.diagnostics[0].line, e.diagnostics[0].col), (1, 5), "{e}");
        let e = parse::<T>("id: \"가\"\nvalues:\n  - &b 나\n  - *b\n", "t.yaml", 1).unwrap_err();
        assert!(e.diagnostics[0].message.contains("`&b` in this item as an anchor"), "{e}");
        assert!(parse::<T>("id: \"&가\"\nvalues: [\"*나\"]\n", "t.yaml", 1).is_ok(), "in quotes they are text");
    }

    /// A list item with `: ` in its text is a mapping to YAML: the help quotes it.
    #[test]
    fn an_item_read_as_a_mapping_is_told_to_be_quoted() {
        let e = parse::<T>("id: a\nvalues:\n  - 주: 중국 제조업 # 원문\n", "t.yaml", 1).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!((d.line, d.col), (3, 5), "{e}");
        assert_eq!(
            d.help.as_deref(),
            Some(
                "YAML reads `주: 중국 제조업` as a mapping (`key: value`) because of its `: `: put the text in quotes, \"주: 중국 제조업\""
            )
        );
        let e = parse::<T>("id: a\nvalues:\n  - {가: 나}\n", "t.yaml", 1).unwrap_err();
        assert!(e.diagnostics[0].help.as_deref().is_some_and(|h| h.contains("starts with [ or {")), "{e}");
    }

    #[test]
    fn key_value_lines_are_read_after_their_list_dashes() {
        fn kv(l: &str) -> Option<(usize, &str, &str, usize)> {
            key_value(l).map(|k| (k.key_at, k.key, k.value, k.value_at))
        }
        assert_eq!(kv("caption: 제목 # 주석"), Some((0, "caption", "제목", 9)));
        assert_eq!(kv("  - - row_headers: 1"), Some((6, "row_headers", "1", 19)));
        assert_eq!(kv("definition: |-"), Some((0, "definition", "|-", 12)));
        assert_eq!(kv("- chapter:"), Some((2, "chapter", "", 10)));
        assert_eq!(kv("text: \"a: b\""), Some((0, "text", "\"a: b\"", 6)));
        for not in ["- https://www.gov.cn", "  본문 문장", "- [구분, 값]", ": x", "a b: c", "- \"x\": y"] {
            assert!(kv(not).is_none(), "{not:?}");
        }
    }

    #[test]
    fn yaml_null_is_refused_where_text_would_show_it() {
        let at = |t: &str| written_null(&written_values(t)).map(|(l, c, k, v)| (l, c, k.to_string(), v.to_string()));
        assert_eq!(at("id: a\ncaption: ~\n"), Some((2, 10, "caption".into(), "~".into())));
        assert_eq!(at("id: a\nnotes:\n  - null # none\n"), Some((3, 5, String::new(), "null".into())));
        assert_eq!(at("- id: a\n  chapter: NULL\n"), Some((2, 12, "chapter".into(), "NULL".into())));
        // In quotes, inside a block of text, or part of a longer value: text.
        assert_eq!(at("caption: \"~\"\nnote: ~ 표시\n"), None);
        assert_eq!(at("definition: |\n  a: ~\n  ~\nid: b\n"), None);
        assert_eq!(at("definition: >-\n  null\nid: ~\n"), Some((3, 5, "id".into(), "~".into())));
        let e = parse::<T>("values: []\nid: ~\n", "t.yaml", 4).unwrap_err();
        assert_eq!((e.diagnostics[0].line, e.diagnostics[0].col), (5, 5), "{e}");
        assert!(e.diagnostics[0].help.as_deref().unwrap_or("").contains("leave `id` out"), "{e}");
    }

    #[test]
    fn an_empty_value_is_located_at_its_own_key() {
        let text = "- id: a\n  chapter: ai\n- id:\n  chapter:\n- id: \"\"\n  chapter: ~\n- id: c\n  chapter:\n    - x\n";
        assert_eq!(locate_value(text, "id", "", 0), (3, 3));
        assert_eq!(locate_value(text, "id", "", 1), (5, 3));
        assert_eq!(locate_value(text, "chapter", "", 0), (4, 3));
        assert_eq!(locate_value(text, "chapter", "", 1), (6, 3));
        // A key with a block below it is not empty.
        assert_eq!(locate_value(text, "chapter", "", 2), (0, 0));
        // In flow mappings, with the value last or not.
        let text = "entries:\n  - {label: 북경, value: \"1\"}\n  - {label: 항주, value: \"\"}\n  - {value: , label: 창사}\n";
        assert_eq!(locate_value(text, "value", "", 0), (3, 17));
        assert_eq!(locate_value(text, "value", "", 1), (4, 6));
    }

    #[test]
    fn a_value_is_located_where_its_key_gives_it() {
        let text =
            "id: baidu\nsectors: [big-data, ai]\nfacts:\n  - text: ai\n    chapter: ai\n  - chapter: \"ai\"\nsources:\n  - src\n  - ai\n";
        // Not inside `baidu`, not the fact's text: the `chapter:` lines, first and second.
        assert_eq!(locate_value(text, "chapter", "ai", 0), (5, 14));
        assert_eq!(locate_value(text, "chapter", "ai", 1), (6, 15));
        // An item of a flow list, and of a block list under its key.
        assert_eq!(locate_value(text, "sectors", "ai", 0), (2, 21));
        assert_eq!(locate_value(text, "sources", "ai", 0), (9, 5));
        // Not given to that key (or not that often): the first whole word, then anywhere.
        assert_eq!(locate_value(text, "chapter", "ai", 2), (2, 21));
        assert_eq!(locate_value(text, "chapter", "aid", 0), (1, 6));
        assert_eq!(locate_value(text, "chapter", "zzz", 0), (0, 0));
        // Inside a flow mapping: the key's own value, not another key's.
        let text = "sectors: [ai]\nfacts:\n  - {date: \"2015\", text: ai, chapter: ai}\n  - {chapter: ai, text: x}\n";
        assert_eq!(locate_value(text, "chapter", "ai", 0), (3, 39));
        assert_eq!(locate_value(text, "chapter", "ai", 1), (4, 15));
        assert_eq!(locate_value("- {text: ai, chapter: b}\n", "chapter", "ai", 0), (1, 10));
    }

    #[test]
    fn syntax_errors_get_a_fix_and_no_inner_locations() {
        let e = parse::<T>("id: a\n\tvalues: []\n", "t.yaml", 1).unwrap_err();
        let d = &e.diagnostics[0];
        assert!(!d.message.contains(" at line "), "{d}");
        assert_eq!((d.line, d.help.as_deref()), (2, Some("indent with spaces: YAML does not allow tabs in indentation")), "{d}");
        // A tab before a key that is first at its level: libyaml says only "cannot start any token".
        let e = parse::<T>("values: []\n\tid: a\n", "t.yaml", 1).unwrap_err();
        assert_eq!((e.diagnostics[0].line, e.diagnostics[0].help.as_deref()), (2, Some(TAB_HELP)), "{e}");
        let e = parse::<T>("values: []\nid: @a\n", "t.yaml", 1).unwrap_err();
        assert!(e.diagnostics[0].help.as_deref().unwrap_or("").contains("@"), "{e}");
        let e = parse::<T>("id: a: b\nvalues: []\n", "t.yaml", 1).unwrap_err();
        assert!(e.diagnostics[0].help.as_deref().unwrap_or("").contains("in quotes"), "{e}");
        let e = parse::<T>("id: \"a\nvalues: []\n", "t.yaml", 1).unwrap_err();
        assert!(e.diagnostics[0].help.as_deref().unwrap_or("").contains("not closed"), "{e}");
        // Closed further down by another value's quote: the parser stumbles below the opening.
        let e = parse::<T>("values: []\nid: \"a\nother: \"b\"\n", "c.md", 2).unwrap_err();
        assert_eq!(e.diagnostics[0].help.as_deref(), Some("the quote opened on line 3 is not closed"), "{e}");
        let e = parse::<T>("id: [링크](chapter:a) 설명\nvalues: []\n", "t.yaml", 1).unwrap_err();
        assert!(e.diagnostics[0].help.as_deref().unwrap_or("").contains("as a list or a mapping"), "{e}");
        let e = parse::<T>("id: a\nvalues: ai\n", "t.yaml", 1).unwrap_err();
        assert_eq!((e.diagnostics[0].line, e.diagnostics[0].col), (2, 9), "{e}");
        assert_eq!(e.diagnostics[0].help.as_deref(), Some("write a list, even of one item: [ai]"), "{e}");
        assert_eq!(strip_locations("x at line 2 column 1, while y at line 3 column 4"), "x, while y");
        assert_eq!(strip_locations("seen at line one"), "seen at line one");
    }

    #[test]
    fn a_key_indented_under_a_complete_value_is_told_to_line_up() {
        let help = |text: &str, first_line: usize| {
            let e = parse::<T>(text, "t.yaml", first_line).unwrap_err();
            (e.diagnostics[0].line, e.diagnostics[0].help.clone().unwrap_or_default())
        };
        let (line, text) = help("id: a\n  values: []\n", 1);
        assert_eq!(line, 2);
        assert_eq!(
            text,
            "this line is indented more than line 1, whose value is already given: start it at column 1, as the keys beside it"
        );
        // In front matter (its first line is the file's second), after a list.
        let (line, text) = help("values:\n  - x\nid: a\n   values: []\n", 2);
        assert_eq!(line, 5);
        assert!(text.contains("than line 4,") && text.ends_with("column 1, as the keys beside it"), "{text}");
        let e = parse::<Vec<T>>("- id: a\n     values: []\n", "t.yaml", 1).unwrap_err();
        assert!(e.diagnostics[0].help.as_deref().unwrap_or("").contains("start it at column 3"), "{e}");
        // After a quoted value, the parser stops at the key itself.
        let (line, text) = help("id: \"a\"\n  values: []\n", 1);
        assert_eq!((line, text.ends_with("start it at column 1, as the keys beside it")), (2, true), "{text}");
        // A block text whose first line is not indented under its key.
        let e = parse::<Vec<T>>("- id: a\n  values: []\n- id: |-\n  첫 줄이 키처럼 읽힌다\n\n    둘째 줄\n  values: []\n", "g.yaml", 1)
            .unwrap_err();
        assert_eq!(
            e.diagnostics[0].help.as_deref(),
            Some("the text of `id: |-` on line 3 must be indented further than `id`: line 4 starts at column 3, as `id` does"),
            "{e}"
        );
        // A `: ` inside a value is still told to quote it.
        let (_, text) = help("values: [x]\nid: 가: 나\n", 1);
        assert!(text.contains("in quotes"), "{text}");
    }

    #[test]
    fn list_items_are_located_by_position() {
        let text = "header:\n  - [a, b]\nrows:\n  - [x, \"1\"]\n  # note\n  - [x, \"2\"]\n  -\n    - y\n    - \"3\"\nnotes: []\n";
        assert_eq!(locate_item(text, "rows", 0), Some((4, 5)));
        assert_eq!(locate_item(text, "rows", 1), Some((6, 5)));
        // An item written as a block list of its own starts on the `-` line.
        assert_eq!(locate_item(text, "rows", 2), Some((7, 4)));
        assert_eq!(locate_item(text, "rows", 3), None);
        assert_eq!(locate_item(text, "header", 0), Some((2, 5)));
        assert_eq!(locate_item("rows: [[x, y]]\n", "rows", 0), None);
    }

    #[test]
    fn a_number_is_quoted_back_as_written() {
        let text = "rows:\n  - [가, \"1.5\", 1.50 ]\n  - [-0.70 # 주석\n";
        assert_eq!(number_at(text, 2, 16), Some("1.50"));
        assert_eq!(number_at(text, 3, 6), Some("-0.70"));
        // A quoted value, a word, or no such place: not a number as written.
        assert_eq!(number_at(text, 2, 11), None);
        assert_eq!(number_at(text, 2, 8), None);
        assert_eq!(number_at(text, 9, 1), None);
        assert_eq!(number_at(text, 0, 0), None);
    }

    #[test]
    fn a_key_out_of_line_is_found_below_its_item() {
        let text = "-  id: ai\n  name: x\n- id: iot\n  name: y\n";
        assert_eq!(misaligned_key(text, "name", 1, 4), Some((2, 3)));
        // Lined up, absent, or only in the next item: no such hint.
        assert_eq!(misaligned_key(text, "name", 3, 3), None);
        assert_eq!(misaligned_key(text, "chapter", 1, 4), None);
        assert_eq!(misaligned_key("-  id: ai\n- name: x\n", "name", 1, 4), None);
        assert_eq!(misaligned_key(text, "name", 0, 0), None);
    }

    #[test]
    fn a_failed_files_id_is_read_line_by_line() {
        assert_eq!(top_level_scalar("id: baidu\nname: x\n", "id").as_deref(), Some("baidu"));
        assert_eq!(top_level_scalar("---\ntitle: [unclosed\nslug: \"ai\" # note\n---\n", "slug").as_deref(), Some("ai"));
        // Indented keys belong to items; the body after the front matter is not read.
        assert_eq!(top_level_scalar("---\n  slug: x\n---\nslug: y\n", "slug"), None);
        assert_eq!(top_level_scalar("id:\n", "id"), None);
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

    /// Values YAML read from several lines are found where they begin, by their longest
    /// beginning in the file (text) or their first line (a value given to a key).
    #[test]
    fn locates_values_written_over_several_lines() {
        let text = "id: a\nfacts:\n  - date: \"2016\"\n    text: \"2016년 유니콘 174개사 중\n      샤오미가 2위\"\n";
        assert_eq!(locate_text(text, "2016년 유니콘 174개사 중 샤오미가 2위"), (4, 12));
        assert_eq!(locate_text(text, "2016년 다른 문장"), (0, 0), "a beginning shorter than 8 characters is not its own");
        let text = "id: f\nsource: \"[```\n  미래창조과학부, 2015.](source:msip)\"\n";
        assert_eq!(locate_text(text, "[``` 미래창조과학부, 2015.](source:msip)"), (2, 10), "folded at its first word");
        let text = "entries:\n  - {label: \"a\", value: \"1.3\"}\n  - {label: \"b\", value: \"1.\n\n    3997\"}\n";
        assert_eq!(locate_value(text, "value", "1.\n3997", 0), (3, 26));
        let text = "id: a\nsectors: [ai, \"빅데이터 백업센터를 \\\"구축\\\" 방안\"]\n";
        assert_eq!(locate_value(text, "sectors", "빅데이터 백업센터를 \"구축\" 방안", 0), (2, 16), "an escaped quote");
        let text = "id: a\nsectors: [a\n| a | b |\ni]\n";
        assert_eq!(locate_value(text, "sectors", "a | a | b | i", 0), (2, 11), "folded");
        let text = "id: a\nsectors: [\"a\\\"b c\"]\n";
        assert_eq!(locate_value(text, "sectors", "a\"b c", 0), (2, 1), "the key defined once");
        assert_eq!(locate_value("id: a\naliases: [\"\", b]\n", "aliases", "", 0), (2, 1), "an empty value");
        let text = "- value: x\n- value: [\"a\\\"b c\"]\n";
        assert_eq!(locate_value(text, "value", "a\"b c", 0), (0, 0), "a key defined twice does not say which");
    }
}
