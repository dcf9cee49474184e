//! The `json` format: `{"version", "findings": [...], "notices": [...], "files_scanned", "baselined"}`.

use crate::report::Report;
use serde_json::{Value, json};

/// A fix: its title, applicability and edits (positions as findings have them; `text`
/// replaces the text between them).
fn fix_json(s: &crate::source::SourceMap, fix: &crate::fix::Fix) -> Value {
    json!({
        "title": fix.title,
        "applicability": fix.applicability,
        "edits": fix.edits.iter().map(|e| {
            let a = s.start(e.span);
            let b = s.end(e.span);
            json!({
                "path": s.get(e.span.file).display,
                "start": {"line": a.line, "column": a.column},
                "end": {"line": b.line, "column": b.column},
                "text": e.text,
            })
        }).collect::<Vec<_>>(),
    })
}

pub fn render(report: &Report) -> String {
    use rayon::prelude::*;
    let s = &report.sources;
    let findings: Vec<Value> = report
        .findings
        .par_iter()
        .map(|f| {
            let start = s.start(f.span);
            let end = s.end(f.span);
            json!({
                "rule": f.rule.id,
                "name": f.rule.name,
                "level": f.level.as_str(),
                "message": f.message,
                "path": s.get(f.span.file).display,
                "start": {"line": start.line, "column": start.column},
                "end": {"line": end.line, "column": end.column},
                "fingerprint": f.fingerprint,
                "hint": f.hint,
                "fix": f.fix.as_ref().map(|fix| fix_json(s, fix)),
                "related": f.related.iter().map(|r| {
                    let a = s.start(r.span);
                    let b = s.end(r.span);
                    json!({
                        "message": r.message,
                        "path": s.get(r.span.file).display,
                        "start": {"line": a.line, "column": a.column},
                        "end": {"line": b.line, "column": b.column},
                    })
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let notices: Vec<Value> = report
        .notices
        .iter()
        .map(|n| match n.at {
            Some(p) => {
                json!({"path": n.path, "line": p.line, "column": p.column, "message": n.message})
            }
            None => json!({"path": n.path, "message": n.message}),
        })
        .collect();
    let v = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "findings": findings,
        "notices": notices,
        "files_scanned": report.files_scanned,
        "baselined": report.baselined,
    });
    let mut out = serde_json::to_string_pretty(&v).unwrap_or_default();
    out.push('\n');
    out
}
