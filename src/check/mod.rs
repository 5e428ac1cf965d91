//! `reportgen check`: everything `build` validates, then the site rendered into a temporary
//! directory and inspected as a reader's browser would meet it: every internal link, image and
//! anchor; plus what only an editor cares about: orphan content, company names the text uses
//! but never links, duplicate titles and odd heading structure.
//!
//! Errors (the site is broken for readers) fail the check; warnings are advice.

mod content;
mod html;
mod links;
mod locate;
mod mentions;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::build::{self, Analysis};
use crate::error::{Diagnostic, Error, Result};

#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub root: PathBuf,
    pub base_url: Option<String>,
}

/// What a finding is about. The kebab-case name is the `kind` field of `--format json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Anything `build` rejects (content, settings, templates).
    Content,
    /// A link or resource URL that leads to no file of the site.
    BrokenLink,
    /// An `<img>` whose file is not in the site.
    MissingImage,
    /// A `#fragment` (or an id reference such as `aria-labelledby`) with no matching `id`.
    MissingAnchor,
    /// A root-relative or absolute link outside the base path the site is published under.
    OutsideBase,
    /// The same `id` twice in one page.
    DuplicateId,
    /// A table never placed in a chapter.
    OrphanTable,
    /// A figure never placed in a chapter.
    OrphanFigure,
    /// A company the text never mentions or links.
    OrphanCompany,
    /// A source nothing cites.
    OrphanSource,
    /// A glossary term the text never uses.
    OrphanTerm,
    /// A sector no company belongs to.
    OrphanSector,
    /// A file under `content/assets/` nothing uses.
    UnusedAsset,
    /// A company named in the text without a link to it in that section.
    UnlinkedMention,
    /// A spelling of a company's name that is not declared, so it is neither linked nor counted.
    UndeclaredName,
    /// Two chapters, tables, figures or companies with the same title.
    DuplicateTitle,
    /// A heading more than one level below the one before it.
    HeadingSkip,
    /// A `#` heading inside a chapter body (the title is the page's level-1 heading).
    BodyH1,
    /// A chapter without body text.
    EmptyChapter,
    /// Raw HTML in Markdown that the `escape` policy shows as text (`<br>` on the page).
    EscapedHtml,
    /// Markdown that CommonMark shows as text: a heading or a table read as a paragraph (`##가`
    /// without a space, a table whose line under the header does not match it), a reference
    /// link with no definition, `**` beside Korean punctuation.
    MarkdownAsText,
    /// Text that CommonMark reads as Markdown: a paragraph that starts with a year and `.` or
    /// `)` (`2016. 12. …`, a numbered list counting from 2016), text indented by four spaces (a
    /// code block), a `---` line right under a line of text (a heading), a line `[주]: 중국`
    /// that no link uses (a link definition, not shown).
    TextAsMarkdown,
    /// `base_url` left at a documentation example (`https://example.org/`): canonical links,
    /// the sitemap and the feed would point there.
    PlaceholderUrl,
}

impl Kind {
    /// A short plural description, for the summary of warnings.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Content => "content problems",
            Kind::BrokenLink => "broken links",
            Kind::MissingImage => "missing images",
            Kind::MissingAnchor => "missing anchors",
            Kind::OutsideBase => "links outside the base path",
            Kind::DuplicateId => "duplicate ids in a page",
            Kind::OrphanTable => "tables never placed in a chapter",
            Kind::OrphanFigure => "figures never placed in a chapter",
            Kind::OrphanCompany => "companies never mentioned",
            Kind::OrphanSource => "sources never cited",
            Kind::OrphanTerm => "glossary terms without uses",
            Kind::OrphanSector => "sectors without companies",
            Kind::UnusedAsset => "unused asset files",
            Kind::UnlinkedMention => "company names without a link in their section",
            Kind::UndeclaredName => "undeclared spellings of company names",
            Kind::DuplicateTitle => "duplicate titles",
            Kind::HeadingSkip => "headings that skip a level",
            Kind::BodyH1 => "level-1 headings inside chapters",
            Kind::EmptyChapter => "empty chapters",
            Kind::EscapedHtml => "raw HTML shown as text",
            Kind::MarkdownAsText => "Markdown shown as text",
            Kind::TextAsMarkdown => "text read as Markdown",
            Kind::PlaceholderUrl => "a placeholder base URL",
        }
    }
}

/// One located finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: Kind,
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
}

impl Finding {
    pub fn new(kind: Kind, diagnostic: Diagnostic) -> Self {
        Finding { kind, diagnostic }
    }

    pub fn is_error(&self) -> bool {
        self.diagnostic.is_error()
    }
}

/// Time spent in each part of a check.
#[derive(Debug, Clone, Default)]
pub struct CheckTimings {
    /// Load, parse and resolve: what `build` validates.
    pub analyze: Duration,
    /// Rendering into the temporary directory.
    pub render: Duration,
    /// Reading the rendered site and checking every link and anchor.
    pub links: Duration,
    /// Orphans, mentions, titles and headings.
    pub content: Duration,
}

/// Findings of a check run: errors fail it, warnings are summarized.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub findings: Vec<Finding>,
    /// Pages rendered and read (0 when the content did not get that far).
    pub pages: usize,
    /// Internal URLs checked (links, images, scripts, sitemap and search entries).
    pub links: usize,
    pub elapsed: Duration,
    pub timings: CheckTimings,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

/// A directory for the rendered site, removed when dropped: memory-backed when there is one
/// with room for the site (see [`crate::scratch`]), else under the system's temporary directory.
struct TempDir(PathBuf);

impl TempDir {
    /// `content` is the size of the site's sources: the rendered site is several times that.
    fn new(content: u64) -> Result<TempDir> {
        let need = content.saturating_mul(16).saturating_add(64 << 20);
        let bases = crate::scratch::with_room(crate::scratch::bases(), need, crate::scratch::free_bytes);
        crate::scratch::create(&bases, "reportgen-check").map(TempDir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn content_findings(e: Error) -> Vec<Finding> {
    e.diagnostics.into_iter().map(|d| Finding::new(Kind::Content, d)).collect()
}

/// Runs every check. Problems with the site are findings; `Err` means the check could not
/// run at all (no temporary directory).
pub fn run(opts: &CheckOptions) -> Result<CheckReport> {
    let started = Instant::now();
    let mut report = CheckReport::default();
    let a = match build::analyze(&opts.root, opts.base_url.as_deref()) {
        Ok(a) => a,
        Err(e) => {
            report.findings = content_findings(e);
            report.elapsed = started.elapsed();
            return Ok(report);
        }
    };
    report.timings.analyze = a.timings.load + a.timings.parse + a.timings.resolve;

    let tmp = TempDir::new(a.model.source_bytes())?;
    let out = tmp.path().join("site");
    let t = Instant::now();
    let written = build::write(&a, out.clone(), None);
    report.timings.render = t.elapsed();
    let built = match written {
        Ok(b) => b,
        Err(e) => {
            report.findings = content_findings(e);
            report.elapsed = started.elapsed();
            return Ok(report);
        }
    };
    report.pages = built.pages;
    check_output(&a, &out, None, &mut report)?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Checks a site already built from `a` into `out` with `pages` pages, as `serve` builds it,
/// without analysing or rendering it again. `ignore` is a URL every page holds that is not
/// part of the site (the live preview's script).
pub fn run_built(a: &Analysis, out: &Path, pages: usize, ignore: Option<&str>) -> Result<CheckReport> {
    let started = Instant::now();
    let mut report = CheckReport { pages, ..CheckReport::default() };
    check_output(a, out, ignore, &mut report)?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The checks of built output: links and ids, then the content's own checks.
fn check_output(a: &Analysis, out: &Path, ignore: Option<&str>, report: &mut CheckReport) -> Result<()> {
    // The build's own warnings (tables and figures never placed) are found again, with their
    // kinds, by the content checks below.
    let mut findings: Vec<Finding> = Vec::new();

    let t = Instant::now();
    let scan = links::check(a, out, ignore)?;
    report.links = scan.checked;
    findings.extend(scan.findings);
    report.timings.links = t.elapsed();

    if let Some((l, c)) = a.settings.placeholder_base_url {
        let d = Diagnostic::warning(format!(
            "base_url {:?} is a documentation example: canonical links, the sitemap and the feed would point there",
            a.settings.base_url
        ))
        .in_file("site.toml")
        .at(l, c)
        .with_help("set base_url to the address the site is published at, or pass --base-url when building for publication");
        findings.push(Finding::new(Kind::PlaceholderUrl, d));
    }

    let t = Instant::now();
    findings.extend(content::check(a, &scan.used_files));
    findings.extend(mentions::check(a));
    report.timings.content = t.elapsed();

    findings.sort_by(|x, y| {
        y.diagnostic
            .severity
            .cmp(&x.diagnostic.severity)
            .then_with(|| x.diagnostic.file.cmp(&y.diagnostic.file))
            .then_with(|| (x.diagnostic.line, x.diagnostic.col).cmp(&(y.diagnostic.line, y.diagnostic.col)))
            .then_with(|| x.kind.cmp(&y.kind))
            .then_with(|| x.diagnostic.message.cmp(&y.diagnostic.message))
    });
    findings.dedup();
    report.findings = findings;
    Ok(())
}

#[cfg(test)]
mod tests {
    /// The rendering directory is sized from what loading read, without walking content/ again:
    /// for the report (UTF-8, LF line ends, no asset yet) that is every byte under content/.
    #[test]
    fn the_content_size_comes_from_the_model() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let a = crate::build::analyze(root, None).expect("the report analyses");
        let on_disk: u64 = walkdir::WalkDir::new(root.join("content"))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.metadata().expect("metadata").len())
            .sum();
        assert!(on_disk > 20_000, "the report's content: {on_disk} bytes");
        assert_eq!(a.model.source_bytes(), on_disk);
    }
}
