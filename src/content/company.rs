//! Companies and organizations: `content/companies/*.yaml`, with names, sectors and dated facts.

use serde::Deserialize;

use super::date::Date;
use super::files::Origin;
use super::{ids, yaml};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CompanyKind {
    #[default]
    Company,
    Organization,
}

/// A dated fact the report tells about the company; `text` quotes chapter `chapter` verbatim.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    pub date: Date,
    pub text: String,
    pub chapter: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CompanyFile {
    id: String,
    name: String,
    #[serde(default)]
    original: Option<String>,
    #[serde(default)]
    english: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    kind: CompanyKind,
    #[serde(default)]
    sectors: Vec<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    facts: Vec<Fact>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    editor_note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Company {
    pub id: String,
    /// Korean name as the report writes it.
    pub name: String,
    pub original: Option<String>,
    pub english: Option<String>,
    pub aliases: Vec<String>,
    pub kind: CompanyKind,
    pub sectors: Vec<String>,
    pub summary: Option<String>,
    pub facts: Vec<Fact>,
    pub sources: Vec<String>,
    pub editor_note: Option<String>,
    pub origin: Origin,
}

impl Company {
    /// Every form of the name recognised in text: name, original, English, aliases (deduplicated).
    pub fn mention_forms(&self) -> Vec<&str> {
        let mut forms: Vec<&str> = Vec::new();
        for f in std::iter::once(self.name.as_str())
            .chain(self.original.as_deref())
            .chain(self.english.as_deref())
            .chain(self.aliases.iter().map(String::as_str))
        {
            let f = f.trim();
            if !f.is_empty() && !forms.contains(&f) {
                forms.push(f);
            }
        }
        forms
    }
}

/// The fields a file of this kind may have.
pub fn fields() -> Vec<String> {
    yaml::fields_of::<CompanyFile>()
}

pub fn parse(origin: Origin) -> Result<Company> {
    let f: CompanyFile = yaml::parse(&origin.text, &origin.file, 1)?;
    let mut problems = Vec::new();
    if let Some(why) = ids::check(&f.id) {
        problems.push(origin.error_at_key("id", format!("id {:?} {why}", f.id)).with_help(ids::help(&f.id, "id: ")));
    }
    if f.name.trim().is_empty() {
        problems.push(origin.error_at_key("name", "`name` is empty"));
    }
    // Every fact has `text`, and nothing else in the file does: the k-th fact's is the k-th.
    for (k, fact) in f.facts.iter().enumerate() {
        if fact.text.trim().is_empty() {
            problems.push(
                origin
                    .error_at_nth_key("text", k, "fact `text` is empty")
                    .with_help(format!("copy the sentence that tells it from chapter `{}`", fact.chapter)),
            );
        }
    }
    for (i, a) in f.aliases.iter().enumerate() {
        let nth = f.aliases[..i].iter().filter(|b| *b == a).count();
        problems.extend(origin.error_if_too_short("aliases", a, nth));
    }
    Error::check(problems)?;
    Ok(Company {
        id: f.id,
        name: f.name,
        original: f.original,
        english: f.english,
        aliases: f.aliases,
        kind: f.kind,
        sectors: f.sectors,
        summary: f.summary,
        facts: f.facts,
        sources: f.sources,
        editor_note: f.editor_note,
        origin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_facts() {
        let text = "id: baidu\nname: 바이두\noriginal: 百度\nenglish: Baidu\naliases: [Baidu]\nsectors: [ai]\nfacts:\n  - {date: \"2015-09\", text: 두미를 공개, chapter: ai}\n";
        let c = parse(Origin { file: "c.yaml".into(), text: text.into() }).unwrap();
        assert_eq!(c.mention_forms(), ["바이두", "百度", "Baidu"]);
        assert_eq!(c.facts[0].date.month, 9);
    }

    #[test]
    fn a_short_alias_is_located_in_the_aliases() {
        let text = "id: baidu\nname: 바이두\naliases: [바이두연구소, 바]\n";
        let e = parse(Origin { file: "c.yaml".into(), text: text.into() }).unwrap_err();
        assert_eq!((e.diagnostics[0].line, e.diagnostics[0].col), (3, 19), "{e}");
    }

    #[test]
    fn an_empty_fact_is_located() {
        let text = "id: baidu\nname: 바이두\nfacts:\n  - {date: \"2015\", text: 두미를 공개, chapter: ai}\n  - date: \"2016\"\n    text: \"\"\n    chapter: ai\n";
        let e = parse(Origin { file: "c.yaml".into(), text: text.into() }).unwrap_err();
        assert_eq!((e.diagnostics[0].line, e.diagnostics[0].message.as_str()), (6, "fact `text` is empty"), "{e}");
    }

    #[test]
    fn bad_fact_date_is_located() {
        let text = "id: baidu\nname: 바이두\nfacts:\n  - date: \"2015-9\"\n    text: x\n    chapter: ai\n";
        let e = parse(Origin { file: "c.yaml".into(), text: text.into() }).unwrap_err();
        assert_eq!(e.diagnostics[0].line, 4, "{e}");
        assert!(e.to_string().contains("invalid date"), "{e}");
    }
}
