//! `cargo xtask fuzz command_line`: see `seam_fuzz::command_line`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // A finding is a panic: libFuzzer keeps the input that caused it.
    if let Err(finding) = seam_fuzz::command_line(data) {
        panic!("{finding}");
    }
});
