//! What the generated unions call: decoding a member by its tag (keeping
//! one that does not match its model as a [`RawMember`]), serializing it
//! with its tag again, and reading a field from a member kept as JSON.

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::tolerant::{Outcome, Reports, Tolerant, kind_of, wrong};
use crate::RawMember;

/// A union's JSON when it is an object (a member of any tag is one);
/// otherwise the outcome for the field that holds it: `null`, or a value
/// of the wrong type.
pub fn union_value<'de, T, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Result<Value, Outcome<T>>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Null => Err(Outcome::Null),
        value @ Value::Object(_) => Ok(value),
        other => Err(wrong("an object", kind_of(&other))),
    })
}

/// The member `json` holds, as `wrap` makes it from its model (which
/// names its odd fields, see [`Tolerant`]); or, when it cannot be that
/// member at all, as `raw` keeps it.
pub fn member<T: Tolerant, U>(
    json: Value,
    tag: &str,
    wrap: fn(T) -> U,
    raw: fn(RawMember) -> U,
    reports: &mut Reports,
) -> U {
    let mark = reports.mark();
    let reason = match T::decode(&json, reports) {
        Ok(Outcome::Value(member)) => return wrap(member),
        Ok(Outcome::Null) => "null".to_owned(),
        Ok(Outcome::Odd(reason)) => reason.to_string(),
        Err(error) => error.to_string(),
    };
    // It is kept whole, so nothing in it is left out.
    reports.truncate(mark);
    raw(RawMember { tag: tag.to_owned(), json, reason })
}

/// A string field of a member kept as JSON.
pub fn raw_str<'v>(json: &'v Value, field: &str) -> Option<&'v str> {
    json.get(field)?.as_str()
}

/// A field of a member kept as JSON, as JSON (`None` when missing or
/// `null`).
pub fn raw_json(json: &Value, field: &str) -> Option<Value> {
    json.get(field).filter(|value| !value.is_null()).cloned()
}

/// A typed field as JSON (`None` when it serializes as `null`), for an
/// accessor whose members type the field differently.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Option<Value> {
    serde_json::to_value(value).ok().filter(|value| !value.is_null())
}

/// A field of a member kept as JSON, decoded as `T`; `None` when it is
/// missing or does not decode.
pub fn raw<T: DeserializeOwned>(json: &Value, field: &str) -> Option<T> {
    T::deserialize(json.get(field)?).ok()
}

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
