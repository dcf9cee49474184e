//! TG000 unused-suppression: a `trailguard:ignore` that matches no finding. Applied by
//! [`crate::suppress`] after every other rule ran.

use super::RuleMeta;
use crate::report::Level;

pub static META: RuleMeta = RuleMeta {
    id: "TG000",
    name: "unused-suppression",
    level: Level::Note,
    summary: "An inline suppression that matches no finding.",
    security_severity: "0.0",
    tags: &["maintainability"],
};
