//! Helpers shared by the wire-level test suites.

#![allow(dead_code)] // each suite uses its own subset

use serde_json::{Value, json};
use wiremock::MockServer;

/// A response body from `tests/fixtures/`.
pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect(&path)
}

/// A response body from `seam-types`' fixtures.
pub fn model_fixture(name: &str) -> Value {
    let path = format!("{}/../seam-types/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect(&path)
}

/// Every request the server received, without what varies between runs
/// (the port in `host`) or between releases (the crate version), ready for
/// an insta snapshot.
pub async fn requests(server: &MockServer) -> Vec<Value> {
    let version = env!("CARGO_PKG_VERSION");
    let received = server.received_requests().await.expect("wiremock records requests");
    received
        .iter()
        .map(|request| {
            let headers: serde_json::Map<String, Value> = request
                .headers
                .iter()
                .filter(|(name, _)| name.as_str() != "host")
                .map(|(name, value)| {
                    let value = value.to_str().expect("ASCII header").replace(version, "[version]");
                    (name.to_string(), Value::String(value))
                })
                .collect();
            let body: Value = serde_json::from_slice(&request.body).expect("JSON request body");
            json!({
                "method": request.method.to_string(),
                "path": request.url.path(),
                "headers": headers,
                "body": body,
            })
        })
        .collect()
}

/// The one request the server received.
pub async fn the_request(server: &MockServer) -> Value {
    let mut all = requests(server).await;
    assert_eq!(all.len(), 1, "expected exactly one request");
    all.remove(0)
}
