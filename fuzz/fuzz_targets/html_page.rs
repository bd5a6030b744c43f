//! Fuzz target: `parallax::invariants::html_page` (see that function for what it checks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| parallax::invariants::html_page(data));
