//! The SARIF output validates against the official SARIF 2.1.0 schema and carries what GitHub
//! code scanning and the spec ask for.

use assert_cmd::Command;
use serde_json::Value;

fn sarif_of(args: &[&str]) -> Value {
    let out = Command::cargo_bin("trailguard")
        .unwrap()
        .args(["scan", "--format", "sarif"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
}

fn schema() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    jsonschema::draft4::new(&schema).expect("the schema compiles")
}

#[test]
fn sarif_of_all_fixtures_validates_against_the_schema() {
    let log = sarif_of(&["testdata"]);
    let v = schema();
    let errors: Vec<String> = v
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() > 20);
}

#[test]
fn schema_rejects_a_broken_log() {
    // The validator is real: a log with startLine 0 and an unknown level fails.
    let mut log = sarif_of(&["testdata/json-tg003-bad"]);
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    log["runs"][0]["results"][0]["level"] = "critical".into();
    assert!(schema().iter_errors(&log).count() >= 2);
}

#[test]
fn sarif_has_the_fields_the_spec_lists() {
    let log = sarif_of(&["testdata/json-tg003-bad", "testdata/json-tg012-good"]);
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "trailguard");
    assert!(driver["version"].is_string());
    assert!(
        driver["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    // Every rule page under rules/ is a rule of the driver, in ID order, and nothing else.
    let mut want: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".md").map(String::from))
        .filter(|n| n.starts_with("TG"))
        .collect();
    want.sort();
    assert!(want.len() >= 20, "{want:?}");
    assert_eq!(ids, want);
    for r in rules {
        for k in [
            "id",
            "name",
            "shortDescription",
            "fullDescription",
            "help",
            "helpUri",
            "defaultConfiguration",
            "properties",
        ] {
            assert!(!r[k].is_null(), "rule {} lacks {k}", r["id"]);
        }
        assert!(
            r["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## What it does")
        );
        assert!(r["helpUri"].as_str().unwrap().ends_with(&format!(
            "/blob/main/rules/{}.md",
            r["id"].as_str().unwrap()
        )));
        assert!(r["properties"]["tags"].is_array());
        assert!(r["properties"]["security-severity"].is_string());
    }
    let sev = |id: &str| {
        rules.iter().find(|r| r["id"] == id).unwrap()["properties"]["security-severity"].clone()
    };
    assert_eq!(sev("TG010"), "9.1");
    assert_eq!(sev("TG001"), "7.5");
    assert_eq!(sev("TG003"), "5.5");
    assert_eq!(sev("TG012"), "4.0");
    assert_eq!(sev("TG102"), "7.5");
    assert_eq!(sev("TG105"), "7.5");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("file:///")
    );
    let res = &run["results"][0];
    assert_eq!(res["ruleId"], "TG003");
    assert_eq!(
        rules[res["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "TG003"
    );
    assert_eq!(res["level"], "warning");
    let loc = &res["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "testdata/json-tg003-bad/policy.json"
    );
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 11);
    assert_eq!(loc["region"]["startColumn"], 5);
    assert_eq!(loc["region"]["endLine"], 21);
    assert_eq!(loc["region"]["endColumn"], 6);
    assert!(
        res["partialFingerprints"]["trailguard/v1"]
            .as_str()
            .unwrap()
            .len()
            > 16
    );
    assert!(
        run["invocations"][0]["executionSuccessful"]
            .as_bool()
            .unwrap()
    );
}

#[test]
fn skipped_files_are_tool_notifications() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("blob.json"), b"{\"Statement\": \0\0\0}").unwrap();
    let log = sarif_of(&[dir.path().to_str().unwrap()]);
    let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("binary")
    );
    // A file outside the working directory gets an absolute file:// URI and no uriBaseId.
    let uri = notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(uri.starts_with("file:///"), "{uri}");
    assert!(schema().iter_errors(&log).next().is_none());
}

#[test]
fn related_locations_point_at_the_shadowed_grant() {
    let log = sarif_of(&["testdata/json-tg009-bad/org-guard.json"]);
    let res = &log["runs"][0]["results"][0];
    assert_eq!(res["ruleId"], "TG009");
    let rel = &res["relatedLocations"][0];
    assert_eq!(rel["physicalLocation"]["region"]["startLine"], 4);
    assert!(rel["message"]["text"].as_str().unwrap().contains("grant"));
}

#[test]
fn sarif_of_the_examples_meets_github_code_scanning_limits() {
    let out = Command::cargo_bin("trailguard")
        .unwrap()
        .args(["scan", "--format", "sarif", "examples"])
        .output()
        .unwrap();
    // GitHub's documented limits for an upload: 10 MB (gzip-compressed, so the raw size is an
    // upper bound), 20 runs, 25,000 results per run, 20 tags per rule, 1,000 locations per result.
    assert!(out.stdout.len() < 10 * 1024 * 1024);
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(schema().iter_errors(&log).next().is_none());
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let results = runs[0]["results"].as_array().unwrap();
    assert!(!results.is_empty() && results.len() <= 25_000);
    for r in runs[0]["tool"]["driver"]["rules"].as_array().unwrap() {
        assert!(r["properties"]["tags"].as_array().unwrap().len() <= 20);
        let sev: f64 = r["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&sev));
    }
    for r in results {
        assert!(r["locations"].as_array().unwrap().len() <= 1000);
        assert!(r["relatedLocations"].as_array().map_or(0, Vec::len) <= 1000);
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            uri.starts_with("examples/"),
            "relative URI under %SRCROOT%: {uri}"
        );
        assert!(r["partialFingerprints"].as_object().unwrap().len() == 1);
    }
}
