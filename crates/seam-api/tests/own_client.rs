//! An application's own `reqwest::Client` and default headers: every
//! request still carries the credential, Seam's headers and the builder's
//! timeout, and no default header can stand in for the credential.
#![cfg(feature = "client_sessions")]

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use seam_api::{ConfigError, Error, Seam};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::model_fixture;

async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/client_sessions/get")).respond_with(response).mount(&server).await;
    server
}

fn session() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(model_fixture("fake_client_sessions_get.json"))
}

#[tokio::test]
async fn a_given_client_carries_the_credential_seams_headers_and_the_default_headers() {
    let server = answering(session()).await;
    let mut defaults = HeaderMap::new();
    defaults.insert("x-from-the-app", HeaderValue::from_static("yes"));
    // The application's own default would replace the credential if it won.
    defaults.insert("authorization", HeaderValue::from_static("Bearer not-the-credential"));
    let client =
        reqwest::Client::builder().user_agent("my-app/1.0").default_headers(defaults).build().unwrap();
    let seam = Seam::builder()
        .api_key("seam_apikey1_token")
        .endpoint(server.uri())
        .http_client(client)
        .header("x-trace-id", "trace-1")
        .build()
        .unwrap();
    seam.client_sessions().get().client_session_id("cst1").send().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let headers = &requests[0].headers;
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(header("authorization"), "Bearer seam_apikey1_token");
    assert_eq!(header("seam-sdk-name"), "seam-api (rust)");
    assert_eq!(header("x-trace-id"), "trace-1");
    assert_eq!(header("x-from-the-app"), "yes");
    assert_eq!(header("user-agent"), "my-app/1.0", "the given client's user agent is left alone");
}

#[tokio::test]
async fn the_builders_timeout_applies_to_each_attempt_of_a_given_client() {
    let server = answering(session().set_delay(Duration::from_secs(3))).await;
    let seam = Seam::builder()
        .api_key("seam_apikey1_token")
        .endpoint(server.uri())
        .http_client(reqwest::Client::new())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let error = seam.client_sessions().get().send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

#[test]
fn a_default_header_cannot_stand_in_for_the_credential() {
    let build = |name: &str, value: &str| {
        Seam::builder().api_key("seam_apikey1_token").header(name, value).build().map(|_| ()).unwrap_err()
    };
    for name in ["Authorization", "client-session-token", "seam-workspace", "Seam-SDK-Name", "seam-anything"]
    {
        let error = build(name, "x");
        assert!(
            matches!(&error, Error::Config(ConfigError::ReservedHeader { name: n }) if *n == name.to_ascii_lowercase()),
            "{name}: {error:?}"
        );
    }
    for (name, value) in [("bad name", "x"), ("x-ok", "bad\nvalue")] {
        let error = build(name, value);
        assert!(matches!(&error, Error::Config(ConfigError::InvalidHeader { .. })), "{name}: {error:?}");
        assert!(!error.to_string().contains("bad\nvalue"), "{error}");
    }
    // A header's value may be a secret: the builder never prints it.
    let shown = format!("{:?}", Seam::builder().header("x-proxy-token", "secret-value"));
    assert!(shown.contains("x-proxy-token") && !shown.contains("secret-value"), "{shown}");
}
