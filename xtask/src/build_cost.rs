//! `cargo xtask build-cost`: what depending on seam-api costs a user's
//! build, beside a bare progenitor-generated client for the same slice of
//! the spec (same operations, default progenitor settings, no facade), so
//! growth is visible in review. Cold dev builds in fresh target
//! directories, and the count of distinct crates each pulls in.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle};

use crate::paths::Workspace;
use crate::{config, format, load, normalize, slice};

pub fn run(workspace: &Workspace) -> Result<()> {
    let scratch = std::env::temp_dir().join(format!("seam-build-cost-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let result = measure(workspace, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn measure(workspace: &Workspace, scratch: &Path) -> Result<()> {
    let bare = scratch.join("bare-client");
    write_bare_client(workspace, &bare)?;

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let seam_api =
        cold_build(&cargo, workspace.root(), &["-p", "seam-api"], &scratch.join("target-seam-api"))?;
    let seam_api_crates = crate_count(&cargo, workspace.root(), &["-p", "seam-api"])?;
    let bare_secs = cold_build(&cargo, &bare, &[], &scratch.join("target-bare"))?;
    let bare_crates = crate_count(&cargo, &bare, &[])?;

    println!("cold `cargo build` (dev profile, fresh target dir, {} cores):", cores());
    println!("  seam-api                      {seam_api:6.1} s   {seam_api_crates:3} crates");
    println!("  bare progenitor client        {bare_secs:6.1} s   {bare_crates:3} crates");
    Ok(())
}

/// The same operations, generated with progenitor's defaults and nothing
/// else, as a crate of its own.
fn write_bare_client(workspace: &Workspace, dir: &Path) -> Result<()> {
    let selection = config::Selection::load(&workspace.selection())?;
    let spec = load::spec(&workspace.spec(), &workspace.upstream())?;
    let normalized = normalize::normalize(slice::slice(&spec.document, &selection.operations)?)?;
    let mut settings = GenerationSettings::new();
    settings.with_interface(InterfaceStyle::Builder).with_tag(TagStyle::Merged);
    let tokens = Generator::new(&settings)
        .generate_tokens(&normalized.openapi)
        .map_err(|e| anyhow::anyhow!("progenitor cannot generate the bare client: {e}"))?;
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(dir.join("src/lib.rs"), format::rust(tokens, "#![allow(warnings)]\n")?)?;
    std::fs::write(
        dir.join("Cargo.toml"),
        r#"[package]
name = "bare-client"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
progenitor-client = "=0.15.1"
reqwest = { version = "0.13.4", features = ["json", "stream"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[workspace]
"#,
    )?;
    Ok(())
}

fn cold_build(cargo: &str, dir: &Path, args: &[&str], target: &Path) -> Result<f64> {
    let started = Instant::now();
    let status = Command::new(cargo)
        .arg("build")
        .args(args)
        .arg("--quiet")
        .env("CARGO_TARGET_DIR", target)
        .current_dir(dir)
        .status()
        .context("cannot run cargo build")?;
    if !status.success() {
        bail!("cargo build failed in {}", dir.display());
    }
    Ok(started.elapsed().as_secs_f64())
}

fn crate_count(cargo: &str, dir: &Path, args: &[&str]) -> Result<usize> {
    let output = Command::new(cargo)
        .args(["tree", "-e", "normal", "--prefix", "none"])
        .args(args)
        .current_dir(dir)
        .output()
        .context("cannot run cargo tree")?;
    if !output.status.success() {
        bail!("cargo tree failed in {}", dir.display());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let crates: std::collections::BTreeSet<&str> =
        text.lines().filter_map(|l| l.split(" (").next()).map(|l| l.trim_end_matches(" (*)")).collect();
    Ok(crates.len())
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
