//! Splitting a Markdown file into its YAML front matter and its body.

use crate::error::{Diagnostic, Result};

/// A Markdown file split in two: YAML text (starting at line 2) and the body's byte offset.
#[derive(Debug)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub body_start: usize,
}

/// Finds the `---` fenced front matter at the very top of `text`.
pub fn split<'a>(text: &'a str, file: &str) -> Result<Split<'a>> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::error("expected YAML front matter: the file must start with a `---` line")
            .in_file(file)
            .at(1, 1)
            .with_help("begin the file with `---`, the fields (title, order, slug), and another `---`")
            .into());
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(Split { yaml: &text[yaml_start..offset], body_start: offset + line.len() });
        }
        offset += line.len();
    }
    Err(Diagnostic::error("front matter is not closed: no second `---` line")
        .in_file(file)
        .at(1, 1)
        .with_help("end the front matter with a line containing only `---`")
        .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let text = "---\ntitle: x\n---\n\nbody\n";
        let s = split(text, "a.md").unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(&text[s.body_start..], "\nbody\n");
    }

    #[test]
    fn missing_or_unclosed_front_matter_is_an_error() {
        assert!(split("# title\n", "a.md").is_err());
        assert!(split("---\ntitle: x\n", "a.md").unwrap_err().to_string().contains("not closed"));
        assert!(split("", "a.md").is_err());
    }
}
