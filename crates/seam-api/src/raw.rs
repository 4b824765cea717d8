//! Calling a path this crate has no method for: a route newer than its
//! spec, or Seam's fake's `/_fake/*` routes in tests. The call goes through
//! the same machinery as a generated operation: credential and default
//! headers, the timeout, retries, error mapping and the body cap.

use progenitor_client::{OperationInfo, ResponseValue};
use reqwest::header::{ACCEPT, HeaderValue};
use seam_types::ApiErrorResponse;
use serde_json::Value;

use crate::client::Seam;
use crate::error::{Error, Result, excerpt};
use crate::generated;
use crate::response::ApiResponse;
use crate::retry::Access;

impl Seam {
    /// Starts a `POST` of `path` (`/locks/unlock_door`, `/_fake/…`), for a
    /// route this crate has no method for. It is sent as a generated
    /// operation is: with this client's credential, headers, timeout, error
    /// mapping and body cap, and retried as a write unless marked
    /// [`read`](RawRequest::read).
    ///
    /// ```no_run
    /// # async fn example(seam: seam_api::Seam) -> seam_api::Result<()> {
    /// use serde_json::json;
    ///
    /// let device = seam
    ///     .post("/devices/get")
    ///     .body(json!({"device_id": "a_device_id"}))
    ///     .read()
    ///     .response_key("device")
    ///     .send()
    ///     .await?;
    /// println!("{}", device["display_name"]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn post(&self, path: impl Into<String>) -> RawRequest<'_> {
        RawRequest { seam: self, path: path.into(), body: None, access: Access::Write, response_key: None }
    }
}

/// A `POST` of any path, from [`Seam::post`].
#[derive(Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct RawRequest<'a> {
    seam: &'a Seam,
    path: String,
    body: Option<Value>,
    access: Access,
    response_key: Option<String>,
}

impl<'a> RawRequest<'a> {
    /// The JSON body to send; without one, the request has no body.
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Marks the call as one that only reads, so that it is retried as a
    /// generated read is (on connection failures, 429 and 5xx). Without it,
    /// it is retried only when the connection was never made.
    pub fn read(mut self) -> Self {
        self.access = Access::Read;
        self
    }

    /// Makes [`send`](Self::send) return the value under `key` of the
    /// response body (`device` for `/devices/get`), as the generated
    /// methods return the object under the operation's response key.
    pub fn response_key(mut self, key: impl Into<String>) -> Self {
        self.response_key = Some(key.into());
        self
    }

    /// Sends the request and returns the response body, or the value under
    /// the [`response_key`](Self::response_key). A body without that key
    /// is [`Error::Decode`].
    pub async fn send(self) -> Result<Value> {
        let key = self.response_key.clone();
        let response = self.send_raw().await?;
        let Some(key) = key else { return Ok(response.into_body()) };
        let status = response.status();
        let request_id = response.request_id().map(str::to_owned);
        let mut body = response.into_body();
        match body.get_mut(&key).map(Value::take) {
            Some(value) if !value.is_null() => Ok(value),
            _ => Err(Error::Decode {
                status: Some(status),
                request_id,
                excerpt: excerpt(body.to_string().as_bytes()),
                source: serde::de::Error::custom(format_args!("missing field `{key}`")),
            }),
        }
    }

    /// Sends the request and returns the whole response: status, headers
    /// and the body as JSON.
    pub async fn send_raw(self) -> Result<ApiResponse<Value>> {
        check_path(&self.path)?;
        let RawRequest { seam, path, body, access, .. } = self;
        let operation = crate::trace::Operation { name: "post", path: &path };
        seam.call(operation, access, |api| post(api, &path, body.as_ref())).await
    }
}

/// A path relative to the endpoint: `/` and then no scheme, host, query,
/// fragment or `..`, so the credential goes nowhere but the endpoint.
fn check_path(path: &str) -> Result<()> {
    let fine = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains(['?', '#', '\\'])
        && !path.split('/').any(|segment| segment == "..")
        && !path.chars().any(char::is_control);
    if fine {
        Ok(())
    } else {
        Err(Error::InvalidRequest(format!(
            "`{path}` is not a path on the endpoint (it must start with `/`, without a query, fragment or `..`)"
        )))
    }
}

/// One attempt, as a generated operation makes it.
async fn post(
    api: &generated::Client,
    path: &str,
    body: Option<&Value>,
) -> std::result::Result<ResponseValue<Value>, progenitor_client::Error<ApiErrorResponse>> {
    let mut request = api
        .client
        .post(format!("{}{path}", api.baseurl))
        .header(ACCEPT, HeaderValue::from_static("application/json"));
    if let Some(body) = body {
        request = request.json(body);
    }
    let request = request.build()?;
    let info = OperationInfo { operation_id: "post" };
    crate::hooks::exchange_with(api, request, &info, 200..=299).await
}

#[cfg(test)]
mod tests {
    use super::check_path;

    #[test]
    fn only_paths_on_the_endpoint_are_sent() {
        for fine in ["/devices/get", "/_fake/update_action_attempt", "/a/b-c_d"] {
            assert!(check_path(fine).is_ok(), "{fine}");
        }
        for bad in [
            "devices/get",
            "//evil.example/x",
            "https://evil.example/x",
            "/a?b=1",
            "/a#b",
            "/a/../b",
            "/a\\b",
            "/a\nb",
            "",
        ] {
            assert!(check_path(bad).is_err(), "{bad:?}");
        }
    }
}
