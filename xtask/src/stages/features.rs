//! The cargo features codegen keeps current in seam-api's and
//! seam-api-mock's manifests: one per top-level resource, written between
//! markers so the hand-written rest of each manifest stays as it is.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use anyhow::Result;

use crate::stages::models::{FEATURES_END, FEATURES_START, replace_section};

/// The resource whose `get` waits for action attempts: every resource that
/// returns one needs it, since its `send()` waits too.
const ACTION_ATTEMPTS: &str = "action_attempts";

/// seam-api's manifest: each resource feature enables the seam-types models
/// its requests and responses use (and `action_attempts` if it returns
/// action attempts); `all-resources` enables every resource.
pub(crate) fn seam_api(current: &str, resources: &BTreeMap<String, BTreeSet<String>>) -> Result<String> {
    let mut section = format!(
        "{FEATURES_START}\n# One feature per top-level resource (named as Seam's SDKs name it), with the\n\
         # seam-types models its requests and responses use.\nall-resources = [{}]\n",
        quoted(resources.keys())
    );
    for (resource, models) in resources {
        let mut enables: Vec<String> = Vec::new();
        if models.contains("action_attempt") && resource != ACTION_ATTEMPTS {
            enables.push(ACTION_ATTEMPTS.to_owned());
        }
        enables.extend(models.iter().map(|m| format!("seam-types/{m}")));
        let _ = writeln!(section, "{resource} = [{}]", quoted(enables.iter()));
    }
    replace_section(current, FEATURES_START, FEATURES_END, &section, "crates/seam-api/Cargo.toml")
}

/// seam-api-mock's manifest: each resource feature enables the same one in
/// seam-api.
pub(crate) fn mock<'a>(current: &str, resources: impl Iterator<Item = &'a String> + Clone) -> Result<String> {
    let mut section = format!(
        "{FEATURES_START}\n# One feature per top-level resource, enabling the same one in seam-api.\n\
         all-resources = [{}]\n",
        quoted(resources.clone())
    );
    for resource in resources {
        let _ = writeln!(section, "{resource} = [\"seam-api/{resource}\"]");
    }
    replace_section(current, FEATURES_START, FEATURES_END, &section, "crates/seam-api-mock/Cargo.toml")
}

/// The markers of the table in seam-api's README.
const TABLE_START: &str = "<!-- features:start (cargo xtask codegen) -->";
const TABLE_END: &str = "<!-- features:end -->";

/// seam-api's README: a table from each resource to its feature and the
/// models that feature brings.
pub(crate) fn seam_api_readme(
    current: &str,
    resources: &BTreeMap<String, BTreeSet<String>>,
) -> Result<String> {
    let mut section = format!(
        "{TABLE_START}\n| resource | methods | feature | seam-types models it enables |\n| --- | --- | --- | --- |\n"
    );
    for (resource, models) in resources {
        let models: Vec<String> = models.iter().map(|model| format!("`{model}`")).collect();
        let models = if models.is_empty() {
            "none (hand-written `ClientSession`)".to_owned()
        } else {
            models.join(", ")
        };
        let _ = writeln!(section, "| `/{resource}/…` | `seam.{resource}()` | `{resource}` | {models} |");
    }
    replace_section(current, TABLE_START, TABLE_END, &section, "crates/seam-api/README.md")
}

fn quoted<S: AsRef<str>>(names: impl Iterator<Item = S>) -> String {
    names.map(|n| format!("{:?}", n.as_ref())).collect::<Vec<_>>().join(", ")
}
