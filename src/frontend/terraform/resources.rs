//! Terraform resources to the model, written once: the HCL evaluation ([`super::eval`]) and
//! plans ([`crate::frontend::plan`]) both hand a resource's values over through [`Values`] and
//! get the same model pieces with the provider's defaults. What only one of them can tell (an
//! HCL expression's guard, a plan's stated defaults) stays in its [`Values`].

use crate::aws::arn::Arn;
use crate::aws::s3::{bucket_of_arn, bucket_of_domain};
use crate::guard::Guard;
use crate::model::{Bucket, BucketSetting, Key, KeyAlias, Model, Setting, SourceKind, Trail};
use crate::policy::PolicyKind;
use crate::source::Span;
use crate::value::{Text, Truth};

/// A resource's (or a nested block's) values.
pub trait Values {
    /// A string argument: its value, a symbol where it is not known; `None` when not set.
    fn text(&self, key: &str) -> Option<Text>;
    /// A string argument as a known string: `None` when not set, `Some(None)` when set to a
    /// value that is not known.
    fn known(&self, key: &str) -> Option<Option<String>>;
    /// A boolean argument: `None` when not set.
    fn truth(&self, key: &str) -> Option<Truth>;
    /// A nested block (the first of its name).
    fn block<'s>(&'s self, name: &str) -> Option<Box<dyn Values + 's>>;
    /// Every nested block of the name.
    fn blocks<'s>(&'s self, name: &str) -> Vec<Box<dyn Values + 's>>;
    /// A string argument with the span findings about the argument point at (a symbol named
    /// after the argument where the value is not a string); `None` when not set or null.
    fn spanned(&self, key: &str) -> Option<(Text, Span)>;
    /// The span of an argument's value.
    fn value_span(&self, key: &str) -> Option<Span>;
}

/// A resource: its values, and what only its source can tell (names of values it does not
/// know, its guard, how its policy document is read).
pub trait Resource: Values {
    fn address(&self) -> String;
    fn span(&self) -> Span;
    /// The deploy-time condition the resource exists under.
    fn guard(&self) -> Guard;
    /// Attaches the document of the `policy` argument, when it holds one.
    fn attach_policy(&self, m: &mut Model, target: Target);
    /// Whether the `policy` argument is set.
    fn has_policy(&self) -> bool;
    /// An `aws_s3_bucket`'s name (a bucket-name symbol when it is not set).
    fn bucket_name(&self) -> Text;
    /// The bucket a bucket policy names.
    fn policy_bucket(&self) -> Option<Text>;
    /// A key's identities: its ID and ARN.
    fn key_idents(&self) -> Vec<Text>;
    /// An alias's ARN.
    fn alias_arn(&self) -> Option<Text>;
    /// The account the resource is in.
    fn account(&self) -> Text;
    /// A trail's name and ARN, and the account, partition and organization it is in.
    fn trail_ids(&self) -> TrailIds;
}

/// What names a trail.
pub struct TrailIds {
    pub name: Text,
    pub arn: Text,
    pub account: Text,
    pub partition: Text,
    pub org_id: Text,
}

/// Where a policy attaches.
pub struct Target {
    pub kind: PolicyKind,
    pub address: String,
    pub bucket: Option<Text>,
    pub key: Option<usize>,
    pub key_ref: Option<Text>,
}

impl Target {
    /// A bucket policy, of the bucket when it is known.
    pub fn bucket(address: String, bucket: Option<Text>) -> Target {
        Target {
            kind: PolicyKind::Bucket,
            address,
            bucket,
            key: None,
            key_ref: None,
        }
    }

    /// A key policy: of the model's key `key`, or of the key `key_ref` names.
    pub fn key(address: String, key: Option<usize>, key_ref: Option<Text>) -> Target {
        Target {
            kind: PolicyKind::Key,
            address,
            bucket: None,
            key,
            key_ref,
        }
    }
}

/// Maps a bucket, bucket policy, Object Ownership setting, key, key policy, alias or trail to
/// the model, with the provider's defaults; whether `ty` is one of them.
/// Every resource type the Terraform frontends read: [`map`] and [`logging`] give nothing for
/// any other, nor do the bucket settings read beside them. A module's resource of another type
/// is not evaluated at all (not even its `count`: most of a module is neither).
pub const READ_TYPES: [&str; 19] = [
    "aws_s3_bucket",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_ownership_controls",
    "aws_kms_key",
    "aws_kms_key_policy",
    "aws_kms_alias",
    "aws_cloudtrail",
    "aws_lb",
    "aws_alb",
    "aws_elb",
    "aws_s3_bucket_logging",
    "aws_redshift_logging",
    "aws_redshift_cluster",
    "aws_cloudfront_distribution",
    "aws_config_delivery_channel",
    "aws_config_configuration_recorder",
    "aws_flow_log",
    "aws_s3_bucket_acl",
    "aws_s3_bucket_server_side_encryption_configuration",
];

/// Whether a resource of type `ty` can give the model anything (see [`READ_TYPES`]).
pub fn is_read(ty: &str) -> bool {
    READ_TYPES.contains(&ty)
}

pub fn map(ty: &str, r: &dyn Resource, m: &mut Model) -> bool {
    let address = r.address();
    match ty {
        "aws_s3_bucket" => {
            let name = r.bucket_name();
            m.buckets.push(Bucket::new(
                address.clone(),
                r.span(),
                name.clone(),
                Truth::No,
            ));
            r.attach_policy(m, Target::bucket(address, Some(name)));
        }
        "aws_s3_bucket_policy" => r.attach_policy(m, Target::bucket(address, r.policy_bucket())),
        "aws_s3_bucket_ownership_controls" => ownership(r, m),
        "aws_kms_key" => {
            let idx = m.keys.len();
            m.keys.push(Key {
                address: address.clone(),
                span: r.span(),
                idents: r.key_idents(),
                aliases: vec![],
                has_policy: r.has_policy(),
            });
            r.attach_policy(m, Target::key(address, Some(idx), None));
        }
        "aws_kms_key_policy" => r.attach_policy(m, Target::key(address, None, r.text("key_id"))),
        "aws_kms_alias" => {
            if let (Some(alias), Some(target), Some(arn)) =
                (r.text("name"), r.text("target_key_id"), r.alias_arn())
            {
                m.key_aliases.push(KeyAlias {
                    name: alias,
                    account: Some(Arn::of_text(&arn).map_or_else(|| r.account(), |a| a.account)),
                    arn,
                    target,
                });
            }
        }
        "aws_cloudtrail" => m.trails.push(trail(r)),
        _ => return false,
    }
    true
}

/// Whether a bucket's ACLs are disabled (`BucketOwnerEnforced` in some rule), pointing at that
/// value.
fn ownership(r: &dyn Resource, m: &mut Model) {
    let Some(bucket) = r.text("bucket") else {
        return;
    };
    let mut value = Truth::No;
    let mut at = r.span();
    for rule in r.blocks("rule") {
        let Some(k) = rule.known("object_ownership") else {
            continue;
        };
        let this = match k.as_deref() {
            Some("BucketOwnerEnforced") => Truth::Yes,
            Some(_) => Truth::No,
            None => Truth::Unknown,
        };
        if this.is_yes()
            && let Some(span) = rule.value_span("object_ownership")
        {
            at = span;
        }
        value = value.or(this);
    }
    m.settings.push(BucketSetting {
        bucket: bucket.clone(),
        setting: Setting::OwnerEnforced,
        value,
        at,
        guard: r.guard(),
        key: None,
    });
    m.ownership.push((bucket, value, at));
}

/// A trail with the provider's defaults: no prefix, not an organization trail, no key (an
/// empty key ID is none).
fn trail(r: &dyn Resource) -> Trail {
    let ids = r.trail_ids();
    Trail {
        address: r.address(),
        span: r.span(),
        name: ids.name,
        arn: ids.arn,
        account: ids.account,
        partition: ids.partition,
        org_id: Some(ids.org_id),
        is_org: r.truth("is_organization_trail").unwrap_or(Truth::No),
        prefix: r
            .spanned("s3_key_prefix")
            .map(|(t, _)| t)
            .unwrap_or_default(),
        bucket: r.spanned("s3_bucket_name"),
        key: r
            .spanned("kms_key_id")
            .filter(|(t, _)| t.as_str() != Some("")),
        standalone_only: false,
        no_key: false,
        guard: r.guard(),
    }
}

/// Where a log source delivers: its kind, bucket and prefix, and for S3 access logs the
/// bucket whose logs they are.
pub struct Delivery {
    pub kind: SourceKind,
    pub bucket: Text,
    pub prefix: Option<Text>,
    pub origin: Option<Text>,
}

impl Delivery {
    fn new(kind: SourceKind, bucket: Text, prefix: Option<Text>) -> Delivery {
        Delivery {
            kind,
            bucket,
            prefix,
            origin: None,
        }
    }
}

/// What a log-related resource tells.
pub enum Logging {
    /// Logs delivered to a bucket.
    Delivery(Delivery),
    /// An AWS Config recorder's role.
    Recorder(Text),
}

/// The log delivery (or Config recorder) a resource of type `ty` sets up, if any.
pub fn logging(ty: &str, v: &dyn Values) -> Option<Logging> {
    let d = match ty {
        "aws_lb" | "aws_alb" | "aws_elb" => load_balancer(ty, v)?,
        "aws_s3_bucket_logging" => Delivery {
            origin: v.text("bucket"),
            ..Delivery::new(
                SourceKind::S3AccessLogs,
                v.text("target_bucket")?,
                v.text("target_prefix"),
            )
        },
        "aws_redshift_logging" => {
            // S3 unless another destination is named (an unknown one is not S3 for certain).
            let to_s3 = match v.known("log_destination_type") {
                None => true,
                Some(k) => k.as_deref() == Some("s3"),
            };
            if !to_s3 {
                return None;
            }
            Delivery::new(
                SourceKind::Redshift,
                v.text("bucket_name")?,
                v.text("s3_key_prefix"),
            )
        }
        // The deprecated in-cluster form.
        "aws_redshift_cluster" => {
            let logs = v.block("logging")?;
            let enabled = logs.truth("enable").unwrap_or(Truth::No);
            let to_s3 = logs
                .known("log_destination_type")
                .is_none_or(|k| k.as_deref() == Some("s3"));
            if !(enabled.is_yes() && to_s3) {
                return None;
            }
            Delivery::new(
                SourceKind::Redshift,
                logs.text("bucket_name")?,
                logs.text("s3_key_prefix"),
            )
        }
        "aws_cloudfront_distribution" => {
            let logs = v.block("logging_config")?;
            let bucket = bucket_of_domain(&logs.text("bucket")?)?;
            Delivery::new(SourceKind::CloudFront, bucket, logs.text("prefix"))
        }
        "aws_config_delivery_channel" => Delivery::new(
            SourceKind::Config,
            v.text("s3_bucket_name")?,
            v.text("s3_key_prefix"),
        ),
        "aws_config_configuration_recorder" => return Some(Logging::Recorder(v.text("role_arn")?)),
        "aws_flow_log" => {
            if v.known("log_destination_type") != Some(Some("s3".into())) {
                return None;
            }
            let (bucket, prefix) = bucket_of_arn(&v.text("log_destination")?)?;
            Delivery::new(SourceKind::FlowLogs, bucket, Some(prefix))
        }
        _ => return None,
    };
    Some(Logging::Delivery(d))
}

/// A load balancer's access logs: `aws_lb`'s are off unless enabled, `aws_elb`'s on; an
/// `aws_lb` is an application load balancer unless its type says otherwise.
fn load_balancer(ty: &str, v: &dyn Values) -> Option<Delivery> {
    let logs = v.block("access_logs")?;
    let enabled = logs
        .truth("enabled")
        .unwrap_or(Truth::from_bool(ty == "aws_elb"));
    let (kind, prefix) = if ty == "aws_elb" {
        (SourceKind::ClassicElb, "bucket_prefix")
    } else {
        match v.known("load_balancer_type") {
            None => (SourceKind::Alb, "prefix"),
            Some(k) => match k.as_deref() {
                Some("application") => (SourceKind::Alb, "prefix"),
                Some("network") => (SourceKind::Nlb, "prefix"),
                _ => return None,
            },
        }
    };
    let bucket = logs.text("bucket")?;
    enabled
        .is_yes()
        .then(|| Delivery::new(kind, bucket, logs.text(prefix)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The resource types a dispatch names (`"aws_…" =>` or `"aws_…" |`) in the source.
    fn dispatched(source: &str) -> Vec<String> {
        let code = source.split("#[cfg(test)]").next().unwrap_or(source);
        let mut out = vec![];
        for (at, _) in code.match_indices("\"aws_") {
            let rest = &code[at + 1..];
            let Some(end) = rest.find('"') else { continue };
            let after = rest[end + 1..].trim_start();
            if after.starts_with("=>") || after.starts_with('|') {
                out.push(rest[..end].to_string());
            }
        }
        out
    }

    #[test]
    fn every_type_a_dispatch_reads_is_evaluated() {
        let mut named = dispatched(include_str!("resources.rs"));
        named.extend(dispatched(include_str!("logs.rs")));
        assert!(
            named.len() >= 19,
            "the dispatches were not found: {named:?}"
        );
        for ty in &named {
            assert!(
                is_read(ty),
                "{ty} is read by a dispatch but not in READ_TYPES"
            );
        }
        for ty in READ_TYPES {
            assert!(
                named.iter().any(|n| n == ty),
                "{ty} is in READ_TYPES but read nowhere"
            );
        }
        assert!(!is_read("aws_security_group") && !is_read("aws_s3_bucket_versioning"));
    }

    /// Values from a table: strings, booleans and nested blocks.
    #[derive(Default)]
    struct Table {
        strings: HashMap<&'static str, Option<&'static str>>,
        bools: HashMap<&'static str, bool>,
        blocks: HashMap<&'static str, Table>,
    }

    impl Values for Table {
        fn text(&self, key: &str) -> Option<Text> {
            self.strings
                .get(key)
                .map(|v| v.map_or_else(|| Text::unknown(key), Text::lit))
        }
        fn known(&self, key: &str) -> Option<Option<String>> {
            self.strings.get(key).map(|v| v.map(String::from))
        }
        fn truth(&self, key: &str) -> Option<Truth> {
            self.bools.get(key).map(|b| Truth::from_bool(*b))
        }
        fn block<'s>(&'s self, name: &str) -> Option<Box<dyn Values + 's>> {
            self.blocks
                .get(name)
                .map(|b| Box::new(b) as Box<dyn Values + 's>)
        }
        fn blocks<'s>(&'s self, name: &str) -> Vec<Box<dyn Values + 's>> {
            self.block(name).into_iter().collect()
        }
        fn spanned(&self, key: &str) -> Option<(Text, Span)> {
            self.text(key).map(|t| (t, Span::new(0, 0, 0)))
        }
        fn value_span(&self, key: &str) -> Option<Span> {
            self.spanned(key).map(|(_, s)| s)
        }
    }

    impl Values for &Table {
        fn text(&self, key: &str) -> Option<Text> {
            (*self).text(key)
        }
        fn known(&self, key: &str) -> Option<Option<String>> {
            (*self).known(key)
        }
        fn truth(&self, key: &str) -> Option<Truth> {
            (*self).truth(key)
        }
        fn block<'s>(&'s self, name: &str) -> Option<Box<dyn Values + 's>> {
            (*self).block(name)
        }
        fn blocks<'s>(&'s self, name: &str) -> Vec<Box<dyn Values + 's>> {
            (*self).blocks(name)
        }
        fn spanned(&self, key: &str) -> Option<(Text, Span)> {
            (*self).spanned(key)
        }
        fn value_span(&self, key: &str) -> Option<Span> {
            (*self).value_span(key)
        }
    }

    fn delivery(ty: &str, t: &Table) -> Option<(SourceKind, String, String)> {
        match logging(ty, t)? {
            Logging::Delivery(d) => Some((
                d.kind,
                d.bucket.to_string(),
                d.prefix.map(|p| p.to_string()).unwrap_or_default(),
            )),
            Logging::Recorder(_) => None,
        }
    }

    fn logs(bucket: &'static str, enabled: Option<bool>) -> Table {
        let mut t = Table::default();
        t.strings.insert("bucket", Some(bucket));
        if let Some(e) = enabled {
            t.bools.insert("enabled", e);
        }
        t
    }

    #[test]
    fn load_balancer_defaults() {
        let mut alb = Table::default();
        alb.blocks.insert("access_logs", logs("b", None));
        // An ALB logs only when enabled; a Classic ELB unless disabled.
        assert_eq!(delivery("aws_lb", &alb), None);
        assert_eq!(
            delivery("aws_elb", &alb).map(|d| d.0),
            Some(SourceKind::ClassicElb)
        );
        alb.blocks.insert("access_logs", logs("b", Some(true)));
        assert_eq!(delivery("aws_lb", &alb).map(|d| d.0), Some(SourceKind::Alb));
        alb.strings.insert("load_balancer_type", Some("network"));
        assert_eq!(delivery("aws_lb", &alb).map(|d| d.0), Some(SourceKind::Nlb));
        // A type that is not known: no source for certain.
        alb.strings.insert("load_balancer_type", None);
        assert_eq!(delivery("aws_lb", &alb), None);
    }

    #[test]
    fn destinations_other_than_s3_deliver_nothing() {
        let mut flow = Table::default();
        flow.strings
            .insert("log_destination", Some("arn:aws:s3:::logs/flow"));
        assert_eq!(delivery("aws_flow_log", &flow), None);
        flow.strings.insert("log_destination_type", Some("s3"));
        assert_eq!(
            delivery("aws_flow_log", &flow),
            Some((SourceKind::FlowLogs, "logs".into(), "flow".into()))
        );
        let mut rs = Table::default();
        rs.strings.insert("bucket_name", Some("logs"));
        assert!(delivery("aws_redshift_logging", &rs).is_some());
        rs.strings
            .insert("log_destination_type", Some("cloudwatch"));
        assert_eq!(delivery("aws_redshift_logging", &rs), None);
    }

    #[test]
    fn cloudfront_names_its_bucket_by_domain() {
        let mut cf = Table::default();
        let mut lc = Table::default();
        lc.strings.insert("bucket", Some("logs.s3.amazonaws.com"));
        lc.strings.insert("prefix", Some("cf/"));
        cf.blocks.insert("logging_config", lc);
        assert_eq!(
            delivery("aws_cloudfront_distribution", &cf),
            Some((SourceKind::CloudFront, "logs".into(), "cf/".into()))
        );
    }

    #[test]
    fn recorders_and_other_types() {
        let mut rec = Table::default();
        rec.strings
            .insert("role_arn", Some("arn:aws:iam::1:role/x"));
        assert!(matches!(
            logging("aws_config_configuration_recorder", &rec),
            Some(Logging::Recorder(_))
        ));
        assert!(logging("aws_instance", &rec).is_none());
    }
}
