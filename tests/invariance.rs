//! Tests that catch overfitting: a fixture written to pass proves little, so these start from a
//! correct CloudTrail bucket policy, write it in every form trailguard reads, and check
//! - *mutation*: each defect class injected alone gives exactly its rule, at the mutated place,
//!   and the unmutated original gives nothing, in every form;
//! - *form invariance*: the same policy gives the same rules whatever the form.
//!
//! The forms: a JSON policy file, `aws s3api get-bucket-policy` output (both with the trail in
//! `.trailguard.toml`), Terraform `jsonencode`, heredoc and `aws_iam_policy_document`, a Terraform
//! plan, CloudFormation YAML and CloudFormation JSON (with `Fn::Sub` and `Fn::Join`).

use assert_cmd::Command;
use std::fmt::Write as _;
use std::path::Path;

const BUCKET: &str = "inv-logs";
const TRAIL_ARN: &str = "arn:aws:cloudtrail:us-east-1:111111111111:trail/main";
const WRITE_PATH: &str = "arn:aws:s3:::inv-logs/audit/AWSLogs/111111111111/*";

#[derive(Clone)]
enum Principal {
    Service(&'static str),
    Aws(&'static str),
    Everyone,
}

#[derive(Clone)]
struct Stmt {
    sid: &'static str,
    effect: &'static str,
    principal: Principal,
    actions: Vec<&'static str>,
    resources: Vec<String>,
    /// (operator, key, value)
    conditions: Vec<(&'static str, &'static str, String)>,
}

fn correct() -> Vec<Stmt> {
    vec![
        Stmt {
            sid: "AclCheck",
            effect: "Allow",
            principal: Principal::Service("cloudtrail.amazonaws.com"),
            actions: vec!["s3:GetBucketAcl"],
            resources: vec![format!("arn:aws:s3:::{BUCKET}")],
            conditions: vec![("StringEquals", "aws:SourceArn", TRAIL_ARN.into())],
        },
        Stmt {
            sid: "Write",
            effect: "Allow",
            principal: Principal::Service("cloudtrail.amazonaws.com"),
            actions: vec!["s3:PutObject"],
            resources: vec![WRITE_PATH.into()],
            conditions: vec![
                (
                    "StringEquals",
                    "s3:x-amz-acl",
                    "bucket-owner-full-control".into(),
                ),
                ("StringEquals", "aws:SourceArn", TRAIL_ARN.into()),
            ],
        },
    ]
}

/// Where a finding must start.
#[derive(Clone, Copy)]
enum Anchor {
    /// The policy document: anywhere in the file.
    Policy,
    /// The line holding this text.
    Text(&'static str),
    /// The opening of the statement with this Sid (`statement {` blocks open the line before).
    Statement(&'static str),
    /// The first line holding this text from the line of this Sid on.
    After(&'static str, &'static str),
}

/// One defect class: its rule, where it is reported, and how to inject it.
struct Mutation {
    name: &'static str,
    rule: &'static str,
    anchor: Anchor,
    apply: fn(&mut Vec<Stmt>),
}

fn write(p: &mut [Stmt]) -> &mut Stmt {
    p.iter_mut().find(|s| s.sid == "Write").unwrap()
}

fn mutations() -> Vec<Mutation> {
    vec![
        Mutation {
            name: "no write grant",
            rule: "TG001",
            anchor: Anchor::Policy,
            apply: |p| p.retain(|s| s.sid != "Write"),
        },
        Mutation {
            name: "wrong prefix",
            rule: "TG002",
            anchor: Anchor::Text("wrongprefix"),
            apply: |p| write(p).resources = vec![WRITE_PATH.replace("audit", "wrongprefix")],
        },
        Mutation {
            name: "no source condition",
            rule: "TG003",
            anchor: Anchor::Statement("Write"),
            apply: |p| write(p).conditions.retain(|c| c.1 != "aws:SourceArn"),
        },
        Mutation {
            name: "no bucket-owner-full-control",
            rule: "TG004",
            anchor: Anchor::Statement("Write"),
            apply: |p| write(p).conditions.retain(|c| c.1 != "s3:x-amz-acl"),
        },
        Mutation {
            name: "legacy account",
            rule: "TG005",
            // On the Principal element, key included.
            anchor: Anchor::After("Write", "rincipal"),
            apply: |p| write(p).principal = Principal::Aws("arn:aws:iam::086441151436:root"),
        },
        Mutation {
            name: "wrong trail",
            rule: "TG007",
            anchor: Anchor::Text("trail/wrong"),
            apply: |p| {
                write(p).conditions[1].2 = TRAIL_ARN.replace("trail/main", "trail/wrong");
            },
        },
        Mutation {
            name: "unknown action",
            rule: "TG008",
            anchor: Anchor::Text("s3:PutObjectz"),
            apply: |p| write(p).actions.push("s3:PutObjectz"),
        },
        Mutation {
            name: "deny without service exemption",
            rule: "TG009",
            anchor: Anchor::Statement("DenyOutsideOrg"),
            apply: |p| {
                p.push(Stmt {
                    sid: "DenyOutsideOrg",
                    effect: "Deny",
                    principal: Principal::Everyone,
                    actions: vec!["s3:PutObject"],
                    // Any partition: Terraform and CloudFormation trails have a symbolic one.
                    resources: vec![format!("arn:*:s3:::{BUCKET}/*")],
                    conditions: vec![(
                        "StringNotEquals",
                        "aws:PrincipalOrgID",
                        "o-a1b2c3d4e5".into(),
                    )],
                })
            },
        },
        Mutation {
            name: "public write",
            rule: "TG010",
            anchor: Anchor::Statement("PublicWrite"),
            apply: |p| {
                p.push(Stmt {
                    sid: "PublicWrite",
                    effect: "Allow",
                    principal: Principal::Everyone,
                    actions: vec!["s3:PutObject"],
                    resources: vec![format!("arn:aws:s3:::{BUCKET}/uploads/*")],
                    conditions: vec![],
                })
            },
        },
    ]
}

// ------------------------------------------------------------------------------ rendering

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn json_list(items: &[String]) -> String {
    if items.len() == 1 {
        items[0].clone()
    } else {
        format!("[{}]", items.join(", "))
    }
}

fn grouped(
    conds: &[(&'static str, &'static str, String)],
) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    let mut out: Vec<(&'static str, Vec<(&'static str, String)>)> = vec![];
    for (op, k, v) in conds {
        match out.iter_mut().find(|(o, _)| o == op) {
            Some((_, kv)) => kv.push((k, v.clone())),
            None => out.push((op, vec![(k, v.clone())])),
        }
    }
    out
}

/// A policy document as JSON, each statement opening on the line of its Sid. `resource`
/// renders a Resource value (CloudFormation JSON uses intrinsics).
fn policy_json(p: &[Stmt], resource: &dyn Fn(&str) -> String) -> String {
    let mut s = String::from("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
    for (i, st) in p.iter().enumerate() {
        let principal = match &st.principal {
            Principal::Service(x) => format!("{{\"Service\": {}}}", json_str(x)),
            Principal::Aws(x) => format!("{{\"AWS\": {}}}", json_str(x)),
            Principal::Everyone => "\"*\"".into(),
        };
        let actions: Vec<String> = st.actions.iter().map(|a| json_str(a)).collect();
        let resources: Vec<String> = st.resources.iter().map(|r| resource(r)).collect();
        let _ = write!(
            s,
            "    {{\"Sid\": {},\n      \"Effect\": \"{}\",\n      \"Principal\": {principal},\n      \"Action\": {},\n      \"Resource\": {}",
            json_str(st.sid),
            st.effect,
            json_list(&actions),
            json_list(&resources)
        );
        if !st.conditions.is_empty() {
            s.push_str(",\n      \"Condition\": {\n");
            let groups = grouped(&st.conditions);
            for (gi, (op, kv)) in groups.iter().enumerate() {
                let _ = writeln!(s, "        \"{op}\": {{");
                for (ki, (k, v)) in kv.iter().enumerate() {
                    let comma = if ki + 1 < kv.len() { "," } else { "" };
                    let _ = writeln!(s, "          \"{k}\": {}{comma}", json_str(v));
                }
                let comma = if gi + 1 < groups.len() { "," } else { "" };
                let _ = writeln!(s, "        }}{comma}");
            }
            s.push_str("      }");
        }
        let comma = if i + 1 < p.len() { "," } else { "" };
        let _ = write!(s, "\n    }}{comma}\n");
    }
    s.push_str("  ]\n}\n");
    s
}

fn plain(r: &str) -> String {
    json_str(r)
}

const TOML_TRAIL: &str = "[[trails]]\narn = \"arn:aws:cloudtrail:us-east-1:111111111111:trail/main\"\nprefix = \"audit\"\nbucket = \"inv-logs\"\n";

fn tf_head() -> String {
    format!(
        "resource \"aws_s3_bucket\" \"logs\" {{\n  bucket = \"{BUCKET}\"\n}}\n\nresource \"aws_cloudtrail\" \"main\" {{\n  name           = \"main\"\n  s3_bucket_name = aws_s3_bucket.logs.id\n  s3_key_prefix  = \"audit\"\n}}\n\n"
    )
}

fn hcl_value(v: &str) -> String {
    json_str(v)
}

fn jsonencode(p: &[Stmt]) -> String {
    let mut s = tf_head();
    s.push_str("resource \"aws_s3_bucket_policy\" \"logs\" {\n  bucket = aws_s3_bucket.logs.id\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [\n");
    for st in p {
        let principal = match &st.principal {
            Principal::Service(x) => format!("{{ Service = {} }}", hcl_value(x)),
            Principal::Aws(x) => format!("{{ AWS = {} }}", hcl_value(x)),
            Principal::Everyone => "\"*\"".into(),
        };
        let list = |xs: Vec<String>| format!("[{}]", xs.join(", "));
        let _ = write!(
            s,
            "      {{ Sid = {}\n        Effect    = \"{}\"\n        Principal = {principal}\n        Action    = {}\n        Resource  = {}\n",
            hcl_value(st.sid),
            st.effect,
            list(st.actions.iter().map(|a| hcl_value(a)).collect()),
            list(st.resources.iter().map(|r| hcl_value(r)).collect()),
        );
        if !st.conditions.is_empty() {
            s.push_str("        Condition = {\n");
            for (op, kv) in grouped(&st.conditions) {
                let _ = writeln!(s, "          {op} = {{");
                for (k, v) in kv {
                    let _ = writeln!(s, "            \"{k}\" = {}", hcl_value(&v));
                }
                s.push_str("          }\n");
            }
            s.push_str("        }\n");
        }
        s.push_str("      },\n");
    }
    s.push_str("    ]\n  })\n}\n");
    s
}

fn heredoc(p: &[Stmt]) -> String {
    format!(
        "{}resource \"aws_s3_bucket_policy\" \"logs\" {{\n  bucket = aws_s3_bucket.logs.id\n  policy = <<POLICY\n{}POLICY\n}}\n",
        tf_head(),
        policy_json(p, &plain)
    )
}

fn data_source(p: &[Stmt]) -> String {
    let mut s = tf_head();
    s.push_str("data \"aws_iam_policy_document\" \"logs\" {\n");
    for st in p {
        let (ty, id) = match &st.principal {
            Principal::Service(x) => ("Service", *x),
            Principal::Aws(x) => ("AWS", *x),
            Principal::Everyone => ("*", "*"),
        };
        let list = |xs: Vec<String>| format!("[{}]", xs.join(", "));
        let _ = write!(
            s,
            "  statement {{\n    sid    = {}\n    effect = \"{}\"\n    principals {{\n      type        = \"{ty}\"\n      identifiers = [{}]\n    }}\n    actions   = {}\n    resources = {}\n",
            hcl_value(st.sid),
            st.effect,
            hcl_value(id),
            list(st.actions.iter().map(|a| hcl_value(a)).collect()),
            list(st.resources.iter().map(|r| hcl_value(r)).collect()),
        );
        for (op, k, v) in &st.conditions {
            let _ = write!(
                s,
                "    condition {{\n      test     = \"{op}\"\n      variable = \"{k}\"\n      values   = [{}]\n    }}\n",
                hcl_value(v)
            );
        }
        s.push_str("  }\n");
    }
    s.push_str("}\n\nresource \"aws_s3_bucket_policy\" \"logs\" {\n  bucket = aws_s3_bucket.logs.id\n  policy = data.aws_iam_policy_document.logs.json\n}\n");
    s
}

fn one_line(p: &[Stmt]) -> String {
    let v: serde_json::Value = serde_json::from_str(&policy_json(p, &plain)).unwrap();
    serde_json::to_string(&v).unwrap()
}

fn plan(p: &[Stmt]) -> String {
    let v = serde_json::json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [
            {"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs",
             "values": {"bucket": BUCKET}},
            {"address": "aws_cloudtrail.main", "mode": "managed", "type": "aws_cloudtrail", "name": "main",
             "values": {"name": "main", "s3_bucket_name": BUCKET, "s3_key_prefix": "audit", "arn": TRAIL_ARN}},
            {"address": "aws_s3_bucket_policy.logs", "mode": "managed", "type": "aws_s3_bucket_policy", "name": "logs",
             "values": {"bucket": BUCKET, "policy": one_line(p)}}
        ]}}
    });
    serde_json::to_string_pretty(&v).unwrap()
}

fn cli_output(p: &[Stmt]) -> String {
    serde_json::to_string_pretty(&serde_json::json!({"Policy": one_line(p)})).unwrap()
}

fn cfn_trail_yaml() -> String {
    format!(
        "  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      TrailName: main\n      IsLogging: true\n      S3BucketName: {BUCKET}\n      S3KeyPrefix: audit\n"
    )
}

fn cfn_yaml(p: &[Stmt]) -> String {
    let mut s = format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: {BUCKET}\n{}  Policy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: {BUCKET}\n      PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n",
        cfn_trail_yaml()
    );
    for st in p {
        let _ = write!(
            s,
            "          - Sid: {}\n            Effect: {}\n",
            st.sid, st.effect
        );
        match &st.principal {
            Principal::Service(x) => {
                let _ = write!(s, "            Principal:\n              Service: {x}\n");
            }
            Principal::Aws(x) => {
                let _ = write!(s, "            Principal:\n              AWS: \"{x}\"\n");
            }
            Principal::Everyone => s.push_str("            Principal: \"*\"\n"),
        }
        s.push_str("            Action:\n");
        for a in &st.actions {
            let _ = writeln!(s, "              - {a}");
        }
        s.push_str("            Resource:\n");
        for r in &st.resources {
            // The account in the write path comes from the stack, as real templates write it.
            let r = r
                .replace(":::inv-logs", ":::${Bucket}")
                .replace("111111111111", "${AWS::AccountId}");
            let _ = writeln!(s, "              - !Sub \"{r}\"");
        }
        if !st.conditions.is_empty() {
            s.push_str("            Condition:\n");
            for (op, kv) in grouped(&st.conditions) {
                let _ = writeln!(s, "              {op}:");
                for (k, v) in kv {
                    let _ = writeln!(s, "                {k}: \"{v}\"");
                }
            }
        }
    }
    s
}

fn cfn_json(p: &[Stmt]) -> String {
    let resource = |r: &str| {
        if r.ends_with("/*") {
            let sub = r
                .replace("arn:aws:", "arn:${AWS::Partition}:")
                .replace("111111111111", "${AWS::AccountId}");
            format!("{{\"Fn::Sub\": {}}}", json_str(&sub))
        } else {
            let (head, tail) = r.split_once(":::").unwrap();
            format!(
                "{{\"Fn::Join\": [\"\", [{}, \":::\", {}]]}}",
                json_str(head),
                json_str(tail)
            )
        }
    };
    let doc = policy_json(p, &resource);
    let doc = doc.replace('\n', "\n        ");
    format!(
        "{{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {{\n    \"Bucket\": {{\"Type\": \"AWS::S3::Bucket\", \"Properties\": {{\"BucketName\": \"{BUCKET}\"}}}},\n    \"Trail\": {{\"Type\": \"AWS::CloudTrail::Trail\", \"Properties\": {{\"TrailName\": \"main\", \"IsLogging\": true, \"S3BucketName\": \"{BUCKET}\", \"S3KeyPrefix\": \"audit\"}}}},\n    \"Policy\": {{\n      \"Type\": \"AWS::S3::BucketPolicy\",\n      \"Properties\": {{\n        \"Bucket\": \"{BUCKET}\",\n        \"PolicyDocument\": {}\n      }}\n    }}\n  }}\n}}\n",
        doc.trim_end()
    )
}

/// Each form: its name, its files (the first holds the policy), and whether a statement-level
/// finding starts on the line before the Sid (a `statement {` block).
type Render = fn(&[Stmt]) -> Vec<(&'static str, String)>;

fn forms() -> Vec<(&'static str, Render, bool)> {
    vec![
        (
            "json",
            |p| {
                vec![
                    ("policy.json", policy_json(p, &plain)),
                    (".trailguard.toml", TOML_TRAIL.into()),
                ]
            },
            false,
        ),
        (
            "cli output",
            |p| {
                vec![
                    ("get-bucket-policy.json", cli_output(p)),
                    (".trailguard.toml", TOML_TRAIL.into()),
                ]
            },
            false,
        ),
        ("jsonencode", |p| vec![("main.tf", jsonencode(p))], false),
        ("heredoc", |p| vec![("main.tf", heredoc(p))], false),
        (
            "policy document",
            |p| vec![("main.tf", data_source(p))],
            true,
        ),
        ("plan", |p| vec![("plan.json", plan(p))], false),
        (
            "cloudformation yaml",
            |p| vec![("stack.yaml", cfn_yaml(p))],
            false,
        ),
        (
            "cloudformation json",
            |p| vec![("stack.json", cfn_json(p))],
            false,
        ),
    ]
}

/// The findings of a scan of `dir`: (rule, path, line).
fn scan(dir: &Path) -> Vec<(String, String, u64)> {
    let out = Command::cargo_bin("trailguard")
        .unwrap()
        .current_dir(dir)
        .args(["scan", "--format", "json", "."])
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<(String, String, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    got
}

fn write_form(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn the_correct_policy_gives_nothing_in_any_form() {
    for (form, render, _) in forms() {
        let files = render(&correct());
        let dir = write_form(&files);
        assert_eq!(scan(dir.path()), vec![], "{form}:\n{}", files[0].1);
    }
}

#[test]
fn each_defect_alone_gives_exactly_its_rule_at_its_place_in_every_form() {
    let mut failures = vec![];
    for m in mutations() {
        let mut p = correct();
        (m.apply)(&mut p);
        for (form, render, block_statements) in forms() {
            let files = render(&p);
            let dir = write_form(&files);
            let got = scan(dir.path());
            let (file, text) = &files[0];
            let find = |from: usize, what: &str| {
                text.lines()
                    .enumerate()
                    .skip(from)
                    .find(|(_, l)| l.contains(what))
                    .map(|(i, _)| i as u64 + 1)
                    .unwrap()
            };
            let line = match m.anchor {
                Anchor::Policy => None,
                Anchor::Text(t) => Some(find(0, t)),
                Anchor::Statement(sid) => Some(find(0, sid) - u64::from(block_statements)),
                Anchor::After(sid, t) => Some(find(find(0, sid) as usize - 1, t)),
            };
            let ok = got.len() == 1
                && got[0].0 == m.rule
                && got[0].1 == *file
                && line.is_none_or(|l| got[0].2 == l);
            if !ok {
                failures.push(format!(
                    "{} in {form}: expected {} {file}:{line:?}, got {got:?}",
                    m.name, m.rule
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_same_policy_gives_the_same_rules_in_every_form() {
    for m in mutations() {
        let mut p = correct();
        (m.apply)(&mut p);
        let mut by_form: Vec<(&str, Vec<String>)> = vec![];
        for (form, render, _) in forms() {
            let dir = write_form(&render(&p));
            let mut rules: Vec<String> = scan(dir.path()).into_iter().map(|f| f.0).collect();
            rules.dedup();
            by_form.push((form, rules));
        }
        let first = &by_form[0].1;
        assert!(
            by_form.iter().all(|(_, r)| r == first),
            "{}: {by_form:?}",
            m.name
        );
    }
}
