//! The reviewable inputs that say what to generate: `openapi/selection.toml`,
//! `openapi/conformance.toml` and `openapi/upstream.toml`.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail, ensure};
use serde::Deserialize;

fn read_toml<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    // toml's own message spans several lines; keep the error on one.
    toml::from_str(&text).map_err(|e| {
        let message = e.message().to_owned();
        let line = e.span().map(|span| text[..span.start.min(text.len())].lines().count().max(1));
        match line {
            Some(line) => anyhow::anyhow!("{}:{line}: {message}", path.display()),
            None => anyhow::anyhow!("{}: {message}", path.display()),
        }
    })
}

/// `openapi/selection.toml`: the operations to generate, one line each, and
/// the spec schemas that `seam-types` models by hand.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Selection {
    /// Paths of the operations to generate, e.g. `/client_sessions/get`.
    pub(crate) operations: Vec<String>,
    /// SDK method names that only read, and so are retried as reads.
    pub(crate) read_methods: Vec<String>,
    /// Spec schema name → Rust type that replaces it in the generated code.
    pub(crate) models: BTreeMap<String, String>,
    /// Operation path → the body fields of which a call must set at least
    /// one, where the spec does not say so itself (see normalize).
    #[serde(default)]
    pub(crate) at_least_one: BTreeMap<String, Vec<String>>,
    /// Documented operation path → why it is not generated. Codegen names
    /// every documented operation that is neither here nor in `operations`,
    /// and `--check` fails on it.
    #[serde(default)]
    pub(crate) left_out: BTreeMap<String, String>,
}

impl Selection {
    pub(crate) fn load(path: &Path) -> Result<Self> {
        let selection: Self = read_toml(path)?;
        ensure!(!selection.operations.is_empty(), "{}: `operations` is empty", path.display());
        let mut seen = std::collections::BTreeSet::new();
        for operation in &selection.operations {
            if !operation.starts_with('/') {
                bail!("{}: operation `{operation}` is not a path (it must start with `/`)", path.display());
            }
            if !seen.insert(operation) {
                bail!("{}: operation `{operation}` is listed twice", path.display());
            }
        }
        for operation in selection.at_least_one.keys() {
            ensure!(
                seen.contains(operation),
                "{}: [at_least_one] names `{operation}`, which `operations` does not list",
                path.display()
            );
        }
        for (operation, reason) in &selection.left_out {
            ensure!(
                !seen.contains(operation),
                "{}: [left_out] names `{operation}`, which `operations` also lists",
                path.display()
            );
            ensure!(
                !reason.trim().is_empty(),
                "{}: [left_out] gives no reason for `{operation}`",
                path.display()
            );
        }
        Ok(selection)
    }
}

/// `/acs/users/list` → `acs`.
pub(crate) fn resource_of(path: &str) -> &str {
    path.trim_start_matches('/').split('/').next().unwrap_or("")
}

/// `openapi/upstream.toml`: where the vendored spec came from.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Upstream {
    /// The npm package that ships the spec.
    pub(crate) package: String,
    /// Its exact version.
    pub(crate) version: String,
    /// Where it was vendored from: `npm @seamapi/types@V, <module> (default
    /// export)`, or `file <path>`.
    pub(crate) source: String,
    /// sha256 of `openapi/seam-connect.json` as written by `update-spec`.
    pub(crate) sha256: String,
}

impl Upstream {
    pub(crate) fn load(path: &Path) -> Result<Self> {
        read_toml(path)
    }
}

/// `openapi/conformance.toml`: each way a model may knowingly differ from
/// its spec schema, with the reason.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Tolerances {
    #[serde(default, rename = "tolerance")]
    pub(crate) tolerances: Vec<Tolerance>,
}

/// One documented difference. Each aspect that is set gives the model's
/// value for it where the spec says otherwise.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Tolerance {
    pub(crate) schema: String,
    pub(crate) property: String,
    /// The model's type, e.g. `integer` where the spec says `number`.
    #[serde(rename = "type")]
    pub(crate) kind: Option<String>,
    /// Whether the model requires the property.
    pub(crate) required: Option<bool>,
    /// Whether the model accepts `null`.
    pub(crate) nullable: Option<bool>,
    /// Why: shown to reviewers, required so that no tolerance goes unexplained.
    pub(crate) reason: String,
}

impl Tolerances {
    pub(crate) fn load(path: &Path) -> Result<Self> {
        let tolerances: Self = read_toml(path)?;
        for t in &tolerances.tolerances {
            ensure!(
                !t.reason.trim().is_empty(),
                "{}: the tolerance for {}.{} gives no reason",
                path.display(),
                t.schema,
                t.property
            );
        }
        Ok(tolerances)
    }
}
