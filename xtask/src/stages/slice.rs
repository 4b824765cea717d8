//! Stage 2: keep only the selected operations and the component schemas and
//! security schemes they reach, so everything after this works on kilobytes.

use std::collections::BTreeSet;

use anyhow::{Result, bail};
use serde_json::{Map, Value, json};

const SCHEMA_REF: &str = "#/components/schemas/";

pub(crate) fn slice(spec: &Value, operations: &[String]) -> Result<Value> {
    let paths = spec.get("paths").and_then(Value::as_object);
    let mut kept_paths = Map::new();
    for operation in operations {
        let Some(item) = paths.and_then(|p| p.get(operation)) else {
            bail!(
                "operation `{operation}` in openapi/selection.toml is not in the spec{}",
                suggest(paths, operation)
            );
        };
        kept_paths.insert(operation.clone(), item.clone());
    }

    let schemas = spec.pointer("/components/schemas").and_then(Value::as_object);
    let mut reached = BTreeSet::new();
    let mut pending = Vec::new();
    collect_refs(&Value::Object(kept_paths.clone()), &mut pending)?;
    while let Some(name) = pending.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        let Some(schema) = schemas.and_then(|s| s.get(&name)) else {
            bail!("the spec refers to `{SCHEMA_REF}{name}`, which it does not define");
        };
        collect_refs(schema, &mut pending)?;
    }
    let kept_schemas: Map<String, Value> =
        reached.into_iter().filter_map(|name| Some((name.clone(), schemas?.get(&name)?.clone()))).collect();

    let used_schemes = security_schemes_used(&kept_paths);
    let kept_schemes: Map<String, Value> = spec
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .map(|all| {
            all.iter()
                .filter(|(name, _)| used_schemes.contains(name.as_str()))
                .map(|(name, scheme)| (name.clone(), scheme.clone()))
                .collect()
        })
        .unwrap_or_default();

    Ok(json!({
        "openapi": spec.get("openapi").cloned().unwrap_or(Value::Null),
        "info": spec.get("info").cloned().unwrap_or_else(|| json!({})),
        "servers": spec.get("servers").cloned().unwrap_or_else(|| json!([])),
        "paths": kept_paths,
        "components": {
            "schemas": kept_schemas,
            "securitySchemes": kept_schemes,
        },
    }))
}

/// Pushes every component schema a value refers to. Any other kind of
/// reference is outside what this pipeline slices, so it is an error rather
/// than a dangling pointer in the output.
fn collect_refs(value: &Value, out: &mut Vec<String>) -> Result<()> {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                let Some(name) = reference.as_str().and_then(|r| r.strip_prefix(SCHEMA_REF)) else {
                    bail!("unsupported reference {reference} (only `{SCHEMA_REF}…` is sliced)");
                };
                out.push(name.to_owned());
            }
            map.values().try_for_each(|v| collect_refs(v, out))
        }
        Value::Array(items) => items.iter().try_for_each(|v| collect_refs(v, out)),
        _ => Ok(()),
    }
}

fn security_schemes_used(paths: &Map<String, Value>) -> BTreeSet<&str> {
    paths
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|operation| operation.get("security")?.as_array())
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.keys().map(String::as_str))
        .collect()
}

/// ", did you mean …" with the spec's paths that share the first segment.
fn suggest(paths: Option<&Map<String, Value>>, operation: &str) -> String {
    let group = operation.trim_start_matches('/').split('/').next().unwrap_or("");
    let similar: Vec<&str> = paths
        .into_iter()
        .flat_map(|p| p.keys())
        .filter(|p| !group.is_empty() && p.trim_start_matches('/').split('/').next() == Some(group))
        .map(String::as_str)
        .take(8)
        .collect();
    if similar.is_empty() { String::new() } else { format!("; did you mean one of: {}", similar.join(", ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Value {
        json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a/get": {"post": {"security": [{"key": []}], "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/a"}}}}}}},
                "/b/get": {"post": {"responses": {}}}
            },
            "components": {
                "schemas": {"a": {"properties": {"b": {"$ref": "#/components/schemas/b"}}}, "b": {"type": "string"}, "unused": {}},
                "securitySchemes": {"key": {"type": "http"}, "other": {"type": "http"}}
            }
        })
    }

    #[test]
    fn keeps_the_operation_and_what_it_reaches() {
        let sliced = slice(&spec(), &["/a/get".into()]).unwrap();
        assert_eq!(sliced["paths"].as_object().unwrap().len(), 1);
        let schemas: Vec<&String> = sliced["components"]["schemas"].as_object().unwrap().keys().collect();
        assert_eq!(schemas, ["a", "b"]);
        let schemes: Vec<&String> =
            sliced["components"]["securitySchemes"].as_object().unwrap().keys().collect();
        assert_eq!(schemes, ["key"]);
    }

    #[test]
    fn an_unknown_operation_is_an_error_with_suggestions() {
        let error = slice(&spec(), &["/a/gett".into()]).unwrap_err().to_string();
        assert!(error.contains("`/a/gett`") && error.contains("did you mean one of: /a/get"), "{error}");
    }

    #[test]
    fn a_dangling_or_foreign_reference_is_an_error() {
        let mut broken = spec();
        broken["components"]["schemas"]["a"]["properties"]["b"]["$ref"] = json!("#/components/schemas/nope");
        assert!(slice(&broken, &["/a/get".into()]).unwrap_err().to_string().contains("does not define"));
        broken["components"]["schemas"]["a"]["properties"]["b"]["$ref"] = json!("other.json#/x");
        assert!(
            slice(&broken, &["/a/get".into()]).unwrap_err().to_string().contains("unsupported reference")
        );
    }
}
