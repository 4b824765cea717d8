//! The README's coverage line: how much of the vendored spec is generated.
//! Written between markers in README.md by `cargo xtask codegen`, so it is
//! checked for drift like every other generated text.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use serde_json::Value;

use crate::config::Upstream;

const START: &str = "<!-- coverage:start (cargo xtask codegen) -->";
const END: &str = "<!-- coverage:end -->";

/// `readme` with the text between the coverage markers replaced.
pub(crate) fn update_readme(
    readme: &str,
    spec: &Value,
    with_client: &[String],
    upstream: &Upstream,
    models: usize,
) -> Result<String> {
    let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
        bail!("README.md lacks the coverage markers `{START}` … `{END}`");
    };
    if end < start {
        bail!("README.md's coverage markers are out of order");
    }
    let line = coverage_line(spec, with_client, upstream, models);
    Ok(format!("{}{START}\n{line}\n{}", &readme[..start], &readme[end..]))
}

fn coverage_line(spec: &Value, with_client: &[String], upstream: &Upstream, models: usize) -> String {
    // One SDK operation per path with a POST (the GET twins are the same
    // call). Seam's official SDKs leave out undocumented and draft ones.
    let mut documented: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut total, mut left_out) = (0, 0);
    for (path, item) in spec.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let Some(post) = item.get("post") else { continue };
        if post.get("x-undocumented").is_some() || post.get("x-draft").is_some() {
            left_out += 1;
        } else {
            total += 1;
            *documented.entry(group(path)).or_default() += 1;
        }
    }
    let mut generated: BTreeMap<&str, usize> = BTreeMap::new();
    for path in with_client {
        *generated.entry(group(path)).or_default() += 1;
    }
    let groups: Vec<String> = generated
        .iter()
        .map(|(group, n)| format!("`/{group}` {n}/{}", documented.get(group).copied().unwrap_or(0)))
        .collect();
    format!(
        "Coverage ({} {}): client methods for **{} of {total}** documented operations ({}); \
         models for every schema the documented operations reach ({models} generated in seam-types). \
         The spec's {left_out} undocumented or draft operations are left out, as Seam's official SDKs leave them out.",
        upstream.package,
        upstream.version,
        with_client.len(),
        groups.join(", "),
    )
}

fn group(path: &str) -> &str {
    path.trim_start_matches('/').split('/').next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn upstream() -> Upstream {
        Upstream {
            package: "@seamapi/types".into(),
            version: "1".into(),
            export: String::new(),
            sha256: String::new(),
        }
    }

    #[test]
    fn replaces_only_the_marked_line() {
        let spec = json!({"paths": {
            "/a/get": {"post": {}}, "/a/list": {"get": {}, "post": {}}, "/b/x": {"post": {}}, "/c": {"get": {}},
            "/d/hidden": {"post": {"x-undocumented": "internal"}}
        }});
        let readme = format!("# T\n{START}\nold\n{END}\nrest\n");
        let updated = update_readme(&readme, &spec, &["/a/get".into()], &upstream(), 5).unwrap();
        assert_eq!(
            updated,
            format!(
                "# T\n{START}\nCoverage (@seamapi/types 1): client methods for **1 of 3** documented operations \
                 (`/a` 1/2); models for every schema the documented operations reach (5 generated in seam-types). \
                 The spec's 1 undocumented or draft operations are left out, as Seam's official SDKs leave them out.\n{END}\nrest\n"
            )
        );
    }

    #[test]
    fn missing_markers_are_an_error() {
        assert!(update_readme("# T\n", &json!({}), &[], &upstream(), 0).is_err());
    }
}
