//! Chart data attached to a table or figure: typed, with numbers kept as written.

use serde::Deserialize;

use super::files::Origin;
use crate::error::Diagnostic;

/// Numbers to draw. Values are strings so the digits shown are exactly the source's.
#[derive(Debug, Clone)]
pub enum ChartSpec {
    /// A before → after comparison per item (e.g. 2013 → 2025 targets).
    Change { title: Option<String>, from_label: String, to_label: String, items: Vec<ChangeItem> },
    /// One bar per item.
    Bar { title: Option<String>, unit: Option<String>, items: Vec<BarItem> },
}

#[derive(Debug, Clone)]
pub struct ChangeItem {
    pub label: String,
    pub from: String,
    pub to: String,
    pub unit: Option<String>,
}

#[derive(Debug, Clone)]
pub struct BarItem {
    pub label: String,
    pub value: String,
}

/// A chart as written: one shape for both kinds, read without buffering so that YAML places
/// every error it finds; what each kind needs is checked by [`RawChart::check`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChart {
    kind: Kind,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    from_label: Option<String>,
    #[serde(default)]
    to_label: Option<String>,
    items: Vec<RawItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Change,
    Bar,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    label: String,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    value: Option<String>,
}

/// Whether a chart of some kind takes a field.
#[derive(Clone, Copy, PartialEq)]
enum Need {
    Required,
    Optional,
    Forbidden,
}

/// The fields (name, given, need) that are missing and those given but not taken.
fn mismatches<const N: usize>(fields: [(&'static str, bool, Need); N]) -> (Vec<&'static str>, Vec<&'static str>) {
    let pick = |bad: fn(bool, Need) -> bool| fields.iter().filter(|f| bad(f.1, f.2)).map(|f| f.0).collect();
    (pick(|given, need| !given && need == Need::Required), pick(|given, need| given && need == Need::Forbidden))
}

/// `a`, `a` and `b`, … as code.
fn listed(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" and ")
}

impl RawChart {
    /// The chart of its kind; a field the kind needs but lacks, or has but does not take, is a
    /// problem located in the file (`key`: the chart's own key, `chart` or `data`).
    pub fn check(self, key: &str, origin: &Origin, problems: &mut Vec<Diagnostic>) -> Option<ChartSpec> {
        use Need::*;
        let change = self.kind == Kind::Change;
        let (kind, other) = if change { ("change", "bar") } else { ("bar", "change") };
        let (for_change, for_bar) = if change { (Required, Forbidden) } else { (Forbidden, Required) };
        let item_fields = |i: &RawItem| {
            mismatches([
                ("from", i.from.is_some(), for_change),
                ("to", i.to.is_some(), for_change),
                ("value", i.value.is_some(), for_bar),
                ("unit", i.unit.is_some(), if change { Optional } else { Forbidden }),
            ])
        };
        let at_key = |name: &str| super::yaml::locate_key_under(&origin.text, key, name);
        let error = |msg: String, (l, c): (usize, usize)| origin.error(msg).at(l, c).with_help(Self::shape(self.kind));
        // Every item written for the other kind: the kind is what is wrong, said once.
        let for_other = |i: &RawItem| {
            let (change_fields, bar_fields) = (i.from.is_some() || i.to.is_some(), i.value.is_some());
            if change { bar_fields && !change_fields } else { change_fields && !bar_fields }
        };
        if !self.items.is_empty() && self.items.iter().all(for_other) {
            let fields = if change { "`value`" } else { "`from` and `to`" };
            problems.push(
                error(format!("`kind: {kind}`, but every item is written for a {other} chart (with {fields})"), at_key("kind"))
                    .with_help(format!("write `kind: {other}`, or rewrite the items: {}", Self::shape(self.kind))),
            );
            return None;
        }
        let before = problems.len();
        let (missing, extra) = mismatches([
            ("from_label", self.from_label.is_some(), for_change),
            ("to_label", self.to_label.is_some(), for_change),
            ("unit", self.unit.is_some(), if change { Forbidden } else { Optional }),
        ]);
        if !missing.is_empty() {
            problems.push(error(format!("a {kind} chart needs {}", listed(&missing)), at_key("kind")));
        }
        for name in extra {
            problems.push(error(format!("`{name}` belongs to {other} charts, not {kind} charts"), at_key(name)));
        }
        for (n, item) in self.items.iter().enumerate() {
            let (missing, extra) = item_fields(item);
            let at = || super::yaml::locate_item(&origin.text, "items", n).unwrap_or_else(|| at_key("items"));
            let what = format!("item {} ({:?})", n + 1, item.label);
            if !missing.is_empty() {
                problems.push(error(format!("{what}: a {kind} chart's item needs {}", listed(&missing)), at()));
            }
            if !extra.is_empty() {
                let verb = if extra.len() == 1 { "belongs" } else { "belong" };
                problems.push(error(format!("{what}: {} {verb} to {other} charts, not {kind} charts", listed(&extra)), at()));
            }
        }
        if problems.len() > before {
            return None;
        }
        Some(match self.kind {
            Kind::Change => ChartSpec::Change {
                title: self.title,
                from_label: self.from_label.unwrap_or_default(),
                to_label: self.to_label.unwrap_or_default(),
                items: self
                    .items
                    .into_iter()
                    .map(|i| ChangeItem { label: i.label, from: i.from.unwrap_or_default(), to: i.to.unwrap_or_default(), unit: i.unit })
                    .collect(),
            },
            Kind::Bar => ChartSpec::Bar {
                title: self.title,
                unit: self.unit,
                items: self.items.into_iter().map(|i| BarItem { label: i.label, value: i.value.unwrap_or_default() }).collect(),
            },
        })
    }

    /// What a chart of `kind` is made of, as the fix for a field out of place.
    fn shape(kind: Kind) -> &'static str {
        match kind {
            Kind::Change => "a change chart has `from_label`, `to_label` and items {label, from, to, unit (optional)}",
            Kind::Bar => "a bar chart has `unit` (optional) and items {label, value}",
        }
    }
}

impl ChartSpec {
    /// Every value string in the chart, in order.
    pub fn values(&self) -> Vec<&str> {
        match self {
            ChartSpec::Change { items, .. } => items.iter().flat_map(|i| [i.from.as_str(), i.to.as_str()]).collect(),
            ChartSpec::Bar { items, .. } => items.iter().map(|i| i.value.as_str()).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            ChartSpec::Change { items, .. } => items.is_empty(),
            ChartSpec::Bar { items, .. } => items.is_empty(),
        }
    }
}

/// Parses a number as written in a report ("1,200", "10.191", "-3.5"); `None` if it is not one.
pub fn number(s: &str) -> Option<f64> {
    let t: String = s.trim().chars().filter(|c| *c != ',').collect();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+') {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_written() {
        assert_eq!(number("10.191"), Some(10.191));
        assert_eq!(number("1,200"), Some(1200.0));
        assert_eq!(number("5.980"), Some(5.98));
        assert_eq!(number("82%"), None);
        assert_eq!(number("inf"), None);
        assert_eq!(number(""), None);
    }
}
