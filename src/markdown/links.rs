//! Link destinations: kind-prefixed references (`table:x`), assets, external URLs, and what is refused.

use super::ir::Target;
use crate::content::Ids;
use crate::error::did_you_mean;

/// The reference kinds an editor can write before `:`.
pub const KINDS: &[&str] = &["chapter", "table", "figure", "company", "source", "term", "page"];
const SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "ftp"];

/// What a link destination means.
#[derive(Debug, Clone, PartialEq)]
pub enum Dest {
    /// A reference to an item; `anchor` only for chapters (`chapter:slug#anchor`).
    Item(Target, Option<String>),
    /// An index page of the site (`page:tables`), by its name in [`crate::urls::INDEX_PAGES`].
    Page(&'static str),
    /// A file under `content/assets/` (`assets/x.png`), path relative to it.
    Asset(String),
    /// An external URL or an in-page anchor, used as written.
    Url(String),
}

/// A destination that cannot be used, with the message and an optional help line.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub message: String,
    pub help: Option<String>,
    /// The target is unknown because its file failed to load: that file's error is the one
    /// reported, not this.
    pub follows_from_load: bool,
}

fn refused(message: String, help: Option<String>) -> Refused {
    Refused { message, help, follows_from_load: false }
}

/// Classifies `dest`, checking item ids against `ids`.
pub fn classify(dest: &str, ids: &Ids) -> Result<Dest, Refused> {
    if super::escape::is_dangerous_url(dest) {
        return Err(refused(
            format!("link to {dest:?} is not allowed"),
            Some("links may not run script or embed data; link to a page instead".into()),
        ));
    }
    if dest.trim().is_empty() {
        return Err(refused(
            "link has no destination: its `()` is empty".into(),
            Some("write where it leads: a URL (`https://…`) or a reference (`chapter:slug`, `table:id`, `company:id`, …)".into()),
        ));
    }
    if let Some((prefix, rest)) = dest.split_once(':')
        && !prefix.is_empty()
        && prefix.chars().all(|c| c.is_ascii_alphabetic())
    {
        let lower = prefix.to_ascii_lowercase();
        if SCHEMES.contains(&lower.as_str()) {
            return match incomplete_url(&lower, rest) {
                Some(help) => Err(refused(format!("link {dest:?} is incomplete"), Some(help))),
                None => Ok(Dest::Url(dest.to_string())),
            };
        }
        if !KINDS.contains(&prefix) && rest.starts_with("//") {
            // `htps://…`: a web address with its scheme mistyped.
            let help = match did_you_mean(&lower, ["https", "http"]) {
                Some(scheme) => format!("did you mean `{scheme}:{rest}`?"),
                None => "a web address starts with https:// or http://".to_string(),
            };
            return Err(refused(format!("link {dest:?} has an unknown scheme `{prefix}:`"), Some(help)));
        }
        if !KINDS.contains(&prefix) {
            let help = did_you_mean(prefix, KINDS.iter().copied())
                .map(|k| format!("did you mean `{k}:{rest}`?"))
                .or_else(|| Some(format!("reference kinds are {}", KINDS.join(", "))));
            return Err(refused(format!("unknown reference kind `{prefix}:`"), help));
        }
        let (id, anchor) = match rest.split_once('#') {
            Some((id, a)) => (id, Some(a.to_string())),
            None => (rest, None),
        };
        if anchor.is_some() && prefix != "chapter" {
            return Err(refused(format!("`{dest}`: only chapter references can have an #anchor"), None));
        }
        if anchor.as_deref() == Some("") {
            return Err(refused(format!("`{dest}`: empty #anchor"), None));
        }
        if prefix == "page" {
            return page(dest, id);
        }
        let map = match prefix {
            "chapter" => &ids.chapters,
            "table" => &ids.tables,
            "figure" => &ids.figures,
            "company" => &ids.companies,
            "source" => &ids.sources,
            _ => &ids.terms,
        };
        let what = id_word(prefix);
        if id.is_empty() {
            return Err(refused(
                format!("`{dest}` has no {what} after the colon"),
                Some(format!("write the {prefix}'s {what} after `{prefix}:`")),
            ));
        }
        let Some(&i) = map.get(id) else {
            if ids.unloaded.covers(kind_name(prefix), id) {
                return Err(Refused { follows_from_load: true, ..refused(format!("unknown {prefix} {what} `{id}`"), None) });
            }
            let help = if let Some(named) = ids.by_name.get(&(prefix, id.to_string())) {
                Some(format!("a reference names the {prefix}'s {what}, not its name: `{prefix}:{named}`"))
            } else if let Some(kind) = kind_having(ids, id) {
                Some(format!("`{id}` is a {kind}: `{kind}:{id}`"))
            } else if let Some(kind) = KINDS.iter().find(|k| ids.unloaded.failed(k, id)) {
                // A figure's file put among the tables fails there: this reference follows from it.
                Some(format!("the file of a {kind} with {} `{id}` failed to load: its error says why", id_word(kind)))
            } else if id.chars().any(|c| c.is_ascii_alphanumeric()) {
                did_you_mean(id, map.keys().map(String::as_str)).map(|s| format!("did you mean `{prefix}:{s}`?"))
            } else {
                Some(format!(
                    "a reference names the {prefix}'s {what}, not its title or name: {what}s are English or romanized (they become URLs); the {prefix}'s file gives it as `{what}:`"
                ))
            };
            return Err(refused(
                format!("unknown {prefix} {what} `{id}`"),
                help.or_else(|| Some(format!("no {prefix} has {what} `{id}`"))),
            ));
        };
        let target = match prefix {
            "chapter" => Target::Chapter(i),
            "table" => Target::Table(i),
            "figure" => Target::Figure(i),
            "company" => Target::Company(i),
            "source" => Target::Source(i),
            _ => Target::Term(i),
        };
        return Ok(Dest::Item(target, anchor));
    }
    if let Some(rel) = dest.strip_prefix("assets/") {
        if let Some(why) = crate::content::figure::unsafe_asset_path(rel) {
            return Err(refused(
                format!("asset path {dest:?} {why}"),
                Some("give a path under content/assets/, such as `assets/figures/fig1.png`".into()),
            ));
        }
        return Ok(Dest::Asset(rel.to_string()));
    }
    let path = dest.split(['#', '?']).next().unwrap_or("");
    if path.ends_with(".md") {
        let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".md");
        return Err(refused(
            format!("link to Markdown file {dest:?}"),
            Some(format!(
                "link to a chapter by its slug: `chapter:{}`",
                crate::content::ids::suggest(stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-'))
            )),
        ));
    }
    if !dest.starts_with('#') && !dest.starts_with("//") {
        return Err(site_path(dest, ids));
    }
    Ok(Dest::Url(dest.to_string()))
}

/// A `page:` reference, `name` being what follows the colon.
fn page(dest: &str, name: &str) -> Result<Dest, Refused> {
    let names = crate::urls::INDEX_PAGES;
    if let Some(&name) = names.iter().find(|&&n| n == name) {
        return Ok(Dest::Page(name));
    }
    let help = match did_you_mean(name, names.iter().copied()) {
        Some(name) => format!("did you mean `page:{name}`?"),
        None => format!("the pages are {}", names.join(", ")),
    };
    let message = if name.is_empty() { format!("`{dest}` has no page name after the colon") } else { format!("unknown page `{name}`") };
    Err(refused(message, Some(help)))
}

/// A path of the site written by hand (`/chapters/ai/`, `../tables/`): it would break when the
/// site is published under a sub-path, on the print page (where a chapter's text sits at
/// another depth) and when an id changes, so it is refused with the reference that leads there.
fn site_path(dest: &str, ids: &Ids) -> Refused {
    if let Some(fix) = crate::urls::scheme_fix(dest) {
        return refused(format!("link {dest:?} has no https:// in front: it would lead to a path of this site"), Some(fix));
    }
    let fix = match reference_for_path(dest) {
        Some(asset) if asset.starts_with("assets/") => Some(format!("write `{asset}` (no `/` in front)")),
        Some(reference) => match classify(&reference, ids) {
            Ok(_) => Some(format!("write `{reference}`")),
            Err(e) => e.help,
        },
        None => {
            file_name(dest).filter(|f| !f.ends_with(".html")).map(|f| format!("put the file in content/assets/ and write `assets/{f}`"))
        }
    };
    refused(
        format!("link to the site path {dest:?}: a path written by hand breaks under a sub-path and on the print page"),
        Some(fix.unwrap_or_else(|| {
            "link to a page of the site with a reference (`chapter:slug`, `table:id`, `company:id`, `page:tables`, …) and to a file with `assets/…`".to_string()
        })),
    )
}

/// The name of the file a URL or path ends in (`x.png` in `https://h/a/x.png?v=2`), if its last
/// segment has an extension: what to call it under `content/assets/`.
pub fn file_name(url: &str) -> Option<&str> {
    let path = url.split(['#', '?']).next().unwrap_or("");
    path.rsplit('/').next().filter(|name| name.contains('.'))
}

/// The reference (or `assets/…` path) that leads where a path of the site does: `/chapters/ai/#x`
/// → `chapter:ai#x`, `../tables/` → `page:tables`, `/` → `page:home`, a base path in front
/// skipped (`/reports/x/companies/baidu/index.html` → `company:baidu`). Ids are not checked.
pub fn reference_for_path(path: &str) -> Option<String> {
    use crate::urls::SitePath;
    Some(match crate::urls::read_site_path(path)? {
        SitePath::Chapter(slug, None) => format!("chapter:{slug}"),
        SitePath::Chapter(slug, Some(fragment)) => format!("chapter:{slug}#{fragment}"),
        SitePath::Table(id) => format!("table:{id}"),
        SitePath::Figure(id) => format!("figure:{id}"),
        SitePath::Company(id) => format!("company:{id}"),
        SitePath::Source(id) => format!("source:{id}"),
        SitePath::Term(id) => format!("term:{id}"),
        SitePath::Page(name) => format!("page:{name}"),
        SitePath::Asset(path) => path,
    })
}

/// The reference kind `prefix` as a `'static` name (an unknown prefix gives "").
fn kind_name(prefix: &str) -> &'static str {
    KINDS.iter().copied().find(|k| *k == prefix).unwrap_or("")
}

/// What a reference of `kind` names its item by: a chapter's slug, any other item's id.
fn id_word(kind: &str) -> &'static str {
    if kind == "chapter" { "slug" } else { "id" }
}

/// The reference kind whose id (or slug) `id` is, when exactly one kind has it.
fn kind_having(ids: &Ids, id: &str) -> Option<&'static str> {
    let kinds = [
        ("chapter", &ids.chapters),
        ("table", &ids.tables),
        ("figure", &ids.figures),
        ("company", &ids.companies),
        ("source", &ids.sources),
        ("term", &ids.terms),
    ];
    let mut having = kinds.iter().filter(|(_, map)| map.contains_key(id)).map(|(kind, _)| *kind);
    match (having.next(), having.next()) {
        (Some(kind), None) => Some(kind),
        _ => None,
    }
}

/// What is missing from a URL of `scheme` whose text after `scheme:` is `rest`, if anything:
/// a web or FTP address needs `//` and a host, a mail address or phone number its text.
fn incomplete_url(scheme: &str, rest: &str) -> Option<String> {
    if matches!(scheme, "mailto" | "tel") {
        return rest
            .trim()
            .is_empty()
            .then(|| format!("write the {} after `{scheme}:`", if scheme == "tel" { "number" } else { "address" }));
    }
    let host = rest.strip_prefix("//").map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    match host {
        Some(h) if !h.is_empty() => None,
        _ => Some(format!("write the whole address, such as `{scheme}://example.org/…`")),
    }
}

/// The links written so that Markdown reads them as plain text (`[](table:t1` with no `)`, a
/// space between `]` and `(`, a space inside the parentheses, a space after a reference's
/// `kind:`): for each, the byte position of its `[` (of its `]` when the text starts after it),
/// its target as written, and the fix. Only targets that are references or web URLs count, so
/// ordinary brackets and parentheses in the text are left alone.
pub fn unread_links(text: &str) -> impl Iterator<Item = (usize, &str, String)> {
    text.match_indices(']').filter_map(|(i, _)| {
        let after = &text[i + 1..];
        let gap = after.len() - after.trim_start_matches(' ').len();
        let inner = after[gap..].strip_prefix('(')?;
        let end = inner.find(|c: char| c.is_whitespace() || c == ')').unwrap_or(inner.len());
        let target = &inner[..end];
        let (scheme, rest) = target.split_once(':')?;
        let open = text[..i].rfind('[');
        if rest.is_empty() && KINDS.contains(&scheme) {
            let (target, id) = spaced_id(inner, end)?;
            let label = open.map_or("…", |o| &text[o + 1..i]);
            return Some((open.unwrap_or(i), target, format!("write no space after `{scheme}:`: [{label}]({scheme}:{id})")));
        }
        if rest.is_empty() || !(KINDS.contains(&scheme) || scheme == "http" || scheme == "https") {
            return None;
        }
        let help = if gap > 0 {
            "write `](` with no space between the brackets and the parentheses"
        } else if inner[end..].split(['[', ']', '\n']).next().is_some_and(|r| r.contains(')')) {
            "a link's target has no spaces: end it with `)` right after the target"
        } else {
            "close the link with `)` right after its target"
        };
        Some((open.unwrap_or(i), target, help.to_string()))
    })
}

/// A reference written with spaces after its `kind:` (`company: baidu`), `kind:` ending at byte
/// `end` of `inner`: the whole target as written, and the id.
fn spaced_id(inner: &str, end: usize) -> Option<(&str, &str)> {
    let spaced = &inner[end..];
    let id_start = spaced.trim_start_matches([' ', '\t']);
    if id_start.len() == spaced.len() {
        return None;
    }
    let id = &id_start[..id_start.find(|c: char| c.is_whitespace() || c == ')').unwrap_or(id_start.len())];
    let target_len = inner.len() - id_start.len() + id.len();
    (!id.is_empty()).then(|| (&inner[..target_len], id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_markdown_shows_as_text_are_found() {
        let unread_link = |t| unread_links(t).next();
        assert_eq!(unread_link("본문 [](table:t1 참고."), Some((7, "table:t1", "close the link with `)` right after its target".into())));
        assert_eq!(unread_link("[표] (chapter:ai)").map(|f| (f.0, f.1)), Some((0, "chapter:ai")));
        assert!(unread_link("[x](company:baidu 참고)").is_some_and(|f| f.2.contains("no spaces")));
        assert_eq!(unread_link("](https://example.org").map(|f| (f.0, f.1)), Some((0, "https://example.org")));
        // Ordinary brackets and parentheses, and schemes that are not references or web URLs.
        let two: Vec<_> = unread_links("[](table:t1 참고. [바이두] (company:baidu)").map(|f| (f.1, f.2)).collect();
        assert_eq!(
            two,
            [
                ("table:t1", "close the link with `)` right after its target".into()),
                ("company:baidu", "write `](` with no space between the brackets and the parentheses".into())
            ]
        );
        // A space after a reference's kind.
        assert_eq!(
            unread_link("[z](company: baidu) 참고"),
            Some((0, "company: baidu", "write no space after `company:`: [z](company:baidu)".into()))
        );
        assert_eq!(
            unread_link("표는 [](table:  mic2025-goals)에"),
            Some((7, "table:  mic2025-goals", "write no space after `table:`: [](table:mic2025-goals)".into()))
        );
        assert!(unread_link("**굵게**](chapter:\tai)").is_some_and(|f| f.1 == "chapter:\tai" && f.2.ends_with("[…](chapter:ai)")));
        for text in
            ["[1] (2015) 참고", "[주] (https:) 끝", "[a](note: b)", "[a] (tel:123)", "배열 a[i](j)", "[a](table: )", "[a](http: //x)"]
        {
            assert_eq!(unread_link(text), None, "{text}");
        }
    }

    fn ids() -> Ids {
        let mut ids = Ids::default();
        ids.tables.insert("mic2025-stages".into(), 0);
        ids.chapters.insert("internet-plus".into(), 1);
        ids.companies.insert("baidu".into(), 3);
        ids
    }

    #[test]
    fn site_paths_map_to_the_reference_that_leads_there() {
        let cases = [
            ("/chapters/ai/", Some("chapter:ai")),
            ("chapters/ai/index.html", Some("chapter:ai")),
            ("../chapters/ai/#가-개요", Some("chapter:ai#가-개요")),
            ("/reports/china-4ir/companies/baidu/", Some("company:baidu")),
            ("/tables/mic2025-stages", Some("table:mic2025-stages")),
            ("/figures/unicorn-cities/", Some("figure:unicorn-cities")),
            ("/sources/#source-kotra", Some("source:kotra")),
            ("/glossary/#term-zgc", Some("term:zgc")),
            ("/glossary/", Some("page:glossary")),
            ("tables/index.html", Some("page:tables")),
            ("/", Some("page:home")),
            ("/chapters/", Some("page:home")),
            ("/assets/charts/a.png", Some("assets/charts/a.png")),
            ("/nowhere/", None),
            ("search/x/y/index.html", None),
            ("?q=1", None),
            ("/assets/", None),
        ];
        for (path, want) in cases {
            assert_eq!(reference_for_path(path).as_deref(), want, "{path}");
        }
    }

    #[test]
    fn site_paths_are_refused_with_the_reference_to_write() {
        let help = |dest: &str| classify(dest, &ids()).unwrap_err().help.unwrap();
        assert_eq!(help("/tables/mic2025-stages/"), "write `table:mic2025-stages`");
        assert_eq!(help("/chapters/internet-pluss/"), "did you mean `chapter:internet-plus`?");
        assert_eq!(help("img/chart.png"), "put the file in content/assets/ and write `assets/chart.png`");
        assert_eq!(help("/assets/a.png"), "write `assets/a.png` (no `/` in front)");
        assert_eq!(help("www.gov.cn/zhengce/"), "write `https://www.gov.cn/zhengce/`");
        assert_eq!(help("htps://www.gov.cn/"), "did you mean `https://www.gov.cn/`?");
        assert_eq!(help("hxxq://www.gov.cn/"), "a web address starts with https:// or http://");
        assert_eq!(help("tabel:t1"), "did you mean `table:t1`?");
        assert!(help("/nowhere/").starts_with("link to a page of the site with a reference"));
        assert_eq!(classify("page:companies", &ids()), Ok(Dest::Page("companies")));
        assert_eq!(help("page:compan"), "did you mean `page:companies`?");
        assert!(classify("page:tables#x", &ids()).is_err());
        // Not site paths: external, protocol-relative and same-page links.
        for dest in ["https://example.org/chapters/ai/", "//cdn.example.org/x.js", "#top"] {
            assert_eq!(classify(dest, &ids()), Ok(Dest::Url(dest.into())), "{dest}");
        }
    }

    #[test]
    fn classifies_references() {
        assert_eq!(classify("table:mic2025-stages", &ids()), Ok(Dest::Item(Target::Table(0), None)));
        assert_eq!(classify("chapter:internet-plus#가-중국은", &ids()), Ok(Dest::Item(Target::Chapter(1), Some("가-중국은".into()))));
        assert_eq!(classify("https://example.org", &ids()), Ok(Dest::Url("https://example.org".into())));
        assert_eq!(classify("#local", &ids()), Ok(Dest::Url("#local".into())));
        assert_eq!(classify("assets/a.png", &ids()), Ok(Dest::Asset("a.png".into())));
    }

    #[test]
    fn refuses_with_suggestions() {
        let e = classify("source:", &ids()).unwrap_err();
        assert_eq!(
            (e.message.as_str(), e.help.as_deref()),
            ("`source:` has no id after the colon", Some("write the source's id after `source:`"))
        );
        // An id of another kind: that kind is named.
        let e = classify("chapter:baidu", &ids()).unwrap_err();
        assert_eq!(e.help.as_deref(), Some("`baidu` is a company: `company:baidu`"));
        let e = classify("company:mic2025-stages", &ids()).unwrap_err();
        assert_eq!(e.help.as_deref(), Some("`mic2025-stages` is a table: `table:mic2025-stages`"));
        let mut with_names = ids();
        with_names.by_name.insert(("company", "바이두".into()), "baidu".into());
        let e = classify("company:바이두", &with_names).unwrap_err();
        assert_eq!(e.help.as_deref(), Some("a reference names the company's id, not its name: `company:baidu`"));
        let e = classify("company:바이두", &ids()).unwrap_err();
        assert!(e.help.as_deref().is_some_and(|h| h.starts_with("a reference names the company's id, not its title or name")), "{e:?}");
        let e = classify("table:mic2025-stage", &ids()).unwrap_err();
        assert_eq!(e.message, "unknown table id `mic2025-stage`");
        assert_eq!(e.help.as_deref(), Some("did you mean `table:mic2025-stages`?"));
        let e = classify("tabel:mic2025-stages", &ids()).unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `table:mic2025-stages`?"));
        assert!(classify("javascript:alert(1)", &ids()).is_err());
        assert!(classify("company:baidu#x", &ids()).is_err());
        let e = classify("02-internet-plus.md", &ids()).unwrap_err();
        assert_eq!(e.help.as_deref(), Some("link to a chapter by its slug: `chapter:internet-plus`"));
        assert!(classify("assets/../x", &ids()).is_err());
    }

    #[test]
    fn refuses_links_that_lead_nowhere() {
        for dest in ["", " ", "http://", "https:///x", "https:example.org", "HTTP://", "mailto:", "tel:"] {
            let e = classify(dest, &ids()).unwrap_err();
            assert!(e.help.is_some(), "{dest:?}: {e:?}");
        }
        assert!(classify("http://", &ids()).unwrap_err().message.contains("incomplete"));
        for dest in ["http://a", "https://example.org/x?y#z", "mailto:a@b.c", "tel:+82-2-0000", "ftp://h/f"] {
            assert_eq!(classify(dest, &ids()), Ok(Dest::Url(dest.into())), "{dest}");
        }
    }
}
