//! Bad input never crashes the scan: each case gives a finding or a notice, and the other files
//! are still checked.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

/// A policy with one certain defect (TG001: no PutObject grant), to prove the scan went on.
const CANARY: &str = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::b"}]}"#;

fn scan_json(dir: &Path) -> serde_json::Value {
    let out = Command::cargo_bin("trailguard")
        .unwrap()
        .current_dir(dir)
        .args(["scan", "--format", "json", "."])
        .output()
        .unwrap();
    assert!(out.status.code().is_some(), "killed by a signal: {out:?}");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    serde_json::from_slice(&out.stdout).expect("a valid report")
}

fn rules_at(v: &serde_json::Value, path: &str) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == path)
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

fn notice_for(v: &serde_json::Value, path: &str) -> Option<String> {
    v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["path"] == path)
        .map(|n| n["message"].as_str().unwrap().to_string())
}

fn with_canary(files: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("canary.json"), CANARY).unwrap();
    for (name, bytes) in files {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    let v = scan_json(dir.path());
    assert_eq!(
        rules_at(&v, "canary.json"),
        ["TG001"],
        "the rest of the scan must go on"
    );
    (dir, v)
}

/// A file whose name is not UTF-8 is still read: a repository cannot hide a policy from the
/// walk by a stray byte in its name.
#[cfg(unix)]
#[test]
fn a_name_that_is_not_utf8_does_not_hide_a_file() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"hidden\xff.json");
    fs::write(dir.path().join(name), CANARY).unwrap();
    let v = scan_json(dir.path());
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"].as_str().unwrap().starts_with("hidden"))
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["TG001"], "{v}");
}

#[test]
fn non_utf8_is_a_notice() {
    let (_d, v) = with_canary(&[("latin1.json", b"{\"Statement\": \"caf\xe9\"}".to_vec())]);
    assert!(notice_for(&v, "latin1.json").unwrap().contains("not UTF-8"));
}

#[test]
fn binary_is_a_notice() {
    let mut bytes = b"{\"Statement\": [".to_vec();
    bytes.extend([0u8, 1, 2, 255, 0, 7]);
    let (_d, v) = with_canary(&[("policy.json", bytes)]);
    assert!(notice_for(&v, "policy.json").unwrap().contains("binary"));
}

#[test]
fn empty_and_whitespace_files_are_skipped_quietly() {
    let (_d, v) = with_canary(&[
        ("empty.json", vec![]),
        ("blank.json.tpl", b"  \n\n".to_vec()),
    ]);
    assert!(rules_at(&v, "empty.json").is_empty());
    assert!(notice_for(&v, "empty.json").is_none());
}

#[test]
fn deep_nesting_is_a_parse_error_not_a_stack_overflow() {
    let depth = 100_000;
    let mut s = String::from("{\"Statement\": ");
    s.push_str(&"[".repeat(depth));
    s.push_str(&"]".repeat(depth));
    s.push('}');
    let mut obj = String::from("{\"Policy\": {\"Statement\": ");
    obj.push_str(&"{\"a\":".repeat(depth));
    obj.push('1');
    obj.push_str(&"}".repeat(depth));
    obj.push_str("}}");
    let (_d, v) = with_canary(&[
        ("deep.json", s.into_bytes()),
        ("deep-obj.json", obj.into_bytes()),
    ]);
    assert_eq!(rules_at(&v, "deep.json"), ["TG012"]);
    assert_eq!(rules_at(&v, "deep-obj.json"), ["TG012"]);
}

#[test]
fn deep_nesting_inside_an_embedded_policy_string() {
    let inner = format!(
        "{{\\\"Statement\\\": {}{}}}",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    let file = format!("{{\"Policy\": \"{inner}\"}}");
    let (_d, v) = with_canary(&[("cli.json", file.into_bytes())]);
    assert_eq!(rules_at(&v, "cli.json"), ["TG012"]);
}

#[test]
fn a_60_mb_policy_is_a_notice_and_a_6_mb_one_is_read() {
    // 60 MB of statements: no policy AWS accepts is that large (32 KB at most); it is not
    // analysed, and says so. A 6 MB one is still read statement by statement.
    let stmt = r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::big/AWSLogs/111111111111/*", "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}}"#;
    let make = |mb: usize| {
        let n = mb * 1024 * 1024 / (stmt.len() + 2);
        let mut s = String::with_capacity(mb * 1024 * 1024 + 256);
        s.push_str(r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::big"}"#);
        for _ in 0..n {
            s.push_str(",\n");
            s.push_str(stmt);
        }
        s.push_str("]}");
        (n, s)
    };
    let (_, big) = make(60);
    let (n, medium) = make(6);
    assert!(big.len() >= 60 * 1024 * 1024);
    let (_d, v) = with_canary(&[
        ("big.json", big.into_bytes()),
        ("medium.json", medium.into_bytes()),
    ]);
    assert!(rules_at(&v, "big.json").is_empty());
    assert!(notice_for(&v, "big.json").unwrap().contains("not analysed"));
    let got = rules_at(&v, "medium.json");
    assert_eq!(got.len(), n);
    assert!(got.iter().all(|r| r == "TG003"));
}

#[test]
fn a_10_mb_line_is_read() {
    let long = "x".repeat(10 * 1024 * 1024);
    let s = format!(
        r#"{{"Statement": [{{"Effect": "Allow", "Principal": {{"Service": "cloudtrail.amazonaws.com"}}, "Action": ["s3:GetBucketAcl", "s3:PutObject"], "Resource": ["arn:aws:s3:::{long}", "arn:aws:s3:::{long}/*"], "Condition": {{"StringEquals": {{"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111111111111:trail/{long}", "s3:x-amz-acl": "bucket-owner-full-control"}}}}}}]}}"#
    );
    let (_d, v) = with_canary(&[("long-line.json", s.into_bytes())]);
    // Values this long are not compared: nothing certain to report.
    assert!(rules_at(&v, "long-line.json").is_empty());
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("canary.json"), CANARY).unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("sub/loop")).unwrap();
    let v = scan_json(dir.path());
    assert_eq!(rules_at(&v, "canary.json"), ["TG001"]);
    let notes = v["notices"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n["message"].as_str().unwrap().contains("loop")),
        "{notes:?}"
    );
}

#[test]
fn hostile_terraform() {
    let deep = format!(
        "resource \"aws_s3_bucket_policy\" \"p\" {{\n  policy = jsonencode({}1{})\n}}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    let heredoc = "resource \"aws_s3_bucket_policy\" \"p\" {\n  bucket = \"b\"\n  policy = <<EOF\n{\"Statement\": []}\n";
    let cyclic = "locals {\n  a = local.b\n  b = local.a\n}\nresource \"aws_s3_bucket_policy\" \"p\" {\n  bucket = local.a\n  policy = local.b\n}\n";
    let (_d, v) = with_canary(&[
        ("deep.tf", deep.into_bytes()),
        ("heredoc.tf", heredoc.as_bytes().to_vec()),
        (
            "latin1.tf",
            b"resource \"aws_s3_bucket\" \"b\" { bucket = \"caf\xe9\" }\n".to_vec(),
        ),
    ]);
    assert_eq!(rules_at(&v, "deep.tf"), ["TG012"]);
    assert_eq!(rules_at(&v, "heredoc.tf"), ["TG012"]);
    assert!(notice_for(&v, "latin1.tf").unwrap().contains("not UTF-8"));
    // Cyclic locals and a module that sources itself end as unknowns.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("canary.json"), CANARY).unwrap();
    fs::write(dir.path().join("cyclic.tf"), cyclic).unwrap();
    fs::create_dir(dir.path().join("self")).unwrap();
    fs::write(
        dir.path().join("self/main.tf"),
        "module \"again\" {\n  source = \"./\"\n  x = 1\n}\nmodule \"up\" {\n  source = \"../self\"\n}\n",
    )
    .unwrap();
    let v = scan_json(dir.path());
    assert_eq!(rules_at(&v, "canary.json"), ["TG001"]);
    assert!(rules_at(&v, "cyclic.tf").is_empty());
}

#[test]
fn hostile_cloudformation() {
    let mut bomb = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nMappings:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let deep = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}x{}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    let cyclic = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub '${B}-${C.Arn}'\n  C:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !GetAtt B.Arn\n  P:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref B\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {Service: cloudtrail.amazonaws.com}\n            Action: s3:GetBucketAcl\n            Resource: !GetAtt B.Arn\n";
    let (_d, v) = with_canary(&[
        ("bomb.yaml", bomb.into_bytes()),
        ("deep.yaml", deep.into_bytes()),
        ("cyclic.yaml", cyclic.as_bytes().to_vec()),
    ]);
    assert_eq!(rules_at(&v, "bomb.yaml"), ["TG012"]);
    assert_eq!(rules_at(&v, "deep.yaml"), ["TG012"]);
    // The cycle ends as unknowns: only the certain defect (no PutObject grant) remains.
    assert_eq!(rules_at(&v, "cyclic.yaml"), ["TG001"]);
}
