//! Finding the files to read: directories walked with .gitignore/.ignore honoured (also outside
//! a git repository), `.terraform/` and `.git/` skipped, `--exclude` globs applied; files named
//! explicitly are read whatever .gitignore says.

use ignore::WalkBuilder;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::path::{Path, PathBuf};

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
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".tf.json") {
        Some(Format::TerraformJson)
    } else if name.ends_with(".tf") {
        Some(Format::Terraform)
    } else if name.ends_with(".tfvars") {
        Some(Format::TerraformVars)
    } else if name.ends_with(".json") || name.ends_with(".tpl") {
        Some(Format::Json)
    } else if name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".template") {
        Some(Format::Yaml)
    } else {
        None
    }
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

pub fn discover(paths: &[PathBuf], excludes: &[String]) -> Result<Discovered, String> {
    let cwd = normalize(&std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")));
    let matcher = exclude_matcher(&cwd, excludes)?;
    let excluded = |p: &Path| {
        if excludes.is_empty() {
            return false;
        }
        let abs = normalize(&if p.is_absolute() {
            p.to_path_buf()
        } else {
            cwd.join(p)
        });
        abs.starts_with(&cwd) && matcher.matched_path_or_any_parents(&abs, false).is_ignore()
    };
    let mut out = Discovered::default();
    let walk = |root: &Path, depth: Option<usize>, role: Role, out: &mut Discovered| {
        let mut wb = WalkBuilder::new(root);
        wb.require_git(false)
            .hidden(false)
            .follow_links(true)
            .max_depth(depth)
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && (name == ".terraform" || name == ".git"))
            });
        for entry in wb.build() {
            match entry {
                Ok(e) => {
                    if !e.file_type().is_some_and(|t| t.is_file()) {
                        continue;
                    }
                    let p = e.into_path();
                    if format_of(&p).is_some() && !excluded(&p) {
                        out.files.push((p, role));
                    }
                }
                Err(err) => out
                    .problems
                    .push((root.display().to_string(), err.to_string())),
            }
        }
    };
    let mut context = vec![];
    for root in paths {
        if root.is_file() {
            if !excluded(root) {
                out.files.push((root.clone(), Role::Named));
                context.extend(context_dirs(root));
            }
            continue;
        }
        walk(root, None, Role::Walked, &mut out);
        cdk_out(root, &excluded, &mut out);
    }
    context.sort();
    context.dedup();
    for dir in context {
        walk(&dir, Some(1), Role::Context, &mut out);
    }
    // One entry per file (compared by absolute path), the strongest role winning.
    let mut keyed: Vec<(PathBuf, PathBuf, Role)> = out
        .files
        .drain(..)
        .map(|(p, r)| {
            (
                normalize(&std::path::absolute(&p).unwrap_or_else(|_| p.clone())),
                p,
                r,
            )
        })
        .collect();
    keyed.sort_by(|a, b| (&a.0, a.2).cmp(&(&b.0, b.2)));
    keyed.dedup_by(|a, b| a.0 == b.0);
    out.files = keyed.into_iter().map(|(_, p, r)| (p, r)).collect();
    Ok(out)
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

/// The path as reports show it: relative to the working directory with forward slashes, or
/// absolute when outside it.
pub fn display_path(p: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else if let Some(c) = &cwd {
        c.join(p)
    } else {
        p.to_path_buf()
    };
    let abs = normalize(&abs);
    let rel = cwd
        .as_ref()
        .and_then(|c| abs.strip_prefix(normalize(c)).ok().map(Path::to_path_buf));
    let shown = rel.unwrap_or(abs);
    shown.to_string_lossy().replace('\\', "/")
}

pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
