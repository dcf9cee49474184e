//! TG011 log-bucket-policy-missing: a trail delivers to a bucket defined in the scan and no
//! bucket policy in the scan can be for that bucket.

use super::{Rule, RuleMeta};
use crate::finding::{Finding, Level};
use crate::link::Analysis;
use crate::policy::PolicyKind;
use crate::value::Text;
use crate::value::glob::{Tok, tokens, tokens_eq};
use std::collections::{HashMap, HashSet};

pub static META: RuleMeta = RuleMeta {
    id: "TG011",
    name: "log-bucket-policy-missing",
    level: Level::Warning,
    summary: "A trail in the scan delivers to a bucket defined in the scan, and no bucket policy in the scan can be for that bucket.",
    security_severity: "4.0",
    json: false,
    tags: &["security", "cloudtrail", "s3", "availability"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG011.md"),
    check: Some(check),
};

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    if !a.first {
        return;
    }
    // Policies whose bucket is a known name are found by that name; the others (unknown or
    // partly unknown names) might be for any bucket their known parts allow.
    let mut literal: HashSet<&str> = HashSet::new();
    let mut symbolic: Vec<&Text> = vec![];
    let mut any_unknown = false;
    for p in a.all.iter().filter(|p| p.policy.kind == PolicyKind::Bucket) {
        match (p.bucket_known, p.bucket.as_str()) {
            (false, _) => any_unknown = true,
            (true, Some(s)) => {
                literal.insert(s);
            }
            (true, None) => symbolic.push(&p.bucket),
        }
    }
    if any_unknown {
        return;
    }
    let defined: HashMap<&Text, &crate::model::Bucket> =
        a.model.buckets.iter().map(|b| (&b.name, b)).collect();
    // A policy for the very same name (the common case) is found by hash; only the rest is
    // compared pattern by pattern.
    let exact: HashSet<&Text> = symbolic.iter().copied().collect();
    let opaque = opaque_values(a);
    // The policies' names as tokens, made once (when some trail needs them) instead of once
    // per trail and name.
    let names: std::cell::OnceCell<(Patterns, Patterns)> = std::cell::OnceCell::new();
    let names_tokens = || {
        names.get_or_init(|| {
            (
                literal.iter().map(|l| tokens(&Text::lit(*l), false)).collect(),
                symbolic.iter().map(|p| tokens(p, false)).collect(),
            )
        })
    };
    for t in &a.model.trails {
        let Some((bucket, span)) = &t.bucket else {
            continue;
        };
        let Some(defined) = defined.get(bucket) else {
            continue;
        };
        let maybe_policy = bucket.as_str().is_some_and(|s| literal.contains(s))
            || exact.contains(bucket)
            || handed_to_opaque_code(&opaque, bucket)
            || {
                // `text_eq` of each name with the bucket, the names tokenized once.
                let (lits, syms) = names_tokens();
                let b = tokens(bucket, false);
                let eq = |name: &Vec<Tok>| tokens_eq(name, &b).maybe();
                (!bucket.is_known() && !literal.is_empty() && lits.iter().any(eq))
                    || syms.iter().any(eq)
            };
        if !maybe_policy {
            out.push(
                Finding::new(
                    &META,
                    *span,
                    format!("trail {} delivers to bucket {}, which has no bucket policy: CloudTrail cannot write to it", t.address, bucket),
                )
                .at(t.address.clone())
                .related(defined.span, "the bucket")
                .hint("add a bucket policy granting cloudtrail.amazonaws.com s3:GetBucketAcl and s3:PutObject (see `trailguard policy`)"),
            );
        }
    }
}

/// Names as tokens, one list per name.
type Patterns = Vec<Vec<Tok>>;

/// Whether the bucket's name (or ARN) is handed to code the scan cannot see — a registry or git
/// module, a nested stack — which may attach its policy.
fn handed_to_opaque_code(opaque: &Opaque<'_>, bucket: &Text) -> bool {
    opaque.0.contains(bucket) || opaque.1.contains(&bucket.to_string())
}

/// The values handed to code the scan cannot read, by hash: as they are, and the bucket names
/// ARNs among them end with (what follows `:::`).
type Opaque<'a> = (HashSet<&'a Text>, HashSet<String>);

fn opaque_values<'a>(a: &Analysis<'a>) -> Opaque<'a> {
    let exact = a.model.opaque.iter().collect();
    let tails = a
        .model
        .opaque
        .iter()
        .filter_map(|t| {
            let s = t.to_string();
            s.rfind(":::").map(|i| s[i + 3..].to_string())
        })
        .collect();
    (exact, tails)
}
