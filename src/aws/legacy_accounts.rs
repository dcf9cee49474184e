//! The legacy per-Region CloudTrail accounts (data/legacy-cloudtrail-accounts.tsv).

use super::arn::Arn;
use crate::value::{Kind, Part, Text};
use std::sync::OnceLock;

static TABLE_TEXT: &str = include_str!("../../data/legacy-cloudtrail-accounts.tsv");

/// One row: partition, Region, account ID.
#[derive(Debug, Clone)]
pub struct LegacyAccount {
    pub partition: &'static str,
    pub region: &'static str,
    pub account: &'static str,
}

pub fn table() -> &'static [LegacyAccount] {
    static TABLE: OnceLock<Vec<LegacyAccount>> = OnceLock::new();
    TABLE.get_or_init(|| {
        TABLE_TEXT
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut it = l.split('\t');
                Some(LegacyAccount {
                    partition: it.next()?,
                    region: it.next()?,
                    account: it.next()?.trim(),
                })
            })
            .collect()
    })
}

pub fn is_legacy_account_id(id: &str) -> bool {
    table().iter().any(|r| r.account == id)
}

/// Whether a known string names a legacy CloudTrail account: its ID, or an ARN in it (its
/// fifth part, whatever follows).
pub fn names_legacy_account(s: &str) -> bool {
    is_legacy_account_id(s)
        || s.strip_prefix("arn:")
            .and_then(|r| r.split(':').nth(3))
            .is_some_and(is_legacy_account_id)
}

/// Whether a principal value is a legacy CloudTrail account: `arn:PARTITION:iam::ID:root`, a bare
/// ID, or Terraform's `data.aws_cloudtrail_service_account` (a symbol of that kind, or its ARN).
pub fn is_legacy_principal(value: &Text) -> bool {
    if let [Part::Sym(s)] = value.parts()
        && s.kind == Kind::LegacyCloudTrailAccount
    {
        return true;
    }
    if let Some(a) =
        Arn::of_text(value).filter(|a| a.is("iam") && a.resource.as_str() == Some("root"))
    {
        return match a.account.parts() {
            [Part::Sym(s)] => s.kind == Kind::LegacyCloudTrailAccount,
            _ => a.account.as_str().is_some_and(is_legacy_account_id),
        };
    }
    value.as_str().is_some_and(is_legacy_account_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Symbol;

    #[test]
    fn table_is_complete() {
        let t = table();
        assert_eq!(t.len(), 33);
        assert!(
            t.iter()
                .any(|r| r.region == "us-gov-east-1" && r.account == "886388586500")
        );
        assert!(
            t.iter()
                .any(|r| r.region == "us-gov-east-1" && r.account == "608710470296")
        );
        assert!(
            t.iter()
                .any(|r| r.partition == "aws-cn" && r.account == "193415116832")
        );
    }

    #[test]
    fn principal_forms() {
        assert!(is_legacy_principal(&Text::lit(
            "arn:aws:iam::086441151436:root"
        )));
        assert!(is_legacy_principal(&Text::lit("086441151436")));
        assert!(is_legacy_principal(&Text::lit(
            "arn:aws-cn:iam::193415116832:root"
        )));
        assert!(!is_legacy_principal(&Text::lit(
            "arn:aws:iam::111111111111:root"
        )));
        let mut t = Text::lit("arn:aws:iam::");
        t.push_sym(Symbol::new(Kind::LegacyCloudTrailAccount, "sa"));
        t.push_str(":root");
        assert!(is_legacy_principal(&t));
    }
}
