//! The same input gives byte-identical output whatever the thread scheduling.

use assert_cmd::Command;

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

/// A file whose frontend is done lets its text go and reads it again when a finding points into
/// it; `--explain-reach` places every policy, so it keeps every text. Both must report the same,
/// snippets, fixes and `file()` loads of such files included.
#[test]
fn texts_read_again_report_what_kept_texts_report() {
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("trailguard")
            .unwrap()
            .arg("scan")
            .args(args)
            .args(["testdata", "examples"])
            .output()
            .unwrap();
        (out.stdout, out.status.code())
    };
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
