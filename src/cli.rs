//! The command line: clap definitions and what each command does. `main` only maps the
//! outcome to an exit code.

use crate::report::Level;
use crate::{Config, rules, scan};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "trailguard",
    version,
    about = "Lints the S3 bucket and KMS key policies AWS CloudTrail needs to deliver logs"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint files and directories (default: .)
    Scan(ScanArgs),
    /// Print the table of all rules
    Rules,
    /// Print a rule's documentation
    Explain {
        /// Rule ID, e.g. TG003
        id: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    pub fn level(self) -> Option<Level> {
        match self {
            FailOn::Error => Some(Level::Error),
            FailOn::Warning => Some(Level::Warning),
            FailOn::Note => Some(Level::Note),
            FailOn::Never => None,
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    /// Files and directories to lint
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Lowest level that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Only these rules (comma-separated IDs)
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub select: Option<Vec<String>>,
    /// Skip these rules (comma-separated IDs)
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub ignore: Vec<String>,
    /// Skip paths matching GLOB (gitignore syntax; repeatable)
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// No colours in human output (NO_COLOR is honoured too)
    #[arg(long)]
    pub no_color: bool,
    /// Print findings only, no hints, notes or summary
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Worker threads (default: one per core)
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
}

/// Runs the CLI; returns the exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Rules => {
            let mut out =
                String::from("ID     NAME                                 LEVEL    SUMMARY\n");
            for (m, _) in rules::ALL {
                out.push_str(&format!(
                    "{:<6} {:<36} {:<8} {}\n",
                    m.id,
                    m.name,
                    m.level.as_str(),
                    m.summary
                ));
            }
            print!("{out}");
            0
        }
        Command::Explain { id } => match rules::find(&id) {
            Some(m) => {
                print!("{}", rules::docs::page(m.id));
                0
            }
            None => {
                eprintln!("error: no rule {id}; `trailguard rules` lists them");
                2
            }
        },
        Command::Scan(args) => run_scan(args),
    }
}

fn validate_ids(ids: &[String]) -> Result<(), String> {
    for id in ids {
        if rules::find(id).is_none() {
            return Err(format!(
                "unknown rule ID {id:?}; `trailguard rules` lists them"
            ));
        }
    }
    Ok(())
}

fn run_scan(args: ScanArgs) -> i32 {
    if let Some(n) = args.threads {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
    for p in &args.paths {
        if !p.exists() {
            eprintln!("error: {} does not exist", p.display());
            return 2;
        }
    }
    let ids: Vec<String> = args
        .select
        .iter()
        .flatten()
        .chain(&args.ignore)
        .cloned()
        .collect();
    if let Err(e) = validate_ids(&ids) {
        eprintln!("error: {e}");
        return 2;
    }
    let config = Config {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        exclude: args.exclude.clone(),
        threads: args.threads,
    };
    let report = match scan(&args.paths, &config) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let text = match args.format {
        Format::Human => crate::report::text::render(&report, args.quiet),
        Format::Json => crate::report::json::render(&report),
        Format::Sarif => crate::report::sarif::render(&report),
    };
    let written = match &args.output {
        Some(path) => std::fs::write(path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string()),
    };
    if let Err(e) = written {
        eprintln!("error: {e}");
        return 2;
    }
    i32::from(report.fails_at(args.fail_on.level()))
}
