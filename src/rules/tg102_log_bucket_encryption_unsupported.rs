//! TG102 log-bucket-encryption-unsupported: a bucket whose default encryption is SSE-KMS receives
//! ALB/Classic Load Balancer access logs, S3 server access logs or Redshift audit logs, which
//! are written with SSE-S3 only (logdelivery.md §2a, §4, §6).

use super::{Rule, RuleMeta};
use crate::finding::{Finding, Level};
use crate::link::Analysis;
use crate::model::SourceKind;

pub static META: RuleMeta = RuleMeta {
    id: "TG102",
    name: "log-bucket-encryption-unsupported",
    level: Level::Error,
    summary: "A bucket whose default encryption is SSE-KMS receives load balancer access logs, S3 server access logs or Redshift audit logs, which support SSE-S3 only.",
    security_severity: "7.5",
    json: false,
    tags: &["availability", "logging", "s3", "kms"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG102.md"),
    check: Some(check),
};

/// Sources that write with SSE-S3 only.
fn sse_s3_only(kind: SourceKind) -> bool {
    matches!(
        kind,
        SourceKind::Alb | SourceKind::ClassicElb | SourceKind::S3AccessLogs | SourceKind::Redshift
    )
}

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    if !a.first {
        return;
    }
    let mut seen = std::collections::HashSet::new();
    for s in a.model.sources.iter().filter(|s| sse_s3_only(s.kind)) {
        for b in a.model.buckets_named(&s.bucket) {
            let Some((kms, at, guard)) = &b.kms_default else {
                continue;
            };
            // Not when the setting and the source cannot exist together.
            if !kms.is_yes() || !s.guard.compatible(guard) || !seen.insert((*at, s.kind)) {
                continue;
            }
            let at = *at;
            out.push(
                Finding::new(
                    &META,
                    at,
                    format!(
                        "bucket {}'s default encryption is SSE-KMS, but {} are written with SSE-S3 only, so their delivery fails",
                        b.address,
                        s.kind.describe()
                    ),
                )
                .at(b.address.clone())
                .related(
                    s.span,
                    format!("{} delivers its {} here", s.address, s.kind.describe()),
                )
                .hint("use SSE-S3 (AES256) default encryption on this bucket, or send these logs to a bucket of their own"),
            );
        }
    }
}
