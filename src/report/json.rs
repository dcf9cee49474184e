//! The `json` format: `{"version", "findings": [...], "notices": [...], "files_scanned", "baselined"}`.
//!
//! Written straight from borrowed views of the report (no `serde_json::Value` tree is built,
//! and none is freed afterwards); the fields keep the order they are declared in.

use crate::report::Report;
use crate::source::{Position, SourceMap, Span};
use serde::Serialize;

#[derive(Serialize)]
struct At {
    line: usize,
    column: usize,
}

impl From<Position> for At {
    fn from(p: Position) -> At {
        At {
            line: p.line,
            column: p.column,
        }
    }
}

#[derive(Serialize)]
struct Edit<'a> {
    path: &'a str,
    start: At,
    end: At,
    text: &'a str,
}

/// A fix: its title, applicability and edits (positions as findings have them; `text`
/// replaces the text between them).
#[derive(Serialize)]
struct Fix<'a> {
    title: &'a str,
    applicability: crate::fix::Applicability,
    edits: Vec<Edit<'a>>,
}

#[derive(Serialize)]
struct Related<'a> {
    message: &'a str,
    path: &'a str,
    start: At,
    end: At,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'a str,
    name: &'a str,
    level: &'a str,
    message: &'a str,
    path: &'a str,
    start: At,
    end: At,
    fingerprint: &'a str,
    hint: Option<&'a str>,
    fix: Option<Fix<'a>>,
    related: Vec<Related<'a>>,
}

#[derive(Serialize)]
struct Notice<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    message: &'a str,
}

#[derive(Serialize)]
struct Out<'a> {
    version: &'a str,
    findings: Vec<Finding<'a>>,
    notices: Vec<Notice<'a>>,
    files_scanned: usize,
    baselined: usize,
}

/// Where a span starts and ends, and the display path of its file.
fn place(s: &SourceMap, span: Span) -> (&str, At, At) {
    (
        &s.get(span.file).display,
        s.start(span).into(),
        s.end(span).into(),
    )
}

fn fix<'a>(s: &'a SourceMap, fix: &'a crate::fix::Fix) -> Fix<'a> {
    Fix {
        title: &fix.title,
        applicability: fix.applicability,
        edits: fix
            .edits
            .iter()
            .map(|e| {
                let (path, start, end) = place(s, e.span);
                Edit {
                    path,
                    start,
                    end,
                    text: &e.text,
                }
            })
            .collect(),
    }
}

pub fn render(report: &Report) -> String {
    use rayon::prelude::*;
    let s = &report.sources;
    let findings: Vec<Finding<'_>> = report
        .findings
        .par_iter()
        .map(|f| {
            let (path, start, end) = place(s, f.span);
            Finding {
                rule: f.rule.id,
                name: f.rule.name,
                level: f.level.as_str(),
                message: &f.message,
                path,
                start,
                end,
                fingerprint: &f.fingerprint,
                hint: f.hint.as_deref(),
                fix: f.fix.as_ref().map(|x| fix(s, x)),
                related: f
                    .related
                    .iter()
                    .map(|r| {
                        let (path, start, end) = place(s, r.span);
                        Related {
                            message: &r.message,
                            path,
                            start,
                            end,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let notices = report
        .notices
        .iter()
        .map(|n| Notice {
            path: &n.path,
            line: n.at.map(|p| p.line),
            column: n.at.map(|p| p.column),
            message: &n.message,
        })
        .collect();
    let out = Out {
        version: env!("CARGO_PKG_VERSION"),
        findings,
        notices,
        files_scanned: report.files_scanned,
        baselined: report.baselined,
    };
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}
