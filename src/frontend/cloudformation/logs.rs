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
        let found = match Cx::rtype(r).as_str() {
            "AWS::ElasticLoadBalancingV2::LoadBalancer" => self.load_balancer_v2(r),
            "AWS::ElasticLoadBalancing::LoadBalancer" => {
                self.prop(r, "AccessLoggingPolicy").and_then(|p| {
                    if !truth(p.get("Enabled").map(|e| &e.value)).is_yes() {
                        return None;
                    }
                    let bucket = p.get("S3BucketName")?.value.scalar_text()?;
                    let prefix = p.get("S3BucketPrefix").and_then(|x| x.value.scalar_text());
                    Some(Found {
                        kind: SourceKind::ClassicElb,
                        bucket,
                        prefix,
                        within: vec![p.span],
                    })
                })
            }
            "AWS::CloudFront::Distribution" => self
                .prop(r, "DistributionConfig")
                .and_then(|c| c.get("Logging").map(|l| l.value.clone()))
                .and_then(|logging| {
                    let domain = logging.get("Bucket")?.value.scalar_text()?;
                    let bucket = crate::aws::s3::bucket_of_domain(&domain)?;
                    let prefix = logging.get("Prefix").and_then(|p| p.value.scalar_text());
                    Some(Found {
                        kind: SourceKind::CloudFront,
                        bucket,
                        prefix,
                        within: vec![logging.span],
                    })
                }),
            "AWS::Config::DeliveryChannel" => self.prop_text(r, "S3BucketName").map(|bucket| {
                let prefix = self.prop_text(r, "S3KeyPrefix");
                Found {
                    kind: SourceKind::Config,
                    bucket,
                    prefix,
                    within: vec![],
                }
            }),
            "AWS::Config::ConfigurationRecorder" => {
                if let Some(role) = self.prop_text(r, "RoleARN") {
                    m.recorders.push((
                        format!("template {}", self.file),
                        crate::aws::logdelivery::service_linked_config_role(&role),
                    ));
                }
                None
            }
            "AWS::EC2::FlowLog" => self.flow_log(r),
            "AWS::Redshift::Cluster" => self.prop(r, "LoggingProperties").and_then(|p| {
                if p.get("LogDestinationType")
                    .is_some_and(|t| known(&t.value).as_deref() != Some("s3"))
                {
                    return None;
                }
                let bucket = p.get("BucketName")?.value.scalar_text()?;
                let prefix = p.get("S3KeyPrefix").and_then(|x| x.value.scalar_text());
                Some(Found {
                    kind: SourceKind::Redshift,
                    bucket,
                    prefix,
                    within: vec![p.span],
                })
            }),
            _ => return false,
        };
        if let Some(Found {
            kind,
            bucket,
            prefix,
            within,
        }) = found
        {
            // The source exists under its resource's condition and those of the `Fn::If`
            // branches its settings were taken from.
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
        }
        true
    }

    /// An ALB's or NLB's access logs, from its `LoadBalancerAttributes`.
    fn load_balancer_v2(&self, r: &Entry) -> Option<Found> {
        let kind = match self.prop(r, "Type").as_ref().map(known) {
            None => SourceKind::Alb,
            Some(Some(t)) if t == "application" => SourceKind::Alb,
            Some(Some(t)) if t == "network" => SourceKind::Nlb,
            _ => return None,
        };
        let attrs = self.prop(r, "LoadBalancerAttributes");
        let attr = |key: &str| {
            attrs.as_ref().and_then(|a| {
                entries(a)
                    .iter()
                    .find(|x| x.get("Key").and_then(|k| known(&k.value)).as_deref() == Some(key))
                    .and_then(|x| x.get("Value").map(|v| v.value.clone()))
            })
        };
        let on = attr("access_logs.s3.enabled");
        if !truth(on.as_ref()).is_yes() {
            return None;
        }
        let bucket_node = attr("access_logs.s3.bucket");
        let bucket = bucket_node.as_ref().and_then(|b| b.scalar_text())?;
        let prefix = attr("access_logs.s3.prefix").and_then(|p| p.scalar_text());
        let within: Vec<Span> = on.iter().chain(&bucket_node).map(|n| n.span).collect();
        Some(Found {
            kind,
            bucket,
            prefix,
            within,
        })
    }

    /// A VPC flow log to an S3 ARN.
    fn flow_log(&self, r: &Entry) -> Option<Found> {
        let s3 = self.prop(r, "LogDestinationType").as_ref().and_then(known);
        if s3.as_deref() != Some("s3") {
            return None;
        }
        let dest = self.prop_text(r, "LogDestination")?;
        let (bucket, prefix) = crate::aws::s3::bucket_of_arn(&dest)?;
        Some(Found {
            kind: SourceKind::FlowLogs,
            bucket,
            prefix: Some(prefix),
            within: vec![],
        })
    }
}

/// A log source found: its kind, bucket and prefix, and the spans of the `Fn::If` branches
/// its settings came from.
struct Found {
    kind: SourceKind,
    bucket: Text,
    prefix: Option<Text>,
    within: Vec<Span>,
}
