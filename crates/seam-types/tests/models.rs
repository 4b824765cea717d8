//! Snapshots of each model's JSON Schema and of each recorded response
//! decoded into the models. A model change shows up in review as a diff of
//! `tests/snapshots/`.

use schemars::schema_for;
use seam_types::{ApiErrorResponse, ClientSession};
use serde::de::DeserializeOwned;

fn fixture(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn decode<T: DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).unwrap_or_else(|e| panic!("does not decode: {e}"))
}

#[test]
fn client_session_schema() {
    insta::assert_json_snapshot!(schema_for!(ClientSession));
}

#[test]
fn api_error_response_schema() {
    insta::assert_json_snapshot!(schema_for!(ApiErrorResponse));
}

/// The response documented for `POST /client_sessions/get` (no `expires_at`).
#[test]
fn seed_response_decodes() {
    let body = fixture("seed_response.json");
    let session: ClientSession = decode(body["client_session"].clone());
    insta::assert_debug_snapshot!(session);
}

/// The documented sample response: a client session with a real-looking token.
#[test]
fn seed_sample_client_session_decodes() {
    let session: ClientSession = decode(fixture("seed_sample_client_session.json"));
    assert_eq!(session.token.expose(), "seam_cst1271Q3JUh_A3ECdSrrqgYp98SmB9qY2NGp");
    insta::assert_debug_snapshot!(session);
}

/// Recorded from `@seamapi/fake-seam-connect`: non-UUID ids, an extra
/// `api_key_id` field.
#[test]
fn fake_seam_connect_response_decodes() {
    let body = fixture("fake_client_sessions_get.json");
    let session: ClientSession = decode(body["client_session"].clone());
    assert_eq!(session.client_session_id, "cst1");
    insta::assert_debug_snapshot!(session);
}

#[test]
fn fake_seam_connect_errors_decode() {
    let not_found: ApiErrorResponse = decode(fixture("fake_error_not_found.json"));
    insta::assert_debug_snapshot!("fake_error_not_found", not_found);
    let invalid: ApiErrorResponse = decode(fixture("fake_error_invalid_input.json"));
    assert_eq!(invalid.error.validation_messages("client_session_id"), ["Expected string, received number"]);
    insta::assert_debug_snapshot!("fake_error_invalid_input", invalid);
}

#[test]
fn debug_output_never_contains_the_token() {
    for name in ["seed_sample_client_session.json", "fake_client_sessions_get.json"] {
        let body = fixture(name);
        let session: ClientSession = decode(body.get("client_session").cloned().unwrap_or(body));
        let shown = format!("{session:?}");
        assert!(!shown.contains(session.token.expose()), "{shown}");
    }
}

#[test]
fn tolerates_null_user_identifier_key_and_float_counts() {
    let mut body = fixture("fake_client_sessions_get.json")["client_session"].clone();
    body["user_identifier_key"] = serde_json::Value::Null;
    body["device_count"] = serde_json::json!(4.0);
    body.as_object_mut().unwrap().remove("user_identity_ids");
    let session: ClientSession = decode(body);
    assert_eq!(session.user_identifier_key, None);
    assert_eq!(session.device_count, 4);
    assert!(session.user_identity_ids.is_empty());
}

#[test]
fn round_trips_through_json() {
    let session: ClientSession = decode(fixture("seed_sample_client_session.json"));
    let again: ClientSession = decode(serde_json::to_value(&session).unwrap());
    assert_eq!(session, again);
}

#[test]
fn missing_required_fields_are_named_absent() {
    let mut body = fixture("seed_sample_client_session.json");
    body.as_object_mut().unwrap().remove("workspace_id");
    body["created_at"] = serde_json::Value::Null;
    let session: ClientSession = decode(body);
    // The documented sample leaves out `expires_at` too.
    let paths: Vec<&str> = session.absent.paths().collect();
    assert_eq!(paths, ["workspace_id", "created_at", "expires_at"]);
    assert_eq!(session.absent.reason("created_at"), Some(&seam_types::AbsentReason::Null));
    assert_eq!(session.workspace_id, "");
    let written = serde_json::to_value(&session).unwrap();
    // Left out stays out; sent as null is written as null.
    assert!(written.get("workspace_id").is_none() && written["created_at"].is_null(), "{written}");
}

#[test]
fn what_is_not_a_client_session_is_still_an_error() {
    for bad in [r#""cst1""#, "[]", "null", r#"{"token": "#] {
        assert!(serde_json::from_str::<ClientSession>(bad).is_err(), "{bad} decoded");
    }
}

#[test]
fn an_odd_value_is_named_and_the_rest_decodes() {
    let mut body = fixture("seed_sample_client_session.json");
    body["device_count"] = serde_json::json!(1.5);
    body["token"] = serde_json::json!(5);
    body["connected_account_ids"] = serde_json::json!(["ca1", null, 7]);
    let session: ClientSession = decode(body);
    let named: Vec<String> = session.absent.iter().map(ToString::to_string).collect();
    assert_eq!(
        named,
        [
            "connected_account_ids[1]: null",
            "connected_account_ids[2]: expected a string, found a number",
            "device_count: not a whole number",
            "token: expected a string, found a number",
            "expires_at: missing",
        ]
    );
    assert_eq!(session.connected_account_ids, ["ca1"]);
    assert!(!session.client_session_id.is_empty());
}
