//! The public entry point: [`Seam`] (made by [`SeamBuilder`](crate::SeamBuilder)).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use progenitor_client::ResponseValue;
use seam_types::ApiErrorResponse;

use crate::action_attempt::WaitSettings;
use crate::credential_kind::CredentialKind;
use crate::error::{ConfigError, Error, Result, excerpt};
use crate::generated;
use crate::hooks::{self, BodyFailure, ClientSettings, ResponseMeta};
use crate::response::ApiResponse;
use crate::retry::{Access, Decision, RetryPolicy};
use crate::trace::{self, Operation, Server};
use seam_types::__private::Reported;

/// Seam's production endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://connect.getseam.com";

/// How long one request may take, from sending it to reading the whole
/// response, unless [`SeamBuilder::timeout`](crate::SeamBuilder::timeout) says otherwise. Long enough for
/// Seam's slowest documented calls, short enough that a stalled connection
/// does not hang a caller that set no timeout of its own.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The largest response body a client reads unless
/// [`SeamBuilder::max_response_bytes`](crate::SeamBuilder::max_response_bytes) says otherwise: far above any
/// plausible Seam response, far below what would strain memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// How long establishing a connection may take.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A client for the Seam Connect API. Cheap to clone: clones share one
/// connection pool.
///
/// ```no_run
/// # async fn example() -> seam_api::Result<()> {
/// let seam = seam_api::Seam::builder()
///     .client_session_token("seam_cst1_token")
///     .build()?;
/// // A client session token may look itself up with an empty request.
/// let me = seam.client_sessions().get().send().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Seam {
    pub(crate) api: generated::Client,
    pub(crate) endpoint: String,
    /// The endpoint's parts, for the attempt spans.
    pub(crate) server: Server,
    pub(crate) credential_kind: CredentialKind,
    pub(crate) without_workspace: bool,
    pub(crate) retry: RetryPolicy,
    pub(crate) action_attempts: WaitSettings,
    /// Builds this client again with another client session token, every
    /// other setting kept (the builder sets it).
    pub(crate) rebuild: Rebuild,
}

/// See [`Seam::update_client_session_token`]: a new client from the same
/// settings with another client session token.
pub(crate) type Rebuild = Arc<dyn Fn(String) -> Result<Seam> + Send + Sync>;

impl fmt::Debug for Seam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Seam")
            .field("endpoint", &self.endpoint)
            .field("credential_kind", &self.credential_kind)
            .field("max_attempts", &self.retry.max_attempts)
            .field("action_attempts", &self.action_attempts)
            .finish_non_exhaustive()
    }
}

impl Seam {
    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The kind of credential this client authenticates with.
    pub fn credential_kind(&self) -> CredentialKind {
        self.credential_kind
    }

    /// Replaces this client's client session token with `token`, as
    /// `updateClientSessionToken` in Seam's JavaScript SDK: for a session
    /// whose token was renewed. Every other setting stays. The change
    /// applies to this value only; clones made before keep the old token.
    ///
    /// Only a client built with a client session token can take a new one,
    /// and `token` must look like one (`seam_cst…`). Unlike the JavaScript
    /// SDK, this does not call Seam to check the new token: the next call
    /// does, and a revoked token fails it with [`Error::Api`] (401).
    pub fn update_client_session_token(&mut self, token: impl Into<String>) -> Result<()> {
        if self.credential_kind != CredentialKind::ClientSessionToken {
            return Err(ConfigError::NotAClientSessionClient { kind: self.credential_kind }.into());
        }
        // The builder checks the token's kind, as for a new client.
        *self = (self.rebuild)(token.into())?;
        Ok(())
    }

    /// Runs one generated operation, retrying as [`RetryPolicy`] allows for
    /// its kind of access, and turns progenitor's result into this crate's
    /// response and error types. `send` builds a fresh request (with the
    /// same body) for each attempt. Each call is a `call` span and each
    /// attempt an `http` span under it (see `trace.rs`).
    pub(crate) async fn call<'a, T, F, Fut>(
        &'a self,
        operation: Operation<'_>,
        access: Access,
        send: F,
    ) -> Result<ApiResponse<T>>
    where
        T: Reported,
        F: FnMut(&'a generated::Client) -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<ApiErrorResponse>>>,
    {
        // Spans are given their parent rather than entered around the
        // futures, which would cost every poll of every call.
        let span = trace::call_span(&operation, access, self.credential_kind);
        self.attempts(operation, access, send, &span).await
    }

    async fn attempts<'a, T, F, Fut>(
        &'a self,
        operation: Operation<'_>,
        access: Access,
        mut send: F,
        call: &tracing::Span,
    ) -> Result<ApiResponse<T>>
    where
        T: Reported,
        F: FnMut(&'a generated::Client) -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<ApiErrorResponse>>>,
    {
        let started = trace::started(call);
        let mut attempt = 1;
        loop {
            let span = trace::attempt_span(call, &operation, &self.endpoint, &self.server, attempt);
            // Not boxed: the operation's future holds little, as
            // `hooks::exchange` boxes the sending and reading (the
            // `send()` futures are the same size either way, and a box
            // costs a call an allocation and a copy).
            let error = match send(&self.api).await {
                Ok(value) => {
                    trace::record_success([&span, call], value.status(), value.headers());
                    trace::record_outcome(call, attempt, None);
                    trace::absent_fields(call, &operation, value.reported());
                    trace::call_finished(
                        call,
                        &operation,
                        attempt,
                        started,
                        Ok((value.status(), value.headers())),
                    );
                    return Ok(ApiResponse::new(value));
                }
                Err(error) => convert_error(error, &self.api.inner).await,
            };
            trace::record_failure(&span, &error);
            let decision = self.retry.decide(access, attempt, &error);
            trace::retry_decision(call, attempt, &error, &decision);
            match decision {
                Decision::Retry { delay, .. } => tokio::time::sleep(delay).await,
                Decision::Stop(_) => {
                    trace::record_outcome(call, attempt, Some(&error));
                    trace::call_finished(call, &operation, attempt, started, Err(&error));
                    return Err(error);
                }
            }
            attempt += 1;
        }
    }
}

pub(crate) async fn convert_error(
    error: progenitor_client::Error<ApiErrorResponse>,
    settings: &ClientSettings,
) -> Error {
    use progenitor_client::Error as P;
    match error {
        P::ErrorResponse(value) => {
            let meta = ResponseMeta::of(value.status(), value.headers());
            let error = value.into_inner().error;
            Error::Api {
                status: meta.status,
                request_id: meta.request_id.or_else(|| error.request_id.clone()),
                retry_after: meta.retry_after,
                error: Box::new(error),
            }
        }
        P::UnexpectedResponse(mut response) => {
            let meta = ResponseMeta::of(response.status(), response.headers());
            match response.extensions_mut().remove::<BodyFailure>() {
                Some(BodyFailure::Decode(source)) => {
                    let source = source.lock().ok().and_then(|mut slot| slot.take());
                    let excerpt = read_excerpt(response).await;
                    match source {
                        // A success status whose body is not the documented
                        // type.
                        Some(source) if meta.status.is_success() => Error::Decode {
                            status: Some(meta.status),
                            request_id: meta.request_id,
                            excerpt,
                            source,
                        },
                        // An error status whose body is not Seam's error JSON.
                        _ => Error::Http {
                            status: meta.status,
                            request_id: meta.request_id,
                            retry_after: meta.retry_after,
                            excerpt,
                        },
                    }
                }
                Some(BodyFailure::Read(source)) => {
                    match source.lock().ok().and_then(|mut slot| slot.take()) {
                        Some(e) if hooks::is_too_large(&e) => Error::ResponseTooLarge {
                            status: meta.status,
                            request_id: meta.request_id,
                            limit: settings.max_response_bytes,
                        },
                        Some(e) if e.is_timeout() => Error::Timeout(e),
                        Some(e) => Error::Transport(e),
                        None => Error::Http {
                            status: meta.status,
                            request_id: meta.request_id,
                            retry_after: meta.retry_after,
                            excerpt: String::new(),
                        },
                    }
                }
                // An undocumented status, or an error status whose body is
                // not JSON.
                Some(BodyFailure::NotJson) | None => Error::Http {
                    status: meta.status,
                    request_id: meta.request_id,
                    retry_after: meta.retry_after,
                    excerpt: read_excerpt(response).await,
                },
            }
        }
        P::ResponseBodyError(e) if hooks::is_too_large(&e) => Error::ResponseTooLarge {
            status: reqwest::StatusCode::OK,
            request_id: None,
            limit: settings.max_response_bytes,
        },
        P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e) => {
            if e.is_timeout() {
                Error::Timeout(e)
            } else {
                Error::Transport(e)
            }
        }
        // Only progenitor's own decoding reports this, which the generated
        // operations no longer use; kept for completeness.
        P::InvalidResponsePayload(body, source) => {
            Error::Decode { status: None, request_id: None, excerpt: excerpt(&body), source }
        }
        P::InvalidRequest(message) | P::Custom(message) => Error::InvalidRequest(message),
    }
}

/// Reads at most an excerpt's worth of an unexpected body, never all of it.
async fn read_excerpt(mut response: reqwest::Response) -> String {
    let mut body = Vec::new();
    while body.len() < crate::error::EXCERPT_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    excerpt(&body)
}

/// A client for a personal access token or Seam Console session token
/// without a workspace id, which Seam lets create and list workspaces and
/// nothing else: those are the only methods it has, so asking it for any
/// other is a compile error. As `SeamHttpWithoutWorkspace` in Seam's
/// JavaScript SDK.
///
/// ```no_run
/// # async fn example() -> seam_api::Result<()> {
/// let seam = seam_api::SeamWithoutWorkspace::from_personal_access_token("seam_at1_token")?;
/// for workspace in seam.workspaces().list().send().await? {
///     println!("{}: {}", workspace.workspace_id, workspace.name);
/// }
/// # Ok(())
/// # }
/// ```
///
/// Anything else does not compile:
///
/// ```compile_fail
/// # async fn example() -> seam_api::Result<()> {
/// let seam = seam_api::SeamWithoutWorkspace::from_personal_access_token("seam_at1_token")?;
/// seam.devices().list().send().await?; // no method `devices`
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct SeamWithoutWorkspace {
    pub(crate) seam: Seam,
}

impl SeamWithoutWorkspace {
    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &str {
        self.seam.endpoint()
    }

    /// The kind of credential this client authenticates with.
    pub fn credential_kind(&self) -> CredentialKind {
        self.seam.credential_kind()
    }

    // The generated workspace-less methods (only in `workspaces`) use it.
    #[cfg_attr(not(feature = "workspaces"), allow(dead_code))]
    pub(crate) fn seam(&self) -> &Seam {
        &self.seam
    }
}
