//! TG007 source-condition-mismatch: the `aws:SourceArn` / `aws:SourceAccount` values on a
//! CloudTrail grant exclude a trail that delivers to the bucket (or encrypts with the key), or
//! can match no trail at all.

use super::RuleMeta;
use crate::aws::cloudtrail::{
    GENERATE_DATA_KEY, GET_BUCKET_ACL, PUT_OBJECT, TrailRef, bucket_arn_tokens, kms_request,
    s3_request,
};
use crate::aws::conditions::{Operator, eval_condition};
use crate::link::{Analysis, PolicyCx, cloudtrail_grants, covers_resource};
use crate::policy::{Condition, PolicyKind, Statement};
use crate::report::{Finding, Level};
use crate::source::Span;
use std::collections::HashSet;

pub static META: RuleMeta = RuleMeta {
    id: "TG007",
    name: "source-condition-mismatch",
    level: Level::Error,
    summary: "The aws:SourceArn / aws:SourceAccount values on a CloudTrail grant exclude a trail that delivers to this bucket or encrypts with this key, or can match no trail at all.",
    security_severity: "7.5",
    tags: &["security", "cloudtrail", "availability"],
};

fn source_conditions(s: &Statement) -> impl Iterator<Item = &Condition> {
    s.conditions.iter().filter(|c| {
        (c.key_is("aws:SourceArn") || c.key_is("aws:SourceAccount"))
            && Operator::parse(&c.op).is_some_and(|o| o.is_positive_string_or_arn())
    })
}

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    for p in a.policies {
        let applies = match p.policy.kind {
            PolicyKind::Bucket => p.is_log_bucket_policy(),
            PolicyKind::Key => p.is_trail_key_policy(),
        };
        if !applies {
            continue;
        }
        let actions: &[&str] = match p.policy.kind {
            PolicyKind::Bucket => &[GET_BUCKET_ACL, PUT_OBJECT],
            PolicyKind::Key => &[GENERATE_DATA_KEY],
        };
        let mut reported: HashSet<Span> = HashSet::new();
        let mut report = |c: &Condition, s: &Statement, msg: String, related: Option<Span>| {
            if !reported.insert(c.value_span) {
                return;
            }
            let mut f = Finding::new(&META, c.value_span, msg)
                .at(super::stmt_address(&p.policy.address, s))
                .hint("use the ARN of the trail that delivers here (arn:PARTITION:cloudtrail:REGION:ACCOUNT:trail/NAME), with StringLike/ArnLike for wildcards");
            if let Some(r) = related {
                f = f.related(r, "the trail that delivers here");
            }
            out.push(f);
        };
        // Values that can match no trail at all.
        let any_trail = TrailRef::generic();
        for &action in actions {
            let req = request(p, action, &any_trail);
            for g in cloudtrail_grants(p.statements(), action, true) {
                for c in source_conditions(g) {
                    if eval_condition(c, &req).is_no() {
                        report(
                            c,
                            g,
                            format!(
                                "{} {} can match no trail at all: {} compares literally, and no trail ARN or account looks like this",
                                c.op, c.key, c.op
                            ),
                            None,
                        );
                    }
                }
            }
        }
        // Values that exclude a trail that delivers here (judged over all grants: not when part
        // of the policy is unknown).
        for t in p.trails.iter().filter(|_| !p.policy.doc.open) {
            for &action in actions {
                let grants = relevant_grants(p, action, t);
                if grants.is_empty() {
                    continue;
                }
                let req = request(p, action, t);
                let failing: Vec<Option<(&Statement, &Condition)>> = grants
                    .iter()
                    .map(|g| {
                        source_conditions(g)
                            .find(|c| eval_condition(c, &req).is_no())
                            .map(|c| (*g, c))
                    })
                    .collect();
                if failing.iter().all(Option::is_some)
                    && let Some(Some((g, c))) = failing.first()
                {
                    report(
                        c,
                        g,
                        format!(
                            "{} {} excludes trail {}, so CloudTrail is denied {action}",
                            c.op, c.key, t.label
                        ),
                        t.defined_at,
                    );
                }
            }
        }
    }
}

fn request(p: &PolicyCx<'_>, action: &str, t: &TrailRef) -> crate::aws::conditions::Request {
    if p.policy.kind == PolicyKind::Key {
        kms_request(t)
    } else {
        s3_request(action, t)
    }
}

/// The grants of `action` that may serve trail `t` (their resources may cover its path).
fn relevant_grants<'a>(p: &'a PolicyCx<'_>, action: &str, t: &TrailRef) -> Vec<&'a Statement> {
    let grants: Vec<&Statement> = cloudtrail_grants(p.statements(), action, true)
        .into_iter()
        .filter(|g| g.guard.compatible(&t.guard))
        .collect();
    if p.policy.kind == PolicyKind::Key {
        return grants;
    }
    grants
        .into_iter()
        .filter(|g| {
            if action == GET_BUCKET_ACL {
                covers_resource(g, &bucket_arn_tokens(&t.partition, &p.bucket)).maybe()
            } else {
                t.prefixes.iter().any(|pre| {
                    t.object_paths(&p.bucket, pre)
                        .iter()
                        .any(|path| covers_resource(g, path).maybe())
                })
            }
        })
        .collect()
}
