//! The built `seam` binary, end to end against Seam's fake of the Connect
//! API (`@seamapi/fake-seam-connect`, the one seam-api's own end-to-end
//! tests use, installed by `cargo xtask test`). The tests that need the fake
//! are ignored by a plain `cargo test`; the others run everywhere.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;

#[path = "../../seam-api/tests/fake-seam-connect/launch.rs"]
mod launch;

const NEEDS_FAKE: &str = "needs Seam's fake server (node + npm ci); run `cargo xtask test`";

/// Seeded credentials and ids (see the fake's seed).
const API_KEY: &str = "seam_apikey1_token";
const PERSONAL_ACCESS_TOKEN: &str = "seam_at1_longtoken";
const WORKSPACE: &str = "seed_workspace_1";
const DEVICE: &str = "august_device_1";

/// One fake server process for the whole test binary, stopped when its
/// standard input closes (this process is gone) or after its lifetime.
struct Fake {
    _child: Child,
    endpoint: String,
}

fn fake() -> &'static Fake {
    static FAKE: OnceLock<Fake> = OnceLock::new();
    FAKE.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../seam-api/tests/fake-seam-connect");
        assert!(launch::is_installed(&dir), "{NEEDS_FAKE}");
        let launch::Launched { child, ready } =
            launch::launch(Command::new("node"), &dir, Duration::from_secs(60))
                .unwrap_or_else(|why| panic!("{why}; {NEEDS_FAKE}"));
        Fake { _child: child, endpoint: ready["endpoint"].as_str().expect("an endpoint").to_owned() }
    })
}

/// `seam` with no credential, endpoint or stored login of the machine's,
/// and stdin closed: each test gives what it needs.
fn seam(config: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_seam"));
    for (name, _) in std::env::vars() {
        if name.starts_with("SEAM_") {
            command.env_remove(name);
        }
    }
    command.env("XDG_CONFIG_HOME", config).stdin(Stdio::null());
    command
}

/// `seam` against the fake with the seeded API key.
fn seam_with_key(config: &Path) -> Command {
    let mut command = seam(config);
    command.env("SEAM_API_KEY", API_KEY).env("SEAM_ENDPOINT", &fake().endpoint);
    command
}

fn config() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

fn run(command: &mut Command, args: &[&str]) -> Output {
    command.args(args).output().expect("seam runs")
}

fn stdout_json(output: &Output) -> Value {
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("stdout is JSON ({e}): {output:?}"))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn a_list_prints_one_page_and_the_next_cursor_on_stderr() {
    let config = config();
    let output = run(&mut seam_with_key(config.path()), &["devices", "list", "--limit", "1"]);
    let devices = stdout_json(&output);
    assert_eq!(devices.as_array().map(Vec::len), Some(1), "{devices}");
    assert!(stderr(&output).contains("next page: --page-cursor "), "{}", stderr(&output));
    // Compact on a pipe: one line.
    assert_eq!(output.stdout.iter().filter(|b| **b == b'\n').count(), 1);

    // A list the fake answers without `pagination` is still one page.
    let output = run(&mut seam_with_key(config.path()), &["acs", "users", "list"]);
    assert!(stdout_json(&output).is_array(), "{output:?}");
    assert!(!stderr(&output).contains("next page"), "{}", stderr(&output));
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn all_follows_every_page_into_one_array() {
    let config = config();
    let every =
        stdout_json(&run(&mut seam_with_key(config.path()), &["devices", "list", "--limit", "1", "--all"]));
    let whole = stdout_json(&run(&mut seam_with_key(config.path()), &["devices", "list", "--limit", "1000"]));
    let ids = |list: &Value| -> Vec<String> {
        list.as_array().unwrap().iter().map(|d| d["device_id"].as_str().unwrap().to_owned()).collect()
    };
    assert!(ids(&every).len() > 1, "{every}");
    assert_eq!(ids(&every), ids(&whole));
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn a_get_prints_the_object_under_the_response_key() {
    let config = config();
    let device =
        stdout_json(&run(&mut seam_with_key(config.path()), &["devices", "get", "--device-id", DEVICE]));
    assert_eq!(device["device_id"], DEVICE);
    assert_eq!(device["workspace_id"], WORKSPACE);
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn an_unlock_waits_for_its_action_attempt_unless_told_not_to() {
    let config = config();
    let done = stdout_json(&run(
        &mut seam_with_key(config.path()),
        &["locks", "unlock-door", "--device-id", DEVICE],
    ));
    assert_eq!(done["status"], "success", "{done}");
    let pending = stdout_json(&run(
        &mut seam_with_key(config.path()),
        &["locks", "unlock-door", "--device-id", DEVICE, "--no-wait"],
    ));
    assert_eq!(pending["status"], "pending", "{pending}");
    assert_eq!(pending["action_type"], "UNLOCK_DOOR");
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn a_leading_zero_code_is_sent_as_the_string_it_is() {
    let config = config();
    let code = stdout_json(&run(
        &mut seam_with_key(config.path()),
        &["access-codes", "create", "--device-id", DEVICE, "--code", "0123", "--name", "Leading zero"],
    ));
    assert_eq!(code["code"], "0123", "{code}");
    assert_eq!(code["name"], "Leading zero");
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn a_body_on_stdin_is_the_request_and_flags_override_it() {
    let config = config();
    let piped = |code: &str, args: &[&str]| {
        let body = format!(r#"{{"device_id": "{DEVICE}", "code": "{code}", "name": "From stdin"}}"#);
        let mut child = seam_with_key(config.path())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(body.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    // No field flag: the piped body is the body.
    let code = stdout_json(&piped("0042", &["access-codes", "create"]));
    assert_eq!((code["code"].as_str(), code["name"].as_str()), (Some("0042"), Some("From stdin")));
    // With a field flag, only `--data @-` reads it, and the flag wins.
    let code =
        stdout_json(&piped("0043", &["access-codes", "create", "--data", "@-", "--name", "From the flag"]));
    assert_eq!((code["code"].as_str(), code["name"].as_str()), (Some("0043"), Some("From the flag")));
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn a_shell_loop_over_a_file_gives_each_row_its_own_command() {
    // Every field is a flag, so no command takes the loop's input: before,
    // the first read the rest of the file as its body and failed.
    let config = config();
    let script = format!(
        r#"while IFS=, read -r device code name; do
  "$SEAM" access-codes create --device-id "$device" --code "$code" --name "$name" | tr -d '\n'; echo
done <<'CSV'
{DEVICE},1111,Guest one
{DEVICE},2222,Guest two
{DEVICE},3333,Guest three
CSV"#
    );
    let mut bash = Command::new("bash");
    for (name, _) in std::env::vars() {
        if name.starts_with("SEAM_") {
            bash.env_remove(name);
        }
    }
    let bash = bash
        .args(["-c", &script])
        .env("SEAM", env!("CARGO_BIN_EXE_seam"))
        .env("XDG_CONFIG_HOME", config.path())
        .env("SEAM_API_KEY", API_KEY)
        .env("SEAM_ENDPOINT", &fake().endpoint)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(bash.status.success(), "{bash:?}");
    let codes: Vec<Value> = String::from_utf8_lossy(&bash.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let names: Vec<&str> = codes.iter().map(|code| code["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Guest one", "Guest two", "Guest three"], "{bash:?}");
    assert_eq!(codes[1]["code"], "2222");
}

#[test]
fn a_body_on_stdin_that_is_no_json_says_how_to_leave_stdin_alone() {
    let config = config();
    let mut child = seam(config.path())
        .args(["locks", "unlock-door"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"front-door,1234\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let line = stderr(&output);
    assert!(line.contains("the body on stdin is not JSON"), "{line}");
    assert!(line.contains("--data @-") && line.contains("< /dev/null"), "{line}");
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn an_unknown_id_exits_1_with_one_line_naming_the_error_and_its_request_id() {
    let config = config();
    let output = run(&mut seam_with_key(config.path()), &["devices", "get", "--device-id", "no_such_device"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(output.stdout.is_empty());
    let line = stderr(&output);
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.starts_with("error: 404 Not Found device_not_found: "), "{line}");
    assert!(line.contains("(seam-request-id: "), "{line}");
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn a_bad_key_exits_1_without_showing_the_key() {
    let config = config();
    let mut command = seam(config.path());
    command.env("SEAM_CLI_TOKEN", "seam_wrongkey_12345").env("SEAM_CLI_ENDPOINT", &fake().endpoint);
    let output = run(&mut command, &["--debug", "devices", "list"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = stderr(&output);
    assert!(text.contains("401 Unauthorized"), "{text}");
    // --debug traced the call, and no credential.
    assert!(text.contains("devices.list"), "{text}");
    assert!(!text.contains("wrongkey"), "{text}");
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn debug_traces_on_stderr_and_never_the_credential() {
    let config = config();
    let output =
        run(&mut seam_with_key(config.path()), &["--debug", "devices", "get", "--device-id", DEVICE]);
    stdout_json(&output);
    let text = stderr(&output);
    assert!(text.contains("seam.operation=\"devices.get\""), "{text}");
    assert!(!text.contains(API_KEY) && !text.contains("apikey1"), "{text}");
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn api_calls_any_path_and_prints_the_whole_body() {
    let config = config();
    let pending = stdout_json(&run(
        &mut seam_with_key(config.path()),
        &["locks", "lock-door", "--device-id", DEVICE, "--no-wait"],
    ));
    let id = pending["action_attempt_id"].as_str().unwrap();
    // A route of the fake's own, which no spec has.
    let body = format!(r#"{{"action_attempt_id": "{id}", "status": "success"}}"#);
    let answer = stdout_json(&run(
        &mut seam_with_key(config.path()),
        &["api", "/_fake/update_action_attempt", "--data", &body],
    ));
    assert!(answer.is_object(), "{answer}");
    let whole = stdout_json(&run(
        &mut seam_with_key(config.path()),
        &["api", "action_attempts/get", "--data", &format!(r#"{{"action_attempt_id": "{id}"}}"#)],
    ));
    assert_eq!(whole["action_attempt"]["status"], "success", "{whole}");
    assert_eq!(whole["ok"], true, "the whole body, not the response key: {whole}");
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn login_stores_a_checked_token_that_later_commands_use_until_logout() {
    let config = config();
    let mut login = seam(config.path())
        .args(["login", "--endpoint", &fake().endpoint])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    login.stdin.take().unwrap().write_all(format!("{API_KEY}\n").as_bytes()).unwrap();
    let output = login.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(output.stdout.is_empty());
    assert!(stderr(&output).contains(WORKSPACE), "{}", stderr(&output));
    assert!(!stderr(&output).contains(API_KEY));
    let stored = config.path().join("seam/credentials.toml");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&stored).unwrap().permissions().mode() & 0o777, 0o600);
    }

    // No environment at all: the stored token and endpoint.
    let device = stdout_json(&run(&mut seam(config.path()), &["devices", "get", "--device-id", DEVICE]));
    assert_eq!(device["device_id"], DEVICE);

    let output = run(&mut seam(config.path()), &["logout"]);
    assert!(output.status.success(), "{output:?}");
    assert!(!stored.exists());
    let output = run(&mut seam(config.path()), &["devices", "list"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("seam login"), "{}", stderr(&output));
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn a_bad_token_is_not_stored() {
    let config = config();
    let mut login = seam(config.path())
        .args(["login", "--endpoint", &fake().endpoint])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    login.stdin.take().unwrap().write_all(b"seam_notakey_999").unwrap();
    let output = login.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(!stderr(&output).contains("notakey"), "{}", stderr(&output));
    assert!(!config.path().join("seam/credentials.toml").exists());
}

#[test]
#[ignore = "needs Seam's fake server (node + npm ci); run `cargo xtask test`"]
fn a_personal_access_token_without_a_workspace_runs_only_workspace_less_commands() {
    let config = config();
    let mut command = seam(config.path());
    command.env("SEAM_PERSONAL_ACCESS_TOKEN", PERSONAL_ACCESS_TOKEN).env("SEAM_ENDPOINT", &fake().endpoint);
    let workspaces = stdout_json(&run(&mut command, &["workspaces", "list"]));
    assert!(workspaces.as_array().is_some_and(|list| !list.is_empty()), "{workspaces}");

    let mut command = seam(config.path());
    command.env("SEAM_PERSONAL_ACCESS_TOKEN", PERSONAL_ACCESS_TOKEN).env("SEAM_ENDPOINT", &fake().endpoint);
    let output = run(&mut command, &["devices", "list"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(stderr(&output).contains("--workspace-id"), "{}", stderr(&output));

    let mut command = seam(config.path());
    command.env("SEAM_PERSONAL_ACCESS_TOKEN", PERSONAL_ACCESS_TOKEN).env("SEAM_ENDPOINT", &fake().endpoint);
    // (The fake takes a personal access token on only some routes.)
    let args = ["--workspace-id", WORKSPACE, "client-sessions", "get", "--client-session-id", "cst1"];
    let session = stdout_json(&run(&mut command, &args));
    assert_eq!(session["workspace_id"], WORKSPACE, "{session}");
}

// The rest needs no server.

#[test]
fn an_unknown_flag_exits_2_with_a_suggestion_and_calls_nothing() {
    let config = config();
    // No credential and no endpoint: a call would fail with 1, not 2.
    let output = run(&mut seam(config.path()), &["devices", "get", "--device-idd", "x"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let text = stderr(&output);
    assert!(text.contains("unexpected argument '--device-idd'"), "{text}");
    assert!(text.contains("a similar argument exists: '--device-id'"), "{text}");
}

#[test]
fn values_of_the_wrong_kind_are_usage_errors() {
    let config = config();
    for args in [
        &["locks", "configure-auto-lock", "--device-id", "d", "--auto-lock-enabled", "yes"][..],
        &["devices", "list", "--limit", "1e5"],
        &["events", "list", "--since", "next tuesday"],
        &["devices", "list", "--custom-metadata-has", "{not json"],
    ] {
        let output = run(&mut seam(config.path()), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        assert!(stderr(&output).contains("invalid value"), "{args:?}: {}", stderr(&output));
    }
}

#[test]
fn a_missing_required_flag_or_body_field_is_a_usage_error() {
    let config = config();
    let output = run(&mut seam(config.path()), &["locks", "unlock-door"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(stderr(&output).contains("missing required --device-id"), "{}", stderr(&output));
    let output = run(&mut seam(config.path()), &["devices", "list", "--data", r#"{"limitt": 5}"#]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(stderr(&output).contains("unknown field `limitt`"), "{}", stderr(&output));
    let output = run(&mut seam(config.path()), &["devices", "list", "--data", r#"{"limit": "5"}"#]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(stderr(&output).contains("invalid `--limit`"), "{}", stderr(&output));
}

#[test]
fn completions_are_printed_for_each_shell() {
    let config = config();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = run(&mut seam(config.path()), &["completion", shell]);
        assert!(output.status.success(), "{shell}: {output:?}");
        let script = String::from_utf8_lossy(&output.stdout);
        assert!(script.contains("unlock-door"), "{shell}");
        // An enum's values complete too, where the shell's script lists
        // values (clap_complete's PowerShell and Elvish scripts do not).
        if !matches!(shell, "powershell" | "elvish") {
            assert!(script.contains("august_lock"), "{shell}");
        }
    }
    // The bash script is valid bash.
    let output = run(&mut seam(config.path()), &["completion", "bash"]);
    let check =
        Command::new("bash").args(["-n", "/dev/stdin"]).stdin(Stdio::piped()).spawn().and_then(|mut bash| {
            bash.stdin.take().expect("piped").write_all(&output.stdout)?;
            bash.wait()
        });
    if let Ok(status) = check {
        assert!(status.success(), "bash -n rejects the completion script");
    }
    // Its help says where each shell takes a script without root.
    let help = run(&mut seam(config.path()), &["completion", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(!help.contains("/etc/"), "{help}");
    for place in
        ["~/.local/share/bash-completion/completions/seam", "~/.zfunc/_seam", "~/.config/fish/completions"]
    {
        assert!(help.contains(place), "{place} not in {help}");
    }
}

#[test]
fn an_operation_s_help_puts_its_required_fields_first() {
    let config = config();
    let output = run(&mut seam(config.path()), &["access-codes", "create", "--help"]);
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("Usage: seam access-codes create --device-id <DEVICE_ID> [OPTIONS]"), "{help}");
    let required = help.find("Required fields:").expect("a heading for required fields");
    let optional = help.find("\nFields:").expect("a heading for the other fields");
    assert!(required < optional, "{help}");
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let config = config();
    // The bash script (about 600 KB) is far more than a pipe holds, so
    // writing it meets the closed pipe.
    let mut child = seam(config.path())
        .args(["completion", "bash"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
}

#[test]
fn help_exits_0_on_stdout() {
    let config = config();
    let output = run(&mut seam(config.path()), &["locks", "unlock-door", "--help"]);
    assert!(output.status.success(), "{output:?}");
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("--device-id <DEVICE_ID>") && help.contains("--no-wait"), "{help}");
}
