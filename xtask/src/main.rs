//! Maintainers' tasks for the Seam Rust SDK.
//!
//! ```text
//! cargo xtask codegen [--check] [--timings]
//!                                regenerate every generated file (or fail, with
//!                                a diff, if one is stale); --timings times each stage
//! cargo xtask test [-- TEST ARGS]
//!                                install Seam's fake server, run every test
//! cargo xtask build-cost [library|apps|apps-dev]
//!                                cold builds of seam-api (only client_sessions,
//!                                every resource, on ring) beside the 7-operation
//!                                baseline; apps on seam-api beside bare reqwest
//! cargo xtask cli-cost          the seam binary's size, start-up and CPU per
//!                                call (release build, against Seam's fake)
//! cargo xtask update-spec [--version V]
//!                                re-vendor the OpenAPI description from npm
//! ```
//!
//! `codegen` needs nothing but cargo; the pipeline is in `lib.rs`.

use std::process::ExitCode;

use anyhow::{Result, bail};
use xtask::{Mode, Workspace};

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line: the context chain, outermost first.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: cargo xtask codegen [--check] [--timings] | cargo xtask test [-- TEST ARGS] | cargo xtask build-cost [library|apps|apps-dev] | cargo xtask cli-cost | \
                     cargo xtask update-spec [--version VERSION]";

fn run(args: Vec<String>) -> Result<()> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let workspace = Workspace::locate()?;
    match args.as_slice() {
        ["codegen", flags @ ..] if flags.iter().all(|f| matches!(*f, "--check" | "--timings")) => {
            let mode = if flags.contains(&"--check") { Mode::Check } else { Mode::Write };
            let timings = xtask::codegen(&workspace, mode)?;
            if flags.contains(&"--timings") {
                println!("codegen stages:\n{timings}");
            }
            Ok(())
        }
        ["build-cost"] => xtask::build_cost(&workspace, xtask::BuildCostParts::All),
        ["build-cost", "library"] => xtask::build_cost(&workspace, xtask::BuildCostParts::Library),
        ["build-cost", "apps"] => xtask::build_cost(&workspace, xtask::BuildCostParts::Apps),
        ["build-cost", "apps-dev"] => xtask::build_cost(&workspace, xtask::BuildCostParts::AppsDev),
        ["cli-cost"] => xtask::cli_cost(&workspace),
        ["test"] => xtask::test(&workspace, &[]),
        ["test", "--", extra @ ..] => xtask::test(&workspace, extra),
        ["update-spec"] => xtask::update_spec(&workspace, "latest"),
        ["update-spec", "--version", version] => xtask::update_spec(&workspace, version),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => bail!("unknown arguments {args:?}; {USAGE}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_arguments_are_an_error_with_usage() {
        let error = run(vec!["codegen".into(), "--chek".into()]).unwrap_err();
        assert!(format!("{error:#}").contains("usage: cargo xtask codegen"));
    }
}
