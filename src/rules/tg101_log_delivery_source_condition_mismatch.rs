//! TG101 log-delivery-source-condition-mismatch: an `aws:SourceAccount`/`aws:SourceArn`
//! condition on a log source's grant excludes the source — another account; for
//! `delivery.logs.amazonaws.com` a SourceArn whose service is not `logs` or whose account is not
//! the source's (its Region is not judged); for S3 server access logs not the source bucket's
//! ARN — or can match nothing (`*` under `StringEquals`). AWS Config is not judged yet.

use super::{Rule, RuleMeta};
use crate::aws::conditions::{eval_condition, pins_source};
use crate::aws::logdelivery::{names_service, service_principal};
use crate::finding::{Finding, Level};
use crate::link::{Analysis, Resources, covers_action};
use crate::model::SourceKind;

pub static META: RuleMeta = RuleMeta {
    id: "TG101",
    name: "log-delivery-source-condition-mismatch",
    level: Level::Error,
    summary: "An aws:SourceAccount or aws:SourceArn condition on a log source's grant excludes the source (another account, another service, another source bucket), or can match nothing.",
    security_severity: "7.5",
    json: false,
    tags: &["availability", "logging", "s3"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG101.md"),
    check: Some(check),
};

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    let mut seen = std::collections::HashSet::new();
    let any = crate::aws::logdelivery::any_request();
    for p in a.log_bucket_policies().filter(|p| !p.policy.doc.open)
    {
        // Each statement's resources tokenized once for every source delivering here, and
        // each service's literal-mismatch check done once.
        let mut resources: Option<Vec<Resources>> = None;
        let mut services_done: Vec<&str> = vec![];
        for s in a.model.sources_to(&p.bucket) {
            let (Some(svc), Some(req)) = (
                service_principal(s.kind),
                crate::aws::logdelivery::request(s),
            ) else {
                continue;
            };
            let related = format!("{} delivers its {} here", s.address, s.kind.describe());
            let resources =
                resources.get_or_insert_with(|| p.statements().iter().map(Resources::of).collect());
            let grants: Vec<(&crate::policy::Statement, &Resources)> = p
                .statements()
                .iter()
                .zip(resources.iter())
                .filter(|(g, _)| {
                    g.is_allow()
                        && !g.conditions_open
                        && g.principal
                            .as_ref()
                            .is_some_and(|pr| names_service(pr, svc).is_yes())
                })
                .collect();
            // Values no source can match (the same for every source of this service).
            let first_of_service = !services_done.contains(&svc);
            if first_of_service {
                services_done.push(svc);
            }
            for (g, _) in grants.iter().filter(|_| first_of_service) {
                for c in g.conditions.iter().filter(|c| pins_source(c)) {
                    if eval_condition(c, &any).is_no() && seen.insert(c.value_span) {
                        out.push(
                            Finding::new(
                                &META,
                                c.value_span,
                                format!(
                                    "{} {} can match no source at all: {} compares literally",
                                    c.op, c.key, c.op
                                ),
                            )
                            .at(super::stmt_address(&p.policy.address, g))
                            .related(s.span, related.clone())
                            .hint("use the source's account and ARN, with StringLike or ArnLike for patterns"),
                        );
                    }
                }
            }
            // Values that exclude this source, judged over the grants that cover what it
            // writes: each of them must exclude it (grants add up).
            for (action, paths) in crate::aws::logdelivery::needs(s, &p.bucket) {
                let covering: Vec<&crate::policy::Statement> = grants
                    .iter()
                    .filter(|(g, r)| {
                        covers_action(g, action).is_yes()
                            && paths.iter().any(|path| r.may_cover(path))
                    })
                    .map(|(g, _)| *g)
                    .collect();
                let failing: Vec<Option<&crate::policy::Condition>> = covering
                    .iter()
                    .map(|g| {
                        g.conditions
                            .iter()
                            .find(|c| pins_source(c) && eval_condition(c, &req).is_no())
                    })
                    .collect();
                if covering.is_empty() || !failing.iter().all(Option::is_some) {
                    continue;
                }
                let (g, c) = (covering[0], failing[0].expect("checked"));
                if !seen.insert(c.value_span) {
                    continue;
                }
                out.push(
                    Finding::new(
                        &META,
                        c.value_span,
                        format!(
                            "{} {} excludes {} ({}), so its {action} is denied",
                            c.op,
                            c.key,
                            s.kind.describe(),
                            s.address
                        ),
                    )
                    .at(super::stmt_address(&p.policy.address, g))
                    .related(s.span, related.clone())
                    .hint(match s.kind {
                        SourceKind::S3AccessLogs => "name the source bucket's ARN (arn:PARTITION:s3:::SOURCE-BUCKET) and its account; use ArnLike or StringLike for patterns",
                        _ => "name the source's account and arn:PARTITION:logs:REGION:ACCOUNT:*; use ArnLike or StringLike for patterns",
                    }),
                );
            }
        }
    }
}
