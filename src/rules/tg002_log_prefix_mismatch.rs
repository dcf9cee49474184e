//! TG002 log-prefix-mismatch: CloudTrail's grants do not cover what it touches — the bucket ARN
//! for `s3:GetBucketAcl`, `BUCKET/[PREFIX/]AWSLogs/ACCOUNT/*` (and `…/ORG-ID/*` for an
//! organization trail) for `s3:PutObject` — judged over all its grants of the action together.

use super::{Rule, RuleMeta};
use crate::aws::cloudtrail::{GET_BUCKET_ACL, PUT_OBJECT, TrailRef, bucket_arn_tokens};
use crate::finding::{Finding, Level};
use crate::fix::{Applicability, Change, Intent};
use crate::link::{Analysis, PolicyCx, Resources, cloudtrail_grants};
use crate::policy::Statement;
use crate::value::Truth;
use crate::value::glob::{MatchOpts, Tok, matches, shown, text_of, tokens};
use crate::value::{Kind, Symbol, Text};

pub static META: RuleMeta = RuleMeta {
    id: "TG002",
    name: "log-prefix-mismatch",
    level: Level::Error,
    summary: "A CloudTrail grant's Resource does not cover the bucket ARN (s3:GetBucketAcl) or the [prefix/]AWSLogs/<account>/ path (<org-id>/ for an organization trail) (s3:PutObject) of every trail that delivers to the bucket.",
    security_severity: "7.5",
    json: true,
    tags: &["security", "cloudtrail", "s3", "availability"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG002.md"),
    check: Some(check),
};

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    // Coverage is judged over the whole policy: not when part of it is unknown.
    for p in a
        .policies
        .iter()
        .filter(|p| p.is_log_bucket_policy() && !p.policy.doc.open)
    {
        for action in [GET_BUCKET_ACL, PUT_OBJECT] {
            let grants = cloudtrail_grants(p.statements(), action, false);
            if let Some((missing, trail, first)) = uncovered(p, &grants, action) {
                let Some(res) = &first.resource else { continue };
                let mut f = Finding::new(
                    &META,
                    res.value_span,
                    match &trail {
                        Some(t) => format!(
                            "CloudTrail's {action} grant does not cover {missing}, which trail {} needs",
                            t.label
                        ),
                        None => format!("CloudTrail's {action} grant does not cover {missing}"),
                    },
                )
                .at(super::stmt_address(&p.policy.address, first))
                .hint(if action == PUT_OBJECT {
                    "make the Resource arn:PARTITION:s3:::BUCKET/[PREFIX/]AWSLogs/ACCOUNT/* with the trail's S3 key prefix".to_string()
                } else {
                    "make the Resource the bucket ARN itself, arn:PARTITION:s3:::BUCKET".to_string()
                });
                if let Some(at) = trail.as_ref().and_then(|t| t.defined_at) {
                    f = f.related(at, "the trail that delivers here");
                }
                let fix = trail.as_ref().and_then(|t| fix_for(p, first, t, action));
                out.push(f.fix_maybe(fix));
            }
        }
    }
}

/// The first required resource no grant covers, with the trail that needs it and the grant to
/// report on. A trail is judged against the grants that can exist together with it.
fn uncovered<'a>(
    p: &PolicyCx<'_>,
    grants: &[&'a Statement],
    action: &str,
) -> Option<(String, Option<TrailRef>, &'a Statement)> {
    if p.trails.is_empty() {
        let (missing, trail) = without_trails(p, grants, action)?;
        return Some((missing, trail, grants.first()?));
    }
    // Each grant's resources tokenized once, for every trail.
    let resources: Vec<Resources> = grants.iter().map(|g| Resources::of(g)).collect();
    for t in &p.trails {
        let compatible: Vec<usize> = (0..grants.len())
            .filter(|&i| grants[i].guard.compatible(&t.guard))
            .collect();
        let Some(&first) = compatible.first().map(|&i| &grants[i]) else {
            continue;
        };
        let covered = |subject: &[Tok]| {
            Truth::any(compatible.iter().map(|&i| resources[i].covers(subject)))
        };
        if action == GET_BUCKET_ACL {
            let subject = bucket_arn_tokens(&t.partition, &p.bucket);
            if covered(&subject).is_no() {
                return Some((shown(&subject), Some(TrailRef::clone(t)), first));
            }
        } else {
            // The trail's path (account, or organization for an organization trail; either when
            // unknown) must be covered under some prefix candidate.
            let per_prefix: Vec<Vec<Vec<Tok>>> = t
                .prefixes
                .iter()
                .map(|pre| t.object_paths(&p.bucket, pre))
                .collect();
            let none_covered = per_prefix
                .iter()
                .flatten()
                .all(|path| covered(path).is_no());
            if let Some(first_path) = per_prefix.first().and_then(|paths| paths.first())
                && none_covered
            {
                return Some((shown(first_path), Some(TrailRef::clone(t)), first));
            }
        }
    }
    None
}

/// With no trail at all: a PutObject grant whose resources can cover no object key under
/// `AWSLogs/`, or a GetBucketAcl grant whose resources cannot be the bucket ARN.
fn without_trails(
    p: &PolicyCx<'_>,
    grants: &[&Statement],
    action: &str,
) -> Option<(String, Option<TrailRef>)> {
    let opts = MatchOpts {
        arn: true,
        ..MatchOpts::default()
    };
    let partition = Text::sym(Symbol::new(Kind::Partition, "trail.partition"));
    let bucket_arn = bucket_arn_tokens(&partition, &p.bucket);
    let mut all_bad = true;
    for g in grants {
        let Some(r) = &g.resource else { return None };
        if r.negated {
            return None;
        }
        for it in &r.items {
            let pat = tokens(&it.text, true);
            let bad = if action == GET_BUCKET_ACL {
                matches(&pat, &bucket_arn, opts).is_no()
            } else {
                // A pattern ending in a literal character only matches keys ending so; CloudTrail's
                // object keys all lie below AWSLogs/ACCOUNT/… .
                !(pat == [Tok::Star]
                    || matches!(pat.last(), Some(Tok::Star | Tok::Quest | Tok::Sym(_))))
            };
            all_bad &= bad;
        }
    }
    if !all_bad {
        return None;
    }
    let what = if action == GET_BUCKET_ACL {
        "the bucket ARN".to_string()
    } else {
        "any object under AWSLogs/".to_string()
    };
    Some((what, None))
}

/// What a trail from the scan needs covered for `action`: the bucket ARN, or its one object
/// path (`None` when its prefix or whether it is an organization trail is unknown).
fn required(p: &PolicyCx<'_>, t: &TrailRef, action: &str) -> Option<Vec<Vec<Tok>>> {
    if action == GET_BUCKET_ACL {
        return Some(vec![bucket_arn_tokens(&t.partition, &p.bucket)]);
    }
    if t.stand_in || t.prefixes.len() != 1 || t.is_org == Truth::Unknown {
        return None;
    }
    Some(t.object_paths(&p.bucket, &t.prefixes[0]))
}

/// Adds the trail's path to the grant's Resource — or replaces the Resource's one value when
/// it covers nothing any trail delivering here needs.
fn fix_for(p: &PolicyCx<'_>, g: &Statement, t: &TrailRef, action: &str) -> Option<Intent> {
    let res = g.resource.as_ref().filter(|r| !r.negated)?;
    let paths = required(p, t, action)?;
    let add: Vec<Text> = paths.iter().map(|path| text_of(path)).collect();
    let opts = MatchOpts {
        arn: true,
        ..MatchOpts::default()
    };
    let needed: Vec<Vec<Tok>> = p
        .trails
        .iter()
        .flat_map(|t| {
            [GET_BUCKET_ACL, PUT_OBJECT]
                .into_iter()
                .flat_map(|a| match required(p, t, a) {
                    Some(paths) => paths,
                    None => t
                        .prefixes
                        .iter()
                        .flat_map(|pre| t.object_paths(&p.bucket, pre))
                        .collect(),
                })
        })
        .collect();
    let useless = |text: &Text| {
        let pat = tokens(text, true);
        needed.iter().all(|path| matches(&pat, path, opts).is_no())
    };
    let change = match res.items.as_slice() {
        [only] if add.len() == 1 && useless(&only.text) => Change::Replace {
            at: only.span,
            with: add[0].clone(),
        },
        _ => Change::AddValues {
            value: res.value_span,
            items: res.items.iter().map(|i| i.span).collect(),
            add,
        },
    };
    let intent = Intent::new(
        format!("cover what trail {} writes", t.label),
        Applicability::Safe,
        p,
        g.span,
        change,
    );
    Some(if action == PUT_OBJECT {
        intent.from_attribute(t.defined_at, "s3_key_prefix")
    } else {
        intent
    })
}
