//! TG105 log-bucket-acl-disabled: a source that needs the bucket's ACLs — CloudFront standard
//! (legacy) logging, or S3 server access logging through the LogDelivery group's ACL — targets a
//! bucket whose Object Ownership is BucketOwnerEnforced, which disables ACLs
//! (logdelivery.md §4, §5).

use super::{Rule, RuleMeta};
use crate::finding::{Finding, Level};
use crate::link::Analysis;
use crate::model::SourceKind;

pub static META: RuleMeta = RuleMeta {
    id: "TG105",
    name: "log-bucket-acl-disabled",
    level: Level::Error,
    summary: "CloudFront standard logging, or S3 server access logging through the LogDelivery ACL, targets a bucket whose Object Ownership (BucketOwnerEnforced) disables ACLs.",
    security_severity: "7.5",
    json: false,
    tags: &["availability", "logging", "s3"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG105.md"),
    check: Some(check),
};

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    if !a.first {
        return;
    }
    let mut seen = std::collections::HashSet::new();
    for s in &a.model.sources {
        for b in a.model.buckets_named(&s.bucket) {
            // The source with what makes it need the ACL, and the conditions they exist under.
            let needs = match s.kind {
                SourceKind::CloudFront => s.guard.clone(),
                SourceKind::S3AccessLogs if b.log_delivery_acl.0.is_yes() => {
                    s.guard.and(&b.log_delivery_acl.1)
                }
                _ => continue,
            };
            let Some((at, enforced)) = &b.enforced_at else {
                continue;
            };
            // Not when the ownership setting and the source cannot exist together.
            if !needs.compatible(enforced) || !seen.insert((*at, s.kind)) {
                continue;
            }
            let how = if s.kind == SourceKind::CloudFront {
                "CloudFront standard logging writes through the bucket's ACL"
            } else {
                "S3 server access logging is granted here by the LogDelivery group's ACL"
            };
            out.push(
                Finding::new(
                    &META,
                    *at,
                    format!(
                        "bucket {}'s Object Ownership is BucketOwnerEnforced, which disables ACLs, but {how}: delivery fails",
                        b.address
                    ),
                )
                .at(b.address.clone())
                .related(
                    s.span,
                    format!("{} delivers its {} here", s.address, s.kind.describe()),
                )
                .hint(if s.kind == SourceKind::CloudFront {
                    "use ObjectWriter or BucketOwnerPreferred ownership on this bucket, or CloudFront's v2 logging (CloudWatch vended logs)"
                } else {
                    "grant logging.s3.amazonaws.com s3:PutObject in the bucket policy instead of the LogDelivery ACL"
                }),
            );
        }
    }
}
