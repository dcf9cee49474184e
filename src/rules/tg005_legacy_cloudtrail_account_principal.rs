//! TG005 legacy-cloudtrail-account-principal: a principal is one of the legacy per-Region
//! CloudTrail accounts, which only deliver for the Regions they belong to.

use super::{Rule, RuleMeta};
use crate::aws::legacy_accounts::is_legacy_principal;
use crate::finding::{Finding, Level};
use crate::fix::{Applicability, Change, Intent};
use crate::hint::Hint;
use crate::link::Analysis;
use crate::policy::PolicyKind;

pub static META: RuleMeta = RuleMeta {
    id: "TG005",
    name: "legacy-cloudtrail-account-principal",
    level: Level::Warning,
    summary: "A principal is a legacy per-Region CloudTrail AWS account, which only covers the listed Regions; use the service principal cloudtrail.amazonaws.com.",
    security_severity: "5.5",
    json: true,
    tags: &["security", "cloudtrail", "s3", "legacy"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG005.md"),
    check: Some(check),
};

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    for p in a
        .policies
        .iter()
        .filter(|p| p.policy.kind == PolicyKind::Bucket)
    {
        for s in p.statements() {
            let Some(pr) = &s.principal else { continue };
            if pr.negated {
                continue;
            }
            let legacy: Vec<_> = pr
                .entries
                .iter()
                .filter(|e| (e.ptype == "AWS") && is_legacy_principal(&e.item.text))
                .collect();
            if let Some(first) = legacy.first() {
                out.push(
                    Finding::new(
                        &META,
                        pr.span(),
                        format!(
                            "{} is a legacy per-Region CloudTrail account; trails in other Regions cannot deliver through it",
                            first.item.text
                        ),
                    )
                    .at(super::stmt_address(&p.policy.address, s))
                    .hint_for(
                        s.span,
                        Hint::default()
                            .text("replace the account with ")
                            .service_principal("cloudtrail.amazonaws.com"),
                    )
                    .fix_maybe((legacy.len() == pr.entries.len()).then(|| {
                        Intent::new(
                            "replace the legacy account by the service principal cloudtrail.amazonaws.com",
                            Applicability::Unsafe,
                            p,
                            s.span,
                            Change::ServicePrincipal {
                                value: pr.value_span,
                                service: "cloudtrail.amazonaws.com".into(),
                            },
                        ).portable()
                    })),
                );
            }
        }
    }
}
