//! Markdown with references, placements, footnotes, mentions and quotes: parse and resolve a
//! chapter body against a small model, in memory.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use reportgen::build::analyze;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    static MODEL: std::sync::OnceLock<std::sync::Mutex<reportgen::build::Analysis>> = std::sync::OnceLock::new();
    let cell = MODEL.get_or_init(|| std::sync::Mutex::new(analyze(common::site(), None).expect("the fuzz site is valid")));
    let mut a = cell.lock().unwrap();
    let ch = &mut a.model.chapters[0];
    ch.origin.text = format!("{}{body}", common::CHAPTER_HEAD);
    ch.body_start = common::CHAPTER_HEAD.len();
    let bodies = a.model.chapter_bodies();
    let Ok(parsed) = reportgen::markdown::parse(&a.model, bodies, &a.settings, &a.urls) else { return };
    let _ = reportgen::resolve::resolve(&a.model, &parsed);
});
