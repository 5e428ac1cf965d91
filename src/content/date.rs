//! Dates of facts and events: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, ordered for the timeline.

use std::fmt;

/// A date with optional month and day (0 when absent). Orders year, then month, then day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Formats with the site's patterns (`{year}`, `{month}`, `{day}` placeholders).
    pub fn label(&self, year_fmt: &str, month_fmt: &str, day_fmt: &str) -> String {
        let pattern = if self.day > 0 {
            day_fmt
        } else if self.month > 0 {
            month_fmt
        } else {
            year_fmt
        };
        pattern
            .replace("{year}", &self.year.to_string())
            .replace("{month}", &self.month.to_string())
            .replace("{day}", &self.day.to_string())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if self.month > 0 {
            write!(f, "-{:02}", self.month)?;
        }
        if self.day > 0 {
            write!(f, "-{:02}", self.day)?;
        }
        Ok(())
    }
}

impl TryFrom<String> for Date {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        let bad = || format!("invalid date {s:?}: expected YYYY, YYYY-MM or YYYY-MM-DD");
        let parts: Vec<&str> = s.trim().split('-').collect();
        if parts.is_empty() || parts.len() > 3 || parts[0].len() != 4 || parts[1..].iter().any(|p| p.len() != 2) {
            return Err(bad());
        }
        let num = |p: &str| p.parse::<u16>().map_err(|_| bad());
        let year = num(parts[0])?;
        let month = parts.get(1).map(|p| num(p)).transpose()?.unwrap_or(0) as u8;
        let day = parts.get(2).map(|p| num(p)).transpose()?.unwrap_or(0) as u8;
        if parts.len() > 1 && !(1..=12).contains(&month) {
            return Err(format!("invalid month in date {s:?}: a month is 01 to 12"));
        }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if parts.len() > 2 && !(1..=days).contains(&day) {
            return Err(format!("invalid day in date {s:?}: {year:04}-{month:02} has {days} days"));
        }
        Ok(Date { year, month, day })
    }
}

/// The date `written` (refused) most likely means, written as dates are here: its numbers, a
/// year of four digits then a month and a day of one or two (`2016.07`, `2016. 7.`,
/// `2016년 7월` → `2016-07`).
pub fn suggest(written: &str) -> Option<String> {
    let numbers: Vec<&str> = written.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty()).collect();
    let (year, rest) = numbers.split_first()?;
    if year.len() != 4 || rest.len() > 2 || rest.iter().any(|n| n.len() > 2) {
        return None;
    }
    let mut date = year.to_string();
    for n in rest {
        date.push_str(&format!("-{n:0>2}"));
    }
    (Date::try_from(date.clone()).is_ok() && date != written.trim()).then_some(date)
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::try_from(s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_written_the_korean_way_is_told_its_form() {
        assert_eq!(suggest("2016.07").as_deref(), Some("2016-07"));
        assert_eq!(suggest("2016. 7. 15.").as_deref(), Some("2016-07-15"));
        assert_eq!(suggest("2016년 7월").as_deref(), Some("2016-07"));
        for none in ["16.07", "2016.13", "2016-07", "2016.07.15.3", "가"] {
            assert_eq!(suggest(none), None, "{none:?}");
        }
    }

    #[test]
    fn parses_and_orders() {
        let y = Date::try_from("2014".to_string()).unwrap();
        let m = Date::try_from("2015-09".to_string()).unwrap();
        let d = Date::try_from("2015-09-03".to_string()).unwrap();
        assert!(y < m && m < d);
        assert_eq!(m.to_string(), "2015-09");
        assert_eq!(m.label("{year}년", "{year}년 {month}월", "{year}년 {month}월 {day}일"), "2015년 9월");
    }

    #[test]
    fn rejects_bad_dates() {
        for bad in ["15", "2015-13", "2015-9", "2015-02-30", "2015-02-29", "1900-02-29", "2015-04-31", "2015/09", "x"] {
            assert!(Date::try_from(bad.to_string()).is_err(), "{bad}");
        }
        for good in ["2016-02-29", "2000-02-29", "2015-12-31"] {
            assert!(Date::try_from(good.to_string()).is_ok(), "{good}");
        }
        let why = |date: &str| Date::try_from(date.to_string()).unwrap_err();
        assert_eq!(why("2015-02-29"), "invalid day in date \"2015-02-29\": 2015-02 has 28 days");
        assert_eq!(why("2016-13"), "invalid month in date \"2016-13\": a month is 01 to 12");
    }
}
