//! SARIF 2.1.0, as GitHub code scanning reads it: rule metadata with help pages, relative URIs
//! under `%SRCROOT%`, code-point columns, partial fingerprints, related locations and tool
//! notifications for skipped files.

use crate::finding::{Finding, Level};
use crate::report::Report;
use crate::rules::{self, RuleMeta};
use crate::source::{SourceMap, Span};
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactChange, ArtifactContent, ArtifactLocation, Fix, Invocation, Location, Message,
    MultiformatMessageString, Notification, PhysicalLocation, PropertyBag, Region, Replacement,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent,
};
use std::collections::BTreeMap;

pub const SCHEMA_URL: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// GitHub code scanning keeps at most this many results per run.
pub const MAX_RESULTS: usize = 25_000;

const SRCROOT: &str = "%SRCROOT%";

/// The rule's help page URL under the repository.
pub fn help_uri(id: &str) -> String {
    format!("{}/blob/main/rules/{id}.md", env!("CARGO_PKG_REPOSITORY"))
}

fn text(s: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s).build()
}

fn message(s: &str) -> Message {
    Message {
        text: Some(s.to_string()),
        ..Default::default()
    }
}

fn descriptor(m: &RuleMeta) -> ReportingDescriptor {
    let mut props = BTreeMap::new();
    props.insert("security-severity".to_string(), json!(m.security_severity));
    props.insert("precision".to_string(), json!("very-high"));
    ReportingDescriptor::builder()
        .id(m.id)
        .name(m.name)
        .short_description(text(m.summary))
        .full_description(text(rules::docs::description(m.id)))
        .help(
            MultiformatMessageString::builder()
                .text(rules::docs::description(m.id))
                .markdown(rules::docs::page(m.id))
                .build(),
        )
        .help_uri(help_uri(m.id))
        .default_configuration(ReportingConfiguration {
            level: Some(json!(m.level.as_str())),
            ..Default::default()
        })
        .properties(PropertyBag {
            tags: Some(m.tags.iter().map(|t| t.to_string()).collect()),
            additional_properties: props,
        })
        .build()
}

/// Percent-encodes what a URI path may not hold.
fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The artifact location of a reported path: relative under `%SRCROOT%` (the working directory)
/// when it lies below it, else a `file://` URI — never one that climbs out of SRCROOT.
fn artifact(display: &str) -> ArtifactLocation {
    if display.starts_with('/') || display.starts_with("../") || display == ".." {
        let abs = crate::fs::lexical_absolute(std::path::Path::new(display));
        ArtifactLocation {
            uri: Some(format!(
                "file://{}",
                encode_path(&abs.to_string_lossy().replace('\\', "/"))
            )),
            ..Default::default()
        }
    } else {
        ArtifactLocation {
            uri: Some(encode_path(display)),
            uri_base_id: Some(SRCROOT.to_string()),
            ..Default::default()
        }
    }
}

fn location(sources: &SourceMap, span: Span, msg: Option<&str>, id: Option<i64>) -> Location {
    let a = sources.start(span);
    let b = sources.end(span);
    Location {
        id,
        message: msg.map(message),
        physical_location: Some(PhysicalLocation {
            artifact_location: Some(artifact(&sources.get(span.file).display)),
            region: Some(Region {
                start_line: Some(a.line as i64),
                start_column: Some(a.column as i64),
                end_line: Some(b.line as i64),
                end_column: Some(b.column as i64),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn result(sources: &SourceMap, f: &Finding) -> SarifResult {
    let level = match f.level {
        Level::Error => ResultLevel::Error,
        Level::Warning => ResultLevel::Warning,
        Level::Note => ResultLevel::Note,
    };
    let mut fp = BTreeMap::new();
    fp.insert("trailguard/v1".to_string(), f.fingerprint.clone());
    let mut msg = f.message.clone();
    if let Some(h) = &f.hint {
        msg.push_str(". Fix: ");
        msg.push_str(h);
    }
    let mut r = SarifResult::builder()
        .rule_id(f.rule.id)
        .rule_index(rules::index_of(f.rule.id) as i64)
        .level(level)
        .message(message(&msg))
        .locations(vec![location(sources, f.span, None, None)])
        .partial_fingerprints(fp)
        .build();
    if let Some(fix) = &f.fix {
        r.fixes = Some(vec![sarif_fix(sources, fix)]);
    }
    if !f.related.is_empty() {
        r.related_locations = Some(
            f.related
                .iter()
                .enumerate()
                .map(|(i, rel)| location(sources, rel.span, Some(&rel.message), Some(i as i64 + 1)))
                .collect(),
        );
    }
    r
}

/// A SARIF fix: one artifact change with a replacement per edit (an empty deleted region
/// inserts).
fn sarif_fix(sources: &SourceMap, fix: &crate::fix::Fix) -> Fix {
    let file = fix.edits.first().map(|e| e.span.file).unwrap_or_default();
    Fix::builder()
        .description(message(&fix.title))
        .artifact_changes(vec![
            ArtifactChange::builder()
                .artifact_location(artifact(&sources.get(file).display))
                .replacements(
                    fix.edits
                        .iter()
                        .map(|e| {
                            let a = sources.start(e.span);
                            let b = sources.end(e.span);
                            Replacement::builder()
                                .deleted_region(Region {
                                    start_line: Some(a.line as i64),
                                    start_column: Some(a.column as i64),
                                    end_line: Some(b.line as i64),
                                    end_column: Some(b.column as i64),
                                    ..Default::default()
                                })
                                .inserted_content(ArtifactContent {
                                    text: Some(e.text.clone()),
                                    ..Default::default()
                                })
                                .build()
                        })
                        .collect::<Vec<_>>(),
                )
                .build(),
        ])
        .build()
}

fn severity(f: &Finding) -> (Level, u32) {
    let s: f64 = f.rule.security_severity.parse().unwrap_or(0.0);
    (f.level, (s * 10.0) as u32)
}

pub fn render(report: &Report) -> String {
    let sources = &report.sources;
    let mut notes: Vec<Notification> = report
        .notices
        .iter()
        .map(|n| {
            Notification::builder()
                .message(message(&format!("{}: {}", n.location(), n.message)))
                .level(json!("note"))
                .locations(vec![Location {
                    physical_location: Some(PhysicalLocation {
                        artifact_location: Some(artifact(&n.path)),
                        region: n.at.map(|p| Region {
                            start_line: Some(p.line as i64),
                            start_column: Some(p.column as i64),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }),
                    ..Default::default()
                }])
                .build()
        })
        .collect();
    let mut kept: Vec<&Finding> = report.findings.iter().collect();
    if kept.len() > MAX_RESULTS {
        let total = kept.len();
        let mut order: Vec<usize> = (0..kept.len()).collect();
        order.sort_by(|&a, &b| severity(kept[b]).cmp(&severity(kept[a])).then(a.cmp(&b)));
        let mut keep: Vec<usize> = order.into_iter().take(MAX_RESULTS).collect();
        keep.sort_unstable();
        kept = keep.into_iter().map(|i| kept[i]).collect();
        notes.push(
            Notification::builder()
                .message(message(&format!(
                    "{total} results found; only the {MAX_RESULTS} most severe are included, GitHub code scanning's limit per run"
                )))
                .level(json!("warning"))
                .build(),
        );
    }
    let cwd = std::env::current_dir()
        .map(|p| {
            let mut s = p.to_string_lossy().replace('\\', "/");
            if !s.ends_with('/') {
                s.push('/');
            }
            format!("file://{}", encode_path(&s))
        })
        .unwrap_or_else(|_| "file:///".into());
    let mut base_ids = BTreeMap::new();
    base_ids.insert(
        SRCROOT.to_string(),
        ArtifactLocation {
            uri: Some(cwd),
            ..Default::default()
        },
    );
    let driver = ToolComponent::builder()
        .name("trailguard")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(env!("CARGO_PKG_REPOSITORY"))
        .rules(
            rules::ALL
                .iter()
                .map(|r| descriptor(r.meta))
                .collect::<Vec<_>>(),
        )
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(
            kept.into_iter()
                .map(|f| result(sources, f))
                .collect::<Vec<_>>(),
        )
        .column_kind(json!("unicodeCodePoints"))
        .original_uri_base_ids(base_ids)
        .invocations(vec![
            Invocation::builder()
                .execution_successful(true)
                .tool_execution_notifications(notes)
                .build(),
        ])
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA_URL)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}
