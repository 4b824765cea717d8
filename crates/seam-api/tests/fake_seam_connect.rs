//! End to end against Seam's own fake of the Connect API
//! (`@seamapi/fake-seam-connect`, pinned in `tests/fake-seam-connect/`), the
//! server Seam's official SDKs test against.
//!
//! These tests need node and the installed fake, so a plain `cargo test`
//! reports them as ignored; `cargo xtask test` installs the fake with
//! `npm ci` and runs them.
#![cfg(feature = "all-resources")]

use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use seam_api::{CredentialKind, Error, Event, Seam, SeamBuilder, SeamWithoutWorkspace};
use serde_json::Value;

#[path = "fake-seam-connect/launch.rs"]
mod launch;

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
    /// The whole ready line: also the ids serve.mjs added to the seed.
    ready: Value,
}

impl FakeSeam {
    fn start() -> Self {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fake-seam-connect");
        assert!(launch::is_installed(&dir), "the fake is not installed in {}: {NEEDS_FAKE}", dir.display());
        let launch::Launched { child, ready } =
            launch::launch(Command::new("node"), &dir, Duration::from_secs(60))
                .unwrap_or_else(|why| panic!("{why}; {NEEDS_FAKE}"));
        Self {
            child,
            endpoint: ready["endpoint"].as_str().expect("endpoint").to_owned(),
            console_session_token: ready["console_session_token"].as_str().expect("token").to_owned(),
            ready,
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
        (&[("SEAM_API_KEY", API_KEY)], &["--client-session-id", "nope"], "404 Not Found"),
        (&[("SEAM_API_KEY", "seam_apikey_revoked")], &[], "401 Unauthorized"),
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
    assert!(stderr.contains("client_session_not_found") && stderr.contains("(seam-request-id: "), "{stderr}");
}

/// A date-time, as the setters take them.
fn at(text: &str) -> seam_api::Timestamp {
    text.parse().expect("an RFC 3339 date-time")
}

/// What one call of [`every_operation_the_fake_serves_decodes`] came to.
struct Calls {
    called: Vec<&'static str>,
    failures: Vec<String>,
}

impl Calls {
    /// Records that `path` was called and, if it failed, how.
    fn check<T>(&mut self, path: &'static str, result: seam_api::Result<T>) -> Option<T> {
        self.called.push(path);
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.failures.push(format!("{path}: {error}"));
                None
            }
        }
    }
}

/// Every documented operation that the pinned fake implements
/// (`implemented: true` in tests/fake_routes.json, as record.mjs found),
/// called through the public methods with the bodies record.mjs sends, in
/// its order (later calls use ids earlier ones return). Each must answer
/// and decode into its model.
#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn every_operation_the_fake_serves_decodes() {
    // One long sequence of calls: unoptimised, its poll function's frame
    // outgrows a test thread's 2 MiB stack, so it runs on a thread of its own.
    let run = || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        runtime.block_on(call_every_operation_the_fake_serves());
    };
    let outcome = std::thread::Builder::new().stack_size(64 << 20).spawn(run).expect("a thread").join();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

async fn call_every_operation_the_fake_serves() {
    let fake = FakeSeam::start();
    let ready = fake.ready.clone();
    // The fake finishes an attempt when it is first read back; no need to
    // wait a whole default interval for that.
    let seam = fake
        .client()
        .api_key(API_KEY)
        .action_attempt_polling_interval(Duration::from_millis(10))
        .build()
        .unwrap();
    let mut calls = Calls { called: Vec::new(), failures: Vec::new() };
    let c = &mut calls;
    let lock1 = "august_device_1";
    let lock2 = "august_device_2";
    let thermostat = "ecobee_device_1";
    let noise_sensor = "minut_device_1";
    let acs_system = "visionline_acs_system_1";
    let entrance = ready["acs_entrance_id"].as_str().expect("acs_entrance_id");
    let access_group = ready["acs_access_group_id"].as_str().expect("acs_access_group_id");

    c.check("/workspaces/get", seam.workspaces().get().send().await);
    c.check("/workspaces/list", seam.workspaces().list().send().await);
    c.check("/devices/list", seam.devices().list().send().await);
    c.check("/devices/get", seam.devices().get().device_id(lock1).send().await);
    c.check("/devices/list_device_providers", seam.devices().list_device_providers().send().await);
    c.check("/locks/list", seam.locks().list().send().await);
    #[allow(deprecated)]
    let lock = seam.locks().get().device_id(lock1).send().await;
    c.check("/locks/get", lock);
    // The fake answers with `thermostats` only, the alias of `devices`.
    if let Some(thermostats) = c.check("/thermostats/list", seam.thermostats().list().send().await) {
        assert!(!thermostats.is_empty(), "the fake's thermostats were lost");
    }
    c.check("/connected_accounts/list", seam.connected_accounts().list().send().await);
    let account = "john_connected_account_id";
    c.check(
        "/connected_accounts/get",
        seam.connected_accounts().get().connected_account_id(account).send().await,
    );
    c.check(
        "/connected_accounts/update",
        seam.connected_accounts().update(account).automatically_manage_new_devices(true).send().await,
    );
    c.check("/connect_webviews/list", seam.connect_webviews().list().send().await);
    c.check("/connect_webviews/get", seam.connect_webviews().get("connect_webview1").send().await);
    c.check(
        "/connect_webviews/create",
        seam.connect_webviews().create().accepted_providers(["august"]).send().await,
    );
    c.check(
        "/client_sessions/get",
        seam.client_sessions().get().client_session_id(CLIENT_SESSION_ID).send().await,
    );
    c.check(
        "/client_sessions/create",
        seam.client_sessions().create().user_identifier_key("recorder_user").send().await,
    );
    // The fake answers get_or_create only to a publishable key, which is
    // how `build_with_publishable_key` signs in.
    let signed_in =
        fake.client().build_with_publishable_key("seam_pk1_token", "recorder_get_or_create_user").await;
    c.check("/client_sessions/get_or_create", signed_in);
    c.check("/events/list", seam.events().list().since(at("2024-01-01T00:00:00Z")).send().await);
    c.check("/events/get", seam.events().get().event_id("event1").send().await);
    c.check("/acs/systems/list", seam.acs().systems().list().send().await);
    c.check("/acs/systems/get", seam.acs().systems().get(acs_system).send().await);

    // The fake sends `{device_id, code}` where the spec has a whole access
    // code: it decodes, and the rest is named absent.
    if let Some(generated) =
        c.check("/access_codes/generate_code", seam.access_codes().generate_code(lock1).send().await)
    {
        assert!(generated.code.is_some() && generated.absent.contains("access_code_id"), "{generated:?}");
    }
    let created = c.check(
        "/access_codes/create",
        seam.access_codes().create(lock1).name("Front Door Code").code("1234").send().await,
    );
    let access_code_id = created.map(|code| code.access_code_id).unwrap_or_default();
    let multiple = c.check(
        "/access_codes/create_multiple",
        seam.access_codes()
            .create_multiple([lock1, lock2])
            .name("Guest Code")
            .code("5678")
            .starts_at(at("2025-01-02T15:00:00Z"))
            .ends_at(at("2025-01-05T11:00:00Z"))
            .send()
            .await,
    );
    let time_bound_id =
        multiple.and_then(|codes| codes.into_iter().next()).map(|c| c.access_code_id).unwrap_or_default();
    c.check("/access_codes/get", seam.access_codes().get().access_code_id(&access_code_id).send().await);
    c.check("/access_codes/list", seam.access_codes().list().device_id(lock1).send().await);
    c.check(
        "/access_codes/update",
        seam.access_codes().update(&access_code_id).name("Front Door Code (renamed)").send().await,
    );
    // The fake sends the code as `backup_access_code` (an alias of the
    // spec's `access_code`), without the `type` the spec requires.
    if let Some(backup) = c.check(
        "/access_codes/pull_backup_access_code",
        seam.access_codes().pull_backup_access_code(&time_bound_id).send().await,
    ) {
        assert!(backup.absent.contains("type") && !backup.access_code_id.is_empty(), "{backup:?}");
    }
    let unmanaged = c.check(
        "/access_codes/simulate/create_unmanaged_access_code",
        seam.access_codes()
            .simulate()
            .create_unmanaged_access_code(lock1, "Unmanaged Code", "4321")
            .send()
            .await,
    );
    c.check("/access_codes/unmanaged/list", seam.access_codes().unmanaged().list(lock1).send().await);
    let unmanaged_id = unmanaged.map(|code| code.access_code_id).unwrap_or_default();
    c.check(
        "/access_codes/unmanaged/update",
        seam.access_codes().unmanaged().update(&unmanaged_id, true).send().await,
    );

    let locked = c.check("/locks/lock_door", seam.locks().lock_door(lock1).send().await);
    c.check("/locks/unlock_door", seam.locks().unlock_door(lock1).send().await);
    c.check(
        "/thermostats/cool",
        seam.thermostats().cool(thermostat).cooling_set_point_celsius(25.0).send().await,
    );
    c.check(
        "/thermostats/heat",
        seam.thermostats().heat(thermostat).heating_set_point_celsius(20.0).send().await,
    );
    c.check(
        "/thermostats/heat_cool",
        seam.thermostats()
            .heat_cool(thermostat)
            .heating_set_point_celsius(20.0)
            .cooling_set_point_celsius(25.0)
            .send()
            .await,
    );
    c.check(
        "/thermostats/set_fan_mode",
        seam.thermostats().set_fan_mode(thermostat).fan_mode_setting("on").send().await,
    );
    c.check("/thermostats/off", seam.thermostats().off(thermostat).send().await);
    let attempt_id = locked.map(|attempt| attempt.action_attempt_id().to_owned()).unwrap_or_default();
    c.check("/action_attempts/get", seam.action_attempts().get(&attempt_id).send().await);
    c.check(
        "/action_attempts/list",
        seam.action_attempts().list().action_attempt_ids([&attempt_id]).send().await,
    );

    let thresholds = seam.noise_sensors().noise_thresholds();
    c.check("/noise_sensors/noise_thresholds/list", thresholds.list(noise_sensor).send().await);
    let threshold = c.check(
        "/noise_sensors/noise_thresholds/create",
        thresholds
            .create(noise_sensor, "22:00:00[America/Los_Angeles]", "07:00:00[America/Los_Angeles]")
            .name("Quiet hours")
            .noise_threshold_decibels(50.0)
            .send()
            .await,
    );
    let threshold_id = threshold.map(|t| t.noise_threshold_id).unwrap_or_default();
    c.check("/noise_sensors/noise_thresholds/get", thresholds.get(&threshold_id).send().await);
    c.check(
        "/noise_sensors/noise_thresholds/update",
        thresholds.update(&threshold_id, noise_sensor).noise_threshold_decibels(55.0).send().await,
    );

    let users = seam.acs().users();
    let user = c.check(
        "/acs/users/create",
        users.create(acs_system, "Jane Doe").email_address("jane.doe@example.com").send().await,
    );
    let user_id = user.map(|u| u.acs_user_id).unwrap_or_default();
    c.check("/acs/users/get", users.get().acs_user_id(&user_id).send().await);
    c.check("/acs/users/list", users.list().acs_system_id(acs_system).send().await);
    c.check("/acs/users/update", users.update().acs_user_id(&user_id).full_name("Jane Q. Doe").send().await);
    c.check("/acs/users/suspend", users.suspend().acs_user_id(&user_id).send().await);
    c.check("/acs/users/unsuspend", users.unsuspend().acs_user_id(&user_id).send().await);
    c.check("/acs/users/add_to_access_group", users.add_to_access_group(&user_id, access_group).send().await);
    c.check(
        "/acs/users/remove_from_access_group",
        users.remove_from_access_group(access_group).acs_user_id(&user_id).send().await,
    );
    c.check("/acs/entrances/list", seam.acs().entrances().list().acs_system_id(acs_system).send().await);
    c.check("/acs/entrances/get", seam.acs().entrances().get(entrance).send().await);
    c.check(
        "/acs/entrances/grant_access",
        seam.acs().entrances().grant_access(entrance).acs_user_id(&user_id).send().await,
    );

    c.check("/devices/update", seam.devices().update(lock2).is_managed(false).send().await);
    c.check("/devices/unmanaged/list", seam.devices().unmanaged().list().send().await);
    c.check("/devices/unmanaged/get", seam.devices().unmanaged().get().device_id(lock2).send().await);
    c.check(
        "/devices/unmanaged/update",
        seam.devices().unmanaged().update(lock2).is_managed(true).send().await,
    );

    let webhook = c.check(
        "/webhooks/create",
        seam.webhooks()
            .create("https://example.com/seam-webhook")
            .event_types(["device.connected", "lock.locked"])
            .send()
            .await,
    );
    let webhook_id = webhook.map(|w| w.webhook_id).unwrap_or_default();
    c.check("/webhooks/get", seam.webhooks().get(&webhook_id).send().await);
    c.check("/webhooks/list", seam.webhooks().list().send().await);

    // Only a personal access token without a workspace may create one.
    let without_workspace = fake
        .client()
        .personal_access_token_without_workspace(PERSONAL_ACCESS_TOKEN)
        .build_without_workspace()
        .unwrap();
    #[allow(deprecated)] // the fake still requires connect_partner_name
    let created_workspace = without_workspace
        .workspaces()
        .create("Recorder Sandbox")
        .connect_partner_name("Recorder")
        .is_sandbox(true)
        .send()
        .await;
    c.check("/workspaces/create", created_workspace);

    c.check(
        "/noise_sensors/noise_thresholds/delete",
        thresholds.delete(&threshold_id, noise_sensor).send().await,
    );
    c.check("/webhooks/delete", seam.webhooks().delete(&webhook_id).send().await);
    c.check("/access_codes/delete", seam.access_codes().delete(&access_code_id).send().await);
    c.check("/acs/users/delete", users.delete().acs_user_id(&user_id).send().await);
    c.check("/connected_accounts/delete", seam.connected_accounts().delete(account).send().await);
    // The fake's reset also deletes the API key, so the attempt cannot be
    // read back: this call must not wait.
    c.check(
        "/workspaces/reset_sandbox",
        seam.workspaces().reset_sandbox().wait_for_action_attempt(false).send().await,
    );

    let routes: Vec<Value> =
        serde_json::from_str(include_str!("fake_routes.json")).expect("fake_routes.json is JSON");
    let mut implemented: Vec<&str> =
        routes.iter().filter(|r| r["implemented"] == true).filter_map(|r| r["path"].as_str()).collect();
    implemented.sort_unstable();
    let mut called = calls.called.clone();
    called.sort_unstable();
    assert_eq!(called, implemented, "every operation the fake serves is called, once");
    assert!(
        calls.failures.is_empty(),
        "{} call(s) failed:\n{}",
        calls.failures.len(),
        calls.failures.join("\n")
    );
}

impl FakeSeam {
    /// `POST /_fake/update_action_attempt`: sets an attempt's status (and
    /// error) as the device would.
    async fn update_action_attempt(&self, update: Value) {
        // A route of the fake's own, through Seam::post.
        let seam = self.client().api_key(API_KEY).build().unwrap();
        seam.post("/_fake/update_action_attempt").body(update).send_raw().await.expect("the fake answers");
    }
}

/// A client of `fake` that polls action attempts quickly.
fn polling_quickly(fake: &FakeSeam) -> Seam {
    fake.client().api_key(API_KEY).action_attempt_polling_interval(Duration::from_millis(20)).build().unwrap()
}

#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn unlocking_waits_for_the_action_attempt_to_succeed() {
    let fake = FakeSeam::start();
    let seam = polling_quickly(&fake);

    // The fake answers `pending` and finishes the attempt when it is read
    // back, so `success` proves that send() waited.
    let attempt = seam.locks().unlock_door("august_device_1").send().await.unwrap();
    assert!(matches!(attempt, seam_api::ActionAttempt::UnlockDoor(_)), "{attempt:?}");
    assert_eq!(attempt.status().as_str(), "success");

    let not_waited =
        seam.locks().unlock_door("august_device_1").wait_for_action_attempt(false).send().await.unwrap();
    assert_eq!(not_waited.status().as_str(), "pending");
    let no_waiting_client = fake.client().api_key(API_KEY).wait_for_action_attempts(false).build().unwrap();
    let attempt = no_waiting_client.locks().lock_door("august_device_1").send().await.unwrap();
    assert_eq!(attempt.status().as_str(), "pending");
    // A per-call budget turns waiting back on, and get() waits too.
    let waited = no_waiting_client
        .action_attempts()
        .get(attempt.action_attempt_id().to_owned())
        .action_attempt_polling_interval(Duration::from_millis(20))
        .send()
        .await
        .unwrap();
    assert_eq!(waited.status().as_str(), "success");
}

#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn any_path_is_called_as_a_generated_operation_is() {
    let fake = FakeSeam::shared();
    let seam = fake.client().api_key(API_KEY).build().unwrap();
    // A generated route, raw: the same device as the typed call.
    let raw = seam
        .post("/devices/get")
        .body(serde_json::json!({"device_id": "august_device_1"}))
        .read()
        .response_key("device")
        .send()
        .await
        .unwrap();
    let typed = seam.devices().get().device_id("august_device_1").send().await.unwrap();
    assert_eq!(raw["device_id"], typed.device_id);
    let whole = seam.post("/devices/list").read().send_raw().await.unwrap();
    assert!(whole.request_id().is_some() && whole.body()["devices"].is_array(), "{:?}", whole.body());
    // Errors map as they do for generated operations.
    let error =
        seam.post("/devices/get").body(serde_json::json!({"device_id": "nope"})).send().await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    let error = seam
        .post("/devices/get")
        .body(serde_json::json!({"device_id": "august_device_1"}))
        .response_key("lock_x")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Decode { source, .. } if source.to_string().contains("`lock_x`")),
        "{error:?}"
    );
    // A path that would leave the endpoint is refused before sending.
    let error = seam.post("https://evil.example/x").send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
}

#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn every_event_after_an_unlock_and_a_lock_decodes() {
    let fake = FakeSeam::start();
    let seam = polling_quickly(&fake);
    seam.locks().unlock_door("august_device_1").send().await.unwrap();
    seam.locks().lock_door("august_device_1").send().await.unwrap();

    let events = seam.events().list().since(at("2024-01-01T00:00:00Z")).send().await.unwrap();
    for event in &events {
        assert!(!matches!(event, Event::Unknown(_) | Event::Undecodable(_)), "not typed: {event:?}");
        assert!(!event.event_id().is_empty() && !event.workspace_id().is_empty(), "{event:?}");
    }
    // The fake's lock.unlocked has no `method`, which the spec requires:
    // it decodes, and says so, instead of failing the whole list.
    let unlocked = events.iter().find(|e| e.event_type() == "lock.unlocked").expect("a lock.unlocked event");
    let Event::LockUnlocked(member) = unlocked else { unreachable!("checked above") };
    assert!(member.absent.contains("method"), "{member:?}");
    assert_eq!((unlocked.method(), unlocked.device_id()), (None, Some("august_device_1")));
    assert!(events.iter().any(|e| e.event_type() == "lock.locked"), "{events:?}");
}

#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn a_failed_action_attempt_is_a_typed_error() {
    let fake = FakeSeam::start();
    let seam = polling_quickly(&fake);
    let pending =
        seam.locks().unlock_door("august_device_1").wait_for_action_attempt(false).send().await.unwrap();
    let id = pending.action_attempt_id().to_owned();
    fake.update_action_attempt(serde_json::json!({
        "action_attempt_id": id,
        "status": "error",
        "error": {"type": "device_offline", "message": "The lock is offline"},
    }))
    .await;

    let error = seam.action_attempts().get(&id).send().await.unwrap_err();
    let Error::ActionAttemptFailed { action_attempt_id, action_type, error_type, message, attempt } = &error
    else {
        panic!("expected ActionAttemptFailed, got {error:?}");
    };
    assert_eq!(
        (action_attempt_id.as_str(), action_type.as_str(), error_type.as_str(), message.as_str()),
        (id.as_str(), "UNLOCK_DOOR", "device_offline", "The lock is offline")
    );
    assert_eq!(attempt.status().as_str(), "error");
    assert_eq!(
        error.to_string(),
        format!("action attempt {id} (UNLOCK_DOOR) failed: The lock is offline (device_offline)")
    );
}

#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn an_action_attempt_that_stays_pending_times_out() {
    let fake = FakeSeam::start();
    let seam = polling_quickly(&fake);
    let pending =
        seam.locks().unlock_door("august_device_1").wait_for_action_attempt(false).send().await.unwrap();
    let id = pending.action_attempt_id().to_owned();
    // Read back now, the fake would finish it; pending again, it stays so.
    fake.update_action_attempt(serde_json::json!({"action_attempt_id": id, "status": "pending"})).await;

    let started = Instant::now();
    let waiting = seam
        .action_attempts()
        .get(&id)
        .action_attempt_timeout(Duration::from_millis(300))
        .action_attempt_polling_interval(Duration::from_millis(50))
        .send();
    // Bounded here too, so that a polling loop that lost its budget fails
    // in seconds instead of hanging.
    let error = tokio::time::timeout(Duration::from_secs(20), waiting)
        .await
        .expect("waiting did not give up within 20 s")
        .unwrap_err();
    let elapsed = started.elapsed();
    let Error::ActionAttemptTimeout { action_attempt_id, status, waited, attempt, .. } = &error else {
        panic!("expected ActionAttemptTimeout, got {error:?}");
    };
    assert_eq!((action_attempt_id.as_str(), status.as_str()), (id.as_str(), "pending"));
    assert_eq!(attempt.status().as_str(), "pending");
    assert!(*waited >= Duration::from_millis(300), "{waited:?}");
    assert!(elapsed < Duration::from_secs(5), "gave up long after its budget: {elapsed:?}");

    // A bad plan is refused before the action is sent.
    let error = seam
        .locks()
        .unlock_door("august_device_1")
        .action_attempt_timeout(Duration::from_millis(10))
        .action_attempt_polling_interval(Duration::from_secs(1))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Config(seam_api::ConfigError::InvalidActionAttemptPolling { .. })),
        "{error}"
    );
    let error = fake.client().api_key(API_KEY).action_attempt_timeout(Duration::ZERO).build().unwrap_err();
    assert!(
        matches!(error, Error::Config(seam_api::ConfigError::InvalidActionAttemptPolling { .. })),
        "{error}"
    );
}

#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn every_device_and_account_through_small_pages() {
    use futures_util::TryStreamExt;

    let fake = FakeSeam::shared();
    let seam = fake.client().api_key(API_KEY).build().unwrap();
    let all_at_once = seam.devices().list().send().await.unwrap();
    assert!(all_at_once.len() >= 5, "the seed has 5 devices: {}", all_at_once.len());
    let ids = |devices: &[seam_api::Device]| devices.iter().map(|d| d.device_id.clone()).collect::<Vec<_>>();

    let pages: Vec<_> = seam.devices().list().limit(2).pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), all_at_once.len().div_ceil(2));
    assert!(pages.iter().all(|page| page.items.len() <= 2));
    assert_eq!(pages.last().and_then(|page| page.next_page_cursor()), None);
    let paged: Vec<seam_api::Device> = pages.into_iter().flat_map(|page| page.items).collect();
    assert_eq!(ids(&paged), ids(&all_at_once));

    let items: Vec<seam_api::Device> = seam.devices().list().limit(2).items().try_collect().await.unwrap();
    assert_eq!(ids(&items), ids(&all_at_once));

    // By hand: one page, then the next from its cursor.
    let first = seam.devices().list().limit(3).send_page().await.unwrap();
    let cursor = first.next_page_cursor().expect("a second page").to_owned();
    let second = seam.devices().list().limit(3).page_cursor(cursor).send_page().await.unwrap();
    assert_eq!(ids(&[first.items, second.items].concat()), ids(&all_at_once));

    let accounts: Vec<_> = seam.connected_accounts().list().limit(1).pages().try_collect().await.unwrap();
    assert_eq!(accounts.len(), 3, "one page per seeded account");

    // The fake does not paginate this list: following it is a typed error.
    let error = seam.connect_webviews().list().items().try_collect::<Vec<_>>().await.unwrap_err();
    assert!(
        matches!(error, Error::Pagination(seam_api::PaginationError::MissingPagination { .. })),
        "{error}"
    );
}

#[tokio::test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
async fn a_token_without_a_workspace_lists_its_workspaces() {
    let fake = FakeSeam::shared();
    let seam: SeamWithoutWorkspace = fake
        .client()
        .personal_access_token_without_workspace(PERSONAL_ACCESS_TOKEN)
        .build_without_workspace()
        .unwrap();
    let workspaces = seam.workspaces().list().send().await.unwrap();
    let ids: Vec<&str> = workspaces.iter().map(|w| w.workspace_id.as_str()).collect();
    assert_eq!(ids, [WORKSPACE], "the seeded user's workspace");

    let console = fake
        .client()
        .console_session_token_without_workspace(&fake.console_session_token)
        .build_without_workspace()
        .unwrap();
    assert_eq!(console.workspaces().list().send().await.unwrap().len(), 1);
}
