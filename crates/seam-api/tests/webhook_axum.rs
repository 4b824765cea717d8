//! The `SeamEvent` extractor in a real axum `Router`, driven with
//! `tower::ServiceExt::oneshot`: a genuine delivery reaches the handler as
//! its event; every refusal is answered with its status and never reaches
//! it; a signed body that is no event is acknowledged without it.
#![cfg(feature = "axum")]

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRef, State};
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode};
use axum::routing::post;
use seam_api::{Event, SeamEvent, SeamWebhook};
use serde_json::json;
use tower::ServiceExt;

mod common;

use common::Captured;

const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

/// An application's state, of which the webhook is one part.
#[derive(Clone)]
struct App {
    webhook: SeamWebhook,
    received: Arc<Mutex<Vec<Event>>>,
}

impl FromRef<App> for SeamWebhook {
    fn from_ref(app: &App) -> SeamWebhook {
        app.webhook.clone()
    }
}

async fn on_event(State(app): State<App>, SeamEvent(event): SeamEvent) -> StatusCode {
    app.received.lock().unwrap().push(event);
    StatusCode::NO_CONTENT
}

fn router() -> (Router, Arc<Mutex<Vec<Event>>>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let app = App { webhook: SeamWebhook::new(SECRET).unwrap(), received: received.clone() };
    (Router::new().route("/seam/webhook", post(on_event)).with_state(app), received)
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}

fn signed(payload: &[u8]) -> HeaderMap {
    SeamWebhook::new(SECRET).unwrap().sign("msg_1", now(), payload).unwrap()
}

/// Posts `payload` with `headers` through `router`: the status and the
/// body of the answer.
async fn deliver(router: Router, payload: Vec<u8>, headers: HeaderMap) -> (StatusCode, String) {
    let mut request = Request::post("/seam/webhook").body(Body::from(payload)).unwrap();
    *request.headers_mut() = headers;
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn fake_event(event_type: &str) -> serde_json::Value {
    let events = common::model_fixture("fake/events__list__after_lock_and_unlock.json")["events"].clone();
    events.as_array().unwrap().iter().find(|e| e["event_type"] == event_type).unwrap().clone()
}

#[tokio::test]
async fn a_genuine_delivery_reaches_the_handler_as_its_event() {
    let (router, received) = router();
    let payload = serde_json::to_vec(&fake_event("lock.unlocked")).unwrap();
    let (status, _) = deliver(router, payload.clone(), signed(&payload)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let received = received.lock().unwrap();
    // The fake's lock.unlocked has no `method`: typed all the same.
    let [Event::LockUnlocked(unlocked)] = &received[..] else { panic!("{received:?}") };
    assert!(unlocked.absent.contains("method"));
    assert_eq!(received[0].device_id(), Some("august_device_1"));
}

#[tokio::test]
async fn an_event_with_an_odd_field_reaches_the_handler_typed() {
    let (router, received) = router();
    let mut event = fake_event("lock.locked");
    event["device_id"] = json!(42);
    let payload = serde_json::to_vec(&event).unwrap();
    let (status, _) = deliver(router, payload.clone(), signed(&payload)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let received = received.lock().unwrap();
    let [Event::LockLocked(locked)] = &received[..] else { panic!("{received:?}") };
    assert!(matches!(locked.absent.reason("device_id"), Some(seam_api::AbsentReason::WrongType { .. })));
}

#[tokio::test]
async fn each_refusal_is_answered_with_its_status_and_never_reaches_the_handler() {
    let payload = serde_json::to_vec(&fake_event("lock.unlocked")).unwrap();
    let other = SeamWebhook::new("whsec_b3RoZXIgc2VjcmV0IGtleQ==").unwrap();
    let without = |name: &str| {
        let mut headers = signed(&payload);
        headers.remove(name);
        headers
    };
    let with = |name: &'static str, value: &str| {
        let mut headers = signed(&payload);
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        headers
    };
    let cases = [
        ("no svix-id", without("svix-id"), "the delivery has no `svix-id` header"),
        ("no svix-timestamp", without("svix-timestamp"), "the delivery has no `svix-timestamp` header"),
        ("no svix-signature", without("svix-signature"), "the delivery has no `svix-signature` header"),
        (
            "a malformed timestamp",
            with("svix-timestamp", "soon"),
            "the delivery's `svix-timestamp` header is malformed",
        ),
        (
            "a stale timestamp",
            SeamWebhook::new(SECRET).unwrap().sign("msg_1", now() - 3600, &payload).unwrap(),
            "more than 300 s from this machine's clock",
        ),
        ("another secret", other.sign("msg_1", now(), &payload).unwrap(), "signature does not match"),
        ("another id", with("svix-id", "msg_2"), "signature does not match"),
    ];
    for (case, headers, message) in cases {
        let (router, received) = router();
        let (status, body) = deliver(router, payload.clone(), headers).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{case}: {body}");
        assert!(body.contains(message), "{case}: {body}");
        assert!(received.lock().unwrap().is_empty(), "{case} reached the handler");
    }
}

#[tokio::test]
async fn a_signed_body_that_is_no_event_is_acknowledged_without_the_handler() {
    for body in [&b"[1, 2]"[..], b"{\"event_type\": 7}", b"not json"] {
        let (router, received) = router();
        let (status, answer) = deliver(router, body.to_vec(), signed(body)).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{}", String::from_utf8_lossy(body));
        assert_eq!(answer, "");
        assert!(received.lock().unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_as_too_large() {
    let mut event = fake_event("lock.unlocked");
    event["padding"] = json!("x".repeat(4096));
    let payload = serde_json::to_vec(&event).unwrap();
    let (limited, received) = router();
    let (status, body) =
        deliver(limited.layer(DefaultBodyLimit::max(1024)), payload.clone(), signed(&payload)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(received.lock().unwrap().is_empty());
    // axum's own default limit (2 MB) applies without the layer.
    event["padding"] = json!("x".repeat(3 << 20));
    let payload = serde_json::to_vec(&event).unwrap();
    let (router, _) = router();
    let (status, _) = deliver(router, payload.clone(), signed(&payload)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_refusal_is_traced_without_the_secret_the_signature_or_the_body() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let payload = serde_json::to_vec(&fake_event("lock.unlocked")).unwrap();
    let mut headers = signed(&payload);
    let signature = headers["svix-signature"].to_str().unwrap().to_owned();
    headers.insert("svix-id", HeaderValue::from_static("msg_tampered"));
    let (router, _) = router();
    let (status, _) = deliver(router, payload, headers).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let log = captured.text();
    assert!(log.contains("webhook delivery refused") && log.contains("invalid_signature"), "{log}");
    for secret in [SECRET, SECRET.trim_start_matches("whsec_"), &signature, "august_device_1"] {
        assert!(!log.contains(secret), "the log shows {secret}: {log}");
    }
}
