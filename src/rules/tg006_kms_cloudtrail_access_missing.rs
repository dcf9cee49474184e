//! TG006 kms-cloudtrail-access-missing: the key CloudTrail encrypts with has no Allow that lets
//! CloudTrail call `kms:GenerateDataKey` under conditions that can hold for its request.

use super::{Rule, RuleMeta};
use crate::aws::cloudtrail::{GENERATE_DATA_KEY, TrailRef, allow_reaches_service, kms_request};
use crate::aws::conditions::conditions_hold;
use crate::finding::{Finding, Level};
use crate::fix::{Intent, V};
use crate::link::{Analysis, PolicyCx, covers_action, is_allow, trail_ref};
use crate::value::Text;
use crate::value::Truth;

pub static META: RuleMeta = RuleMeta {
    id: "TG006",
    name: "kms-cloudtrail-access-missing",
    level: Level::Error,
    summary: "The KMS key a trail encrypts with has no Allow that covers kms:GenerateDataKey for cloudtrail.amazonaws.com with conditions that can hold for CloudTrail's request.",
    security_severity: "7.5",
    json: true,
    tags: &["security", "cloudtrail", "kms", "availability"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG006.md"),
    check: Some(check),
};

const HINT: &str = "allow cloudtrail.amazonaws.com kms:GenerateDataKey* with StringLike kms:EncryptionContext:aws:cloudtrail:arn = arn:PARTITION:cloudtrail:*:ACCOUNT:trail/*";

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    for p in a.policies.iter().filter(|p| p.is_trail_key_policy()) {
        if p.policy.doc.open {
            continue;
        }
        let trails = if p.trails.is_empty() {
            vec![std::sync::Arc::new(TrailRef::generic())]
        } else {
            p.trails.clone()
        };
        for t in &trails {
            let req = kms_request(t);
            let ok = Truth::any(p.statements().iter().map(|s| {
                is_allow(s)
                    .and(allow_reaches_service(s))
                    .and(covers_action(s, GENERATE_DATA_KEY))
                    // A SourceArn/SourceAccount that never holds is TG007's to report.
                    .and(conditions_hold(s, &req, |c| {
                        c.key_is("aws:SourceArn") || c.key_is("aws:SourceAccount")
                    }))
            }));
            if ok.is_no() {
                let who = if t.stand_in && t.label == "any trail" {
                    "any trail".to_string()
                } else {
                    format!("trail {}", t.label)
                };
                let mut f = Finding::new(
                    &META,
                    p.policy.span,
                    format!("the key policy does not let CloudTrail call kms:GenerateDataKey for {who}, so encrypted log delivery fails"),
                )
                .at(p.policy.address.clone())
                .hint(HINT);
                if let Some(at) = t.defined_at {
                    f = f.related(at, "the trail that encrypts with this key");
                }
                out.push(f.fix_maybe(fix_for(p, t)));
                break;
            }
        }
    }
    // A key with no policy at all gets AWS's default policy, which grants CloudTrail nothing.
    if !a.first {
        return;
    }
    // Certainly equal texts are equal values (see `Text::certainly_eq`): found by hash.
    let mut by_key: std::collections::HashMap<&crate::value::Text, usize> =
        std::collections::HashMap::new();
    for (i, t) in a.model.trails.iter().enumerate() {
        // An alias name is unique only in one account and Region: a literal one links no key
        // of the scan with certainty.
        if let Some((k, _)) = &t.key
            && !super::literal_alias(k)
        {
            by_key.entry(k).or_insert(i);
        }
    }
    let elsewhere = super::KeyPolicyElsewhere::new(a.model);
    for key in &a.model.keys {
        // A key whose policy may be attached elsewhere is not certainly without one.
        if key.has_policy || elsewhere.may_exist(key) {
            continue;
        }
        let first_user = key.idents.iter().filter_map(|id| by_key.get(id)).min();
        if let Some(t) = first_user.map(|&i| &a.model.trails[i]) {
            let r = trail_ref(t);
            out.push(
                Finding::new(
                    &META,
                    key.span,
                    format!("key {} has no key policy, and the default policy grants CloudTrail nothing; trail {} cannot encrypt its logs", key.address, r.label),
                )
                .at(key.address.clone())
                .related(t.span, "the trail that encrypts with this key")
                .hint(HINT),
            );
        }
    }
}

/// The statement `trailguard policy --kms` writes, for a trail from the scan — only when no
/// statement grants CloudTrail the action at all (a grant whose conditions exclude the trail
/// is TG007's to fix).
fn fix_for(p: &PolicyCx<'_>, t: &TrailRef) -> Option<Intent> {
    if t.stand_in
        || p.statements().iter().any(|s| {
            !(is_allow(s)
                .and(allow_reaches_service(s))
                .and(covers_action(s, GENERATE_DATA_KEY)))
            .is_no()
        })
    {
        return None;
    }
    let any_trail = crate::aws::cloudtrail::trail_arn(
        &t.partition,
        &Text::lit("*"),
        &t.account,
        &Text::lit("*"),
    );
    let intent = super::add_statement_fix(
        p,
        format!(
            "add the statement that lets CloudTrail encrypt for trail {}",
            t.label
        ),
        vec![
            ("Sid".into(), super::lit("AllowCloudTrailToEncryptLogs")),
            ("Effect".into(), super::lit("Allow")),
            (
                "Principal".into(),
                super::map(vec![("Service", super::lit("cloudtrail.amazonaws.com"))]),
            ),
            ("Action".into(), super::lit("kms:GenerateDataKey*")),
            ("Resource".into(), super::lit("*")),
            (
                "Condition".into(),
                super::map(vec![
                    (
                        "StringLike",
                        super::map(vec![(
                            "kms:EncryptionContext:aws:cloudtrail:arn",
                            V::Str(any_trail),
                        )]),
                    ),
                    (
                        "StringEquals",
                        super::map(vec![("aws:SourceArn", V::Str(t.arn.clone()))]),
                    ),
                ]),
            ),
        ],
    )?;
    Some(intent.from_attribute(t.defined_at, "name"))
}
