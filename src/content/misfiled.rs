//! A table, figure or company file in another kind's folder: its errors there (unknown fields,
//! a table without rows) are true but miss the cause, so the first of them says where it goes.

use super::{FileKind, company, figure, table, yaml};
use crate::error::Error;

/// The YAML kinds a file can be mistaken between: kind, its folder, its fields.
fn kinds() -> [(FileKind, &'static str, Vec<String>); 3] {
    [
        (FileKind::Table, "content/tables/", table::fields()),
        (FileKind::Figure, "content/figures/", figure::fields()),
        (FileKind::Company, "content/companies/", company::fields()),
    ]
}

/// `error`, from loading `text` (file `shown`) as a `kind`, with a help on its first
/// diagnostic in that file when every top-level key of the text is a field of one other kind
/// and some key is not one of `kind`'s.
pub(super) fn explain(mut error: Error, kind: FileKind, text: &str, shown: &str) -> Error {
    let kinds = kinds();
    let Some((_, _, own)) = kinds.iter().find(|(k, ..)| *k == kind) else { return error };
    let keys = yaml::top_level_keys(text);
    if keys.is_empty() {
        return error;
    }
    let mut others = kinds.iter().filter(|(k, _, fields)| *k != kind && keys.iter().all(|key| fields.contains(key)));
    let (Some((other, folder, _)), None) = (others.next(), others.next()) else { return error };
    let Some(noun) = other.noun() else { return error };
    let moved = if keys.iter().all(|k| own.contains(k)) {
        // Fields both kinds have (a figure's `id`, `caption`, `source`, `unit`) are its own too:
        // only a table asks for more (its rows), so only there is the other kind a likely cause.
        if kind != FileKind::Table {
            return error;
        }
        format!("if it is a {noun}, move the file to {folder}: its fields are all a {noun}'s too")
    } else {
        format!("its fields are a {noun}'s: move the file to {folder}")
    };
    if let Some(d) = error.diagnostics.iter_mut().find(|d| d.file.as_deref() == Some(shown)) {
        d.help = Some(match d.help.take() {
            Some(help) => format!("{moved} (otherwise: {help})"),
            None => moved,
        });
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostic;

    fn help(kind: FileKind, text: &str) -> Option<String> {
        let e = Error::new(Diagnostic::error("x").in_file("f.yaml").at(1, 1));
        explain(e, kind, text, "f.yaml").diagnostics[0].help.clone()
    }

    #[test]
    fn the_fields_are_each_kinds_own() {
        let t = table::fields();
        assert!(t.contains(&"rows".to_string()) && t.contains(&"header".to_string()) && !t.contains(&"name".to_string()));
        assert!(company::fields().contains(&"facts".to_string()));
        assert!(figure::fields().contains(&"image".to_string()));
    }

    #[test]
    fn a_file_of_another_kind_is_told_where_it_goes() {
        let table = "id: a\ncaption: b\nrows:\n  - [x]\n";
        assert_eq!(help(FileKind::Figure, table).as_deref(), Some("its fields are a table's: move the file to content/tables/"));
        assert_eq!(
            help(FileKind::Table, "id: a\nname: b\n").as_deref(),
            Some("its fields are a company's: move the file to content/companies/")
        );
        // A table's folder holding fields a figure has too (the report's figures have no more):
        // a table needs its rows, so the figure is named, as a possibility.
        assert_eq!(
            help(FileKind::Table, "id: a\ncaption: b\nunit: c\nsource: d\n").as_deref(),
            Some("if it is a figure, move the file to content/figures/: its fields are all a figure's too")
        );
        assert_eq!(help(FileKind::Figure, "id: a\ncaption: b\nsource: d\n"), None);
        // Its own kind's fields, a misspelt field, fields two kinds share, or no mapping: no guess.
        assert_eq!(help(FileKind::Table, table), None);
        assert_eq!(help(FileKind::Table, "id: a\ncaptoin: b\n"), None);
        assert_eq!(help(FileKind::Company, "id: a\ncaption: b\nsource: c\n"), None);
        assert_eq!(help(FileKind::Table, "- a\n- b\n"), None);
    }
}
