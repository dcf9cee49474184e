//! TG011 log-bucket-policy-missing: a trail delivers to a bucket defined in the scan and no
//! bucket policy in the scan can be for that bucket.

use super::RuleMeta;
use crate::aws::glob::text_eq;
use crate::link::Analysis;
use crate::policy::PolicyKind;
use crate::report::{Finding, Level};

pub static META: RuleMeta = RuleMeta {
    id: "TG011",
    name: "log-bucket-policy-missing",
    level: Level::Warning,
    summary: "A trail in the scan delivers to a bucket defined in the scan, and no bucket policy in the scan can be for that bucket.",
    security_severity: "4.0",
    tags: &["security", "cloudtrail", "s3", "availability"],
};

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    for t in &a.model.trails {
        let Some((bucket, span)) = &t.bucket else {
            continue;
        };
        let Some(defined) = a
            .model
            .buckets
            .iter()
            .find(|b| text_eq(&b.name, bucket).is_yes())
        else {
            continue;
        };
        let maybe_policy = a.policies.iter().any(|p| {
            p.policy.kind == PolicyKind::Bucket
                && (!p.bucket_known || text_eq(&p.bucket, bucket).maybe())
        });
        if !maybe_policy {
            out.push(
                Finding::new(
                    &META,
                    *span,
                    format!("trail {} delivers to bucket {}, which has no bucket policy: CloudTrail cannot write to it", t.address, bucket),
                )
                .at(t.address.clone())
                .related(defined.span, "the bucket")
                .hint("add a bucket policy granting cloudtrail.amazonaws.com s3:GetBucketAcl and s3:PutObject (see `trailguard policy`)"),
            );
        }
    }
}
