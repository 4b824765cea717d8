//! The answer to a request that no mock matches.
//!
//! httpmock answers such a request with a bare 404 that names neither the
//! request nor its operation, and that code checking the status alone
//! takes for Seam's "not found": a test of an app's "unknown device"
//! branch would pass on a request the test never mocked. So every typed
//! method
//! (`server.devices_get(…)` and the others) renews one fallback mock on
//! its server, made after the typed mock and so tried after it (httpmock
//! serves the earliest-made mock that matches). It answers any request to
//! a Seam operation's path with [`NO_MOCK_MATCHED_STATUS`] and a Seam
//! error body of type [`NO_MOCK_MATCHED`], naming the request and the
//! operation, which `seam-api` turns into `Error::Api` with that line.
//!
//! A mock made with `server.mock(…)` for a Seam path after a typed
//! method is tried after the fallback, so never: make such mocks before
//! the typed ones, or through a typed method's `when.into_inner()`.
//! Requests to other paths never reach the fallback.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};

use httpmock::{HttpMockRequest, HttpMockResponse, Mock, MockServer};

use crate::generated::OPERATIONS;

/// The status of the answer to a request no mock matches: 421
/// Misdirected Request. Seam does not answer with it, `seam-api` does
/// not retry it, and it is not 404, so `Error::is_not_found()` is false.
pub const NO_MOCK_MATCHED_STATUS: u16 = 421;

/// The error type of the answer to a request no mock matches, as
/// `seam_api::Error::error_type()` gives it.
pub const NO_MOCK_MATCHED: &str = "no_mock_matched";

/// How much of an unmatched request's body the error message quotes.
const QUOTED_BODY_CHARS: usize = 400;

/// Each server's current fallback mock, by the server's address. httpmock
/// keeps every local server for the life of the process (a dropped
/// `MockServer` goes back to a pool, reset when it is next started), and a
/// server never reuses a mock id: an id left here by a reset names no mock,
/// never another test's.
static FALLBACKS: Mutex<BTreeMap<SocketAddr, usize>> = Mutex::new(BTreeMap::new());

/// Makes `server`'s fallback the last of its mocks: deletes the one made
/// before, if any, and makes a new one.
pub(crate) fn renew(server: &MockServer) {
    // A test that panicked while holding the lock left the map whole:
    // each step below replaces one entry.
    let mut fallbacks = FALLBACKS.lock().unwrap_or_else(PoisonError::into_inner);
    let address = *server.address();
    if let Some(id) = fallbacks.remove(&address) {
        Mock::new(id, server).delete();
    }
    let fallback = server.mock(|when, then| {
        when.is_true(|request| operation_of(request.uri().path()).is_some());
        then.respond_with(no_mock_matched);
    });
    fallbacks.insert(address, fallback.id);
}

/// The operation whose path is `path`.
fn operation_of(path: &str) -> Option<&'static str> {
    OPERATIONS
        .binary_search_by(|(operation_path, _)| (*operation_path).cmp(path))
        .ok()
        .and_then(|index| OPERATIONS.get(index))
        .map(|(_, operation)| *operation)
}

/// The answer: Seam's error body, naming the request, its operation and
/// the start of its body.
fn no_mock_matched(request: &HttpMockRequest) -> HttpMockResponse {
    let uri = request.uri();
    let path = uri.path();
    let operation = operation_of(path).unwrap_or("unknown");
    let body = request.body_string();
    let quoted = match body.char_indices().nth(QUOTED_BODY_CHARS) {
        Some((end, _)) => format!("{}…", &body[..end]),
        None => body,
    };
    let message = format!(
        "no mock matched {} {path} (operation {operation}, mocked with `MockServerExt::{operation}`), body {quoted}",
        request.method_str()
    );
    let error = serde_json::json!({ "error": { "type": NO_MOCK_MATCHED, "message": message } });
    HttpMockResponse::builder()
        .status(NO_MOCK_MATCHED_STATUS)
        .header("content-type", "application/json")
        .body(error.to_string())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_operations_are_sorted_by_path_so_a_path_is_found() {
        assert!(OPERATIONS.windows(2).all(|pair| pair[0].0 < pair[1].0));
        assert!(OPERATIONS.iter().all(|(path, operation)| operation_of(path) == Some(*operation)));
        assert_eq!(operation_of("/health"), None);
    }
}
