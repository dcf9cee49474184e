//! Every rule has its page (rules/TGnnn.md, embedded in the binary), in the ruff layout, and
//! every example on it does what it says: the "Example" blocks produce the rule, the "Use
//! instead" blocks do not — in Terraform, CloudFormation and policy JSON.

use std::fs;
use trailguard::{Config, rules, scan};

fn section<'a>(page: &'a str, name: &str) -> &'a str {
    let start = page
        .find(&format!("## {name}\n"))
        .unwrap_or_else(|| panic!("no section {name}"));
    let rest = &page[start + name.len() + 4..];
    match rest.find("\n## ") {
        Some(end) => &rest[..end],
        None => rest,
    }
}

/// (language, code) of every fenced block.
fn blocks(text: &str) -> Vec<(String, String)> {
    let mut out = vec![];
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        if let Some(lang) = l.strip_prefix("```")
            && !lang.is_empty()
        {
            let mut code = String::new();
            for l in lines.by_ref() {
                if l == "```" {
                    break;
                }
                code.push_str(l);
                code.push('\n');
            }
            out.push((lang.to_string(), code));
        }
    }
    out
}

fn rules_reported(lang: &str, code: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let name = match lang {
        "hcl" => "main.tf",
        "yaml" => "template.yaml",
        "json" => "policy.json",
        other => panic!("unexpected block language {other}"),
    };
    fs::write(dir.path().join(name), code).unwrap();
    let report = scan(&[dir.path().to_path_buf()], &Config::default()).unwrap();
    assert_eq!(report.files_scanned, 1);
    report
        .findings
        .iter()
        .map(|f| f.rule.id.to_string())
        .collect()
}

#[test]
fn every_rule_has_a_page_whose_examples_hold() {
    for meta in rules::ALL.iter().map(|r| r.meta) {
        let page = rules::docs::page(meta.id);
        assert!(
            page.starts_with(&format!("# {} {}\n", meta.id, meta.name)),
            "{} page title",
            meta.id
        );
        assert_eq!(
            page,
            fs::read_to_string(format!("rules/{}.md", meta.id)).unwrap()
        );
        for s in [
            "What it does",
            "Why is this bad?",
            "Example",
            "Use instead",
            "References",
        ] {
            assert!(
                !section(page, s).trim().is_empty(),
                "{}: empty section {s}",
                meta.id
            );
        }
        assert!(!rules::docs::description(meta.id).is_empty());
        let bad = blocks(section(page, "Example"));
        let good = blocks(section(page, "Use instead"));
        let langs: Vec<&str> = bad.iter().map(|(l, _)| l.as_str()).collect();
        assert!(
            langs.contains(&"hcl") && langs.contains(&"yaml"),
            "{}: Terraform and CloudFormation examples",
            meta.id
        );
        // Rules about bucket settings, log sources and a trail's bucket have no policy JSON to show.
        if meta.json {
            assert!(langs.contains(&"json"), "{}: a JSON example", meta.id);
        }
        for (lang, code) in &bad {
            let got = rules_reported(lang, code);
            assert!(
                got.iter().any(|r| r == meta.id),
                "{} {lang} example does not produce it: {got:?}\n{code}",
                meta.id
            );
        }
        for (lang, code) in &good {
            let got = rules_reported(lang, code);
            assert!(
                !got.iter().any(|r| r == meta.id),
                "{} {lang} fix still produces it: {got:?}\n{code}",
                meta.id
            );
        }
    }
}
