//! Suppressions: inline `trailguard:ignore TG003 -- reason` comments (collected by the
//! frontends as line ranges, see [`Suppression::parse_comment`]) remove the findings they
//! cover; those that match nothing are handed back for TG000.

use crate::finding::Finding;
use crate::model::Suppression;
use crate::source::{FileId, SourceMap};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

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
    // Each finding asks only the suppressions of its own file covering its line: per file, a
    // sweep over the lines (so many findings and comments in one file cost their number, not
    // its product).
    type Ranges = Vec<(usize, usize, usize)>;
    let mut by_file: HashMap<FileId, (Ranges, Vec<(usize, usize)>)> = HashMap::new();
    for (si, s) in suppressions.iter().enumerate() {
        let ranges = &mut by_file.entry(s.span.file).or_default().0;
        ranges.extend(s.lines.iter().map(|&(a, b)| (a, b, si)));
    }
    for (fi, f) in findings.iter().enumerate() {
        if let Some((_, lines)) = by_file.get_mut(&f.span.file) {
            lines.push((sources.start(f.span).line, fi));
        }
    }
    let mut suppressed = vec![false; findings.len()];
    for (ranges, lines) in by_file.values_mut() {
        ranges.sort_unstable();
        lines.sort_unstable();
        let mut next = 0;
        // The ranges begun by the current line, by their last line (soonest first).
        let mut open: BinaryHeap<Reverse<(usize, usize)>> = BinaryHeap::new();
        for &(line, fi) in lines.iter() {
            while let Some(&(a, b, si)) = ranges.get(next)
                && a <= line
            {
                open.push(Reverse((b, si)));
                next += 1;
            }
            while open.peek().is_some_and(|Reverse((b, _))| *b < line) {
                open.pop();
            }
            for Reverse((_, si)) in open.iter() {
                let s = &suppressions[*si];
                if let Some(ri) = s.rules.iter().position(|r| r == findings[fi].rule.id) {
                    used[*si][ri] = true;
                    suppressed[fi] = true;
                }
            }
        }
    }
    let kept: Vec<Finding> = findings
        .into_iter()
        .zip(suppressed)
        .filter(|(_, s)| !s)
        .map(|(f, _)| f)
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Span};

    /// The definition: a finding is suppressed by every suppression of its file with a range
    /// holding its line and naming its rule.
    fn by_definition(
        findings: &[Finding],
        suppressions: &[Suppression],
        sources: &SourceMap,
    ) -> (Vec<usize>, Vec<Vec<bool>>) {
        let mut used: Vec<Vec<bool>> = suppressions
            .iter()
            .map(|s| vec![false; s.rules.len()])
            .collect();
        let mut kept = vec![];
        for (fi, f) in findings.iter().enumerate() {
            let line = sources.start(f.span).line;
            let mut hit = false;
            for (si, s) in suppressions.iter().enumerate() {
                if s.span.file != f.span.file
                    || !s.lines.iter().any(|&(a, b)| a <= line && line <= b)
                {
                    continue;
                }
                if let Some(ri) = s.rules.iter().position(|r| r == f.rule.id) {
                    used[si][ri] = true;
                    hit = true;
                }
            }
            if !hit {
                kept.push(fi);
            }
        }
        (kept, used)
    }

    #[test]
    fn the_sweep_suppresses_what_the_definition_does() {
        let rules = [
            &crate::rules::tg003_source_condition_missing::META,
            &crate::rules::tg004_bucket_owner_full_control_missing::META,
            &crate::rules::tg002_log_prefix_mismatch::META,
        ];
        let mut rng = crate::testing::Rng(0x5eed_5eed);
        for round in 0..300 {
            let lines = 1 + rng.below(40);
            // Lines of 9 bytes.
            let text: String = (0..lines).map(|i| format!("line {i:03}\n")).collect();
            let sources = SourceMap {
                files: (0..2)
                    .map(|i| SourceFile::new(format!("f{i}").into(), format!("f{i}"), text.clone()))
                    .collect(),
            };
            let at_line = |l: usize| (l - 1) * 9;
            let suppressions: Vec<Suppression> = (0..rng.below(12))
                .map(|_| {
                    let file = rng.below(2) as u32;
                    let ranges = (0..rng.below(4))
                        .map(|_| {
                            let a = 1 + rng.below(lines + 1);
                            let reach = if rng.below(4) == 0 { lines } else { 3 };
                            let b = a + rng.below(reach);
                            // Now and then an inverted range, which covers nothing.
                            if rng.below(8) == 0 { (b, a) } else { (a, b) }
                        })
                        .collect();
                    Suppression {
                        span: Span::new(file, 0, 1),
                        rules: (0..1 + rng.below(2))
                            .map(|_| rules[rng.below(3)].id.to_string())
                            .collect(),
                        lines: ranges,
                    }
                })
                .collect();
            let findings: Vec<Finding> = (0..rng.below(25))
                .map(|_| {
                    let file = rng.below(2) as u32;
                    let l = 1 + rng.below(lines);
                    let start = at_line(l);
                    Finding::new(rules[rng.below(3)], Span::new(file, start, start + 1), "m")
                })
                .collect();
            let (want_kept, want_used) = by_definition(&findings, &suppressions, &sources);
            let ids: Vec<String> = findings
                .iter()
                .map(|f| format!("{} {:?}", f.rule.id, f.span))
                .collect();
            let (kept, unused) = apply(findings, &suppressions, &sources, &|_| true);
            let kept: Vec<String> = kept
                .iter()
                .map(|f| format!("{} {:?}", f.rule.id, f.span))
                .collect();
            let want: Vec<String> = want_kept.iter().map(|&i| ids[i].clone()).collect();
            assert_eq!(kept, want, "round {round}");
            let want_unused: Vec<(usize, Vec<&str>)> = want_used
                .iter()
                .enumerate()
                .filter_map(|(si, u)| {
                    let r: Vec<&str> = suppressions[si]
                        .rules
                        .iter()
                        .zip(u)
                        .filter(|(_, u)| !**u)
                        .map(|(r, _)| r.as_str())
                        .collect();
                    (!r.is_empty()).then_some((si, r))
                })
                .collect();
            let got_unused: Vec<(usize, Vec<&str>)> = unused
                .iter()
                .map(|u| {
                    let si = suppressions
                        .iter()
                        .position(|s| std::ptr::eq(s, u.suppression))
                        .unwrap();
                    (si, u.rules.clone())
                })
                .collect();
            assert_eq!(got_unused, want_unused, "round {round}");
        }
    }
}
