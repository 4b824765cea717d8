//! `cargo xtask features`: seam-api and seam-api-mock build, and their
//! tests compile, without a warning, with each resource feature alone,
//! with no resource and with every resource (`cargo check --all-targets`,
//! rustls for TLS, nothing else on), so that no feature needs another it
//! does not enable and none leaves code unused. The resources are read
//! from seam-api's manifest (`all-resources`, which codegen writes).

use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::paths::Workspace;

pub fn run(workspace: &Workspace) -> Result<()> {
    let manifest = std::fs::read_to_string(workspace.seam_api_manifest())?;
    let resources = resources(&manifest)?;
    let both = |feature: &str| format!("seam-api/{feature},seam-api-mock/{feature}");
    let mut sets: Vec<(String, String)> = vec![("no resource".into(), "seam-api/rustls".into())];
    sets.extend(
        resources.iter().map(|resource| (resource.clone(), format!("seam-api/rustls,{}", both(resource)))),
    );
    sets.push(("every resource".into(), format!("seam-api/rustls,{}", both("all-resources"))));
    // The webhook extractor with no resource: it needs only `Event`.
    sets.push(("axum, no resource".into(), "seam-api/rustls,seam-api/axum".into()));

    let cargo = crate::paths::cargo();
    let started = Instant::now();
    let mut failed = Vec::new();
    for (name, features) in &sets {
        let one = Instant::now();
        // Warnings fail the set too. cargo replays a fresh crate's
        // warnings, and caps those of dependencies, so any on stderr are
        // the workspace's own. (`-D warnings` in RUSTFLAGS would rebuild
        // every dependency; cargo's `build.warnings` is unstable.)
        let output = Command::new(&cargo)
            .args([
                "check",
                "--quiet",
                "--locked",
                "-p",
                "seam-api",
                "-p",
                "seam-api-mock",
                "--all-targets",
                "--no-default-features",
            ])
            .args(["--features", features])
            .current_dir(workspace.root())
            .output()
            .context("cannot run cargo check")?;
        let diagnostics = String::from_utf8_lossy(&output.stderr);
        eprint!("{diagnostics}");
        let verdict = match (output.status.success(), has_warning(&diagnostics)) {
            (true, false) => "ok",
            (true, true) => "WARNINGS",
            (false, _) => "FAILED",
        };
        println!("features: {name:<20} {:>6.1} s  {verdict}", one.elapsed().as_secs_f64());
        if verdict != "ok" {
            failed.push(name.clone());
        }
    }
    println!("features: {} sets in {:.0} s", sets.len(), started.elapsed().as_secs_f64());
    if !failed.is_empty() {
        bail!("seam-api or seam-api-mock does not build cleanly with: {}", failed.join(", "));
    }
    Ok(())
}

/// Whether cargo's stderr holds a warning (`warning: …`, or in short form
/// `path:line:col: warning: …`).
fn has_warning(stderr: &str) -> bool {
    stderr.lines().any(|line| line.starts_with("warning") || line.contains(": warning"))
}

/// The resources `all-resources` enables in seam-api's manifest.
fn resources(manifest: &str) -> Result<Vec<String>> {
    let parsed: toml::Table = manifest.parse().context("seam-api's manifest is not TOML")?;
    let list = parsed
        .get("features")
        .and_then(|features| features.get("all-resources"))
        .and_then(toml::Value::as_array)
        .context("seam-api's manifest has no `all-resources` feature")?;
    let resources: Vec<String> = list.iter().filter_map(|value| value.as_str().map(str::to_owned)).collect();
    if resources.is_empty() {
        bail!("seam-api's `all-resources` enables no resource");
    }
    Ok(resources)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_resources_from_the_manifest() {
        let manifest =
            "[features]\ndefault = [\"rustls\"]\nall-resources = [\"acs\", \"locks\"]\nlocks = []\n";
        assert_eq!(resources(manifest).unwrap(), ["acs", "locks"]);
        assert!(resources("[features]\n").unwrap_err().to_string().contains("all-resources"));
        let workspace = Workspace::locate().unwrap();
        let real = resources(&std::fs::read_to_string(workspace.seam_api_manifest()).unwrap()).unwrap();
        assert!(real.len() >= 20 && real.contains(&"locks".to_owned()), "{real:?}");
    }

    #[test]
    fn a_warning_on_stderr_fails_the_set() {
        assert!(has_warning("warning: function `renew` is never used\n  --> src/fallback.rs:47:15\n"));
        assert!(has_warning("src/lib.rs:3:1: warning: unused import\n"));
        assert!(!has_warning(""));
        assert!(!has_warning("error[E0425]: cannot find value `x`\n"));
    }
}
