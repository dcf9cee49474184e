//! The command line: clap definitions and what each command does. `main` only maps the
//! outcome to an exit code.

use crate::finding::{Finding, Level};
use crate::{Config, Report, config, rules, scan};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "trailguard",
    version,
    about = "Lints the S3 bucket and KMS key policies AWS CloudTrail needs to deliver logs",
    after_help = "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or configuration error."
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
        /// Rule ID or name, e.g. TG003 or source-condition-missing
        #[arg(value_parser = RuleArg, hide_possible_values = true)]
        id: String,
        /// Show only the examples of one input format (default: all)
        #[arg(long, value_enum)]
        format: Option<crate::report::page::ExampleFormat>,
        /// Print the page's Markdown source instead of rendering it
        #[arg(long)]
        markdown: bool,
        /// When to colour the rendering
        #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
        color: ColorWhen,
    },
    /// Print a correct log-bucket policy as JSON: CloudTrail's, or with --service those of the
    /// services sharing the bucket (with --kms, CloudTrail's key policy)
    Policy(PolicyArgs),
    /// Print a shell completion script
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
}

/// A rule named on the command line: any text (checked later, with spaces trimmed and case
/// ignored), completed from the rule IDs and names.
#[derive(Clone)]
struct RuleArg;

impl clap::builder::TypedValueParser for RuleArg {
    type Value = String;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        Ok(value.to_string_lossy().trim().to_string())
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(rules::ALL.iter().map(|r| r.meta).flat_map(|m| {
            [
                clap::builder::PossibleValue::new(m.id).help(m.name),
                clap::builder::PossibleValue::new(m.name).help(m.id),
            ]
        })))
    }
}

/// Prints a rule's page: rendered for the terminal (paged through `$PAGER`, else `less`,
/// when it is longer than the terminal), or as Markdown.
fn explain(
    id: &str,
    format: Option<crate::report::page::ExampleFormat>,
    markdown: bool,
    color: ColorWhen,
) {
    use std::io::IsTerminal;
    let page = crate::report::page::narrow(rules::docs::page(id), format);
    if markdown {
        print!("{page}");
        return;
    }
    let tty = std::io::stdout().is_terminal();
    let color = match color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => tty && plain_terminal_allows_color(),
    };
    let (width, height) = terminal_size().unwrap_or((80, 0));
    let text = crate::report::page::render(&page, color, width);
    if tty && height > 0 && text.lines().count() >= height && page_through_pager(&text) {
        return;
    }
    println!("{text}");
}

/// Colour is off under `NO_COLOR` and `TERM=dumb`.
fn plain_terminal_allows_color() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    !no_color && !dumb
}

/// Columns and rows of the terminal on stdout.
fn terminal_size() -> Option<(usize, usize)> {
    // SAFETY: TIOCGWINSZ fills a `winsize` we own; a failing call leaves it zeroed.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) };
    (rc == 0 && ws.ws_col > 0).then_some((ws.ws_col as usize, ws.ws_row as usize))
}

/// Shows `text` through the user's pager; false when none could be started.
fn page_through_pager(text: &str) -> bool {
    let pager = std::env::var("PAGER").unwrap_or_default();
    let mut words = pager.split_whitespace();
    let mut cmd = match words.next() {
        Some(program) => {
            let mut c = std::process::Command::new(program);
            c.args(words);
            c
        }
        None => {
            let mut c = std::process::Command::new("less");
            c.arg("-FRX");
            c
        }
    };
    let Ok(mut child) = cmd.stdin(std::process::Stdio::piped()).spawn() else {
        return false;
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(text.as_bytes());
        let _ = stdin.write_all(b"\n");
    }
    child.wait().is_ok()
}

#[derive(clap::Args, Debug)]
pub struct PolicyArgs {
    /// The log bucket's name
    #[arg(long)]
    pub bucket: Option<String>,
    /// The trail owner's account ID
    #[arg(long)]
    pub account: Option<String>,
    /// The trail's ARN (scopes the grants with aws:SourceArn)
    #[arg(long)]
    pub trail_arn: Option<String>,
    /// The S3 key prefix the logs are written under (every service's, with --service)
    #[arg(long)]
    pub prefix: Option<String>,
    /// The organization ID, for an organization trail
    #[arg(long)]
    pub org_id: Option<String>,
    /// The partition (aws, aws-cn, aws-us-gov, …) [default: the trail ARN's, the Region's, or aws]
    #[arg(long)]
    pub partition: Option<String>,
    /// Print the KMS key policy for the trail's key instead
    #[arg(long)]
    pub kms: bool,
    /// The services that deliver to the bucket, comma-separated: their statements together in
    /// one policy [default: cloudtrail]
    #[arg(long, value_enum, value_delimiter = ',', value_name = "SERVICES")]
    pub service: Vec<crate::generate::Service>,
    /// The Region of the load balancer (required with elb: it decides who writes) or of the
    /// log sources (scopes delivery.logs' aws:SourceArn)
    #[arg(long)]
    pub region: Option<String>,
    /// The bucket whose S3 server access logs are delivered (scopes logging.s3's
    /// aws:SourceArn)
    #[arg(long)]
    pub source_bucket: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Gitlab,
    /// reviewdog's Diagnostic JSON, fixes as suggestions
    Rdjson,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
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
    /// Output format [default: human]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE instead of stdout (`-`: stdout, whatever the configuration says)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Lowest level that makes the exit code 1 [default: warning]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Only these rules (comma-separated IDs or names)
    #[arg(long, value_delimiter = ',', value_name = "IDS", value_parser = RuleArg, hide_possible_values = true)]
    pub select: Option<Vec<String>>,
    /// Skip these rules (comma-separated IDs or names)
    #[arg(long, value_delimiter = ',', value_name = "IDS", value_parser = RuleArg, hide_possible_values = true)]
    pub ignore: Vec<String>,
    /// Skip paths matching GLOB (gitignore syntax; repeatable)
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Configuration file [default: .trailguard.toml found by walking up from the first path]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not report findings recorded in FILE
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in FILE and exit 0
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// No colours in human output (NO_COLOR is honoured too)
    #[arg(long, conflicts_with = "color")]
    pub no_color: bool,
    /// Colours in human output: auto (a terminal, unless NO_COLOR), always, never
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Print findings only, no hints, notes or summary
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Worker threads, at least 1 (default: one per core)
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Let file(), templatefile(), module sources and symlinks read outside the scan root (the
    /// repository of each PATH). Only for code you trust; not settable in .trailguard.toml
    #[arg(long)]
    pub allow_outside_root: bool,
    /// Also list, on standard error, every policy analysed (kind, position, the trails it was
    /// checked against) and every file that looked like a policy but was not read, with why
    #[arg(long)]
    pub explain_reach: bool,
    /// Apply the safe fixes in place (files inside the scan root the scan reported on), then
    /// report what remains
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Apply the unsafe fixes too (they grant or narrow access); with --diff, show them
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing (exit 1 when there is a diff)
    #[arg(long)]
    pub diff: bool,
}

/// Runs the CLI; returns the exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Rules => {
            let width = rules::ALL
                .iter()
                .map(|r| r.meta.name.len())
                .max()
                .unwrap_or(4);
            let mut out = format!("{:<6} {:<width$} {:<8} SUMMARY\n", "ID", "NAME", "LEVEL");
            for m in rules::ALL.iter().map(|r| r.meta) {
                out.push_str(&format!(
                    "{:<6} {:<width$} {:<8} {}\n",
                    m.id,
                    m.name,
                    m.level.as_str(),
                    m.summary
                ));
            }
            print!("{out}");
            0
        }
        Command::Explain {
            id,
            format,
            markdown,
            color,
        } => match rules::find(&id) {
            Some(m) => {
                explain(m.id, format, markdown, color);
                0
            }
            None => {
                eprintln!("error: no rule {id}; `trailguard rules` lists them");
                2
            }
        },
        Command::Policy(a) => {
            let req = crate::generate::Request {
                bucket: a.bucket,
                account: a.account,
                trail_arn: a.trail_arn,
                prefix: a.prefix,
                org_id: a.org_id,
                partition: a.partition,
                kms: a.kms,
                services: a.service,
                region: a.region,
                source_bucket: a.source_bucket,
            };
            match crate::generate::policy(&req) {
                Ok(v) => {
                    println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
                    0
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    2
                }
            }
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "trailguard",
                &mut std::io::stdout(),
            );
            0
        }
        Command::Man => {
            let _ = std::io::stdout().write_all(man_page().as_bytes());
            0
        }
        Command::Scan(args) => match run_scan(args) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        },
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

/// Escapes text for roff.
fn roff(s: &str) -> String {
    s.replace('\\', "\\e")
        .replace('-', "\\-")
        .replace('\n', " ")
}

/// The man page: clap's header, then every subcommand with its options, the exit status, the
/// configuration keys and the rules.
fn man_page() -> String {
    use std::fmt::Write as _;
    let cmd = Cli::command();
    let mut buf = vec![];
    let man = clap_mangen::Man::new(cmd.clone());
    let _ = man.render_title(&mut buf);
    let _ = man.render_name_section(&mut buf);
    let _ = man.render_synopsis_section(&mut buf);
    let _ = man.render_description_section(&mut buf);
    let mut s = String::from_utf8_lossy(&buf).into_owned();
    s.push_str(".SH COMMANDS\n");
    for sub in cmd.get_subcommands() {
        let name = sub.get_name();
        let args: Vec<String> = sub
            .get_positionals()
            .map(|a| format!("[{}]", a.get_id().as_str().to_uppercase()))
            .collect();
        let _ = writeln!(
            s,
            ".SS \"trailguard {name}{}{}\"\n{}",
            if args.is_empty() { "" } else { " " },
            args.join(" "),
            roff(&sub.get_about().map(|a| a.to_string()).unwrap_or_default())
        );
        for a in sub.get_arguments().filter(|a| !a.is_positional()) {
            let Some(long) = a.get_long() else { continue };
            let short = a
                .get_short()
                .map(|c| format!("\\-{c}, "))
                .unwrap_or_default();
            let value = a
                .get_value_names()
                .map(|v| format!(" {}", v.join(" ")))
                .unwrap_or_default();
            let possible: Vec<String> = a
                .get_possible_values()
                .iter()
                .map(|p| p.get_name().to_string())
                .collect();
            let value = if possible.is_empty() || !value.is_empty() {
                value
            } else {
                format!(" {}", possible.join("|"))
            };
            let _ = writeln!(
                s,
                ".TP\n\\fB{short}\\-\\-{}\\fR{}\n{}",
                roff(long),
                roff(&value),
                roff(&a.get_help().map(|h| h.to_string()).unwrap_or_default())
            );
        }
    }
    s.push_str(".SH \"EXIT STATUS\"\n.TP\n0\nNothing at or above \\-\\-fail\\-on.\n.TP\n1\nFindings at or above \\-\\-fail\\-on.\n.TP\n2\nUsage or configuration error (bad flag, unknown rule, bad configuration, missing path, refused file).\n");
    s.push_str(".SH CONFIGURATION\n\\fI.trailguard.toml\\fR, found by walking up from the first path (or named with \\-\\-config). Keys: select, ignore, fail\\-on, exclude (relative to the file), baseline and output (files below the file's directory), format, quiet, no\\-color, threads, [per\\-path\\-ignores], [levels], [[trails]] (arn, account, prefix, bucket, organization). Flags win over the file.\n");
    s.push_str(".SH RULES\n");
    for m in crate::rules::ALL.iter().map(|r| r.meta) {
        let _ = writeln!(
            s,
            ".TP\n\\fB{}\\fR {} ({})\n{}",
            m.id,
            roff(m.name),
            m.level.as_str(),
            roff(m.summary)
        );
    }
    s.push_str(".SH \"SEE ALSO\"\ntrailguard explain TGnnn prints a rule's page.\n");
    s
}

/// A baseline file: the fingerprints of accepted findings.
#[derive(serde::Serialize, serde::Deserialize)]
struct Baseline {
    version: u32,
    findings: Vec<BaselineEntry>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct BaselineEntry {
    fingerprint: String,
    rule: String,
    path: String,
    line: usize,
}

/// The largest baseline read.
const MAX_BASELINE_BYTES: u64 = 256 * 1024 * 1024;

fn read_baseline(path: &Path) -> Result<std::collections::HashSet<String>, String> {
    let text = crate::fs::read_named(path, MAX_BASELINE_BYTES)
        .map_err(|e| format!("cannot read the baseline: {e}"))?;
    // The parser's message may quote the file: say only where it went wrong.
    let b: Baseline = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: not a trailguard baseline (write one with --write-baseline)",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    Ok(b.findings.into_iter().map(|f| f.fingerprint).collect())
}

fn write_baseline(path: &Path, report: &Report) -> Result<(), String> {
    let b = Baseline {
        version: 1,
        findings: report
            .findings
            .iter()
            .map(|f: &Finding| BaselineEntry {
                fingerprint: f.fingerprint.clone(),
                rule: f.rule.id.to_string(),
                path: report.sources.get(f.span.file).display.clone(),
                line: report.sources.start(f.span).line,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&b).map_err(|e| e.to_string())?;
    text.push('\n');
    crate::fs::write_atomic(path, text.as_bytes())
}

/// How to print, from the flags over the configuration file.
struct Output {
    format: Format,
    file: Option<PathBuf>,
    quiet: bool,
    no_color: bool,
}

/// Builds the scan configuration: the file's values, then the flags.
fn configure(args: &ScanArgs) -> Result<(Config, Option<Level>, Output), String> {
    let ids: Vec<String> = args
        .select
        .iter()
        .flatten()
        .chain(&args.ignore)
        .cloned()
        .collect();
    validate_ids(&ids)?;
    // A configuration or baseline inside the scanned repository is untrusted like the rest of
    // it, even when the command line names it: it must not lead out of the scan root.
    let roots = crate::fs::Roots::new(&args.paths, args.allow_outside_root);
    let file = args
        .config
        .clone()
        .or_else(|| args.paths.first().and_then(|p| config::find(p)));
    if let Some(p) = &file {
        roots
            .check_named(p)
            .map_err(|e| format!("refusing the configuration file: {e}"))?;
    }
    let loaded = match &file {
        Some(p) => config::load(p)?,
        None => config::Loaded::default(),
    };
    let fail_on = match (args.fail_on, loaded.fail_on.as_deref()) {
        (Some(f), _) => f.level(),
        (None, Some(s)) => FailOn::from_str(s, false)
            .map_err(|e| e.to_string())?
            .level(),
        (None, None) => Some(Level::Warning),
    };
    let baseline_path = args.baseline.clone().or(loaded.baseline.clone());
    let baseline = match (&baseline_path, &args.write_baseline) {
        (Some(p), None) => {
            roots
                .check_named(p)
                .map_err(|e| format!("refusing the baseline: {e}"))?;
            read_baseline(p)?
        }
        _ => Default::default(),
    };
    let mut ignore = loaded.ignore.clone();
    ignore.extend(args.ignore.iter().map(|i| rules::canonical_id(i)));
    let exclude = args.exclude.clone();
    let config_exclude = loaded.path.as_ref().map(|p| {
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
        (
            dir.map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            loaded.exclude.clone(),
        )
    });
    let config_file = loaded
        .path
        .clone()
        .filter(|_| !loaded.trails.is_empty())
        .map(|p| (p, loaded.text.clone()));
    let output = Output {
        format: match (args.format, loaded.format.as_deref()) {
            (Some(f), _) => f,
            (None, Some(s)) => Format::from_str(s, false).map_err(|e| e.to_string())?,
            (None, None) => Format::Human,
        },
        file: match &args.output {
            Some(p) if p.as_os_str() == "-" => None,
            Some(p) => Some(p.clone()),
            None => loaded.output.clone(),
        },
        quiet: args.quiet || loaded.quiet,
        no_color: args.no_color || loaded.no_color,
    };
    Ok((
        Config {
            select: args
                .select
                .as_ref()
                .map(|s| s.iter().map(|i| rules::canonical_id(i)).collect())
                .or(loaded.select.clone()),
            ignore,
            exclude,
            config_exclude,
            threads: args.threads.map(usize::from).or(loaded.threads),
            per_path_ignores: loaded
                .per_path_ignores
                .into_iter()
                .map(std::sync::Arc::new)
                .collect(),
            levels: loaded.levels,
            trails: loaded.trails,
            config_file,
            baseline,
            allow_outside_root: args.allow_outside_root,
            explain_reach: args.explain_reach,
            overlay: None,
        },
        fail_on,
        output,
    ))
}

fn run_scan(mut args: ScanArgs) -> Result<i32, String> {
    for p in &args.paths {
        if !p.exists() {
            return Err(format!("{} does not exist", p.display()));
        }
    }
    // `repo/link/..` is scanned as the directory it is, not as `repo`.
    for p in &mut args.paths {
        *p = crate::fs::as_the_system_reads(p);
    }
    let (config, fail_on, out) = configure(&args)?;
    let mut report = if args.fix || args.diff {
        let fixed = crate::pipeline::fix_rounds::fix(&args.paths, &config, args.unsafe_fixes)?;
        if args.diff {
            return print_diff(&fixed, &out);
        }
        // Writes only inside the scan root, whatever --allow-outside-root lets a scan read.
        let roots = crate::fs::Roots::new(&args.paths, false);
        for c in &fixed.changed {
            if roots.admit(&c.path).is_ok() {
                crate::fs::write_atomic(&c.path, c.after.as_bytes())?;
            }
        }
        let mut report = fixed.report;
        report.fixed = fixed.applied;
        report
    } else {
        scan(&args.paths, &config)?
    };
    report.unsafe_fixes = args.unsafe_fixes;
    if let Some(path) = &args.write_baseline {
        write_baseline(path, &report)?;
        if !out.quiet {
            eprintln!(
                "wrote {} findings to {}",
                report.findings.len(),
                path.display()
            );
        }
        return Ok(0);
    }
    let text = match out.format {
        Format::Human => {
            use std::io::IsTerminal;
            let color = match args.color {
                _ if out.no_color => false,
                ColorWhen::Always => true,
                ColorWhen::Never => false,
                ColorWhen::Auto => {
                    plain_terminal_allows_color()
                        && out.file.is_none()
                        && std::io::stdout().is_terminal()
                }
            };
            crate::report::human::render(&report, color, out.quiet)
        }
        Format::Json => crate::report::json::render(&report),
        Format::Sarif => crate::report::sarif::render(&report),
        Format::Github => crate::report::github::render(&report),
        Format::Gitlab => crate::report::gitlab::render(&report),
        Format::Rdjson => crate::report::rdjson::render(&report),
    };
    emit(&out, &text)?;
    if args.explain_reach {
        eprint!("{}", reach_listing(&report));
    }
    let code = i32::from(report.fails_at(fail_on));
    // The report's texts and findings are freed on another thread: the exit need not wait.
    // (Should no thread start, the closure and what it holds are dropped here.)
    let _ = std::thread::Builder::new().spawn(move || drop((report, text)));
    Ok(code)
}

/// `--diff`: the fixes as one unified diff; exit 1 when there is one.
fn print_diff(fixed: &crate::pipeline::fix_rounds::Fixed, out: &Output) -> Result<i32, String> {
    let text: String = fixed
        .changed
        .iter()
        .map(|c| crate::fix::apply::unified_diff(&c.display, &c.before, &c.after))
        .collect();
    emit(out, &text)?;
    if !out.quiet {
        eprintln!(
            "{} would fix {} in {}",
            if text.is_empty() {
                "nothing:"
            } else {
                "the diff"
            },
            crate::report::human::count(fixed.applied, "finding"),
            crate::report::human::count(fixed.changed.len(), "file")
        );
    }
    Ok(i32::from(!text.is_empty()))
}

/// Writes the output where `--output` says, else to stdout.
fn emit(out: &Output, text: &str) -> Result<(), String> {
    match &out.file {
        Some(path) => crate::fs::write_atomic(path, text.as_bytes()),
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string()),
    }
}

/// The `--explain-reach` listing.
fn reach_listing(report: &Report) -> String {
    let mut s = format!("policies analysed: {}\n", report.reach.len());
    for r in &report.reach {
        let what = if r.address.is_empty() {
            r.kind.to_string()
        } else {
            format!("{} {}", r.kind, r.address)
        };
        let checked = if !r.cloudtrail {
            "not CloudTrail's (no CloudTrail principal, no trail of the scan uses it): checked for grammar and actions only".to_string()
        } else if r.trails.is_empty() {
            "CloudTrail's; no trail to check it against".to_string()
        } else if r.stand_ins {
            format!(
                "CloudTrail's; checked against the trails it names: {}",
                r.trails.join(", ")
            )
        } else {
            format!("CloudTrail's; checked against {}", r.trails.join(", "))
        };
        s.push_str(&format!(
            "  {}:{}:{}: {what}: {checked}\n",
            r.path, r.at.line, r.at.column
        ));
    }
    s.push_str(&format!(
        "not read, though they look like policies: {}\n",
        report.skipped.len()
    ));
    for (path, why) in &report.skipped {
        s.push_str(&format!("  {path}: {why}\n"));
    }
    s
}
