//! A union member this version knows but could not decode.

use std::fmt;

/// A member of a union (an [`Event`](crate::Event), an
/// [`ActionAttempt`](crate::ActionAttempt), a device error, …) whose tag
/// this version knows but whose body cannot be the model for that tag at
/// all. A field of the wrong JSON type is not that: such a member decodes
/// typed, with the field named in its `absent`. It is kept as sent, so
/// one odd member never fails the list or the webhook delivery that holds
/// it.
///
/// The union's accessors read such a member from its JSON, and
/// serializing it gives the JSON back unchanged.
#[derive(Clone, Debug, PartialEq)]
pub struct RawMember {
    /// The member's tag as sent (`lock.unlocked`, `UNLOCK_DOOR`, …).
    pub tag: String,
    /// The member exactly as the server sent it.
    pub json: serde_json::Value,
    /// Why it did not decode into its model.
    pub reason: String,
}

impl fmt::Display for RawMember {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` does not match its model: {}", self.tag, self.reason)
    }
}
