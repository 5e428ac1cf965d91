//! Table and figure blocks: typed views for the theme's partials (scopes, spans and number
//! alignment decided here), their charts, and the CSV/JSON downloads of table data.

use serde::Serialize;

use super::charts;
use super::fill::Filler;
use crate::content::chart::number;
use crate::content::table::TableBody;
use crate::content::{Figure, Table};
use crate::markdown::escape::decode_entity;
use crate::markdown::{FigureText, TableText};
use crate::urls::Urls;

#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    pub html: String,
    /// `th` when true, else `td`.
    pub header: bool,
    /// `col`, `colgroup`, `row`, `rowgroup`, or empty for data cells.
    pub scope: &'static str,
    pub colspan: usize,
    pub rowspan: usize,
    /// `num` for numbers (aligned right), else empty.
    pub class: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    pub id: String,
    /// The `id` of the block element, for in-page links.
    pub anchor: String,
    pub label: String,
    pub caption_html: String,
    pub unit: Option<String>,
    pub head: Vec<Vec<CellView>>,
    pub body: Vec<Vec<CellView>>,
    pub notes_html: Vec<String>,
    pub source_html: Option<String>,
    pub editor_note_html: Option<String>,
    pub charts_html: Vec<String>,
    pub url: String,
    pub csv_url: String,
    pub json_url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    pub id: String,
    pub anchor: String,
    pub label: String,
    pub caption_html: String,
    pub unit: Option<String>,
    pub image_url: Option<String>,
    pub alt: Option<String>,
    pub charts_html: Vec<String>,
    /// True when the report's graphic is not included (no image and no data).
    pub missing: bool,
    pub source_html: Option<String>,
    pub note_html: Option<String>,
    pub editor_note_html: Option<String>,
    pub url: String,
}

fn is_numeric(text: &str) -> bool {
    let t = text.trim().trim_end_matches('%');
    number(t).is_some()
}

pub fn table_view(t: &Table, text: &TableText, label: &str, filler: &Filler, urls: &Urls) -> TableView {
    let mut cells = text.cells.iter();
    let (head, body) = match &t.body {
        TableBody::Grid { header, rows, row_headers, width } => {
            let head = header
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|c| CellView {
                            html: filler.field(cells.next().expect("one fragment per cell")),
                            header: true,
                            scope: if c.colspan > 1 { "colgroup" } else { "col" },
                            colspan: c.colspan,
                            rowspan: c.rowspan,
                            class: "",
                        })
                        .collect()
                })
                .collect();
            let cols = crate::content::table::place(rows, *width).expect("grids are validated on load");
            let body = rows
                .iter()
                .zip(cols)
                .map(|(row, cols)| {
                    row.iter()
                        .zip(cols)
                        .map(|(c, col)| {
                            let is_head = col < *row_headers;
                            CellView {
                                html: filler.field(cells.next().expect("one fragment per cell")),
                                header: is_head,
                                scope: if !is_head {
                                    ""
                                } else if c.rowspan > 1 {
                                    "rowgroup"
                                } else {
                                    "row"
                                },
                                colspan: c.colspan,
                                rowspan: c.rowspan,
                                class: if !is_head && is_numeric(&c.text) { "num" } else { "" },
                            }
                        })
                        .collect()
                })
                .collect();
            (head, body)
        }
        TableBody::Ranking { label_header, series } => {
            let esc = crate::markdown::escape::escape;
            let head = vec![
                series
                    .iter()
                    .flat_map(|s| {
                        [
                            CellView { html: esc(label_header), header: true, scope: "col", colspan: 1, rowspan: 1, class: "" },
                            CellView { html: esc(&s.name), header: true, scope: "col", colspan: 1, rowspan: 1, class: "num" },
                        ]
                    })
                    .collect(),
            ];
            let n = series.iter().map(|s| s.entries.len()).max().unwrap_or(0);
            let body = (0..n)
                .map(|r| {
                    series
                        .iter()
                        .flat_map(|s| match s.entries.get(r) {
                            Some(e) => [
                                CellView { html: esc(&e.label), header: true, scope: "row", colspan: 1, rowspan: 1, class: "" },
                                CellView { html: esc(&e.value), header: false, scope: "", colspan: 1, rowspan: 1, class: "num" },
                            ],
                            None => [
                                CellView { html: String::new(), header: false, scope: "", colspan: 1, rowspan: 1, class: "" },
                                CellView { html: String::new(), header: false, scope: "", colspan: 1, rowspan: 1, class: "" },
                            ],
                        })
                        .collect()
                })
                .collect();
            (head, body)
        }
    };
    let url = urls.table(&t.id);
    let mut charts_html = Vec::new();
    match &t.body {
        TableBody::Ranking { series, .. } => {
            for (k, s) in series.iter().enumerate() {
                charts_html.push(charts::ranking(&format!("chart-{}-{}", t.id, k + 1), label, s));
            }
        }
        TableBody::Grid { .. } => {
            if let Some(spec) = &t.chart {
                charts_html.push(charts::for_spec(&format!("chart-{}-1", t.id), label, spec));
            }
        }
    }
    TableView {
        id: t.id.clone(),
        anchor: format!("table-{}", t.id),
        label: label.to_string(),
        caption_html: filler.field(&text.caption),
        unit: t.unit.clone(),
        head,
        body,
        notes_html: text.notes.iter().map(|n| filler.field(n)).collect(),
        source_html: text.source.as_ref().map(|s| filler.field(s)),
        editor_note_html: text.editor_note.as_ref().map(|s| filler.field(s)),
        charts_html,
        csv_url: format!("{url}{}.csv", t.id),
        json_url: format!("{url}{}.json", t.id),
        url,
    }
}

pub fn figure_view(f: &Figure, text: &FigureText, label: &str, filler: &Filler, urls: &Urls) -> FigureView {
    let charts_html: Vec<String> =
        f.data.iter().enumerate().map(|(k, d)| charts::for_spec(&format!("chart-{}-{}", f.id, k + 1), label, d)).collect();
    FigureView {
        id: f.id.clone(),
        anchor: format!("figure-{}", f.id),
        label: label.to_string(),
        caption_html: filler.field(&text.caption),
        unit: f.unit.clone(),
        image_url: f.image.as_ref().map(|i| urls.asset(i)),
        alt: f.alt.clone(),
        missing: f.image.is_none() && charts_html.is_empty(),
        charts_html,
        source_html: text.source.as_ref().map(|s| filler.field(s)),
        note_html: text.note.as_ref().map(|s| filler.field(s)),
        editor_note_html: text.editor_note.as_ref().map(|s| filler.field(s)),
        url: urls.figure(&f.id),
    }
}

/// Plain text of rendered HTML (tags dropped, entities decoded, list items on their own lines).
pub fn html_text(html: &str) -> String {
    // Tags first (the text on the two sides of a tag is decoded as one), then the entities are
    // decoded and each line trimmed in one pass; empty lines are dropped.
    let mut stripped = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = memchr::memchr(b'<', rest.as_bytes()) {
        stripped.push_str(&rest[..i]);
        let Some(j) = memchr::memchr(b'>', &rest.as_bytes()[i..]) else {
            rest = &rest[i..];
            break;
        };
        let tag = &rest[i + 1..i + j];
        if (tag.starts_with("li") || tag == "br" || tag.starts_with("/p")) && !stripped.is_empty() && !stripped.ends_with('\n') {
            stripped.push('\n');
        }
        rest = &rest[i + j + 1..];
    }
    stripped.push_str(rest);
    let mut out = String::with_capacity(stripped.len());
    for line in stripped.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push('\n');
        }
        push_decoded(&mut out, line);
    }
    out
}

/// Appends `text` with the five entities the engine writes decoded, left to right (`&amp;lt;`
/// is `&lt;`).
fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let (c, len) = decode_entity(rest);
        out.push(c);
        rest = &rest[len..];
    }
    out.push_str(rest);
}

/// The table as a full grid of plain text (spanning cells repeated in each position they cover).
pub fn grid_text(view: &TableView) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for part in [&view.head, &view.body] {
        let mut pending: Vec<(usize, usize, String)> = Vec::new(); // (col, rows left, text)
        for row in part {
            let mut line: Vec<String> = Vec::new();
            let mut cells = row.iter();
            let mut next_pending = Vec::new();
            loop {
                let col = line.len();
                if let Some(p) = pending.iter().find(|p| p.0 == col) {
                    line.push(p.2.clone());
                    if p.1 > 1 {
                        next_pending.push((p.0, p.1 - 1, p.2.clone()));
                    }
                    continue;
                }
                let Some(c) = cells.next() else { break };
                let text = html_text(&c.html);
                for k in 0..c.colspan {
                    if c.rowspan > 1 {
                        next_pending.push((col + k, c.rowspan - 1, text.clone()));
                    }
                    line.push(text.clone());
                }
            }
            pending = next_pending;
            out.push(line);
        }
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// CSV (UTF-8 with BOM, CRLF): the grid as shown, or tidy rows (series, rank, label, value) for rankings.
pub fn csv(t: &Table, view: &TableView) -> String {
    let mut out = String::from("\u{feff}");
    let rows: Vec<Vec<String>> = match &t.body {
        TableBody::Ranking { label_header, series } => {
            let mut rows = vec![vec!["series".to_string(), "rank".into(), label_header.clone(), "value".into()]];
            for s in series {
                for e in &s.entries {
                    rows.push(vec![s.name.clone(), e.rank.to_string(), e.label.clone(), e.value.clone()]);
                }
            }
            rows
        }
        TableBody::Grid { .. } => grid_text(view),
    };
    for row in rows {
        out.push_str(&row.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// JSON with the table's metadata and data (values as written, plus parsed numbers for rankings).
pub fn json(t: &Table, view: &TableView) -> String {
    let mut doc = serde_json::json!({
        "id": t.id,
        "label": view.label,
        "caption": html_text(&view.caption_html),
        "unit": t.unit,
        "notes": view.notes_html.iter().map(|n| html_text(n)).collect::<Vec<_>>(),
        "source": view.source_html.as_ref().map(|s| html_text(s)),
        "url": view.url,
    });
    match &t.body {
        TableBody::Ranking { label_header, series } => {
            doc["label_header"] = serde_json::json!(label_header);
            doc["series"] = serde_json::json!(series
                .iter()
                .map(|s| serde_json::json!({
                    "name": s.name,
                    "entries": s.entries.iter().map(|e| serde_json::json!({"rank": e.rank, "label": e.label, "value": e.value, "number": number(&e.value)})).collect::<Vec<_>>(),
                }))
                .collect::<Vec<_>>());
        }
        TableBody::Grid { header, .. } => {
            let grid = grid_text(view);
            let (head, body) = grid.split_at(header.len().min(grid.len()));
            doc["header"] = serde_json::json!(head);
            doc["rows"] = serde_json::json!(body);
        }
    }
    let mut s = serde_json::to_string_pretty(&doc).expect("json values serialize");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_keeps_list_items_apart() {
        assert_eq!(html_text("<ul>\n<li>가 &amp; 나</li>\n<li>다</li>\n</ul>"), "가 & 나\n다");
    }

    #[test]
    fn csv_quotes_and_bom() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
    }

    /// The one-pass `html_text` against its plain definition: tags dropped, then the five
    /// entities replaced one after another, then lines trimmed and empty ones dropped; on every
    /// sequence of up to four pieces from a set of tags, entities, their fragments, whitespace
    /// and text.
    #[test]
    fn html_text_matches_its_definition() {
        fn definition(html: &str) -> String {
            let mut out = String::new();
            let mut rest = html;
            while let Some(i) = rest.find('<') {
                out.push_str(&rest[..i]);
                let Some(j) = rest[i..].find('>') else {
                    rest = &rest[i..];
                    break;
                };
                let tag = &rest[i + 1..i + j];
                if (tag.starts_with("li") || tag == "br" || tag.starts_with("/p")) && !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                rest = &rest[i + j + 1..];
            }
            out.push_str(rest);
            let decoded = out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
            decoded.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
        }
        const PIECES: [&str; 18] = [
            "<li>", "</p>", "<br>", "<b>", "&amp;", "&lt;", "&quot;", "&#39;", "&am", "p;", "<", ">", "&", " ", "\n", "\r\n", "\u{3000}",
            "가",
        ];
        let mut cases = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = cases.iter().flat_map(|c| PIECES.iter().map(move |p| format!("{c}{p}"))).collect();
            cases.extend(longer);
            cases.sort();
            cases.dedup();
        }
        for html in &cases {
            assert_eq!(html_text(html), definition(html), "{html:?}");
        }
    }
}
