//! Chapter and home-page files: decoding, front matter splitting and typed YAML front matter.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reportgen::content::files::{Origin, decode};
use reportgen::content::{chapter, home};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode(data.to_vec(), "content/chapters/f.md") else { return };
    let origin = Origin { file: "content/chapters/f.md".into(), text };
    if let Ok(c) = chapter::parse(origin.clone()) {
        let _ = c.plain_title();
        let _ = c.body();
    }
    let _ = home::parse(origin);
});
