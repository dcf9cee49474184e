//! TG007 source-condition-mismatch: the `aws:SourceArn` / `aws:SourceAccount` values on a
//! CloudTrail grant exclude a trail that delivers to the bucket (or encrypts with the key), or
//! can match no trail at all.

use super::{Rule, RuleMeta};
use crate::aws::cloudtrail::{
    GENERATE_DATA_KEY, GET_BUCKET_ACL, PUT_OBJECT, TrailRef, bucket_arn_tokens, kms_request,
    s3_request,
};
use crate::aws::conditions::{eval_condition, pins_source};
use crate::finding::{Finding, Level};
use crate::fix::{Applicability, Change, Intent};
use crate::link::{Analysis, PolicyCx, Resources, cloudtrail_grants};
use crate::policy::{Condition, PolicyKind, Statement};
use crate::source::Span;
use crate::value::glob::Tok;
use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;

pub static META: RuleMeta = RuleMeta {
    id: "TG007",
    name: "source-condition-mismatch",
    level: Level::Error,
    summary: "The aws:SourceArn / aws:SourceAccount values on a CloudTrail grant exclude a trail that delivers to this bucket or encrypts with this key, or can match no trail at all.",
    security_severity: "7.5",
    json: true,
    tags: &["security", "cloudtrail", "availability"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG007.md"),
    check: Some(check),
};

fn source_conditions(s: &Statement) -> impl Iterator<Item = &Condition> {
    s.conditions.iter().filter(|c| pins_source(c))
}

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    // The requests of a trail of no particular name, account or Region, built once.
    let any_trail = TrailRef::generic();
    let generic_s3 = [GET_BUCKET_ACL, PUT_OBJECT].map(|action| s3_request(action, &any_trail));
    let generic_kms = kms_request(&any_trail);
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
        let mut report = |c: &Condition,
                          s: &Statement,
                          msg: String,
                          related: Option<Span>,
                          excluded: Option<&TrailRef>| {
            if !reported.insert(c.value_span) {
                return;
            }
            let fix = fix_for(p, s, c, excluded, actions);
            let mut f = Finding::new(&META, c.value_span, msg)
                .fix_maybe(fix)
                .at(super::stmt_address(&p.policy.address, s))
                .hint("use the ARN of the trail that delivers here (arn:PARTITION:cloudtrail:REGION:ACCOUNT:trail/NAME), with StringLike/ArnLike for wildcards");
            if let Some(r) = related {
                f = f.related(r, "the trail that delivers here");
            }
            out.push(f);
        };
        // Values that can match no trail at all.
        for (i, &action) in actions.iter().enumerate() {
            let req = match p.policy.kind {
                PolicyKind::Bucket => &generic_s3[i],
                PolicyKind::Key => &generic_kms,
            };
            for g in cloudtrail_grants(p.statements(), action, true) {
                for c in source_conditions(g) {
                    if eval_condition(c, req).is_no() {
                        report(
                            c,
                            g,
                            format!(
                                "{} {} can match no trail at all: {} compares literally, and no trail ARN or account looks like this",
                                c.op, c.key, c.op
                            ),
                            None,
                            None,
                        );
                    }
                }
            }
        }
        // Values that exclude a trail that delivers here (judged over all grants: not when part
        // of the policy is unknown).
        // Each action's grants, with their resources tokenized once for every trail.
        let per_action: Vec<(Vec<&Statement>, Vec<Resources>)> = if p.policy.doc.open {
            vec![]
        } else {
            actions
                .iter()
                .map(|&action| {
                    let grants = cloudtrail_grants(p.statements(), action, true);
                    let resources = grants.iter().map(|g| Resources::of(g)).collect();
                    (grants, resources)
                })
                .collect()
        };
        // Each trail judged on its own (in parallel when many deliver here), reported in order.
        let judge = |t: &Arc<TrailRef>| {
            actions
                .iter()
                .zip(&per_action)
                .filter_map(|(&action, (grants, resources))| {
                    let grants = relevant_grants(p, action, t, grants, resources);
                    if grants.is_empty() {
                        return None;
                    }
                    let req = request(p, action, t);
                    let mut failing = grants.iter().map(|g| {
                        source_conditions(g)
                            .find(|c| eval_condition(c, &req).is_no())
                            .map(|c| (*g, c))
                    });
                    let first = failing.next()??;
                    failing.all(|f| f.is_some()).then_some((action, first))
                })
                .collect::<Vec<_>>()
        };
        let trails: &[Arc<TrailRef>] = if p.policy.doc.open { &[] } else { &p.trails };
        let judged: Vec<Vec<(&str, (&Statement, &Condition))>> = if trails.len() > PAR_TRAILS {
            trails.par_iter().map(judge).collect()
        } else {
            trails.iter().map(judge).collect()
        };
        for (t, excluded) in trails.iter().zip(judged) {
            for (action, (g, c)) in excluded {
                report(
                    c,
                    g,
                    format!(
                        "{} {} excludes trail {}, so CloudTrail is denied {action}",
                        c.op, c.key, t.label
                    ),
                    t.defined_at,
                    Some(&**t),
                );
            }
        }
    }
}

/// Past this many trails delivering to one policy, they are judged in parallel.
const PAR_TRAILS: usize = 64;

fn request(p: &PolicyCx<'_>, action: &str, t: &TrailRef) -> crate::aws::conditions::Request {
    if p.policy.kind == PolicyKind::Key {
        kms_request(t)
    } else {
        s3_request(action, t)
    }
}

/// The grants of `action` (`grants`, with their `resources`) that may serve trail `t`: those
/// that can exist with it and whose resources may cover its path.
fn relevant_grants<'a>(
    p: &PolicyCx<'_>,
    action: &str,
    t: &TrailRef,
    grants: &[&'a Statement],
    resources: &[Resources],
) -> Vec<&'a Statement> {
    let compatible = grants
        .iter()
        .zip(resources)
        .filter(|(g, _)| g.guard.compatible(&t.guard));
    if p.policy.kind == PolicyKind::Key {
        return compatible.map(|(g, _)| *g).collect();
    }
    let subjects: Vec<Vec<Tok>> = if action == GET_BUCKET_ACL {
        vec![bucket_arn_tokens(&t.partition, &p.bucket)]
    } else {
        t.prefixes
            .iter()
            .flat_map(|pre| t.object_paths(&p.bucket, pre))
            .collect()
    };
    compatible
        .filter(|(_, r)| subjects.iter().any(|path| r.may_cover(path)))
        .map(|(g, _)| *g)
        .collect()
}

/// The trails from the scan that deliver here (not stand-ins a policy's values name).
fn delivering<'a>(p: &'a PolicyCx<'_>) -> Vec<&'a TrailRef> {
    p.trails.iter().filter(|t| !t.stand_in).map(|t| &**t).collect()
}

/// Whether the condition holds for some trail's request.
fn admits(p: &PolicyCx<'_>, c: &Condition, t: &TrailRef, actions: &[&str]) -> bool {
    actions
        .iter()
        .any(|a| !eval_condition(c, &request(p, a, t)).is_no())
}

/// Adds the excluded trail's ARN (its account for `aws:SourceAccount`) to the values —
/// replacing the one value when it admits no trail delivering here — or, for a wildcard
/// pattern that `StringEquals` compares literally, makes the operator `StringLike`.
fn fix_for(
    p: &PolicyCx<'_>,
    s: &Statement,
    c: &Condition,
    excluded: Option<&TrailRef>,
    actions: &[&str],
) -> Option<Intent> {
    let trails = delivering(p);
    let generic = TrailRef::generic();
    let target = match excluded {
        Some(t) => Some(t),
        // A value no trail can match: the one trail delivering here, if there is one.
        None if trails.len() == 1 => Some(trails[0]),
        None => None,
    };
    let intent = |title: String, change: Change| {
        Intent::new(title, Applicability::Safe, p, s.span, change)
    };
    // A wildcard pattern compared literally: the Like operator, when nothing else under the
    // operator changes meaning.
    let wild = |v: &crate::policy::Item| {
        v.text
            .parts()
            .iter()
            .any(|part| matches!(part, crate::value::Part::Lit(l) if l.contains(['*', '?'])))
    };
    if c.op.contains("StringEquals") && !c.op.contains("IgnoreCase") && c.values.iter().any(wild) {
        let mut like = c.clone();
        like.op = c.op.replacen("StringEquals", "StringLike", 1);
        let others_plain = s
            .conditions
            .iter()
            .filter(|o| o.op == c.op && o.key_span != c.key_span)
            .all(|o| !o.values.iter().any(wild));
        // Not when the Condition block has that operator already (a key written twice).
        let taken = s.conditions.iter().any(|o| o.op == like.op);
        if others_plain && !taken && admits(p, &like, target.unwrap_or(&generic), actions) {
            return Some(
                intent(
                    format!("compare with {}", like.op),
                    Change::RenameOperator {
                        at: c.op_span,
                        from: "StringEquals".into(),
                        to: "StringLike".into(),
                    },
                )
                .portable(),
            );
        }
    }
    let t = target?;
    let value = if c.key_is("aws:SourceAccount") {
        t.account.clone()
    } else {
        t.arn.clone()
    };
    let admits_none = |v: &crate::policy::Item| {
        let mut one = c.clone();
        one.values = vec![v.clone()];
        trails.iter().all(|t| !admits(p, &one, t, actions))
    };
    let change = match c.values.as_slice() {
        [only] if !t.stand_in && admits_none(only) => Change::Replace {
            at: only.span,
            with: value,
        },
        _ => Change::AddValues {
            value: c.value_span,
            items: c.values.iter().map(|v| v.span).collect(),
            add: vec![value],
        },
    };
    let intent = intent(format!("admit trail {}", t.label), change);
    Some(if c.key_is("aws:SourceAccount") {
        intent
    } else {
        intent.from_attribute(t.defined_at, "name")
    })
}
