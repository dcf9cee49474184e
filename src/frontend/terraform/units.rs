//! The scan's Terraform, parsed and evaluated one root module at a time, so memory holds the
//! parse trees of the modules that may be called plus one root per thread, not the whole
//! repository's.
//!
//! Which directories may be called is known before parsing: a module's `source` must be a
//! literal string, so a textual search for `source = "./…"` / `"../…"` finds every local call
//! (and perhaps more). A directory no such text names is certainly a root: it is parsed,
//! evaluated and dropped. Directories that some text names are parsed first and kept; once
//! every call is known exactly, those no module calls are evaluated as roots too, as are those
//! only reachable through a cycle.

use super::decls::{self, Decls};
use super::{Found, Module, TextFacts, World, eval, parse, suppressions};
use crate::fs::Roots;
use crate::fs::normalize;
use crate::model::{Model, Notice};
use crate::source::{FileId, SourceMap, Span};
use hcl_edit::structure::Body;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A Terraform file of the scan: parsed already (a `.tf.json` file read as HCL) or not yet.
pub enum TfFile {
    Unparsed {
        id: FileId,
        is_vars: bool,
        facts: TextFacts,
    },
    Parsed {
        id: FileId,
        body: Body,
        is_vars: bool,
    },
}

impl TfFile {
    pub fn id(&self) -> FileId {
        match self {
            TfFile::Unparsed { id, .. } | TfFile::Parsed { id, .. } => *id,
        }
    }
}

/// What the evaluation of the scan's Terraform gives.
pub struct Evaluated {
    /// Trails, buckets, keys and policies; parse errors; notices; suppressions.
    pub model: Model,
    /// Files that were parsed (their text must stay: findings may point there).
    pub parsed: HashSet<FileId>,
    pub found: Found,
}

/// The local module sources a file's text may call, as written (`./x`, `../y`).
pub fn textual_sources(text: &str) -> Vec<&str> {
    let mut out = vec![];
    for at in memchr::memmem::find_iter(text.as_bytes(), "source") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-') {
            continue;
        }
        let rest = text[at + "source".len()..].trim_start_matches([' ', '\t', '"']);
        let Some(rest) = rest.strip_prefix(['=', ':']) else {
            continue;
        };
        let Some(rest) = rest.trim_start_matches([' ', '\t']).strip_prefix('"') else {
            continue;
        };
        let value = &rest[..rest.find('"').unwrap_or(rest.len())];
        if value.starts_with("./") || value.starts_with("../") {
            out.push(value);
        }
    }
    out
}

/// Parses and evaluates the scan's Terraform files.
pub fn evaluate_scan(
    sources: &SourceMap,
    roots: &Roots,
    files: Vec<(PathBuf, TfFile)>,
    files_by_path: &HashMap<PathBuf, FileId>,
) -> Evaluated {
    let dir_of = |p: &Path| {
        let abs = crate::fs::lexical_absolute(p);
        abs.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    // Gathered by hash, then ordered once with the byte order of paths (comparing paths
    // component by component, a map entry per file, took a few percent of a scan).
    let dirs: Vec<PathBuf> = files.par_iter().map(|(path, _)| dir_of(path)).collect();
    let mut gathered: HashMap<PathBuf, Vec<(PathBuf, TfFile)>> = HashMap::new();
    for (dir, (path, f)) in dirs.into_iter().zip(files) {
        gathered.entry(dir).or_default().push((path, f));
    }
    let mut gathered: Vec<_> = gathered.into_iter().collect();
    gathered.sort_by(|a, b| crate::fs::path_order(&a.0, &b.0));
    let by_dir: BTreeMap<PathBuf, Vec<(PathBuf, TfFile)>> = gathered.into_iter().collect();
    let scanned = scan_dirs(&by_dir);
    let (shared_dirs, sure_roots) = dirs_to_read(&scanned, &by_dir, roots);
    let mut by_dir: HashMap<PathBuf, Vec<(PathBuf, TfFile)>> = by_dir.into_iter().collect();
    let mut take = |dirs: &[PathBuf]| -> Vec<(PathBuf, Vec<(PathBuf, TfFile)>)> {
        dirs.iter()
            .filter_map(|d| by_dir.remove(d).map(|f| (d.clone(), f)))
            .collect()
    };
    let shared_files = take(&shared_dirs);
    let root_files = take(&sure_roots);
    let found = Found::default();
    let mut out = Model::default();
    let mut parsed = HashSet::new();
    let no_modules = decls::ByDir::default();
    let no_registry = HashMap::new();
    // Registry and git modules installed by `terraform init` under a root's `.terraform/`
    // (the walk skips it): read through the scan's file access, kept like callable modules.
    let loader = World {
        sources,
        modules: &no_modules,
        local: None,
        files_by_path,
        roots,
        found: &found,
        registry: &no_registry,
    };
    let (registry, installed) = installed_modules(
        &loader,
        roots,
        shared_dirs.iter().chain(&sure_roots),
        &mut out,
    );

    // The modules that may be called: parsed and kept.
    let loaded: Vec<(Module, Model, Vec<FileId>)> = shared_files
        .into_par_iter()
        // Modules differ in size: one per job, so no thread waits on another's long run.
        .with_max_len(1)
        .map(|(dir, files)| load(sources, roots, dir, files))
        .collect();
    let mut shared: BTreeMap<PathBuf, Module> = installed;
    out.reserve_for(loaded.iter().map(|l| &l.1));
    for (m, parse_model, ids) in loaded {
        parsed.extend(ids);
        out.extend(parse_model);
        shared.insert(m.dir.clone(), m);
    }
    // What each kept module declares, once for all its instances.
    let decls: decls::ByDir = shared
        .par_iter()
        .map(|(dir, m)| (dir.clone(), Decls::of(m)))
        .collect();
    let world = World {
        sources,
        modules: &decls,
        local: None,
        files_by_path,
        roots,
        found: &found,
        registry: &registry,
    };

    // The certain roots, one at a time per thread: parsed, evaluated, dropped.
    let roots_done = evaluate_roots(&world, root_files);
    out.extend(roots_done.model);
    parsed.extend(roots_done.parsed);
    let mut spans = roots_done.spans;
    let shared_roots = uncalled(&shared, &registry, roots_done.called);
    let models: Vec<Model> = shared_roots
        .par_iter()
        .with_max_len(1)
        .map(|d| eval::Instance::root(&world, (&shared[*d], &decls[*d])).build())
        .collect();
    out.reserve_for(models.iter());
    for m in models {
        spans.extend(statement_spans(&m));
        out.extend(m);
    }
    shared_suppressions(&shared, sources, &spans, &mut out);
    drop(decls);
    drop(shared);
    drop_attached_documents(&mut out);
    Evaluated {
        model: out,
        parsed,
        found,
    }
}

/// What each directory's text may call, and whether anything in it matters on its own.
fn scan_dirs(
    by_dir: &BTreeMap<PathBuf, Vec<(PathBuf, TfFile)>>,
) -> Vec<(PathBuf, bool, Vec<PathBuf>)> {
    by_dir
        .par_iter()
        .map(|(dir, files)| {
            let mut worth = false;
            let mut calls = vec![];
            for (_, f) in files {
                match f {
                    TfFile::Unparsed { facts, .. } => {
                        worth |= facts.worth;
                        calls.extend(facts.sources.iter().map(|s| normalize(&dir.join(s))));
                    }
                    TfFile::Parsed { body, .. } => {
                        worth = true;
                        calls.extend(
                            eval::local_sources(body)
                                .into_iter()
                                .map(|(s, _)| normalize(&dir.join(s))),
                        );
                    }
                }
            }
            (dir.clone(), worth, calls)
        })
        .collect()
}

/// The directories worth reading, and those they may call, through calls of calls: those a
/// text may call (kept while the roots are evaluated) and the certain roots.
fn dirs_to_read(
    scanned: &[(PathBuf, bool, Vec<PathBuf>)],
    by_dir: &BTreeMap<PathBuf, Vec<(PathBuf, TfFile)>>,
    roots: &Roots,
) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let calls: HashMap<&PathBuf, &Vec<PathBuf>> = scanned.iter().map(|(d, _, c)| (d, c)).collect();
    // Sets by hash, ordered once at the end (comparing paths component by component in a
    // tree took milliseconds on a few thousand directories).
    let present: HashSet<&PathBuf> = by_dir.keys().collect();
    let mut wanted: HashSet<PathBuf> = HashSet::new();
    let mut stack: Vec<(PathBuf, bool)> = scanned
        .iter()
        .filter(|(_, worth, _)| *worth)
        .map(|(d, ..)| (d.clone(), false))
        .collect();
    while let Some((d, is_call)) = stack.pop() {
        if !present.contains(&d) || (is_call && !roots.admits_dir(&d)) || !wanted.insert(d.clone())
        {
            continue;
        }
        stack.extend(
            calls
                .get(&d)
                .into_iter()
                .copied()
                .flatten()
                .map(|c| (c.clone(), true)),
        );
    }
    let maybe_called: HashSet<&PathBuf> = wanted
        .iter()
        .flat_map(|d| calls.get(d).into_iter().copied().flatten())
        .collect();
    let mut wanted: Vec<PathBuf> = wanted.into_iter().collect();
    wanted.sort_by(|a, b| crate::fs::path_order(a, b));
    wanted.into_iter().partition(|d| maybe_called.contains(d))
}

/// What evaluating the certain roots gave: their model, the files they parsed, the module
/// directories they call, and the spans of their policy statements.
struct RootsDone {
    model: Model,
    parsed: Vec<FileId>,
    called: Vec<PathBuf>,
    spans: Vec<Span>,
}

/// The certain roots, one at a time per thread: parsed, evaluated, dropped.
fn evaluate_roots(
    world: &World<'_>,
    root_files: Vec<(PathBuf, Vec<(PathBuf, TfFile)>)>,
) -> RootsDone {
    let (sources, roots) = (world.sources, world.roots);
    let units: Vec<Unit> = root_files
        .into_par_iter()
        // Root modules differ in size: one per job, so no thread waits on another's long run.
        .with_max_len(1)
        .map(|(dir, files)| {
            let (m, mut model, ids) = load(sources, roots, dir, files);
            let calls = eval::local_module_dirs(&m);
            let decls = Decls::of(&m);
            let w = World {
                local: Some(&decls),
                ..*world
            };
            let unit = eval::Instance::root(&w, (&m, &decls)).build();
            let spans = statement_spans(&unit);
            for (id, body) in &m.files {
                model
                    .suppressions
                    .extend(suppressions(*id, sources.get(*id), body, &spans));
            }
            model.extend(unit);
            (model, ids, calls, spans)
        })
        .collect();
    let mut done = RootsDone {
        model: Model::default(),
        parsed: vec![],
        called: vec![],
        spans: vec![],
    };
    done.model.reserve_for(units.iter().map(|u| &u.0));
    for (model, ids, calls, s) in units {
        done.model.extend(model);
        done.parsed.extend(ids);
        done.called.extend(calls);
        done.spans.extend(s);
    }
    done
}

/// The kept modules to evaluate as roots: those no module calls, and those only reachable
/// through a cycle. `called_by_roots`: the directories the certain roots call.
fn uncalled<'a>(
    shared: &'a BTreeMap<PathBuf, Module>,
    registry: &HashMap<(PathBuf, String), PathBuf>,
    called_by_roots: Vec<PathBuf>,
) -> Vec<&'a PathBuf> {
    let mut called: HashSet<PathBuf> = called_by_roots.iter().cloned().collect();
    let mut reached_from: Vec<PathBuf> = called_by_roots;
    for m in shared.values() {
        called.extend(eval::local_module_dirs(m));
    }
    // Installed modules are evaluated through their callers only.
    called.extend(registry.values().cloned());
    let mut shared_roots: Vec<&PathBuf> = shared.keys().filter(|d| !called.contains(*d)).collect();
    reached_from.extend(shared_roots.iter().map(|d| (*d).clone()));
    reached_from.extend(registry.values().cloned());
    let mut reached: HashSet<PathBuf> = HashSet::new();
    while let Some(d) = reached_from.pop() {
        if !reached.insert(d.clone()) {
            continue;
        }
        if let Some(m) = shared.get(&d) {
            reached_from.extend(eval::local_module_dirs(m));
        }
    }
    shared_roots.extend(shared.keys().filter(|d| !reached.contains(*d)));
    shared_roots
}

/// The suppressions in kept modules' files (installed modules' files are not the scan's: no
/// suppressions are read there).
fn shared_suppressions(
    shared: &BTreeMap<PathBuf, Module>,
    sources: &SourceMap,
    spans: &[Span],
    out: &mut Model,
) {
    // The statement spans by file, once (each file with a suppression comment looked through
    // every span of the scan).
    let mut by_file: HashMap<FileId, Vec<Span>> = HashMap::new();
    for s in spans {
        by_file.entry(s.file).or_default().push(*s);
    }
    for m in shared.values() {
        for (id, body) in m
            .files
            .iter()
            .filter(|(id, _)| sources.files.len() > *id as usize)
        {
            let spans = by_file.get(id).map_or(&[][..], Vec::as_slice);
            out.suppressions
                .extend(suppressions(*id, sources.get(*id), body, spans));
        }
    }
}

/// One root module's result: its model, the files it parsed, the directories it calls, and the
/// spans of its policy statements.
type Unit = (Model, Vec<FileId>, Vec<PathBuf>, Vec<Span>);

/// The modules `terraform init` installed for these root directories, from each one's
/// `.terraform/modules/modules.json`: (root, key) to directory, and the modules parsed.
fn installed_modules<'a>(
    loader: &World<'_>,
    roots: &Roots,
    dirs: impl Iterator<Item = &'a PathBuf>,
    model: &mut Model,
) -> (
    HashMap<(PathBuf, String), PathBuf>,
    BTreeMap<PathBuf, Module>,
) {
    const MAX_MANIFEST: u64 = 4 * 1024 * 1024;
    let mut registry = HashMap::new();
    let mut modules: BTreeMap<PathBuf, Module> = BTreeMap::new();
    // Looked for in parallel (most directories have none: one failing `statx` each), read
    // in order.
    let dirs: Vec<&PathBuf> = dirs.collect();
    let manifests: Vec<(&PathBuf, PathBuf, String)> = dirs
        .into_par_iter()
        .filter_map(|root| {
            let manifest = root.join(".terraform/modules/modules.json");
            let Ok(Some(text)) = roots.read_text(&manifest, MAX_MANIFEST) else {
                return None;
            };
            Some((root, manifest, text))
        })
        .collect();
    for (root, manifest, text) in manifests {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        for m in v["Modules"].as_array().into_iter().flatten() {
            let (Some(key), Some(dir)) = (m["Key"].as_str(), m["Dir"].as_str()) else {
                continue;
            };
            if key.is_empty() {
                continue;
            }
            let dir = normalize(&root.join(dir));
            if !roots.admits_dir(&dir) {
                // Never read: the module stays unknown, and the user hears why.
                model.notices.push(Notice::new(
                    crate::discover::display_path(&manifest),
                    format!(
                        "module {key:?} not read: its directory {} leaves the scan root (use --allow-outside-root to read it anyway)",
                        crate::discover::display_path(&dir)
                    ),
                ));
                continue;
            }
            registry.insert((root.clone(), key.to_string()), dir.clone());
            if modules.contains_key(&dir) {
                continue;
            }
            let mut files = vec![];
            for path in roots.files_in(&dir, ".tf") {
                let Some((id, text)) = loader.load(&path, "module file", Span::default()) else {
                    continue;
                };
                if let Some(body) = parse(id, &text, model) {
                    files.push((id, path, body, false));
                }
            }
            if let Some(m) = super::group(files).remove(&dir) {
                modules.insert(dir, m);
            }
        }
    }
    (registry, modules)
}

/// Policy documents evaluated on their own (see `Instance::build_documents`) are dropped when
/// their statements are part of another policy — attached somewhere (checked there, in
/// context), or fed into another document (`source_policy_documents`, `merge`: checked as part
/// of the result) — and kept once when several module instances evaluated them.
pub fn drop_attached_documents(m: &mut Model) {
    let spans_of = |p: &crate::model::Policy| -> Vec<Span> {
        let mut v: Vec<Span> = p.doc.statements.iter().map(|s| s.span).collect();
        v.sort();
        v.dedup();
        v
    };
    let sets: Vec<Vec<Span>> = m.policies.iter().map(spans_of).collect();
    let attached: HashSet<Span> = m
        .policies
        .iter()
        .zip(&sets)
        .filter(|(p, _)| !p.standalone)
        .flat_map(|(_, s)| s.iter().copied())
        .collect();
    // For each statement, the policies holding it.
    let mut holders: HashMap<Span, Vec<usize>> = HashMap::new();
    for (i, set) in sets.iter().enumerate() {
        for s in set {
            holders.entry(*s).or_default().push(i);
        }
    }
    // A bucket has one bucket policy: a document naming a bucket whose policy is attached in
    // the scan is something else (a reader's statement, an endpoint's or access point's policy).
    let with_policy: HashSet<crate::value::Text> = m
        .policies
        .iter()
        .filter(|p| !p.standalone && p.kind == crate::policy::PolicyKind::Bucket)
        .filter_map(|p| p.bucket.clone())
        .collect();
    let mut seen: HashSet<&[Span]> = HashSet::new();
    let mut keep = vec![true; sets.len()];
    let mut unlink = vec![false; sets.len()];
    for (i, p) in m.policies.iter().enumerate() {
        // (Terraform's standalone policies are all such documents.)
        if !p.standalone {
            continue;
        }
        let set = &sets[i];
        let fed_into_another = set.first().and_then(|s| holders.get(s)).is_some_and(|h| {
            h.iter().any(|&j| {
                sets[j].len() > set.len() && set.iter().all(|s| sets[j].binary_search(s).is_ok())
            })
        });
        // Its statements are still checked one by one, but not as that bucket's policy.
        unlink[i] = p.kind == crate::policy::PolicyKind::Bucket
            && crate::aws::s3::bucket_from_resources(p).is_some_and(|b| with_policy.contains(&b));
        // Wholly attached somewhere: checked there. (One that adds statements to attached
        // ones is a document of its own.)
        let attached_whole = !set.is_empty() && set.iter().all(|s| attached.contains(s));
        keep[i] = !attached_whole && !fed_into_another && seen.insert(set.as_slice());
    }
    for (p, _) in m.policies.iter_mut().zip(&unlink).filter(|(_, u)| **u) {
        let name = format!("document@{}:{}", p.span.file, p.span.start);
        p.bucket = Some(crate::value::Text::sym(crate::value::Symbol::new(
            crate::value::Kind::Bucket,
            name,
        )));
    }
    let mut k = keep.into_iter();
    m.policies.retain(|_| k.next().unwrap_or(true));
}

fn statement_spans(m: &Model) -> Vec<Span> {
    m.policies
        .iter()
        .flat_map(|p| p.doc.statements.iter().map(|s| s.span))
        .collect()
}

/// Parses one directory's files into a module, with the parse errors, the notices of module
/// sources that leave the scan root, and the files it tried.
fn load(
    sources: &SourceMap,
    roots: &Roots,
    dir: PathBuf,
    files: Vec<(PathBuf, TfFile)>,
) -> (Module, Model, Vec<FileId>) {
    // Each file on its own, in parallel (one directory may hold thousands), then gathered in
    // order.
    let tried: Vec<Option<Tried>> = files
        .into_par_iter()
        .with_min_len(16)
        .map(|(path, f)| load_file(sources, roots, &dir, path, f))
        .collect();
    let mut model = Model::default();
    let mut parsed = vec![];
    let mut ids = vec![];
    for Tried { id, body, model: m } in tried.into_iter().flatten() {
        ids.push(id);
        model.extend(m);
        if let Some((path, body, is_vars)) = body {
            parsed.push((id, path, body, is_vars));
        }
    }
    let module = super::group(parsed).remove(&dir).unwrap_or_else(|| Module {
        dir,
        ..Default::default()
    });
    (module, model, ids)
}

/// A file [`load`] tried: its id, its path, body and whether it is a tfvars file when it
/// parses, and its parse errors and notices.
struct Tried {
    id: FileId,
    body: Option<(PathBuf, Body, bool)>,
    model: Model,
}

/// One file of [`load`]: `None` when it cannot matter (not tried).
fn load_file(
    sources: &SourceMap,
    roots: &Roots,
    dir: &Path,
    path: PathBuf,
    f: TfFile,
) -> Option<Tried> {
    let mut model = Model::default();
    let id = f.id();
    let (body, is_vars) = match f {
        TfFile::Parsed { body, is_vars, .. } => (body, is_vars),
        TfFile::Unparsed { id, is_vars, facts } => {
            if !is_vars && !facts.informs {
                return None;
            }
            match parse(id, &sources.get(id).text, &mut model) {
                Some(body) => (body, is_vars),
                None => {
                    return Some(Tried {
                        id,
                        body: None,
                        model,
                    });
                }
            }
        }
    };
    for (src, range) in eval::local_sources(&body) {
        if !roots.admits_dir(&normalize(&dir.join(&src))) {
            // Never read: the module is unknown, and the user hears why.
            let source = sources.get(id);
            model.notices.push(Notice {
                path: source.display.clone(),
                message: format!(
                    "module source {src:?} not read: it leaves the scan root (use --allow-outside-root to read it anyway)"
                ),
                at: Some(source.position(range.map_or(0, |r| r.start))),
            });
        }
    }
    Some(Tried {
        id,
        body: Some((path, body, is_vars)),
        model,
    })
}

#[cfg(test)]
mod tests {
    use super::textual_sources;

    #[test]
    fn every_literal_local_source_is_found() {
        let hcl = "module \"a\" {\n  source = \"../modules/a\"\n}\nmodule \"b\" {\n  source=\"./b\"\n}\nmodule \"c\" { source = \"terraform-aws-modules/x/aws\" }\nresource \"x\" \"y\" { data_source = \"./no\" }\n";
        assert_eq!(textual_sources(hcl), ["../modules/a", "./b"]);
        let json = r#"{"module": {"a": {"source": "../m", "x": 1}}}"#;
        assert_eq!(textual_sources(json), ["../m"]);
    }
}
