//! progenitor's per-request hooks for the generated client, and the
//! decoding its operations call instead of progenitor's own.
//!
//! progenitor reports a body that does not decode, or cannot be read, with
//! the bytes or the transport error only, not the status and headers an
//! error should name. [`exchange`] keeps them: such a response comes back
//! as `UnexpectedResponse`, rebuilt with its status, headers and body, and
//! the failure in its extensions ([`BodyFailure`]).

use std::future::Future;
use std::ops::RangeInclusive;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use http_body_util::{LengthLimitError, Limited};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use seam_types::ApiErrorResponse;

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
    request_id_of(headers).map(str::to_owned)
}

/// The `seam-request-id` header, when it is text.
pub(crate) fn request_id_of(headers: &HeaderMap) -> Option<&str> {
    headers.get(REQUEST_ID_HEADER)?.to_str().ok()
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    parse_retry_after(headers.get(RETRY_AFTER)?.to_str().ok()?, SystemTime::now())
}

/// The generated client's `reqwest::Client`, behind a trait object
/// (`erase_http_client` in xtask/src/stages/generate.rs puts it there).
///
/// Every future of a call holds `&Seam`, and a type's debug info describes
/// what it points to. Held as itself, the client is described down to
/// hyper's pool and rustls' configuration, again in each of the
/// application's codegen units that hold a call's future (tokio's are
/// generic over `main`'s): about a third of what a one-line change in the
/// application recompiles, and a megabyte of its debug binary. A trait
/// object is described as a pointer and a vtable.
#[derive(Clone)]
pub(crate) struct HttpClient(Arc<dyn HoldsClient>);

/// What [`HttpClient`] hides: only a `reqwest::Client` implements it.
trait HoldsClient: Send + Sync {
    fn client(&self) -> &reqwest::Client;
}

impl HoldsClient for reqwest::Client {
    fn client(&self) -> &reqwest::Client {
        self
    }
}

impl From<reqwest::Client> for HttpClient {
    fn from(client: reqwest::Client) -> Self {
        Self(Arc::new(client))
    }
}

impl std::ops::Deref for HttpClient {
    type Target = reqwest::Client;

    fn deref(&self) -> &reqwest::Client {
        self.0.client()
    }
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
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

/// What every generated operation does once its request is built (it
/// replaces progenitor's hooks and status match; see `lean_operation` in
/// xtask/src/stages/generate.rs): send the request, then decode the body as `T`
/// for 200 or as Seam's error for 4xx and 5xx, as progenitor would.
///
/// Only the decoding is generic. Sending and reading are one boxed future
/// for every operation, compiled once in this crate: otherwise each
/// operation's future, compiled in the application that awaits it, would
/// hold reqwest's futures, their code and their debug info.
// Unused in a build without any resource feature.
#[allow(dead_code)]
pub(crate) async fn exchange<T: serde::de::DeserializeOwned>(
    client: &Client,
    request: reqwest::Request,
    info: &OperationInfo,
) -> Result<ResponseValue<T>, progenitor_client::Error<ApiErrorResponse>> {
    exchange_with(client, request, info, 200..=200).await
}

/// [`exchange`], with the statuses whose body is a `T`.
pub(crate) async fn exchange_with<T: serde::de::DeserializeOwned>(
    client: &Client,
    request: reqwest::Request,
    info: &OperationInfo,
    success: RangeInclusive<u16>,
) -> Result<ResponseValue<T>, progenitor_client::Error<ApiErrorResponse>> {
    let (status, headers, body) = transport(client, request, info, success).await?;
    decode(status, headers, body)
}

/// [`exchange`] for an operation that documents no body: a 200's body is
/// read (so the connection can be reused) and dropped.
// Unused in a build without the resources whose operations document no
// body (today only `workspaces`).
#[allow(dead_code)]
pub(crate) async fn exchange_empty(
    client: &Client,
    request: reqwest::Request,
    info: &OperationInfo,
) -> Result<ResponseValue<()>, progenitor_client::Error<ApiErrorResponse>> {
    let (status, headers, _) = transport(client, request, info, 200..=200).await?;
    Ok(ResponseValue::new((), status, headers))
}

/// A successful response's status, headers and body.
pub(crate) type Success = (StatusCode, HeaderMap, bytes::Bytes);

/// Sends `request` and reads the response: the body of a `success` status
/// is left to the caller; a 4xx or 5xx becomes `ErrorResponse` with Seam's
/// error; any other status comes back unread as `UnexpectedResponse`.
fn transport<'a>(
    client: &'a Client,
    request: reqwest::Request,
    info: &'a OperationInfo,
    success: RangeInclusive<u16>,
) -> Pin<Box<dyn Future<Output = Result<Success, progenitor_client::Error<ApiErrorResponse>>> + Send + 'a>> {
    Box::pin(async move {
        let response = client.exec(request, info).await?;
        answer(response, success).await
    })
}

/// What a response is: the body of a `success` status left to the caller,
/// a 4xx or 5xx as `ErrorResponse` with Seam's error, any other status
/// unread as `UnexpectedResponse`.
pub(crate) async fn answer(
    response: reqwest::Response,
    success: RangeInclusive<u16>,
) -> Result<Success, progenitor_client::Error<ApiErrorResponse>> {
    match response.status().as_u16() {
        status if success.contains(&status) => read(response).await,
        400..=599 => {
            let (status, headers, body) = read(response).await?;
            Err(progenitor_client::Error::ErrorResponse(decode(status, headers, body)?))
        }
        _ => Err(progenitor_client::Error::UnexpectedResponse(response)),
    }
}

/// The response's status, headers (moved, not copied) and whole body. A
/// body that cannot be read, or an error status whose body is not JSON,
/// comes back as `UnexpectedResponse`, rebuilt with its status, headers and
/// what was read, and the [`BodyFailure`] in its extensions.
async fn read<E>(mut response: reqwest::Response) -> Result<Success, progenitor_client::Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(error) => {
            let failure = BodyFailure::Read(Arc::new(Mutex::new(Some(error))));
            return Err(unexpected(status, headers, bytes::Bytes::new(), failure));
        }
    };
    // Seam sends its error body as JSON; a proxy's HTML page that happens
    // to look like it is not Seam's answer.
    if !status.is_success() && !is_json(&headers) {
        return Err(unexpected(status, headers, body, BodyFailure::NotJson));
    }
    Ok((status, headers, body))
}

/// Decodes a read body as `T`; one that is not a `T` comes back as
/// `UnexpectedResponse` with [`BodyFailure::Decode`].
// The error is progenitor's, which the generated operations return.
#[allow(clippy::result_large_err)]
pub(crate) fn decode<T: serde::de::DeserializeOwned, E>(
    status: StatusCode,
    headers: HeaderMap,
    body: bytes::Bytes,
) -> Result<ResponseValue<T>, progenitor_client::Error<E>> {
    match serde_json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(error) => {
            Err(unexpected(status, headers, body, BodyFailure::Decode(Arc::new(Mutex::new(Some(error))))))
        }
    }
}

/// A response rebuilt from its parts, with why it is unexpected.
fn unexpected<E>(
    status: StatusCode,
    headers: HeaderMap,
    body: bytes::Bytes,
    failure: BodyFailure,
) -> progenitor_client::Error<E> {
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.headers_mut() = headers;
    rebuilt.extensions_mut().insert(failure);
    progenitor_client::Error::UnexpectedResponse(reqwest::Response::from(rebuilt))
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
pub(crate) fn limit_body(response: reqwest::Response, limit: usize) -> reqwest::Response {
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
