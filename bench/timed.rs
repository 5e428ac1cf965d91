//! Runs one command and reports what it cost: `timed OUT CMD [ARGS...]`.
//!
//! Wall time is taken from just before the command is spawned to just after it is reaped
//! (what a shell's `time` shows); peak RSS, user and system CPU come from `wait4`. The command's
//! stdout and stderr go to OUT; the figures are printed on stdout as
//! `wall_s rss_kib user_s sys_s exit_code`. This process is small, so the memory the child ran
//! in before `exec` (which Linux counts towards its maximum RSS) is this launcher's, not the
//! harness's. Standard library only: the harness compiles it with `rustc -O`.

use std::fs::File;
use std::process::{Command, Stdio};
use std::time::Instant;

/// `struct rusage` on 64-bit Linux.
#[repr(C)]
#[derive(Default)]
struct Rusage {
    utime: [i64; 2],
    stime: [i64; 2],
    maxrss: i64,
    rest: [i64; 13],
}

unsafe extern "C" {
    fn wait4(pid: i32, status: *mut i32, options: i32, rusage: *mut Rusage) -> i32;
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: timed OUT CMD [ARGS...]");
        std::process::exit(2);
    }
    let out = File::create(&args[0]).expect("create output file");
    let err = out.try_clone().expect("clone output file");
    let mut cmd = Command::new(&args[1]);
    cmd.args(&args[2..]).stdin(Stdio::null()).stdout(out).stderr(err);
    let started = Instant::now();
    let child = cmd.spawn().expect("spawn");
    let mut status = 0i32;
    let mut ru = Rusage::default();
    let pid = child.id() as i32;
    let r = unsafe { wait4(pid, &mut status, 0, &mut ru) };
    let wall = started.elapsed().as_secs_f64();
    assert_eq!(r, pid, "wait4 failed");
    // Exit code, or 128 + signal as a shell reports it.
    let code = if status & 0x7f == 0 { (status >> 8) & 0xff } else { 128 + (status & 0x7f) };
    let secs = |t: [i64; 2]| t[0] as f64 + t[1] as f64 / 1e6;
    println!("{wall:.6} {} {:.6} {:.6} {code}", ru.maxrss, secs(ru.utime), secs(ru.stime));
}
