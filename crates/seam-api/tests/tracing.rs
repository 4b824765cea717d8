//! What seam-api tells `tracing`, captured at TRACE by a subscriber that
//! prints every span (with its fields, when it opens and closes) and every
//! event: the spans and events it should emit are there, and no credential,
//! access code or webhook secret appears in any field or message, across
//! every auth kind, a retried call, a failed call, a raw call, webhook
//! verification, a publishable-key sign-in and a response with values of
//! the wrong type (named by path, never shown).
//!
//! One test, because the subscriber is the process's global default.
#![cfg(all(feature = "all-resources", feature = "webhook-verification"))]

use seam_api::{Seam, SeamWebhook};
use serde_json::{Value, json};
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;

use common::Captured;

const API_KEY: &str = "seam_apikey1_secretvalue";
const CLIENT_SESSION_TOKEN: &str = "seam_cst1_secretvalue";
const PERSONAL_ACCESS_TOKEN: &str = "seam_at1_secretvalue";
const CONSOLE_SESSION_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzZWNyZXQiOnRydWV9.c2lnbmF0dXJlc2VjcmV0";
const PUBLISHABLE_KEY: &str = "seam_pk1_secretvalue";
const SIGNED_IN_TOKEN: &str = "seam_cst2_signedinsecret";
const ACCESS_CODE: &str = "90817263";
const WEBHOOK_KEY: &str = "C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
/// A value a response sends where the model cannot hold it.
const ODD_VALUE: &str = "odd-value-never-traced";

fn session(token: &str) -> Value {
    let mut body = common::model_fixture("fake_client_sessions_get.json");
    body["client_session"]["token"] = json!(token);
    body
}

async fn mount(server: &MockServer, route: &str, response: ResponseTemplate, times: Option<u64>) {
    let mock = Mock::given(method("POST")).and(path(route)).respond_with(response);
    match times {
        Some(n) => mock.up_to_n_times(n).with_priority(1).mount(server).await,
        None => mock.with_priority(2).mount(server).await,
    }
}

#[tokio::test]
async fn spans_and_events_name_each_step_and_never_a_secret() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(captured.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");

    let server = MockServer::start().await;
    // The first read answers 503 once, so one call is retried.
    mount(&server, "/client_sessions/get", ResponseTemplate::new(503), Some(1)).await;
    mount(
        &server,
        "/client_sessions/get",
        ResponseTemplate::new(200)
            .set_body_json(session(CLIENT_SESSION_TOKEN))
            .insert_header("seam-request-id", "req-42"),
        None,
    )
    .await;
    mount(
        &server,
        "/client_sessions/get_or_create",
        ResponseTemplate::new(200).set_body_json(session(SIGNED_IN_TOKEN)),
        None,
    )
    .await;
    let not_found = json!({"error": {"type": "device_not_found", "message": "Device not found", "request_id": "req-404"}});
    mount(&server, "/devices/get", ResponseTemplate::new(404).set_body_json(not_found), None).await;
    let mut code = common::model_fixture("fake/access_codes__create.json");
    code["access_code"]["code"] = json!(ACCESS_CODE);
    mount(&server, "/access_codes/create", ResponseTemplate::new(200).set_body_json(code), None).await;
    // A device with a value of the wrong type and a list item of another.
    let mut device = common::model_fixture("fake/devices__get.json")["device"].clone();
    device["display_name"] = json!({"odd": ODD_VALUE});
    device["capabilities_supported"] = json!(["lock", ODD_VALUE.len()]);
    let devices = json!({"devices": [device], "ok": true});
    mount(&server, "/devices/list", ResponseTemplate::new(200).set_body_json(devices), None).await;

    let endpoint = server.uri();
    let builder =
        || Seam::builder().endpoint(&endpoint).retry_base_delay(std::time::Duration::from_millis(1));
    let clients = [
        builder().api_key(API_KEY).build().unwrap(),
        builder().client_session_token(CLIENT_SESSION_TOKEN).build().unwrap(),
        builder().personal_access_token(PERSONAL_ACCESS_TOKEN, "workspace_1").build().unwrap(),
        builder().console_session_token(CONSOLE_SESSION_TOKEN, "workspace_1").build().unwrap(),
        builder().build_with_publishable_key(PUBLISHABLE_KEY, "an-opaque-user-key").await.unwrap(),
    ];
    for seam in &clients {
        seam.client_sessions().get().send().await.unwrap();
    }
    let seam = &clients[0];
    let error = seam.devices().get().device_id("device_1").send().await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    seam.access_codes().create("device_1").code(ACCESS_CODE).name("Guest").send().await.unwrap();
    let listed = seam.devices().list().send().await.unwrap();
    assert_eq!(listed[0].capabilities_supported.len(), 1);
    seam.post("/client_sessions/get")
        .body(json!({"user_identifier_key": "user_1"}))
        .read()
        .send()
        .await
        .unwrap();

    let webhook = SeamWebhook::new(&format!("whsec_{WEBHOOK_KEY}")).unwrap();
    let event = serde_json::to_vec(&common::model_fixture("fake/events__get.json")["event"]).unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let signature = standardwebhooks::Webhook::new(WEBHOOK_KEY).unwrap().sign("msg_1", now, &event).unwrap();
    let mut headers = http::HeaderMap::new();
    headers.insert("svix-id", "msg_1".parse().unwrap());
    headers.insert("svix-timestamp", now.to_string().parse().unwrap());
    headers.insert("svix-signature", signature.parse().unwrap());
    webhook.verify(&event, &headers).unwrap();
    headers.insert("svix-signature", "v1,bm90IHRoZSBzaWduYXR1cmU=".parse().unwrap());
    webhook.verify(&event, &headers).unwrap_err();

    let text = captured.text();
    // What an operator needs is there.
    for expected in [
        "otel.name=\"client_sessions.get\"",
        "seam.credential_kind=\"publishable_key\"",
        "seam.credential_kind=\"console_session_token\"",
        "otel.name=\"client_sessions.get_or_create\"",
        "otel.name=POST /client_sessions/get",
        "http.request.method=\"POST\"",
        "server.address=\"127.0.0.1\"",
        "http.request.resend_count=1",
        "retrying",
        "seam.retry.delay_ms",
        "not retrying",
        "seam.retry.reason=\"not_resendable\"",
        "error.type=\"404\"",
        "seam.error_type=\"device_not_found\"",
        "seam.request_id=\"req-42\"",
        "seam.attempts=2",
        "otel.name=\"post\"",
        "webhook delivery verified",
        "webhook delivery refused",
        "error.type=\"invalid_signature\"",
        "response decoded with fields it does not hold",
        "seam.operation=\"devices.list\"",
        "seam.absent.count=2",
        "devices[0].capabilities_supported[1] (expected a string, found a number)",
        "devices[0].display_name (expected a string, found an object)",
    ] {
        assert!(text.contains(expected), "`{expected}` is not in what seam-api traced:\n{text}");
    }
    // No secret is.
    for secret in [
        API_KEY,
        CLIENT_SESSION_TOKEN,
        PERSONAL_ACCESS_TOKEN,
        CONSOLE_SESSION_TOKEN,
        PUBLISHABLE_KEY,
        SIGNED_IN_TOKEN,
        ACCESS_CODE,
        WEBHOOK_KEY,
        "Bearer",
        "secretvalue",
        ODD_VALUE,
    ] {
        assert!(!text.contains(secret), "`{secret}` appears in what seam-api traced:\n{text}");
    }
    // Only DEBUG and TRACE: nothing at a level applications log by default.
    for line in text.lines().filter(|line| line.contains("seam_api")) {
        assert!(line.contains("DEBUG") || line.contains("TRACE"), "{line}");
    }
}
