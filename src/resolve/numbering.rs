//! Numbers tables and figures in reading order of their placement, and footnotes across chapters.

use crate::content::Model;
use crate::error::Diagnostic;
use crate::markdown::{Parsed, Target};

/// Numbers and placements of tables and figures.
#[derive(Debug, Default)]
pub struct Numbering {
    /// 1-based number of each table (by model index).
    pub table_numbers: Vec<u32>,
    pub figure_numbers: Vec<u32>,
    /// Model indices in number order.
    pub table_order: Vec<usize>,
    pub figure_order: Vec<usize>,
    /// The chapter each table/figure is placed in.
    pub table_chapter: Vec<Option<usize>>,
    pub figure_chapter: Vec<Option<usize>>,
    /// Number of the first footnote of each chapter, minus one.
    pub footnote_offsets: Vec<u32>,
}

pub fn number(model: &Model, parsed: &Parsed, problems: &mut Vec<Diagnostic>) -> Numbering {
    let mut n = Numbering {
        table_numbers: vec![0; model.tables.len()],
        figure_numbers: vec![0; model.figures.len()],
        table_chapter: vec![None; model.tables.len()],
        figure_chapter: vec![None; model.figures.len()],
        ..Numbering::default()
    };
    for (ci, out) in parsed.chapters.iter().enumerate() {
        for (target, loc) in &out.embeds {
            let (i, numbers, order, chapters, kind) = match *target {
                Target::Table(i) => (i, &mut n.table_numbers, &mut n.table_order, &mut n.table_chapter, "table"),
                Target::Figure(i) => (i, &mut n.figure_numbers, &mut n.figure_order, &mut n.figure_chapter, "figure"),
                _ => continue,
            };
            if numbers[i] != 0 {
                let first = chapters[i].map(|c| model.chapters[c].origin.file.clone()).unwrap_or_default();
                problems.push(
                    Diagnostic::error(format!("{kind} `{}` is placed twice", id_of(model, *target)))
                        .in_file(&loc.file)
                        .at(loc.line, loc.col)
                        .with_help(format!("it is already placed in {first}; place each {kind} once and link to it elsewhere with [](…)")),
                );
                continue;
            }
            order.push(i);
            numbers[i] = order.len() as u32;
            chapters[i] = Some(ci);
        }
    }
    // Items never placed are numbered after the placed ones, in id order.
    for i in 0..model.tables.len() {
        if n.table_numbers[i] == 0 {
            n.table_order.push(i);
            n.table_numbers[i] = n.table_order.len() as u32;
        }
    }
    for i in 0..model.figures.len() {
        if n.figure_numbers[i] == 0 {
            n.figure_order.push(i);
            n.figure_numbers[i] = n.figure_order.len() as u32;
        }
    }
    let mut offset = 0u32;
    for out in &parsed.chapters {
        n.footnote_offsets.push(offset);
        offset += out.footnotes.len() as u32;
    }
    n
}

fn id_of(model: &Model, t: Target) -> &str {
    match t {
        Target::Table(i) => &model.tables[i].id,
        Target::Figure(i) => &model.figures[i].id,
        _ => "",
    }
}
