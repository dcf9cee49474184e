//! TG012 invalid-policy-document: a policy or template that cannot be parsed, or a bucket or key
//! policy that breaks the IAM policy grammar.

use super::{Rule, RuleMeta};
use crate::finding::{Finding, Level};
use crate::link::Analysis;

pub static META: RuleMeta = RuleMeta {
    id: "TG012",
    name: "invalid-policy-document",
    level: Level::Error,
    summary: "A policy document or template cannot be parsed, or violates the policy grammar (Statement, Effect, Version, Principal/Action/Resource pairs).",
    security_severity: "4.0",
    json: true,
    tags: &["correctness"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG012.md"),
    check: Some(check),
};

pub fn check(a: &Analysis<'_>, out: &mut Vec<Finding>) {
    for e in a.model.parse_errors.iter().filter(|_| a.first) {
        out.push(
            Finding::new(&META, e.span, e.message.clone())
                .hint("fix the syntax error; nothing in this file was checked"),
        );
    }
    for p in a.policies {
        for g in &p.policy.doc.grammar {
            out.push(
                Finding::new(&META, g.span, g.message.clone())
                    .at(p.policy.address.clone())
                    .hint("AWS rejects this policy; see the IAM JSON policy grammar"),
            );
        }
    }
}
