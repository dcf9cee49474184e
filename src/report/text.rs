//! A plain one-line-per-finding text output: `path:line:col: level[TGnnn] message`.

use crate::Report;
use std::fmt::Write;

pub fn render(report: &Report, quiet: bool) -> String {
    let mut out = String::new();
    let s = &report.sources;
    for f in &report.findings {
        let p = s.start(f.span);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}: {}",
            s.get(f.span.file).display,
            p.line,
            p.column,
            f.level.as_str(),
            f.rule.id,
            f.rule.name,
            f.message
        );
        if let Some(h) = &f.hint
            && !quiet
        {
            let _ = writeln!(out, "  help: {h}");
        }
    }
    if !quiet {
        for n in &report.notices {
            let _ = writeln!(out, "note: {}: {}", n.path, n.message);
        }
        let files: std::collections::BTreeSet<_> =
            report.findings.iter().map(|f| f.span.file).collect();
        let _ = writeln!(
            out,
            "{} errors, {} warnings in {} files ({} files scanned)",
            report.count(crate::report::Level::Error),
            report.count(crate::report::Level::Warning),
            files.len(),
            report.files_scanned
        );
    }
    out
}
