//! The pipeline: discover files → frontends build the model → link trails, buckets and keys →
//! rules → suppressions → fixes and fingerprints → a [`Report`].

mod phases;
mod read;

pub mod fix_rounds;

use crate::finding::{self, Finding, Level};
use crate::frontend::terraform::stage::{SpanMaps, Stage};
use crate::model::{Model, Notice};
use crate::report::{Reached, Report};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::{config, discover, fix, fs, link, policy, rules, suppress};
use rayon::prelude::*;
use read::{Read, read_one};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

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
    span_maps: &SpanMaps,
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

/// Texts shorter than this are kept when their file is read: reading one again for a finding
/// (and hashing it twice) costs more than the memory it holds, which is at most 40 MB over
/// 10,000 files. Longer texts are let go (see [`restore_texts`]).
const RELEASE_FROM: usize = 4 * 1024;

/// At most this many items per parallel job where items cost unevenly: rayon otherwise splits
/// a list into a few long runs, and a thread that finishes early waits for the others.
pub(crate) const PAR_CHUNK: usize = 32;

fn scan_in_pool(paths: &[PathBuf], config: &Config) -> Result<Report, String> {
    let mut phases = phases::Phases::start();
    let roots =
        fs::Roots::new(paths, config.allow_outside_root).with_overlay(config.overlay.clone());
    let found = find_files(paths, config, &roots)?;
    phases.end("find");
    let reported_file = |id: FileId| {
        found
            .files
            .get(id as usize)
            .is_some_and(|(_, r)| r.reported())
    };
    // `--explain-reach` places every policy: it keeps every text.
    let mut read = read_files(&found, &roots, !config.explain_reach, &mut phases);
    phases.end("merge");
    for (path, msg) in &found.problems {
        read.model
            .notices
            .push(Notice::new(path.clone(), msg.clone()));
    }
    let Files {
        mut sources,
        mut model,
        files_scanned,
        mut skipped,
        terraform,
    } = read;
    let tf = terraform.run(&mut sources, &roots, &mut model, &reported_file);
    phases.end("terraform");
    skipped.extend(tf.skipped);
    skipped.retain(|(p, _)| !tf.read_in_context.contains(p));
    let span_maps = tf.span_maps;
    model.resolve();
    phases.end("resolve");
    add_config_trails(config, &mut sources, &mut model);
    let linked = link::link(&model);
    phases.end("link");
    let reach = if config.explain_reach {
        reached(&linked, &sources, &span_maps)
    } else {
        vec![]
    };
    let mut findings = run_rules(&model, &linked, config);
    phases.end("rules");
    let lost = restore_texts(&mut findings, &model.suppressions, &mut sources, &roots);
    phases.end("restore");
    let findings = place_findings(findings, &sources, &span_maps);
    phases.end("place");
    let (mut findings, unused) = suppress::apply(findings, &model.suppressions, &sources, &|id| {
        config.is_selected(id)
    });
    if config.is_selected(rules::TG000.id) {
        rules::unused_suppressions(&unused, &mut findings);
        findings.retain(|f| !lost.files.contains(&f.span.file));
    }
    phases.end("suppress");
    let reported = reported_files(&found, &sources);
    let in_reported = |span: Span| reported.get(span.file as usize).copied().unwrap_or(false);
    let mut findings = configured(findings, config, &sources, &in_reported);
    // What could not be shown still fails the run as it would have.
    let unshown = configured(lost.findings, config, &sources, &in_reported)
        .iter()
        .map(|f| f.level)
        .collect();
    phases.end("configured");
    offer_fixes(&mut findings, &sources, &roots, &span_maps, &in_reported);
    phases.end("fixes");
    sort_findings(&mut findings, &sources);
    finding::assign_fingerprints(&mut findings, &sources, &|p| roots.repository_relative(p));
    phases.end("fingerprints");
    let before = findings.len();
    findings.retain(|f| !config.baseline.contains(&f.fingerprint));
    drop(linked);
    model.notices.extend(
        lost.why
            .into_iter()
            .filter(|(id, _)| reported_file(*id))
            .map(|(_, n)| n),
    );
    let notices = std::mem::take(&mut model.notices);
    // Freeing the model's many small values takes a while: another worker does it while the
    // report is written.
    rayon::spawn(move || drop(model));
    Ok(Report {
        sources,
        baselined: before - findings.len(),
        findings,
        notices,
        files_scanned,
        paths: paths.iter().map(|p| discover::display_path(p)).collect(),
        reach,
        skipped,
        fixed: 0,
        unsafe_fixes: false,
        unshown,
    })
}

/// The files to read: the paths named, directories walked, `--exclude` and the configuration
/// file's globs applied.
fn find_files(
    paths: &[PathBuf],
    config: &Config,
    roots: &fs::Roots,
) -> Result<discover::Discovered, String> {
    let cwd = fs::working_dir().map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
    let mut excludes = vec![(cwd, config.exclude.clone())];
    excludes.extend(config.config_exclude.clone());
    discover::discover(paths, &excludes, roots)
}

/// Every file read (in parallel) and its frontend run, but for the Terraform stage.
struct Files {
    sources: SourceMap,
    model: Model,
    files_scanned: usize,
    /// Files that look like they hold a policy but gave the rules nothing: (path, why).
    skipped: Vec<(String, String)>,
    terraform: Stage,
}

/// `release`: a file its frontend has read completely lets its text go when it is long (see
/// [`RELEASE_FROM`], [`restore_texts`]).
fn read_files(
    found: &discover::Discovered,
    roots: &fs::Roots,
    release: bool,
    phases: &mut phases::Phases,
) -> Files {
    let read: Vec<Read> = found
        .files
        .par_iter()
        // Files in path order cost unevenly (a folder of templates, then one of small `.tf`
        // files): small chunks let an idle thread take work from a busy one.
        .with_max_len(PAR_CHUNK)
        .enumerate()
        .map(|(i, (path, role))| {
            let mut r = read_one(roots, i as u32, path, *role == discover::Role::Named);
            if release && r.terraform.is_none() && r.source.text.len() >= RELEASE_FROM {
                r.source.release_text();
            }
            r
        })
        .collect();
    phases.end("read");
    let mut out = Files {
        sources: SourceMap::default(),
        model: Model::default(),
        files_scanned: 0,
        skipped: vec![],
        terraform: Stage::default(),
    };
    out.model.reserve_for(read.iter().map(|r| &r.model));
    out.sources.files.reserve(read.len());
    for (mut r, (_, role)) in read.into_iter().zip(&found.files) {
        // A file read only as context (beside a named file) informs findings, but is neither
        // counted as scanned nor the subject of a notice.
        if role.reported() {
            out.files_scanned += usize::from(r.scanned);
            if let Some(why) = r.skipped.take() {
                out.skipped.push((r.source.display.clone(), why));
            }
        } else {
            r.model.notices.clear();
        }
        let id = out.sources.files.len() as FileId;
        if let Some(pending) = r.terraform {
            let (path, display) = (r.source.path.clone(), r.source.display.clone());
            out.terraform.add(id, path, display, pending);
        }
        out.sources.files.push(r.source);
        out.model.extend(r.model);
    }
    out
}

/// Files whose text was let go and could not be read again as the same text.
#[derive(Default)]
struct Lost {
    files: HashSet<FileId>,
    /// Findings located in one of them: not shown, but their levels still decide the exit
    /// status (see [`Report::unshown`]).
    findings: Vec<Finding>,
    /// Why, per file: said for the files the scan reports on.
    why: Vec<(FileId, Notice)>,
}

/// The texts let go after the read (see [`SourceFile::release_text`]) that findings or
/// suppressions point into, read again: memory for file text then follows the findings, not
/// the repository. A file that cannot be read again as the same text (it changed during the
/// scan, or now leads out of the scan root) cannot show what points into it: a finding located
/// there is set aside, and a related location, hint or fix there is dropped from the findings
/// located elsewhere.
fn restore_texts(
    findings: &mut Vec<Finding>,
    suppressions: &[crate::model::Suppression],
    sources: &mut SourceMap,
    roots: &fs::Roots,
) -> Lost {
    let mut wanted: Vec<FileId> = findings
        .iter()
        .flat_map(|f| {
            std::iter::once(f.span.file)
                .chain(f.related.iter().map(|r| r.span.file))
                .chain(f.pending_hint.iter().map(|(_, at)| at.file))
                .chain(f.pending_fix.iter().map(|i| i.within.file))
        })
        .chain(suppressions.iter().map(|s| s.span.file))
        .filter(|&id| {
            sources
                .files
                .get(id as usize)
                .is_some_and(SourceFile::is_released)
        })
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let texts: Vec<(FileId, Result<String, String>)> = wanted
        .into_par_iter()
        .with_max_len(PAR_CHUNK)
        .map(|id| {
            let text = roots
                .read(&sources.get(id).path, fs::MAX_FILE_BYTES)
                .map_err(|e| e.to_string())
                .and_then(|bytes| String::from_utf8(bytes).map_err(|_| "not UTF-8".into()));
            (id, text)
        })
        .collect();
    let mut lost = Lost::default();
    for (id, text) in texts {
        let file = &mut sources.files[id as usize];
        let why = match text {
            Ok(t) => {
                if file.restore_text(t) {
                    continue;
                }
                "the file changed while it was scanned".to_string()
            }
            Err(e) => format!("the file could not be read again ({e})"),
        };
        lost.files.insert(id);
        lost.why.push((
            id,
            Notice::new(file.display.clone(), format!("findings not shown: {why}")),
        ));
    }
    if lost.files.is_empty() {
        return lost;
    }
    let gone = |s: &Span| lost.files.contains(&s.file);
    let (set_aside, kept): (Vec<Finding>, Vec<Finding>) = std::mem::take(findings)
        .into_iter()
        .partition(|f| gone(&f.span));
    *findings = kept;
    for f in findings.iter_mut() {
        f.related.retain(|r| !gone(&r.span));
        if f.pending_hint.as_ref().is_some_and(|(_, at)| gone(at)) {
            f.pending_hint = None;
        }
        if f.pending_fix.as_ref().is_some_and(|i| gone(&i.within)) {
            f.pending_fix = None;
        }
    }
    lost.findings = set_aside;
    lost
}

/// The configuration file's expected trails, for standalone policies; findings can point into
/// the file.
fn add_config_trails(config: &Config, sources: &mut SourceMap, model: &mut Model) {
    let Some((path, text)) = &config.config_file else {
        return;
    };
    let id = sources.files.len() as FileId;
    sources.files.push(SourceFile::new(
        path.clone(),
        discover::display_path(path),
        text.clone(),
    ));
    model.trails.extend(
        config
            .trails
            .iter()
            .enumerate()
            .map(|(i, (t, span))| config::config_trail(i, t, Span::new(id, span.start, span.end))),
    );
}

/// The selected rules over parts of the linked model, in parallel.
fn run_rules(model: &Model, linked: &[link::PolicyCx<'_>], config: &Config) -> Vec<Finding> {
    let parts = link::parts(model, linked, RULE_PART);
    parts
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
        .collect()
}

/// Findings in generated HCL taken back to their `.tf.json` files, hints written, sorted and
/// deduplicated.
fn place_findings(
    mut findings: Vec<Finding>,
    sources: &SourceMap,
    span_maps: &SpanMaps,
) -> Vec<Finding> {
    let translate = |span: &mut Span| {
        if let Some(m) = span_maps.get(&span.file) {
            *span = m.translate(*span);
        }
    };
    for f in &mut findings {
        translate(&mut f.span);
        for r in &mut f.related {
            translate(&mut r.span);
        }
        if let Some((_, at)) = &mut f.pending_hint {
            translate(at);
        }
        f.write_hint(sources);
    }
    sort_findings(&mut findings, sources);
    findings.dedup_by(|a, b| a.rule.id == b.rule.id && a.span == b.span && a.message == b.message);
    findings
}

/// Per file of the sources, whether its findings are reported. A file read again by
/// `file()`/`templatefile()` (its text had not been kept) is reported as the scanned file it
/// is.
fn reported_files(found: &discover::Discovered, sources: &SourceMap) -> Vec<bool> {
    let read_again = &sources.files[found.files.len().min(sources.files.len())..];
    let reported_paths: HashSet<PathBuf> = if read_again.is_empty() {
        HashSet::new()
    } else {
        found
            .files
            .iter()
            .filter(|(_, r)| r.reported())
            .map(|(p, _)| fs::lexical_absolute(p))
            .collect()
    };
    found
        .files
        .iter()
        .map(|(_, r)| r.reported())
        .chain(
            read_again
                .iter()
                .map(|f| reported_paths.contains(&fs::lexical_absolute(&f.path))),
        )
        .take(sources.files.len())
        .collect()
}

/// Per-rule levels, per-path ignores, and only what lies in (or relates to) reported files.
fn configured(
    mut findings: Vec<Finding>,
    config: &Config,
    sources: &SourceMap,
    in_reported: &dyn Fn(Span) -> bool,
) -> Vec<Finding> {
    findings.retain_mut(|f| {
        if let Some(Some(level)) = config.levels.get(f.rule.id) {
            f.level = *level;
        }
        let ignores = config
            .per_path_ignores
            .iter()
            .filter(|pi| pi.rules.iter().any(|r| r == f.rule.id));
        let mut path = None;
        for pi in ignores {
            let path = path.get_or_insert_with(|| {
                std::path::absolute(&sources.get(f.span.file).path).unwrap_or_default()
            });
            if pi.matches(path) {
                return false;
            }
        }
        in_reported(f.span) || f.related.iter().any(|r| in_reported(r.span))
    });
    findings
}

/// Fixes are offered only in reported files that `--fix` may write (regular, inside the scan
/// root), and not in a `.tf.json` file read as the HCL it stands for.
fn offer_fixes(
    findings: &mut [Finding],
    sources: &SourceMap,
    roots: &fs::Roots,
    span_maps: &SpanMaps,
    in_reported: &(dyn Fn(Span) -> bool + Sync),
) {
    // Whether `--fix` may write each file with a fix (asked once per file, in parallel).
    let mut with_fixes: Vec<FileId> = findings
        .iter()
        .filter_map(|f| f.pending_fix.as_ref().map(|i| i.within.file))
        .collect();
    with_fixes.sort_unstable();
    with_fixes.dedup();
    let writable: std::collections::HashSet<FileId> = with_fixes
        .into_par_iter()
        .with_max_len(PAR_CHUNK)
        .filter(|&id| roots.writable(&sources.get(id).path))
        .collect();
    findings.par_iter_mut().for_each(|f| {
        if f.pending_fix.as_ref().is_some_and(|i| {
            !in_reported(i.within)
                || span_maps.contains_key(&i.within.file)
                || !writable.contains(&i.within.file)
        }) {
            f.pending_fix = None;
        }
    });
    let mut per_file: HashMap<FileId, usize> = HashMap::new();
    for i in findings.iter().filter_map(|f| f.pending_fix.as_ref()) {
        *per_file.entry(i.within.file).or_default() += 1;
    }
    let fix_scan = fix::Scan::new(sources, &per_file);
    findings
        .par_iter_mut()
        .with_max_len(PAR_CHUNK)
        .for_each(|f| f.write_fix(sources, &fix_scan));
}

fn sort_findings(findings: &mut [Finding], sources: &SourceMap) {
    findings.sort_by(|a, b| {
        let fa = &sources.get(a.span.file).display;
        let fb = &sources.get(b.span.file).display;
        (fa, a.span.start, a.span.end, a.rule.id).cmp(&(fb, b.span.start, b.span.end, b.rule.id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scan root holding `policy.json` and `other.json`, and a source map of the two whose
    /// texts were let go.
    fn released(text: &str) -> (tempfile::TempDir, fs::Roots, SourceMap) {
        let dir = tempfile::tempdir().unwrap();
        let roots = fs::Roots::new(&[dir.path().to_path_buf()], false);
        let mut sources = SourceMap::default();
        for name in ["policy.json", "other.json"] {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let mut file = SourceFile::new(path, name.into(), text.into());
            file.release_text();
            assert!(file.is_released() && file.text.is_empty());
            sources.files.push(file);
        }
        (dir, roots, sources)
    }

    fn finding_in(file: FileId) -> Finding {
        Finding::new(&rules::TG000, Span::new(file, 2, 9), "a finding")
    }

    #[test]
    fn a_text_let_go_is_read_again_for_its_findings() {
        let text = "{\n  \"Statement\": []\n}\n";
        let (_dir, roots, mut sources) = released(text);
        let mut findings = vec![finding_in(0)];
        let lost = restore_texts(&mut findings, &[], &mut sources, &roots);
        assert!(lost.files.is_empty() && lost.why.is_empty() && lost.findings.is_empty());
        assert_eq!(findings.len(), 1);
        assert_eq!(sources.get(0).text, text);
        assert!(!sources.get(0).is_released());
        assert_eq!(sources.start(findings[0].span).line, 2);
        assert_eq!(sources.slice(findings[0].span), "  \"Stat");
        // Nothing points into the other file: its text stays let go.
        assert!(sources.get(1).is_released());
    }

    #[test]
    fn a_file_changed_during_the_scan_shows_nothing_but_says_so() {
        let text = "{\n  \"Statement\": []\n}\n";
        // Changed to the same length, and removed: neither is the text the findings point into.
        for change in [Some("{\n  \"Statement\": [1]\n}"), None] {
            let (dir, roots, mut sources) = released(text);
            let path = dir.path().join("policy.json");
            match change {
                Some(t) => std::fs::write(&path, t).unwrap(),
                None => std::fs::remove_file(&path).unwrap(),
            }
            let suppression = crate::model::Suppression {
                span: Span::new(0, 0, 1),
                rules: vec!["TG003".into()],
                lines: vec![(1, 1)],
            };
            // One finding in the changed file; one in the other file, related to the changed
            // one and with its fix there.
            let mut elsewhere = finding_in(1);
            elsewhere.related.push(finding::Related {
                span: Span::new(0, 3, 4),
                message: "there".into(),
            });
            elsewhere.related.push(finding::Related {
                span: Span::new(1, 3, 4),
                message: "here".into(),
            });
            let mut findings = vec![finding_in(0), elsewhere];
            let lost = restore_texts(&mut findings, &[suppression], &mut sources, &roots);
            assert_eq!(lost.files, HashSet::from([0]), "{change:?}");
            assert_eq!(lost.findings.len(), 1);
            assert_eq!(lost.findings[0].span.file, 0);
            // The finding located elsewhere stays, without what pointed into the changed file.
            assert_eq!(findings.len(), 1);
            assert_eq!(findings[0].span.file, 1);
            assert_eq!(findings[0].related.len(), 1);
            assert_eq!(findings[0].related[0].message, "here");
            assert_eq!(sources.get(1).text, text);
            let (id, notice) = &lost.why[0];
            assert_eq!((*id, notice.path.as_str()), (0, "policy.json"));
            let why = match change {
                Some(_) => "the file changed while it was scanned",
                None => "could not be read again",
            };
            assert!(notice.message.contains(why), "{}", notice.message);
            assert!(sources.get(0).is_released() && sources.get(0).text.is_empty());
        }
    }
}
