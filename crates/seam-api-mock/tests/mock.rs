//! The typed mocks as a test uses them: a request no mock matches, the
//! partial body match, and mocks made in any order.

use seam_api::{Error, Seam, wire};
use seam_api_mock::httpmock::MockServer;
use seam_api_mock::{MockServerExt, NO_MOCK_MATCHED, NO_MOCK_MATCHED_STATUS};

fn seam(server: &MockServer) -> Seam {
    match Seam::builder().api_key("seam_test_key").endpoint(server.base_url()).build() {
        Ok(seam) => seam,
        Err(error) => panic!("a client for the mock server: {error}"),
    }
}

fn device(id: &str) -> wire::DevicesGetResponse {
    let mut response = wire::DevicesGetResponse::default();
    response.device.device_id = id.into();
    response.ok = true;
    response
}

fn created_code(id: &str) -> wire::AccessCodesCreateResponse {
    let mut response = wire::AccessCodesCreateResponse::default();
    response.access_code.access_code_id = id.into();
    response.ok = true;
    response
}

/// The error of a call the test expects to fail.
fn failure<T: std::fmt::Debug>(result: Result<T, Error>, what: &str) -> Error {
    match result {
        Ok(answer) => panic!("{what} was answered: {answer:?}"),
        Err(error) => error,
    }
}

/// Mocks `devices/get` for exactly the device `id`.
fn mock_device<'a>(server: &'a MockServer, id: &str) -> httpmock::Mock<'a> {
    server.devices_get(|when, then| {
        let mut body = wire::DevicesGetBody::default();
        body.device_id = Some(id.into());
        when.body(&body);
        then.ok(&device(id));
    })
}

fn assert_no_mock_matched(error: &Error, request: &str, operation: &str) {
    assert_eq!(error.status().map(|s| s.as_u16()), Some(NO_MOCK_MATCHED_STATUS), "{error}");
    assert_eq!(error.error_type(), Some(NO_MOCK_MATCHED), "{error}");
    assert!(!error.is_not_found(), "{error}");
    assert!(!error.is_retryable(), "{error}");
    let line = error.to_string();
    assert!(line.contains(&format!("no mock matched {request} (operation {operation}")), "{line}");
}

#[tokio::test]
async fn a_request_no_mock_matches_is_no_mock_matched_not_seams_not_found() {
    let server = MockServer::start_async().await;
    let mock = mock_device(&server, "device_1");
    let seam = seam(&server);

    let found = seam.devices().get().device_id("device_1").send().await;
    assert_eq!(found.map(|d| d.device_id).ok().as_deref(), Some("device_1"));

    // Another device id: the mock does not match, and the app's "not
    // found" branch must not take it.
    let error = failure(seam.devices().get().device_id("device_2").send().await, "an unmatched request");
    assert_no_mock_matched(&error, "POST /devices/get", "devices_get");
    assert!(error.to_string().contains(r#"body {"device_id":"device_2"}"#), "{error}");
    assert_eq!(
        error.to_string(),
        "421 Misdirected Request no_mock_matched: no mock matched POST /devices/get (operation devices_get, \
         mocked with `MockServerExt::devices_get`), body {\"device_id\":\"device_2\"}"
    );

    // An operation the test never mocked is answered the same way.
    let error = failure(seam.locks().list().send().await, "an unmocked operation");
    assert_no_mock_matched(&error, "POST /locks/list", "locks_list");
    mock.assert();
}

#[tokio::test]
async fn a_typed_mock_made_after_others_is_still_served() {
    let server = MockServer::start_async().await;
    let first = mock_device(&server, "device_1");
    // Each typed method renews the fallback after its own mock, so this
    // one, made after the first's fallback, is still reached.
    let second = mock_device(&server, "device_2");
    let seam = seam(&server);
    for id in ["device_1", "device_2"] {
        let found = seam.devices().get().device_id(id).send().await;
        assert_eq!(found.map(|d| d.device_id).ok().as_deref(), Some(id));
    }
    first.assert();
    second.assert();
}

#[tokio::test]
async fn a_raw_mock_of_another_path_is_not_shadowed_by_the_fallback() {
    let server = MockServer::start_async().await;
    let _typed = server.locks_list(|_, then| {
        let mut response = wire::LocksListResponse::default();
        response.ok = true;
        then.ok(&response);
    });
    let raw = server.mock(|when, then| {
        when.path("/custom/echo");
        then.status(200).header("content-type", "application/json").body(r#"{"ok":true}"#);
    });
    let answer = seam(&server).post("/custom/echo").send().await;
    assert_eq!(answer.ok().and_then(|body| body["ok"].as_bool()), Some(true));
    raw.assert();
}

#[tokio::test]
async fn body_includes_matches_the_fields_the_test_set_whatever_else_is_sent() {
    let server = MockServer::start_async().await;
    let mock = server.access_codes_create(|when, then| {
        let mut body = wire::AccessCodesCreateBody::new("device_1".into());
        body.code = Some("1234".into());
        when.body_includes(&body);
        then.ok(&created_code("code_1"));
    });
    let seam = seam(&server);

    // A name and an end the test did not set: still matched.
    let created = seam.access_codes().create("device_1").code("1234").name("Guest").send().await;
    assert_eq!(created.map(|c| c.access_code_id).ok().as_deref(), Some("code_1"));

    // Another code: not matched.
    let error = failure(
        seam.access_codes().create("device_1").code("9999").send().await,
        "a request with another code",
    );
    assert_no_mock_matched(&error, "POST /access_codes/create", "access_codes_create");
    mock.assert();
}

#[tokio::test]
async fn a_server_back_from_the_pool_gets_a_fresh_fallback() {
    // httpmock resets a dropped server and hands it out again: the
    // fallback recorded for its address then names a deleted mock.
    for round in 0..3 {
        let server = MockServer::start_async().await;
        let mock = server.devices_get(|_, then| {
            then.ok(&device("device_1"));
        });
        let seam = seam(&server);
        let found = seam.devices().get().device_id("device_1").send().await;
        assert!(found.is_ok(), "round {round}: {found:?}");
        let error =
            failure(seam.locks().list().send().await, &format!("round {round}: an unmocked operation"));
        assert_no_mock_matched(&error, "POST /locks/list", "locks_list");
        mock.assert();
    }
}
