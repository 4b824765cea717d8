//! `cargo xtask cli-cost`: what the `seam` binary costs its user, measured
//! in one run on the release build:
//!
//! - the binary's size;
//! - start-up: `seam --help` and `seam locks unlock-door --help` (wall
//!   time, the figure a person waits for, and CPU time), beside
//!   `seam --version`, which builds no command group;
//! - the client CPU of one call: `seam devices get` against Seam's fake,
//!   as CPU time of the `seam` process (user + system), beside
//!   `seam --version` in the same run, so the difference is the call's own.
//!
//! The commands run interleaved (one of each, then again), so machine noise
//! falls on all of them alike. Needs Seam's fake installed (`cargo xtask
//! test` runs its `npm ci`).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::paths::Workspace;

// The fake's starter that seam-api's and seam-cli's tests use too.
#[path = "../../../crates/seam-api/tests/fake-seam-connect/launch.rs"]
mod launch;

/// Runs of each start-up command.
const START_UP_RUNS: usize = 200;
/// Runs of each command against the fake.
const CALL_RUNS: usize = 100;
/// The start-up target, wall time.
const START_UP_TARGET: Duration = Duration::from_millis(20);

pub fn run(workspace: &Workspace) -> Result<()> {
    let cargo = crate::paths::cargo();
    let status = Command::new(&cargo)
        .args(["build", "--release", "--locked", "--quiet", "-p", "seam-cli"])
        .current_dir(workspace.root())
        .status()
        .context("cannot run cargo build")?;
    if !status.success() {
        bail!("cargo build --release -p seam-cli failed");
    }
    let binary = target_dir(workspace).join("release/seam");
    let size = std::fs::metadata(&binary).with_context(|| format!("no {}", binary.display()))?.len();
    println!("seam release binary: {:.1} MB ({size} bytes), {}", size as f64 / 1e6, binary.display());

    let start_up: [&[&str]; 3] = [&["--version"], &["--help"], &["locks", "unlock-door", "--help"]];
    let figures = interleaved(&binary, &start_up, START_UP_RUNS, &[])?;
    println!(
        "start-up, {START_UP_RUNS} runs each, interleaved (target: under {} ms wall):",
        START_UP_TARGET.as_millis()
    );
    for (args, figure) in start_up.iter().zip(&figures) {
        println!("  seam {:<28} {figure}", args.join(" "));
    }

    let fake = Fake::start(workspace)?;
    let env = [("SEAM_API_KEY", "seam_apikey1_token"), ("SEAM_ENDPOINT", fake.endpoint.as_str())];
    let calls: [&[&str]; 2] = [&["--version"], &["devices", "get", "--device-id", "august_device_1"]];
    let figures = interleaved(&binary, &calls, CALL_RUNS, &env)?;
    println!("one call against Seam's fake, {CALL_RUNS} runs each, interleaved (CPU of the seam process):");
    for (args, figure) in calls.iter().zip(&figures) {
        println!("  seam {:<40} {figure}", args.join(" "));
    }
    let call = figures[1].cpu.as_secs_f64() - figures[0].cpu.as_secs_f64();
    println!("  the call's own client CPU (difference): {:.2} ms", call * 1e3);
    Ok(())
}

fn target_dir(workspace: &Workspace) -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace.root().join("target"), Into::into)
}

/// One command's figures over its runs.
struct Figure {
    median_wall: Duration,
    /// Mean CPU per run, user + system.
    cpu: Duration,
}

impl std::fmt::Display for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "median wall {:6.2} ms   mean CPU {:6.2} ms",
            self.median_wall.as_secs_f64() * 1e3,
            self.cpu.as_secs_f64() * 1e3
        )
    }
}

fn interleaved(
    binary: &Path,
    commands: &[&[&str]],
    runs: usize,
    env: &[(&str, &str)],
) -> Result<Vec<Figure>> {
    let mut walls = vec![Vec::with_capacity(runs); commands.len()];
    let mut cpus = vec![Duration::ZERO; commands.len()];
    for _ in 0..runs {
        for (index, args) in commands.iter().enumerate() {
            let before = children_cpu();
            let started = Instant::now();
            let status = Command::new(binary)
                .args(*args)
                .envs(env.iter().copied())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .with_context(|| format!("cannot run {}", binary.display()))?;
            walls[index].push(started.elapsed());
            cpus[index] += children_cpu().saturating_sub(before);
            if !status.success() {
                bail!("seam {} failed ({status})", args.join(" "));
            }
        }
    }
    Ok(walls
        .into_iter()
        .zip(cpus)
        .map(|(mut wall, cpu)| {
            wall.sort();
            Figure { median_wall: wall[wall.len() / 2], cpu: cpu / runs as u32 }
        })
        .collect())
}

/// User + system CPU of every child this process has waited for.
pub(crate) fn children_cpu() -> Duration {
    // SAFETY: getrusage writes one rusage into the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let time =
        |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Seam's fake, stopped when dropped.
struct Fake {
    child: Child,
    endpoint: String,
}

impl Fake {
    fn start(workspace: &Workspace) -> Result<Self> {
        let dir = workspace.fake_server();
        if !launch::is_installed(&dir) {
            bail!("Seam's fake is not installed in {}: run `cargo xtask test` once", workspace.display(&dir));
        }
        let launch::Launched { child, ready } =
            launch::launch(Command::new("node"), &dir, Duration::from_secs(60))
                .map_err(anyhow::Error::msg)?;
        let endpoint = ready["endpoint"].as_str().context("the ready line has no endpoint")?.to_owned();
        Ok(Self { child, endpoint })
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
