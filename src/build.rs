//! The build command: runs the pipeline stages in order and swaps the result into place.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::config::{self, Settings};
use crate::content::Model;
use crate::error::{Diagnostic, Result};
use crate::markdown::Parsed;
use crate::output::Staging;
use crate::render::theme::Theme;
use crate::render::{self, RenderOptions};
use crate::resolve::Resolved;
use crate::timings::{Stage, Timings, peak_rss_kib};
use crate::urls::Urls;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root (where `site.toml` is).
    pub root: PathBuf,
    /// Output directory; `output_dir` from site.toml when absent.
    pub out: Option<PathBuf>,
    /// Overrides `base_url` from site.toml.
    pub base_url: Option<String>,
    /// Serve mode: HTML inserted before `</body>` of every page (the live-reload script).
    pub inject: Option<String>,
    /// The process ends after this build (the `build` command): the model, the parsed pages
    /// and the templates are left for the system to reclaim at exit instead of being freed one
    /// allocation at a time (measured: 0.2 ms for the report, 0.11 s at 10,000 chapters).
    /// Never set where the process goes on (`serve`, tests).
    pub exit_after: bool,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub out_dir: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub search_bytes: usize,
    pub search_indexed: bool,
    pub elapsed: Duration,
    pub timings: Timings,
    pub warnings: Vec<Diagnostic>,
    /// Whether any code block needed the syntax highlighter.
    pub highlighted: bool,
}

/// The report read, parsed and resolved: everything but the rendering.
pub struct Analysis {
    pub settings: Settings,
    pub urls: Urls,
    pub model: Model,
    pub parsed: Parsed,
    pub resolved: Resolved,
    pub timings: Timings,
}

/// Runs load, parse and resolve. Every content error surfaces here. The model keeps the
/// chapters' Markdown (for tools that look at it again, such as `check`).
pub fn analyze(root: &std::path::Path, base_url: Option<&str>) -> Result<Analysis> {
    analyze_with(root, base_url, true)
}

/// [`analyze`], choosing whether the model keeps the chapters' Markdown after parsing: a build
/// does not, so each chapter's source is freed as soon as it is parsed.
pub fn analyze_with(root: &std::path::Path, base_url: Option<&str>, keep_sources: bool) -> Result<Analysis> {
    let stage = Stage::start();
    let settings = config::load(root, base_url)?;
    let urls = Urls::new(&settings.base_url, &settings.base_path);
    analyze_settings(settings, urls, keep_sources, stage)
}

/// [`analyze_with`] for settings (and their URLs) already made; `stage` started when loading began.
fn analyze_settings(settings: Settings, urls: Urls, keep_sources: bool, stage: Stage) -> Result<Analysis> {
    let mut t = Timings::default();
    let mut model = match crate::content::load(&settings) {
        Ok(model) => model,
        Err(failed) => return Err(with_markdown_errors(failed, &settings, &urls)),
    };
    t.load = stage.stop();
    t.peak_kib[0] = peak_rss_kib();

    let stage = Stage::start();
    let bodies = if keep_sources { model.chapter_bodies() } else { model.take_chapter_bodies() };
    let parsed = crate::markdown::parse(&model, bodies, &settings, &urls).map_err(|f| with_resolve_errors(f, &model))?;
    t.parse = stage.stop();
    t.peak_kib[1] = peak_rss_kib();

    let stage = Stage::start();
    let resolved = crate::resolve::resolve(&model, &parsed)?;
    t.resolve = stage.stop();
    t.peak_kib[2] = peak_rss_kib();
    Ok(Analysis { settings, urls, model, parsed, resolved, timings: t })
}

/// A failed parse's errors, and those the resolve stage finds in what was parsed (a table
/// placed twice, a missing anchor), so an editor sees both in one run.
fn with_resolve_errors(failed: crate::markdown::Failed, model: &crate::content::Model) -> crate::error::Error {
    let mut error = failed.error;
    error.diagnostics.extend(crate::resolve::errors(model, &failed.parsed));
    error
}

/// A failed load's errors, and those of the Markdown of what did load (chapters, the home page,
/// the text fields of tables, figures and companies) and of its resolution (anchors, tables
/// placed twice), so an editor sees them all in one run.
/// References to what failed to load are left out: they follow from its error.
fn with_markdown_errors(failed: crate::content::Failed, settings: &Settings, urls: &Urls) -> crate::error::Error {
    let mut error = failed.error;
    if let Some(mut model) = failed.partial {
        let bodies = model.take_chapter_bodies();
        let more = match crate::markdown::parse(&model, bodies, settings, urls) {
            Ok(parsed) => crate::resolve::errors(&model, &parsed),
            Err(failed) => with_resolve_errors(failed, &model).diagnostics,
        };
        error.diagnostics.extend(more);
    }
    error
}

/// Renders an analysed report into `out_dir`, atomically.
pub fn write(a: &Analysis, out_dir: PathBuf, inject: Option<String>) -> Result<BuildReport> {
    let mut theme = render::theme::load(&a.settings, &a.urls)?;
    let staging = Staging::create(&out_dir)?;
    write_with(a, &mut theme, staging, inject)
}

/// [`write`] with the theme loaded and the staging directory made.
fn write_with(a: &Analysis, theme: &mut Theme, staging: Staging, inject: Option<String>) -> Result<BuildReport> {
    let hl_before = render::highlight::NANOS.load(Ordering::Relaxed);
    let mut t = a.timings.clone();
    let stats = render::render(
        &render::Input { settings: &a.settings, model: &a.model, parsed: &a.parsed, resolved: &a.resolved, urls: &a.urls },
        theme,
        &staging,
        &RenderOptions { inject },
    )?;
    t.render = stats.render;
    t.search = stats.search;
    t.peak_kib[3] = stats.peak_after_render;
    t.highlight = Duration::from_nanos(render::highlight::NANOS.load(Ordering::Relaxed).saturating_sub(hl_before));
    t.write = Duration::from_nanos(staging.write_nanos.load(Ordering::Relaxed));
    let files = staging.files.load(Ordering::Relaxed);
    let bytes = staging.bytes.load(Ordering::Relaxed);
    let out_dir = staging.target().to_path_buf();
    let stage = Stage::start();
    staging.commit()?;
    t.commit = stage.stop();
    Ok(BuildReport {
        out_dir,
        pages: stats.pages,
        files,
        bytes,
        search_bytes: stats.search_bytes,
        search_indexed: stats.search_indexed,
        elapsed: Duration::ZERO,
        timings: t,
        warnings: a.resolved.warnings.clone(),
        highlighted: a.parsed.has_code,
    })
}

/// Builds the site; on any error nothing in the output directory changes.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    build_keeping(opts, false).map(|(report, _)| report)
}

/// [`build`], handing back the analysed report as [`analyze`] makes it (the chapters' Markdown
/// kept), so that the output can be checked without analysing again (`serve`).
pub fn build_analysed(opts: &BuildOptions) -> Result<(BuildReport, Analysis)> {
    let (report, a) = build_keeping(opts, true)?;
    Ok((report, a.expect("kept when asked for")))
}

/// [`build`]; the analysis comes back when `keep_sources` asks for it (and is made with them).
fn build_keeping(opts: &BuildOptions, keep_sources: bool) -> Result<(BuildReport, Option<Analysis>)> {
    let start = Instant::now();
    let stage = Stage::start();
    let settings = config::load(&opts.root, opts.base_url.as_deref())?;
    let urls = Urls::new(&settings.base_url, &settings.base_path);
    let out_dir = opts.out.clone().unwrap_or_else(|| settings.output_dir());
    crate::output::check_target(&out_dir, &settings.root, &[settings.content_dir(), settings.root.join("themes")]).map_err(|mut e| {
        // The directory is site.toml's choice: the error is at the line that makes it.
        if let (None, Some((line, col))) = (&opts.out, settings.output_dir_at) {
            for d in e.diagnostics.iter_mut().filter(|d| d.file.is_none()) {
                *d = d.clone().in_file("site.toml").at(line, col);
            }
        }
        e
    })?;
    // The theme (templates to compile, static files to read) depends on nothing in the content:
    // it loads alongside the content on the pool's threads. Meanwhile this thread, otherwise
    // idle until both are done, makes the staging directory (reading the output's parent
    // directory for leftovers of killed builds: 0.1-0.5 ms, more in a crowded parent).
    let (mut loaded, mut staged) = (None, None);
    rayon::in_place_scope(|s| {
        s.spawn(|_| {
            loaded = Some(rayon::join(
                || render::theme::load(&settings, &urls),
                || analyze_settings(settings.clone(), urls.clone(), keep_sources, stage),
            ))
        });
        staged = Some(Staging::create(&out_dir));
    });
    let (theme, a) = loaded.expect("the scope ran its job");
    // Content errors first, then the theme's: both in one run.
    let (a, mut theme) = match (a, theme) {
        (Ok(a), Ok(theme)) => (a, theme),
        (Err(mut e), Err(theme)) => {
            e.diagnostics.extend(theme.diagnostics);
            return Err(e);
        }
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => return Err(e),
    };
    let staging = staged.expect("the scope ran")?;
    let mut report = write_with(&a, &mut theme, staging, opts.inject.clone())?;
    report.elapsed = start.elapsed();
    report.timings.total = report.elapsed;
    if opts.exit_after {
        std::mem::forget(theme);
    }
    if keep_sources {
        return Ok((report, Some(a)));
    }
    if opts.exit_after {
        std::mem::forget(a);
    }
    Ok((report, None))
}
