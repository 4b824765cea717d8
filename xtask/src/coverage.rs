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
    selected: &[String],
    upstream: &Upstream,
) -> Result<String> {
    let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
        bail!("README.md lacks the coverage markers `{START}` … `{END}`");
    };
    if end < start {
        bail!("README.md's coverage markers are out of order");
    }
    let line = coverage_line(spec, selected, upstream);
    Ok(format!("{}{START}\n{line}\n{}", &readme[..start], &readme[end..]))
}

fn coverage_line(spec: &Value, selected: &[String], upstream: &Upstream) -> String {
    // One SDK operation per path with a POST (the GET twins are the same call).
    let mut in_spec: BTreeMap<&str, usize> = BTreeMap::new();
    let mut total = 0;
    for (path, item) in spec.get("paths").and_then(Value::as_object).into_iter().flatten() {
        if item.get("post").is_some() {
            total += 1;
            *in_spec.entry(group(path)).or_default() += 1;
        }
    }
    let mut generated: BTreeMap<&str, usize> = BTreeMap::new();
    for path in selected {
        *generated.entry(group(path)).or_default() += 1;
    }
    let groups: Vec<String> = generated
        .iter()
        .map(|(group, n)| format!("`/{group}` {n}/{}", in_spec.get(group).copied().unwrap_or(0)))
        .collect();
    format!(
        "Coverage: **{} of {total}** operations in the vendored spec ({} {}) are generated; by resource: {}.",
        selected.len(),
        upstream.package,
        upstream.version,
        groups.join(", ")
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
        let spec = json!({"paths": {"/a/get": {"post": {}}, "/a/list": {"get": {}, "post": {}}, "/b/x": {"post": {}}, "/c": {"get": {}}}});
        let readme = format!("# T\n{START}\nold\n{END}\nrest\n");
        let updated = update_readme(&readme, &spec, &["/a/get".into()], &upstream()).unwrap();
        assert_eq!(
            updated,
            format!(
                "# T\n{START}\nCoverage: **1 of 3** operations in the vendored spec (@seamapi/types 1) are generated; by resource: `/a` 1/2.\n{END}\nrest\n"
            )
        );
    }

    #[test]
    fn missing_markers_are_an_error() {
        assert!(update_readme("# T\n", &json!({}), &[], &upstream()).is_err());
    }
}
