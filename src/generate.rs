//! `trailguard policy`: the bucket policy (or, with `--kms`, the key policy) CloudTrail needs,
//! as AWS documents it, filled in for one trail — JSON ready to paste.

use crate::aws::arn::Arn;
use serde_json::{Value, json};

/// What the policy is for.
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub bucket: Option<String>,
    pub account: Option<String>,
    pub trail_arn: Option<String>,
    pub prefix: Option<String>,
    pub org_id: Option<String>,
    pub partition: Option<String>,
    pub kms: bool,
    /// The services that deliver to the bucket (CloudTrail alone when empty).
    pub services: Vec<Service>,
    /// The Region of the load balancer (ELB access logs) or of the log sources.
    pub region: Option<String>,
    /// The bucket whose S3 server access logs are delivered.
    pub source_bucket: Option<String>,
}

/// A service that delivers logs to the bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Service {
    Cloudtrail,
    Config,
    /// Application and Classic Load Balancer access logs.
    Elb,
    /// Network Load Balancer access logs.
    Nlb,
    FlowLogs,
    S3AccessLogs,
}

fn valid_account(a: &str) -> bool {
    a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit())
}

/// The policy document, or what is missing or wrong.
/// S3's general purpose bucket naming rules: 3 to 63 characters of lowercase letters, digits,
/// dots and hyphens, starting and ending with a letter or digit, no `..`, not an IP address.
fn valid_bucket(b: &str) -> bool {
    let ends_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    (3..=63).contains(&b.len())
        && b.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && ends_ok(b.chars().next())
        && ends_ok(b.chars().last())
        && !b.contains("..")
        && b.parse::<std::net::Ipv4Addr>().is_err()
}

pub fn policy(r: &Request) -> Result<Value, String> {
    let (partition, account) = partition_and_account(r)?;
    if let Some(o) = &r.org_id
        && !(o.starts_with("o-")
            && o.len() >= 12
            && o[2..]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
    {
        return Err(format!(
            "{o:?} is not an organization ID (o- and 10 to 32 lowercase letters or digits)"
        ));
    }
    // Who may use the grant: the trail, else the account. A pattern is compared with ArnLike
    // (StringEquals compares `*` literally and would match no trail).
    let source = match &r.trail_arn {
        Some(arn) if arn.contains(['*', '?']) => json!({"ArnLike": {"aws:SourceArn": arn}}),
        Some(arn) => json!({"StringEquals": {"aws:SourceArn": arn}}),
        None => json!({"StringEquals": {"aws:SourceAccount": account}}),
    };
    if r.kms && r.services.iter().any(|s| *s != Service::Cloudtrail) {
        return Err("--kms prints CloudTrail's key policy: drop --service".into());
    }
    if r.kms {
        return key_policy(r, &partition, &account, source);
    }
    let bucket = r.bucket.clone().ok_or("--bucket is required")?;
    if !valid_bucket(&bucket) {
        return Err(format!(
            "{bucket:?} is not an S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)"
        ));
    }
    let services = if r.services.is_empty() {
        vec![Service::Cloudtrail]
    } else {
        r.services.clone()
    };
    let mut statements = vec![];
    for svc in services {
        let more = match svc {
            Service::Cloudtrail => cloudtrail_statements(r, &partition, &account, &bucket, &source),
            other => other_statements(other, r, &partition, &account, &bucket)?,
        };
        for st in more {
            if !statements.contains(&st) {
                statements.push(st);
            }
        }
    }
    Ok(json!({"Version": "2012-10-17", "Statement": statements}))
}

/// The partition and account the policy is for: from the trail ARN, the flags and the
/// Region, which must agree.
fn partition_and_account(r: &Request) -> Result<(String, String), String> {
    let mut partition = r.partition.clone();
    let mut account = r.account.clone();
    if let Some(arn) = &r.trail_arn {
        let Some(parsed) = Arn::parse(arn).filter(|a| a.trail_name().is_some()) else {
            return Err(format!(
                "{arn:?} is not a trail ARN (arn:PARTITION:cloudtrail:REGION:ACCOUNT:trail/NAME)"
            ));
        };
        match &partition {
            Some(p) if p != parsed.partition => {
                return Err(format!(
                    "--partition {p} does not match the trail ARN's {}",
                    parsed.partition
                ));
            }
            _ => partition = Some(parsed.partition.to_string()),
        }
        match &account {
            Some(a) if a != parsed.account => {
                return Err(format!(
                    "--account {a} does not match the trail ARN's {}",
                    parsed.account
                ));
            }
            _ => account = Some(parsed.account.to_string()),
        }
    }
    // The partition of the Region given (GovCloud, China), unless one is named.
    let from_region = r.region.as_deref().map(|reg| {
        if reg.starts_with("us-gov-") {
            "aws-us-gov"
        } else if reg.starts_with("cn-") {
            "aws-cn"
        } else {
            "aws"
        }
    });
    let partition = match (partition, from_region) {
        (Some(p), Some(f)) if p != f => {
            return Err(format!(
                "Region {:?} is not in partition {p}",
                r.region.as_deref().unwrap_or_default()
            ));
        }
        (Some(p), _) => p,
        (None, Some(f)) => f.to_string(),
        (None, None) => "aws".into(),
    };
    if ![
        "aws",
        "aws-cn",
        "aws-us-gov",
        "aws-iso",
        "aws-iso-b",
        "aws-iso-e",
        "aws-iso-f",
        "aws-eusc",
    ]
    .contains(&partition.as_str())
    {
        return Err(format!("unknown partition {partition:?}"));
    }
    let account = account.ok_or("--account or --trail-arn is required")?;
    if !valid_account(&account) {
        return Err(format!("{account:?} is not a 12-digit account ID"));
    }
    Ok((partition, account))
}

/// CloudTrail's key policy (`--kms`).
fn key_policy(r: &Request, partition: &str, account: &str, source: Value) -> Result<Value, String> {
    let unused: Vec<&str> = [
        ("--bucket", r.bucket.is_some()),
        ("--prefix", r.prefix.is_some()),
        ("--org-id", r.org_id.is_some()),
    ]
    .iter()
    .filter(|(_, given)| *given)
    .map(|(flag, _)| *flag)
    .collect();
    if !unused.is_empty() {
        return Err(format!(
            "--kms prints the key policy, which names no bucket, prefix or organization: drop {}",
            unused.join(", ")
        ));
    }
    let mut encrypt_condition = json!({"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": format!("arn:{partition}:cloudtrail:*:{account}:trail/*")}});
    if let (Some(obj), Some(src)) = (encrypt_condition.as_object_mut(), source.as_object()) {
        obj.extend(src.clone());
    }
    Ok(json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "EnableIAMUserPermissions",
                "Effect": "Allow",
                "Principal": {"AWS": format!("arn:{partition}:iam::{account}:root")},
                "Action": "kms:*",
                "Resource": "*"
            },
            {
                "Sid": "AllowCloudTrailToEncryptLogs",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "kms:GenerateDataKey*",
                "Resource": "*",
                "Condition": encrypt_condition
            },
            {
                "Sid": "AllowCloudTrailToDescribeKey",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "kms:DescribeKey",
                "Resource": "*",
                "Condition": source
            }
        ]
    }))
}

/// CloudTrail's statements (AWS's documented bucket policy), `source` scoping them.
fn cloudtrail_statements(
    r: &Request,
    partition: &str,
    account: &str,
    bucket: &str,
    source: &Value,
) -> Vec<Value> {
    let prefix = r
        .prefix
        .as_deref()
        .map(|p| p.trim_matches('/'))
        .filter(|p| !p.is_empty());
    let path = |owner: &str| match prefix {
        Some(p) => format!("arn:{partition}:s3:::{bucket}/{p}/AWSLogs/{owner}/*"),
        None => format!("arn:{partition}:s3:::{bucket}/AWSLogs/{owner}/*"),
    };
    let write_condition = |src: &Value| {
        let mut c = json!({"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}});
        for (op, kv) in src.as_object().into_iter().flatten() {
            let Some(kv) = kv.as_object() else { continue };
            if let Some(target) = c.as_object_mut().and_then(|c| {
                c.entry(op.clone())
                    .or_insert_with(|| json!({}))
                    .as_object_mut()
            }) {
                target.extend(kv.clone());
            }
        }
        c
    };
    let mut statements = vec![
        json!({
            "Sid": "AWSCloudTrailAclCheck20150319",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": format!("arn:{partition}:s3:::{bucket}"),
            "Condition": source
        }),
        json!({
            "Sid": "AWSCloudTrailWrite20150319",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": path(account),
            "Condition": write_condition(source)
        }),
    ];
    if let Some(org) = &r.org_id {
        // An organization trail writes every member account's logs under the organization ID;
        // without the trail's ARN, the organization itself scopes the grant.
        let org_source = match &r.trail_arn {
            Some(_) => source.clone(),
            None => json!({"StringEquals": {"aws:SourceOrgID": org}}),
        };
        statements.push(json!({
            "Sid": "AWSCloudTrailOrganizationWrite20150319",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": path(org),
            "Condition": write_condition(&org_source)
        }));
    }
    statements
}

/// The statements another service needs (logdelivery.md §1–4), for `account`'s sources.
fn other_statements(
    svc: Service,
    r: &Request,
    partition: &str,
    account: &str,
    bucket: &str,
) -> Result<Vec<Value>, String> {
    let prefix = r
        .prefix
        .as_deref()
        .map(|p| p.trim_matches('/'))
        .filter(|p| !p.is_empty());
    let to = Destination {
        bucket_arn: format!("arn:{partition}:s3:::{bucket}"),
        prefix,
        account,
    };
    let region = r.region.as_deref();
    Ok(match svc {
        Service::Cloudtrail => vec![],
        Service::Config => config_statements(&to),
        Service::Elb => elb_statements(&to, region)?,
        Service::Nlb | Service::FlowLogs => log_delivery_statements(&to, partition, region),
        Service::S3AccessLogs => {
            s3_access_log_statements(&to, partition, r.source_bucket.as_deref())
        }
    })
}

/// The bucket a service delivers to, with the key prefix and the account whose logs land there.
struct Destination<'a> {
    bucket_arn: String,
    prefix: Option<&'a str>,
    account: &'a str,
}

impl Destination<'_> {
    /// `BUCKET_ARN/[PREFIX/]AWSLogs/ACCOUNT/TAIL`.
    fn logs(&self, tail: &str) -> String {
        let (bucket_arn, account) = (&self.bucket_arn, self.account);
        match self.prefix {
            Some(p) => format!("{bucket_arn}/{p}/AWSLogs/{account}/{tail}"),
            None => format!("{bucket_arn}/AWSLogs/{account}/{tail}"),
        }
    }
}

/// AWS Config's delivery statements.
fn config_statements(to: &Destination<'_>) -> Vec<Value> {
    let (bucket_arn, account) = (&to.bucket_arn, to.account);
    let cond = json!({"StringEquals": {"AWS:SourceAccount": account}});
    vec![
        json!({
            "Sid": "AWSConfigBucketPermissionsCheck",
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
            "Condition": cond
        }),
        json!({
            "Sid": "AWSConfigBucketExistenceCheck",
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": "s3:ListBucket",
            "Resource": bucket_arn,
            "Condition": cond
        }),
        json!({
            "Sid": "AWSConfigBucketDelivery",
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": to.logs("Config/*"),
            "Condition": {"StringEquals": {
                "s3:x-amz-acl": "bucket-owner-full-control",
                "AWS:SourceAccount": account
            }}
        }),
    ]
}

/// The ELB account's (or, in newer Regions, the service's) statement for ALB and Classic Load
/// Balancer logs.
fn elb_statements(to: &Destination<'_>, region: Option<&str>) -> Result<Vec<Value>, String> {
    let region = region.ok_or("--region is required for elb: the Region decides who writes ALB and Classic Load Balancer logs")?;
    let row = crate::aws::logdelivery::elb_regions()
        .iter()
        .find(|x| x.region == region)
        .ok_or_else(|| format!("no ELB account is known for Region {region:?}"))?;
    let principal = match row.account {
        Some(id) => json!({"AWS": format!("arn:{}:iam::{id}:root", row.partition)}),
        None => json!({"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}),
    };
    Ok(vec![json!({
        "Sid": "AWSElbAccessLogs",
        "Effect": "Allow",
        "Principal": principal,
        "Action": "s3:PutObject",
        "Resource": to.logs("*")
    })])
}

/// The log delivery service's statements (NLB access logs, VPC Flow Logs).
fn log_delivery_statements(
    to: &Destination<'_>,
    partition: &str,
    region: Option<&str>,
) -> Vec<Value> {
    let (bucket_arn, account) = (&to.bucket_arn, to.account);
    let source_arn = format!("arn:{partition}:logs:{}:{account}:*", region.unwrap_or("*"));
    vec![
        json!({
            "Sid": "AWSLogDeliveryAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
            "Condition": {
                "StringEquals": {"aws:SourceAccount": account},
                "ArnLike": {"aws:SourceArn": source_arn}
            }
        }),
        json!({
            "Sid": "AWSLogDeliveryWrite",
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": to.logs("*"),
            "Condition": {
                "StringEquals": {
                    "s3:x-amz-acl": "bucket-owner-full-control",
                    "aws:SourceAccount": account
                },
                "ArnLike": {"aws:SourceArn": source_arn}
            }
        }),
    ]
}

/// S3 server access logs' statement, scoped to the source bucket when it is named.
fn s3_access_log_statements(
    to: &Destination<'_>,
    partition: &str,
    source_bucket: Option<&str>,
) -> Vec<Value> {
    let (bucket_arn, account, prefix) = (&to.bucket_arn, to.account, to.prefix);
    let resource = match prefix {
        Some(p) => format!("{bucket_arn}/{p}/*"),
        None => format!("{bucket_arn}/*"),
    };
    let mut condition = json!({"StringEquals": {"aws:SourceAccount": account}});
    if let Some(src) = source_bucket {
        condition["ArnLike"] = json!({"aws:SourceArn": format!("arn:{partition}:s3:::{src}")});
    }
    vec![json!({
        "Sid": "S3ServerAccessLogsPolicy",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": resource,
        "Condition": condition
    })]
}
