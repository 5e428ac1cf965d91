//! Render stage: page contexts through the theme's Tera templates, in parallel, each page
//! written as soon as it is rendered; plus table/figure blocks, charts, downloads, the
//! search index, the sitemap and the theme's static files.

pub mod blocks;
pub mod charts;
pub mod fill;
pub mod highlight;
pub mod pages;
pub mod search;
pub mod theme;
pub mod views;

use std::collections::BTreeSet;
use std::time::Duration;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Settings;
use crate::content::Model;
use crate::error::{Diagnostic, Error, Result};
use crate::markdown::Parsed;
use crate::output::Staging;
use crate::resolve::Resolved;
use crate::timings::Stage;
use crate::urls::Urls;
use blocks::{FigureView, TableView};
use fill::Filler;
use pages::PageJob;

/// Everything the page builders read.
pub struct Report<'a> {
    pub settings: &'a Settings,
    pub model: &'a Model,
    pub parsed: &'a Parsed,
    pub resolved: &'a Resolved,
    pub urls: &'a Urls,
    pub table_labels: Vec<String>,
    pub figure_labels: Vec<String>,
    /// Each chapter's number, plain title, label and URL, made once (many pages list them).
    pub chapter_names: Vec<pages::ChapterNames>,
    /// Reading-order positions of tables, figures and companies.
    pub ranks: pages::Ranks,
    pub table_views: Vec<TableView>,
    pub figure_views: Vec<FigureView>,
    pub table_blocks: Vec<String>,
    pub figure_blocks: Vec<String>,
    pub palette: Option<highlight::Palette>,
}

impl Report<'_> {
    pub fn filler(&self) -> Filler<'_> {
        Filler {
            table_labels: &self.table_labels,
            figure_labels: &self.figure_labels,
            table_blocks: &self.table_blocks,
            figure_blocks: &self.figure_blocks,
            palette: self.palette.as_ref(),
        }
    }
}

/// What the render stage reads: the outcome of the earlier stages.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub settings: &'a Settings,
    pub model: &'a Model,
    pub parsed: &'a Parsed,
    pub resolved: &'a Resolved,
    pub urls: &'a Urls,
}

/// Options that change what is written.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Serve mode: a script tag inserted before `</body>` of every page.
    pub inject: Option<String>,
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct RenderStats {
    pub pages: usize,
    pub search_bytes: usize,
    pub search_indexed: bool,
    pub render: Duration,
    pub search: Duration,
    /// Peak resident memory (KiB) once the pages are written.
    pub peak_after_render: Option<u64>,
}

/// The pages of the site, in a fixed order.
#[derive(Debug, Clone, Copy)]
enum Job {
    Home,
    Chapter(usize),
    Table(usize),
    Figure(usize),
    Company(usize),
    Tables,
    Figures,
    Companies,
    Sources,
    Timeline,
    Glossary,
    Print,
    Search,
    NotFound,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    language: &'a str,
    description: &'a str,
    publisher: &'a str,
    author: Option<&'a str>,
    base_url: &'a str,
    home_url: String,
    search_url: String,
    search_meta_url: Option<String>,
    sitemap_url: String,
    feed_url: String,
}

fn jobs(model: &Model, pages: &[&'static str]) -> Vec<Job> {
    let mut j = vec![Job::Home];
    j.extend((0..model.chapters.len()).map(Job::Chapter));
    j.extend((0..model.tables.len()).map(Job::Table));
    j.extend((0..model.figures.len()).map(Job::Figure));
    j.extend((0..model.companies.len()).map(Job::Company));
    j.extend(pages.iter().filter_map(|&page| match page {
        "tables" => Some(Job::Tables),
        "figures" => Some(Job::Figures),
        "companies" => Some(Job::Companies),
        "sources" => Some(Job::Sources),
        "timeline" => Some(Job::Timeline),
        "glossary" => Some(Job::Glossary),
        "print" => Some(Job::Print),
        "search" => Some(Job::Search),
        _ => None,
    }));
    j.push(Job::NotFound);
    j
}

impl Report<'_> {
    fn job(&self, job: Job) -> PageJob {
        match job {
            Job::Home => self.home_page(),
            Job::Chapter(c) => self.chapter_page(c),
            Job::Table(i) => self.table_page(i),
            Job::Figure(i) => self.figure_page(i),
            Job::Company(i) => self.company_page(i),
            Job::Tables => self.tables_page(),
            Job::Figures => self.figures_page(),
            Job::Companies => self.companies_page(),
            Job::Sources => self.sources_page(),
            Job::Timeline => self.timeline_page(),
            Job::Glossary => self.glossary_page(),
            Job::Print => self.print_page(),
            Job::Search => self.search_page(),
            Job::NotFound => self.not_found_page(),
        }
    }

    /// Fails when a same-page `#id` link in the page's Markdown (a chapter's or the home
    /// page's) leads to no element of the rendered page: the ids come from the text and the
    /// theme alike, so only the rendered page can tell.
    fn check_local_anchors(&self, job: Job, html: &[u8]) -> Result<()> {
        let text = match job {
            Job::Chapter(c) => &self.parsed.chapters[c],
            Job::Home => &self.parsed.home,
            _ => return Ok(()),
        };
        let mut problems = Vec::new();
        for a in &text.local_anchors {
            // As a browser does: the id as written, else percent-decoded (`#%EA%B0%80` is `#가`).
            let decoded = crate::urls::percent_decode_text(&a.anchor);
            let on_page = |id: &str| {
                let mut attr = String::from(" id=\"");
                crate::markdown::escape::push_escaped(&mut attr, id);
                attr.push('"');
                memchr::memmem::find(html, attr.as_bytes()).is_some()
            };
            if !on_page(&a.anchor) && !decoded.as_deref().is_some_and(|d| d != a.anchor && on_page(d)) {
                let id = decoded.as_deref().unwrap_or(&a.anchor);
                let help = crate::error::did_you_mean(id, text.headings.iter().map(|h| h.id.as_str())).map_or_else(
                    || "link to a heading of this page by its id, or remove the link".to_string(),
                    |id| format!("did you mean `#{id}`?"),
                );
                problems.push(
                    Diagnostic::error(format!("link `#{}`: this page has no element with id `{id}`", a.anchor))
                        .in_file(&a.file)
                        .at(a.line, a.col)
                        .with_help(help),
                );
            }
        }
        Error::check(problems).map(drop)
    }

    fn job_url(&self, job: Job) -> String {
        let u = self.urls;
        match job {
            Job::Home => u.home(),
            Job::Chapter(c) => u.chapter(self.model.chapters[c].slug()),
            Job::Table(i) => u.table(&self.model.tables[i].id),
            Job::Figure(i) => u.figure(&self.model.figures[i].id),
            Job::Company(i) => u.company(&self.model.companies[i].id),
            Job::Tables => u.page("tables"),
            Job::Figures => u.page("figures"),
            Job::Companies => u.page("companies"),
            Job::Sources => u.page("sources"),
            Job::Timeline => u.page("timeline"),
            Job::Glossary => u.page("glossary"),
            Job::Print => u.page("print"),
            Job::Search => u.page("search"),
            Job::NotFound => u.file("404.html"),
        }
    }
}

/// The main navigation: the site's index pages in order, but search (the header has its box).
fn nav(settings: &Settings, urls: &Urls, pages: &[&'static str]) -> Vec<views::NavItem> {
    pages
        .iter()
        .filter(|&&key| key != "search")
        .map(|&key| {
            let label = if key == "home" { "contents" } else { key };
            views::NavItem { key, title: settings.string(label).to_string(), url: urls.index_page(key) }
        })
        .collect()
}

pub fn render(input: &Input<'_>, theme: &mut theme::Theme, out: &Staging, opts: &RenderOptions) -> Result<RenderStats> {
    let Input { settings, model, parsed, resolved, urls } = *input;
    let started = Stage::start();
    let search_on = settings.config.search;
    let pages = crate::urls::index_pages(model.chapters.len(), search_on);
    let site = SiteView {
        title: &settings.config.title,
        language: &settings.config.language,
        description: settings.config.description.as_deref().unwrap_or(&settings.config.title),
        publisher: &settings.config.publisher,
        author: settings.config.author.as_deref(),
        base_url: &settings.base_url,
        home_url: urls.home(),
        search_url: urls.page("search"),
        search_meta_url: search_on.then(|| urls.file("search/meta.json")),
        sitemap_url: urls.absolute(&urls.file("sitemap.xml")),
        feed_url: urls.file("feed.xml"),
    };
    let mut asset_urls = theme.assets.clone();
    let palette = if parsed.has_code {
        let palette = highlight::Palette::new(&settings.config.highlight_theme, &settings.config.highlight_theme_dark)
            .map_err(|m| Error::new(Diagnostic::error(m).in_file("site.toml")))?;
        let css = palette.stylesheet();
        asset_urls
            .by_name
            .insert("highlight_css".into(), format!("{}?v={}", urls.file("highlight.css"), theme::fingerprint(css.as_bytes())));
        theme.statics.push(theme::StaticFile { rel: "highlight.css".into(), bytes: css.into_bytes() });
        Some(palette)
    } else {
        None
    };
    {
        let g = theme.tera.global_context();
        g.insert("site", &site);
        g.insert("t", &settings.config.strings);
        g.insert("nav", &nav(settings, urls, &pages));
        g.insert("assets", &asset_urls);
    }
    let tera = &theme.tera;
    let template_error = |e: tera::Error| theme::render_error(settings, &e);
    // Every template rendered by name is one the theme is checked for on load (`theme::TEMPLATES`).
    let render_tpl = |name: &str, ctx: &tera::Context| -> Result<String> {
        debug_assert!(theme::is_required(name), "{name} is not in theme::TEMPLATES");
        tera.render(name, ctx).map_err(template_error)
    };

    // Labels, views and blocks of tables and figures (each rendered once, placed many times).
    let table_labels: Vec<String> = resolved.numbering.table_numbers.iter().map(|n| format!("{} {n}", settings.string("table"))).collect();
    let figure_labels: Vec<String> =
        resolved.numbering.figure_numbers.iter().map(|n| format!("{} {n}", settings.string("figure"))).collect();
    let mut report = Report {
        settings,
        model,
        parsed,
        resolved,
        urls,
        table_labels,
        figure_labels,
        chapter_names: pages::ChapterNames::all(model, urls),
        ranks: pages::Ranks::new(model, resolved),
        table_views: Vec::new(),
        figure_views: Vec::new(),
        table_blocks: Vec::new(),
        figure_blocks: Vec::new(),
        palette,
    };
    // Each rendered once, in parallel (thousands in a large report), then placed many times.
    let filler = report.filler();
    let (table_views, figure_views): (Vec<TableView>, Vec<FigureView>) = rayon::join(
        || {
            model
                .tables
                .par_iter()
                .enumerate()
                .map(|(i, t)| blocks::table_view(t, &parsed.tables[i], &report.table_labels[i], &filler, urls))
                .collect()
        },
        || {
            model
                .figures
                .par_iter()
                .enumerate()
                .map(|(i, f)| blocks::figure_view(f, &parsed.figures[i], &report.figure_labels[i], &filler, urls))
                .collect()
        },
    );
    let block = |template: &str, key: &'static str, view: tera::Value| -> Result<String> {
        let mut c = tera::Context::new();
        c.insert_value(key, view);
        render_tpl(template, &c)
    };
    let (table_blocks, figure_blocks) = rayon::join(
        || {
            table_views
                .par_iter()
                .map(|v| block("partials/table.html", "tbl", tera::Value::from_serializable(v)))
                .collect::<Result<Vec<_>>>()
        },
        || {
            figure_views
                .par_iter()
                .map(|v| block("partials/figure.html", "fig", tera::Value::from_serializable(v)))
                .collect::<Result<Vec<_>>>()
        },
    );
    let (table_blocks, figure_blocks) = (table_blocks?, figure_blocks?);
    report.table_views = table_views;
    report.figure_views = figure_views;
    report.table_blocks = table_blocks;
    report.figure_blocks = figure_blocks;
    let report = report;

    // Directories first (each once), then pages in parallel, each written when rendered.
    let all = jobs(model, &pages);
    let urls_of: Vec<String> = all.iter().map(|j| report.job_url(*j)).collect();
    let mut dirs: BTreeSet<String> = BTreeSet::new();
    for u in &urls_of {
        let file = urls.output_file(u);
        if let Some((d, _)) = file.rsplit_once('/') {
            dirs.insert(d.to_string());
        }
    }
    for s in &theme.statics {
        if let Some((d, _)) = s.rel.rsplit_once('/') {
            dirs.insert(d.to_string());
        }
    }
    for a in &model.assets {
        match a.rel.rsplit_once('/') {
            Some((d, _)) => dirs.insert(format!("assets/{d}")),
            None => dirs.insert("assets".into()),
        };
    }
    // Each directory once (its missing ancestors with it), one after another on one thread
    // while the search index is built on the others: mkdirs in one parent take its lock in
    // turn, and where making an entry is slow (ext4 without a journal passes over recently
    // deleted inodes) a second thread only spins on it.
    let make_dirs = || dirs.iter().try_for_each(|d| out.mkdir(d));
    // The search index is built alongside the pages: both are parallel, and each fills the
    // cores the other leaves idle at its ends.
    let build_search = || -> Result<(search::SearchStats, Duration)> {
        let t = Stage::start();
        let written = if search_on {
            // Its own directory first: the index is written while `make_dirs` still runs.
            out.mkdir("search")?;
            search::build(&report, settings.config.search_scan_max as usize, &|name, bytes| out.write(name, bytes))?
        } else {
            search::SearchStats::default()
        };
        Ok((written, t.stop()))
    };
    // The index pages (each lists many items) go first, so that no long page is left for last
    // while the other cores are idle.
    let mut order: Vec<&Job> = all.iter().collect();
    order.sort_by_key(|j| !matches!(j, Job::Glossary | Job::Timeline | Job::Companies | Job::Home | Job::Tables | Job::Figures));
    let render_pages = || -> Vec<Result<()>> {
        order
            .par_iter()
            .map(|job| {
                let page = report.job(**job);
                // Rendered as bytes: Tera writes valid UTF-8, and a page goes straight to its file.
                let mut html = Vec::with_capacity(32 * 1024);
                debug_assert!(theme::is_required(page.template), "{} is not in theme::TEMPLATES", page.template);
                tera.render_to(page.template, &page.context, &mut html).map_err(template_error)?;
                report.check_local_anchors(**job, &html)?;
                if let Some(script) = &opts.inject {
                    let at = html.windows(7).rposition(|w| w == b"</body>").unwrap_or(html.len());
                    html.splice(at..at, script.bytes());
                }
                out.write(&urls.output_file(&page.url), &html)
            })
            .collect()
    };
    // Downloads, static files, assets, sitemap, feed and robots.txt: written alongside the pages.
    let write_extras = || -> Result<()> {
        model.tables.par_iter().zip(&report.table_views).try_for_each(|(t, v)| {
            let dir = urls.output_file(&v.url);
            let dir = dir.trim_end_matches("index.html");
            out.write(&format!("{dir}{}.csv", t.id), blocks::csv(t, v).as_bytes())?;
            out.write(&format!("{dir}{}.json", t.id), blocks::json(t, v).as_bytes())
        })?;
        for s in &theme.statics {
            out.write(&s.rel, &s.bytes)?;
        }
        for a in &model.assets {
            let bytes = std::fs::read(&a.path).map_err(|e| Error::io(&a.path, &e))?;
            out.write(&format!("assets/{}", a.rel), &bytes)?;
        }
        let listed: Vec<String> =
            all.iter().zip(&urls_of).filter(|(j, _)| !matches!(j, Job::NotFound | Job::Search)).map(|(_, u)| urls.absolute(u)).collect();
        let mut c = tera::Context::new();
        c.insert("urls", &listed);
        out.write("sitemap.xml", render_tpl("sitemap.xml", &c)?.as_bytes())?;
        let mut c = tera::Context::new();
        c.insert("home", &urls.absolute(&urls.home()));
        c.insert("self_url", &urls.absolute(&urls.file("feed.xml")));
        c.insert("items", &report.feed_items());
        out.write("feed.xml", render_tpl("feed.xml", &c)?.as_bytes())?;
        out.write("robots.txt", render_tpl("robots.txt", &tera::Context::new())?.as_bytes())?;
        Ok(())
    };
    let (searched, written) = rayon::join(build_search, || -> Result<_> {
        make_dirs()?;
        Ok(rayon::join(write_extras, render_pages))
    });
    let (searched, search_time) = searched?;
    let (extras, pages_done) = written?;
    extras?;
    let mut problems = Vec::new();
    for r in pages_done {
        if let Err(e) = r {
            problems.extend(e.diagnostics);
        }
    }
    if !problems.is_empty() {
        problems.dedup();
        return Err(Error { diagnostics: problems });
    }
    let render_time = started.stop();

    Ok(RenderStats {
        pages: all.len(),
        search_bytes: searched.bytes,
        search_indexed: searched.indexed,
        render: render_time,
        search: search_time,
        peak_after_render: crate::timings::peak_rss_kib(),
    })
}
