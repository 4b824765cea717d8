//! Where a command's credential, workspace and endpoint come from, and the
//! token `seam login` stores.
//!
//! Each setting is taken from the flag, then the environment, then the
//! stored login:
//!
//! | setting | flag | environment | stored |
//! | --- | --- | --- | --- |
//! | token | | `SEAM_CLI_TOKEN`, `SEAM_API_KEY`, `SEAM_PERSONAL_ACCESS_TOKEN` | `token` |
//! | workspace | `--workspace-id` | `SEAM_CLI_WORKSPACE_ID`, `SEAM_WORKSPACE_ID` | `workspace_id` (only with the stored token) |
//! | endpoint | `--endpoint` | `SEAM_CLI_ENDPOINT`, `SEAM_ENDPOINT` | `endpoint` |
//!
//! A token is never printed: not in output, not in an error.

use std::io::Write;
use std::path::{Path, PathBuf};

use seam_api::{CredentialKind, SeamBuilder};
use serde::{Deserialize, Serialize};

use crate::error::CliError;
use crate::run::Client;

/// The environment variables that give a token, first wins.
pub(crate) const TOKEN_VARIABLES: [&str; 3] =
    ["SEAM_CLI_TOKEN", "SEAM_API_KEY", "SEAM_PERSONAL_ACCESS_TOKEN"];
const WORKSPACE_VARIABLES: [&str; 2] = ["SEAM_CLI_WORKSPACE_ID", "SEAM_WORKSPACE_ID"];
const ENDPOINT_VARIABLES: [&str; 2] = ["SEAM_CLI_ENDPOINT", "SEAM_ENDPOINT"];

/// What `seam login` stores (`credentials.toml`, mode 0600).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Stored {
    pub(crate) token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) workspace_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) endpoint: Option<String>,
}

/// The global flags a command was given.
#[derive(Clone, Debug, Default)]
pub(crate) struct Flags {
    pub(crate) endpoint: Option<String>,
    pub(crate) workspace_id: Option<String>,
}

/// One command's settings, resolved.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Settings {
    pub(crate) token: String,
    /// Where the token came from, for errors: a variable's name, or the
    /// stored file.
    pub(crate) token_source: String,
    pub(crate) workspace_id: Option<String>,
    pub(crate) endpoint: Option<String>,
}

/// Reads the environment through `var`, so tests need not touch the
/// process's own.
pub(crate) fn first_set(var: &dyn Fn(&str) -> Option<String>, names: &[&str]) -> Option<(String, String)> {
    names
        .iter()
        .find_map(|name| var(name).filter(|value| !value.is_empty()).map(|value| (value, (*name).to_owned())))
}

/// The settings of one command: flag, then environment, then `stored`.
pub(crate) fn resolve(
    flags: &Flags,
    var: &dyn Fn(&str) -> Option<String>,
    stored: Option<Stored>,
    stored_at: &Path,
) -> Result<Settings, CliError> {
    let env_token = first_set(var, &TOKEN_VARIABLES);
    let (token, token_source, stored_workspace) = match (env_token, stored.as_ref()) {
        (Some((token, name)), _) => (token, name, None),
        (None, Some(stored)) => {
            (stored.token.clone(), stored_at.display().to_string(), stored.workspace_id.clone())
        }
        (None, None) => {
            return Err(CliError::Failed(
                "no credential: run `seam login`, or set SEAM_CLI_TOKEN (or SEAM_API_KEY)".into(),
            ));
        }
    };
    let workspace_id = flags
        .workspace_id
        .clone()
        .or_else(|| first_set(var, &WORKSPACE_VARIABLES).map(|(value, _)| value))
        .or(stored_workspace);
    let endpoint = flags
        .endpoint
        .clone()
        .or_else(|| first_set(var, &ENDPOINT_VARIABLES).map(|(value, _)| value))
        .or_else(|| stored.and_then(|stored| stored.endpoint));
    Ok(Settings { token, token_source, workspace_id, endpoint })
}

/// A client builder for `settings`, and whether it is one without a
/// workspace.
pub(crate) fn builder(settings: &Settings) -> Result<(SeamBuilder, bool), CliError> {
    let mut builder = seam_api::Seam::builder();
    if let Some(endpoint) = &settings.endpoint {
        builder = builder.endpoint(endpoint);
    }
    let token = settings.token.clone();
    let source = &settings.token_source;
    let with_api_key = |kind: &str| {
        CliError::Usage(format!(
            "the token from {source} is {kind}, which belongs to one workspace; --workspace-id is for personal access tokens"
        ))
    };
    let builder = match (CredentialKind::of(&token), settings.workspace_id.clone()) {
        (Some(CredentialKind::ApiKey), None) => (builder.api_key(token), false),
        (Some(CredentialKind::ApiKey), Some(_)) => return Err(with_api_key("an API key")),
        (Some(CredentialKind::ClientSessionToken), None) => (builder.client_session_token(token), false),
        (Some(CredentialKind::ClientSessionToken), Some(_)) => {
            return Err(with_api_key("a client session token"));
        }
        (Some(CredentialKind::PersonalAccessToken), Some(workspace)) => {
            (builder.personal_access_token(token, workspace), false)
        }
        (Some(CredentialKind::PersonalAccessToken), None) => {
            (builder.personal_access_token_without_workspace(token), true)
        }
        (Some(CredentialKind::ConsoleSessionToken), Some(workspace)) => {
            (builder.console_session_token(token, workspace), false)
        }
        (Some(CredentialKind::ConsoleSessionToken), None) => {
            (builder.console_session_token_without_workspace(token), true)
        }
        (Some(CredentialKind::PublishableKey), _) => {
            return Err(CliError::Failed(format!(
                "the token from {source} is a publishable key, which only signs users in; use an API key or personal access token"
            )));
        }
        (Some(_) | None, _) => {
            return Err(CliError::Failed(format!(
                "the token from {source} is not a Seam API key, personal access token or client session token"
            )));
        }
    };
    Ok(builder)
}

/// The builder of a command's client, from the flags, the environment
/// (through `var`) and the stored login; and whether it is one without a
/// workspace.
pub(crate) fn configured(
    flags: &Flags,
    var: &dyn Fn(&str) -> Option<String>,
) -> Result<(SeamBuilder, bool), CliError> {
    let stored_at = path(var)?;
    let settings = resolve(flags, var, load(&stored_at)?, &stored_at)?;
    builder(&settings)
}

/// Builds the client a command calls through.
pub(crate) fn client(builder: SeamBuilder, without_workspace: bool) -> Result<Client, CliError> {
    Ok(if without_workspace {
        Client::WithoutWorkspace(builder.build_without_workspace()?)
    } else {
        Client::Workspace(builder.build()?)
    })
}

/// `$XDG_CONFIG_HOME/seam/credentials.toml`, else
/// `~/.config/seam/credentials.toml`.
pub(crate) fn path(var: &dyn Fn(&str) -> Option<String>) -> Result<PathBuf, CliError> {
    let config = var("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .or_else(|| {
            var("HOME").filter(|home| !home.is_empty()).map(|home| PathBuf::from(home).join(".config"))
        })
        .ok_or_else(|| {
            CliError::Failed("neither XDG_CONFIG_HOME nor HOME is set: nowhere to store a login".into())
        })?;
    Ok(config.join("seam").join("credentials.toml"))
}

/// The stored login, if there is one.
pub(crate) fn load(path: &Path) -> Result<Option<Stored>, CliError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(CliError::Failed(format!("cannot read {}: {error}", path.display()))),
    };
    warn_if_readable_by_others(path);
    // toml's error would quote the line, and the line may be the token.
    toml::from_str(&text).map(Some).map_err(|_| {
        CliError::Failed(format!(
            "{} is not a login this version can read; run `seam login` again",
            path.display()
        ))
    })
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(metadata) = std::fs::metadata(path)
        && metadata.permissions().mode() & 0o077 != 0
    {
        crate::output::note(&format!(
            "warning: {} is readable by other users; run `chmod 600 {}`",
            path.display(),
            path.display()
        ));
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_: &Path) {}

/// Writes `stored` to `path`, readable by its owner only: to a file of
/// mode 0600 beside it, then renamed over it.
pub(crate) fn store(path: &Path, stored: &Stored) -> Result<(), CliError> {
    let failed = |what: &str, error: std::io::Error| {
        CliError::Failed(format!("cannot {what} {}: {error}", path.display()))
    };
    let dir =
        path.parent().ok_or_else(|| CliError::Failed(format!("{} has no directory", path.display())))?;
    create_private_dir(dir).map_err(|e| failed("create the directory of", e))?;
    let text =
        toml::to_string(stored).map_err(|e| CliError::Failed(format!("cannot write the login: {e}")))?;
    let temporary = path.with_extension("toml.new");
    let mut file = private_file(&temporary).map_err(|e| failed("write", e))?;
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(|e| failed("write", e))?;
    std::fs::rename(&temporary, path).map_err(|e| failed("write", e))
}

/// Removes the stored login; whether there was one.
pub(crate) fn remove(path: &Path) -> Result<bool, CliError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(CliError::Failed(format!("cannot remove {}: {error}", path.display()))),
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    // A file left from an earlier attempt keeps its mode: set it.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::create(path)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> =
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        move |name| map.get(name).cloned()
    }

    fn stored() -> Stored {
        Stored {
            token: "seam_at_stored".into(),
            workspace_id: Some("stored_ws".into()),
            endpoint: Some("http://127.0.0.1:1".into()),
        }
    }

    #[test]
    fn a_flag_beats_the_environment_which_beats_the_stored_login() {
        let at = Path::new("/c/seam/credentials.toml");
        let flags = Flags { endpoint: Some("http://flag".into()), workspace_id: Some("flag_ws".into()) };
        let var = env(&[("SEAM_CLI_WORKSPACE_ID", "env_ws"), ("SEAM_ENDPOINT", "http://env")]);
        let settings = resolve(&flags, &var, Some(stored()), at).unwrap();
        assert_eq!(settings.token, "seam_at_stored");
        assert_eq!(settings.workspace_id.as_deref(), Some("flag_ws"));
        assert_eq!(settings.endpoint.as_deref(), Some("http://flag"));

        let settings = resolve(&Flags::default(), &var, Some(stored()), at).unwrap();
        assert_eq!(settings.workspace_id.as_deref(), Some("env_ws"));
        assert_eq!(settings.endpoint.as_deref(), Some("http://env"));

        let settings = resolve(&Flags::default(), &env(&[]), Some(stored()), at).unwrap();
        assert_eq!(
            settings,
            Settings {
                token: "seam_at_stored".into(),
                token_source: at.display().to_string(),
                workspace_id: Some("stored_ws".into()),
                endpoint: Some("http://127.0.0.1:1".into()),
            }
        );
    }

    #[test]
    fn a_token_from_the_environment_does_not_take_the_stored_workspace() {
        let var = env(&[("SEAM_API_KEY", "seam_key"), ("SEAM_CLI_TOKEN", "seam_cli")]);
        let settings = resolve(&Flags::default(), &var, Some(stored()), Path::new("x")).unwrap();
        assert_eq!(settings.token, "seam_cli");
        assert_eq!(settings.token_source, "SEAM_CLI_TOKEN");
        assert_eq!(settings.workspace_id, None);
        // The stored endpoint still applies: it says where, not who.
        assert_eq!(settings.endpoint.as_deref(), Some("http://127.0.0.1:1"));
    }

    #[test]
    fn no_credential_anywhere_says_how_to_give_one() {
        let error =
            resolve(&Flags::default(), &env(&[("SEAM_API_KEY", "")]), None, Path::new("x")).unwrap_err();
        assert!(error.to_string().contains("seam login"), "{error}");
    }

    #[test]
    fn an_api_key_with_a_workspace_id_is_a_usage_error_that_never_shows_the_key() {
        let settings = Settings {
            token: "seam_secretkey".into(),
            token_source: "SEAM_API_KEY".into(),
            workspace_id: Some("ws".into()),
            endpoint: None,
        };
        let error = builder(&settings).map(|_| ()).expect_err("an error");
        assert_eq!(error.exit_code(), 2);
        assert!(!error.line().contains("secretkey"), "{}", error.line());
        let settings = Settings { token: "not-a-seam-token".into(), workspace_id: None, ..settings };
        let error = builder(&settings).map(|_| ()).expect_err("an error");
        assert!(!error.line().contains("not-a-seam-token"), "{}", error.line());
    }

    #[test]
    fn the_store_is_readable_by_its_owner_only_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = path(&env(&[("XDG_CONFIG_HOME", dir.path().to_str().unwrap())])).unwrap();
        assert_eq!(path, dir.path().join("seam/credentials.toml"));
        store(&path, &stored()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(load(&path).unwrap(), Some(stored()));
        assert!(remove(&path).unwrap());
        assert!(!remove(&path).unwrap());
        assert_eq!(load(&path).unwrap(), None);
    }

    #[test]
    fn a_damaged_store_is_an_error_that_does_not_quote_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.toml");
        std::fs::write(&path, "token = seam_secret_unquoted\n").unwrap();
        let error = load(&path).unwrap_err();
        assert!(!error.to_string().contains("seam_secret"), "{error}");
    }
}
