//! Look up a client session and print it as one JSON object.
//!
//! ```text
//! cargo run -p seam-api --example client_sessions_get -- \
//!     [--client-session-id ID | --user-identifier-key KEY] [--show-token]
//! ```
//!
//! Credentials come from the environment, exactly one of:
//! `SEAM_API_KEY`, `SEAM_CLIENT_SESSION_TOKEN`,
//! `SEAM_PERSONAL_ACCESS_TOKEN` with `SEAM_WORKSPACE_ID`,
//! `SEAM_CONSOLE_SESSION_TOKEN` with `SEAM_WORKSPACE_ID`, or
//! `SEAM_PUBLISHABLE_KEY`, which signs in as the user named by
//! `--user-identifier-key` and prints that user's client session.
//! `SEAM_ENDPOINT` overrides the endpoint (default
//! `https://connect.getseam.com`).
//!
//! On success it prints the client session on stdout and exits 0; the
//! session's token is shown as `[redacted]` unless `--show-token` is given.
//! On failure it prints one line on stderr (HTTP status, Seam's error type
//! and the request id, where the server sent them) and exits 1; bad
//! arguments exit 2. It never prints the credential it was given.

use std::process::ExitCode;

use seam_api::{Seam, SeamBuilder};

const USAGE: &str =
    "usage: client_sessions_get [--client-session-id ID | --user-identifier-key KEY] [--show-token]";

struct Args {
    client_session_id: Option<String>,
    user_identifier_key: Option<String>,
    show_token: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args { client_session_id: None, user_identifier_key: None, show_token: false };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--client-session-id" => {
                parsed.client_session_id = Some(args.next().ok_or("--client-session-id needs a value")?);
            }
            "--user-identifier-key" => {
                parsed.user_identifier_key = Some(args.next().ok_or("--user-identifier-key needs a value")?);
            }
            "--show-token" => parsed.show_token = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if parsed.client_session_id.is_some() && parsed.user_identifier_key.is_some() {
        return Err("give --client-session-id or --user-identifier-key, not both".into());
    }
    if env("SEAM_PUBLISHABLE_KEY").is_some() && parsed.user_identifier_key.is_none() {
        return Err("SEAM_PUBLISHABLE_KEY signs a user in: give --user-identifier-key".into());
    }
    Ok(parsed)
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The variables that hold a credential; exactly one may be set.
const CREDENTIAL_VARIABLES: [&str; 5] = [
    "SEAM_API_KEY",
    "SEAM_CLIENT_SESSION_TOKEN",
    "SEAM_PERSONAL_ACCESS_TOKEN",
    "SEAM_CONSOLE_SESSION_TOKEN",
    "SEAM_PUBLISHABLE_KEY",
];

/// SEAM_API_KEY / SEAM_PERSONAL_ACCESS_TOKEN / SEAM_ENDPOINT as the SDK reads
/// them, plus the client session and console session tokens, which this
/// program also accepts. With SEAM_PUBLISHABLE_KEY, signs `user` in.
async fn client_from_env(user: Option<&str>) -> seam_api::Result<Seam> {
    // The builder lets a credential given in code replace the environment's;
    // here every credential comes from the environment, so two set is a
    // mistake to report, not to resolve.
    let set: Vec<&'static str> =
        CREDENTIAL_VARIABLES.into_iter().filter(|name| env(name).is_some()).collect();
    if let [first, second, ..] = set[..] {
        return Err(seam_api::ConfigError::ConflictingCredentials { first, second }.into());
    }
    let mut builder = SeamBuilder::from_env();
    if let Some(token) = env("SEAM_CLIENT_SESSION_TOKEN") {
        builder = builder.client_session_token(token);
    }
    if let Some(token) = env("SEAM_CONSOLE_SESSION_TOKEN") {
        builder = builder.console_session_token(token, env("SEAM_WORKSPACE_ID").unwrap_or_default());
    }
    match (env("SEAM_PUBLISHABLE_KEY"), user) {
        (Some(key), Some(user)) => builder.build_with_publishable_key(key, user).await,
        _ => builder.build(),
    }
}

/// The error and its causes on one line.
fn one_line(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        source = cause.source();
    }
    line.replace('\n', " ")
}

async fn run(args: Args) -> seam_api::Result<String> {
    // Signed in with a publishable key, the client session token looks
    // itself up: the user identifier key chose whose session it is.
    let signing_in = env("SEAM_PUBLISHABLE_KEY").is_some();
    let seam = client_from_env(args.user_identifier_key.as_deref()).await?;
    let mut request = seam.client_sessions().get();
    if let Some(id) = args.client_session_id {
        request = request.client_session_id(id);
    }
    if let Some(key) = args.user_identifier_key.filter(|_| !signing_in) {
        request = request.user_identifier_key(key);
    }
    let session = request.send().await?;
    let mut json =
        serde_json::to_value(&session).map_err(|e| seam_api::Error::InvalidRequest(e.to_string()))?;
    if !args.show_token {
        json["token"] = "[redacted]".into();
    }
    Ok(json.to_string())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {}", one_line(&error));
            ExitCode::FAILURE
        }
    }
}
