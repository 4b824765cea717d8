//! What the client tells `tracing`: target `seam_api`, DEBUG only, so
//! nothing is logged at the levels applications log by default.
//!
//! - a span `call` per call, named (`otel.name`) after its operation
//!   (`locks.unlock_door`), with how many attempts it took and its outcome;
//! - a child span `http` per HTTP attempt, with OpenTelemetry's HTTP client
//!   fields (`http.request.method`, `url.full`, `server.address`,
//!   `server.port`, `http.request.resend_count`, `http.response.status_code`,
//!   `error.type`) and `seam.request_id`;
//! - an event when a call ends (`call succeeded` or `call failed`), with its
//!   operation, status, request id, attempts and duration, so that a plain
//!   `fmt` subscriber, which prints events and not spans, shows every call;
//! - an event for each retry decision, with its reason and delay, and the
//!   failed attempt's status and request id;
//! - an event for a response that decoded with fields it does not hold
//!   (`seam_types::Absent`), naming the operation and the fields' paths;
//! - a span while an action attempt is waited for, and an event per page of
//!   a stream and per webhook delivery.
//!
//! Never a credential, a request or response body, or a header value: ids
//! and cursors travel in bodies, so none of them is recorded either, except
//! an action attempt's id, which Seam support asks for, and the device an
//! action attempt that is waited for acts on.
//!
//! Fields are declared empty and recorded only when a span is enabled, so
//! with no subscriber a call costs a disabled-span check per span.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use seam_types::AbsentField;
use tracing::Span;
use tracing::field::Empty;

use crate::credential_kind::CredentialKind;
use crate::error::Error;
use crate::hooks::request_id_of;
use crate::retry::{Access, Decision};

/// Every span and event's target.
pub(crate) const TARGET: &str = "seam_api";

/// Which operation a call is, for its spans: `locks.unlock_door` at
/// `/locks/unlock_door`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Operation<'a> {
    pub(crate) name: &'static str,
    pub(crate) path: &'a str,
}

/// The endpoint's host and port, for the attempt spans' `server.*`.
#[derive(Clone, Debug)]
pub(crate) struct Server {
    pub(crate) host: String,
    pub(crate) port: u16,
}

impl Server {
    /// `endpoint` is a checked URL without a trailing slash.
    pub(crate) fn of(endpoint: &str) -> Self {
        let url = reqwest::Url::parse(endpoint).ok();
        Self {
            host: url.as_ref().and_then(|u| u.host_str()).unwrap_or_default().to_owned(),
            port: url.as_ref().and_then(reqwest::Url::port_or_known_default).unwrap_or_default(),
        }
    }
}

/// The span of one call, over all its attempts.
pub(crate) fn call_span(operation: &Operation, access: Access, kind: CredentialKind) -> Span {
    tracing::debug_span!(
        target: TARGET,
        "call",
        otel.name = operation.name,
        seam.operation = operation.name,
        seam.access = access.as_str(),
        seam.credential_kind = kind.as_str(),
        seam.attempts = Empty,
        http.response.status_code = Empty,
        seam.request_id = Empty,
        error.type = Empty,
        seam.error_type = Empty,
        otel.status_code = Empty,
    )
}

/// The span of one HTTP attempt (`attempt` counts from 1).
pub(crate) fn attempt_span(
    call: &Span,
    operation: &Operation,
    endpoint: &str,
    server: &Server,
    attempt: u32,
) -> Span {
    let span = tracing::debug_span!(
        target: TARGET,
        parent: call,
        "http",
        otel.kind = "client",
        otel.name = Empty,
        http.request.method = "POST",
        url.full = Empty,
        server.address = server.host.as_str(),
        server.port = server.port,
        http.request.resend_count = Empty,
        http.response.status_code = Empty,
        seam.request_id = Empty,
        error.type = Empty,
    );
    if !span.is_disabled() {
        span.record("otel.name", tracing::field::display(format_args!("POST {}", operation.path)));
        span.record("url.full", tracing::field::display(format_args!("{endpoint}{}", operation.path)));
        if attempt > 1 {
            span.record("http.request.resend_count", attempt - 1);
        }
    }
    span
}

/// A response that decoded, on the attempt's span and the call's.
pub(crate) fn record_success(spans: [&Span; 2], status: StatusCode, headers: &HeaderMap) {
    if spans.iter().all(|span| span.is_disabled()) {
        return;
    }
    let request_id = request_id_of(headers);
    for span in spans.into_iter().filter(|span| !span.is_disabled()) {
        span.record("http.response.status_code", status.as_u16());
        if let Some(id) = request_id {
            span.record("seam.request_id", id);
        }
    }
}

/// Most field paths one event names; the count says how many there were.
const MOST_PATHS: usize = 64;

/// A response that decoded with fields it does not hold (a value of the
/// wrong type, a dropped list item, a required field left out): one event
/// naming the operation and each field's path and why, never a value.
pub(crate) fn absent_fields(call: &Span, operation: &Operation, absent: &[AbsentField]) {
    if absent.is_empty() || !tracing::enabled!(target: TARGET, tracing::Level::DEBUG) {
        return;
    }
    tracing::debug!(
        target: TARGET,
        parent: call,
        {
            seam.operation = operation.name,
            seam.absent.count = absent.len(),
            seam.absent.fields = %AbsentPaths(absent),
        },
        "response decoded with fields it does not hold"
    );
}

/// `path (reason), …`, at most [`MOST_PATHS`] of them.
struct AbsentPaths<'a>(&'a [AbsentField]);

impl std::fmt::Display for AbsentPaths<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (index, field) in self.0.iter().take(MOST_PATHS).enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{} ({})", field.path, field.reason)?;
        }
        if self.0.len() > MOST_PATHS {
            write!(f, ", and {} more", self.0.len() - MOST_PATHS)?;
        }
        Ok(())
    }
}

/// A failed attempt, on its span.
pub(crate) fn record_failure(span: &Span, error: &Error) {
    if span.is_disabled() {
        return;
    }
    if let Some(status) = error.status() {
        span.record("http.response.status_code", status.as_u16());
    }
    if let Some(id) = error.request_id() {
        span.record("seam.request_id", id);
    }
    span.record("error.type", error_type(error));
}

/// How a call ended, on its span.
pub(crate) fn record_outcome(span: &Span, attempts: u32, error: Option<&Error>) {
    if span.is_disabled() {
        return;
    }
    span.record("seam.attempts", attempts);
    if let Some(error) = error {
        record_failure(span, error);
        if let Some(seam_type) = error.error_type() {
            span.record("seam.error_type", seam_type);
        }
        span.record("otel.status_code", "ERROR");
    }
}

// The device helpers serve the generated sends of actions that take a
// `device_id`; a build whose resources have only other actions (acs,
// workspaces) leaves them unused, as lib.rs says of `pagination`.

/// A request's device field: required (`String`) or optional.
#[cfg(feature = "action_attempts")]
#[allow(dead_code)]
pub(crate) trait DeviceField {
    fn device(&self) -> Option<&str>;
}

#[cfg(feature = "action_attempts")]
impl DeviceField for String {
    fn device(&self) -> Option<&str> {
        Some(self)
    }
}

#[cfg(feature = "action_attempts")]
impl DeviceField for Option<String> {
    fn device(&self) -> Option<&str> {
        self.as_deref()
    }
}

/// The device an action attempt acts on, for the wait's span: copied out
/// of the request only when something listens, so that an untraced call
/// allocates nothing for it. (Seam's device ids are ids, not secrets; they
/// travel in bodies, and only this span names one.)
#[cfg(feature = "action_attempts")]
#[allow(dead_code)]
pub(crate) fn wait_device(field: &impl DeviceField) -> Option<String> {
    if !tracing::enabled!(target: TARGET, tracing::Level::DEBUG) {
        return None;
    }
    field.device().map(str::to_owned)
}

/// When a call started, taken only when its span is enabled: with no
/// subscriber a call reads no clock.
pub(crate) fn started(call: &Span) -> Option<Instant> {
    if call.is_disabled() { None } else { Some(Instant::now()) }
}

/// How a call ended, as one event inside its span: a plain `fmt`
/// subscriber prints events, not spans, so without it a call that
/// succeeds would show nothing. Operation, status, request id, attempts
/// and duration; for a failure, its kind and Seam's error type.
pub(crate) fn call_finished(
    call: &Span,
    operation: &Operation,
    attempts: u32,
    started: Option<Instant>,
    outcome: Result<(StatusCode, &HeaderMap), &Error>,
) {
    let Some(started) = started else { return };
    let duration_ms = millis(started.elapsed());
    match outcome {
        Ok((status, headers)) => tracing::debug!(
            target: TARGET,
            parent: call,
            {
                seam.operation = operation.name,
                http.response.status_code = status.as_u16(),
                seam.request_id = request_id_of(headers),
                seam.attempts = attempts,
                seam.duration_ms = duration_ms,
            },
            "call succeeded"
        ),
        Err(error) => tracing::debug!(
            target: TARGET,
            parent: call,
            {
                seam.operation = operation.name,
                http.response.status_code = error.status().map(|status| status.as_u16()),
                seam.request_id = error.request_id(),
                seam.attempts = attempts,
                seam.duration_ms = duration_ms,
                error.type = error_type(error),
                seam.error_type = error.error_type(),
            },
            "call failed"
        ),
    }
}

/// Whether a failed attempt is sent again, and why; with the failed
/// attempt's status and request id, for Seam's support.
pub(crate) fn retry_decision(call: &Span, attempt: u32, error: &Error, decision: &Decision) {
    let status = error.status().map(|status| status.as_u16());
    match decision {
        Decision::Retry { delay, asked } => tracing::debug!(
            target: TARGET,
            parent: call,
            {
                seam.attempt = attempt,
                error.type = error_type(error),
                http.response.status_code = status,
                seam.request_id = error.request_id(),
                seam.retry.delay_ms = millis(*delay),
                seam.retry.after = *asked,
            },
            "retrying"
        ),
        Decision::Stop(reason) => tracing::debug!(
            target: TARGET,
            parent: call,
            {
                seam.attempt = attempt,
                error.type = error_type(error),
                http.response.status_code = status,
                seam.request_id = error.request_id(),
                seam.retry.reason = reason.as_str(),
            },
            "not retrying"
        ),
    }
}

/// A low-cardinality name for what went wrong, as OpenTelemetry's
/// `error.type`: the status code, or the kind of failure.
pub(crate) fn error_type(error: &Error) -> &'static str {
    match error {
        Error::Api { status, .. } | Error::Http { status, .. } => status_class(*status),
        Error::Decode { .. } => "decode",
        Error::ResponseTooLarge { .. } => "response_too_large",
        Error::Timeout(_) => "timeout",
        Error::Transport(_) => "transport",
        Error::InvalidRequest(_) => "invalid_request",
        Error::Config(_) => "config",
        #[cfg(feature = "action_attempts")]
        Error::ActionAttemptFailed { .. } => "action_attempt_failed",
        #[cfg(feature = "action_attempts")]
        Error::ActionAttemptTimeout { .. } => "action_attempt_timeout",
        Error::Pagination(_) => "pagination",
    }
}

/// A status as a `'static` string: the common ones exactly, others by class.
fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        409 => "409",
        422 => "422",
        429 => "429",
        500 => "500",
        502 => "502",
        503 => "503",
        504 => "504",
        _ if status.is_client_error() => "4xx",
        _ => "5xx",
    }
}

pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
