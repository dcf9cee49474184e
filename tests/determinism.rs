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
