//! progenitor's per-request hooks for the generated client, and the
//! decoding its operations call instead of progenitor's own.
//!
//! progenitor reports a body that does not decode, or cannot be read, with
//! the bytes or the transport error only, not the status and headers an
//! error should name. [`from_response`] keeps them: such a response comes
//! back as `UnexpectedResponse`, rebuilt with its status, headers and body,
//! and the failure in its extensions ([`BodyFailure`]).

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use http_body_util::{LengthLimitError, Limited};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::generated::Client;
use crate::retry::parse_retry_after;

/// The response header that carries Seam's request id.
pub(crate) const REQUEST_ID_HEADER: &str = "seam-request-id";

/// What the last response of a call looked like, before its body was read.
#[derive(Debug, Clone)]
pub(crate) struct ResponseMeta {
    pub(crate) status: StatusCode,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
}

impl ResponseMeta {
    pub(crate) fn of(status: StatusCode, headers: &HeaderMap) -> Self {
        Self { status, request_id: request_id(headers), retry_after: retry_after(headers) }
    }
}

pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    headers.get(REQUEST_ID_HEADER)?.to_str().ok().map(str::to_owned)
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    parse_retry_after(headers.get(RETRY_AFTER)?.to_str().ok()?, SystemTime::now())
}

/// Per-client settings the hooks read on every request; the generated
/// client carries them as its `inner` value.
#[derive(Clone, Debug)]
pub(crate) struct ClientSettings {
    /// Response bodies longer than this are cut off with an error.
    pub(crate) max_response_bytes: usize,
    /// The credential, Seam's SDK headers and the caller's default
    /// headers, set on every request (so that an HTTP client the caller
    /// built carries them too). Credential values are marked sensitive.
    pub(crate) headers: HeaderMap,
    /// How long one attempt may take in all, body included.
    pub(crate) timeout: std::time::Duration,
}

impl ClientHooks<ClientSettings> for Client {
    async fn exec(
        &self,
        mut request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let settings = self.inner();
        prepare(&mut request, settings);
        let response = self.client().execute(request).await?;
        Ok(limit_body(response, settings.max_response_bytes))
    }
}

/// Sets the client's headers and timeout on `request`; the headers win over
/// any the HTTP client adds by default.
fn prepare(request: &mut reqwest::Request, settings: &ClientSettings) {
    let headers = request.headers_mut();
    for (name, value) in &settings.headers {
        headers.insert(name, value.clone());
    }
    *request.timeout_mut() = Some(settings.timeout);
}

/// Why a response's body did not become the value progenitor expected,
/// carried in the extensions of the rebuilt response. Each holds its error
/// once, to be taken by value.
#[derive(Clone, Debug)]
pub(crate) enum BodyFailure {
    /// The body is not the JSON the operation documents.
    Decode(Arc<Mutex<Option<serde_json::Error>>>),
    /// The body could not be read: cut off at the size limit, timed out,
    /// or the connection failed.
    Read(Arc<Mutex<Option<reqwest::Error>>>),
    /// An error status whose body is not JSON, so not Seam's error (a
    /// proxy's page), whatever it looks like.
    NotJson,
}

/// Decodes a response as progenitor's `ResponseValue::from_response` does
/// (the generated operations call this instead; see `LEAN_REWRITES` in
/// xtask/src/generate.rs), with two differences: the headers move into the
/// value instead of being copied, and a body that cannot be read or decoded
/// comes back as `UnexpectedResponse`, rebuilt with its status, headers and
/// body and the [`BodyFailure`] in its extensions.
pub(crate) async fn from_response<T: serde::de::DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, progenitor_client::Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let failed = |headers: HeaderMap, body: bytes::Bytes, failure: BodyFailure| {
        let mut rebuilt = http::Response::new(body);
        *rebuilt.status_mut() = status;
        *rebuilt.headers_mut() = headers;
        rebuilt.extensions_mut().insert(failure);
        progenitor_client::Error::UnexpectedResponse(reqwest::Response::from(rebuilt))
    };
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(error) => {
            return Err(failed(
                headers,
                bytes::Bytes::new(),
                BodyFailure::Read(Arc::new(Mutex::new(Some(error)))),
            ));
        }
    };
    // Seam sends its error body as JSON; a proxy's HTML page that happens
    // to look like it is not Seam's answer.
    if !status.is_success() && !is_json(&headers) {
        return Err(failed(headers, body, BodyFailure::NotJson));
    }
    match serde_json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(error) => Err(failed(headers, body, BodyFailure::Decode(Arc::new(Mutex::new(Some(error)))))),
    }
}

/// Whether the response says its body is JSON: `application/json`, with or
/// without parameters.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"))
}

/// progenitor buffers whole bodies; this caps what it can buffer. A body
/// that announces more than `limit` fails on its first byte, one that
/// streams more fails once past it; either way with a
/// [`LengthLimitError`] in the error's source chain.
///
/// A body that announces a length within the limit is left as it is: hyper
/// reads exactly the announced bytes, never more. Rewrapping costs two
/// boxed bodies and a URL parse per response, which is most of what this
/// client adds to a call's CPU time, so the common case skips it.
fn limit_body(response: reqwest::Response, limit: usize) -> reqwest::Response {
    let announced_too_much = match response.content_length() {
        Some(length) if length <= limit as u64 => return response,
        Some(_) => true,
        None => false,
    };
    let (parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
    let body = Limited::new(body, if announced_too_much { 0 } else { limit });
    reqwest::Response::from(http::Response::from_parts(parts, reqwest::Body::wrap(body)))
}

/// Whether an error was caused by [`limit_body`].
pub(crate) fn is_too_large(error: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if current.is::<LengthLimitError>() {
            return true;
        }
        source = current.source();
    }
    false
}
