//! Page contexts: each page's typed views (`views`) filled from the model. Rust decides every
//! number, label, URL and order here; the templates only lay them out.

use super::Report;
use super::fill::{DocState, Filler};
use super::views::*;
use crate::content::company::CompanyKind;
use crate::markdown::{Place, QuoteKey, RefSite, Target};

/// What pages say of one chapter, made once per build.
#[derive(Debug, Clone)]
pub struct ChapterNames {
    /// `3` or `II-1`.
    pub number: String,
    /// The title without footnote references.
    pub title: String,
    /// `number. title`.
    pub label: String,
    pub url: String,
}

impl ChapterNames {
    pub fn all(model: &crate::content::Model, urls: &crate::urls::Urls) -> Vec<ChapterNames> {
        model
            .chapters
            .iter()
            .map(|ch| {
                let number = model.chapter_number(ch);
                let title = ch.plain_title();
                ChapterNames { label: format!("{number}. {title}"), number, title, url: urls.chapter(ch.slug()) }
            })
            .collect()
    }
}

/// Where each table, figure and company stands in reading order (index pages' order).
#[derive(Debug, Clone, Default)]
pub struct Ranks {
    pub table: Vec<usize>,
    pub figure: Vec<usize>,
    pub company: Vec<usize>,
}

impl Ranks {
    pub fn new(model: &crate::content::Model, resolved: &crate::resolve::Resolved) -> Ranks {
        let rank = |order: &[usize], n: usize| {
            let mut r = vec![usize::MAX; n];
            for (pos, &i) in order.iter().enumerate() {
                r[i] = pos;
            }
            r
        };
        Ranks {
            table: rank(&resolved.numbering.table_order, model.tables.len()),
            figure: rank(&resolved.numbering.figure_order, model.figures.len()),
            company: rank(&resolved.companies.sorted, model.companies.len()),
        }
    }
}

/// Above this many chapters, the sidebar lists a window around the current one.
const SIDEBAR_WINDOW: usize = 12;
/// Above this many chapters, the home contents list chapters without their headings.
const TOC_HEADINGS_MAX: usize = 100;

impl Report<'_> {
    pub fn t(&self, key: &str) -> String {
        self.settings.string(key).to_string()
    }

    pub fn chapter_label(&self, c: usize) -> String {
        self.chapter_names[c].label.clone()
    }

    pub fn chapter_link(&self, c: usize) -> Link {
        Link { title: self.chapter_label(c), url: self.chapter_names[c].url.clone() }
    }

    pub fn table_title(&self, i: usize) -> String {
        format!("{} {}", self.table_labels[i], self.model.tables[i].caption)
    }

    pub fn figure_title(&self, i: usize) -> String {
        format!("{} {}", self.figure_labels[i], self.model.figures[i].caption)
    }

    fn meta(&self, kind: &'static str, section: &'static str, title: String, url: String) -> PageMeta {
        let canonical = self.urls.absolute(&url);
        PageMeta {
            kind,
            title,
            url,
            canonical,
            description: String::new(),
            breadcrumbs: vec![Link { title: self.t("home"), url: self.urls.home() }],
            prev: None,
            next: None,
            section,
            has_code: false,
            og_type: "website",
        }
    }

    /// A list page's description: its title and the first of the names it lists, cut as
    /// [`Self::describe`] cuts (a few names fill it: the rest are not looked at).
    fn list_description<S: AsRef<str>>(title: &str, names: impl IntoIterator<Item = S>) -> String {
        let listed: Vec<S> = names.into_iter().take(24).collect();
        if listed.is_empty() {
            return title.to_string();
        }
        Self::describe(&format!("{title}: {}", listed.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(", ")))
    }

    /// A short description: the text cut at about 150 characters on a word boundary.
    fn describe(text: &str) -> String {
        const MAX: usize = 150;
        // The words joined by single spaces, but only as far as it takes to know whether they
        // run past MAX characters: a description is cut from the start of a long paragraph.
        let mut t = String::new();
        let mut chars = 0;
        for word in text.split_whitespace() {
            if !t.is_empty() {
                t.push(' ');
                chars += 1;
            }
            t.push_str(word);
            chars += word.chars().count();
            if chars > MAX {
                break;
            }
        }
        if chars <= MAX {
            return t;
        }
        let cut = match t.char_indices().nth(MAX) {
            Some((i, _)) => &t[..i],
            None => &t[..],
        };
        match cut.rfind(' ') {
            Some(i) if i > 60 => format!("{}…", &cut[..i]),
            _ => format!("{cut}…"),
        }
    }

    /// Plain text from the parse stage (headings, descriptions, excerpts) with the labels of
    /// tables and figures filled in.
    pub fn plain<'t>(&'t self, text: &'t str) -> std::borrow::Cow<'t, str> {
        let filler = self.filler();
        crate::markdown::fill_label_holes(text, |t| filler.label(t))
    }

    /// Where `t` is referred to, in reading order: chapters, then the home page, tables and
    /// figures by number, companies in index order, terms.
    pub fn backlinks(&self, t: Target) -> Vec<BacklinkView> {
        let mut refs: Vec<&RefSite> = self.resolved.backlinks_of(t).iter().collect();
        refs.sort_by_key(|r| self.reading_order(r.place));
        refs.into_iter().map(|r| self.backlink(r)).collect()
    }

    fn reading_order(&self, place: Place) -> (u8, usize) {
        match place {
            Place::Chapter(c) => (0, c),
            Place::Home => (1, 0),
            Place::Table(i) => (2, self.ranks.table[i]),
            Place::Figure(i) => (3, self.ranks.figure[i]),
            Place::Company(i) => (4, self.ranks.company[i]),
            Place::Term(i) => (5, i),
        }
    }

    fn backlink(&self, r: &RefSite) -> BacklinkView {
        let (kind, place, url, section) = match r.place {
            Place::Chapter(c) => {
                let base = self.chapter_names[c].url.clone();
                let heading = r.heading.map(|h| &self.parsed.chapters[c].headings[h]);
                let anchor = r.anchor.clone().or_else(|| heading.map(|h| h.id.clone()));
                let url = match anchor {
                    Some(a) => format!("{base}#{a}"),
                    None => base,
                };
                (self.t("text"), self.chapter_label(c), url, heading.map(|h| self.plain(&h.text).into_owned()))
            }
            Place::Home => (self.t("home"), self.settings.config.title.clone(), self.urls.home(), None),
            Place::Table(i) => (self.t("table"), self.table_title(i), self.urls.table(&self.model.tables[i].id), None),
            Place::Figure(i) => (self.t("figure"), self.figure_title(i), self.urls.figure(&self.model.figures[i].id), None),
            Place::Company(i) => {
                (self.t("company"), self.model.companies[i].name.clone(), self.urls.company(&self.model.companies[i].id), None)
            }
            Place::Term(i) => (self.t("glossary"), self.model.terms[i].term.clone(), self.urls.term(&self.model.terms[i].id), None),
        };
        let excerpt = self.plain(&r.excerpt).into_owned();
        BacklinkView { kind, place, section, url, excerpt, placement: r.embed }
    }

    /// The contents: parts with their chapters (and headings, for small reports).
    pub fn contents(&self, current: Option<usize>, window: bool) -> (Vec<PartEntry>, bool) {
        let n = self.model.chapters.len();
        let with_headings = !window && n <= TOC_HEADINGS_MAX;
        let range = match (window, current) {
            (true, Some(c)) if n > SIDEBAR_WINDOW => {
                let start = c.saturating_sub(SIDEBAR_WINDOW / 2).min(n - SIDEBAR_WINDOW);
                start..start + SIDEBAR_WINDOW
            }
            (true, None) if n > SIDEBAR_WINDOW => 0..SIDEBAR_WINDOW,
            _ => 0..n,
        };
        let truncated = range.len() < n;
        let mut parts: Vec<PartEntry> = Vec::new();
        for c in range {
            let ch = &self.model.chapters[c];
            let part = ch.number.part;
            let names = &self.chapter_names[c];
            let entry = ChapterEntry {
                number: names.number.clone(),
                title: names.title.clone(),
                url: names.url.clone(),
                current: current == Some(c),
                headings: if with_headings {
                    self.parsed.chapters[c]
                        .headings
                        .iter()
                        .filter(|h| h.level == 2)
                        .map(|h| TocEntry {
                            level: h.level,
                            title: self.plain(&h.text).into_owned(),
                            url: format!("{}#{}", names.url, h.id),
                        })
                        .collect()
                } else {
                    Vec::new()
                },
            };
            let part_number = part.map(crate::content::chapter::roman);
            match parts.last_mut() {
                Some(p) if p.number == part_number => p.chapters.push(entry),
                _ => parts.push(PartEntry {
                    number: part_number,
                    anchor: part.filter(|_| !window).map(crate::urls::part_anchor),
                    title: part.map(|p| self.model.parts[p - 1].clone()),
                    chapters: vec![entry],
                }),
            }
        }
        (parts, truncated)
    }

    pub fn chapter_view(&self, c: usize) -> ChapterView {
        let ch = &self.model.chapters[c];
        let out = &self.parsed.chapters[c];
        let filler = self.filler();
        let offset = self.resolved.numbering.footnote_offsets[c];
        let mut doc = DocState::new(offset);
        let title_html = filler.html(&out.title, &mut doc);
        let body_html = filler.html(&out.body, &mut doc);
        let footnotes = out
            .footnotes
            .iter()
            .enumerate()
            .map(|(k, f)| {
                let number = offset + k as u32 + 1;
                FootnoteView { number, id: format!("fn-{number}"), backref: format!("#fnref-{number}"), html: filler.html(f, &mut doc) }
            })
            .collect();
        ChapterView {
            number: self.chapter_names[c].number.clone(),
            part_number: ch.number.part.map(crate::content::chapter::roman),
            part_title: ch.number.part.map(|p| self.model.parts[p - 1].clone()),
            starts_part: ch.number.part.is_some() && (c == 0 || self.model.chapters[c - 1].number.part != ch.number.part),
            title_html,
            body_html,
            footnotes,
            toc: out
                .headings
                .iter()
                .filter(|h| h.level <= 3)
                .map(|h| TocEntry { level: h.level, title: self.plain(&h.text).into_owned(), url: format!("#{}", h.id) })
                .collect(),
            anchor: format!("chapter-{}", ch.slug()),
        }
    }
}

/// A page ready to render: its template, output URL and context.
pub struct PageJob {
    pub url: String,
    pub template: &'static str,
    pub context: tera::Context,
    /// Listed in the sitemap.
    pub listed: bool,
}

fn ctx(meta: &PageMeta) -> tera::Context {
    let mut c = tera::Context::new();
    c.insert("page", meta);
    c
}

impl Report<'_> {
    fn sidebar(&self, current: Option<usize>) -> Sidebar {
        let (parts, truncated) = self.contents(current, true);
        Sidebar { parts, truncated }
    }

    pub fn home_page(&self) -> PageJob {
        let mut meta = self.meta("home", "home", self.settings.config.title.clone(), self.urls.home());
        meta.breadcrumbs.clear();
        meta.description = self.settings.config.description.clone().unwrap_or_else(|| self.settings.config.title.clone());
        meta.next = (!self.model.chapters.is_empty()).then(|| self.chapter_link(0));
        let filler = self.filler();
        let home = &self.model.home.meta;
        let field = |s: &Option<String>| {
            s.as_ref().map(|s| {
                let mut out = String::new();
                crate::markdown::escape::push_escaped(&mut out, s);
                out
            })
        };
        let (parts, _) = self.contents(None, false);
        let mut c = ctx(&meta);
        c.insert("contact", &field(&home.contact));
        c.insert("disclaimer", &field(&home.disclaimer));
        c.insert("intro_html", &filler.html(&self.parsed.home.body, &mut DocState::new(0)));
        c.insert("contents", &parts);
        let card = |key: &str, page: &str, count: Option<usize>| IndexCard { title: self.t(key), url: self.urls.page(page), count };
        c.insert(
            "index_cards",
            &[
                card("tables", "tables", Some(self.model.tables.len())),
                card("figures", "figures", Some(self.model.figures.len())),
                card("companies", "companies", Some(self.model.companies.len())),
                card("sources", "sources", Some(self.model.sources.len())),
                card("timeline", "timeline", Some(self.resolved.timeline.len())),
                card("glossary", "glossary", Some(self.model.terms.len())),
            ],
        );
        PageJob { url: meta.url.clone(), template: "index.html", context: c, listed: true }
    }

    /// The feed's entries: every chapter in reading order. The report has no dates, so the
    /// entries carry none.
    pub fn feed_items(&self) -> Vec<FeedItem> {
        (0..self.model.chapters.len())
            .map(|c| {
                let Link { title, url } = self.chapter_link(c);
                FeedItem { title, url: self.urls.absolute(&url), description: self.chapter_description(c) }
            })
            .collect()
    }

    /// A chapter's short description: its summary, or else the start of its text.
    fn chapter_description(&self, c: usize) -> String {
        Self::describe(&self.plain(self.model.chapters[c].meta.summary.as_deref().unwrap_or(&self.parsed.chapters[c].description)))
    }

    pub fn chapter_page(&self, c: usize) -> PageJob {
        let ch = &self.model.chapters[c];
        let view = self.chapter_view(c);
        let out = &self.parsed.chapters[c];
        let mut meta = self.meta("chapter", "home", self.chapter_label(c), self.urls.chapter(ch.slug()));
        meta.description = self.chapter_description(c);
        meta.og_type = "article";
        meta.has_code = out.has_code;
        if let Some(p) = ch.number.part {
            meta.breadcrumbs.push(Link {
                title: format!("{}. {}", crate::content::chapter::roman(p), self.model.parts[p - 1]),
                url: self.urls.part(p),
            });
        }
        meta.prev =
            Some(if c == 0 { Link { title: self.settings.config.title.clone(), url: self.urls.home() } } else { self.chapter_link(c - 1) });
        meta.next = (c + 1 < self.model.chapters.len()).then(|| self.chapter_link(c + 1));
        let mut cx = ctx(&meta);
        cx.insert("chapter", &view);
        cx.insert("sidebar", &self.sidebar(Some(c)));
        cx.insert("backlinks", &self.backlinks(Target::Chapter(c)));
        PageJob { url: meta.url.clone(), template: "chapter.html", context: cx, listed: true }
    }

    fn placed_in(&self, chapter: Option<usize>) -> Option<Link> {
        chapter.map(|c| self.chapter_link(c))
    }

    pub fn table_page(&self, i: usize) -> PageJob {
        let t = &self.model.tables[i];
        let mut meta = self.meta("table", "tables", self.table_title(i), self.urls.table(&t.id));
        meta.description = Self::describe(&self.table_title(i));
        meta.breadcrumbs.push(Link { title: self.t("tables"), url: self.urls.page("tables") });
        let order = &self.resolved.numbering.table_order;
        let pos = order.iter().position(|&x| x == i).unwrap_or(0);
        meta.prev =
            pos.checked_sub(1).map(|p| Link { title: self.table_title(order[p]), url: self.urls.table(&self.model.tables[order[p]].id) });
        meta.next = order.get(pos + 1).map(|&n| Link { title: self.table_title(n), url: self.urls.table(&self.model.tables[n].id) });
        let mut cx = ctx(&meta);
        cx.insert("block_html", &self.table_blocks[i]);
        cx.insert("item", &self.table_views[i]);
        cx.insert("placed_in", &self.placed_in(self.resolved.numbering.table_chapter[i]));
        cx.insert("backlinks", &self.backlinks(Target::Table(i)));
        PageJob { url: meta.url.clone(), template: "table.html", context: cx, listed: true }
    }

    pub fn figure_page(&self, i: usize) -> PageJob {
        let f = &self.model.figures[i];
        let mut meta = self.meta("figure", "figures", self.figure_title(i), self.urls.figure(&f.id));
        meta.description = Self::describe(&self.figure_title(i));
        meta.breadcrumbs.push(Link { title: self.t("figures"), url: self.urls.page("figures") });
        let order = &self.resolved.numbering.figure_order;
        let pos = order.iter().position(|&x| x == i).unwrap_or(0);
        meta.prev = pos
            .checked_sub(1)
            .map(|p| Link { title: self.figure_title(order[p]), url: self.urls.figure(&self.model.figures[order[p]].id) });
        meta.next = order.get(pos + 1).map(|&n| Link { title: self.figure_title(n), url: self.urls.figure(&self.model.figures[n].id) });
        let mut cx = ctx(&meta);
        cx.insert("block_html", &self.figure_blocks[i]);
        cx.insert("item", &self.figure_views[i]);
        cx.insert("placed_in", &self.placed_in(self.resolved.numbering.figure_chapter[i]));
        cx.insert("backlinks", &self.backlinks(Target::Figure(i)));
        PageJob { url: meta.url.clone(), template: "figure.html", context: cx, listed: true }
    }

    fn date_label(&self, d: &crate::content::date::Date) -> String {
        d.label(self.settings.string("date_year"), self.settings.string("date_month"), self.settings.string("date_day"))
    }

    pub fn company_page(&self, i: usize) -> PageJob {
        let co = &self.model.companies[i];
        let text = &self.parsed.companies[i];
        let filler = self.filler();
        let mut meta = self.meta("company", "companies", co.name.clone(), self.urls.company(&co.id));
        meta.breadcrumbs.push(Link { title: self.t("companies"), url: self.urls.page("companies") });
        let order = &self.resolved.companies.sorted;
        let pos = order.iter().position(|&x| x == i).unwrap_or(0);
        let link = |c: usize| Link { title: self.model.companies[c].name.clone(), url: self.urls.company(&self.model.companies[c].id) };
        meta.prev = pos.checked_sub(1).map(|p| link(order[p]));
        meta.next = order.get(pos + 1).map(|&n| link(n));
        let names: Vec<&str> = [co.original.as_deref(), co.english.as_deref()].into_iter().flatten().collect();
        meta.description = Self::describe(&format!("{} {} {}", co.name, names.join(" "), co.summary.as_deref().unwrap_or("")));
        let facts: Vec<FactView> = co
            .facts
            .iter()
            .enumerate()
            .map(|(k, f)| {
                let told = self
                    .parsed
                    .quotes
                    .get(&QuoteKey::Fact { company: i, index: k })
                    .map(|(c, a)| format!("{}#{a}", self.urls.chapter(self.model.chapters[*c].slug())));
                FactView {
                    date: f.date.to_string(),
                    date_label: self.date_label(&f.date),
                    html: filler.field(&text.facts[k]),
                    url: told,
                    chapter: self.model.ids.chapters.get(&f.chapter).map(|&c| self.chapter_label(c)),
                }
            })
            .collect();
        let sectors: Vec<Link> = co
            .sectors
            .iter()
            .filter_map(|s| {
                self.model.ids.sectors.get(s).map(|&k| Link { title: self.model.sectors[k].name.clone(), url: self.urls.sector(s) })
            })
            .collect();
        let sources: Vec<Link> = co
            .sources
            .iter()
            .filter_map(|s| {
                self.model.ids.sources.get(s).map(|&k| Link { title: self.model.sources[k].name.clone(), url: self.urls.source(s) })
            })
            .collect();
        let mut cx = ctx(&meta);
        cx.insert(
            "company",
            &CompanyView {
                id: &co.id,
                name: &co.name,
                original: co.original.as_deref(),
                english: co.english.as_deref(),
                aliases: co
                    .aliases
                    .iter()
                    .map(String::as_str)
                    .filter(|a| Some(*a) != co.original.as_deref() && Some(*a) != co.english.as_deref())
                    .collect(),
                kind_label: self.t(match co.kind {
                    CompanyKind::Company => "company",
                    CompanyKind::Organization => "organization",
                }),
                sectors,
                summary_html: text.summary.as_ref().map(|s| filler.field(s)),
                facts,
                sources,
                editor_note_html: text.editor_note.as_ref().map(|s| filler.field(s)),
            },
        );
        cx.insert("backlinks", &self.backlinks(Target::Company(i)));
        PageJob { url: meta.url.clone(), template: "company.html", context: cx, listed: true }
    }

    /// Where each table or figure is referred to (chapters only, deduplicated, in order).
    fn used_in(&self, t: Target) -> Vec<Link> {
        let mut out: Vec<Link> = Vec::new();
        for r in self.resolved.backlinks_of(t) {
            if let Place::Chapter(c) = r.place {
                let l = self.chapter_link(c);
                if !out.contains(&l) {
                    out.push(l);
                }
            }
        }
        out
    }

    pub fn tables_page(&self) -> PageJob {
        self.blocks_page("tables", "tables.html", &self.resolved.numbering.table_order, Target::Table)
    }

    pub fn figures_page(&self) -> PageJob {
        self.blocks_page("figures", "figures.html", &self.resolved.numbering.figure_order, Target::Figure)
    }

    /// The index page of the tables or of the figures (`kind`), in reading `order`.
    fn blocks_page(&self, kind: &'static str, template: &'static str, order: &[usize], target: fn(usize) -> Target) -> PageJob {
        let mut meta = self.meta(kind, kind, self.t(kind), self.urls.page(kind));
        let filler = self.filler();
        let items: Vec<BlockEntry> = order.iter().map(|&i| self.block_entry(&filler, target(i))).collect();
        meta.description = Self::list_description(
            &meta.title,
            order.iter().map(|&i| match target(i) {
                Target::Table(i) => self.table_title(i),
                _ => self.figure_title(i),
            }),
        );
        let mut cx = ctx(&meta);
        cx.insert("items", &items);
        PageJob { url: meta.url.clone(), template, context: cx, listed: true }
    }

    /// A table or a figure as its index page lists it.
    fn block_entry(&self, filler: &Filler, t: Target) -> BlockEntry<'_> {
        let numbering = &self.resolved.numbering;
        let (label, text, url, chapter, missing) = match t {
            Target::Table(i) => {
                let x = &self.parsed.tables[i];
                let text = (&x.caption, x.source.as_ref());
                (&self.table_labels[i], text, self.urls.table(&self.model.tables[i].id), numbering.table_chapter[i], false)
            }
            Target::Figure(i) => {
                let x = &self.parsed.figures[i];
                let text = (&x.caption, x.source.as_ref());
                let url = self.urls.figure(&self.model.figures[i].id);
                (&self.figure_labels[i], text, url, numbering.figure_chapter[i], self.figure_views[i].missing)
            }
            _ => unreachable!("only tables and figures are listed as blocks"),
        };
        BlockEntry {
            label,
            caption_html: filler.field(text.0),
            url,
            source_html: text.1.map(|s| filler.field(s)),
            placed_in: self.placed_in(chapter),
            used_in: self.used_in(t),
            missing,
        }
    }

    fn company_card(&self, i: usize) -> CompanyCard<'_> {
        let co = &self.model.companies[i];
        CompanyCard {
            name: &co.name,
            original: co.original.as_deref(),
            english: co.english.as_deref(),
            url: self.urls.company(&co.id),
            mentions: self.resolved.backlinks_of(Target::Company(i)).len(),
        }
    }

    pub fn companies_page(&self) -> PageJob {
        let mut meta = self.meta("companies", "companies", self.t("companies"), self.urls.page("companies"));
        meta.description = Self::list_description(&meta.title, self.model.companies.iter().map(|c| c.name.as_str()));
        let idx = &self.resolved.companies;
        let by_sector: Vec<SectorGroup> = idx
            .by_sector
            .iter()
            .map(|(s, members)| {
                let (anchor, name, chapter) = match s {
                    Some(s) => {
                        let sec = &self.model.sectors[*s];
                        (
                            format!("sector-{}", sec.id),
                            sec.name.clone(),
                            sec.chapter.as_ref().and_then(|c| self.model.ids.chapters.get(c)).map(|&c| self.chapter_link(c)),
                        )
                    }
                    None => ("sector-other".to_string(), self.t("other"), None),
                };
                SectorGroup { anchor, name, chapter, companies: members.iter().map(|&c| self.company_card(c)).collect() }
            })
            .collect();
        let by_initial: Vec<InitialGroup> = idx
            .by_initial
            .iter()
            .map(|(g, members)| InitialGroup { initial: g, companies: members.iter().map(|&c| self.company_card(c)).collect() })
            .collect();
        let mut cx = ctx(&meta);
        cx.insert("by_sector", &by_sector);
        cx.insert("by_initial", &by_initial);
        PageJob { url: meta.url.clone(), template: "companies.html", context: cx, listed: true }
    }

    pub fn sources_page(&self) -> PageJob {
        let mut meta = self.meta("sources", "sources", self.t("sources"), self.urls.page("sources"));
        meta.description = Self::list_description(&meta.title, self.model.sources.iter().map(|s| s.name.as_str()));
        let sources: Vec<SourceView> = self
            .model
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| SourceView {
                anchor: crate::urls::source_anchor(&s.id),
                name: &s.name,
                english: s.english.as_deref(),
                url: s.url.as_deref(),
                backs: self.backlinks(Target::Source(i)),
            })
            .collect();
        let mut cx = ctx(&meta);
        cx.insert("sources", &sources);
        PageJob { url: meta.url.clone(), template: "sources.html", context: cx, listed: true }
    }

    pub fn timeline_page(&self) -> PageJob {
        let mut meta = self.meta("timeline", "timeline", self.t("timeline"), self.urls.page("timeline"));
        meta.description = meta.title.clone();
        let filler = self.filler();
        let mut years: Vec<TimelineYear> = Vec::new();
        let mut current: Option<u16> = None;
        let mut entries: Vec<TimelineEntry> = Vec::new();
        let flush = |year: Option<u16>, entries: &mut Vec<TimelineEntry>, years: &mut Vec<TimelineYear>| {
            if let Some(y) = year {
                years.push(TimelineYear { year: y, anchor: format!("y{y}"), entries: std::mem::take(entries) });
            }
        };
        for e in &self.resolved.timeline {
            if current != Some(e.date.year) {
                flush(current, &mut entries, &mut years);
                current = Some(e.date.year);
            }
            let (text_html, subject) = match e.key {
                QuoteKey::Event { chapter, index } => {
                    (crate::markdown::escape::escape(&self.model.chapters[chapter].meta.events[index].text), self.chapter_link(chapter))
                }
                QuoteKey::Fact { company, index } => {
                    let co = &self.model.companies[company];
                    (
                        filler.field(&self.parsed.companies[company].facts[index]),
                        Link { title: co.name.clone(), url: self.urls.company(&co.id) },
                    )
                }
                QuoteKey::Definition { .. } => continue,
            };
            entries.push(TimelineEntry {
                date: e.date.to_string(),
                date_label: self.date_label(&e.date),
                text_html,
                subject,
                told_in: self.chapter_link(e.chapter),
                url: format!("{}#{}", self.urls.chapter(self.model.chapters[e.chapter].slug()), e.anchor),
            });
        }
        flush(current, &mut entries, &mut years);
        let mut cx = ctx(&meta);
        cx.insert("years", &years);
        PageJob { url: meta.url.clone(), template: "timeline.html", context: cx, listed: true }
    }

    pub fn glossary_page(&self) -> PageJob {
        let mut meta = self.meta("glossary", "glossary", self.t("glossary"), self.urls.page("glossary"));
        meta.description = Self::list_description(&meta.title, self.model.terms.iter().map(|t| t.term.as_str()));
        let filler = self.filler();
        let mut order: Vec<usize> = (0..self.model.terms.len()).collect();
        order.sort_by_cached_key(|&i| crate::resolve::collate::key(&self.model.terms[i].term));
        let terms: Vec<TermView> = order
            .iter()
            .map(|&i| {
                let t = &self.model.terms[i];
                let text = &self.parsed.terms[i];
                let defined = self.parsed.quotes.get(&QuoteKey::Definition { term: i }).map(|(c, a)| Link {
                    title: self.chapter_label(*c),
                    url: format!("{}#{a}", self.urls.chapter(self.model.chapters[*c].slug())),
                });
                let uses: Vec<BacklinkView> = self.resolved.term_uses[i]
                    .iter()
                    .map(|u| {
                        self.backlink(&RefSite {
                            target: Target::Term(i),
                            place: u.place,
                            heading: u.heading,
                            anchor: None,
                            excerpt: u.excerpt.clone(),
                            explicit: false,
                            embed: false,
                        })
                    })
                    .chain(self.backlinks(Target::Term(i)))
                    .collect();
                TermView {
                    anchor: crate::urls::term_anchor(&t.id),
                    term: &t.term,
                    original: t.original.as_deref(),
                    aliases: t.aliases.iter().map(String::as_str).filter(|a| *a != t.term).collect(),
                    definition_html: filler.field(&text.definition),
                    defined_in: defined,
                    editor_note_html: text.editor_note.as_ref().map(|s| filler.field(s)),
                    uses,
                }
            })
            .collect();
        let mut cx = ctx(&meta);
        cx.insert("terms", &terms);
        PageJob { url: meta.url.clone(), template: "glossary.html", context: cx, listed: true }
    }

    pub fn print_page(&self) -> PageJob {
        let mut meta = self.meta("print", "print", self.t("print"), self.urls.page("print"));
        meta.description = self.settings.config.title.clone();
        meta.has_code = self.parsed.has_code;
        // One page holds every chapter: heading ids, unique within a chapter, get the chapter's
        // slug in front so they stay unique here (nothing on this page links to them).
        let chapters: Vec<ChapterView> = (0..self.model.chapters.len())
            .map(|c| {
                let mut view = self.chapter_view(c);
                view.body_html = prefix_heading_ids(&view.body_html, &format!("{}--", self.model.chapters[c].slug()));
                view
            })
            .collect();
        let home = &self.model.home.meta;
        let mut cx = ctx(&meta);
        cx.insert("chapters", &chapters);
        cx.insert("contact", &home.contact);
        cx.insert("disclaimer", &home.disclaimer);
        PageJob { url: meta.url.clone(), template: "print.html", context: cx, listed: true }
    }

    pub fn search_page(&self) -> PageJob {
        let mut meta = self.meta("search", "search", self.t("search"), self.urls.page("search"));
        meta.description = meta.title.clone();
        PageJob { url: meta.url.clone(), template: "search.html", context: ctx(&meta), listed: false }
    }

    pub fn not_found_page(&self) -> PageJob {
        let mut meta = self.meta("404", "", self.t("not_found"), self.urls.file("404.html"));
        meta.description = meta.title.clone();
        // The full contents while it is short; in a large report the first chapters and a link
        // to the contents on the home page, so that a wrong address costs a small page.
        let (parts, truncated) = self.contents(None, self.model.chapters.len() > TOC_HEADINGS_MAX);
        let mut cx = ctx(&meta);
        cx.insert("contents", &parts);
        cx.insert("contents_truncated", &truncated);
        PageJob { url: meta.url.clone(), template: "404.html", context: cx, listed: false }
    }
}

/// Rewrites `<hN id="x">` to `<hN id="{prefix}x">` (the emitter writes headings exactly so).
fn prefix_heading_ids(html: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(i) = memchr::memmem::find(rest.as_bytes(), b"<h") {
        let tag = &rest[i..];
        let is_heading = tag.as_bytes().get(2).is_some_and(|b| (b'1'..=b'6').contains(b)) && tag[3..].starts_with(" id=\"");
        let cut = if is_heading { i + 8 } else { i + 2 };
        out.push_str(&rest[..cut]);
        if is_heading {
            out.push_str(prefix);
        }
        rest = &rest[cut..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_get_a_prefix_and_nothing_else_changes() {
        let html = "<h2 id=\"개요\">개요</h2>\n<p>글 <a href=\"#fn-1\" id=\"fnref-1\">1)</a></p><hr><h3 id=\"x\">x</h3>";
        assert_eq!(
            prefix_heading_ids(html, "ai--"),
            "<h2 id=\"ai--개요\">개요</h2>\n<p>글 <a href=\"#fn-1\" id=\"fnref-1\">1)</a></p><hr><h3 id=\"ai--x\">x</h3>"
        );
    }

    /// `describe` against its plain definition (every word joined by single spaces, then cut
    /// to 150 characters at the last space past the 60th byte), on texts of many lengths
    /// made of words, runs of whitespace, Korean and Latin letters.
    #[test]
    fn describe_matches_its_definition() {
        fn definition(text: &str) -> String {
            let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if t.chars().count() <= 150 {
                return t;
            }
            let cut: String = t.chars().take(150).collect();
            match cut.rfind(' ') {
                Some(i) if i > 60 => format!("{}…", &cut[..i]),
                _ => format!("{cut}…"),
            }
        }
        const PIECES: [&str; 12] = ["가", "나다", "a", "bc", " ", "  ", "\n", "\u{3000}", "中", "라마바사아자차카", "x", "."];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for len in 0..400 {
            for _ in 0..4 {
                let text = crate::testing::random_text(&mut seed, &PIECES, len);
                assert_eq!(Report::describe(&text), definition(&text), "{text:?}");
            }
        }
        assert_eq!(Report::describe(&"가".repeat(151)), format!("{}…", "가".repeat(150)));
        assert_eq!(Report::describe(&"가".repeat(150)), "가".repeat(150));
    }
}
