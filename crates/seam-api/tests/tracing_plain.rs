//! What an application sees with the plainest subscriber, as the README
//! sets it up: `tracing_subscriber::fmt().with_env_filter("seam_api=debug")`,
//! which prints events and not spans. Each call still shows as one line
//! with its operation, status, request id, attempts and duration, and a
//! retry names the failed attempt's status and request id.
//!
//! Its own test binary, because the subscriber is the process's global
//! default.
#![cfg(feature = "client_sessions")]

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;

use common::Captured;

#[tokio::test]
async fn a_plain_subscriber_shows_every_call_and_each_retry() {
    let captured = Captured::default();
    tracing_subscriber::fmt()
        .with_env_filter("seam_api=debug")
        .with_ansi(false)
        .with_writer(captured.clone())
        .init();

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/client_sessions/get"))
        .respond_with(ResponseTemplate::new(503).insert_header("seam-request-id", "req-503"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/client_sessions/get"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(common::model_fixture("fake_client_sessions_get.json"))
                .insert_header("seam-request-id", "req-42"),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    let not_found = json!({"error": {"type": "client_session_not_found", "message": "Not found"}});
    Mock::given(method("POST"))
        .and(path("/client_sessions/delete"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(not_found).insert_header("seam-request-id", "req-404"),
        )
        .mount(&server)
        .await;

    let seam = seam_api::Seam::builder()
        .endpoint(server.uri())
        .api_key("seam_apikey1_token")
        .retry_base_delay(std::time::Duration::from_millis(1))
        .build()
        .unwrap();
    seam.client_sessions().get().client_session_id("cs_1").send().await.unwrap();
    seam.client_sessions().delete("cs_1").send().await.unwrap_err();

    let text = captured.text();
    // The line that says `message`, holding every one of `fields`.
    let assert_line = |message: &str, fields: &[&str]| {
        let line = text
            .lines()
            .find(|line| line.contains(message))
            .unwrap_or_else(|| panic!("no `{message}` in:\n{text}"));
        for field in fields {
            assert!(line.contains(field), "{field} not in {line}");
        }
    };
    assert_line(
        "retrying",
        &["http.response.status_code=503", "seam.request_id=\"req-503\"", "seam.attempt=1"],
    );
    assert_line(
        "call succeeded",
        &[
            "seam.operation=\"client_sessions.get\"",
            "http.response.status_code=200",
            "seam.request_id=\"req-42\"",
            "seam.attempts=2",
            "seam.duration_ms=",
            // Inside the call's span.
            "call{otel.name=\"client_sessions.get\"",
        ],
    );
    assert_line(
        "call failed",
        &[
            "seam.operation=\"client_sessions.delete\"",
            "http.response.status_code=404",
            "seam.request_id=\"req-404\"",
            "seam.attempts=1",
            "error.type=\"404\"",
            "seam.error_type=\"client_session_not_found\"",
        ],
    );
    // One line per call ending: two calls, two lines.
    assert_eq!(text.matches("call succeeded").count() + text.matches("call failed").count(), 2, "{text}");
    eprintln!("{text}");
}
