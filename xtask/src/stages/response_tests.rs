//! Stage 4d. Generated tests: one per documented operation, that its 200 body,
//! sampled from the slice, decodes into its wire type. The 130 operations
//! Seam's fake lacks were never decoded otherwise. The harness that samples
//! and decodes is hand-written (`crates/seam-api/tests/responses.rs`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{Result, bail};

use crate::stages::models::{Side, Types, WireSchema};

/// The generated cases, as Rust source (unformatted).
pub(crate) fn source(
    types: &Types,
    wire: &BTreeMap<String, WireSchema>,
    operations: &BTreeMap<String, String>,
) -> Result<String> {
    let bodiless: Vec<&str> = operations
        .keys()
        .filter(|operation| !wire.contains_key(&format!("{operation}_response")))
        .map(String::as_str)
        .collect();
    let mut out = String::from(
        "//! One test per documented operation: its 200 body, sampled from the\n\
         //! slice with every property and with only the required ones, decodes\n\
         //! into its wire type (`super::decodes`).\n",
    );
    if !bodiless.is_empty() {
        let _ = writeln!(
            out,
            "//!\n//! Answered with no body, so with nothing to decode: {}.",
            bodiless.join(", ")
        );
    }
    for (component, target) in wire.iter().filter(|(_, target)| target.side == Side::Response) {
        let Some(operation) = component.strip_suffix("_response") else {
            bail!("the hoisted 200 body `{component}` is not named `<operation>_response`");
        };
        let Some(name) = types.body_name(component) else {
            bail!("the hoisted 200 body `{component}` has no wire type");
        };
        let _ = writeln!(
            out,
            "#[cfg(feature = {resource:?})]\n#[test]\nfn {operation}() {{\n    super::decodes::<seam_api::wire::{name}>({component:?});\n}}",
            resource = target.resource
        );
    }
    Ok(out)
}
