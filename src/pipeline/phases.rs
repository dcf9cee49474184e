//! Phase timings for the benchmark (`--features timings`): each phase's wall time and the
//! resident memory at its end, printed to standard error. Without the feature, nothing.

/// The clock of one scan.
pub(super) struct Phases {
    #[cfg(feature = "timings")]
    last: std::time::Instant,
}

impl Phases {
    pub(super) fn start() -> Phases {
        Phases {
            #[cfg(feature = "timings")]
            last: std::time::Instant::now(),
        }
    }

    /// The phase `name` ended.
    #[cfg(feature = "timings")]
    pub(super) fn end(&mut self, name: &str) {
        let now = std::time::Instant::now();
        let rss_mb = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split(' ').nth(1)?.parse::<u64>().ok())
            .map_or(0, |pages| pages * 4096 / (1 << 20));
        eprintln!(
            "phase {name:<12} {:>8.1} ms {rss_mb:>5} MB",
            (now - self.last).as_secs_f64() * 1000.0
        );
        self.last = now;
    }

    #[cfg(not(feature = "timings"))]
    #[inline(always)]
    pub(super) fn end(&mut self, _name: &str) {}
}
