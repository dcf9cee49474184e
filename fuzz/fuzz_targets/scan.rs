#![no_main]
//! A whole single-file scan through the library (discovery, frontends, linking, rules,
//! suppressions, every report format) on arbitrary bytes under each file name we read.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    trailguard::fuzzing::scan_file(data);
});
