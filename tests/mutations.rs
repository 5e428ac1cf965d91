//! The report's own chapters, mutated at random (a fixed seed, so every run makes the same
//! inputs): whatever the text becomes, the build either succeeds or fails with errors that
//! name the file and line. It never panics.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use common::Site;
use reportgen::check::CheckOptions;

/// xorshift64*: small, deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces of Markdown and of this engine's syntax that open or close constructs.
const PIECES: &[&str] = &[
    "[",
    "]",
    "(",
    ")",
    "![",
    "](",
    "[]",
    "[^1]",
    "[^",
    "]:",
    "\n\n",
    "\n",
    "\n  ",
    "  \n",
    "<!--",
    "-->",
    "#",
    "## ",
    "{#",
    "}",
    "|",
    "\n| a | b |\n|---|---|\n",
    "|---|",
    "[x][y]",
    "[x][]",
    "‘",
    "’",
    "*",
    "**",
    "_",
    "`",
    "```\n",
    "```rust\n",
    "~~",
    "> ",
    "- ",
    "1. ",
    "\n\n2016. 12. ",
    " #1",
    "<",
    ">",
    "&",
    "&amp;",
    "\\",
    ":",
    "table:",
    "figure:",
    "company:",
    "chapter:",
    "source:",
    "term:",
    "(table:",
    "(company:baidu)",
    "[](chapter:ai#",
    "[](table:",
    "[](figure:tech-gap)",
    "바이두",
    "중창공간",
    " ",
    "\u{3000}",
    "\t",
    "\r\n",
    "◎ ",
    "※",
    "<br>",
    "<script>",
    "javascript:",
    "%",
    "#가",
];

/// Pieces of Tera that open or close its constructs, for the theme's templates.
const TEMPLATE_PIECES: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "{{ page.title }}",
    "{% if page %}",
    "{% endif %}",
    "{% for x in page.links %}",
    "{% endfor %}",
    "{% block content %}",
    "{% endblock %}",
    "{% include \"partials/nav.html\" %}",
    "{{ missing }}",
    "{{ t.nothing }}",
    " | safe",
    " | upper",
    " | nofilter",
    "|",
    ".",
    "(",
    ")",
    "\"",
    "'",
    "-",
    "\n",
    "<",
    ">",
    "<script>",
    // Tera 2's other tags and expressions: assignments, filter sections, raw blocks, loop
    // control, components, filters and tests with arguments, operators.
    "{% set x = page.title %}",
    "{% set_global n = 1 %}",
    "{{ x }}",
    "{% filter upper %}",
    "{% endfilter %}",
    "{% raw %}",
    "{% endraw %}",
    "{% break %}",
    "{% continue %}",
    "{% else %}",
    "{% elif page %}",
    "{% component card(title) %}",
    "{% endcomponent %}",
    "{{ <card title=\"a\" /> }}",
    " | truncate(length=3)",
    " | default(value=\"\")",
    " | join(sep=\", \")",
    " | replace(from=\"a\", to=\"b\")",
    " is defined",
    " is starting_with(pat=\"a\")",
    "[0]",
    "[\"title\"]",
    " ~ ",
    " + 1",
    " / 0",
    " and ",
    " or ",
    " not ",
    " in ",
    "loop.index",
    "__tera_context",
];

fn mutate(text: &str, rng: &mut Rng, pieces: &[&str]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(chars.len() + 1);
        match rng.below(3) {
            0 => {
                let piece = pieces[rng.below(pieces.len())];
                chars.splice(at..at, piece.chars());
            }
            1 => {
                let end = (at + 1 + rng.below(40)).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            _ => {
                // A span copied elsewhere: constructs cut in half and repeated.
                let from = rng.below(chars.len().max(1));
                let len = (1 + rng.below(60)).min(chars.len() - from.min(chars.len()));
                let span: Vec<char> = chars[from..from + len].to_vec();
                chars.splice(at..at, span);
            }
        }
    }
    chars.into_iter().collect()
}

/// Mutates `iterations` times (`REPORTGEN_MUTATIONS` overrides it; `REPORTGEN_MUTATION_SEED`
/// the seed) the part `part` gives of one of the report's files `path` names (a directory:
/// each file in it), and builds each time; with `check`, also runs `reportgen check` on each
/// mutation that builds, whose findings on content files must name their line too.
fn mutated_files_build_or_fail_with_located_errors(
    path: &str,
    part: fn(&str) -> std::ops::Range<usize>,
    iterations: usize,
    check: bool,
    pieces: &[&str],
) {
    let site = Site::report();
    let files: Vec<String> = if site.root.join(path).is_dir() {
        common::files(&site.root.join(path)).into_iter().map(|f| format!("{path}/{f}")).collect()
    } else {
        vec![path.to_string()]
    };
    let originals: Vec<String> = files.iter().map(|f| std::fs::read_to_string(site.root.join(f)).unwrap()).collect();
    let iterations: usize = std::env::var("REPORTGEN_MUTATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(iterations);
    let seed: u64 = std::env::var("REPORTGEN_MUTATION_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5eed);
    // Spread so that neighbouring seeds differ (and the state is never zero).
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let (mut built, mut failed) = (0, 0);
    // Both outcomes must be reached (see below): past `iterations`, the same sequence goes on
    // until they are, up to ten times as many mutations.
    let glossary = path.ends_with("glossary.yaml");
    let reached = |built: usize, failed: usize| failed > 0 && (built > 0 || glossary);
    for n in 0.. {
        if n >= iterations && (reached(built, failed) || n >= iterations * 10) {
            break;
        }
        let k = rng.below(files.len());
        let original = &originals[k];
        let r = part(original);
        let mutated = format!("{}{}{}", &original[..r.start], mutate(&original[r.clone()], &mut rng, pieces), &original[r.end..]);
        site.write(&files[k], &mutated);
        let what = format!("mutation {n} of {} (seed {seed})", files[k]);
        if builds_or_fails_located(&site, check, &what, &mutated) {
            built += 1;
        } else {
            failed += 1;
        }
        site.write(&files[k], original);
    }
    // Both outcomes were reached (the glossary is too dense for a mutation to leave it valid).
    assert!(reached(built, failed), "the mutations of {path}: {built} built, {failed} failed");
}

/// Errors about a file as a whole, not a place in it: these name the file alone.
const WHOLE_FILE: &[&str] = &["unexpected file in content/"];

/// Builds `site` (and, with `check`, checks it when it builds): nothing may panic, and every
/// error and finding on a file an editor or theme author writes must name its line, unless
/// that file is not there (a file taken away is named without one). `what` and `text` say
/// which change was made, for the message. Whether the site built.
fn builds_or_fails_located(site: &Site, check: bool, what: &str, text: &str) -> bool {
    let root = format!("{}/", site.root.display());
    let located = |file: &str, line: usize| line > 0 || !site.root.join(file).exists();
    match catch_unwind(AssertUnwindSafe(|| site.build())) {
        Err(_) => panic!("{what} panicked; its text:\n{text}"),
        Ok(Ok(_)) => {
            if check {
                let options = CheckOptions { root: site.root.clone(), base_url: None };
                let Ok(report) = catch_unwind(AssertUnwindSafe(|| reportgen::check::run(&options))) else {
                    panic!("check of {what} panicked; its text:\n{text}");
                };
                let findings = report.expect("a site that builds can be checked").findings;
                for f in &findings {
                    if let Some(file) = source(&root, f.diagnostic.file.as_deref()) {
                        assert!(located(file, f.diagnostic.line), "{what}: a finding without its line: {}\n{text}", f.diagnostic);
                    }
                }
            }
            true
        }
        Ok(Err(e)) => {
            for d in &e.diagnostics {
                let whole = WHOLE_FILE.iter().any(|m| d.message.starts_with(m));
                let file = source(&root, d.file.as_deref());
                assert!(file.is_some_and(|f| whole || located(f, d.line)), "{what}: an error without its file and line: {d}\n{text}");
            }
            false
        }
    }
}

/// The file a diagnostic names, from the site's `root`, if an editor or theme author writes it
/// (missing settings are named by the path they were looked for at).
fn source<'a>(root: &str, file: Option<&'a str>) -> Option<&'a str> {
    file.map(|f| f.strip_prefix(root).unwrap_or(f)).filter(|f| is_source(f))
}

/// Whether `file` is one an editor or a theme's author writes: what errors and findings must
/// locate by line.
fn is_source(file: &str) -> bool {
    file.starts_with("content/") || file.starts_with("themes/") || file == "site.toml"
}

/// Where a chapter's body starts: after its front matter's closing `---` line.
fn body_start(text: &str) -> usize {
    text[3..].find("\n---\n").map_or(0, |i| i + 3 + 5)
}

/// Chapters' bodies, built and checked.
#[test]
fn mutated_chapters_build_or_fail_with_located_errors() {
    mutated_files_build_or_fail_with_located_errors("content/chapters", |text| body_start(text)..text.len(), 60, true, PIECES);
}

/// Chapters' front matter (title, order, slug, part, events), its `---` lines left alone.
#[test]
fn mutated_front_matter_builds_or_fails_with_located_errors() {
    mutated_files_build_or_fail_with_located_errors(
        "content/chapters",
        |text| 4..body_start(text).saturating_sub(5).max(4),
        20,
        false,
        PIECES,
    );
}

/// Tables, whole: YAML structure and the Markdown of their cells, notes and sources; built and checked.
#[test]
fn mutated_tables_build_or_fail_with_located_errors() {
    mutated_files_build_or_fail_with_located_errors("content/tables", |text| 0..text.len(), 30, true, PIECES);
}

/// Figures, whole: YAML structure, charts and the Markdown of captions and sources, built and checked. The files
/// are a few lines each, so few mutations leave them valid: more iterations reach both outcomes.
#[test]
fn mutated_figures_build_or_fail_with_located_errors() {
    mutated_files_build_or_fail_with_located_errors("content/figures", |text| 0..text.len(), 60, true, PIECES);
}

/// Companies, whole: their facts must stay verbatim quotes of the chapters; built and checked.
#[test]
fn mutated_companies_build_or_fail_with_located_errors() {
    mutated_files_build_or_fail_with_located_errors("content/companies", |text| 0..text.len(), 30, true, PIECES);
}

/// The glossary, whole: definitions are verbatim quotes too; built and checked.
#[test]
fn mutated_glossary_builds_or_fails_with_located_errors() {
    mutated_files_build_or_fail_with_located_errors("content/glossary.yaml", |text| 0..text.len(), 20, true, PIECES);
}

/// The home page's Markdown, whole; built and checked.
#[test]
fn mutated_home_page_builds_or_fails_with_located_errors() {
    mutated_files_build_or_fail_with_located_errors("content/index.md", |text| 0..text.len(), 30, true, PIECES);
}

/// The sectors, whole: the ids the companies name; built and checked.
#[test]
fn mutated_sectors_build_or_fail_with_located_errors() {
    mutated_files_build_or_fail_with_located_errors("content/sectors.yaml", |text| 0..text.len(), 30, true, PIECES);
}

/// The sources, whole: the ids tables, figures and chapters cite; built and checked.
#[test]
fn mutated_sources_build_or_fail_with_located_errors() {
    mutated_files_build_or_fail_with_located_errors("content/sources.yaml", |text| 0..text.len(), 30, true, PIECES);
}

/// The site's settings, whole (TOML): titles, strings, menus; built and checked.
#[test]
fn mutated_settings_build_or_fail_with_located_errors() {
    mutated_files_build_or_fail_with_located_errors("site.toml", |text| 0..text.len(), 40, true, PIECES);
}

/// The theme's templates (Tera), whole, with Tera's own pieces: an error names the template
/// and its line; built and checked.
#[test]
fn mutated_templates_build_or_fail_with_located_errors() {
    mutated_files_build_or_fail_with_located_errors("themes/default/templates", |text| 0..text.len(), 40, true, TEMPLATE_PIECES);
}

/// The theme's settings (TOML: its name and the strings its templates use); built and checked.
#[test]
fn mutated_theme_settings_build_or_fail_with_located_errors() {
    mutated_files_build_or_fail_with_located_errors("themes/default/theme.toml", |text| 0..text.len(), 30, true, PIECES);
}

/// Whole files changed rather than their text: each of the report's files and its theme's is in
/// turn taken away, copied next to itself under another name, emptied, and cut after half its
/// lines. The build, and the check of what builds, either succeed or name the file and line.
#[test]
fn removed_copied_emptied_and_cut_files_build_or_fail_with_located_errors() {
    let site = Site::report();
    let mut paths: Vec<String> = Vec::new();
    for dir in ["content", "themes/default"] {
        paths.extend(common::files(&site.root.join(dir)).into_iter().map(|f| format!("{dir}/{f}")));
    }
    paths.push("site.toml".into());
    let (mut built, mut failed) = (0, 0);
    for path in &paths {
        let original = std::fs::read(site.root.join(path)).unwrap();
        let text = String::from_utf8_lossy(&original).into_owned();
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let copy = if dir.is_empty() { format!("copy-{name}") } else { format!("{dir}/copy-{name}") };
        let lines: Vec<&str> = text.lines().collect();
        let half = lines[..lines.len() / 2].join("\n");
        for (change, shown) in [("taken away", ""), ("copied", text.as_str()), ("emptied", ""), ("cut in half", half.as_str())] {
            match change {
                "taken away" => site.remove(path),
                "copied" => {
                    site.write(&copy, &text);
                }
                _ => {
                    site.write(path, shown);
                }
            }
            if builds_or_fails_located(&site, true, &format!("{path} {change}"), shown) {
                built += 1;
            } else {
                failed += 1;
            }
            if change == "copied" {
                site.remove(&copy);
            }
            std::fs::write(site.root.join(path), &original).unwrap();
        }
    }
    // Both outcomes: most changes break a reference somewhere, some leave a valid site.
    assert!(built > 0 && failed > 0, "{built} built, {failed} failed");
}
