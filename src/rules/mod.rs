//! The rules. Each lives in its own file with its metadata beside its check; [`ALL`] lists them
//! once. Rules read the linked model only, never a frontend's syntax.

use crate::finding::Finding;
use crate::link::Analysis;

pub mod docs;

pub use tg000_unused_suppression::{META as TG000, check as unused_suppressions};
pub use tg012_invalid_policy_document::META as TG012;

pub use crate::finding::RuleMeta;

/// A rule's check over the whole linked scan.
pub type Check = fn(&Analysis<'_>, &mut Vec<Finding>);

/// A rule: its metadata, its page (`rules/TGnnn.md`, for `explain` and SARIF help) and its
/// check (none for TG000, which is applied after suppressions).
pub struct Rule {
    pub meta: &'static RuleMeta,
    pub page: &'static str,
    pub check: Option<Check>,
}

// The rule modules and `ALL`, from the files of this directory (see build.rs).
include!(concat!(env!("OUT_DIR"), "/rules.rs"));

/// A rule by its ID (`TG002`) or its name (`log-prefix-mismatch`), case and surrounding
/// spaces ignored.
pub fn find(id: &str) -> Option<&'static RuleMeta> {
    let id = id.trim();
    ALL.iter()
        .map(|r| r.meta)
        .find(|m| m.id.eq_ignore_ascii_case(id) || m.name.eq_ignore_ascii_case(id))
}

/// The rule ID for an ID or name (as given when it names no rule).
pub fn canonical_id(id: &str) -> String {
    find(id).map_or_else(|| id.trim().to_string(), |m| m.id.to_string())
}

/// Position of a rule in [`ALL`] (SARIF `ruleIndex`).
pub fn index_of(id: &str) -> usize {
    ALL.iter().position(|r| r.meta.id == id).unwrap_or(0)
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
            p,
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
        p,
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

/// What tells whether a key without a policy in the scan may still get one, found once per
/// scan: a key-policy resource whose key is unknown, or the values handed to code the scan
/// cannot see.
pub(crate) struct KeyPolicyElsewhere<'m> {
    unresolved_policy: bool,
    opaque: std::collections::HashSet<&'m crate::value::Text>,
}

impl<'m> KeyPolicyElsewhere<'m> {
    pub(crate) fn new(model: &'m crate::model::Model) -> Self {
        KeyPolicyElsewhere {
            unresolved_policy: model.policies.iter().any(|p| {
                p.kind == crate::policy::PolicyKind::Key && p.key.is_none() && p.key_ref.is_some()
            }),
            opaque: model.opaque.iter().collect(),
        }
    }

    /// Whether `key` may get a policy the scan does not attach to it: some key policy names
    /// an unknown key, or invisible code is handed one of the key's names.
    pub(crate) fn may_exist(&self, key: &crate::model::Key) -> bool {
        self.unresolved_policy
            || key.idents.iter().any(|id| self.opaque.contains(id))
            || key
                .aliases
                .iter()
                .any(|(name, _)| self.opaque.contains(name))
    }
}
