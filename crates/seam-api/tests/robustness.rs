//! Property tests in place of a fuzzer (cargo fuzz needs a nightly
//! toolchain, which this project's machines cannot install): arbitrary
//! statuses, headers and bodies through the whole response path, and
//! arbitrary bytes and JSON into the decoders. Nothing may panic, every
//! excerpt stays bounded, and no credential reaches an error message.
//!
//! `PROPTEST_CASES` sets the number of cases per property (CI runs the
//! default, 256, except where a property sets its own); the README records
//! the longest run.
#![cfg(feature = "client_sessions")]

use std::sync::OnceLock;
use std::time::Duration;

use proptest::prelude::*;
use seam_api::{ApiErrorResponse, EXCERPT_LIMIT, Error, Seam, wire};
use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

mod common;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime")
    })
}

/// Serves `raw` (a whole HTTP response, as bytes) to one connection, then
/// closes it. Returns the endpoint.
async fn serve_once(raw: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        if let Ok((mut socket, _)) = listener.accept().await {
            let _ = tokio::time::timeout(Duration::from_millis(200), common::read_request(&mut socket)).await;
            let _ = socket.write_all(&raw).await;
            let _ = socket.shutdown().await;
        }
    });
    endpoint
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("seam-request-id".to_owned()),
        Just("retry-after".to_owned()),
        Just("content-type".to_owned()),
        "x-[a-z]{1,12}",
    ]
}

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("application/json".to_owned()),
        Just("text/html".to_owned()),
        Just("Wed, 21 Oct 2015 07:28:00 GMT".to_owned()),
        "[0-9]{1,25}",
        "[ -~]{0,40}".prop_map(|v| v.trim().to_owned()),
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    let session = std::fs::read(format!(
        "{}/../seam-types/tests/fixtures/fake_client_sessions_get.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture");
    let error = br#"{"error":{"type":"client_session_not_found","message":"Could not find client session"}}"#
        .to_vec();
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2048),
        // Valid bodies with a byte changed or cut short.
        (Just(session.clone()), any::<prop::sample::Index>(), any::<u8>()).prop_map(|(mut b, i, byte)| {
            let at = i.index(b.len());
            b[at] = byte;
            b
        }),
        (Just(session), any::<prop::sample::Index>()).prop_map(|(b, i)| b[..i.index(b.len())].to_vec()),
        (Just(error), any::<prop::sample::Index>()).prop_map(|(b, i)| b[..i.index(b.len())].to_vec()),
        // Long bodies, past the excerpt limit.
        (any::<u8>(), 600usize..20_000).prop_map(|(byte, n)| vec![byte; n]),
    ]
}

fn raw_response(status: u16, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let mut raw =
        format!("HTTP/1.1 {status} Whatever\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
    for (name, value) in headers {
        raw.push_str(&format!("{name}: {value}\r\n"));
    }
    raw.push_str("\r\n");
    let mut raw = raw.into_bytes();
    raw.extend_from_slice(body);
    raw
}

/// Cases per property: `PROPTEST_CASES`, else `default`. No failure files:
/// proptest prints the minimal failing input, which is what to keep.
fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    // Each case is a real HTTP exchange on loopback.
    #![proptest_config(config(64))]

    /// Any status from 200 to 599, any headers, any body: `send()` returns
    /// Ok or an error, never panics, and keeps excerpts bounded.
    #[test]
    fn any_response_decodes_or_errors_cleanly(
        status in 200u16..600,
        headers in proptest::collection::vec((header_name(), header_value()), 0..6),
        body in body(),
    ) {
        let raw = raw_response(status, &headers, &body);
        let outcome = runtime().block_on(async {
            let endpoint = serve_once(raw).await;
            let seam = Seam::builder()
                .api_key("seam_apikey1_token")
                .endpoint(endpoint)
                .max_attempts(1)
                .timeout(Duration::from_secs(5))
                .build()
                .expect("a client");
            seam.client_sessions().get().client_session_id("cst1").send().await
        });
        if let Err(error) = outcome {
            let shown = format!("{error} {error:?}");
            prop_assert!(!shown.contains("seam_apikey1_token"));
            match &error {
                Error::Http { excerpt, .. } | Error::Decode { excerpt, .. } => {
                    prop_assert!(excerpt.len() <= EXCERPT_LIMIT, "excerpt of {} bytes", excerpt.len());
                }
                Error::Api { status: s, .. } => prop_assert_eq!(s.as_u16(), status),
                _ => {}
            }
            if (200..300).contains(&status) {
                let is_api = matches!(error, Error::Api { .. });
                prop_assert!(!is_api, "a 2xx became Error::Api");
            }
        } else {
            prop_assert_eq!(status, 200);
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Arbitrary bytes into the response and error decoders.
    #[test]
    fn decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = serde_json::from_slice::<wire::ClientSessionsGetResponse>(&bytes);
        let _ = serde_json::from_slice::<wire::ClientSessionsListResponse>(&bytes);
        if let Ok(body) = serde_json::from_slice::<ApiErrorResponse>(&bytes) {
            let _ = body.error.validation_messages("client_session_id");
            let _ = body.error.invalid_fields();
        }
    }

    /// Arbitrary JSON in place of each field of a real response: it
    /// always decodes, naming the field when it cannot hold the value.
    #[test]
    fn any_json_in_any_field_decodes(field in 0usize..12, replacement in json_value()) {
        let mut body: Value = serde_json::from_slice(&std::fs::read(format!(
            "{}/../seam-types/tests/fixtures/fake_client_sessions_get.json",
            env!("CARGO_MANIFEST_DIR")
        )).expect("fixture")).expect("JSON");
        let session = body["client_session"].as_object_mut().expect("object");
        let key = session.keys().nth(field % session.len()).expect("a key").clone();
        session.insert(key.clone(), replacement.clone());
        let decoded = serde_json::from_value::<wire::ClientSessionsGetResponse>(body);
        prop_assert!(decoded.is_ok(), "{key} = {replacement}: {decoded:?}");
        let decoded = decoded.expect("checked");
        // What it wrote decodes into a value that writes the same.
        let written = serde_json::to_value(&decoded).expect("encodes");
        let again: wire::ClientSessionsGetResponse = serde_json::from_value(written.clone()).expect("decodes again");
        prop_assert_eq!(serde_json::to_value(&again).expect("encodes"), written);
    }

    /// Whatever is passed as a credential or endpoint, building a client
    /// returns Ok or an error that does not repeat the credential.
    #[test]
    fn any_credential_or_endpoint_builds_or_errors_without_echoing(
        token in "(seam_|seam_cst|seam_at|seam_pk|ey|)[A-Za-z0-9_\\-\\n ]{12,40}",
        endpoint in prop_oneof![Just("https://connect.getseam.com".to_owned()), "[ -~]{0,40}"],
        kind in 0u8..4,
    ) {
        let builder = Seam::builder().endpoint(endpoint);
        let builder = match kind {
            0 => builder.api_key(token.clone()),
            1 => builder.client_session_token(token.clone()),
            2 => builder.personal_access_token(token.clone(), "ws"),
            _ => builder.console_session_token(token.clone(), "ws"),
        };
        if let Err(error) = builder.build() {
            let shown = format!("{error} {error:?}");
            prop_assert!(!shown.contains(&token), "{}", shown);
        }
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[ -~]{0,20}".prop_map(Value::String),
        Just(Value::String("2026-11-26T07:07:14.288Z".into())),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
