//! `client_sessions().get()` over real HTTP against a local wiremock server:
//! the request on the wire (as insta snapshots), and how each kind of
//! response decodes.
#![cfg(feature = "client_sessions")]

use std::time::Duration;

use seam_api::{Error, Seam};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::{model_fixture as fixture, the_request};

async fn server_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/client_sessions/get")).respond_with(response).mount(&server).await;
    server
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body).insert_header("seam-request-id", "request1")
}

/// Retries are off here: these tests are about one response each
/// (`tests/resilience.rs` covers retries).
fn api_key_client(server: &MockServer) -> Seam {
    Seam::builder().api_key("seam_apikey1_token").endpoint(server.uri()).max_attempts(1).build().unwrap()
}

#[tokio::test]
async fn by_id_with_an_api_key() {
    let server = server_answering(ok(fixture("fake_client_sessions_get.json"))).await;
    let session =
        api_key_client(&server).client_sessions().get().client_session_id("cst1").send().await.unwrap();
    assert_eq!(session.client_session_id, "cst1");
    assert_eq!(session.token.expose(), "seam_cst1_token");
    insta::assert_json_snapshot!(the_request(&server).await);
}

#[tokio::test]
async fn by_user_identifier_key_with_a_personal_access_token() {
    let server = server_answering(ok(fixture("fake_client_sessions_get.json"))).await;
    let seam = Seam::builder()
        .personal_access_token("seam_at1_longtoken", "seed_workspace_1")
        .endpoint(server.uri())
        .build()
        .unwrap();
    let session =
        seam.client_sessions().get().user_identifier_key("john_user_identifier_key").send().await.unwrap();
    assert_eq!(session.user_identifier_key.as_deref(), Some("john_user_identifier_key"));
    insta::assert_json_snapshot!(the_request(&server).await);
}

/// The seed's documented request: a client session token and an empty body.
#[tokio::test]
async fn itself_with_a_client_session_token() {
    let server = server_answering(ok(fixture("seed_response.json"))).await;
    let seam =
        Seam::builder().client_session_token("seam_cst1_token").endpoint(server.uri()).build().unwrap();
    let session = seam.client_sessions().get().send().await.unwrap();
    // The seed's documented response, with no expires_at, decodes.
    assert_eq!(session.expires_at, None);
    assert_eq!(session.user_identity_ids, ["123e4567-e89b-12d3-a456-426614174000"]);
    insta::assert_json_snapshot!(the_request(&server).await);
}

#[tokio::test]
async fn the_raw_response_stays_reachable() {
    let server = server_answering(ok(fixture("seed_response.json"))).await;
    let response =
        api_key_client(&server).client_sessions().get().client_session_id("x").send_raw().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.request_id(), Some("request1"));
    assert!(!response.body().ok, "the seed's documented response says ok: false");
    assert_eq!(response.into_body().client_session.device_count, 0);
}

async fn error_for(response: ResponseTemplate) -> Error {
    let server = server_answering(response).await;
    api_key_client(&server).client_sessions().get().client_session_id("nope").send().await.unwrap_err()
}

#[tokio::test]
async fn not_found_is_an_api_error_with_type_and_request_id() {
    let error = error_for(
        ResponseTemplate::new(404)
            .set_body_json(fixture("fake_error_not_found.json"))
            .insert_header("seam-request-id", "request3"),
    )
    .await;
    assert!(error.is_not_found());
    assert_eq!(error.error_type(), Some("client_session_not_found"));
    assert_eq!(error.request_id(), Some("request3"));
    assert_eq!(
        error.to_string(),
        "404 Not Found client_session_not_found: Could not find client session (seam-request-id: request3)"
    );
}

#[tokio::test]
async fn unauthorized_is_told_apart() {
    let error = error_for(
        ResponseTemplate::new(401)
            .set_body_json(json!({"error": {"type": "unauthorized", "message": "Unauthorized"}})),
    )
    .await;
    assert!(error.is_unauthorized());
    assert!(!error.is_retryable());
    assert_eq!(error.request_id(), None);
}

#[tokio::test]
async fn invalid_input_carries_its_field_messages() {
    let error =
        error_for(ResponseTemplate::new(400).set_body_json(fixture("fake_error_invalid_input.json"))).await;
    let api = error.api_error().unwrap();
    assert_eq!(api.validation_messages("client_session_id"), ["Expected string, received number"]);
    assert_eq!(api.invalid_fields(), ["client_session_id"]);
}

#[tokio::test]
async fn the_body_request_id_is_the_fallback() {
    let error = error_for(
        ResponseTemplate::new(500)
            .set_body_json(json!({"error": {"type": "x", "message": "m", "request_id": "body-id"}})),
    )
    .await;
    assert_eq!(error.request_id(), Some("body-id"));
    assert!(error.is_retryable());
}

/// Seam's fake answers malformed JSON with a plain-text 400; proxies answer
/// with HTML. Both keep the status and a bounded excerpt.
#[tokio::test]
async fn an_error_body_that_is_not_seam_json_keeps_status_and_excerpt() {
    let error = error_for(ResponseTemplate::new(400).set_body_string("Invalid JSON")).await;
    match &error {
        Error::Http { status, excerpt, .. } => {
            assert_eq!(*status, 400);
            assert_eq!(excerpt, "Invalid JSON");
        }
        other => panic!("expected Error::Http, got {other:?}"),
    }

    let page = format!("<html>{}</html>", "x".repeat(10_000));
    let error =
        error_for(ResponseTemplate::new(502).set_body_string(page).insert_header("seam-request-id", "r9"))
            .await;
    let Error::Http { status, excerpt, request_id, .. } = &error else {
        panic!("expected Error::Http, got {error:?}")
    };
    assert_eq!((status.as_u16(), request_id.as_deref()), (502, Some("r9")));
    assert!(excerpt.starts_with("<html>") && excerpt.len() <= seam_api::EXCERPT_LIMIT, "{}", excerpt.len());
    assert!(error.is_retryable());

    let error = error_for(ResponseTemplate::new(503)).await;
    assert!(
        matches!(&error, Error::Http { status, excerpt, .. } if *status == 503 && excerpt.is_empty()),
        "{error:?}"
    );
}

/// A proxy's 502 page whose body happens to be shaped like Seam's error is
/// still the proxy's: Seam's error is JSON, and says so.
#[tokio::test]
async fn an_error_body_shaped_like_seams_but_not_json_is_an_http_error() {
    let shaped = r#"{"error": {"type": "bad_gateway", "message": "upstream down"}}"#;
    for content_type in ["text/html", "text/plain; charset=utf-8"] {
        let error =
            error_for(ResponseTemplate::new(502).set_body_raw(shaped.as_bytes().to_vec(), content_type))
                .await;
        assert!(
            matches!(&error, Error::Http { status, excerpt, .. } if *status == 502 && excerpt == shaped),
            "{content_type}: {error:?}"
        );
    }
    // JSON with parameters is Seam's error.
    let error = error_for(
        ResponseTemplate::new(502)
            .set_body_raw(shaped.as_bytes().to_vec(), "Application/JSON; charset=utf-8"),
    )
    .await;
    assert!(matches!(&error, Error::Api { error, .. } if error.error_type == "bad_gateway"), "{error:?}");
}

#[tokio::test]
async fn a_success_body_that_does_not_decode_keeps_the_decode_error() {
    // The response key of the wrong kind: not the documented response.
    let error = error_for(
        ResponseTemplate::new(200).set_body_json(json!({"client_session": [{"token": 5}], "ok": true})),
    )
    .await;
    match &error {
        Error::Decode { status, excerpt, source, .. } => {
            assert_eq!(*status, Some(seam_api::StatusCode::OK));
            assert!(excerpt.contains("\"token\":5"), "{excerpt}");
            assert_eq!(
                source.to_string(),
                "client_session: expected an object, found an array at line 1 column 31"
            );
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert!(!error.is_retryable());

    for not_the_body in ["", "[]", r#"{"ok": true}"#, r#"{"client_session": null}"#] {
        let error = error_for(ResponseTemplate::new(200).set_body_string(not_the_body)).await;
        assert!(matches!(error, Error::Decode { .. }), "{not_the_body}: {error:?}");
    }
}

#[tokio::test]
async fn a_success_body_with_an_odd_value_decodes_and_names_it() {
    let server = server_answering(ok(
        json!({"client_session": {"client_session_id": "cst1", "token": 5}, "ok": true}),
    ))
    .await;
    let session =
        api_key_client(&server).client_sessions().get().client_session_id("cst1").send().await.unwrap();
    assert_eq!(session.client_session_id, "cst1");
    assert_eq!(
        session.absent.reason("token").map(ToString::to_string).as_deref(),
        Some("expected a string, found a number")
    );
}

#[tokio::test]
async fn an_undocumented_status_is_an_http_error() {
    let error = error_for(ResponseTemplate::new(204)).await;
    assert!(matches!(&error, Error::Http { status, .. } if *status == 204), "{error:?}");
}

#[tokio::test]
async fn a_slow_server_hits_the_timeout() {
    let server = server_answering(ok(fixture("seed_response.json")).set_delay(Duration::from_secs(5))).await;
    let seam = Seam::builder()
        .api_key("seam_apikey1_token")
        .endpoint(server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = seam.client_sessions().get().send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn an_unreachable_server_is_a_transport_error() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let seam = Seam::builder()
        .api_key("seam_apikey1_token")
        .endpoint(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let error = seam.client_sessions().get().send().await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(!format!("{error} {error:?}").contains("seam_apikey1_token"));
}
