//! Every target's committed corpus (`fuzz/corpus/<target>/`), its
//! regressions (`fuzz/regressions/<target>/`, one file per finding) and
//! its seeds, replayed through the same checks libFuzzer runs: a plain
//! `cargo test` keeps what fuzzing found, on stable, without libFuzzer.

use std::path::Path;

fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> =
        std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    files.sort();
    files
}

#[test]
fn every_corpus_regression_and_seed_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = seam_fuzz::seeds();
    let mut failures = Vec::new();
    for (target, check) in seam_fuzz::TARGETS {
        let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
        for dir in ["corpus", "regressions"] {
            for path in files(&root.join(dir).join(target)) {
                let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                inputs.push((path.display().to_string(), bytes));
            }
        }
        let seeded = seeds.get(target).map_or(0, Vec::len);
        assert!(seeded > 0, "no seeds for `{target}`");
        inputs.extend(seeds.get(target).into_iter().flatten().cloned());
        for (name, bytes) in inputs {
            if let Err(finding) = check(&bytes) {
                failures.push(format!("{target} {name}: {finding}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
