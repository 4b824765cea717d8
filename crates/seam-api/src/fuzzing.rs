//! What the fuzz targets in `fuzz/` drive: the whole way from a response's
//! status, headers and body to what a call returns, without a network.
//! Not part of the API.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use reqwest::header::HeaderMap;
use seam_types::__private::Reported;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::hooks::{self, ClientSettings};

/// What a call whose 200 body is a `T` returns for this response, as the
/// client maps it (the body limit, Seam's error body, the excerpts);
/// `None` for a status HTTP has no code for.
pub fn answer<T: DeserializeOwned + Reported>(
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
    max_response_bytes: usize,
) -> Option<Result<T, Error>> {
    let mut response = http::Response::new(body);
    *response.status_mut() = http::StatusCode::from_u16(status).ok()?;
    *response.headers_mut() = headers;
    let settings =
        ClientSettings { max_response_bytes, headers: HeaderMap::new(), timeout: std::time::Duration::ZERO };
    let response = hooks::limit_body(reqwest::Response::from(response), max_response_bytes);
    let call = async {
        let decoded = match hooks::answer(response, 200..=200).await {
            Ok((status, headers, body)) => hooks::decode::<T, _>(status, headers, body),
            Err(error) => Err(error),
        };
        match decoded {
            Ok(value) => Ok(value.into_inner()),
            Err(error) => Err(crate::client::convert_error(error, &settings).await),
        }
    };
    // A body already in memory: nothing waits, and one poll runs it.
    match pin!(call).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(result) => Some(result),
        Poll::Pending => None,
    }
}
