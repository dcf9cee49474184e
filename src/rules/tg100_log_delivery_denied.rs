//! TG100 log-delivery-denied: a log source in the scan delivers to a bucket whose policy lets it
//! not perform an action it needs on the path it writes — judged over all the grants together —
//! or a Deny blocks it. Sources judged: NLB access logs and VPC Flow Logs
//! (`delivery.logs.amazonaws.com`: `s3:GetBucketAcl` on the bucket, `s3:PutObject` under
//! `[PREFIX/]AWSLogs/ACCOUNT/`), ALB and Classic LB access logs (the service principal or a
//! legacy ELB account: `s3:PutObject` under `[PREFIX/]AWSLogs/ACCOUNT/`), S3 server access logs
//! (`logging.s3.amazonaws.com`: `s3:PutObject` under the target prefix, unless the bucket's
//! ACL grants the LogDelivery group).

use super::{Rule, RuleMeta};
use crate::aws::logdelivery::principal_writes;
use crate::finding::{Finding, Level};
use crate::link::{Analysis, PolicyCx, Resources, covers_action, is_allow};
use crate::model::{LogSource, SourceKind};
use crate::policy::Statement;
use crate::value::Truth;
use crate::value::glob::shown;

pub static META: RuleMeta = RuleMeta {
    id: "TG100",
    name: "log-delivery-denied",
    level: Level::Error,
    summary: "A log source in the scan (load balancer access logs, VPC Flow Logs, S3 server access logs) delivers to a bucket whose policy does not let it write what it writes, or denies it.",
    security_severity: "7.5",
    json: false,
    tags: &["availability", "logging", "s3"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG100.md"),
    check: Some(check),
};

fn writes(g: &Statement, s: &LogSource) -> Truth {
    g.principal.as_ref().map_or(Truth::No, |p| {
        principal_writes(p, s.kind, s.region.as_deref())
    })
}

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    for p in a.log_bucket_policies().filter(|p| !p.policy.doc.open)
    {
        // Each statement's resources tokenized once for every source delivering here.
        let mut resources: Option<Vec<Resources>> = None;
        for s in a.model.sources_to(&p.bucket) {
            // S3 server access logs may be granted by the bucket's ACL instead: judged only
            // when the scan defines the bucket, and its ACL certainly grants nothing.
            if s.kind == SourceKind::S3AccessLogs {
                let mut bs = a.model.buckets_named(&s.bucket).peekable();
                let acl_free = bs.peek().is_some() && bs.all(|b| b.log_delivery_acl.0.is_no());
                if !acl_free {
                    continue;
                }
            }
            let resources =
                resources.get_or_insert_with(|| p.statements().iter().map(Resources::of).collect());
            check_source(p, s, resources, out);
        }
    }
}

fn check_source(p: &PolicyCx<'_>, s: &LogSource, resources: &[Resources], out: &mut Vec<Finding>) {
    let stmts = p.statements();
    for (action, paths) in crate::aws::logdelivery::needs(s, &p.bucket) {
        // An Effect that is unknown may be Allow. The resources are compared only for a
        // statement that may grant the action to the service at all.
        let granted = Truth::any(stmts.iter().zip(resources).flat_map(|(g, r)| {
            let may = is_allow(g)
                .and(writes(g, s))
                .and(covers_action(g, action));
            paths.iter().map(move |path| {
                if may.is_no() {
                    Truth::No
                } else {
                    may.and(r.covers(path))
                }
            })
        }));
        if granted.is_no() {
            let first = stmts.iter().find(|g| {
                g.is_allow() && writes(g, s).is_yes() && covers_action(g, action).is_yes()
            });
            let at = first
                .and_then(|g| g.resource.as_ref().map(|r| r.value_span))
                .unwrap_or(p.policy.span);
            out.push(
                Finding::new(
                    &META,
                    at,
                    format!(
                        "the bucket policy does not let {} perform {action} on {}, so delivery fails",
                        s.kind.describe(),
                        shown(&paths[0])
                    ),
                )
                .at(first.map_or_else(
                    || p.policy.address.clone(),
                    |g| super::stmt_address(&p.policy.address, g),
                ))
                .related(s.span, format!("{} delivers its {} here", s.address, s.kind.describe()))
                .hint(match s.kind {
                    SourceKind::S3AccessLogs => "allow logging.s3.amazonaws.com s3:PutObject on arn:PARTITION:s3:::BUCKET/TARGET_PREFIX*".to_string(),
                    SourceKind::Alb | SourceKind::ClassicElb => {
                        let account = s.region.as_deref().and_then(|r| {
                            crate::aws::logdelivery::elb_regions()
                                .iter()
                                .find(|x| x.region == r && x.verified)
                                .map(|x| (r, x.partition, x.account))
                        });
                        match account {
                            Some((r, part, Some(id))) => format!("allow {r}'s legacy ELB account arn:{part}:iam::{id}:root (or logdelivery.elasticloadbalancing.amazonaws.com) s3:PutObject on arn:PARTITION:s3:::BUCKET/[PREFIX/]AWSLogs/ACCOUNT/*"),
                            Some((r, _, None)) => format!("allow logdelivery.elasticloadbalancing.amazonaws.com (in {r} there is no legacy ELB account) s3:PutObject on arn:PARTITION:s3:::BUCKET/[PREFIX/]AWSLogs/ACCOUNT/*"),
                            None => "allow logdelivery.elasticloadbalancing.amazonaws.com (or the Region's legacy ELB account) s3:PutObject on arn:PARTITION:s3:::BUCKET/[PREFIX/]AWSLogs/ACCOUNT/*".to_string(),
                        }
                    }
                    _ => format!("allow delivery.logs.amazonaws.com {action} on the bucket ARN (s3:GetBucketAcl) and arn:PARTITION:s3:::BUCKET/[PREFIX/]AWSLogs/ACCOUNT/* (s3:PutObject)"),
                }),
            );
        }
        // A Deny without conditions that matches the delivery blocks it.
        for (d, _) in stmts.iter().zip(resources).filter(|(d, r)| {
            d.is_deny()
                && d.guard.compatible(&s.guard)
                && d.conditions.is_empty()
                && !d.conditions_open
                && d.guard.is_always()
                && writes(d, s).is_yes()
                && covers_action(d, action).is_yes()
                && paths.iter().any(|path| r.covers(path).is_yes())
        }) {
            out.push(
                Finding::new(
                    &META,
                    d.span,
                    format!(
                        "this Deny applies to the {action} request of {}, so delivery is blocked",
                        s.kind.describe()
                    ),
                )
                .at(super::stmt_address(&p.policy.address, d))
                .related(
                    s.span,
                    format!("{} delivers its {} here", s.address, s.kind.describe()),
                )
                .hint("exclude the delivering service from the Deny, or remove it"),
            );
        }
    }
}
