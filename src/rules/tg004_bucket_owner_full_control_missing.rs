//! TG004 bucket-owner-full-control-missing: CloudTrail's `s3:PutObject` grant does not require
//! `s3:x-amz-acl` = `bucket-owner-full-control` (unless Object Ownership is BucketOwnerEnforced).

use super::{Rule, RuleMeta};
use crate::aws::cloudtrail::PUT_OBJECT;
use crate::aws::conditions::{Operator, value_matches};
use crate::finding::{Finding, Level};
use crate::fix::{Applicability, Change, Intent};
use crate::hint::Hint;
use crate::link::{Analysis, PolicyCx, cloudtrail_grants};
use crate::policy::Statement;
use crate::value::Text;

pub static META: RuleMeta = RuleMeta {
    id: "TG004",
    name: "bucket-owner-full-control-missing",
    level: Level::Warning,
    summary: "A CloudTrail s3:PutObject grant lacks the condition s3:x-amz-acl = bucket-owner-full-control.",
    security_severity: "4.0",
    json: true,
    tags: &["security", "cloudtrail", "s3"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG004.md"),
    check: Some(check),
};

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    let wanted = Text::lit("bucket-owner-full-control");
    for p in a
        .policies
        .iter()
        .filter(|p| p.is_log_bucket_policy() && !p.owner_enforced)
    {
        for g in cloudtrail_grants(p.statements(), PUT_OBJECT, true) {
            if g.conditions_open {
                continue;
            }
            let has = g.conditions.iter().any(|c| {
                c.key_is("s3:x-amz-acl")
                    && Operator::parse(&c.op).is_some_and(|o| {
                        o.is_positive_string_or_arn()
                            && c.values
                                .iter()
                                .any(|v| value_matches(&o, &v.text, &wanted).maybe())
                    })
            });
            if !has {
                let fix = fix_for(p, g);
                out.push(
                    Finding::new(
                        &META,
                        g.span,
                        "CloudTrail's s3:PutObject grant does not require s3:x-amz-acl = bucket-owner-full-control, so log objects may not be owned by the bucket owner",
                    )
                    .at(super::stmt_address(&p.policy.address, g))
                    .hint_for(
                        g.span,
                        Hint::default()
                            .condition(
                                "StringEquals",
                                "s3:x-amz-acl",
                                "bucket-owner-full-control",
                                super::existing(g, "StringEquals"),
                            )
                            .text(", or enforce BucketOwnerEnforced object ownership"),
                    )
                    .fix_maybe(fix),
                );
            }
        }
    }
}

/// Adds `s3:x-amz-acl` = `bucket-owner-full-control` under `StringEquals` (to the values the
/// key already has there). Not when another operator tests the key: both would have to hold.
fn fix_for(p: &PolicyCx<'_>, g: &Statement) -> Option<Intent> {
    // A statement that also grants s3:GetBucketAcl (whose requests carry no ACL header) would
    // stop granting it: that one wants splitting, not a condition.
    if !crate::link::covers_action(g, crate::aws::cloudtrail::GET_BUCKET_ACL).is_no() {
        return None;
    }
    let acl: Vec<_> = g
        .conditions
        .iter()
        .filter(|c| c.key_is("s3:x-amz-acl"))
        .collect();
    if acl.iter().any(|c| c.op != "StringEquals") {
        return None;
    }
    let value = Text::lit("bucket-owner-full-control");
    let change = match acl.first() {
        Some(c) => Change::AddValues {
            value: c.value_span,
            items: c.values.iter().map(|v| v.span).collect(),
            add: vec![value],
        },
        None => Change::add_condition(g, "StringEquals", "s3:x-amz-acl", vec![value]),
    };
    Some(
        Intent::new(
            "require s3:x-amz-acl = bucket-owner-full-control",
            Applicability::Safe,
            p,
            g.span,
            change,
        )
        .portable(),
    )
}
