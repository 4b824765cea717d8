//! `cargo xtask fuzz decode`: see `seam_fuzz::decode`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // A finding is a panic: libFuzzer keeps the input that caused it.
    if let Err(finding) = seam_fuzz::decode(data) {
        panic!("{finding}");
    }
});
