//! Reading content files safely: size limit (then decoded as every text file is, see
//! [`crate::decode`]), and the located errors about a file's text.

use std::path::Path;

use crate::error::{Diagnostic, Error, Result, line_col};

/// Where an item came from: the file as the user names it and its full text.
#[derive(Debug, Clone)]
pub struct Origin {
    /// Path relative to the site root, with `/` separators (`content/tables/t1.yaml`).
    pub file: String,
    pub text: String,
}

impl Origin {
    /// An error about the whole file.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message).in_file(&self.file)
    }

    /// An error at byte `offset` of the file.
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (l, c) = line_col(&self.text, offset);
        self.error(message).at(l, c)
    }

    /// Where byte `offset` of `value` (a YAML value of this file) stands in the file, found
    /// word by word (see [`super::yaml::TextPlaces`]) the first time it is asked; `None` when
    /// the value is not in the file as written.
    pub fn value_places<'a>(&'a self, value: &'a str) -> impl Fn(usize) -> Option<usize> + 'a {
        let places = std::cell::OnceCell::new();
        move |offset| places.get_or_init(|| super::yaml::TextPlaces::find(&self.text, value)).as_ref().map(|p| p.file_offset(offset))
    }

    /// An error at the first definition of YAML key `key`.
    pub fn error_at_key(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let (l, c) = super::yaml::locate_key(&self.text, key);
        self.error(message).at(l, c)
    }

    /// An error at the `n`-th (0-based) definition of YAML key `key` (the n-th item's, in a
    /// list whose items all have it).
    pub fn error_at_nth_key(&self, key: &str, n: usize, message: impl Into<String>) -> Diagnostic {
        let (l, c) = super::yaml::locate_nth_key(&self.text, key, n);
        self.error(message).at(l, c)
    }

    /// An error where `needle` first occurs in the file (a value's own text).
    pub fn error_at_text(&self, needle: &str, message: impl Into<String>) -> Diagnostic {
        let (l, c) = super::yaml::locate_text(&self.text, needle);
        self.error(message).at(l, c)
    }

    /// [`Origin::error_at_text`], or, where the text is not found as written, at the `nth`
    /// (0-based) definition of YAML key `key` (the value the text was read from).
    pub fn error_at_text_or_key(&self, needle: &str, key: &str, nth: usize, message: impl Into<String>) -> Diagnostic {
        match super::yaml::find_text(&self.text, needle) {
            Some(off) => self.error_at(off, message),
            None => self.error_at_nth_key(key, nth, message),
        }
    }

    /// An error at `value` as given to YAML key `key`, at the `nth` (0-based) place it is
    /// (see [`super::yaml::locate_value`]).
    pub fn error_at_value(&self, key: &str, value: &str, nth: usize, message: impl Into<String>) -> Diagnostic {
        let (l, c) = super::yaml::locate_value(&self.text, key, value, nth);
        self.error(message).at(l, c)
    }

    /// An error when `name`, given to key `key` (at its `nth` place) and looked for in the
    /// report's text (a company's alias, a glossary term), is shorter than two characters: it
    /// would be found inside other words (`중` in `중국`).
    pub fn error_if_too_short(&self, key: &str, name: &str, nth: usize) -> Option<Diagnostic> {
        (name.trim().chars().count() < 2).then(|| {
            let what = if key == "aliases" { "alias" } else { key };
            self.error_at_value(key, name, nth, format!("{what} {name:?} is too short to recognise safely"))
                .with_help("a name looked for in the text needs at least two characters")
        })
    }

    /// An error where `needle` first occurs after the definition of YAML key `key` (a value
    /// inside that key's section, such as a chart value under `chart:`).
    pub fn error_at_text_under(&self, key: &str, needle: &str, message: impl Into<String>) -> Diagnostic {
        let (l, _) = super::yaml::locate_key(&self.text, key);
        let from = if l == 0 { 0 } else { self.text.split_inclusive('\n').take(l - 1).map(str::len).sum() };
        let rest = &self.text[from..];
        // A quoted value is the surest match ("1.5" must not land inside "1.50").
        let quoted = ['"', '\''].iter().find_map(|q| rest.find(&format!("{q}{needle}{q}")).map(|i| i + 1));
        match quoted.or_else(|| rest.find(needle)) {
            Some(off) if !needle.is_empty() => self.error_at(from + off, message),
            _ => match super::yaml::find_text(&self.text, needle) {
                Some(off) => self.error_at(off, message),
                // Not as written (folded over lines, escaped): at `key`'s line when it is there.
                None if l > 0 => self.error_at(from, message),
                None => self.error(message).at(0, 0),
            },
        }
    }

    /// Byte offset where `needle` first occurs, if it does.
    pub fn offset_of(&self, needle: &str) -> Option<usize> {
        if needle.is_empty() { None } else { self.text.find(needle) }
    }
}

/// The values given so far in a file, per key: each one's `nth` place for
/// [`Origin::error_at_value`], counted as the file is read in order.
#[derive(Debug, Default)]
pub struct Seen<'a>(std::collections::HashMap<(&'static str, &'a str), usize>);

impl<'a> Seen<'a> {
    /// How many times `value` was given to `key` before this time.
    pub fn next(&mut self, key: &'static str, value: &'a str) -> usize {
        let n = self.0.entry((key, value)).or_insert(0);
        *n += 1;
        *n - 1
    }
}

/// Reads `path` as UTF-8 text, refusing files over `max_size` bytes; strips a leading BOM.
/// The size comes from the open file (no second lookup of the path), and no more than
/// `max_size` + 1 bytes are read even if the file grows meanwhile.
pub fn read_text(path: &Path, shown: &str, max_size: u64) -> Result<String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Error::new(Diagnostic::error(format!("cannot read: {e}")).in_file(shown));
    let too_big = |len: u64| {
        Error::new(
            Diagnostic::error(format!("file is {len} bytes, over the limit of {max_size} bytes"))
                .in_file(shown)
                .with_help("split it, or raise `max_file_size` in site.toml"),
        )
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    if len > max_size {
        return Err(too_big(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max_size.saturating_add(1)).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > max_size {
        return Err(too_big(bytes.len() as u64));
    }
    crate::decode::decode(bytes, shown)
}
