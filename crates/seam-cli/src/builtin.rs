//! The commands of the tool itself, beside the API's: `login`, `logout`,
//! `api` and `completion`.

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use clap_complete::Shell;
use serde_json::Value;

use crate::body::{self, ProcessStdin, Stdin};
use crate::credentials::{self, Flags, Settings, Stored};
use crate::error::CliError;
use crate::output;
use crate::run::{Client, Output};

pub(crate) fn commands() -> [Command; 4] {
    [
        Command::new("login")
            .about("Check a token and store it for later commands")
            .long_about(
                "Check a token and store it for later commands.\n\n\
                 Reads an API key or personal access token from stdin (asking for it, unechoed, on a \
                 terminal), checks it by reading the workspace (or listing workspaces, for a personal \
                 access token without --workspace-id), and stores it with the --endpoint and \
                 --workspace-id given, in $XDG_CONFIG_HOME/seam/credentials.toml (else \
                 ~/.config/seam/credentials.toml), readable by you only. A flag or environment \
                 variable still wins over what is stored.",
            ),
        Command::new("logout").about("Remove the stored token"),
        Command::new("api")
            .about("Call any path, including one newer than this version, and print the whole response body")
            .arg(Arg::new("path").value_name("PATH").required(true).help("The path, e.g. /devices/list"))
            .arg(
                Arg::new("data")
                    .long("data")
                    .value_name("JSON|@FILE")
                    .help("The request body, as JSON, from a file (@FILE) or from stdin (@-). Without it, a body piped to stdin is sent"),
            )
            .arg(Arg::new("read").long("read").action(ArgAction::SetTrue).help(
                "The call only reads: retry it on 429 and 5xx as generated reads are (otherwise only when no connection was made)",
            )),
        Command::new("completion")
            .about("Print a shell completion script")
            .long_about(
                "Print a shell completion script. To install it for yourself (no root needed), then open a new shell:\n\n  \
                 bash:        mkdir -p ~/.local/share/bash-completion/completions && \
                 seam completion bash > ~/.local/share/bash-completion/completions/seam\n  \
                 zsh:         mkdir -p ~/.zfunc && seam completion zsh > ~/.zfunc/_seam, and in ~/.zshrc, \
                 before compinit: fpath=(~/.zfunc $fpath)\n  \
                 fish:        seam completion fish > ~/.config/fish/completions/seam.fish\n  \
                 PowerShell:  seam completion powershell >> $PROFILE\n  \
                 elvish:      seam completion elvish >> ~/.config/elvish/rc.elv",
            )
            .arg(Arg::new("shell").value_name("SHELL").required(true).value_parser(value_parser!(Shell))),
    ]
}

/// Runs `name` if it is one of this tool's commands.
pub(crate) async fn run(
    name: &str,
    matches: &ArgMatches,
    flags: &Flags,
    env: &dyn Fn(&str) -> Option<String>,
) -> Option<Result<Output, CliError>> {
    Some(match name {
        "login" => login(flags, env).await,
        "logout" => logout(env),
        "api" => api(matches, flags, env).await,
        "completion" => completion(matches),
        _ => return None,
    })
}

async fn login(flags: &Flags, env: &dyn Fn(&str) -> Option<String>) -> Result<Output, CliError> {
    // A stored token would never be used while the environment gives one.
    if let Some((_, name)) = credentials::first_set(env, &credentials::TOKEN_VARIABLES) {
        return Err(CliError::Failed(format!(
            "{name} is set and would override a stored token; unset it to use `seam login`"
        )));
    }
    let token = read_token()?;
    let path = credentials::path(env)?;
    let settings = Settings {
        token: token.clone(),
        token_source: "stdin".into(),
        workspace_id: flags.workspace_id.clone(),
        endpoint: flags.endpoint.clone(),
    };
    let (builder, without_workspace) = credentials::builder(&settings)?;
    let checked = match credentials::client(builder, without_workspace)? {
        Client::Workspace(seam) => {
            let workspace = seam.workspaces().get().send().await?;
            format!("workspace {} ({})", workspace.name, workspace.workspace_id)
        }
        Client::WithoutWorkspace(seam) => {
            let workspaces = seam.workspaces().list().send().await?;
            format!(
                "a personal access token with {} workspace(s); pass --workspace-id to pick one",
                workspaces.len()
            )
        }
    };
    let stored = Stored { token, workspace_id: flags.workspace_id.clone(), endpoint: flags.endpoint.clone() };
    credentials::store(&path, &stored)?;
    output::note(&format!("Logged in: {checked}. Stored in {}.", path.display()));
    Ok(Output::Nothing)
}

/// The token, from stdin: asked for, unechoed, on a terminal.
fn read_token() -> Result<String, CliError> {
    use std::io::IsTerminal;
    let text = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Seam API key or personal access token: ")
            .map_err(|error| CliError::Failed(format!("cannot read the token: {error}")))?
    } else {
        ProcessStdin.read_all()?
    };
    let token = text.trim();
    if token.is_empty() {
        return Err(CliError::Usage(
            "no token on stdin: `seam login < token-file`, or run it in a terminal".into(),
        ));
    }
    Ok(token.to_owned())
}

fn logout(env: &dyn Fn(&str) -> Option<String>) -> Result<Output, CliError> {
    let path = credentials::path(env)?;
    if credentials::remove(&path)? {
        output::note(&format!("Logged out: removed {}.", path.display()));
    } else {
        output::note(&format!("Not logged in: no {}.", path.display()));
    }
    Ok(Output::Nothing)
}

async fn api(
    matches: &ArgMatches,
    flags: &Flags,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Output, CliError> {
    let path = matches.get_one::<String>("path").map(String::as_str).unwrap_or_default();
    let path = if path.starts_with('/') { path.to_owned() } else { format!("/{path}") };
    // `seam api` has no field flags: a body piped to stdin is its body.
    let body = body::given(matches.get_one::<String>("data"), body::ImplicitStdin::Read, &mut ProcessStdin)?;
    let (builder, without_workspace) = credentials::configured(flags, env)?;
    let client = credentials::client(builder, without_workspace)?;
    let seam = client.workspace()?;
    let mut request = seam.post(path);
    if let Some(body) = body {
        request = request.body(Value::Object(body));
    }
    if matches.get_flag("read") {
        request = request.read();
    }
    Ok(Output::Json(request.send().await?))
}

fn completion(matches: &ArgMatches) -> Result<Output, CliError> {
    let Some(shell) = matches.get_one::<Shell>("shell").copied() else {
        return Err(CliError::Usage("no shell given".into()));
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut crate::root(), "seam", &mut script);
    Ok(Output::Text(script))
}
