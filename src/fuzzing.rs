//! Entry points for the fuzz targets in `fuzz/` (and for tests that replay their findings):
//! each runs a frontend on arbitrary input and then every rule and report on the result.

use crate::link::Analysis;
use crate::model::Model;
use crate::source::{SourceFile, SourceMap};

/// Every rule over a model.
pub fn check_model(model: &Model) {
    let linked = crate::link::link(model);
    let a = Analysis::whole(model, &linked);
    let mut out = vec![];
    for r in crate::rules::ALL {
        if let Some(c) = r.check {
            c(&a, &mut out);
        }
    }
}

/// One `.tf` file as a module: parse, evaluate, rules.
pub fn terraform(text: &str) {
    if let Some(mut m) = terraform_model(text) {
        m.resolve();
        check_model(&m);
    }
}

/// The model of one `.tf` file evaluated as a root module (none when it does not parse).
pub fn terraform_model(text: &str) -> Option<Model> {
    let mut model = Model::default();
    let body = crate::frontend::terraform::parse(0, text, &mut model)?;
    let mut sources = SourceMap::default();
    sources.files.push(SourceFile::new(
        "main.tf".into(),
        "main.tf".into(),
        text.to_string(),
    ));
    use crate::frontend::terraform::units::{TfFile, evaluate_scan};
    let file = TfFile::Parsed {
        id: 0,
        body,
        is_vars: false,
    };
    // No roots: the text reads no file.
    let roots = crate::fs::Roots::default();
    let tf = evaluate_scan(
        &sources,
        &roots,
        vec![("fuzz/main.tf".into(), file)],
        &Default::default(),
    );
    Some(tf.model)
}

/// One YAML template: parse, evaluate, rules.
pub fn yaml(text: &str) {
    let source = SourceFile::new(
        "template.yaml".into(),
        "template.yaml".into(),
        text.to_string(),
    );
    let m = crate::frontend::cloudformation::read_yaml(0, &source);
    check_model(&m);
}

/// A whole scan of one file, under each name trailguard reads, with every report format.
pub fn scan_file(data: &[u8]) {
    let Ok(dir) = std::env::temp_dir().canonicalize() else {
        return;
    };
    let dir = dir.join(format!("trailguard-fuzz-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    for name in [
        "main.tf",
        "t.tf.json",
        "template.yaml",
        "policy.json",
        "x.tpl",
    ] {
        let path = dir.join(name);
        if std::fs::write(&path, data).is_err() {
            continue;
        }
        if let Ok(report) = crate::pipeline::scan(
            std::slice::from_ref(&path),
            &crate::pipeline::Config::default(),
        ) {
            let _ = crate::report::json::render(&report);
            let _ = crate::report::sarif::render(&report);
            let _ = crate::report::human::render(&report, false, false);
            let _ = crate::report::github::render(&report);
            let _ = crate::report::gitlab::render(&report);
        }
        let _ = std::fs::remove_file(&path);
    }
}

#[cfg(test)]
mod tests {
    /// The Terraform fuzz entry point runs the scan's own evaluation on every fixture module
    /// file without a panic.
    #[test]
    fn terraform_entry_point_runs_every_fixture() {
        let mut stack = vec![std::path::PathBuf::from("testdata")];
        let mut seen = 0;
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "tf") {
                    // As the fuzz target: UTF-8 text only.
                    if let Ok(text) = std::fs::read_to_string(&p) {
                        super::terraform(&text);
                        seen += 1;
                    }
                }
            }
        }
        assert!(seen > 30, "only {seen} .tf fixtures found");
    }
}
