//! Ids and slugs: a safe character set, since they become file names and URLs.

/// Why `id` is not a valid id, if it is not.
pub fn check(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("is empty".into());
    }
    if id.len() > 64 {
        return Some(format!("is {} characters long (at most 64)", id.len()));
    }
    if id.starts_with('-') {
        return Some("starts with `-`".into());
    }
    if let Some(c) = id.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
        return Some(format!("contains {c:?}; use lowercase ASCII letters, digits and `-`"));
    }
    None
}

/// A suggestion for an invalid id: lowercase, other characters replaced by `-`.
pub fn suggest(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let s = out.trim_matches('-');
    if s.is_empty() { "item".into() } else { s.chars().take(64).collect() }
}

/// The help for an invalid id written as `{key}{id}` (`slug: `, `id: `, or nothing on the
/// command line): a valid form of it, or — when nothing of it is ASCII (a Korean name) — how
/// to name it instead.
pub fn help(id: &str, key: &str) -> String {
    if id.chars().any(|c| c.is_ascii_alphanumeric()) {
        format!("try `{key}{}`", suggest(id))
    } else {
        "ids become URLs and file names: use an English or romanized name such as `xiaomi` or `market-outlook` (the Korean name or title goes in the file)"
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_safe_ids_only() {
        assert_eq!(check("made-in-china-2025"), None);
        assert!(check("../etc").is_some());
        assert!(check("바이두").is_some());
        assert!(check("Baidu").is_some());
        assert!(check("a b").is_some());
        assert!(check("a.b").is_some());
        assert!(check("").is_some());
        assert!(check(&"a".repeat(65)).is_some());
        assert!(check("-a").is_some());
    }

    #[test]
    fn suggests_a_valid_id() {
        assert_eq!(suggest("Made in China 2025"), "made-in-china-2025");
        assert_eq!(check(&suggest("../../x")), None);
        assert_eq!(help("Made in China", "slug: "), "try `slug: made-in-china`");
        assert!(help("샤오미", "id: ").contains("romanized"), "{}", help("샤오미", "id: "));
    }
}
