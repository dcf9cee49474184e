//! The pipeline: discover files → frontends build the model → link trails, buckets and keys →
//! rules → suppressions → fixes and fingerprints → a [`Report`].

mod read;

pub mod fix_rounds;

use crate::finding::{self, Finding, Level};
use crate::model::{Model, Notice};
use crate::report::{Reached, Report};
use crate::source::{self, SourceFile, SourceMap};
use crate::{config, discover, fix, frontend, fs, link, policy, rules, suppress};
use rayon::prelude::*;
use read::{Read, read_one};
use std::path::PathBuf;

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
    let cwd = fs::normalize(&std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")));
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
            .map(|(i, f)| (fs::lexical_absolute(&f.path), i as u32))
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
        model
            .trails
            .extend(config.trails.iter().enumerate().map(|(i, (t, span))| {
                config::config_trail(i, t, source::Span::new(id, span.start, span.end))
            }));
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
                .filter(|r| config.is_selected(r.meta.id))
                .flat_map_iter(move |r| {
                    let mut out = vec![];
                    if let Some(check) = r.check {
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
    let (mut findings, unused) = suppress::apply(findings, &model.suppressions, &sources, &|id| {
        config.is_selected(id)
    });
    if config.is_selected(rules::TG000.id) {
        rules::unused_suppressions(&unused, &mut findings);
    }
    // Per-rule levels, per-path ignores, and only what lies in (or relates to) reported files.
    // A file read again by `file()`/`templatefile()` (its text had not been kept) is reported
    // as the scanned file it is.
    let reported_paths: std::collections::HashSet<PathBuf> = found
        .files
        .iter()
        .filter(|(_, r)| r.reported())
        .map(|(p, _)| fs::lexical_absolute(p))
        .collect();
    let reported: Vec<bool> = found
        .files
        .iter()
        .map(|(_, r)| r.reported())
        .chain(
            sources.files[found.files.len().min(sources.files.len())..]
                .iter()
                .map(|f| reported_paths.contains(&fs::lexical_absolute(&f.path))),
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
    finding::assign_fingerprints(&mut findings, &sources, &|p| roots.repository_relative(p));
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

fn sort_findings(findings: &mut [Finding], sources: &SourceMap) {
    findings.sort_by(|a, b| {
        let fa = &sources.get(a.span.file).display;
        let fb = &sources.get(b.span.file).display;
        (fa, a.span.start, a.span.end, a.rule.id).cmp(&(fb, b.span.start, b.span.end, b.rule.id))
    });
}
