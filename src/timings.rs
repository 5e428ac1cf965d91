//! Time spent in each pipeline stage, for `build --timings`.

use std::fmt;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub load: Duration,
    pub parse: Duration,
    pub resolve: Duration,
    /// Wall time of the render stage (templates, highlighting, writing pages), all threads.
    pub render: Duration,
    /// CPU time inside syntect, summed over threads (part of render).
    pub highlight: Duration,
    pub search: Duration,
    /// CPU time spent writing files, summed over threads (mostly part of render).
    pub write: Duration,
    /// Swapping the finished output into place.
    pub commit: Duration,
    pub total: Duration,
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

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

impl fmt::Display for Timings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "  load       {:>10}", ms(self.load))?;
        writeln!(f, "  parse      {:>10}", ms(self.parse))?;
        writeln!(f, "  resolve    {:>10}", ms(self.resolve))?;
        writeln!(f, "  render     {:>10}   (wall; includes the two CPU sums below)", ms(self.render))?;
        writeln!(f, "  highlight  {:>10}   (CPU, all threads)", ms(self.highlight))?;
        writeln!(f, "  write      {:>10}   (CPU, all threads)", ms(self.write))?;
        writeln!(f, "  search     {:>10}", ms(self.search))?;
        writeln!(f, "  commit     {:>10}", ms(self.commit))?;
        write!(f, "  total      {:>10}", ms(self.total))
    }
}
