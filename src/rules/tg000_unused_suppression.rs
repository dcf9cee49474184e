//! TG000 unused-suppression: a `trailguard:ignore` that matches no finding. Applied by
//! [`crate::suppress`] after every other rule ran.

use super::RuleMeta;
use crate::finding::{Finding, Level};
use crate::suppress::Unused;

pub static META: RuleMeta = RuleMeta {
    id: "TG000",
    name: "unused-suppression",
    level: Level::Note,
    summary: "An inline suppression that matches no finding.",
    security_severity: "0.0",
    tags: &["maintainability"],
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
