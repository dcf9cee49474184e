//! TG104 log-delivery-source-condition-missing: a log source in the scan delivers to the bucket,
//! and the bucket policy's `s3:PutObject` grant to its service principal (`config`,
//! `delivery.logs`, `logging.s3`) has no `aws:SourceAccount`/`aws:SourceArn` condition under a
//! positive operator, which AWS recommends against the confused deputy. Not for the ELB
//! principals, for which AWS documents none.

use super::{Rule, RuleMeta};
use crate::aws::cloudtrail::PUT_OBJECT;
use crate::aws::conditions::{Operator, pins_source};
use crate::aws::logdelivery::{names_service, service_principal};
use crate::finding::{Finding, Level};
use crate::link::{Analysis, covers_action};
use crate::model::SourceKind;

pub static META: RuleMeta = RuleMeta {
    id: "TG104",
    name: "log-delivery-source-condition-missing",
    level: Level::Warning,
    summary: "The bucket policy's s3:PutObject grant to a log source's service principal (config, delivery.logs, logging.s3) has no aws:SourceAccount or aws:SourceArn condition.",
    security_severity: "5.5",
    json: false,
    tags: &["security", "logging", "s3", "confused-deputy"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG104.md"),
    check: Some(check),
};

/// The sources whose principal AWS documents the confused-deputy conditions for.
fn documented(kind: SourceKind) -> bool {
    matches!(
        kind,
        SourceKind::Config | SourceKind::Nlb | SourceKind::FlowLogs | SourceKind::S3AccessLogs
    )
}

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    for p in a.log_bucket_policies()
    {
        let mut services: Vec<(&str, &crate::model::LogSource)> = vec![];
        for s in a.model.sources_to(&p.bucket).filter(|s| documented(s.kind)) {
            if let Some(svc) = service_principal(s.kind)
                && !services.iter().any(|(x, _)| *x == svc)
            {
                services.push((svc, s));
            }
        }
        for (svc, source) in services {
            // A Deny of the service's writes from other accounts or sources pins the writer too.
            let pinned_by_deny = p.statements().iter().any(|d| {
                d.is_deny()
                    && d.principal
                        .as_ref()
                        .is_some_and(|pr| !names_service(pr, svc).is_no())
                    && d.conditions.iter().any(|c| {
                        (c.key_is("aws:SourceAccount") || c.key_is("aws:SourceArn"))
                            && Operator::parse(&c.op).is_some_and(|o| o.is_negated())
                    })
            });
            if pinned_by_deny {
                continue;
            }
            for g in p.statements().iter().filter(|g| {
                g.is_allow()
                    && !g.conditions_open
                    && g.principal
                        .as_ref()
                        .is_some_and(|pr| names_service(pr, svc).is_yes())
                    && covers_action(g, PUT_OBJECT).is_yes()
            }) {
                let protected = g.conditions.iter().any(pins_source);
                if protected {
                    continue;
                }
                out.push(
                    Finding::new(
                        &META,
                        g.span,
                        format!(
                            "{svc} may write here on behalf of any account: its s3:PutObject grant has no aws:SourceAccount or aws:SourceArn condition"
                        ),
                    )
                    .at(super::stmt_address(&p.policy.address, g))
                    .related(
                        source.span,
                        format!("{} delivers its {} here", source.address, source.kind.describe()),
                    )
                    .hint("add a StringEquals aws:SourceAccount condition with the delivering account (and an ArnLike aws:SourceArn for the source)"),
                );
            }
        }
    }
}
