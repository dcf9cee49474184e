//! Who delivers the other logs a shared bucket receives (logdelivery.md): each log source's
//! service principal, and whether a Principal names it.

use super::arn::{self, Arn};
use super::cloudtrail::{GET_BUCKET_ACL, PUT_OBJECT, bucket_arn_tokens};
use super::conditions::{KeyValue, Request};
use crate::model::{LogSource, SourceKind};
use crate::policy::PrincipalElement;
use crate::value::Truth;
use crate::value::glob::{Tok, tokens};
use crate::value::{Kind, Symbol, Text};

/// The service principal that writes a source's logs into the bucket, where AWS documents one
/// principal for it (ALB and Classic LB may also write as the Region's legacy ELB account).
pub fn service_principal(kind: SourceKind) -> Option<&'static str> {
    Some(match kind {
        SourceKind::Config => "config.amazonaws.com",
        SourceKind::Nlb | SourceKind::FlowLogs => "delivery.logs.amazonaws.com",
        SourceKind::S3AccessLogs => "logging.s3.amazonaws.com",
        SourceKind::Alb | SourceKind::ClassicElb => {
            "logdelivery.elasticloadbalancing.amazonaws.com"
        }
        SourceKind::Redshift | SourceKind::CloudFront => return None,
    })
}

/// Whether a (not negated) Principal names `service` as a service principal.
pub fn names_service(p: &PrincipalElement, service: &str) -> Truth {
    if p.negated {
        return Truth::No;
    }
    Truth::any(p.entries.iter().map(|e| {
        if e.ptype != "Service" {
            return Truth::No;
        }
        match e.item.text.as_str() {
            Some(s) => Truth::from_bool(s.eq_ignore_ascii_case(service)),
            None => Truth::Unknown,
        }
    }))
}

/// Whether a (not negated) Principal lets `service` in: it names the service, or everyone.
pub fn admits_service(p: &PrincipalElement, service: &str) -> Truth {
    if p.negated {
        return Truth::Unknown;
    }
    Truth::any(
        p.entries
            .iter()
            .map(|e| match (e.ptype.as_str(), e.item.text.as_str()) {
                ("Service", Some(s)) => Truth::from_bool(s.eq_ignore_ascii_case(service)),
                ("*" | "AWS", Some("*")) => Truth::Yes,
                ("Service" | "*" | "AWS", None) => Truth::Unknown,
                _ => Truth::No,
            }),
    )
}

/// Whether a recorder's role ARN is AWS Config's service-linked role.
pub fn service_linked_config_role(role: &crate::value::Text) -> Truth {
    let lits: String = role
        .parts()
        .iter()
        .filter_map(|p| match p {
            crate::value::Part::Lit(l) => Some(l.as_str()),
            crate::value::Part::Sym(_) => None,
        })
        .collect();
    if lits.contains("aws-service-role/config.amazonaws.com/") {
        Truth::Yes
    } else if role.is_known() {
        Truth::No
    } else {
        Truth::Unknown
    }
}

/// One row of data/elb-accounts.tsv.
#[derive(Debug, Clone)]
pub struct ElbRegion {
    pub partition: &'static str,
    pub region: &'static str,
    /// The legacy ELB account, or `None` where only the service principal writes.
    pub account: Option<&'static str>,
    /// AWS documentation says so ([V]), rather than public code only ([I]).
    pub verified: bool,
}

static ELB_TEXT: &str = include_str!("../../data/elb-accounts.tsv");

pub fn elb_regions() -> &'static [ElbRegion] {
    static TABLE: std::sync::OnceLock<Vec<ElbRegion>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        ELB_TEXT
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut it = l.split('\t');
                let (partition, region, account, tag) =
                    (it.next()?, it.next()?, it.next()?, it.next()?);
                Some(ElbRegion {
                    partition,
                    region,
                    account: (account != "-").then_some(account),
                    verified: tag.trim() == "V",
                })
            })
            .collect()
    })
}

/// Whether a principal value is a legacy ELB account (`arn:PARTITION:iam::ID:root` or a bare
/// ID); unknown when the value is.
pub fn is_elb_account(value: &crate::value::Text) -> Truth {
    let Some(s) = value.as_str() else {
        return Truth::Unknown;
    };
    let id = account_of(s);
    Truth::from_bool(elb_regions().iter().any(|r| r.account == Some(id)))
}

/// Whether a Principal lets `kind`'s logs be written: its service principal, or everyone;
/// for ALB and Classic LB also the legacy ELB account of `region` (any legacy ELB account when
/// the Region is unknown, or only public code vouches for its row).
pub fn principal_writes(p: &PrincipalElement, kind: SourceKind, region: Option<&str>) -> Truth {
    if p.negated {
        return Truth::Unknown;
    }
    let Some(service) = service_principal(kind) else {
        return Truth::Unknown;
    };
    let elb = matches!(kind, SourceKind::Alb | SourceKind::ClassicElb);
    // The Region's row, when AWS documents it.
    let row = region.and_then(|r| elb_regions().iter().find(|x| x.region == r && x.verified));
    Truth::any(p.entries.iter().map(|e| match e.ptype.as_str() {
        "Service" => match e.item.text.as_str() {
            Some(s) => Truth::from_bool(s.eq_ignore_ascii_case(service)),
            None => Truth::Unknown,
        },
        "*" => match e.item.text.as_str() {
            Some("*") => Truth::Yes,
            Some(_) => Truth::No,
            None => Truth::Unknown,
        },
        "AWS" => match e.item.text.as_str() {
            Some("*") => Truth::Yes,
            Some(s) if elb && row.is_some() => {
                let id = account_of(s);
                Truth::from_bool(row.and_then(|r| r.account) == Some(id))
            }
            _ if elb => is_elb_account(&e.item.text),
            Some(_) => Truth::No,
            None => Truth::Unknown,
        },
        _ => Truth::No,
    }))
}

/// The account of `arn:PARTITION:iam::ID:root`, or the value itself.
fn account_of(s: &str) -> &str {
    Arn::parse(s).and_then(|a| a.root_account()).unwrap_or(s)
}

// What each source asks of the bucket: the actions and paths it writes (TG100) and the request
// context it sends (TG101), in one place like `cloudtrail.rs` for CloudTrail.

/// What a source needs: an action and the resources (alternatives) it must be allowed on.
pub fn needs(s: &LogSource, bucket: &Text) -> Vec<(&'static str, Vec<Vec<Tok>>)> {
    let arn = bucket_arn_tokens(&s.partition, bucket);
    let under = |rest: &[Tok]| {
        let mut t = arn.clone();
        t.push(Tok::Ch('/'));
        let prefix = tokens(&s.prefix, false);
        let slash = !prefix.is_empty() && prefix.last() != Some(&Tok::Ch('/'));
        t.extend(prefix);
        if slash {
            t.push(Tok::Ch('/'));
        }
        t.extend(rest.iter().cloned());
        t
    };
    let logs_in = |owner: &str, tail: &str| {
        let mut rest: Vec<Tok> = "AWSLogs/".chars().map(Tok::Ch).collect();
        rest.extend(owner.chars().map(Tok::Ch));
        rest.extend(tokens(&s.account, false));
        rest.push(Tok::Ch('/'));
        rest.extend(tail.chars().map(Tok::Ch));
        rest.push(Tok::Star);
        under(&rest)
    };
    let logs = |owner: &str| logs_in(owner, "");
    match s.kind {
        // Only when the recorder uses the service-linked role: Config writes with the
        // recorder's role first otherwise (logdelivery.md §1).
        SourceKind::Config if s.service_linked.is_yes() => vec![
            (GET_BUCKET_ACL, vec![arn.clone()]),
            (PUT_OBJECT, vec![logs_in("", "Config/")]),
        ],
        SourceKind::Nlb | SourceKind::FlowLogs => vec![
            (GET_BUCKET_ACL, vec![arn.clone()]),
            // Hive-compatible prefixes write under `aws-account-id=ACCOUNT`.
            (PUT_OBJECT, vec![logs(""), logs("aws-account-id=")]),
        ],
        SourceKind::Alb | SourceKind::ClassicElb => vec![(PUT_OBJECT, vec![logs("")])],
        SourceKind::S3AccessLogs => {
            let mut t = arn.clone();
            t.push(Tok::Ch('/'));
            t.extend(tokens(&s.prefix, false));
            t.push(Tok::Star);
            vec![(PUT_OBJECT, vec![t])]
        }
        _ => vec![],
    }
}

/// What the source sends: its account, and the ARN it writes on behalf of.
pub fn request(s: &LogSource) -> Option<Request> {
    let sym = |kind: Kind, what: &str| Text::sym(Symbol::new(kind, format!("source.{what}")));
    let service_arn = |service: &str| {
        arn::write(
            &s.partition,
            service,
            &sym(Kind::Region, "region"),
            &s.account,
            &sym(Kind::Any, "resource"),
        )
    };
    let arn = match s.kind {
        // Config as its service principal (with the service-linked recorder role).
        SourceKind::Config if s.service_linked.is_yes() => service_arn("config"),
        SourceKind::Nlb | SourceKind::FlowLogs => service_arn("logs"),
        SourceKind::S3AccessLogs => super::s3::bucket_arn(
            &s.partition,
            &s.origin
                .clone()
                .unwrap_or_else(|| sym(Kind::Bucket, "bucket")),
        ),
        _ => return None,
    };
    let mut r = Request::default();
    r.set("aws:SourceArn", KeyValue::Present(arn))
        .set("aws:SourceAccount", KeyValue::Present(s.account.clone()));
    Some(r)
}

/// A request about which nothing is known but its shape: a value that fails it can match no
/// source at all.
pub fn any_request() -> Request {
    let sym = |kind: Kind, what: &str| Text::sym(Symbol::new(kind, format!("any.{what}")));
    let mut r = Request::default();
    let mut arn = Text::lit("arn:");
    arn.push_text(&sym(Kind::Any, "arn"));
    r.set("aws:SourceArn", KeyValue::Present(arn)).set(
        "aws:SourceAccount",
        KeyValue::Present(sym(Kind::Account, "account")),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Text;

    #[test]
    fn elb_accounts_are_read_with_their_tags() {
        let t = elb_regions();
        let east = t.iter().find(|r| r.region == "us-east-1").unwrap();
        assert_eq!(east.account, Some("127311923021"));
        assert!(east.verified);
        let new = t.iter().find(|r| r.region == "eu-central-2").unwrap();
        assert_eq!(new.account, None);
        assert!(
            !t.iter()
                .find(|r| r.region == "cn-north-1")
                .unwrap()
                .verified
        );
        assert!(is_elb_account(&Text::lit("arn:aws:iam::127311923021:root")).is_yes());
        assert!(is_elb_account(&Text::lit("797873946194")).is_yes());
        assert!(is_elb_account(&Text::lit("arn:aws:iam::111111111111:root")).is_no());
    }
}
