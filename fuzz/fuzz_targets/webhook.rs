//! `cargo xtask fuzz webhook`: see `seam_fuzz::webhook`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // A finding is a panic: libFuzzer keeps the input that caused it.
    if let Err(finding) = seam_fuzz::webhook(data) {
        panic!("{finding}");
    }
});
