//! An axum extractor for Seam's webhook deliveries (feature `axum`): the
//! body read within axum's body limit, verified with the router state's
//! [`SeamWebhook`], and given to the handler as its [`Event`].

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use seam_types::Event;

use super::{SeamWebhook, WebhookError};

/// A verified delivery's event, as an axum extractor.
///
/// It takes the [`SeamWebhook`] from the router's state (the state itself,
/// or any state it can be taken from with [`FromRef`]), reads the body
/// within axum's body limit ([`DefaultBodyLimit`], 2 MB unless the router
/// sets another), checks its signature and returns its [`Event`]. A
/// delivery that is refused never reaches the handler: the
/// [`SeamEventRejection`] answers it.
///
/// ```no_run
/// use axum::http::StatusCode;
/// use axum::routing::post;
/// use seam_api::{SeamEvent, SeamWebhook};
///
/// async fn on_event(SeamEvent(event): SeamEvent) -> StatusCode {
///     println!("{} on device {:?}", event.event_type(), event.device_id());
///     StatusCode::NO_CONTENT
/// }
///
/// # fn app() -> Result<axum::Router, seam_api::WebhookError> {
/// let webhook = SeamWebhook::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")?;
/// let app = axum::Router::new().route("/seam/webhook", post(on_event)).with_state(webhook);
/// # Ok(app)
/// # }
/// ```
///
/// [`DefaultBodyLimit`]: axum::extract::DefaultBodyLimit
#[derive(Debug, Clone, PartialEq)]
pub struct SeamEvent(pub Event);

/// Why a delivery did not reach the handler, and the answer it gets.
///
/// | refusal | status |
/// | --- | --- |
/// | [`WebhookError::MissingHeader`], [`InvalidHeader`](WebhookError::InvalidHeader), [`InvalidSignature`](WebhookError::InvalidSignature), [`StaleTimestamp`](WebhookError::StaleTimestamp): not shown to come from Seam | 400 Bad Request |
/// | [`WebhookError::InvalidPayload`]: signed by Seam, but no event | 204 No Content (acknowledged, so svix does not retry it) |
/// | [`WebhookError::InvalidSecret`]: this endpoint's own configuration | 500 Internal Server Error |
/// | a body over the router's body limit | 413 Payload Too Large |
/// | a body that could not be read | axum's status for it (400) |
///
/// Every status but 2xx makes svix retry the delivery, so a delivery
/// that Seam signed is never refused. Each refusal emits a `tracing`
/// event at DEBUG (target `seam_api`, `webhook delivery refused`, with
/// `error.type`); never the secret, the signature or the body. The answer's
/// body is the refusal's one-line message.
#[derive(Debug)]
pub struct SeamEventRejection {
    kind: Rejection,
}

#[derive(Debug)]
enum Rejection {
    Body(BytesRejection),
    Webhook(WebhookError),
}

impl SeamEventRejection {
    /// The status the delivery is answered with.
    pub fn status(&self) -> StatusCode {
        match &self.kind {
            Rejection::Body(rejection) => rejection.status(),
            Rejection::Webhook(WebhookError::InvalidPayload { .. }) => StatusCode::NO_CONTENT,
            Rejection::Webhook(WebhookError::InvalidSecret) => StatusCode::INTERNAL_SERVER_ERROR,
            Rejection::Webhook(_) => StatusCode::BAD_REQUEST,
        }
    }

    /// The verification's error, when the body was read; `None` when the
    /// body itself could not be (too large, or cut off).
    pub fn webhook_error(&self) -> Option<&WebhookError> {
        match &self.kind {
            Rejection::Webhook(error) => Some(error),
            Rejection::Body(_) => None,
        }
    }
}

impl std::fmt::Display for SeamEventRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            Rejection::Body(rejection) => {
                write!(f, "cannot read the delivery's body: {}", rejection.body_text())
            }
            Rejection::Webhook(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for SeamEventRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            Rejection::Body(rejection) => Some(rejection),
            Rejection::Webhook(error) => Some(error),
        }
    }
}

impl IntoResponse for SeamEventRejection {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_success() {
            return status.into_response();
        }
        (status, self.to_string()).into_response()
    }
}

impl<S> FromRequest<S> for SeamEvent
where
    SeamWebhook: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = SeamEventRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let webhook = SeamWebhook::from_ref(state);
        let headers = request.headers().clone();
        let body = Bytes::from_request(request, state).await.map_err(|rejection| {
            tracing::debug!(
                target: crate::trace::TARGET,
                { error.type = body_error_type(&rejection), http.response.status_code = rejection.status().as_u16() },
                "webhook delivery refused"
            );
            SeamEventRejection { kind: Rejection::Body(rejection) }
        })?;
        // `verify` emits the event that names the refusal.
        match webhook.verify(&body, &headers) {
            Ok(event) => Ok(SeamEvent(event)),
            Err(error) => Err(SeamEventRejection { kind: Rejection::Webhook(error) }),
        }
    }
}

fn body_error_type(rejection: &BytesRejection) -> &'static str {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE { "body_too_large" } else { "body" }
}
