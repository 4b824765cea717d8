//! JSON samples made from the spec's schemas (the normalized slice that
//! codegen reads), for tests that decode what no server was ever recorded
//! sending: every operation's 200 body, and every member of a union.
//!
//! Shared by seam-types' and seam-api's tests (`#[path]`), since both
//! decode samples of the same slice.

#![allow(dead_code)] // each suite uses its own subset

use serde_json::{Map, Value, json};

/// Which properties a sample has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Every property the schema lists.
    Every,
    /// Only the ones it requires.
    Required,
}

/// The slice's component schemas.
pub struct Spec {
    schemas: Map<String, Value>,
}

/// A date-time, as Seam writes them.
const DATE_TIME: &str = "2025-01-01T00:00:00.000Z";

/// How deep a sample nests before it stops at empty values; the slice has
/// no cycles, so this is only a guard.
const MAX_DEPTH: usize = 24;

impl Spec {
    /// The checked-in slice, `openapi/seam-connect.slice.json`.
    pub fn load() -> Self {
        let path = format!("{}/../../openapi/seam-connect.slice.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let slice: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let schemas = slice["components"]["schemas"].as_object().cloned().unwrap_or_default();
        Self { schemas }
    }

    /// A component schema by name.
    pub fn schema(&self, component: &str) -> &Value {
        self.schemas.get(component).unwrap_or_else(|| panic!("the slice has no schema `{component}`"))
    }

    /// A sample of `component`. Each `oneOf` outside a list takes its
    /// member number `choice` (modulo its length); a list holds one item
    /// per member of its items' `oneOf`, so one sample reaches every member
    /// of a listed union.
    pub fn sample(&self, component: &str, mode: Mode, choice: usize) -> Value {
        self.value(self.schema(component), mode, choice, 0)
    }

    /// How many choices reach every member of every `oneOf` outside a list
    /// in `component`: the largest such `oneOf`.
    pub fn choices(&self, component: &str) -> usize {
        self.widest(self.schema(component), 0).max(1)
    }

    /// One sample (of every property) per member of the union `component`.
    pub fn members(&self, component: &str) -> Vec<Value> {
        self.flat_members(self.schema(component))
            .iter()
            .map(|member| self.value(member, Mode::Every, 0, 0))
            .collect()
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => self.schema(reference.trim_start_matches("#/components/schemas/")),
            None => schema,
        }
    }

    /// A `oneOf`'s members, nested `oneOf`s flattened.
    fn flat_members<'a>(&'a self, schema: &'a Value) -> Vec<&'a Value> {
        let schema = self.resolve(schema);
        match schema.get("oneOf").and_then(Value::as_array) {
            Some(members) => members.iter().flat_map(|m| self.flat_members(m)).collect(),
            None => vec![schema],
        }
    }

    fn widest(&self, schema: &Value, depth: usize) -> usize {
        if depth > MAX_DEPTH {
            return 0;
        }
        let schema = self.resolve(schema);
        let mut widest = 0;
        if schema.get("oneOf").is_some() {
            let members = self.flat_members(schema);
            widest = members.len();
            for member in members {
                widest = widest.max(self.widest(member, depth + 1));
            }
        }
        for member in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            widest = widest.max(self.widest(member, depth + 1));
        }
        for property in
            schema.get("properties").and_then(Value::as_object).into_iter().flat_map(|p| p.values())
        {
            widest = widest.max(self.widest(property, depth + 1));
        }
        // A list's items all appear in one sample; only what they hold counts.
        if let Some(items) = schema.get("items") {
            for member in self.flat_members(items) {
                for property in
                    member.get("properties").and_then(Value::as_object).into_iter().flat_map(|p| p.values())
                {
                    widest = widest.max(self.widest(property, depth + 1));
                }
            }
        }
        widest
    }

    fn value(&self, schema: &Value, mode: Mode, choice: usize, depth: usize) -> Value {
        let schema = self.resolve(schema);
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        if schema.get("oneOf").is_some() {
            let members = self.flat_members(schema);
            return self.value(members[choice % members.len()], mode, choice, depth + 1);
        }
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            for member in members {
                if let Value::Object(part) = self.value(member, mode, choice, depth + 1) {
                    merged.extend(part);
                }
            }
            return Value::Object(merged);
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return values.first().cloned().unwrap_or(Value::Null);
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("string") => match schema.get("format").and_then(Value::as_str) {
                Some("date-time") => json!(DATE_TIME),
                Some("email") => json!("jane@example.com"),
                Some("uri") => json!("https://example.com/sample"),
                _ => json!("sample"),
            },
            Some("integer") => json!(1),
            // Whole, as the counts the spec types as numbers always are.
            Some("number") => json!(2.0),
            Some("boolean") => json!(true),
            Some("array") => {
                let items = schema.get("items").unwrap_or(&Value::Null);
                if items.is_null() {
                    return json!(["sample"]);
                }
                let members = self.flat_members(items);
                Value::Array(members.iter().map(|m| self.value(m, mode, choice, depth + 1)).collect())
            }
            Some("object") | None if schema.get("properties").is_some() => {
                let required: Vec<&str> = schema
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let mut object = Map::new();
                for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                    if mode == Mode::Required && !required.contains(&name.as_str()) {
                        continue;
                    }
                    object.insert(name.clone(), self.value(property, mode, choice, depth + 1));
                }
                Value::Object(object)
            }
            Some("object") => match schema.get("additionalProperties") {
                Some(values) if values.as_object().is_some_and(|v| !v.is_empty()) => {
                    json!({ "sample_key": self.value(values, mode, choice, depth + 1) })
                }
                _ => json!({ "sample_key": "sample" }),
            },
            // Only `null` (a pending action attempt's `error`, typed in the
            // members that have one), or any JSON.
            _ if schema.get("nullable") == Some(&Value::Bool(true)) => Value::Null,
            _ => json!("sample"),
        }
    }
}
