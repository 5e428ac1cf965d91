//! The report itself: everything in the source is in content/, with the right structure and
//! the exact numbers; and reading the built site is reading the whole source text.

mod common;

use reportgen::build::analyze;
use reportgen::content::table::TableBody;
use reportgen::render::blocks::html_text;

fn report() -> reportgen::build::Analysis {
    match analyze(&common::repo(), None) {
        Ok(a) => a,
        Err(e) => panic!("the report does not load:\n{e}"),
    }
}

#[test]
fn counts_match_the_source() {
    let a = report();
    let m = &a.model;
    assert_eq!(m.chapters.len(), 6, "six sections");
    assert_eq!(m.parts.len(), 2, "parts I and II");
    assert_eq!(m.tables.len(), 5);
    assert_eq!(m.figures.len(), 2);
    let footnotes: usize = a.parsed.chapters.iter().map(|c| c.footnotes.len()).sum();
    assert_eq!(footnotes, 6, "footnotes 1)–6)");
    // Footnotes are numbered across chapters exactly as the source numbers them.
    let offsets = &a.resolved.numbering.footnote_offsets;
    let where_: Vec<(String, u32)> = m
        .chapters
        .iter()
        .enumerate()
        .flat_map(|(i, c)| (1..=a.parsed.chapters[i].footnotes.len() as u32).map(move |n| (c.slug().to_string(), offsets[i] + n)))
        .collect();
    assert_eq!(
        where_,
        [
            ("made-in-china-2025", 1),
            ("zhongchuang-space", 2),
            ("zhongchuang-space", 3),
            ("zhongchuang-space", 4),
            ("zhongchuang-space", 5),
            ("ai", 6)
        ]
        .map(|(s, n)| (s.to_string(), n))
    );
    // Tables numbered 표 1–5 in reading order, with the source's row counts.
    let rows = |id: &str| -> usize {
        let t = &m.tables[m.ids.tables[id]];
        match &t.body {
            TableBody::Grid { rows, .. } => rows.len(),
            TableBody::Ranking { series, .. } => series.iter().map(|s| s.entries.len()).max().unwrap(),
        }
    };
    for (id, number, n_rows) in [
        ("mic2025-stages", 1, 3),
        ("mic2025-goals", 2, 8),
        ("internet-plus-goals", 3, 4),
        ("internet-plus-guidelines", 4, 3),
        ("internet-plus-cities", 5, 5),
    ] {
        assert_eq!(a.resolved.numbering.table_numbers[m.ids.tables[id]], number, "{id}");
        assert_eq!(rows(id), n_rows, "{id} rows");
    }
    assert_eq!(a.resolved.numbering.figure_numbers[m.ids.figures["tech-gap"]], 1);
    assert_eq!(a.resolved.numbering.figure_numbers[m.ids.figures["unicorn-cities"]], 2);
    for id in [
        "baidu",
        "alibaba",
        "tencent",
        "horizon-robotics",
        "yuemian",
        "deepglint",
        "xiaomi",
        "midea",
        "broadlink",
        "gizwits",
        "orvibo",
        "webank",
        "softbank-robotics",
        "foxconn",
    ] {
        assert!(m.ids.companies.contains_key(id), "company {id}");
    }
    let names: Vec<&str> = m.companies.iter().map(|c| c.name.as_str()).collect();
    for n in [
        "바이두",
        "알리바바",
        "텐센트",
        "디핑센지치런",
        "웨먼커지",
        "거링선통",
        "샤오미",
        "메이디",
        "브로드링크",
        "기즈윅츠",
        "오르비보",
        "위뱅크",
        "소프트뱅크 로보틱스홀딩스",
        "폭스콘",
    ] {
        assert!(names.contains(&n), "company named {n}");
    }
}

#[test]
fn values_are_exactly_the_sources() {
    let a = report();
    let m = &a.model;
    let t5 = &m.tables[m.ids.tables["internet-plus-cities"]];
    let TableBody::Ranking { series, .. } = &t5.body else { panic!("표 5 is a ranking") };
    assert_eq!((series[0].entries[0].label.as_str(), series[0].entries[0].value.as_str()), ("북경", "10.191"));
    assert_eq!((series[1].entries[0].label.as_str(), series[1].entries[0].value.as_str()), ("심천", "2.3041"));
    assert_eq!(series[0].entries[2].value, "5.980", "trailing zero kept");
    let t2 = &m.tables[m.ids.tables["mic2025-goals"]];
    let TableBody::Grid { rows, .. } = &t2.body else { panic!("표 2 is a grid") };
    assert_eq!(rows[0][1].text, "0.88%(2013년) → 1.68%(2025년)");
    assert_eq!(rows[0][2].text, "매출액 대비 R&D 지출 비중");
    assert_eq!(rows[0][0].rowspan, 2, "one row per indicator, category spanning both");
    let baidu = &m.companies[m.ids.companies["baidu"]];
    let dates: Vec<String> = baidu.facts.iter().map(|f| f.date.to_string()).collect();
    for d in ["2014", "2015-09", "2016-07", "2016-10", "2016-12"] {
        assert!(dates.contains(&d.to_string()), "Baidu fact {d}");
    }
    let f2 = &m.figures[m.ids.figures["unicorn-cities"]];
    assert_eq!(f2.unit.as_deref(), Some("10 억 달러"));
    assert!(f2.image.is_none() && f2.data.is_none(), "no invented figure data");
}

/// Plain text of the built site's reading pages.
fn site_text(out: &std::path::Path) -> String {
    let mut text = String::new();
    for f in common::files(out).iter().filter(|f| {
        f.ends_with("index.html")
            && (f.starts_with("chapters/") || f.starts_with("tables/") || f.starts_with("figures/") || *f == "index.html")
    }) {
        let html = std::fs::read_to_string(out.join(f)).unwrap();
        text.push_str(&html_text(&html).replace('\n', " "));
        text.push(' ');
    }
    normalize(&text)
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A source line as the site must show it: list dashes dropped, outline numbers (computed by
/// the site) dropped, superscript footnote marks as the site writes them ("²⁾" → "2)").
fn expected(line: &str) -> String {
    let mut l = line.trim().trim_start_matches("- ").trim().to_string();
    for (sup, digit) in [("¹", "1"), ("²", "2"), ("³", "3"), ("⁴", "4"), ("⁵", "5"), ("⁶", "6")] {
        l = l.replace(&format!("{sup}⁾"), &format!("{digit})"));
    }
    let is_outline =
        l.split_once(". ").is_some_and(|(n, _)| !n.trim().is_empty() && n.trim().chars().all(|c| c.is_ascii_digit() || "IVX ".contains(c)));
    if is_outline {
        l = l[l.find(". ").unwrap() + 2..].to_string();
    }
    normalize(&l)
}

#[test]
fn reading_the_site_is_reading_the_whole_source() {
    let s = common::Site::report();
    s.built();
    let text = site_text(&s.out());
    let source = std::fs::read_to_string(common::repo().join("tests/fixtures/report-source.txt")).unwrap();
    let mut missing = Vec::new();
    for line in source.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.contains('\t') {
            // Table rows: the extraction merges cells, so every word must be there.
            for word in line.split_whitespace() {
                let w = word.trim_start_matches('-');
                if !w.is_empty() && !text.contains(w) {
                    missing.push(format!("table word {w:?} of: {line}"));
                }
            }
        } else if !text.contains(&expected(line)) {
            // A caption corrected by the editor must still be quoted verbatim in the editor's note.
            let caption = line.split_once("] ").filter(|_| line.starts_with('[')).map(|(_, c)| normalize(c));
            if !caption.is_some_and(|c| text.contains(&c)) {
                missing.push(line.to_string());
            }
        }
    }
    assert!(missing.is_empty(), "{} source lines are not on the site:\n{}", missing.len(), missing.join("\n"));
}
