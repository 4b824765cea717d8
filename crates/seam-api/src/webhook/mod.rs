//! Verifying Seam's webhook deliveries.
//!
//! Seam signs each delivery as svix does (the Standard Webhooks scheme): an
//! HMAC-SHA256 of `{svix-id}.{svix-timestamp}.{body}` under the endpoint's
//! secret, in the `svix-signature` header. The cryptography is the
//! `standardwebhooks` crate's; this module reads Seam's header names,
//! refuses inputs that crate does not guard against, and decodes the event.

use std::sync::Arc;

use http::{HeaderMap, HeaderName, HeaderValue};
use seam_types::Event;

#[cfg(feature = "axum")]
mod axum;
#[cfg(feature = "axum")]
pub use self::axum::{SeamEvent, SeamEventRejection};

/// How far a delivery's timestamp may be from this machine's clock, as in
/// svix and Standard Webhooks: older ones may be replays.
pub const WEBHOOK_TOLERANCE_SECONDS: i64 = 5 * 60;

/// The headers a delivery carries, by their svix names, each with the
/// Standard Webhooks name that may stand in for it.
const HEADERS: [(&str, &str); 3] = [
    ("svix-id", "webhook-id"),
    ("svix-timestamp", "webhook-timestamp"),
    ("svix-signature", "webhook-signature"),
];

/// Verifies webhook deliveries for one endpoint and returns their events,
/// as `SeamWebhook` in Seam's JavaScript and Python SDKs.
///
/// ```no_run
/// # fn handle(body: &[u8], headers: &http::HeaderMap) -> Result<(), seam_api::WebhookError> {
/// let webhook = seam_api::SeamWebhook::new("whsec_...")?;
/// let event = webhook.verify(body, headers)?;
/// println!("{} happened", event.event_type());
/// # Ok(())
/// # }
/// ```
///
/// Cloning it is cheap (the key is shared), so it can be an axum router's
/// state as it is.
#[derive(Clone)]
pub struct SeamWebhook {
    inner: Arc<standardwebhooks::Webhook>,
}

impl std::fmt::Debug for SeamWebhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SeamWebhook").field("secret", &"[redacted]").finish()
    }
}

/// Why a webhook delivery was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret is not a webhook secret: `whsec_` and non-empty base64,
    /// as Seam shows it for the webhook.
    #[error("the webhook secret is not `whsec_` followed by non-empty base64")]
    InvalidSecret,

    /// A header the signature needs is absent.
    #[error("the delivery has no `{0}` header")]
    MissingHeader(&'static str),

    /// A header the signature needs is not what the scheme sends.
    #[error("the delivery's `{0}` header is malformed")]
    InvalidHeader(&'static str),

    /// The timestamp is further than [`WEBHOOK_TOLERANCE_SECONDS`] from
    /// this machine's clock: a replayed delivery, or a clock that is off.
    #[error(
        "the delivery's timestamp ({timestamp}, Unix seconds) is more than {WEBHOOK_TOLERANCE_SECONDS} s from this \
         machine's clock: a replay, or a wrong clock"
    )]
    StaleTimestamp {
        /// The `svix-timestamp` the delivery carries.
        timestamp: i64,
    },

    /// No signature in `svix-signature` matches the body under this
    /// secret: the delivery was not signed with it, or was changed on the
    /// way.
    #[error("the delivery's signature does not match its body and this secret")]
    InvalidSignature,

    /// The delivery is correctly signed, so it came from Seam, but its body
    /// is not a JSON object with a string `event_type`. Every other signed
    /// body is returned as an [`Event`], whatever its type or fields, so
    /// this means the body itself is not an event at all. Answer it with a
    /// 2xx status all the same (and log it): svix retries a delivery that
    /// gets any other status, and disables an endpoint that keeps refusing.
    #[error("the delivery is correctly signed but its body is not a Seam event: {reason}")]
    InvalidPayload {
        /// What is wrong with it.
        reason: String,
    },
}

impl WebhookError {
    /// A short name for the kind of refusal, for tracing.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::InvalidSecret => "invalid_secret",
            Self::MissingHeader(_) => "missing_header",
            Self::InvalidHeader(_) => "invalid_header",
            Self::StaleTimestamp { .. } => "stale_timestamp",
            Self::InvalidSignature => "invalid_signature",
            Self::InvalidPayload { .. } => "invalid_payload",
        }
    }
}

impl SeamWebhook {
    /// A verifier for the endpoint whose secret is `secret` (`whsec_…`).
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        let key = secret.strip_prefix("whsec_").unwrap_or(secret);
        // An empty key would make every signature computable by anyone.
        if key.is_empty() {
            return Err(WebhookError::InvalidSecret);
        }
        let inner = standardwebhooks::Webhook::new(key).map_err(|_| WebhookError::InvalidSecret)?;
        Ok(Self { inner: Arc::new(inner) })
    }

    /// The headers Seam sends with `payload`, signed with this secret as
    /// Seam (svix) signs a delivery: `svix-id` is `message_id`,
    /// `svix-timestamp` is `timestamp` (Unix seconds), and
    /// `svix-signature` is `v1,` and the base64 HMAC-SHA256 of
    /// `{message_id}.{timestamp}.{payload}`.
    ///
    /// For trying a handler without Seam: `seam events listen
    /// --forward-to` signs its deliveries with it, and a test can post a
    /// body with these headers to its own handler.
    ///
    /// ```
    /// # fn main() -> Result<(), seam_api::WebhookError> {
    /// let webhook = seam_api::SeamWebhook::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")?;
    /// let body = br#"{"event_type": "lock.unlocked", "device_id": "d1"}"#;
    /// let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    /// let headers = webhook.sign("msg_1", now as i64, body)?;
    /// assert_eq!(webhook.verify(body, &headers)?.device_id(), Some("d1"));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidPayload`] when `payload` is not UTF-8 (the
    /// scheme signs text), and [`WebhookError::InvalidHeader`] when
    /// `message_id` cannot be a header value.
    pub fn sign(&self, message_id: &str, timestamp: i64, payload: &[u8]) -> Result<HeaderMap, WebhookError> {
        let signature = self.inner.sign(message_id, timestamp, payload).map_err(|_| {
            WebhookError::InvalidPayload { reason: "the body is not UTF-8, so it cannot be signed".into() }
        })?;
        let value = |text: &str, name: &'static str| {
            HeaderValue::from_str(text).map_err(|_| WebhookError::InvalidHeader(name))
        };
        let mut headers = HeaderMap::with_capacity(HEADERS.len());
        headers.insert(HeaderName::from_static("svix-id"), value(message_id, "svix-id")?);
        headers.insert(HeaderName::from_static("svix-timestamp"), HeaderValue::from(timestamp));
        headers.insert(HeaderName::from_static("svix-signature"), value(&signature, "svix-signature")?);
        Ok(headers)
    }

    /// Checks that `payload` (the raw body, exactly as received) was signed
    /// for this endpoint within the last five minutes, and returns its
    /// event. Every correctly signed body that is a JSON object with a
    /// string `event_type` is returned: an event type newer than this
    /// crate as [`Event::Unknown`](seam_types::Event) with its JSON, and a
    /// known one as its typed member, any field that its model cannot hold
    /// named in the member's `absent`.
    ///
    /// `headers` are the delivery's, with svix's names (`svix-id`,
    /// `svix-timestamp`, `svix-signature`) or Standard Webhooks' (`webhook-…`).
    // `#[inline]` here and on `event`: decoding an `Event` instantiates every
    // event type's decoder, which only crates that verify webhooks need to
    // build.
    #[inline]
    pub fn verify(&self, payload: &[u8], headers: &HeaderMap) -> Result<Event, WebhookError> {
        let verified = self.verify_event(payload, headers);
        // What was delivered and whether it was accepted; never the secret,
        // the body or a header.
        match &verified {
            Ok(event) => tracing::debug!(
                target: crate::trace::TARGET,
                { seam.event_type = event.event_type() },
                "webhook delivery verified"
            ),
            Err(error) => tracing::debug!(
                target: crate::trace::TARGET,
                { error.type = error.kind() },
                "webhook delivery refused"
            ),
        }
        verified
    }

    #[inline]
    fn verify_event(&self, payload: &[u8], headers: &HeaderMap) -> Result<Event, WebhookError> {
        let mut standard = HeaderMap::with_capacity(HEADERS.len());
        for (svix, webhook) in HEADERS {
            let value = headers
                .get(svix)
                .or_else(|| headers.get(webhook))
                .ok_or(WebhookError::MissingHeader(svix))?;
            standard.insert(HeaderName::from_static(webhook), value.clone());
        }
        // standardwebhooks subtracts the timestamp from the clock unchecked,
        // which overflows on extreme values: only plausible ones go on.
        let timestamp = timestamp(&standard["webhook-timestamp"])?;

        self.inner.verify(payload, &standard).map_err(|error| {
            use standardwebhooks::WebhookError as E;
            match error {
                E::TimestampTooOldError | E::FutureTimestampError => {
                    WebhookError::StaleTimestamp { timestamp }
                }
                E::MissingHeader(_) | E::InvalidHeader(_) | E::InvalidTimestamp => {
                    WebhookError::InvalidHeader("svix-timestamp")
                }
                E::InvalidSecret(_) => WebhookError::InvalidSecret,
                // The payload is signed as UTF-8 text; other bytes cannot
                // match any signature.
                E::InvalidSignature | E::InvalidPayload => WebhookError::InvalidSignature,
            }
        })?;
        event(payload)
    }
}

/// A timestamp header as Unix seconds, refusing what no sender could mean.
fn timestamp(value: &HeaderValue) -> Result<i64, WebhookError> {
    let invalid = || WebhookError::InvalidHeader("svix-timestamp");
    let seconds: i64 = value.to_str().map_err(|_| invalid())?.trim().parse().map_err(|_| invalid())?;
    // Before 1970 or after the year 9999.
    if !(0..=253_402_300_799).contains(&seconds) {
        return Err(invalid());
    }
    Ok(seconds)
}

/// The event a verified body holds: any JSON object with a string
/// `event_type`.
#[inline]
fn event(payload: &[u8]) -> Result<Event, WebhookError> {
    let invalid = |reason: String| WebhookError::InvalidPayload { reason };
    let event: Event =
        serde_json::from_slice(payload).map_err(|e| invalid(format!("not a JSON object: {e}")))?;
    // A member of an unknown type is any object; it must still say what it is.
    if let Event::Unknown(json) = &event
        && !json.get(Event::TAG).is_some_and(serde_json::Value::is_string)
    {
        return Err(invalid(format!("no string `{}`", Event::TAG)));
    }
    Ok(event)
}
