//! What can end a command, its exit code, and the one line it prints.

use std::fmt;

/// Why a command did not succeed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    /// The command line or its body is wrong (exit 2), as clap's own
    /// usage errors are.
    #[error("{0}")]
    Usage(String),
    /// The library returned an error: Seam's answer, the transport, an
    /// action attempt that failed or timed out (exit 1).
    #[error("{}", ApiLine(.0))]
    Api(#[from] seam_api::Error),
    /// Anything else that stopped the command: credentials, files (exit 1).
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    /// The process's exit code: 2 for a usage error, 1 for the rest.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Api(_) | CliError::Failed(_) => 1,
        }
    }

    /// The single line printed on stderr.
    pub(crate) fn line(&self) -> String {
        let text = self.to_string();
        let text: Vec<&str> = text.split_whitespace().collect();
        let mut line = format!("error: {}", text.join(" "));
        if let CliError::Usage(_) = self {
            line.push_str(" (see --help)");
        }
        line
    }
}

/// A library error as one line: for Seam's own answers the status, Seam's
/// error type, its message and the `seam-request-id`, in that order.
struct ApiLine<'a>(&'a seam_api::Error);

impl fmt::Display for ApiLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let error = self.0;
        match (error.status(), error.api_error()) {
            (Some(status), Some(api)) => {
                write!(f, "{status} {}: {}", api.error_type, api.message)?;
                if let Some(id) = error.request_id() {
                    write!(f, " (seam-request-id: {id})")?;
                }
                Ok(())
            }
            _ => write!(f, "{error}"),
        }
    }
}
