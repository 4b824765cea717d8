//! Look up a client session and print it as one JSON object.
//!
//! ```text
//! cargo run -p seam-api --example client_sessions_get -- \
//!     [--client-session-id ID | --user-identifier-key KEY] [--show-token]
//! ```
//!
//! Credentials come from the environment, exactly one of:
//! `SEAM_API_KEY`, `SEAM_CLIENT_SESSION_TOKEN`, or
//! `SEAM_PERSONAL_ACCESS_TOKEN` with `SEAM_WORKSPACE_ID`.
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
    Ok(parsed)
}

/// SEAM_API_KEY / SEAM_PERSONAL_ACCESS_TOKEN / SEAM_ENDPOINT as the SDK reads
/// them, plus SEAM_CLIENT_SESSION_TOKEN, which this program also accepts.
fn client_from_env() -> seam_api::Result<Seam> {
    let mut builder = SeamBuilder::from_env();
    if let Some(token) = std::env::var("SEAM_CLIENT_SESSION_TOKEN").ok().filter(|t| !t.trim().is_empty()) {
        builder = builder.client_session_token(token);
    }
    builder.build()
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
    let seam = client_from_env()?;
    let mut request = seam.client_sessions().get();
    if let Some(id) = args.client_session_id {
        request = request.client_session_id(id);
    }
    if let Some(key) = args.user_identifier_key {
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
