//! Terraform resources to the model, written once: the HCL evaluation ([`super::eval`]) and
//! plans ([`crate::frontend::plan`]) both hand a resource's values over through [`Values`] and
//! get the same model pieces with the provider's defaults. What only one of them can tell (an
//! HCL expression's guard, a plan's stated defaults) stays in its [`Values`].

use crate::aws::s3::{bucket_of_arn, bucket_of_domain};
use crate::model::SourceKind;
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
