//! A small HTML tokenizer for `check`: tags with their attributes and the text between them,
//! each with its byte offset. Correct for what reportgen and its themes write (quoted
//! attributes, comments, raw-text `<script>`/`<style>`), tolerant of unquoted attributes.

use std::borrow::Cow;

/// One start or end tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag<'a> {
    /// Lowercased tag name (borrowed from the document when it is written in lowercase).
    pub name: Cow<'a, str>,
    /// `</name>`.
    pub closing: bool,
    /// Attribute names (lowercased) and raw values (still entity-encoded; `""` when bare).
    pub attrs: Vec<(Cow<'a, str>, &'a str)>,
    /// Byte offset of the `<`.
    pub offset: usize,
}

impl Tag<'_> {
    /// The decoded value of attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<Cow<'_, str>> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| decode_entities(v))
    }

    /// Whether attribute `class` lists `class`.
    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class").is_some_and(|c| c.split_ascii_whitespace().any(|x| x == class))
    }
}

/// A piece of an HTML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    Tag(Tag<'a>),
    /// Raw text (still entity-encoded) and its byte offset.
    Text(&'a str, usize),
}

/// Splits `html` into tags and text. Comments, doctypes and the content of `<script>` and
/// `<style>` are skipped.
pub fn tokens(html: &str) -> Vec<Token<'_>> {
    let bytes = html.as_bytes();
    let mut out = Vec::with_capacity(html.len() / 24);
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        let Some(lt) = memchr::memchr(b'<', &bytes[i..]) else { break };
        i += lt;
        let rest = &html[i..];
        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
        let is_markup = next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?';
        if !is_markup {
            i += 1;
            continue;
        }
        if text_start < i {
            out.push(Token::Text(&html[text_start..i], text_start));
        }
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(html.len(), |e| i + e + 3);
            text_start = i;
            continue;
        }
        if next == b'!' || next == b'?' {
            i = rest.find('>').map_or(html.len(), |e| i + e + 1);
            text_start = i;
            continue;
        }
        let (tag, end) = parse_tag(html, i);
        i = end;
        text_start = i;
        if !tag.closing && (tag.name == "script" || tag.name == "style") {
            let close = format!("</{}", tag.name);
            let body_end = find_ascii_ci(&html[i..], &close).map_or(html.len(), |e| i + e);
            out.push(Token::Tag(tag));
            i = body_end;
            text_start = i;
            continue;
        }
        out.push(Token::Tag(tag));
    }
    if text_start < html.len() {
        out.push(Token::Text(&html[text_start..], text_start));
    }
    out
}

fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    hay.as_bytes().windows(n).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Parses the tag starting at `start` (a `<`); returns it and the offset after its `>`.
fn parse_tag(html: &str, start: usize) -> (Tag<'_>, usize) {
    let b = html.as_bytes();
    let mut i = start + 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let name = lowercase(&html[name_start..i]);
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        if b[i] == b'>' {
            i += 1;
            break;
        }
        let an_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        let an = lowercase(&html[an_start..i]);
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            attrs.push((an, ""));
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match b.get(i) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let v_start = i + 1;
                let v_end = memchr::memchr(q, &b[v_start..]).map_or(html.len(), |e| v_start + e);
                i = (v_end + 1).min(html.len());
                &html[v_start..v_end]
            }
            _ => {
                let v_start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                &html[v_start..i]
            }
        };
        attrs.push((an, value));
    }
    (Tag { name, closing, attrs, offset: start }, i)
}

/// `s` in ASCII lowercase, borrowed when it is already.
fn lowercase(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) { Cow::Owned(s.to_ascii_lowercase()) } else { Cow::Borrowed(s) }
}

/// Decodes character references: the named ones HTML escaping produces, and numeric ones.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).map(|e| e + 1);
        let decoded = match end {
            Some(e) if rest.as_bytes().get(e) == Some(&b';') => decode_one(&rest[1..e]).map(|c| (c, e + 1)),
            _ => None,
        };
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn decode_one(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(n);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => return None,
    })
}

/// Decodes `%XX` escapes in a URL path or fragment; `None` if the result is not UTF-8.
pub use crate::urls::percent_decode_text as percent_decode;

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(html: &str) -> Vec<Tag<'_>> {
        tokens(html)
            .into_iter()
            .filter_map(|t| match t {
                Token::Tag(t) => Some(t),
                Token::Text(..) => None,
            })
            .collect()
    }

    #[test]
    fn reads_tags_attributes_and_text() {
        let html = "<p class=\"a b\" id=x>하나 &amp; 둘<a href='/y/?q=1&amp;r=2' download>링크</a></p>";
        let t = tokens(html);
        assert_eq!(t.len(), 6);
        let Token::Tag(p) = &t[0] else { panic!() };
        assert!(p.has_class("b") && !p.has_class("c"));
        assert_eq!(p.attr("id").as_deref(), Some("x"));
        assert_eq!(t[1], Token::Text("하나 &amp; 둘", html.find('하').unwrap()));
        let Token::Tag(a) = &t[2] else { panic!() };
        assert_eq!(a.attr("href").as_deref(), Some("/y/?q=1&r=2"));
        assert_eq!(a.attr("download").as_deref(), Some(""));
        assert_eq!(a.offset, html.find("<a").unwrap());
        assert!(matches!(&t[5], Token::Tag(Tag { name, closing: true, .. }) if name == "p"));
    }

    #[test]
    fn skips_comments_doctype_and_script_bodies() {
        let html =
            "<!DOCTYPE html><!-- <a href=\"/no/\"> --><script>if (a<b) x = \"<a href='/no/'>\";</script><a href=\"/yes/\">x</a> a < b";
        let hrefs: Vec<String> = tags(html).iter().filter_map(|t| t.attr("href").map(|h| h.into_owned())).collect();
        assert_eq!(hrefs, ["/yes/"]);
        assert!(matches!(tokens(html).last(), Some(Token::Text(" a < b", _))));
    }

    #[test]
    fn decodes_entities_and_percent_escapes() {
        assert_eq!(decode_entities("a &lt;b&gt; &#39;c&#x27; &quot;d&quot; &unknown; & e"), "a <b> 'c' \"d\" &unknown; & e");
        assert_eq!(percent_decode("/assets/%EA%B7%B8%EB%A6%BC%201.png").as_deref(), Some("/assets/그림 1.png"));
        assert_eq!(percent_decode("100%").as_deref(), Some("100%"));
        assert_eq!(percent_decode("%FF"), None);
    }
}
