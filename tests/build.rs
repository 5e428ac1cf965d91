//! The build end to end on fixture sites: every kind of page, links, atomic output,
//! determinism, sub-path base URLs, highlighting, located errors.

mod common;

use common::{Site, chapter, files, links};
use reportgen::BuildOptions;

fn fixture() -> Site {
    let s = Site::new();
    s.write("content/index.md", "---\ncontact: \"문의: 팀 (☎ 000)\"\ndisclaimer: \"필자의 의견임\"\n---\n\n소개 문단.\n");
    s.write(
        "content/chapters/01-one.md",
        &chapter(
            1,
            "one",
            "첫째 장",
            "## 가. 개요 {#overview}\n\n본문 ~~삭제~~ 문단[^a]과 [](table:t1) 참고. [둘째 장](chapter:two#details)도 본다.\n\n![](table:t1)\n\n| 항목 | 값 |\n|:--|--:|\n| 가 | 1 |\n\n[^a]: 주석 내용.\n",
        ),
    );
    s.write(
        "content/chapters/02-two.md",
        &chapter(
            2,
            "two",
            "둘째 장",
            "## 세부 {#details}\n\n바이두가 나온다. [](figure:f1)\n\n![](figure:f1)\n\n```rust\nfn main() { println!(\"안녕\"); }\n```\n",
        ),
    );
    s.write("content/tables/t1.yaml", "id: t1\ncaption: 첫 표\nheader:\n  - [구분, 값]\nrow_headers: 1\nrows:\n  - [가, \"10.191\"]\n  - [나, \"5.980\"]\nsource: \"[기관](source:src)\"\n");
    s.write("content/figures/f1.yaml", "id: f1\ncaption: 첫 그림\nunit: 10 억 달러\nsource: \"[기관](source:src)\"\n");
    s.write("content/companies/baidu.yaml", "id: baidu\nname: 바이두\noriginal: 百度\nenglish: Baidu\nsectors: [ai]\nsummary: 검색 기업\n");
    s.write("content/sectors.yaml", "- id: ai\n  name: 인공지능\n");
    s.write("content/sources.yaml", "- id: src\n  name: 기관\n");
    s
}

#[test]
fn builds_a_page_for_every_item_linked_from_home() {
    let s = fixture();
    let r = s.built();
    for page in [
        "index.html",
        "chapters/one/index.html",
        "chapters/two/index.html",
        "tables/t1/index.html",
        "figures/f1/index.html",
        "companies/baidu/index.html",
        "tables/index.html",
        "figures/index.html",
        "companies/index.html",
        "sources/index.html",
        "timeline/index.html",
        "glossary/index.html",
        "print/index.html",
        "404.html",
        "sitemap.xml",
        "feed.xml",
        "robots.txt",
    ] {
        assert!(s.out().join(page).is_file(), "missing {page}");
    }
    assert!(r.pages >= 14);
    let home = s.page("index.html");
    assert!(home.contains("<h1>테스트 보고서</h1>"));
    assert!(home.contains("IITP"), "publisher on the home page");
    assert!(home.contains("href=\"/chapters/one/\"") && home.contains("href=\"/chapters/two/\""), "contents link every chapter");
    assert!(home.contains("href=\"/chapters/one/#overview\""), "contents list section headings");
    assert!(home.contains("문의: 팀 (☎ 000)") && home.contains("필자의 의견임"));
    assert!(home.contains("<p>소개 문단.</p>"));
}

#[test]
fn the_main_navigation_marks_the_section_a_page_belongs_to() {
    let s = fixture();
    s.built();
    // The navigation list only: the part of the page between `<nav class="site-nav"` and `</nav>`.
    let nav = |page: &str| {
        let html = s.page(page);
        let start = html.find("<nav class=\"site-nav\"").unwrap_or_else(|| panic!("{page}: no site navigation"));
        let end = start + html[start..].find("</nav>").expect("navigation ends");
        html[start..end].to_string()
    };
    let marked = |page: &str| -> Vec<String> {
        nav(page)
            .split("<a href=\"")
            .skip(1)
            .filter(|a| a.contains("class=\"active\"") || a.contains("aria-current=\"page\""))
            .map(|a| a[..a.find('"').unwrap()].to_string())
            .collect()
    };
    assert_eq!(marked("index.html"), ["/"], "home is the contents");
    assert_eq!(marked("chapters/one/index.html"), ["/"], "a chapter belongs to the contents");
    assert_eq!(marked("tables/t1/index.html"), ["/tables/"]);
    assert_eq!(marked("tables/index.html"), ["/tables/"]);
    assert_eq!(marked("companies/baidu/index.html"), ["/companies/"]);
    assert_eq!(marked("glossary/index.html"), ["/glossary/"]);
    assert!(marked("404.html").is_empty(), "a missing page belongs to no section: {:?}", marked("404.html"));
}

#[test]
fn chapter_html_has_structure_and_resolved_references() {
    let s = fixture();
    s.built();
    let ch = s.page("chapters/one/index.html");
    assert!(ch.contains("<html lang=\"ko\">"));
    assert!(ch.contains("<h1><span class=\"num\">1.</span> 첫째 장</h1>"), "{ch}");
    assert!(ch.contains("<h2 id=\"overview\">가. 개요</h2>"));
    assert!(ch.contains("<del>삭제</del>"), "strikethrough");
    assert!(ch.contains("<a href=\"#fn-1\" id=\"fnref-1\" role=\"doc-noteref\">1)</a>"), "footnote reference");
    assert!(ch.contains("<li id=\"fn-1\"><span class=\"fn-num\">1)</span>"), "footnote list");
    assert!(ch.contains(">표 1</a>"), "empty table reference gets its label");
    assert!(ch.contains("href=\"/chapters/two/#details\""), "anchored chapter reference");
    assert!(
        ch.contains("<caption id=\"table-t1-cap\"><span class=\"caption-text\"><a class=\"label\" href=\"/tables/t1/\">[표 1]</a> 첫 표"),
        "placed table with caption"
    );
    assert!(ch.contains("<th scope=\"col\" class=\"num\">값</th>") || ch.contains("<th scope=\"col\">값</th>"));
    assert!(ch.contains("<td class=\"num\">1</td>"), "GFM right alignment becomes a class, not a style");
    let two = s.page("chapters/two/index.html");
    assert!(two.contains("<a class=\"mention\" href=\"/companies/baidu/\""), "company mention linked");
    assert!(two.contains("[그림 1]"));
}

#[test]
fn code_is_highlighted_with_classes_and_one_stylesheet() {
    let s = fixture();
    s.built();
    let two = s.page("chapters/two/index.html");
    assert!(two.contains("<pre class=\"code\" data-lang=\"rust\"><code>"), "{two}");
    assert!(two.contains("<span class=\"lf"), "classed spans");
    let css = std::fs::read_to_string(s.out().join("highlight.css")).unwrap();
    let code = &two[two.find("<pre class=\"code\"").unwrap()..two.find("</pre>").unwrap()];
    for class in code.split("<span class=\"").skip(1).flat_map(|s| s[..s.find('"').unwrap()].split(' ')) {
        let scope = if class.starts_with('l') { "" } else { "[data-theme=dark] " };
        assert!(css.contains(&format!("\n{scope}pre.code .{class}{{")), "class {class} has a rule");
    }
    assert!(two.contains("href=\"/highlight.css?v="), "stylesheet linked where code is");
    assert!(s.out().join("highlight.css").is_file());
    assert!(!s.page("chapters/one/index.html").contains("highlight.css"), "not linked where there is no code");
    for f in files(&s.out()).iter().filter(|f| f.ends_with(".html")) {
        let html = s.page(f);
        assert!(!html.contains(" style=\""), "inline style in {f}");
    }
}

#[test]
fn no_code_means_no_highlight_stylesheet() {
    let s = fixture();
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "## 세부 {#details}\n\n바이두. [](figure:f1)\n\n![](figure:f1)\n"));
    let r = s.built();
    assert!(!r.highlighted);
    assert!(!s.out().join("highlight.css").exists());
}

#[test]
fn an_empty_chapter_builds_with_a_warning_where_its_text_should_be() {
    let s = fixture();
    let r = s.built();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    s.write("content/chapters/03-three.md", "---\ntitle: \"셋째 장\"\norder: 3\nslug: three\n---\n\n  \n");
    let r = s.built();
    let warnings: Vec<String> = r.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "content/chapters/03-three.md:6:1: warning: chapter `three` has no text below its front matter\n  help: write the chapter's text after the closing `---` line, or remove the file"
        ]
    );
    // Footnotes alone are text.
    s.write("content/chapters/03-three.md", "---\ntitle: \"셋째 장[^n]\"\norder: 3\nslug: three\n---\n\n[^n]: 주석.\n");
    assert!(s.built().warnings.is_empty());
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    let s = fixture();
    s.built();
    let out = s.out();
    for f in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let html = s.page(f);
        for link in links(&html) {
            if !link.starts_with('/') {
                continue;
            }
            let (path, anchor) = link.split_once('#').map_or((link.as_str(), None), |(p, a)| (p, Some(a)));
            let path = path.split('?').next().unwrap();
            let mut target = out.join(path.trim_start_matches('/'));
            if path.ends_with('/') {
                target = target.join("index.html");
            }
            assert!(target.is_file(), "{f}: broken link {link}");
            if let Some(a) = anchor.filter(|a| !a.is_empty()) {
                let page = std::fs::read_to_string(&target).unwrap();
                assert!(page.contains(&format!("id=\"{a}\"")), "{f}: link {link} has no anchor target");
            }
        }
    }
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let s = fixture();
    s.built();
    let before: Vec<(String, Vec<u8>)> =
        files(&s.out()).into_iter().map(|f| (f.clone(), std::fs::read(s.out().join(&f)).unwrap())).collect();
    s.write("content/chapters/01-one.md", &chapter(1, "one", "첫째 장", "깨진 [참조](table:nope)\n"));
    let err = s.fails();
    assert!(err.contains("content/chapters/01-one.md:7:4: unknown table id `nope`"), "{err}");
    let after: Vec<(String, Vec<u8>)> =
        files(&s.out()).into_iter().map(|f| (f.clone(), std::fs::read(s.out().join(&f)).unwrap())).collect();
    assert_eq!(before, after, "the earlier site must be exactly as it was");
    let leftovers: Vec<_> = std::fs::read_dir(&s.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "staging directory removed: {leftovers:?}");
}

/// The output directory is prepared while the content loads; a content error still comes
/// first (it is the one an editor can fix), and an unusable output path is reported when the
/// content is fine.
#[test]
fn content_errors_come_before_output_errors() {
    let s = fixture();
    let out = s.root.join("taken");
    std::fs::write(&out, "a file, not a directory").unwrap();
    let opts = BuildOptions { root: s.root.clone(), out: Some(out.clone()), ..Default::default() };
    s.write("content/chapters/01-one.md", &chapter(1, "one", "첫째 장", "깨진 [참조](table:nope)\n"));
    let err = reportgen::build(&opts).unwrap_err().to_string();
    assert!(err.contains("unknown table id `nope`") && !err.contains("not a directory"), "{err}");
    s.write("content/chapters/01-one.md", &chapter(1, "one", "첫째 장", "고친 본문\n"));
    let err = reportgen::build(&opts).unwrap_err().to_string();
    assert!(err.contains("output path exists and is not a directory") && err.contains("help: build into a directory"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "a file, not a directory");
}

/// A misspelt field in a theme's template fails the build where it is written; through `safe`
/// it used to render as nothing (an empty chapter heading on every page).
#[test]
fn a_misspelt_template_field_is_an_error_even_through_safe() {
    let s = fixture();
    let path = "themes/default/templates/chapter.html";
    let template = std::fs::read_to_string(s.root.join(path)).unwrap();
    let (line, text) = template.lines().enumerate().find(|(_, l)| l.contains("{{ chapter.title_html | safe }}")).expect("the heading");
    let col = text.find("chapter.title_html").unwrap() + 1;
    s.write(path, &template.replace("{{ chapter.title_html | safe }}", "{{ chapter.titel_html | safe }}"));
    let err = s.fails();
    let at = format!("{path}:{}:{col}: template: `chapter.titel_html` is not defined (given to `safe`)", line + 1);
    assert!(err.contains(&at), "{err}\nexpected {at}");
    assert!(err.contains("help: a misspelt variable or field name"), "{err}");
    // A field that exists renders as before, and a value that is not text is written as text.
    s.write(
        path,
        &template.replace("{{ chapter.title_html | safe }}", "{{ chapter.title_html | safe }}{{ chapter.footnotes | length | safe }}"),
    );
    s.built();
    let page = s.page("chapters/one/index.html");
    assert!(page.contains("</span> 첫째 장1</h1>"), "{page}");
}

/// Errors Tera finds when the templates are loaded (an unknown filter, a missing include) name
/// the template, line and column, each on its own, without Tera's source snippet.
#[test]
fn template_errors_on_load_name_the_template_line_and_column() {
    let s = fixture();
    let path = "themes/default/templates/chapter.html";
    let template = std::fs::read_to_string(s.root.join(path)).unwrap();
    let place = |needle: &str| {
        let (line, text) = template.lines().enumerate().find(|(_, l)| l.contains(needle)).expect(needle);
        (line + 1, text.find(needle).unwrap() + 1)
    };
    let (fl, fc) = place("{{ chapter.body_html | safe }}");
    let (il, ic) = place("\"partials/backlinks.html\"");
    s.write(
        path,
        &template
            .replace("{{ chapter.body_html | safe }}", "{{ chapter.body_html | sfe }}")
            .replace("partials/backlinks.html", "partials/backlink.html"),
    );
    let err = s.fails();
    let expected = format!(
        "{path}:{fl}:{}: template: Unknown filter `sfe`\n{path}:{il}:{ic}: template: Unknown template `partials/backlink.html`",
        fc + "{{ chapter.body_html | ".len(),
    );
    assert_eq!(err.trim(), expected, "{err}");
}

/// One run shows every kind of error an editor can fix at once: a YAML file's, the Markdown
/// errors of the chapters that loaded, and the templates'. A reference to the file that failed
/// to load is not reported on top of that file's own error.
#[test]
fn yaml_markdown_and_template_errors_come_out_in_one_run() {
    let s = fixture();
    s.write("content/companies/broken.yaml", "id: broken\nname: 깨진 회사\nfounded: 1998\n");
    s.write("content/chapters/03-three.md", &chapter(3, "three", "셋째 장", "[깨진](company:broken)과 [없는](table:nope) 참고.\n"));
    let path = "themes/default/templates/chapter.html";
    let template = std::fs::read_to_string(s.root.join(path)).unwrap();
    s.write(path, &template.replacen("| safe", "| sfe", 1));
    let err = s.fails();
    let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines[0].starts_with("content/companies/broken.yaml:3:1: unknown field `founded`"), "{err}");
    assert!(lines[1].starts_with("content/chapters/03-three.md:7:") && lines[1].contains("unknown table id `nope`"), "{err}");
    assert!(lines[2].starts_with(path) && lines[2].ends_with("template: Unknown filter `sfe`"), "{err}");
}

/// `[strings]` may define only the strings reportgen or the theme uses, so every string a
/// default template uses (`t.key`) must be one of them.
#[test]
fn the_default_theme_declares_every_string_its_templates_use() {
    let dir = common::repo().join("themes/default");
    let toml: toml::Value = toml::from_str(&std::fs::read_to_string(dir.join("theme.toml")).unwrap()).unwrap();
    let declared: Vec<&str> = toml["strings"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    for rel in files(&dir.join("templates")) {
        let text = std::fs::read_to_string(dir.join("templates").join(&rel)).unwrap();
        for (i, _) in text.match_indices("t.").filter(|(i, _)| *i == 0 || !text.as_bytes()[i - 1].is_ascii_alphanumeric()) {
            let key: String = text[i + 2..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            let known = declared.contains(&key.as_str()) || reportgen::config::ENGINE_STRINGS.contains(&key.as_str());
            assert!(key.is_empty() || known, "{rel} uses `t.{key}`, which theme.toml does not declare");
        }
    }
    // And the other way round: a declared string is used by a template or by the engine (the
    // navigation's labels, say), so site.toml carries no text that never shows.
    let templates: String =
        files(&dir.join("templates")).iter().map(|rel| std::fs::read_to_string(dir.join("templates").join(rel)).unwrap()).collect();
    let src = common::repo().join("src");
    let engine: String = files(&src).iter().filter(|f| f.ends_with(".rs")).map(|f| std::fs::read_to_string(src.join(f)).unwrap()).collect();
    for key in declared {
        let used = templates.contains(&format!("t.{key}")) || engine.contains(&format!("\"{key}\""));
        assert!(used, "theme.toml declares `{key}`, which no template and no engine code uses");
    }
}

#[test]
fn same_input_gives_byte_identical_output() {
    let s = fixture();
    let a = s.root.join("out-a");
    let b = s.root.join("out-b");
    s.build_with("https://example.org/", &a).unwrap();
    s.build_with("https://example.org/", &b).unwrap();
    let fa = files(&a);
    assert_eq!(fa, files(&b));
    for f in &fa {
        assert_eq!(std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap(), "{f} differs between builds");
    }
}

#[test]
fn sub_path_base_url_keeps_every_link_inside_it() {
    let s = fixture();
    let out = s.root.join("sub");
    s.build_with("https://example.org/reports/china-4ir", &out).unwrap();
    for f in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(out.join(f)).unwrap();
        for link in links(&html) {
            if link.starts_with('/') {
                assert!(link.starts_with("/reports/china-4ir/"), "{f}: {link} escapes the base path");
            } else if link.starts_with("http") {
                assert!(link.starts_with("https://example.org/reports/china-4ir/"), "{f}: {link}");
            }
        }
        assert!(!html.contains("href=\"/\""), "{f}: root link");
    }
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/reports/china-4ir/chapters/one/</loc>"));
    let meta = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(meta.contains("data-search-meta=\"/reports/china-4ir/search/meta.json\""));
    assert!(meta.contains("type=\"application/rss+xml\" title=\"테스트 보고서\" href=\"/reports/china-4ir/feed.xml\""));
}

#[test]
fn feed_lists_every_chapter_in_order_with_absolute_escaped_urls() {
    let s = fixture();
    s.write("content/chapters/03-three.md", &chapter(3, "three", "셋째 <장> & 끝", "첫 문단이 설명이 된다.\n"));
    let out = s.root.join("sub");
    s.build_with("https://example.org/reports/china-4ir/", &out).unwrap();
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(feed.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\""));
    assert!(feed.contains("<atom:link href=\"https://example.org/reports/china-4ir/feed.xml\" rel=\"self\""));
    assert!(feed.contains("<link>https://example.org/reports/china-4ir/</link>"));
    let items: Vec<&str> = feed.split("<item>").skip(1).collect();
    assert_eq!(items.len(), 3, "one item per chapter:\n{feed}");
    for (item, slug) in items.iter().zip(["one", "two", "three"]) {
        let url = format!("https://example.org/reports/china-4ir/chapters/{slug}/");
        assert!(item.contains(&format!("<link>{url}</link>")), "{item}");
        assert!(item.contains(&format!("<guid isPermaLink=\"true\">{url}</guid>")), "{item}");
    }
    assert!(items[2].contains("셋째 &lt;장&gt; &amp; 끝"), "titles are escaped: {}", items[2]);
    assert!(items[2].contains("<description>첫 문단이 설명이 된다.</description>"), "{}", items[2]);
    assert!(!feed.contains("<pubDate>"), "the report has no dates; none are invented");
}

#[test]
fn yaml_errors_name_file_line_and_column() {
    let s = fixture();
    s.write("content/tables/t1.yaml", "id: t1\ncaption: 첫 표\nheader:\n  - [구분, 값]\nrows:\n  - [가, \"1\"]\ngoal: 3\n");
    let err = s.fails();
    assert!(err.contains("content/tables/t1.yaml:7:1: unknown field `goal`"), "{err}");
}

/// site.toml and the templates are read as the content is: a bad byte is an error at its line
/// and column with the fix (site.toml's used to be "stream did not contain valid UTF-8" with
/// advice to change directory), and decomposed Hangul in the title reads as syllables.
#[test]
fn settings_and_templates_are_read_like_content() {
    let s = fixture();
    let toml = std::fs::read_to_string(s.root.join("site.toml")).unwrap();
    let title_line = toml.lines().position(|l| l.starts_with("title = ")).unwrap() + 1;
    let mut bad = toml.into_bytes();
    let at = bad.windows(9).position(|w| w == b"title = \"").unwrap() + 9;
    bad.insert(at + 3, 0xFF);
    std::fs::write(s.root.join("site.toml"), &bad).unwrap();
    let err = s.fails();
    assert!(err.contains(&format!("site.toml:{title_line}:11: invalid UTF-8 (byte 0xFF)")), "{err}");
    assert!(err.contains("save the file as UTF-8") && !err.contains("--root"), "{err}");

    bad.remove(at + 3);
    let nfd = "\u{1110}\u{1166}\u{1109}\u{1173}\u{1110}\u{1173}"; // 테스트 as jamo
    let text = String::from_utf8(bad).unwrap().replacen("테스트", nfd, 1);
    assert!(text.contains(nfd));
    std::fs::write(s.root.join("site.toml"), text).unwrap();
    s.built();
    assert!(s.page("index.html").contains("<title>테스트 보고서</title>"), "{}", s.page("index.html"));

    // A template likewise (it was "stream did not contain valid UTF-8" with no place).
    let path = "themes/default/templates/chapter.html";
    let mut template = std::fs::read(s.root.join(path)).unwrap();
    template.splice(0..0, b"<!-- \xFF -->\n".iter().copied());
    std::fs::write(s.root.join(path), template).unwrap();
    let err = s.fails();
    assert!(err.contains(&format!("{path}:1:6: invalid UTF-8 (byte 0xFF)")), "{err}");
}

#[test]
fn duplicate_ids_are_errors() {
    let s = fixture();
    s.write("content/tables/t1-copy.yaml", "id: t1\ncaption: 또\nrows:\n  - [가]\n");
    let err = s.fails();
    assert!(err.contains("duplicate table id \"t1\""), "{err}");
    assert!(err.contains("content/tables/t1.yaml:1:1") || err.contains("content/tables/t1-copy.yaml:1:1"), "{err}");
}

/// A report of `n` chapters (slugs `c1`, `c2`, …) with `body` each, built; `path`'s page of it.
fn page_of_report(n: u32, body: &str, path: &str) -> String {
    let s = Site::new();
    for i in 1..=n {
        s.write(&format!("content/chapters/{i:04}.md"), &chapter(i, &format!("c{i}"), &format!("장 {i}"), body));
    }
    s.built();
    s.page(path)
}

/// Links to chapter pages (and their headings) on a page.
fn chapter_links(page: &str) -> usize {
    links(page).iter().filter(|l| l.starts_with("/chapters/")).count()
}

/// Nothing on a chapter page grows with the number of chapters: above a dozen, the sidebar
/// lists a window around the current chapter and links to the full contents (a full list on
/// every page would make the site's size, and its build time, quadratic).
#[test]
fn a_chapter_page_does_not_grow_with_the_report() {
    let chapter_page = |n: u32| page_of_report(n, "본문 문단.\n", "chapters/c20/index.html");
    let (small, big) = (chapter_page(40), chapter_page(400));
    assert!(chapter_links(&small) <= 20, "{} chapter links with 40 chapters", chapter_links(&small));
    assert_eq!(chapter_links(&big), chapter_links(&small), "the sidebar is a window: as many links with 400 chapters as with 40");
    assert!(big.len() <= small.len() + 200, "page of 40: {} bytes, page of 400: {} bytes", small.len(), big.len());
    assert!(big.contains("class=\"all-contents\""), "a windowed sidebar links to the full contents");
}

/// The not-found page lists the whole contents of a short report (headings included) but only
/// the first chapters of a long one, with a link to the full contents on the home page.
#[test]
fn the_not_found_page_does_not_grow_with_the_report() {
    let not_found = |n: u32| page_of_report(n, "## 절\n\n본문 문단.\n", "404.html");
    let short = not_found(20);
    assert!(chapter_links(&short) >= 40, "20 chapters and their headings: {} links", chapter_links(&short));
    assert!(!short.contains("class=\"all-contents\""));
    let (long, longer) = (not_found(150), not_found(400));
    assert!(chapter_links(&long) <= 20, "{} chapter links with 150 chapters", chapter_links(&long));
    assert_eq!(chapter_links(&long), chapter_links(&longer), "as many links with 400 chapters as with 150");
    assert!(long.contains("class=\"all-contents\""), "a shortened list links to the full contents");
}

#[test]
fn a_build_never_replaces_the_sites_own_files_or_a_folder_that_is_not_a_site() {
    let s = fixture();
    let root = s.out().parent().unwrap().to_path_buf();
    let chapter_before = std::fs::read_to_string(root.join("content/chapters/01-one.md")).unwrap();
    for out in [root.clone(), root.join("content"), root.join("content/chapters"), root.join("themes"), root.join("public/../content")] {
        let err = s.build_with("https://example.org/", &out).expect_err(&format!("building into {} must fail", out.display())).to_string();
        assert!(err.contains("the output directory"), "{}: {err}", out.display());
        assert!(root.join("site.toml").is_file() && root.join("content/chapters/02-two.md").is_file(), "{}: sources lost", out.display());
    }
    assert_eq!(std::fs::read_to_string(root.join("content/chapters/01-one.md")).unwrap(), chapter_before);
    // A folder above the site holds it too.
    let err = s.build_with("https://example.org/", root.parent().unwrap()).unwrap_err().to_string();
    assert!(err.contains("holds the site's own files"), "{err}");

    // A folder with other files in it, or a checkout (`.git`), is left alone.
    let other = root.join("notes");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("todo.txt"), "메모").unwrap();
    let err = s.build_with("https://example.org/", &other).unwrap_err().to_string();
    assert!(err.contains("holds no built site"), "{err}");
    assert_eq!(std::fs::read_to_string(other.join("todo.txt")).unwrap(), "메모");
    let checkout = root.join("deploy");
    std::fs::create_dir_all(checkout.join(".git")).unwrap();
    let err = s.build_with("https://example.org/", &checkout).unwrap_err().to_string();
    assert!(err.contains("`.git`"), "{err}");
    assert!(checkout.join(".git").is_dir());

    // A new folder, an empty one and an earlier build are fine.
    let fresh = root.join("site-out");
    s.build_with("https://example.org/", &fresh).expect("a new folder");
    s.build_with("https://example.org/", &fresh).expect("over an earlier build");
    let empty = root.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    s.build_with("https://example.org/", &empty).expect("an empty folder");
    assert!(empty.join("index.html").is_file());
}

/// When site.toml's `output_dir` chooses a place a build must not replace, the error is at
/// that line of site.toml; given with `--out`, the error names the directory alone.
#[test]
fn an_output_dir_from_site_toml_that_may_not_be_replaced_is_an_error_at_its_line() {
    let s = fixture();
    let toml = std::fs::read_to_string(s.root.join("site.toml")).unwrap();
    let line = toml.lines().position(|l| l.starts_with("output_dir")).expect("the fixture sets output_dir") + 1;
    s.write("site.toml", &toml.replace("output_dir = \"public\"", "output_dir = \"content/public\""));
    let err = s.build().expect_err("content/public is inside content/").diagnostics;
    assert_eq!(err.len(), 1);
    assert_eq!((err[0].file.as_deref(), err[0].line, err[0].col), (Some("site.toml"), line, 1), "{}", err[0]);
    assert!(err[0].message.contains("is inside the site's `content`"), "{}", err[0]);
    let given = s.build_with("https://example.org/", &s.root.join("content")).unwrap_err().diagnostics;
    assert_eq!((given[0].file.as_deref(), given[0].line), (None, 0), "{}", given[0]);
    assert!(!s.root.join("content/public").exists());
}

#[test]
fn one_line_fields_that_start_like_a_list_show_as_written() {
    let s = fixture();
    s.write(
        "content/tables/t1.yaml",
        "id: t1\ncaption: \"2025. 목표\"\nheader:\n  - [구분, 값]\nrows:\n  - [가, \"10.191\"]\nnotes:\n  - \"1) 중국 제조업\"\n  - \"- 줄표로 시작\"\n  - \"3.5%는 비중\"\nsource: \"[기관](source:src)\"\n",
    );
    s.built();
    let page = s.page("tables/t1/index.html");
    for shown in ["2025. 목표", "1) 중국 제조업", "- 줄표로 시작", "3.5%는 비중"] {
        assert!(page.contains(shown), "{shown:?} not on the page as written");
    }
    assert!(!page.contains('\\'), "a backslash shows on the page");
    for download in ["tables/t1/t1.json", "tables/t1/t1.csv"] {
        let text = std::fs::read_to_string(s.out().join(download)).unwrap();
        assert!(!text.contains('\\'), "{download}: a backslash: {text}");
    }
    let json = std::fs::read_to_string(s.out().join("tables/t1/t1.json")).unwrap();
    assert!(json.contains("2025. 목표") && json.contains("1) 중국 제조업"), "{json}");
}

#[test]
fn list_pages_describe_what_they_list() {
    let s = fixture();
    s.built();
    let description = |page: &str| {
        let html = s.page(page);
        let at = html.find("<meta name=\"description\" content=\"").unwrap_or_else(|| panic!("{page}: no description"));
        let rest = &html[at + "<meta name=\"description\" content=\"".len()..];
        rest[..rest.find('"').unwrap()].to_string()
    };
    assert!(description("companies/index.html").ends_with(": 바이두"), "{}", description("companies/index.html"));
    assert!(description("tables/index.html").ends_with(": 표 1 첫 표"), "{}", description("tables/index.html"));
    assert!(description("figures/index.html").ends_with(": 그림 1 첫 그림"), "{}", description("figures/index.html"));
    assert!(description("sources/index.html").ends_with(": 기관"), "{}", description("sources/index.html"));
}
