//! IAM actions: the catalog of real `s3:` and `kms:` actions (data/actions.txt) and
//! case-insensitive wildcard matching of policy actions against them.

use crate::value::Text;
use crate::value::Truth;
use crate::value::glob::{MatchOpts, lit_tokens, matches, tokens};
use std::collections::HashSet;
use std::sync::OnceLock;

static CATALOG_TEXT: &str = include_str!("../../data/actions.txt");

/// The real actions of the services trailguard checks, lowercased.
pub fn catalog() -> &'static [String] {
    static CATALOG: OnceLock<Vec<String>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        CATALOG_TEXT
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_ascii_lowercase)
            .collect()
    })
}

fn catalog_set() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| catalog().iter().map(String::as_str).collect())
}

const ACTION_OPTS: MatchOpts = MatchOpts {
    ignore_case: true,
    arn: false,
};

/// Does a policy's action value (`s3:Put*`, `*`, `${var}`) cover `action` (`s3:PutObject`)?
pub fn action_covers(pattern: &Text, action: &str) -> Truth {
    // A plain ASCII action (the usual case) is the action it names, whatever its case: what
    // matching would find, without building tokens.
    if let Some(p) = pattern.as_str()
        && p.len() <= 256
        && p.is_ascii()
        && action.is_ascii()
        && !p.contains(['*', '?'])
    {
        return Truth::from_bool(p.eq_ignore_ascii_case(action));
    }
    matches(&tokens(pattern, true), &lit_tokens(action), ACTION_OPTS)
}

/// The service prefix of a known action value, lowercased (`s3`, `kms`).
pub fn service_of(value: &Text) -> Option<String> {
    let s = value.known_prefix();
    let (svc, _) = s.split_once(':')?;
    Some(svc.to_ascii_lowercase())
}

/// Whether an `s3:`/`kms:` action value names no real action: it is fully known and no catalog
/// entry matches it, even through its wildcards. `None` when the value is not an s3/kms action.
pub fn is_unknown_action(value: &Text) -> Option<bool> {
    let s = value.as_str()?;
    let (svc, name) = s.split_once(':')?;
    let svc = svc.to_ascii_lowercase();
    if svc != "s3" && svc != "kms" {
        return None;
    }
    if name.is_empty() {
        return Some(true);
    }
    let lower = s.to_ascii_lowercase();
    if !lower.contains(['*', '?']) {
        return Some(!catalog_set().contains(lower.as_str()));
    }
    let pat = tokens(&Text::lit(s), true);
    let prefix = format!("{svc}:");
    let any = catalog()
        .iter()
        .filter(|a| a.starts_with(&prefix))
        .any(|a| matches(&pat, &lit_tokens(a), ACTION_OPTS).is_yes());
    Some(!any)
}

/// The one real action within edit distance 2 of `action` (case ignored), as the catalog
/// writes it (`s3:PutObjects` → `s3:PutObject`); `None` when there is none or several.
pub fn closest_action(action: &str) -> Option<&'static str> {
    if action.contains(['*', '?']) {
        return None;
    }
    let lower = action.to_ascii_lowercase();
    let (svc, _) = lower.split_once(':')?;
    let prefix = format!("{svc}:");
    let mut near = CATALOG_TEXT
        .lines()
        .map(str::trim)
        .filter(|l| l.to_ascii_lowercase().starts_with(&prefix))
        .filter(|l| strsim::levenshtein(&l.to_ascii_lowercase(), &lower) <= 2);
    let one = near.next()?;
    near.next().is_none().then_some(one)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut for plain actions answers what matching answers.
    #[test]
    fn plain_actions_cover_as_matching_says() {
        let patterns = [
            "s3:PutObject",
            "S3:PUTOBJECT",
            "s3:putobject",
            "s3:PutObjects",
            "s3:PutObjec",
            "s3:GetBucketAcl",
            "",
            "kms:GenerateDataKey",
            "s3:PutObject ",
            "s3:Put\u{212a}",
            "s3:\u{e9}",
        ];
        for p in patterns {
            for a in [
                "s3:PutObject",
                "s3:GetBucketAcl",
                "kms:GenerateDataKey",
                "s3:Putk",
            ] {
                let t = Text::lit(p);
                assert_eq!(
                    action_covers(&t, a),
                    matches(&tokens(&t, true), &lit_tokens(a), ACTION_OPTS),
                    "{p:?} covers {a:?}"
                );
            }
        }
    }

    #[test]
    fn the_one_close_action_is_found() {
        assert_eq!(closest_action("s3:PutObjects"), Some("s3:PutObject"));
        assert_eq!(closest_action("S3:getbucketacls"), Some("s3:GetBucketAcl"));
        assert_eq!(
            closest_action("kms:GenerateDataKy"),
            Some("kms:GenerateDataKey")
        );
        // Two candidates within reach (kms:Decrypt, kms:Encrypt): none.
        assert_eq!(closest_action("kms:Xcrypt"), None);
        assert_eq!(closest_action("kms:DecryptDataKey"), None);
        assert_eq!(closest_action("s3:Put*"), None);
    }

    #[test]
    fn catalog_has_the_actions_cloudtrail_needs() {
        for a in [
            "s3:putobject",
            "s3:getbucketacl",
            "s3:listbucket",
            "kms:generatedatakey",
            "kms:reencryptfrom",
            "kms:decrypt",
        ] {
            assert!(catalog().iter().any(|c| c == a), "{a}");
        }
        assert!(!catalog().iter().any(|c| c == "kms:decryptdatakey"));
    }

    #[test]
    fn unknown_actions() {
        let u = |s: &str| is_unknown_action(&Text::lit(s));
        assert_eq!(u("kms:DecryptDataKey"), Some(true));
        assert_eq!(u("s3:PutObjects"), Some(true));
        assert_eq!(u("s3:putobject"), Some(false));
        assert_eq!(u("kms:GenerateDataKey*"), Some(false));
        assert_eq!(u("s3:Foo*"), Some(true));
        assert_eq!(u("s3:*"), Some(false));
        assert_eq!(u("sqs:SendMessage"), None);
        assert_eq!(u("*"), None);
    }

    #[test]
    fn covering() {
        assert_eq!(
            action_covers(&Text::lit("s3:Put*"), "s3:PutObject"),
            Truth::Yes
        );
        assert_eq!(
            action_covers(&Text::lit("S3:PUTOBJECT"), "s3:PutObject"),
            Truth::Yes
        );
        assert_eq!(
            action_covers(&Text::lit("s3:GetBucket*"), "s3:PutObject"),
            Truth::No
        );
        assert_eq!(
            action_covers(&Text::unknown("v"), "s3:PutObject"),
            Truth::Unknown
        );
    }
}
