//! Time and memory spent in each pipeline stage, for `build --timings`.

use std::fmt;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub load: Duration,
    pub parse: Duration,
    pub resolve: Duration,
    /// Wall time of the render stage (templates, highlighting, writing pages, and the search
    /// index built alongside), all threads.
    pub render: Duration,
    /// CPU time inside syntect, summed over threads (part of render).
    pub highlight: Duration,
    /// Wall time of building the search index, alongside the pages (part of render).
    pub search: Duration,
    /// Time spent in file writes, summed over threads (mostly part of render).
    pub write: Duration,
    /// Swapping the finished output into place.
    pub commit: Duration,
    pub total: Duration,
    /// Peak resident memory (KiB) at the end of each stage: load, parse, resolve, render.
    pub peak_kib: [Option<u64>; 4],
}

/// Measures one stage: `let t = Stage::start(); …; timings.load = t.stop();`
pub struct Stage(Instant);

impl Stage {
    pub fn start() -> Self {
        Stage(Instant::now())
    }

    pub fn stop(self) -> Duration {
        self.0.elapsed()
    }
}

/// The process's peak resident set so far, in KiB, where the system reports it (one
/// `getrusage` call: Linux's `ru_maxrss` is the same high-water mark as `VmHWM`).
pub fn peak_rss_kib() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: an all-zero rusage is valid, and getrusage only writes into it.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `ru` is a valid, writable rusage.
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) } == 0 {
            return u64::try_from(ru.ru_maxrss).ok();
        }
    }
    None
}

/// CPU time used by the calling thread (user and system), where the system reports it.
pub fn thread_cpu() -> Duration {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: `ts` is a valid, writable timespec.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0 {
            return Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32);
        }
    }
    Duration::ZERO
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn mib(k: Option<u64>) -> String {
    k.map_or_else(String::new, |k| format!("   peak {:.0} MiB", k as f64 / 1024.0))
}

impl fmt::Display for Timings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.peak_kib;
        writeln!(f, "  load       {:>10}{}", ms(self.load), mib(p[0]))?;
        writeln!(f, "  parse      {:>10}{}", ms(self.parse), mib(p[1]))?;
        writeln!(f, "  resolve    {:>10}{}", ms(self.resolve), mib(p[2]))?;
        writeln!(f, "  render     {:>10}{}   (wall; includes the three below)", ms(self.render), mib(p[3]))?;
        writeln!(f, "  highlight  {:>10}   (CPU, summed over threads)", ms(self.highlight))?;
        writeln!(f, "  write      {:>10}   (time in file writes, summed over threads)", ms(self.write))?;
        writeln!(f, "  search     {:>10}   (wall, alongside the pages)", ms(self.search))?;
        writeln!(f, "  commit     {:>10}", ms(self.commit))?;
        write!(f, "  total      {:>10}", ms(self.total))
    }
}
