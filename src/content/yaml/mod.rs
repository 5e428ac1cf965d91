//! The only place YAML is parsed: typed deserialization with located, readable errors.
//!
//! Everything else calls [`parse`] and the `locate_*` functions. Swapping the YAML library
//! means changing this module only: [`parse`] here and [`errors`], which reads the library's
//! messages. The rest reads YAML text without the library: [`lines`] (a line's key and value,
//! values YAML reads otherwise than meant) and [`locate`] (keys, values and text → line and
//! column).

mod errors;
mod lines;
mod locate;
#[cfg(test)]
mod tests;

use serde::de::DeserializeOwned;

pub use locate::{
    TextPlaces, find_text, locate_item, locate_key, locate_key_under, locate_nth_key, locate_text, locate_value, top_level_scalar,
};

use crate::error::{Diagnostic, Error, Result};
use errors::describe;
use lines::{anchor_or_alias, comment_in_text, quoted_line, written_null, written_values};

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

/// The fields `T` accepts (a struct that denies unknown fields), as serde names them when it
/// refuses one: read from that refusal, so the list is the struct's own.
pub fn fields_of<T: DeserializeOwned>() -> Vec<String> {
    let Err(e) = serde_yaml::from_str::<T>("reportgen-no-such-field: 0") else { return Vec::new() };
    crate::error::expected_names(&e.to_string()).into_iter().map(String::from).collect()
}

/// The keys of `text`'s top-level mapping, if it is one and parses.
pub fn top_level_keys(text: &str) -> Vec<String> {
    match serde_yaml::from_str::<serde_yaml::Mapping>(text) {
        Ok(map) => map.keys().filter_map(|k| k.as_str().map(String::from)).collect(),
        Err(_) => Vec::new(),
    }
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}
