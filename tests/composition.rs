//! Composition invariance: for a generated repository of many independent deployment units
//! (CloudFormation stacks and Terraform root modules that reuse symbolic bucket names on purpose),
//! the union of the findings of scanning each unit alone equals the findings of one scan of
//! everything. A unit's symbolic names (`sec-ct-${AWS::AccountId}-${AWS::Region}`) name its own
//! bucket only: another unit with the same name may be in another account.

#[path = "support/units.rs"]
mod units;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use trailguard::{Config, scan};

type Found = BTreeSet<(String, String, usize, usize)>;

fn findings(paths: &[PathBuf]) -> Found {
    let report = scan(paths, &Config::default()).unwrap();
    report
        .findings
        .iter()
        .map(|f| {
            let start = report.sources.start(f.span);
            (
                f.rule.id.to_string(),
                report.sources.get(f.span.file).display.clone(),
                start.line,
                start.column,
            )
        })
        .collect()
}

fn generate(root: &Path, n: usize, seed: u64) -> Vec<(PathBuf, units::Defect)> {
    let mut rng = units::Rng(seed);
    (0..n)
        .map(|k| {
            let u = units::unit(&mut rng, k);
            let dir = root.join(format!("unit-{k:03}"));
            std::fs::create_dir_all(&dir).unwrap();
            for (name, text) in &u.files {
                std::fs::write(dir.join(name), text).unwrap();
            }
            (dir, u.defect)
        })
        .collect()
}

#[test]
fn scanning_units_alone_or_together_gives_the_same_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let units = generate(tmp.path(), 80, 0x5eed_0001);
    let together = findings(&[tmp.path().to_path_buf()]);
    let mut alone = Found::new();
    for (dir, defect) in &units {
        let f = findings(std::slice::from_ref(dir));
        // A unit without a seeded defect gives nothing; one with a defect gives something.
        assert_eq!(
            f.is_empty(),
            *defect == units::Defect::None,
            "{} ({defect:?}): {f:?}\n{}",
            dir.display(),
            std::fs::read_dir(dir)
                .unwrap()
                .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
                .collect::<String>()
        );
        alone.extend(f);
    }
    let only_together: Vec<_> = together.difference(&alone).collect();
    let only_alone: Vec<_> = alone.difference(&together).collect();
    assert!(
        only_together.is_empty() && only_alone.is_empty(),
        "only together: {only_together:#?}\nonly alone: {only_alone:#?}"
    );
}

#[test]
fn each_seeded_defect_gives_its_rule() {
    let tmp = tempfile::tempdir().unwrap();
    for (dir, defect) in generate(tmp.path(), 80, 0x5eed_0002) {
        let rules: BTreeSet<String> = findings(std::slice::from_ref(&dir))
            .into_iter()
            .map(|f| f.0)
            .collect();
        let want = match defect {
            units::Defect::None => continue,
            units::Defect::Prefix => "TG002",
            units::Defect::NoSource => "TG003",
            units::Defect::NoAcl => "TG004",
            units::Defect::Key => "TG006",
        };
        assert_eq!(
            rules,
            BTreeSet::from([want.to_string()]),
            "{} ({defect:?})",
            dir.display()
        );
    }
}
