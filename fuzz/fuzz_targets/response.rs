//! `cargo xtask fuzz response`: see `seam_fuzz::response`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // A finding is a panic: libFuzzer keeps the input that caused it.
    if let Err(finding) = seam_fuzz::response(data) {
        panic!("{finding}");
    }
});
