//! Maintainers' tasks for the Seam Rust SDK.
//!
//! ```text
//! cargo xtask codegen            regenerate every generated file
//! cargo xtask codegen --check    fail, with a diff, if any generated file is stale
//! cargo xtask test [-- TEST ARGS]
//!                                install Seam's fake server, run every test
//! cargo xtask update-spec [--version V]
//!                                re-vendor the OpenAPI description from npm
//! ```
//!
//! `codegen` reads top to bottom as a pipeline: load → slice → normalize →
//! generate → format → write (or check), then the conformance check binds
//! `seam-types` to the spec. It needs nothing but cargo.

mod check;
mod config;
mod conformance;
mod coverage;
mod facade;
mod generate;
mod load;
mod normalize;
mod paths;
mod slice;
mod test;
mod update_spec;

use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::check::Mode;
use crate::paths::Workspace;

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

const USAGE: &str = "usage: cargo xtask codegen [--check] | cargo xtask test [-- TEST ARGS] | cargo xtask update-spec [--version VERSION]";

fn run(args: Vec<String>) -> Result<()> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let workspace = Workspace::locate()?;
    match args.as_slice() {
        ["codegen"] => codegen(&workspace, Mode::Write),
        ["codegen", "--check"] => codegen(&workspace, Mode::Check),
        ["test"] => test::run(&workspace, &[]),
        ["test", "--", extra @ ..] => test::run(&workspace, extra),
        ["update-spec"] => update_spec::run(&workspace, "latest"),
        ["update-spec", "--version", version] => update_spec::run(&workspace, version),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => bail!("unknown arguments {args:?}; {USAGE}"),
    }
}

/// The whole pipeline, in the order it runs.
pub(crate) fn codegen(workspace: &Workspace, mode: Mode) -> Result<()> {
    let selection = config::Selection::load(&workspace.selection())?;
    let tolerances = config::Tolerances::load(&workspace.conformance())?;

    let spec = load::spec(&workspace.spec(), &workspace.upstream())?;
    let sliced = slice::slice(&spec.document, &selection.operations)?;
    let normalized = normalize::normalize(sliced)?;
    let generated = generate::client(&normalized, &selection.models, &spec.upstream)?;
    let resources = facade::resources(&normalized.document, &selection.models, &selection.read_methods)?;

    let mut outputs = check::Outputs::new(workspace, mode);
    outputs.update(&workspace.slice(), &normalize::to_pretty_json(&normalized.document)?)?;
    outputs.update(&workspace.generated_client(), &generated.client)?;
    outputs.update(&workspace.generated_mock(), &generated.mock)?;
    outputs.update(&workspace.generated_resources(), &resources)?;
    let readme = std::fs::read_to_string(workspace.readme())?;
    outputs.update(
        &workspace.readme(),
        &coverage::update_readme(&readme, &spec.document, &selection.operations, &spec.upstream)?,
    )?;
    outputs.finish()?;

    let differences = conformance::check(&normalized.document, &selection.models, &tolerances)?;
    conformance::report(&differences)?;

    if mode == Mode::Write {
        println!(
            "codegen: {} operation(s), {} model(s) conform to the spec",
            selection.operations.len(),
            selection.models.len()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` alone catches a generated file that is out of date.
    #[test]
    fn generated_files_are_fresh() {
        let workspace = Workspace::locate().unwrap();
        if let Err(error) = codegen(&workspace, Mode::Check) {
            panic!("{error:#}");
        }
    }

    #[test]
    fn unknown_arguments_are_an_error_with_usage() {
        let error = run(vec!["codegen".into(), "--chek".into()]).unwrap_err();
        assert!(format!("{error:#}").contains("usage: cargo xtask codegen"));
    }
}
