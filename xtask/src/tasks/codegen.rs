//! `cargo xtask codegen`: the stages of `crate::stages`, run top to bottom.

use std::fmt;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::config;
use crate::paths::Workspace;
use crate::stages::write::{self, Mode};
use crate::stages::{
    cli, conformance, coverage, facade, features, format, generate, load, models, normalize, response_tests,
    slice,
};

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
    // Named before anything is generated, so a spec update shows its new
    // operations even when a later stage fails.
    let unselected = coverage::unselected(&spec.document, &selection.operations, &selection.left_out)?;
    let unexplained: Vec<_> = unselected.iter().filter(|op| op.reason.is_none()).collect();
    for op in &unexplained {
        eprintln!(
            "codegen: not selected: {} (\"{}\"); add it to `operations` in openapi/selection.toml, or say why under [left_out]",
            op.path, op.title
        );
    }
    let sliced = timings.stage("slice", || slice::slice(&spec.document, &selection.operations))?;
    // What the last run generated from, for the rules that keep types
    // stable across spec updates.
    let previous_slice: Option<serde_json::Value> =
        std::fs::read(workspace.slice()).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let normalized = timings.stage("normalize", || {
        normalize::normalize(sliced, &selection.at_least_one, previous_slice.as_ref())
    })?;
    let document = &normalized.document;
    let known = read_schema_order(&workspace.schema_order())?;
    let schema_order = models::schema_order(document, &known);
    let types = timings.stage("models", || {
        models::resolve_in_order(document, &selection.models, &normalized.wire, &schema_order)
    })?;
    let source = format!(
        "openapi/seam-connect.slice.json, sliced from {} {}",
        spec.upstream.package, spec.upstream.version
    );
    let progenitor_header =
        format::header(&format!("{source}; generator: progenitor (xtask/src/stages/generate.rs)"));
    let models_header = format::header(&format!("{source}; generator: xtask/src/stages/models/"));
    let facade_header = format::header(&format!("{source}; generator: xtask/src/stages/facade/"));
    let cli_header = format::header(&format!("{source}; generator: xtask/src/stages/cli.rs"));
    let operation_resources = &normalized.operation_resources;
    let replacements = types.replacements();
    // progenitor's client and mock are generated and formatted on threads
    // of their own while this one writes the facade and the models.
    let (generated, mut files, models, wire) = timings.stage("generate", || {
        std::thread::scope(|scope| {
            let progenitor = scope.spawn(|| {
                generate::files(
                    document,
                    &replacements,
                    operation_resources,
                    &normalized.operation_paths,
                    &progenitor_header,
                )
            });
            // The models are text already, so a third thread formats them.
            let resource_names = operation_resources.values().cloned().collect();
            let models = models::model_files(&types)?;
            let wire = models::wire_files(&types, &resource_names)?;
            let mut model_sources = Vec::new();
            for (name, source) in &models.files {
                model_sources.push((workspace.generated_models().join(name), source.clone()));
            }
            for (name, source) in &wire.files {
                model_sources.push((workspace.generated_wire().join(name), source.clone()));
            }
            let models_header = &models_header;
            let formatted_models = scope.spawn(move || {
                model_sources
                    .into_iter()
                    .map(|(path, source)| Ok((path, format::rust_source(&source, models_header)?)))
                    .collect::<Result<Vec<_>>>()
            });
            let resources = facade::tokens(document, &types, &selection.read_methods)?;
            let mut files = vec![(
                workspace.generated_resources().join("mod.rs"),
                format::rust(resources.shared, &facade_header)?,
            )];
            for (resource, tokens) in resources.resources {
                let path = workspace.generated_resources().join(format!("{resource}.rs"));
                files.push((path, format::rust(tokens, &facade_header)?));
            }
            let commands = cli::tokens(document, &types)?;
            files.push((
                workspace.generated_cli().join("mod.rs"),
                format::rust(commands.shared, &cli_header)?,
            ));
            for (resource, tokens) in commands.resources {
                let path = workspace.generated_cli().join(format!("{resource}.rs"));
                files.push((path, format::rust(tokens, &cli_header)?));
            }
            files.push((
                workspace.generated_response_tests(),
                format::rust_source(
                    &response_tests::source(&types, &normalized.wire, operation_resources)?,
                    &format::header(&format!("{source}; generator: xtask/src/stages/response_tests.rs")),
                )?,
            ));
            files.push((
                workspace.generated_fuzz_lists(),
                format::rust_source(
                    &response_tests::fuzz_source(&types, &normalized.wire)?,
                    &format::header(&format!("{source}; generator: xtask/src/stages/response_tests.rs")),
                )?,
            ));
            files.push((
                workspace.generated_model_schema_tests(),
                format::rust_source(
                    &response_tests::model_schema_source(&types),
                    &format::header(&format!("{source}; generator: xtask/src/stages/response_tests.rs")),
                )?,
            ));
            files.extend(
                formatted_models
                    .join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("the models' formatting thread panicked")))?,
            );
            let generated = progenitor
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("the progenitor thread panicked")))?;
            Ok((generated, files, models, wire))
        })
    })?;
    timings.stage("write", || {
        for (name, text) in generated.client {
            files.push((workspace.generated_client().join(name), text));
        }
        for (name, text) in generated.mock {
            files.push((workspace.generated_mock().join(name), text));
        }
        files.push((workspace.slice(), normalize::to_pretty_json(document)?));
        files.push((workspace.schema_order(), write_schema_order(&schema_order)));
        files.push((
            workspace.readme(),
            coverage::update_readme(
                &std::fs::read_to_string(workspace.readme())?,
                &spec.document,
                &selection.operations,
                &spec.upstream,
                models.schemas,
            )?,
        ));
        files.push((
            workspace.seam_types_manifest(),
            models.manifest(&std::fs::read_to_string(workspace.seam_types_manifest())?)?,
        ));
        files.push((
            workspace.seam_api_manifest(),
            features::seam_api(&std::fs::read_to_string(workspace.seam_api_manifest())?, &wire.features)?,
        ));
        files.push((
            workspace.seam_api_readme(),
            features::seam_api_readme(
                &std::fs::read_to_string(workspace.seam_api_readme())?,
                &wire.features,
            )?,
        ));
        files.push((
            workspace.mock_manifest(),
            features::mock(&std::fs::read_to_string(workspace.mock_manifest())?, wire.features.keys())?,
        ));
        let mut outputs = write::Outputs::new("codegen", workspace, mode);
        for (path, contents) in &files {
            outputs.update(path, contents)?;
        }
        let produced: Vec<&std::path::Path> = files.iter().map(|(path, _)| path.as_path()).collect();
        for dir in [
            workspace.generated_models(),
            workspace.generated_wire(),
            workspace.generated_client(),
            workspace.generated_resources(),
            workspace.generated_cli(),
            workspace.generated_mock(),
            workspace.generated_mock().join("operations"),
        ] {
            outputs.remove_others(&dir, &produced)?;
        }
        // The schema snapshot of a model the spec no longer has.
        outputs.remove_stale_snapshots(
            &workspace.seam_types_snapshots(),
            response_tests::SCHEMA_SNAPSHOT_PREFIX,
            &response_tests::model_schema_snapshots(&types),
        )?;
        outputs.finish()
    })?;
    timings.stage("conformance", || {
        let differences = conformance::check(document, &selection.models, &tolerances)?;
        conformance::report(&differences)
    })?;

    if mode == Mode::Check && !unexplained.is_empty() {
        let paths: Vec<&str> = unexplained.iter().map(|op| op.path.as_str()).collect();
        anyhow::bail!(
            "{} documented operation(s) are neither selected nor left out with a reason in openapi/selection.toml: {}",
            paths.len(),
            paths.join(", ")
        );
    }
    if mode == Mode::Write {
        println!(
            "codegen: {} operation(s) in {} resource(s); {} generated models; the {} hand-written model(s) conform to the spec",
            selection.operations.len(),
            wire.features.len(),
            models.schemas,
            selection.models.len()
        );
    }
    Ok(timings)
}

const SCHEMA_ORDER_HEADER: &str = "\
# @generated by `cargo xtask codegen`: the slice's schemas in the order they were
# first generated. Codegen resolves them in this order, new ones last, so a schema
# that a spec update adds never takes a type name from one that was there before
# (see xtask/src/stages/models/resolve.rs, schema_order).
";

/// The schema names of `openapi/schema-order.txt`; none before the first
/// codegen.
fn read_schema_order(path: &std::path::Path) -> Result<Vec<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(str::to_owned)
            .collect()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(error) => Err(anyhow::anyhow!("cannot read {}: {error}", path.display())),
    }
}

fn write_schema_order(order: &[String]) -> String {
    let mut text = SCHEMA_ORDER_HEADER.to_owned();
    for name in order {
        text.push_str(name);
        text.push('\n');
    }
    text
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
