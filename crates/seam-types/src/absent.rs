//! Which required fields a decoded value's JSON did not carry.

use std::fmt;

/// The fields the spec requires that a decoded value's JSON left out, or
/// sent as `null` where `null` is not one of the field's values.
///
/// Seam's servers, its fake and its documented samples all omit fields the
/// spec marks required. Rather than fail the whole response, such a field
/// decodes as its type's default (`""`, `0`, `false`, an empty list or map,
/// the Unix epoch for a date-time, `Unknown` with an empty value for an
/// enum or union, `None` for a nullable field) and is named here, so a
/// default that stands in for a missing value can be told from a real one:
///
/// ```
/// let event: seam_types::EventLockUnlocked = serde_json::from_str(
///     r#"{"event_id": "e1", "workspace_id": "w", "device_id": "d",
///         "created_at": "2026-01-01T00:00:00Z", "occurred_at": "2026-01-01T00:00:00Z"}"#,
/// )?;
/// assert!(event.absent.contains("method"));
/// assert!(!event.absent.contains("device_id"));
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// Serializing the value leaves these fields out again, so what a server
/// left out stays out, and decoding that JSON gives the same value back.
/// Fields the spec does not require are `Option`s (or lists and maps,
/// empty when absent) and are never named here.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Absent(Box<[&'static str]>);

impl Absent {
    /// Whether the JSON field `field` (its name as Seam sends it) was
    /// absent.
    pub fn contains(&self, field: &str) -> bool {
        self.0.contains(&field)
    }

    /// Whether every required field was present.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many required fields were absent.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The absent fields' JSON names, in the order the model declares them.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'static str> + '_ {
        self.0.iter().copied()
    }

    /// The absent fields' JSON names, in the order the model declares them.
    pub fn as_slice(&self) -> &[&'static str] {
        &self.0
    }
}

impl FromIterator<&'static str> for Absent {
    fn from_iter<I: IntoIterator<Item = &'static str>>(fields: I) -> Self {
        Self(fields.into_iter().collect())
    }
}

impl fmt::Debug for Absent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}
