//! TG000 unused-suppression: a `trailguard:ignore` that matches no finding. Applied by
//! [`crate::suppress`] after every other rule ran.

use super::{Rule, RuleMeta};
use crate::finding::{Finding, Level};
use crate::suppress::Unused;

pub static META: RuleMeta = RuleMeta {
    id: "TG000",
    name: "unused-suppression",
    level: Level::Note,
    summary: "An inline suppression that matches no finding.",
    security_severity: "0.0",
    json: false,
    tags: &["maintainability"],
};

pub static RULE: Rule = Rule {
    meta: &META,
    page: include_str!("../../rules/TG000.md"),
    check: None,
};

/// One finding per suppression that matched nothing, naming the rules it matched nothing of.
pub fn check(unused: &[Unused<'_>], findings: &mut Vec<Finding>) {
    for u in unused {
        findings.push(
            Finding::new(
                &META,
                u.suppression.span,
                format!(
                    "this suppression of {} matches no finding",
                    u.rules.join(", ")
                ),
            )
            .hint("remove the suppression, or move it to the line of the finding"),
        );
    }
}
