//! The `trailguard` binary: parse the command line, run, exit with the code.

/// mimalloc: the scan allocates many small, short-lived values from two threads; with glibc's
/// malloc a quarter of the time went to its bookkeeping and to faulting in fresh pages.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

/// mimalloc's `mi_option_purge_delay` (its place in v3's `mi_option_t`; the crate does not name
/// it). Its default is 1,000 ms (`options.c`).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory freed during a scan is kept for the next allocations instead of being handed back to
/// the system after a delay: fresh pages cost the kernel's zeroing when touched again (a fifth of
/// a scan's CPU time), and a scan is short. `MIMALLOC_PURGE_DELAY` in the environment still
/// decides; the option is only set when it holds its documented default, so a mimalloc whose
/// options are numbered otherwise is left alone.
fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: plain reads and writes of mimalloc's option table, before any other thread of
    // this process exists (the option functions are not thread-safe).
    unsafe {
        if libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) == 1000 {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
        }
    }
}

fn main() {
    keep_freed_memory();
    let cli = trailguard::cli::Cli::parse();
    std::process::exit(trailguard::cli::run(cli));
}
