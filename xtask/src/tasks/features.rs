//! `cargo xtask features`: seam-api builds, and its tests compile, with
//! each resource feature alone, with no resource and with every resource
//! (`cargo check --all-targets`, rustls for TLS, nothing else on), so that
//! no feature needs another it does not enable. The resources are read
//! from seam-api's manifest (`all-resources`, which codegen writes).

use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::paths::Workspace;

pub fn run(workspace: &Workspace) -> Result<()> {
    let manifest = std::fs::read_to_string(workspace.seam_api_manifest())?;
    let resources = resources(&manifest)?;
    let mut sets: Vec<(String, String)> = vec![("no resource".into(), "rustls".into())];
    sets.extend(resources.iter().map(|resource| (resource.clone(), format!("rustls,{resource}"))));
    sets.push(("every resource".into(), "rustls,all-resources".into()));
    // The webhook extractor with no resource: it needs only `Event`.
    sets.push(("axum, no resource".into(), "rustls,axum".into()));

    let cargo = crate::paths::cargo();
    let started = Instant::now();
    let mut failed = Vec::new();
    for (name, features) in &sets {
        let one = Instant::now();
        let status = Command::new(&cargo)
            .args([
                "check",
                "--quiet",
                "--locked",
                "-p",
                "seam-api",
                "--all-targets",
                "--no-default-features",
            ])
            .args(["--features", features])
            .current_dir(workspace.root())
            .status()
            .context("cannot run cargo check")?;
        println!(
            "features: {name:<20} {:>6.1} s  {}",
            one.elapsed().as_secs_f64(),
            if status.success() { "ok" } else { "FAILED" }
        );
        if !status.success() {
            failed.push(name.clone());
        }
    }
    println!("features: {} sets in {:.0} s", sets.len(), started.elapsed().as_secs_f64());
    if !failed.is_empty() {
        bail!("seam-api does not build with: {}", failed.join(", "));
    }
    Ok(())
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
}
