//! Fuzz target: `parallax::invariants::parse_date` (see that function for what it checks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| parallax::invariants::parse_date(data));
