//! Decoding and encoding the generated structs, written once here rather
//! than derived per struct: each struct says which fields the spec requires
//! ([`Model::REQUIRED`]), and a required field that is absent decodes as
//! its default and is named in [`Absent`]; serializing leaves it out again.
//! Compared with serde's derive, a struct carries one key match and one
//! field match, and no sequence visitor.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use crate::Absent;

/// A generated struct, as [`deserialize`] reads it.
pub trait Model: Default {
    /// The type's name, for error messages.
    const NAME: &'static str;
    /// Each field's JSON name, in declaration order.
    const FIELDS: &'static [&'static str];
    /// The fields the spec requires, by index into [`FIELDS`](Self::FIELDS).
    const REQUIRED: &'static [Required];

    /// The index of the field whose JSON name is `key`.
    fn field_index(key: &str) -> Option<usize>;

    /// Decodes the map's next value into field `index`; `false` when it
    /// was `null`, which leaves the field at its default.
    fn decode_field<'de, A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<bool, A::Error>;

    /// Where the absent required fields are recorded.
    fn absent_mut(&mut self) -> &mut Absent;
}

/// How a required field's absence shows, by its index in
/// [`Model::FIELDS`].
#[derive(Clone, Copy, Debug)]
pub enum Required {
    /// Absent when missing or `null`: `null` is not one of its values.
    Field(usize),
    /// Absent when missing: `null` is one of its values (a nullable
    /// field, or any JSON).
    Nullable(usize),
    /// Without it the body is not the documented one (a response's
    /// `x-response-key`): missing or `null` is an error.
    Essential(usize),
}

/// The most fields a model may have; codegen refuses a schema with more.
const MAX_FIELDS: usize = 256;

/// Which fields were seen, by index.
#[derive(Default)]
struct Seen([u64; MAX_FIELDS / 64]);

impl Seen {
    fn insert(&mut self, index: usize) {
        if let Some(word) = self.0.get_mut(index / 64) {
            *word |= 1 << (index % 64);
        }
    }

    fn contains(&self, index: usize) -> bool {
        // Beyond the limit every field counts as seen, so none is
        // reported absent by mistake.
        self.0.get(index / 64).is_none_or(|word| word & (1 << (index % 64)) != 0)
    }
}

/// Decodes a [`Model`] from a JSON object.
pub fn deserialize<'de, T: Model, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ModelVisitor::<T>(std::marker::PhantomData))
}

struct ModelVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Model> Visitor<'de> for ModelVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut value = T::default();
        let mut keys = Seen::default();
        let mut values = Seen::default();
        while let Some(index) = map.next_key_seed(FieldKey(T::field_index))? {
            match index {
                Some(index) => {
                    keys.insert(index);
                    let decoded = value.decode_field(index, &mut map);
                    if decoded
                        .map_err(|error| in_field(T::FIELDS.get(index).copied().unwrap_or("?"), &error))?
                    {
                        values.insert(index);
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let name = |index: usize| T::FIELDS.get(index).copied().unwrap_or("?");
        let mut absent = Vec::new();
        for required in T::REQUIRED {
            match *required {
                Required::Field(index) if !values.contains(index) => absent.push(name(index)),
                Required::Nullable(index) if !keys.contains(index) => absent.push(name(index)),
                Required::Essential(index) if !values.contains(index) => {
                    return Err(if keys.contains(index) {
                        de::Error::custom(format_args!("`{}` is null", name(index)))
                    } else {
                        de::Error::missing_field(name(index))
                    });
                }
                _ => {}
            }
        }
        if !absent.is_empty() {
            *value.absent_mut() = absent.into_iter().collect();
        }
        Ok(value)
    }
}

/// `error`, raised while decoding field `field`, with the field's name in
/// front: `properties.battery.level: invalid type: …`, however deep.
fn in_field<E: de::Error>(field: &str, error: &E) -> E {
    let message = error.to_string();
    // serde_json appends the position again to the error this makes.
    let message = without_position(&message);
    // An inner field's error already starts with its path (keys have no
    // spaces; serde's own messages do).
    let nested = message.split_once(": ").is_some_and(|(path, _)| !path.is_empty() && !path.contains(' '));
    E::custom(format_args!("{field}{}{message}", if nested { "." } else { ": " }))
}

/// `message` without serde_json's trailing ` at line L column C`.
fn without_position(message: &str) -> &str {
    let Some((before, position)) = message.rsplit_once(" at line ") else { return message };
    let is_position = position.split_once(" column ").is_some_and(|(line, column)| {
        !line.is_empty()
            && !column.is_empty()
            && line.bytes().all(|b| b.is_ascii_digit())
            && column.bytes().all(|b| b.is_ascii_digit())
    });
    if is_position { before } else { message }
}

/// A key, as the index of the field it names (`None` for a field this
/// version does not know, which is skipped).
struct FieldKey(fn(&str) -> Option<usize>);

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldKey {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok((self.0)(key))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        Ok(std::str::from_utf8(key).ok().and_then(self.0))
    }
}

/// Decodes the map's next value into `slot`, leaving it as it is for
/// `null`; whether there was a value.
pub fn next<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut T,
) -> Result<bool, A::Error> {
    match map.next_value::<Option<T>>()? {
        Some(value) => {
            *slot = value;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Starts serializing a model whose absent required fields are `absent`.
pub fn fields<'a, S: Serializer>(
    serializer: S,
    name: &'static str,
    len: usize,
    absent: &'a Absent,
) -> Result<Fields<'a, S>, S::Error> {
    Ok(Fields { inner: serializer.serialize_struct(name, len)?, absent: absent.as_slice() })
}

/// Starts serializing a request body (seam-api's wire types), which has
/// no absent fields.
pub fn body<S: Serializer>(
    serializer: S,
    name: &'static str,
    len: usize,
) -> Result<Fields<'static, S>, S::Error> {
    Ok(Fields { inner: serializer.serialize_struct(name, len)?, absent: &[] })
}

/// A model (or request body) being serialized, field by field.
pub struct Fields<'a, S: Serializer> {
    inner: S::SerializeStruct,
    absent: &'a [&'static str],
}

impl<S: Serializer> Fields<'_, S> {
    /// A required field: written unless it was absent.
    pub fn required<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), S::Error> {
        if self.absent.contains(&key) {
            return self.inner.skip_field(key);
        }
        self.inner.serialize_field(key, value)
    }

    /// An optional field: written unless `None`.
    pub fn optional<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) -> Result<(), S::Error> {
        match value {
            Some(value) => self.inner.serialize_field(key, value),
            None => self.inner.skip_field(key),
        }
    }

    /// An optional field of any JSON: written unless `null`.
    pub fn optional_json(&mut self, key: &'static str, value: &serde_json::Value) -> Result<(), S::Error> {
        match value {
            serde_json::Value::Null => self.inner.skip_field(key),
            value => self.inner.serialize_field(key, value),
        }
    }

    /// An optional list or map: always written, empty when it was absent.
    pub fn always<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), S::Error> {
        self.inner.serialize_field(key, value)
    }

    /// Finishes the object.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        self.inner.end()
    }
}

/// Sets a model's JSON Schema `required` to the fields the spec requires:
/// the schema describes a complete value, while decoding also accepts one
/// that lacks them (see [`Absent`]).
#[cfg(feature = "schemars")]
pub fn required_fields<T: Model>(schema: &mut schemars::Schema) {
    let required: Vec<serde_json::Value> = T::REQUIRED
        .iter()
        .filter_map(|required| {
            let (Required::Field(index) | Required::Nullable(index) | Required::Essential(index)) = *required;
            T::FIELDS.get(index).map(|name| serde_json::Value::from(*name))
        })
        .collect();
    if required.is_empty() {
        schema.remove("required");
    } else {
        schema.insert("required".into(), required.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the generated code for `{a: string (required), b: integer
    /// (required, nullable), c: string (optional)}` looks like.
    #[derive(Debug, Default, PartialEq)]
    struct Thing {
        a: String,
        b: Option<i64>,
        c: Option<String>,
        absent: Absent,
    }

    impl Model for Thing {
        const NAME: &'static str = "Thing";
        const FIELDS: &'static [&'static str] = &["a", "b", "c"];
        const REQUIRED: &'static [Required] = &[Required::Field(0), Required::Nullable(1)];

        fn field_index(key: &str) -> Option<usize> {
            ["a", "b", "c"].iter().position(|k| *k == key)
        }

        fn decode_field<'de, A: MapAccess<'de>>(
            &mut self,
            index: usize,
            map: &mut A,
        ) -> Result<bool, A::Error> {
            match index {
                0 => next(map, &mut self.a),
                1 => next(map, &mut self.b),
                2 => next(map, &mut self.c),
                _ => map.next_value::<IgnoredAny>().map(|_| false),
            }
        }

        fn absent_mut(&mut self) -> &mut Absent {
            &mut self.absent
        }
    }

    impl<'de> Deserialize<'de> for Thing {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer)
        }
    }

    impl Serialize for Thing {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut out = fields(serializer, "Thing", 3, &self.absent)?;
            out.required("a", &self.a)?;
            out.required("b", &self.b)?;
            out.optional("c", &self.c)?;
            out.end()
        }
    }

    fn decode(json: &str) -> Result<Thing, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn absent_and_null_required_fields_decode_and_are_named() {
        let thing = decode(r#"{"extra": [1], "c": null}"#).unwrap();
        assert_eq!(thing.absent.as_slice(), ["a", "b"]);
        assert_eq!(serde_json::to_string(&thing).unwrap(), "{}");

        // null is not a string, so `a` is absent; it is a value of the
        // nullable `b`, which is present.
        let thing = decode(r#"{"a": null, "b": null}"#).unwrap();
        assert_eq!(thing.absent.as_slice(), ["a"]);
        assert_eq!(serde_json::to_string(&thing).unwrap(), r#"{"b":null}"#);

        let complete = r#"{"a":"x","b":2,"c":"y"}"#;
        let thing = decode(complete).unwrap();
        assert!(thing.absent.is_empty());
        assert_eq!(serde_json::to_string(&thing).unwrap(), complete);
    }

    #[test]
    fn what_is_not_an_object_or_of_the_wrong_type_is_still_an_error() {
        assert!(decode("[]").unwrap_err().contains("expected a Thing object"));
        assert!(decode(r#""x""#).unwrap_err().contains("expected a Thing object"));
        assert!(decode(r#"{"a": 5}"#).unwrap_err().contains("invalid type"));
    }

    #[test]
    fn a_field_of_the_wrong_type_is_named_with_its_path() {
        assert_eq!(
            decode(r#"{"a": 5}"#).unwrap_err(),
            "a: invalid type: integer `5`, expected a string at line 1 column 8"
        );
        let nested = serde_json::from_value::<Thing>(serde_json::json!({"c": {}})).unwrap_err().to_string();
        assert_eq!(nested, "c: invalid type: map, expected a string");
        assert_eq!(without_position("x at line 3 column 14"), "x");
        assert_eq!(without_position("meet at line five"), "meet at line five");
        let error: serde_json::Error = de::Error::custom("battery: invalid type");
        assert_eq!(in_field("properties", &error).to_string(), "properties.battery: invalid type");
    }

    #[test]
    fn a_missing_essential_field_is_an_error() {
        #[derive(Debug, Default)]
        struct Body {
            thing: Thing,
            absent: Absent,
        }
        impl Model for Body {
            const NAME: &'static str = "Body";
            const FIELDS: &'static [&'static str] = &["thing"];
            const REQUIRED: &'static [Required] = &[Required::Essential(0)];
            fn field_index(key: &str) -> Option<usize> {
                (key == "thing").then_some(0)
            }
            fn decode_field<'de, A: MapAccess<'de>>(
                &mut self,
                _: usize,
                map: &mut A,
            ) -> Result<bool, A::Error> {
                next(map, &mut self.thing)
            }
            fn absent_mut(&mut self) -> &mut Absent {
                &mut self.absent
            }
        }
        let body = |json: &str| deserialize::<Body, _>(&mut serde_json::Deserializer::from_str(json));
        assert!(body("{}").unwrap_err().to_string().contains("missing field `thing`"));
        assert!(body(r#"{"thing": null}"#).unwrap_err().to_string().contains("`thing` is null"));
        assert_eq!(body(r#"{"thing": {"a": "x"}}"#).unwrap().thing.a, "x");
    }
}
