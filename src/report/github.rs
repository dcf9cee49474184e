//! The `github` format: GitHub Actions workflow commands, one annotation per finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`), with GitHub's
//! escaping of data and properties.

use crate::finding::Level;
use crate::report::Report;
use std::fmt::Write;

/// Escapes a command's data (the message).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let s = &report.sources;
    for f in &report.findings {
        let a = s.start(f.span);
        let b = s.end(f.span);
        let cmd = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        let mut msg = f.message.clone();
        if let Some(h) = &f.hint {
            msg.push_str("\nFix: ");
            msg.push_str(h);
        }
        let _ = writeln!(
            out,
            "::{cmd} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&s.get(f.span.file).display),
            a.line,
            a.column,
            b.line,
            b.column,
            escape_property(&format!("{} {}", f.rule.id, f.rule.name)),
            escape_data(&msg)
        );
    }
    for n in &report.notices {
        let _ = writeln!(
            out,
            "::notice file={}{},title=trailguard::{}",
            escape_property(&n.path),
            n.at.map(|p| format!(",line={},col={}", p.line, p.column))
                .unwrap_or_default(),
            escape_data(&n.message)
        );
    }
    out
}
