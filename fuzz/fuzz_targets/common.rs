//! A small valid site on disk, created once per fuzzing process, for the targets that need
//! a whole model (ids to refer to, chapters to quote).

use std::path::PathBuf;
use std::sync::OnceLock;

pub const CHAPTER_HEAD: &str = "---\ntitle: \"퍼즈 장\"\norder: 1\nslug: fuzz\n---\n\n";

pub fn site() -> &'static PathBuf {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("reportgen-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let w = |rel: &str, text: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        w("site.toml", &std::fs::read_to_string(repo.join("site.toml")).unwrap());
        copy(&repo.join("themes"), &root.join("themes"));
        w("content/index.md", "---\ncontact: \"문의\"\n---\n");
        w("content/chapters/01.md", &format!("{CHAPTER_HEAD}## 가. 개요\n\n바이두 본문.\n"));
        w("content/chapters/02.md", "---\ntitle: 둘째\norder: 2\nslug: two\n---\n\n## 세부 {#details}\n\n샤오미.\n\n![](table:t1)\n");
        w("content/tables/t1.yaml", "id: t1\ncaption: 표\nheader:\n  - [가, 나]\nrows:\n  - [\"1\", \"2\"]\nsource: \"[자료](source:src)\"\n");
        w("content/figures/f1.yaml", "id: f1\ncaption: 그림\n");
        w("content/companies/baidu.yaml", "id: baidu\nname: 바이두\nenglish: Baidu\nsectors: [ai]\n");
        w("content/companies/xiaomi.yaml", "id: xiaomi\nname: 샤오미\nsectors: [ai]\n");
        w("content/sectors.yaml", "- id: ai\n  name: 인공지능\n");
        w("content/sources.yaml", "- id: src\n  name: 자료\n");
        w("content/glossary.yaml", "- id: term\n  term: 본문\n  definition: \"바이두 본문\"\n  chapter: fuzz\n");
        root
    })
}

fn copy(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}
