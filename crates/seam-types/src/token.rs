use std::fmt;

use serde::{Deserialize, Serialize};

/// A client session token (`seam_cst…`): a bearer credential that lets a
/// browser or app act as one of your users.
///
/// Its `Debug` output is redacted so that logging a [`ClientSession`] does not
/// leak it; read the value on purpose with [`ClientSessionToken::expose`].
///
/// [`ClientSession`]: crate::ClientSession
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct ClientSessionToken(String);

impl ClientSessionToken {
    /// Wraps a token value.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token itself, for handing to the client that will use it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Consumes the wrapper and returns the token.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// In a model, decoded as the string it is (see `__private::Tolerant`).
impl crate::__private::Tolerant for ClientSessionToken {
    fn decode<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
        reports: &mut crate::__private::Reports,
    ) -> Result<crate::__private::Outcome<Self>, D::Error> {
        Ok(match <String as crate::__private::Tolerant>::decode(deserializer, reports)? {
            crate::__private::Outcome::Value(token) => crate::__private::Outcome::Value(Self(token)),
            crate::__private::Outcome::Null => crate::__private::Outcome::Null,
            crate::__private::Outcome::Odd(reason) => crate::__private::Outcome::Odd(reason),
        })
    }
}

impl fmt::Debug for ClientSessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSessionToken([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_does_not_print_the_token() {
        let token = ClientSessionToken::new("seam_cst1_secret");
        let shown = format!("{token:?} {token:#?}");
        assert!(!shown.contains("seam_cst1_secret"), "{shown}");
        assert_eq!(token.expose(), "seam_cst1_secret");
    }
}
