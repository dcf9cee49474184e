//! What CloudTrail does when it delivers: the trails a policy serves, the requests CloudTrail
//! makes (`s3:GetBucketAcl`, `s3:PutObject`, `kms:GenerateDataKey`) with their condition keys
//! (domain.md §7), the object paths it writes, and who "CloudTrail" is in a Principal.

use super::arn::{self, Arn};
use super::conditions::{KeyValue, Request};
use super::legacy_accounts::is_legacy_principal;
use crate::policy::{PrincipalElement, Statement};
use crate::source::Span;
use crate::value::Truth;
use crate::value::glob::{Tok, tokens};
use crate::value::{Kind, Part, Symbol, Text};

pub const GET_BUCKET_ACL: &str = "s3:GetBucketAcl";
pub const PUT_OBJECT: &str = "s3:PutObject";
pub const GENERATE_DATA_KEY: &str = "kms:GenerateDataKey";

/// A trail as the rules see it: one defined in the scan, or one a policy's `aws:SourceArn`
/// stands in for.
#[derive(Clone, Debug)]
pub struct TrailRef {
    pub arn: Text,
    pub account: Text,
    pub partition: Text,
    pub org_id: Option<Text>,
    pub is_org: Truth,
    /// Candidate paths between the bucket and `AWSLogs/`, each ending in `/` or empty. A trail
    /// from the scan has exactly one; a stand-in has those its policy's resources use.
    pub prefixes: Vec<Vec<Tok>>,
    /// Where the trail is defined (for related locations), when it is in the scan.
    pub defined_at: Option<Span>,
    pub label: String,
    pub stand_in: bool,
    /// The deploy-time condition the trail (or, for a stand-in, the statement naming it)
    /// exists under.
    pub guard: crate::guard::Guard,
}

impl TrailRef {
    /// A trail about which nothing is known but its shape.
    pub fn generic() -> TrailRef {
        let partition = Text::sym(Symbol::new(Kind::Partition, "trail.partition"));
        let account = Text::sym(Symbol::new(Kind::Account, "trail.account"));
        let region = Text::sym(Symbol::new(Kind::Region, "trail.region"));
        let name = Text::sym(Symbol::new(Kind::TrailName, "trail.name"));
        TrailRef {
            arn: trail_arn(&partition, &region, &account, &name),
            account,
            partition,
            org_id: None,
            is_org: Truth::Unknown,
            prefixes: vec![vec![]],
            defined_at: None,
            label: "any trail".into(),
            stand_in: true,
            guard: Default::default(),
        }
    }

    /// A stand-in trail for an `aws:SourceArn` value (`wildcards`: the operator takes `*`/`?`).
    /// `None` when the value cannot name a trail.
    pub fn from_source_arn(value: &Text, wildcards: bool, n: usize) -> Option<TrailRef> {
        let arn = Arn::of_text(value).filter(|a| a.is_cloudtrail())?;
        let res = &arn.resource;
        res.known_prefix().strip_prefix("trail/")?;
        let has_wild = |t: &Text| {
            t.parts().iter().any(|p| match p {
                Part::Lit(s) => s.contains(['*', '?']),
                Part::Sym(_) => false,
            })
        };
        if !wildcards && arn.parts().into_iter().any(has_wild) {
            return None;
        }
        let fresh = |t: &Text, kind: Kind, what: &str| {
            if has_wild(t) {
                Text::sym(Symbol::new(kind, format!("standin{n}.{what}")))
            } else {
                t.clone()
            }
        };
        let partition = fresh(&arn.partition, Kind::Partition, "partition");
        let region = fresh(&arn.region, Kind::Region, "region");
        let account = fresh(&arn.account, Kind::Account, "account");
        let mut name_text = Text::default();
        let mut first = true;
        for p in res.parts() {
            match p {
                Part::Lit(s) if first => name_text.push_str(&s["trail/".len()..]),
                Part::Lit(s) => name_text.push_str(s),
                Part::Sym(s) => name_text.push_sym(s.clone()),
            }
            first = false;
        }
        let name_text = fresh(&name_text, Kind::TrailName, "name");
        Some(TrailRef {
            arn: trail_arn(&partition, &region, &account, &name_text),
            account,
            partition,
            org_id: None,
            is_org: Truth::Unknown,
            prefixes: vec![vec![]],
            defined_at: None,
            label: value.to_string(),
            stand_in: true,
            guard: Default::default(),
        })
    }

    /// The object paths CloudTrail may write for this trail under one prefix candidate:
    /// `arn:P:s3:::BUCKET/[PREFIX/]AWSLogs/ACCOUNT/*` for a single-account trail,
    /// `…/AWSLogs/ORG-ID/*` for an organization trail (which writes every account's logs, its
    /// own included, under the organization path), both when it is unknown which it is — then
    /// one of them is written, and rules treat them as alternatives.
    pub fn object_paths(&self, bucket: &Text, prefix: &[Tok]) -> Vec<Vec<Tok>> {
        let mut out = vec![];
        let org = || {
            self.org_id
                .clone()
                .unwrap_or_else(|| Text::sym(Symbol::new(Kind::OrgId, "trail.org")))
        };
        let owners = match self.is_org {
            Truth::Yes => vec![org()],
            Truth::No => vec![self.account.clone()],
            Truth::Unknown => vec![self.account.clone(), org()],
        };
        for owner in owners {
            let mut t = bucket_arn_tokens(&self.partition, bucket);
            t.push(Tok::Ch('/'));
            t.extend(prefix.iter().cloned());
            t.extend("AWSLogs/".chars().map(Tok::Ch));
            t.extend(tokens(&owner, false));
            t.push(Tok::Ch('/'));
            t.push(Tok::Star);
            out.push(t);
        }
        out
    }
}

/// `arn:PARTITION:cloudtrail:REGION:ACCOUNT:trail/NAME`.
pub fn trail_arn(partition: &Text, region: &Text, account: &Text, name: &Text) -> Text {
    arn::write(
        partition,
        "cloudtrail",
        region,
        account,
        &arn::resource("trail/", name),
    )
}

/// `arn:PARTITION:s3:::BUCKET` as tokens.
pub fn bucket_arn_tokens(partition: &Text, bucket: &Text) -> Vec<Tok> {
    tokens(&super::s3::bucket_arn(partition, bucket), false)
}

/// The request CloudTrail makes to S3 for `action` on behalf of `trail`.
pub fn s3_request(action: &str, trail: &TrailRef) -> Request {
    let mut r = base_request(trail);
    let put = action == PUT_OBJECT;
    r.set(
        "s3:x-amz-acl",
        if put {
            KeyValue::Present(Text::lit("bucket-owner-full-control"))
        } else {
            KeyValue::Absent
        },
    );
    r.set(
        "s3:x-amz-server-side-encryption",
        if put {
            KeyValue::Unknown
        } else {
            KeyValue::Absent
        },
    );
    r
}

/// The `kms:GenerateDataKey` request CloudTrail makes for `trail`.
pub fn kms_request(trail: &TrailRef) -> Request {
    let mut r = base_request(trail);
    r.set(
        "kms:EncryptionContext:aws:cloudtrail:arn",
        KeyValue::Present(trail.arn.clone()),
    );
    r.set("aws:SourceOrgID", KeyValue::Unknown);
    r
}

fn base_request(trail: &TrailRef) -> Request {
    let mut r = Request::default();
    r.set("aws:SourceArn", KeyValue::Present(trail.arn.clone()))
        .set(
            "aws:SourceAccount",
            KeyValue::Present(trail.account.clone()),
        )
        .set(
            "aws:PrincipalServiceName",
            KeyValue::Present(Text::lit("cloudtrail.amazonaws.com")),
        )
        .set(
            "aws:PrincipalIsAWSService",
            KeyValue::Present(Text::lit("true")),
        )
        .set("aws:SecureTransport", KeyValue::Present(Text::lit("true")));
    r.set(
        "aws:SourceOrgID",
        match (&trail.org_id, trail.stand_in) {
            (Some(o), false) => KeyValue::Present(o.clone()),
            _ => KeyValue::Unknown,
        },
    );
    for k in [
        "aws:PrincipalOrgID",
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:userid",
        "aws:username",
        "aws:SourceIp",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:MultiFactorAuthPresent",
    ] {
        r.set(k, KeyValue::Absent);
    }
    r.absent_prefix("aws:PrincipalTag/");
    r
}

/// Whether a service principal value is CloudTrail's.
pub fn is_cloudtrail_service(value: &Text) -> Truth {
    match value.as_str() {
        Some(s) => Truth::from_bool(
            s.eq_ignore_ascii_case("cloudtrail.amazonaws.com")
                || s.eq_ignore_ascii_case("cloudtrail.amazonaws.com.cn"),
        ),
        None => {
            // A partly known value decides by its known parts.
            let p = value.known_prefix().to_ascii_lowercase();
            if "cloudtrail.amazonaws.com".starts_with(&p) || p.starts_with("cloudtrail") {
                Truth::Unknown
            } else {
                Truth::No
            }
        }
    }
}

fn is_star(value: &Text) -> Truth {
    crate::value::glob::text_eq(value, &Text::lit("*"))
}

/// Whether an `AWS` principal value is a legacy CloudTrail account: only when its account is
/// one, literally or as a symbol of that kind (spec: "Principals"). Any other value — the
/// deploying account, a variable, a partly unknown ARN — is a customer's principal.
fn legacy_truth(value: &Text) -> Truth {
    Truth::from_bool(is_legacy_principal(value))
}

/// Whether an `AWS` principal value is everyone: only the literal `"*"`. A symbolic or partly
/// unknown `AWS` principal is an account, role or user, never the CloudTrail service.
fn aws_everyone(value: &Text) -> Truth {
    Truth::from_bool(value.as_str() == Some("*"))
}

/// Who a principal element names, as far as CloudTrail is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrincipalFacts {
    /// Names `cloudtrail.amazonaws.com` as a service.
    pub service: Truth,
    /// Names a legacy CloudTrail account.
    pub legacy: Truth,
    /// Is `"*"` or `{"AWS": "*"}` (everyone, anonymous included).
    pub everyone: Truth,
}

pub fn principal_facts(p: &PrincipalElement) -> PrincipalFacts {
    let mut f = PrincipalFacts {
        service: Truth::No,
        legacy: Truth::No,
        everyone: Truth::No,
    };
    for e in &p.entries {
        let unknown_type = e.ptype == "*" && !e.item.text.is_known();
        match e.ptype.as_str() {
            "Service" => f.service = f.service.or(is_cloudtrail_service(&e.item.text)),
            "AWS" => {
                f.everyone = f.everyone.or(aws_everyone(&e.item.text));
                f.legacy = f.legacy.or(legacy_truth(&e.item.text));
            }
            "*" => {
                f.everyone = f.everyone.or(is_star(&e.item.text));
                if unknown_type {
                    f.service = f.service.or(Truth::Unknown);
                    f.legacy = f.legacy.or(Truth::Unknown);
                }
            }
            _ => {}
        }
    }
    f
}

/// Does an Allow statement's principal give CloudTrail's service principal access?
/// `"*"` may or may not (AWS does not say), so it is unknown.
pub fn allow_reaches_service(stmt: &Statement) -> Truth {
    let Some(p) = &stmt.principal else {
        return Truth::No;
    };
    let f = principal_facts(p);
    if p.negated {
        // Everyone but the listed principals.
        return if f.service.is_yes() || f.everyone.is_yes() {
            Truth::No
        } else {
            Truth::Unknown
        };
    }
    f.service.or(if f.everyone.maybe() {
        Truth::Unknown
    } else {
        Truth::No
    })
}

/// Does an Allow statement grant CloudTrail, as the service principal or a legacy account?
pub fn allow_reaches_cloudtrail(stmt: &Statement) -> Truth {
    let legacy = stmt
        .principal
        .as_ref()
        .filter(|p| !p.negated)
        .map(|p| principal_facts(p).legacy)
        .unwrap_or(Truth::No);
    allow_reaches_service(stmt).or(legacy)
}

/// Does a Deny statement's principal apply to CloudTrail's service principal?
pub fn deny_applies_to_service(stmt: &Statement) -> Truth {
    let Some(p) = &stmt.principal else {
        return Truth::No;
    };
    let f = principal_facts(p);
    let named = f.service.or(f.everyone);
    // NotPrincipal: everyone except those listed.
    if p.negated { named.not() } else { named }
}

/// The condition keys whose values name the trail a request comes from.
const TRAIL_KEYS: [&str; 2] = ["aws:SourceArn", "kms:EncryptionContext:aws:cloudtrail:arn"];

/// Whether an Allow statement's conditions name a CloudTrail trail
/// (`arn:PARTITION:cloudtrail:…:trail/…`): it was written for CloudTrail, whatever its principal.
pub fn names_trail(s: &Statement) -> bool {
    s.is_allow()
        && s.conditions.iter().any(|c| {
            TRAIL_KEYS.iter().any(|k| c.key_is(k)) && c.values.iter().any(|v| is_trail_arn(&v.text))
        })
}

/// `arn:…:cloudtrail:…:…:trail/…`.
fn is_trail_arn(t: &Text) -> bool {
    Arn::of_text(t)
        .is_some_and(|a| a.is_cloudtrail() && a.resource.known_prefix().starts_with("trail/"))
}

/// How CloudTrail Lake resources (event data stores, channels) begin.
const LAKE_RESOURCES: [&str; 2] = ["eventdatastore/", "channel/"];

/// Whether a grant's `aws:SourceArn` values all name CloudTrail Lake resources (event data
/// stores, channels): such a grant is for Lake query results, not trail delivery.
pub fn is_lake_grant(s: &Statement) -> bool {
    let mut any = false;
    for c in &s.conditions {
        if !c.key_is("aws:SourceArn") {
            continue;
        }
        for v in &c.values {
            // A Lake resource's known prefix is literal text of the value: without it, no ARN
            // needs reading.
            let may_be_lake = v.text.parts().iter().any(|p| match p {
                crate::value::Part::Lit(l) => LAKE_RESOURCES.iter().any(|r| l.contains(r)),
                crate::value::Part::Sym(_) => false,
            });
            let lake = may_be_lake
                && Arn::of_text_loose(&v.text).is_some_and(|a| {
                    let r = a.resource.known_prefix();
                    a.is_cloudtrail() && LAKE_RESOURCES.iter().any(|l| r.starts_with(l))
                });
            if !lake {
                return false;
            }
            any = true;
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::glob::{MatchOpts, matches};

    #[test]
    fn stand_in_from_source_arn() {
        let t = TrailRef::from_source_arn(
            &Text::lit("arn:aws:cloudtrail:us-east-1:111111111111:trail/main"),
            false,
            0,
        )
        .unwrap();
        assert_eq!(t.account.as_str(), Some("111111111111"));
        assert_eq!(
            t.arn.as_str(),
            Some("arn:aws:cloudtrail:us-east-1:111111111111:trail/main")
        );
        let w = TrailRef::from_source_arn(
            &Text::lit("arn:aws:cloudtrail:*:111111111111:trail/*"),
            true,
            1,
        )
        .unwrap();
        assert!(!w.arn.is_known());
        assert!(
            TrailRef::from_source_arn(&Text::lit("arn:aws:cloudtrail:*:1:trail/*"), false, 2)
                .is_none()
        );
        assert!(
            TrailRef::from_source_arn(
                &Text::lit("arn:aws:cloudtrail:us-east-1:1:eventdatastore/x"),
                true,
                3
            )
            .is_none()
        );
    }

    #[test]
    fn object_paths_cover() {
        let t = TrailRef::from_source_arn(
            &Text::lit("arn:aws:cloudtrail:us-east-1:111111111111:trail/main"),
            false,
            0,
        )
        .unwrap();
        let prefix = tokens(&Text::lit("audit/"), false);
        let paths = t.object_paths(&Text::lit("logs"), &prefix);
        let opts = MatchOpts {
            arn: true,
            ..Default::default()
        };
        let pat = |s: &str| tokens(&Text::lit(s), true);
        assert_eq!(
            matches(
                &pat("arn:aws:s3:::logs/audit/AWSLogs/111111111111/*"),
                &paths[0],
                opts
            ),
            Truth::Yes
        );
        assert_eq!(
            matches(
                &pat("arn:aws:s3:::logs/AWSLogs/111111111111/*"),
                &paths[0],
                opts
            ),
            Truth::No
        );
    }
}
