//! CloudFormation resources that deliver logs to a bucket (the log sources of TG100–TG105) and
//! the bucket settings those rules read: default encryption, Object Ownership, the LogDelivery
//! ACL.

use super::*;
use crate::model::{BucketSetting, LogSource, Setting, SourceKind};

/// A known string's value.
fn known(n: &Node) -> Option<String> {
    n.scalar_text().and_then(|t| t.as_str().map(str::to_string))
}

/// A Boolean property, written as a YAML Boolean or a string.
fn truth(n: Option<&Node>) -> Truth {
    match n.map(|n| &n.kind) {
        None => Truth::No,
        Some(NodeKind::Bool(b)) => Truth::from_bool(*b),
        Some(_) => match n.and_then(known).map(|s| s.to_ascii_lowercase()).as_deref() {
            Some("true") => Truth::Yes,
            Some("false") => Truth::No,
            _ => Truth::Unknown,
        },
    }
}

fn entries(n: &Node) -> &[Node] {
    match &n.kind {
        NodeKind::List(l) => l,
        _ => &[],
    }
}

impl Cx<'_> {
    /// The bucket settings of an `AWS::S3::Bucket`, and the S3 server access logs it sends to
    /// another bucket (`LoggingConfiguration`).
    pub(super) fn bucket_settings(&self, m: &mut Model, r: &Entry, name: &Text, guard: &Guard) {
        let mut setting = |setting: Setting, value: Truth, at: Span, key: Option<Text>| {
            m.settings.push(BucketSetting {
                bucket: name.clone(),
                setting,
                value,
                at,
                // With the conditions of `Fn::If` branches on the way.
                guard: self.guards.guard_within(at, guard),
                key,
            });
        };
        if let Some(rules) = self.prop(r, "BucketEncryption").and_then(|e| {
            e.get("ServerSideEncryptionConfiguration")
                .map(|x| x.value.clone())
        }) {
            for rule in entries(&rules) {
                let by_default = rule.get("ServerSideEncryptionByDefault");
                if let Some(alg) = by_default.and_then(|d| d.value.get("SSEAlgorithm")) {
                    let key = by_default
                        .and_then(|d| d.value.get("KMSMasterKeyID"))
                        .and_then(|k| k.value.scalar_text());
                    let kms = match known(&alg.value).as_deref() {
                        Some("aws:kms" | "aws:kms:dsse") => Truth::Yes,
                        Some(_) => Truth::No,
                        None => Truth::Unknown,
                    };
                    setting(Setting::KmsDefault, kms, alg.value.span, key);
                }
            }
        }
        let mut ownership = vec![];
        if let Some(rules) = self
            .prop(r, "OwnershipControls")
            .and_then(|oc| oc.get("Rules").map(|e| e.value.clone()))
        {
            for rule in entries(&rules) {
                if let Some(o) = rule.get("ObjectOwnership") {
                    let t = match known(&o.value).as_deref() {
                        Some(s) => Truth::from_bool(s == "BucketOwnerEnforced"),
                        None => Truth::Unknown,
                    };
                    setting(Setting::OwnerEnforced, t, o.value.span, None);
                    ownership.push((name.clone(), t, o.value.span));
                }
            }
        }
        if let Some(acl) = self.prop(r, "AccessControl") {
            let grants = match known(&acl).as_deref() {
                Some("LogDeliveryWrite") => Truth::Yes,
                Some(_) => Truth::No,
                None => Truth::Unknown,
            };
            setting(Setting::LogDeliveryAcl, grants, acl.span, None);
        }
        m.ownership.extend(ownership);
        if let Some(lc) = self.prop(r, "LoggingConfiguration")
            && let Some(dest) = lc.get("DestinationBucketName")
            && let Some(bucket) = dest.value.scalar_text()
        {
            let prefix = lc
                .get("LogFilePrefix")
                .and_then(|p| p.value.scalar_text())
                .unwrap_or_default();
            m.sources.push(LogSource {
                kind: SourceKind::S3AccessLogs,
                address: r.key.clone(),
                span: lc.span,
                bucket,
                prefix,
                account: self.pseudo("AWS::AccountId").unwrap_or_default(),
                partition: self.pseudo("AWS::Partition").unwrap_or_default(),
                origin: Some(name.clone()),
                unit: format!("template {}", self.file),
                // `AWS::Region`: the stack's, unknown.
                region: None,
                service_linked: Truth::Unknown,
                guard: self.guards.guard_within(lc.span, guard),
            });
        }
    }

    /// A log source other than a bucket's access logs; whether the resource type is one.
    pub(super) fn log_source(&self, m: &mut Model, r: &Entry, span: Span, guard: &Guard) -> bool {
        // The source exists under its resource's condition and those of the `Fn::If`
        // branches its settings were taken from.
        let push = |m: &mut Model,
                    kind: SourceKind,
                    bucket: Text,
                    prefix: Option<Text>,
                    within: &[Span]| {
            let guard = within
                .iter()
                .fold(guard.clone(), |g, w| self.guards.guard_within(*w, &g));
            m.sources.push(LogSource {
                kind,
                address: r.key.clone(),
                span,
                bucket,
                prefix: prefix.unwrap_or_default(),
                account: self.pseudo("AWS::AccountId").unwrap_or_default(),
                partition: self.pseudo("AWS::Partition").unwrap_or_default(),
                origin: None,
                unit: format!("template {}", self.file),
                // `AWS::Region`: the stack's, unknown.
                region: None,
                service_linked: Truth::Unknown,
                guard,
            });
        };
        match Cx::rtype(r).as_str() {
            "AWS::ElasticLoadBalancingV2::LoadBalancer" => {
                let kind = match self.prop(r, "Type").as_ref().map(known) {
                    None => Some(SourceKind::Alb),
                    Some(Some(t)) if t == "application" => Some(SourceKind::Alb),
                    Some(Some(t)) if t == "network" => Some(SourceKind::Nlb),
                    _ => None,
                };
                let attrs = self.prop(r, "LoadBalancerAttributes");
                let attr = |key: &str| {
                    attrs.as_ref().and_then(|a| {
                        entries(a)
                            .iter()
                            .find(|x| {
                                x.get("Key").and_then(|k| known(&k.value)).as_deref() == Some(key)
                            })
                            .and_then(|x| x.get("Value").map(|v| v.value.clone()))
                    })
                };
                let on = attr("access_logs.s3.enabled");
                let enabled = truth(on.as_ref());
                let bucket_node = attr("access_logs.s3.bucket");
                if let (true, Some(kind), Some(bucket)) = (
                    enabled.is_yes(),
                    kind,
                    bucket_node.as_ref().and_then(|b| b.scalar_text()),
                ) {
                    let prefix = attr("access_logs.s3.prefix").and_then(|p| p.scalar_text());
                    let within: Vec<Span> = on.iter().chain(&bucket_node).map(|n| n.span).collect();
                    push(m, kind, bucket, prefix, &within);
                }
            }
            "AWS::ElasticLoadBalancing::LoadBalancer" => {
                if let Some(p) = self.prop(r, "AccessLoggingPolicy")
                    && truth(p.get("Enabled").map(|e| &e.value)).is_yes()
                    && let Some(bucket) = p.get("S3BucketName").and_then(|b| b.value.scalar_text())
                {
                    let prefix = p.get("S3BucketPrefix").and_then(|x| x.value.scalar_text());
                    push(m, SourceKind::ClassicElb, bucket, prefix, &[p.span]);
                }
            }
            "AWS::CloudFront::Distribution" => {
                if let Some(logging) = self
                    .prop(r, "DistributionConfig")
                    .and_then(|c| c.get("Logging").map(|l| l.value.clone()))
                    && let Some(domain) = logging.get("Bucket").and_then(|b| b.value.scalar_text())
                    && let Some(bucket) = crate::aws::s3::bucket_of_domain(&domain)
                {
                    let prefix = logging.get("Prefix").and_then(|p| p.value.scalar_text());
                    push(m, SourceKind::CloudFront, bucket, prefix, &[logging.span]);
                }
            }
            "AWS::Config::DeliveryChannel" => {
                if let Some(bucket) = self.prop_text(r, "S3BucketName") {
                    push(
                        m,
                        SourceKind::Config,
                        bucket,
                        self.prop_text(r, "S3KeyPrefix"),
                        &[],
                    );
                }
            }
            "AWS::Config::ConfigurationRecorder" => {
                if let Some(role) = self.prop_text(r, "RoleARN") {
                    m.recorders.push((
                        format!("template {}", self.file),
                        crate::aws::logdelivery::service_linked_config_role(&role),
                    ));
                }
            }
            "AWS::EC2::FlowLog" => {
                if self
                    .prop(r, "LogDestinationType")
                    .as_ref()
                    .and_then(known)
                    .as_deref()
                    == Some("s3")
                    && let Some(dest) = self.prop_text(r, "LogDestination")
                    && let Some((bucket, prefix)) = crate::aws::s3::bucket_of_arn(&dest)
                {
                    push(m, SourceKind::FlowLogs, bucket, Some(prefix), &[]);
                }
            }
            "AWS::Redshift::Cluster" => {
                if let Some(p) = self.prop(r, "LoggingProperties")
                    && p.get("LogDestinationType")
                        .is_none_or(|t| known(&t.value).as_deref() == Some("s3"))
                    && let Some(bucket) = p.get("BucketName").and_then(|b| b.value.scalar_text())
                {
                    let prefix = p.get("S3KeyPrefix").and_then(|x| x.value.scalar_text());
                    push(m, SourceKind::Redshift, bucket, prefix, &[p.span]);
                }
            }
            _ => return false,
        }
        true
    }
}
