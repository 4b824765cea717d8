//! Where every input and output of the pipeline lives.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The cargo that runs this xtask (`$CARGO`), so that toolchain overrides
/// carry over to the cargo commands the tasks run.
pub(crate) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// The workspace root and the files the pipeline reads and writes, relative
/// to it.
pub struct Workspace {
    root: PathBuf,
}

impl Workspace {
    /// The workspace this xtask was built in (the parent of `xtask/`).
    pub fn locate() -> Result<Self> {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir.parent().context("xtask is not inside a workspace")?.to_path_buf();
        Ok(Self { root })
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// Seam's fake server, pinned by its npm lockfile, for end-to-end tests.
    pub(crate) fn fake_server(&self) -> PathBuf {
        self.root.join("crates/seam-api/tests/fake-seam-connect")
    }

    /// The vendored upstream OpenAPI description.
    pub(crate) fn spec(&self) -> PathBuf {
        self.root.join("openapi/seam-connect.json")
    }

    /// Which npm package version the spec came from, and its sha256.
    pub(crate) fn upstream(&self) -> PathBuf {
        self.root.join("openapi/upstream.toml")
    }

    /// Which operations to generate and which schemas are hand-written models.
    pub(crate) fn selection(&self) -> PathBuf {
        self.root.join("openapi/selection.toml")
    }

    /// Documented differences between `seam-types` and the spec.
    pub(crate) fn conformance(&self) -> PathBuf {
        self.root.join("openapi/conformance.toml")
    }

    /// The order the slice's schemas were first generated in, which keeps
    /// type names stable across spec updates (generated; see
    /// `models::schema_order`).
    pub(crate) fn schema_order(&self) -> PathBuf {
        self.root.join("openapi/schema-order.txt")
    }

    /// The normalized slice of the spec that progenitor reads (generated).
    pub(crate) fn slice(&self) -> PathBuf {
        self.root.join("openapi/seam-connect.slice.json")
    }

    /// The progenitor-generated HTTP layer: `mod.rs` and one file per
    /// resource (generated).
    pub(crate) fn generated_client(&self) -> PathBuf {
        self.root.join("crates/seam-api/src/generated")
    }

    /// The request and response bodies, one file per resource (generated).
    pub(crate) fn generated_wire(&self) -> PathBuf {
        self.root.join("crates/seam-api/src/wire")
    }

    /// seam-api's manifest, whose resource features codegen keeps current.
    pub(crate) fn seam_api_readme(&self) -> PathBuf {
        self.root.join("crates/seam-api/README.md")
    }

    pub(crate) fn seam_api_manifest(&self) -> PathBuf {
        self.root.join("crates/seam-api/Cargo.toml")
    }

    /// seam-api-mock's manifest, whose resource features codegen keeps current.
    pub(crate) fn mock_manifest(&self) -> PathBuf {
        self.root.join("crates/seam-api-mock/Cargo.toml")
    }

    /// The README, whose coverage line codegen keeps current.
    pub(crate) fn readme(&self) -> PathBuf {
        self.root.join("README.md")
    }

    /// The httpmock helpers for users' tests: `mod.rs` and
    /// `operations/<resource>.rs` (generated).
    pub(crate) fn generated_mock(&self) -> PathBuf {
        self.root.join("crates/seam-api-mock/src/generated")
    }

    /// The public methods generated from the slice: `mod.rs` and one file
    /// per resource (generated).
    pub(crate) fn generated_resources(&self) -> PathBuf {
        self.root.join("crates/seam-api/src/resources")
    }

    /// The `seam` CLI's command tables and calls: `mod.rs` and one file
    /// per resource (generated).
    pub(crate) fn generated_cli(&self) -> PathBuf {
        self.root.join("crates/seam-cli/src/generated")
    }

    /// One test case per operation, that its sampled 200 body decodes
    /// (generated).
    pub(crate) fn generated_response_tests(&self) -> PathBuf {
        self.root.join("crates/seam-api/tests/generated/responses.rs")
    }

    /// The fuzz targets' lists of types (generated).
    pub(crate) fn generated_fuzz_lists(&self) -> PathBuf {
        self.root.join("fuzz/src/generated.rs")
    }

    /// One schema-snapshot test per generated model (generated).
    pub(crate) fn generated_model_schema_tests(&self) -> PathBuf {
        self.root.join("crates/seam-types/tests/generated/model_schemas.rs")
    }

    /// seam-types' insta snapshots.
    pub(crate) fn seam_types_snapshots(&self) -> PathBuf {
        self.root.join("crates/seam-types/tests/snapshots")
    }

    /// seam-types' generated models, one file per schema (generated).
    pub(crate) fn generated_models(&self) -> PathBuf {
        self.root.join("crates/seam-types/src/generated")
    }

    /// seam-types' manifest, whose model features codegen keeps current.
    pub(crate) fn seam_types_manifest(&self) -> PathBuf {
        self.root.join("crates/seam-types/Cargo.toml")
    }

    /// A published crate's public API, one line per item (written by
    /// `cargo xtask public-api`, read by `cargo xtask semver`).
    pub(crate) fn public_api(&self, package: &str) -> PathBuf {
        self.root.join(self.public_api_relative(package))
    }

    /// The same, relative to the workspace root, as git names it.
    pub(crate) fn public_api_relative(&self, package: &str) -> String {
        format!("crates/{package}/public-api.txt")
    }

    /// What `git ARGS` prints in the workspace, or its error.
    pub(crate) fn git(&self, args: &[&str]) -> Result<String> {
        let output = std::process::Command::new("git")
            .args(args)
            .current_dir(&self.root)
            .output()
            .context("cannot run git")?;
        if !output.status.success() {
            anyhow::bail!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(String::from_utf8(output.stdout)?)
    }

    /// A path relative to the workspace root, for messages.
    pub(crate) fn display<'a>(&self, path: &'a Path) -> std::path::Display<'a> {
        path.strip_prefix(&self.root).unwrap_or(path).display()
    }
}
