//! The human format: codespan-style diagnostics with the offending text underlined in its
//! snippet, secondary labels for related places (the trail that makes a bucket a log bucket,
//! the grant a Deny overrides), a one-line fix hint, and a summary line.

use crate::finding::Level;
use crate::report::Report;
use crate::report::window::Window;
use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::term::{self, Config, DisplayStyle};
use std::fmt::Write;

/// Renders the report. `color`: ANSI colours; `quiet`: one line per finding, nothing else.
pub fn render(report: &Report, color: bool, quiet: bool) -> String {
    let mut config = Config::default();
    if quiet {
        config.display_style = DisplayStyle::Short;
    }
    let mut buf = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for f in &report.findings {
        let d = match f.level {
            Level::Error => Diagnostic::error(),
            Level::Warning => Diagnostic::warning(),
            Level::Note => Diagnostic::note(),
        };
        let spans: Vec<_> = std::iter::once(f.span)
            .chain(f.related.iter().map(|r| r.span))
            .collect();
        let files = Window::new(&report.sources, &spans);
        let mut labels =
            vec![Label::primary(f.span.file, files.range(f.span)).with_message(f.rule.name)];
        for r in &f.related {
            labels.push(
                Label::secondary(r.span.file, files.range(r.span)).with_message(r.message.clone()),
            );
        }
        let mut d = d
            .with_code(f.rule.id)
            .with_message(f.message.clone())
            .with_labels(labels);
        if let Some(h) = &f.hint {
            let mut notes = vec![format!("help: {h}")];
            if let Some(fix) = &f.fix {
                notes.push(match fix.applicability {
                    _ if report.unsafe_fixes => format!("[*] fixable with --fix: {}", fix.title),
                    crate::fix::Applicability::Safe => {
                        format!("[*] fixable with --fix: {}", fix.title)
                    }
                    crate::fix::Applicability::Unsafe => {
                        format!("fix available with --fix --unsafe-fixes: {}", fix.title)
                    }
                });
            }
            notes.push(format!("see: trailguard explain {}", f.rule.id));
            d = d.with_notes(notes);
        }
        if term::emit_to_write_style(&mut buf, &config, &files, &d).is_err() {
            // A span outside its file: fall back to the plain line.
            let p = report.sources.start(f.span);
            let _ = std::io::Write::write_all(
                &mut buf,
                format!(
                    "{}:{}:{}: {}[{}]: {}\n",
                    report.sources.get(f.span.file).display,
                    p.line,
                    p.column,
                    f.level.as_str(),
                    f.rule.id,
                    f.message
                )
                .as_bytes(),
            );
        }
    }
    // The snippets' gutter lines carry trailing spaces: drop them.
    let mut out: String = String::from_utf8_lossy(buf.as_slice())
        .lines()
        .map(|l| format!("{}\n", l.trim_end_matches(' ')))
        .collect();
    if !quiet {
        for n in &report.notices {
            let _ = writeln!(out, "note: {}: {}", n.location(), n.message);
        }
        let files: std::collections::BTreeSet<_> =
            report.findings.iter().map(|f| f.span.file).collect();
        let _ = writeln!(out, "{}", summary(report, files.len()));
        if report.fixed > 0 {
            let _ = writeln!(out, "fixed {}", count(report.fixed, "finding"));
        }
        let (safe, more) = report.fixable();
        if safe > 0 {
            let mut line = format!("[*] {} fixable with --fix", count(safe, "finding"));
            if more > 0 {
                line.push_str(&format!(" ({more} more with --unsafe-fixes)"));
            }
            let _ = writeln!(out, "{line}");
        } else if more > 0 {
            let _ = writeln!(
                out,
                "{} fixable with --fix --unsafe-fixes",
                count(more, "finding")
            );
        }
    }
    out
}

/// `n thing` or `n things`.
pub fn count(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// The summary line: `1 error, 2 warnings, 1 note in 2 files (14 files scanned)`, or why
/// nothing was judged.
fn summary(report: &Report, files_with_findings: usize) -> String {
    if report.files_scanned == 0 {
        return format!(
            "no files trailguard reads under {} (Terraform, CloudFormation, policy JSON, plans)",
            report.paths.join(", ")
        );
    }
    let mut parts = vec![
        count(report.count(Level::Error), "error"),
        count(report.count(Level::Warning), "warning"),
    ];
    let notes = report.count(Level::Note);
    if notes > 0 {
        parts.push(count(notes, "note"));
    }
    let mut also = vec![count(report.files_scanned, "file") + " scanned"];
    if report.baselined > 0 {
        also.push(format!(
            "{} in the baseline",
            count(report.baselined, "finding")
        ));
    }
    if !report.notices.is_empty() {
        also.push(count(report.notices.len(), "notice"));
    }
    format!(
        "{} in {} ({})",
        parts.join(", "),
        count(files_with_findings, "file"),
        also.join("; ")
    )
}
