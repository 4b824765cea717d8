//! Support code the generated models (and seam-api's generated request
//! types) call. Public only so that generated code in other crates can reach
//! it; not part of the API.

use serde::Serialize;
use serde_json::Value;

/// The tag of a union member as sent (`""` when it is missing or not a
/// string, which matches no member and so decodes as `Unknown`).
pub fn union_tag_of<'v>(value: &'v Value, tag: &str) -> &'v str {
    value.get(tag).and_then(Value::as_str).unwrap_or("")
}

/// Serializes a union member (whose struct has no tag field) with its tag.
pub fn serialize_tagged<S: serde::Serializer, T: Serialize>(
    serializer: S,
    tag: &str,
    value: &str,
    member: &T,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(member).map_err(serde::ser::Error::custom)?;
    if let Value::Object(map) = &mut json {
        map.insert(tag.to_owned(), Value::String(value.to_owned()));
    }
    json.serialize(serializer)
}

/// The JSON Schema of a tagged union: one member per known tag value, or
/// any object with another tag.
#[cfg(feature = "schemars")]
pub fn union_schema(tag: &str, members: Vec<(&str, schemars::Schema)>) -> schemars::Schema {
    let known: Vec<&str> = members.iter().map(|(value, _)| *value).collect();
    let mut any_of: Vec<Value> = members
        .into_iter()
        .map(|(value, schema)| {
            serde_json::json!({"allOf": [schema, {"properties": {tag: {"const": value}}, "required": [tag]}]})
        })
        .collect();
    any_of.push(serde_json::json!({"type": "object", "properties": {tag: {"not": {"enum": known}}}}));
    schemars::json_schema!({ "anyOf": any_of })
}

/// The JSON Schema of an open enum: any string; the known ones listed.
#[cfg(feature = "schemars")]
pub fn open_enum_schema(known: &[&str]) -> schemars::Schema {
    schemars::json_schema!({
        "anyOf": [{"type": "string", "enum": known}, {"type": "string"}],
    })
}
