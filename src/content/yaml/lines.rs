//! How a line of YAML reads, without the YAML library: a line's key and value, the values
//! written on their own lines, and the values YAML reads otherwise than an editor meant them
//! (`~`, ` #1`, `&name`); plus the quoted forms the advice writes back.

/// `text` as a YAML double-quoted value: `"…"`, with `\` and `"` escaped.
pub(super) fn double_quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The line to write for `key: text` (or the list item `- text`, `key` empty) with the text in
/// double quotes.
pub(super) fn quoted_line(key: &str, text: &str) -> String {
    let lead = if key.is_empty() { "- ".to_string() } else { format!("{key}: ") };
    format!("{lead}{}", double_quoted(text))
}

/// Whether `s` can be a key of the content files' mappings.
pub(super) fn is_key(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// A value as written on its line, without a trailing `# comment` and surrounding spaces.
pub(super) fn without_comment(value: &str) -> &str {
    value[..comments(value).next().map_or(value.len(), |hash| hash - 1)].trim()
}

/// Where a `#` stands after a space in `value` (where YAML may start a comment), in order.
/// (Read byte by byte: lines are short, and this runs for every line of every YAML file.)
fn comments(value: &str) -> impl Iterator<Item = usize> + '_ {
    let b = value.as_bytes();
    (1..b.len()).filter(move |&i| b[i] == b'#' && b[i - 1] == b' ')
}

/// Whether a plain value is YAML's null (`~`, `null`).
pub(super) fn is_null(value: &str) -> bool {
    matches!(value, "~" | "null" | "Null" | "NULL")
}

/// A line read as YAML's `key: value`, after any list dashes (`- key: value`, `- - key:`).
pub(super) struct KeyValue<'a> {
    /// Byte offset of the key in the line (its column, less one: what precedes it is ASCII).
    pub(super) key_at: usize,
    pub(super) key: &'a str,
    /// The value as written, without a trailing comment; empty when the line ends at its colon.
    pub(super) value: &'a str,
    /// Byte offset of the value in the line.
    pub(super) value_at: usize,
}

/// `line` as a `key: value` line, or `None` for any other line.
pub(super) fn key_value(line: &str) -> Option<KeyValue<'_>> {
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
pub(super) type Written<'a> = (usize, &'a str, &'a str, usize);

/// The values written on their own lines, in order. Text inside block scalars (`|`, `>`) is
/// text, not values.
pub(super) fn written_values(text: &str) -> Vec<Written<'_>> {
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
pub(super) fn written_null<'a>(values: &[Written<'a>]) -> Option<(usize, usize, &'a str, &'a str)> {
    values.iter().find_map(|&(i, line, key, at)| {
        let value = without_comment(&line[at..]);
        is_null(value).then(|| (i + 1, line[..at].chars().count() + 1, key, value))
    })
}

/// The first unquoted value whose text goes on after ` #` with no space (`중국 #1 기업`): YAML
/// reads the rest of the line as a comment and the value as what comes before it. (line,
/// column of the `#`, the key or "", the value as written, what YAML keeps.)
pub(super) fn comment_in_text<'a>(values: &[Written<'a>]) -> Option<(usize, usize, &'a str, &'a str, &'a str)> {
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

/// The first value written as a YAML anchor (`&name …`) or alias (`*name`), unquoted: (line,
/// column, the key or "" for an item, the value as written).
pub(super) fn anchor_or_alias<'a>(values: &[Written<'a>]) -> Option<(usize, usize, &'a str, &'a str)> {
    values.iter().find_map(|&(i, line, key, at)| {
        let raw = without_comment(&line[at..]);
        raw.starts_with(['&', '*']).then(|| (i + 1, line[..at].chars().count() + 1, key, raw))
    })
}
