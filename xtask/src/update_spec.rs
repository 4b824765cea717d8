//! `cargo xtask update-spec`: re-vendor Seam's OpenAPI description from the
//! npm package that ships it. The only command that needs node and npm.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::config::Upstream;
use crate::load::sha256_hex;
use crate::paths::Workspace;

const PACKAGE: &str = "@seamapi/types";
const EXPORT: &str = "lib/seam/connect/openapi.js";

pub fn run(workspace: &Workspace, version: &str) -> Result<()> {
    let scratch = std::env::temp_dir().join(format!("seam-update-spec-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let result = fetch(&scratch, version);
    let _ = std::fs::remove_dir_all(&scratch);
    let (installed_version, document) = result?;

    // serde_json sorts keys and fixes the indentation, so a re-vendor of the
    // same version is byte-identical and a new version diffs cleanly.
    let mut text = serde_json::to_string_pretty(&document)?;
    text.push('\n');
    let upstream = Upstream {
        package: PACKAGE.into(),
        version: installed_version,
        export: format!("{EXPORT} (default export)"),
        sha256: sha256_hex(text.as_bytes()),
    };
    std::fs::write(workspace.spec(), &text)?;
    std::fs::write(
        workspace.upstream(),
        format!(
            "# Where openapi/seam-connect.json comes from. Written by `cargo xtask update-spec`;\n\
             # `cargo xtask codegen` refuses a spec whose sha256 differs.\n{}",
            toml::to_string(&upstream)?
        ),
    )?;
    println!(
        "update-spec: vendored {PACKAGE} {} ({} bytes); now run `cargo xtask codegen`",
        upstream.version,
        text.len()
    );
    Ok(())
}

fn fetch(scratch: &Path, version: &str) -> Result<(String, Value)> {
    std::fs::write(scratch.join("package.json"), "{\"private\": true}\n")?;
    let spec = format!("{PACKAGE}@{version}");
    run_tool(
        Command::new("npm")
            .args(["install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund", &spec])
            .current_dir(scratch),
        "npm install",
    )?;
    let package_json: Value = serde_json::from_slice(
        &std::fs::read(scratch.join("node_modules").join(PACKAGE).join("package.json"))
            .context("npm did not install the package")?,
    )?;
    let installed_version =
        package_json["version"].as_str().context("package.json has no version")?.to_owned();

    let script = format!(
        "import spec from './node_modules/{PACKAGE}/{EXPORT}'; process.stdout.write(JSON.stringify(spec))"
    );
    let dumped = run_tool(
        Command::new("node").args(["--input-type=module", "-e", &script]).current_dir(scratch),
        "node",
    )?;
    let document: Value =
        serde_json::from_slice(&dumped).context("the package's export is not JSON-serialisable")?;
    Ok((installed_version, document))
}

fn run_tool(command: &mut Command, name: &str) -> Result<Vec<u8>> {
    let output = command.output().with_context(|| format!("cannot run {name}; is it installed?"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
        bail!("{name} failed ({}): {last}", output.status);
    }
    Ok(output.stdout)
}
