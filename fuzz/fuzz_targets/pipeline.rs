//! The whole pipeline on a small site on disk: one file (chosen by the first byte) replaced by
//! the input, then load, parse, resolve, render and the atomic write.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use reportgen::build::{analyze, write};

const FILES: [&str; 6] = [
    "content/chapters/01.md",
    "content/tables/t1.yaml",
    "content/companies/baidu.yaml",
    "content/glossary.yaml",
    "content/figures/f1.yaml",
    "content/index.md",
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let root = common::site();
    let rel = FILES[which as usize % FILES.len()];
    let path = root.join(rel);
    let original = std::fs::read(&path).unwrap();
    let bytes = if rel.ends_with(".md") && which & 0x80 == 0 { [common::CHAPTER_HEAD.as_bytes(), rest].concat() } else { rest.to_vec() };
    std::fs::write(&path, &bytes).unwrap();
    if let Ok(a) = analyze(root, None) {
        let out = root.join("public");
        write(&a, out.clone(), None).expect("an analysed site must render and write");
        assert!(out.join("index.html").is_file());
    }
    std::fs::write(&path, original).unwrap();
});
