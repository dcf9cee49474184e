//! Generates a deterministic, realistic infrastructure repository for the benchmark:
//! Terraform service modules (mostly filler — VPCs, instances, IAM roles — and some CloudTrail
//! log buckets with policies written as jsonencode, heredocs and policy document data sources,
//! trails and KMS keys), CloudFormation YAML and JSON templates, raw policy JSON, plus
//! `.terraform/` folders and gitignored build output that a scan must skip, and varied
//! deployment units from `tests/support/units.rs` (the composition test's generator). About one
//! policy in five carries a seeded defect.
//!
//! Usage: cargo run --release --example gen_corpus -- --files N OUT

#[path = "../tests/support/units.rs"]
mod units;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// A small deterministic generator (64-bit LCG): the same N gives the same tree.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn filler_tf(rng: &mut Rng, i: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Service {i}: network and compute.\n");
    let _ = writeln!(
        s,
        "variable \"env\" {{\n  type    = string\n  default = \"prod\"\n}}\n"
    );
    for j in 0..(6 + rng.below(6)) {
        let _ = writeln!(
            s,
            r#"resource "aws_vpc" "main_{j}" {{
  cidr_block           = "10.{a}.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags = {{
    Name        = "svc-{i}-{j}"
    Environment = var.env
    CostCenter  = "cc-{b}"
  }}
}}

resource "aws_subnet" "private_{j}" {{
  vpc_id            = aws_vpc.main_{j}.id
  cidr_block        = "10.{a}.{c}.0/24"
  availability_zone = "us-east-1a"
}}

resource "aws_instance" "app_{j}" {{
  ami                    = "ami-0{b}abcdef"
  instance_type          = "t3.medium"
  subnet_id              = aws_subnet.private_{j}.id
  vpc_security_group_ids = [aws_security_group.app_{j}.id]
  user_data              = <<-EOT
    #!/bin/bash
    echo "starting service {i}-{j}"
    systemctl enable app
  EOT
}}

resource "aws_security_group" "app_{j}" {{
  name   = "svc-{i}-{j}"
  vpc_id = aws_vpc.main_{j}.id
  ingress {{
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }}
}}

resource "aws_iam_role" "app_{j}" {{
  name = "svc-{i}-{j}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "ec2.amazonaws.com" }}
      Action    = "sts:AssumeRole"
    }}]
  }})
}}
"#,
            a = rng.below(250),
            b = rng.below(9000) + 1000,
            c = rng.below(250),
        );
    }
    s
}

fn account(rng: &mut Rng) -> String {
    format!("{:012}", 100000000000u64 + rng.below(899999999999))
}

fn log_module(rng: &mut Rng, i: usize, defect: bool) -> String {
    let prefix = ["audit", "cloudtrail", "logs", "org"][rng.below(4) as usize];
    let policy_prefix = if defect && rng.below(2) == 0 {
        "old"
    } else {
        prefix
    };
    let acl = if defect {
        ""
    } else {
        "\n          \"s3:x-amz-acl\"  = \"bucket-owner-full-control\""
    };
    let style = rng.below(3);
    let policy = match style {
        0 => format!(
            r#"jsonencode({{
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
        Condition = {{
          StringEquals = {{
            "aws:SourceArn" = local.trail_arn{acl}
          }}
        }}
      }},
    ]
  }})"#
        ),
        1 => format!(
            r#"<<-POLICY
    {{
      "Version": "2012-10-17",
      "Statement": [
        {{
          "Sid": "AWSCloudTrailAclCheck",
          "Effect": "Allow",
          "Principal": {{"Service": "cloudtrail.amazonaws.com"}},
          "Action": "s3:GetBucketAcl",
          "Resource": "${{aws_s3_bucket.logs.arn}}"
        }},
        {{
          "Sid": "AWSCloudTrailWrite",
          "Effect": "Allow",
          "Principal": {{"Service": "cloudtrail.amazonaws.com"}},
          "Action": "s3:PutObject",
          "Resource": "${{aws_s3_bucket.logs.arn}}/{policy_prefix}/AWSLogs/${{data.aws_caller_identity.current.account_id}}/*",
          "Condition": {{"StringEquals": {{"aws:SourceArn": "${{local.trail_arn}}"{}}}}}
        }}
      ]
    }}
  POLICY"#,
            if defect {
                ""
            } else {
                ", \"s3:x-amz-acl\": \"bucket-owner-full-control\""
            }
        ),
        _ => "data.aws_iam_policy_document.logs.json".to_string(),
    };
    let mut s = format!(
        r#"data "aws_caller_identity" "current" {{}}
data "aws_partition" "current" {{}}
data "aws_region" "current" {{}}

locals {{
  trail_name = "trail-{i}"
  trail_arn  = "arn:${{data.aws_partition.current.partition}}:cloudtrail:${{data.aws_region.current.name}}:${{data.aws_caller_identity.current.account_id}}:trail/${{local.trail_name}}"
}}

resource "aws_s3_bucket" "logs" {{
  bucket = "trail-logs-{i}"
}}

resource "aws_s3_bucket_policy" "logs" {{
  bucket = aws_s3_bucket.logs.id
  policy = {policy}
}}

resource "aws_kms_key" "trail" {{
  description = "trail {i}"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Effect    = "Allow"
        Principal = {{ AWS = "arn:aws:iam::${{data.aws_caller_identity.current.account_id}}:root" }}
        Action    = "kms:*"
        Resource  = "*"
      }},
      {{
        Effect    = "Allow"
        Principal = {{ Service = "cloudtrail.amazonaws.com" }}
        Action    = "kms:GenerateDataKey*"
        Resource  = "*"
        Condition = {{ StringLike = {{ "kms:EncryptionContext:aws:cloudtrail:arn" = "arn:aws:cloudtrail:*:${{data.aws_caller_identity.current.account_id}}:trail/*" }} }}
      }},
    ]
  }})
}}

resource "aws_cloudtrail" "main" {{
  name           = local.trail_name
  s3_bucket_name = aws_s3_bucket.logs.id
  s3_key_prefix  = "{prefix}"
  kms_key_id     = aws_kms_key.trail.arn
}}
"#
    );
    if style == 2 {
        let _ = write!(
            s,
            r#"
data "aws_iam_policy_document" "logs" {{
  statement {{
    sid       = "AWSCloudTrailAclCheck"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.logs.arn]
    principals {{
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }}
  }}
  statement {{
    sid       = "AWSCloudTrailWrite"
    actions   = ["s3:PutObject"]
    resources = ["${{aws_s3_bucket.logs.arn}}/{policy_prefix}/AWSLogs/${{data.aws_caller_identity.current.account_id}}/*"]
    principals {{
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }}
    condition {{
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }}{}
  }}
}}
"#,
            if defect {
                ""
            } else {
                "\n    condition {\n      test     = \"StringEquals\"\n      variable = \"s3:x-amz-acl\"\n      values   = [\"bucket-owner-full-control\"]\n    }"
            }
        );
    }
    s
}

fn cfn_yaml(rng: &mut Rng, i: usize, relevant: bool, defect: bool) -> String {
    let mut s =
        format!("AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: Stack {i}\nResources:\n");
    for j in 0..(8 + rng.below(8)) {
        let _ = write!(
            s,
            "  Queue{j}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub \"stack-{i}-{j}-${{AWS::Region}}\"\n      VisibilityTimeout: 60\n  Role{j}:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            Principal: {{Service: lambda.amazonaws.com}}\n            Action: sts:AssumeRole\n"
        );
    }
    if relevant {
        let acl = if defect {
            ""
        } else {
            "\n                s3:x-amz-acl: bucket-owner-full-control"
        };
        let _ = write!(
            s,
            "  LogBucket:\n    Type: AWS::S3::Bucket\n  LogBucketPolicy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref LogBucket\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {{Service: cloudtrail.amazonaws.com}}\n            Action: s3:GetBucketAcl\n            Resource: !GetAtt LogBucket.Arn\n          - Effect: Allow\n            Principal: {{Service: cloudtrail.amazonaws.com}}\n            Action: s3:PutObject\n            Resource: !Sub \"${{LogBucket.Arn}}/AWSLogs/${{AWS::AccountId}}/*\"\n            Condition:\n              StringEquals:\n                aws:SourceAccount: !Ref AWS::AccountId{acl}\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: !Ref LogBucket\n      IsLogging: true\n"
        );
    }
    s
}

fn raw_policy(rng: &mut Rng, i: usize, defect: bool) -> String {
    let acct = account(rng);
    let principal = if defect {
        "{\"AWS\": \"arn:aws:iam::086441151436:root\"}".to_string()
    } else {
        "{\"Service\": \"cloudtrail.amazonaws.com\"}".to_string()
    };
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Sid": "AWSCloudTrailAclCheck",
      "Effect": "Allow",
      "Principal": {principal},
      "Action": "s3:GetBucketAcl",
      "Resource": "arn:aws:s3:::raw-logs-{i}"
    }},
    {{
      "Sid": "AWSCloudTrailWrite",
      "Effect": "Allow",
      "Principal": {{"Service": "cloudtrail.amazonaws.com"}},
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::raw-logs-{i}/AWSLogs/{acct}/*",
      "Condition": {{"StringEquals": {{"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:{acct}:trail/t{i}"}}}}
    }}
  ]
}}
"#
    )
}

fn identity_policy(i: usize) -> String {
    let mut s = String::from("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
    for j in 0..40 {
        let _ = writeln!(
            s,
            "    {{\"Sid\": \"S{i}x{j}\", \"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:ListBucket\"], \"Resource\": [\"arn:aws:s3:::data-{i}-{j}\", \"arn:aws:s3:::data-{i}-{j}/*\"]}},"
        );
    }
    s.push_str("    {\"Effect\": \"Deny\", \"Action\": \"s3:DeleteBucket\", \"Resource\": \"*\"}\n  ]\n}\n");
    s
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut n = 1000usize;
    let mut out = None;
    let mut i = 1;
    while i < args.len() {
        if args[i] == "--files" {
            n = args
                .get(i + 1)
                .and_then(|x| x.parse().ok())
                .expect("--files N");
            i += 2;
        } else {
            out = Some(args[i].clone());
            i += 1;
        }
    }
    let out = out.expect("usage: gen_corpus --files N OUT");
    let root = Path::new(&out);
    let _ = fs::remove_dir_all(root);
    fs::create_dir_all(root).expect("create OUT");
    fs::write(root.join(".gitignore"), "build/\n").expect("write");
    let mut rng = Rng(0x7472_6169_6c67_7561);
    let (mut policies, mut defects) = (0usize, 0usize);
    for k in 0..n {
        let roll = rng.below(100);
        let svc = root.join(format!("services/team-{}/svc-{k}", k % 40));
        let write = |p: &Path, text: &str| {
            fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            fs::write(p, text).expect("write");
        };
        match roll {
            0..=69 => write(&svc.join("main.tf"), &filler_tf(&mut rng, k)),
            70..=77 => {
                let d = rng.below(5) == 0;
                policies += 1;
                defects += usize::from(d);
                write(&svc.join("logging.tf"), &log_module(&mut rng, k, d));
            }
            78..=81 => {
                // A varied deployment unit (several naming schemes, shared symbolic names,
                // Conditions, key policies with root statements), as the invariance tests
                // generate them.
                let mut urng = units::Rng(rng.next());
                let u = units::unit(&mut urng, k);
                policies += 1;
                defects += usize::from(u.defect != units::Defect::None);
                for (name, text) in &u.files {
                    write(&root.join(format!("stacks/unit-{k}/{name}")), text);
                }
            }
            82..=85 => {
                let relevant = rng.below(3) == 0;
                let d = relevant && rng.below(5) == 0;
                policies += usize::from(relevant);
                defects += usize::from(d);
                write(
                    &root.join(format!("stacks/stack-{k}.yaml")),
                    &cfn_yaml(&mut rng, k, relevant, d),
                );
            }
            86..=91 => {
                if rng.below(2) == 0 {
                    let d = rng.below(5) == 0;
                    policies += 1;
                    defects += usize::from(d);
                    write(
                        &root.join(format!("policies/bucket-{k}.json")),
                        &raw_policy(&mut rng, k, d),
                    );
                } else {
                    write(
                        &root.join(format!("policies/identity-{k}.json")),
                        &identity_policy(k),
                    );
                }
            }
            92..=95 => write(
                &svc.join(".terraform/modules/vendored/main.tf"),
                &filler_tf(&mut rng, k),
            ),
            _ => write(
                &root.join(format!("build/out-{k}.json")),
                &identity_policy(k),
            ),
        }
    }
    eprintln!("{n} files in {out}: {policies} CloudTrail policies, {defects} with a seeded defect");
}
