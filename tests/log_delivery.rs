//! The shared log bucket (testdata/ld-shared-good): CloudTrail, AWS Config, an ALB, an NLB, VPC
//! Flow Logs and S3 server access logs, all correct, give nothing; one thing broken gives its
//! one finding.

use std::fs;
use trailguard::{Config, scan};

fn findings(text: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("main.tf"), text).unwrap();
    let report = scan(&[dir.path().to_path_buf()], &Config::default()).unwrap();
    let mut out: Vec<String> = report
        .findings
        .iter()
        .map(|f| f.rule.id.to_string())
        .collect();
    out.dedup();
    out
}

#[test]
fn one_thing_broken_gives_its_one_finding() {
    let good = fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/ld-shared-good/main.tf"),
    )
    .unwrap();
    assert!(findings(&good).is_empty());
    for (from, to, want) in [
        // The flow logs' path.
        ("/flow/AWSLogs", "/flowx/AWSLogs", "TG100"),
        // Config's path (its recorder uses the service-linked role).
        (
            "/config/AWSLogs/${local.account}/Config",
            "/cfg/AWSLogs/${local.account}/Config",
            "TG100",
        ),
        // Another Region's legacy ELB account (the provider says us-east-1).
        ("127311923021", "797873946194", "TG100"),
        // The S3 access logs' prefix.
        ("${local.bucket}/s3/*", "${local.bucket}/s4/*", "TG100"),
        // The access logs' source bucket.
        (
            "aws_s3_bucket.site.arn }",
            "\"arn:aws:s3:::acme-other\" }",
            "TG101",
        ),
        // SSE-KMS default encryption for ALB and S3 access logs.
        ("\"AES256\"", "\"aws:kms\"", "TG102"),
        // The NLB/flow-log grant without its source conditions.
        (
            "StringEquals = { \"aws:SourceAccount\" = local.account }\n          ArnLike      = { \"aws:SourceArn\" = \"arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${local.account}:*\" }\n        }\n      },\n      {\n        Sid       = \"S3ServerAccessLogsPolicy\"",
            "}\n      },\n      {\n        Sid       = \"S3ServerAccessLogsPolicy\"",
            "TG104",
        ),
        // CloudTrail's prefix.
        ("trail/AWSLogs", "trial/AWSLogs", "TG002"),
    ] {
        assert!(good.contains(from), "{from}");
        let broken = good.replacen(from, to, 1);
        assert_eq!(findings(&broken), [want], "{from} -> {to}");
    }
}

/// A trussworks-shaped log module (Allow for enabled services, Deny for the others): the Deny
/// of a service that does not deliver here is no finding; disabling a service that does is.
#[test]
fn denies_for_disabled_services_count_only_when_they_deliver() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/ld-trussworks-good");
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("modules/logs")).unwrap();
    fs::copy(
        root.join("modules/logs/main.tf"),
        dir.path().join("modules/logs/main.tf"),
    )
    .unwrap();
    let main = fs::read_to_string(root.join("main.tf")).unwrap();
    let run = |text: &str| {
        fs::write(dir.path().join("main.tf"), text).unwrap();
        let report = scan(&[dir.path().to_path_buf()], &Config::default()).unwrap();
        report
            .findings
            .iter()
            .map(|f| f.rule.id.to_string())
            .collect::<Vec<_>>()
    };
    assert!(run(&main).is_empty());
    let off = run(&main.replace(
        "vpc_flow_logs_enabled = true",
        "vpc_flow_logs_enabled = false",
    ));
    assert!(
        !off.is_empty() && off.iter().all(|r| r == "TG100"),
        "{off:?}"
    );
}
