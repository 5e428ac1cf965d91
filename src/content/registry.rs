//! The small registries: sectors, sources and glossary terms (one YAML list each).

use serde::Deserialize;

use super::files::{Origin, Seen};
use super::{ids, yaml};
use crate::error::{Diagnostic, Error, Result};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub english: Option<String>,
    #[serde(default)]
    pub chapter: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub english: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub id: String,
    pub term: String,
    #[serde(default)]
    pub original: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub definition: String,
    pub chapter: String,
    #[serde(default)]
    pub editor_note: Option<String>,
}

impl Term {
    /// The term and its aliases, deduplicated.
    pub fn forms(&self) -> Vec<&str> {
        let mut out = vec![self.term.as_str()];
        for a in &self.aliases {
            if !out.contains(&a.as_str()) && !a.trim().is_empty() {
                out.push(a);
            }
        }
        out
    }
}

/// Something in a registry list that has an id.
pub trait Listed {
    fn id(&self) -> &str;
    /// (key, text) of the fields every item has that must not be empty.
    fn required_text(&self) -> Vec<(&'static str, &str)>;
    /// (key, form) of the names looked for in the report's text: at least two characters each.
    fn searched_forms(&self) -> Vec<(&'static str, &str)> {
        Vec::new()
    }
    /// (key, address) of the links to other sites the item gives.
    fn web_addresses(&self) -> Vec<(&'static str, &str)> {
        Vec::new()
    }
}
impl Listed for Sector {
    fn id(&self) -> &str {
        &self.id
    }
    fn required_text(&self) -> Vec<(&'static str, &str)> {
        vec![("name", &self.name)]
    }
}
impl Listed for Source {
    fn id(&self) -> &str {
        &self.id
    }
    fn required_text(&self) -> Vec<(&'static str, &str)> {
        vec![("name", &self.name)]
    }
    fn web_addresses(&self) -> Vec<(&'static str, &str)> {
        self.url.iter().map(|u| ("url", u.as_str())).collect()
    }
}
impl Listed for Term {
    fn id(&self) -> &str {
        &self.id
    }
    fn required_text(&self) -> Vec<(&'static str, &str)> {
        vec![("term", &self.term), ("definition", &self.definition)]
    }
    fn searched_forms(&self) -> Vec<(&'static str, &str)> {
        std::iter::once(("term", self.term.as_str())).chain(self.aliases.iter().map(|a| ("aliases", a.as_str()))).collect()
    }
}

/// Parses a registry file: a YAML list of `T`, each with a valid, unique id.
pub fn parse_list<T: Listed + serde::de::DeserializeOwned>(origin: &Origin) -> Result<Vec<T>> {
    if origin.text.trim().is_empty() {
        return Err(Error::new(
            Diagnostic::error("empty file: expected a list of entries, each starting with `- id: …`")
                .in_file(&origin.file)
                .at(1, 1)
                .with_help("write `[]` for a list with no entries, or remove the file"),
        ));
    }
    let items: Vec<T> = yaml::parse(&origin.text, &origin.file, 1)?;
    let mut problems: Vec<Diagnostic> = Vec::new();
    // How many items before have each id: which `id:` line an error points at.
    let mut seen = Seen::default();
    for (i, item) in items.iter().enumerate() {
        // Every item has each required key, so the i-th item's is the key's i-th definition.
        for (key, text) in item.required_text() {
            if text.trim().is_empty() {
                problems.push(origin.error_at_nth_key(key, i, format!("`{key}` is empty")));
            }
        }
        // (An empty term is reported above; an empty alias is left out of the forms.)
        let forms = item.searched_forms().into_iter().filter(|(_, form)| !form.trim().is_empty());
        problems.extend(forms.filter_map(|(key, form)| origin.error_if_too_short(key, form, 0)));
        for (key, url) in item.web_addresses() {
            let nth = seen.next(key, url);
            if let Some(why) = crate::urls::web_address_problem(url) {
                let help =
                    crate::urls::scheme_fix(url).unwrap_or_else(|| "write the whole address, such as `https://example.org/…`".into());
                problems.push(origin.error_at_value(key, url, nth, format!("{key} {url:?} {why}")).with_help(help));
            }
        }
        let id = item.id();
        let nth = seen.next("id", id);
        if let Some(why) = ids::check(id) {
            let d = origin.error_at_value("id", id, nth, format!("id {id:?} {why}"));
            problems.push(d.with_help(ids::help(id, "id: ")));
        } else if nth > 0 {
            problems
                .push(origin.error_at_value("id", id, nth, format!("duplicate id {id:?}")).with_help("ids must be unique within the file"));
        }
    }
    Error::check(problems)?;
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_ids_are_located() {
        let o = Origin { file: "content/sources.yaml".into(), text: "- id: kotra\n  name: KOTRA\n- id: kotra\n  name: KOTRA2\n".into() };
        let e = parse_list::<Source>(&o).unwrap_err();
        assert_eq!(e.diagnostics[0].line, 3, "{e}");
        // The second `ai`, quoted, not `aix` that starts with the same letters.
        let o = Origin {
            file: "content/sectors.yaml".into(),
            text: "- id: ai\n  name: x\n- id: aix\n  name: y\n- id: \"ai\"\n  name: z\n".into(),
        };
        let e = parse_list::<Sector>(&o).unwrap_err();
        assert_eq!((e.diagnostics[0].line, e.diagnostics[0].col), (5, 8), "{e}");
    }

    #[test]
    fn empty_names_and_one_letter_terms_are_located() {
        let o = Origin { file: "content/sources.yaml".into(), text: "- id: a\n  name: A\n- id: b\n  name: \"\"\n".into() };
        let e = parse_list::<Source>(&o).unwrap_err();
        assert_eq!((e.diagnostics[0].line, e.diagnostics[0].message.as_str()), (4, "`name` is empty"), "{e}");
        let o = Origin {
            file: "g.yaml".into(),
            text: "- id: zgc\n  term: 중관촌\n  aliases: [중관춘, 중]\n  definition: x\n  chapter: a\n".into(),
        };
        let e = parse_list::<Term>(&o).unwrap_err();
        assert_eq!((e.diagnostics[0].line, e.diagnostics[0].col), (3, 18), "{e}");
        assert_eq!(e.diagnostics[0].message, "alias \"중\" is too short to recognise safely");
    }

    #[test]
    fn term_forms_include_aliases() {
        let o = Origin {
            file: "g.yaml".into(),
            text: "- id: zgc\n  term: 중관촌\n  aliases: [중관춘]\n  definition: x\n  chapter: a\n".into(),
        };
        let t = parse_list::<Term>(&o).unwrap();
        assert_eq!(t[0].forms(), ["중관촌", "중관춘"]);
    }
}
