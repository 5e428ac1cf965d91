//! Tables: `content/tables/*.yaml`, either a grid of cells or ranked lists side by side.

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

use super::chart::{self, ChartSpec, RawChart};
use super::files::{Origin, Seen};
use super::{ids, yaml};
use crate::error::{Diagnostic, Error, Result};

/// One cell: Markdown text, spanning `rowspan` × `colspan` grid positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub rowspan: usize,
    pub colspan: usize,
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        /// YAML read an unquoted number: the file's own digits are gone (the YAML module
        /// quotes them back in the fix).
        fn number_in_cell<E: de::Error>(v: impl std::fmt::Display) -> E {
            E::custom(format!("a number in a cell ({v}): YAML keeps its value, not its digits as written"))
        }
        struct CellVisitor;
        impl<'de> Visitor<'de> for CellVisitor {
            type Value = Cell;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a cell: a quoted string, or {text, rowspan, colspan}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Cell, E> {
                Ok(Cell { text: v.to_string(), rowspan: 1, colspan: 1 })
            }
            fn visit_unit<E: de::Error>(self) -> std::result::Result<Cell, E> {
                Ok(Cell { text: String::new(), rowspan: 1, colspan: 1 })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Cell, E> {
                Err(number_in_cell(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Cell, E> {
                Err(number_in_cell(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Cell, E> {
                Err(number_in_cell(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Cell, E> {
                Err(E::custom(format!("`{v}` in a cell: quote it if it is text")))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Cell, A::Error> {
                let mut cell = Cell { text: String::new(), rowspan: 1, colspan: 1 };
                let mut has_text = false;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "text" => {
                            cell.text = map.next_value()?;
                            has_text = true;
                        }
                        "rowspan" => cell.rowspan = map.next_value()?,
                        "colspan" => cell.colspan = map.next_value()?,
                        other => {
                            return Err(de::Error::unknown_field(other, &["text", "rowspan", "colspan"]));
                        }
                    }
                }
                if !has_text {
                    return Err(de::Error::missing_field("text"));
                }
                if cell.rowspan == 0 || cell.colspan == 0 || cell.rowspan > 1000 || cell.colspan > 1000 {
                    return Err(de::Error::custom("rowspan and colspan must be between 1 and 1000"));
                }
                Ok(cell)
            }
        }
        d.deserialize_any(CellVisitor)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    pub name: String,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rank: u32,
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    id: String,
    caption: String,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    header: Option<Vec<Vec<Cell>>>,
    #[serde(default)]
    row_headers: usize,
    #[serde(default)]
    rows: Option<Vec<Vec<Cell>>>,
    #[serde(default)]
    label_header: Option<String>,
    #[serde(default)]
    series: Option<Vec<Series>>,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    chart: Option<RawChart>,
    #[serde(default)]
    editor_note: Option<String>,
}

/// What the table holds.
#[derive(Debug, Clone)]
pub enum TableBody {
    /// Header rows and body rows of cells; `row_headers` leading columns are row headers.
    Grid { header: Vec<Vec<Cell>>, rows: Vec<Vec<Cell>>, row_headers: usize, width: usize },
    /// Ranked lists shown side by side (label and value columns per list).
    Ranking { label_header: String, series: Vec<Series> },
}

#[derive(Debug, Clone)]
pub struct Table {
    pub id: String,
    pub caption: String,
    pub unit: Option<String>,
    pub body: TableBody,
    pub notes: Vec<String>,
    pub source: Option<String>,
    pub chart: Option<ChartSpec>,
    pub editor_note: Option<String>,
    pub origin: Origin,
}

impl Table {
    /// Every text field with Markdown, for reference checking and rendering.
    pub fn cells(&self) -> impl Iterator<Item = &Cell> {
        let (a, b): (&[Vec<Cell>], &[Vec<Cell>]) = match &self.body {
            TableBody::Grid { header, rows, .. } => (header, rows),
            TableBody::Ranking { .. } => (&[], &[]),
        };
        a.iter().chain(b.iter()).flatten()
    }
}

/// The fields a file of this kind may have.
pub fn fields() -> Vec<String> {
    yaml::fields_of::<TableFile>()
}

pub fn parse(origin: Origin) -> Result<Table> {
    let f: TableFile = yaml::parse(&origin.text, &origin.file, 1)?;
    let mut problems = Vec::new();
    if let Some(why) = ids::check(&f.id) {
        problems.push(origin.error_at_key("id", format!("id {:?} {why}", f.id)).with_help(ids::help(&f.id, "id: ")));
    }
    if f.caption.trim().is_empty() {
        problems.push(origin.error_at_key("caption", "`caption` is empty"));
    }
    let body = match (f.rows, f.series) {
        (Some(rows), None) => {
            if f.label_header.is_some() {
                problems.push(origin.error_at_key("label_header", "`label_header` belongs to ranking tables (with `series`), not grids"));
            }
            let header = f.header.unwrap_or_default();
            match grid_width(&header, &rows, f.row_headers) {
                Ok(width) => Some(TableBody::Grid { header, rows, row_headers: f.row_headers, width }),
                Err(GridError::RowHeaders(msg)) => {
                    let help = "row_headers counts the columns, from the left, whose cells name their row";
                    problems.push(origin.error_at_key("row_headers", msg).with_help(help));
                    None
                }
                Err(GridError::Row { part, index, message }) => {
                    let list = match part {
                        GridPart::Header => &header,
                        GridPart::Rows => &rows,
                    };
                    // At the row itself; for rows written on one line, at its first cell.
                    let key = part.key();
                    let d = match (yaml::locate_item(&origin.text, key, index), list.get(index).and_then(|r| r.first())) {
                        (Some((line, col)), _) => origin.error(message).at(line, col),
                        (None, Some(c)) if !c.text.is_empty() => origin.error_at_text(&c.text, message),
                        (None, _) => origin.error_at_key(key, message),
                    };
                    problems.push(d.with_help("every row must fill the grid exactly once, counting rowspan and colspan"));
                    None
                }
            }
        }
        (None, Some(series)) => {
            if f.header.is_some() {
                problems.push(
                    origin.error_at_key(
                        "header",
                        "ranking tables (with `series`) build their header from `label_header` and the series names",
                    ),
                );
            }
            if f.chart.is_some() {
                problems.push(origin.error_at_key("chart", "ranking tables are charted from their series; remove `chart`"));
            }
            // Which place of its value an error points at (the same city may stand in two series).
            let mut seen = Seen::default();
            for s in &series {
                let name_at = seen.next("name", &s.name);
                let mut last = 0;
                for e in &s.entries {
                    let (label_at, value_at) = (seen.next("label", &e.label), seen.next("value", &e.value));
                    if e.rank <= last {
                        problems.push(origin.error_at_value(
                            "label",
                            &e.label,
                            label_at,
                            format!("ranks in series {:?} must increase (rank {} after {last})", s.name, e.rank),
                        ));
                    }
                    last = e.rank;
                    if chart::number(&e.value).is_none() {
                        let msg = format!("value {:?} of {:?} is not a number", e.value, e.label);
                        problems.push(origin.error_at_value("value", &e.value, value_at, msg));
                    }
                }
                if s.entries.is_empty() {
                    problems.push(origin.error_at_value("name", &s.name, name_at, format!("series {:?} has no entries", s.name)));
                }
            }
            if series.is_empty() {
                problems.push(origin.error_at_key("series", "`series` is empty"));
            }
            Some(TableBody::Ranking { label_header: f.label_header.unwrap_or_default(), series })
        }
        (Some(_), Some(_)) => {
            problems.push(origin.error_at_key("series", "a table has either `rows` (a grid) or `series` (a ranking), not both"));
            None
        }
        (None, None) => {
            problems.push(origin.error("a table needs `rows` (a grid) or `series` (ranked lists)").at(1, 1));
            None
        }
    };
    let chart = f.chart.and_then(|c| c.check("chart", &origin, &mut problems));
    if let (Some(chart), Some(TableBody::Grid { header, rows, .. })) = (&chart, &body) {
        check_chart_values(chart, header.iter().chain(rows).flatten(), &origin, &mut problems);
    }
    if let Some(chart) = &chart {
        check_chart(chart, "chart", &origin, &mut problems);
    }
    Error::check(problems)?;
    Ok(Table {
        id: f.id,
        caption: f.caption,
        unit: f.unit,
        body: body.expect("checked above"),
        notes: f.notes,
        source: f.source,
        chart,
        editor_note: f.editor_note,
        origin,
    })
}

/// Every chart value must be a number and must appear verbatim in the table.
fn check_chart_values<'a>(chart: &ChartSpec, cells: impl Iterator<Item = &'a Cell>, origin: &Origin, problems: &mut Vec<Diagnostic>) {
    let texts: Vec<&str> = cells.map(|c| c.text.as_str()).collect();
    for v in chart.values() {
        if !texts.iter().any(|t| contains_number(t, v)) {
            problems.push(
                origin
                    .error_at_text_under("chart", v, format!("chart value {v:?} does not appear in the table's cells"))
                    .with_help("a chart may only draw numbers the table itself shows"),
            );
        }
    }
}

/// Whether `text` contains the number `v` as a whole number (not as part of a longer one).
fn contains_number(text: &str, v: &str) -> bool {
    let is_num = |c: char| c.is_ascii_digit() || c == '.' || c == ',';
    text.match_indices(v).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + v.len()..].chars().next();
        !before.is_some_and(is_num)
            && !after.is_some_and(|c| c.is_ascii_digit() || (c == '.' && text[i + v.len() + 1..].starts_with(|d: char| d.is_ascii_digit())))
    })
}

/// Chart values must be numbers; `key` is the chart's field (`chart` or `data`), for locations.
pub fn check_chart(chart: &ChartSpec, key: &str, origin: &Origin, problems: &mut Vec<Diagnostic>) {
    for v in chart.values() {
        if chart::number(v).is_none() {
            problems.push(
                origin
                    .error_at_text_under(key, v, format!("chart value {v:?} is not a number"))
                    .with_help("write the number only, e.g. \"1.68\"; put the unit in `unit`"),
            );
        }
    }
    if chart.is_empty() {
        problems.push(origin.error_at_key(key, "chart has no items"));
    }
}

/// The two lists of a grid's rows, by their YAML key.
#[derive(Debug, Clone, Copy)]
enum GridPart {
    Header,
    Rows,
}

impl GridPart {
    fn key(self) -> &'static str {
        match self {
            GridPart::Header => "header",
            GridPart::Rows => "rows",
        }
    }
}

/// Why a grid's cells do not tile it.
#[derive(Debug)]
enum GridError {
    /// `row_headers` counts more columns than the table has.
    RowHeaders(String),
    /// Row `index` of `part` (or the table, with no cells at all: row 0 of `rows`).
    Row { part: GridPart, index: usize, message: String },
}

/// Checks that header and body rows tile a grid; returns its width.
fn grid_width(header: &[Vec<Cell>], rows: &[Vec<Cell>], row_headers: usize) -> std::result::Result<usize, GridError> {
    let width_of = |row: &[Cell]| row.iter().map(|c| c.colspan).sum::<usize>();
    let width = header.first().map(|r| width_of(r)).or_else(|| rows.first().map(|r| width_of(r))).unwrap_or(0);
    if width == 0 {
        return Err(GridError::Row { part: GridPart::Rows, index: 0, message: "the table has no cells".into() });
    }
    if row_headers > width {
        return Err(GridError::RowHeaders(format!("row_headers is {row_headers} but the table has {width} columns")));
    }
    for (part, list) in [(GridPart::Header, header), (GridPart::Rows, rows)] {
        place(list, width).map_err(|(index, msg)| GridError::Row { part, index, message: format!("`{}`, {msg}", part.key()) })?;
    }
    Ok(width)
}

/// Places the cells of a grid part: the column of every cell, skipping positions still covered
/// by a rowspan from above; or (row index, message) when a row does not fill `width` exactly.
pub fn place(rows: &[Vec<Cell>], width: usize) -> std::result::Result<Vec<Vec<usize>>, (usize, String)> {
    // Rows each column stays covered for by a rowspan from an earlier row.
    let mut carry = vec![0usize; width];
    let mut placed = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let mut next: Vec<usize> = carry.iter().map(|c| c.saturating_sub(1)).collect();
        let mut cols = Vec::with_capacity(row.len());
        let mut col = 0;
        for cell in row {
            while col < width && carry[col] > 0 {
                col += 1;
            }
            if col + cell.colspan > width {
                return Err((i, format!("row {} has more cells than the {width} columns", i + 1)));
            }
            cols.push(col);
            next[col..col + cell.colspan].fill(cell.rowspan - 1);
            col += cell.colspan;
        }
        while col < width && carry[col] > 0 {
            col += 1;
        }
        if col != width {
            return Err((i, format!("row {} fills {col} of the {width} columns", i + 1)));
        }
        placed.push(cols);
        carry = next;
    }
    if carry.iter().any(|&c| c > 0) {
        return Err((rows.len().saturating_sub(1), "a rowspan reaches past the last row".into()));
    }
    Ok(placed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(text: &str) -> Origin {
        Origin { file: "content/tables/t.yaml".into(), text: text.into() }
    }

    const GRID: &str = r#"id: goals
caption: 목표
header:
  - [구분, 달성목표, 지표]
row_headers: 1
rows:
  - [{text: 혁신 역량, rowspan: 2}, "0.88%(2013년) → 1.68%(2025년)", R&D 비중]
  - ["0.36(2013년) → 1.1(2025년)", 발명특허 수]
chart:
  kind: change
  from_label: "2013년"
  to_label: "2025년"
  items:
    - {label: R&D 비중, from: "0.88", to: "1.68", unit: "%"}
"#;

    #[test]
    fn parses_grid_with_rowspan() {
        let t = parse(origin(GRID)).unwrap();
        match &t.body {
            TableBody::Grid { rows, width, .. } => {
                assert_eq!(*width, 3);
                assert_eq!(rows[0][0].rowspan, 2);
                assert_eq!(rows[1].len(), 2);
            }
            _ => panic!("grid expected"),
        }
    }

    #[test]
    fn ragged_rows_are_located() {
        let bad = GRID.replace("[\"0.36(2013년) → 1.1(2025년)\", 발명특허 수]", "[\"0.36(2013년) → 1.1(2025년)\", 발명특허 수, 덤]");
        let e = parse(origin(&bad)).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!(d.line, 8, "{d}");
        assert!(d.message.contains("`rows`, row 2 has more cells"), "{d}");
    }

    #[test]
    fn chart_values_must_come_from_the_table() {
        let bad = GRID.replace("to: \"1.68\"", "to: \"1.69\"");
        let e = parse(origin(&bad)).unwrap_err();
        assert!(e.to_string().contains("chart value \"1.69\" does not appear"), "{e}");
        let bad = GRID.replace("from: \"0.88\"", "from: \"0.8\"");
        assert!(parse(origin(&bad)).is_err(), "0.8 is only a prefix of 0.88");
    }

    #[test]
    fn unquoted_numbers_in_cells_are_refused() {
        let bad = GRID.replace("발명특허 수]", "5.980]");
        let e = parse(origin(&bad)).unwrap_err();
        assert!(e.to_string().contains("quote it"), "{e}");
    }

    #[test]
    fn ranking_tables_keep_values_verbatim() {
        let t = parse(origin("id: cities\ncaption: 도시\nlabel_header: 도시\nseries:\n  - name: 지수\n    entries:\n      - {rank: 1, label: 북경, value: 10.191}\n      - {rank: 2, label: 광주, value: 5.980}\n")).unwrap();
        match &t.body {
            TableBody::Ranking { series, .. } => assert_eq!(series[0].entries[1].value, "5.980"),
            _ => panic!("ranking expected"),
        }
    }

    #[test]
    fn ranking_errors_point_at_their_own_entry() {
        // 광주 stands in both series; the second series' ranks go down there, and its value is no number.
        let text = "id: cities\ncaption: 도시\nlabel_header: 도시\nseries:\n  - name: 지수\n    entries:\n      - {rank: 1, label: 북경, value: \"10.191\"}\n      - {rank: 2, label: 광주, value: \"5.980\"}\n  - name: 스마트 지수\n    entries:\n      - {rank: 2, label: 심천, value: \"2.3\"}\n      - {rank: 1, label: 광주, value: \"5.98O\"}\n";
        let e = parse(origin(text)).unwrap_err();
        let at: Vec<(usize, usize)> = e.diagnostics.iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(at, [(12, 26), (12, 38)], "{e}");
        assert!(e.diagnostics[0].message.contains("must increase"), "{e}");
    }

    #[test]
    fn row_headers_wider_than_the_table_are_located_at_the_key() {
        let e = parse(origin(&GRID.replace("row_headers: 1", "row_headers: 4"))).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!((d.line, d.col, d.message.as_str()), (5, 1, "row_headers is 4 but the table has 3 columns"), "{d}");
        assert_eq!(d.help.as_deref(), Some("row_headers counts the columns, from the left, whose cells name their row"));
    }

    #[test]
    fn placement_skips_rowspans() {
        let c = |rowspan| Cell { text: "x".into(), rowspan, colspan: 1 };
        let rows = vec![vec![c(2), c(1), c(1)], vec![c(1), c(1)]];
        assert_eq!(place(&rows, 3).unwrap(), vec![vec![0, 1, 2], vec![1, 2]]);
        assert!(place(&[vec![c(3)]], 1).is_err(), "rowspan past the end");
        assert_eq!(place(&[vec![c(3)]], 1).unwrap_err().1, "a rowspan reaches past the last row");
    }

    #[test]
    fn whole_number_match() {
        assert!(contains_number("0.88%(2013년)", "0.88"));
        assert!(!contains_number("10.88%", "0.88"));
        assert!(!contains_number("1.1(2025년)", "1"));
        assert!(contains_number("37%(2013년)", "37"));
    }
}
