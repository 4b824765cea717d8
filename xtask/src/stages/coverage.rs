//! The README's coverage line: how much of the vendored spec is generated.
//! Written between markers in README.md by `cargo xtask codegen`, so it is
//! checked for drift like every other generated text.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use serde_json::Value;

use crate::config::{Upstream, resource_of};

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

/// A documented operation that `selection.toml` does not generate.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Unselected {
    pub(crate) path: String,
    /// Seam's title for it (`x-title`), such as "Merge User Identities".
    pub(crate) title: String,
    /// Why, as `[left_out]` in `selection.toml` states it; `None` when no
    /// reason is given.
    pub(crate) reason: Option<String>,
}

/// Every documented operation that is not selected, by path, each with the
/// reason `left_out` gives (if any). An entry of `left_out` that is not a
/// documented operation is an error, so stale reasons do not pile up.
pub(crate) fn unselected(
    spec: &Value,
    selected: &[String],
    left_out: &BTreeMap<String, String>,
) -> Result<Vec<Unselected>> {
    let documented: BTreeMap<&str, &Value> = documented_operations(spec).collect();
    for path in left_out.keys() {
        if !documented.contains_key(path.as_str()) {
            bail!(
                "openapi/selection.toml: [left_out] names `{path}`, which is not a documented operation of the spec; remove it"
            );
        }
    }
    Ok(documented
        .into_iter()
        .filter(|(path, _)| !selected.iter().any(|s| s == path))
        .map(|(path, post)| Unselected {
            path: path.to_owned(),
            title: post.get("x-title").and_then(Value::as_str).unwrap_or("").to_owned(),
            reason: left_out.get(path).cloned(),
        })
        .collect())
}

/// One SDK operation per path with a POST (the GET twins are the same
/// call), leaving out the undocumented and draft ones, as Seam's official
/// SDKs do.
fn documented_operations(spec: &Value) -> impl Iterator<Item = (&str, &Value)> {
    spec.get("paths").and_then(Value::as_object).into_iter().flatten().filter_map(|(path, item)| {
        let post = item.get("post")?;
        let hidden = post.get("x-undocumented").is_some() || post.get("x-draft").is_some();
        (!hidden).then_some((path.as_str(), post))
    })
}

fn coverage_line(spec: &Value, with_client: &[String], upstream: &Upstream, models: usize) -> String {
    let mut documented: BTreeMap<&str, usize> = BTreeMap::new();
    let mut total = 0;
    for (path, _) in documented_operations(spec) {
        total += 1;
        *documented.entry(resource_of(path)).or_default() += 1;
    }
    let posts = spec.get("paths").and_then(Value::as_object).into_iter().flatten();
    let left_out = posts.filter(|(_, item)| item.get("post").is_some()).count() - total;
    let mut generated: BTreeMap<&str, usize> = BTreeMap::new();
    for path in with_client {
        *generated.entry(resource_of(path)).or_default() += 1;
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn upstream() -> Upstream {
        Upstream {
            package: "@seamapi/types".into(),
            version: "1".into(),
            source: String::new(),
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
    fn unselected_documented_operations_are_named_with_their_title_and_reason() {
        let spec = json!({"paths": {
            "/a/get": {"post": {"x-title": "Get an A"}},
            "/a/merge": {"post": {"x-title": "Merge As"}},
            "/a/old": {"post": {"x-title": "Old"}},
            "/d/hidden": {"post": {"x-undocumented": "internal"}}
        }});
        let left_out = BTreeMap::from([("/a/old".to_owned(), "replaced by /a/get".to_owned())]);
        let found = unselected(&spec, &["/a/get".into()], &left_out).unwrap();
        assert_eq!(
            found,
            [
                Unselected { path: "/a/merge".into(), title: "Merge As".into(), reason: None },
                Unselected {
                    path: "/a/old".into(),
                    title: "Old".into(),
                    reason: Some("replaced by /a/get".into())
                },
            ]
        );
        let stale = BTreeMap::from([("/d/hidden".to_owned(), "why".to_owned())]);
        let error = unselected(&spec, &[], &stale).unwrap_err().to_string();
        assert!(error.contains("`/d/hidden`, which is not a documented operation"), "{error}");
    }

    #[test]
    fn missing_markers_are_an_error() {
        assert!(update_readme("# T\n", &json!({}), &[], &upstream(), 0).is_err());
    }
}
