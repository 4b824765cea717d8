//! Retries, timeouts and broken responses, against scripted local servers:
//! wiremock for status sequences, a raw TCP server for what HTTP servers
//! will not do on purpose (resets, truncated bodies).
#![cfg(feature = "client_sessions")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use seam_api::{Error, Seam};
use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;

fn session_body() -> serde_json::Value {
    let path =
        format!("{}/../seam-types/tests/fixtures/fake_client_sessions_get.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Retries wait 1 ms of backoff, so these tests measure Retry-After alone.
fn client(endpoint: &str) -> seam_api::SeamBuilder {
    Seam::builder()
        .api_key("seam_apikey1_token")
        .endpoint(endpoint)
        .retry_base_delay(Duration::from_millis(1))
}

/// `call`, which must give up by itself: a test of a retry guard bounds the
/// loop it tests, so that a regression fails in seconds instead of hanging.
async fn bounded<T>(call: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), call)
        .await
        .expect("the call did not give up within 20 s: a retry guard regressed")
}

/// Answers `first` for the first `n` requests, then a client session.
async fn serve(first: ResponseTemplate, n: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/client_sessions/get"))
        .respond_with(first)
        .up_to_n_times(n)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/client_sessions/get"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session_body()))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

async fn bodies(server: &MockServer) -> Vec<serde_json::Value> {
    let requests = server.received_requests().await.unwrap();
    requests.iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect()
}

#[tokio::test]
async fn a_read_is_resent_intact_after_a_503() {
    let server = serve(ResponseTemplate::new(503).set_body_string("upstream down"), 1).await;
    let seam = client(&server.uri()).build().unwrap();
    let session = seam.client_sessions().get().client_session_id("cst1").send().await.unwrap();
    assert_eq!(session.client_session_id, "cst1");
    assert_eq!(
        bodies(&server).await,
        [json!({"client_session_id": "cst1"}), json!({"client_session_id": "cst1"})]
    );
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = serve(ResponseTemplate::new(429).insert_header("retry-after", "1"), 1).await;
    let seam = client(&server.uri()).build().unwrap();
    let started = Instant::now();
    seam.client_sessions().get().send().await.unwrap();
    // Backoff alone would wait about a millisecond.
    assert!(started.elapsed() >= Duration::from_millis(950), "waited only {:?}", started.elapsed());
    assert_eq!(bodies(&server).await.len(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_returns_the_error_at_once() {
    let server = serve(ResponseTemplate::new(429).insert_header("retry-after", "3600"), 1).await;
    let seam = client(&server.uri()).build().unwrap();
    let error = bounded(seam.client_sessions().get().send()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(bodies(&server).await.len(), 1);
}

#[tokio::test]
async fn attempts_are_bounded_and_configurable() {
    let server = serve(ResponseTemplate::new(500), 100).await;
    let error =
        bounded(client(&server.uri()).build().unwrap().client_sessions().get().send()).await.unwrap_err();
    assert!(matches!(&error, Error::Http { status, .. } if status.as_u16() == 500), "{error:?}");
    assert_eq!(bodies(&server).await.len(), 3, "default: 3 attempts in all");

    let server = serve(ResponseTemplate::new(500), 100).await;
    let seam = client(&server.uri()).max_attempts(5).build().unwrap();
    bounded(seam.client_sessions().get().send()).await.unwrap_err();
    assert_eq!(bodies(&server).await.len(), 5);
}

#[tokio::test]
async fn a_raw_call_is_retried_as_a_write_unless_marked_a_read() {
    let server = serve(ResponseTemplate::new(503), 1).await;
    let seam = client(&server.uri()).build().unwrap();
    let error = bounded(seam.post("/client_sessions/get").send()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(bodies_or_none(&server).await, 1, "a write is not resent after a response");

    let server = serve(ResponseTemplate::new(503), 1).await;
    let seam = client(&server.uri()).build().unwrap();
    let session = bounded(seam.post("/client_sessions/get").read().response_key("client_session").send())
        .await
        .unwrap();
    assert_eq!(session["client_session_id"], "cst1");
    assert_eq!(bodies_or_none(&server).await, 2);
}

/// How many requests `server` received.
async fn bodies_or_none(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for status in [400, 401, 404] {
        let server = serve(
            ResponseTemplate::new(status).set_body_json(json!({"error": {"type": "t", "message": "m"}})),
            100,
        )
        .await;
        let error =
            bounded(client(&server.uri()).build().unwrap().client_sessions().get().send()).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(bodies(&server).await.len(), 1, "{status} was retried");
    }
}

#[tokio::test]
async fn a_body_that_does_not_decode_is_not_retried() {
    let server = serve(ResponseTemplate::new(200).set_body_string("<html>not json</html>"), 100).await;
    let error =
        bounded(client(&server.uri()).build().unwrap().client_sessions().get().send()).await.unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_eq!(bodies(&server).await.len(), 1);
}

#[tokio::test]
async fn a_timeout_is_not_retried() {
    let server = serve(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)), 100).await;
    let seam = client(&server.uri()).timeout(Duration::from_millis(200)).build().unwrap();
    let error = seam.client_sessions().get().send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert_eq!(bodies(&server).await.len(), 1);
}

/// What a scripted connection does after reading the request.
#[derive(Clone, Copy)]
enum Script {
    /// Close the connection without answering.
    Reset,
    /// Promise a 500-byte body, send 20 bytes, close.
    Truncate,
    /// Answer with a client session.
    Answer,
    /// Announce a 64 MiB body, send 1 MiB of it.
    AnnounceHuge,
    /// Stream an endless chunked body, 64 KiB a chunk, until the client hangs up.
    StreamForever,
    /// Send the headers, then one byte of the body every 100 ms.
    Drip,
}

/// A raw HTTP/1.1 server on loopback that plays `script(n)` on its n-th
/// connection (one request per connection), and counts connections. It
/// stops with the test's runtime.
async fn scripted(script: fn(usize) -> Script) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                common::read_request(&mut socket).await;
                let body = session_body().to_string();
                let reply = match script(n) {
                    Script::AnnounceHuge => {
                        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 67108864\r\n\r\n";
                        let _ = socket.write_all(head.as_bytes()).await;
                        let _ = socket.write_all(&vec![b' '; 1 << 20]).await;
                        return;
                    }
                    Script::StreamForever => {
                        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                        if socket.write_all(head.as_bytes()).await.is_err() {
                            return;
                        }
                        let chunk = format!("10000\r\n{}\r\n", " ".repeat(0x10000));
                        // Bounded: 64 MiB at most, whether or not the client stops reading.
                        for _ in 0..1024 {
                            if socket.write_all(chunk.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                        return;
                    }
                    Script::Drip => {
                        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
                        let _ = socket.write_all(head.as_bytes()).await;
                        for _ in 0..1000 {
                            tokio::time::sleep(Duration::from_millis(100)).await;
                            if socket.write_all(b" ").await.is_err() {
                                return;
                            }
                        }
                        return;
                    }
                    Script::Reset => return,
                    Script::Truncate => format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{}",
                        &body[..20]
                    ),
                    Script::Answer => format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    ),
                };
                let _ = socket.write_all(reply.as_bytes()).await;
            });
        }
    });
    (endpoint, connections)
}

#[tokio::test]
async fn a_read_survives_a_connection_reset() {
    let (endpoint, connections) = scripted(|n| if n == 0 { Script::Reset } else { Script::Answer }).await;
    let session = client(&endpoint).build().unwrap().client_sessions().get().send().await.unwrap();
    assert_eq!(session.client_session_id, "cst1");
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error_after_the_retries() {
    let (endpoint, connections) = scripted(|_| Script::Truncate).await;
    let error = bounded(client(&endpoint).build().unwrap().client_sessions().get().send()).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(connections.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn resets_on_every_attempt_end_in_a_transport_error() {
    let (endpoint, connections) = scripted(|_| Script::Reset).await;
    let error = bounded(client(&endpoint).max_attempts(2).build().unwrap().client_sessions().get().send())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_body_announcing_more_than_the_limit_is_refused_unread() {
    let (endpoint, _) = scripted(|_| Script::AnnounceHuge).await;
    let error = client(&endpoint).build().unwrap().client_sessions().get().send().await.unwrap_err();
    match &error {
        Error::ResponseTooLarge { status, limit, .. } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(*limit, seam_api::DEFAULT_MAX_RESPONSE_BYTES);
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    assert!(!error.is_retryable());
    assert!(error.to_string().contains("exceeds the 33554432-byte limit"), "{error}");
}

#[tokio::test]
async fn an_endless_body_is_cut_off_at_the_limit() {
    let (endpoint, connections) = scripted(|_| Script::StreamForever).await;
    let seam = client(&endpoint).max_response_bytes(256 * 1024).build().unwrap();
    let error = seam.client_sessions().get().send().await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { limit: 262_144, .. }), "{error:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 1, "a body over the limit is not retried");
}

#[tokio::test]
async fn a_slow_drip_body_hits_the_timeout() {
    let (endpoint, _) = scripted(|_| Script::Drip).await;
    let seam = client(&endpoint).timeout(Duration::from_millis(500)).build().unwrap();
    let started = Instant::now();
    let error = seam.client_sessions().get().send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
}
