//! Maintainers' tasks for the Seam Rust SDK: `cargo xtask --help` lists
//! them, `cargo xtask TASK --help` explains one. The pipeline and the tasks
//! live in the library (`xtask/src/lib.rs`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use xtask::{Mode, SpecSource, Workspace};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version print and exit 0; a usage error exits 2.
        Err(error) => error.exit(),
    };
    match run(cli.task) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line: the context chain, outermost first.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Maintainers' tasks: regenerate the SDK from Seam's OpenAPI description,
/// update that description, review what an update does to the public API,
/// and run the tests and measurements.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Regenerate every generated file from openapi/seam-connect.json, and
    /// name each documented operation that openapi/selection.toml leaves out.
    Codegen {
        /// Write nothing; fail with a diff if a generated file is stale, or
        /// if a documented operation is left out without a stated reason.
        #[arg(long)]
        check: bool,
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
        /// Then rewrite everything else that depends on the spec: the
        /// public-API reports and every insta snapshot (the tests run with
        /// INSTA_UPDATE=always), for the pull request to show.
        #[arg(long, conflicts_with = "check")]
        snapshots: bool,
    },
    /// Vendor a new openapi/seam-connect.json, from npm or from a file, and
    /// record where it came from in openapi/upstream.toml. Then run
    /// `cargo xtask codegen --snapshots` and `cargo xtask semver`.
    UpdateSpec {
        /// The @seamapi/types version to install from npm ("latest" if
        /// neither this nor --file is given). With --file: the version the
        /// file is, when its name does not say it.
        #[arg(long, value_name = "VERSION")]
        version: Option<String>,
        /// An OpenAPI description to vendor instead of installing from npm,
        /// such as one built from Seam's tagged source.
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
    },
    /// Write each published crate's public API, one line per item, to
    /// crates/<crate>/public-api.txt (from rustdoc's JSON, on stable with
    /// RUSTC_BOOTSTRAP=1).
    PublicApi {
        /// Write nothing; fail with a diff if a report is stale.
        #[arg(long)]
        check: bool,
    },
    /// Compare the public API with a commit's, by Rust's semver rules: every
    /// removed, changed and added item under "breaking" or "additive", a
    /// draft CHANGELOG section, and a last line `verdict: breaking`,
    /// `additive` or `none`. Rewrites the working tree's public-API reports
    /// first.
    Semver {
        /// The commit to compare with.
        #[arg(long, value_name = "REV", default_value = "HEAD")]
        base: String,
    },
    /// Install Seam's fake server (npm ci) and run every test, the
    /// end-to-end ones included.
    Test {
        /// Passed to `cargo test` after `--`.
        #[arg(last = true)]
        args: Vec<String>,
    },
    /// Cold builds of seam-api beside the 7-operation baseline, and of
    /// applications on seam-api beside bare reqwest.
    BuildCost {
        /// Only one part: `library`, `apps`, or `apps-dev` (the apps' dev
        /// builds only).
        #[arg(value_enum, default_value = "all")]
        parts: BuildCostPartsArg,
    },
    /// The seam binary's size, start-up and CPU per call (release build,
    /// against Seam's fake).
    CliCost,
    /// Check that seam-api builds, and its tests compile, with each
    /// resource feature alone, with none and with all (cargo check).
    Features,
    /// Run the fuzz targets of fuzz/ with libFuzzer (cargo +nightly fuzz,
    /// installed when missing), seeded from the fixtures, one after the
    /// other; report executions, coverage and findings.
    Fuzz {
        /// Only this target: decode, webhook, response, command_line or
        /// request_body.
        target: Option<String>,
        /// How long each target runs, in seconds.
        #[arg(long, default_value_t = 900)]
        time: u64,
    },
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum BuildCostPartsArg {
    All,
    Library,
    Apps,
    AppsDev,
}

fn run(task: Task) -> Result<()> {
    let workspace = Workspace::locate()?;
    match task {
        Task::Codegen { check, timings, snapshots } => {
            let mode = if check { Mode::Check } else { Mode::Write };
            let stages = xtask::codegen(&workspace, mode)?;
            if timings {
                println!("codegen stages:\n{stages}");
            }
            if snapshots {
                xtask::snapshots(&workspace)?;
            }
            Ok(())
        }
        Task::UpdateSpec { version, file } => {
            let source = match file {
                Some(path) => SpecSource::File { path, version },
                None => SpecSource::Npm { version: version.unwrap_or_else(|| "latest".into()) },
            };
            xtask::update_spec(&workspace, source)
        }
        Task::PublicApi { check } => {
            xtask::public_api(&workspace, if check { Mode::Check } else { Mode::Write })
        }
        Task::Semver { base } => xtask::semver(&workspace, &base),
        Task::Test { args } => {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            xtask::test(&workspace, &args)
        }
        Task::BuildCost { parts } => xtask::build_cost(
            &workspace,
            match parts {
                BuildCostPartsArg::All => xtask::BuildCostParts::All,
                BuildCostPartsArg::Library => xtask::BuildCostParts::Library,
                BuildCostPartsArg::Apps => xtask::BuildCostParts::Apps,
                BuildCostPartsArg::AppsDev => xtask::BuildCostParts::AppsDev,
            },
        ),
        Task::CliCost => xtask::cli_cost(&workspace),
        Task::Features => xtask::features(&workspace),
        Task::Fuzz { target, time } => xtask::fuzz(&workspace, target.as_deref(), time),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn an_unknown_flag_is_a_usage_error_naming_it() {
        let error = Cli::try_parse_from(["cargo xtask", "codegen", "--chek"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::UnknownArgument);
        assert!(error.to_string().contains("--chek"), "{error}");
    }

    #[test]
    fn every_task_answers_help() {
        for task in
            ["codegen", "update-spec", "public-api", "semver", "test", "build-cost", "cli-cost", "fuzz"]
        {
            let error = Cli::try_parse_from(["cargo xtask", task, "--help"]).unwrap_err();
            assert_eq!(error.kind(), clap::error::ErrorKind::DisplayHelp, "{task}");
        }
    }

    #[test]
    fn update_spec_takes_a_file_and_a_version() {
        let cli =
            Cli::try_parse_from(["cargo xtask", "update-spec", "--file", "spec.json", "--version", "1.2.3"])
                .unwrap();
        assert!(matches!(
            cli.task,
            Task::UpdateSpec { file: Some(ref path), version: Some(ref v) } if path.as_os_str() == "spec.json" && v == "1.2.3"
        ));
    }

    #[test]
    fn snapshots_and_check_do_not_go_together() {
        let error = Cli::try_parse_from(["cargo xtask", "codegen", "--check", "--snapshots"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn test_passes_what_follows_the_separator_to_cargo_test() {
        let cli = Cli::try_parse_from(["cargo xtask", "test", "--", "-p", "seam-api"]).unwrap();
        assert!(matches!(cli.task, Task::Test { ref args } if args == &["-p", "seam-api"]));
    }
}
