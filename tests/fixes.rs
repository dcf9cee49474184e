//! `scan --fix`, `--unsafe-fixes` and `--diff` on copies of the fixtures: every form a policy is
//! written in (JSON, `jsonencode`, heredoc, `aws_iam_policy_document`, CloudFormation YAML and
//! JSON, `get-bucket-policy` output, plans). A fix leaves a file that still parses, a rescan
//! without the findings it fixed, nothing more to fix on a second run, and the same text as
//! the `--diff` applied with `git apply` / `patch -p1`; unsafe fixes wait for `--unsafe-fixes`.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

#[path = "support/tree.rs"]
mod tree;
use tree::copy_dir;

fn tg(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("trailguard").unwrap();
    c.current_dir(dir);
    c
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of fixture `name` as `ROOT/case` (a git repository of its own, so nothing outside it
/// is read), and ROOT.
fn copy_case(name: &str) -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let case = root.path().join("case");
    copy_dir(&repo_root().join("testdata").join(name), &case);
    fs::create_dir_all(root.path().join(".git")).unwrap();
    (root, case)
}

fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let out = tg(dir)
        .args(["scan", "--format", "json", "--fail-on", "never"])
        .args(args)
        .arg("case")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (rule, path, message) of a finding.
type Key = (String, String, String);
/// (rule, path, message, applicability) of a finding with a fix.
type Fixable = (String, String, String, String);

/// (rule, path, message) of each finding, and of those with a fix.
fn findings(v: &Value) -> (BTreeSet<Key>, Vec<Fixable>) {
    let mut all = BTreeSet::new();
    let mut fixable = vec![];
    for f in v["findings"].as_array().unwrap() {
        let key = (
            f["rule"].as_str().unwrap().to_string(),
            f["path"].as_str().unwrap().to_string(),
            f["message"].as_str().unwrap().to_string(),
        );
        if let Some(fix) = f["fix"].as_object() {
            fixable.push((
                key.0.clone(),
                key.1.clone(),
                key.2.clone(),
                fix["applicability"].as_str().unwrap().to_string(),
            ));
        }
        all.insert(key);
    }
    (all, fixable)
}

fn count_rule(v: &Value, rule: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for f in v["findings"].as_array().unwrap() {
        if f["rule"] == rule {
            *out.entry(f["path"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    out
}

/// Fixture folders, each with its `expect`.
fn fixtures() -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(repo_root().join("testdata"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("expect").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

/// Fix, rescan, fix again, and compare with the diff: on every fixture.
#[test]
fn fixes_round_trip_on_every_fixture() {
    let mut fixed_somewhere = 0;
    for name in fixtures() {
        let (root, case) = copy_case(&name);
        let dir = root.path();
        let original = files(&case);
        let before = json(dir, &["--unsafe-fixes"]);
        let (_, fixable) = findings(&before);
        // The diff, taken before anything is written.
        let diff = tg(dir)
            .args(["scan", "--diff", "--unsafe-fixes", "case"])
            .output()
            .unwrap();
        let diff_text = String::from_utf8(diff.stdout).unwrap();
        assert_eq!(
            diff.status.code(),
            Some(i32::from(!diff_text.is_empty())),
            "{name}: --diff exits 1 exactly when there is a diff"
        );
        assert_eq!(files(&case), original, "{name}: --diff wrote nothing");
        let after = json(dir, &["--fix", "--unsafe-fixes"]);
        let fixed = files(&case);
        if fixable.is_empty() {
            assert_eq!(fixed, original, "{name}: nothing to fix, nothing changed");
            assert!(diff_text.is_empty(), "{name}: {diff_text}");
            continue;
        }
        fixed_somewhere += 1;
        assert_ne!(fixed, original, "{name}: fixes were offered: {fixable:?}");
        // No finding a fix was offered for is still there (counted: two policies of one
        // file may get the same message, and only one of them a fix).
        let counts = |v: &Value| {
            let mut m: BTreeMap<(String, String, String), usize> = BTreeMap::new();
            for f in v["findings"].as_array().unwrap() {
                let k = (
                    f["rule"].as_str().unwrap().to_string(),
                    f["path"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                );
                *m.entry(k).or_default() += 1;
            }
            m
        };
        let (was, now) = (counts(&before), counts(&after));
        for (rule, path, message, _) in &fixable {
            let k = (rule.clone(), path.clone(), message.clone());
            let offered = fixable
                .iter()
                .filter(|f| (&f.0, &f.1, &f.2) == (&k.0, &k.1, &k.2))
                .count();
            assert!(
                now.get(&k).copied().unwrap_or(0) + offered <= was[&k],
                "{name}: {rule} at {path} was fixed but is still reported: {message}"
            );
        }
        // The edited files still parse: no policy or file became invalid.
        let invalid_before = count_rule(&before, "TG012");
        for (path, n) in count_rule(&after, "TG012") {
            assert!(
                n <= invalid_before.get(&path).copied().unwrap_or(0),
                "{name}: {path} no longer parses after the fix"
            );
        }
        // A second run has nothing left to fix.
        let again = tg(dir)
            .args(["scan", "--fix", "--unsafe-fixes", "-q", "case"])
            .output()
            .unwrap();
        assert!(again.status.code().is_some());
        assert_eq!(
            files(&case),
            fixed,
            "{name}: a second --fix changed the files"
        );
        // The diff gives the same text, applied by git.
        let (root2, case2) = copy_case(&name);
        fs::write(root2.path().join("fix.diff"), &diff_text).unwrap();
        let applied = std::process::Command::new("git")
            .current_dir(root2.path())
            .args(["apply", "-p1", "fix.diff"])
            .output()
            .unwrap();
        assert!(
            applied.status.success(),
            "{name}: {}\n{diff_text}",
            String::from_utf8_lossy(&applied.stderr)
        );
        assert_eq!(files(&case2), fixed, "{name}: the diff and --fix disagree");
    }
    assert!(
        fixed_somewhere >= 10,
        "only {fixed_somewhere} fixtures had fixes"
    );
}

/// Without `--unsafe-fixes`, a file whose only fixes are unsafe keeps its text.
#[test]
fn unsafe_fixes_wait_for_their_flag() {
    for name in [
        "fix-tf-jsonencode",
        "fix-cfn-yaml",
        "fix-cfn-json",
        "json-tg005-bad",
    ] {
        let (root, case) = copy_case(name);
        let dir = root.path();
        let before = json(dir, &[]);
        let (_, fixable) = findings(&before);
        let unsafe_only: BTreeSet<&String> = fixable
            .iter()
            .filter(|f| f.3 == "unsafe")
            .map(|f| &f.1)
            .filter(|p| !fixable.iter().any(|f| &f.1 == *p && f.3 == "safe"))
            .collect();
        let original = files(&case);
        tg(dir)
            .args(["scan", "--fix", "-q", "case"])
            .output()
            .unwrap();
        let after = json(dir, &[]);
        for path in &unsafe_only {
            let rel = PathBuf::from(path.strip_prefix("case/").unwrap());
            assert_eq!(
                files(&case).get(&rel),
                original.get(&rel),
                "{name}: {path} had only unsafe fixes"
            );
        }
        // What only an unsafe fix repairs is still reported.
        let (remaining, _) = findings(&after);
        let (_, left) = findings(&after);
        assert!(
            left.iter().all(|f| f.3 == "unsafe"),
            "{name}: a safe fix was left: {left:?}"
        );
        if name == "json-tg005-bad" {
            assert!(remaining.iter().any(|f| f.0 == "TG005"), "{name}");
        }
    }
}

/// Each fixture of one form: the findings before, and what is left after `--fix
/// --unsafe-fixes` (findings no fix can repair with certainty).
#[test]
fn every_fixable_rule_is_fixed_in_every_form() {
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "fix-tf-jsonencode",
            &[
                "TG001", "TG002", "TG003", "TG004", "TG005", "TG006", "TG008",
            ],
            // The legacy bucket: no trail delivers there to write a statement or a condition
            // for.
            &["TG001", "TG003"],
        ),
        ("fix-tf-heredoc", &["TG001", "TG007", "TG008"], &[]),
        ("fix-tf-document", &["TG002", "TG004", "TG005"], &[]),
        ("fix-cfn-yaml", &["TG002", "TG004", "TG006"], &[]),
        ("fix-cfn-json", &["TG001", "TG005", "TG008"], &[]),
        ("fix-json-config", &["TG002", "TG004"], &[]),
        ("fix-cli-output", &["TG001", "TG002", "TG004", "TG008"], &[]),
        ("tf-plan-bad", &["TG002"], &[]),
        // The key policy: StringLike is taken, and no trail from the scan to name.
        ("json-tg007-bad", &["TG007"], &["TG007"]),
        // s3:Foo* is no typo of one action.
        ("json-tg008-bad", &["TG008"], &["TG008"]),
        ("cfn-json-sub-bad", &["TG002", "TG007"], &[]),
    ];
    for (name, before_rules, left_rules) in cases {
        let (root, _) = copy_case(name);
        let dir = root.path();
        let rules = |v: &Value| -> BTreeSet<String> {
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["rule"].as_str().unwrap().to_string())
                .filter(|r| {
                    [
                        "TG001", "TG002", "TG003", "TG004", "TG005", "TG006", "TG007", "TG008",
                        "TG013",
                    ]
                    .contains(&r.as_str())
                })
                .collect()
        };
        let before = rules(&json(dir, &[]));
        for r in *before_rules {
            assert!(
                before.contains(*r),
                "{name}: {r} is not reported: {before:?}"
            );
        }
        tg(dir)
            .args(["scan", "--fix", "--unsafe-fixes", "-q", "case"])
            .output()
            .unwrap();
        let after = rules(&json(dir, &[]));
        let want: BTreeSet<String> = left_rules.iter().map(|s| s.to_string()).collect();
        assert_eq!(after, want, "{name}: left after fixing");
    }
}

/// The examples' fixes, as a reviewable snapshot (UPDATE_SNAPSHOTS=1 rewrites it), and a clean
/// rescan for every rule a safe fix repaired there.
#[test]
fn examples_diff_snapshot() {
    let root = repo_root();
    let out = tg(&root)
        .args(["scan", "--diff", "--unsafe-fixes", "examples"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let path = root.join("tests/snapshots/examples_fixes.diff");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        fs::write(&path, &text).unwrap();
    }
    let want = fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(text, want, "snapshot {} differs", path.display());
    assert!(text.contains("+++ b/examples/"), "{text}");

    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root.join("examples"), &tmp.path().join("examples"));
    fs::create_dir_all(tmp.path().join(".git")).unwrap();
    let scan = |args: &[&str]| -> Value {
        let out = tg(tmp.path())
            .args(["scan", "--format", "json", "--fail-on", "never"])
            .args(args)
            .arg("examples")
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let before = scan(&[]);
    let safe: BTreeSet<(String, String)> = before["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["fix"]["applicability"] == "safe")
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["path"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(!safe.is_empty());
    let after = scan(&["--fix"]);
    for f in after["findings"].as_array().unwrap() {
        let key = (
            f["rule"].as_str().unwrap().to_string(),
            f["path"].as_str().unwrap().to_string(),
        );
        assert!(
            !safe.contains(&key),
            "{key:?} is still reported after --fix"
        );
        assert!(f["fix"]["applicability"] != "safe", "{f}");
    }
}

fn output(dir: &Path, args: &[&str]) -> Value {
    let out = tg(dir).args(args).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Byte offset of a 1-based line and column; `bytes`: the column counts UTF-8 bytes, else code
/// points.
fn offset(text: &str, line: u64, column: u64, bytes: bool) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line as usize - 1)
        .map(str::len)
        .sum();
    let rest = &text[start..];
    if bytes {
        start + column as usize - 1
    } else {
        start
            + rest
                .char_indices()
                .nth(column as usize - 1)
                .map_or(rest.len(), |(i, _)| i)
    }
}

/// The same fixes in SARIF (`fixes`, code-point columns), json (`fix`) and rdjson
/// (`suggestions`, byte columns): the same edits, and rdjson valid against reviewdog's
/// definition.
#[test]
fn reports_carry_the_same_fixes() {
    let (root, case) = copy_case("fix-cli-output");
    let dir = root.path();
    let text = fs::read_to_string(case.join("get-bucket-policy.json")).unwrap();
    let edits =
        |v: Vec<(u64, u64, u64, u64, String)>, bytes: bool| -> BTreeSet<(usize, usize, String)> {
            v.into_iter()
                .map(|(a, b, c, d, t)| (offset(&text, a, b, bytes), offset(&text, c, d, bytes), t))
                .collect()
        };
    let n = |v: &Value| v.as_u64().unwrap();
    let json = json(dir, &["--unsafe-fixes"]);
    let from_json: Vec<_> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["fix"]["edits"].as_array())
        .flatten()
        .map(|e| {
            (
                n(&e["start"]["line"]),
                n(&e["start"]["column"]),
                n(&e["end"]["line"]),
                n(&e["end"]["column"]),
                e["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(from_json.len() >= 3, "{json}");
    let sarif = output(
        dir,
        &["scan", "--format", "sarif", "--unsafe-fixes", "case"],
    );
    let from_sarif: Vec<_> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["fixes"].as_array())
        .flatten()
        .flat_map(|f| {
            assert!(f["description"]["text"].is_string());
            let change = &f["artifactChanges"][0];
            assert_eq!(
                change["artifactLocation"]["uri"],
                "case/get-bucket-policy.json"
            );
            change["replacements"].as_array().unwrap().clone()
        })
        .map(|r| {
            let d = &r["deletedRegion"];
            (
                n(&d["startLine"]),
                n(&d["startColumn"]),
                n(&d["endLine"]),
                n(&d["endColumn"]),
                r["insertedContent"]["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let rd = output(
        dir,
        &["scan", "--format", "rdjson", "--unsafe-fixes", "case"],
    );
    let schema: Value = serde_json::from_str(include_str!("data/rdjson-schema.json")).unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&rd).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let from_rd: Vec<_> = rd["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["suggestions"].as_array())
        .flatten()
        .map(|s| {
            let r = &s["range"];
            (
                n(&r["start"]["line"]),
                n(&r["start"]["column"]),
                n(&r["end"]["line"]),
                n(&r["end"]["column"]),
                s["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = edits(from_json, false);
    assert_eq!(edits(from_sarif, false), want);
    assert_eq!(edits(from_rd, true), want);
    // Each rdjson diagnostic names its rule and has a severity reviewdog knows.
    for d in rd["diagnostics"].as_array().unwrap() {
        assert!(d["code"]["value"].as_str().unwrap().starts_with("TG"));
        assert!(["ERROR", "WARNING", "INFO"].contains(&d["severity"].as_str().unwrap()));
        assert_eq!(d["location"]["path"], "case/get-bucket-policy.json");
    }
}

/// Columns in rdjson count bytes: a line with a multi-byte character before the fix.
#[test]
fn rdjson_columns_count_bytes() {
    let root = tempfile::tempdir().unwrap();
    let case = root.path().join("case");
    fs::create_dir_all(&case).unwrap();
    fs::create_dir_all(root.path().join(".git")).unwrap();
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Écrire", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObjects", "Resource": "arn:aws:s3:::b/AWSLogs/111111111111/*"}]}"#;
    fs::write(case.join("policy.json"), format!("{policy}\n")).unwrap();
    let rd = output(root.path(), &["scan", "--format", "rdjson", "case"]);
    let s = rd["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|d| d["suggestions"].as_array())
        .unwrap()[0]
        .clone();
    let col = s["range"]["start"]["column"].as_u64().unwrap() as usize;
    assert_eq!(
        &policy[col - 1..col - 1 + "\"s3:PutObjects\"".len()],
        "\"s3:PutObjects\""
    );
    assert_eq!(s["text"], "\"s3:PutObject\"");
}

/// The edits a report advertises are all `--fix` changes: where one round of safe fixes is all
/// there is, the file `--fix` writes is the original with exactly those edits spliced in —
/// every byte outside them as it was.
#[test]
fn fix_changes_nothing_but_the_advertised_edits() {
    let mut checked = 0;
    let safe = |f: &Value| f["fix"]["applicability"] == "safe";
    for name in fixtures() {
        let (root, case) = copy_case(&name);
        let dir = root.path();
        let before = json(dir, &[]);
        let mut by_file: BTreeMap<String, Vec<(usize, usize, String)>> = BTreeMap::new();
        for f in before["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| safe(f))
        {
            for e in f["fix"]["edits"].as_array().into_iter().flatten() {
                let path = e["path"].as_str().unwrap().to_string();
                let text = fs::read_to_string(dir.join(&path)).unwrap();
                let n = |v: &Value| v.as_u64().unwrap();
                let a = offset(
                    &text,
                    n(&e["start"]["line"]),
                    n(&e["start"]["column"]),
                    false,
                );
                let b = offset(&text, n(&e["end"]["line"]), n(&e["end"]["column"]), false);
                by_file.entry(path).or_default().push((
                    a,
                    b,
                    e["text"].as_str().unwrap().to_string(),
                ));
            }
        }
        if by_file.is_empty() {
            continue;
        }
        // The edits spliced in by hand (they do not overlap when there is one round).
        let (root2, _) = copy_case(&name);
        let mut overlapping = false;
        for (path, mut edits) in by_file.clone() {
            edits.sort();
            overlapping |= edits.windows(2).any(|w| w[0].1 >= w[1].0);
            let mut text = fs::read_to_string(dir.join(&path)).unwrap();
            for (a, b, t) in edits.iter().rev() {
                text.replace_range(*a..*b, t);
            }
            fs::write(root2.path().join(&path), text).unwrap();
        }
        let rest = json(root2.path(), &[]);
        let more = rest["findings"].as_array().unwrap().iter().any(safe);
        if overlapping || more {
            continue;
        }
        tg(dir)
            .args(["scan", "--fix", "-q", "case"])
            .output()
            .unwrap();
        for (path, _) in by_file {
            assert_eq!(
                fs::read_to_string(dir.join(&path)).unwrap(),
                fs::read_to_string(root2.path().join(&path)).unwrap(),
                "{name}: {path}"
            );
        }
        assert_eq!(files(&case), files(&root2.path().join("case")), "{name}");
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} fixtures fix in one round");
}

/// Where a fix would be wrong, none is offered: a statement that also grants s3:GetBucketAcl
/// (an ACL condition would stop that grant), a template value a caller passes, a trail whose
/// name and prefix come from a variable (another tfvars file gives others), a policy in a
/// quoted Terraform string (its values have no exact place), a YAML anchor used elsewhere.
#[test]
fn fixes_are_not_offered_where_they_would_be_wrong() {
    let cases: &[(&str, &str)] = &[
        ("fix-guard-combined", "TG004"),
        ("fix-guard-template-principal", "TG005"),
        ("fix-guard-variable", "TG002"),
        ("fix-guard-variable", "TG003"),
        ("fix-guard-quoted", "TG008"),
        ("fix-guard-anchor", "TG004"),
        ("fix-guard-anchor", "TG008"),
    ];
    for (name, rule) in cases {
        let (root, _) = copy_case(name);
        let v = json(root.path(), &["--unsafe-fixes"]);
        let found: Vec<&Value> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == *rule)
            .collect();
        assert!(!found.is_empty(), "{name}: {rule} is not reported");
        for f in found {
            assert!(f["fix"].is_null(), "{name}: {rule} offers {}", f["fix"]);
        }
    }
}

/// A statement written as a YAML flow mapping gets its condition inside the braces; a CRLF
/// file keeps CRLF line breaks.
#[test]
fn fixes_keep_flow_style_and_line_breaks() {
    let (root, case) = copy_case("fix-guard-yaml-flow");
    tg(root.path())
        .args(["scan", "--fix", "--unsafe-fixes", "-q", "case"])
        .output()
        .unwrap();
    let text = fs::read_to_string(case.join("template.yml")).unwrap();
    assert!(
        text.contains(r#", Condition: {StringEquals: {"s3:x-amz-acl": bucket-owner-full-control"#),
        "{text}"
    );
    // Also when the flow mapping carries a tag (its span starts at the tag): not a block
    // member after the closing brace, which would not parse.
    let (root, case) = copy_case("fix-guard-yaml-flow");
    let text = fs::read_to_string(case.join("template.yml")).unwrap();
    let tagged = text.replace(
        "          - {Sid: AWSCloudTrailWrite",
        "          - !!map {Sid: AWSCloudTrailWrite",
    );
    assert_ne!(tagged, text);
    fs::write(case.join("template.yml"), &tagged).unwrap();
    tg(root.path())
        .args(["scan", "--fix", "-q", "case"])
        .output()
        .unwrap();
    let text = fs::read_to_string(case.join("template.yml")).unwrap();
    assert!(
        text.contains(
            r#"/*", Condition: {StringEquals: {"s3:x-amz-acl": bucket-owner-full-control}}}"#
        ),
        "{text}"
    );
    let v = json(root.path(), &[]);
    assert_eq!(count_rule(&v, "TG012"), BTreeMap::new(), "{v}");
    assert_eq!(count_rule(&v, "TG004"), BTreeMap::new(), "{v}");
    let (root, case) = copy_case("fix-guard-crlf");
    let before = fs::read_to_string(case.join("template.json")).unwrap();
    tg(root.path())
        .args(["scan", "--fix", "--unsafe-fixes", "-q", "case"])
        .output()
        .unwrap();
    let after = fs::read_to_string(case.join("template.json")).unwrap();
    assert_ne!(after, before);
    let bare = |t: &str| {
        t.match_indices('\n')
            .filter(|(i, _)| !t[..*i].ends_with('\r'))
            .count()
    };
    assert_eq!(bare(&after), bare(&before), "{after}");
}
