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
        let result = catch_unwind(AssertUnwindSafe(|| site.build()));
        match result {
            Err(_) => panic!("mutation {n} of {} (seed {seed}) panicked; its text:\n{mutated}", files[k]),
            Ok(Ok(_)) => {
                built += 1;
                if check {
                    let options = CheckOptions { root: site.root.clone(), base_url: None };
                    let Ok(report) = catch_unwind(AssertUnwindSafe(|| reportgen::check::run(&options))) else {
                        panic!("check of mutation {n} of {} (seed {seed}) panicked; its text:\n{mutated}", files[k]);
                    };
                    let findings = report.expect("a site that builds can be checked").findings;
                    for f in findings.iter().filter(|f| f.diagnostic.file.as_deref().is_some_and(is_source)) {
                        assert!(f.diagnostic.line > 0, "mutation {n}: a finding without its line: {}\n{mutated}", f.diagnostic);
                    }
                }
            }
            Ok(Err(e)) => {
                failed += 1;
                for d in &e.diagnostics {
                    let shown = d.to_string();
                    let line = shown.split_once(':').filter(|(file, _)| is_source(file)).map(|(_, r)| r.split(':').next().unwrap_or(""));
                    assert!(
                        line.is_some_and(|l| l.parse::<usize>().is_ok_and(|l| l > 0)),
                        "mutation {n}: an error without its file and line: {shown}\n{mutated}"
                    );
                }
            }
        }
        site.write(&files[k], original);
    }
    // Both outcomes were reached (the glossary is too dense for a mutation to leave it valid).
    assert!(reached(built, failed), "the mutations of {path}: {built} built, {failed} failed");
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
