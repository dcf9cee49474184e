//! The same input gives byte-identical output whatever the thread scheduling.

use assert_cmd::Command;

#[path = "support/tree.rs"]
mod tree;

fn output(threads: &str, format: &str) -> Vec<u8> {
    Command::cargo_bin("trailguard")
        .unwrap()
        .args([
            "scan", "-j", threads, "--format", format, "testdata", "examples",
        ])
        .output()
        .unwrap()
        .stdout
}

#[test]
fn repeated_scans_are_byte_identical() {
    for format in ["json", "sarif", "human", "github", "gitlab"] {
        let first = output("2", format);
        assert!(first.len() > 1000, "{format}: the scan reported something");
        for threads in ["1", "2", "3", "8", "2"] {
            assert!(
                output(threads, format) == first,
                "{format} differs with -j {threads}"
            );
        }
    }
}

/// `text` padded past the size from which a file lets its text go (4 KiB) with what changes no
/// document, when it is JSON (trailing white space) or YAML (comment lines).
fn padded(name: &str, mut text: Vec<u8>) -> Vec<u8> {
    let pad = if name.ends_with(".tf.json") {
        ""
    } else if name.ends_with(".json") {
        " \n"
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        "# padding\n"
    } else {
        ""
    };
    if !pad.is_empty() {
        if !text.ends_with(b"\n") {
            text.push(b'\n');
        }
        text.extend(pad.repeat(4200 / pad.len() + 1).as_bytes());
    }
    text
}

/// A JSON or YAML file of 4 KiB or more whose frontend is done lets its text go and reads it
/// again when a finding points into it; `--explain-reach` places every policy, so it keeps every
/// text. Both must report the same, snippets, fixes and `file()` loads of such files included:
/// checked on a copy of `testdata` and `examples` whose JSON and YAML files are padded past
/// 4 KiB.
#[test]
fn texts_read_again_report_what_kept_texts_report() {
    let dir = tempfile::tempdir().unwrap();
    for tree in ["testdata", "examples"] {
        tree::copy_dir_with(std::path::Path::new(tree), &dir.path().join(tree), &padded);
    }
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("trailguard")
            .unwrap()
            .current_dir(dir.path())
            .arg("scan")
            .args(args)
            .args(["testdata", "examples"])
            .output()
            .unwrap();
        (out.stdout, out.status.code())
    };
    let json = String::from_utf8(run(&["--format", "json"]).0).unwrap();
    assert!(
        json.matches(".json\"").count() > 20 && json.matches(".yaml\"").count() > 20,
        "findings in padded JSON and YAML files"
    );
    for mode in [
        &["--format", "json"][..],
        &["--format", "sarif"],
        &["--format", "human", "--no-color"],
        &["--format", "rdjson"],
        &["--diff", "--unsafe-fixes"],
    ] {
        let released = run(mode);
        assert!(
            released.0.len() > 1000,
            "{mode:?}: the scan reported something"
        );
        let kept = run(&[mode, &["--explain-reach"]].concat());
        assert!(released == kept, "{mode:?} differs when every text is kept");
    }
}
