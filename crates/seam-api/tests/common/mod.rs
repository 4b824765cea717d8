//! Helpers shared by the wire-level test suites.

#![allow(dead_code)] // each suite uses its own subset

use serde_json::{Value, json};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use wiremock::MockServer;

/// Reads one HTTP/1.1 request (head, then `Content-Length` bytes of body)
/// for a raw scripted server; it returns early if the client hangs up.
pub async fn read_request(socket: &mut TcpStream) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 8192];
    while let Ok(read @ 1..) = socket.read(&mut buffer).await {
        request.extend_from_slice(&buffer[..read]);
        if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&request[..end]).to_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if request.len() >= end + 4 + length {
                return;
            }
        }
    }
}

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
            // Operations without a request body (workspaces/get) send none.
            let body: Value = if request.body.is_empty() {
                Value::Null
            } else {
                serde_json::from_slice(&request.body).expect("JSON request body")
            };
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

/// Everything a `tracing` subscriber writes, for the suites that read what
/// seam-api traced: give it to `with_writer`, then read `text()`.
#[derive(Clone, Default)]
pub struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}
