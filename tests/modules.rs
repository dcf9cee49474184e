//! Module instances that build nothing (no resource a rule reads, no document checked on its
//! own, no call that is not such a module too) are not made when their module is called; what
//! their callers read from them, and what they hand to modules trailguard cannot read, still
//! counts.

use std::path::Path;
use trailguard::{Config, scan};

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// (rule, file, line) of every finding of a scan of `root`.
fn findings(root: &Path) -> Vec<(String, String, usize)> {
    let report = scan(&[root.to_path_buf()], &Config::default()).unwrap();
    let mut out: Vec<_> = report
        .findings
        .iter()
        .map(|f| {
            let file = &report.sources.get(f.span.file).path;
            let file = file.strip_prefix(root).unwrap_or(file);
            (
                f.rule.id.to_string(),
                file.display().to_string(),
                report.sources.start(f.span).line,
            )
        })
        .collect();
    out.sort();
    out
}

const WRITE_GRANT_WITHOUT_PREFIX: &str = r#"resource "aws_s3_bucket_policy" "logs" {
  bucket = "named-by-a-module"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = "arn:aws:s3:::named-by-a-module"
      },
      {
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "arn:aws:s3:::named-by-a-module/AWSLogs/111122223333/*"
        Condition = {
          StringEquals = {
            "s3:x-amz-acl"      = "bucket-owner-full-control"
            "aws:SourceAccount" = "111122223333"
          }
        }
      }
    ]
  })
}
"#;

#[test]
fn an_output_of_a_module_that_builds_nothing_is_still_read() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    write(
        root,
        &[
            (
                "modules/naming/main.tf",
                r#"variable "stage" { default = "prod" }
resource "aws_security_group" "this" {
  name = "naming-${var.stage}"
}
output "log_bucket" {
  value = "named-by-a-module"
}
"#,
            ),
            (
                "live/main.tf",
                r#"module "naming" {
  source = "../modules/naming"
  stage  = "prod"
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = module.naming.log_bucket
  s3_key_prefix  = "audit"
}
"#,
            ),
            ("live/policy.tf", WRITE_GRANT_WITHOUT_PREFIX),
        ],
    );
    let found = findings(root);
    // The trail's bucket is known only through the module's output: the grant misses its
    // prefix (and its ACL check, which names the bucket, is fine).
    assert!(
        found.contains(&("TG002".into(), "live/policy.tf".into(), 16)),
        "{found:?}"
    );
    // Once: the module's instance is made once, when the trail reads its output.
    assert_eq!(
        found.iter().filter(|f| f.0 == "TG002").count(),
        1,
        "{found:?}"
    );
}

#[test]
fn a_module_that_hands_a_policy_to_a_registry_module_is_still_built() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    write(
        root,
        &[
            (
                // Nothing of its own a rule reads; its call to a registry module gets a policy
                // with no aws:SourceArn or aws:SourceAccount condition.
                "modules/wrapper/main.tf",
                r#"variable "bucket" { type = string }
module "bucket" {
  source = "acme/log-bucket/aws"
  bucket = var.bucket
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "arn:aws:s3:::${var.bucket}/AWSLogs/*"
      Condition = {
        StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control" }
      }
    }]
  })
}
"#,
            ),
            (
                // Calls the wrapper through a module that builds nothing either.
                "modules/outer/main.tf",
                r#"module "inner" {
  source = "../wrapper"
  bucket = "wrapped-logs"
}
"#,
            ),
            (
                "live/main.tf",
                r#"module "outer" {
  source = "../modules/outer"
}
"#,
            ),
        ],
    );
    let found = findings(root);
    assert!(
        found
            .iter()
            .any(|f| f.0 == "TG003" && f.1 == "modules/wrapper/main.tf"),
        "{found:?}"
    );
}
