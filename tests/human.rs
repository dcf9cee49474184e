//! Snapshot tests of the human output: the exact text a person reads. Run with
//! `UPDATE_SNAPSHOTS=1 cargo test --test human` to rewrite them after a deliberate change, then
//! review the diff.

use assert_cmd::Command;

fn check(name: &str, args: &[&str]) {
    let out = Command::cargo_bin("trailguard")
        .unwrap()
        .args(["scan", "--no-color"])
        .args(args)
        .output()
        .unwrap();
    let got = String::from_utf8(out.stdout).unwrap();
    let path = format!("tests/snapshots/{name}.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        got, want,
        "snapshot {path} differs (UPDATE_SNAPSHOTS=1 rewrites it)"
    );
}

#[test]
fn json_deny_with_the_grant_it_overrides() {
    check("json_tg009", &["testdata/json-tg009-bad/org-guard.json"]);
}

#[test]
fn terraform_key_policies_with_their_trails() {
    check("tf_kms", &["testdata/tf-kms-bad"]);
}

#[test]
fn cloudformation_template() {
    check("cfn_yaml", &["testdata/cfn-yaml-bad"]);
}

#[test]
fn finding_in_a_loaded_file_points_at_the_trail_in_terraform() {
    check("tf_file", &["testdata/tf-file-bad"]);
}

#[test]
fn notices_and_unused_suppressions() {
    check(
        "tf_suppress",
        &[
            "testdata/tf-suppress",
            "testdata/json-tg012-bad",
            "testdata/notices",
        ],
    );
}
