//! `cargo xtask build-cost`: what depending on seam-api costs a user's
//! build, measured side by side in one run against the last 7-operation
//! client (the budget's baseline): cold dev builds in fresh target
//! directories of
//!
//! - the baseline commit's seam-api (only `client_sessions`, 7 operations),
//! - today's seam-api with only the `client_sessions` feature,
//! - today's seam-api with every resource (the default),
//! - the same with rustls on ring instead of aws-lc-rs (`rustls-ring`),
//!
//! one after the other, so each has the machine to itself; then the
//! applications of [`apps`] (issue 18). `build-cost library` or
//! `build-cost apps` runs one part only; `build-cost apps-dev` the
//! applications without their release builds, in half the time.

mod apps;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::paths::Workspace;

/// The last commit whose seam-api generated only `client_sessions` (7
/// operations): issue 8's budgets are ratios to its cold build.
const BASELINE_COMMIT: &str = "c0dce8ad4f89d0bb75dd08a35f58941d69174366";

/// Budgets from issue 8, as ratios to the baseline's cold build.
const ONLY_CLIENT_SESSIONS_BUDGET: f64 = 1.15;
const EVERY_RESOURCE_BUDGET: f64 = 1.6;

/// Which parts of the measurement to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parts {
    /// seam-api's own builds (issue 8's budgets) and the applications.
    All,
    /// seam-api's own builds.
    Library,
    /// The applications beside bare reqwest.
    Apps,
    /// The applications' dev builds only.
    AppsDev,
}

pub fn run(workspace: &Workspace, parts: Parts) -> Result<()> {
    let scratch = std::env::temp_dir().join(format!("seam-build-cost-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let baseline = scratch.join("baseline");
    let library =
        || add_worktree(workspace.root(), &baseline).and_then(|()| measure(workspace, &baseline, &scratch));
    let result = match parts {
        Parts::All => {
            library().and_then(|()| apps::measure(workspace, &scratch, apps::Profiles::DevAndRelease))
        }
        Parts::Library => library(),
        Parts::Apps => apps::measure(workspace, &scratch, apps::Profiles::DevAndRelease),
        Parts::AppsDev => apps::measure(workspace, &scratch, apps::Profiles::Dev),
    };
    if baseline.exists() {
        let _ = Command::new("git")
            .args(["worktree", "remove", "--force"])
            .arg(&baseline)
            .current_dir(workspace.root())
            .status();
    }
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn add_worktree(root: &Path, dir: &Path) -> Result<()> {
    let status = Command::new("git")
        .args(["worktree", "add", "--detach", "--quiet"])
        .arg(dir)
        .arg(BASELINE_COMMIT)
        .current_dir(root)
        .status()
        .context("cannot run git")?;
    if !status.success() {
        bail!("cannot check out the baseline commit {BASELINE_COMMIT} (a shallow clone lacks it)");
    }
    Ok(())
}

fn measure(workspace: &Workspace, baseline: &Path, scratch: &Path) -> Result<()> {
    let cargo = crate::paths::cargo();
    let only_client_sessions =
        ["-p", "seam-api", "--no-default-features", "--features", "rustls,client_sessions"];
    let ring = [
        "-p",
        "seam-api",
        "--no-default-features",
        "--features",
        "rustls-ring,all-resources,webhook-verification",
    ];
    let builds: [(&str, &Path, &[&str]); 4] = [
        ("baseline: 7 operations (client_sessions)", baseline, &["-p", "seam-api"]),
        ("only the client_sessions feature", workspace.root(), &only_client_sessions),
        ("every resource (default features)", workspace.root(), &["-p", "seam-api"]),
        ("every resource, rustls on ring", workspace.root(), &ring),
    ];
    let mut rows = Vec::new();
    for (index, (name, dir, args)) in builds.iter().enumerate() {
        let seconds = cold_build(&cargo, dir, args, &scratch.join(format!("target-{index}")))?;
        let crates = crate_count(&cargo, dir, args)?;
        rows.push((*name, seconds, crates));
    }
    let base = rows[0].1;
    println!("cold `cargo build` of seam-api (dev profile, fresh target dir, {} cores):", cores());
    for (index, (name, seconds, crates)) in rows.iter().enumerate() {
        let budget = match index {
            1 => format!("  (budget ≤ {ONLY_CLIENT_SESSIONS_BUDGET:.2}x)"),
            2 => format!("  (budget ≤ {EVERY_RESOURCE_BUDGET:.2}x)"),
            3 => format!("  ({:.2}x the default's build)", seconds / rows[2].1),
            _ => String::new(),
        };
        println!("  {name:<42} {seconds:6.1} s  {crates:3} crates  {:.2}x{budget}", seconds / base);
    }
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
        bail!("cargo build {} failed in {}", args.join(" "), dir.display());
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
