//! The `trailguard` binary: parse the command line, run, exit with the code.

use clap::Parser;

fn main() {
    let cli = trailguard::cli::Cli::parse();
    std::process::exit(trailguard::cli::run(cli));
}
