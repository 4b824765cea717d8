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

    let document: Value =
        serde_json::from_slice(&bytes).with_context(|| format!("{} is not JSON", spec_path.display()))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    struct Scratch(std::path::PathBuf);

    impl Scratch {
        fn new(name: &str) -> Self {
            let dir = std::env::temp_dir().join(format!("xtask-load-{name}-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }

        /// Writes a spec and an upstream.toml recording its hash.
        fn with_spec(&self, spec: &[u8]) -> (std::path::PathBuf, std::path::PathBuf) {
            let spec_path = self.0.join("spec.json");
            let upstream_path = self.0.join("upstream.toml");
            std::fs::write(&spec_path, spec).unwrap();
            std::fs::write(
                &upstream_path,
                format!(
                    "package = \"p\"\nversion = \"1\"\nsource = \"e\"\nsha256 = \"{}\"\n",
                    sha256_hex(spec)
                ),
            )
            .unwrap();
            (spec_path, upstream_path)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn message(result: Result<Spec>) -> String {
        format!("{:#}", result.err().expect("expected an error"))
    }

    #[test]
    fn a_missing_spec_is_a_clear_error() {
        let scratch = Scratch::new("missing");
        let (spec, upstream) = scratch.with_spec(b"{}");
        std::fs::remove_file(&spec).unwrap();
        let error = message(super::spec(&spec, &upstream));
        assert!(error.contains("cannot read the OpenAPI description"), "{error}");
        assert!(!error.contains('\n'), "{error}");
    }

    #[test]
    fn a_spec_that_is_not_json_is_a_clear_error() {
        let scratch = Scratch::new("not-json");
        let (spec, upstream) = scratch.with_spec(b"openapi: 3.0.0\n");
        let error = message(super::spec(&spec, &upstream));
        assert!(error.contains("is not JSON"), "{error}");
    }

    #[test]
    fn an_edited_spec_is_refused() {
        let scratch = Scratch::new("edited");
        let (spec, upstream) = scratch.with_spec(br#"{"openapi": "3.0.0"}"#);
        std::fs::write(&spec, br#"{"openapi": "3.0.1"}"#).unwrap();
        let error = message(super::spec(&spec, &upstream));
        assert!(error.contains("re-vendor it with `cargo xtask update-spec`"), "{error}");
    }

    #[test]
    fn only_openapi_3_0_is_accepted() {
        let scratch = Scratch::new("version");
        let (spec, upstream) = scratch.with_spec(br#"{"openapi": "3.1.0"}"#);
        let error = message(super::spec(&spec, &upstream));
        assert!(error.contains("not an OpenAPI 3.0 description"), "{error}");
    }
}
