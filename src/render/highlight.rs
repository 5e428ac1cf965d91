//! Code highlighting with syntect as CSS classes; the syntax set and themes load only when a
//! code block is actually rendered.
//!
//! syntect's parser is a pure function of (parser state, line): the same line met again in
//! the same state gives the same scope operations. Each thread remembers those results across
//! code blocks (bounded), so repeated lines — closing braces, imports, boilerplate shared by
//! many blocks — are parsed once per thread. The HTML is the same as without the memo (tested).
//! (Parser states hold regex captures that cannot cross threads, hence one memo per thread.)

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::markdown::escape::push_escaped;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
/// Nanoseconds spent highlighting, summed over threads (for `--timings`).
pub static NANOS: AtomicU64 = AtomicU64::new(0);

fn syntaxes() -> &'static SyntaxSet {
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Whether the syntax set has been loaded in this process.
pub fn loaded() -> bool {
    SYNTAXES.get().is_some()
}

type Ops = Rc<Vec<(usize, ScopeStackOp)>>;

/// One remembered parse: in `before` state, `line` gave `ops` and left the parser in `after`
/// (`None` when the state did not change, which is most lines).
struct Parsed {
    syntax: *const SyntaxReference,
    line: Box<str>,
    before: ParseState,
    ops: Ops,
    after: Option<ParseState>,
}

/// Upper bound on remembered lines per thread; past it, lines are simply parsed.
const MEMO_MAX: usize = 50_000;

thread_local! {
    /// Remembered parses by (syntax, line) hash.
    static MEMO: RefCell<(HashMap<u64, Vec<Parsed>>, usize)> = RefCell::new((HashMap::new(), 0));
}

/// Whether lines are remembered (`REPORTGEN_HIGHLIGHT_MEMO=0` turns it off, for measuring).
fn memo_enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var("REPORTGEN_HIGHLIGHT_MEMO").map_or(true, |v| v != "0"))
}

fn line_hash(syntax: &SyntaxReference, line: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::ptr::hash(syntax, &mut h);
    line.hash(&mut h);
    h.finish()
}

/// Parses `line` in `state` (advancing it), through the memo.
fn parse_line(state: &mut ParseState, syntax: &SyntaxReference, line: &str, ss: &SyntaxSet) -> Result<Ops, syntect::parsing::ParsingError> {
    if !memo_enabled() {
        return state.parse_line(line, ss).map(Rc::new);
    }
    let key = line_hash(syntax, line);
    let found = MEMO.with_borrow(|(map, _)| {
        map.get(&key)
            .and_then(|v| v.iter().find(|p| std::ptr::eq(p.syntax, syntax) && &*p.line == line && p.before == *state))
            .map(|p| (p.ops.clone(), p.after.clone()))
    });
    if let Some((ops, after)) = found {
        if let Some(after) = after {
            *state = after;
        }
        return Ok(ops);
    }
    let before = state.clone();
    let mut ops = state.parse_line(line, ss)?;
    ops.shrink_to_fit();
    let ops: Ops = Rc::new(ops);
    MEMO.with_borrow_mut(|(map, count)| {
        if *count < MEMO_MAX {
            *count += 1;
            let after = (*state != before).then(|| state.clone());
            let entry = Parsed { syntax, line: line.into(), before, ops: ops.clone(), after };
            map.entry(key).or_default().push(entry);
        }
    });
    Ok(ops)
}

/// The classed HTML of `code`, or `None` if syntect fails on it.
fn classed(code: &str, syntax: &SyntaxReference, ss: &SyntaxSet) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 6);
    let mut open: isize = 0;
    for line in LinesWithEndings::from(code) {
        let ops = parse_line(&mut state, syntax, line, ss).ok()?;
        let (spans, delta) = line_tokens_to_classed_spans(line, &ops, STYLE, &mut stack).ok()?;
        open += delta;
        html.push_str(&spans);
    }
    for _ in 0..open {
        html.push_str("</span>");
    }
    Some(html)
}

/// Appends the highlighted `<pre>` block for `code` in language `lang` to `out`.
pub fn highlight_into(out: &mut String, code: &str, lang: &str) {
    let started = crate::timings::thread_cpu();
    let lang_attr = lang.trim();
    out.push_str("<pre class=\"code\"");
    if !lang_attr.is_empty() {
        out.push_str(" data-lang=\"");
        push_escaped(out, lang_attr);
        out.push('"');
    }
    out.push_str("><code>");
    let html = if lang_attr.is_empty() {
        None
    } else {
        let ss = syntaxes();
        ss.find_syntax_by_token(lang_attr).and_then(|syntax| classed(code, syntax, ss))
    };
    match html {
        Some(h) => out.push_str(&h),
        None => push_escaped(out, code),
    }
    out.push_str("</code></pre>\n");
    NANOS.fetch_add(crate::timings::thread_cpu().saturating_sub(started).as_nanos() as u64, Ordering::Relaxed);
}

/// The stylesheet for highlighted code: a light theme, and a dark one for dark mode.
pub fn stylesheet(light: &str, dark: &str) -> Result<String, String> {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let get = |name: &str| {
        themes.themes.get(name).ok_or_else(|| {
            let mut names: Vec<&str> = themes.themes.keys().map(String::as_str).collect();
            names.sort();
            format!("unknown highlight theme {name:?}; available: {}", names.join(", "))
        })
    };
    let light_css = css_for_theme_with_class_style(get(light)?, STYLE).map_err(|e| e.to_string())?;
    let dark_css = css_for_theme_with_class_style(get(dark)?, STYLE).map_err(|e| e.to_string())?;
    let scope = |css: &str| css.replace(".hl-code", "pre.code").replace("\n.hl-", "\npre.code .hl-");
    Ok(format!(
        "/* generated by reportgen from syntect themes {light} and {dark} */\n{}\n{}",
        scope(&light_css),
        dark_rules(&scope(&dark_css))
    ))
}

/// Dark rules apply under `[data-theme=dark]`, or under the system dark preference unless light is chosen.
fn dark_rules(css: &str) -> String {
    let mut out = String::new();
    let mut media = String::new();
    for block in css.split('}') {
        let Some((sel, body)) = block.split_once('{') else { continue };
        let sel = sel.trim();
        if sel.is_empty() || sel.starts_with("/*") && !sel.contains('\n') {
            continue;
        }
        let sel = sel.rsplit("*/").next().unwrap_or(sel).trim();
        let selectors: Vec<&str> = sel.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
        let forced: Vec<String> = selectors.iter().map(|s| format!("[data-theme=dark] {s}")).collect();
        let auto: Vec<String> = selectors.iter().map(|s| format!(":root:not([data-theme=light]) {s}")).collect();
        out.push_str(&format!("{} {{{}}}\n", forced.join(", "), body));
        media.push_str(&format!("{} {{{}}}\n", auto.join(", "), body));
    }
    format!("{out}@media (prefers-color-scheme: dark) {{\n{media}}}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use syntect::html::ClassedHTMLGenerator;

    #[test]
    fn highlights_with_classes_not_styles() {
        let mut out = String::new();
        highlight_into(&mut out, "fn main() { let x = 1; }\n", "rust");
        assert!(out.starts_with("<pre class=\"code\" data-lang=\"rust\"><code>"), "{out}");
        assert!(out.contains("class=\"hl-"), "{out}");
        assert!(!out.contains("style="), "{out}");
    }

    #[test]
    fn memo_gives_exactly_syntects_html() {
        let ss = syntaxes();
        let blocks = [
            ("rust", "/// 문서\nfn main() {\n    let s = \"a\nb\";\n    /* open\n}\n*/ }\n"),
            ("rust", "fn main() {\n    let s = \"a\nb\";\n}\n"),
            ("python", "def f(x):\n    \"\"\"doc\n    }\n    \"\"\"\n    return {x: 1}\n"),
            ("python", "x = '''\ndef f(x):\n'''\ndef f(x):\n    return 1\n"),
        ];
        // Twice over, so the second round is served from the memo.
        for _ in 0..2 {
            for (lang, code) in blocks {
                let syntax = ss.find_syntax_by_token(lang).unwrap();
                let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, ss, STYLE);
                for line in LinesWithEndings::from(code) {
                    generator.parse_html_for_line_which_includes_newline(line).unwrap();
                }
                assert_eq!(classed(code, syntax, ss).unwrap(), generator.finalize(), "{lang}: {code}");
            }
        }
    }

    #[test]
    fn unknown_language_is_escaped_plain() {
        let mut out = String::new();
        highlight_into(&mut out, "<b>x</b>", "no-such-lang");
        assert!(out.contains("&lt;b&gt;x&lt;/b&gt;"), "{out}");
    }

    #[test]
    fn stylesheet_has_light_and_dark() {
        let css = stylesheet("InspiredGitHub", "base16-ocean.dark").unwrap();
        assert!(css.contains("pre.code"));
        assert!(css.contains("[data-theme=dark]"));
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(stylesheet("nope", "base16-ocean.dark").unwrap_err().contains("available"));
    }
}
