//! The `rdjson` format: reviewdog's Diagnostic JSON (`DiagnosticResult`), with each fix as
//! `suggestions`, so `reviewdog -f=rdjson -reporter=github-pr-review` posts them as suggested
//! changes. reviewdog counts columns in UTF-8 bytes, so this format does too.

use crate::finding::Level;
use crate::report::Report;
use crate::source::{SourceMap, Span};
use serde_json::{Value, json};

fn position(s: &SourceMap, offset: u32, file: u32) -> Value {
    let f = s.get(file);
    let p = f.position(offset as usize);
    let line_start = f.line_start(p.line);
    let offset = (offset as usize).min(f.text.len());
    json!({"line": p.line, "column": offset.saturating_sub(line_start) + 1})
}

fn range(s: &SourceMap, span: Span) -> Value {
    json!({
        "start": position(s, span.start, span.file),
        "end": position(s, span.end, span.file),
    })
}

pub fn render(report: &Report) -> String {
    let s = &report.sources;
    let diagnostics: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut message = f.message.clone();
            if let Some(h) = &f.hint {
                message.push_str(". Fix: ");
                message.push_str(h);
            }
            let mut d = json!({
                "message": message,
                "location": {"path": s.get(f.span.file).display, "range": range(s, f.span)},
                "severity": match f.level {
                    Level::Error => "ERROR",
                    Level::Warning => "WARNING",
                    Level::Note => "INFO",
                },
                "source": {"name": "trailguard", "url": env!("CARGO_PKG_REPOSITORY")},
                "code": {"value": f.rule.id, "url": crate::report::sarif::help_uri(f.rule.id)},
            });
            if let Some(fix) = &f.fix
                && (fix.applicability == crate::fix::Applicability::Safe || report.unsafe_fixes)
            {
                d["suggestions"] = fix
                    .edits
                    .iter()
                    .map(|e| json!({"range": range(s, e.span), "text": e.text}))
                    .collect();
            }
            d
        })
        .collect();
    let v = json!({
        "source": {"name": "trailguard", "url": env!("CARGO_PKG_REPOSITORY")},
        "diagnostics": diagnostics,
    });
    let mut out = serde_json::to_string_pretty(&v).unwrap_or_default();
    out.push('\n');
    out
}
