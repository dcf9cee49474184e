//! Log sources and bucket settings in a Terraform plan (`terraform show -json`): the planned
//! values of the resources `frontend::terraform::logs` reads from HCL.

use crate::model::{BucketSetting, LogSource, Model, Setting, SourceKind};
use crate::source::Span;
use crate::value::Truth;
use crate::value::{Node, NodeKind, Text};

fn str_at(n: &Node, key: &str) -> Option<Text> {
    match &n.get(key)?.value.kind {
        NodeKind::Str(t) if t.as_str() != Some("") => Some(t.clone()),
        _ => None,
    }
}

fn bool_at(n: &Node, key: &str) -> Truth {
    match n.get(key).map(|e| &e.value.kind) {
        Some(NodeKind::Bool(b)) => Truth::from_bool(*b),
        None | Some(NodeKind::Null) => Truth::No,
        _ => Truth::Unknown,
    }
}

/// The first element of a nested block (plans write blocks as lists).
fn block<'a>(n: &'a Node, key: &str) -> Option<&'a Node> {
    match &n.get(key)?.value.kind {
        NodeKind::List(l) => l.first(),
        NodeKind::Map(_) => n.get(key).map(|e| &e.value),
        _ => None,
    }
}

/// What a plan's resource adds: a log source, a bucket setting, a Config recorder.
#[allow(clippy::too_many_arguments)]
pub fn read(
    m: &mut Model,
    ty: &str,
    address: &str,
    v: &Node,
    span: Span,
    unit: &str,
    account: &Text,
    partition: &Text,
) {
    let source = |kind: SourceKind, bucket: Text, prefix: Option<Text>| LogSource {
        kind,
        address: address.to_string(),
        span,
        bucket,
        prefix: prefix.unwrap_or_default(),
        account: account.clone(),
        partition: partition.clone(),
        origin: None,
        unit: unit.to_string(),
        region: None,
        service_linked: Truth::Unknown,
        guard: Default::default(),
    };
    match ty {
        "aws_lb" | "aws_alb" | "aws_elb" => {
            let Some(logs) = block(v, "access_logs") else {
                return;
            };
            let kind = if ty == "aws_elb" {
                Some(SourceKind::ClassicElb)
            } else {
                match str_at(v, "load_balancer_type")
                    .as_ref()
                    .and_then(Text::as_str)
                {
                    None | Some("application") => Some(SourceKind::Alb),
                    Some("network") => Some(SourceKind::Nlb),
                    _ => None,
                }
            };
            let prefix_key = if ty == "aws_elb" {
                "bucket_prefix"
            } else {
                "prefix"
            };
            if let (true, Some(kind), Some(bucket)) = (
                bool_at(logs, "enabled").is_yes(),
                kind,
                str_at(logs, "bucket"),
            ) {
                m.sources
                    .push(source(kind, bucket, str_at(logs, prefix_key)));
            }
        }
        "aws_flow_log" => {
            if str_at(v, "log_destination_type")
                .as_ref()
                .and_then(Text::as_str)
                == Some("s3")
                && let Some(dest) = str_at(v, "log_destination")
                && let Some((bucket, prefix)) = crate::aws::s3::bucket_of_arn(&dest)
            {
                m.sources
                    .push(source(SourceKind::FlowLogs, bucket, Some(prefix)));
            }
        }
        "aws_config_delivery_channel" => {
            if let Some(bucket) = str_at(v, "s3_bucket_name") {
                m.sources.push(source(
                    SourceKind::Config,
                    bucket,
                    str_at(v, "s3_key_prefix"),
                ));
            }
        }
        "aws_config_configuration_recorder" => {
            if let Some(role) = str_at(v, "role_arn") {
                m.recorders.push((
                    unit.to_string(),
                    crate::aws::logdelivery::service_linked_config_role(&role),
                ));
            }
        }
        "aws_cloudfront_distribution" => {
            if let Some(logs) = block(v, "logging_config")
                && let Some(domain) = str_at(logs, "bucket")
                && let Some(bucket) = crate::aws::s3::bucket_of_domain(&domain)
            {
                m.sources.push(source(
                    SourceKind::CloudFront,
                    bucket,
                    str_at(logs, "prefix"),
                ));
            }
        }
        "aws_redshift_logging" => {
            let to_s3 = matches!(
                str_at(v, "log_destination_type")
                    .as_ref()
                    .and_then(Text::as_str),
                None | Some("s3")
            );
            if to_s3 && let Some(bucket) = str_at(v, "bucket_name") {
                m.sources.push(source(
                    SourceKind::Redshift,
                    bucket,
                    str_at(v, "s3_key_prefix"),
                ));
            }
        }
        "aws_s3_bucket_logging" => {
            if let Some(target) = str_at(v, "target_bucket") {
                let mut s = source(SourceKind::S3AccessLogs, target, str_at(v, "target_prefix"));
                s.origin = str_at(v, "bucket");
                m.sources.push(s);
            }
        }
        "aws_s3_bucket_server_side_encryption_configuration" => {
            let Some(bucket) = str_at(v, "bucket") else {
                return;
            };
            if let Some(d) =
                block(v, "rule").and_then(|r| block(r, "apply_server_side_encryption_by_default"))
                && let Some(e) = d.get("sse_algorithm")
            {
                let value = match &e.value.kind {
                    NodeKind::Str(t) => match t.as_str() {
                        Some("aws:kms" | "aws:kms:dsse") => Truth::Yes,
                        Some(_) => Truth::No,
                        None => Truth::Unknown,
                    },
                    _ => Truth::Unknown,
                };
                m.settings.push(BucketSetting {
                    bucket,
                    setting: Setting::KmsDefault,
                    value,
                    at: e.value.span,
                    guard: Default::default(),
                    key: str_at(d, "kms_master_key_id"),
                });
            }
        }
        "aws_s3_bucket_acl" => {
            if let (Some(bucket), Some(acl)) = (str_at(v, "bucket"), str_at(v, "acl")) {
                m.settings.push(BucketSetting {
                    bucket,
                    setting: Setting::LogDeliveryAcl,
                    value: Truth::from_bool(acl.as_str() == Some("log-delivery-write")),
                    at: span,
                    guard: Default::default(),
                    key: None,
                });
            }
        }
        _ => {}
    }
}
