//! The crate's one error type.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use seam_types::ApiError;

use crate::credential_kind::CredentialKind;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong calling Seam. Match on the variant to tell
/// Seam's own answers from the network and from bodies that do not decode.
///
/// No variant's `Display` or `Debug` output contains a credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Seam answered with an error status and its JSON error body.
    // One line in the order the CLI prints it: status, Seam's error type,
    // its message, the request id.
    #[error("{status} {}: {}{}", error.error_type, Message(&error.message), RequestIdSuffix(request_id.as_deref()))]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// Seam's id for the request (`seam-request-id` header, else the body).
        request_id: Option<String>,
        /// How long the server asked the client to wait (`Retry-After`).
        retry_after: Option<Duration>,
        /// What Seam says went wrong: its `type`, `message`, `data` and
        /// validation errors. Boxed to keep `Result`s small.
        error: Box<ApiError>,
    },

    /// An error or unexpected status whose body is not Seam's error JSON:
    /// a proxy's HTML page, plain text, or nothing.
    #[error("HTTP {status} without Seam's error body{}: {excerpt:?}", RequestIdSuffix(request_id.as_deref()))]
    Http {
        /// The HTTP status.
        status: StatusCode,
        /// The `seam-request-id` header, when the server sent one.
        request_id: Option<String>,
        /// How long the server asked the client to wait (`Retry-After`).
        retry_after: Option<Duration>,
        /// The start of the body, at most [`EXCERPT_LIMIT`] bytes, lossily
        /// decoded as UTF-8.
        excerpt: String,
    },

    /// A response body that does not decode into the documented type.
    #[error("HTTP {} response body does not decode{}: {source}; body starts {excerpt:?}",
        OptionalStatus(*status), RequestIdSuffix(request_id.as_deref()))]
    Decode {
        /// The HTTP status, when known.
        status: Option<StatusCode>,
        /// The `seam-request-id` header, when the server sent one.
        request_id: Option<String>,
        /// The start of the body, at most [`EXCERPT_LIMIT`] bytes.
        excerpt: String,
        /// What serde_json found wrong.
        #[source]
        source: serde_json::Error,
    },

    /// A response body longer than the client's limit
    /// ([`SeamBuilder::max_response_bytes`](crate::SeamBuilder::max_response_bytes)),
    /// cut off instead of being buffered whole.
    #[error("HTTP {status} response body exceeds the {limit}-byte limit{}", RequestIdSuffix(request_id.as_deref()))]
    ResponseTooLarge {
        /// The HTTP status.
        status: StatusCode,
        /// The `seam-request-id` header, when the server sent one.
        request_id: Option<String>,
        /// The limit, in bytes.
        limit: usize,
    },

    /// No response within the client's timeout.
    #[error("request timed out: {0}")]
    Timeout(#[source] reqwest::Error),

    /// The request could not be sent or its response not read: DNS,
    /// connection refused or reset, TLS.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),

    /// The request could not be built from the arguments given.
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// The client is misconfigured: credential, endpoint or HTTP settings.
    #[error(transparent)]
    Config(#[from] ConfigError),

    /// Seam reported an action attempt as failed (`status: "error"`) while
    /// `send()` waited for it.
    #[cfg(feature = "action_attempts")]
    #[error("action attempt {action_attempt_id} ({action_type}) failed: {message} ({error_type})")]
    ActionAttemptFailed {
        /// The attempt's id.
        action_attempt_id: String,
        /// What it tried to do (`UNLOCK_DOOR`, …).
        action_type: String,
        /// Seam's error type for the failure (`device_offline`, …).
        error_type: String,
        /// Seam's description of the failure.
        message: String,
        /// The failed attempt as Seam returned it. Boxed to keep `Result`s
        /// small.
        attempt: Box<seam_types::ActionAttempt>,
    },

    /// An action attempt was still unfinished when `send()`'s time budget
    /// for waiting ran out. The action may still happen: read the attempt
    /// again with `seam.action_attempts().get(id)`.
    #[cfg(feature = "action_attempts")]
    #[error("action attempt {action_attempt_id} ({action_type}) still {status:?} after waiting {waited:?}")]
    ActionAttemptTimeout {
        /// The attempt's id.
        action_attempt_id: String,
        /// What it tries to do (`UNLOCK_DOOR`, …).
        action_type: String,
        /// Its status when last read (`pending`, or one newer than this
        /// crate).
        status: String,
        /// How long `send()` waited.
        waited: Duration,
        /// The attempt as last read. Boxed to keep `Result`s small.
        attempt: Box<seam_types::ActionAttempt>,
    },

    /// Following a paginated list went wrong; see [`PaginationError`].
    #[error(transparent)]
    Pagination(#[from] PaginationError),
}

/// Why following a paginated list stopped with an error instead of looping
/// or silently ending early.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PaginationError {
    /// A page of a paginated list came without `pagination`, so whether
    /// more follow cannot be known.
    #[error("a page of a paginated list came without `pagination`{}", RequestIdSuffix(request_id.as_deref()))]
    MissingPagination {
        /// The `seam-request-id` header of that page, when sent.
        request_id: Option<String>,
    },
    /// `has_next_page` is true but `next_page_cursor` is missing.
    #[error("the server says another page follows but sent no cursor{}", RequestIdSuffix(request_id.as_deref()))]
    MissingCursor {
        /// The `seam-request-id` header of that page, when sent.
        request_id: Option<String>,
    },
    /// The server sent a cursor it had already sent: following it would
    /// loop forever.
    #[error("the server sent page cursor {cursor:?} a second time; stopping instead of looping{}",
        RequestIdSuffix(request_id.as_deref()))]
    RepeatedCursor {
        /// The repeated cursor.
        cursor: String,
        /// The `seam-request-id` header of the page that repeated it.
        request_id: Option<String>,
    },
}

/// How much of an unexpected body an [`Error`] keeps.
pub const EXCERPT_LIMIT: usize = 512;

impl Error {
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. } | Self::Http { status, .. } | Self::ResponseTooLarge { status, .. } => {
                Some(*status)
            }
            Self::Decode { status, .. } => *status,
            _ => None,
        }
    }

    /// Seam's id for the request, when the server sent one: quote it to
    /// Seam's support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api { request_id, .. }
            | Self::Http { request_id, .. }
            | Self::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// How long the server asked the client to wait before trying again
    /// (`Retry-After`, as seconds or an HTTP date), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api { retry_after, .. } | Self::Http { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Seam's error body, for [`Error::Api`].
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Seam's error type (`client_session_not_found`, `invalid_input`, …).
    pub fn error_type(&self) -> Option<&str> {
        self.api_error().map(|e| e.error_type.as_str())
    }

    /// The credential was missing, invalid or revoked (HTTP 401).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// Seam says the resource does not exist: a 404 with Seam's error
    /// body (`device_not_found`, …), which is [`Error::Api`]. A 404
    /// without it ([`Error::Http`]) is not: it came from something other
    /// than Seam, such as a wrong endpoint or a proxy, and says nothing of
    /// the resource.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Api { status, .. } if *status == StatusCode::NOT_FOUND)
    }

    /// Whether sending the same request again may succeed: timeouts,
    /// connection failures, 408, 429 and 5xx. Whether it is *safe* to resend
    /// depends on the operation: the client itself retries reads on
    /// connection failures, 429 and 5xx, and writes only when the connection
    /// was never established.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout(_) | Self::Transport(_) => true,
            Self::Api { status, .. } | Self::Http { status, .. } => {
                *status == StatusCode::REQUEST_TIMEOUT
                    || *status == StatusCode::TOO_MANY_REQUESTS
                    || status.is_server_error()
            }
            _ => false,
        }
    }
}

/// Configuration mistakes, caught before any request is sent.
///
/// Its `Debug` is the variant and its sentence, so that `?` out of `main`
/// (which prints `Debug`) says what to do: `Error: Config(MissingCredential:
/// no credential: set SEAM_API_KEY …)`.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No credential was given.
    #[error(
        "no credential: set SEAM_API_KEY (or SEAM_PERSONAL_ACCESS_TOKEN with SEAM_WORKSPACE_ID), \
         or give one to Seam::builder()"
    )]
    MissingCredential,

    /// The token is not of the kind the constructor takes.
    #[error("expected {expected_article} {expected} ({expected_form}), got {}", FoundKind(*found),
        expected_article = article(*expected))]
    WrongCredentialKind {
        /// The kind the constructor takes.
        expected: CredentialKind,
        /// What such a token looks like.
        expected_form: &'static str,
        /// The kind the token looks like, if any.
        found: Option<CredentialKind>,
    },

    /// A personal access or console session token needs a workspace id.
    #[error("a {kind} needs a workspace id")]
    MissingWorkspaceId {
        /// The kind of credential given.
        kind: CredentialKind,
    },

    /// [`SeamBuilder::build`](crate::SeamBuilder::build) was given a token
    /// without a workspace, which can only create and list workspaces.
    #[error(
        "a {kind} without a workspace id can only create and list workspaces: build a \
         SeamWithoutWorkspace with build_without_workspace(), or give a workspace id"
    )]
    WorkspaceRequired {
        /// The kind of credential given.
        kind: CredentialKind,
    },

    /// A workspace-less client was asked for with a credential that is not
    /// a personal access or console session token given without a
    /// workspace.
    #[error(
        "a client without a workspace needs a personal access token or console session token given \
         without a workspace id (personal_access_token_without_workspace, \
         console_session_token_without_workspace), got {}", FoundKind(*kind)
    )]
    NotWorkspaceLess {
        /// The kind of credential given, if it is a Seam credential.
        kind: Option<CredentialKind>,
    },

    /// The call needs a client authenticated with a client session token.
    #[error("only a client built with a client session token can take a new one; this one has {}", FoundKind(Some(*kind)))]
    NotAClientSessionClient {
        /// The kind of credential the client has.
        kind: CredentialKind,
    },

    /// The workspace id cannot be sent as an HTTP header.
    #[error("the workspace id contains characters that cannot be sent in an HTTP header")]
    InvalidWorkspaceId,

    /// The credential cannot be sent as an HTTP header.
    #[error("the {kind} contains characters that cannot be sent in an HTTP header")]
    CredentialNotAHeaderValue {
        /// The kind of credential given.
        kind: CredentialKind,
    },

    /// More than one credential was given.
    #[error("more than one credential given ({first} and {second}); give exactly one")]
    ConflictingCredentials {
        /// The first one given.
        first: &'static str,
        /// The one given after it.
        second: &'static str,
    },

    /// A user identifier key for publishable-key sign-in that looks like an
    /// email address.
    #[error(
        "the user identifier key looks like an email address; emails are common knowledge or easily \
         guessed, so use a key with enough entropy known only to the owner of the client session \
         (see https://docs.seam.co/latest/seam-components/overview/get-started-with-client-side-components)"
    )]
    InsecureUserIdentifierKey,

    /// The endpoint is not a usable URL.
    #[error("invalid endpoint {endpoint:?}: {reason}")]
    InvalidEndpoint {
        /// The endpoint as given.
        endpoint: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A plain-HTTP endpoint that is not on loopback: credentials would
    /// travel in clear text.
    #[error(
        "endpoint {endpoint:?} is plain HTTP on a non-loopback host; use https, or opt in with \
         SeamBuilder::allow_insecure_http(true)"
    )]
    InsecureEndpoint {
        /// The endpoint as given.
        endpoint: String,
    },

    /// A plan for waiting on action attempts that cannot work: a zero
    /// timeout or polling interval, or an interval longer than the timeout.
    #[error(
        "invalid action attempt polling: timeout {timeout:?}, polling interval {interval:?} (both must be \
         above zero, and the interval no longer than the timeout)"
    )]
    InvalidActionAttemptPolling {
        /// The time budget for waiting.
        timeout: Duration,
        /// The time between reads.
        interval: Duration,
    },

    /// The HTTP client could not be built (TLS backend or resolver setup).
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),

    /// A default header ([`SeamBuilder::header`](crate::SeamBuilder::header))
    /// that this crate sets itself, or that would stand in for the
    /// credential: `authorization`, `client-session-token` or any `seam-…`
    /// header.
    #[error(
        "the header `{name}` is set by seam-api (credentials and Seam's own headers); it cannot be a default header"
    )]
    ReservedHeader {
        /// The header's name, lowercased.
        name: String,
    },

    /// A default header whose name or value is not a valid HTTP header.
    /// The value is never shown: it may be a secret.
    #[error("the header `{name}` is not a valid HTTP header name and value")]
    InvalidHeader {
        /// The header's name, as given.
        name: String,
    },
}

impl ConfigError {
    /// The variant's name, for `Debug`.
    fn name(&self) -> &'static str {
        match self {
            Self::MissingCredential => "MissingCredential",
            Self::WrongCredentialKind { .. } => "WrongCredentialKind",
            Self::MissingWorkspaceId { .. } => "MissingWorkspaceId",
            Self::WorkspaceRequired { .. } => "WorkspaceRequired",
            Self::NotWorkspaceLess { .. } => "NotWorkspaceLess",
            Self::NotAClientSessionClient { .. } => "NotAClientSessionClient",
            Self::InvalidWorkspaceId => "InvalidWorkspaceId",
            Self::CredentialNotAHeaderValue { .. } => "CredentialNotAHeaderValue",
            Self::ConflictingCredentials { .. } => "ConflictingCredentials",
            Self::InsecureUserIdentifierKey => "InsecureUserIdentifierKey",
            Self::InvalidEndpoint { .. } => "InvalidEndpoint",
            Self::InsecureEndpoint { .. } => "InsecureEndpoint",
            Self::InvalidActionAttemptPolling { .. } => "InvalidActionAttemptPolling",
            Self::HttpClient(_) => "HttpClient",
            Self::ReservedHeader { .. } => "ReservedHeader",
            Self::InvalidHeader { .. } => "InvalidHeader",
        }
    }
}

// The sentence, not only the variant: `?` out of `main` prints `Debug`. The
// sentence holds every field (none is a secret: the credential never is one).
impl fmt::Debug for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {self}", self.name())
    }
}

fn article(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::ApiKey => "an",
        _ => "a",
    }
}

struct FoundKind(Option<CredentialKind>);

impl fmt::Display for FoundKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(kind) => write!(f, "{} {kind}", article(kind)),
            None => f.write_str("a token that is no Seam credential"),
        }
    }
}

/// Seam's message, or a word for its absence (an error body may lack one).
struct Message<'a>(&'a str);

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() { "no message" } else { self.0 })
    }
}

struct RequestIdSuffix<'a>(Option<&'a str>);

impl fmt::Display for RequestIdSuffix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(id) => write!(f, " (seam-request-id: {id})"),
            None => Ok(()),
        }
    }
}

struct OptionalStatus(Option<StatusCode>);

impl fmt::Display for OptionalStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(status) => write!(f, "{status}"),
            None => f.write_str("(status unknown)"),
        }
    }
}

/// The start of a body, for error messages: at most [`EXCERPT_LIMIT`] bytes
/// of text, cut at a character boundary. Invalid UTF-8 shows as U+FFFD,
/// which takes three bytes, so the limit applies to the text, not the input.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_LIMIT)]);
    let mut end = text.len().min(EXCERPT_LIMIT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &text[..end];
    // A multi-byte character split at the limit decodes as U+FFFD; drop it.
    let cut = if body.len() > EXCERPT_LIMIT { cut.trim_end_matches('\u{FFFD}') } else { cut };
    cut.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_bounded_and_valid_utf8() {
        let long = "é".repeat(EXCERPT_LIMIT);
        let cut = excerpt(long.as_bytes());
        assert!(cut.len() <= EXCERPT_LIMIT);
        assert!(cut.chars().all(|c| c == 'é'));
        assert_eq!(excerpt(b"plain"), "plain");
        assert_eq!(excerpt(&[0xff, b'a']), "\u{FFFD}a");
        // Each invalid byte becomes a three-byte U+FFFD: still bounded.
        assert!(excerpt(&[0xff; 2 * EXCERPT_LIMIT]).len() <= EXCERPT_LIMIT);
        assert!(excerpt(&[0xff; EXCERPT_LIMIT - 1]).len() <= EXCERPT_LIMIT);
    }

    #[test]
    fn messages_name_status_type_and_request_id() {
        let error = Error::Api {
            status: StatusCode::NOT_FOUND,
            request_id: Some("request3".into()),
            retry_after: None,
            error: Box::new(ApiError::new("client_session_not_found", "Could not find client session")),
        };
        assert_eq!(
            error.to_string(),
            "404 Not Found client_session_not_found: Could not find client session (seam-request-id: request3)"
        );
        let without_message = Error::Api {
            status: StatusCode::SERVICE_UNAVAILABLE,
            request_id: None,
            retry_after: None,
            error: Box::new(ApiError::new("device_offline", "")),
        };
        assert_eq!(without_message.to_string(), "503 Service Unavailable device_offline: no message");
        assert!(error.is_not_found() && !error.is_unauthorized() && !error.is_retryable());
    }

    #[test]
    fn a_404_without_seams_error_body_is_not_not_found() {
        // httpmock's answer to a request it has no mock for.
        let error = Error::Http {
            status: StatusCode::NOT_FOUND,
            request_id: None,
            retry_after: None,
            excerpt: r#"{"message":"Request did not match any route or mock"}"#.into(),
        };
        assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
        assert!(!error.is_not_found());
    }

    #[test]
    fn a_configuration_error_s_debug_keeps_its_sentence() {
        // What `?` out of `main` prints, `Error: {:?}`.
        let error = Error::from(ConfigError::MissingCredential);
        insta::assert_snapshot!(format!("Error: {error:?}"), @"Error: Config(MissingCredential: no credential: set SEAM_API_KEY (or SEAM_PERSONAL_ACCESS_TOKEN with SEAM_WORKSPACE_ID), or give one to Seam::builder())");
    }

    #[test]
    fn retryable_statuses() {
        let http = |code: u16| Error::Http {
            status: StatusCode::from_u16(code).unwrap(),
            request_id: None,
            retry_after: None,
            excerpt: String::new(),
        };
        assert!(http(429).is_retryable() && http(503).is_retryable() && http(408).is_retryable());
        assert!(!http(400).is_retryable() && !http(401).is_retryable() && !http(404).is_retryable());
    }
}
