//! What the server sent that a decoded value does not hold.

use std::fmt;

/// The fields of a decoded value that hold a stand-in rather than what the
/// server sent: a required field it left out or sent as `null`, a field
/// whose JSON value has the wrong type, and the items of a list or values
/// of a map that were dropped for being `null` or of the wrong type.
///
/// Seam's servers, its fake and its documented samples all depart from the
/// spec this way. Rather than fail the whole response, such a field
/// decodes as its type's default (`""`, `0`, `false`, an empty list or map,
/// the Unix epoch for a date-time, `Unknown` with an empty value for an
/// enum or union, `None` for an optional or nullable field), a list or map
/// keeps its good entries, and each departure is named here with its
/// [path](AbsentField::path) and [reason](AbsentReason), so a stand-in can
/// be told from a real value:
///
/// ```
/// use seam_types::AbsentReason;
///
/// let event: seam_types::EventLockUnlocked = serde_json::from_str(
///     r#"{"event_id": "e1", "workspace_id": 7, "device_id": "d1",
///         "created_at": "2026-01-01T00:00:00Z", "occurred_at": "2026-01-01T00:00:00Z"}"#,
/// )?;
/// assert_eq!(event.absent.reason("method"), Some(&AbsentReason::Missing));
/// assert!(event.absent.contains("workspace_id"));
/// assert_eq!(event.workspace_id, "");
/// let why = event.absent.reason("workspace_id").map(ToString::to_string);
/// assert_eq!(why.as_deref(), Some("expected a string, found a number"));
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// A value lists what departed anywhere inside it, by path from itself
/// (`properties.available_fan_mode_settings[1]`); a nested model lists its
/// own part again, by path from itself. Serializing the value leaves the
/// fields it names out again (and writes a `null` it was sent as `null`),
/// so what a server did not send stays unsent, and decoding that JSON
/// gives the same data back. Fields the spec does
/// not require are `Option`s (or lists and maps, empty when absent) and are
/// named here only when their value had the wrong type.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Absent(Box<[AbsentField]>);

/// One field, list item or map value that a decoded value does not hold
/// as sent (see [`Absent`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct AbsentField {
    /// Where it is, from the value that lists it: field names joined by
    /// `.`, a list item's index as `[1]`, and a map's key as `.key` (or
    /// `["key"]` when the key is not a plain word), as in
    /// `devices[0].properties.available_fan_mode_settings[1]`.
    pub path: String,
    /// Why the value does not hold it.
    pub reason: AbsentReason,
}

/// Why a field is named in [`Absent`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AbsentReason {
    /// A required field the JSON left out.
    Missing,
    /// `null`, where `null` is not one of the field's values (or a `null`
    /// list item or map value, which was dropped).
    Null,
    /// A value of another JSON type than the field's: a number where the
    /// spec has a string, say. The field holds its default (a list item or
    /// map value is dropped).
    WrongType {
        /// What the field holds, as in `a string`.
        expected: &'static str,
        /// The JSON type that was sent.
        found: JsonKind,
    },
    /// A value of the right JSON type that is not one of the field's
    /// values: a string that is not an RFC 3339 date-time, a negative or
    /// fractional count.
    Invalid {
        /// What the field holds, as in `an RFC 3339 date-time`.
        expected: &'static str,
    },
}

/// The type of a JSON value, as [`AbsentReason::WrongType`] reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JsonKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl Absent {
    /// Whether the value at `path` (a field's name as Seam sends it, or a
    /// deeper path as [`AbsentField::path`] gives it) is named.
    pub fn contains(&self, path: &str) -> bool {
        self.reason(path).is_some()
    }

    /// Why the value at `path` is named, if it is.
    pub fn reason(&self, path: &str) -> Option<&AbsentReason> {
        self.0.iter().find(|field| field.path == path).map(|field| &field.reason)
    }

    /// Whether the value holds everything the server sent, and every
    /// required field.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many fields, items and map values are named.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The named fields, items and map values.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &AbsentField> + '_ {
        self.0.iter()
    }

    /// Their paths, as [`AbsentField::path`] gives them.
    pub fn paths(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.0.iter().map(|field| field.path.as_str())
    }

    /// The named fields, items and map values.
    pub fn as_slice(&self) -> &[AbsentField] {
        &self.0
    }
}

impl AbsentField {
    /// The field, item or map value at `path`, named for `reason`.
    pub fn new(path: impl Into<String>, reason: AbsentReason) -> Self {
        Self { path: path.into(), reason }
    }
}

impl FromIterator<AbsentField> for Absent {
    fn from_iter<I: IntoIterator<Item = AbsentField>>(fields: I) -> Self {
        Self(fields.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a Absent {
    type Item = &'a AbsentField;
    type IntoIter = std::slice::Iter<'a, AbsentField>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Debug for Absent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for field in &self.0 {
            map.entry(&field.path, &format_args!("{}", field.reason));
        }
        map.finish()
    }
}

impl fmt::Display for AbsentField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

impl fmt::Display for AbsentReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("missing"),
            Self::Null => f.write_str("null"),
            Self::WrongType { expected, found } => write!(f, "expected {expected}, found {found}"),
            Self::Invalid { expected } => write!(f, "not {expected}"),
        }
    }
}

impl fmt::Display for JsonKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Null => "null",
            Self::Boolean => "a boolean",
            Self::Number => "a number",
            Self::String => "a string",
            Self::Array => "an array",
            Self::Object => "an object",
        })
    }
}
