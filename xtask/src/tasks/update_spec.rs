//! `cargo xtask update-spec`: vendor Seam's OpenAPI description, from the
//! npm package that ships it (`--version V`) or from a file (`--file PATH`,
//! such as one built from Seam's tagged source), and record where it came
//! from in `openapi/upstream.toml`. Only the npm route needs node and npm.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;

use crate::config::Upstream;
use crate::paths::Workspace;
use crate::stages::load::sha256_hex;

const PACKAGE: &str = "@seamapi/types";
const EXPORT: &str = "lib/seam/connect/openapi.js";

/// Where the new spec comes from.
#[derive(Debug)]
pub enum SpecSource {
    /// `@seamapi/types` at this version (or dist-tag, such as `latest`),
    /// installed from npm.
    Npm {
        /// The version or dist-tag to install.
        version: String,
    },
    /// An OpenAPI description on disk.
    File {
        /// Its path.
        path: PathBuf,
        /// The `@seamapi/types` version it is; read from the file name
        /// (`seam-connect-1.1038.0.json`) when not given.
        version: Option<String>,
    },
}

pub fn run(workspace: &Workspace, source: SpecSource) -> Result<()> {
    let (version, origin, document) = match source {
        SpecSource::Npm { version } => {
            let (installed, document) = from_npm(&version)?;
            let origin = format!("npm {PACKAGE}@{installed}, {EXPORT} (default export)");
            (installed, origin, document)
        }
        SpecSource::File { path, version } => {
            let version = match version {
                Some(version) => version,
                None => version_in_name(&path).with_context(|| {
                    format!(
                        "{} does not name its {PACKAGE} version (as in seam-connect-1.1038.0.json); give it with --version",
                        path.display()
                    )
                })?,
            };
            let document = from_file(&path)?;
            // Recorded as given: relative to the workspace when it is inside
            // or beside it, so the line reads the same on every machine.
            let shown = path.canonicalize().unwrap_or(path.clone());
            let shown = relative_to(&shown, workspace.root()).unwrap_or(shown);
            (version, format!("file {}", shown.display()), document)
        }
    };
    let previous = Upstream::load(&workspace.upstream()).ok();
    let text = serialise(&document)?;
    let upstream =
        Upstream { package: PACKAGE.into(), version, source: origin, sha256: sha256_hex(text.as_bytes()) };
    std::fs::write(workspace.spec(), &text)?;
    std::fs::write(workspace.upstream(), upstream_toml(&upstream)?)?;
    let was = previous.map(|p| format!(" (was {})", p.version)).unwrap_or_default();
    println!(
        "update-spec: vendored {PACKAGE} {}{was} from {} ({} bytes); now run `cargo xtask codegen --snapshots`, then `cargo xtask semver`",
        upstream.version,
        upstream.source,
        text.len()
    );
    Ok(())
}

/// The spec as `openapi/seam-connect.json` holds it: serde_json sorts keys
/// and fixes the indentation, so a re-vendor of the same version is
/// byte-identical and a new version diffs cleanly.
fn serialise(document: &Value) -> Result<String> {
    let mut text = serde_json::to_string_pretty(document)?;
    text.push('\n');
    Ok(text)
}

pub(crate) fn upstream_toml(upstream: &Upstream) -> Result<String> {
    Ok(format!(
        "# Where openapi/seam-connect.json comes from. Written by `cargo xtask update-spec`\n\
         # (--version V from npm, or --file PATH); `cargo xtask codegen` refuses a spec whose\n\
         # sha256 differs, so update the spec with that command rather than by hand.\n{}",
        toml::to_string(upstream)?
    ))
}

fn from_file(path: &Path) -> Result<Value> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let document: Value =
        serde_json::from_slice(&bytes).with_context(|| format!("{} is not JSON", path.display()))?;
    check_openapi(&document)
        .with_context(|| format!("{} is not a Seam Connect OpenAPI description", path.display()))?;
    Ok(document)
}

/// What codegen needs of any spec, checked before anything is written.
fn check_openapi(document: &Value) -> Result<()> {
    let version = document.get("openapi").and_then(Value::as_str).unwrap_or("");
    ensure!(version.starts_with("3.0."), "its `openapi` is {version:?}, and codegen reads only 3.0");
    ensure!(
        document.get("paths").and_then(Value::as_object).is_some_and(|paths| !paths.is_empty()),
        "it has no `paths`"
    );
    Ok(())
}

/// `1.1038.0` from `seam-connect-1.1038.0.json`.
fn version_in_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    stem.split(['-', '_', '@'])
        .rev()
        .find(|part| {
            part.split('.').count() >= 3
                && part.split('.').all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
        .map(str::to_owned)
}

fn relative_to(path: &Path, root: &Path) -> Option<PathBuf> {
    if let Ok(inside) = path.strip_prefix(root) {
        return Some(inside.to_path_buf());
    }
    // Beside the workspace, as `../shared/specs/…` is.
    let parent = root.parent()?;
    path.strip_prefix(parent).ok().map(|beside| Path::new("..").join(beside))
}

fn from_npm(version: &str) -> Result<(String, Value)> {
    let scratch = std::env::temp_dir().join(format!("seam-update-spec-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let result = install(&scratch, version);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn install(scratch: &Path, version: &str) -> Result<(String, Value)> {
    std::fs::write(scratch.join("package.json"), "{\"private\": true}\n")?;
    let spec = format!("{PACKAGE}@{version}");
    run_tool(
        Command::new("npm")
            .args(["install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund", &spec])
            .current_dir(scratch),
        &format!("npm install {spec}"),
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
    check_openapi(&document)
        .with_context(|| format!("{PACKAGE}@{installed_version} does not export an OpenAPI description"))?;
    Ok((installed_version, document))
}

fn run_tool(command: &mut Command, name: &str) -> Result<Vec<u8>> {
    let output = command.output().with_context(|| format!("cannot run {name}; is it installed?"))?;
    if !output.status.success() {
        bail!("{name} failed ({}): {}", output.status, tool_error(&String::from_utf8_lossy(&output.stderr)));
    }
    Ok(output.stdout)
}

/// The cause in npm's error output, not its last line ("A complete log of
/// this run can be found in…"): `npm error code ETARGET` then `npm error
/// notarget No matching version found for …` gives `ETARGET: No matching
/// version found for …`. Any other tool's output: its last line.
fn tool_error(stderr: &str) -> String {
    let mut code = None;
    let mut message = None;
    for line in stderr.lines() {
        let Some(rest) = line.strip_prefix("npm error ").or_else(|| line.strip_prefix("npm ERR! ")) else {
            continue;
        };
        let rest = rest.trim();
        let (first, tail) = rest.split_once(' ').unwrap_or((rest, ""));
        match first {
            "code" => code = code.or(Some(tail.trim())),
            "syscall" | "errno" | "path" | "A" | "Log" | "" => {}
            // `notarget …`, `404 …`, `network …`: a category, then the cause.
            category if message.is_none() && !tail.trim().is_empty() => {
                let is_category = category.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
                message = Some(if is_category { tail.trim() } else { rest });
            }
            _ => {}
        }
    }
    match (code, message) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (None, Some(message)) => message.to_owned(),
        _ => stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("(no output)").trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_failures_say_why() {
        let no_such_version = "npm error code ETARGET\n\
             npm error notarget No matching version found for @seamapi/types@1.1038.0.\n\
             npm error notarget In most cases you or one of your dependencies are requesting a package version that doesn't exist.\n\
             npm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log\n";
        assert_eq!(
            tool_error(no_such_version),
            "ETARGET: No matching version found for @seamapi/types@1.1038.0."
        );
        let offline = "npm error code ENOTFOUND\nnpm error syscall getaddrinfo\nnpm error errno ENOTFOUND\n\
             npm error network request to https://registry.example/@seamapi%2ftypes failed, reason: getaddrinfo ENOTFOUND registry.example\n\
             npm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log\n";
        assert_eq!(
            tool_error(offline),
            "ENOTFOUND: request to https://registry.example/@seamapi%2ftypes failed, reason: getaddrinfo ENOTFOUND registry.example"
        );
        assert_eq!(tool_error("node: something broke\n\n"), "node: something broke");
    }

    #[test]
    fn a_file_name_gives_its_version() {
        assert_eq!(
            version_in_name(Path::new("../shared/specs/seam-connect-1.1038.0.json")).as_deref(),
            Some("1.1038.0")
        );
        assert_eq!(version_in_name(Path::new("spec.json")), None);
        assert_eq!(version_in_name(Path::new("seam-connect-v2.json")), None);
    }

    #[test]
    fn a_file_that_is_not_an_openapi_description_is_refused() {
        let dir = std::env::temp_dir().join(format!("xtask-update-spec-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("spec.json");
        std::fs::write(&path, r#"{"openapi": "2.0", "paths": {}}"#).unwrap();
        let error = format!("{:#}", from_file(&path).unwrap_err());
        assert!(
            error.contains("is not a Seam Connect OpenAPI description") && error.contains("\"2.0\""),
            "{error}"
        );
        std::fs::write(&path, "not json").unwrap();
        assert!(format!("{:#}", from_file(&path).unwrap_err()).contains("is not JSON"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn paths_beside_the_workspace_are_recorded_relative_to_it() {
        let root = Path::new("/work/main");
        assert_eq!(
            relative_to(Path::new("/work/shared/specs/a.json"), root).unwrap(),
            Path::new("../shared/specs/a.json")
        );
        assert_eq!(
            relative_to(Path::new("/work/main/openapi/a.json"), root).unwrap(),
            Path::new("openapi/a.json")
        );
    }
}
