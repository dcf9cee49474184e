//! Reports: the findings of a scan in every output format.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod page;
pub mod rdjson;
pub mod sarif;
pub mod window;

use crate::finding::{Finding, Level};
use crate::model::Notice;
use crate::source::SourceMap;

/// One policy the scan analysed, for `--explain-reach`.
#[derive(Debug, Clone)]
pub struct Reached {
    /// The document's file (as shown) and position.
    pub path: String,
    pub at: crate::source::Position,
    /// `bucket policy` or `key policy`.
    pub kind: &'static str,
    /// Resource address or logical ID (empty for a standalone document).
    pub address: String,
    /// Whether the rules treat it as CloudTrail's (a log-bucket or trail-key policy).
    pub cloudtrail: bool,
    /// The trails it was checked against, and whether they are stand-ins named by the policy.
    pub trails: Vec<String>,
    pub stand_ins: bool,
}

/// The result of a scan.
#[derive(Debug, Default)]
pub struct Report {
    pub sources: SourceMap,
    pub findings: Vec<Finding>,
    pub notices: Vec<Notice>,
    pub files_scanned: usize,
    /// Findings left out because the baseline lists them.
    pub baselined: usize,
    /// The paths the scan was given, as shown.
    pub paths: Vec<String>,
    /// With `explain_reach`: every policy analysed.
    pub reach: Vec<Reached>,
    /// Files that look like they hold a policy but gave the rules nothing, with why.
    pub skipped: Vec<(String, String)>,
    /// Fixes applied before this scan (`--fix`).
    pub fixed: usize,
    /// Unsafe fixes are applied too (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
    /// The levels of findings that could not be shown (their file changed during the scan; a
    /// notice says so): they count for the exit status all the same.
    pub unshown: Vec<Level>,
}

impl Report {
    /// Whether any finding is at or above `level`.
    pub fn fails_at(&self, level: Option<Level>) -> bool {
        level.is_some_and(|l| {
            self.findings.iter().any(|f| f.level >= l) || self.unshown.iter().any(|u| *u >= l)
        })
    }

    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// Findings `--fix` would fix, and how many more `--unsafe-fixes` would.
    pub fn fixable(&self) -> (usize, usize) {
        let mut safe = 0;
        let mut more = 0;
        for fix in self.findings.iter().filter_map(|f| f.fix.as_ref()) {
            if fix.applicability == crate::fix::Applicability::Safe || self.unsafe_fixes {
                safe += 1;
            } else {
                more += 1;
            }
        }
        (safe, more)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_that_could_not_be_shown_still_fail_the_run() {
        let report = |unshown: Vec<Level>| Report {
            unshown,
            ..Default::default()
        };
        assert!(!report(vec![]).fails_at(Some(Level::Note)));
        assert!(report(vec![Level::Error]).fails_at(Some(Level::Warning)));
        assert!(report(vec![Level::Warning]).fails_at(Some(Level::Warning)));
        assert!(!report(vec![Level::Warning]).fails_at(Some(Level::Error)));
        assert!(!report(vec![Level::Error]).fails_at(None));
    }
}
