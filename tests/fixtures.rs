//! Runs every case under testdata/: scans the folder and compares the findings, exactly, with
//! its `expect` file (`RULE path:line:column`, path relative to the folder).

use std::path::{Path, PathBuf};
use trailguard::{Config, scan};

fn expected(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("expect")).unwrap_or_default();
    let mut v: Vec<String> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    v.sort();
    v
}

fn actual(dir: &Path) -> Vec<String> {
    let report = scan(&[dir.to_path_buf()], &Config::default()).expect("scan");
    let prefix = format!("{}/", dir.display());
    let mut v: Vec<String> = report
        .findings
        .iter()
        .map(|f| {
            let p = report.sources.start(f.span);
            let path = &report.sources.get(f.span.file).display;
            let rel = path.strip_prefix(&prefix).unwrap_or(path);
            format!("{} {}:{}:{}", f.rule.id, rel, p.line, p.column)
        })
        .collect();
    v.sort();
    v
}

fn cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("testdata")
        .expect("testdata/")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir() && p.join("expect").exists())
        .collect();
    v.sort();
    v
}

#[test]
fn every_fixture_reports_exactly_its_expected_findings() {
    let cases = cases();
    assert!(
        cases.len() >= 20,
        "expected the fixture folders, found {}",
        cases.len()
    );
    let mut failures = vec![];
    for dir in &cases {
        let want = expected(dir);
        let got = actual(dir);
        if want != got {
            let missing: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
            let extra: Vec<_> = got.iter().filter(|g| !want.contains(g)).collect();
            failures.push(format!(
                "{}:\n  missing: {missing:?}\n  unexpected: {extra:?}",
                dir.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_json_rule_has_a_bad_and_a_good_case() {
    let cases = cases();
    let names: Vec<String> = cases
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    for id in [
        "001", "002", "003", "004", "005", "006", "007", "008", "009", "010", "012", "013",
    ] {
        for kind in ["bad", "good"] {
            let name = format!("json-tg{id}-{kind}");
            assert!(names.contains(&name), "missing fixture {name}");
        }
        // A bad case must expect its own rule; a good one must expect nothing of it.
        let bad = expected(
            Path::new("testdata")
                .join(format!("json-tg{id}-bad"))
                .as_path(),
        );
        assert!(
            bad.iter().any(|l| l.starts_with(&format!("TG{id} "))),
            "TG{id} bad case expects no TG{id}"
        );
        let good = expected(
            Path::new("testdata")
                .join(format!("json-tg{id}-good"))
                .as_path(),
        );
        assert!(!good.iter().any(|l| l.starts_with(&format!("TG{id} "))));
    }
}
