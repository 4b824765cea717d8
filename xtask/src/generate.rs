//! Stage 4: generate the client and its httpmock helpers with progenitor's
//! builder interface.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use anyhow::{Context, Result, anyhow};
use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle};

use crate::normalize::Normalized;

/// The client and its httpmock helpers, as progenitor emits them.
pub(crate) struct Tokens {
    pub(crate) client: TokenStream,
    pub(crate) mock: TokenStream,
}

/// The Rust path under which the mock code finds the client's `types`.
const MOCK_CRATE_PATH: &str = "seam_api::wire";

pub(crate) fn tokens(normalized: &Normalized, models: &BTreeMap<String, String>) -> Result<Tokens> {
    let settings = settings(models);
    let client = without_panics(|| Generator::new(&settings).generate_tokens(&normalized.openapi))
        .context("progenitor cannot generate the normalized slice")?
        .map_err(|e| anyhow!("progenitor cannot generate the normalized slice: {e}"))?;
    let mock = without_panics(|| Generator::new(&settings).httpmock(&normalized.openapi, MOCK_CRATE_PATH))
        .context("progenitor cannot generate httpmock helpers for the normalized slice")?
        .map_err(|e| anyhow!("progenitor cannot generate httpmock helpers for the normalized slice: {e}"))?;
    Ok(Tokens { client, mock })
}

fn settings(models: &BTreeMap<String, String>) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    // progenitor's builder interface (`client.op().body(..).send()`), one
    // method per operation on the client itself; the hand-written facade in
    // front of it owns the public API.
    settings.with_interface(InterfaceStyle::Builder).with_tag(TagStyle::Merged);
    // Per-client settings the hand-written hooks read on every request
    // (the response size limit); crates/seam-api/src/hooks.rs defines it.
    settings.with_inner_type(quote::quote! { crate::hooks::ClientSettings });
    for (schema, rust_type) in models {
        // typify looks replacements up by the PascalCase type name.
        settings.with_replacement(pascal_case(schema), rust_type, std::iter::empty());
    }
    settings
}

/// progenitor asserts on some inputs (several success types, unsupported
/// body kinds) instead of returning an error. normalize rejects the known
/// ones first; this turns any other into an error instead of a crash.
fn without_panics<T>(f: impl FnOnce() -> T) -> Result<T> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        anyhow!("progenitor panicked: {message}")
    })
}

/// `client_sessions` → `ClientSessions`, as typify names types.
pub(crate) fn pascal_case(snake: &str) -> String {
    snake
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_case_matches_typify_names() {
        assert_eq!(pascal_case("client_session"), "ClientSession");
        assert_eq!(pascal_case("api_error_response"), "ApiErrorResponse");
    }

    #[test]
    fn a_progenitor_panic_becomes_an_error() {
        let error = without_panics(|| -> () { panic!("assertion failed: x") }).unwrap_err();
        assert_eq!(error.to_string(), "progenitor panicked: assertion failed: x");
    }
}

#[cfg(test)]
mod construct_tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::normalize;

    /// A construct that passes normalize but progenitor cannot generate:
    /// a path parameter the operation does not declare.
    #[test]
    fn an_ungeneratable_construct_is_an_error() {
        let document = json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/things/{id}/get": {"post": {
                "x-fern-sdk-group-name": ["things"], "x-fern-sdk-method-name": "get",
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}}
            }}},
            "components": {"schemas": {}}
        });
        let normalized = normalize(document).unwrap();
        let error = tokens(&normalized, &BTreeMap::new()).err().expect("an error");
        let message = format!("{error:#}");
        assert!(message.contains("progenitor cannot generate") && !message.contains('\n'), "{message}");
    }
}
