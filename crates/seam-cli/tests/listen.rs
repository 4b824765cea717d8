//! `seam events listen` end to end: Seam's fake, a small axum app that
//! takes deliveries with seam-api's `SeamEvent` extractor, and the built
//! `seam` between them. Its own fake (one per test binary), so that no
//! other test's unlocks reach the stream. Ignored by a plain `cargo test`,
//! as the other tests that need the fake.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use seam_api::{Event, SeamEvent, SeamWebhook};

#[path = "../../seam-api/tests/fake-seam-connect/launch.rs"]
mod launch;

const NEEDS_FAKE: &str = "needs Seam's fake server (node + npm ci); run `cargo xtask test`";
const API_KEY: &str = "seam_apikey1_token";
const DEVICE: &str = "august_device_1";
const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

fn fake() -> (Child, String) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../seam-api/tests/fake-seam-connect");
    assert!(launch::is_installed(&dir), "{NEEDS_FAKE}");
    let launch::Launched { child, ready } =
        launch::launch(Command::new("node"), &dir, Duration::from_secs(60))
            .unwrap_or_else(|why| panic!("{why}; {NEEDS_FAKE}"));
    (child, ready["endpoint"].as_str().expect("an endpoint").to_owned())
}

/// `seam` against the fake at `endpoint`, with nothing of this machine's.
fn seam(endpoint: &str, config: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_seam"));
    for (name, _) in std::env::vars() {
        if name.starts_with("SEAM_") {
            command.env_remove(name);
        }
    }
    command
        .env("XDG_CONFIG_HOME", config)
        .env("SEAM_API_KEY", API_KEY)
        .env("SEAM_ENDPOINT", endpoint)
        .stdin(Stdio::null());
    command
}

/// The lines of a child's stderr, as they come.
fn lines(stderr: ChildStderr) -> Receiver<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

fn wait_for(lines: &Receiver<String>, what: &str, within: Duration) -> Vec<String> {
    let deadline = Instant::now() + within;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(what) => {
                seen.push(line);
                return seen;
            }
            Ok(line) => seen.push(line),
            Err(_) => break,
        }
    }
    panic!("no line with {what:?} within {within:?}; got {seen:?}");
}

/// Ends `child` as Ctrl-C would, and returns its exit status.
fn interrupt(child: &mut Child) -> std::process::ExitStatus {
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill runs");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().expect("the child can be waited on") {
            return status;
        }
        assert!(Instant::now() < deadline, "still running 10 s after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    }
}

type Received = Arc<Mutex<Vec<(Instant, Event)>>>;

/// The app's state: the webhook the extractor takes, and what it received.
#[derive(Clone)]
struct App {
    webhook: SeamWebhook,
    received: Received,
}

impl FromRef<App> for SeamWebhook {
    fn from_ref(app: &App) -> SeamWebhook {
        app.webhook.clone()
    }
}

async fn on_event(State(app): State<App>, SeamEvent(event): SeamEvent) -> StatusCode {
    app.received.lock().unwrap().push((Instant::now(), event));
    StatusCode::NO_CONTENT
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn an_unlock_and_a_lock_reach_a_local_handler_verified_in_order_once_each() {
    let (_fake, endpoint) = fake();
    let config = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let received: Received = Arc::default();
    let state = App { webhook: SeamWebhook::new(SECRET).unwrap(), received: received.clone() };
    let app = axum::Router::new().route("/seam/webhook", post(on_event)).with_state(state);
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}/seam/webhook", listener.local_addr().unwrap());
    runtime.spawn(async move { axum::serve(listener, app).await });

    let mut listen = seam(&endpoint, config.path())
        .args(["events", "listen", "--forward-to", &url, "--secret", SECRET, "--device-id", DEVICE])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = lines(listen.stderr.take().unwrap());
    wait_for(&stderr, "listening for events created after", Duration::from_secs(10));

    // Without waiting for the action attempts: the event is made when the
    // action is asked for, and the wait would only add to what is timed.
    let mut sent = Vec::new();
    for command in ["unlock-door", "lock-door"] {
        sent.push(Instant::now());
        let output = seam(&endpoint, config.path())
            .args(["locks", command, "--device-id", DEVICE, "--no-wait"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
    }
    let delivered = wait_for(&stderr, "lock.locked", Duration::from_secs(20));
    // A few more polls: nothing is delivered twice.
    std::thread::sleep(Duration::from_secs(3));
    let status = interrupt(&mut listen);
    assert!(status.success(), "Ctrl-C ends it with exit 0: {status:?}");

    let received = received.lock().unwrap();
    let types: Vec<&str> = received.iter().map(|(_, event)| event.event_type()).collect();
    assert_eq!(types, ["lock.unlocked", "lock.locked"], "{received:?}");
    assert!(matches!(received[0].1, Event::LockUnlocked(_)) && matches!(received[1].1, Event::LockLocked(_)));
    assert!(received.iter().all(|(_, event)| event.device_id() == Some(DEVICE)));
    assert_ne!(received[0].1.event_id(), received[1].1.event_id());
    // One line per delivery on stderr: type, id, the handler's status and time.
    let line =
        delivered.iter().find(|line| line.contains("lock.unlocked")).expect("a line for lock.unlocked");
    assert!(line.contains(received[0].1.event_id()) && line.contains("204 No Content in "), "{line}");
    // For the README's figure (`--nocapture`): from running the command to
    // the handler, at the default interval of 1 s.
    for ((at, event), sent) in received.iter().zip(&sent) {
        eprintln!("{} to the handler: {} ms", event.event_type(), at.duration_since(*sent).as_millis());
    }
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn without_forward_to_each_event_is_a_json_line_and_a_closed_stdout_ends_it() {
    let (_fake, endpoint) = fake();
    let config = tempfile::tempdir().unwrap();
    // From before the fake's seed: its `device.connected` events.
    let mut listen = seam(&endpoint, config.path())
        .args(["events", "listen", "--since", "2000-01-01T00:00:00Z", "--interval", "200ms"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(listen.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let event: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
    assert!(event["event_type"].is_string() && event["event_id"].is_string(), "{event}");
    // Closing the pipe, then making an event: the next line cannot be
    // written, and the command ends quietly.
    drop(stdout);
    let output = seam(&endpoint, config.path())
        .args(["locks", "unlock-door", "--device-id", DEVICE])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = listen.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running 10 s after its stdout closed");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
}
