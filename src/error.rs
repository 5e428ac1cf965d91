//! The one error type: located diagnostics (`path:line:col: message`) that every stage reports.

use std::fmt;
use std::path::Path;

/// How bad a diagnostic is: errors fail the command, warnings are summarized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One located message, in the spirit of rustc: `content/tables/t2.yaml:14:3: unknown column "goal"`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as the user should read it (relative to the site root where possible).
    pub file: Option<String>,
    /// 1-based; 0 when unknown.
    pub line: usize,
    /// 1-based, in characters; 0 when unknown.
    pub col: usize,
    pub message: String,
    /// What to do about it, when we know.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, file: None, line: 0, col: 0, message: message.into(), help: None }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(message) }
    }

    /// The same message as a warning.
    pub fn as_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, line: usize, col: usize) -> Self {
        self.line = line;
        self.col = col;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a "did you mean" help line when one of `candidates` is close to `wrong`.
    pub fn suggest<'a>(self, wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Self {
        match did_you_mean(wrong, candidates) {
            Some(best) => self.with_help(format!("did you mean `{best}`?")),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            if self.line > 0 {
                write!(f, ":{}", self.line)?;
                if self.col > 0 {
                    write!(f, ":{}", self.col)?;
                }
            }
            write!(f, ": ")?;
        }
        if self.severity == Severity::Warning {
            write!(f, "warning: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// What a failed command returns: one or more diagnostics, in the order they were found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    pub fn new(d: Diagnostic) -> Self {
        Error { diagnostics: vec![d] }
    }

    pub fn msg(message: impl Into<String>) -> Self {
        Error::new(Diagnostic::error(message))
    }

    /// An I/O failure on `path`.
    pub fn io(path: &Path, err: &std::io::Error) -> Self {
        Error::new(Diagnostic::error(err.to_string()).in_file(path.display().to_string()))
    }

    /// Turns collected diagnostics into a result: `Err` if any of them is an error.
    pub fn check(diagnostics: Vec<Diagnostic>) -> Result<Vec<Diagnostic>> {
        if diagnostics.iter().any(Diagnostic::is_error) { Err(Error { diagnostics }) } else { Ok(diagnostics) }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::new(d)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Collects diagnostics from a stage that should report every problem, not only the first.
#[derive(Debug, Default)]
pub struct Sink {
    pub diagnostics: Vec<Diagnostic>,
}

impl Sink {
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    pub fn extend(&mut self, e: Error) {
        self.diagnostics.extend(e.diagnostics);
    }

    /// Runs `r`, keeping its error (if any) and returning its value.
    pub fn take<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.extend(e);
                None
            }
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Ends the stage: an error if anything went wrong, otherwise the warnings.
    pub fn finish(self) -> Result<Vec<Diagnostic>> {
        Error::check(self.diagnostics)
    }
}

/// Levenshtein distance in characters (small inputs only: ids and names).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest candidate to `wrong`, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if wrong.trim().is_empty() {
        return None;
    }
    let limit = (wrong.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wrong, c), c))
        .filter(|(d, c)| *d <= limit || c.starts_with(wrong) || wrong.starts_with(*c))
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// The names serde's "unknown field `x`, expected one of `a`, `b`, `c`" (or "expected `a` or
/// `b`") allows: every backticked name after "expected".
pub fn expected_names(message: &str) -> Vec<&str> {
    message.split_once("expected").map(|(_, rest)| rest.split('`').skip(1).step_by(2).collect()).unwrap_or_default()
}

/// The help for serde's "unknown field `x`, expected one of `a`, `b`" (YAML and TOML alike):
/// the closest allowed name, else the allowed names.
pub fn unknown_field_help(message: &str) -> Option<String> {
    let field = message.split_once("unknown field `")?.1.split('`').next()?;
    let expected = expected_names(message);
    Some(match did_you_mean(field, expected.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if !expected.is_empty() => format!("allowed fields: {}", expected.join(", ")),
        None => "remove it".to_string(),
    })
}

/// `n` things in words: "no errors", "1 error", "3 errors".
pub fn count(n: usize, one: &str) -> String {
    match n {
        0 => format!("no {one}s"),
        1 => format!("1 {one}"),
        n => format!("{n} {one}s"),
    }
}

/// Line and column (1-based, column in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut start = offset;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_a_compiler() {
        let d = Diagnostic::error("unknown column \"goal\"").in_file("content/tables/t2.yaml").at(14, 3).with_help("did you mean `goals`?");
        assert_eq!(d.to_string(), "content/tables/t2.yaml:14:3: unknown column \"goal\"\n  help: did you mean `goals`?");
    }

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["baidu", "alibaba", "tencent"];
        assert_eq!(did_you_mean("biadu", ids), Some("baidu"));
        assert_eq!(did_you_mean("tencnet", ids), Some("tencent"));
        assert_eq!(did_you_mean("xiaomi", ids), None);
    }

    #[test]
    fn line_col_counts_characters() {
        let text = "첫 줄\n둘째 줄의 ㄱ";
        let off = text.find('ㄱ').unwrap();
        assert_eq!(line_col(text, off), (2, 7));
        assert_eq!(line_col(text, 0), (1, 1));
    }

    #[test]
    fn check_separates_warnings_from_errors() {
        assert!(Error::check(vec![Diagnostic::warning("w")]).is_ok());
        assert!(Error::check(vec![Diagnostic::warning("w"), Diagnostic::error("e")]).is_err());
    }
}
