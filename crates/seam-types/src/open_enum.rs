//! Open string enums: every value Seam documents is a variant, and any
//! other value decodes as `Unknown`, keeping its text, so a server newer
//! than this crate never breaks decoding (as aws-sdk-rust's
//! `Unknown(UnknownVariantValue)`).
//!
//! The generated models declare them with [`open_enum!`](crate::open_enum);
//! the serde impls are written once here rather than derived per enum,
//! which keeps the thousand-odd enums cheap to compile.

use std::fmt;
use std::marker::PhantomData;

/// A value an open enum does not know, as the server sent it. Only this
/// crate builds one, so `Unknown` never holds a value that has a variant.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(pub(crate) String);

impl UnknownValue {
    /// The value as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[doc(hidden)]
impl UnknownValue {
    /// For `open_enum!`: wraps a value that matched no variant.
    pub fn __new(value: String) -> Self {
        Self(value)
    }
}

/// Deserializes any open enum from a string, borrowed or owned.
#[doc(hidden)]
pub struct OpenEnumVisitor<T>(pub PhantomData<T>);

impl<T: From<String> + for<'a> From<&'a str>> serde::de::Visitor<'_> for OpenEnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
        Ok(T::from(value))
    }
}

/// Declares an open string enum: `Name { Variant = "value", … }`.
///
/// The enum is `#[non_exhaustive]` and has an `Unknown(UnknownValue)`
/// variant; `as_str()` gives the wire value back, `From<&str>` and
/// `From<String>` never fail, and it (de)serializes as that string.
#[macro_export]
#[doc(hidden)]
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $value:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #[allow(clippy::enum_variant_names)]
        pub enum $name {
            $(#[doc = concat!("`", $value, "`")] $variant,)*
            /// A value this version does not know, kept as sent.
            Unknown($crate::UnknownValue),
        }

        impl $name {
            /// Every value this version knows, in the spec's order.
            pub const KNOWN: &'static [&'static str] = &[$($value),*];

            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown($crate::UnknownValue::__new(other.to_owned())),
                }
            }
        }

        impl ::std::convert::From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $($value => Self::$variant,)*
                    _ => Self::Unknown($crate::UnknownValue::__new(value)),
                }
            }
        }

        /// `Unknown` with an empty value: what a required field the
        /// server left out decodes as (see `seam_types::Absent`).
        impl ::std::default::Default for $name {
            fn default() -> Self {
                Self::Unknown($crate::UnknownValue::__new(::std::string::String::new()))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str($crate::OpenEnumVisitor(::std::marker::PhantomData))
            }
        }

        impl $crate::__private::Tolerant for $name {
            fn decode<'de, D: ::serde::Deserializer<'de>>(
                deserializer: D,
                _: &mut $crate::__private::Reports,
            ) -> Result<$crate::__private::Outcome<Self>, D::Error> {
                $crate::__private::open_enum(deserializer)
            }
        }
    };
}

/// `JsonSchema` for an `open_enum!`: any string, listing the known ones.
#[cfg(feature = "schemars")]
#[macro_export]
#[doc(hidden)]
macro_rules! open_enum_schema {
    ($name:ident) => {
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                $crate::__private::open_enum_schema($name::KNOWN)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::open_enum! { /// A mode.
    Mode { Heat = "heat", HeatCool = "heat_cool", } }

    #[test]
    fn known_values_are_variants_and_unknown_ones_are_kept() {
        let known: Mode = serde_json::from_str("\"heat_cool\"").unwrap();
        assert_eq!(known, Mode::HeatCool);
        let unknown: Mode = serde_json::from_str("\"eco\"").unwrap();
        assert!(matches!(&unknown, Mode::Unknown(v) if v.as_str() == "eco"));
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"eco\"");
        assert_eq!(unknown.to_string(), "eco");
        assert_eq!(Mode::from("heat"), Mode::Heat);
        assert_eq!(Mode::KNOWN, ["heat", "heat_cool"]);
        assert_eq!(Mode::from(String::from("heat")), Mode::Heat);
        assert!(serde_json::from_str::<Mode>("4").is_err());
    }

    #[test]
    fn in_a_model_a_value_that_is_no_string_is_of_the_wrong_type() {
        use crate::__private::{Outcome, Reports, Tolerant};
        use crate::{AbsentReason, JsonKind};

        let decode = |json: &str| {
            Mode::decode(&mut serde_json::Deserializer::from_str(json), &mut Reports::default()).unwrap()
        };
        assert_eq!(decode("\"heat\""), Outcome::Value(Mode::Heat));
        assert_eq!(decode("null"), Outcome::Null);
        assert_eq!(
            decode("true"),
            Outcome::Odd(AbsentReason::WrongType { expected: "a string", found: JsonKind::Boolean })
        );
    }
}
