#![no_main]
//! The JSON frontend (policy documents, CLI output, templates, plans, CloudFormation JSON) on
//! arbitrary text, then every rule on what it produced.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for name in ["policy.json", "policy.json.tpl"] {
            let model = trailguard::frontend::json::read_file(0, name, text);
            trailguard::fuzzing::check_model(&model);
        }
    }
});
