//! `reportgen check` on fixture sites: a clean site has no findings; each kind of problem the
//! check claims to catch is caught, with the kind, severity and location an editor needs.

mod common;

use common::{Site, chapter};
use reportgen::check::{self, CheckOptions, Finding, Kind};

/// A small site that uses everything it declares: no findings.
fn clean() -> Site {
    let s = Site::new();
    s.write("content/index.md", "---\n---\n\n소개 문단.\n");
    s.write(
        "content/chapters/01-one.md",
        &chapter(
            1,
            "one",
            "첫째 장",
            "## 개요\n\n바이두가 발표했다. 중관촌은 베이징의 기술 단지이다. [기관](source:src) 자료.\n\n![](table:t1)\n\n![](figure:f1)\n",
        ),
    );
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "## 세부\n\n둘째 장 본문. [](table:t1) 참고.\n"));
    s.write("content/tables/t1.yaml", "id: t1\ncaption: 첫 표\nheader:\n  - [구분, 값]\nrows:\n  - [가, \"1\"]\n");
    s.write("content/figures/f1.yaml", "id: f1\ncaption: 첫 그림\nimage: f1.png\nalt: 막대 그래프\n");
    s.write("content/assets/f1.png", "not really a png");
    s.write("content/companies/baidu.yaml", "id: baidu\nname: 바이두\nenglish: Baidu\nsectors: [ai]\n");
    s.write("content/sectors.yaml", "- id: ai\n  name: 인공지능\n");
    s.write("content/sources.yaml", "- id: src\n  name: 기관\n");
    s.write("content/glossary.yaml", "- id: zgc\n  term: 중관촌\n  definition: 베이징의 기술 단지\n  chapter: one\n");
    s
}

/// Lets raw HTML through: build checks every Markdown link, so links that only `check` can
/// judge (where the rendered site leads) are written as HTML.
fn allow_raw_html(s: &Site) {
    let toml = std::fs::read_to_string(s.root.join("site.toml")).unwrap().replace("raw_html = \"escape\"", "raw_html = \"allow\"");
    s.write("site.toml", &toml);
}

fn run(s: &Site, base_url: Option<&str>) -> Vec<Finding> {
    check::run(&CheckOptions { root: s.root.clone(), base_url: base_url.map(String::from) }).expect("check runs").findings
}

fn show(fs: &[Finding]) -> String {
    fs.iter().map(|f| format!("[{:?}] {}", f.kind, f.diagnostic)).collect::<Vec<_>>().join("\n")
}

/// The findings, asserting that their kinds are exactly `kinds` (in any order, with repeats).
fn expect(s: &Site, base_url: Option<&str>, kinds: &[Kind]) -> Vec<Finding> {
    let fs = run(s, base_url);
    let mut got: Vec<Kind> = fs.iter().map(|f| f.kind).collect();
    got.sort();
    let mut want = kinds.to_vec();
    want.sort();
    assert_eq!(got, want, "findings:\n{}", show(&fs));
    fs
}

fn one(fs: &[Finding], kind: Kind) -> &Finding {
    let v: Vec<&Finding> = fs.iter().filter(|f| f.kind == kind).collect();
    assert_eq!(v.len(), 1, "{}", show(fs));
    v[0]
}

fn at(f: &Finding) -> (String, usize) {
    (f.diagnostic.file.clone().unwrap_or_default(), f.diagnostic.line)
}

#[test]
fn clean_site_has_no_findings() {
    let s = clean();
    expect(&s, None, &[]);
    expect(&s, Some("https://example.org/reports/china-4ir/"), &[]);
}

/// The repository's site.toml (as a new site's) sets the documentation example address: left
/// there, canonical links, the sitemap and the feed would point to it.
#[test]
fn a_placeholder_base_url_is_a_warning_at_its_line() {
    let s = clean();
    let toml = std::fs::read_to_string(s.root.join("site.toml")).unwrap();
    let line = toml.lines().position(|l| l.starts_with("base_url = ")).unwrap() + 1;
    s.write("site.toml", &toml.replace("base_url = \"https://reports.test/\"", "base_url = \"https://example.org/reports/\""));
    let fs = expect(&s, None, &[Kind::PlaceholderUrl]);
    let f = one(&fs, Kind::PlaceholderUrl);
    assert_eq!(at(f), ("site.toml".to_string(), line));
    assert!(!f.is_error());
    assert!(f.diagnostic.message.contains("\"https://example.org/reports/\""), "{}", f.diagnostic);
    // Given on the command line, the address is the one meant.
    expect(&s, Some("https://example.org/reports/"), &[]);
    // Any other address is fine.
    s.write("site.toml", &toml.replace("base_url = \"https://reports.test/\"", "base_url = \"https://www.iitp.kr/reports/\""));
    expect(&s, None, &[]);
}

#[test]
fn the_report_has_no_errors() {
    let s = Site::report();
    let fs = run(&s, Some("https://example.org/reports/china-4ir/"));
    let errors: Vec<Finding> = fs.iter().filter(|f| f.is_error()).cloned().collect();
    assert!(errors.is_empty(), "{}", show(&errors));
}

#[test]
fn content_errors_are_findings_of_build() {
    let s = clean();
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "깨진 [참조](table:nope)\n"));
    let fs = expect(&s, None, &[Kind::Content]);
    assert!(fs[0].is_error());
    assert_eq!(at(&fs[0]), ("content/chapters/02-two.md".into(), 7));
}

/// A template error is a finding at the template's line and column (so `--format json` and
/// `github` name the file, not the templates directory).
#[test]
fn template_errors_are_findings_at_the_template() {
    let s = clean();
    let path = "themes/default/templates/chapter.html";
    let template = std::fs::read_to_string(s.root.join(path)).unwrap();
    s.write(path, &template.replacen("| safe", "| sfe", 1));
    let fs = expect(&s, None, &[Kind::Content]);
    let line = template.lines().position(|l| l.contains("| safe")).unwrap() + 1;
    assert_eq!(at(&fs[0]), (path.into(), line));
    assert!(fs[0].diagnostic.col > 0, "{}", fs[0].diagnostic);
    assert_eq!(fs[0].diagnostic.message, "template: Unknown filter `sfe`");
}

#[test]
fn broken_links_are_errors_located_in_the_content() {
    let s = clean();
    allow_raw_html(&s);
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "## 세부\n\n본문.\n\n<a href=\"/nowhere/\">없는 쪽</a>도 있다.\n"));
    let fs = expect(&s, None, &[Kind::BrokenLink]);
    let f = &fs[0];
    assert!(f.is_error());
    assert_eq!(at(f), ("content/chapters/02-two.md".into(), 11));
    assert_eq!(f.diagnostic.col, 10, "points at the URL");
    assert!(f.diagnostic.message.contains("`/nowhere/`"), "{}", f.diagnostic);
    let help = f.diagnostic.help.as_deref().unwrap_or("");
    assert!(help.contains("/chapters/two/") && help.contains("/print/"), "one finding names both pages: {help}");
}

#[test]
fn missing_anchors_are_errors() {
    let s = clean();
    allow_raw_html(&s);
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "## 세부\n\n<a href=\"/chapters/one/#개요x\">첫 장</a>\n"));
    let fs = expect(&s, None, &[Kind::MissingAnchor]);
    assert!(fs[0].is_error() && at(&fs[0]) == ("content/chapters/02-two.md".into(), 9), "{}", show(&fs));
    assert_eq!(fs[0].diagnostic.help.as_deref().map(|h| h.starts_with("did you mean `#개요`?")), Some(true), "{}", fs[0].diagnostic);
}

#[test]
fn a_missing_same_page_anchor_is_already_a_build_error() {
    let s = clean();
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "## 세부\n\n[아래](#nowhere)\n"));
    let fs = expect(&s, None, &[Kind::Content]);
    assert!(fs[0].is_error() && at(&fs[0]) == ("content/chapters/02-two.md".into(), 9), "{}", show(&fs));
    assert!(fs[0].diagnostic.message.contains("no element with id `nowhere`"), "{}", show(&fs));
}

#[test]
fn a_same_page_heading_link_works_on_the_chapter_and_the_print_page() {
    let s = clean();
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "## 요약 {#summary}\n\n본문. [위로](#summary)\n"));
    expect(&s, None, &[]);
}

#[test]
fn missing_images_are_errors() {
    let s = clean();
    allow_raw_html(&s);
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "## 세부\n\n<img src=\"img/none.png\" alt=\"도표\">\n"));
    let fs = expect(&s, None, &[Kind::MissingImage]);
    assert_eq!(at(&fs[0]), ("content/chapters/02-two.md".into(), 9));
}

#[test]
fn links_outside_a_sub_path_are_errors_with_the_reference_to_use() {
    let s = clean();
    allow_raw_html(&s);
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "## 세부\n\n<a href=\"/chapters/one/\">첫 장</a> 참고.\n"));
    expect(&s, None, &[]);
    let fs = expect(&s, Some("https://example.org/reports/china-4ir/"), &[Kind::OutsideBase]);
    let help = fs[0].diagnostic.help.as_deref().unwrap_or("");
    assert!(help.contains("`chapter:one`"), "{help}");
}

#[test]
fn theme_problems_are_located_in_the_rendered_page_once() {
    let s = clean();
    let base = std::fs::read_to_string(s.root.join("themes/default/templates/base.html")).unwrap();
    let base = base.replace("</footer>", "<a href=\"/gone/\">x</a><p aria-labelledby=\"nobody\"></p></footer>");
    s.write("themes/default/templates/base.html", &base);
    s.write("themes/default/static/style.css", ".x { background: url(missing.png); }\n");
    let fs = expect(&s, None, &[Kind::BrokenLink, Kind::BrokenLink, Kind::MissingAnchor]);
    let gone = fs.iter().find(|f| f.diagnostic.message.contains("/gone/")).unwrap();
    assert!(gone.diagnostic.message.contains("other files: written by the theme"), "merged over every page: {}", gone.diagnostic);
    assert!(gone.diagnostic.line > 1, "located in the rendered HTML");
    let css = fs.iter().find(|f| f.diagnostic.message.contains("missing.png")).unwrap();
    assert_eq!(at(css), ("style.css".into(), 1));
}

#[test]
fn sitemap_and_search_entries_are_checked() {
    let s = clean();
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "## 세부\n\n본문[^1].\n\n[^1]: 주석.\n"));
    expect(&s, None, &[]);
    // The search index sends footnote hits to #footnotes: a theme without that id breaks them.
    let ch = std::fs::read_to_string(s.root.join("themes/default/templates/chapter.html")).unwrap();
    s.write("themes/default/templates/chapter.html", &ch.replace(" id=\"footnotes\"", ""));
    let sitemap = std::fs::read_to_string(s.root.join("themes/default/templates/sitemap.xml")).unwrap();
    s.write(
        "themes/default/templates/sitemap.xml",
        &sitemap.replace("</urlset>", "<url><loc>https://elsewhere.org/x/</loc></url>\n</urlset>"),
    );
    let fs = expect(&s, None, &[Kind::MissingAnchor, Kind::OutsideBase]);
    assert_eq!(at(one(&fs, Kind::MissingAnchor)).0, "search/docs-0.json");
    assert_eq!(at(one(&fs, Kind::OutsideBase)).0, "sitemap.xml");
}

#[test]
fn feed_entries_are_checked() {
    let s = clean();
    let feed = std::fs::read_to_string(s.root.join("themes/default/templates/feed.xml")).unwrap();
    s.write(
        "themes/default/templates/feed.xml",
        &feed.replace("</channel>", "<item><guid>https://elsewhere.org/x/</guid></item>\n</channel>"),
    );
    let fs = expect(&s, None, &[Kind::OutsideBase]);
    assert_eq!(at(one(&fs, Kind::OutsideBase)).0, "feed.xml");
}

#[test]
fn duplicate_ids_are_errors() {
    let s = clean();
    allow_raw_html(&s);
    s.write(
        "content/chapters/02-two.md",
        &chapter(2, "two", "둘째 장", "## 세부\n\n<span id=\"dup\"></span>하나\n\n<span id=\"dup\"></span>둘\n"),
    );
    let fs = expect(&s, None, &[Kind::DuplicateId]);
    assert_eq!(at(&fs[0]), ("content/chapters/02-two.md".into(), 9));
    assert!(!fs[0].is_error(), "nothing links to it: advice");
    s.write(
        "content/chapters/01-one.md",
        &std::fs::read_to_string(s.root.join("content/chapters/01-one.md"))
            .unwrap()
            .replace("자료.", "자료. <a href=\"/chapters/two/#dup\">둘째</a>"),
    );
    // The chapter page, which the link targets, has an error; the print view, which no link
    // targets, keeps its advice.
    let fs = expect(&s, None, &[Kind::DuplicateId, Kind::DuplicateId]);
    assert!(
        fs[0].is_error() && fs[0].diagnostic.message.contains("reach only the first"),
        "a link to it is ambiguous: {}",
        fs[0].diagnostic
    );
    assert!(fs[0].diagnostic.help.as_deref().unwrap().ends_with("seen on /chapters/two/"), "{}", fs[0].diagnostic);
    assert!(!fs[1].is_error());
}

/// Under the default policy raw HTML shows as text: advice at the tag, none once the policy
/// lets HTML through.
#[test]
fn raw_html_shown_as_text_is_a_warning_at_the_tag() {
    let s = clean();
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "## 세부\n\n첫 줄<br>둘째 줄, 2 < 3 그리고 a <b 는 글.\n"));
    let fs = expect(&s, None, &[Kind::EscapedHtml]);
    assert!(!fs[0].is_error());
    assert_eq!((at(&fs[0]), fs[0].diagnostic.col), (("content/chapters/02-two.md".into(), 9), 4), "{}", show(&fs));
    assert!(fs[0].diagnostic.message.contains("`<br>`"), "{}", show(&fs));
    let toml = std::fs::read_to_string(s.root.join("site.toml")).unwrap().replace("raw_html = \"escape\"", "raw_html = \"sanitize\"");
    s.write("site.toml", &toml);
    expect(&s, None, &[]);
}

#[test]
fn the_print_view_keeps_heading_ids_unique() {
    let s = clean();
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "## 개요\n\n본문.\n"));
    expect(&s, None, &[]);
}

#[test]
fn orphans_are_warnings_at_their_files() {
    let s = clean();
    s.write("content/tables/t2.yaml", "id: t2\ncaption: 둘째 표\nrows:\n  - [가]\n");
    s.write("content/figures/f2.yaml", "id: f2\ncaption: 둘째 그림\n");
    s.write("content/companies/tencent.yaml", "id: tencent\nname: 텐센트\nsectors: [ai]\n");
    s.write("content/sources.yaml", "- id: src\n  name: 기관\n- id: unused\n  name: 안 쓴 자료\n");
    s.write("content/sectors.yaml", "- id: ai\n  name: 인공지능\n- id: iot\n  name: 사물인터넷\n");
    s.write(
        "content/glossary.yaml",
        "- id: zgc\n  term: 중관촌\n  definition: 베이징의 기술 단지\n  chapter: one\n- id: nothing\n  term: 무명어\n  definition: 바이두가 발표했다\n  chapter: one\n",
    );
    s.write("content/assets/unused.png", "x");
    let fs = expect(
        &s,
        None,
        &[
            Kind::OrphanTable,
            Kind::OrphanFigure,
            Kind::OrphanCompany,
            Kind::OrphanSource,
            Kind::OrphanSector,
            Kind::OrphanTerm,
            Kind::UnusedAsset,
        ],
    );
    assert!(fs.iter().all(|f| !f.is_error()));
    assert_eq!(at(one(&fs, Kind::OrphanTable)), ("content/tables/t2.yaml".into(), 1));
    assert_eq!(at(one(&fs, Kind::OrphanFigure)), ("content/figures/f2.yaml".into(), 1));
    assert_eq!(at(one(&fs, Kind::OrphanCompany)), ("content/companies/tencent.yaml".into(), 1));
    assert_eq!(at(one(&fs, Kind::OrphanSource)), ("content/sources.yaml".into(), 3));
    assert_eq!(at(one(&fs, Kind::OrphanSector)), ("content/sectors.yaml".into(), 3));
    assert_eq!(at(one(&fs, Kind::OrphanTerm)), ("content/glossary.yaml".into(), 5));
    assert_eq!(at(one(&fs, Kind::UnusedAsset)).0, "content/assets/unused.png");
    assert!(one(&fs, Kind::OrphanTable).diagnostic.help.as_deref().unwrap().contains("![](table:t2)"));
}

#[test]
fn a_company_named_only_in_a_heading_is_an_unlinked_mention() {
    let s = clean();
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "## 세부\n\n본문.\n\n## 바이두 소개\n\n소개 글.\n"));
    let fs = expect(&s, None, &[Kind::UnlinkedMention]);
    assert_eq!(at(&fs[0]), ("content/chapters/02-two.md".into(), 11));
    assert!(fs[0].diagnostic.message.contains("in a title or heading"), "{}", fs[0].diagnostic);
    // The section's text linking it (by a mention or a reference) is enough.
    s.write(
        "content/chapters/02-two.md",
        &chapter(
            2,
            "two",
            "둘째 장",
            "## 바이두 소개\n\n바이두는 검색 기업이다.\n\n## 또\n\n[그 회사](company:baidu)\n\n## 바이두 다시\n\n글.\n",
        ),
    );
    let fs = expect(&s, None, &[Kind::UnlinkedMention]);
    assert_eq!(at(&fs[0]).1, 15, "only the third section, which never links it");
    // A chapter title is a heading too; the text before the first heading is its section.
    s.write("content/chapters/02-two.md", &chapter(2, "two", "바이두 이야기", "## 세부\n\n바이두는 검색 기업이다.\n"));
    let fs = expect(&s, None, &[Kind::UnlinkedMention]);
    assert_eq!(at(&fs[0]), ("content/chapters/02-two.md".into(), 2));
    s.write("content/chapters/02-two.md", &chapter(2, "two", "바이두 이야기", "첫 문단에 바이두가 있다.\n\n## 세부\n\n글.\n"));
    expect(&s, None, &[]);
    // A name split by formatting is not recognised by the engine, so nothing links it.
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "## 세부\n\n바이**두**가 나온다.\n"));
    let fs = expect(&s, None, &[Kind::UnlinkedMention]);
    assert!(fs[0].diagnostic.message.contains("named here"), "{}", fs[0].diagnostic);
}

#[test]
fn undeclared_spellings_of_company_names_are_warned_once_per_file() {
    let s = clean();
    s.write("content/companies/softbank.yaml", "id: softbank\nname: 소프트뱅크\nsectors: [ai]\n");
    s.write("content/companies/sbr.yaml", "id: sbr\nname: 소프트뱅크 로보틱스\nsectors: [ai]\n");
    s.write(
        "content/chapters/02-two.md",
        &chapter(
            2,
            "two",
            "둘째 장",
            "## 세부\n\nBAIDU가 발표하고 baidu도, Baidu도 말했다. 소프트뱅크 로보틱스와 소프트뱅크.\n\n## 또\n\n소프트뱅크로보틱스는 바이 두의 경쟁사. BAIDU 또.\n\n인 텔레비전, Baidux.\n",
        ),
    );
    let fs = expect(&s, None, &[Kind::UndeclaredName, Kind::UndeclaredName, Kind::UndeclaredName, Kind::UndeclaredName]);
    let msgs: Vec<&str> = fs.iter().map(|f| f.diagnostic.message.as_str()).collect();
    let find = |needle: &str| fs.iter().find(|f| f.diagnostic.message.starts_with(needle)).unwrap_or_else(|| panic!("{needle}: {msgs:?}"));
    let upper = find("`BAIDU` looks like company `baidu`");
    assert!(upper.diagnostic.message.ends_with("(2 times in this file)"), "{}", upper.diagnostic);
    assert_eq!(at(upper), ("content/chapters/02-two.md".into(), 9));
    assert_eq!(at(find("`baidu` looks like company `baidu`")).1, 9);
    assert_eq!(at(find("`소프트뱅크로보틱스` looks like company `sbr`")).1, 13);
    assert_eq!(at(find("`바이 두` looks like company `baidu`")).1, 13);
    assert!(upper.diagnostic.help.as_deref().unwrap().contains("content/companies/baidu.yaml"));
}

/// A paragraph wrapped in the source (a list item's lines indented, a quote's marked): a
/// declared name that wraps onto the next line is linked like any other, and a spelling
/// that is not declared is warned at its own line, written as the page shows it.
#[test]
fn names_that_wrap_onto_the_next_line_are_linked_or_located() {
    let s = clean();
    s.write("content/companies/most.yaml", "id: most\nname: 중국 과학기술부\nsectors: [ai]\n");
    let body = "## 세부\n\n- 알리바바는 중국\n  과학기술부와 실험실을 세웠다.\n";
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", body));
    expect(&s, None, &[]);
    let built = std::fs::read_to_string(s.build().unwrap().out_dir.join("chapters/two/index.html")).unwrap();
    assert!(built.contains("<a class=\"mention\" href=\"/companies/most/\" id=\"two-r1\">중국\n과학기술부</a>"), "{built}");
    let body = "## 세부\n\n- 알리바바는 중국\n  과학기술부와 실험실을 세웠다.\n\n## 또\n\n> 인용: 중국\n> 과학 기술부가 말했다.\n";
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", body));
    let fs = expect(&s, None, &[Kind::UndeclaredName]);
    assert!(fs[0].diagnostic.message.starts_with("`중국 과학 기술부` looks like company `most`"), "{}", fs[0].diagnostic);
    assert_eq!(at(&fs[0]), ("content/chapters/02-two.md".into(), 14));
    assert_eq!(fs[0].diagnostic.col, 7);
}

#[test]
fn duplicate_titles_are_warnings() {
    let s = clean();
    s.write("content/tables/t2.yaml", "id: t2\ncaption: \"첫  표\"\nrows:\n  - [가]\n");
    s.write("content/chapters/02-two.md", &chapter(2, "two", "첫째 장", "## 세부\n\n본문. [](table:t1)\n\n![](table:t2)\n"));
    let fs = expect(&s, None, &[Kind::DuplicateTitle, Kind::DuplicateTitle]);
    assert!(fs.iter().any(|f| at(f) == ("content/chapters/02-two.md".into(), 2)), "{}", show(&fs));
    assert!(fs.iter().any(|f| at(f) == ("content/tables/t2.yaml".into(), 2)), "{}", show(&fs));
}

#[test]
fn heading_structure_and_empty_chapters_are_warnings() {
    let s = clean();
    s.write(
        "content/chapters/02-two.md",
        &chapter(2, "two", "둘째 장", "## 세부\n\n본문.\n\n#### 깊은 제목\n\n글.\n\n# 또 하나의 제목\n\n글.\n"),
    );
    s.write("content/chapters/03-three.md", &chapter(3, "three", "셋째 장", ""));
    let fs = expect(&s, None, &[Kind::HeadingSkip, Kind::BodyH1, Kind::EmptyChapter]);
    assert_eq!(at(one(&fs, Kind::HeadingSkip)), ("content/chapters/02-two.md".into(), 11));
    assert_eq!(at(one(&fs, Kind::BodyH1)), ("content/chapters/02-two.md".into(), 15));
    assert_eq!(at(one(&fs, Kind::EmptyChapter)).0, "content/chapters/03-three.md");
}

const BOLD_HELP: &str = "keep the punctuation outside the `**`: `‘**인터넷 플러스**’를`, `**중국**(中國)은`";

/// A heading without a space after its `#`s and a table whose second line does not match its
/// header come out as paragraphs, and a reference link without a definition as text: advice
/// at the line, with the line to write; so is `**` that CommonMark cannot pair beside Korean
/// punctuation. Tables that do parse, `#` inside a line, a code block, a lone `[…]`, a defined
/// reference, bold that works and escaped asterisks are left alone.
#[test]
fn headings_and_tables_shown_as_text_are_warnings_at_their_lines() {
    let s = clean();
    let body = "## 세부\n\n둘째 장 본문. [](table:t1) 참고.\n\n##가. 붙여 쓴 제목\n\n글 #해시 가운데.\n\n| 구분 | 값 |\n|---|\n| 가 | 1 |\n\n| 구분 | 값 |\n| 가 | 1 |\n\n| 구분 | 값 |\n|---|---|\n| 가 | 1 |\n\n```\n#코드\n```\n\n[바이두][bd]와 [샤오미][]는 [참고] 대상이고 [표][t1]는 정의가 있다.\n\n[t1]: table:t1\n\n굵게 **‘인터넷 플러스’**를 본다.\n\n가**‘나’** 다.\n\n**바른 꼴**과 ‘**바른 꼴**’, 2\\*\\*3.\n\n```\n**‘코드’**는\n```\n";
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", body));
    let fs = expect(&s, None, &[Kind::MarkdownAsText; 7]);
    let found: Vec<(usize, &str, Option<&str>)> =
        fs.iter().map(|f| (f.diagnostic.line, f.diagnostic.message.as_str(), f.diagnostic.help.as_deref())).collect();
    assert_eq!(
        found,
        [
            (11, "`##가. 붙여 쓴 제목` is shown as text: a heading needs a space after its `##`", Some("write `## 가. 붙여 쓴 제목`")),
            (
                16,
                "a table is shown as text: its line under the header has 1 cell for the header's 2",
                Some("put one `---` cell under each header cell: `|---|---|`")
            ),
            (
                19,
                "a table is shown as text: it has no line of `---` cells under its header",
                Some("put one `---` cell under each header cell: `|---|---|`")
            ),
            (
                30,
                "`[바이두][bd]` is shown as text: no line defines the link `[bd]`",
                Some("write the target in the link, `[…](company:…)` or another reference, or add a line `[bd]: …`")
            ),
            (
                30,
                "`[샤오미][]` is shown as text: no line defines the link `[샤오미]`",
                Some("write the target in the link, `[…](company:…)` or another reference, or add a line `[샤오미]: …`")
            ),
            (34, "`’**를` is shown as text: CommonMark does not end bold between punctuation and a letter", Some(BOLD_HELP)),
            (36, "`가**‘` is shown as text: CommonMark does not start bold between a letter and punctuation", Some(BOLD_HELP)),
        ],
        "{}",
        show(&fs)
    );
    assert!(fs.iter().all(|f| !f.is_error()));
}

/// Text that CommonMark reads as Markdown: a paragraph that starts with a year and a period
/// (`2016. 12. …`, as Korean writes dates) is a numbered list counting from 2016; pasted text
/// indented by four spaces is code; a `---` right under a line makes it a heading. Warnings
/// with the fix. A real list, a list that starts at 3, a year inside a line, a heading
/// indented by three spaces and a fenced code block are left alone; so is a one-line field,
/// where a leading number is kept as text. A line `[주]: 중국` that no link uses is a link
/// definition, not shown: a warning too (a definition a link uses is not).
#[test]
fn text_read_as_a_list_code_or_a_heading_is_a_warning() {
    let s = clean();
    let body = "## 세부\n\n둘째 장 본문. [](table:t1) 참고.\n\n2016. 12. 바이두가 발표했다.\n\n1. 첫째\n2. 둘째\n\n3. 셋째부터\n\n발표는 2016. 12.에 있었다.\n\n1999) 괄호로 쓴 해\n\n    ◎ 들여 쓴 문단\n\n구분선 앞 문장.\n---\n\n   ### 들여 쓴 제목\n\n```\n코드\n```\n\n[주]: 중국\n\n[표][T1] 참고.\n\n[t1]: table:t1\n";
    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", body));
    s.write(
        "content/tables/t1.yaml",
        "id: t1\ncaption: \"2016. 12. 기준\"\nheader:\n  - [구분, 값]\nrows:\n  - [\"2015. 5. 발표\", \"1\"]\n",
    );
    let fs = expect(&s, None, &[Kind::TextAsMarkdown; 6]);
    let found: Vec<(String, usize, &str, Option<&str>)> = fs
        .iter()
        .map(|f| {
            (f.diagnostic.file.clone().unwrap_or_default(), f.diagnostic.line, f.diagnostic.message.as_str(), f.diagnostic.help.as_deref())
        })
        .collect();
    let two = "content/chapters/02-two.md".to_string();
    assert_eq!(
        found,
        [
            (
                two.clone(),
                11,
                "`2016.` at the start of a paragraph makes it a numbered list counting from 2016",
                Some("write `2016\\.` to keep it as text")
            ),
            (
                two.clone(),
                20,
                "`1999)` at the start of a paragraph makes it a numbered list counting from 1999",
                Some("write `1999\\)` to keep it as text")
            ),
            (
                two.clone(),
                22,
                "text indented by four spaces or more is shown as code",
                Some("remove the indentation; code is written between ``` fences")
            ),
            (
                two.clone(),
                25,
                "`---` right under a line of text makes that line a heading",
                Some("for a separator line, leave a blank line above `---`; for a heading, write `## …` on one line")
            ),
            (
                two.clone(),
                33,
                "`[주]: 중국` defines the target of links written `[…][주]`, and is not shown; no link uses it",
                Some("to show the line, write `\\[주]: …`; otherwise remove it")
            ),
            (
                "content/tables/t1.yaml".to_string(),
                6,
                "`2015.` at the start of a paragraph makes it a numbered list counting from 2015",
                Some("write `2015\\.` to keep it as text")
            ),
        ],
        "{}",
        show(&fs)
    );
}

/// The YAML text fields are Markdown too: bold beside Korean punctuation, an undefined
/// reference link, raw HTML and (in a block field) a table without its `---` line are warnings
/// at the place in the YAML file, through a block text's indentation; a one-line field's `#`
/// is its text, not a heading; two equal cells are one warning.
#[test]
fn markdown_shown_as_text_in_yaml_fields_is_a_warning_at_its_place() {
    let s = clean();
    s.write(
        "content/tables/t1.yaml",
        "id: t1\ncaption: \"첫 **'표'**의 제목\"\nheader:\n  - [구분, 값]\nrows:\n  - - 가\n    - |-\n      - 첫 줄\n      - 둘째 **‘줄’**과\n  - [가나**‘다’**, 가나**‘다’**]\nnotes:\n  - \"#1위 기업\"\nsource: \"[기관][src]\"\n",
    );
    s.write(
        "content/companies/baidu.yaml",
        "id: baidu\nname: 바이두\nenglish: Baidu\nsectors: [ai]\nsummary: |-\n  검색 포털<br>운영\n\n  | 구분 | 값 |\n  | 가 | 1 |\n",
    );
    let fs = expect(
        &s,
        None,
        &[Kind::MarkdownAsText, Kind::MarkdownAsText, Kind::MarkdownAsText, Kind::MarkdownAsText, Kind::MarkdownAsText, Kind::EscapedHtml],
    );
    let found: Vec<(String, (usize, usize), &str)> = fs
        .iter()
        .map(|f| (f.diagnostic.file.clone().unwrap_or_default(), (f.diagnostic.line, f.diagnostic.col), f.diagnostic.message.as_str()))
        .collect();
    let t1 = "content/tables/t1.yaml".to_string();
    let baidu = "content/companies/baidu.yaml".to_string();
    assert_eq!(
        found,
        [
            (baidu.clone(), (6, 8), "raw HTML `<br>` is shown as text (raw_html = \"escape\")"),
            (baidu, (8, 3), "a table is shown as text: it has no line of `---` cells under its header"),
            (t1.clone(), (2, 18), "`'**의` is shown as text: CommonMark does not end bold between punctuation and a letter"),
            (t1.clone(), (9, 17), "`’**과` is shown as text: CommonMark does not end bold between punctuation and a letter"),
            (t1.clone(), (10, 8), "`나**‘` is shown as text: CommonMark does not start bold between a letter and punctuation"),
            (t1, (13, 10), "`[기관][src]` is shown as text: no line defines the link `[src]`"),
        ],
        "{}",
        show(&fs)
    );
}

/// `serve` checks the output of its own build (its analysis kept, the live preview's script on
/// every page): that finds exactly what `check` finds from scratch, the script not among it.
#[test]
fn checking_a_built_site_finds_what_check_finds() {
    let s = clean();
    allow_raw_html(&s);
    s.write(
        "content/chapters/02-two.md",
        &chapter(2, "two", "둘째 장", "## 세부\n\n<a href=\"/nowhere/\">없는 쪽</a>도 있다.\n\n2016. 12. 바이두 발표.\n"),
    );
    s.write("content/tables/t2.yaml", "id: t2\ncaption: 둘째 표\nrows:\n  - [가]\n");
    s.write("content/assets/unused.png", "x");
    let from_scratch = run(&s, Some("http://127.0.0.1:1111/"));
    assert!(from_scratch.len() >= 4, "{}", show(&from_scratch));

    let out = s.root.join("served");
    let script = "<script src=\"/__live.js\" data-build=\"1\"></script>";
    let opts = reportgen::BuildOptions {
        root: s.root.clone(),
        out: Some(out.clone()),
        base_url: Some("http://127.0.0.1:1111/".into()),
        inject: Some(script.into()),
        exit_after: false,
    };
    let (built, analysis) = reportgen::build::build_analysed(&opts).expect("builds");
    assert!(std::fs::read_to_string(out.join("chapters/two/index.html")).unwrap().contains(script));
    let report = check::run_built(&analysis, &out, built.pages, Some("/__live.js")).expect("check runs");
    assert_eq!(show(&report.findings), show(&from_scratch));
    assert_eq!(report.pages, built.pages);

    // Unless it is told to pass over it, the script is a link to a file the site lacks.
    let report = check::run_built(&analysis, &out, built.pages, None).expect("check runs");
    assert!(show(&report.findings).contains("`/__live.js` leads to no file"), "{}", show(&report.findings));
}
