//! Charts drawn at build time as inline SVG: no script and no library at read time, a
//! `<title>` and `<desc>` for screen readers, colours from CSS classes (dark mode, print).

use crate::content::chart::{BarItem, ChangeItem, ChartSpec, number};
use crate::content::table::Series;
use crate::markdown::escape::push_escaped;

/// The drawing's width in user units: at the page's widths (a phone's 330 px to about 480 px)
/// its 15-unit text shows at 12 to 18 px.
const WIDTH: f64 = 400.0;
const FONT: f64 = 15.0;

/// Rough advance width of `s` at `FONT` size (Hangul and Han are square, Latin narrower).
fn text_width(s: &str) -> f64 {
    s.chars().map(|c| if c.is_ascii() { 0.58 } else { 1.0 }).sum::<f64>() * FONT
}

fn esc(s: &str) -> String {
    let mut o = String::new();
    push_escaped(&mut o, s);
    o
}

fn open(out: &mut String, id: &str, height: f64, title: &str, desc: &str) {
    out.push_str(&format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height:.0}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(desc)
    ));
}

/// A horizontal bar per entry, ranked top to bottom, values printed as written.
pub fn ranking(id: &str, title: &str, series: &Series) -> String {
    let items: Vec<(String, &str)> = series.entries.iter().map(|e| (format!("{}. {}", e.rank, e.label), e.value.as_str())).collect();
    let desc = series.entries.iter().map(|e| format!("{}위 {} {}", e.rank, e.label, e.value)).collect::<Vec<_>>().join(", ");
    bars_svg(id, &format!("{title}: {}", series.name), Some(&series.name), &desc, &items)
}

/// Bars for a figure's or table's `bar` chart.
pub fn bars(id: &str, title: &str, unit: Option<&str>, items: &[BarItem]) -> String {
    let list: Vec<(String, &str)> = items.iter().map(|i| (i.label.clone(), i.value.as_str())).collect();
    let unit_s = unit.map(|u| format!(" ({u})")).unwrap_or_default();
    let desc = items.iter().map(|i| format!("{} {}", i.label, i.value)).collect::<Vec<_>>().join(", ");
    bars_svg(id, &format!("{title}{unit_s}"), None, &desc, &list)
}

/// Bars with labels on the left and values after each bar; `heading` is drawn above them
/// (for series shown side by side, whose names the table's caption does not tell apart).
fn bars_svg(id: &str, title: &str, heading: Option<&str>, desc: &str, items: &[(String, &str)]) -> String {
    let row = 30.0;
    let top = if heading.is_some() { 30.0 } else { 0.0 };
    let label_w = items.iter().map(|(l, _)| text_width(l)).fold(0.0, f64::max).min(WIDTH * 0.4) + 8.0;
    let value_w = items.iter().map(|(_, v)| text_width(v)).fold(0.0, f64::max) + 8.0;
    let bar_w = (WIDTH - label_w - value_w).max(40.0);
    let max = items.iter().filter_map(|(_, v)| number(v)).fold(0.0, f64::max);
    let height = top + row * items.len() as f64 + 8.0;
    let mut out = String::new();
    open(&mut out, id, height, title, desc);
    if let Some(h) = heading {
        out.push_str(&format!("<text class=\"chart-title\" x=\"0\" y=\"18\">{}</text>", esc(h)));
    }
    for (i, (label, value)) in items.iter().enumerate() {
        let y = top + 4.0 + row * i as f64;
        let v = number(value).unwrap_or(0.0).max(0.0);
        let w = if max > 0.0 { (v / max * bar_w).max(1.0) } else { 1.0 };
        out.push_str(&format!(
            "<text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect class=\"chart-bar{}\" x=\"{label_w:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" rx=\"2\"/><text class=\"chart-value\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label_w - 8.0,
            y + row * 0.62,
            esc(label),
            if i == 0 { " chart-bar-top" } else { "" },
            y + 5.0,
            row - 10.0,
            label_w + w + 6.0,
            y + row * 0.62,
            esc(value)
        ));
    }
    out.push_str("</svg>");
    out
}

/// One block per item: its label, and its `from → to` values at the right when they fit
/// beside it (else on a line of their own); below them a line from the `from` value to the
/// `to` value on the item's own scale starting at zero (the items' units differ).
pub fn change(id: &str, title: &str, from_label: &str, to_label: &str, items: &[ChangeItem]) -> String {
    let left = 6.0;
    let right = WIDTH - 8.0;
    let desc = items
        .iter()
        .map(|i| {
            let u = i.unit.as_deref().unwrap_or("");
            format!("{}: {from_label} {}{u} → {to_label} {}{u}", i.label, i.from, i.to)
        })
        .collect::<Vec<_>>()
        .join("; ");
    let values: Vec<String> = items
        .iter()
        .map(|i| {
            let u = i.unit.as_deref().unwrap_or("");
            format!("{}{u} → {}{u}", i.from, i.to)
        })
        .collect();
    let beside: Vec<bool> = items.iter().zip(&values).map(|(i, v)| text_width(&i.label) + text_width(v) + 16.0 <= WIDTH).collect();
    let block = |b: bool| if b { 54.0 } else { 74.0 };
    let height = 30.0 + beside.iter().map(|&b| block(b)).sum::<f64>();
    let mut out = String::new();
    open(&mut out, id, height, title, &desc);
    out.push_str(&format!(
        "<g class=\"chart-legend\"><circle class=\"chart-from\" cx=\"{:.1}\" cy=\"12\" r=\"5\"/><text class=\"chart-label\" x=\"{:.1}\" y=\"17\">{}</text><circle class=\"chart-to\" cx=\"{:.1}\" cy=\"12\" r=\"5\"/><text class=\"chart-label\" x=\"{:.1}\" y=\"17\">{}</text></g>",
        left + 5.0,
        left + 15.0,
        esc(from_label),
        left + 35.0 + text_width(from_label),
        left + 45.0 + text_width(from_label),
        esc(to_label)
    ));
    let mut y = 30.0;
    for ((item, value), &b) in items.iter().zip(&values).zip(&beside) {
        let from = number(&item.from).unwrap_or(0.0);
        let to = number(&item.to).unwrap_or(0.0);
        let max = from.max(to).max(f64::MIN_POSITIVE);
        let x = |v: f64| left + 6.0 + (v.max(0.0) / max) * (right - left - 12.0);
        let value_y = if b { y + 16.0 } else { y + 36.0 };
        let line_y = value_y + 20.0;
        out.push_str(&format!(
            "<text class=\"chart-label\" x=\"{left}\" y=\"{:.1}\">{}</text><text class=\"chart-value\" x=\"{right:.1}\" y=\"{value_y:.1}\" text-anchor=\"end\">{}</text><line class=\"chart-axis\" x1=\"{left}\" y1=\"{line_y:.1}\" x2=\"{right:.1}\" y2=\"{line_y:.1}\"/><line class=\"chart-change\" x1=\"{:.1}\" y1=\"{line_y:.1}\" x2=\"{:.1}\" y2=\"{line_y:.1}\"/><circle class=\"chart-from\" cx=\"{:.1}\" cy=\"{line_y:.1}\" r=\"5\"/><circle class=\"chart-to\" cx=\"{:.1}\" cy=\"{line_y:.1}\" r=\"6\"/>",
            y + 16.0,
            esc(&item.label),
            esc(value),
            x(from),
            x(to),
            x(from),
            x(to),
        ));
        y += block(b);
    }
    out.push_str("</svg>");
    out
}

/// The charts for a chart spec, with ids derived from `id`.
pub fn for_spec(id: &str, label: &str, spec: &ChartSpec) -> String {
    match spec {
        ChartSpec::Change { title, from_label, to_label, items } => {
            let t = title.as_deref().map_or(label.to_string(), |t| format!("{label} {t}"));
            change(id, &t, from_label, to_label, items)
        }
        ChartSpec::Bar { title, unit, items } => {
            let t = title.as_deref().map_or(label.to_string(), |t| format!("{label} {t}"));
            bars(id, &t, unit.as_deref(), items)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::table::Entry;

    #[test]
    fn ranking_chart_is_accessible_and_verbatim() {
        let s = Series {
            name: "인터넷 플러스(+) 지수".into(),
            entries: vec![
                Entry { rank: 1, label: "북경".into(), value: "10.191".into() },
                Entry { rank: 2, label: "심천".into(), value: "6.809".into() },
            ],
        };
        let svg = ranking("c1", "표 5", &s);
        assert!(svg.contains("<title id=\"c1-t\">표 5: 인터넷 플러스(+) 지수</title>"));
        assert!(svg.contains("1위 북경 10.191, 2위 심천 6.809"));
        assert!(svg.contains(">10.191</text>"));
        assert!(!svg.contains("style="));
        // The largest value gets the full bar width; the other is proportional.
        let widths: Vec<f64> =
            svg.match_indices("width=\"").map(|(i, _)| svg[i + 7..].split('"').next().unwrap().parse().unwrap()).collect();
        assert!((widths[1] / widths[0] - 6.809 / 10.191).abs() < 0.01, "{widths:?}");
    }

    #[test]
    fn change_chart_describes_each_item() {
        let items = vec![ChangeItem { label: "R&D 비중".into(), from: "0.88".into(), to: "1.68".into(), unit: Some("%".into()) }];
        let svg = change("c2", "표 2", "2013년", "2025년", &items);
        assert!(svg.contains("R&amp;D 비중: 2013년 0.88% → 2025년 1.68%"));
        assert!(svg.contains("0.88% → 1.68%"));
    }

    #[test]
    fn change_values_stay_inside_the_drawing() {
        let item = |label: &str| ChangeItem { label: label.into(), from: "27".into(), to: "64".into(), unit: Some("%".into()) };
        let short = change("c3", "표 2", "2013년", "2025년", &[item("인터넷 보급률")]);
        let long = change("c4", "표 2", "2013년", "2025년", &[item("핵심공정 컴퓨터 수치제어 공작기계 비중이 아주 긴 경우의 이름")]);
        // Values are anchored at the right edge, never past it.
        for svg in [&short, &long] {
            assert!(svg.contains(&format!("x=\"{:.1}\" y=", WIDTH - 8.0)), "{svg}");
            assert!(svg.contains("text-anchor=\"end\">27% → 64%</text>"), "{svg}");
        }
        // A label too long to share its line puts the values on the next one (a taller drawing).
        let height = |svg: &str| svg.split("viewBox=\"0 0 400 ").nth(1).unwrap().split('"').next().unwrap().parse::<f64>().unwrap();
        assert!(height(&long) > height(&short));
    }
}
