//! The maintainers' pipeline behind `cargo xtask`: load → slice → normalize
//! → generate → format → write (or check) → conformance, each stage a
//! module, run top to bottom by [`codegen`]. A library so that
//! `cargo bench -p xtask` can time the same stages the command runs.

mod build_cost;
mod check;
mod config;
mod conformance;
mod coverage;
mod facade;
mod format;
mod generate;
mod load;
mod models;
mod normalize;
mod paths;
mod slice;
mod test;
mod update_spec;

use std::fmt;
use std::time::{Duration, Instant};

use anyhow::Result;

pub use crate::build_cost::run as build_cost;
pub use crate::check::Mode;
pub use crate::paths::Workspace;
pub use crate::test::run as test;
pub use crate::update_spec::run as update_spec;

/// How long each stage of one [`codegen`] run took.
#[derive(Debug, Default)]
pub struct Timings {
    stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    fn stage<T>(&mut self, name: &'static str, run: impl FnOnce() -> Result<T>) -> Result<T> {
        let started = Instant::now();
        let output = run();
        self.stages.push((name, started.elapsed()));
        output
    }

    /// Each stage's name and duration, in the order they ran.
    pub fn stages(&self) -> &[(&'static str, Duration)] {
        &self.stages
    }

    /// All stages together.
    pub fn total(&self) -> Duration {
        self.stages.iter().map(|(_, d)| *d).sum()
    }
}

impl fmt::Display for Timings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, duration) in &self.stages {
            writeln!(f, "  {name:<12} {:8.2} ms", duration.as_secs_f64() * 1e3)?;
        }
        write!(f, "  {:<12} {:8.2} ms", "total", self.total().as_secs_f64() * 1e3)
    }
}

/// The whole pipeline, in the order it runs. In [`Mode::Check`] nothing is
/// written and a stale file is an error with a diff.
pub fn codegen(workspace: &Workspace, mode: Mode) -> Result<Timings> {
    let mut timings = Timings::default();
    let selection = config::Selection::load(&workspace.selection())?;
    let tolerances = config::Tolerances::load(&workspace.conformance())?;

    let spec = timings.stage("load", || load::spec(&workspace.spec(), &workspace.upstream()))?;
    let sliced = timings.stage("slice", || slice::slice(&spec.document, &selection.operations))?;
    let everything = timings.stage("normalize", || normalize::normalize(sliced))?;
    // The client is generated so far for the resources in `client_resources`;
    // the models cover every selected operation.
    let client_operations = selection.client_operations();
    let normalized = timings
        .stage("slice", || normalize::reparse(slice::slice(&everything.document, &client_operations)?))?;
    let (client, resources, models) = timings.stage("generate", || {
        let client = generate::tokens(&normalized, &selection.models)?;
        let resources = facade::tokens(&normalized.document, &selection.models, &selection.read_methods)?;
        let types = models::resolve_all(&everything.document, &selection.models, &Default::default())?;
        let models = models::model_files(&types)?;
        Ok((client, resources, models))
    })?;
    let files = timings.stage("format", || {
        let source = format!(
            "openapi/seam-connect.slice.json, sliced from {} {}",
            spec.upstream.package, spec.upstream.version
        );
        let source_note = format!("{source}; generator: xtask/src/models.rs");
        let mut files = vec![
            (workspace.slice(), normalize::to_pretty_json(&everything.document)?),
            (workspace.generated_client(), format::rust(client.client, &format::header(&source))?),
            (workspace.generated_mock(), format::rust(client.mock, &format::header(&source))?),
            (
                workspace.generated_resources(),
                format::rust(
                    resources,
                    &format::header(&format!("{source}; generator: xtask/src/facade.rs")),
                )?,
            ),
            (
                workspace.readme(),
                coverage::update_readme(
                    &std::fs::read_to_string(workspace.readme())?,
                    &spec.document,
                    &client_operations,
                    &spec.upstream,
                    models.schemas,
                )?,
            ),
            (
                workspace.seam_types_manifest(),
                models.manifest(&std::fs::read_to_string(workspace.seam_types_manifest())?)?,
            ),
        ];
        for (name, source) in &models.files {
            files.push((
                workspace.generated_models().join(name),
                format::rust_source(source, &format::header(&source_note))?,
            ));
        }
        Ok(files)
    })?;
    timings.stage("write", || {
        let mut outputs = check::Outputs::new(workspace, mode);
        for (path, contents) in &files {
            outputs.update(path, contents)?;
        }
        let produced: Vec<&std::path::Path> = files.iter().map(|(path, _)| path.as_path()).collect();
        outputs.remove_others(&workspace.generated_models(), &produced)?;
        outputs.finish()
    })?;
    timings.stage("conformance", || {
        let differences = conformance::check(&normalized.document, &selection.models, &tolerances)?;
        conformance::report(&differences)
    })?;

    if mode == Mode::Write {
        println!(
            "codegen: {} operation(s), {} with client methods; {} generated models; the {} hand-written model(s) conform to the spec",
            selection.operations.len(),
            client_operations.len(),
            models.schemas,
            selection.models.len()
        );
    }
    Ok(timings)
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
}
