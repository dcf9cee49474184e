//! The `gitlab` format: a GitLab Code Quality report (a JSON array of issues).

use crate::finding::Level;
use crate::report::Report;
use serde_json::{Value, json};

pub fn render(report: &Report) -> String {
    let s = &report.sources;
    let issues: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let a = s.start(f.span);
            let b = s.end(f.span);
            json!({
                "type": "issue",
                "description": format!("{} {}: {}", f.rule.id, f.rule.name, f.message),
                "check_name": f.rule.id,
                "fingerprint": f.fingerprint,
                "severity": match f.level {
                    Level::Error => "major",
                    Level::Warning => "minor",
                    Level::Note => "info",
                },
                "categories": ["Security"],
                "location": {
                    "path": s.get(f.span.file).display,
                    "lines": {"begin": a.line, "end": b.line},
                },
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}
