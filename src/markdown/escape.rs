//! HTML escaping for text and attributes, and URL safety checks.

/// Appends `s` to `out`, escaped for HTML text and attribute values.
pub fn push_escaped(out: &mut String, s: &str) {
    push_replaced(out, s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    });
}

/// Appends ` name="value"` to `out` (the value escaped); nothing when `value` is empty.
pub fn push_attr(out: &mut String, name: &str, value: &str) {
    if value.is_empty() {
        return;
    }
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    push_escaped(out, value);
    out.push('"');
}

/// Appends `s` to `out`, escaped for an HTML text node only (quotes need no escaping there).
pub fn push_escaped_text(out: &mut String, s: &str) {
    push_replaced(out, s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        _ => None,
    });
}

/// Appends `s` with each ASCII byte that `rep` names replaced by its entity.
#[inline]
fn push_replaced(out: &mut String, s: &str, rep: impl Fn(u8) -> Option<&'static str>) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        if let Some(r) = rep(b) {
            out.push_str(&s[last..i]);
            out.push_str(r);
            last = i + 1;
        }
    }
    out.push_str(&s[last..]);
}

/// `s` escaped for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s);
    out
}

/// The character that the entity at the start of `s` stands for, and the entity's length: one
/// of the five `push_escaped` writes, or `('&', 1)` for an `&` that starts none of them.
pub fn decode_entity(s: &str) -> (char, usize) {
    const ENTITIES: [(&str, char); 5] = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&#39;", '\'')];
    ENTITIES.iter().find(|(e, _)| s.starts_with(e)).map_or(('&', 1), |(e, c)| (*c, e.len()))
}

/// Whether a link destination uses a scheme that can run script (`javascript:`, `data:`, …).
pub fn is_dangerous_url(url: &str) -> bool {
    let cleaned: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).take(16).collect::<String>().to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:", "file:"].iter().any(|s| cleaned.starts_with(s))
}

/// Inline tags allowed through by the `sanitize` policy (no attributes).
const SAFE_INLINE_TAGS: &[&str] = &["b", "i", "em", "strong", "sub", "sup", "u", "small", "mark", "kbd", "abbr", "s", "br", "wbr"];

/// Whether an inline HTML tag is a bare, harmless tag such as `<sup>` or `</b>` or `<br/>`.
pub fn is_safe_inline_tag(tag: &str) -> bool {
    let t = tag.trim();
    let Some(inner) = t.strip_prefix('<').and_then(|s| s.strip_suffix('>')) else {
        return false;
    };
    let inner = inner.trim().trim_start_matches('/').trim_end_matches('/').trim();
    SAFE_INLINE_TAGS.iter().any(|s| inner.eq_ignore_ascii_case(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(escape("<script>alert('x')</script> & \"q\""), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
        assert_eq!(escape("한국어"), "한국어");
        let mut text = String::new();
        push_escaped_text(&mut text, "a < b && \"c\" > 'd' 한");
        assert_eq!(text, "a &lt; b &amp;&amp; \"c\" &gt; 'd' 한");
    }

    #[test]
    fn attributes_are_escaped_and_empty_ones_left_out() {
        let mut html = String::from("<a");
        push_attr(&mut html, "id", "");
        push_attr(&mut html, "title", "\"표 1\" <주요>");
        assert_eq!(html, "<a title=\"&quot;표 1&quot; &lt;주요&gt;\"");
    }

    #[test]
    fn dangerous_urls() {
        assert!(is_dangerous_url("javascript:alert(1)"));
        assert!(is_dangerous_url(" JaVa\tscript:alert(1)"));
        assert!(is_dangerous_url("data:text/html,x"));
        assert!(!is_dangerous_url("https://example.org/"));
        assert!(!is_dangerous_url("/a/b/"));
    }

    #[test]
    fn safe_inline_tags() {
        assert!(is_safe_inline_tag("<sup>"));
        assert!(is_safe_inline_tag("</b>"));
        assert!(is_safe_inline_tag("<br/>"));
        assert!(!is_safe_inline_tag("<img src=x onerror=alert(1)>"));
        assert!(!is_safe_inline_tag("<b onclick=x>"));
        assert!(!is_safe_inline_tag("<script>"));
    }
}
