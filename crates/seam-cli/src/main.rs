//! The `seam` binary: everything is in the library (`src/lib.rs`).

fn main() -> std::process::ExitCode {
    seam_cli::main()
}
