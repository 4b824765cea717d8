//! `cargo xtask test`: the README's one test command. Installs Seam's fake
//! server from its lockfile (`npm ci`), then runs every test in the
//! workspace, the end-to-end tests against the fake included (a plain
//! `cargo test` reports those as ignored).

use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::paths::Workspace;

pub fn run(workspace: &Workspace, extra: &[&str]) -> Result<()> {
    let fake = workspace.fake_server();
    println!("test: npm ci in {}", workspace.display(&fake));
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&fake)
        .status()
        .context("cannot run npm, which installs Seam's fake server for the end-to-end tests")?;
    if !status.success() {
        bail!("npm ci failed ({status}) in {}", workspace.display(&fake));
    }

    // Every target with the ignored end-to-end tests, then the doctests on
    // their own: --include-ignored would also run progenitor's `ignore`
    // examples, which are not meant to compile.
    cargo_test(workspace, &["--all-targets", "--", "--include-ignored"], extra)?;
    cargo_test(workspace, &["--doc"], &[])
}

fn cargo_test(workspace: &Workspace, args: &[&str], extra: &[&str]) -> Result<()> {
    let cargo = crate::paths::cargo();
    let status = Command::new(cargo)
        .args(["test", "--workspace", "--locked"])
        .args(args)
        .args(extra)
        .current_dir(workspace.root())
        .status()
        .context("cannot run cargo test")?;
    if !status.success() {
        bail!("cargo test {} failed ({status})", args.join(" "));
    }
    Ok(())
}
