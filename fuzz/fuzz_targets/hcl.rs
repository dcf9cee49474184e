#![no_main]
//! The Terraform frontend on arbitrary text: parse, evaluate the module, run the rules.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        trailguard::fuzzing::terraform(text);
    }
});
