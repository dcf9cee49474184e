//! TG010 public-log-write: a log-bucket policy lets everyone (`"*"`) write objects without a
//! condition that narrows who the writer is.

use super::{Rule, RuleMeta};
use crate::aws::cloudtrail::{PUT_OBJECT, principal_facts};
use crate::aws::conditions::Operator;
use crate::finding::{Finding, Level};
use crate::hint::Hint;
use crate::link::{Analysis, covers_action};

pub static META: RuleMeta = RuleMeta {
    id: "TG010",
    name: "public-log-write",
    level: Level::Error,
    summary: "A log-bucket policy lets \"*\" principals write objects without a positive condition on the source or principal (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, aws:SourceIp, …).",
    security_severity: "9.1",
    json: true,
    tags: &["security", "cloudtrail", "s3", "public-access"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG010.md"),
    check: Some(check),
};

const NARROWING_KEYS: [&str; 13] = [
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:userid",
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpce",
    // Only AWS services carry it: anonymous callers fail a positive test on it.
    "aws:PrincipalServiceName",
];

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    for p in a.policies.iter().filter(|p| p.is_log_bucket_policy()) {
        // A log bucket together with the public statement: not when what makes it one can
        // never exist beside that statement.
        for s in p
            .statements()
            .iter()
            .filter(|s| s.is_allow() && p.is_log_bucket_policy_with(&s.guard))
        {
            let Some(pr) = &s.principal else { continue };
            if pr.negated || !principal_facts(pr).everyone.is_yes() {
                continue;
            }
            if !covers_action(s, PUT_OBJECT).is_yes() || s.conditions_open {
                continue;
            }
            let narrowed = s.conditions.iter().any(|c| {
                NARROWING_KEYS.iter().any(|k| c.key_is(k))
                    && Operator::parse(&c.op)
                        .is_some_and(|o| !o.is_negated() && o.base != "null" && o.base != "bool")
            });
            if !narrowed {
                out.push(
                    Finding::new(
                        &META,
                        s.span,
                        "anyone, anonymous users included, may write objects into this log bucket",
                    )
                    .at(super::stmt_address(&p.policy.address, s))
                    .hint_for(
                        s.span,
                        Hint::default()
                            .text("grant writes to ")
                            .service_principal("cloudtrail.amazonaws.com")
                            .text(" only, or add an aws:SourceArn / aws:PrincipalOrgID condition"),
                    ),
                );
            }
        }
    }
}
