//! TG003 source-condition-missing: CloudTrail's `s3:PutObject` grant has no confused-deputy
//! condition (`aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOrgID`, `aws:SourceOrgPaths`).

use super::{Rule, RuleMeta};
use crate::aws::cloudtrail::PUT_OBJECT;
use crate::aws::conditions::Operator;
use crate::finding::{Finding, Level};
use crate::hint::Hint;
use crate::link::{Analysis, cloudtrail_grants};

pub static META: RuleMeta = RuleMeta {
    id: "TG003",
    name: "source-condition-missing",
    level: Level::Warning,
    summary: "A CloudTrail s3:PutObject grant has no aws:SourceArn, aws:SourceAccount, aws:SourceOrgID or aws:SourceOrgPaths condition (confused-deputy protection).",
    security_severity: "5.5",
    json: true,
    tags: &["security", "cloudtrail", "s3", "confused-deputy"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG003.md"),
    check: Some(check),
};

const KEYS: [&str; 4] = [
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
];

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    for p in a.policies.iter().filter(|p| p.is_log_bucket_policy()) {
        for g in cloudtrail_grants(p.statements(), PUT_OBJECT, true) {
            if g.conditions_open {
                continue;
            }
            let protected = g.conditions.iter().any(|c| {
                KEYS.iter().any(|k| c.key_is(k))
                    && Operator::parse(&c.op).is_some_and(|o| o.is_positive_string_or_arn())
            });
            if !protected {
                out.push(
                    Finding::new(
                        &META,
                        g.span,
                        "CloudTrail may write here on behalf of any account's trail: the grant has no aws:SourceArn or aws:SourceAccount condition",
                    )
                    .at(super::stmt_address(&p.policy.address, g))
                    .hint_for(
                        g.span,
                        Hint::default().condition(
                            "StringEquals",
                            "aws:SourceArn",
                            "arn:PARTITION:cloudtrail:REGION:ACCOUNT:trail/NAME",
                            super::existing(g, "StringEquals"),
                        ),
                    )
                    .fix_maybe(super::source_arn_fix(p, g)),
                );
            }
        }
    }
}
