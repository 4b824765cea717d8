//! Stage 4d. Generated tests: one per documented operation, that its 200 body,
//! sampled from the slice, decodes into its wire type. The 130 operations
//! Seam's fake lacks were never decoded otherwise. Also each operation's
//! wire type by operation, for Seam's documented samples. The harness that
//! samples and decodes is hand-written (`crates/seam-api/tests/responses.rs`).

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
    // Each operation's wire type, by operation, for Seam's documented
    // samples (`super::documented`).
    let mut by_operation = String::from(
        "/// Decodes `body` as the 200 body of `operation` (`acs_users_list`) with\n\
         /// `super::documented`; `None` for an operation this build lacks.\n\
         pub(super) fn documented(operation: &str, body: &serde_json::Value) -> Option<Result<super::Documented, String>> {\n    match operation {\n",
    );
    for (component, target) in wire.iter().filter(|(_, target)| target.side == Side::Response) {
        let Some(operation) = component.strip_suffix("_response") else {
            bail!("the hoisted 200 body `{component}` is not named `<operation>_response`");
        };
        let Some(name) = types.body_name(component) else {
            bail!("the hoisted 200 body `{component}` has no wire type");
        };
        let resource = &target.resource;
        let _ = writeln!(
            out,
            "#[cfg(feature = {resource:?})]\n#[test]\nfn {operation}() {{\n    super::decodes::<seam_api::wire::{name}>({component:?});\n}}"
        );
        let _ = writeln!(
            by_operation,
            "        #[cfg(feature = {resource:?})]\n        {operation:?} => Some(super::documented::<seam_api::wire::{name}>(body)),"
        );
    }
    by_operation.push_str("        _ => None,\n    }\n}\n");
    out.push_str(&by_operation);
    Ok(out)
}

/// The fuzz targets' lists (`fuzz/src/generated.rs`): every type a
/// response decodes into (the models, the hand-written ones, each
/// operation's 200 body) and every request body, each by a selector, so
/// that a new operation or model is fuzzed from its first codegen.
pub(crate) fn fuzz_source(types: &Types, wire: &BTreeMap<String, WireSchema>) -> Result<String> {
    let mut responses: Vec<String> =
        types.models().into_iter().map(|(_, name)| format!("seam_types::{name}")).collect();
    responses.extend(["seam_types::ClientSession", "seam_types::ApiErrorResponse"].map(String::from));
    let mut bodies = Vec::new();
    for (component, target) in wire {
        let Some(name) = types.body_name(component) else {
            bail!("the hoisted body `{component}` has no wire type");
        };
        match target.side {
            Side::Response => responses.push(format!("seam_api::wire::{name}")),
            Side::Request => bodies.push(format!("seam_api::wire::{name}")),
        }
    }
    let mut out = String::from(
        "//! Every type a response decodes into, and every request body, by a\n\
         //! selector: the fuzz targets' lists, generated so that none is left out.\n\n",
    );
    for (function, check, what, types) in [
        ("response", "crate::decodes", "a response", &responses),
        ("request_body", "crate::round_trips", "a request body", &bodies),
    ] {
        let names: Vec<String> = types.iter().map(|ty| format!("{ty:?}")).collect();
        let _ = writeln!(
            out,
            "/// The types {what} can be, by selector.\npub const {}_TYPES: [&str; {}] = [{}];",
            function.to_ascii_uppercase(),
            types.len(),
            names.join(", ")
        );
        let _ = writeln!(
            out,
            "/// Runs `{check}` for the type numbered `selector` (modulo the length of [`{}_TYPES`]).\npub fn {function}(selector: usize, bytes: &[u8]) -> Result<(), String> {{\n    match selector % {} {{",
            function.to_ascii_uppercase(),
            types.len()
        );
        if types.is_empty() {
            bail!("no type for {what} to fuzz");
        }
        for (index, ty) in types.iter().enumerate() {
            // The last arm takes what is left: the selector is reduced.
            let arm = if index + 1 == types.len() { "_".to_owned() } else { index.to_string() };
            let _ = writeln!(out, "        {arm} => {check}::<{ty}>(bytes),");
        }
        let _ = writeln!(out, "    }}\n}}");
    }
    Ok(out)
}

/// The snapshot files of [`model_schema_source`], by name
/// (`generated_models__schema_Device.snap`).
pub(crate) fn model_schema_snapshots(types: &Types) -> Vec<String> {
    types.models().into_iter().map(|(_, name)| format!("{SCHEMA_SNAPSHOT_PREFIX}{name}.snap")).collect()
}

pub(crate) const SCHEMA_SNAPSHOT_PREFIX: &str = "generated_models__schema_";

/// seam-types' schema snapshots: one test per generated model, so that a
/// spec update shows every changed JSON Schema (each test fails on its own,
/// not only the first) and a new model gets a snapshot of its own.
pub(crate) fn model_schema_source(types: &Types) -> String {
    let mut out = String::from(
        "//! One test per generated model: its JSON Schema is an insta snapshot\n\
         //! (`tests/snapshots/generated_models__schema_<Model>.snap`), so that a\n\
         //! spec update shows up in review as a diff of every model it changes.\n",
    );
    for (component, name) in types.models() {
        let _ = writeln!(
            out,
            "#[test]\nfn schema_{component}() {{\n    insta::with_settings!({{ snapshot_path => \"../snapshots\", prepend_module_to_snapshot => false }}, {{\n        insta::assert_json_snapshot!(\"{SCHEMA_SNAPSHOT_PREFIX}{name}\", schemars::schema_for!(seam_types::{name}));\n    }});\n}}"
        );
    }
    out
}
