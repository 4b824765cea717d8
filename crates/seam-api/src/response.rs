//! The raw response behind a call's result.

use std::fmt;

use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A decoded response body with the status and headers it came with, for
/// callers who need more than the model (`send_raw` methods return it).
pub struct ApiResponse<T> {
    inner: ResponseValue<T>,
}

impl<T> ApiResponse<T> {
    pub(crate) fn new(inner: ResponseValue<T>) -> Self {
        Self { inner }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.inner.status()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.inner.headers()
    }

    /// Seam's id for the request (the `seam-request-id` header).
    pub fn request_id(&self) -> Option<&str> {
        crate::hooks::request_id_of(self.headers())
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.inner
    }

    /// The decoded body, by value.
    pub fn into_body(self) -> T {
        self.inner.into_inner()
    }
}

impl<T: fmt::Debug> fmt::Debug for ApiResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiResponse")
            .field("status", &self.status())
            .field("request_id", &self.request_id())
            .field("body", self.body())
            .finish()
    }
}
