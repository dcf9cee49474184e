//! Suppressions: inline `trailguard:ignore TG003 -- reason` comments (collected by the
//! frontends as line ranges, see [`Suppression::parse_comment`]) remove the findings they
//! cover; those that match nothing are handed back for TG000.

use crate::finding::Finding;
use crate::model::Suppression;
use crate::source::SourceMap;

/// A suppression with the rules it names that matched no finding.
pub struct Unused<'a> {
    pub suppression: &'a Suppression,
    pub rules: Vec<&'a str>,
}

/// Removes suppressed findings, and returns the suppressions of selected rules that matched
/// nothing. `selected` tells whether a rule ID is reported at all.
pub fn apply<'a>(
    findings: Vec<Finding>,
    suppressions: &'a [Suppression],
    sources: &SourceMap,
    selected: &dyn Fn(&str) -> bool,
) -> (Vec<Finding>, Vec<Unused<'a>>) {
    let mut used = vec![vec![false; 0]; suppressions.len()];
    for (u, s) in used.iter_mut().zip(suppressions) {
        *u = vec![false; s.rules.len()];
    }
    // Each finding asks only its own file's suppressions (not every suppression of the scan).
    let mut by_file: std::collections::HashMap<crate::source::FileId, Vec<usize>> =
        std::collections::HashMap::new();
    for (si, s) in suppressions.iter().enumerate() {
        by_file.entry(s.span.file).or_default().push(si);
    }
    let mut kept = Vec::with_capacity(findings.len());
    for f in findings {
        let Some(in_file) = by_file.get(&f.span.file) else {
            kept.push(f);
            continue;
        };
        let line = sources.start(f.span).line;
        let mut hit = false;
        for &si in in_file {
            let s = &suppressions[si];
            if !s.lines.iter().any(|&(a, b)| a <= line && line <= b) {
                continue;
            }
            if let Some(ri) = s.rules.iter().position(|r| r == f.rule.id) {
                used[si][ri] = true;
                hit = true;
            }
        }
        if !hit {
            kept.push(f);
        }
    }
    let mut unused = vec![];
    for (si, s) in suppressions.iter().enumerate() {
        let rules: Vec<&str> = s
            .rules
            .iter()
            .zip(&used[si])
            .filter(|(r, u)| !**u && selected(r))
            .map(|(r, _)| r.as_str())
            .collect();
        if !rules.is_empty() {
            unused.push(Unused {
                suppression: s,
                rules,
            });
        }
    }
    (kept, unused)
}
