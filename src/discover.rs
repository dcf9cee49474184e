//! Finding the files to read: directories walked with .gitignore/.ignore honoured (also outside
//! a git repository), `.terraform/` and `.git/` skipped, `--exclude` globs applied; files named
//! explicitly are read whatever .gitignore says. Symlinks are followed only while they stay
//! inside the scan roots ([`crate::fs::Roots`]); one that leaves them, and an ignore file that is
//! not a regular file inside them, is a notice and is not read.

use crate::fs::{DirMemo, Roots, lexical_absolute, normalize};
use ignore::WalkBuilder;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A file's format, from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
    Terraform,
    TerraformJson,
    TerraformVars,
}

pub fn format_of(path: &Path) -> Option<Format> {
    // A name that is not UTF-8 is judged by its readable part (a repository must not hide a
    // policy from the walk by a stray byte in its name).
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if is_jinja_name(&name) {
        // A Jinja/Nunjucks template of a template or policy: YAML unless it says JSON.
        return match format_of(Path::new(jinja_inner_name(&name))) {
            Some(Format::Json) => Some(Format::Json),
            Some(Format::Yaml) | None => Some(Format::Yaml),
            Some(_) => None,
        };
    }
    if name.ends_with(".tf.json") {
        Some(Format::TerraformJson)
    } else if name.ends_with(".tf") {
        Some(Format::Terraform)
    } else if name.ends_with(".tfvars") {
        Some(Format::TerraformVars)
    } else if name.ends_with(".json") || is_template_name(&name) {
        Some(Format::Json)
    } else if name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".template") {
        Some(Format::Yaml)
    } else {
        None
    }
}

/// Whether a file name is a template (`*.tpl`, `*.tftpl` — Terraform's own extension —,
/// `*.tmpl`, with or without `.json` before it).
pub fn is_template_name(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    [".tpl", ".tftpl", ".tmpl"].iter().any(|e| p.ends_with(e))
}

/// Whether a file name is a Jinja/Nunjucks template.
pub fn is_jinja_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [".j2", ".jinja", ".jinja2", ".njk"]
        .iter()
        .any(|e| n.ends_with(e))
}

/// The name without its template extension (`stack.yaml.j2` → `stack.yaml`).
pub fn jinja_inner_name(name: &str) -> &str {
    let lower = name.to_ascii_lowercase();
    for e in [".jinja2", ".jinja", ".j2", ".njk"] {
        if lower.ends_with(e) {
            return &name[..name.len() - e.len()];
        }
    }
    name
}

/// Why a file is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Named on the command line: its findings are reported.
    Named,
    /// Found walking a directory named on the command line: its findings are reported.
    Walked,
    /// Read only as context for a named file (its directory and their ancestors up to the
    /// repository root): only findings related to a named file are reported from it.
    Context,
}

impl Role {
    pub fn reported(self) -> bool {
        self != Role::Context
    }
}

/// Files to read, sorted, each with why it is read.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<(PathBuf, Role)>,
    /// Problems met during the walk (unreadable directories, symlink loops).
    pub problems: Vec<(String, String)>,
}

fn exclude_matcher(root: &Path, excludes: &[String]) -> Result<Gitignore, String> {
    let mut b = GitignoreBuilder::new(root);
    for e in excludes {
        b.add_line(None, e)
            .map_err(|err| format!("bad --exclude glob {e:?}: {err}"))?;
    }
    b.build().map_err(|e| e.to_string())
}

/// The directory of a named file and its ancestors up to the repository root (the nearest
/// directory holding `.git`); just the file's directory outside a repository.
fn context_dirs(file: &Path) -> Vec<PathBuf> {
    let Ok(abs) = std::path::absolute(file) else {
        return vec![];
    };
    let Some(start) = abs.parent() else {
        return vec![];
    };
    let mut chain = vec![];
    let mut dir = Some(start);
    while let Some(d) = dir {
        chain.push(d.to_path_buf());
        if d.join(".git").exists() {
            return chain;
        }
        dir = d.parent();
    }
    vec![start.to_path_buf()]
}

/// Problems met by a walk, shared with its entry filter.
type Problems = Arc<Mutex<Vec<(String, String)>>>;

/// A directory's ignore matcher, and whether the search for matches stops there.
type DirIgnores = (Option<Arc<Gitignore>>, bool);

/// The largest ignore file read.
const MAX_IGNORE_FILE_BYTES: u64 = 1024 * 1024;

/// `.gitignore` and `.ignore` files (and the repository's `.git/info/exclude`), read through
/// [`Roots`] rather than by the walker, so a symlinked or special ignore file is refused like
/// any other read. Matching follows git: the deepest directory with a match decides, `.ignore`
/// over `.gitignore`, up to the scan root.
struct Ignores {
    roots: Roots,
    problems: Problems,
    /// Per directory: its matcher, and whether the search for matches stops there (a root,
    /// or outside the roots).
    cache: DirMemo<DirIgnores>,
    /// Per directory: the matchers that judge its entries, nearest first (each entry asks its
    /// directory once instead of each of its ancestors).
    chains: DirMemo<Chain>,
}

/// Matchers, nearest directory first.
type Chain = Arc<[Arc<Gitignore>]>;

impl Ignores {
    fn matcher(&self, dir: &Path) -> DirIgnores {
        if let Some(m) = self.cache.get(dir) {
            return m;
        }
        let (inside, is_root) = self.roots.place_of(dir);
        if !inside {
            return (None, true);
        }
        let mut b = GitignoreBuilder::new(dir);
        let mut any = false;
        for name in [".git/info/exclude", ".gitignore", ".ignore"] {
            let path = dir.join(name);
            if std::fs::symlink_metadata(&path).is_err() {
                continue;
            }
            match self.roots.read_text(&path, MAX_IGNORE_FILE_BYTES) {
                Ok(Some(text)) => {
                    for line in text.lines() {
                        // A bad glob is skipped, as git does.
                        any |= b.add_line(None, line).is_ok();
                    }
                }
                Ok(None) => {}
                Err(e) => {
                    if let Ok(mut p) = self.problems.lock() {
                        p.push((display_path(&path), format!("ignore file not read: {e}")));
                    }
                }
            }
        }
        let m = if any {
            b.build().ok().map(Arc::new)
        } else {
            None
        };
        self.cache.put(dir, (m.clone(), is_root));
        (m, is_root)
    }

    /// The matchers of `dir` and of its ancestors up to where the search stops.
    fn chain(&self, dir: &Path) -> Chain {
        if let Some(c) = self.chains.get(dir) {
            return c;
        }
        let (m, stop) = self.matcher(dir);
        let mut chain: Vec<Arc<Gitignore>> = m.into_iter().collect();
        if !stop && let Some(parent) = dir.parent() {
            chain.extend(self.chain(parent).iter().cloned());
        }
        let chain: Chain = chain.into();
        self.chains.put(dir, chain.clone());
        chain
    }

    fn ignored(&self, path: &Path, is_dir: bool) -> bool {
        let abs = lexical_absolute(path);
        let Some(dir) = abs.parent() else {
            return false;
        };
        for m in self.chain(dir).iter() {
            match m.matched(&abs, is_dir) {
                ignore::Match::Ignore(_) => return true,
                ignore::Match::Whitelist(_) => return false,
                ignore::Match::None => {}
            }
        }
        false
    }
}

/// Whether the walk may enter or list an entry: not ignored, and a symlink must stay inside
/// the roots (said when it would have been read: a directory or a file of a format read).
/// An ignored directory (not a symlink) is kept in `ignored_dirs`: `cdk.out` may lie below.
fn admissible(
    ignores: &Ignores,
    path: &Path,
    is_symlink: bool,
    is_dir: bool,
    ignored_dirs: Option<&Mutex<Vec<PathBuf>>>,
) -> bool {
    if let Some(Err(e)) = is_symlink.then(|| ignores.roots.admit(path)) {
        let worth_saying = is_dir || format_of(path).is_some();
        if let (true, Ok(mut p)) = (worth_saying, ignores.problems.lock()) {
            p.push((display_path(path), format!("symlink not followed: {e}")));
        }
        return false;
    }
    let ignored = ignores.ignored(path, is_dir);
    if ignored
        && is_dir
        && !is_symlink
        && let Some(Ok(mut d)) = ignored_dirs.map(Mutex::lock)
    {
        d.push(path.to_path_buf());
    }
    !ignored
}

pub fn discover(
    paths: &[PathBuf],
    excludes: &[(PathBuf, Vec<String>)],
    roots: &Roots,
) -> Result<Discovered, String> {
    let walker = Walker::new(excludes, roots)?;
    let mut out = Discovered::default();
    let mut context = vec![];
    for root in paths {
        // A scanned path that leads out of its scan root (a symlink) is not read at all.
        if let Err(e @ crate::fs::ReadError::Outside) = roots.admit(root) {
            out.problems
                .push((display_path(root), format!("not scanned: {e}")));
            continue;
        }
        if !root.is_dir() {
            if !walker.excluded(root) {
                out.files.push((root.clone(), Role::Named));
                context.extend(context_dirs(root));
            }
            continue;
        }
        walker.walk(std::slice::from_ref(root), None, Role::Walked, &mut out);
    }
    // Ignored directories are walked again only for `cdk.out` below them (what is not ignored
    // has been walked already).
    let skipped = std::mem::take(
        &mut *walker
            .ignored_dirs
            .lock()
            .unwrap_or_else(|e| e.into_inner()),
    );
    for dir in skipped {
        cdk_out(&dir, &|p| walker.excluded(p), &mut out);
    }
    context.sort();
    context.dedup();
    if !context.is_empty() {
        walker.walk(&context, Some(1), Role::Context, &mut out);
    }
    if let Ok(mut p) = walker.problems.lock() {
        out.problems.append(&mut p);
    }
    out.problems.sort();
    out.problems.dedup();
    out.files = one_per_file(std::mem::take(&mut out.files));
    Ok(out)
}

/// One entry per file (compared by absolute path), the strongest role winning.
fn one_per_file(files: Vec<(PathBuf, Role)>) -> Vec<(PathBuf, Role)> {
    let mut keyed: Vec<(PathBuf, PathBuf, Role)> = files
        .into_iter()
        .map(|(p, r)| (lexical_absolute(&p), p, r))
        .collect();
    keyed.sort_by(|a, b| crate::fs::path_order(&a.0, &b.0).then(a.2.cmp(&b.2)));
    keyed.dedup_by(|a, b| a.0 == b.0);
    keyed.into_iter().map(|(_, p, r)| (p, r)).collect()
}

/// What the walks of one discovery share: the exclude globs, the ignore files read (their
/// problems said for walks the user asked for, kept quiet for context walks), and the ignored
/// directories met (searched again for `cdk.out`).
struct Walker {
    cwd: PathBuf,
    /// Each group of globs is relative to its own directory (the working directory for
    /// `--exclude`, the configuration file's for its `exclude`).
    matchers: Vec<(PathBuf, Gitignore)>,
    problems: Problems,
    said: Arc<Ignores>,
    unsaid: Arc<Ignores>,
    ignored_dirs: Arc<Mutex<Vec<PathBuf>>>,
}

impl Walker {
    fn new(excludes: &[(PathBuf, Vec<String>)], roots: &Roots) -> Result<Walker, String> {
        let matchers: Vec<(PathBuf, Gitignore)> = excludes
            .iter()
            .filter(|(_, globs)| !globs.is_empty())
            .map(|(root, globs)| {
                let root = lexical_absolute(root);
                exclude_matcher(&root, globs).map(|m| (root, m))
            })
            .collect::<Result<_, _>>()?;
        let problems: Problems = Default::default();
        // What is met while reading context (a named file's directory and its ancestors) is
        // not the user's concern: only the problems of what was asked for are said.
        let quiet: Problems = Default::default();
        let ignores = |problems: &Problems| {
            Arc::new(Ignores {
                roots: roots.clone(),
                problems: problems.clone(),
                cache: Default::default(),
                chains: Default::default(),
            })
        };
        Ok(Walker {
            cwd: crate::fs::working_dir().map_or_else(|| PathBuf::from("/"), Path::to_path_buf),
            matchers,
            said: ignores(&problems),
            unsaid: ignores(&quiet),
            problems,
            ignored_dirs: Default::default(),
        })
    }

    /// Whether an exclude glob matches the path or a directory above it.
    fn excluded(&self, p: &Path) -> bool {
        if self.matchers.is_empty() {
            return false;
        }
        let abs = normalize(&if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.cwd.join(p)
        });
        self.matchers.iter().any(|(root, m)| {
            abs.starts_with(root) && m.matched_path_or_any_parents(&abs, false).is_ignore()
        })
    }

    /// Walks `roots` (to `depth`) for the files trailguard reads, in the given role. Several
    /// roots are walked together only for context, whose problems are not said (a problem is
    /// otherwise labelled with the first root).
    fn walk(&self, roots: &[PathBuf], depth: Option<usize>, role: Role, out: &mut Discovered) {
        let Some((root, more)) = roots.split_first() else {
            return;
        };
        let problems_before = out.problems.len();
        let ignores = if role == Role::Context {
            self.unsaid.clone()
        } else {
            self.said.clone()
        };
        let mut wb = WalkBuilder::new(root);
        for r in more {
            wb.add(r);
        }
        // Context walks (a named file's directory) look for nothing else.
        let skipped = (role != Role::Context).then(|| self.ignored_dirs.clone());
        wb.standard_filters(false)
            .follow_links(true)
            .max_depth(depth)
            .filter_entry(move |e| {
                let name = e.file_name().to_string_lossy();
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                if is_dir && (name == ".terraform" || name == ".git") {
                    return false;
                }
                if !is_dir && format_of(e.path()).is_none() {
                    // Not read whatever the ignore files say: no need to ask them, but their
                    // directory's ignore files are read all the same (a problem with them is
                    // said whatever the directory holds).
                    if let Some(dir) = e.path().parent() {
                        ignores.chain(&lexical_absolute(dir));
                    }
                    return false;
                }
                admissible(
                    &ignores,
                    e.path(),
                    e.path_is_symlink(),
                    is_dir,
                    skipped.as_deref(),
                )
            });
        // Walked by the parallel walker even to a depth: the sequential one opens every
        // directory it meets, those at the depth limit too (a context walk of a folder of
        // 3,000 stacks opened all 3,000). The order does not matter: files are sorted
        // afterwards.
        let threads = if depth.is_none() {
            rayon::current_num_threads()
        } else {
            1
        };
        let sink = Mutex::new(Discovered::default());
        wb.threads(threads).build_parallel().run(|| {
            Box::new(|entry| {
                let mut one = Discovered::default();
                self.take(root, role, entry, &mut one);
                if let Ok(mut s) = sink.lock() {
                    s.files.append(&mut one.files);
                    s.problems.append(&mut one.problems);
                }
                ignore::WalkState::Continue
            })
        });
        let mut got = sink.into_inner().unwrap_or_else(|e| e.into_inner());
        out.files.append(&mut got.files);
        out.problems.append(&mut got.problems);
        if role == Role::Context {
            out.problems.truncate(problems_before);
        }
    }

    /// One entry of a walk of `root`: a file trailguard reads, or a problem.
    fn take(
        &self,
        root: &Path,
        role: Role,
        entry: Result<ignore::DirEntry, ignore::Error>,
        out: &mut Discovered,
    ) {
        let e = match entry {
            Ok(e) => e,
            Err(err) => {
                out.problems
                    .push((root.display().to_string(), err.to_string()));
                return;
            }
        };
        let Some(t) = e.file_type() else { return };
        if t.is_dir() {
            return;
        }
        let p = e.into_path();
        if format_of(&p).is_none() || self.excluded(&p) {
            return;
        }
        if t.is_file() {
            out.files.push((p, role));
        } else {
            // A FIFO, device or socket with a name trailguard reads: said, not read.
            let kind = crate::fs::kind_of(t);
            out.problems.push((
                display_path(&p),
                format!("skipped: it is not a regular file ({kind})"),
            ));
        }
    }
}

/// `cdk.out/` holds CDK's synthesized templates and is read even when ignored: a second walk
/// without ignore files, keeping only `*.template.json` under a `cdk.out` directory.
fn cdk_out(root: &Path, excluded: &dyn Fn(&Path) -> bool, out: &mut Discovered) {
    let mut wb = WalkBuilder::new(root);
    wb.standard_filters(false)
        .follow_links(false)
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(e.file_type().is_some_and(|t| t.is_dir())
                && matches!(
                    name.as_ref(),
                    "node_modules" | ".git" | ".terraform" | "target"
                ))
        });
    for e in wb.build().flatten() {
        let p = e.path();
        let in_cdk = p.components().any(|c| c.as_os_str() == "cdk.out");
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if in_cdk
            && name.ends_with(".template.json")
            && e.file_type().is_some_and(|t| t.is_file())
            && !excluded(p)
        {
            out.files.push((p.to_path_buf(), Role::Walked));
        }
    }
}

/// How a path is shown, with forward slashes: a relative path as given (tidied: `./a/../b` is
/// `b`, a leading `..` kept), an absolute one relative to the working directory when it lies
/// below it.
pub fn display_path(p: &Path) -> String {
    if p.is_relative() {
        let mut out: Vec<std::path::Component> = vec![];
        for c in p.components() {
            match c {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir
                    if out
                        .last()
                        .is_some_and(|l| *l != std::path::Component::ParentDir) =>
                {
                    out.pop();
                }
                other => out.push(other),
            }
        }
        if out.is_empty() {
            return ".".to_string();
        }
        return out
            .iter()
            .collect::<PathBuf>()
            .to_string_lossy()
            .replace('\\', "/");
    }
    let abs = normalize(p);
    let rel =
        crate::fs::working_dir().and_then(|c| abs.strip_prefix(c).ok().map(Path::to_path_buf));
    let shown = rel.unwrap_or(abs);
    shown.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn jinja_names() {
        assert!(is_jinja_name("stack.yaml.j2") && is_jinja_name("x.NJK"));
        assert!(!is_jinja_name("x.yaml"));
        assert_eq!(jinja_inner_name("stack.yaml.j2"), "stack.yaml");
        assert_eq!(jinja_inner_name("p.json.jinja2"), "p.json");
    }
}
