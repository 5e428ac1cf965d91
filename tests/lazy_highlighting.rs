//! Syntect's syntax set (a few MB to decode) is loaded only when a page has a code block: a
//! report without code never pays for it. One test in its own process, since the set, once
//! loaded, stays loaded for the life of the process.

mod common;

use common::{Site, chapter};
use reportgen::render::highlight;

#[test]
fn the_syntax_set_is_loaded_only_once_code_appears() {
    let s = Site::new();
    s.write("content/chapters/01-one.md", &chapter(1, "one", "첫째 장", "## 개요\n\n본문 문단과 `인라인 코드`.\n"));
    assert!(!s.built().highlighted);
    assert!(!highlight::loaded(), "a build without a fenced code block loaded the syntax set");

    s.write("content/chapters/02-two.md", &chapter(2, "two", "둘째 장", "```python\nprint(\"안녕\")\n```\n"));
    assert!(s.built().highlighted);
    assert!(highlight::loaded());
    assert!(s.page("chapters/two/index.html").contains("<span class=\"l"));
}
