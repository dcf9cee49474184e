//! The `trailguard` binary: parse the command line, run, exit with the code.

/// mimalloc: the scan allocates many small, short-lived values from two threads; with glibc's
/// malloc a quarter of the time went to its bookkeeping and to faulting in fresh pages.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

fn main() {
    let cli = trailguard::cli::Cli::parse();
    std::process::exit(trailguard::cli::run(cli));
}
