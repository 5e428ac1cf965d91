//! The build command: runs the pipeline stages in order and swaps the result into place.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::config;
use crate::error::{Diagnostic, Result};
use crate::output::Staging;
use crate::render::{self, RenderOptions};
use crate::timings::{Stage, Timings};
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

/// Builds the site; on any error nothing in the output directory changes.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let hl_before = render::highlight::NANOS.load(Ordering::Relaxed);
    let mut t = Timings::default();

    let stage = Stage::start();
    let settings = config::load(&opts.root, opts.base_url.as_deref())?;
    let model = crate::content::load(&settings)?;
    t.load = stage.stop();

    let urls = Urls::new(&settings.base_url, &settings.base_path);
    let stage = Stage::start();
    let parsed = crate::markdown::parse(&model, &settings, &urls)?;
    t.parse = stage.stop();

    let stage = Stage::start();
    let resolved = crate::resolve::resolve(&model, &parsed)?;
    t.resolve = stage.stop();

    let out_dir = opts.out.clone().unwrap_or_else(|| settings.output_dir());
    let staging = Staging::create(&out_dir)?;
    let stats = render::render(&settings, &model, &parsed, &resolved, &urls, &staging, &RenderOptions { inject: opts.inject.clone() })?;
    t.render = stats.render;
    t.search = stats.search;
    t.highlight = Duration::from_nanos(render::highlight::NANOS.load(Ordering::Relaxed) - hl_before);
    t.write = Duration::from_nanos(staging.write_nanos.load(Ordering::Relaxed));
    let files = staging.files.load(Ordering::Relaxed);
    let bytes = staging.bytes.load(Ordering::Relaxed);

    let stage = Stage::start();
    staging.commit()?;
    t.commit = stage.stop();
    t.total = start.elapsed();
    Ok(BuildReport {
        out_dir,
        pages: stats.pages,
        files,
        bytes,
        search_bytes: stats.search_bytes,
        search_indexed: stats.search_indexed,
        elapsed: t.total,
        timings: t,
        warnings: Vec::new(),
        highlighted: parsed.has_code,
    })
}
