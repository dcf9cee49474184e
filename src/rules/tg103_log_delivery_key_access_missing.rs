//! TG103 log-delivery-key-access-missing: an SSE-KMS log bucket's key (in the scan) does not let
//! a KMS-capable log source's service principal use it: `delivery.logs.amazonaws.com` (NLB
//! access logs, VPC Flow Logs, CloudFront standard logging) needs `kms:GenerateDataKey*`
//! (logdelivery.md §3, §5, §7). A key with no policy has AWS's default key policy, which grants
//! no service. AWS Config's grants are not judged: Config writes with the recorder's role first.

use super::{Rule, RuleMeta};
use crate::aws::logdelivery::admits_service;
use crate::finding::{Finding, Level};
use crate::link::{Analysis, covers_action, is_allow};
use crate::model::SourceKind;
use std::collections::HashMap;

pub static META: RuleMeta = RuleMeta {
    id: "TG103",
    name: "log-delivery-key-access-missing",
    level: Level::Error,
    summary: "An SSE-KMS log bucket's key does not let the service principal of a log source that encrypts with it (delivery.logs.amazonaws.com) use it.",
    security_severity: "7.5",
    json: false,
    tags: &["availability", "logging", "kms"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG103.md"),
    check: Some(check),
};

const DELIVERY_LOGS: &str = "delivery.logs.amazonaws.com";
const ACTION: &str = "kms:GenerateDataKey";

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    if !a.first || a.model.sources.is_empty() {
        return;
    }
    let mut keys: HashMap<&crate::value::Text, usize> = HashMap::new();
    for (i, k) in a.model.keys.iter().enumerate() {
        for id in &k.idents {
            keys.entry(id).or_insert(i);
        }
    }
    // Each key's policy (the first of the scan), by key: not a search of every policy per key.
    let mut key_policies: HashMap<usize, &crate::link::PolicyCx<'_>> = HashMap::new();
    for p in a.all {
        if let Some(ki) = p.policy.key {
            key_policies.entry(ki).or_insert(p);
        }
    }
    let elsewhere = super::KeyPolicyElsewhere::new(a.model);
    let mut seen = std::collections::HashSet::new();
    for s in a.model.sources.iter().filter(|s| {
        matches!(
            s.kind,
            SourceKind::Nlb | SourceKind::FlowLogs | SourceKind::CloudFront
        ) || s.kind == SourceKind::Config && s.service_linked.is_yes()
    }) {
        // delivery.logs needs kms:GenerateDataKey*; Config kms:GenerateDataKey and kms:Decrypt.
        let (service, actions): (&str, &[&str]) = if s.kind == SourceKind::Config {
            (
                "config.amazonaws.com",
                &["kms:GenerateDataKey", "kms:Decrypt"],
            )
        } else {
            (DELIVERY_LOGS, &[ACTION])
        };
        for b in a.model.buckets_named(&s.bucket) {
            let (Some((kms, _, guard)), Some(key_ref)) = (&b.kms_default, &b.kms_key) else {
                continue;
            };
            // An alias name is unique only in one account and Region: a literal one links
            // nothing with certainty.
            if super::literal_alias(key_ref) {
                continue;
            }
            let Some(&ki) = keys.get(key_ref) else {
                continue;
            };
            if !kms.is_yes() || !s.guard.compatible(guard) || !seen.insert((ki, s.kind)) {
                continue;
            }
            let key = &a.model.keys[ki];
            let policy = key_policies.get(&ki).copied();
            let at = match policy {
                // Its grants, judged together (an Effect that is unknown may be Allow).
                Some(p) if !p.policy.doc.open => {
                    let granted = |action: &str| {
                        crate::value::Truth::any(p.policy.doc.statements.iter().map(|st| {
                            is_allow(st)
                                .and(st.principal.as_ref().map_or(crate::value::Truth::No, |pr| {
                                    admits_service(pr, service)
                                }))
                                .and(covers_action(st, action))
                        }))
                    };
                    if !actions.iter().any(|a| granted(a).is_no()) {
                        continue;
                    }
                    p.policy.span
                }
                Some(_) => continue,
                // Not when its policy may be attached elsewhere.
                None if !key.has_policy && !elsewhere.may_exist(key) => key.span,
                None => continue,
            };
            out.push(
                Finding::new(
                    &META,
                    at,
                    format!(
                        "key {} encrypts bucket {} by default, but does not let {service} call {}, so {} cannot be written",
                        key.address,
                        b.address,
                        actions.join(" and "),
                        s.kind.describe()
                    ),
                )
                .at(key.address.clone())
                .related(s.span, format!("{} delivers its {} here", s.address, s.kind.describe()))
                .hint(format!("allow {service} {} on the key, scoped with aws:SourceAccount", actions.join(" and "))),
            );
        }
    }
}
