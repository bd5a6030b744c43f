//! Fuzz target: `parallax::invariants::pipeline_html` (see that function for what it checks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| parallax::invariants::pipeline_html(data));
