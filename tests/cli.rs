//! The command line end to end: exit codes, flags, formats, file discovery.

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;

fn tg() -> Command {
    Command::cargo_bin("trailguard").unwrap()
}

#[test]
fn exit_codes_follow_fail_on() {
    // The Control Tower policy gives one warning (TG004).
    tg().args(["scan", "testdata/reference"]).assert().code(1);
    tg().args(["scan", "testdata/reference", "--fail-on", "error"])
        .assert()
        .code(0);
    tg().args(["scan", "testdata/json-tg002-bad", "--fail-on", "never"])
        .assert()
        .code(0);
    tg().args(["scan", "testdata/json-tg002-bad", "--fail-on", "error"])
        .assert()
        .code(1);
    tg().args(["scan", "testdata/json-tg012-good"])
        .assert()
        .code(0);
}

#[test]
fn usage_errors_exit_2() {
    tg().args(["scan", "no/such/path"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
    tg().args(["scan", "--format", "xml", "testdata"])
        .assert()
        .code(2);
    tg().args(["scan", "--select", "TG999", "testdata"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("TG999"));
    tg().args(["scan", "--fail-on", "sometimes"])
        .assert()
        .code(2);
    tg().args(["explain", "TG404"]).assert().code(2);
}

#[test]
fn select_and_ignore() {
    let out = tg()
        .args([
            "scan",
            "testdata/json-tg009-bad",
            "--select",
            "TG009",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["TG009", "TG009"]);
    tg().args(["scan", "testdata/reference", "--ignore", "TG004"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 errors, 0 warnings"));
}

#[test]
fn json_format_has_the_spec_shape() {
    let out = tg()
        .args(["scan", "testdata/json-tg003-bad", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["version"].is_string());
    assert_eq!(v["files_scanned"], 1);
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "TG003");
    assert_eq!(f["name"], "source-condition-missing");
    assert_eq!(f["level"], "warning");
    assert_eq!(f["path"], "testdata/json-tg003-bad/policy.json");
    assert_eq!(f["start"], serde_json::json!({"line": 11, "column": 5}));
    assert_eq!(f["end"], serde_json::json!({"line": 21, "column": 6}));
    assert!(f["fingerprint"].as_str().unwrap().contains(':'));
    assert!(f["related"].is_array());
    assert!(f["message"].as_str().unwrap().contains("aws:SourceArn"));
}

#[test]
fn output_file_and_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.sarif");
    tg().args([
        "scan",
        "testdata/reference",
        "--format",
        "sarif",
        "--output",
    ])
    .arg(&out)
    .assert()
    .code(1)
    .stdout(predicate::str::is_empty());
    let text = fs::read_to_string(&out).unwrap();
    assert!(text.contains("\"TG004\""));
    tg().args(["scan", "testdata/reference", "-q"])
        .assert()
        .stdout(predicate::str::contains("TG004").and(predicate::str::contains("scanned").not()));
}

#[test]
fn human_output_has_snippets_hints_and_summary() {
    tg().args(["scan", "testdata/reference"]).assert().stdout(
        predicate::str::contains("warning[TG004]: CloudTrail's s3:PutObject grant")
            .and(predicate::str::contains(
                "┌─ testdata/reference/control-tower-bucket-policy.json:29:5",
            ))
            .and(predicate::str::contains("= help: add"))
            .and(predicate::str::contains(
                "0 errors, 1 warning in 1 file (4 files scanned)",
            )),
    );
    // Quiet: one line per finding.
    tg().args(["scan", "testdata/reference", "-q"]).assert().stdout(
        "testdata/reference/control-tower-bucket-policy.json:29:5: warning[TG004]: CloudTrail's s3:PutObject grant does not require s3:x-amz-acl = bucket-owner-full-control, so log objects may not be owned by the bucket owner\n",
    );
}

#[test]
fn colours_follow_flags_and_no_color() {
    let out = tg()
        .args(["scan", "testdata/reference", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\u{1b}["));
    let out = tg()
        .args([
            "scan",
            "testdata/reference",
            "--color",
            "always",
            "--no-color",
        ])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\u{1b}["));
    // Not a terminal: no colours by default.
    let out = tg().args(["scan", "testdata/reference"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\u{1b}["));
    let out = tg()
        .env("NO_COLOR", "1")
        .args(["scan", "testdata/reference"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\u{1b}["));
}

#[test]
fn explain_renders_for_a_terminal_and_narrows_to_one_format() {
    let page = |args: &[&str]| {
        let out = tg().arg("explain").args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let all = page(&["TG002"]);
    // Code blocks are indented, never fenced; every example is there by default.
    assert!(
        all.contains("\n    resource \"aws_cloudtrail\" \"main\" {\n"),
        "{all}"
    );
    assert!(all.contains("\n    Resources:\n"), "{all}");
    assert!(all.contains("\n    {\n"), "{all}");
    assert!(!all.contains('\u{1b}'), "no colour into a pipe: {all}");
    for (format, kept, dropped) in [
        (
            "terraform",
            "Terraform (",
            ["CloudFormation (", "Policy JSON ("],
        ),
        (
            "cloudformation",
            "CloudFormation (",
            ["Terraform (", "Policy JSON ("],
        ),
        ("json", "Policy JSON (", ["Terraform (", "CloudFormation ("]),
    ] {
        let one = page(&["TG002", "--format", format]);
        assert_eq!(one.matches(kept).count(), 2, "example and fix: {one}");
        for d in dropped {
            assert!(!one.contains(d), "{format} keeps {d}: {one}");
        }
        assert!(
            one.contains("WHAT IT DOES") && one.contains("REFERENCES"),
            "{one}"
        );
        assert!(one.lines().count() < all.lines().count());
    }
    let coloured = page(&["TG002", "--color", "always"]);
    assert!(coloured.contains("\u{1b}["), "{coloured}");
    tg().args(["explain", "TG002", "--format", "yaml"])
        .assert()
        .code(2);
}

#[test]
fn rules_and_explain() {
    let out = tg().arg("rules").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for i in 0..=13 {
        assert!(
            text.contains(&format!("TG{i:03}")),
            "TG{i:03} missing from `rules`"
        );
    }
    assert!(text.contains("cloudtrail-principal-missing"));
    tg().args(["explain", "TG003"]).assert().code(0).stdout(
        predicate::str::starts_with("TG003 source-condition-missing\n")
            .and(predicate::str::contains("\nWHY IS THIS BAD?\n"))
            .and(predicate::str::contains("```").not())
            .and(predicate::str::contains("\n## ").not()),
    );
    tg().args(["explain", "TG003", "--markdown"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "# TG003 source-condition-missing\n",
        ));
    tg().args(["explain", "tg008"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("kms:DecryptDataKey"));
}

const BAD: &str = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::b"}]}"#;

#[test]
fn discovery_honours_ignore_files_terraform_dirs_and_excludes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("ignored")).unwrap();
    fs::create_dir_all(d.join(".terraform/modules")).unwrap();
    fs::create_dir_all(d.join("vendor")).unwrap();
    fs::write(d.join(".gitignore"), "ignored/\n").unwrap();
    for p in [
        "a.json",
        "ignored/b.json",
        ".terraform/modules/c.json",
        "vendor/d.json",
    ] {
        fs::write(d.join(p), BAD).unwrap();
    }
    let run = |extra: &[&str]| {
        let out = tg()
            .current_dir(d)
            .args(["scan", "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut paths: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect();
        paths.dedup();
        paths
    };
    // Not a git repository: .gitignore is honoured all the same.
    assert_eq!(run(&[]), ["a.json", "vendor/d.json"]);
    assert_eq!(run(&["--exclude", "vendor"]), ["a.json"]);
    // A file named on the command line is read whatever .gitignore says; --exclude still applies.
    assert_eq!(run(&["ignored/b.json"]), ["ignored/b.json"]);
    assert_eq!(
        run(&["ignored/b.json", "--exclude", "*.json"]),
        Vec::<String>::new()
    );
}

#[test]
fn config_excludes_are_relative_to_the_config_file_from_anywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    for d in [".git", "vendor", "src/deep"] {
        std::fs::create_dir_all(repo.join(d)).unwrap();
    }
    let bad = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::b"}]}"#;
    std::fs::write(repo.join("vendor/p.json"), bad).unwrap();
    std::fs::write(repo.join("src/p.json"), bad).unwrap();
    std::fs::write(repo.join(".trailguard.toml"), "exclude = [\"vendor/\"]\n").unwrap();
    let paths = |cwd: &std::path::Path, arg: &str| -> Vec<String> {
        let out = tg()
            .current_dir(cwd)
            .args(["scan", "--format", "json", arg])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    };
    // From the repository, from a subdirectory below it, and from outside it.
    assert_eq!(paths(&repo, "."), ["src/p.json"]);
    let from_below = paths(&repo.join("src/deep"), "../..");
    assert_eq!(from_below, ["../../src/p.json"], "shown as given");
    let outside = paths(tmp.path(), "repo");
    assert_eq!(outside, ["repo/src/p.json"]);
}

#[test]
fn a_finding_on_a_whole_document_ends_at_its_last_character() {
    let tmp = tempfile::tempdir().unwrap();
    let text = "{\n  \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"cloudtrail.amazonaws.com\"}, \"Action\": \"s3:GetBucketAcl\", \"Resource\": \"arn:aws:s3:::b\"}]\n}\n\n";
    std::fs::write(tmp.path().join("p.json"), text).unwrap();
    let out = tg()
        .current_dir(tmp.path())
        .args(["scan", "--format", "json", "p.json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "TG001");
    assert_eq!(
        (f["start"]["line"].as_u64(), f["start"]["column"].as_u64()),
        (Some(1), Some(1))
    );
    // The `}` on line 3 is the last character: the span ends just past it.
    assert_eq!(
        (f["end"]["line"].as_u64(), f["end"]["column"].as_u64()),
        (Some(3), Some(2))
    );
}

#[test]
fn files_read_for_context_give_no_notices_and_are_not_counted() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::b"}]}"#;
    std::fs::write(tmp.path().join("p.json"), bad).unwrap();
    std::fs::write(tmp.path().join("q.json"), bad).unwrap();
    std::fs::write(tmp.path().join("binary.json"), b"\x00\x01\x02 not text").unwrap();
    let out = tg()
        .current_dir(tmp.path())
        .args(["scan", "--format", "json", "p.json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["notices"].as_array().unwrap().len(),
        0,
        "{}",
        v["notices"]
    );
    assert_eq!(v["files_scanned"], 1);
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    // Named, the binary file is a notice.
    let out = tg()
        .current_dir(tmp.path())
        .args(["scan", "--format", "json", "binary.json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["notices"].as_array().unwrap().len(), 1);
}

#[test]
fn a_baseline_matches_from_any_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("sub")).unwrap();
    let bad = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::b"}]}"#;
    std::fs::write(repo.join("sub/p.json"), bad).unwrap();
    let baseline = tmp.path().join("baseline.json");
    tg().current_dir(&repo)
        .args(["scan", "--write-baseline", baseline.to_str().unwrap(), "."])
        .assert()
        .code(0);
    let findings = |cwd: &std::path::Path, arg: &str, with_baseline: bool| -> usize {
        let mut c = tg();
        c.current_dir(cwd).args(["scan", "--format", "json", arg]);
        if with_baseline {
            c.args(["--baseline", baseline.to_str().unwrap()]);
        }
        let out = c.output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["findings"].as_array().unwrap().len()
    };
    for (cwd, arg) in [
        (repo.clone(), "."),
        (repo.join("sub"), "."),
        (repo.join("sub"), ".."),
        (tmp.path().to_path_buf(), "repo"),
    ] {
        assert_eq!(findings(&cwd, arg, false), 1, "{} {arg}", cwd.display());
        assert_eq!(findings(&cwd, arg, true), 0, "{} {arg}", cwd.display());
    }
    // The summary says what the baseline held back.
    let out = tg()
        .current_dir(&repo)
        .args([
            "scan",
            "--no-color",
            "--baseline",
            baseline.to_str().unwrap(),
            ".",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "0 errors, 0 warnings in 0 files (1 file scanned; 1 finding in the baseline)"
        ),
        "{text}"
    );
    // Nothing trailguard reads: the summary names where it looked.
    std::fs::create_dir_all(repo.join("docs")).unwrap();
    std::fs::write(repo.join("docs/README.md"), "# docs\n").unwrap();
    let out = tg()
        .current_dir(&repo)
        .args(["scan", "--no-color", "docs"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("no files trailguard reads under docs "),
        "{text}"
    );
}

#[test]
fn rules_are_named_by_id_or_name_with_spaces_trimmed() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::b"}]}"#;
    std::fs::write(tmp.path().join("p.json"), bad).unwrap();
    for select in [
        "TG001",
        "cloudtrail-principal-missing",
        "TG002, TG001",
        " tg001 ",
    ] {
        let out = tg()
            .current_dir(tmp.path())
            .args(["scan", "--format", "json", "--select", select, "."])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{select}: {out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["findings"][0]["rule"], "TG001", "{select}");
    }
    let out = tg()
        .current_dir(tmp.path())
        .args(["scan", "--ignore", "cloudtrail-principal-missing", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    tg().args(["explain", "log-prefix-mismatch"])
        .assert()
        .code(0)
        .stdout(predicates::str::starts_with("TG002 log-prefix-mismatch"));
}

#[test]
fn thread_counts_and_colour_flags_are_checked() {
    tg().args(["scan", "-j", "0", "testdata/reference"])
        .assert()
        .code(2);
    tg().args([
        "scan",
        "--no-color",
        "--color",
        "always",
        "testdata/reference",
    ])
    .assert()
    .code(2);
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(".trailguard.toml"), "threads = 0\n").unwrap();
    tg().current_dir(tmp.path())
        .args(["scan", "."])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            ".trailguard.toml:1:1: threads must be at least 1",
        ));
    // No line of the human output ends in spaces.
    let out = tg()
        .args(["scan", "--no-color", "testdata/reference"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().all(|l| !l.ends_with(' ')), "{text}");
}

#[test]
fn shell_completion_offers_rule_ids_and_names() {
    for shell in ["bash", "fish", "zsh"] {
        let out = tg().args(["completions", shell]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        for word in [
            "TG003",
            "source-condition-missing",
            "TG013",
            "kms-encryption-context-missing",
        ] {
            assert!(text.contains(word), "{shell} completion lacks {word}");
        }
    }
}

#[test]
fn explain_reach_lists_every_policy_and_every_skipped_look_alike() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::copy("testdata/tf-unattached-bad/main.tf", d.join("main.tf")).unwrap();
    std::fs::create_dir_all(d.join("live")).unwrap();
    for f in ["describe-trails.json", "acme-audit-logs.json"] {
        std::fs::copy(format!("testdata/cli-live-bad/{f}"), d.join("live").join(f)).unwrap();
    }
    std::fs::write(
        d.join("role.json"),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
    )
    .unwrap();
    std::fs::write(
        d.join("cm.yaml"),
        "kind: ConfigMap\ndata:\n  policy: '{\"Statement\": [{\"Principal\": {\"Service\": \"cloudtrail.amazonaws.com\"}}]}'\n",
    )
    .unwrap();
    let out = tg()
        .current_dir(d)
        .args(["scan", "--format", "json", "--explain-reach", "."])
        .output()
        .unwrap();
    // The report on stdout stays valid JSON; the listing goes to stderr.
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["findings"].as_array().is_some_and(|f| !f.is_empty()));
    let listing = String::from_utf8(out.stderr).unwrap();
    assert!(listing.starts_with("policies analysed: 2\n"), "{listing}");
    assert!(
        listing.contains("  live/acme-audit-logs.json:2:15: bucket policy: CloudTrail's; checked against audit (arn:aws:cloudtrail:eu-west-1:111111111111:trail/audit)\n"),
        "{listing}"
    );
    assert!(
        listing.contains(
            "  main.tf:3:1: bucket policy data.aws_iam_policy_document.default: CloudTrail's"
        ),
        "{listing}"
    );
    assert!(
        listing.contains("not read, though they look like policies: 2\n"),
        "{listing}"
    );
    assert!(
        listing.contains("  cm.yaml: YAML, but not a CloudFormation template"),
        "{listing}"
    );
    assert!(
        listing.contains("  role.json: JSON, but no bucket or key policy"),
        "{listing}"
    );
    // Without the flag, nothing on stderr.
    let quiet = tg()
        .current_dir(d)
        .args(["scan", "--format", "json", "."])
        .output()
        .unwrap();
    assert!(quiet.stderr.is_empty());
}

/// A policy a module reads with `file()` from a file that is no Terraform of its own (a `.tf`
/// holding only JSON, a tfvars file in a directory nothing else matters in, statements in a
/// JSON file that is no policy on its own, one over `file()`'s own 16 MB limit but within the
/// scan's): findings point at the statement in that file, with its text (not at an emptied
/// file's first line), under the path as the scan shows it (also when the scanned tree is not
/// below the working directory), and the file is not listed as one not read.
#[test]
fn findings_in_a_file_read_by_file_keep_its_text_and_path() {
    const MAIN: &str = r#"resource "aws_s3_bucket" "b" {
  bucket = "my-trail-bucket"
}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = aws_s3_bucket.b.id
}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = POLICY
}
"#;
    const STATEMENTS: &str = r#"[
    {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::my-trail-bucket"},
    {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::my-trail-bucket/AWSLogs/*"}
  ]"#;
    let document =
        format!("{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {STATEMENTS}\n}}\n");
    let big = format!("{document}{}", " ".repeat(17 << 20));
    // (file, its text, the expression that reads it, the PutObject statement's line)
    let cases = [
        (
            "live/doc.tf",
            document.clone(),
            r#"file("${path.module}/doc.tf")"#,
            5,
        ),
        (
            "shared/doc.tfvars",
            document.clone(),
            r#"file("${path.module}/../shared/doc.tfvars")"#,
            5,
        ),
        (
            "live/stmts.json",
            format!("{STATEMENTS}\n"),
            r#"jsonencode({ Version = "2012-10-17", Statement = jsondecode(file("${path.module}/stmts.json")) })"#,
            3,
        ),
        ("live/big.tf", big, r#"file("${path.module}/big.tf")"#, 5),
    ];
    for (file, text, read, line) in cases {
        let dir = tempfile::tempdir().unwrap();
        let tree = dir.path().join("tree");
        fs::create_dir_all(tree.join("live")).unwrap();
        fs::create_dir_all(tree.join("shared")).unwrap();
        fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
        fs::write(tree.join("live/main.tf"), MAIN.replace("POLICY", read)).unwrap();
        fs::write(tree.join(file), &text).unwrap();
        for (cwd, arg, shown) in [
            (tree.clone(), ".", file.to_string()),
            (
                dir.path().join("elsewhere"),
                "../tree",
                format!("../tree/{file}"),
            ),
        ] {
            let out = tg()
                .current_dir(&cwd)
                .args(["scan", "--format", "json", "--explain-reach", arg])
                .output()
                .unwrap();
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let findings = v["findings"].as_array().unwrap();
            assert_eq!(findings.len(), 2, "{file} from {arg}: {v}");
            for f in findings {
                assert_eq!(f["path"], shown.as_str(), "{f}");
                assert_eq!(
                    (f["start"]["line"].as_u64(), f["start"]["column"].as_u64()),
                    (Some(line), Some(5)),
                    "{file} from {arg}: {f}"
                );
            }
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains("not read, though they look like policies: 0"),
                "{file} from {arg}: {err}"
            );
        }
    }
}

#[test]
fn a_finding_lists_ten_of_the_many_trails_that_deliver_to_its_bucket() {
    let dir = tempfile::tempdir().unwrap();
    // Twelve copies of a stack: each bucket policy names the same bucket, and none lets
    // CloudTrail in. Each TG001 lists ten trails and says how many there are.
    for i in 0..12 {
        let stack = dir.path().join(format!("s{i:02}"));
        fs::create_dir(&stack).unwrap();
        fs::write(
            stack.join("t.yaml"),
            format!(
                "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: central
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{AWS: arn:aws:iam::111122223333:root}}
            Action: s3:GetObject
            Resource: arn:aws:s3:::central/*
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      TrailName: t{i}
      S3BucketName: central
      IsLogging: true
"
            ),
        )
        .unwrap();
    }
    let out = tg()
        .args(["scan", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tg001: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "TG001")
        .collect();
    assert_eq!(tg001.len(), 24, "two actions for each of 12 policies");
    for f in tg001 {
        assert_eq!(f["related"].as_array().unwrap().len(), 10, "{f}");
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("12 trails deliver to this bucket; the first 10 are shown"),
            "{f}"
        );
    }
}
