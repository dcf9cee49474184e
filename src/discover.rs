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
    } else if name.ends_with(".tfvars") || name.ends_with(".tfvars.json") {
        Some(Format::TerraformVars)
    } else if name.ends_with(".json") || name.ends_with(".tpl") {
        Some(Format::Json)
    } else if name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".template") {
        Some(Format::Yaml)
    } else {
        None
    }
}

/// Files to read, sorted, each with whether it was named explicitly.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<(PathBuf, bool)>,
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
    for root in paths {
        if root.is_file() {
            if !excluded(root) {
                out.files.push((root.clone(), true));
            }
            continue;
        }
        let mut wb = WalkBuilder::new(root);
        wb.require_git(false)
            .hidden(false)
            .follow_links(true)
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
                        out.files.push((p, false));
                    }
                }
                Err(err) => {
                    let msg = err.to_string();
                    out.problems.push((root.display().to_string(), msg));
                }
            }
        }
    }
    out.files.sort();
    out.files.dedup_by(|a, b| {
        if a.0 == b.0 {
            b.1 |= a.1;
            true
        } else {
            false
        }
    });
    Ok(out)
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

fn normalize(p: &Path) -> PathBuf {
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
