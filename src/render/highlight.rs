//! Code highlighting with syntect as short CSS classes of resolved theme styles; the syntax
//! set and themes load only when a site has code.
//!
//! syntect's parser is a pure function of (parser state, line): the same line met again in
//! the same state gives the same scope operations. Each thread remembers those results across
//! code blocks (bounded), so repeated lines — closing braces, imports, boilerplate shared by
//! many blocks — are parsed once per thread. The HTML is the same as without the memo (tested).
//! (Parser states hold regex captures that cannot cross threads, hence one memo per thread.)

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme};
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::markdown::escape::{push_escaped, push_escaped_text};

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
    static MEMO: RefCell<(FxHashMap<u64, Vec<Parsed>>, usize)> = RefCell::new((FxHashMap::default(), 0));
}

/// Whether lines are remembered (`REPORTGEN_HIGHLIGHT_MEMO=0` turns it off, for measuring).
fn memo_enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var("REPORTGEN_HIGHLIGHT_MEMO").map_or(true, |v| v != "0"))
}

fn line_hash(syntax: &SyntaxReference, line: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    std::ptr::hash(syntax, &mut h);
    line.hash(&mut h);
    h.finish()
}

/// Parses `line` in `state` (advancing it), through the memo.
fn parse_line(
    state: &mut ParseState,
    syntax: &SyntaxReference,
    line: &str,
    ss: &SyntaxSet,
    memo: bool,
) -> Result<Ops, syntect::parsing::ParsingError> {
    if !memo {
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

/// Two syntect themes (light and dark) and the short classes their styles are written as.
///
/// A token's class names the *resolved* style of its scope stack in each theme: `lf3` is the
/// light theme's fourth foreground colour, `df0` the dark theme's first, `lb`/`db` backgrounds,
/// `ls`/`ds` font styles (bold 1, underline 2, italic 4). Default styles get no class, and
/// neighbouring tokens of the same style share one span, so a highlighted line is a few short
/// spans instead of one nested span per scope atom. The stylesheet follows from the two themes
/// alone, before any page is rendered.
pub struct Palette {
    light: Theme,
    dark: Theme,
    light_colors: ColorTable,
    dark_colors: ColorTable,
    /// Distinguishes palettes in the per-thread style cache (serve rebuilds with new settings).
    id: u64,
}

/// The foreground and background colours a theme's rules can give, in rule order.
#[derive(Default)]
struct ColorTable {
    fg: Vec<Color>,
    bg: Vec<Color>,
}

impl ColorTable {
    fn of(theme: &Theme) -> Self {
        let mut t = ColorTable::default();
        for item in &theme.scopes {
            for (list, c) in [(&mut t.fg, item.style.foreground), (&mut t.bg, item.style.background)] {
                if let Some(c) = c
                    && !list.contains(&c)
                {
                    list.push(c);
                }
            }
        }
        t
    }
}

fn css_color(c: Color) -> String {
    if c.a == 0xFF { format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b) } else { format!("#{:02x}{:02x}{:02x}{:02x}", c.r, c.g, c.b, c.a) }
}

fn font_css(bits: u8) -> String {
    let mut css = String::new();
    if bits & FontStyle::BOLD.bits() != 0 {
        css.push_str("font-weight:bold;");
    }
    if bits & FontStyle::UNDERLINE.bits() != 0 {
        css.push_str("text-decoration:underline;");
    }
    if bits & FontStyle::ITALIC.bits() != 0 {
        css.push_str("font-style:italic;");
    }
    css
}

/// What unstyled text looks like in `theme` (as syntect's `Highlighter::get_default`).
fn default_style(theme: &Theme) -> Style {
    Style {
        foreground: theme.settings.foreground.unwrap_or(Color::BLACK),
        background: theme.settings.background.unwrap_or(Color::WHITE),
        font_style: FontStyle::empty(),
    }
}

static PALETTES: AtomicU64 = AtomicU64::new(0);

impl Palette {
    /// The palette of two of syntect's bundled themes, by name.
    pub fn new(light: &str, dark: &str) -> Result<Palette, String> {
        let mut themes = syntect::highlighting::ThemeSet::load_defaults().themes;
        let names: Vec<String> = themes.keys().cloned().collect();
        let mut take =
            |name: &str| themes.remove(name).ok_or_else(|| format!("unknown highlight theme {name:?}; available: {}", names.join(", ")));
        let light_theme = take(light)?;
        let dark = if dark == light { light_theme.clone() } else { take(dark)? };
        let light = light_theme;
        Ok(Palette {
            light_colors: ColorTable::of(&light),
            dark_colors: ColorTable::of(&dark),
            light,
            dark,
            id: PALETTES.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// The class of a token whose light and dark styles are `l` and `d` ("" for default text).
    fn class(&self, l: Style, d: Style) -> String {
        let mut class = String::new();
        for (prefix, style, theme, table) in [("l", l, &self.light, &self.light_colors), ("d", d, &self.dark, &self.dark_colors)] {
            let default = default_style(theme);
            let mut part = |kind: char, n: usize| {
                if !class.is_empty() {
                    class.push(' ');
                }
                class.push_str(prefix);
                class.push(kind);
                class.push_str(&n.to_string());
            };
            if style.foreground != default.foreground
                && let Some(n) = table.fg.iter().position(|c| *c == style.foreground)
            {
                part('f', n);
            }
            if style.background != default.background
                && let Some(n) = table.bg.iter().position(|c| *c == style.background)
            {
                part('b', n);
            }
            if !style.font_style.is_empty() {
                part('s', usize::from(style.font_style.bits()));
            }
        }
        class
    }

    /// The stylesheet: light rules, then dark ones under `[data-theme=dark]` or the system
    /// preference (where the light classes are first reset, so a token light-only styled is
    /// plain in dark mode).
    pub fn stylesheet(&self) -> String {
        let name = |t: &Theme| t.name.clone().unwrap_or_default();
        let mut css = format!("/* generated by reportgen from syntect themes {} and {} */\n", name(&self.light), name(&self.dark));
        let rules = |prefix: &str, theme: &Theme, table: &ColorTable, scope: &str| {
            let d = default_style(theme);
            let mut r = format!("{scope}pre.code{{color:{};background-color:{}}}\n", css_color(d.foreground), css_color(d.background));
            for (n, c) in table.fg.iter().enumerate() {
                r.push_str(&format!("{scope}pre.code .{prefix}f{n}{{color:{}}}\n", css_color(*c)));
            }
            for (n, c) in table.bg.iter().enumerate() {
                r.push_str(&format!("{scope}pre.code .{prefix}b{n}{{background-color:{}}}\n", css_color(*c)));
            }
            for bits in 1..8u8 {
                r.push_str(&format!("{scope}pre.code .{prefix}s{bits}{{{}}}\n", font_css(bits)));
            }
            r
        };
        css.push_str(&rules("l", &self.light, &self.light_colors, ""));
        let reset = "pre.code span{color:inherit;background-color:transparent;font-weight:normal;font-style:normal;text-decoration:none}\n";
        let forced = "[data-theme=dark] ";
        css.push_str(&format!("{forced}{reset}"));
        css.push_str(&rules("d", &self.dark, &self.dark_colors, forced));
        let auto = ":root:not([data-theme=light]) ";
        css.push_str(&format!(
            "@media (prefers-color-scheme: dark) {{\n{auto}{reset}{}}}\n",
            rules("d", &self.dark, &self.dark_colors, auto)
        ));
        css
    }
}

/// Per-thread resolved classes by scope stack, for one palette at a time.
struct StyleCache {
    palette: u64,
    classes: FxHashMap<Box<[Scope]>, Rc<str>>,
}

thread_local! {
    static STYLES: RefCell<StyleCache> = RefCell::new(StyleCache { palette: u64::MAX, classes: FxHashMap::default() });
}

/// The class of text under `stack`, resolved once per thread and stack.
fn class_for(stack: &[Scope], palette: &Palette) -> Rc<str> {
    STYLES.with_borrow_mut(|cache| {
        if cache.palette != palette.id {
            cache.palette = palette.id;
            cache.classes.clear();
        }
        if let Some(c) = cache.classes.get(stack) {
            return c.clone();
        }
        let l = Highlighter::new(&palette.light).style_for_stack(stack);
        let d = Highlighter::new(&palette.dark).style_for_stack(stack);
        let class: Rc<str> = palette.class(l, d).into();
        cache.classes.insert(stack.into(), class.clone());
        class
    })
}

/// Writes text runs, opening a span only when the class changes.
struct Spans<'o> {
    out: &'o mut String,
    open: Option<Rc<str>>,
}

impl Spans<'_> {
    fn push(&mut self, text: &str, class: &Rc<str>) {
        if text.is_empty() {
            return;
        }
        let same = match &self.open {
            Some(c) => **c == **class,
            None => class.is_empty(),
        };
        if !same {
            if self.open.take().is_some() {
                self.out.push_str("</span>");
            }
            if !class.is_empty() {
                self.out.push_str("<span class=\"");
                self.out.push_str(class);
                self.out.push_str("\">");
                self.open = Some(class.clone());
            }
        }
        push_escaped_text(self.out, text);
    }

    fn finish(self) {
        if self.open.is_some() {
            self.out.push_str("</span>");
        }
    }
}

/// Appends `code` highlighted to `html`; `None` where syntect fails, with what was written
/// before the failure left in `html` (`highlighted_or_plain` takes it back).
fn classed(html: &mut String, code: &str, syntax: &SyntaxReference, ss: &SyntaxSet, palette: &Palette, memo: bool) -> Option<()> {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    html.reserve(code.len() * 2);
    let mut spans = Spans { out: html, open: None };
    for line in LinesWithEndings::from(code) {
        let ops = parse_line(&mut state, syntax, line, ss, memo).ok()?;
        let mut at = 0;
        for (i, op) in ops.iter() {
            let i = (*i).min(line.len());
            if i > at {
                spans.push(&line[at..i], &class_for(stack.as_slice(), palette));
                at = i;
            }
            stack.apply(op).ok()?;
        }
        spans.push(&line[at..], &class_for(stack.as_slice(), palette));
    }
    spans.finish();
    Some(())
}

/// Appends what `highlight` writes to `out`, or, where it gives up (`None`), takes back what it
/// wrote and appends `code` as plain escaped text.
fn highlighted_or_plain(out: &mut String, code: &str, highlight: impl FnOnce(&mut String) -> Option<()>) {
    let start = out.len();
    if highlight(out).is_none() {
        out.truncate(start);
        push_escaped_text(out, code);
    }
}

/// Appends the highlighted `<pre>` block for `code` in language `lang` to `out` (plain when
/// there is no palette, the language is unknown or syntect fails on the code).
pub fn highlight_into(out: &mut String, code: &str, lang: &str, palette: Option<&Palette>) {
    let started = crate::timings::thread_cpu();
    let lang_attr = lang.trim();
    out.push_str("<pre class=\"code\"");
    if !lang_attr.is_empty() {
        out.push_str(" data-lang=\"");
        push_escaped(out, lang_attr);
        out.push('"');
    }
    out.push_str("><code>");
    highlighted_or_plain(out, code, |out| match palette {
        Some(palette) if !lang_attr.is_empty() => {
            let ss = syntaxes();
            ss.find_syntax_by_token(lang_attr).and_then(|syntax| classed(out, code, syntax, ss, palette, memo_enabled()))
        }
        _ => None,
    });
    out.push_str("</code></pre>\n");
    NANOS.fetch_add(crate::timings::thread_cpu().saturating_sub(started).as_nanos() as u64, Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;
    use syntect::easy::HighlightLines;

    fn classed_string(code: &str, syntax: &SyntaxReference, ss: &SyntaxSet, p: &Palette, memo: bool) -> Option<String> {
        let mut html = String::new();
        classed(&mut html, code, syntax, ss, p, memo).map(|()| html)
    }

    #[test]
    fn a_highlighter_that_gives_up_leaves_only_the_plain_text() {
        let mut out = String::from("<pre><code>");
        highlighted_or_plain(&mut out, "a < b", |o| {
            o.push_str("<span class=\"x\">half");
            None
        });
        assert_eq!(out, "<pre><code>a &lt; b");
        let mut out = String::from("<pre><code>");
        highlighted_or_plain(&mut out, "a < b", |o| {
            o.push_str("<span>a</span>");
            Some(())
        });
        assert_eq!(out, "<pre><code><span>a</span>");
    }

    fn palette() -> Palette {
        Palette::new("InspiredGitHub", "base16-ocean.dark").unwrap()
    }

    const BLOCKS: [(&str, &str); 5] = [
        ("rust", "/// 문서\nfn main() {\n    let s = \"a\nb\";\n    /* open\n}\n*/ }\n"),
        ("rust", "fn main() {\n    let s = \"a\nb\";\n    if a < b && c > d { x::<T>() }\n}\n"),
        ("python", "def f(x):\n    \"\"\"doc\n    }\n    \"\"\"\n    return {x: 1}\n"),
        ("python", "x = '''\ndef f(x):\n'''\ndef f(x):\n    return 1\n"),
        ("python", "for k, v in sorted(d.items()):\n    print(f\"{k}: {v:,.1f}억원\")  # 주석\n"),
    ];

    /// Reads our HTML back into (character, class) pairs.
    fn chars_with_class(html: &str) -> Vec<(char, String)> {
        let mut out = Vec::new();
        let mut class = String::new();
        let mut rest = html;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix("<span class=\"") {
                let end = r.find("\">").unwrap();
                assert!(class.is_empty(), "spans do not nest");
                class = r[..end].to_string();
                rest = &r[end + 2..];
            } else if let Some(r) = rest.strip_prefix("</span>") {
                class.clear();
                rest = r;
            } else {
                let first = rest.chars().next().unwrap();
                let (c, len) = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>')]
                    .iter()
                    .find(|(e, _)| rest.starts_with(e))
                    .map_or((first, first.len_utf8()), |(e, c)| (*c, e.len()));
                assert!(first != '<', "unexpected tag at {rest}");
                out.push((c, class.clone()));
                rest = &rest[len..];
            }
        }
        out
    }

    /// The style a class gives in one theme, as the stylesheet defines it.
    fn style_of(class: &str, prefix: char, theme: &Theme, table: &ColorTable) -> Style {
        let mut s = default_style(theme);
        for part in class.split(' ').filter(|p| p.starts_with(prefix)) {
            let n: usize = part[2..].parse().unwrap();
            match part.as_bytes()[1] {
                b'f' => s.foreground = table.fg[n],
                b'b' => s.background = table.bg[n],
                b's' => s.font_style = FontStyle::from_bits(n as u8).unwrap(),
                _ => panic!("{part}"),
            }
        }
        s
    }

    #[test]
    fn every_character_gets_the_style_syntect_gives_it_in_both_themes() {
        let p = palette();
        let ss = syntaxes();
        for (lang, code) in BLOCKS {
            let syntax = ss.find_syntax_by_token(lang).unwrap();
            let ours = chars_with_class(&classed_string(code, syntax, ss, &p, false).unwrap());
            for (theme, table, prefix) in [(&p.light, &p.light_colors, 'l'), (&p.dark, &p.dark_colors, 'd')] {
                let mut h = HighlightLines::new(syntax, theme);
                let mut expected = Vec::new();
                for line in LinesWithEndings::from(code) {
                    for (style, text) in h.highlight_line(line, ss).unwrap() {
                        expected.extend(text.chars().map(|c| (c, style)));
                    }
                }
                assert_eq!(ours.len(), expected.len(), "{lang}: {code}");
                for ((c, class), (ec, style)) in ours.iter().zip(&expected) {
                    assert_eq!(c, ec);
                    assert_eq!(style_of(class, prefix, theme, table), *style, "{lang} {prefix}: {c:?} in {code}");
                }
            }
        }
    }

    #[test]
    fn memo_gives_the_same_html() {
        let p = palette();
        let ss = syntaxes();
        // Twice over, so the second round is served from the memo.
        for _ in 0..2 {
            for (lang, code) in BLOCKS {
                let syntax = ss.find_syntax_by_token(lang).unwrap();
                assert_eq!(classed_string(code, syntax, ss, &p, true), classed_string(code, syntax, ss, &p, false), "{lang}: {code}");
            }
        }
    }

    #[test]
    fn neighbouring_runs_of_one_style_share_a_span() {
        let p = palette();
        let mut out = String::new();
        highlight_into(&mut out, "fn main() { let x = 1; }\n", "rust", Some(&p));
        assert!(out.starts_with("<pre class=\"code\" data-lang=\"rust\"><code>"), "{out}");
        assert!(out.contains("<span class=\"l"), "{out}");
        assert!(!out.contains("style=") && !out.contains("class=\"\""), "{out}");
        let chars = chars_with_class(&out["<pre class=\"code\" data-lang=\"rust\"><code>".len()..out.len() - "</code></pre>\n".len()]);
        let spans = out.matches("<span").count();
        let runs = chars.windows(2).filter(|w| w[0].1 != w[1].1 && !w[1].1.is_empty()).count() + usize::from(!chars[0].1.is_empty());
        assert_eq!(spans, runs, "one span per run of one class: {out}");
    }

    #[test]
    fn unknown_language_or_no_palette_is_escaped_plain() {
        let p = palette();
        let mut out = String::new();
        highlight_into(&mut out, "<b>x</b>", "no-such-lang", Some(&p));
        assert!(out.contains("&lt;b&gt;x&lt;/b&gt;"), "{out}");
        let mut out = String::new();
        highlight_into(&mut out, "a < b", "rust", None);
        assert!(out.contains("a &lt; b") && !out.contains("<span"), "{out}");
    }

    #[test]
    fn stylesheet_defines_every_class_for_light_and_dark() {
        let p = palette();
        let css = p.stylesheet();
        assert!(css.contains("\npre.code{color:"));
        assert!(css.contains("\n[data-theme=dark] pre.code span{color:inherit"));
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        let ss = syntaxes();
        for (lang, code) in BLOCKS {
            let html = classed_string(code, ss.find_syntax_by_token(lang).unwrap(), ss, &p, false).unwrap();
            for (_, class) in chars_with_class(&html) {
                for part in class.split(' ').filter(|c| !c.is_empty()) {
                    let scope = if part.starts_with('l') { "" } else { "[data-theme=dark] " };
                    assert!(css.contains(&format!("\n{scope}pre.code .{part}{{")), "{part} undefined");
                }
            }
        }
        assert!(Palette::new("nope", "base16-ocean.dark").err().unwrap().contains("available: "));
    }
}
