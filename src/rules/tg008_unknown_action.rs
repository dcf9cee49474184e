//! TG008 unknown-action: an `s3:` or `kms:` action that does not exist (`kms:DecryptDataKey`,
//! `s3:PutObjects`) and matches no real one through its wildcards: it grants nothing.

use super::{Rule, RuleMeta};
use crate::aws::actions::{closest_action, is_unknown_action};
use crate::finding::{Finding, Level};
use crate::fix::{Applicability, Change, Intent};
use crate::link::Analysis;
use crate::value::Text;
use std::collections::HashMap;

pub static META: RuleMeta = RuleMeta {
    id: "TG008",
    name: "unknown-action",
    level: Level::Error,
    summary: "An s3: or kms: action in a bucket or key policy does not exist and no wildcard makes it match a real one.",
    security_severity: "4.0",
    json: true,
    tags: &["correctness", "s3", "kms"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG008.md"),
    check: Some(check),
};

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    // Wildcard actions are matched against the whole catalog: once per distinct value.
    let mut seen: HashMap<String, Option<bool>> = HashMap::new();
    for p in a.policies {
        for s in p.statements() {
            let Some(act) = &s.action else { continue };
            for it in &act.items {
                let unknown = match it.text.as_str() {
                    Some(s) => *seen
                        .entry(s.to_string())
                        .or_insert_with(|| is_unknown_action(&it.text)),
                    None => is_unknown_action(&it.text),
                };
                if unknown == Some(true) {
                    out.push(
                        Finding::new(
                            &META,
                            it.span,
                            format!("{} is not an IAM action: it grants (or denies) nothing", it.text),
                        )
                        .at(super::stmt_address(&p.policy.address, s))
                        .hint("use a real action name, e.g. kms:Decrypt, kms:GenerateDataKey*, s3:PutObject")
                        .fix_maybe(it.text.as_str().and_then(closest_action).map(|real| {
                            Intent::new(
                                format!("replace by {real}"),
                                Applicability::Safe,
                                p,
                                s.span,
                                Change::Replace {
                                    at: it.span,
                                    with: Text::lit(real),
                                },
                            ).portable()
                        })),
                    );
                }
            }
        }
    }
}
