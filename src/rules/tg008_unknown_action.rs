//! TG008 unknown-action: an `s3:` or `kms:` action that does not exist (`kms:DecryptDataKey`,
//! `s3:PutObjects`) and matches no real one through its wildcards: it grants nothing.

use super::RuleMeta;
use crate::aws::actions::is_unknown_action;
use crate::link::Analysis;
use crate::report::{Finding, Level};

pub static META: RuleMeta = RuleMeta {
    id: "TG008",
    name: "unknown-action",
    level: Level::Error,
    summary: "An s3: or kms: action in a bucket or key policy does not exist and no wildcard makes it match a real one.",
    security_severity: "4.0",
    tags: &["correctness", "s3", "kms"],
};

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    for p in &a.policies {
        for s in p.statements() {
            let Some(act) = &s.action else { continue };
            for it in &act.items {
                if is_unknown_action(&it.text) == Some(true) {
                    out.push(
                        Finding::new(
                            &META,
                            it.span,
                            format!("{} is not an IAM action: it grants (or denies) nothing", it.text),
                        )
                        .at(super::stmt_address(&p.policy.address, s))
                        .hint("use a real action name, e.g. kms:Decrypt, kms:GenerateDataKey*, s3:PutObject"),
                    );
                }
            }
        }
    }
}
