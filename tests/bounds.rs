//! Hostile inputs within bounds: each scan ends within 5 seconds, no scan takes more than
//! 500 MB, nothing panics, the report stays valid and the rest of the scan completes. One test
//! in its own binary, so the peak memory of the scans it runs is all this process's children's.

use assert_cmd::Command;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

const CANARY: &str = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::b"}]}"#;

fn case(name: &str, files: &[(&str, Vec<u8>)]) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("canary.json"), CANARY).unwrap();
    for (path, bytes) in files {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }
    check(name, dir.path());
}

fn check(name: &str, dir: &Path) {
    let start = Instant::now();
    let out = Command::cargo_bin("trailguard")
        .unwrap()
        .current_dir(dir)
        .args(["scan", "--format", "json", "."])
        .timeout(Duration::from_secs(5))
        .output()
        .unwrap();
    let took = start.elapsed();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{name}: {out:?}");
    assert!(took < Duration::from_secs(5), "{name} took {took:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{name}: invalid report: {e}"));
    let canary: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == "canary.json")
        .collect();
    assert_eq!(canary.len(), 1, "{name}: the rest of the scan must go on");
}

fn peak_rss_of_children_mb() -> f64 {
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    assert_eq!(rc, 0);
    ru.ru_maxrss as f64 / 1024.0
}

#[test]
fn hostile_inputs_stay_within_5_s_and_500_mb() {
    let mut bomb = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nMappings:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    case("yaml alias bomb", &[("t.yaml", bomb.into_bytes())]);
    let deep_json = format!(
        "{{\"Statement\": {}{}}}",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    case("200,000-deep JSON", &[("p.json", deep_json.into_bytes())]);
    let deep_hcl = format!(
        "resource \"aws_s3_bucket_policy\" \"p\" {{\n  policy = jsonencode({}1{})\n}}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    case("200,000-deep HCL", &[("main.tf", deep_hcl.into_bytes())]);
    let deep_yaml = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}x{}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    case("200,000-deep YAML", &[("t.yaml", deep_yaml.into_bytes())]);
    let mut bin = b"{\"Statement\": [".to_vec();
    bin.extend((0..4096u32).map(|i| (i * 7 % 256) as u8));
    case(
        "binary with policy-looking names",
        &[
            ("bucket-policy.json", bin.clone()),
            ("main.tf", bin.clone()),
            ("template.yaml", bin),
        ],
    );
    case(
        "invalid UTF-8 and NUL in .tf",
        &[
            (
                "a.tf",
                b"resource \"aws_s3_bucket\" \"b\" { bucket = \"\xff\xfe\" }".to_vec(),
            ),
            ("b.tf", b"resource \"aws_cloudtrail\" \"t\" {\0}".to_vec()),
        ],
    );
    let big_stmt = r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::big/AWSLogs/111111111111/*"}"#;
    let mut big = String::from("{\"Statement\": [");
    while big.len() < 60 * 1024 * 1024 {
        big.push_str(big_stmt);
        big.push_str(",\n");
    }
    big.push_str(big_stmt);
    big.push_str("]}");
    case("60 MB policy", &[("big.json", big.into_bytes())]);
    let long = "x".repeat(10 * 1024 * 1024);
    let line = format!(
        r#"{{"Statement": [{{"Effect": "Allow", "Principal": {{"Service": "cloudtrail.amazonaws.com"}}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::{long}/*"}}]}}"#
    );
    case("10 MB line", &[("line.json", line.into_bytes())]);
    case(
        "empty files",
        &[
            ("e.json", vec![]),
            ("e.tf", vec![]),
            ("e.yaml", vec![]),
            ("e.tf.json", vec![]),
        ],
    );
    case(
        "unclosed heredoc",
        &[(
            "h.tf",
            b"resource \"aws_s3_bucket_policy\" \"p\" {\n  policy = <<EOF\n{\"Statement\": []}\n"
                .to_vec(),
        )],
    );
    case("cyclic locals", &[("c.tf", b"locals {\n  a = local.b\n  b = \"${local.a}x\"\n}\nresource \"aws_s3_bucket_policy\" \"p\" {\n  bucket = local.a\n  policy = jsonencode({Statement = [{Effect = \"Allow\", Principal = {Service = \"cloudtrail.amazonaws.com\"}, Action = \"s3:PutObject\", Resource = \"arn:aws:s3:::${local.b}/*\"}]})\n}\n".to_vec())]);
    case("module that sources itself", &[("m/main.tf", b"module \"me\" {\n  source = \"./\"\n}\nmodule \"parent\" {\n  source = \"../m\"\n}\nresource \"aws_s3_bucket\" \"b\" {}\n".to_vec())]);
    case("cyclic !Sub", &[("t.yaml", b"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub '${B}-${C.Arn}'\n  C:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !GetAtt B.Arn\n".to_vec())]);
    // Names reached along many paths: evaluated once each, not once per path (2^40).
    let head = "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Env: {Type: String}\n";
    let mut diamond = format!("{head}Conditions:\n  C0: !Equals [!Ref Env, prod]\n");
    for i in 1..=40 {
        diamond += &format!(
            "  C{i}: !And [!Condition C{p}, !Not [!Condition C{p}]]\n",
            p = i - 1
        );
    }
    let mut chain = format!("{head}Conditions:\n  C0: !Equals [!Ref Env, prod]\n");
    for i in 1..25_000 {
        chain += &format!("  C{i}: !Not [!Condition C{}]\n", i - 1);
    }
    let mut names = String::from("Resources:\n  B0:\n    Type: AWS::S3::Bucket\n");
    for i in 1..=40 {
        names += &format!(
            "  B{i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Select [0, [!Ref B{p}, !Ref B{p}]]\n",
            p = i - 1
        );
    }
    let trail = |cond: &str, bucket: &str| {
        format!(
            "  Trail:\n    Type: AWS::CloudTrail::Trail\n    Condition: {cond}\n    Properties:\n      S3BucketName: {bucket}\n      IsLogging: true\n"
        )
    };
    case(
        "conditions naming conditions twice, 40 deep",
        &[(
            "t.yaml",
            format!("{diamond}Resources:\n{}", trail("C40", "logs")).into_bytes(),
        )],
    );
    case(
        "a chain of 25,000 conditions",
        &[(
            "t.yaml",
            format!("{chain}Resources:\n{}", trail("C24999", "logs")).into_bytes(),
        )],
    );
    case(
        "bucket names naming bucket names twice, 40 deep",
        &[(
            "t.yaml",
            format!("{head}{names}{}", trail("C0", "!Ref B40")).into_bytes(),
        )],
    );
    #[cfg(unix)]
    {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("canary.json"), CANARY).unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        std::os::unix::fs::symlink("..", dir.path().join("sub/loop")).unwrap();
        std::os::unix::fs::symlink("self", dir.path().join("self")).unwrap();
        check("symlink loops", dir.path());
    }
    let peak = peak_rss_of_children_mb();
    eprintln!("peak RSS of the hostile scans: {peak:.0} MB");
    assert!(peak < 500.0, "a scan took {peak:.0} MB");
}
