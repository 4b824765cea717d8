//! Webhook deliveries signed per the svix scheme (Standard Webhooks):
//! genuine ones decode into their event (whatever fields it lacks or
//! mistypes), and tampered, stale, unsigned and malformed ones are refused,
//! each with its own error.
#![cfg(feature = "webhook-verification")]

use std::time::{SystemTime, UNIX_EPOCH};

use http::{HeaderMap, HeaderValue};
use seam_api::{Event, SeamWebhook, WebhookError};
use serde_json::json;

mod common;

const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}

/// The headers svix sends for `payload`, signed with `secret` at `timestamp`.
fn signed(secret: &str, id: &str, timestamp: i64, payload: &[u8]) -> HeaderMap {
    let signature = standardwebhooks::Webhook::new(secret.trim_start_matches("whsec_"))
        .unwrap()
        .sign(id, timestamp, payload)
        .unwrap();
    let mut headers = HeaderMap::new();
    headers.insert("svix-id", HeaderValue::from_str(id).unwrap());
    headers.insert("svix-timestamp", HeaderValue::from_str(&timestamp.to_string()).unwrap());
    headers.insert("svix-signature", HeaderValue::from_str(&signature).unwrap());
    headers
}

/// A real event, as Seam's fake returns it from events/get.
fn event_payload() -> Vec<u8> {
    let event = common::model_fixture("fake/events__get.json")["event"].clone();
    serde_json::to_vec(&event).unwrap()
}

#[test]
fn the_signer_matches_svix_s_published_test_vector() {
    // From svix's own test suite: the tests below sign with the same code.
    let signature = standardwebhooks::Webhook::new("C2FVsBQIhrscChlQIMV+b5sSYspob7oD")
        .unwrap()
        .sign(
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
            1649367553,
            br#"{"email":"test@example.com","username":"test_user"}"#,
        )
        .unwrap();
    assert_eq!(signature, "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=");
}

#[test]
fn a_genuine_delivery_returns_its_event() {
    let payload = event_payload();
    let headers = signed(SECRET, "msg_1", now(), &payload);
    let event = SeamWebhook::new(SECRET).unwrap().verify(&payload, &headers).unwrap();
    let expected: Event = serde_json::from_slice(&payload).unwrap();
    assert_eq!(event, expected);
    assert!(!matches!(event, Event::Unknown(_)), "{event:?}");

    // Standard Webhooks' header names work too, and so do several
    // signatures (one from a rotated secret).
    let mut standard = HeaderMap::new();
    for (svix, webhook) in [("svix-id", "webhook-id"), ("svix-timestamp", "webhook-timestamp")] {
        standard.insert(webhook, headers[svix].clone());
    }
    let both = format!("v1,bm90IHRoaXMgb25l {}", headers["svix-signature"].to_str().unwrap());
    standard.insert("webhook-signature", HeaderValue::from_str(&both).unwrap());
    assert_eq!(SeamWebhook::new(SECRET).unwrap().verify(&payload, &standard).unwrap(), expected);
}

#[test]
fn an_unknown_event_type_is_returned_not_refused() {
    let payload = serde_json::to_vec(&json!({
        "event_id": "event_9", "event_type": "device.teleported", "workspace_id": "w", "created_at": "2026-01-01T00:00:00Z"
    }))
    .unwrap();
    let headers = signed(SECRET, "msg_2", now(), &payload);
    let event = SeamWebhook::new(SECRET).unwrap().verify(&payload, &headers).unwrap();
    assert!(matches!(event, Event::Unknown(_)), "{event:?}");
    assert_eq!(event.event_type(), "device.teleported");
}

#[test]
fn a_tampered_body_or_another_secret_is_a_bad_signature() {
    let payload = event_payload();
    let headers = signed(SECRET, "msg_3", now(), &payload);
    let webhook = SeamWebhook::new(SECRET).unwrap();

    let mut tampered = payload.clone();
    let at = tampered.iter().position(|b| *b == b'1').unwrap_or(0);
    tampered[at] = b'2';
    assert!(matches!(webhook.verify(&tampered, &headers), Err(WebhookError::InvalidSignature)));

    let other = SeamWebhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    assert!(matches!(other.verify(&payload, &headers), Err(WebhookError::InvalidSignature)));

    let mut other_id = headers.clone();
    other_id.insert("svix-id", HeaderValue::from_static("msg_other"));
    assert!(matches!(webhook.verify(&payload, &other_id), Err(WebhookError::InvalidSignature)));

    // Bytes that are not UTF-8 were never signed.
    assert!(matches!(webhook.verify(&[0xff, 0xfe], &headers), Err(WebhookError::InvalidSignature)));
}

#[test]
fn a_stale_or_future_timestamp_is_refused() {
    let payload = event_payload();
    let webhook = SeamWebhook::new(SECRET).unwrap();
    for timestamp in [now() - 301, now() + 301, 1649367553] {
        let headers = signed(SECRET, "msg_4", timestamp, &payload);
        let error = webhook.verify(&payload, &headers).unwrap_err();
        assert!(matches!(error, WebhookError::StaleTimestamp { timestamp: t } if t == timestamp), "{error}");
    }
    let headers = signed(SECRET, "msg_4", now() - 240, &payload);
    assert!(webhook.verify(&payload, &headers).is_ok(), "four minutes old is within tolerance");
}

#[test]
fn an_unsigned_delivery_names_the_missing_header() {
    let payload = event_payload();
    let headers = signed(SECRET, "msg_5", now(), &payload);
    let webhook = SeamWebhook::new(SECRET).unwrap();
    for name in ["svix-id", "svix-timestamp", "svix-signature"] {
        let mut missing = headers.clone();
        missing.remove(name);
        let error = webhook.verify(&payload, &missing).unwrap_err();
        assert!(matches!(error, WebhookError::MissingHeader(n) if n == name), "{error}");
        assert_eq!(error.to_string(), format!("the delivery has no `{name}` header"));
    }
}

#[test]
fn malformed_timestamps_are_errors_not_panics() {
    let payload = event_payload();
    let webhook = SeamWebhook::new(SECRET).unwrap();
    for bad in ["-9223372036854775808", "9223372036854775807", "-1", "soon", "", "1e9"] {
        let mut headers = signed(SECRET, "msg_6", now(), &payload);
        headers.insert("svix-timestamp", HeaderValue::from_str(bad).unwrap());
        let error = webhook.verify(&payload, &headers).unwrap_err();
        assert!(matches!(error, WebhookError::InvalidHeader("svix-timestamp")), "{bad}: {error}");
    }
}

/// Seam's fake's `lock.unlocked`, recorded after an unlock: it has no
/// `method`, which the spec requires.
fn fake_lock_unlocked() -> serde_json::Value {
    let events = common::model_fixture("fake/events__list__after_lock_and_unlock.json")["events"].clone();
    let unlocked =
        events.as_array().unwrap().iter().find(|e| e["event_type"] == "lock.unlocked").unwrap().clone();
    assert!(unlocked.get("method").is_none(), "the fixture has a method now: {unlocked}");
    unlocked
}

#[test]
fn a_signed_lock_unlocked_without_its_method_is_returned_typed() {
    let payload = serde_json::to_vec(&fake_lock_unlocked()).unwrap();
    let headers = signed(SECRET, "msg_8", now(), &payload);
    let event = SeamWebhook::new(SECRET).unwrap().verify(&payload, &headers).unwrap();
    let Event::LockUnlocked(unlocked) = &event else { panic!("not a typed lock.unlocked: {event:?}") };
    assert!(unlocked.absent.contains("method"), "{:?}", unlocked.absent);
    assert_eq!(event.method(), None);
    assert_eq!(event.device_id(), Some("august_device_1"));
    assert_eq!(event.event_type(), "lock.unlocked");
}

#[test]
fn every_signed_object_with_a_string_event_type_is_an_event() {
    let webhook = SeamWebhook::new(SECRET).unwrap();
    let deliver = |body: serde_json::Value| {
        let payload = serde_json::to_vec(&body).unwrap();
        let headers = signed(SECRET, "msg_9", now(), &payload);
        webhook.verify(&payload, &headers).unwrap_or_else(|e| panic!("{body} refused: {e}"))
    };
    // A known type with nothing but its tag: every field is absent.
    let bare = deliver(json!({"event_type": "device.connected"}));
    assert!(matches!(&bare, Event::DeviceConnected(e) if e.absent.contains("event_id")), "{bare:?}");
    assert_eq!(bare.event_id(), "");
    // An unknown type with fields of any type.
    let unknown = deliver(json!({"event_id": 1, "event_type": "x"}));
    assert!(matches!(unknown, Event::Unknown(_)), "{unknown:?}");
    // A known type whose field has the wrong type is typed, with that
    // field named, and its accessors read the rest.
    let mut odd = fake_lock_unlocked();
    odd["method"] = json!({"not": "a string"});
    let kept = deliver(odd.clone());
    let Event::LockUnlocked(unlocked) = &kept else { panic!("not typed: {kept:?}") };
    assert!(matches!(unlocked.absent.reason("method"), Some(seam_types::AbsentReason::WrongType { .. })));
    assert_eq!(kept.method(), None);
    assert_eq!(kept.device_id(), Some("august_device_1"));
    assert_eq!(kept.event_type(), "lock.unlocked");
}

#[test]
fn an_authentic_body_that_is_no_event_is_an_invalid_payload() {
    let webhook = SeamWebhook::new(SECRET).unwrap();
    for payload in [
        &b"not json"[..],
        b"[]",
        br#""device.connected""#,
        br#"{"event_id": "e1"}"#,
        br#"{"event_type": 5}"#,
        b"",
    ] {
        let headers = signed(SECRET, "msg_7", now(), payload);
        let error = webhook.verify(payload, &headers).unwrap_err();
        assert!(
            matches!(error, WebhookError::InvalidPayload { .. }),
            "{}: {error}",
            String::from_utf8_lossy(payload)
        );
    }
}

#[test]
fn a_secret_that_is_not_one_is_refused_and_never_printed() {
    for bad in ["whsec_", "", "whsec_not base64!"] {
        assert!(matches!(SeamWebhook::new(bad), Err(WebhookError::InvalidSecret)), "{bad:?}");
    }
    let shown = format!("{:?}", SeamWebhook::new(SECRET).unwrap());
    assert!(!shown.contains("C2FVsBQIhrscChlQIMV"), "{shown}");
}
