//! One operation of every resource (`client_sessions` has a suite of its
//! own) over real HTTP against wiremock: the request it puts on the wire
//! (path, headers, JSON body) and what its `send()` returns, both as insta
//! snapshots. Responses are the ones Seam's fake sent (seam-types'
//! `tests/fixtures/fake/`), or `{"ok": true}` for resources the fake lacks.
#![cfg(feature = "all-resources")]

use seam_api::Seam;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::{model_fixture, requests, the_request};

/// A server that answers `POST {route}` with `body`, and a client with an
/// API key pointed at it.
async fn answering(route: &str, body: Value) -> (MockServer, Seam) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let seam = Seam::builder().api_key("seam_apikey1_token").endpoint(server.uri()).build().unwrap();
    (server, seam)
}

/// What Seam's fake answered to `route` (recorded by record.mjs).
fn recorded(route: &str) -> Value {
    model_fixture(&format!("fake/{}.json", route.trim_start_matches('/').replace('/', "__")))
}

fn ok() -> Value {
    json!({"ok": true})
}

#[tokio::test]
async fn access_codes_create_with_an_enum_setter_and_typed_times() {
    let (server, seam) = answering("/access_codes/create", recorded("/access_codes/create")).await;
    // A date-time setter takes a chrono date-time or a SystemTime.
    let starts = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_735_830_000);
    let ends: seam_api::Timestamp = "2025-01-05T11:00:00+00:00".parse().unwrap();
    let code = seam
        .access_codes()
        .create("august_device_1")
        .name("Front Door Code")
        .code("1234")
        .max_time_rounding("1d")
        .starts_at(starts)
        .ends_at(ends)
        .send()
        .await
        .unwrap();
    insta::assert_json_snapshot!("access_codes_create_request", the_request(&server).await);
    insta::assert_debug_snapshot!("access_codes_create_returns", code);
}

#[tokio::test]
async fn access_grants_delete() {
    let (server, seam) = answering("/access_grants/delete", ok()).await;
    seam.access_grants().delete("access_grant_1").send().await.unwrap();
    insta::assert_json_snapshot!("access_grants_delete_request", the_request(&server).await);
}

#[tokio::test]
async fn access_methods_delete_with_a_merged_one_of_body() {
    let (server, seam) = answering("/access_methods/delete", ok()).await;
    seam.access_methods().delete().access_method_id("access_method_1").send().await.unwrap();
    insta::assert_json_snapshot!("access_methods_delete_request", the_request(&server).await);
}

#[tokio::test]
async fn acs_users_create_in_a_nested_group() {
    let (server, seam) = answering("/acs/users/create", recorded("/acs/users/create")).await;
    let user = seam
        .acs()
        .users()
        .create("visionline_acs_system_1", "Jane Doe")
        .email_address("jane.doe@example.com")
        .send()
        .await
        .unwrap();
    insta::assert_json_snapshot!("acs_users_create_request", the_request(&server).await);
    insta::assert_debug_snapshot!("acs_users_create_returns", user);
}

#[tokio::test]
async fn action_attempts_get() {
    let (server, seam) = answering("/action_attempts/get", recorded("/action_attempts/get")).await;
    let attempt = seam.action_attempts().get("action_attempt_2").send().await.unwrap();
    insta::assert_json_snapshot!("action_attempts_get_request", the_request(&server).await);
    insta::assert_debug_snapshot!("action_attempts_get_returns", attempt);
}

#[tokio::test]
async fn connect_webviews_create_with_an_array_of_enums() {
    let (server, seam) = answering("/connect_webviews/create", recorded("/connect_webviews/create")).await;
    let webview =
        seam.connect_webviews().create().accepted_providers(["august", "schlage"]).send().await.unwrap();
    insta::assert_json_snapshot!("connect_webviews_create_request", the_request(&server).await);
    insta::assert_debug_snapshot!("connect_webviews_create_returns", webview);
}

#[tokio::test]
async fn connected_accounts_update() {
    let (server, seam) =
        answering("/connected_accounts/update", recorded("/connected_accounts/update")).await;
    seam.connected_accounts()
        .update("connected_account_1")
        .automatically_manage_new_devices(true)
        .send()
        .await
        .unwrap();
    insta::assert_json_snapshot!("connected_accounts_update_request", the_request(&server).await);
}

#[tokio::test]
async fn customers_delete_data() {
    let (server, seam) = answering("/customers/delete_data", ok()).await;
    seam.customers().delete_data().customer_keys(["customer_1"]).send().await.unwrap();
    insta::assert_json_snapshot!("customers_delete_data_request", the_request(&server).await);
}

#[tokio::test]
async fn devices_update() {
    let (server, seam) = answering("/devices/update", recorded("/devices/update")).await;
    seam.devices().update("august_device_2").is_managed(false).name("Back door").send().await.unwrap();
    insta::assert_json_snapshot!("devices_update_request", the_request(&server).await);
}

#[tokio::test]
async fn events_get_returns_a_union_member() {
    let (server, seam) = answering("/events/get", recorded("/events/get")).await;
    let event = seam.events().get().event_id("event1").send().await.unwrap();
    insta::assert_json_snapshot!("events_get_request", the_request(&server).await);
    insta::assert_debug_snapshot!("events_get_returns", event);
}

#[tokio::test]
async fn instant_keys_delete() {
    let (server, seam) = answering("/instant_keys/delete", ok()).await;
    seam.instant_keys().delete("instant_key_1").send().await.unwrap();
    insta::assert_json_snapshot!("instant_keys_delete_request", the_request(&server).await);
}

#[tokio::test]
async fn locks_unlock_door_waits_for_its_action_attempt() {
    let pending = recorded("/locks/unlock_door");
    let (server, seam) = answering("/locks/unlock_door", pending.clone()).await;
    let mut finished = pending;
    finished["action_attempt"]["status"] = json!("success");
    finished["action_attempt"]["result"] = json!({});
    Mock::given(method("POST"))
        .and(path("/action_attempts/get"))
        .respond_with(ResponseTemplate::new(200).set_body_json(finished))
        .mount(&server)
        .await;
    let seam = Seam::builder()
        .api_key("seam_apikey1_token")
        .endpoint(seam.endpoint())
        .action_attempt_polling_interval(std::time::Duration::from_millis(1))
        .build()
        .unwrap();
    let attempt = seam.locks().unlock_door("august_device_1").send().await.unwrap();
    // The action, then one read of its attempt, which had finished.
    insta::assert_json_snapshot!("locks_unlock_door_requests", requests(&server).await);
    insta::assert_debug_snapshot!("locks_unlock_door_returns", attempt);
}

#[tokio::test]
async fn noise_sensors_noise_thresholds_create() {
    let route = "/noise_sensors/noise_thresholds/create";
    let (server, seam) = answering(route, recorded(route)).await;
    let threshold = seam
        .noise_sensors()
        .noise_thresholds()
        .create("minut_device_1", "22:00:00[America/Los_Angeles]", "07:00:00[America/Los_Angeles]")
        .noise_threshold_decibels(50.0)
        .send()
        .await
        .unwrap();
    insta::assert_json_snapshot!("noise_thresholds_create_request", the_request(&server).await);
    insta::assert_debug_snapshot!("noise_thresholds_create_returns", threshold);
}

#[tokio::test]
async fn phones_deactivate() {
    let (server, seam) = answering("/phones/deactivate", ok()).await;
    seam.phones().deactivate("phone_1").send().await.unwrap();
    insta::assert_json_snapshot!("phones_deactivate_request", the_request(&server).await);
}

#[tokio::test]
async fn spaces_add_devices_with_an_array_argument() {
    let (server, seam) = answering("/spaces/add_devices", ok()).await;
    seam.spaces().add_devices("space_1", ["device_1", "device_2"]).send().await.unwrap();
    insta::assert_json_snapshot!("spaces_add_devices_request", the_request(&server).await);
}

#[tokio::test]
async fn thermostats_set_fan_mode() {
    let (server, seam) = answering("/thermostats/set_fan_mode", recorded("/thermostats/set_fan_mode")).await;
    // Not waiting: the attempt as the action left it, and no other request.
    let attempt = seam
        .thermostats()
        .set_fan_mode("ecobee_device_1")
        .fan_mode_setting("on")
        .wait_for_action_attempt(false)
        .send()
        .await
        .unwrap();
    insta::assert_json_snapshot!("thermostats_set_fan_mode_request", the_request(&server).await);
    insta::assert_debug_snapshot!("thermostats_set_fan_mode_returns", attempt);
}

#[tokio::test]
async fn user_identities_grant_access_to_device() {
    let (server, seam) = answering("/user_identities/grant_access_to_device", ok()).await;
    seam.user_identities().grant_access_to_device("user_identity_1", "device_1").send().await.unwrap();
    insta::assert_json_snapshot!(
        "user_identities_grant_access_to_device_request",
        the_request(&server).await
    );
}

#[tokio::test]
async fn webhooks_create() {
    let (server, seam) = answering("/webhooks/create", recorded("/webhooks/create")).await;
    let webhook = seam
        .webhooks()
        .create("https://example.com/seam-webhook")
        .event_types(["device.connected", "lock.locked"])
        .send()
        .await
        .unwrap();
    insta::assert_json_snapshot!("webhooks_create_request", the_request(&server).await);
    insta::assert_debug_snapshot!("webhooks_create_returns", webhook);
}

#[tokio::test]
async fn workspaces_get_sends_no_body() {
    let (server, seam) = answering("/workspaces/get", recorded("/workspaces/get")).await;
    let workspace = seam.workspaces().get().send().await.unwrap();
    insta::assert_json_snapshot!("workspaces_get_request", the_request(&server).await);
    insta::assert_debug_snapshot!("workspaces_get_returns", workspace);
}
