//! Registers the rules: every `src/rules/tgNNN_name.rs` is a module of `rules`, and its
//! `RULE` an entry of `rules::ALL`, in ID order. Adding a rule is adding its file (with its
//! metadata, check and page), its page under `rules/` and its fixtures; no list to edit.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("src/rules");
    println!("cargo:rerun-if-changed=src/rules");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("src/rules is readable")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".rs").map(str::to_string))
        .filter(|n| is_rule_file(n))
        .collect();
    names.sort();
    let mut out = String::new();
    for n in &names {
        let path = dir.join(format!("{n}.rs"));
        writeln!(
            out,
            "#[path = {:?}]\npub(crate) mod {n};",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("\n/// Every rule, in ID order.\npub static ALL: &[&Rule] = &[\n");
    for n in &names {
        writeln!(out, "    &{n}::RULE,").unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("rules.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

/// `tg` and three digits, `_`, a name.
fn is_rule_file(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() > 6 && name.starts_with("tg") && b[2..5].iter().all(u8::is_ascii_digit) && b[5] == b'_'
}
