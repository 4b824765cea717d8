//! Credentials: a token checked against the kind it is given as, and the
//! headers each kind sends.
//!
//! Token kinds are told apart by prefix before any request is made, as
//! Seam's official SDKs do, so that a token passed to the wrong constructor
//! fails at once with a message that says what was expected. No message
//! ever contains the token.

use std::fmt;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};

pub(crate) use crate::credential_kind::CredentialKind;
use crate::error::ConfigError;

/// Which workspace a credential acts in, as given to the builder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Workspace {
    /// The credential itself names it (API keys, client session tokens).
    Implied,
    /// This one, sent as `seam-workspace`.
    Id(String),
    /// None: a personal access or console session token that may only
    /// create and list workspaces.
    Without,
}

/// A credential checked against the kind it was given as. Its `Debug`
/// output names the kind only.
#[derive(Clone)]
pub(crate) struct Credential {
    kind: CredentialKind,
    token: String,
    workspace_id: Option<String>,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("kind", &self.kind)
            .field("token", &"[redacted]")
            .field("workspace_id", &self.workspace_id)
            .finish()
    }
}

impl Credential {
    /// Checks that `token` is of kind `expected`; workspace-scoped kinds
    /// need a non-empty workspace id unless given without a workspace, and
    /// only they may be.
    pub(crate) fn new(
        expected: CredentialKind,
        token: String,
        workspace: Workspace,
    ) -> Result<Self, ConfigError> {
        let found = CredentialKind::of(&token);
        if found != Some(expected) {
            return Err(ConfigError::WrongCredentialKind {
                expected,
                expected_form: expected.expected_form(),
                found,
            });
        }
        let needs_workspace =
            matches!(expected, CredentialKind::PersonalAccessToken | CredentialKind::ConsoleSessionToken);
        let workspace_id = match (workspace, needs_workspace) {
            (Workspace::Id(id), true) if !id.trim().is_empty() => Some(id),
            (Workspace::Without, true) => None,
            (_, true) => return Err(ConfigError::MissingWorkspaceId { kind: expected }),
            (Workspace::Without, false) => {
                return Err(ConfigError::NotWorkspaceLess { kind: Some(expected) });
            }
            (_, false) => None,
        };
        Ok(Self { kind: expected, token, workspace_id })
    }

    /// Whether this is a personal access or console session token without
    /// a workspace.
    pub(crate) fn is_without_workspace(&self) -> bool {
        self.workspace_id.is_none()
            && matches!(self.kind, CredentialKind::PersonalAccessToken | CredentialKind::ConsoleSessionToken)
    }

    pub(crate) fn kind(&self) -> CredentialKind {
        self.kind
    }

    /// The headers this credential sends with every request, built once per
    /// client. The token's header values are marked sensitive so that
    /// reqwest and http never print them.
    pub(crate) fn headers(&self) -> Result<HeaderMap, ConfigError> {
        let mut headers = HeaderMap::new();
        if self.kind == CredentialKind::PublishableKey {
            // A publishable key only opens client_sessions/get_or_create.
            headers.insert(HeaderName::from_static("seam-publishable-key"), secret(&self.token, self.kind)?);
            return Ok(headers);
        }
        headers.insert(AUTHORIZATION, secret(&format!("Bearer {}", self.token), self.kind)?);
        if self.kind == CredentialKind::ClientSessionToken {
            // As @seamapi/http sends it, beside the bearer header.
            headers.insert(HeaderName::from_static("client-session-token"), secret(&self.token, self.kind)?);
        }
        if let Some(workspace_id) = &self.workspace_id {
            let value = HeaderValue::from_str(workspace_id).map_err(|_| ConfigError::InvalidWorkspaceId)?;
            headers.insert(HeaderName::from_static("seam-workspace"), value);
        }
        Ok(headers)
    }
}

/// Whether a user identifier key looks like an email address, by the same
/// test as Seam's JavaScript SDK. Emails are common knowledge or easily
/// guessed, so they make poor keys for client-side sign-in.
#[cfg_attr(not(feature = "client_sessions"), allow(dead_code))]
pub(crate) fn looks_like_email(key: &str) -> bool {
    if key.contains('!') {
        return false;
    }
    // ^[^\s@]+@[^\s@]+\.[^\s@]+$
    let Some((local, domain)) = key.split_once('@') else { return false };
    let plain = |s: &str| !s.is_empty() && !s.contains('@') && !s.chars().any(char::is_whitespace);
    plain(local)
        && !domain.contains('@')
        && !domain.chars().any(char::is_whitespace)
        && domain.rsplit_once('.').is_some_and(|(_, tld)| !tld.is_empty())
        && domain.char_indices().any(|(i, c)| c == '.' && i > 0 && i + 1 < domain.len())
}

fn secret(value: &str, kind: CredentialKind) -> Result<HeaderValue, ConfigError> {
    let mut value =
        HeaderValue::from_str(value).map_err(|_| ConfigError::CredentialNotAHeaderValue { kind })?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_kinds_apart_by_prefix() {
        assert_eq!(CredentialKind::of("seam_apikey1_token"), Some(CredentialKind::ApiKey));
        assert_eq!(CredentialKind::of("seam_cst1_token"), Some(CredentialKind::ClientSessionToken));
        assert_eq!(CredentialKind::of("seam_at1_longtoken"), Some(CredentialKind::PersonalAccessToken));
        assert_eq!(CredentialKind::of("seam_pk1_token"), Some(CredentialKind::PublishableKey));
        assert_eq!(CredentialKind::of("eyJhbGciOi.x.y"), Some(CredentialKind::ConsoleSessionToken));
        assert_eq!(CredentialKind::of("sk_live_123"), None);
        assert_eq!(CredentialKind::of(""), None);
    }

    #[test]
    fn the_wrong_kind_says_what_was_expected_without_the_token() {
        let error = Credential::new(CredentialKind::ApiKey, "seam_cst1_secret".into(), Workspace::Implied)
            .unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(shown.contains("expected an API key"), "{shown}");
        assert!(shown.contains("client session token"), "{shown}");
        assert!(!shown.contains("seam_cst1_secret"), "{shown}");
    }

    #[test]
    fn workspace_scoped_kinds_need_a_workspace() {
        let error =
            Credential::new(CredentialKind::PersonalAccessToken, "seam_at1".into(), Workspace::Implied)
                .unwrap_err();
        assert!(matches!(error, ConfigError::MissingWorkspaceId { .. }));
        let error = Credential::new(
            CredentialKind::PersonalAccessToken,
            "seam_at1".into(),
            Workspace::Id(" ".into()),
        )
        .unwrap_err();
        assert!(matches!(error, ConfigError::MissingWorkspaceId { .. }));
        let without =
            Credential::new(CredentialKind::PersonalAccessToken, "seam_at1".into(), Workspace::Without)
                .unwrap();
        assert!(without.is_without_workspace());
        assert!(without.headers().unwrap().get("seam-workspace").is_none());
        let error =
            Credential::new(CredentialKind::ApiKey, "seam_apikey1_x".into(), Workspace::Without).unwrap_err();
        assert!(matches!(error, ConfigError::NotWorkspaceLess { .. }), "{error}");
    }

    #[test]
    fn a_token_that_cannot_be_a_header_is_an_error_not_a_panic() {
        let credential =
            Credential::new(CredentialKind::ApiKey, "seam_bad\nline".into(), Workspace::Implied).unwrap();
        let error = credential.headers().unwrap_err();
        assert!(!error.to_string().contains("seam_bad"), "{error}");
    }

    #[test]
    fn email_detection_matches_the_js_sdk() {
        for email in ["jane@example.com", "a.b@c.d", "x@y.z.w"] {
            assert!(looks_like_email(email), "{email}");
        }
        for key in [
            "john_user_identifier_key",
            "user-42",
            "jane@example",
            "@example.com",
            "jane@.com",
            "a b@c.d",
            "hi!@x.io",
            "a@b@c.d",
        ] {
            assert!(!looks_like_email(key), "{key}");
        }
    }

    #[test]
    fn a_publishable_key_sends_only_its_own_header() {
        let credential =
            Credential::new(CredentialKind::PublishableKey, "seam_pk1_token".into(), Workspace::Implied)
                .unwrap();
        let headers = credential.headers().unwrap();
        assert_eq!(headers["seam-publishable-key"], "seam_pk1_token");
        assert!(headers.get("authorization").is_none());
    }

    #[test]
    fn headers_hide_the_token_from_debug() {
        let credential = Credential::new(
            CredentialKind::ClientSessionToken,
            "seam_cst1_secret".into(),
            Workspace::Implied,
        )
        .unwrap();
        let headers = credential.headers().unwrap();
        assert_eq!(headers["authorization"], "Bearer seam_cst1_secret");
        assert_eq!(headers["client-session-token"], "seam_cst1_secret");
        let shown = format!("{headers:?} {credential:?}");
        assert!(!shown.contains("seam_cst1_secret"), "{shown}");
    }
}
