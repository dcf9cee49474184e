//! `scan --fix` / `--diff`: scan, apply the fixes that do not collide, scan the edited texts
//! again (in memory), until nothing more is fixed. A file whose edits would not parse, or
//! would make a policy in it invalid (more TG012 findings than before), keeps its text and
//! those fixes are not offered again.

use super::Config;
use crate::fix::apply::{apply, compatible};
use crate::fix::{Applicability, Fix};
use crate::report::Report;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

/// Rounds of fixing at most (each round's fixes may reveal or unblock others).
const MAX_ROUNDS: usize = 8;

/// One file the fixes changed.
#[derive(Debug, Clone)]
pub struct Changed {
    /// The file's canonical path (where it is written).
    pub path: PathBuf,
    /// As reports show it.
    pub display: String,
    pub before: String,
    pub after: String,
}

/// The outcome of fixing.
#[derive(Debug)]
pub struct Fixed {
    /// The scan of the fixed texts.
    pub report: Report,
    pub changed: Vec<Changed>,
    /// Fixes applied.
    pub applied: usize,
}

/// The texts edited so far, and what was learnt on the way.
#[derive(Default)]
struct State {
    /// Edited texts by canonical path (the scan's overlay).
    texts: HashMap<PathBuf, String>,
    /// Each edited file's path as shown and its text before any fix.
    originals: BTreeMap<PathBuf, (String, String)>,
    /// Fingerprints of findings whose fixes were undone or did nothing.
    refused: HashSet<String>,
    /// What the last round changed: file → (its text before, the fixes' fingerprints).
    last_round: HashMap<PathBuf, (String, Vec<String>)>,
    applied: usize,
}

impl State {
    /// Undoes the last round's edits of files that now have more invalid policies than at
    /// first; whether any was undone.
    fn undo_harm(
        &mut self,
        invalid: &HashMap<PathBuf, usize>,
        first: &HashMap<PathBuf, usize>,
    ) -> bool {
        let mut undone = false;
        for (path, (before, prints)) in std::mem::take(&mut self.last_round) {
            if invalid.get(&path).copied().unwrap_or(0) > first.get(&path).copied().unwrap_or(0) {
                self.texts.insert(path, before);
                self.applied -= prints.len();
                self.refused.extend(prints);
                undone = true;
            }
        }
        undone
    }

    /// Applies one round of fixes that do not collide; whether any file changed.
    fn round(
        &mut self,
        report: &Report,
        canonical: &[Option<PathBuf>],
        unsafe_fixes: bool,
    ) -> bool {
        // Safe fixes first: an unsafe one (a statement added) may be moot once they are in.
        let open = |f: &crate::finding::Finding| !self.refused.contains(&f.fingerprint);
        let safe_left = report.findings.iter().any(|f| {
            open(f)
                && f.fix
                    .as_ref()
                    .is_some_and(|x| x.applicability == Applicability::Safe)
        });
        let mut by_file: BTreeMap<u32, Vec<(&Fix, &str)>> = BTreeMap::new();
        for f in report.findings.iter().filter(|f| open(f)) {
            if let Some(fix) = &f.fix
                && (fix.applicability == Applicability::Safe || unsafe_fixes && !safe_left)
                && let Some(e) = fix.edits.first()
            {
                by_file
                    .entry(e.span.file)
                    .or_default()
                    .push((fix, f.fingerprint.as_str()));
            }
        }
        let mut changed = false;
        for (file, fixes) in by_file {
            let Some(Some(path)) = canonical.get(file as usize) else {
                continue;
            };
            let source = report.sources.get(file);
            let text = source.text.as_str();
            let compatible = compatible(fixes.iter().map(|(f, _)| *f));
            // A fix that breaks the file (one not checked alone: a large or crowded file) is
            // left out, not the whole round.
            let taken = parsing(&source.path, text, &compatible);
            let edits: Vec<_> = taken.iter().flat_map(|f| &f.edits).collect();
            let new = apply(text, &edits);
            let print_of = |fix: &Fix| {
                fixes
                    .iter()
                    .find(|(f, _)| std::ptr::eq(*f, fix))
                    .map(|(_, p)| p.to_string())
            };
            let prints: Vec<String> = taken.iter().filter_map(|f| print_of(f)).collect();
            self.refused.extend(
                compatible
                    .iter()
                    .filter(|c| !taken.iter().any(|t| std::ptr::eq(*t, **c)))
                    .filter_map(|f| print_of(f)),
            );
            if new == text {
                self.refused.extend(prints);
                continue;
            }
            self.originals
                .entry(path.clone())
                .or_insert_with(|| (source.display.clone(), text.to_string()));
            self.applied += prints.len();
            self.last_round
                .insert(path.clone(), (text.to_string(), prints));
            self.texts.insert(path.clone(), new);
            changed = true;
        }
        changed
    }
}

/// The most of `fixes` whose edits together leave `text` parsing, found by halves: all of them
/// when they do (one parse), else the parsing parts of each half, joined when the join parses
/// (else the larger part). A few parses per fix that breaks the file, not one per fix.
fn parsing<'f>(path: &std::path::Path, text: &str, fixes: &[&'f Fix]) -> Vec<&'f Fix> {
    let parses = |set: &[&Fix]| {
        let edits: Vec<_> = set.iter().flat_map(|f| &f.edits).collect();
        crate::fix::apply::parses(path, &apply(text, &edits))
    };
    if fixes.is_empty() || parses(fixes) {
        return fixes.to_vec();
    }
    if fixes.len() == 1 {
        return vec![];
    }
    let (left, right) = fixes.split_at(fixes.len() / 2);
    let (left, right) = (parsing(path, text, left), parsing(path, text, right));
    let joined: Vec<&Fix> = left.iter().chain(&right).copied().collect();
    if left.is_empty() || right.is_empty() || parses(&joined) {
        joined
    } else if left.len() >= right.len() {
        left
    } else {
        right
    }
}

/// Scans and fixes in memory; nothing is written.
pub fn fix(paths: &[PathBuf], config: &Config, unsafe_fixes: bool) -> Result<Fixed, String> {
    let roots = crate::fs::Roots::new(paths, config.allow_outside_root);
    let mut state = State::default();
    let mut invalid_first: Option<HashMap<PathBuf, usize>> = None;
    let mut rounds = 0;
    loop {
        let mut cfg = config.clone();
        cfg.overlay = (!state.texts.is_empty()).then(|| Arc::new(state.texts.clone()));
        let report = super::scan(paths, &cfg)?;
        let canonical: Vec<Option<PathBuf>> = report
            .sources
            .files
            .iter()
            .map(|f| roots.admit(&f.path).ok())
            .collect();
        let invalid = invalid_counts(&report, &canonical);
        let first = invalid_first.get_or_insert_with(|| invalid.clone());
        // A round that made a policy invalid is undone, and scanned again.
        if state.undo_harm(&invalid, first) {
            continue;
        }
        if rounds == MAX_ROUNDS || !state.round(&report, &canonical, unsafe_fixes) {
            return Ok(finish(report, state));
        }
        rounds += 1;
    }
}

fn finish(report: Report, state: State) -> Fixed {
    let State {
        texts,
        originals,
        applied,
        ..
    } = state;
    let changed = originals
        .into_iter()
        .filter_map(|(path, (display, before))| {
            let after = texts.get(&path)?.clone();
            (after != before).then_some(Changed {
                path,
                display,
                before,
                after,
            })
        })
        .collect();
    Fixed {
        report,
        changed,
        applied,
    }
}

/// TG012 findings per file.
fn invalid_counts(report: &Report, canonical: &[Option<PathBuf>]) -> HashMap<PathBuf, usize> {
    let mut out = HashMap::new();
    for f in report.findings.iter().filter(|f| f.rule.id == "TG012") {
        if let Some(Some(p)) = canonical.get(f.span.file as usize) {
            *out.entry(p.clone()).or_default() += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parsing;
    use crate::fix::{Applicability, Edit, Fix};
    use crate::source::Span;

    fn fix(start: usize, end: usize, text: &str) -> Fix {
        Fix {
            title: "t".into(),
            applicability: Applicability::Safe,
            edits: vec![Edit {
                span: Span::new(0, start, end),
                text: text.into(),
            }],
        }
    }

    #[test]
    fn a_fix_that_breaks_the_file_is_left_out_not_the_round() {
        let path = std::path::Path::new("p.json");
        let text = r#"{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}"#;
        let at = |s: &str| text.find(s).unwrap();
        let fixes: Vec<Fix> = ["1", "2", "3", "4", "5"]
            .iter()
            .map(|v| fix(at(v), at(v) + 1, "9"))
            .chain([fix(1, 1, ",,")])
            .collect();
        let all: Vec<&Fix> = fixes.iter().collect();
        let kept = parsing(path, text, &all);
        assert_eq!(kept.len(), 5);
        assert!(kept.iter().all(|f| f.edits[0].text == "9"));
        // All good: all kept; all bad: none.
        assert_eq!(parsing(path, text, &all[..5]).len(), 5);
        assert!(parsing(path, text, &all[5..]).is_empty());
    }
}
