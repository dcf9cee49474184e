//! Phase timings for the benchmark (`--features timings`): each phase's wall time, CPU time
//! (all threads) and the resident memory at its end, printed to standard error. Without the feature, nothing.

/// The clock of one scan.
pub(super) struct Phases {
    #[cfg(feature = "timings")]
    last: std::time::Instant,
    #[cfg(feature = "timings")]
    last_cpu: f64,
}

/// The process's CPU time (all threads), in seconds.
#[cfg(feature = "timings")]
fn cpu_seconds() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec to write into.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

impl Phases {
    pub(super) fn start() -> Phases {
        Phases {
            #[cfg(feature = "timings")]
            last: std::time::Instant::now(),
            #[cfg(feature = "timings")]
            last_cpu: cpu_seconds(),
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
        let cpu = cpu_seconds();
        eprintln!(
            "phase {name:<12} {:>8.1} ms {:>8.1} ms cpu {rss_mb:>5} MB",
            (now - self.last).as_secs_f64() * 1000.0,
            (cpu - self.last_cpu) * 1000.0
        );
        self.last = now;
        self.last_cpu = cpu;
    }

    #[cfg(not(feature = "timings"))]
    #[inline(always)]
    pub(super) fn end(&mut self, _name: &str) {}
}
