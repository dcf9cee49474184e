//! ARNs, `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`: read from known strings or from texts
//! holding symbols, and written from texts. Every part of the code that reads or writes one
//! comes here. A service is compared as AWS writes it (lowercase: `arn:aws:IAM::…` is no IAM
//! principal AWS accepts); a trail ARN is recognised in any case, so that a policy written for
//! a trail is read as CloudTrail's even with a misspelt service.

use crate::value::{Kind, Text};

/// An ARN's parts, as strings (a known ARN) or texts (one written with symbols).
#[derive(Clone, Debug, PartialEq)]
pub struct Arn<T> {
    pub partition: T,
    pub service: T,
    pub region: T,
    pub account: T,
    pub resource: T,
}

impl<'a> Arn<&'a str> {
    /// A known ARN; its resource may hold `:`.
    pub fn parse(s: &'a str) -> Option<Arn<&'a str>> {
        let mut it = s.splitn(6, ':');
        if it.next()? != "arn" {
            return None;
        }
        Some(Arn {
            partition: it.next()?,
            service: it.next()?,
            region: it.next()?,
            account: it.next()?,
            resource: it.next()?,
        })
    }

    pub fn is(&self, service: &str) -> bool {
        self.service == service
    }

    /// The trail a CloudTrail ARN names (`…:cloudtrail:…:trail/NAME`; a trail name holds no
    /// `:`).
    pub fn trail_name(&self) -> Option<&'a str> {
        self.service
            .eq_ignore_ascii_case("cloudtrail")
            .then(|| self.resource.strip_prefix("trail/"))
            .flatten()
            .filter(|n| !n.contains(':'))
    }

    /// The account of an account's root, `arn:PARTITION:iam::ACCOUNT:root`.
    pub fn root_account(&self) -> Option<&'a str> {
        (self.is("iam") && self.region.is_empty() && self.resource == "root")
            .then_some(self.account)
    }
}

impl Arn<Text> {
    /// An ARN written with symbols, when it has exactly six parts (no `:` in its resource, and
    /// no symbol standing where a `:` would be).
    pub fn of_text(t: &Text) -> Option<Arn<Text>> {
        Self::six_parts(t).and_then(|(first, a)| (first.as_str() == Some("arn")).then_some(a))
    }

    /// The six parts of a value meant as an ARN, whatever its first part says (`ARN:…`).
    pub fn of_text_loose(t: &Text) -> Option<Arn<Text>> {
        Self::six_parts(t).map(|(_, a)| a)
    }

    fn six_parts(t: &Text) -> Option<(Text, Arn<Text>)> {
        let segs = t.split(':');
        let [first, partition, service, region, account, resource] =
            <[Text; 6]>::try_from(segs).ok()?;
        Some((
            first,
            Arn {
                partition,
                service,
                region,
                account,
                resource,
            },
        ))
    }

    /// Whether the service is known to be `service`.
    pub fn is(&self, service: &str) -> bool {
        self.service.as_str() == Some(service)
    }

    /// Whether the service is CloudTrail's, in any case.
    pub fn is_cloudtrail(&self) -> bool {
        self.service
            .as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("cloudtrail"))
    }

    /// The parts, in order.
    pub fn parts(&self) -> [&Text; 5] {
        [
            &self.partition,
            &self.service,
            &self.region,
            &self.account,
            &self.resource,
        ]
    }
}

/// Writes `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
pub fn write(
    partition: &Text,
    service: &str,
    region: &Text,
    account: &Text,
    resource: &Text,
) -> Text {
    let mut t = Text::lit("arn:");
    t.push_text(partition);
    t.push_str(":");
    t.push_str(service);
    t.push_str(":");
    t.push_text(region);
    t.push_str(":");
    t.push_text(account);
    t.push_str(":");
    t.push_text(resource);
    t
}

/// `RESOURCE` with a literal type prefix: `trail/` + name, `key/` + ID…
pub fn resource(prefix: &str, name: &Text) -> Text {
    let mut t = Text::lit(prefix);
    t.push_text(name);
    t
}

/// A trail ARN's parts as texts: those the ARN states, symbols for the others. `sym` names a
/// symbol of a kind for a part (`partition`, `region`, `account`, `name`); `name` is `None`
/// when the ARN does not state it.
pub struct TrailParts {
    pub partition: Text,
    pub region: Text,
    pub account: Text,
    pub name: Option<Text>,
}

impl TrailParts {
    pub fn of(arn: Option<&str>, sym: &dyn Fn(Kind, &str) -> Text) -> TrailParts {
        // Part by part, as far as the value goes (`describe-trails` output is taken as given).
        let segs: Vec<&str> = arn.map(|a| a.split(':').collect()).unwrap_or_default();
        let part = |n: usize, kind: Kind, what: &str| match segs.get(n) {
            Some(s) if !s.is_empty() => Text::lit(*s),
            _ => sym(kind, what),
        };
        TrailParts {
            partition: part(1, Kind::Partition, "partition"),
            region: part(3, Kind::Region, "region"),
            account: part(4, Kind::Account, "account"),
            name: segs
                .get(5)
                .and_then(|r| r.strip_prefix("trail/"))
                .map(Text::lit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Symbol;

    fn sym(kind: Kind, name: String) -> Text {
        Text::sym(Symbol::new(kind, name))
    }

    #[test]
    fn known_arns() {
        let a = Arn::parse("arn:aws:cloudtrail:us-east-1:111111111111:trail/main").unwrap();
        assert_eq!(a.trail_name(), Some("main"));
        assert_eq!(a.account, "111111111111");
        // Services compare without case; the resource keeps its colons.
        let a = Arn::parse("arn:aws:CloudTrail:us-east-1:1:trail/x").unwrap();
        assert_eq!(a.trail_name(), Some("x"));
        let l = Arn::parse("arn:aws:logs:us-east-1:1:log-group:g:*").unwrap();
        assert_eq!(l.resource, "log-group:g:*");
        assert_eq!(
            Arn::parse("arn:aws:iam::086441151436:root")
                .unwrap()
                .root_account(),
            Some("086441151436")
        );
        assert_eq!(
            Arn::parse("arn:aws:iam::1:user/x").unwrap().root_account(),
            None
        );
        assert!(Arn::parse("aws:s3:::b").is_none());
        assert!(Arn::parse("arn:aws:s3").is_none());
        assert_eq!(Arn::parse("arn:aws:s3:::b").unwrap().trail_name(), None);
        // A trail name holds no colon; IAM is written in lowercase.
        assert_eq!(
            Arn::parse("arn:aws:cloudtrail:r:1:trail/a:b")
                .unwrap()
                .trail_name(),
            None
        );
        assert_eq!(
            Arn::parse("arn:aws:IAM::1:root").unwrap().root_account(),
            None
        );
    }

    #[test]
    fn arns_with_symbols() {
        let partition = sym(Kind::Partition, "p".into());
        let t = write(
            &partition,
            "cloudtrail",
            &Text::lit("us-east-1"),
            &sym(Kind::Account, "a".into()),
            &resource("trail/", &Text::lit("main")),
        );
        let a = Arn::of_text(&t).unwrap();
        assert!(a.is("cloudtrail") && !a.is("CloudTrail") && a.is_cloudtrail());
        assert!(!a.partition.is_known());
        assert_eq!(a.resource.as_str(), Some("trail/main"));
        // Seven parts, or no `arn` in front: not an ARN these readers take.
        assert!(Arn::of_text(&Text::lit("arn:aws:logs:r:1:log-group:g")).is_none());
        assert!(Arn::of_text(&Text::lit("urn:aws:s3:::b:c")).is_none());
    }

    #[test]
    fn trail_parts_fill_in_what_the_arn_does_not_state() {
        let sym = |k: Kind, what: &str| Text::sym(Symbol::new(k, format!("t.{what}")));
        let p = TrailParts::of(Some("arn:aws-cn:cloudtrail:cn-north-1:1:trail/t"), &sym);
        assert_eq!(p.partition.as_str(), Some("aws-cn"));
        assert_eq!(p.name.unwrap().as_str(), Some("t"));
        let p = TrailParts::of(None, &sym);
        assert!(!p.account.is_known() && p.name.is_none());
    }
}
