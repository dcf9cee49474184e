//! Findings: what a rule reports, where, and the fingerprint that keeps it recognisable when
//! unrelated lines move.

use crate::source::{SourceMap, Span};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// A rule's identity and documentation metadata.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub name: &'static str,
    pub level: Level,
    /// One sentence: what fires the rule.
    pub summary: &'static str,
    /// GitHub code scanning's `security-severity`.
    pub security_severity: &'static str,
    /// Whether it can fire on a policy document alone (raw JSON): rules about bucket settings,
    /// log sources and a trail's bucket need the resources around the policy.
    pub json: bool,
    pub tags: &'static [&'static str],
}

/// SARIF levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "note" => Some(Level::Note),
            "warning" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

/// A secondary location that helps explain a finding.
#[derive(Clone, Debug)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub level: Level,
    pub message: String,
    pub span: Span,
    pub related: Vec<Related>,
    /// Logical address: resource address or logical ID, and statement Sid or index.
    pub address: String,
    /// A one-line fix hint.
    pub hint: Option<String>,
    /// A hint still to be written in the syntax of the statement at the span
    /// ([`Finding::write_hint`] turns it into [`Finding::hint`]).
    pub pending_hint: Option<(crate::hint::Hint, Span)>,
    /// A fix still to be written in the file's syntax ([`Finding::write_fix`]).
    pub pending_fix: Option<crate::fix::Intent>,
    pub fix: Option<crate::fix::Fix>,
    pub fingerprint: String,
}

impl Finding {
    pub fn new(rule: &'static RuleMeta, span: Span, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            level: rule.level,
            message: message.into(),
            span,
            related: vec![],
            address: String::new(),
            hint: None,
            pending_hint: None,
            pending_fix: None,
            fix: None,
            fingerprint: String::new(),
        }
    }

    pub fn at(mut self, address: impl Into<String>) -> Finding {
        self.address = address.into();
        self
    }

    pub fn related(mut self, span: Span, message: impl Into<String>) -> Finding {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Finding {
        self.hint = Some(hint.into());
        self
    }

    /// A hint with policy fragments, written in the syntax of the `statement` it is about.
    pub fn hint_for(mut self, statement: Span, hint: crate::hint::Hint) -> Finding {
        self.pending_hint = Some((hint, statement));
        self
    }

    /// Offers a fix.
    pub fn fix(mut self, intent: crate::fix::Intent) -> Finding {
        self.pending_fix = Some(intent);
        self
    }

    /// Offers a fix when there is one.
    pub fn fix_maybe(self, intent: Option<crate::fix::Intent>) -> Finding {
        match intent {
            Some(i) => self.fix(i),
            None => self,
        }
    }

    /// Writes a pending fix as edits of its file (none when it cannot be written with
    /// certainty).
    pub fn write_fix(&mut self, sources: &SourceMap, scan: &crate::fix::Scan) {
        if let Some(intent) = self.pending_fix.take() {
            self.fix = intent.resolve(sources, scan);
        }
    }

    /// Writes a pending hint in the syntax of its statement's text.
    pub fn write_hint(&mut self, sources: &SourceMap) {
        if let Some((hint, at)) = self.pending_hint.take() {
            let syntax = crate::hint::syntax_of(&sources.get(at.file).path, sources.slice(at));
            self.hint = Some(hint.render(syntax));
        }
    }
}

/// Fills in fingerprints: a hash of rule, path, logical address and the offending text with
/// white space removed, plus an occurrence counter for identical ones. Findings must be sorted.
/// `root_relative` names a file by its path from the repository root when it has one, so a
/// baseline written in one directory matches from any other.
pub fn assign_fingerprints(
    findings: &mut [Finding],
    sources: &SourceMap,
    root_relative: &(dyn Fn(&std::path::Path) -> Option<String> + Sync),
) {
    use rayon::prelude::*;
    // Each file's repository-relative name (a few metadata calls each), in parallel.
    let mut files: Vec<u32> = findings.iter().map(|f| f.span.file).collect();
    files.sort_unstable();
    files.dedup();
    let names: HashMap<u32, String> = files
        .into_par_iter()
        .with_max_len(crate::pipeline::PAR_CHUNK)
        .map(|id| {
            let file = sources.get(id);
            let name = root_relative(&file.path).unwrap_or_else(|| file.display.clone());
            (id, name)
        })
        .collect();
    // The hashes in parallel; the occurrence counters in order.
    findings.par_iter_mut().for_each(|f| {
        let text: String = sources
            .slice(f.span)
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(4096)
            .collect();
        let mut h = Sha256::new();
        for part in [f.rule.id, &names[&f.span.file], &f.address, &text] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        f.fingerprint = h
            .finalize()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect();
    });
    let mut seen: HashMap<String, usize> = HashMap::new();
    for f in findings.iter_mut() {
        let n = seen.entry(f.fingerprint.clone()).or_insert(0);
        *n += 1;
        f.fingerprint = format!("{}:{n}", f.fingerprint);
    }
}
