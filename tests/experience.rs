//! What a new user reads: hints in the file's own syntax, snippets of one-line files cut
//! around the finding, paths shown as given.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn tg() -> Command {
    Command::cargo_bin("trailguard").unwrap()
}

const GRANT_HCL_DOC: &str = r#"resource "aws_s3_bucket_policy" "p" {
  bucket = "acme-logs"
  policy = data.aws_iam_policy_document.p.json
}
data "aws_iam_policy_document" "p" {
  statement {
    effect = "Allow"
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::acme-logs/AWSLogs/111111111111/*"]
  }
}
"#;

const GRANT_HCL_OBJECT: &str = r#"resource "aws_s3_bucket_policy" "p" {
  bucket = "acme-logs"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "arn:aws:s3:::acme-logs/AWSLogs/111111111111/*"
    }]
  })
}
"#;

const GRANT_YAML: &str = r#"Resources:
  Pol:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: acme-logs
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: cloudtrail.amazonaws.com}
            Action: s3:PutObject
            Resource: arn:aws:s3:::acme-logs/AWSLogs/111111111111/*
            Condition:
              StringEquals:
                s3:x-amz-acl: bucket-owner-full-control
"#;

const GRANT_JSON: &str = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-logs/AWSLogs/111111111111/*"}]}"#;

/// The TG003 hint for the one file in `dir` named `name`.
fn tg003_hint(name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(name), text).unwrap();
    let out = tg()
        .args(["scan", "--format", "json", "--select", "TG003"])
        .arg(dir.path())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{v}");
    findings[0]["hint"].as_str().unwrap().to_string()
}

#[test]
fn hints_are_written_in_the_files_own_syntax() {
    let doc = tg003_hint("main.tf", GRANT_HCL_DOC);
    assert!(
        doc.starts_with(
            r#"add a condition block { test = "StringEquals", variable = "aws:SourceArn""#
        ),
        "{doc}"
    );
    let obj = tg003_hint("main.tf", GRANT_HCL_OBJECT);
    assert!(
        obj.starts_with(r#"add Condition = { StringEquals = { "aws:SourceArn" = "arn:"#),
        "{obj}"
    );
    // The statement already has a Condition with StringEquals: add the key there.
    let yaml = tg003_hint("template.yaml", GRANT_YAML);
    assert!(
        yaml.starts_with(r#"add "aws:SourceArn": "arn:"#)
            && yaml.ends_with("to the Condition's StringEquals"),
        "{yaml}"
    );
    let json = tg003_hint("policy.json", GRANT_JSON);
    assert!(
        json.starts_with(r#"add "Condition": {"StringEquals": {"aws:SourceArn": "arn:"#),
        "{json}"
    );
}

/// The human report of `args`, run in `cwd`, without colour.
fn human(cwd: &Path, args: &[&str]) -> String {
    let out = tg()
        .current_dir(cwd)
        .args(["scan", "--no-color"])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn one_line_files_are_cut_around_the_finding() {
    let dir = tempfile::tempdir().unwrap();
    let filler: Vec<String> = (0..30)
        .map(|i| format!(r#"{{"Sid": "Filler{i:02}xxxxxxxxxxxxxxxxxxxx", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::acme-logs"}}"#))
        .collect();
    let grant = r#"{"Sid": "Write", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-logs/AWSLogs/111111111111/*", "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}}"#;
    let text = format!(
        r#"{{"Statement": [{}, {grant}, {}]}}"#,
        filler[..15].join(", "),
        filler[15..].join(", ")
    );
    assert!(!text.contains('\n') && text.len() > 3000);
    fs::write(dir.path().join("policy.json"), &text).unwrap();
    let report = human(dir.path(), &["--select", "TG003", "policy.json"]);
    assert!(report.contains("warning[TG003]"), "{report}");
    for line in report.lines() {
        assert!(
            line.chars().count() <= 400,
            "a {}-column line: {line}",
            line.chars().count()
        );
    }
    assert!(report.contains('…'), "{report}");
    assert!(report.contains(r#""Sid": "Write""#), "{report}");
    // The column shown in the location is still the file's own.
    let col = text.find(r#"{"Sid": "Write""#).unwrap() + 1;
    assert!(report.contains(&format!("policy.json:1:{col}")), "{report}");
}

#[test]
fn paths_are_shown_as_given() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("repo/tf")).unwrap();
    fs::create_dir_all(dir.path().join("repo/cfn")).unwrap();
    fs::write(dir.path().join("repo/tf/policy.json"), GRANT_JSON).unwrap();
    let cfn = dir.path().join("repo/cfn");
    let up = human(&cfn, &["--select", "TG003", "../tf"]);
    assert!(up.contains("┌─ ../tf/policy.json:1:"), "{up}");
    let named = human(&cfn, &["--select", "TG003", "../tf/policy.json"]);
    assert!(named.contains("┌─ ../tf/policy.json:1:"), "{named}");
    let here = human(&dir.path().join("repo"), &["--select", "TG003", "tf"]);
    assert!(here.contains("┌─ tf/policy.json:1:"), "{here}");
    // SARIF still names the file by an absolute URI when it lies outside the working directory.
    let out = tg()
        .current_dir(&cfn)
        .args(["scan", "--format", "sarif", "../tf"])
        .output()
        .unwrap();
    let sarif = String::from_utf8(out.stdout).unwrap();
    assert!(sarif.contains("file:///"), "{sarif}");
    assert!(!sarif.contains("\"uri\": \"../"), "{sarif}");
}
