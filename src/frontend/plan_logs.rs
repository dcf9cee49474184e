//! Log sources and bucket settings in a Terraform plan (`terraform show -json`): the planned
//! values of the resources `frontend::terraform::logs` reads from HCL.

use crate::frontend::terraform::resources::{Logging, Values, logging};
use crate::model::{BucketSetting, LogSource, Model, Setting};
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
    match logging(ty, &Planned(v)) {
        Some(Logging::Delivery(d)) => m.sources.push(LogSource {
            kind: d.kind,
            address: address.to_string(),
            span,
            bucket: d.bucket,
            prefix: d.prefix.unwrap_or_default(),
            account: account.clone(),
            partition: partition.clone(),
            origin: d.origin,
            unit: unit.to_string(),
            region: None,
            service_linked: Truth::Unknown,
            guard: Default::default(),
        }),
        Some(Logging::Recorder(role)) => m.recorders.push((
            unit.to_string(),
            crate::aws::logdelivery::service_linked_config_role(&role),
        )),
        None => {}
    }
    match ty {
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

/// A planned resource's values as the shared mapping reads them: a plan states every value it
/// knows, so a boolean it does not state is false, and an empty string is no value.
pub(super) struct Planned<'a>(pub(super) &'a Node);

impl Values for Planned<'_> {
    fn text(&self, key: &str) -> Option<Text> {
        str_at(self.0, key)
    }

    fn known(&self, key: &str) -> Option<Option<String>> {
        str_at(self.0, key).map(|t| t.as_str().map(str::to_string))
    }

    fn truth(&self, key: &str) -> Option<Truth> {
        Some(bool_at(self.0, key))
    }

    fn block<'s>(&'s self, name: &str) -> Option<Box<dyn Values + 's>> {
        block(self.0, name).map(|n| Box::new(Planned(n)) as Box<dyn Values + 's>)
    }

    fn blocks<'s>(&'s self, name: &str) -> Vec<Box<dyn Values + 's>> {
        match self.0.get(name).map(|e| &e.value.kind) {
            Some(NodeKind::List(l)) => l
                .iter()
                .map(|n| Box::new(Planned(n)) as Box<dyn Values + 's>)
                .collect(),
            _ => self.block(name).into_iter().collect(),
        }
    }

    /// Any string, the empty one too, at its value.
    fn spanned(&self, key: &str) -> Option<(Text, Span)> {
        let e = self.0.get(key)?;
        match &e.value.kind {
            NodeKind::Str(t) => Some((t.clone(), e.value.span)),
            _ => None,
        }
    }

    fn value_span(&self, key: &str) -> Option<Span> {
        self.0.get(key).map(|e| e.value.span)
    }
}
