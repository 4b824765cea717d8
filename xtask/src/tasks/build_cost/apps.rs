//! What an application pays to depend on seam-api (issue 18), beside what
//! it pays for bare reqwest: three small apps, each calling Seam once,
//! built cold in fresh target dirs one after the other.
//!
//! - `bare`: reqwest 0.13 (default features: the same rustls stack),
//!   serde_json and tokio, posting `/devices/list` by hand;
//! - `seam-default`: seam-api with its default features, `devices().list()`;
//! - `seam-locks`: seam-api with only `rustls` and `locks`, `locks().list()`.
//!
//! For each: the cold dev build, the crates compiled, the debug binary,
//! an incremental rebuild after a one-line change in the app (the median
//! of five), and the cold release build and binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::paths::Workspace;

/// Budgets as decided in issue 27, as ratios to the bare app built in the
/// same run: the cold dev build's CPU time with the default features
/// (every resource, so that a new user's first `seam.locks()` just works)
/// and with one resource, the incremental rebuild, and the release binary.
/// The debug binary is reported without a budget.
const DEFAULT_BUILD_BUDGET: f64 = 1.3;
const ONE_RESOURCE_BUILD_BUDGET: f64 = 1.1;
const INCREMENTAL_BUDGET: f64 = 1.2;
const RELEASE_BINARY_BUDGET: f64 = 1.2;

/// The line each app's one-line change edits.
const CHANGED_LINE: &str = "devices\");";

/// Incremental rebuilds per app, each after another one-line change; the
/// median counts.
const INCREMENTAL_ROUNDS: usize = 5;

struct App {
    name: &'static str,
    dependencies: String,
    main: &'static str,
}

const BARE_MAIN: &str = r#"// A call of Seam's /devices/list with nothing but reqwest, serde_json and tokio.
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::var("SEAM_ENDPOINT").unwrap_or_else(|_| "https://connect.getseam.com".into());
    let key = std::env::var("SEAM_API_KEY")?;
    let response = reqwest::Client::new()
        .post(format!("{endpoint}/devices/list"))
        .bearer_auth(key)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&serde_json::json!({}))?)
        .send()
        .await?
        .error_for_status()?;
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await?)?;
    let devices = body["devices"].as_array().map_or(0, Vec::len);
    println!("{devices} devices");
    Ok(())
}
"#;

const SEAM_DEFAULT_MAIN: &str = r#"// The same call through seam-api.
#[tokio::main]
async fn main() -> Result<(), seam_api::Error> {
    let seam = seam_api::Seam::from_env()?;
    let devices = seam.devices().list().send().await?.len();
    println!("{devices} devices");
    Ok(())
}
"#;

const SEAM_LOCKS_MAIN: &str = r#"// A list through seam-api built with only the locks resource.
#[tokio::main]
async fn main() -> Result<(), seam_api::Error> {
    let seam = seam_api::Seam::from_env()?;
    let devices = seam.locks().list().send().await?.len();
    println!("{devices} devices");
    Ok(())
}
"#;

fn apps(seam_api: &Path) -> [App; 3] {
    let tokio = r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }"#;
    let path = seam_api.display();
    [
        App {
            name: "bare",
            dependencies: format!("reqwest = \"0.13\"\nserde_json = \"1\"\n{tokio}\n"),
            main: BARE_MAIN,
        },
        App {
            name: "seam-default",
            dependencies: format!("seam-api = {{ path = \"{path}\" }}\n{tokio}\n"),
            main: SEAM_DEFAULT_MAIN,
        },
        App {
            name: "seam-locks",
            dependencies: format!(
                "seam-api = {{ path = \"{path}\", default-features = false, features = [\"rustls\", \"locks\"] }}\n{tokio}\n"
            ),
            main: SEAM_LOCKS_MAIN,
        },
    ]
}

/// Which builds to measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Profiles {
    /// The dev builds and the cold release build.
    DevAndRelease,
    /// The dev builds only.
    Dev,
}

/// One app's figures.
struct Figures {
    cold_dev: f64,
    /// CPU seconds (user and system, every process) of the cold dev build:
    /// steadier than its wall time on a shared machine.
    cold_dev_cpu: f64,
    crates: usize,
    debug_binary: u64,
    incremental: f64,
    /// The cold release build's seconds and binary, when measured.
    release: Option<(f64, u64)>,
}

pub(super) fn measure(workspace: &Workspace, scratch: &Path, profiles: Profiles) -> Result<()> {
    let cargo = crate::paths::cargo();
    let lock = std::fs::read_to_string(workspace.root().join("Cargo.lock")).context("no Cargo.lock")?;
    let mut rows = Vec::new();
    for app in apps(&workspace.root().join("crates/seam-api")) {
        let dir = write_app(scratch, &app, &lock)?;
        let target = scratch.join(format!("target-app-{}", app.name));
        let figures = build_app(&cargo, &dir, &target, app.name, profiles)?;
        rows.push((app.name, figures));
    }
    let Some((_, bare)) = rows.first() else { bail!("no apps") };
    let ratio = |value: f64, base: f64| if base > 0.0 { value / base } else { f64::NAN };
    println!("an application calling Seam once, each cold in a fresh target dir, one after the other:");
    println!(
        "  {:<13} {:>14} {:>14} {:>8} {:>16} {:>14} {:>15} {:>16}",
        "app",
        "cold dev",
        "its CPU",
        "crates",
        "debug binary",
        "incremental",
        "cold release",
        "release binary"
    );
    for (name, f) in &rows {
        let release = match (f.release, bare.release) {
            (Some((seconds, binary)), Some((bare_seconds, bare_binary))) => format!(
                "{seconds:6.1} s {:5.2}x {:7.1} MB {:5.2}x",
                ratio(seconds, bare_seconds),
                binary as f64 / 1e6,
                ratio(binary as f64, bare_binary as f64)
            ),
            _ => format!("{:>15} {:>16}", "-", "-"),
        };
        println!(
            "  {name:<13} {:6.1} s {:5.2}x {:6.1} s {:5.2}x {:8} {:7.1} MB {:5.2}x {:5.1} s {:5.2}x {release}",
            f.cold_dev,
            ratio(f.cold_dev, bare.cold_dev),
            f.cold_dev_cpu,
            ratio(f.cold_dev_cpu, bare.cold_dev_cpu),
            f.crates,
            f.debug_binary as f64 / 1e6,
            ratio(f.debug_binary as f64, bare.debug_binary as f64),
            f.incremental,
            ratio(f.incremental, bare.incremental),
        );
    }
    println!(
        "  budgets: cold dev CPU ≤ {DEFAULT_BUILD_BUDGET}x with the default features (seam-default) and \
         ≤ {ONE_RESOURCE_BUILD_BUDGET}x with one resource (seam-locks), incremental ≤ {INCREMENTAL_BUDGET}x, release \
         binary ≤ {RELEASE_BINARY_BUDGET}x; the debug binary has none"
    );
    for (name, f) in rows.iter().filter(|(name, _)| *name != "bare") {
        let build_budget =
            if *name == "seam-default" { DEFAULT_BUILD_BUDGET } else { ONE_RESOURCE_BUILD_BUDGET };
        let mut checks = vec![
            ("cold dev CPU", ratio(f.cold_dev_cpu, bare.cold_dev_cpu), build_budget),
            ("incremental", ratio(f.incremental, bare.incremental), INCREMENTAL_BUDGET),
        ];
        if let (Some((_, binary)), Some((_, bare_binary))) = (f.release, bare.release) {
            checks.push(("release binary", ratio(binary as f64, bare_binary as f64), RELEASE_BINARY_BUDGET));
        }
        for (what, measured, budget) in checks {
            let verdict = if measured <= budget { "within" } else { "OVER" };
            println!("  {name} {what}: {measured:.2}x, {verdict} its budget of {budget}x");
        }
    }
    Ok(())
}

fn write_app(scratch: &Path, app: &App, lock: &str) -> Result<PathBuf> {
    let dir = scratch.join("apps").join(app.name);
    std::fs::create_dir_all(dir.join("src"))?;
    let manifest = format!(
        "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{}\n[workspace]\n",
        app.name, app.dependencies
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    std::fs::write(dir.join("src/main.rs"), app.main)?;
    // The workspace's lock, so the apps build the same versions as the
    // workspace (cargo drops the entries an app does not use).
    std::fs::write(dir.join("Cargo.lock"), lock)?;
    Ok(dir)
}

fn build_app(cargo: &str, dir: &Path, target: &Path, name: &str, profiles: Profiles) -> Result<Figures> {
    let cpu_before = crate::tasks::cli_cost::children_cpu();
    let (cold_dev, crates) = build(cargo, dir, target, &[])?;
    let cold_dev_cpu = (crate::tasks::cli_cost::children_cpu() - cpu_before).as_secs_f64();
    let debug_binary = size(&target.join("debug").join(name))?;
    let main = dir.join("src/main.rs");
    let source = std::fs::read_to_string(&main)?;
    if !source.contains(CHANGED_LINE) {
        bail!("the {name} app has no line `{CHANGED_LINE}` to change");
    }
    // The median of a few rebuilds, each after the line changed again: one
    // rebuild of about a second is mostly noise.
    let mut rebuilds = Vec::new();
    for round in 0..INCREMENTAL_ROUNDS {
        std::fs::write(&main, source.replace(CHANGED_LINE, &format!("devices (change {round})\");")))?;
        rebuilds.push(build(cargo, dir, target, &[])?.0);
    }
    rebuilds.sort_by(f64::total_cmp);
    let incremental = rebuilds.get(rebuilds.len() / 2).copied().unwrap_or(f64::NAN);
    let release = match profiles {
        Profiles::Dev => None,
        Profiles::DevAndRelease => {
            let (cold_release, _) = build(cargo, dir, target, &["--release"])?;
            Some((cold_release, size(&target.join("release").join(name))?))
        }
    };
    Ok(Figures { cold_dev, cold_dev_cpu, crates, debug_binary, incremental, release })
}

/// Seconds a `cargo build` took, and the crates it compiled.
fn build(cargo: &str, dir: &Path, target: &Path, args: &[&str]) -> Result<(f64, usize)> {
    let started = Instant::now();
    let output = Command::new(cargo)
        .arg("build")
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .current_dir(dir)
        .output()
        .context("cannot run cargo build")?;
    let seconds = started.elapsed().as_secs_f64();
    let log = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!("cargo build {} failed in {}:\n{log}", args.join(" "), dir.display());
    }
    let crates = log.lines().filter(|line| line.trim_start().starts_with("Compiling ")).count();
    Ok((seconds, crates))
}

fn size(path: &Path) -> Result<u64> {
    Ok(std::fs::metadata(path).with_context(|| format!("no {}", path.display()))?.len())
}
