//! `.trailguard.toml`: found by walking up from the first scanned path (or named with
//! `--config`), merged with the command line (flags win). Unknown keys and bad values are usage
//! errors that name the file, line and column, with a hint.

use crate::aws::arn::{Arn, TrailParts};
use crate::finding::Level;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const FILE_NAME: &str = ".trailguard.toml";

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    pub select: Option<Vec<Spanned<String>>>,
    pub ignore: Option<Vec<Spanned<String>>>,
    pub fail_on: Option<Spanned<String>>,
    pub exclude: Option<Vec<Spanned<String>>>,
    pub per_path_ignores: Option<BTreeMap<String, Vec<Spanned<String>>>>,
    pub levels: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    pub baseline: Option<Spanned<String>>,
    pub trails: Option<Vec<Spanned<TrailEntry>>>,
    pub format: Option<Spanned<String>>,
    pub output: Option<Spanned<String>>,
    pub quiet: Option<bool>,
    pub no_color: Option<bool>,
    pub threads: Option<usize>,
}

/// An expected trail for standalone policies.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TrailEntry {
    /// `arn:PARTITION:cloudtrail:REGION:ACCOUNT:trail/NAME`.
    pub arn: Option<String>,
    /// The owner account, when no ARN is given.
    pub account: Option<String>,
    /// The trail's S3 key prefix (none when absent).
    pub prefix: Option<String>,
    /// The bucket it delivers to; when absent, every standalone policy.
    pub bucket: Option<String>,
    /// The organization ID of an organization trail.
    pub organization: Option<String>,
}

/// A configuration ready to use.
#[derive(Debug, Default)]
pub struct Loaded {
    pub path: Option<PathBuf>,
    pub text: String,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub fail_on: Option<String>,
    pub exclude: Vec<String>,
    pub per_path_ignores: Vec<PathIgnore>,
    pub levels: BTreeMap<String, Option<Level>>,
    pub baseline: Option<PathBuf>,
    /// Each expected trail with the byte span of its table in the file.
    pub trails: Vec<(TrailEntry, std::ops::Range<usize>)>,
    pub format: Option<String>,
    pub output: Option<PathBuf>,
    pub quiet: bool,
    pub no_color: bool,
    pub threads: Option<usize>,
}

/// Rules ignored under some paths.
#[derive(Debug)]
pub struct PathIgnore {
    pub matcher: Gitignore,
    pub rules: Vec<String>,
}

impl PathIgnore {
    pub fn matches(&self, path: &Path) -> bool {
        path.starts_with(self.matcher.path())
            && self
                .matcher
                .matched_path_or_any_parents(path, false)
                .is_ignore()
    }
}

/// Finds the configuration file for a scan of `first`: `.trailguard.toml` in its directory or
/// the nearest ancestor.
pub fn find(first: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(first).ok()?;
    let mut dir = if abs.is_dir() {
        Some(abs.as_path())
    } else {
        abs.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

fn err_at(path: &Path, text: &str, span: std::ops::Range<usize>, msg: &str, hint: &str) -> String {
    let (l, c) = position(text, span.start);
    format!("{}:{l}:{c}: {msg}\n  hint: {hint}", path.display())
}

fn check_ids(path: &Path, text: &str, ids: &[Spanned<String>]) -> Result<Vec<String>, String> {
    ids.iter()
        .map(|id| {
            crate::rules::find(id.get_ref())
                .map(|m| m.id.to_string())
                .ok_or_else(|| {
                    err_at(
                        path,
                        text,
                        id.span(),
                        &format!("unknown rule ID {:?}", id.get_ref()),
                        "rule IDs are TG000 to TG013; `trailguard rules` lists them",
                    )
                })
        })
        .collect()
}

const LEVELS_HINT: &str = "use one of \"error\", \"warning\", \"note\", \"never\"";

/// The largest configuration file read.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// A file the configuration names for trailguard to write or read (`output`, `baseline`): it
/// must lie inside the configuration file's own directory tree, so a configuration committed to
/// a scanned repository cannot make trailguard write elsewhere.
fn inside_own_tree(
    path: &Path,
    text: &str,
    dir: &Path,
    key: &str,
    value: &Spanned<String>,
) -> Result<PathBuf, String> {
    let v = Path::new(value.get_ref());
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let dir = crate::fs::normalize(&std::path::absolute(dir).unwrap_or_default());
    let joined = crate::fs::normalize(&dir.join(v));
    let lexical_ok = !v.is_absolute() && joined.starts_with(&dir) && joined != dir;
    if lexical_ok && crate::fs::Roots::at(&dir).admits_dir(&joined) {
        // A FIFO or device the repository holds is never written into (only one the command
        // line names): the write would block on a FIFO, or reach whatever the device is.
        if let Some(kind) = crate::fs::special_file(&joined).filter(|_| key == "output") {
            return Err(err_at(
                path,
                text,
                value.span(),
                &format!("{key} {:?} is {kind}, not a file", value.get_ref()),
                &format!(
                    "a configuration file may only name a file to write; pass --{key} on the command line to write into a device or FIFO"
                ),
            ));
        }
        return Ok(joined);
    }
    Err(err_at(
        path,
        text,
        value.span(),
        &format!(
            "{key} {:?} is outside the configuration file's directory",
            value.get_ref()
        ),
        &format!(
            "a configuration file may only name files below its own directory; pass --{key} on the command line for another place"
        ),
    ))
}

/// Reads and validates a configuration file.
pub fn load(path: &Path) -> Result<Loaded, String> {
    let text = crate::fs::read_named(path, MAX_CONFIG_BYTES)
        .map_err(|e| format!("cannot read the configuration: {e}"))?;
    let raw: FileConfig = toml::from_str(&text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        err_at(
            path,
            &text,
            span,
            e.message(),
            "keys are select, ignore, fail-on, exclude, baseline, format, output, quiet, no-color, threads, [per-path-ignores], [levels], [[trails]] (see the README)",
        )
    })?;
    let mut out = Loaded {
        path: Some(path.to_path_buf()),
        ..Loaded::default()
    };
    let file = File {
        path,
        text: &text,
        dir: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
    };
    file.check(&raw, &mut out)?;
    out.text = text;
    Ok(out)
}

/// The configuration file being checked: its path, text and directory (relative paths in it
/// are relative to the directory).
struct File<'a> {
    path: &'a Path,
    text: &'a str,
    dir: PathBuf,
}

impl File<'_> {
    /// The keys in the order they are checked (the first error is the one reported).
    fn check(&self, raw: &FileConfig, out: &mut Loaded) -> Result<(), String> {
        self.selection(raw, out)?;
        self.fail_on(raw, out)?;
        self.excludes(raw, out)?;
        self.per_rule(raw, out)?;
        self.output(raw, out)?;
        self.trails(raw, out)
    }

    /// `select` and `ignore`: rule IDs or names that exist.
    fn selection(&self, raw: &FileConfig, out: &mut Loaded) -> Result<(), String> {
        if let Some(s) = &raw.select {
            out.select = Some(check_ids(self.path, self.text, s)?);
        }
        if let Some(s) = &raw.ignore {
            out.ignore = check_ids(self.path, self.text, s)?;
        }
        Ok(())
    }

    /// `fail-on`: a level, or `never`.
    fn fail_on(&self, raw: &FileConfig, out: &mut Loaded) -> Result<(), String> {
        if let Some(f) = &raw.fail_on {
            if !["error", "warning", "note", "never"].contains(&f.get_ref().as_str()) {
                return Err(err_at(
                    self.path,
                    self.text,
                    f.span(),
                    &format!("bad fail-on {:?}", f.get_ref()),
                    LEVELS_HINT,
                ));
            }
            out.fail_on = Some(f.get_ref().clone());
        }
        Ok(())
    }

    /// `exclude` globs (gitignore syntax).
    fn excludes(&self, raw: &FileConfig, out: &mut Loaded) -> Result<(), String> {
        for e in raw.exclude.iter().flatten() {
            let mut b = GitignoreBuilder::new(&self.dir);
            b.add_line(None, e.get_ref()).map_err(|err| {
                err_at(
                    self.path,
                    self.text,
                    e.span(),
                    &format!("bad exclude glob: {err}"),
                    "use gitignore syntax, e.g. \"vendor/\" or \"**/*.tpl\"",
                )
            })?;
            out.exclude.push(e.get_ref().clone());
        }
        Ok(())
    }

    /// `[per-path-ignores]` and `[levels]`, of rules that exist.
    fn per_rule(&self, raw: &FileConfig, out: &mut Loaded) -> Result<(), String> {
        for (glob, rules) in raw.per_path_ignores.iter().flatten() {
            let mut b = GitignoreBuilder::new(&self.dir);
            b.add_line(None, glob).map_err(|e| {
                format!(
                    "{}: bad per-path-ignores glob {glob:?}: {e}",
                    self.path.display()
                )
            })?;
            let matcher = b.build().map_err(|e| e.to_string())?;
            out.per_path_ignores.push(PathIgnore {
                matcher,
                rules: check_ids(self.path, self.text, rules)?,
            });
        }
        for (id, level) in raw.levels.iter().flatten() {
            let id = check_ids(self.path, self.text, std::slice::from_ref(id))?.remove(0);
            let lv = match level.get_ref().as_str() {
                "never" | "off" => None,
                s => Some(Level::parse(s).ok_or_else(|| {
                    err_at(
                        self.path,
                        self.text,
                        level.span(),
                        &format!("bad level {:?}", level.get_ref()),
                        "use one of \"error\", \"warning\", \"note\", \"off\"",
                    )
                })?),
            };
            out.levels.insert(id, lv);
        }
        Ok(())
    }

    /// `baseline` and `output`, files below the configuration's directory; `format`, `quiet`,
    /// `no-color` and `threads`.
    fn output(&self, raw: &FileConfig, out: &mut Loaded) -> Result<(), String> {
        if let Some(b) = &raw.baseline {
            out.baseline = Some(inside_own_tree(
                self.path, self.text, &self.dir, "baseline", b,
            )?);
        }
        if let Some(f) = &raw.format {
            if !["human", "json", "sarif", "github", "gitlab"].contains(&f.get_ref().as_str()) {
                return Err(err_at(
                    self.path,
                    self.text,
                    f.span(),
                    &format!("bad format {:?}", f.get_ref()),
                    "use one of \"human\", \"json\", \"sarif\", \"github\", \"gitlab\"",
                ));
            }
            out.format = Some(f.get_ref().clone());
        }
        if let Some(o) = &raw.output {
            out.output = Some(inside_own_tree(
                self.path, self.text, &self.dir, "output", o,
            )?);
        }
        out.quiet = raw.quiet.unwrap_or(false);
        out.no_color = raw.no_color.unwrap_or(false);
        if raw.threads == Some(0) {
            let at = self.text.find("threads").unwrap_or(0);
            return Err(err_at(
                self.path,
                self.text,
                at..at,
                "threads must be at least 1",
                "leave it out for one thread per core",
            ));
        }
        out.threads = raw.threads;
        Ok(())
    }

    /// `[[trails]]`: each with a trail ARN or an account.
    fn trails(&self, raw: &FileConfig, out: &mut Loaded) -> Result<(), String> {
        for t in raw.trails.iter().flatten() {
            let entry = t.get_ref().clone();
            if let Some(arn) = &entry.arn {
                if Arn::parse(arn).and_then(|a| a.trail_name()).is_none() {
                    // At the value itself when it can be found inside the table.
                    let span = t.span();
                    let at = self
                        .text
                        .get(span.start..)
                        .and_then(|rest| rest.find(arn.as_str()))
                        .map_or(span.clone(), |i| span.start + i..span.start + i + arn.len());
                    return Err(err_at(
                        self.path,
                        self.text,
                        at,
                        &format!("{arn:?} is not a trail ARN"),
                        "write arn:PARTITION:cloudtrail:REGION:ACCOUNT:trail/NAME",
                    ));
                }
            } else if entry.account.is_none() {
                return Err(err_at(
                    self.path,
                    self.text,
                    t.span(),
                    "a trail needs an arn or an account",
                    "add arn = \"arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME\"",
                ));
            }
            out.trails.push((entry, t.span()));
        }
        Ok(())
    }
}

/// An expected trail from the configuration, as a model trail.
pub fn config_trail(i: usize, t: &TrailEntry, span: crate::source::Span) -> crate::model::Trail {
    use crate::value::{Kind, Symbol, Text};
    let sym = |k: Kind, what: &str| Text::sym(Symbol::new(k, format!("config.trail{i}.{what}")));
    let TrailParts {
        partition,
        region,
        account,
        name,
    } = TrailParts::of(t.arn.as_deref(), &sym);
    let account = match &t.account {
        Some(a) => Text::lit(a.clone()),
        None => account,
    };
    let name = name.unwrap_or_else(|| sym(Kind::TrailName, "name"));
    crate::model::Trail {
        address: format!("trails[{i}] in {}", FILE_NAME),
        span,
        arn: crate::aws::cloudtrail::trail_arn(&partition, &region, &account, &name),
        name,
        account,
        partition,
        org_id: t.organization.clone().map(Text::lit),
        is_org: crate::value::Truth::from_bool(t.organization.is_some()),
        prefix: Text::lit(t.prefix.clone().unwrap_or_default().trim_end_matches('/')),
        bucket: t.bucket.clone().map(|b| (Text::lit(b), span)),
        key: None,
        standalone_only: true,
        no_key: false,
        guard: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(s: &str) -> Result<Loaded, String> {
        let dir = tempfile_dir();
        let p = dir.join(FILE_NAME);
        std::fs::write(&p, s).unwrap();
        load(&p)
    }

    fn tempfile_dir() -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "tg-config-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn reads_every_key() {
        let c = load_str(
            "select = [\"TG001\", \"tg002\"]\nignore = [\"TG004\"]\nfail-on = \"error\"\nexclude = [\"vendor/\"]\n\n[per-path-ignores]\n\"legacy/**\" = [\"TG005\"]\n\n[levels]\nTG004 = \"error\"\nTG003 = \"off\"\n\n[[trails]]\narn = \"arn:aws:cloudtrail:us-east-1:111111111111:trail/main\"\nprefix = \"audit\"\n",
        )
        .unwrap();
        assert_eq!(
            c.select,
            Some(vec!["TG001".to_string(), "TG002".to_string()])
        );
        assert_eq!(c.fail_on.as_deref(), Some("error"));
        assert_eq!(c.levels.get("TG004"), Some(&Some(Level::Error)));
        assert_eq!(c.levels.get("TG003"), Some(&None));
        assert_eq!(c.trails.len(), 1);
        assert_eq!(c.per_path_ignores.len(), 1);
    }

    #[test]
    fn errors_name_the_line() {
        let e = load_str("select = [\"TG001\"]\nfail-on = \"sometimes\"\n").unwrap_err();
        assert!(e.contains(":2:11: bad fail-on"), "{e}");
        let e = load_str("selekt = [\"TG001\"]\n").unwrap_err();
        assert!(e.contains(":1:1:") && e.contains("unknown field"), "{e}");
        let e = load_str("ignore = [\"TG001\", \"TG099\"]\n").unwrap_err();
        assert!(e.contains(":1:20: unknown rule ID \"TG099\""), "{e}");
        let e = load_str("[[trails]]\narn = \"arn:aws:s3:::bucket\"\n").unwrap_err();
        assert!(
            e.contains(":2:8: \"arn:aws:s3:::bucket\" is not a trail ARN"),
            "{e}"
        );
    }
}
