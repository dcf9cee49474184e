//! trailguard: lints the S3 bucket policies and KMS key policies AWS CloudTrail needs to deliver
//! logs. The pipeline: discover files → frontends build the model → link trails, buckets and
//! keys → rules → suppressions → report. [`scan`] runs all of it without the CLI.

pub mod aws;
pub mod cli;
pub mod discover;
pub mod frontend;
pub mod link;
pub mod model;
pub mod policy;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod value;

use discover::Format;
use model::{Model, Notice};
use rayon::prelude::*;
use report::{Finding, Level};
use source::{SourceFile, SourceMap};
use std::path::{Path, PathBuf};

/// Files larger than this are skipped with a notice.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// What to report.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Only these rules (all when `None`).
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub exclude: Vec<String>,
    /// Worker threads (one per core when `None`).
    pub threads: Option<usize>,
}

/// Stack for worker threads: parsers recurse up to their nesting limit (512 levels).
const WORKER_STACK: usize = 16 * 1024 * 1024;

impl Config {
    pub fn is_selected(&self, id: &str) -> bool {
        let sel = self
            .select
            .as_ref()
            .is_none_or(|s| s.iter().any(|x| x.eq_ignore_ascii_case(id)));
        sel && !self.ignore.iter().any(|x| x.eq_ignore_ascii_case(id))
    }
}

/// The result of a scan.
#[derive(Debug, Default)]
pub struct Report {
    pub sources: SourceMap,
    pub findings: Vec<Finding>,
    pub notices: Vec<Notice>,
    pub files_scanned: usize,
}

impl Report {
    /// Whether any finding is at or above `level`.
    pub fn fails_at(&self, level: Option<Level>) -> bool {
        level.is_some_and(|l| self.findings.iter().any(|f| f.level >= l))
    }

    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }
}

/// Scans files and directories. Errors are usage errors (a bad glob).
pub fn scan(paths: &[PathBuf], config: &Config) -> Result<Report, String> {
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(WORKER_STACK);
    if let Some(n) = config.threads {
        pool = pool.num_threads(n.max(1));
    }
    let pool = pool
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    pool.install(|| scan_in_pool(paths, config))
}

fn scan_in_pool(paths: &[PathBuf], config: &Config) -> Result<Report, String> {
    let found = discover::discover(paths, &config.exclude)?;
    let read: Vec<(SourceFile, Model, bool)> = found
        .files
        .par_iter()
        .enumerate()
        .map(|(i, (path, explicit))| read_one(i as u32, path, *explicit))
        .collect();
    let mut sources = SourceMap::default();
    let mut model = Model::default();
    let mut files_scanned = 0;
    for (f, m, scanned) in read {
        files_scanned += usize::from(scanned);
        sources.files.push(f);
        model.extend(m);
    }
    for (path, msg) in found.problems {
        model.notices.push(Notice { path, message: msg });
    }
    let analysis = link::Analysis::new(&model);
    let mut findings: Vec<Finding> = rules::ALL
        .par_iter()
        .filter(|(meta, _)| config.is_selected(meta.id))
        .flat_map_iter(|(_, check)| {
            let mut out = vec![];
            if let Some(check) = check {
                check(&analysis, &mut out);
            }
            out
        })
        .collect();
    sort_findings(&mut findings, &sources);
    findings.dedup_by(|a, b| a.rule.id == b.rule.id && a.span == b.span);
    let mut findings = suppress::apply(findings, &model.suppressions, &sources, &|id| {
        config.is_selected(id)
    });
    sort_findings(&mut findings, &sources);
    report::finding::assign_fingerprints(&mut findings, &sources);
    Ok(Report {
        sources,
        findings,
        notices: model.notices,
        files_scanned,
    })
}

fn sort_findings(findings: &mut [Finding], sources: &SourceMap) {
    findings.sort_by(|a, b| {
        let fa = &sources.get(a.span.file).display;
        let fb = &sources.get(b.span.file).display;
        (fa, a.span.start, a.span.end, a.rule.id).cmp(&(fb, b.span.start, b.span.end, b.rule.id))
    });
}

/// Reads one file and runs its frontend. Returns the source (empty when skipped), its model
/// pieces, and whether it was scanned.
fn read_one(id: u32, path: &Path, explicit: bool) -> (SourceFile, Model, bool) {
    let display = discover::display_path(path);
    let mut model = Model::default();
    let skip = |model: &mut Model, message: String| {
        model.notices.push(Notice {
            path: display.clone(),
            message,
        });
    };
    let empty =
        |display: &str| SourceFile::new(path.to_path_buf(), display.to_string(), String::new());
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            skip(
                &mut model,
                format!(
                    "skipped: the file is {} MB, over the 256 MB limit",
                    m.len() / (1024 * 1024)
                ),
            );
            return (empty(&display), model, false);
        }
        Err(e) => {
            skip(&mut model, format!("skipped: cannot read the file: {e}"));
            return (empty(&display), model, false);
        }
        Ok(_) => {}
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            skip(&mut model, format!("skipped: cannot read the file: {e}"));
            return (empty(&display), model, false);
        }
    };
    if bytes[..bytes.len().min(8192)].contains(&0) {
        skip(
            &mut model,
            "skipped: binary file (it contains NUL bytes)".into(),
        );
        return (empty(&display), model, false);
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            skip(
                &mut model,
                format!(
                    "skipped: the file is not UTF-8 (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            );
            return (empty(&display), model, false);
        }
    };
    let format = discover::format_of(path).or_else(|| {
        // A file named explicitly with another name: JSON if it looks like JSON.
        (explicit && text.trim_start().starts_with('{')).then_some(Format::Json)
    });
    let scanned = match format {
        Some(Format::Json) => {
            model = frontend::json::read_file(id, &display, &text);
            true
        }
        Some(Format::TerraformJson | Format::Terraform | Format::TerraformVars | Format::Yaml)
        | None => {
            if explicit {
                skip(
                    &mut model,
                    "skipped: trailguard does not read this kind of file yet".into(),
                );
            }
            false
        }
    };
    (
        SourceFile::new(path.to_path_buf(), display, text),
        model,
        scanned,
    )
}
