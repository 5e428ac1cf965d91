//! Chart data attached to a table or figure: typed, with numbers kept as written.

use serde::Deserialize;

/// Numbers to draw. Values are strings so the digits shown are exactly the source's.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum ChartSpec {
    /// A before → after comparison per item (e.g. 2013 → 2025 targets).
    Change {
        #[serde(default)]
        title: Option<String>,
        from_label: String,
        to_label: String,
        items: Vec<ChangeItem>,
    },
    /// One bar per item.
    Bar {
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        unit: Option<String>,
        items: Vec<BarItem>,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeItem {
    pub label: String,
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BarItem {
    pub label: String,
    pub value: String,
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
