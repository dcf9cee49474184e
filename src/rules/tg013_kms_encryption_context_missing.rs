//! TG013 kms-encryption-context-missing: CloudTrail's `kms:GenerateDataKey*` grant is not tied
//! to a trail by `kms:EncryptionContext:aws:cloudtrail:arn` or `aws:SourceArn`.

use super::{Rule, RuleMeta};
use crate::aws::cloudtrail::GENERATE_DATA_KEY;
use crate::finding::{Finding, Level};
use crate::hint::Hint;
use crate::link::{Analysis, cloudtrail_grants};

pub static META: RuleMeta = RuleMeta {
    id: "TG013",
    name: "kms-encryption-context-missing",
    level: Level::Warning,
    summary: "A CloudTrail kms:GenerateDataKey* grant has neither the kms:EncryptionContext:aws:cloudtrail:arn condition nor aws:SourceArn.",
    security_severity: "5.5",
    json: true,
    tags: &["security", "cloudtrail", "kms", "confused-deputy"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG013.md"),
    check: Some(check),
};

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    for p in a
        .policies
        .iter()
        .filter(|p| p.policy.kind == crate::policy::PolicyKind::Key)
    {
        for g in cloudtrail_grants(p.statements(), GENERATE_DATA_KEY, true) {
            if g.conditions_open {
                continue;
            }
            let tied = g.conditions.iter().any(|c| {
                c.key_is("kms:EncryptionContext:aws:cloudtrail:arn") || c.key_is("aws:SourceArn")
            });
            if !tied {
                out.push(
                    Finding::new(
                        &META,
                        g.span,
                        "CloudTrail may use this key for any account's trail: the grant has no kms:EncryptionContext:aws:cloudtrail:arn or aws:SourceArn condition",
                    )
                    .at(super::stmt_address(&p.policy.address, g))
                    .hint_for(
                        g.span,
                        Hint::default().condition(
                            "StringLike",
                            "kms:EncryptionContext:aws:cloudtrail:arn",
                            "arn:PARTITION:cloudtrail:*:ACCOUNT:trail/*",
                            super::existing(g, "StringLike"),
                        ),
                    )
                    .fix_maybe(super::source_arn_fix(p, g)),
                );
            }
        }
    }
}
