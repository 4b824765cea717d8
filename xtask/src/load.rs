//! Stage 1: read the vendored spec, check it is the file `upstream.toml`
//! records, and parse it as plain JSON (a full `openapiv3` parse of all
//! 4 MB takes seconds; only the slice is converted later).

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::config::Upstream;

pub(crate) struct Spec {
    pub(crate) document: Value,
    pub(crate) upstream: Upstream,
}

pub(crate) fn spec(spec_path: &Path, upstream_path: &Path) -> Result<Spec> {
    let upstream = Upstream::load(upstream_path)?;
    let bytes = std::fs::read(spec_path)
        .with_context(|| format!("cannot read the OpenAPI description {}", spec_path.display()))?;

    let digest = sha256_hex(&bytes);
    if digest != upstream.sha256 {
        bail!(
            "{} has sha256 {digest}, but {} records {}; \
             re-vendor it with `cargo xtask update-spec` instead of editing it",
            spec_path.display(),
            upstream_path.display(),
            upstream.sha256
        );
    }

    let document: Value = serde_json::from_slice(&bytes)
        .with_context(|| format!("{} is not JSON", spec_path.display()))?;
    let version = document.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.0.") {
        bail!(
            "{} is not an OpenAPI 3.0 description (openapi: {version:?}); progenitor reads only 3.0",
            spec_path.display()
        );
    }
    Ok(Spec { document, upstream })
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
