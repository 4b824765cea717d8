//! The kinds of credential Seam issues, told apart by their prefix: what
//! the credentials (`auth`) and the errors that name a kind (`error`)
//! share.

use std::fmt;

/// The kinds of credential Seam issues, told apart by their prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialKind {
    /// A workspace API key: `seam_…` (none of the prefixes below).
    ApiKey,
    /// A client session token, scoped to one of your users: `seam_cst…`.
    ClientSessionToken,
    /// A personal access token, used with a workspace id: `seam_at…`.
    PersonalAccessToken,
    /// A publishable key for client-side sign-in: `seam_pk…`.
    PublishableKey,
    /// A Seam Console session token, used with a workspace id: a JWT (`ey…`).
    ConsoleSessionToken,
}

impl CredentialKind {
    /// The kind as a short snake_case name (`api_key`,
    /// `client_session_token`), as the tracing spans record it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ApiKey => "api_key",
            Self::ClientSessionToken => "client_session_token",
            Self::PersonalAccessToken => "personal_access_token",
            Self::PublishableKey => "publishable_key",
            Self::ConsoleSessionToken => "console_session_token",
        }
    }

    /// The kind a token is, or `None` when it is no Seam credential at all.
    pub fn of(token: &str) -> Option<Self> {
        if token.starts_with("seam_cst") {
            Some(Self::ClientSessionToken)
        } else if token.starts_with("seam_at") {
            Some(Self::PersonalAccessToken)
        } else if token.starts_with("seam_pk") {
            Some(Self::PublishableKey)
        } else if token.starts_with("ey") {
            Some(Self::ConsoleSessionToken)
        } else if token.starts_with("seam_") {
            Some(Self::ApiKey)
        } else {
            None
        }
    }

    pub(crate) fn expected_form(self) -> &'static str {
        match self {
            Self::ApiKey => "a token starting with `seam_`, other than seam_cst, seam_at and seam_pk",
            Self::ClientSessionToken => "a token starting with `seam_cst`",
            Self::PersonalAccessToken => "a token starting with `seam_at`",
            Self::PublishableKey => "a key starting with `seam_pk`",
            Self::ConsoleSessionToken => "a JWT starting with `ey`",
        }
    }
}

impl fmt::Display for CredentialKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ApiKey => "API key",
            Self::ClientSessionToken => "client session token",
            Self::PersonalAccessToken => "personal access token",
            Self::PublishableKey => "publishable key",
            Self::ConsoleSessionToken => "console session token",
        })
    }
}
