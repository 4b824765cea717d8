//! `cargo xtask fuzz [TARGET] [--time S]`: runs the fuzz targets of
//! `fuzz/` with libFuzzer (`cargo +nightly fuzz`, installed from crates.io
//! when missing), one after the other, each for `S` seconds:
//!
//! 1. writes each target's seeds from the fixtures (`seam-fuzz`'s `seed`
//!    binary, on stable) into `fuzz/corpus/<target>/`;
//! 2. builds the targets (nightly, sanitizer coverage);
//! 3. runs each, then minimizes its corpus (`cargo fuzz cmin`);
//! 4. prints, per target, the executions, the coverage libFuzzer reports
//!    and the corpus size, and every finding (libFuzzer's crash files in
//!    `fuzz/artifacts/<target>/`), failing if there is one.
//!
//! A finding, once fixed, goes to `fuzz/regressions/<target>/`, which
//! `cargo test -p seam-fuzz` replays with the corpus on stable.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::paths::Workspace;

/// The targets, as `fuzz/Cargo.toml` declares them.
pub const TARGETS: [&str; 5] = ["decode", "webhook", "response", "command_line", "request_body"];

/// What one target's run gave.
struct Run {
    target: &'static str,
    executions: u64,
    coverage: u64,
    features: u64,
    corpus: usize,
    findings: Vec<String>,
}

pub fn run(workspace: &Workspace, target: Option<&str>, seconds: u64) -> Result<()> {
    let targets: Vec<&'static str> = match target {
        Some(name) => match TARGETS.iter().find(|known| **known == name) {
            Some(known) => vec![*known],
            None => bail!("no fuzz target `{name}`; the targets: {}", TARGETS.join(", ")),
        },
        None => TARGETS.to_vec(),
    };
    ensure_cargo_fuzz()?;
    let cargo = crate::paths::cargo();
    cargo_ok(
        Command::new(&cargo).args(["run", "--quiet", "--locked", "-p", "seam-fuzz", "--bin", "seed"]),
        workspace,
        "writing the seeds",
    )?;
    let mut build = nightly_fuzz();
    build.args(["build", "--features", "libfuzzer"]);
    if let [one] = targets[..] {
        build.arg(one);
    }
    cargo_ok(&mut build, workspace, "building the fuzz targets")?;

    let mut runs = Vec::new();
    for target in targets {
        println!("fuzz: {target} for {seconds} s");
        let corpus = format!("fuzz/corpus/{target}");
        let output = nightly_fuzz()
            .args(["run", "--features", "libfuzzer", target, &corpus, "--"])
            .arg(format!("-max_total_time={seconds}"))
            .arg("-print_final_stats=1")
            .current_dir(workspace.root())
            .output()
            .context("cannot run cargo fuzz")?;
        let log = String::from_utf8_lossy(&output.stderr);
        let mut run = summary(target, &log);
        run.findings = artifacts(&workspace.root().join("fuzz/artifacts").join(target));
        if !output.status.success() && run.findings.is_empty() {
            bail!("cargo fuzz run {target} failed without a finding:\n{}", tail(&log, 30));
        }
        if run.findings.is_empty() {
            let mut cmin = nightly_fuzz();
            cmin.args(["cmin", "--features", "libfuzzer", target, &corpus]);
            cargo_ok(&mut cmin, workspace, "minimizing the corpus")?;
        } else {
            println!("{}", tail(&log, 40));
        }
        run.corpus = std::fs::read_dir(workspace.root().join(&corpus)).map_or(0, |dir| dir.count());
        runs.push(run);
    }

    println!("\n| target | seconds | executions | coverage (edges) | features | corpus files | findings |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for run in &runs {
        println!(
            "| {} | {seconds} | {} | {} | {} | {} | {} |",
            run.target,
            run.executions,
            run.coverage,
            run.features,
            run.corpus,
            if run.findings.is_empty() { "none".to_owned() } else { run.findings.join(", ") }
        );
    }
    let findings: usize = runs.iter().map(|run| run.findings.len()).sum();
    if findings > 0 {
        bail!(
            "{findings} finding(s) in fuzz/artifacts/: reproduce with `cargo +nightly fuzz run --features libfuzzer \
             <target> <file>`, fix, and move the file to fuzz/regressions/<target>/"
        );
    }
    Ok(())
}

/// `cargo +nightly fuzz`, which needs nightly for sanitizer coverage.
fn nightly_fuzz() -> Command {
    let mut command = Command::new("cargo");
    command.args(["+nightly", "fuzz"]);
    command
}

/// Installs cargo-fuzz from crates.io unless it is there.
fn ensure_cargo_fuzz() -> Result<()> {
    let found = nightly_fuzz().arg("--version").output().is_ok_and(|output| output.status.success());
    if found {
        return Ok(());
    }
    println!("fuzz: installing cargo-fuzz (cargo install cargo-fuzz --locked)");
    let status = Command::new(crate::paths::cargo())
        .args(["install", "cargo-fuzz", "--locked"])
        .status()
        .context("cannot run cargo install")?;
    if !status.success() {
        bail!("cargo install cargo-fuzz failed ({status})");
    }
    Ok(())
}

fn cargo_ok(command: &mut Command, workspace: &Workspace, what: &str) -> Result<()> {
    let status = command
        .current_dir(workspace.root())
        .status()
        .with_context(|| format!("{what}: cannot run cargo"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

/// The executions and coverage libFuzzer reports in `log`.
fn summary(target: &'static str, log: &str) -> Run {
    let stat = |name: &str| {
        log.lines()
            .filter_map(|line| line.strip_prefix(name)?.trim().strip_prefix(':')?.trim().parse::<u64>().ok())
            .next_back()
            .unwrap_or(0)
    };
    // The last status line: `#N DONE cov: C ft: F corp: …`.
    let field = |line: &str, name: &str| {
        let mut words = line.split_whitespace();
        words.find(|word| *word == name).and_then(|_| words.next()?.parse::<u64>().ok())
    };
    let last = log.lines().rfind(|line| line.starts_with('#') && line.contains(" cov: ")).unwrap_or("");
    Run {
        target,
        executions: stat("stat::number_of_executed_units"),
        coverage: field(last, "cov:").unwrap_or(0),
        features: field(last, "ft:").unwrap_or(0),
        corpus: 0,
        findings: Vec::new(),
    }
}

/// The crash, leak and timeout files libFuzzer left in `dir`.
fn artifacts(dir: &Path) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().display().to_string())
        .collect();
    found.sort();
    found
}

fn tail(log: &str, lines: usize) -> String {
    let all: Vec<&str> = log.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libfuzzers_figures() {
        let log = "#4096\tpulse  cov: 29033 ft: 46814 corp: 2854/1333Kb exec/s: 2048 rss: 168Mb\n\
                   #48777\tDONE   cov: 29868 ft: 53498 corp: 3070/2620Kb lim: 10328 exec/s: 3048 rss: 595Mb\n\
                   stat::number_of_executed_units: 48777\n\
                   stat::average_exec_per_sec:     3048\n";
        let run = summary("decode", log);
        assert_eq!((run.executions, run.coverage, run.features), (48777, 29868, 53498));
    }

    #[test]
    fn the_targets_are_the_fuzz_crates() {
        let manifest =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/Cargo.toml")).unwrap();
        for target in TARGETS {
            assert!(manifest.contains(&format!("name = \"{target}\"")), "{target}");
        }
        assert_eq!(manifest.matches("[[bin]]").count(), TARGETS.len());
    }
}
