//! Every `client_sessions` operation over real HTTP against wiremock: the
//! request it puts on the wire and what its `send()` returns, both as insta
//! snapshots, from the fixtures in `tests/fixtures/`.
#![cfg(feature = "client_sessions")]

use std::time::Duration;

use seam_api::Seam;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::{fixture, requests, the_request};

/// The mock for `POST /client_sessions/{operation}`, answering `response`.
fn operation(operation: &str, response: ResponseTemplate) -> Mock {
    Mock::given(method("POST")).and(path(format!("/client_sessions/{operation}"))).respond_with(response)
}

/// 200 with the operation's fixture from `tests/fixtures/`.
fn its_fixture(operation: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(fixture(&format!("client_sessions_{operation}.json")))
}

/// A server that answers `POST /client_sessions/{operation}` with its
/// fixture, and a client with an API key pointed at it.
async fn answering(name: &str) -> (MockServer, Seam) {
    let server = MockServer::start().await;
    operation(name, its_fixture(name)).mount(&server).await;
    let seam = Seam::builder().api_key("seam_apikey1_token").endpoint(server.uri()).build().unwrap();
    (server, seam)
}

#[tokio::test]
async fn create() {
    let (server, seam) = answering("create").await;
    let expires_at: seam_api::Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
    let session = seam
        .client_sessions()
        .create()
        .user_identifier_key("jane_user_key")
        .connected_account_ids(["john_connected_account_id"])
        .expires_at(expires_at)
        .send()
        .await
        .unwrap();
    insta::assert_json_snapshot!("create_request", the_request(&server).await);
    insta::assert_debug_snapshot!("create_returns", session);
}

#[tokio::test]
async fn get() {
    let (server, seam) = answering("get").await;
    let session = seam.client_sessions().get().client_session_id("cst1").send().await.unwrap();
    insta::assert_json_snapshot!("get_request", the_request(&server).await);
    insta::assert_debug_snapshot!("get_returns", session);
}

#[tokio::test]
async fn get_or_create() {
    let (server, seam) = answering("get_or_create").await;
    let session = seam
        .client_sessions()
        .get_or_create()
        .user_identifier_key("john_user_identifier_key")
        .connect_webview_ids(vec!["connect_webview1".to_string()])
        .send()
        .await
        .unwrap();
    insta::assert_json_snapshot!("get_or_create_request", the_request(&server).await);
    insta::assert_debug_snapshot!("get_or_create_returns", session);
}

/// The spec names no response key for grant_access; normalize infers
/// `client_session` from the body, so `send()` returns the session.
#[tokio::test]
async fn grant_access() {
    let (server, seam) = answering("grant_access").await;
    let session = seam
        .client_sessions()
        .grant_access()
        .client_session_id("cst1")
        .connected_account_ids(["john_connected_account_id"])
        .send()
        .await
        .unwrap();
    insta::assert_json_snapshot!("grant_access_request", the_request(&server).await);
    insta::assert_debug_snapshot!("grant_access_returns", session);
}

#[tokio::test]
async fn list() {
    let (server, seam) = answering("list").await;
    let sessions = seam.client_sessions().list().without_user_identifier_key(false).send().await.unwrap();
    assert_eq!(sessions.len(), 2);
    insta::assert_json_snapshot!("list_request", the_request(&server).await);
    insta::assert_debug_snapshot!("list_returns", sessions);
}

#[tokio::test]
async fn revoke() {
    let (server, seam) = answering("revoke").await;
    seam.client_sessions().revoke("cst2").send().await.unwrap();
    insta::assert_json_snapshot!("revoke_request", the_request(&server).await);
}

#[tokio::test]
async fn delete() {
    let (server, seam) = answering("delete").await;
    let () = seam.client_sessions().delete("cst2").send().await.unwrap();
    insta::assert_json_snapshot!("delete_request", the_request(&server).await);
}

/// Reads are retried on 503; writes are not, once the server has answered.
#[tokio::test]
async fn list_is_retried_as_a_read_and_create_is_not() {
    let server = MockServer::start().await;
    for name in ["list", "create"] {
        operation(name, ResponseTemplate::new(503)).up_to_n_times(1).with_priority(1).mount(&server).await;
        operation(name, its_fixture(name)).with_priority(2).mount(&server).await;
    }
    let seam = Seam::builder()
        .api_key("seam_apikey1_token")
        .endpoint(server.uri())
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap();

    assert_eq!(seam.client_sessions().list().send().await.unwrap().len(), 2);
    let error = seam.client_sessions().create().user_identifier_key("k").send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));

    let paths: Vec<String> =
        requests(&server).await.iter().map(|r| r["path"].as_str().unwrap().to_owned()).collect();
    assert_eq!(paths, ["/client_sessions/list", "/client_sessions/list", "/client_sessions/create"]);
}

/// `Seam::from_publishable_key`: get_or_create with only the publishable key
/// header, then every call with the returned client session token.
#[tokio::test]
async fn publishable_key_sign_in() {
    let server = MockServer::start().await;
    for name in ["get_or_create", "get"] {
        operation(name, its_fixture(name)).mount(&server).await;
    }
    let seam = Seam::builder()
        .endpoint(server.uri())
        .build_with_publishable_key("seam_pk1_token", "john_user_identifier_key")
        .await
        .unwrap();
    assert_eq!(seam.credential_kind(), seam_api::CredentialKind::ClientSessionToken);
    seam.client_sessions().get().send().await.unwrap();
    insta::assert_json_snapshot!("publishable_key_sign_in_requests", requests(&server).await);
    assert!(!format!("{seam:?}").contains("seam_cst1_token"));
}

/// Request bodies take ids as opaque strings, as Seam's fake issues them.
#[tokio::test]
async fn ids_need_not_be_uuids() {
    let (server, seam) = answering("revoke").await;
    seam.client_sessions().revoke("cst_not-a-uuid").send().await.unwrap();
    assert_eq!(the_request(&server).await["body"], json!({"client_session_id": "cst_not-a-uuid"}));
}
