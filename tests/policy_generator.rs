//! `trailguard policy` prints policies that `trailguard scan` finds nothing wrong with, for every
//! combination of options — checked against the trail they are for.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;

fn generate(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("trailguard")
        .unwrap()
        .arg("policy")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn scan_with_trail(policy: &str, trail_toml: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("policy.json"), policy).unwrap();
    fs::write(dir.path().join(".trailguard.toml"), trail_toml).unwrap();
    let out = Command::cargo_bin("trailguard")
        .unwrap()
        .current_dir(dir.path())
        .args(["scan", "--format", "json", "."])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_combination_scans_clean() {
    let mut checked = 0;
    for partition in ["aws", "aws-cn", "aws-us-gov"] {
        for prefix in [None, Some("audit"), Some("org/logs")] {
            for org in [None, Some("o-a1b2c3d4e5")] {
                // The trail by its ARN (exact, or a pattern for any trail name or Region), or
                // by its account.
                for by_arn in [
                    Some("us-east-1:111111111111:trail/main"),
                    Some("us-east-1:111111111111:trail/*"),
                    Some("*:111111111111:trail/main"),
                    None,
                ] {
                    for kms in [false, true] {
                        if kms && (prefix.is_some() || org.is_some()) {
                            // The key policy names no prefix or organization (refused: tested
                            // in bad_options_exit_2).
                            continue;
                        }
                        let arn = format!(
                            "arn:{partition}:cloudtrail:{}",
                            by_arn.unwrap_or("us-east-1:111111111111:trail/main")
                        );
                        let mut args: Vec<String> = vec![];
                        if !kms {
                            args.extend(["--bucket".into(), "acme-trail-logs".into()]);
                        }
                        if by_arn.is_some() {
                            args.extend(["--trail-arn".into(), arn.clone()]);
                        } else {
                            args.extend([
                                "--account".into(),
                                "111111111111".into(),
                                "--partition".into(),
                                partition.into(),
                            ]);
                        }
                        if let Some(p) = prefix {
                            args.extend(["--prefix".into(), p.into()]);
                        }
                        if let Some(o) = org {
                            args.extend(["--org-id".into(), o.into()]);
                        }
                        if kms {
                            args.push("--kms".into());
                        }
                        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
                        let (code, text) = generate(&argv);
                        assert_eq!(code, 0, "{argv:?}");
                        let doc: Value = serde_json::from_str(&text).unwrap();
                        assert_eq!(doc["Version"], "2012-10-17");
                        // The trail it is checked against: a concrete one the pattern covers.
                        let concrete = arn
                            .replace("trail/*", "trail/main")
                            .replace(":*:", ":eu-west-1:");
                        let mut toml = format!(
                            "[[trails]]\narn = \"{concrete}\"\nbucket = \"acme-trail-logs\"\n"
                        );
                        if let Some(p) = prefix {
                            toml.push_str(&format!("prefix = \"{p}\"\n"));
                        }
                        if let Some(o) = org {
                            toml.push_str(&format!("organization = \"{o}\"\n"));
                        }
                        let report = scan_with_trail(&text, &toml);
                        assert_eq!(report["files_scanned"], 1);
                        assert_eq!(
                            report["findings"].as_array().unwrap().len(),
                            0,
                            "{argv:?}\n{text}\n{report}"
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    // 3 partitions x (6 prefix/org combinations x 4 trail forms + 4 key policies).
    assert_eq!(checked, 3 * (6 * 4 + 4));
}

#[test]
fn a_wrong_trail_is_caught() {
    // The checker is real: the same policy against another prefix is TG002.
    let (_, text) = generate(&[
        "--bucket",
        "acme-trail-logs",
        "--account",
        "111111111111",
        "--prefix",
        "audit",
    ]);
    let report = scan_with_trail(
        &text,
        "[[trails]]\naccount = \"111111111111\"\nprefix = \"other\"\nbucket = \"acme-trail-logs\"\n",
    );
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["TG002"]);
}

#[test]
fn bad_options_exit_2() {
    assert_eq!(generate(&["--bucket", "b"]).0, 2);
    for bucket in [
        "ab",
        "Acme-Logs",
        "acme_logs",
        "-acme",
        "acme..logs",
        "192.168.1.1",
    ] {
        assert_eq!(
            generate(&["--bucket", bucket, "--account", "111111111111"]).0,
            2,
            "{bucket}"
        );
    }
    for flag in [
        ["--bucket", "acme-logs"],
        ["--prefix", "audit"],
        ["--org-id", "o-a1b2c3d4e5"],
    ] {
        let mut args = vec!["--kms", "--account", "111111111111"];
        args.extend(flag);
        assert_eq!(generate(&args).0, 2, "{flag:?}");
    }
    assert_eq!(generate(&["--account", "111111111111"]).0, 2);
    assert_eq!(generate(&["--bucket", "b", "--account", "12"]).0, 2);
    assert_eq!(
        generate(&["--bucket", "b", "--trail-arn", "arn:aws:s3:::b"]).0,
        2
    );
    assert_eq!(
        generate(&[
            "--bucket",
            "b",
            "--account",
            "111111111111",
            "--org-id",
            "org"
        ])
        .0,
        2
    );
    assert_eq!(
        generate(&[
            "--bucket",
            "b",
            "--account",
            "111111111111",
            "--partition",
            "mars"
        ])
        .0,
        2
    );
    assert_eq!(
        generate(&[
            "--bucket",
            "b",
            "--account",
            "222222222222",
            "--trail-arn",
            "arn:aws:cloudtrail:us-east-1:111111111111:trail/t"
        ])
        .0,
        2
    );
}

mod services {
    use trailguard::generate::{Request, Service, policy};
    use trailguard::link::Analysis;
    use trailguard::model::{Bucket, LogSource, Model, SourceKind};
    use trailguard::source::Span;
    use trailguard::value::Text;
    use trailguard::value::Truth;

    const BUCKET: &str = "acme-shared-logs";
    const ACCOUNT: &str = "111111111111";

    fn source(kind: SourceKind, prefix: &str) -> LogSource {
        LogSource {
            kind,
            address: format!("{kind:?}"),
            span: Span::new(9, 0, 1),
            bucket: Text::lit(BUCKET),
            prefix: Text::lit(prefix),
            account: Text::lit(ACCOUNT),
            partition: Text::lit("aws"),
            origin: Some(Text::lit("acme-site")),
            unit: "unit".into(),
            region: None,
            service_linked: Truth::Yes,
            guard: Default::default(),
        }
    }

    /// The rules' findings on the generated policy with these sources delivering to its bucket.
    fn findings(json: &str, sources: Vec<LogSource>) -> Vec<&'static str> {
        let mut m: Model = trailguard::frontend::json::read_file(0, "policy.json", json);
        m.buckets.push(Bucket::new(
            "bucket".into(),
            Span::new(9, 2, 3),
            Text::lit(BUCKET),
            Truth::No,
        ));
        m.sources = sources;
        // AWS Config writes as its service principal with the service-linked recorder role.
        m.recorders.push(("unit".into(), Truth::Yes));
        m.resolve();
        let linked = trailguard::link::link(&m);
        let a = Analysis::whole(&m, &linked);
        let mut out = vec![];
        for r in trailguard::rules::ALL {
            if let Some(c) = r.check {
                c(&a, &mut out);
            }
        }
        out.iter().map(|f| f.rule.id).collect()
    }

    const ALL: [Service; 6] = [
        Service::Cloudtrail,
        Service::Config,
        Service::Elb,
        Service::Nlb,
        Service::FlowLogs,
        Service::S3AccessLogs,
    ];

    fn sources_for(services: &[Service], prefix: &str) -> Vec<LogSource> {
        services
            .iter()
            .filter_map(|s| match s {
                Service::Cloudtrail => None,
                Service::Config => Some(source(SourceKind::Config, prefix)),
                Service::Elb => Some(source(SourceKind::Alb, prefix)),
                Service::Nlb => Some(source(SourceKind::Nlb, prefix)),
                Service::FlowLogs => Some(source(SourceKind::FlowLogs, prefix)),
                Service::S3AccessLogs => {
                    Some(source(SourceKind::S3AccessLogs, &format!("{prefix}/")))
                }
            })
            .collect()
    }

    /// Every combination of services, in two Regions (one with a legacy ELB account, one with
    /// the service principal), with and without a prefix: the combined policy scans clean
    /// against sources of those services; moved to another prefix, each source is denied.
    #[test]
    fn every_combination_scans_clean_against_its_sources() {
        let mut checked = 0;
        for mask in 1u32..(1 << ALL.len()) {
            let services: Vec<Service> = (0..ALL.len())
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| ALL[i])
                .collect();
            for region in ["us-east-1", "eu-central-2"] {
                for prefix in ["", "logs"] {
                    let req = Request {
                        bucket: Some(BUCKET.into()),
                        account: Some(ACCOUNT.into()),
                        prefix: (!prefix.is_empty()).then(|| prefix.to_string()),
                        services: services.clone(),
                        region: Some(region.into()),
                        source_bucket: Some("acme-site".into()),
                        ..Default::default()
                    };
                    let json = serde_json::to_string_pretty(&policy(&req).unwrap()).unwrap();
                    let sources =
                        sources_for(&services, if prefix.is_empty() { "p" } else { prefix });
                    let sources = if prefix.is_empty() {
                        // No prefix: the sources write under none either.
                        sources
                            .into_iter()
                            .map(|mut s| {
                                s.prefix = Text::default();
                                s
                            })
                            .collect()
                    } else {
                        sources
                    };
                    // The sources know their Region: the legacy ELB account must be its own.
                    let sources: Vec<LogSource> = sources
                        .into_iter()
                        .map(|mut s| {
                            s.region = Some(region.to_string());
                            s
                        })
                        .collect();
                    let got = findings(&json, sources.clone());
                    assert!(
                        got.is_empty(),
                        "{services:?} {region} {prefix:?}: {got:?}\n{json}"
                    );
                    // The check is real: sources writing elsewhere are denied.
                    let moved: Vec<LogSource> = sources
                        .into_iter()
                        .map(|mut s| {
                            s.prefix = Text::lit("elsewhere/");
                            s
                        })
                        .collect();
                    // (Without a prefix, S3 server access logs are granted the whole bucket.)
                    let judged = moved
                        .iter()
                        .filter(|s| !(prefix.is_empty() && s.kind == SourceKind::S3AccessLogs))
                        .count();
                    let denied = findings(&json, moved)
                        .iter()
                        .filter(|r| **r == "TG100")
                        .count();
                    assert!(
                        denied >= judged,
                        "{services:?} {region} {prefix:?}: {denied} < {judged}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 63 * 4);
    }

    #[test]
    fn elb_needs_a_region_it_knows() {
        let req = |region: Option<&str>| Request {
            bucket: Some(BUCKET.into()),
            account: Some(ACCOUNT.into()),
            services: vec![Service::Elb],
            region: region.map(String::from),
            ..Default::default()
        };
        assert!(policy(&req(None)).unwrap_err().contains("--region"));
        assert!(policy(&req(Some("xx-nowhere-1"))).is_err());
        let old = policy(&req(Some("us-west-2"))).unwrap().to_string();
        assert!(old.contains("arn:aws:iam::797873946194:root"), "{old}");
        let new = policy(&req(Some("eu-south-2"))).unwrap().to_string();
        assert!(
            new.contains("logdelivery.elasticloadbalancing.amazonaws.com"),
            "{new}"
        );
    }
}
