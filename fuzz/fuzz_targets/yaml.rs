#![no_main]
//! The CloudFormation YAML frontend on arbitrary text, then every rule.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        trailguard::fuzzing::yaml(text);
    }
});
