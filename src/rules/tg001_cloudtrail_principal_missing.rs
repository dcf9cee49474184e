//! TG001 cloudtrail-principal-missing: a log-bucket policy grants CloudTrail no
//! `s3:GetBucketAcl` or no `s3:PutObject` at all.

use super::RuleMeta;
use crate::aws::Truth;
use crate::aws::cloudtrail::{GET_BUCKET_ACL, PUT_OBJECT, allow_reaches_cloudtrail};
use crate::link::{Analysis, covers_action, is_allow};
use crate::report::{Finding, Level};

pub static META: RuleMeta = RuleMeta {
    id: "TG001",
    name: "cloudtrail-principal-missing",
    level: Level::Error,
    summary: "A CloudTrail log-bucket policy has no Allow that grants CloudTrail s3:GetBucketAcl, or none that grants it s3:PutObject.",
    security_severity: "7.5",
    tags: &["security", "cloudtrail", "s3", "availability"],
};

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    for p in a.policies.iter().filter(|p| p.is_log_bucket_policy()) {
        if p.policy.doc.open {
            continue;
        }
        for action in [GET_BUCKET_ACL, PUT_OBJECT] {
            let granted = Truth::any(p.statements().iter().map(|s| {
                is_allow(s)
                    .and(allow_reaches_cloudtrail(s))
                    .and(covers_action(s, action))
            }));
            if granted.is_no() {
                let mut f = Finding::new(
                    &META,
                    p.policy.span,
                    format!("no statement allows CloudTrail (cloudtrail.amazonaws.com) {action}, so log delivery fails"),
                )
                .at(p.policy.address.clone())
                .hint(format!(
                    "add an Allow statement for the service principal cloudtrail.amazonaws.com with {action} (see `trailguard policy`)"
                ));
                for t in &p.trails {
                    if let Some(at) = t.defined_at {
                        f = f.related(at, format!("trail {} delivers to this bucket", t.label));
                    }
                }
                out.push(f);
            }
        }
    }
}
