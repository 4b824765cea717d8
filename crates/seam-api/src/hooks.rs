//! progenitor's per-request hooks for the generated client.
//!
//! progenitor decodes error bodies itself, and when one is not JSON it
//! reports only the bytes, not the status. The `exec` hook notes the status
//! and request id of every response in a task-local slot that
//! [`observe`] opens around each call, so errors keep both.

use std::cell::Cell;
use std::time::{Duration, SystemTime};

use http_body_util::{LengthLimitError, Limited};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
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

tokio::task_local! {
    static LAST_RESPONSE: Cell<Option<ResponseMeta>>;
}

/// Runs one generated call and returns what its response looked like too.
pub(crate) async fn observe<F: Future>(call: F) -> (F::Output, Option<ResponseMeta>) {
    LAST_RESPONSE
        .scope(Cell::new(None), async {
            let output = call.await;
            (output, LAST_RESPONSE.with(Cell::take))
        })
        .await
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
}

impl ClientHooks<ClientSettings> for Client {
    async fn exec(
        &self,
        mut request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        // progenitor sends the spec's info.version as `api-version`; Seam
        // defines no such header, so it is noise on the wire.
        request.headers_mut().remove("api-version");
        let response = self.client().execute(request).await?;
        let meta = ResponseMeta::of(response.status(), response.headers());
        // Outside observe() (no slot) there is nobody to tell; that is fine.
        let _ = LAST_RESPONSE.try_with(|slot| slot.set(Some(meta)));
        Ok(limit_body(response, self.inner().max_response_bytes))
    }
}

/// progenitor buffers whole bodies; this caps what it can buffer. A body
/// that announces more than `limit` fails on its first byte, one that
/// streams more fails once past it; either way with a
/// [`LengthLimitError`] in the error's source chain.
fn limit_body(response: reqwest::Response, limit: usize) -> reqwest::Response {
    let announced_too_much = response.content_length().is_some_and(|n| n > limit as u64);
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
