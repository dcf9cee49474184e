//! The rules. Each lives in its own file with its metadata beside its check; [`ALL`] lists them
//! once. Rules read the linked model only, never a frontend's syntax.

use crate::finding::Finding;
use crate::link::Analysis;

pub mod docs;
mod tg000_unused_suppression;
mod tg001_cloudtrail_principal_missing;
mod tg002_log_prefix_mismatch;
mod tg003_source_condition_missing;
mod tg004_bucket_owner_full_control_missing;
mod tg005_legacy_cloudtrail_account_principal;
mod tg006_kms_cloudtrail_access_missing;
mod tg007_source_condition_mismatch;
mod tg008_unknown_action;
mod tg009_deny_blocks_cloudtrail;
mod tg010_public_log_write;
mod tg011_log_bucket_policy_missing;
mod tg012_invalid_policy_document;
mod tg013_kms_encryption_context_missing;
pub(crate) mod tg100_log_delivery_denied;
mod tg101_log_delivery_source_condition_mismatch;
mod tg102_log_bucket_encryption_unsupported;
mod tg103_log_delivery_key_access_missing;
mod tg104_log_delivery_source_condition_missing;
mod tg105_log_bucket_acl_disabled;

pub use tg000_unused_suppression::{META as TG000, check as unused_suppressions};
pub use tg012_invalid_policy_document::META as TG012;

pub use crate::finding::RuleMeta;

/// A rule's check over the whole linked scan.
pub type Check = fn(&Analysis<'_>, &mut Vec<Finding>);

/// Every rule, in ID order, with its check (TG000 is applied after suppressions).
pub static ALL: &[(&RuleMeta, Option<Check>)] = &[
    (&tg000_unused_suppression::META, None),
    (
        &tg001_cloudtrail_principal_missing::META,
        Some(tg001_cloudtrail_principal_missing::check),
    ),
    (
        &tg002_log_prefix_mismatch::META,
        Some(tg002_log_prefix_mismatch::check),
    ),
    (
        &tg003_source_condition_missing::META,
        Some(tg003_source_condition_missing::check),
    ),
    (
        &tg004_bucket_owner_full_control_missing::META,
        Some(tg004_bucket_owner_full_control_missing::check),
    ),
    (
        &tg005_legacy_cloudtrail_account_principal::META,
        Some(tg005_legacy_cloudtrail_account_principal::check),
    ),
    (
        &tg006_kms_cloudtrail_access_missing::META,
        Some(tg006_kms_cloudtrail_access_missing::check),
    ),
    (
        &tg007_source_condition_mismatch::META,
        Some(tg007_source_condition_mismatch::check),
    ),
    (
        &tg008_unknown_action::META,
        Some(tg008_unknown_action::check),
    ),
    (
        &tg009_deny_blocks_cloudtrail::META,
        Some(tg009_deny_blocks_cloudtrail::check),
    ),
    (
        &tg010_public_log_write::META,
        Some(tg010_public_log_write::check),
    ),
    (
        &tg011_log_bucket_policy_missing::META,
        Some(tg011_log_bucket_policy_missing::check),
    ),
    (
        &tg012_invalid_policy_document::META,
        Some(tg012_invalid_policy_document::check),
    ),
    (
        &tg013_kms_encryption_context_missing::META,
        Some(tg013_kms_encryption_context_missing::check),
    ),
    (
        &tg100_log_delivery_denied::META,
        Some(tg100_log_delivery_denied::check),
    ),
    (
        &tg101_log_delivery_source_condition_mismatch::META,
        Some(tg101_log_delivery_source_condition_mismatch::check),
    ),
    (
        &tg102_log_bucket_encryption_unsupported::META,
        Some(tg102_log_bucket_encryption_unsupported::check),
    ),
    (
        &tg103_log_delivery_key_access_missing::META,
        Some(tg103_log_delivery_key_access_missing::check),
    ),
    (
        &tg104_log_delivery_source_condition_missing::META,
        Some(tg104_log_delivery_source_condition_missing::check),
    ),
    (
        &tg105_log_bucket_acl_disabled::META,
        Some(tg105_log_bucket_acl_disabled::check),
    ),
];

/// A rule by its ID (`TG002`) or its name (`log-prefix-mismatch`), case and surrounding
/// spaces ignored.
pub fn find(id: &str) -> Option<&'static RuleMeta> {
    let id = id.trim();
    ALL.iter()
        .map(|(m, _)| *m)
        .find(|m| m.id.eq_ignore_ascii_case(id) || m.name.eq_ignore_ascii_case(id))
}

/// The rule ID for an ID or name (as given when it names no rule).
pub fn canonical_id(id: &str) -> String {
    find(id).map_or_else(|| id.trim().to_string(), |m| m.id.to_string())
}

/// Position of a rule in [`ALL`] (SARIF `ruleIndex`).
pub fn index_of(id: &str) -> usize {
    ALL.iter().position(|(m, _)| m.id == id).unwrap_or(0)
}

/// What the statement's Condition already holds, for a hint that adds `op` to it.
pub(crate) fn existing(s: &crate::policy::Statement, op: &str) -> crate::hint::Existing {
    use crate::hint::Existing;
    if s.conditions.is_empty() {
        Existing::Nothing
    } else if s.conditions.iter().any(|c| c.op.eq_ignore_ascii_case(op)) {
        Existing::Operator
    } else {
        Existing::Block
    }
}

/// The statement's logical address within its policy.
pub(crate) fn stmt_address(policy_address: &str, s: &crate::policy::Statement) -> String {
    if policy_address.is_empty() {
        s.label()
    } else {
        format!("{policy_address}/{}", s.label())
    }
}

/// TG003 and TG013's fix: require `aws:SourceArn` = the ARN of the one trail from the scan
/// that delivers here (none when there are several or none).
pub(crate) fn source_arn_fix(
    p: &crate::link::PolicyCx<'_>,
    g: &crate::policy::Statement,
) -> Option<crate::fix::Intent> {
    use crate::fix::{Applicability, Change, Intent};
    let mut trails = p.trails.iter().filter(|t| !t.stand_in);
    let t = trails.next()?;
    if trails.next().is_some() || g.conditions.iter().any(|c| c.key_is("aws:SourceArn")) {
        return None;
    }
    Some(
        Intent::new(
            format!("require aws:SourceArn = the ARN of trail {}", t.label),
            Applicability::Unsafe,
            p.policy,
            g.span,
            Change::add_condition(g, "StringEquals", "aws:SourceArn", vec![t.arn.clone()]),
        )
        .from_attribute(t.defined_at, "name"),
    )
}

/// TG001 and TG006's fix: a statement added to the policy after its last one, as `trailguard
/// policy` writes it. Not when the policy has no statement to lay it out like.
pub(crate) fn add_statement_fix(
    p: &crate::link::PolicyCx<'_>,
    title: String,
    mut members: Vec<(String, crate::fix::V)>,
) -> Option<crate::fix::Intent> {
    use crate::fix::{Applicability, Change, Intent, V};
    let doc = &p.policy.doc;
    let (list, is_list) = doc.statement_list?;
    let last = doc.statements.last()?;
    // Sids are unique within a policy.
    if let Some((_, V::Str(sid))) = members.first()
        && doc
            .statements
            .iter()
            .any(|s| s.sid.as_deref() == sid.as_str())
    {
        members.remove(0);
    }
    Some(Intent::new(
        title,
        Applicability::Unsafe,
        p.policy,
        last.span,
        Change::AddStatement {
            list,
            is_list,
            items: doc.statements.iter().map(|s| s.span).collect(),
            statement: V::Map(members),
        },
    ))
}

/// `{"Service": "cloudtrail.amazonaws.com"}`, `"Allow"` and the like, as fix values.
pub(crate) fn lit(s: &str) -> crate::fix::V {
    crate::fix::V::Str(crate::value::Text::lit(s))
}

/// A fix value map from `(key, value)` pairs.
pub(crate) fn map(members: Vec<(&str, crate::fix::V)>) -> crate::fix::V {
    crate::fix::V::Map(
        members
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// A key reference that is a literal alias name: unique only in one account and Region, it
/// links no key of the scan with certainty.
pub(crate) fn literal_alias(key_ref: &crate::value::Text) -> bool {
    key_ref
        .as_str()
        .is_some_and(|r| r.starts_with("alias/") || r.contains(":alias/"))
}

/// Whether a key without a policy in the scan may still get one: a key-policy resource whose
/// key is unknown, or code the scan cannot see that is handed the key.
pub(crate) fn key_policy_may_exist(model: &crate::model::Model, key: &crate::model::Key) -> bool {
    model
        .policies
        .iter()
        .any(|p| p.kind == crate::policy::PolicyKind::Key && p.key.is_none() && p.key_ref.is_some())
        || model.opaque.iter().any(|o| key.idents.contains(o))
}
