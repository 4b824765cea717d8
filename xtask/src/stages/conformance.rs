//! Binds the hand-written `seam-types` models to the spec: compares each
//! model's schemars JSON Schema with the spec schema it replaces, property by
//! property, and fails on every difference `openapi/conformance.toml` does
//! not explain.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use anyhow::{Result, bail};
use serde_json::Value;

use crate::config::{Tolerance, Tolerances};

/// The JSON Schema of each Rust type `selection.toml` may name. Adding a
/// model to `seam-types` means adding it here too.
fn model_schema(rust_type: &str) -> Option<Value> {
    let schema = match rust_type {
        "seam_types::ClientSession" => schemars::schema_for!(seam_types::ClientSession),
        "seam_types::ApiErrorResponse" => schemars::schema_for!(seam_types::ApiErrorResponse),
        "seam_types::ApiError" => schemars::schema_for!(seam_types::ApiError),
        _ => return None,
    };
    Some(schema.to_value())
}

/// A property's shape, the same whichever dialect described it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Any,
    Boolean,
    Integer,
    Number,
    /// A string, with its format where it carries meaning (`date-time`).
    String(Option<String>),
    Array(Box<Kind>),
    Object,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::Any => f.write_str("any"),
            Kind::Boolean => f.write_str("boolean"),
            Kind::Integer => f.write_str("integer"),
            Kind::Number => f.write_str("number"),
            Kind::String(None) => f.write_str("string"),
            Kind::String(Some(format)) => write!(f, "string({format})"),
            Kind::Array(items) => write!(f, "array of {items}"),
            Kind::Object => f.write_str("object"),
        }
    }
}

#[derive(Debug)]
struct Property {
    kind: Kind,
    required: bool,
    nullable: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Aspect {
    Type,
    Required,
    Nullable,
}

/// One way a model and its spec schema disagree.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Difference {
    pub(crate) schema: String,
    pub(crate) property: String,
    message: String,
    aspect: Option<(Aspect, String)>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}: {}", self.schema, self.property, self.message)
    }
}

/// Compares every model named in `selection.toml` with its schema in the
/// normalized slice; returns the differences no tolerance explains, and a
/// difference for each tolerance that no longer matches anything (so the
/// file stays true).
pub(crate) fn check(
    document: &Value,
    models: &BTreeMap<String, String>,
    tolerances: &Tolerances,
) -> Result<Vec<Difference>> {
    let mut found = Vec::new();
    for (schema_name, rust_type) in models {
        let Some(spec_schema) = document.pointer(&format!("/components/schemas/{schema_name}")) else {
            // A model for a schema the selected operations do not reach
            // cannot be checked against anything.
            bail!("selection.toml models `{schema_name}`, which no selected operation reaches");
        };
        let Some(model) = model_schema(rust_type) else {
            bail!(
                "selection.toml names `{rust_type}`, which xtask's conformance check does not know; add it to model_schema()"
            );
        };
        found.extend(compare(schema_name, spec_schema, document, &model));
    }

    let mut used = BTreeSet::new();
    let mut unexplained = Vec::new();
    for difference in found {
        match tolerances.tolerances.iter().position(|t| explains(t, &difference)) {
            Some(index) => {
                used.insert(index);
            }
            None => unexplained.push(difference),
        }
    }
    for (index, t) in tolerances.tolerances.iter().enumerate() {
        if !used.contains(&index) {
            unexplained.push(Difference {
                schema: t.schema.clone(),
                property: t.property.clone(),
                message: "conformance.toml tolerates a difference that no longer exists; remove it".into(),
                aspect: None,
            });
        }
    }
    unexplained.sort();
    Ok(unexplained)
}

pub(crate) fn report(differences: &[Difference]) -> Result<()> {
    if differences.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = differences.iter().map(|d| format!("  {d}")).collect();
    bail!(
        "seam-types does not conform to the spec ({} difference(s)); fix the model or document the \
         difference in openapi/conformance.toml:\n{}",
        differences.len(),
        list.join("\n")
    )
}

fn explains(tolerance: &Tolerance, difference: &Difference) -> bool {
    if tolerance.schema != difference.schema || tolerance.property != difference.property {
        return false;
    }
    match &difference.aspect {
        Some((Aspect::Type, model)) => tolerance.kind.as_deref() == Some(model.as_str()),
        Some((Aspect::Required, model)) => {
            tolerance.required.map(|r| r.to_string()).as_deref() == Some(model.as_str())
        }
        Some((Aspect::Nullable, model)) => {
            tolerance.nullable.map(|n| n.to_string()).as_deref() == Some(model.as_str())
        }
        None => false,
    }
}

fn compare(schema_name: &str, spec: &Value, document: &Value, model: &Value) -> Vec<Difference> {
    let spec_properties = spec_properties(spec, document);
    let model_properties = model_properties(model);
    let names: BTreeSet<&String> = spec_properties.keys().chain(model_properties.keys()).collect();
    let difference = |property: &str, message: String, aspect: Option<(Aspect, String)>| Difference {
        schema: schema_name.to_owned(),
        property: property.to_owned(),
        message,
        aspect,
    };

    let mut out = Vec::new();
    for name in names {
        match (spec_properties.get(name), model_properties.get(name)) {
            (Some(_), None) => out.push(difference(name, "in the spec, missing from the model".into(), None)),
            (None, Some(_)) => out.push(difference(name, "in the model, not in the spec".into(), None)),
            (Some(s), Some(m)) => {
                if s.kind != m.kind {
                    out.push(difference(
                        name,
                        format!("type: spec {}, model {}", s.kind, m.kind),
                        Some((Aspect::Type, m.kind.to_string())),
                    ));
                }
                if s.required != m.required {
                    out.push(difference(
                        name,
                        format!("required: spec {}, model {}", s.required, m.required),
                        Some((Aspect::Required, m.required.to_string())),
                    ));
                }
                // An optional property may also accept null in the model
                // (Rust's Option<T> does both); only a required one's
                // nullability is a contract.
                let both_optional = !s.required && !m.required;
                if s.nullable != m.nullable && !(both_optional && m.nullable) {
                    out.push(difference(
                        name,
                        format!("nullable: spec {}, model {}", s.nullable, m.nullable),
                        Some((Aspect::Nullable, m.nullable.to_string())),
                    ));
                }
            }
            (None, None) => {}
        }
    }
    out
}

fn required_set(schema: &Value) -> BTreeSet<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn spec_properties(schema: &Value, document: &Value) -> BTreeMap<String, Property> {
    let required = required_set(schema);
    schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, property)| {
            let property = Property {
                kind: spec_kind(property, document),
                required: required.contains(name.as_str()),
                nullable: property.get("nullable").and_then(Value::as_bool).unwrap_or(false),
            };
            (name.clone(), property)
        })
        .collect()
}

fn spec_kind(schema: &Value, document: &Value) -> Kind {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        return match target.strip_prefix('#').and_then(|pointer| document.pointer(pointer)) {
            Some(resolved) => spec_kind(resolved, document),
            None => Kind::Any,
        };
    }
    match schema.get("type").and_then(Value::as_str) {
        Some(kind) => simple_kind(kind, schema, |items| spec_kind(items, document)),
        None if schema.get("properties").is_some() => Kind::Object,
        None => Kind::Any,
    }
}

fn simple_kind(kind: &str, schema: &Value, items: impl Fn(&Value) -> Kind) -> Kind {
    match kind {
        "boolean" => Kind::Boolean,
        "integer" => Kind::Integer,
        "number" => Kind::Number,
        "string" => Kind::String(
            schema
                .get("format")
                .and_then(Value::as_str)
                .filter(|f| matches!(*f, "date-time" | "date"))
                .map(str::to_owned),
        ),
        "array" => Kind::Array(Box::new(schema.get("items").map(items).unwrap_or(Kind::Any))),
        "object" => Kind::Object,
        _ => Kind::Any,
    }
}

fn model_properties(root: &Value) -> BTreeMap<String, Property> {
    let required = required_set(root);
    root.get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, property)| {
            let (kind, nullable) = model_kind(property, root);
            (name.clone(), Property { kind, required: required.contains(name.as_str()), nullable })
        })
        .collect()
}

/// A schemars (JSON Schema 2020-12) property: `type` may be a list with
/// `"null"`, `$ref` points into `$defs`, `Option<Struct>` is an `anyOf`.
fn model_kind(schema: &Value, root: &Value) -> (Kind, bool) {
    if schema == &Value::Bool(true) {
        return (Kind::Any, true);
    }
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        return match target.strip_prefix('#').and_then(|pointer| root.pointer(pointer)) {
            Some(resolved) => model_kind(resolved, root),
            None => (Kind::Any, false),
        };
    }
    if let Some(variants) = schema.get("anyOf").or_else(|| schema.get("oneOf")).and_then(Value::as_array) {
        let is_null = |v: &Value| v.get("type").and_then(Value::as_str) == Some("null");
        let nullable = variants.iter().any(is_null);
        let others: Vec<&Value> = variants.iter().filter(|v| !is_null(v)).collect();
        return match others.as_slice() {
            [one] => {
                let (kind, inner_nullable) = model_kind(one, root);
                (kind, nullable || inner_nullable)
            }
            _ => (Kind::Any, nullable),
        };
    }
    let (types, nullable): (Vec<&str>, bool) = match schema.get("type") {
        Some(Value::String(kind)) => (vec![kind.as_str()], kind == "null"),
        Some(Value::Array(kinds)) => {
            let kinds: Vec<&str> = kinds.iter().filter_map(Value::as_str).collect();
            let nullable = kinds.contains(&"null");
            (kinds.into_iter().filter(|k| *k != "null").collect(), nullable)
        }
        _ => (Vec::new(), false),
    };
    let kind = match types.as_slice() {
        [kind] => simple_kind(kind, schema, |items| model_kind(items, root).0),
        [] if schema.get("properties").is_some() => Kind::Object,
        _ => Kind::Any,
    };
    (kind, nullable)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::paths::Workspace;

    /// The real models against the real slice: the check `cargo test` runs.
    #[test]
    fn seam_types_conform_to_the_vendored_spec() {
        let workspace = Workspace::locate().unwrap();
        let selection = crate::config::Selection::load(&workspace.selection()).unwrap();
        let tolerances = Tolerances::load(&workspace.conformance()).unwrap();
        let slice: Value =
            serde_json::from_str(&std::fs::read_to_string(workspace.slice()).unwrap()).unwrap();
        let differences = check(&slice, &selection.models, &tolerances).unwrap();
        report(&differences).unwrap_or_else(|e| panic!("{e:#}"));
    }

    fn document(schema: Value) -> Value {
        json!({"components": {"schemas": {"client_session": schema}}})
    }

    fn models() -> BTreeMap<String, String> {
        BTreeMap::from([("client_session".into(), "seam_types::ClientSession".into())])
    }

    fn real_client_session() -> Value {
        let workspace = Workspace::locate().unwrap();
        let slice: Value =
            serde_json::from_str(&std::fs::read_to_string(workspace.slice()).unwrap()).unwrap();
        slice["components"]["schemas"]["client_session"].clone()
    }

    #[test]
    fn lists_each_difference() {
        let mut schema = real_client_session();
        schema["properties"]["new_field"] = json!({"type": "string"});
        schema["properties"]["workspace_id"]["type"] = json!("integer");
        schema["properties"]["customer_key"]["nullable"] = json!(false);
        let found: Vec<String> = check(&document(schema), &models(), &Tolerances::default())
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        for expected in [
            "client_session.new_field: in the spec, missing from the model",
            "client_session.workspace_id: type: spec integer, model string",
            "client_session.device_count: type: spec number, model integer",
            "client_session.expires_at: nullable: spec false, model true",
        ] {
            assert!(found.iter().any(|f| f == expected), "{expected} not in {found:#?}");
        }
        // Option<T> on a property optional on both sides is not a difference.
        assert!(!found.iter().any(|f| f.starts_with("client_session.customer_key")), "{found:#?}");
    }

    #[test]
    fn a_stale_tolerance_is_reported() {
        let tolerances: Tolerances = toml::from_str(
            "[[tolerance]]\nschema = \"client_session\"\nproperty = \"workspace_id\"\ntype = \"integer\"\nreason = \"x\"\n",
        )
        .unwrap();
        let found = check(&document(real_client_session()), &models(), &tolerances).unwrap();
        assert!(found.iter().any(|d| d.property == "workspace_id" && d.message.contains("no longer exists")));
    }

    #[test]
    fn an_unknown_model_is_an_error() {
        let models = BTreeMap::from([("client_session".into(), "seam_types::Nope".into())]);
        let error = check(&document(real_client_session()), &models, &Tolerances::default()).unwrap_err();
        assert!(error.to_string().contains("does not know"));
    }
}
