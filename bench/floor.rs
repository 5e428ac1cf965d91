//! The write floor: the time to write a built site's bytes to the same places, and nothing else.
//!
//! `floor SRC DST THREADS` reads every file under SRC into memory (not timed), then creates
//! DST's directories (each once, one tree level at a time, in parallel) and writes every file
//! with the same relative path and bytes (in parallel over THREADS threads), and prints the
//! seconds that took. DST must not exist. Standard library only: the harness compiles it with
//! `rustc -O`, apart from the engine, so the floor owes nothing to the code it measures.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

fn walk(root: &Path, rel: &Path, dirs: &mut Vec<PathBuf>, files: &mut Vec<(PathBuf, Vec<u8>)>) {
    let mut entries: Vec<_> = fs::read_dir(root.join(rel)).expect("read_dir").map(|e| e.expect("dir entry")).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let r = rel.join(e.file_name());
        let kind = e.file_type().expect("file type");
        if kind.is_dir() {
            dirs.push(r.clone());
            walk(root, &r, dirs, files);
        } else {
            let bytes = fs::read(root.join(&r)).expect("read");
            files.push((r, bytes));
        }
    }
}

/// Runs `job(i)` for every i in 0..n over `threads` threads.
fn parallel(n: usize, threads: usize, job: &(dyn Fn(usize) + Sync)) {
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                job(i);
            });
        }
    });
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: floor SRC DST THREADS");
        std::process::exit(2);
    }
    let (src, dst) = (PathBuf::from(&args[1]), PathBuf::from(&args[2]));
    let threads: usize = args[3].parse().expect("THREADS is a number");
    assert!(!dst.exists(), "{} exists", dst.display());
    let (mut dirs, mut files) = (Vec::new(), Vec::new());
    walk(&src, Path::new(""), &mut dirs, &mut files);
    let max_depth = dirs.iter().map(|d| d.components().count()).max().unwrap_or(0);
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();

    let start = Instant::now();
    fs::create_dir(&dst).expect("create DST");
    for depth in 1..=max_depth {
        let level: Vec<&PathBuf> = dirs.iter().filter(|d| d.components().count() == depth).collect();
        parallel(level.len(), threads, &|i| fs::create_dir(dst.join(level[i])).expect("create_dir"));
    }
    parallel(files.len(), threads, &|i| {
        let (rel, data) = &files[i];
        fs::File::create(dst.join(rel)).and_then(|mut f| f.write_all(data)).expect("write");
    });
    let secs = start.elapsed().as_secs_f64();
    println!("{secs:.6} {} {} {bytes}", files.len(), dirs.len());
}
