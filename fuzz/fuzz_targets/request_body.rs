//! `cargo xtask fuzz request_body`: see `seam_fuzz::request_body`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // A finding is a panic: libFuzzer keeps the input that caused it.
    if let Err(finding) = seam_fuzz::request_body(data) {
        panic!("{finding}");
    }
});
