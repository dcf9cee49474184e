//! Varied deployment units for the composition test and the benchmark corpus: CloudFormation
//! stacks (YAML and JSON) and Terraform root modules that log CloudTrail into a bucket, written
//! the many ways real repositories write them — several naming schemes, symbolic names shared
//! across units on purpose (`sec-ct-${AWS::AccountId}-${AWS::Region}` in many stacks), stacks
//! whose policy depends on a `Conditions` choice, key policies that open with the root
//! statement, and about one unit in four with a seeded defect.
//!
//! Literal names are unique per unit, so a unit's findings do not depend on the others: the
//! union of scanning each unit alone equals one scan of all of them.

#![allow(dead_code)]

use std::fmt::Write as _;

/// A small deterministic generator (64-bit LCG).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

/// The defects a unit may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Defect {
    None,
    /// The write grant's prefix is not the trail's (TG002).
    Prefix,
    /// No `aws:SourceArn`/`aws:SourceAccount` on the write grant (TG003).
    NoSource,
    /// No `bucket-owner-full-control` (TG004).
    NoAcl,
    /// The key policy grants CloudTrail nothing (TG006).
    Key,
}

/// One unit: its files (path relative to the unit's directory, text) and its defect.
pub struct Unit {
    pub files: Vec<(String, String)>,
    pub defect: Defect,
}

const TEAMS: [&str; 3] = ["sec", "ops", "data"];
const PREFIXES: [&str; 4] = ["audit", "cloudtrail", "logs", "org-trail"];

fn defect(rng: &mut Rng) -> Defect {
    match rng.below(16) {
        0 => Defect::Prefix,
        1 => Defect::NoSource,
        2 => Defect::NoAcl,
        3 => Defect::Key,
        _ => Defect::None,
    }
}

/// Unit `k`.
pub fn unit(rng: &mut Rng, k: usize) -> Unit {
    let d = defect(rng);
    let files = match rng.below(4) {
        0 | 1 => vec![("template.yaml".to_string(), cfn_yaml(rng, k, d))],
        2 => vec![("template.json".to_string(), cfn_json(rng, k, d))],
        _ => vec![("main.tf".to_string(), terraform(rng, k, d))],
    };
    Unit { files, defect: d }
}

/// The key policy of a unit: the root statement first, then (unless the defect says
/// otherwise) the CloudTrail grant; other services' grants around it.
fn cfn_key_yaml(d: Defect) -> String {
    let mut s = String::from(
        "  TrailKey:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy:\n        Version: \"2012-10-17\"\n        Statement:\n          - Sid: EnableRoot\n            Effect: Allow\n            Principal:\n              AWS: !Sub \"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\"\n            Action: \"kms:*\"\n            Resource: \"*\"\n          - Sid: Sns\n            Effect: Allow\n            Principal:\n              Service: sns.amazonaws.com\n            Action: [\"kms:GenerateDataKey*\", \"kms:Decrypt\"]\n            Resource: \"*\"\n",
    );
    if d != Defect::Key {
        s.push_str("          - Sid: CloudTrailEncrypt\n            Effect: Allow\n            Principal:\n              Service: cloudtrail.amazonaws.com\n            Action: kms:GenerateDataKey*\n            Resource: \"*\"\n            Condition:\n              StringLike:\n                kms:EncryptionContext:aws:cloudtrail:arn: !Sub \"arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*\"\n");
    }
    s
}

fn cfn_yaml(rng: &mut Rng, k: usize, d: Defect) -> String {
    let team = rng.pick(&TEAMS);
    let prefix = rng.pick(&PREFIXES);
    let name = match rng.below(3) {
        0 => format!("!Sub \"{team}-ct-${{AWS::AccountId}}-${{AWS::Region}}\""),
        1 => "!Sub \"${AWS::StackName}-trail-logs\"".to_string(),
        _ => format!("unit-{k}-trail-logs"),
    };
    let conditional = rng.below(3) == 0;
    let encrypted = d == Defect::Key || rng.below(3) == 0;
    let policy_prefix = if d == Defect::Prefix {
        "legacy"
    } else {
        prefix
    };
    let mut write_conditions = String::new();
    if d != Defect::NoAcl {
        write_conditions.push_str("                s3:x-amz-acl: bucket-owner-full-control\n");
    }
    if d != Defect::NoSource {
        write_conditions.push_str("                aws:SourceArn: !Sub \"arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/${TrailName}\"\n");
    }
    let mut s = format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: Unit {k}, team {team}\nParameters:\n  TrailName:\n    Type: String\n    Default: {team}-trail\n  Access:\n    Type: String\n    Default: CloudTrailWrite\n    AllowedValues: [PublicWrite, CloudTrailWrite]\nConditions:\n  IsPublic: !Equals [!Ref Access, PublicWrite]\n  IsTrail: !Equals [!Ref Access, CloudTrailWrite]\nResources:\n  LogBucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: {name}\n  LogBucketPolicy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref LogBucket\n      PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n"
    );
    if conditional {
        // The same bucket serves public uploads or CloudTrail, never both.
        s.push_str("          - !If\n            - IsPublic\n            - Sid: PublicUploads\n              Effect: Allow\n              Principal: \"*\"\n              Action: s3:PutObject\n              Resource: !Sub \"${LogBucket.Arn}/uploads/*\"\n            - !Ref AWS::NoValue\n");
    }
    let acl = "          - Sid: AWSCloudTrailAclCheck\n            Effect: Allow\n            Principal:\n              Service: cloudtrail.amazonaws.com\n            Action: s3:GetBucketAcl\n            Resource: !GetAtt LogBucket.Arn\n".to_string();
    let mut write = format!(
        "          - Sid: AWSCloudTrailWrite\n            Effect: Allow\n            Principal:\n              Service: cloudtrail.amazonaws.com\n            Action: s3:PutObject\n            Resource: !Sub \"${{LogBucket.Arn}}/{policy_prefix}/AWSLogs/${{AWS::AccountId}}/*\"\n"
    );
    if !write_conditions.is_empty() {
        write.push_str("            Condition:\n              StringEquals:\n");
        write.push_str(&write_conditions);
    }
    if conditional {
        s.push_str(&guard_item(&acl));
        s.push_str(&guard_item(&write));
    } else {
        s.push_str(&acl);
        s.push_str(&write);
    }
    if encrypted {
        s.push_str(&cfn_key_yaml(d));
    }
    // Under the choice, the trail exists only when the bucket is CloudTrail's.
    let trail_condition = if conditional {
        "    Condition: IsTrail\n"
    } else {
        ""
    };
    let _ = write!(
        s,
        "  Trail:\n    Type: AWS::CloudTrail::Trail\n{trail_condition}    DependsOn: LogBucketPolicy\n    Properties:\n      TrailName: !Ref TrailName\n      IsLogging: true\n      S3BucketName: !Ref LogBucket\n      S3KeyPrefix: {prefix}\n"
    );
    if encrypted {
        s.push_str("      KMSKeyId: !GetAtt TrailKey.Arn\n");
    }
    s
}

/// A statement (a `- Sid: …` list item at 10 spaces) as the kept branch of `!If [IsTrail, …]`.
fn guard_item(item: &str) -> String {
    let mut out = String::from("          - !If\n            - IsTrail\n");
    // Two spaces deeper: `          - Sid: X` becomes the branch `            - Sid: X`.
    for line in item.lines() {
        let _ = writeln!(out, "  {line}");
    }
    out.push_str("            - !Ref AWS::NoValue\n");
    out
}

fn cfn_json(rng: &mut Rng, k: usize, d: Defect) -> String {
    let team = rng.pick(&TEAMS);
    let prefix = rng.pick(&PREFIXES);
    let policy_prefix = if d == Defect::Prefix {
        "legacy"
    } else {
        prefix
    };
    let name = if rng.below(2) == 0 {
        format!("{{\"Fn::Sub\": \"{team}-ct-${{AWS::AccountId}}-${{AWS::Region}}\"}}")
    } else {
        format!("\"unit-{k}-trail-logs\"")
    };
    let mut conds: Vec<String> = vec![];
    if d != Defect::NoAcl {
        conds.push("\"s3:x-amz-acl\": \"bucket-owner-full-control\"".into());
    }
    if d != Defect::NoSource {
        conds.push("\"aws:SourceAccount\": {\"Ref\": \"AWS::AccountId\"}".into());
    }
    let condition = if conds.is_empty() {
        String::new()
    } else {
        format!(
            ",\n              \"Condition\": {{\"StringEquals\": {{{}}}}}",
            conds.join(", ")
        )
    };
    let key = d == Defect::Key || rng.below(3) == 0;
    let key_resource = if key {
        let ct = if d == Defect::Key {
            String::new()
        } else {
            ",\n            {\"Sid\": \"CloudTrailEncrypt\", \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"cloudtrail.amazonaws.com\"}, \"Action\": \"kms:GenerateDataKey*\", \"Resource\": \"*\", \"Condition\": {\"StringLike\": {\"kms:EncryptionContext:aws:cloudtrail:arn\": {\"Fn::Sub\": \"arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*\"}}}}".to_string()
        };
        format!(
            ",\n    \"TrailKey\": {{\n      \"Type\": \"AWS::KMS::Key\",\n      \"Properties\": {{\n        \"KeyPolicy\": {{\n          \"Version\": \"2012-10-17\",\n          \"Statement\": [\n            {{\"Sid\": \"EnableRoot\", \"Effect\": \"Allow\", \"Principal\": {{\"AWS\": {{\"Fn::Sub\": \"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:root\"}}}}, \"Action\": \"kms:*\", \"Resource\": \"*\"}}{ct}\n          ]\n        }}\n      }}\n    }}"
        )
    } else {
        String::new()
    };
    let key_prop = if key {
        ", \"KMSKeyId\": {\"Fn::GetAtt\": [\"TrailKey\", \"Arn\"]}"
    } else {
        ""
    };
    format!(
        r#"{{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Description": "Unit {k}, team {team}",
  "Resources": {{
    "LogBucket": {{"Type": "AWS::S3::Bucket", "Properties": {{"BucketName": {name}}}}},
    "LogBucketPolicy": {{
      "Type": "AWS::S3::BucketPolicy",
      "Properties": {{
        "Bucket": {{"Ref": "LogBucket"}},
        "PolicyDocument": {{
          "Version": "2012-10-17",
          "Statement": [
            {{
              "Sid": "AWSCloudTrailAclCheck",
              "Effect": "Allow",
              "Principal": {{"Service": "cloudtrail.amazonaws.com"}},
              "Action": "s3:GetBucketAcl",
              "Resource": {{"Fn::GetAtt": ["LogBucket", "Arn"]}}
            }},
            {{
              "Sid": "AWSCloudTrailWrite",
              "Effect": "Allow",
              "Principal": {{"Service": "cloudtrail.amazonaws.com"}},
              "Action": "s3:PutObject",
              "Resource": {{"Fn::Sub": "${{LogBucket.Arn}}/{policy_prefix}/AWSLogs/${{AWS::AccountId}}/*"}}{condition}
            }}
          ]
        }}
      }}
    }}{key_resource},
    "Trail": {{
      "Type": "AWS::CloudTrail::Trail",
      "DependsOn": "LogBucketPolicy",
      "Properties": {{"IsLogging": true, "S3BucketName": {{"Ref": "LogBucket"}}, "S3KeyPrefix": "{prefix}"{key_prop}}}
    }}
  }}
}}
"#
    )
}

fn terraform(rng: &mut Rng, k: usize, d: Defect) -> String {
    let team = rng.pick(&TEAMS);
    let prefix = rng.pick(&PREFIXES);
    let policy_prefix = if d == Defect::Prefix {
        "legacy"
    } else {
        prefix
    };
    let name = match rng.below(3) {
        0 => "${local.team}-ct-${data.aws_caller_identity.current.account_id}".to_string(),
        1 => "ct-${data.aws_region.current.name}-${data.aws_caller_identity.current.account_id}"
            .to_string(),
        _ => format!("unit-{k}-trail-logs"),
    };
    let mut conds = String::new();
    if d != Defect::NoAcl {
        conds.push_str("            \"s3:x-amz-acl\"  = \"bucket-owner-full-control\"\n");
    }
    if d != Defect::NoSource {
        conds.push_str("            \"aws:SourceArn\" = local.trail_arn\n");
    }
    let condition = if conds.is_empty() {
        String::new()
    } else {
        format!(
            "        Condition = {{\n          StringEquals = {{\n{conds}          }}\n        }}\n"
        )
    };
    let encrypted = d == Defect::Key || rng.below(3) == 0;
    let key = if encrypted {
        let ct = if d == Defect::Key {
            ""
        } else {
            "\n      {\n        Sid       = \"CloudTrailEncrypt\"\n        Effect    = \"Allow\"\n        Principal = { Service = \"cloudtrail.amazonaws.com\" }\n        Action    = \"kms:GenerateDataKey*\"\n        Resource  = \"*\"\n        Condition = { StringLike = { \"kms:EncryptionContext:aws:cloudtrail:arn\" = \"arn:aws:cloudtrail:*:${data.aws_caller_identity.current.account_id}:trail/*\" } }\n      },"
        };
        format!(
            "\nresource \"aws_kms_key\" \"trail\" {{\n  description = \"CloudTrail logs\"\n  policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [\n      {{\n        Sid       = \"EnableRoot\"\n        Effect    = \"Allow\"\n        Principal = {{ AWS = \"arn:aws:iam::${{data.aws_caller_identity.current.account_id}}:root\" }}\n        Action    = \"kms:*\"\n        Resource  = \"*\"\n      }},{ct}\n    ]\n  }})\n}}\n"
        )
    } else {
        String::new()
    };
    let kms = if encrypted {
        "\n  kms_key_id     = aws_kms_key.trail.arn"
    } else {
        ""
    };
    format!(
        r#"# Unit {k}, team {team}.
data "aws_caller_identity" "current" {{}}
data "aws_partition" "current" {{}}
data "aws_region" "current" {{}}

locals {{
  team      = "{team}"
  trail_arn = "arn:${{data.aws_partition.current.partition}}:cloudtrail:${{data.aws_region.current.name}}:${{data.aws_caller_identity.current.account_id}}:trail/{team}-trail"
}}

resource "aws_s3_bucket" "logs" {{
  bucket = "{name}"
}}

resource "aws_cloudtrail" "main" {{
  name           = "{team}-trail"
  s3_bucket_name = aws_s3_bucket.logs.id
  s3_key_prefix  = "{prefix}"{kms}
}}

resource "aws_s3_bucket_policy" "logs" {{
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Sid       = "AWSCloudTrailAclCheck"
        Effect    = "Allow"
        Principal = {{ Service = "cloudtrail.amazonaws.com" }}
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.logs.arn
      }},
      {{
        Sid       = "AWSCloudTrailWrite"
        Effect    = "Allow"
        Principal = {{ Service = "cloudtrail.amazonaws.com" }}
        Action    = "s3:PutObject"
        Resource  = "${{aws_s3_bucket.logs.arn}}/{policy_prefix}/AWSLogs/${{data.aws_caller_identity.current.account_id}}/*"
{condition}      }},
    ]
  }})
}}
{key}"#
    )
}
