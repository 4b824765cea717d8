//! [`SeamBuilder`]: the credential, the endpoint, the HTTP client and its
//! settings, from code or from the environment; checked when it builds a
//! client.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::action_attempt::WaitSettings;
use crate::auth::{Credential, Workspace};
use crate::client::{
    CONNECT_TIMEOUT, DEFAULT_ENDPOINT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, Rebuild, Seam,
    SeamWithoutWorkspace,
};
use crate::credential_kind::CredentialKind;
use crate::error::{ConfigError, Result};
use crate::generated;
use crate::hooks::ClientSettings;
use crate::retry::RetryPolicy;
use crate::trace::Server;

mod checks;

use checks::{check_endpoint, default_headers};

/// Configures a [`Seam`] client: one credential, the endpoint, timeouts.
///
/// Mistakes (no credential, two credentials, a token of the wrong kind, a
/// malformed endpoint) are reported by [`build`](Self::build), never by a
/// panic.
#[derive(Clone, Default)]
pub struct SeamBuilder {
    pub(crate) credentials: Vec<(CredentialKind, String, Workspace, &'static str)>,
    pub(crate) endpoint: Option<String>,
    pub(crate) http_client: Option<crate::hooks::HttpClient>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: Option<usize>,
    pub(crate) allow_insecure_http: bool,
    pub(crate) action_attempts: WaitSettings,
}

impl fmt::Debug for SeamBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds: Vec<CredentialKind> = self.credentials.iter().map(|c| c.0).collect();
        f.debug_struct("SeamBuilder")
            .field("credentials", &kinds)
            .field("endpoint", &self.endpoint)
            .field("http_client", &self.http_client.as_ref().map(|_| "given"))
            // Names only: a header's value may be a secret.
            .field("headers", &self.headers.iter().map(|(name, _)| name).collect::<Vec<_>>())
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("action_attempts", &self.action_attempts)
            .finish()
    }
}

impl SeamBuilder {
    /// A builder primed from the environment, as Seam's official SDKs read
    /// it: `SEAM_API_KEY`, or `SEAM_PERSONAL_ACCESS_TOKEN` with
    /// `SEAM_WORKSPACE_ID`; `SEAM_ENDPOINT` for the endpoint. Empty
    /// variables count as unset.
    ///
    /// The environment is a fallback: what is set on the builder afterwards
    /// wins. A credential given in code replaces the environment's (so
    /// `SeamBuilder::from_env().client_session_token(token)` takes the
    /// endpoint from `SEAM_ENDPOINT` and the token from code), and
    /// [`endpoint`](Self::endpoint) replaces `SEAM_ENDPOINT`. Two
    /// credentials from the same place, both in the environment or both in
    /// code, are an error at [`build`](Self::build).
    ///
    /// ```no_run
    /// # fn example(token: &str) -> seam_api::Result<()> {
    /// let seam = seam_api::SeamBuilder::from_env().client_session_token(token).build()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) over any source of variables.
    fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let var = |name: &str| set_var(&lookup, name);
        let mut builder = Self::default();
        if let Some(key) = var("SEAM_API_KEY") {
            builder.push(CredentialKind::ApiKey, key, Workspace::Implied, "SEAM_API_KEY");
        }
        if let Some(token) = var("SEAM_PERSONAL_ACCESS_TOKEN") {
            builder.push(
                CredentialKind::PersonalAccessToken,
                token,
                Workspace::Id(var("SEAM_WORKSPACE_ID").unwrap_or_default()),
                "SEAM_PERSONAL_ACCESS_TOKEN",
            );
        }
        builder.endpoint = var("SEAM_ENDPOINT");
        builder
    }

    fn push(&mut self, kind: CredentialKind, token: String, workspace: Workspace, source: &'static str) {
        // A credential given in code replaces the environment's.
        if !is_from_env(source) {
            self.credentials.retain(|(.., given)| !is_from_env(given));
        }
        self.credentials.push((kind, token, workspace, source));
    }

    /// Authenticate with a workspace API key (`seam_…`).
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.push(CredentialKind::ApiKey, api_key.into(), Workspace::Implied, "api_key");
        self
    }

    /// Authenticate as one of your users with a client session token
    /// (`seam_cst…`).
    pub fn client_session_token(mut self, token: impl Into<String>) -> Self {
        self.push(
            CredentialKind::ClientSessionToken,
            token.into(),
            Workspace::Implied,
            "client_session_token",
        );
        self
    }

    /// Authenticate with a personal access token (`seam_at…`) in one
    /// workspace.
    pub fn personal_access_token(
        mut self,
        token: impl Into<String>,
        workspace_id: impl Into<String>,
    ) -> Self {
        self.push(
            CredentialKind::PersonalAccessToken,
            token.into(),
            Workspace::Id(workspace_id.into()),
            "personal_access_token",
        );
        self
    }

    /// Authenticate with a personal access token (`seam_at…`) in no
    /// workspace, for [`build_without_workspace`](Self::build_without_workspace):
    /// such a client can only create and list workspaces.
    pub fn personal_access_token_without_workspace(mut self, token: impl Into<String>) -> Self {
        self.push(
            CredentialKind::PersonalAccessToken,
            token.into(),
            Workspace::Without,
            "personal_access_token_without_workspace",
        );
        self
    }

    /// Authenticate with a Seam Console session token (a JWT) in no
    /// workspace, for [`build_without_workspace`](Self::build_without_workspace):
    /// such a client can only create and list workspaces.
    pub fn console_session_token_without_workspace(mut self, token: impl Into<String>) -> Self {
        self.push(
            CredentialKind::ConsoleSessionToken,
            token.into(),
            Workspace::Without,
            "console_session_token_without_workspace",
        );
        self
    }

    /// Authenticate with a Seam Console session token (a JWT) in one
    /// workspace.
    pub fn console_session_token(
        mut self,
        token: impl Into<String>,
        workspace_id: impl Into<String>,
    ) -> Self {
        self.push(
            CredentialKind::ConsoleSessionToken,
            token.into(),
            Workspace::Id(workspace_id.into()),
            "console_session_token",
        );
        self
    }

    /// The endpoint to call instead of [`DEFAULT_ENDPOINT`].
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sends every request through `client`, the application's own
    /// `reqwest::Client`, instead of one this builder makes: to share its
    /// connection pool, proxy settings, root certificates or DNS resolver.
    ///
    /// This crate still sets, on every request, the credential, Seam's
    /// `seam-sdk-name` and `seam-sdk-version` headers, the
    /// [`header`](Self::header)s, the [`timeout`](Self::timeout) of each
    /// attempt, the JSON body, and reads the response with the
    /// [`max_response_bytes`](Self::max_response_bytes) cap and the
    /// retries. It leaves to `client` what is set when a `reqwest::Client`
    /// is built: TLS, proxies, the connection pool, the connect timeout,
    /// redirects (reqwest drops the credential on a redirect to another
    /// host), HTTP versions, and its user agent and default headers (those
    /// this crate sets win).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client.into());
        self
    }

    /// Adds `name: value` to every request, as a default header: a
    /// tracing id, a proxy's header. A header this crate sets itself
    /// (`authorization`, `client-session-token`, any `seam-…` header) is
    /// refused at [`build`](Self::build) as [`ConfigError::ReservedHeader`],
    /// so a default header can never stand in for the credential; an
    /// invalid name or value is [`ConfigError::InvalidHeader`]. A later
    /// value for the same name replaces an earlier one.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// How long one request may take in all, instead of [`DEFAULT_TIMEOUT`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times in all a read (get, list) is sent before its error is
    /// returned: 3 by default, 1 for no retries. Reads are retried on
    /// connection failures, 429 and 5xx, after an exponential backoff with
    /// jitter (200 ms, then 400 ms, … up to 5 s) or after the server's
    /// `Retry-After` when it asks for at most 30 s. Writes are resent only
    /// when the connection could not be established. Values below 1 count
    /// as 1.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.retry.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry (200 ms by default); it doubles for
    /// each retry after, up to 5 s, and half of it is random jitter.
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.retry.base_delay = delay;
        self
    }

    /// The largest response body to read, in bytes, instead of
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]; a longer one is cut off with
    /// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge) rather than buffered whole.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Allow a plain `http://` endpoint on a non-loopback host. Off by
    /// default, since the credential would cross the network in clear text;
    /// loopback endpoints (tests, local fakes) never need it.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Whether operations that start an action on a device (unlock, set a
    /// thermostat, encode a card) wait for its action attempt to finish:
    /// on by default, as in Seam's official SDKs. While waiting, `send()`
    /// reads the attempt back every
    /// [`action_attempt_polling_interval`](Self::action_attempt_polling_interval)
    /// until it succeeds (and returns it), fails
    /// ([`Error::ActionAttemptFailed`](crate::Error)) or the
    /// [`action_attempt_timeout`](Self::action_attempt_timeout) runs out
    /// ([`Error::ActionAttemptTimeout`](crate::Error)). Off, `send()`
    /// returns the attempt as the action's response left it (usually
    /// `pending`). Each request can override this.
    pub fn wait_for_action_attempts(mut self, wait: bool) -> Self {
        self.action_attempts.wait = Some(wait);
        self
    }

    /// How long `send()` waits for an action attempt in all, instead of
    /// [`DEFAULT_ACTION_ATTEMPT_TIMEOUT`](crate::DEFAULT_ACTION_ATTEMPT_TIMEOUT)
    /// (10 s). Zero is a configuration error.
    pub fn action_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.action_attempts.timeout = Some(timeout);
        self
    }

    /// How often `send()` reads a pending action attempt back, instead of
    /// [`DEFAULT_ACTION_ATTEMPT_POLLING_INTERVAL`](crate::DEFAULT_ACTION_ATTEMPT_POLLING_INTERVAL)
    /// (1 s). Zero, or longer than the timeout, is a configuration error.
    pub fn action_attempt_polling_interval(mut self, interval: Duration) -> Self {
        self.action_attempts.polling_interval = Some(interval);
        self
    }

    /// Signs a user in with a publishable key and builds a client that acts
    /// with their client session token; see [`Seam::from_publishable_key`].
    /// The builder must hold no other credential. Needs the
    /// `client_sessions` feature (sign-in is a client session call).
    #[cfg(feature = "client_sessions")]
    pub async fn build_with_publishable_key(
        self,
        publishable_key: impl Into<String>,
        user_identifier_key: impl Into<String>,
    ) -> Result<Seam> {
        let user_identifier_key = user_identifier_key.into();
        if crate::auth::looks_like_email(&user_identifier_key) {
            return Err(ConfigError::InsecureUserIdentifierKey.into());
        }
        // The publishable key is given in code: it replaces the environment's
        // credential, and conflicts with another given in code.
        let mut base = self;
        base.credentials.retain(|(.., source)| !is_from_env(source));
        if let Some(given) = base.credentials.first() {
            return Err(
                ConfigError::ConflictingCredentials { first: given.3, second: "publishable_key" }.into()
            );
        }
        let mut signing_in = base.clone();
        signing_in.push(
            CredentialKind::PublishableKey,
            publishable_key.into(),
            Workspace::Implied,
            "publishable_key",
        );
        let session = signing_in
            .build()?
            .client_sessions()
            .get_or_create()
            .user_identifier_key(user_identifier_key)
            .send()
            .await?;
        base.client_session_token(session.token.into_inner()).build()
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Seam> {
        let seam = self.build_any()?;
        if seam.without_workspace {
            return Err(ConfigError::WorkspaceRequired { kind: seam.credential_kind }.into());
        }
        Ok(seam)
    }

    /// Checks the configuration and builds a client for a personal access
    /// token or console session token given without a workspace
    /// ([`personal_access_token_without_workspace`](Self::personal_access_token_without_workspace),
    /// [`console_session_token_without_workspace`](Self::console_session_token_without_workspace)).
    /// Any other credential is an error.
    pub fn build_without_workspace(self) -> Result<SeamWithoutWorkspace> {
        let seam = self.build_any()?;
        if !seam.without_workspace {
            return Err(ConfigError::NotWorkspaceLess { kind: Some(seam.credential_kind) }.into());
        }
        Ok(SeamWithoutWorkspace { seam })
    }

    fn build_any(self) -> Result<Seam> {
        let config = Arc::new(self.clone());
        let credential = match self.credentials.as_slice() {
            [] => return Err(ConfigError::MissingCredential.into()),
            [(kind, token, workspace, _)] => Credential::new(*kind, token.clone(), workspace.clone())?,
            [first, second, ..] => {
                return Err(ConfigError::ConflictingCredentials { first: first.3, second: second.3 }.into());
            }
        };
        let endpoint =
            check_endpoint(self.endpoint.as_deref().unwrap_or(DEFAULT_ENDPOINT), self.allow_insecure_http)?;
        self.action_attempts.over(WaitSettings::default())?;

        let mut headers = default_headers(&self.headers)?;
        headers.extend(credential.headers()?);
        headers.insert(HeaderName::from_static("seam-sdk-name"), HeaderValue::from_static("seam-api (rust)"));
        headers.insert(
            HeaderName::from_static("seam-sdk-version"),
            HeaderValue::from_static(env!("CARGO_PKG_VERSION")),
        );

        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let http = match self.http_client {
            Some(client) => client,
            None => {
                install_ring_provider();
                reqwest::Client::builder()
                    .user_agent(concat!("seam-api-rust/", env!("CARGO_PKG_VERSION")))
                    .timeout(timeout)
                    .connect_timeout(CONNECT_TIMEOUT.min(timeout))
                    .build()
                    .map_err(ConfigError::HttpClient)?
                    .into()
            }
        };

        let rebuild: Rebuild = Arc::new(move |token: String| {
            let mut again = SeamBuilder::clone(&config);
            again.credentials.clear();
            again.client_session_token(token).build()
        });
        Ok(Seam {
            api: generated::Client::new_with_client(
                &endpoint,
                http,
                ClientSettings {
                    max_response_bytes: self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                    headers,
                    timeout,
                },
            ),
            server: Server::of(&endpoint),
            endpoint,
            credential_kind: credential.kind(),
            without_workspace: credential.is_without_workspace(),
            retry: self.retry,
            action_attempts: self.action_attempts,
            rebuild,
        })
    }
}

impl Seam {
    /// Starts configuring a client.
    pub fn builder() -> SeamBuilder {
        SeamBuilder::default()
    }

    /// A client authenticated with an API key, on the default endpoint.
    pub fn with_api_key(api_key: impl Into<String>) -> Result<Self> {
        Self::builder().api_key(api_key).build()
    }

    /// Signs one of your users in from a client (a browser, an app) with your
    /// workspace's publishable key: gets or creates the client session for
    /// `user_identifier_key` and returns a client acting with its token, as
    /// `SeamHttp.fromPublishableKey` does in Seam's JavaScript SDK. See
    /// [`SeamBuilder::build_with_publishable_key`] to set an endpoint or
    /// timeout.
    ///
    /// A user identifier key that looks like an email address is refused:
    /// it would be easy to guess.
    ///
    /// ```no_run
    /// # async fn example() -> seam_api::Result<()> {
    /// let seam = seam_api::Seam::from_publishable_key("seam_pk1_token", "a-random-user-key").await?;
    /// let devices_for_this_user = seam.client_sessions().get().send().await?.device_count;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "client_sessions")]
    pub async fn from_publishable_key(
        publishable_key: impl Into<String>,
        user_identifier_key: impl Into<String>,
    ) -> Result<Self> {
        Self::builder().build_with_publishable_key(publishable_key, user_identifier_key).await
    }

    /// A client configured from the environment; see [`SeamBuilder::from_env`].
    pub fn from_env() -> Result<Self> {
        SeamBuilder::from_env().build()
    }
}

impl SeamWithoutWorkspace {
    /// A client for a personal access token (`seam_at…`), on the default
    /// endpoint. [`SeamBuilder::personal_access_token_without_workspace`]
    /// sets anything else.
    pub fn from_personal_access_token(token: impl Into<String>) -> Result<Self> {
        Seam::builder().personal_access_token_without_workspace(token).build_without_workspace()
    }

    /// A client for a Seam Console session token (a JWT), on the default
    /// endpoint.
    pub fn from_console_session_token(token: impl Into<String>) -> Result<Self> {
        Seam::builder().console_session_token_without_workspace(token).build_without_workspace()
    }

    /// A client for `SEAM_PERSONAL_ACCESS_TOKEN` (any `SEAM_WORKSPACE_ID`
    /// is not used) on `SEAM_ENDPOINT` or the default endpoint.
    pub fn from_env() -> Result<Self> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let var = |name: &str| set_var(&lookup, name);
        let token = var("SEAM_PERSONAL_ACCESS_TOKEN").ok_or(ConfigError::MissingCredential)?;
        let mut builder = Seam::builder().personal_access_token_without_workspace(token);
        builder.endpoint = var("SEAM_ENDPOINT");
        builder.build_without_workspace()
    }
}

/// Whether a credential's source is an environment variable (`SEAM_API_KEY`)
/// rather than a builder method (`api_key`).
fn is_from_env(source: &str) -> bool {
    source.starts_with("SEAM_")
}

/// A variable's value, if set and not blank: as the official SDKs read the
/// environment, an empty variable counts as unset.
pub(crate) fn set_var(lookup: &impl Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    lookup(name).filter(|value| !value.trim().is_empty())
}

/// With `rustls-ring` (and not `rustls`), reqwest has no crypto provider
/// of its own and takes the process's: ring, unless the application
/// installed one first (then `install_default` fails, and theirs is used).
#[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
fn install_ring_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(not(all(feature = "rustls-ring", not(feature = "rustls"))))]
fn install_ring_provider() {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Seam;
    use crate::credential_kind::CredentialKind;
    use crate::error::{ConfigError, Error};

    fn from_vars(vars: &[(&str, &str)]) -> Result<Seam> {
        let vars: std::collections::HashMap<String, String> =
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        SeamBuilder::from_vars(|name| vars.get(name).cloned()).build()
    }

    #[test]
    fn builder_errors_instead_of_panicking() {
        let error = Seam::builder().build().unwrap_err();
        assert!(matches!(error, Error::Config(ConfigError::MissingCredential)));
        let error = Seam::builder().api_key("seam_a").client_session_token("seam_cst1").build().unwrap_err();
        assert_eq!(
            error.to_string(),
            "more than one credential given (api_key and client_session_token); give exactly one"
        );
        let error = Seam::builder().client_session_token("seam_apikey1_secret").build().unwrap_err();
        assert_eq!(
            error.to_string(),
            "expected a client session token (a token starting with `seam_cst`), got an API key"
        );
    }

    #[test]
    fn reads_the_environment_as_the_official_sdks_do() {
        let seam = from_vars(&[("SEAM_API_KEY", "seam_apikey1_token")]).unwrap();
        assert_eq!((seam.credential_kind(), seam.endpoint()), (CredentialKind::ApiKey, DEFAULT_ENDPOINT));

        let seam = from_vars(&[
            ("SEAM_PERSONAL_ACCESS_TOKEN", "seam_at1_longtoken"),
            ("SEAM_WORKSPACE_ID", "seed_workspace_1"),
            ("SEAM_ENDPOINT", "http://127.0.0.1:9/"),
            ("SEAM_API_KEY", ""),
        ])
        .unwrap();
        assert_eq!(seam.credential_kind(), CredentialKind::PersonalAccessToken);
        assert_eq!(seam.endpoint(), "http://127.0.0.1:9");

        let error = from_vars(&[("SEAM_PERSONAL_ACCESS_TOKEN", "seam_at1_longtoken")]).unwrap_err();
        assert_eq!(error.to_string(), "a personal access token needs a workspace id");

        let error = from_vars(&[
            ("SEAM_API_KEY", "seam_apikey1_token"),
            ("SEAM_PERSONAL_ACCESS_TOKEN", "seam_at1_longtoken"),
            ("SEAM_WORKSPACE_ID", "w"),
        ])
        .unwrap_err();
        assert!(matches!(error, Error::Config(ConfigError::ConflictingCredentials { .. })), "{error}");

        let error = from_vars(&[]).unwrap_err();
        assert!(matches!(error, Error::Config(ConfigError::MissingCredential)));

        let error =
            from_vars(&[("SEAM_API_KEY", "seam_apikey1_token"), ("SEAM_ENDPOINT", "http://seam.example")])
                .unwrap_err();
        assert!(matches!(error, Error::Config(ConfigError::InsecureEndpoint { .. })));
    }

    #[test]
    fn the_environment_is_a_fallback_that_code_overrides() {
        let env = |vars: &[(&str, &str)]| {
            let vars: std::collections::HashMap<String, String> =
                vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            SeamBuilder::from_vars(move |name| vars.get(name).cloned())
        };
        let key = [("SEAM_API_KEY", "seam_apikey1_token"), ("SEAM_ENDPOINT", "http://127.0.0.1:9")];
        // A credential in code replaces the environment's, whatever kind;
        // the environment's endpoint stays.
        let seam = env(&key).client_session_token("seam_cst1_token").build().unwrap();
        assert_eq!(seam.credential_kind(), CredentialKind::ClientSessionToken);
        assert_eq!(seam.endpoint(), "http://127.0.0.1:9");
        let seam = env(&key).api_key("seam_apikey2_token").build().unwrap();
        assert_eq!(seam.credential_kind(), CredentialKind::ApiKey);
        let pat = [("SEAM_PERSONAL_ACCESS_TOKEN", "seam_at1_longtoken"), ("SEAM_WORKSPACE_ID", "w")];
        let seam = env(&pat).api_key("seam_apikey1_token").build().unwrap();
        assert_eq!(seam.credential_kind(), CredentialKind::ApiKey);
        // Even two conflicting credentials in the environment give way.
        let both = [("SEAM_API_KEY", "seam_apikey1_token"), pat[0], pat[1]];
        assert!(env(&both).build().is_err());
        let seam = env(&both).console_session_token("eyJhbGciOiJIUzI1NiJ9.e30.x", "w").build().unwrap();
        assert_eq!(seam.credential_kind(), CredentialKind::ConsoleSessionToken);
        // An endpoint in code replaces the environment's.
        let seam = env(&key).endpoint("http://127.0.0.1:10").build().unwrap();
        assert_eq!(seam.endpoint(), "http://127.0.0.1:10");
        // Two credentials in code are still an error.
        let error = env(&key).api_key("seam_apikey2_token").client_session_token("seam_cst1_token").build();
        assert!(
            matches!(error, Err(Error::Config(ConfigError::ConflictingCredentials { first: "api_key", .. }))),
            "{error:?}"
        );
    }

    #[test]
    fn every_credential_kind_has_a_builder() {
        let cases = [
            (Seam::builder().api_key("seam_apikey1_token"), CredentialKind::ApiKey),
            (Seam::builder().client_session_token("seam_cst1_token"), CredentialKind::ClientSessionToken),
            (Seam::builder().personal_access_token("seam_at1_x", "w"), CredentialKind::PersonalAccessToken),
            (
                Seam::builder().console_session_token("eyJhbGciOiJIUzI1NiJ9.e30.x", "w"),
                CredentialKind::ConsoleSessionToken,
            ),
        ];
        for (builder, kind) in cases {
            assert_eq!(builder.build().unwrap().credential_kind(), kind);
        }
        let error = Seam::builder().console_session_token("seam_apikey1_token", "w").build().unwrap_err();
        assert_eq!(
            error.to_string(),
            "expected a console session token (a JWT starting with `ey`), got an API key"
        );
        let error = Seam::builder().api_key("sk_live_secret").build().unwrap_err();
        assert!(error.to_string().ends_with("got a token that is no Seam credential"), "{error}");
        assert!(!format!("{error:?}").contains("sk_live_secret"));
    }

    #[cfg(feature = "client_sessions")]
    #[tokio::test]
    async fn publishable_key_sign_in_refuses_emails_and_other_credentials() {
        let error = Seam::from_publishable_key("seam_pk1_token", "jane@example.com").await.unwrap_err();
        assert!(matches!(error, Error::Config(ConfigError::InsecureUserIdentifierKey)), "{error}");
        let error = Seam::builder()
            .api_key("seam_apikey1_token")
            .build_with_publishable_key("seam_pk1_token", "user-42")
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Config(ConfigError::ConflictingCredentials { .. })), "{error}");
        let error = Seam::from_publishable_key("seam_apikey1_token", "user-42").await.unwrap_err();
        assert_eq!(
            error.to_string(),
            "expected a publishable key (a key starting with `seam_pk`), got an API key"
        );
    }

    #[cfg(feature = "client_sessions")]
    #[test]
    fn a_token_without_a_workspace_builds_only_a_workspace_less_client() {
        let error =
            Seam::builder().personal_access_token_without_workspace("seam_at1_x").build().unwrap_err();
        assert!(matches!(error, Error::Config(ConfigError::WorkspaceRequired { .. })), "{error}");
        assert!(error.to_string().contains("build_without_workspace()"), "{error}");

        let seam =
            Seam::builder().personal_access_token_without_workspace("seam_at1_x").build_without_workspace();
        assert_eq!(seam.unwrap().credential_kind(), CredentialKind::PersonalAccessToken);
        let seam =
            crate::client::SeamWithoutWorkspace::from_console_session_token("eyJhbGciOiJIUzI1NiJ9.e30.x")
                .unwrap();
        assert_eq!(seam.credential_kind(), CredentialKind::ConsoleSessionToken);

        for builder in [
            Seam::builder().api_key("seam_apikey1_token"),
            Seam::builder().personal_access_token("seam_at1_x", "workspace_1"),
        ] {
            let error = builder.build_without_workspace().unwrap_err();
            assert!(matches!(error, Error::Config(ConfigError::NotWorkspaceLess { .. })), "{error}");
        }
        let error = crate::client::SeamWithoutWorkspace::from_personal_access_token("seam_apikey1_token")
            .unwrap_err();
        assert!(matches!(error, Error::Config(ConfigError::WrongCredentialKind { .. })), "{error}");

        let vars = |name: &str| match name {
            "SEAM_PERSONAL_ACCESS_TOKEN" => Some("seam_at1_x".to_owned()),
            "SEAM_ENDPOINT" => Some("http://127.0.0.1:9".to_owned()),
            _ => None,
        };
        assert_eq!(
            crate::client::SeamWithoutWorkspace::from_vars(vars).unwrap().endpoint(),
            "http://127.0.0.1:9"
        );
        let error = crate::client::SeamWithoutWorkspace::from_vars(|_| None).unwrap_err();
        assert!(matches!(error, Error::Config(ConfigError::MissingCredential)), "{error}");
    }

    #[test]
    fn a_client_session_token_is_replaced_in_place_keeping_the_settings() {
        let mut seam = Seam::builder()
            .client_session_token("seam_cst1_old")
            .endpoint("http://127.0.0.1:9")
            .max_attempts(5)
            .build()
            .unwrap();
        seam.update_client_session_token("seam_cst2_new").unwrap();
        assert_eq!((seam.endpoint(), seam.retry.max_attempts), ("http://127.0.0.1:9", 5));

        let error = seam.update_client_session_token("seam_apikey1_token").unwrap_err();
        assert!(matches!(error, Error::Config(ConfigError::WrongCredentialKind { .. })), "{error}");
        let mut api_key_client = Seam::with_api_key("seam_apikey1_token").unwrap();
        let error = api_key_client.update_client_session_token("seam_cst2_new").unwrap_err();
        assert!(matches!(error, Error::Config(ConfigError::NotAClientSessionClient { .. })), "{error}");
    }

    #[test]
    fn debug_output_never_shows_the_credential() {
        let builder = Seam::builder().api_key("seam_apikey1_secret");
        let seam = builder.clone().build().unwrap();
        let shown = format!("{builder:?} {seam:?} {builder:#?} {seam:#?}");
        assert!(!shown.contains("seam_apikey1_secret"), "{shown}");
        assert!(shown.contains("ApiKey"), "{shown}");
    }

    #[cfg(feature = "client_sessions")]
    #[tokio::test]
    async fn a_renewed_client_session_token_is_the_one_sent() {
        use wiremock::matchers::header;
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        Mock::given(header("authorization", "Bearer seam_cst2_new"))
            .and(header("client-session-token", "seam_cst2_new"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
            .mount(&server)
            .await;
        let mut seam =
            Seam::builder().client_session_token("seam_cst1_old").endpoint(server.uri()).build().unwrap();
        seam.update_client_session_token("seam_cst2_new").unwrap();
        // wiremock answers 404 to a request with any other token.
        seam.post("/workspaces/get").send().await.unwrap();
    }
}
