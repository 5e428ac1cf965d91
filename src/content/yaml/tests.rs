//! The YAML module's behaviour: located errors and their fixes, the line reader, locating.

use super::errors::{
    SecondDocument, TAB_HELP, colon_without_space, misaligned_key, number_at, plain_types, readable_path, second_document, strip_locations,
    text_after_quote,
};
use super::lines::key_value;
use super::*;
use crate::error::line_col;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct T {
    id: String,
    values: Vec<String>,
}

/// A value's offset is placed in its file through its words: a block text's indentation,
/// a folded line break and an escape do not shift what follows them.
#[test]
fn offsets_into_a_value_are_placed_in_the_file_word_by_word() {
    let place = |file: &str, value: &str, what: &str| {
        let p = TextPlaces::find(file, value).expect("found");
        line_col(file, p.file_offset(value.find(what).unwrap()))
    };
    let file = "id: t\nrows:\n  - - 가\n    - |-\n      - 첫 줄\n      - 둘째 [링크](table:x) 줄\n";
    assert_eq!(place(file, "- 첫 줄\n- 둘째 [링크](table:x) 줄", "[링크]"), (6, 12));
    assert_eq!(place(file, "- 첫 줄\n- 둘째 [링크](table:x) 줄", "줄\n"), (5, 11));
    let folded = "caption: 첫째 둘째\n  셋째 **넷째**\n";
    assert_eq!(place(folded, "첫째 둘째 셋째 **넷째**", "**"), (2, 6));
    let escaped = "caption: \"따옴표 다음에 \\\"가\\\" 다음 **굵게**\"\n";
    assert_eq!(place(escaped, "따옴표 다음에 \"가\" 다음 **굵게**", "**"), (1, 28));
    // Two cells with the same first words: the second's words are its own.
    let twice = "rows:\n  - [가 나 다 라 마 바, 가 나 다 라 마 바 사]\n";
    let p = TextPlaces::find(twice, "가 나 다 라 마 바 사").unwrap();
    assert_eq!(line_col(twice, p.file_offset(0)), (2, 19), "the whole value, not the first cell that begins like it");
    assert!(TextPlaces::find(twice, "없는 글").is_none());
}

#[test]
fn rust_type_names_are_put_in_words() {
    assert_eq!(
        plain_types("order: invalid type: string \"x4\", expected i64"),
        "order: invalid type: string \"x4\", expected a whole number"
    );
    assert_eq!(
        plain_types("invalid type: sequence, expected struct TableFile"),
        "invalid type: sequence, expected a mapping of fields (`key: value` lines)"
    );
    assert_eq!(plain_types("x: expected usize at the end"), "x: expected a whole number at the end");
    assert_eq!(plain_types("invalid type: map, expected a string"), "invalid type: map, expected a string");
    assert!(plain_types("deserializing from YAML containing more than one document is not supported").contains("one YAML document"));
}

#[test]
fn a_second_document_is_found_where_it_starts() {
    use SecondDocument::{Dedent, Marker};
    assert_eq!(second_document("a: 1\n---\nb: 2\n"), Some(Marker(2)));
    assert_eq!(second_document("# head\n---\na: 1\n--- x\nb: 2\n"), Some(Marker(4)));
    assert_eq!(second_document("---\n---\na: 1\n"), Some(Marker(2)));
    assert_eq!(second_document("a: 1\n...\n\n# note\nb: 2\n"), Some(Marker(5)));
    assert_eq!(second_document("a: 1\n---\tx\n"), Some(Marker(2)));
    assert_eq!(second_document("\n  a: 1\n  b: 2\n# c\n c: 3\n"), Some(Dedent { at: 5, first: 2, indent: 2 }));
    assert_eq!(second_document("a: \"x\n  --- y\"\nb: ---\n----\n"), None);
    assert_eq!(second_document("---\na: 1\n  b: 2\n"), None);
    assert_eq!(second_document("- a\n- b\n"), None);
}

#[test]
fn paths_in_messages_count_items_from_one() {
    assert_eq!(readable_path(".[0]: missing field `name`"), "item 1: missing field `name`");
    assert_eq!(readable_path("facts[0]: invalid month"), "facts, item 1: invalid month");
    assert_eq!(readable_path("rows[2][1]: a number"), "rows, row 3, cell 2: a number");
    assert_eq!(readable_path("rows[2]: x"), "rows, row 3: x");
    assert_eq!(readable_path("chart.items[1].to: x"), "chart.items, item 2, to: x");
    // Not a path, or a path with no list in it: left alone.
    assert_eq!(readable_path("unknown field `x`: y"), "unknown field `x`: y");
    assert_eq!(readable_path("chart: x"), "chart: x");
    assert_eq!(readable_path("a[b]: x"), "a[b]: x");
}

/// A quoted value followed by more text: the help writes the whole value in the other
/// quotes, escaped as those need.
#[test]
fn text_after_a_closing_quote_is_told_the_value_to_write() {
    let help = |t: &str| parse::<T>(t, "t.yaml", 1).unwrap_err().diagnostics[0].help.clone().unwrap_or_default();
    let single = help("values: []\nid: '인터넷 플러스'의 발전 목표\n");
    assert!(single.ends_with("double quotes, `id: \"'인터넷 플러스'의 발전 목표\"`"), "{single}");
    let double = help("values: []\nid: \"중국 \"인터넷 플러스\"의 목표\"\n");
    assert!(double.ends_with("single quotes, `id: '중국 \"인터넷 플러스\"의 목표'`"), "{double}");
    let item = help("id: a\nvalues:\n  - '가'나 \"다\"\n");
    assert!(item.ends_with("`  - \"'가'나 \\\"다\\\"\"`"), "{item}");
    // An escaped quote inside is not the closing one; a quoted value alone is fine.
    assert_eq!(text_after_quote("caption: '그''s'\n", 1), None);
    assert_eq!(text_after_quote("caption: \"a \\\" b\" # 주석\n", 1), None);
}

/// Text that YAML would cut at ` #` is an error with the quoted value to write; a comment
/// written `# …`, a `#` in quotes, in a block text or in an address is left alone.
#[test]
fn text_cut_by_a_comment_is_refused() {
    let e = parse::<T>("id: 중국 #1 기업\nvalues:\n  - 가 #나\n", "t.yaml", 1).unwrap_err();
    let d = &e.diagnostics[0];
    assert_eq!((d.line, d.col, d.message.as_str()), (1, 8, "YAML reads ` #…` here as a comment, so `id` is \"중국\""), "{e}");
    assert_eq!(d.help.as_deref(), Some("put the whole text in quotes, `id: \"중국 #1 기업\"`; a comment is written `# …`, with a space"));
    assert_eq!(comment_in_text(&written_values("values:\n  - 가 #나\n")).map(|c| (c.0, c.1, c.4)), Some((2, 7, "가")));
    for fine in ["id: a # 주석\n", "id: \"중국 #1\"\n", "id: |\n  중국 #1\n", "url: https://x.org/#a\n", "# 주석 #1\nid: a\n"] {
        assert_eq!(comment_in_text(&written_values(fine)), None, "{fine:?}");
    }
}

/// `key:value` (no space after the colon) is pointed at, with the line to write; a value
/// starting with `*` or `!` is told to be quoted.
#[test]
fn a_colon_without_its_space_an_alias_and_a_tag_are_told_the_fix() {
    let e = parse::<T>("values: []\nid:\"가\"\nother: 1\n", "t.yaml", 1).unwrap_err();
    let d = &e.diagnostics[0];
    assert_eq!((d.line, d.col), (2, 4), "{e}");
    assert_eq!(d.help.as_deref(), Some("write a space after the colon: `id: \"가\"`"));
    assert_eq!(colon_without_space("a: 1\nurl:https://x\nb: 2\n", 3), Some((2, 5, "url: https://x".into())));
    assert_eq!(colon_without_space("a: 1\n  https://x.org\nb: 2\n", 3), None, "an address's colon is not a key's");
    let e = parse::<T>("id: a\nvalues:\n  - * 중국 제조업\n", "t.yaml", 1).unwrap_err();
    assert!(e.diagnostics[0].help.as_deref().is_some_and(|h| h.contains("starts with * or &")), "{e}");
    let e = parse::<T>("id: !중요 목표\nvalues: []\n", "t.yaml", 1).unwrap_err();
    assert!(e.diagnostics[0].help.as_deref().is_some_and(|h| h.contains("starts with ! as a tag")), "{e}");
}

/// An anchor or an alias written where text was meant is refused at its place (an anchor
/// alone left the value empty, and the error about it had no line).
#[test]
fn anchors_and_aliases_are_not_text() {
    let e = parse::<T>("id: &made-in-china-2025\nvalues: []\n", "t.yaml", 1).unwrap_err();
    let d = &e.diagnostics[0];
    assert_eq!((d.line, d.col), (1, 5), "{e}");
    assert_eq!(d.message, "YAML reads `&made-in-china-2025` in `id` as an anchor (a name for the value that follows), not as text");
    assert_eq!(d.help.as_deref(), Some("to keep it as text, put it in quotes, `id: \"&made-in-china-2025\"`; otherwise remove the `&`"));
    let e = parse::<T>("id: &a 가\nvalues:\n  - *a\n", "t.yaml", 1).unwrap_err();
    assert_eq!((e.diagnostics[0].line, e.diagnostics[0].col), (1, 5), "{e}");
    let e = parse::<T>("id: \"가\"\nvalues:\n  - &b 나\n  - *b\n", "t.yaml", 1).unwrap_err();
    assert!(e.diagnostics[0].message.contains("`&b` in this item as an anchor"), "{e}");
    assert!(parse::<T>("id: \"&가\"\nvalues: [\"*나\"]\n", "t.yaml", 1).is_ok(), "in quotes they are text");
}

/// A list item with `: ` in its text is a mapping to YAML: the help quotes it.
#[test]
fn an_item_read_as_a_mapping_is_told_to_be_quoted() {
    let e = parse::<T>("id: a\nvalues:\n  - 주: 중국 제조업 # 원문\n", "t.yaml", 1).unwrap_err();
    let d = &e.diagnostics[0];
    assert_eq!((d.line, d.col), (3, 5), "{e}");
    assert_eq!(
        d.help.as_deref(),
        Some("YAML reads `주: 중국 제조업` as a mapping (`key: value`) because of its `: `: put the text in quotes, \"주: 중국 제조업\"")
    );
    let e = parse::<T>("id: a\nvalues:\n  - {가: 나}\n", "t.yaml", 1).unwrap_err();
    assert!(e.diagnostics[0].help.as_deref().is_some_and(|h| h.contains("starts with [ or {")), "{e}");
}

#[test]
fn key_value_lines_are_read_after_their_list_dashes() {
    fn kv(l: &str) -> Option<(usize, &str, &str, usize)> {
        key_value(l).map(|k| (k.key_at, k.key, k.value, k.value_at))
    }
    assert_eq!(kv("caption: 제목 # 주석"), Some((0, "caption", "제목", 9)));
    assert_eq!(kv("  - - row_headers: 1"), Some((6, "row_headers", "1", 19)));
    assert_eq!(kv("definition: |-"), Some((0, "definition", "|-", 12)));
    assert_eq!(kv("- chapter:"), Some((2, "chapter", "", 10)));
    assert_eq!(kv("text: \"a: b\""), Some((0, "text", "\"a: b\"", 6)));
    for not in ["- https://www.gov.cn", "  본문 문장", "- [구분, 값]", ": x", "a b: c", "- \"x\": y"] {
        assert!(kv(not).is_none(), "{not:?}");
    }
}

#[test]
fn yaml_null_is_refused_where_text_would_show_it() {
    let at = |t: &str| written_null(&written_values(t)).map(|(l, c, k, v)| (l, c, k.to_string(), v.to_string()));
    assert_eq!(at("id: a\ncaption: ~\n"), Some((2, 10, "caption".into(), "~".into())));
    assert_eq!(at("id: a\nnotes:\n  - null # none\n"), Some((3, 5, String::new(), "null".into())));
    assert_eq!(at("- id: a\n  chapter: NULL\n"), Some((2, 12, "chapter".into(), "NULL".into())));
    // In quotes, inside a block of text, or part of a longer value: text.
    assert_eq!(at("caption: \"~\"\nnote: ~ 표시\n"), None);
    assert_eq!(at("definition: |\n  a: ~\n  ~\nid: b\n"), None);
    assert_eq!(at("definition: >-\n  null\nid: ~\n"), Some((3, 5, "id".into(), "~".into())));
    let e = parse::<T>("values: []\nid: ~\n", "t.yaml", 4).unwrap_err();
    assert_eq!((e.diagnostics[0].line, e.diagnostics[0].col), (5, 5), "{e}");
    assert!(e.diagnostics[0].help.as_deref().unwrap_or("").contains("leave `id` out"), "{e}");
}

#[test]
fn an_empty_value_is_located_at_its_own_key() {
    let text = "- id: a\n  chapter: ai\n- id:\n  chapter:\n- id: \"\"\n  chapter: ~\n- id: c\n  chapter:\n    - x\n";
    assert_eq!(locate_value(text, "id", "", 0), (3, 3));
    assert_eq!(locate_value(text, "id", "", 1), (5, 3));
    assert_eq!(locate_value(text, "chapter", "", 0), (4, 3));
    assert_eq!(locate_value(text, "chapter", "", 1), (6, 3));
    // A key with a block below it is not empty.
    assert_eq!(locate_value(text, "chapter", "", 2), (0, 0));
    // In flow mappings, with the value last or not.
    let text = "entries:\n  - {label: 북경, value: \"1\"}\n  - {label: 항주, value: \"\"}\n  - {value: , label: 창사}\n";
    assert_eq!(locate_value(text, "value", "", 0), (3, 17));
    assert_eq!(locate_value(text, "value", "", 1), (4, 6));
}

#[test]
fn a_value_is_located_where_its_key_gives_it() {
    let text =
        "id: baidu\nsectors: [big-data, ai]\nfacts:\n  - text: ai\n    chapter: ai\n  - chapter: \"ai\"\nsources:\n  - src\n  - ai\n";
    // Not inside `baidu`, not the fact's text: the `chapter:` lines, first and second.
    assert_eq!(locate_value(text, "chapter", "ai", 0), (5, 14));
    assert_eq!(locate_value(text, "chapter", "ai", 1), (6, 15));
    // An item of a flow list, and of a block list under its key.
    assert_eq!(locate_value(text, "sectors", "ai", 0), (2, 21));
    assert_eq!(locate_value(text, "sources", "ai", 0), (9, 5));
    // Not given to that key (or not that often): the first whole word, then anywhere.
    assert_eq!(locate_value(text, "chapter", "ai", 2), (2, 21));
    assert_eq!(locate_value(text, "chapter", "aid", 0), (1, 6));
    assert_eq!(locate_value(text, "chapter", "zzz", 0), (0, 0));
    // Inside a flow mapping: the key's own value, not another key's.
    let text = "sectors: [ai]\nfacts:\n  - {date: \"2015\", text: ai, chapter: ai}\n  - {chapter: ai, text: x}\n";
    assert_eq!(locate_value(text, "chapter", "ai", 0), (3, 39));
    assert_eq!(locate_value(text, "chapter", "ai", 1), (4, 15));
    assert_eq!(locate_value("- {text: ai, chapter: b}\n", "chapter", "ai", 0), (1, 10));
}

#[test]
fn syntax_errors_get_a_fix_and_no_inner_locations() {
    let e = parse::<T>("id: a\n\tvalues: []\n", "t.yaml", 1).unwrap_err();
    let d = &e.diagnostics[0];
    assert!(!d.message.contains(" at line "), "{d}");
    assert_eq!((d.line, d.help.as_deref()), (2, Some("indent with spaces: YAML does not allow tabs in indentation")), "{d}");
    // A tab before a key that is first at its level: libyaml says only "cannot start any token".
    let e = parse::<T>("values: []\n\tid: a\n", "t.yaml", 1).unwrap_err();
    assert_eq!((e.diagnostics[0].line, e.diagnostics[0].help.as_deref()), (2, Some(TAB_HELP)), "{e}");
    let e = parse::<T>("values: []\nid: @a\n", "t.yaml", 1).unwrap_err();
    assert!(e.diagnostics[0].help.as_deref().unwrap_or("").contains("@"), "{e}");
    let e = parse::<T>("id: a: b\nvalues: []\n", "t.yaml", 1).unwrap_err();
    assert!(e.diagnostics[0].help.as_deref().unwrap_or("").contains("in quotes"), "{e}");
    let e = parse::<T>("id: \"a\nvalues: []\n", "t.yaml", 1).unwrap_err();
    assert!(e.diagnostics[0].help.as_deref().unwrap_or("").contains("not closed"), "{e}");
    // Closed further down by another value's quote: the parser stumbles below the opening.
    let e = parse::<T>("values: []\nid: \"a\nother: \"b\"\n", "c.md", 2).unwrap_err();
    assert_eq!(e.diagnostics[0].help.as_deref(), Some("the quote opened on line 3 is not closed"), "{e}");
    let e = parse::<T>("id: [링크](chapter:a) 설명\nvalues: []\n", "t.yaml", 1).unwrap_err();
    assert!(e.diagnostics[0].help.as_deref().unwrap_or("").contains("as a list or a mapping"), "{e}");
    let e = parse::<T>("id: a\nvalues: ai\n", "t.yaml", 1).unwrap_err();
    assert_eq!((e.diagnostics[0].line, e.diagnostics[0].col), (2, 9), "{e}");
    assert_eq!(e.diagnostics[0].help.as_deref(), Some("write a list, even of one item: [ai]"), "{e}");
    assert_eq!(strip_locations("x at line 2 column 1, while y at line 3 column 4"), "x, while y");
    assert_eq!(strip_locations("seen at line one"), "seen at line one");
}

#[test]
fn a_key_indented_under_a_complete_value_is_told_to_line_up() {
    let help = |text: &str, first_line: usize| {
        let e = parse::<T>(text, "t.yaml", first_line).unwrap_err();
        (e.diagnostics[0].line, e.diagnostics[0].help.clone().unwrap_or_default())
    };
    let (line, text) = help("id: a\n  values: []\n", 1);
    assert_eq!(line, 2);
    assert_eq!(text, "this line is indented more than line 1, whose value is already given: start it at column 1, as the keys beside it");
    // In front matter (its first line is the file's second), after a list.
    let (line, text) = help("values:\n  - x\nid: a\n   values: []\n", 2);
    assert_eq!(line, 5);
    assert!(text.contains("than line 4,") && text.ends_with("column 1, as the keys beside it"), "{text}");
    let e = parse::<Vec<T>>("- id: a\n     values: []\n", "t.yaml", 1).unwrap_err();
    assert!(e.diagnostics[0].help.as_deref().unwrap_or("").contains("start it at column 3"), "{e}");
    // After a quoted value, the parser stops at the key itself.
    let (line, text) = help("id: \"a\"\n  values: []\n", 1);
    assert_eq!((line, text.ends_with("start it at column 1, as the keys beside it")), (2, true), "{text}");
    // A block text whose first line is not indented under its key.
    let e = parse::<Vec<T>>("- id: a\n  values: []\n- id: |-\n  첫 줄이 키처럼 읽힌다\n\n    둘째 줄\n  values: []\n", "g.yaml", 1)
        .unwrap_err();
    assert_eq!(
        e.diagnostics[0].help.as_deref(),
        Some("the text of `id: |-` on line 3 must be indented further than `id`: line 4 starts at column 3, as `id` does"),
        "{e}"
    );
    // A `: ` inside a value is still told to quote it.
    let (_, text) = help("values: [x]\nid: 가: 나\n", 1);
    assert!(text.contains("in quotes"), "{text}");
}

#[test]
fn list_items_are_located_by_position() {
    let text = "header:\n  - [a, b]\nrows:\n  - [x, \"1\"]\n  # note\n  - [x, \"2\"]\n  -\n    - y\n    - \"3\"\nnotes: []\n";
    assert_eq!(locate_item(text, "rows", 0), Some((4, 5)));
    assert_eq!(locate_item(text, "rows", 1), Some((6, 5)));
    // An item written as a block list of its own starts on the `-` line.
    assert_eq!(locate_item(text, "rows", 2), Some((7, 4)));
    assert_eq!(locate_item(text, "rows", 3), None);
    assert_eq!(locate_item(text, "header", 0), Some((2, 5)));
    assert_eq!(locate_item("rows: [[x, y]]\n", "rows", 0), None);
}

#[test]
fn a_number_is_quoted_back_as_written() {
    let text = "rows:\n  - [가, \"1.5\", 1.50 ]\n  - [-0.70 # 주석\n";
    assert_eq!(number_at(text, 2, 16), Some("1.50"));
    assert_eq!(number_at(text, 3, 6), Some("-0.70"));
    // A quoted value, a word, or no such place: not a number as written.
    assert_eq!(number_at(text, 2, 11), None);
    assert_eq!(number_at(text, 2, 8), None);
    assert_eq!(number_at(text, 9, 1), None);
    assert_eq!(number_at(text, 0, 0), None);
}

#[test]
fn a_key_out_of_line_is_found_below_its_item() {
    let text = "-  id: ai\n  name: x\n- id: iot\n  name: y\n";
    assert_eq!(misaligned_key(text, "name", 1, 4), Some((2, 3)));
    // Lined up, absent, or only in the next item: no such hint.
    assert_eq!(misaligned_key(text, "name", 3, 3), None);
    assert_eq!(misaligned_key(text, "chapter", 1, 4), None);
    assert_eq!(misaligned_key("-  id: ai\n- name: x\n", "name", 1, 4), None);
    assert_eq!(misaligned_key(text, "name", 0, 0), None);
}

#[test]
fn a_failed_files_id_is_read_line_by_line() {
    assert_eq!(top_level_scalar("id: baidu\nname: x\n", "id").as_deref(), Some("baidu"));
    assert_eq!(top_level_scalar("---\ntitle: [unclosed\nslug: \"ai\" # note\n---\n", "slug").as_deref(), Some("ai"));
    // Indented keys belong to items; the body after the front matter is not read.
    assert_eq!(top_level_scalar("---\n  slug: x\n---\nslug: y\n", "slug"), None);
    assert_eq!(top_level_scalar("id:\n", "id"), None);
}

#[test]
fn keeps_numbers_as_written() {
    let t: T = parse("id: a\nvalues: [5.980, 10.191]\n", "t.yaml", 1).unwrap();
    assert_eq!(t.values, ["5.980", "10.191"]);
}

#[test]
fn unknown_field_is_located_with_suggestion() {
    let e = parse::<T>("id: a\nvalues: []\nvalue: 3\n", "content/tables/t.yaml", 1).unwrap_err();
    let d = &e.diagnostics[0];
    assert_eq!((d.line, d.col), (3, 1));
    assert!(d.message.contains("unknown field `value`"), "{}", d.message);
    assert_eq!(d.help.as_deref(), Some("did you mean `values`?"));
}

#[test]
fn front_matter_offset_shifts_lines() {
    let e = parse::<T>("id: a\nvalues: 3\n", "c.md", 2).unwrap_err();
    assert_eq!(e.diagnostics[0].line, 3);
}

#[test]
fn duplicate_key_points_at_second_occurrence() {
    let e = parse::<T>("id: a\nvalues: []\nid: b\n", "t.yaml", 1).unwrap_err();
    let d = &e.diagnostics[0];
    assert_eq!((d.line, d.col), (3, 1), "{d}");
}

#[test]
fn empty_and_deep_input_are_errors_not_crashes() {
    assert!(parse::<T>("  \n", "t.yaml", 1).is_err());
    let deep = format!("id: a\nvalues: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let e = parse::<T>(&deep, "t.yaml", 1).unwrap_err();
    assert!(e.to_string().contains("t.yaml:"), "{e}");
}

#[test]
fn locates_keys_and_text() {
    let text = "id: a\nrows:\n  - [x, \"goal\"]\n";
    assert_eq!(locate_key(text, "rows"), (2, 1));
    assert_eq!(locate_text(text, "goal"), (3, 10));
}

/// Values YAML read from several lines are found where they begin, by their longest
/// beginning in the file (text) or their first line (a value given to a key).
#[test]
fn locates_values_written_over_several_lines() {
    let text = "id: a\nfacts:\n  - date: \"2016\"\n    text: \"2016년 유니콘 174개사 중\n      샤오미가 2위\"\n";
    assert_eq!(locate_text(text, "2016년 유니콘 174개사 중 샤오미가 2위"), (4, 12));
    assert_eq!(locate_text(text, "2016년 다른 문장"), (0, 0), "a beginning shorter than 8 characters is not its own");
    let text = "id: f\nsource: \"[```\n  미래창조과학부, 2015.](source:msip)\"\n";
    assert_eq!(locate_text(text, "[``` 미래창조과학부, 2015.](source:msip)"), (2, 10), "folded at its first word");
    let text = "entries:\n  - {label: \"a\", value: \"1.3\"}\n  - {label: \"b\", value: \"1.\n\n    3997\"}\n";
    assert_eq!(locate_value(text, "value", "1.\n3997", 0), (3, 26));
    let text = "id: a\nsectors: [ai, \"빅데이터 백업센터를 \\\"구축\\\" 방안\"]\n";
    assert_eq!(locate_value(text, "sectors", "빅데이터 백업센터를 \"구축\" 방안", 0), (2, 16), "an escaped quote");
    let text = "id: a\nsectors: [a\n| a | b |\ni]\n";
    assert_eq!(locate_value(text, "sectors", "a | a | b | i", 0), (2, 11), "folded");
    let text = "id: a\nsectors: [\"a\\\"b c\"]\n";
    assert_eq!(locate_value(text, "sectors", "a\"b c", 0), (2, 1), "the key defined once");
    assert_eq!(locate_value("id: a\naliases: [\"\", b]\n", "aliases", "", 0), (2, 1), "an empty value");
    let text = "- value: x\n- value: [\"a\\\"b c\"]\n";
    assert_eq!(locate_value(text, "value", "a\"b c", 0), (0, 0), "a key defined twice does not say which");
}
