//! Writes each target's seeds (`seam_fuzz::seeds`) into
//! `fuzz/corpus/<target>/seed-<name>`, for `cargo xtask fuzz`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for (target, seeds) in seam_fuzz::seeds() {
        let dir = corpus.join(target);
        if let Err(error) = std::fs::create_dir_all(&dir) {
            eprintln!("seed: cannot create {}: {error}", dir.display());
            return ExitCode::FAILURE;
        }
        for (name, bytes) in &seeds {
            let path = dir.join(format!("seed-{name}"));
            if let Err(error) = std::fs::write(&path, bytes) {
                eprintln!("seed: cannot write {}: {error}", path.display());
                return ExitCode::FAILURE;
            }
        }
        println!("seed: {} seeds for {target}", seeds.len());
    }
    ExitCode::SUCCESS
}
