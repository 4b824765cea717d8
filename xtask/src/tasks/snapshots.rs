//! `cargo xtask codegen --snapshots`: after a spec update, everything that
//! depends on the spec in one command, so that the pull request holds every
//! reviewable diff: the generated files (codegen), the public-API reports
//! (`cargo xtask public-api`), and every insta snapshot, rewritten in place
//! by running the tests with `INSTA_UPDATE=always` (no `cargo insta`
//! needed, no `.snap.new` files). CI, which runs with `INSTA_UPDATE=no`,
//! still fails on a stale one.

use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::paths::Workspace;
use crate::stages::write::Mode;
use crate::tasks::public_api;

pub fn run(workspace: &Workspace) -> Result<()> {
    public_api::run(workspace, Mode::Write)?;
    let cargo = crate::paths::cargo();
    println!("snapshots: cargo test --workspace --all-targets --no-fail-fast with INSTA_UPDATE=always");
    // Every suite runs, so a failure in one (such as codegen's check
    // naming an operation not yet selected) leaves no snapshot unwritten.
    let status = Command::new(cargo)
        .args(["test", "--workspace", "--all-targets", "--locked", "--no-fail-fast"])
        .current_dir(workspace.root())
        .env("INSTA_UPDATE", "always")
        .env_remove("INSTA_FORCE_PASS")
        .env_remove("CI")
        .status()
        .context("cannot run cargo test")?;
    if !status.success() {
        bail!(
            "cargo test failed ({status}): fix what it reports and run again (the snapshots of the suites that ran are rewritten already)"
        );
    }
    let changed = workspace.git(&["status", "--porcelain", "--", "*.snap", "crates/*/public-api.txt"])?;
    if changed.trim().is_empty() {
        println!("snapshots: no snapshot or public-API report changed");
    } else {
        println!("snapshots: changed, for review in the pull request:\n{}", changed.trim_end());
    }
    Ok(())
}
