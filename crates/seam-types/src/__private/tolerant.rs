//! Decoding that never fails a value for one odd part of it: a value of
//! the wrong JSON type is read past and reported, so its field takes its
//! default, and a list or map drops only the item or value that is `null`
//! or of the wrong type. Only what is not JSON at all stays an error.
//!
//! Every type a model holds is [`Tolerant`]: decoding it gives an
//! [`Outcome`] rather than an error, and what was left out is pushed on a
//! [`Reports`] with its path, which each enclosing list, map and model
//! prefixes with its own segment on the way out. Nothing is allocated, and
//! no path built, unless something is reported.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;

use crate::{AbsentField, AbsentReason, JsonKind, Timestamp};

/// What decoding one value gave.
#[derive(Debug, PartialEq)]
pub enum Outcome<T> {
    /// The value.
    Value(T),
    /// `null`, which the caller takes as absent.
    Null,
    /// Something else, which was read past: why it is not a `T`.
    Odd(AbsentReason),
}

/// The departures found so far in one decode, each by its path from the
/// value being decoded when it was pushed; enclosing values prefix it.
#[derive(Default, Debug)]
pub struct Reports(Vec<AbsentField>);

/// One step of a path.
#[derive(Clone, Copy)]
pub(crate) enum Segment<'a> {
    Field(&'a str),
    Index(usize),
    Key(&'a str),
}

impl Reports {
    /// Where the next report will go: pass it to
    /// [`prefix_since`](Self::prefix_since).
    pub fn mark(&self) -> usize {
        self.0.len()
    }

    /// Reports the value being decoded itself (its path is empty until an
    /// enclosing value prefixes it).
    pub fn push(&mut self, reason: AbsentReason) {
        self.0.push(AbsentField::new(String::new(), reason));
    }

    /// Puts `segment` in front of every report since `mark`.
    pub(crate) fn prefix_since(&mut self, mark: usize, segment: Segment<'_>) {
        let Some(added) = self.0.get_mut(mark..) else { return };
        for field in added {
            let mut path = String::with_capacity(field.path.len() + 8);
            match segment {
                Segment::Field(name) => path.push_str(name),
                Segment::Index(index) => {
                    use fmt::Write as _;
                    let _ = write!(path, "[{index}]");
                }
                Segment::Key(key) if is_plain(key) => path.push_str(key),
                Segment::Key(key) => {
                    path.push('[');
                    path.push_str(&Value::from(key).to_string());
                    path.push(']');
                }
            }
            if !field.path.is_empty() && !field.path.starts_with('[') {
                path.push('.');
            }
            path.push_str(&field.path);
            field.path = path;
        }
    }

    /// The reports since `mark`.
    pub(crate) fn since(&self, mark: usize) -> &[AbsentField] {
        self.0.get(mark..).unwrap_or_default()
    }

    /// Drops the reports since `mark` (of a value that was not kept).
    pub(crate) fn truncate(&mut self, mark: usize) {
        self.0.truncate(mark);
    }

    /// Every report, by path from the value decoded first.
    pub fn into_vec(self) -> Vec<AbsentField> {
        self.0
    }
}

/// A map key that needs no quoting in a path: a plain word.
fn is_plain(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A type that decodes tolerantly (see the module's documentation).
pub trait Tolerant: Sized {
    /// Decodes one value, reading past one of the wrong type; an error
    /// only for input that is not JSON (or breaks a rule that must hold,
    /// such as a response's own key).
    fn decode<'de, D: Deserializer<'de>>(
        deserializer: D,
        reports: &mut Reports,
    ) -> Result<Outcome<Self>, D::Error>;

    /// [`decode`](Self::decode) into `slot`, which a value replaces and
    /// `null` or a value of the wrong type leaves as it is.
    #[inline]
    fn decode_into<'de, D: Deserializer<'de>>(
        deserializer: D,
        slot: &mut Self,
        reports: &mut Reports,
    ) -> Result<Outcome<()>, D::Error> {
        Ok(match Self::decode(deserializer, reports)? {
            Outcome::Value(value) => {
                *slot = value;
                Outcome::Value(())
            }
            Outcome::Null => Outcome::Null,
            Outcome::Odd(reason) => Outcome::Odd(reason),
        })
    }
}

/// [`Tolerant::decode`] as a seed, for a map's value or a list's item.
pub struct Seed<'r, T>(pub &'r mut Reports, pub PhantomData<T>);

impl<'de, T: Tolerant> DeserializeSeed<'de> for Seed<'_, T> {
    type Value = Outcome<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Outcome<T>, D::Error> {
        T::decode(deserializer, self.0)
    }
}

/// [`Tolerant::decode_into`] as a seed, for a model's field.
pub struct SeedInto<'s, 'r, T>(pub &'s mut T, pub &'r mut Reports);

impl<'de, T: Tolerant> DeserializeSeed<'de> for SeedInto<'_, '_, T> {
    type Value = Outcome<()>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Outcome<()>, D::Error> {
        T::decode_into(deserializer, self.0, self.1)
    }
}

/// Decodes a `T` where anything but one is an error, as a top-level value
/// (`serde_json::from_str::<Event>`) is: a response or a webhook delivery
/// that is not the documented object is not the documented response.
pub fn strict<'de, T: Tolerant, D: Deserializer<'de>>(deserializer: D, name: &str) -> Result<T, D::Error> {
    match T::decode(deserializer, &mut Reports::default())? {
        Outcome::Value(value) => Ok(value),
        Outcome::Null => Err(de::Error::custom(format_args!("invalid type: null, expected a {name} object"))),
        Outcome::Odd(AbsentReason::WrongType { found, .. }) => {
            Err(de::Error::custom(format_args!("invalid type: {found}, expected a {name} object")))
        }
        Outcome::Odd(reason) => Err(de::Error::custom(format_args!("not a {name}: {reason}"))),
    }
}

/// What a value of the wrong JSON type gives.
pub(crate) fn wrong<T>(expected: &'static str, found: JsonKind) -> Outcome<T> {
    Outcome::Odd(AbsentReason::WrongType { expected, found })
}

/// A value that holds one JSON scalar, decoded by [`scalar`]: each
/// `from_*` gives the outcome for one kind of JSON value, by default
/// "wrong type".
pub trait Scalar: Sized {
    /// What it holds, as in `a string`.
    const EXPECTED: &'static str;

    /// From a boolean.
    fn from_bool(_: bool) -> Outcome<Self> {
        wrong(Self::EXPECTED, JsonKind::Boolean)
    }
    /// From a negative integer.
    fn from_i64(_: i64) -> Outcome<Self> {
        wrong(Self::EXPECTED, JsonKind::Number)
    }
    /// From a non-negative integer.
    fn from_u64(_: u64) -> Outcome<Self> {
        wrong(Self::EXPECTED, JsonKind::Number)
    }
    /// From a number with a fraction or an exponent.
    fn from_f64(_: f64) -> Outcome<Self> {
        wrong(Self::EXPECTED, JsonKind::Number)
    }
    /// From a string.
    fn from_str(_: &str) -> Outcome<Self> {
        wrong(Self::EXPECTED, JsonKind::String)
    }
    /// From a string the deserializer owns (by default as [`from_str`](Self::from_str)).
    fn from_string(value: String) -> Outcome<Self> {
        Self::from_str(&value)
    }
}

/// Decodes a [`Scalar`], reading past an array or object.
#[inline]
pub fn scalar<'de, T: Scalar, D: Deserializer<'de>>(deserializer: D) -> Result<Outcome<T>, D::Error> {
    deserializer.deserialize_any(ScalarVisitor(PhantomData))
}

struct ScalarVisitor<T>(PhantomData<T>);

impl<'de, T: Scalar> Visitor<'de> for ScalarVisitor<T> {
    type Value = Outcome<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTED)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(T::from_bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(T::from_i64(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(T::from_u64(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(T::from_f64(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(T::from_str(v))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(T::from_string(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Outcome::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Outcome::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        scalar(deserializer)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        skip_seq(seq).map(|()| wrong(T::EXPECTED, JsonKind::Array))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        skip_map(map).map(|()| wrong(T::EXPECTED, JsonKind::Object))
    }
}

/// Reads past the rest of an array.
pub(crate) fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Reads past the rest of an object.
pub(crate) fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Implements [`Tolerant`] through [`Scalar`].
macro_rules! tolerant_scalar {
    ($($ty:ty),*) => {$(
        impl Tolerant for $ty {
            #[inline]
            fn decode<'de, D: Deserializer<'de>>(deserializer: D, _: &mut Reports) -> Result<Outcome<Self>, D::Error> {
                scalar(deserializer)
            }
        }
    )*};
}

tolerant_scalar!(String, bool, f64, i64, u64, Timestamp);

impl Scalar for String {
    const EXPECTED: &'static str = "a string";

    #[inline]
    fn from_str(value: &str) -> Outcome<Self> {
        Outcome::Value(value.to_owned())
    }
    #[inline]
    fn from_string(value: String) -> Outcome<Self> {
        Outcome::Value(value)
    }
}

impl Scalar for bool {
    const EXPECTED: &'static str = "a boolean";

    fn from_bool(value: bool) -> Outcome<Self> {
        Outcome::Value(value)
    }
}

impl Scalar for f64 {
    const EXPECTED: &'static str = "a number";

    fn from_i64(value: i64) -> Outcome<Self> {
        Outcome::Value(value as f64)
    }
    fn from_u64(value: u64) -> Outcome<Self> {
        Outcome::Value(value as f64)
    }
    fn from_f64(value: f64) -> Outcome<Self> {
        Outcome::Value(value)
    }
}

/// 2^53: beyond it an f64 no longer holds every integer exactly.
const EXACT: f64 = 9_007_199_254_740_992.0;

impl Scalar for i64 {
    const EXPECTED: &'static str = "an integer";

    fn from_i64(value: i64) -> Outcome<Self> {
        Outcome::Value(value)
    }
    fn from_u64(value: u64) -> Outcome<Self> {
        i64::try_from(value)
            .map_or(Outcome::Odd(AbsentReason::Invalid { expected: Self::EXPECTED }), Outcome::Value)
    }
    // `4.0` is 4; `1.5` and `1e300` are numbers but no integer.
    fn from_f64(value: f64) -> Outcome<Self> {
        if value.fract() == 0.0 && (-EXACT..=EXACT).contains(&value) {
            Outcome::Value(value as i64)
        } else {
            Outcome::Odd(AbsentReason::Invalid { expected: Self::EXPECTED })
        }
    }
}

/// A count (the spec's `number` for how many of something there are).
impl Scalar for u64 {
    const EXPECTED: &'static str = "a whole number";

    fn from_i64(_: i64) -> Outcome<Self> {
        Outcome::Odd(AbsentReason::Invalid { expected: Self::EXPECTED })
    }
    fn from_u64(value: u64) -> Outcome<Self> {
        Outcome::Value(value)
    }
    fn from_f64(value: f64) -> Outcome<Self> {
        if value.fract() == 0.0 && (0.0..=EXACT).contains(&value) {
            Outcome::Value(value as u64)
        } else {
            Outcome::Odd(AbsentReason::Invalid { expected: Self::EXPECTED })
        }
    }
}

impl Scalar for Timestamp {
    const EXPECTED: &'static str = "an RFC 3339 date-time";

    // As chrono's own `Deserialize` reads it.
    fn from_str(value: &str) -> Outcome<Self> {
        match value.parse::<chrono::DateTime<chrono::FixedOffset>>() {
            Ok(time) => Outcome::Value(time.with_timezone(&chrono::Utc)),
            Err(_) => Outcome::Odd(AbsentReason::Invalid { expected: Self::EXPECTED }),
        }
    }
}

/// Any JSON: only `null` is absent.
impl Tolerant for Value {
    fn decode<'de, D: Deserializer<'de>>(
        deserializer: D,
        _: &mut Reports,
    ) -> Result<Outcome<Self>, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::Null => Outcome::Null,
            value => Outcome::Value(value),
        })
    }
}

/// Any JSON object.
impl Tolerant for serde_json::Map<String, Value> {
    fn decode<'de, D: Deserializer<'de>>(
        deserializer: D,
        _: &mut Reports,
    ) -> Result<Outcome<Self>, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::Null => Outcome::Null,
            Value::Object(map) => Outcome::Value(map),
            other => wrong("an object", kind_of(&other)),
        })
    }
}

/// The JSON type of `value`.
pub(crate) fn kind_of(value: &Value) -> JsonKind {
    match value {
        Value::Null => JsonKind::Null,
        Value::Bool(_) => JsonKind::Boolean,
        Value::Number(_) => JsonKind::Number,
        Value::String(_) => JsonKind::String,
        Value::Array(_) => JsonKind::Array,
        Value::Object(_) => JsonKind::Object,
    }
}

/// `null` is a value of a nullable field (and of a list's nullable item).
impl<T: Tolerant> Tolerant for Option<T> {
    fn decode<'de, D: Deserializer<'de>>(
        deserializer: D,
        reports: &mut Reports,
    ) -> Result<Outcome<Self>, D::Error> {
        Ok(match T::decode(deserializer, reports)? {
            Outcome::Value(value) => Outcome::Value(Some(value)),
            Outcome::Null => Outcome::Value(None),
            Outcome::Odd(reason) => Outcome::Odd(reason),
        })
    }
}

/// A list keeps its good items; each dropped one is reported as `[index]`.
impl<T: Tolerant> Tolerant for Vec<T> {
    fn decode<'de, D: Deserializer<'de>>(
        deserializer: D,
        reports: &mut Reports,
    ) -> Result<Outcome<Self>, D::Error> {
        deserializer.deserialize_any(ListVisitor(reports, PhantomData))
    }
}

struct ListVisitor<'r, T>(&'r mut Reports, PhantomData<T>);

impl<'de, T: Tolerant> Visitor<'de> for ListVisitor<'_, T> {
    type Value = Outcome<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let reports = self.0;
        // A hint is the sender's claim; cap what it reserves.
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
        let mut index = 0;
        loop {
            let mark = reports.mark();
            match seq.next_element_seed(Seed::<T>(reports, PhantomData))? {
                None => break,
                Some(Outcome::Value(item)) => items.push(item),
                Some(Outcome::Null) => reports.push(AbsentReason::Null),
                Some(Outcome::Odd(reason)) => reports.push(reason),
            }
            if reports.mark() > mark {
                reports.prefix_since(mark, Segment::Index(index));
            }
            index += 1;
        }
        Ok(Outcome::Value(items))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Outcome::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Outcome::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(wrong("an array", JsonKind::Boolean))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(wrong("an array", JsonKind::Number))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(wrong("an array", JsonKind::Number))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(wrong("an array", JsonKind::Number))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(wrong("an array", JsonKind::String))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        skip_map(map).map(|()| wrong("an array", JsonKind::Object))
    }
}

/// A map keeps its good values; each dropped one is reported by its key.
impl<T: Tolerant> Tolerant for BTreeMap<String, T> {
    fn decode<'de, D: Deserializer<'de>>(
        deserializer: D,
        reports: &mut Reports,
    ) -> Result<Outcome<Self>, D::Error> {
        deserializer.deserialize_any(MapVisitor(reports, PhantomData))
    }
}

struct MapVisitor<'r, T>(&'r mut Reports, PhantomData<T>);

impl<'de, T: Tolerant> Visitor<'de> for MapVisitor<'_, T> {
    type Value = Outcome<BTreeMap<String, T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let reports = self.0;
        let mut values = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let mark = reports.mark();
            let value = match map.next_value_seed(Seed::<T>(reports, PhantomData))? {
                Outcome::Value(value) => Some(value),
                Outcome::Null => {
                    reports.push(AbsentReason::Null);
                    None
                }
                Outcome::Odd(reason) => {
                    reports.push(reason);
                    None
                }
            };
            if reports.mark() > mark {
                reports.prefix_since(mark, Segment::Key(&key));
            }
            if let Some(value) = value {
                values.insert(key, value);
            }
        }
        Ok(Outcome::Value(values))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Outcome::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Outcome::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(wrong("an object", JsonKind::Boolean))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(wrong("an object", JsonKind::Number))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(wrong("an object", JsonKind::Number))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(wrong("an object", JsonKind::Number))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(wrong("an object", JsonKind::String))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        skip_seq(seq).map(|()| wrong("an object", JsonKind::Array))
    }
}

/// Decodes an open enum (see `open_enum!`): any string is one of its
/// values.
pub fn open_enum<'de, T, D>(deserializer: D) -> Result<Outcome<T>, D::Error>
where
    T: From<String> + for<'a> From<&'a str>,
    D: Deserializer<'de>,
{
    Ok(match scalar::<OpenEnum<T>, D>(deserializer)? {
        Outcome::Value(OpenEnum(value)) => Outcome::Value(value),
        Outcome::Null => Outcome::Null,
        Outcome::Odd(reason) => Outcome::Odd(reason),
    })
}

struct OpenEnum<T>(T);

impl<T: From<String> + for<'a> From<&'a str>> Scalar for OpenEnum<T> {
    const EXPECTED: &'static str = "a string";

    fn from_str(value: &str) -> Outcome<Self> {
        Outcome::Value(Self(T::from(value)))
    }
    fn from_string(value: String) -> Outcome<Self> {
        Outcome::Value(Self(T::from(value)))
    }
}

/// Decodes an untagged enum (a string or a boolean, say) from its JSON:
/// a value none of its types hold is of the wrong type.
pub fn untagged<'de, T: DeserializeOwned, D: Deserializer<'de>>(
    deserializer: D,
    expected: &'static str,
) -> Result<Outcome<T>, D::Error> {
    let json = Value::deserialize(deserializer)?;
    if json.is_null() {
        return Ok(Outcome::Null);
    }
    Ok(match T::deserialize(&json) {
        Ok(value) => Outcome::Value(value),
        Err(_) => wrong(expected, kind_of(&json)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode<T: Tolerant>(json: &str) -> (Outcome<T>, Vec<String>) {
        let mut reports = Reports::default();
        let outcome = T::decode(&mut serde_json::Deserializer::from_str(json), &mut reports).unwrap();
        (outcome, reports.into_vec().iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_scalar_of_the_wrong_type_is_read_past() {
        assert_eq!(decode::<String>(r#""x""#).0, Outcome::Value("x".to_owned()));
        assert_eq!(decode::<String>("null").0, Outcome::Null);
        assert_eq!(decode::<String>("4").0, wrong("a string", JsonKind::Number));
        assert_eq!(decode::<bool>(r#"{"a": [1, {"b": 2}]}"#).0, wrong("a boolean", JsonKind::Object));
        assert_eq!(decode::<f64>("[1, [2]]").0, wrong("a number", JsonKind::Array));
        assert_eq!(decode::<f64>("4").0, Outcome::Value(4.0));
        let when = decode::<Timestamp>(r#""2026-01-01T00:00:00+01:00""#).0;
        assert_eq!(when, Outcome::Value("2025-12-31T23:00:00Z".parse().unwrap()));
        let invalid = Outcome::Odd(AbsentReason::Invalid { expected: "an RFC 3339 date-time" });
        assert_eq!(decode::<Timestamp>(r#""tomorrow""#).0, invalid);
        assert_eq!(decode::<Timestamp>("1767225600").0, wrong("an RFC 3339 date-time", JsonKind::Number));
    }

    #[test]
    fn counts_and_integers_accept_integral_floats_only() {
        assert_eq!(decode::<u64>("4").0, Outcome::Value(4));
        assert_eq!(decode::<u64>("4.0").0, Outcome::Value(4));
        assert_eq!(decode::<i64>("-4.0").0, Outcome::Value(-4));
        let not_count = Outcome::Odd(AbsentReason::Invalid { expected: "a whole number" });
        for bad in ["-1", "1.5", "1e300"] {
            assert_eq!(decode::<u64>(bad).0, not_count, "{bad}");
        }
        assert_eq!(decode::<u64>(r#""4""#).0, wrong("a whole number", JsonKind::String));
        assert!(matches!(
            decode::<i64>("18446744073709551615").0,
            Outcome::Odd(AbsentReason::Invalid { .. })
        ));
    }

    #[test]
    fn a_list_keeps_its_good_items_and_names_the_others() {
        let (list, reports) = decode::<Vec<String>>(r#"["auto", true, null, "on", {"x": 1}]"#);
        assert_eq!(list, Outcome::Value(vec!["auto".to_owned(), "on".to_owned()]));
        assert_eq!(
            reports,
            [
                "[1]: expected a string, found a boolean",
                "[2]: null",
                "[4]: expected a string, found an object"
            ]
        );
        let (nested, reports) = decode::<Vec<Vec<bool>>>("[[true], [1, false]]");
        assert_eq!(nested, Outcome::Value(vec![vec![true], vec![false]]));
        assert_eq!(reports, ["[1][0]: expected a boolean, found a number"]);
        assert_eq!(decode::<Vec<bool>>(r#"{"a": 1}"#).0, wrong("an array", JsonKind::Object));
        // A nullable item's null is a value.
        assert_eq!(decode::<Vec<Option<bool>>>("[null, 1]").0, Outcome::Value(vec![None]));
    }

    #[test]
    fn a_map_keeps_its_good_values_and_names_the_others_by_key() {
        let (map, reports) = decode::<BTreeMap<String, String>>(r#"{"floor": "2", "a.b": null, "n": 4}"#);
        assert_eq!(map, Outcome::Value(BTreeMap::from([("floor".to_owned(), "2".to_owned())])));
        assert_eq!(reports, [r#"["a.b"]: null"#, "n: expected a string, found a number"]);
        assert_eq!(decode::<BTreeMap<String, bool>>("[]").0, wrong("an object", JsonKind::Array));
    }

    #[test]
    fn malformed_json_is_still_an_error() {
        let mut reports = Reports::default();
        for bad in [r#"["a", tru]"#, r#"{"a": }"#, "[1,"] {
            let mut deserializer = serde_json::Deserializer::from_str(bad);
            assert!(Vec::<String>::decode(&mut deserializer, &mut reports).is_err(), "{bad}");
        }
    }
}
