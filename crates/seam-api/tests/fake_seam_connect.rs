//! End to end against Seam's own fake of the Connect API
//! (`@seamapi/fake-seam-connect`, pinned in `tests/fake-seam-connect/`), the
//! server Seam's official SDKs test against.
//!
//! These tests need node and the installed fake, so a plain `cargo test`
//! reports them as ignored; `cargo xtask test` installs the fake with
//! `npm ci` and runs them.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use seam_api::{CredentialKind, Error, Seam, SeamBuilder};
use serde_json::Value;

const NEEDS_FAKE: &str = "needs Seam's fake server (node + npm ci); run `cargo xtask test`";

/// Seeded credentials and ids (see the fake's seed).
const API_KEY: &str = "seam_apikey1_token";
const CLIENT_SESSION_TOKEN: &str = "seam_cst1_token";
const PERSONAL_ACCESS_TOKEN: &str = "seam_at1_longtoken";
const WORKSPACE: &str = "seed_workspace_1";
const CLIENT_SESSION_ID: &str = "cst1";
const USER_IDENTIFIER_KEY: &str = "john_user_identifier_key";

/// One fake server process, stopped when dropped (and, should this process
/// die first, by itself when its standard input closes).
struct FakeSeam {
    child: Child,
    endpoint: String,
    console_session_token: String,
}

impl FakeSeam {
    fn start() -> Self {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fake-seam-connect");
        assert!(
            dir.join("node_modules/@seamapi/fake-seam-connect").is_dir(),
            "the fake is not installed in {}: {NEEDS_FAKE}",
            dir.display()
        );
        let mut child = Command::new("node")
            .arg("serve.mjs")
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start node: {e}; {NEEDS_FAKE}"));

        // Read until the ready line, then keep draining so the fake never
        // blocks on a full pipe.
        let stdout = child.stdout.take().expect("stdout is piped");
        let (ready_tx, ready_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut ready_tx = Some(ready_tx);
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let (Some(json), Some(tx)) = (line.strip_prefix("FAKE_SEAM_READY "), ready_tx.take()) {
                    let _ = tx.send(json.to_owned());
                }
            }
        });
        let ready = match ready_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(ready) => ready,
            Err(_) => {
                let _ = child.kill();
                panic!("the fake did not start within 60 s");
            }
        };
        let ready: Value = serde_json::from_str(&ready).expect("ready line is JSON");
        Self {
            child,
            endpoint: ready["endpoint"].as_str().expect("endpoint").to_owned(),
            console_session_token: ready["console_session_token"].as_str().expect("token").to_owned(),
        }
    }

    /// The fake most tests share: they only read from it.
    fn shared() -> &'static Self {
        static SHARED: OnceLock<FakeSeam> = OnceLock::new();
        SHARED.get_or_init(Self::start)
    }

    fn client(&self) -> SeamBuilder {
        Seam::builder().endpoint(&self.endpoint)
    }

    /// `POST /_fake/simulate_workspace_outage`: the routes answer 503 until
    /// called again without them.
    async fn simulate_outage(&self, routes: &[&str]) {
        let response = reqwest::Client::new()
            .post(format!("{}/_fake/simulate_workspace_outage", self.endpoint))
            .json(&serde_json::json!({"workspace_id": WORKSPACE, "routes": routes}))
            .send()
            .await
            .expect("the fake answers");
        assert!(response.status().is_success(), "{}", response.status());
    }
}

impl Drop for FakeSeam {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn assert_is_cst1(session: &seam_api::ClientSession) {
    assert_eq!(session.client_session_id, CLIENT_SESSION_ID);
    assert_eq!(session.workspace_id, WORKSPACE);
    assert_eq!(session.user_identifier_key.as_deref(), Some(USER_IDENTIFIER_KEY));
    assert_eq!(session.token.expose(), CLIENT_SESSION_TOKEN);
    assert!(session.expires_at.is_some());
}

#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn api_key_gets_a_session_by_id() {
    let seam = FakeSeam::shared().client().api_key(API_KEY).build().unwrap();
    let response =
        seam.client_sessions().get().client_session_id(CLIENT_SESSION_ID).send_raw().await.unwrap();
    assert!(response.request_id().is_some(), "the fake sends seam-request-id");
    assert_is_cst1(&response.into_body().client_session);
}

#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn api_key_gets_a_session_by_user_identifier_key() {
    let seam = FakeSeam::shared().client().api_key(API_KEY).build().unwrap();
    let session = seam.client_sessions().get().user_identifier_key(USER_IDENTIFIER_KEY).send().await.unwrap();
    assert_is_cst1(&session);
}

#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn a_client_session_token_looks_itself_up_with_an_empty_body() {
    let seam = FakeSeam::shared().client().client_session_token(CLIENT_SESSION_TOKEN).build().unwrap();
    assert_is_cst1(&seam.client_sessions().get().send().await.unwrap());
}

#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn a_personal_access_token_works_in_its_workspace() {
    let seam =
        FakeSeam::shared().client().personal_access_token(PERSONAL_ACCESS_TOKEN, WORKSPACE).build().unwrap();
    assert_is_cst1(&seam.client_sessions().get().client_session_id(CLIENT_SESSION_ID).send().await.unwrap());
}

#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn a_console_session_token_works_in_its_workspace() {
    let fake = FakeSeam::shared();
    let seam = fake.client().console_session_token(&fake.console_session_token, WORKSPACE).build().unwrap();
    assert_eq!(seam.credential_kind(), CredentialKind::ConsoleSessionToken);
    assert_is_cst1(&seam.client_sessions().get().client_session_id(CLIENT_SESSION_ID).send().await.unwrap());
}

#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn an_unknown_id_is_client_session_not_found() {
    let seam = FakeSeam::shared().client().api_key(API_KEY).build().unwrap();
    let error = seam.client_sessions().get().client_session_id("no_such_session").send().await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(error.error_type(), Some("client_session_not_found"));
    assert!(error.request_id().is_some());
}

#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn a_bad_key_is_unauthorized() {
    let seam = FakeSeam::shared().client().api_key("seam_apikey_revoked").build().unwrap();
    let error = seam.client_sessions().get().send().await.unwrap_err();
    assert!(error.is_unauthorized(), "{error:?}");
    assert!(!format!("{error} {error:?}").contains("seam_apikey_revoked"));
}

#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn create_then_get_the_new_session() {
    let seam = FakeSeam::shared().client().api_key(API_KEY).build().unwrap();
    let created = seam
        .client_sessions()
        .create()
        .user_identifier_key("created_by_the_rust_e2e_test")
        .connected_account_ids(["john_connected_account_id"])
        .send()
        .await
        .unwrap();
    assert_ne!(created.client_session_id, CLIENT_SESSION_ID);
    assert_eq!(created.connected_account_ids, ["john_connected_account_id"]);
    let fetched =
        seam.client_sessions().get().client_session_id(&created.client_session_id).send().await.unwrap();
    assert_eq!(fetched.user_identifier_key.as_deref(), Some("created_by_the_rust_e2e_test"));
    assert_eq!(fetched.token, created.token);
}

/// `Seam::from_publishable_key` against the fake: get_or_create with the
/// seeded publishable key, then the new client acts as that user.
#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn publishable_key_sign_in() {
    let fake = FakeSeam::shared();
    let seam = fake.client().build_with_publishable_key("seam_pk1_token", USER_IDENTIFIER_KEY).await.unwrap();
    assert_eq!(seam.credential_kind(), CredentialKind::ClientSessionToken);
    // get_or_create found the seeded session, so this is cst1 acting as itself.
    assert_is_cst1(&seam.client_sessions().get().send().await.unwrap());

    let newcomer =
        fake.client().build_with_publishable_key("seam_pk1_token", "a_new_rust_user").await.unwrap();
    let session = newcomer.client_sessions().get().send().await.unwrap();
    assert_eq!(session.user_identifier_key.as_deref(), Some("a_new_rust_user"));

    let error = fake.client().build_with_publishable_key("seam_pk_unknown", "someone").await.unwrap_err();
    assert!(error.is_unauthorized() || error.status().is_some_and(|s| s.is_client_error()), "{error:?}");
}

/// A canary: @seamapi/fake-seam-connect 1.86.0 (the newest on npm) has no
/// routes for these operations, so they are covered by
/// `tests/client_sessions_wire.rs` only. When a newer pin adds them, this
/// fails: move them into the tests above.
#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn the_pinned_fake_lacks_routes_for_the_other_operations() {
    let seam = FakeSeam::shared().client().api_key(API_KEY).max_attempts(1).build().unwrap();
    let sessions = seam.client_sessions();
    let errors = [
        sessions.grant_access().client_session_id(CLIENT_SESSION_ID).send().await.unwrap_err(),
        sessions.list().send().await.map(|_| ()).unwrap_err(),
        sessions.revoke("cst_unused").send().await.unwrap_err(),
        sessions.delete("cst_unused").send().await.unwrap_err(),
    ];
    for error in errors {
        assert!(matches!(&error, Error::Http { status, .. } if status.as_u16() == 404), "{error:?}");
    }
}

/// An outage that ends while the client is backing off: the read succeeds
/// on a later attempt. An outage that lasts: 503 after every attempt.
#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn an_outage_is_ridden_out_by_retries() {
    // Its own fake: the outage must not leak into the other tests.
    let fake = FakeSeam::start();
    fake.simulate_outage(&["/client_sessions/get"]).await;

    let no_retries = fake.client().api_key(API_KEY).max_attempts(1).build().unwrap();
    let error =
        no_retries.client_sessions().get().client_session_id(CLIENT_SESSION_ID).send().await.unwrap_err();
    assert!(matches!(&error, Error::Http { status, .. } if status.as_u16() == 503), "{error:?}");

    let seam = fake.client().api_key(API_KEY).retry_base_delay(Duration::from_millis(500)).build().unwrap();
    let started = Instant::now();
    let (result, ()) =
        tokio::join!(seam.client_sessions().get().client_session_id(CLIENT_SESSION_ID).send(), async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            fake.simulate_outage(&[]).await;
        });
    assert_is_cst1(&result.unwrap());
    assert!(started.elapsed() >= Duration::from_millis(250), "succeeded before the outage ended");

    fake.simulate_outage(&["/client_sessions/get"]).await;
    let quick = fake.client().api_key(API_KEY).retry_base_delay(Duration::from_millis(1)).build().unwrap();
    let error = quick.client_sessions().get().send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(error.is_retryable());
}

/// Environment variables for one run of the example.
type Env<'a> = &'a [(&'a str, &'a str)];

/// The example binary, built once: `cargo test --all-targets` compiles
/// examples as test harnesses, so the program itself may not exist yet.
fn example_binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "seam-api", "--example", "client_sessions_get"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cannot build the example");
        // target/<profile>/deps/<test binary> -> target/<profile>/examples/
        let exe = std::env::current_exe().expect("test binary path");
        let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
        let binary =
            dir.join("examples").join(format!("client_sessions_get{}", std::env::consts::EXE_SUFFIX));
        assert!(binary.exists(), "{} was not built", binary.display());
        binary
    })
}

/// The example program from the README, as a user would run it.
fn example(envs: Env, args: &[&str]) -> (i32, String, String) {
    let example = example_binary();
    let output = Command::new(example)
        .args(args)
        .env_remove("SEAM_API_KEY")
        .env_remove("SEAM_CLIENT_SESSION_TOKEN")
        .env_remove("SEAM_PERSONAL_ACCESS_TOKEN")
        .env_remove("SEAM_WORKSPACE_ID")
        .env_remove("SEAM_CONSOLE_SESSION_TOKEN")
        .env_remove("SEAM_PUBLISHABLE_KEY")
        .env("SEAM_ENDPOINT", &FakeSeam::shared().endpoint)
        .envs(envs.iter().copied())
        .output()
        .expect("the example runs");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("UTF-8 output");
    (output.status.code().unwrap_or(-1), text(output.stdout), text(output.stderr))
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn the_example_works_with_every_credential_kind() {
    let pat = [("SEAM_PERSONAL_ACCESS_TOKEN", PERSONAL_ACCESS_TOKEN), ("SEAM_WORKSPACE_ID", WORKSPACE)];
    let console_token = FakeSeam::shared().console_session_token.clone();
    let console = [("SEAM_CONSOLE_SESSION_TOKEN", console_token.as_str()), ("SEAM_WORKSPACE_ID", WORKSPACE)];
    let cases: [(Env, &[&str]); 6] = [
        (&console, &["--client-session-id", CLIENT_SESSION_ID]),
        (&[("SEAM_PUBLISHABLE_KEY", "seam_pk1_token")], &["--user-identifier-key", USER_IDENTIFIER_KEY]),
        (&[("SEAM_API_KEY", API_KEY)], &["--client-session-id", CLIENT_SESSION_ID]),
        (&[("SEAM_API_KEY", API_KEY)], &["--user-identifier-key", USER_IDENTIFIER_KEY]),
        (&[("SEAM_CLIENT_SESSION_TOKEN", CLIENT_SESSION_TOKEN)], &[]),
        (&pat, &["--client-session-id", CLIENT_SESSION_ID]),
    ];
    for (envs, args) in cases {
        let (code, stdout, stderr) = example(envs, args);
        assert_eq!(code, 0, "{envs:?} {args:?}: {stderr}");
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 1, "one JSON object: {stdout}");
        let session: Value = serde_json::from_str(lines[0]).expect("JSON on stdout");
        assert_eq!(session["client_session_id"], CLIENT_SESSION_ID);
        assert_eq!(session["token"], "[redacted]");
        for (_, secret) in envs {
            assert!(!stdout.contains(secret) || *secret == WORKSPACE, "printed a credential: {stdout}");
        }
    }
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn the_example_fails_cleanly() {
    let cases: [(Env, &[&str], &str); 5] = [
        (&[("SEAM_API_KEY", API_KEY)], &["--client-session-id", "nope"], "HTTP 404 Not Found"),
        (&[("SEAM_API_KEY", "seam_apikey_revoked")], &[], "HTTP 401 Unauthorized"),
        (&[("SEAM_API_KEY", CLIENT_SESSION_TOKEN)], &[], "expected an API key"),
        (&[], &[], "no credential"),
        (
            &[("SEAM_API_KEY", API_KEY), ("SEAM_CLIENT_SESSION_TOKEN", CLIENT_SESSION_TOKEN)],
            &[],
            "more than one",
        ),
    ];
    for (envs, args, expected) in cases {
        let (code, stdout, stderr) = example(envs, args);
        assert_eq!(code, 1, "{envs:?} {args:?}");
        assert!(stdout.is_empty(), "{stdout}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(expected), "{expected:?} not in {stderr}");
        for (_, secret) in envs {
            assert!(!stderr.contains(secret), "printed a credential: {stderr}");
        }
    }
    let (_, _, stderr) = example(&[("SEAM_API_KEY", API_KEY)], &["--client-session-id", "nope"]);
    assert!(stderr.contains("client_session_not_found") && stderr.contains("[request "), "{stderr}");
}
