//! Certificate verification over HTTPS, with whichever rustls provider the
//! build has: aws-lc-rs by default, ring with `rustls-ring` (CI runs this
//! file both ways). A certificate the machine does not trust is refused;
//! the same certificate, once trusted (`SSL_CERT_FILE`, which the platform
//! verifier reads on Linux), is accepted.

use std::sync::Arc;

use seam_api::{Error, Seam};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// A TLS server on loopback for `localhost` with a self-signed
/// certificate, answering every request `{"ok": true}`; its port and the
/// certificate as PEM.
async fn serve() -> (u16, String) {
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("a certificate");
    let pem = certified.cert.pem();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .expect("a server config");
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let port = listener.local_addr().expect("an address").port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let mut request = Vec::new();
                let mut chunk = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&chunk[..n]),
                    }
                }
                let body = br#"{"ok":true}"#;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = tls.write_all(head.as_bytes()).await;
                let _ = tls.write_all(body).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (port, pem)
}

fn client(port: u16) -> Seam {
    Seam::builder()
        .api_key("seam_test_key")
        .endpoint(format!("https://localhost:{port}"))
        .max_attempts(1)
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_and_a_trusted_one_accepted() {
    let (port, pem) = serve().await;
    let error = client(port).post("/devices/list").send().await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let chain = format!("{error:?}");
    assert!(chain.contains("UnknownIssuer") || chain.contains("certificate"), "{chain}");

    let dir = tempfile_dir();
    let file = dir.join("trusted.pem");
    std::fs::write(&file, pem).unwrap();
    // SAFETY: this test is alone in its process (its own test file), and
    // nothing else reads the environment while it is set.
    unsafe { std::env::set_var("SSL_CERT_FILE", &file) };
    let body = client(port).post("/devices/list").send().await.unwrap();
    assert_eq!(body, serde_json::json!({"ok": true}));
    let _ = std::fs::remove_dir_all(dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("seam-tls-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
