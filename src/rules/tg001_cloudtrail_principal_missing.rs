//! TG001 cloudtrail-principal-missing: a log-bucket policy grants CloudTrail no
//! `s3:GetBucketAcl` or no `s3:PutObject` at all.

use super::{Rule, RuleMeta};
use crate::aws::cloudtrail::{
    GET_BUCKET_ACL, PUT_OBJECT, allow_reaches_cloudtrail, bucket_arn_tokens,
};
use crate::finding::{Finding, Level};
use crate::fix::{Intent, V};
use crate::link::{Analysis, PolicyCx, covers_action, is_allow};
use crate::value::Truth;
use crate::value::glob::text_of;

pub static META: RuleMeta = RuleMeta {
    id: "TG001",
    name: "cloudtrail-principal-missing",
    level: Level::Error,
    summary: "A CloudTrail log-bucket policy has no Allow that grants CloudTrail s3:GetBucketAcl, or none that grants it s3:PutObject.",
    security_severity: "7.5",
    json: true,
    tags: &["security", "cloudtrail", "s3", "availability"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG001.md"),
    check: Some(check),
};

/// Most trails a finding lists as related locations: a bucket many copies of a stack deliver
/// to would otherwise make each of its policies' findings as long as the scan.
const SHOWN_TRAILS: usize = 10;

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
                let delivering = p.trails.iter().filter(|t| t.defined_at.is_some()).count();
                let more = if delivering > SHOWN_TRAILS {
                    format!(" ({delivering} trails deliver to this bucket; the first {SHOWN_TRAILS} are shown)")
                } else {
                    String::new()
                };
                let mut f = Finding::new(
                    &META,
                    p.policy.span,
                    format!("no statement allows CloudTrail (cloudtrail.amazonaws.com) {action}, so log delivery fails{more}"),
                )
                .at(p.policy.address.clone())
                .hint(format!(
                    "add an Allow statement for the service principal cloudtrail.amazonaws.com with {action} (see `trailguard policy`)"
                ));
                for t in p.trails.iter().filter(|t| t.defined_at.is_some()).take(SHOWN_TRAILS) {
                    if let Some(at) = t.defined_at {
                        f = f.related(at, format!("trail {} delivers to this bucket", t.label));
                    }
                }
                out.push(f.fix_maybe(fix_for(p, action)));
            }
        }
    }
}

/// The missing statement as `trailguard policy` writes it, for the one trail from the scan
/// that delivers here (its prefix and whether it is an organization trail known).
fn fix_for(p: &PolicyCx<'_>, action: &str) -> Option<Intent> {
    let mut trails = p.trails.iter().filter(|t| !t.stand_in);
    let t = trails.next()?;
    if trails.next().is_some() {
        return None;
    }
    let source = |mut more: Vec<(&str, V)>| {
        more.push(("aws:SourceArn", V::Str(t.arn.clone())));
        super::map(vec![("StringEquals", super::map(more))])
    };
    let (sid, resource, condition) = if action == GET_BUCKET_ACL {
        let arn = text_of(&bucket_arn_tokens(&t.partition, &p.bucket));
        ("AWSCloudTrailAclCheck20150319", V::Str(arn), source(vec![]))
    } else {
        if t.prefixes.len() != 1 || t.is_org == Truth::Unknown {
            return None;
        }
        let paths: Vec<V> = t
            .object_paths(&p.bucket, &t.prefixes[0])
            .iter()
            .map(|path| V::Str(text_of(path)))
            .collect();
        let resource = if paths.len() == 1 {
            paths.into_iter().next()?
        } else {
            V::List(paths)
        };
        let acl = vec![("s3:x-amz-acl", super::lit("bucket-owner-full-control"))];
        ("AWSCloudTrailWrite20150319", resource, source(acl))
    };
    let intent = super::add_statement_fix(
        p,
        format!(
            "add the statement that grants CloudTrail {action} for trail {}",
            t.label
        ),
        vec![
            ("Sid".into(), super::lit(sid)),
            ("Effect".into(), super::lit("Allow")),
            (
                "Principal".into(),
                super::map(vec![("Service", super::lit("cloudtrail.amazonaws.com"))]),
            ),
            ("Action".into(), super::lit(action)),
            ("Resource".into(), resource),
            ("Condition".into(), condition),
        ],
    )?;
    Some(
        intent
            .from_attribute(t.defined_at, "name")
            .from_attribute(t.defined_at, "s3_key_prefix"),
    )
}
