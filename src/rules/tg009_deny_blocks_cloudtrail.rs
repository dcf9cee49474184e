//! TG009 deny-blocks-cloudtrail: a Deny statement matches CloudTrail's own delivery request —
//! principal, action and resource match and its conditions hold for a request from the
//! CloudTrail service.

use super::{Rule, RuleMeta};
use crate::aws::cloudtrail::{
    GET_BUCKET_ACL, PUT_OBJECT, TrailRef, bucket_arn_tokens, deny_applies_to_service, s3_request,
};
use crate::aws::conditions::conditions_hold;
use crate::finding::{Finding, Level};
use crate::hint::Hint;
use crate::link::{Analysis, PolicyCx, cloudtrail_grants, covers_action, covers_resource};
use crate::policy::Statement;
use crate::value::Truth;
use crate::value::glob::{MatchOpts, Tok, matches, tokens};

pub static META: RuleMeta = RuleMeta {
    id: "TG009",
    name: "deny-blocks-cloudtrail",
    level: Level::Error,
    summary: "A Deny statement matches CloudTrail's own delivery request (principal, action and resource match and its conditions hold for a request from the CloudTrail service).",
    security_severity: "7.5",
    json: true,
    tags: &["security", "cloudtrail", "s3", "availability"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG009.md"),
    check: Some(check),
};

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    for p in a.policies.iter().filter(|p| p.is_log_bucket_policy()) {
        for s in p.statements().iter().filter(|s| s.is_deny()) {
            if !deny_applies_to_service(s).is_yes() {
                continue;
            }
            for action in [GET_BUCKET_ACL, PUT_OBJECT] {
                if !covers_action(s, action).is_yes() {
                    continue;
                }
                if let Some(grant) = blocks(p, s, action) {
                    let mut f = Finding::new(
                        &META,
                        s.span,
                        format!("this Deny applies to CloudTrail's own {action} request, so log delivery is blocked"),
                    )
                    .at(super::stmt_address(&p.policy.address, s))
                    .hint_for(
                        s.span,
                        Hint::default()
                            .text("exempt AWS services, e.g. ")
                            .condition(
                                "Bool",
                                "aws:PrincipalIsAWSService",
                                "false",
                                super::existing(s, "Bool"),
                            )
                            .text(", or narrow its Resource"),
                    );
                    if let Some(g) = grant {
                        f = f.related(g.span, "the CloudTrail grant this Deny overrides");
                    }
                    out.push(f);
                    break;
                }
            }
        }
    }
}

/// Whether the Deny certainly blocks CloudTrail's `action`; with the grant it overrides.
fn blocks<'a>(p: &'a PolicyCx<'_>, s: &Statement, action: &str) -> Option<Option<&'a Statement>> {
    // Only what can exist together with the Deny.
    let grants: Vec<&Statement> = cloudtrail_grants(p.statements(), action, false)
        .into_iter()
        .filter(|g| g.guard.compatible(&s.guard))
        .collect();
    let first = grants.first().copied();
    if !p.trails.is_empty() {
        for t in p.trails.iter().filter(|t| t.guard.compatible(&s.guard)) {
            let resource_hit = if action == GET_BUCKET_ACL {
                covers_resource(s, &bucket_arn_tokens(&t.partition, &p.bucket))
            } else {
                // Certain only if every candidate path is denied.
                Truth::all(t.prefixes.iter().flat_map(|pre| {
                    t.object_paths(&p.bucket, pre)
                        .into_iter()
                        .map(|path| covers_resource(s, &path))
                }))
            };
            if resource_hit.is_yes()
                && conditions_hold(s, &s3_request(action, t), |_| false).is_yes()
            {
                return Some(first);
            }
        }
        return None;
    }
    // No trail known: the places CloudTrail's grants let it reach stand for its requests.
    // Of a grant's resources, those that can be what `action` touches: the bucket ARN for
    // GetBucketAcl, an object pattern for PutObject.
    let any = TrailRef::generic();
    let bucket_arn = bucket_arn_tokens(&any.partition, &p.bucket);
    let opts = MatchOpts {
        arn: true,
        ..MatchOpts::default()
    };
    let subjects: Vec<Vec<Tok>> = grants
        .iter()
        .filter_map(|g| g.resource.as_ref().filter(|r| !r.negated))
        .flat_map(|r| r.items.iter().map(|i| tokens(&i.text, true)))
        .filter(|t| {
            let is_bucket = matches(t, &bucket_arn, opts).maybe();
            if action == GET_BUCKET_ACL {
                is_bucket
            } else {
                !is_bucket
            }
        })
        .collect();
    if subjects.is_empty() {
        return None;
    }
    let hit = Truth::all(subjects.iter().map(|subj| covers_resource(s, subj)));
    if hit.is_yes() && conditions_hold(s, &s3_request(action, &any), |_| false).is_yes() {
        return Some(first);
    }
    None
}
