//! Cross-references on fixture sites: numbering, link targets, backlinks, automatic mention
//! links (and where they must not happen), index pages and their order, located errors.

mod common;

use common::{Site, chapter};

/// Two chapters, two tables, a figure, companies with aliases, sources, sectors, terms.
fn fixture() -> Site {
    let s = Site::new();
    s.write(
        "content/chapters/01-alpha.md",
        &chapter(
            1,
            "alpha",
            "알파 장",
            "## 가. 첫 절\n\n바이두는 검색 기업이다. 바이두의 두 번째 언급. Baidu와 百度도 있다.\n\n![](table:second)\n\n## 나. 둘째 절\n\n다시 바이두가 나온다. 샤오미(Xiaomi)는 Midea와 Mi band를 만든다.\n\n### 바이두 제목 안\n\n`바이두 코드` 안과 [바이두 링크](https://example.org) 안은 자동 링크가 아니다.\n\n## 다. 셋째 절\n\n[검색 기업](company:baidu)이라고 직접 링크하면 바이두는 이 절에서 더 링크되지 않는다.\n",
        ),
    );
    s.write(
        "content/chapters/02-beta.md",
        &chapter(
            2,
            "beta",
            "베타 장",
            "## 개요\n\n[](table:first)와 [](table:second), [](figure:fig)를 본다. [앞 장](chapter:alpha#나-둘째-절)과 [](chapter:alpha). 중창공간이 나온다([자료원, 2015.](source:src-a)).\n\n![](table:first)\n\n![](figure:fig)\n",
        ),
    );
    s.write(
        "content/tables/first.yaml",
        "id: first\ncaption: 첫째 표\nheader:\n  - [가, 나]\nrows:\n  - [\"1\", \"2\"]\nsource: \"[자료원](source:src-a)\"\n",
    );
    s.write(
        "content/tables/second.yaml",
        "id: second\ncaption: 둘째 표\nheader:\n  - [가, 나]\nrows:\n  - [\"3\", \"4\"]\nsource: \"[다른 자료](source:src-b)\"\n",
    );
    s.write("content/tables/unplaced.yaml", "id: unplaced\ncaption: 놓이지 않은 표\nrows:\n  - [\"5\"]\n");
    s.write("content/figures/fig.yaml", "id: fig\ncaption: 그림 하나\nsource: \"[자료원](source:src-a)\"\n");
    s.write(
        "content/companies/baidu.yaml",
        "id: baidu\nname: 바이두\noriginal: 百度\nenglish: Baidu\nsectors: [ai]\nfacts:\n  - {date: \"2016-07\", text: \"다시 바이두가 나온다\", chapter: alpha}\n  - {date: \"2014\", text: \"바이두는 검색 기업이다\", chapter: alpha}\n",
    );
    s.write("content/companies/xiaomi.yaml", "id: xiaomi\nname: 샤오미\nenglish: Xiaomi\nsectors: [iot]\n");
    s.write("content/companies/midea.yaml", "id: midea\nname: 메이디\nenglish: Midea\nsectors: [iot]\n");
    s.write("content/companies/kkachi.yaml", "id: kkachi\nname: 까치\n");
    s.write("content/companies/ganada.yaml", "id: ganada\nname: 가나다\nsectors: [ai]\n");
    s.write("content/companies/apple.yaml", "id: apple\nname: Apple\nsectors: [ai]\n");
    s.write("content/sectors.yaml", "- id: ai\n  name: 인공지능\n  chapter: alpha\n- id: iot\n  name: 사물인터넷\n");
    s.write("content/sources.yaml", "- id: src-a\n  name: 자료원\n- id: src-b\n  name: 다른 자료\n");
    s.write("content/glossary.yaml", "- id: zc\n  term: 중창공간\n  definition: \"중창공간이 나온다\"\n  chapter: beta\n");
    s
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html.find(start).unwrap_or_else(|| panic!("no {start:?}"));
    let rest = &html[i..];
    &rest[..rest.find(end).map_or(rest.len(), |j| j + end.len())]
}

#[test]
fn tables_and_figures_are_numbered_in_placement_order() {
    let s = fixture();
    let report = s.built();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "content/tables/unplaced.yaml:1:1: warning: table `unplaced` is never placed in a chapter; it is numbered after every placed table\n  help: place it where the text discusses it, on a line of its own: ![](table:unplaced)"
        ]
    );
    // `second` is placed in chapter 1, `first` in chapter 2: reading order decides.
    assert!(s.page("tables/second/index.html").contains("[표 1]"));
    assert!(s.page("tables/first/index.html").contains("[표 2]"));
    assert!(s.page("tables/unplaced/index.html").contains("[표 3]"), "never placed: numbered after the placed ones");
    let beta = s.page("chapters/beta/index.html");
    assert!(beta.contains("href=\"/tables/first/\" id=\"beta-r1\">표 2</a>"), "{beta}");
    assert!(beta.contains("href=\"/tables/second/\" id=\"beta-r2\">표 1</a>"));
    assert!(beta.contains(">그림 1</a>"));
    assert!(beta.contains("<a class=\"label\" href=\"/tables/first/\">[표 2]</a> 첫째 표"), "caption style [표 N]");
    let list = s.page("tables/index.html");
    let order: Vec<usize> = ["[표 1]", "[표 2]", "[표 3]"].iter().map(|l| list.find(l).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "list of tables in number order");
}

#[test]
fn references_link_to_their_targets() {
    let s = fixture();
    s.built();
    let beta = s.page("chapters/beta/index.html");
    assert!(beta.contains("href=\"/chapters/alpha/#나-둘째-절\""), "chapter#anchor");
    assert!(beta.contains("href=\"/chapters/alpha/\" id=\"beta-r5\">1. 알파 장</a>"), "empty chapter link gets number and title: {beta}");
    assert!(beta.contains("href=\"/sources/#source-src-a\""), "in-text citation");
    let alpha = s.page("chapters/alpha/index.html");
    assert!(alpha.contains("<h2 id=\"나-둘째-절\">나. 둘째 절</h2>"), "readable Korean heading ids");
}

#[test]
fn first_mention_per_section_is_linked_and_nowhere_it_must_not_be() {
    let s = fixture();
    s.built();
    let alpha = s.page("chapters/alpha/index.html");
    let first = between(&alpha, "<h2 id=\"가-첫-절\">", "<h2 id=\"나-둘째-절\">");
    assert_eq!(first.matches("href=\"/companies/baidu/\"").count(), 1, "one link per section: {first}");
    assert!(first.contains("<a class=\"mention\" href=\"/companies/baidu/\" id=\"alpha-r1\">바이두</a>는"));
    assert!(!first.contains(">Baidu</a>") && !first.contains(">百度</a>"), "aliases after the first mention stay text");
    let second = between(&alpha, "<h2 id=\"나-둘째-절\">", "<h3");
    assert!(second.contains(">바이두</a>가"), "linked again in a new section");
    assert!(second.contains(">샤오미</a>") && second.contains(">Midea</a>"), "Latin alias linked");
    assert!(!second.contains(">Mi</a>"), "no partial word matches");
    let third = between(&alpha, "<h3", "<h2 id=\"다-셋째-절\">");
    assert!(!third.contains("class=\"mention\""), "not in headings, code or links: {third}");
    assert!(third.contains("<code>바이두 코드</code>"));
    let fourth = between(&alpha, "<h2 id=\"다-셋째-절\">", "</div>");
    assert_eq!(fourth.matches("/companies/baidu/").count(), 1, "editor's own link only: {fourth}");
    assert!(fourth.contains("class=\"ref ref-company\""));
}

/// A footnote is a section of its own, also when its definition stands mid-chapter: an
/// editor's link in the text after the definition belongs to the text's section, so the
/// footnote's own mention is still linked and the text's first mention is not linked twice.
#[test]
fn a_link_after_a_footnote_definition_belongs_to_the_text() {
    let s = fixture();
    s.write(
        "content/chapters/02-beta.md",
        &chapter(
            2,
            "beta",
            "베타 장",
            "## 개요\n\n[](table:first)와 [](table:second), [](figure:fig)를 본다. [앞 장](chapter:alpha#나-둘째-절)과 [](chapter:alpha). 중창공간이 나온다([자료원, 2015.](source:src-a)).\n\n![](table:first)\n\n![](figure:fig)\n\n본문[^1].\n\n[^1]: 각주에서 바이두를 말한다.\n\n바이두가 다시 나오고 [검색 기업](company:baidu)으로 링크된다.\n",
        ),
    );
    s.built();
    let beta = s.page("chapters/beta/index.html");
    let text = between(&beta, "<h2 id=\"개요\">", "<section class=\"footnotes\"");
    assert_eq!(text.matches("/companies/baidu/").count(), 1, "the editor's link only: {text}");
    assert!(text.contains("class=\"ref ref-company\""), "{text}");
    let notes = between(&beta, "<section class=\"footnotes\"", "</section>");
    assert!(notes.contains(">바이두</a>를 말한다"), "the footnote's mention is linked: {notes}");
}

#[test]
fn backlinks_list_every_place_in_reading_order() {
    let s = fixture();
    s.built();
    let baidu = s.page("companies/baidu/index.html");
    let backlinks = between(&baidu, "<section class=\"backlinks\"", "</section>");
    let urls: Vec<&str> =
        backlinks.match_indices("<a href=\"").map(|(i, _)| &backlinks[i + 9..i + 9 + backlinks[i + 9..].find('"').unwrap()]).collect();
    assert_eq!(urls, ["/chapters/alpha/#alpha-r1", "/chapters/alpha/#alpha-r2", "/chapters/alpha/#alpha-r5"], "{backlinks}");
    assert!(
        backlinks.contains("› 가. 첫 절") && backlinks.contains("› 나. 둘째 절") && backlinks.contains("› 다. 셋째 절"),
        "section headings"
    );
    assert!(backlinks.contains("바이두는 검색 기업이다."), "excerpt of the sentence");
    let table = s.page("tables/first/index.html");
    let tb = between(&table, "<section class=\"backlinks\"", "</section>");
    assert!(tb.contains("/chapters/beta/#beta-r1"), "reference");
    // A reference written without text: the excerpt is its own sentence, labels in place.
    assert!(tb.contains("<p class=\"excerpt\">표 2와 표 1, 그림 1를 본다.</p>"), "{tb}");
    let alpha = s.page("chapters/alpha/index.html");
    let ab = between(&alpha, "<section class=\"backlinks\"", "</section>");
    assert!(ab.contains("<p class=\"excerpt\">앞 장과 1. 알파 장.</p>"), "{ab}");
    assert!(tb.contains("게재 위치"), "placement marked");
    // Sources list everything they back: tables, figures and in-text citations.
    let sources = s.page("sources/index.html");
    let a = between(&sources, "id=\"source-src-a\"", "</li>\n</ol>");
    assert!(a.contains("/tables/first/") && a.contains("/figures/fig/") && a.contains("/chapters/beta/"), "{a}");
}

/// Hangul pasted as separate jamo (NFD) is read as the syllables the rest of the report uses:
/// the company is found in it, its fact matches the text verbatim, and search indexes it.
#[test]
fn decomposed_hangul_is_read_as_syllables() {
    let s = Site::new();
    let nfd = |t: &str| -> String {
        // Hangul syllables to their conjoining jamo (the Unicode algorithm), the rest as it is.
        t.chars()
            .flat_map(|c| {
                let n = c as u32;
                if !(0xAC00..=0xD7A3).contains(&n) {
                    return vec![c];
                }
                let s = n - 0xAC00;
                let mut v = vec![char::from_u32(0x1100 + s / 588).unwrap(), char::from_u32(0x1161 + (s % 588) / 28).unwrap()];
                if !s.is_multiple_of(28) {
                    v.push(char::from_u32(0x11A7 + s % 28).unwrap());
                }
                v
            })
            .collect()
    };
    let body = nfd("## 가. 검색\n\n바이두는 검색 기업이다.\n");
    assert_ne!(body, "## 가. 검색\n\n바이두는 검색 기업이다.\n");
    s.write("content/chapters/01-alpha.md", &chapter(1, "alpha", &nfd("알파 장"), &body));
    s.write(
        "content/companies/baidu.yaml",
        "id: baidu\nname: 바이두\nfacts:\n  - {date: \"2014\", text: \"바이두는 검색 기업이다\", chapter: alpha}\n",
    );
    s.built();
    let alpha = s.page("chapters/alpha/index.html");
    assert!(alpha.contains("<h1") && alpha.contains("알파 장"), "title in syllables");
    assert!(alpha.contains("href=\"/companies/baidu/\""), "the company is linked where it is mentioned");
    let baidu = s.page("companies/baidu/index.html");
    assert!(between(&baidu, "<section class=\"backlinks\"", "</section>").contains("/chapters/alpha/"), "{baidu}");
    let docs = std::fs::read_to_string(s.out().join("search/docs-0.json")).unwrap();
    assert!(docs.contains("검색 기업이다") && !docs.contains('\u{1100}'), "{docs}");
}

#[test]
fn index_pages_are_complete_and_ordered() {
    let s = fixture();
    s.built();
    let companies = s.page("companies/index.html");
    let by_name = between(&companies, "id=\"by-name\"", "</section>\n{% endblock");
    let pos = |n: &str| by_name.find(&format!(">{n}</a>")).unwrap_or_else(|| panic!("{n} missing"));
    assert!(
        pos("가나다") < pos("까치")
            && pos("까치") < pos("메이디")
            && pos("메이디") < pos("바이두")
            && pos("바이두") < pos("샤오미")
            && pos("샤오미") < pos("Apple"),
        "가나다 order, Latin after Hangul"
    );
    assert!(by_name.contains(">ㄱ</h3>") && by_name.contains(">ㅂ</h3>"), "initial consonant groups (까치 under ㄱ)");
    let ai = between(&companies, "id=\"sector-ai\"", "</section>");
    assert!(ai.contains("가나다") && ai.contains("바이두") && ai.contains("Apple") && !ai.contains("샤오미"));
    assert!(ai.contains("href=\"/chapters/alpha/\""), "sector links to its chapter");
    assert!(companies.contains("id=\"sector-other\""), "companies without a sector are listed too");
    let timeline = s.page("timeline/index.html");
    let y2014 = timeline.find("datetime=\"2014\"").unwrap();
    let y2016 = timeline.find("datetime=\"2016-07\"").unwrap();
    assert!(y2014 < y2016, "date order");
    assert!(timeline.contains("href=\"/chapters/alpha/#fact-baidu-2\""), "each entry links to where it is told");
    let glossary = s.page("glossary/index.html");
    assert!(glossary.contains("id=\"term-zc\"") && glossary.contains("href=\"/chapters/beta/#def-zc\""), "definition located");
    assert!(between(&glossary, "id=\"term-zc\"", "</dd>").contains("<details class=\"uses\">"), "uses listed");
    assert!(
        between(&glossary, "<details class=\"uses\">", "</details>").contains("href=\"/chapters/beta/#개요\""),
        "a use links to its section"
    );
}

#[test]
fn a_term_used_only_in_a_heading_is_still_a_use() {
    let s = fixture();
    s.write(
        "content/glossary.yaml",
        "- id: zc\n  term: 중창공간\n  definition: \"중창공간이 나온다\"\n  chapter: beta\n- id: second\n  term: 둘째 절\n  definition: \"둘째 절\"\n  chapter: alpha\n",
    );
    s.built();
    let glossary = s.page("glossary/index.html");
    let entry = between(&glossary, "id=\"term-second\"", "</dd>");
    assert!(entry.contains("href=\"/chapters/alpha/#나-둘째-절\""), "{entry}");
    let alpha = s.page("chapters/alpha/index.html");
    assert!(!between(&alpha, "<h2 id=\"나-둘째-절\">", "</h2>").contains("<a "), "terms are not linked in headings");
}

/// A paragraph broken into lines in the source: a term that wraps onto the next line is a
/// use like any other.
#[test]
fn a_term_that_wraps_onto_the_next_line_is_a_use() {
    let s = fixture();
    s.write(
        "content/glossary.yaml",
        "- id: zc\n  term: 중창공간\n  definition: \"중창공간이 나온다\"\n  chapter: beta\n- id: second\n  term: 둘째 절\n  definition: \"둘째 절\"\n  chapter: alpha\n",
    );
    s.write("content/chapters/03-gamma.md", &chapter(3, "gamma", "셋째 장", "## 개관\n\n- 이 장은 둘째\n  절을 다시 다룬다.\n"));
    s.built();
    let glossary = s.page("glossary/index.html");
    let entry = between(&glossary, "id=\"term-second\"", "</dd>");
    assert!(entry.contains("href=\"/chapters/gamma/#개관\""), "{entry}");
}

#[test]
fn navigation_prev_next_and_breadcrumbs() {
    let s = fixture();
    s.built();
    let alpha = s.page("chapters/alpha/index.html");
    assert!(alpha.contains("rel=\"next\" href=\"/chapters/beta/\""));
    assert!(alpha.contains("rel=\"prev\" href=\"/\""));
    let beta = s.page("chapters/beta/index.html");
    assert!(beta.contains("rel=\"prev\" href=\"/chapters/alpha/\""));
    assert!(!beta.contains("rel=\"next\""));
    assert!(beta.contains("<nav class=\"breadcrumbs\""));
}

/// A chapter's page lists the places that refer to it, in reading order, each leading to the
/// reference itself; a chapter's links to its own headings are not listed, and a chapter no
/// one refers to has no such section.
#[test]
fn a_chapter_lists_the_places_that_refer_to_it() {
    let s = fixture();
    s.write(
        "content/chapters/03-gamma.md",
        &chapter(3, "gamma", "감마 장", "## 요약\n\n[위](chapter:gamma#요약)와 [알파](chapter:alpha)를 본다.\n"),
    );
    s.built();
    let alpha = s.page("chapters/alpha/index.html");
    let section = between(&alpha, "<section class=\"backlinks\"", "</section>");
    assert!(section.contains("<span class=\"count\">3</span>"), "{section}");
    let hrefs: Vec<&str> = section.split("<a href=\"").skip(1).map(|r| r.split('"').next().unwrap()).collect();
    assert_eq!(hrefs.len(), 3, "{section}");
    assert!(hrefs[..2].iter().all(|h| h.starts_with("/chapters/beta/#")), "{hrefs:?}");
    assert!(hrefs[2].starts_with("/chapters/gamma/#"), "{hrefs:?}");
    let beta = s.page("chapters/beta/index.html");
    for h in &hrefs[..2] {
        let id = h.rsplit('#').next().unwrap();
        assert!(beta.contains(&format!("id=\"{id}\" ")) || beta.contains(&format!("id=\"{id}\">")), "#{id} on beta");
    }
    assert!(section.contains("<p class=\"excerpt\">"), "{section}");
    let gamma = s.page("chapters/gamma/index.html");
    assert!(!gamma.contains("class=\"backlinks\""), "a chapter's own links are not backlinks");
    assert!(!beta.contains("class=\"backlinks\""), "no one refers to beta");
}

/// A reference written without text reads as its label wherever the text is shown plain: the
/// page's description, headings in the page's contents and the search index; heading ids
/// leave tables' and figures' numbers out (they change when tables move).
#[test]
fn references_without_text_read_as_their_labels_in_plain_text() {
    let s = fixture();
    s.write(
        "content/chapters/03-gamma.md",
        &chapter(
            3,
            "gamma",
            "감마 장",
            "[](table:first)을 보면 [](company:baidu)도 나온다.\n\n## [](company:baidu)의 전략\n\n글.\n\n## [](table:second) 비교\n\n글.\n",
        ),
    );
    s.built();
    let gamma = s.page("chapters/gamma/index.html");
    assert!(gamma.contains("<meta name=\"description\" content=\"표 2을 보면 바이두도 나온다.\">"), "{gamma}");
    let toc = between(&gamma, "<nav class=\"on-this-page\"", "</nav>");
    assert!(toc.contains("<a href=\"#바이두의-전략\">바이두의 전략</a>"), "{toc}");
    assert!(toc.contains("<a href=\"#비교\">표 1 비교</a>"), "{toc}");
    assert!(gamma.contains("<h2 id=\"비교\">"), "{gamma}");
    let search: String = common::files(&s.out()).iter().filter(|f| f.starts_with("search/docs-")).map(|f| s.page(f)).collect();
    assert!(search.contains("\"표 1 비교\"") && search.contains("\"바이두의 전략\""), "{search}");
    for f in common::files(&s.out()) {
        if let Ok(text) = std::fs::read_to_string(s.out().join(&f)) {
            assert!(!text.contains('\u{E000}') && !text.contains('\u{E001}'), "{f} holds a label hole");
        }
    }
}

/// A preface outside any part comes first: each chapter's breadcrumb still leads to its own
/// part's heading in the contents, the sidebar repeats no ids, and the print view heads each
/// part once.
#[test]
fn part_breadcrumbs_lead_to_their_part_after_a_preface() {
    let s = Site::new();
    s.write("content/chapters/00-preface.md", &chapter(0, "preface", "머리말", "보고서를 소개한다."));
    let with_part = |order: u32, slug: &str, part: &str| {
        format!("---\ntitle: \"{slug} 장\"\norder: {order}\nslug: {slug}\npart: \"{part}\"\n---\n\n{slug} 본문.\n")
    };
    s.write("content/chapters/01-alpha.md", &with_part(1, "alpha", "정책 동향"));
    s.write("content/chapters/02-beta.md", &with_part(2, "beta", "정책 동향"));
    s.write("content/chapters/03-gamma.md", &with_part(3, "gamma", "기업 동향"));
    s.built();
    let home = s.page("index.html");
    for (slug, numeral, title) in [("alpha", "I", "정책 동향"), ("beta", "I", "정책 동향"), ("gamma", "II", "기업 동향")] {
        let page = s.page(&format!("chapters/{slug}/index.html"));
        let crumbs = between(&page, "<nav class=\"breadcrumbs\"", "</nav>");
        let href = crumbs.split("href=\"/#").nth(1).and_then(|r| r.split('"').next()).unwrap_or_else(|| panic!("{crumbs}"));
        let heading = between(&home, &format!("id=\"{href}\""), "</span></span>");
        assert!(heading.contains(&format!("{numeral}.</span> {title}")), "{slug}: #{href} is {heading}");
        assert!(!between(&page, "<details class=\"sidebar\"", "</details>").contains(" id=\""), "{slug}: ids in the sidebar");
    }
    let print = s.page("print/index.html");
    assert_eq!(print.matches("<p class=\"print-part\">I. 정책 동향</p>").count(), 1);
    assert_eq!(print.matches("<p class=\"print-part\">II. 기업 동향</p>").count(), 1);
    assert_eq!(print.matches("<p class=\"print-part\">").count(), 2);
}

#[test]
fn broken_references_are_located_with_suggestions() {
    let cases = [
        ("[](table:frist)", "content/chapters/03-bad.md:7:1: unknown table id `frist`", "did you mean `table:first`?"),
        ("[x](compnay:baidu)", "content/chapters/03-bad.md:7:1: unknown reference kind `compnay:`", "did you mean `company:baidu`?"),
        (
            "[x](chapter:alpha#나-둘재-절)",
            "content/chapters/03-bad.md:7:1: chapter `alpha` has no anchor `#나-둘재-절`",
            "did you mean `chapter:alpha#나-둘째-절`?",
        ),
        ("[x](company:baidoo)", "content/chapters/03-bad.md:7:1: unknown company id `baidoo`", "did you mean `company:baidu`?"),
        ("![](table:first)", "content/chapters/03-bad.md:7:1: table `first` is placed twice", "place each table once"),
        (
            "글 ![](table:second) 안",
            "content/chapters/03-bad.md:7:3: `![](…)` placement of table:second must stand alone",
            "paragraph of its own",
        ),
    ];
    for (body, error, help) in cases {
        let s = fixture();
        s.write("content/chapters/03-bad.md", &chapter(3, "bad", "나쁜 장", body));
        let err = s.fails();
        assert!(err.contains(error), "{body}: {err}");
        assert!(err.contains(help), "{body}: {err}");
    }
}

/// An unknown reference (found while parsing) does not hide the errors found once the whole
/// report is parsed (a missing anchor, a table placed twice): one run shows them all, each in
/// its file.
#[test]
fn parse_and_resolve_errors_come_out_in_one_run() {
    let s = fixture();
    s.write("content/chapters/03-bad.md", &chapter(3, "bad", "나쁜 장", "[](table:frist)\n\n[x](chapter:alpha#나-둘재-절)"));
    s.write("content/chapters/04-worse.md", &chapter(4, "worse", "더 나쁜 장", "![](table:first)\n"));
    let err = s.fails();
    for want in [
        "content/chapters/03-bad.md:7:1: unknown table id `frist`",
        "content/chapters/03-bad.md:9:1: chapter `alpha` has no anchor `#나-둘재-절`",
        "content/chapters/04-worse.md:7:1: table `first` is placed twice",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
    // A fence left open turns the rest of its chapter into code: anchors into it are not
    // judged by the headings it lost.
    let s = fixture();
    s.write("content/chapters/01-alpha.md", &chapter(1, "alpha", "알파 장", "## 가. 첫 절\n\n```\n코드\n\n## 나. 둘째 절\n"));
    s.write("content/chapters/03-bad.md", &chapter(3, "bad", "나쁜 장", "[x](chapter:alpha#나-둘째-절)"));
    let err = s.fails();
    assert!(err.contains("content/chapters/01-alpha.md") && err.contains("never closed"), "{err}");
    assert!(!err.contains("has no anchor"), "{err}");
}

#[test]
fn quotes_must_be_verbatim() {
    let s = fixture();
    s.write(
        "content/companies/baidu.yaml",
        "id: baidu\nname: 바이두\nfacts:\n  - {date: \"2014\", text: \"바이두는 검색 회사다\", chapter: alpha}\n",
    );
    let err = s.fails();
    assert!(
        err.contains("content/companies/baidu.yaml:4:") && err.contains("fact text is not a verbatim quote of chapter `alpha`"),
        "{err}"
    );
}
