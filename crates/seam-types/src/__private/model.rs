//! Decoding and encoding the generated structs, written once here rather
//! than derived per struct: each struct says which fields the spec requires
//! ([`Model::REQUIRED`]), and a required field that is absent, or any field
//! whose value is of the wrong type, decodes as its default and is named in
//! [`Absent`] (see [`Tolerant`]); serializing leaves it out again.
//! Compared with serde's derive, a struct carries one key match and one
//! field match, and no sequence visitor.

use std::fmt;

use serde::Serialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};

use super::tolerant::{Outcome, Reports, SeedInto, Segment, Tolerant, skip_seq, wrong};
use crate::{Absent, AbsentField, AbsentReason, JsonKind};

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

    /// Decodes the map's next value into field `index` (see [`next`]).
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        reports: &mut Reports,
    ) -> Result<Outcome<()>, A::Error>;

    /// Where the fields the value does not hold are recorded.
    fn absent_mut(&mut self) -> &mut Absent;

    /// What the value does not hold (see [`Absent`]).
    fn absent(&self) -> &Absent;
}

/// A decoded body, as seam-api reads it to report what it does not hold.
pub trait Reported {
    /// What the body does not hold, anywhere in it.
    fn reported(&self) -> &[AbsentField];
}

impl<T: Model> Reported for T {
    fn reported(&self) -> &[AbsentField] {
        self.absent().as_slice()
    }
}

/// A body that documents nothing.
impl Reported for () {
    fn reported(&self) -> &[AbsentField] {
        &[]
    }
}

/// Any JSON, which holds whatever was sent.
impl Reported for serde_json::Value {
    fn reported(&self) -> &[AbsentField] {
        &[]
    }
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
    /// `x-response-key`): missing, `null` or of the wrong type is an error.
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

/// Decodes a [`Model`] from a JSON object; anything but an object is an
/// error (see [`strict`](super::strict)).
pub fn deserialize<'de, T: Model, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let mut reports = Reports::default();
    let mut value = T::default();
    match deserializer.deserialize_map(ModelVisitor::<T>(&mut reports, &mut value))? {
        Outcome::Value(()) => Ok(value),
        Outcome::Null => {
            Err(de::Error::custom(format_args!("invalid type: null, expected a {} object", T::NAME)))
        }
        Outcome::Odd(reason) => {
            Err(de::Error::custom(format_args!("expected a {} object: {reason}", T::NAME)))
        }
    }
}

/// A model in a field, a list or a map: one that is not an object is
/// read past and reported.
impl<T: Model> Tolerant for T {
    fn decode<'de, D: Deserializer<'de>>(
        deserializer: D,
        reports: &mut Reports,
    ) -> Result<Outcome<Self>, D::Error> {
        let mut value = T::default();
        Ok(match Self::decode_into(deserializer, &mut value, reports)? {
            Outcome::Value(()) => Outcome::Value(value),
            Outcome::Null => Outcome::Null,
            Outcome::Odd(reason) => Outcome::Odd(reason),
        })
    }

    // In place: a model is hundreds of bytes, and a field's default is
    // already built, so filling it saves moving the value out and
    // dropping the default.
    fn decode_into<'de, D: Deserializer<'de>>(
        deserializer: D,
        slot: &mut Self,
        reports: &mut Reports,
    ) -> Result<Outcome<()>, D::Error> {
        deserializer.deserialize_any(ModelVisitor::<T>(reports, slot))
    }
}

/// Fills a model from a JSON object (the slot is its default, or holds
/// what an earlier object under the same key gave).
struct ModelVisitor<'r, 's, T>(&'r mut Reports, &'s mut T);

impl<T: Model> ModelVisitor<'_, '_, T> {
    fn wrong<E>(found: JsonKind) -> Result<Outcome<()>, E> {
        Ok(wrong("an object", found))
    }
}

impl<'de, T: Model> Visitor<'de> for ModelVisitor<'_, '_, T> {
    type Value = Outcome<()>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Outcome<()>, A::Error> {
        let (reports, value) = (self.0, self.1);
        let start = reports.mark();
        let mut keys = Seen::default();
        let mut values = Seen::default();
        let name = |index: usize| T::FIELDS.get(index).copied().unwrap_or("?");
        while let Some(index) = map.next_key_seed(FieldKey(T::field_index))? {
            let Some(index) = index else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            keys.insert(index);
            let mark = reports.mark();
            match value
                .decode_field(index, &mut map, reports)
                .map_err(|error| in_field(name(index), &error))?
            {
                Outcome::Value(()) => values.insert(index),
                Outcome::Null => {}
                Outcome::Odd(reason) => {
                    if T::REQUIRED.iter().any(|r| matches!(r, Required::Essential(i) if *i == index)) {
                        return Err(de::Error::custom(format_args!("{}: {reason}", name(index))));
                    }
                    // Reported here, so not again as absent below.
                    values.insert(index);
                    reports.push(reason);
                }
            }
            if reports.mark() > mark {
                reports.prefix_since(mark, Segment::Field(name(index)));
            }
        }
        for required in T::REQUIRED {
            let (index, absent) = match *required {
                Required::Field(index) => (index, !values.contains(index)),
                Required::Nullable(index) => (index, !keys.contains(index)),
                Required::Essential(index) if !values.contains(index) => {
                    return Err(if keys.contains(index) {
                        de::Error::custom(format_args!("`{}` is null", name(index)))
                    } else {
                        de::Error::missing_field(name(index))
                    });
                }
                Required::Essential(_) => continue,
            };
            if absent {
                let reason = if keys.contains(index) { AbsentReason::Null } else { AbsentReason::Missing };
                let mark = reports.mark();
                reports.push(reason);
                reports.prefix_since(mark, Segment::Field(name(index)));
            }
        }
        if reports.mark() > start {
            *value.absent_mut() = reports.since(start).iter().cloned().collect();
        } else if !value.absent().is_empty() {
            // What an earlier object under the same key left out.
            *value.absent_mut() = Absent::default();
        }
        Ok(Outcome::Value(()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Outcome<()>, E> {
        Ok(Outcome::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Outcome<()>, E> {
        Ok(Outcome::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Outcome<()>, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Outcome<()>, E> {
        Self::wrong(JsonKind::Boolean)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Outcome<()>, E> {
        Self::wrong(JsonKind::Number)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Outcome<()>, E> {
        Self::wrong(JsonKind::Number)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Outcome<()>, E> {
        Self::wrong(JsonKind::Number)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Outcome<()>, E> {
        Self::wrong(JsonKind::String)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Outcome<()>, A::Error> {
        skip_seq(seq)?;
        Self::wrong(JsonKind::Array)
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

/// Decodes the map's next value into `slot`: a value is set, while
/// `null` or a value of the wrong type leaves the slot at its default (the
/// caller reports it).
#[inline]
pub fn next<'de, A: MapAccess<'de>, T: Tolerant>(
    map: &mut A,
    slot: &mut T,
    reports: &mut Reports,
) -> Result<Outcome<()>, A::Error> {
    map.next_value_seed(SeedInto(slot, reports))
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
    absent: &'a [AbsentField],
}

impl<S: Serializer> Fields<'_, S> {
    /// A required field: written unless the value does not hold it; one
    /// the server sent as `null` is written as `null` again.
    pub fn required<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), S::Error> {
        match self.absent.iter().find(|field| field.path == key).map(|field| field.reason) {
            None => self.inner.serialize_field(key, value),
            Some(AbsentReason::Null) => self.inner.serialize_field(key, &()),
            Some(_) => self.inner.skip_field(key),
        }
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
    use serde::Deserialize;

    use super::*;

    /// What the generated code for `{a: string (required), b: integer
    /// (required, nullable), c: string (optional), d: [Thing] (optional)}`
    /// looks like.
    #[derive(Debug, Default, PartialEq)]
    struct Thing {
        a: String,
        b: Option<i64>,
        c: Option<String>,
        d: Vec<Thing>,
        absent: Absent,
    }

    impl Model for Thing {
        const NAME: &'static str = "Thing";
        const FIELDS: &'static [&'static str] = &["a", "b", "c", "d"];
        const REQUIRED: &'static [Required] = &[Required::Field(0), Required::Nullable(1)];

        fn field_index(key: &str) -> Option<usize> {
            Self::FIELDS.iter().position(|k| *k == key)
        }

        fn decode_field<'de, A: MapAccess<'de>>(
            &mut self,
            index: usize,
            map: &mut A,
            reports: &mut Reports,
        ) -> Result<Outcome<()>, A::Error> {
            match index {
                0 => next(map, &mut self.a, reports),
                1 => next(map, &mut self.b, reports),
                2 => next(map, &mut self.c, reports),
                3 => next(map, &mut self.d, reports),
                _ => map.next_value::<IgnoredAny>().map(|_| Outcome::Null),
            }
        }

        fn absent_mut(&mut self) -> &mut Absent {
            &mut self.absent
        }

        fn absent(&self) -> &Absent {
            &self.absent
        }
    }

    impl<'de> Deserialize<'de> for Thing {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer)
        }
    }

    impl Serialize for Thing {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut out = fields(serializer, "Thing", 4, &self.absent)?;
            out.required("a", &self.a)?;
            out.required("b", &self.b)?;
            out.optional("c", &self.c)?;
            if !self.d.is_empty() {
                out.always("d", &self.d)?;
            }
            out.end()
        }
    }

    fn decode(json: &str) -> Result<Thing, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    fn named(thing: &Thing) -> Vec<String> {
        thing.absent.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn absent_and_null_required_fields_decode_and_are_named() {
        let thing = decode(r#"{"extra": [1], "c": null}"#).unwrap();
        assert_eq!(named(&thing), ["a: missing", "b: missing"]);
        assert_eq!(serde_json::to_string(&thing).unwrap(), "{}");

        // null is not a string, so `a` is absent; it is a value of the
        // nullable `b`, which is present.
        let thing = decode(r#"{"a": null, "b": null}"#).unwrap();
        assert_eq!(named(&thing), ["a: null"]);
        assert_eq!(serde_json::to_string(&thing).unwrap(), r#"{"a":null,"b":null}"#);

        let complete = r#"{"a":"x","b":2,"c":"y"}"#;
        let thing = decode(complete).unwrap();
        assert!(thing.absent.is_empty());
        assert_eq!(serde_json::to_string(&thing).unwrap(), complete);
    }

    #[test]
    fn a_field_of_the_wrong_type_takes_its_default_and_is_named_with_its_path() {
        let thing = decode(r#"{"a": 5, "b": "two", "c": [1, {"x": null}]}"#).unwrap();
        assert_eq!(thing, Thing { absent: thing.absent.clone(), ..Thing::default() });
        assert_eq!(
            named(&thing),
            [
                "a: expected a string, found a number",
                "b: expected an integer, found a string",
                "c: expected a string, found an array"
            ]
        );
        // What it does not hold stays unsent.
        assert_eq!(serde_json::to_string(&thing).unwrap(), "{}");

        // However deep, each model names what departed inside it.
        let thing =
            decode(r#"{"a": "x", "b": 1, "d": [{"a": "y", "b": 2, "d": [7, {"b": 3}]}, null]}"#).unwrap();
        assert_eq!(
            named(&thing),
            ["d[0].d[0]: expected an object, found a number", "d[0].d[1].a: missing", "d[1]: null"]
        );
        assert_eq!(named(&thing.d[0]), ["d[0]: expected an object, found a number", "d[1].a: missing"]);
        assert_eq!(named(&thing.d[0].d[0]), ["a: missing"]);
        let again = serde_json::to_string(&thing).unwrap();
        assert_eq!(again, r#"{"a":"x","b":1,"d":[{"a":"y","b":2,"d":[{"b":3}]}]}"#);
    }

    #[test]
    fn what_is_not_an_object_or_not_json_is_still_an_error() {
        assert_eq!(
            decode("[]").unwrap_err(),
            "invalid type: sequence, expected a Thing object at line 1 column 0"
        );
        assert!(decode(r#""x""#).unwrap_err().contains("expected a Thing object"));
        assert!(decode("null").unwrap_err().contains("expected a Thing object"));
        assert_eq!(decode(r#"{"d": [{"a": tru}]}"#).unwrap_err(), "d.a: expected ident at line 1 column 19");
        assert_eq!(without_position("x at line 3 column 14"), "x");
        assert_eq!(without_position("meet at line five"), "meet at line five");
        let error: serde_json::Error = de::Error::custom("battery: invalid type");
        assert_eq!(in_field("properties", &error).to_string(), "properties.battery: invalid type");
    }

    #[test]
    fn an_essential_field_missing_null_or_of_the_wrong_type_is_an_error() {
        #[derive(Debug, Default)]
        struct Body {
            things: Vec<Thing>,
            absent: Absent,
        }
        impl Model for Body {
            const NAME: &'static str = "Body";
            const FIELDS: &'static [&'static str] = &["things"];
            const REQUIRED: &'static [Required] = &[Required::Essential(0)];
            fn field_index(key: &str) -> Option<usize> {
                (key == "things").then_some(0)
            }
            fn decode_field<'de, A: MapAccess<'de>>(
                &mut self,
                _: usize,
                map: &mut A,
                reports: &mut Reports,
            ) -> Result<Outcome<()>, A::Error> {
                next(map, &mut self.things, reports)
            }
            fn absent_mut(&mut self) -> &mut Absent {
                &mut self.absent
            }
            fn absent(&self) -> &Absent {
                &self.absent
            }
        }
        let body = |json: &str| deserialize::<Body, _>(&mut serde_json::Deserializer::from_str(json));
        assert!(body("{}").unwrap_err().to_string().contains("missing field `things`"));
        assert!(body(r#"{"things": null}"#).unwrap_err().to_string().contains("`things` is null"));
        assert_eq!(
            body(r#"{"things": {"a": "x"}}"#).unwrap_err().to_string(),
            "things: expected an array, found an object at line 1 column 22"
        );
        let decoded = body(r#"{"things": [{"a": "x"}, 4]}"#).unwrap();
        assert_eq!(decoded.things.len(), 1);
        let paths: Vec<&str> = decoded.absent.paths().collect();
        assert_eq!(paths, ["things[0].b", "things[1]"]);
    }
}
