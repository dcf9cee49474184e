//! Terraform resources that deliver logs to a bucket (the log sources of TG100–TG105) and the
//! bucket settings those rules read: default encryption, Object Ownership, the LogDelivery ACL.

use super::hcl_values::Hcl;
use super::*;
use crate::frontend::terraform::resources::{Logging, logging};
use crate::model::{BucketSetting, LogSource, Setting, SourceKind};

impl Instance<'_> {
    /// Reads a log source or a bucket setting, if the resource is one.
    pub(super) fn build_log_resource(
        &self,
        m: &mut Model,
        ty: &str,
        name: &str,
        b: &Block,
        file: FileId,
    ) {
        let span = span_of(file, b.span());
        match logging(ty, &Hcl::new(self, ty, name, b, file)) {
            Some(Logging::Delivery(d)) => m.sources.push(LogSource {
                kind: d.kind,
                address: self.address(ty, name),
                span,
                bucket: d.bucket,
                prefix: d.prefix.unwrap_or_default(),
                account: self.account(Some(b)),
                partition: self.partition(Some(b)),
                origin: d.origin,
                unit: self.root_dir().display().to_string(),
                region: self.provider_region(b),
                service_linked: Truth::Unknown,
                guard: self.resource_guard(b, file),
            }),
            Some(Logging::Recorder(role)) => m.recorders.push((
                self.root_dir().display().to_string(),
                crate::aws::logdelivery::service_linked_config_role(&role),
            )),
            None => {}
        }
        match ty {
            "aws_s3_bucket_server_side_encryption_configuration" => {
                if let Some(bucket) = self.attr_text(b, file, "bucket") {
                    self.encryption_rules(m, bucket, b, file, self.resource_guard(b, file));
                }
            }
            "aws_s3_bucket_acl" => {
                if let Some(bucket) = self.attr_text(b, file, "bucket")
                    && let Some(value) = self.acl_grants(b, file)
                {
                    m.settings.push(BucketSetting {
                        bucket,
                        setting: Setting::LogDeliveryAcl,
                        value,
                        at: span,
                        guard: self.resource_guard(b, file),
                        key: None,
                    });
                }
            }
            _ => {}
        }
    }

    /// The settings an `aws_s3_bucket` block holds in-line: `server_side_encryption_configuration`,
    /// `acl` and `grant`, `logging`.
    pub(super) fn inline_bucket_settings(
        &self,
        m: &mut Model,
        name: &str,
        b: &Block,
        file: FileId,
    ) {
        let bucket = self.bucket_name(name);
        let guard = self.resource_guard(b, file);
        if let Some(sse) = b
            .body
            .blocks()
            .find(|x| x.ident.as_str() == "server_side_encryption_configuration")
        {
            self.encryption_rules(m, bucket.clone(), sse, file, guard.clone());
        }
        if let Some(value) = self.acl_grants(b, file) {
            m.settings.push(BucketSetting {
                bucket: bucket.clone(),
                setting: Setting::LogDeliveryAcl,
                value,
                at: span_of(file, b.span()),
                guard: guard.clone(),
                key: None,
            });
        }
        if let Some(logs) = b.body.blocks().find(|x| x.ident.as_str() == "logging")
            && let Some(target) = self.attr_text(logs, file, "target_bucket")
        {
            m.sources.push(LogSource {
                kind: SourceKind::S3AccessLogs,
                address: self.address("aws_s3_bucket", name),
                span: span_of(file, logs.span()),
                bucket: target,
                prefix: self
                    .attr_text(logs, file, "target_prefix")
                    .unwrap_or_default(),
                account: self.account(Some(b)),
                partition: self.partition(Some(b)),
                origin: Some(bucket),
                unit: self.root_dir().display().to_string(),
                region: self.provider_region(b),
                service_linked: Truth::Unknown,
                guard,
            });
        }
    }

    /// The literal `region` of the `aws` provider a root module's resource uses (its
    /// `provider = aws.ALIAS`, else the default one); `None` in a called module, or when the
    /// provider is not written once with a literal Region.
    fn provider_region(&self, b: &Block) -> Option<String> {
        if self.module.dir != self.root_dir() {
            return None;
        }
        let alias = b
            .body
            .get_attribute("provider")
            .map(|a| a.value.to_string().trim().to_string())
            .and_then(|p| p.strip_prefix("aws.").map(str::to_string));
        let mut found = vec![];
        for (fid, body) in &self.module.files {
            for p in body.blocks().filter(|p| {
                p.ident.as_str() == "provider"
                    && p.labels.first().map(|l| l.as_str()) == Some("aws")
            }) {
                let this = self
                    .block_attr(p, *fid, "alias")
                    .and_then(|v| known_str(&v));
                if this == alias {
                    found.push(
                        self.block_attr(p, *fid, "region")
                            .and_then(|v| known_str(&v)),
                    );
                }
            }
        }
        match found.as_slice() {
            [Some(r)] => Some(r.clone()),
            _ => None,
        }
    }

    /// Whether a block's ACL grants the LogDelivery group: a canned `acl`, or grants
    /// (`grant`, `access_control_policy`, `dynamic "grant"`) naming the group's URI; `None`
    /// when the block sets no ACL.
    fn acl_grants(&self, b: &Block, file: FileId) -> Option<Truth> {
        if let Some(acl) = self.block_attr(b, file, "acl") {
            return Some(log_delivery(&acl));
        }
        let grants = b.body.blocks().any(|x| {
            matches!(x.ident.as_str(), "grant" | "access_control_policy")
                || (x.ident.as_str() == "dynamic"
                    && x.labels.first().map(|l| l.as_str()) == Some("grant"))
        });
        if !grants {
            return None;
        }
        // The grants' text: the group's URI written there, or a value that may be it.
        let text = b.body.to_string();
        Some(if text.contains("groups/s3/LogDelivery") {
            Truth::Yes
        } else {
            Truth::Unknown
        })
    }

    /// `rule { apply_server_side_encryption_by_default { sse_algorithm } }`.
    fn encryption_rules(&self, m: &mut Model, bucket: Text, b: &Block, file: FileId, guard: Guard) {
        for rule in b.body.blocks().filter(|x| x.ident.as_str() == "rule") {
            for d in rule
                .body
                .blocks()
                .filter(|x| x.ident.as_str() == "apply_server_side_encryption_by_default")
            {
                if let Some(a) = d.body.get_attribute("sse_algorithm") {
                    let v = self.eval(&a.value, file, &Scope::default());
                    let value = match known_str(&v).as_deref() {
                        Some("aws:kms" | "aws:kms:dsse") => Truth::Yes,
                        Some(_) => Truth::No,
                        None => Truth::Unknown,
                    };
                    m.settings.push(BucketSetting {
                        bucket: bucket.clone(),
                        setting: Setting::KmsDefault,
                        value,
                        at: span_of(file, a.value.span()),
                        guard: guard.clone(),
                        key: self.attr_text(d, file, "kms_master_key_id"),
                    });
                }
            }
        }
    }
}

/// Whether a canned ACL value grants the LogDelivery group.
fn log_delivery(acl: &Node) -> Truth {
    match known_str(acl).as_deref() {
        Some("log-delivery-write") => Truth::Yes,
        Some(_) => Truth::No,
        None => Truth::Unknown,
    }
}
