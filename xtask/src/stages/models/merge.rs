//! Merging object schemas: the members of an `allOf`, the members of a
//! `oneOf` that is not a tagged union, and the members of a union that
//! share a tag value.

use std::collections::BTreeMap;

use anyhow::{Result, ensure};

use super::types::{ALIASES, RESPONSE_KEY};
use serde_json::{Map, Value, json};

#[derive(Clone, Copy)]
pub(super) enum Required {
    Intersection,
    Union,
}

/// One object schema from several: the union of the properties (a property
/// in several members merged with [`merge_property`]) and the intersection
/// or union of what they require.
pub(super) fn merge_objects<'v>(members: impl Iterator<Item = &'v Value>, mode: Required) -> Result<Value> {
    let members: Vec<&Value> = members.collect();
    let mut properties: Map<String, Value> = Map::new();
    let mut order: Vec<String> = Vec::new();
    let mut seen: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for member in &members {
        for (name, property) in member.get("properties").and_then(Value::as_object).into_iter().flatten() {
            if !seen.contains_key(name) {
                order.push(name.clone());
            }
            seen.entry(name.clone()).or_default().push(property.clone());
        }
    }
    for name in order {
        let variants = seen.remove(&name).unwrap_or_default();
        properties.insert(name, merge_property(&variants)?);
    }
    // In the order the members list them (the first member's order for an
    // intersection): the facade passes required fields in Seam's order.
    let required_lists: Vec<Vec<String>> = members.iter().map(|m| required_of(m)).collect();
    let required: Vec<String> = match mode {
        Required::Intersection => required_by_all(&required_lists),
        Required::Union => {
            let mut all: Vec<String> = Vec::new();
            for name in required_lists.into_iter().flatten() {
                if !all.contains(&name) {
                    all.push(name);
                }
            }
            all
        }
    };
    let mut merged = json!({"type": "object", "properties": properties, "required": required});
    if let Some(description) = members.iter().find_map(|m| m.get("description")) {
        merged["description"] = description.clone();
    }
    Ok(merged)
}

/// A schema's `required` list, in its order.
pub(crate) fn required_of(schema: &Value) -> Vec<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The names every list has, in the first list's order.
pub(crate) fn required_by_all(lists: &[Vec<String>]) -> Vec<String> {
    let mut common: Vec<String> = Vec::new();
    for name in lists.first().into_iter().flatten() {
        if lists.iter().all(|list| list.contains(name)) && !common.contains(name) {
            common.push(name.clone());
        }
    }
    common
}

/// One property schema from the shapes several members give it: untyped
/// shapes (`{"nullable": true}`, a pending action attempt's `result`) only
/// add nullability; string enums join their values; objects merge; any
/// other disagreement is typed as any JSON.
fn merge_property(variants: &[Value]) -> Result<Value> {
    let is_untyped = |v: &Value| {
        ["type", "properties", "oneOf", "allOf", "$ref", "enum", "items"].iter().all(|k| v.get(k).is_none())
    };
    let any_nullable = variants.iter().any(|v| nullable(v) || is_untyped(v));
    let typed: Vec<&Value> = variants.iter().filter(|v| !is_untyped(v)).collect();
    let mut merged = match typed.as_slice() {
        [] => variants.first().cloned().unwrap_or(Value::Null),
        [one] => (*one).clone(),
        [first, rest @ ..] if rest.iter().all(|v| strip(v) == strip(first)) => (*first).clone(),
        many if many.iter().all(|v| v.get("enum").is_some() && v.get("type") == Some(&json!("string"))) => {
            let mut values: Vec<Value> = Vec::new();
            for value in many.iter().flat_map(|v| v["enum"].as_array().into_iter().flatten()) {
                if !values.contains(value) {
                    values.push(value.clone());
                }
            }
            let mut merged = (*many[0]).clone();
            merged["enum"] = Value::Array(values);
            merged
        }
        many if many.iter().all(|v| v.get("properties").is_some()) => {
            merge_objects(many.iter().copied(), Required::Intersection)?
        }
        many => {
            let mut any = json!({});
            if let Some(d) = many[0].get("description") {
                any["description"] = d.clone();
            }
            any
        }
    };
    if any_nullable && merged.is_object() {
        merged["nullable"] = Value::Bool(true);
    }
    Ok(merged)
}

/// An `allOf` as one object: every member's properties, all required. A
/// member that is a `oneOf` of objects is merged first, as Seam's own
/// generator merges one (union of properties, intersection of required).
pub(super) fn merge_all_of(schema: &Value) -> Result<Value> {
    fn flatten(schema: &Value, out: &mut Vec<Value>) -> Result<()> {
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            return members.iter().try_for_each(|m| flatten(m, out));
        }
        if let Some(members) = schema.get("oneOf").and_then(Value::as_array) {
            let mut objects = Vec::new();
            members.iter().try_for_each(|m| flatten(m, &mut objects))?;
            out.push(merge_objects(objects.iter(), Required::Intersection)?);
            return Ok(());
        }
        let is_object = schema.get("properties").is_some() || schema.get("type") == Some(&json!("object"));
        ensure!(is_object, "an allOf member is not an object with properties: {}", excerpt(schema));
        out.push(schema.clone());
        Ok(())
    }
    let mut members = Vec::new();
    flatten(schema, &mut members)?;
    let mut merged = merge_objects(members.iter(), Required::Union)?;
    match schema.get("description") {
        Some(d) => merged["description"] = d.clone(),
        None => {
            if let Some(map) = merged.as_object_mut() {
                map.remove("description");
            }
        }
    }
    Ok(merged)
}

pub(super) fn excerpt(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(120) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// A schema's structure without its prose, so identical shapes documented
/// in different words are one type.
pub(super) fn strip(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                // What a hoisted body returns, and under which names, is
                // part of its shape.
                .filter(|(k, _)| {
                    *k != "description" && (!k.starts_with("x-") || *k == RESPONSE_KEY || *k == ALIASES)
                })
                .map(|(k, v)| {
                    let v = if k == "properties" {
                        Value::Object(
                            v.as_object()
                                .into_iter()
                                .flatten()
                                .map(|(name, p)| (name.clone(), strip(p)))
                                .collect(),
                        )
                    } else {
                        strip(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip).collect()),
        other => other.clone(),
    }
}

/// Whether a schema allows `null`.
pub(super) fn nullable(schema: &Value) -> bool {
    schema.get("nullable").and_then(Value::as_bool).unwrap_or(false)
}
