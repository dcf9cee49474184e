//! trailguard: lints the S3 bucket policies and KMS key policies AWS CloudTrail needs to deliver
//! logs. The pipeline: discover files → frontends build the model → link trails, buckets and
//! keys → rules → suppressions → report. [`scan`] runs all of it without the CLI.

pub mod aws;
pub mod cli;
pub mod config;
pub mod discover;
pub mod fix;
pub mod frontend;
pub mod fs;
pub mod fuzzing;
pub mod generate;
pub mod guard;
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
    /// `--exclude` globs, relative to the working directory.
    pub exclude: Vec<String>,
    /// A configuration file's `exclude` globs, relative to its directory.
    pub config_exclude: Option<(PathBuf, Vec<String>)>,
    /// Worker threads (one per core when `None`).
    pub threads: Option<usize>,
    /// Rules ignored under some paths.
    pub per_path_ignores: Vec<std::sync::Arc<config::PathIgnore>>,
    /// Per-rule level overrides (`None`: the rule is off).
    pub levels: std::collections::BTreeMap<String, Option<Level>>,
    /// Expected trails for standalone policies, with their spans in `config_file`.
    pub trails: Vec<(config::TrailEntry, std::ops::Range<usize>)>,
    /// The configuration file (path and text), so findings can point into it.
    pub config_file: Option<(PathBuf, String)>,
    /// Fingerprints recorded in a baseline: these findings are not reported.
    pub baseline: std::collections::HashSet<String>,
    /// Let `file()`, module sources and symlinks read outside the scan roots.
    pub allow_outside_root: bool,
    /// List every policy analysed ([`Report::reach`]).
    pub explain_reach: bool,
    /// Edited texts that stand for files (a `--fix` or `--diff` run).
    pub overlay: Option<fs::Overlay>,
}

/// One policy the scan analysed, for `--explain-reach`.
#[derive(Debug, Clone)]
pub struct Reached {
    /// The document's file (as shown) and position.
    pub path: String,
    pub at: source::Position,
    /// `bucket policy` or `key policy`.
    pub kind: &'static str,
    /// Resource address or logical ID (empty for a standalone document).
    pub address: String,
    /// Whether the rules treat it as CloudTrail's (a log-bucket or trail-key policy).
    pub cloudtrail: bool,
    /// The trails it was checked against, and whether they are stand-ins named by the policy.
    pub trails: Vec<String>,
    pub stand_ins: bool,
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
            && self.levels.get(id) != Some(&None)
    }
}

/// The result of a scan.
#[derive(Debug, Default)]
pub struct Report {
    pub sources: SourceMap,
    pub findings: Vec<Finding>,
    pub notices: Vec<Notice>,
    pub files_scanned: usize,
    /// Findings left out because the baseline lists them.
    pub baselined: usize,
    /// The paths the scan was given, as shown.
    pub paths: Vec<String>,
    /// With `explain_reach`: every policy analysed.
    pub reach: Vec<Reached>,
    /// Files that look like they hold a policy but gave the rules nothing, with why.
    pub skipped: Vec<(String, String)>,
    /// Fixes applied before this scan (`--fix`).
    pub fixed: usize,
    /// Unsafe fixes are applied too (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
}

impl Report {
    /// Whether any finding is at or above `level`.
    pub fn fails_at(&self, level: Option<Level>) -> bool {
        level.is_some_and(|l| self.findings.iter().any(|f| f.level >= l))
    }

    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// Findings `--fix` would fix, and how many more `--unsafe-fixes` would.
    pub fn fixable(&self) -> (usize, usize) {
        let mut safe = 0;
        let mut more = 0;
        for fix in self.findings.iter().filter_map(|f| f.fix.as_ref()) {
            if fix.applicability == fix::Applicability::Safe || self.unsafe_fixes {
                safe += 1;
            } else {
                more += 1;
            }
        }
        (safe, more)
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

/// The `--explain-reach` listing of the linked policies.
fn reached(
    linked: &[link::PolicyCx<'_>],
    sources: &SourceMap,
    span_maps: &std::collections::HashMap<u32, frontend::terraform::json_syntax::SpanMap>,
) -> Vec<Reached> {
    let mut out: Vec<Reached> = linked
        .iter()
        .map(|p| {
            let mut span = p.policy.span;
            if let Some(m) = span_maps.get(&span.file) {
                span = m.translate(span);
            }
            Reached {
                path: sources.get(span.file).display.clone(),
                at: sources.start(span),
                kind: match p.policy.kind {
                    policy::PolicyKind::Bucket => "bucket policy",
                    policy::PolicyKind::Key => "key policy",
                },
                address: p.policy.address.clone(),
                cloudtrail: p.is_log_bucket_policy() || p.is_trail_key_policy(),
                trails: {
                    let mut labels: Vec<String> = vec![];
                    for t in &p.trails {
                        if !labels.contains(&t.label) {
                            labels.push(t.label.clone());
                        }
                    }
                    labels
                },
                stand_ins: p.scan_trails.is_empty() && !p.trails.is_empty(),
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.path, a.at.line, a.at.column).cmp(&(&b.path, b.at.line, b.at.column)));
    out
}

/// Policies per part the rules run over in parallel.
const RULE_PART: usize = 256;

fn scan_in_pool(paths: &[PathBuf], config: &Config) -> Result<Report, String> {
    let roots =
        fs::Roots::new(paths, config.allow_outside_root).with_overlay(config.overlay.clone());
    let cwd = discover::normalize(&std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")));
    let mut excludes = vec![(cwd, config.exclude.clone())];
    excludes.extend(config.config_exclude.clone());
    let found = discover::discover(paths, &excludes, &roots)?;
    let read: Vec<Read> = found
        .files
        .par_iter()
        .enumerate()
        .map(|(i, (path, role))| read_one(&roots, i as u32, path, *role == discover::Role::Named))
        .collect();
    let mut sources = SourceMap::default();
    let mut model = Model::default();
    let mut files_scanned = 0;
    let mut skipped: Vec<(String, String)> = vec![];
    let mut hcl = vec![];
    let mut generated = vec![];
    let mut pending_tf: Vec<(u32, bool)> = vec![];
    for (mut r, (_, role)) in read.into_iter().zip(&found.files) {
        // A file read only as context (beside a named file) informs findings, but is neither
        // counted as scanned nor the subject of a notice.
        if role.reported() {
            files_scanned += usize::from(r.scanned);
            if let Some(why) = r.skipped.take() {
                skipped.push((r.source.display.clone(), why));
            }
        } else {
            r.model.notices.clear();
        }
        let id = sources.files.len() as u32;
        if let Some(is_vars) = r.terraform {
            pending_tf.push((id, is_vars));
        }
        match (r.hcl, r.generated) {
            (Some(body), Some(g)) => {
                generated.push((r.source.path.clone(), r.source.display.clone(), body, g))
            }
            (Some((body, is_vars)), None) => hcl.push((id, r.source.path.clone(), body, is_vars)),
            _ => {}
        }
        sources.files.push(r.source);
        model.extend(r.model);
    }
    let mut tf_files: Vec<(PathBuf, frontend::terraform::units::TfFile)> = pending_tf
        .iter()
        .map(|&(id, is_vars)| {
            let path = sources.get(id).path.clone();
            (
                path,
                frontend::terraform::units::TfFile::Unparsed { id, is_vars },
            )
        })
        .collect();
    // `.tf.json` files are read as the HCL they stand for, in files of their own after the
    // scanned ones; findings there are taken back to the JSON file.
    let mut span_maps = std::collections::HashMap::new();
    for (path, display, (body, is_vars), (text, map)) in generated {
        let id = sources.files.len() as u32;
        sources
            .files
            .push(SourceFile::new(path.clone(), display, text));
        tf_files.push((
            path,
            frontend::terraform::units::TfFile::Parsed { id, body, is_vars },
        ));
        span_maps.insert(id, map);
    }
    for (path, msg) in found.problems {
        model.notices.push(Notice::new(path, msg));
    }
    if !tf_files.is_empty() {
        let files_by_path: std::collections::HashMap<PathBuf, source::FileId> = sources
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (discover::lexical_absolute(&f.path), i as u32))
            .collect();
        let tf =
            frontend::terraform::units::evaluate_scan(&sources, &roots, tf_files, &files_by_path);
        // Terraform files that were not parsed (nothing in their directories can matter):
        // their text is not needed any more. (Files that were parsed keep it, broken ones too:
        // TG012 points there.)
        for &(id, _) in &pending_tf {
            if !tf.parsed.contains(&id) {
                let reported = found
                    .files
                    .get(id as usize)
                    .is_some_and(|(_, r)| r.reported());
                let file = &mut sources.files[id as usize];
                if reported && file.text.contains("cloudtrail.amazonaws.com") {
                    skipped.push((
                        file.display.clone(),
                        "Terraform not parsed: nothing in its directory is a bucket, key, trail or policy document, or calls a local module".into(),
                    ));
                }
                file.forget_text();
            }
        }
        let consumed = tf.found.consumed.into_inner().unwrap_or_default();
        let extra = tf.found.extra.into_inner().unwrap_or_default();
        let refused = tf.found.refused.into_inner().unwrap_or_default();
        // A file read in a module's context: that result replaces the standalone one.
        model
            .policies
            .retain(|p| !(p.standalone && consumed.contains(&p.span.file)));
        // Nor is a template that could not be read on its own worth a word when its caller
        // reads it.
        let consumed_paths: std::collections::HashSet<&str> = consumed
            .iter()
            .map(|&id| sources.get(id).display.as_str())
            .collect();
        model.notices.retain(|n| {
            !(n.message.starts_with("template skipped") && consumed_paths.contains(n.path.as_str()))
        });
        // Nor is a file read in a module's context one that was not read.
        let extra_paths: std::collections::HashSet<&str> =
            extra.iter().map(|f| f.display.as_str()).collect();
        skipped.retain(|(p, _)| {
            !consumed_paths.contains(p.as_str()) && !extra_paths.contains(p.as_str())
        });
        model.extend(tf.model);
        sources.files.extend(extra);
        refused_notices(refused, &sources, &span_maps, &mut model);
    }
    model.resolve();
    if let Some((path, text)) = &config.config_file {
        let id = sources.files.len() as u32;
        sources.files.push(SourceFile::new(
            path.clone(),
            discover::display_path(path),
            text.clone(),
        ));
        model.trails.extend(
            config.trails.iter().enumerate().map(|(i, (t, span))| {
                config_trail(i, t, source::Span::new(id, span.start, span.end))
            }),
        );
    }
    let linked = link::link(&model);
    let reach = if config.explain_reach {
        reached(&linked, &sources, &span_maps)
    } else {
        vec![]
    };
    let parts = link::parts(&model, &linked, RULE_PART);
    let mut findings: Vec<Finding> = parts
        .par_iter()
        .flat_map(|part| {
            rules::ALL
                .par_iter()
                .filter(|(meta, _)| config.is_selected(meta.id))
                .flat_map_iter(move |(_, check)| {
                    let mut out = vec![];
                    if let Some(check) = check {
                        check(part, &mut out);
                    }
                    out
                })
        })
        .collect();
    for f in &mut findings {
        if let Some(m) = span_maps.get(&f.span.file) {
            f.span = m.translate(f.span);
        }
        for r in &mut f.related {
            if let Some(m) = span_maps.get(&r.span.file) {
                r.span = m.translate(r.span);
            }
        }
        if let Some((_, at)) = &mut f.pending_hint
            && let Some(m) = span_maps.get(&at.file)
        {
            *at = m.translate(*at);
        }
        f.write_hint(&sources);
    }
    sort_findings(&mut findings, &sources);
    findings.dedup_by(|a, b| a.rule.id == b.rule.id && a.span == b.span && a.message == b.message);
    let mut findings = suppress::apply(findings, &model.suppressions, &sources, &|id| {
        config.is_selected(id)
    });
    // Per-rule levels, per-path ignores, and only what lies in (or relates to) reported files.
    // A file read again by `file()`/`templatefile()` (its text had not been kept) is reported
    // as the scanned file it is.
    let reported_paths: std::collections::HashSet<PathBuf> = found
        .files
        .iter()
        .filter(|(_, r)| r.reported())
        .map(|(p, _)| discover::lexical_absolute(p))
        .collect();
    let reported: Vec<bool> = found
        .files
        .iter()
        .map(|(_, r)| r.reported())
        .chain(
            sources.files[found.files.len().min(sources.files.len())..]
                .iter()
                .map(|f| reported_paths.contains(&discover::lexical_absolute(&f.path))),
        )
        .take(sources.files.len())
        .collect();
    let in_reported =
        |span: source::Span| reported.get(span.file as usize).copied().unwrap_or(false);
    findings.retain_mut(|f| {
        if let Some(Some(level)) = config.levels.get(f.rule.id) {
            f.level = *level;
        }
        let path = std::path::absolute(&sources.get(f.span.file).path).unwrap_or_default();
        if config
            .per_path_ignores
            .iter()
            .any(|pi| pi.rules.iter().any(|r| r == f.rule.id) && pi.matches(&path))
        {
            return false;
        }
        in_reported(f.span) || f.related.iter().any(|r| in_reported(r.span))
    });
    // Fixes are offered only in reported files that `--fix` may write (regular, inside the
    // scan root), and not in a `.tf.json` file read as the HCL it stands for.
    let fix_scan = fix::Scan::new(&sources);
    for f in &mut findings {
        if f.pending_fix.as_ref().is_some_and(|i| {
            !in_reported(i.within)
                || span_maps.contains_key(&i.within.file)
                || !roots.writable(&sources.get(i.within.file).path)
        }) {
            f.pending_fix = None;
        }
        f.write_fix(&sources, &fix_scan);
    }
    sort_findings(&mut findings, &sources);
    report::finding::assign_fingerprints(&mut findings, &sources, &|p| {
        roots.repository_relative(p)
    });
    let before = findings.len();
    findings.retain(|f| !config.baseline.contains(&f.fingerprint));
    Ok(Report {
        sources,
        baselined: before - findings.len(),
        findings,
        notices: model.notices,
        files_scanned,
        paths: paths.iter().map(|p| discover::display_path(p)).collect(),
        reach,
        skipped,
        fixed: 0,
        unsafe_fixes: false,
    })
}

/// The references `file()`/`templatefile()` were refused, as notices at their positions.
fn refused_notices(
    mut refused: Vec<(source::Span, String)>,
    sources: &SourceMap,
    span_maps: &std::collections::HashMap<u32, frontend::terraform::json_syntax::SpanMap>,
    model: &mut Model,
) {
    refused.sort_by(|(a, m), (b, n)| (a.file, a.start, m).cmp(&(b.file, b.start, n)));
    refused.dedup();
    for (span, message) in refused {
        let span = span_maps
            .get(&span.file)
            .map_or(span, |m| m.translate(span));
        model.notices.push(Notice {
            path: sources.get(span.file).display.clone(),
            message,
            at: Some(sources.start(span)),
        });
    }
}

/// An expected trail from the configuration, as a model trail.
fn config_trail(i: usize, t: &config::TrailEntry, span: source::Span) -> model::Trail {
    use value::{Kind, Symbol, Text};
    let sym = |k: Kind, what: &str| Text::sym(Symbol::new(k, format!("config.trail{i}.{what}")));
    let segs: Vec<&str> = t
        .arn
        .as_deref()
        .map(|a| a.split(':').collect())
        .unwrap_or_default();
    let seg = |n: usize, k: Kind, what: &str| match segs.get(n) {
        Some(s) if !s.is_empty() => Text::lit(*s),
        _ => sym(k, what),
    };
    let partition = seg(1, Kind::Partition, "partition");
    let region = seg(3, Kind::Region, "region");
    let account = match &t.account {
        Some(a) => Text::lit(a.clone()),
        None => seg(4, Kind::Account, "account"),
    };
    let name = match segs.get(5).and_then(|r| r.strip_prefix("trail/")) {
        Some(n) => Text::lit(n),
        None => sym(Kind::TrailName, "name"),
    };
    model::Trail {
        address: format!("trails[{i}] in {}", config::FILE_NAME),
        span,
        arn: aws::cloudtrail::trail_arn(&partition, &region, &account, &name),
        name,
        account,
        partition,
        org_id: t.organization.clone().map(Text::lit),
        is_org: aws::Truth::from_bool(t.organization.is_some()),
        prefix: Text::lit(t.prefix.clone().unwrap_or_default().trim_end_matches('/')),
        bucket: t.bucket.clone().map(|b| (Text::lit(b), span)),
        key: None,
        standalone_only: true,
        no_key: false,
        guard: Default::default(),
    }
}

fn sort_findings(findings: &mut [Finding], sources: &SourceMap) {
    findings.sort_by(|a, b| {
        let fa = &sources.get(a.span.file).display;
        let fb = &sources.get(b.span.file).display;
        (fa, a.span.start, a.span.end, a.rule.id).cmp(&(fb, b.span.start, b.span.end, b.rule.id))
    });
}

/// One file read: its source (empty when skipped), its model pieces, whether it was scanned,
/// and, for Terraform, its parsed body (and whether it is a tfvars file).
struct Read {
    source: SourceFile,
    model: Model,
    scanned: bool,
    hcl: Option<(hcl_edit::structure::Body, bool)>,
    /// For `.tf.json`: the HCL text the body was parsed from, and its map back to the file.
    generated: Option<(String, frontend::terraform::json_syntax::SpanMap)>,
    /// A `.tf` (false) or tfvars (true) file, read but not parsed yet.
    terraform: Option<bool>,
    /// A file that looks like it holds a policy but gave the rules nothing: why.
    skipped: Option<String>,
}

impl Read {
    /// A file its frontend has read completely (nothing left for the Terraform stage).
    fn done(source: SourceFile, model: Model, scanned: bool, skipped: Option<String>) -> Read {
        Read {
            source,
            model,
            scanned,
            hcl: None,
            generated: None,
            terraform: None,
            skipped,
        }
    }
}

/// A Jinja/Nunjucks template (see [`frontend::jinja`]): read with its expressions unknown;
/// what does not parse, or parses to nothing, is skipped without a word.
fn read_jinja(id: u32, path: &Path, display: String, text: String, format: Option<Format>) -> Read {
    let (prepared, exprs) = frontend::jinja::prepare(&text);
    let masked = Some((exprs.as_slice(), text.as_str()));
    // A policy kept as `policy.j2`: JSON, whatever the name says.
    let format = match format {
        Some(Format::Yaml) if prepared.trim_start().starts_with('{') => Some(Format::Json),
        f => f,
    };
    let mut model = match format {
        Some(Format::Json) => frontend::json::read_file_masked(id, &display, &prepared, masked),
        Some(Format::Yaml) => {
            let source = SourceFile::new(path.to_path_buf(), display.clone(), prepared);
            frontend::cloudformation::read_yaml_masked(id, &source, masked)
        }
        _ => Model::default(),
    };
    model.parse_errors.clear();
    model.notices.clear();
    let empty = model.is_empty();
    Read::done(
        // Snippets show the template as written: the positions are the same.
        SourceFile::new(
            path.to_path_buf(),
            display,
            if empty { String::new() } else { text.clone() },
        ),
        model,
        true,
        (empty && policy_looking(&text)).then(|| {
            "a Jinja template that is not a CloudFormation template or policy once its expressions are unknown".to_string()
        }),
    )
}

/// Whether a text looks like it holds a CloudTrail-related policy (for `--explain-reach`).
fn policy_looking(text: &str) -> bool {
    text.contains("cloudtrail.amazonaws.com") || text.contains("\"Statement\"")
}

/// Reads one file and runs its frontend.
fn read_one(roots: &fs::Roots, id: u32, path: &Path, explicit: bool) -> Read {
    let display = discover::display_path(path);
    let mut model = Model::default();
    let skipped = |mut model: Model, message: String| {
        model.notices.push(Notice::new(display.clone(), message));
        let source = SourceFile::new(path.to_path_buf(), display.clone(), String::new());
        Read::done(source, model, false, None)
    };
    let bytes = match roots.read(path, MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(e) => return skipped(model, format!("skipped: {e}")),
    };
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return skipped(model, "skipped: binary file (it contains NUL bytes)".into());
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            return skipped(
                model,
                format!("skipped: the file is not UTF-8 (invalid byte at offset {at})"),
            );
        }
    };
    let format = discover::format_of(path).or_else(|| {
        // A file named explicitly with another name: JSON if it looks like JSON.
        (explicit && text.trim_start().starts_with('{')).then_some(Format::Json)
    });
    if frontend::jinja::is_jinja_name(&display) {
        return read_jinja(id, path, display, text, format);
    }
    let mut hcl = None;
    let mut generated = None;
    let mut terraform = None;
    let scanned = match format {
        Some(Format::Json) => {
            if frontend::json::may_matter(&text, &display) {
                model = frontend::json::read_file(id, &display, &text);
            }
            if model.is_empty() {
                // Nothing here for the rules (another tool's JSON): keep no copy of the text.
                let why = policy_looking(&text).then(|| {
                    "JSON, but no bucket or key policy, template, plan or CLI output: a document without a principal, or with no s3:/kms: actions, is an identity or other service's policy".to_string()
                });
                let source = SourceFile::new(path.to_path_buf(), display, String::new());
                return Read::done(source, model, true, why);
            }
            true
        }
        Some(Format::Terraform | Format::TerraformVars) => {
            // Parsed later, and only in directories that can hold what the rules read.
            terraform = Some(format == Some(Format::TerraformVars));
            true
        }
        Some(Format::TerraformJson) => {
            let offsets = frontend::json::OffsetMap {
                file: id,
                base: 0,
                map: None,
            };
            match frontend::json::parse_nodes(&text, offsets) {
                Ok(root) => {
                    let (hcl_text, map) =
                        frontend::terraform::json_syntax::to_hcl(&root, &text, id);
                    let mut scratch = Model::default();
                    hcl =
                        frontend::terraform::parse(id, &hcl_text, &mut scratch).map(|b| (b, false));
                    if hcl.is_none() && !scratch.parse_errors.is_empty() {
                        // Valid JSON that is not Terraform's JSON syntax: said, not skipped.
                        model.notices.push(Notice::new(
                            display.clone(),
                            "not read: the file is JSON but not Terraform's JSON syntax",
                        ));
                    }
                    generated = Some((hcl_text, map));
                }
                Err((span, message)) => {
                    if frontend::json::has_trigger_word(&text) {
                        model.parse_errors.push(model::ParseError {
                            span,
                            message: format!("the file cannot be parsed as JSON: {message}"),
                        });
                    }
                }
            }
            true
        }
        Some(Format::Yaml) => {
            let mut source = SourceFile::new(path.to_path_buf(), display.clone(), text);
            let model = frontend::cloudformation::read_yaml(id, &source);
            let mut skipped = None;
            if model.is_empty() {
                if policy_looking(&source.text) {
                    skipped = Some(
                        "YAML, but not a CloudFormation template (no AWSTemplateFormatVersion, no resource of an AWS:: type), or a template with no bucket, key, trail or policy".to_string(),
                    );
                }
                source.forget_text();
            }
            return Read::done(source, model, true, skipped);
        }
        None => {
            if explicit {
                model.notices.push(Notice::new(
                    display.clone(),
                    "skipped: trailguard does not read this kind of file yet",
                ));
            }
            false
        }
    };
    Read {
        source: SourceFile::new(path.to_path_buf(), display, text),
        model,
        scanned,
        hcl,
        generated,
        terraform,
        skipped: None,
    }
}
