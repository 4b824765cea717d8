//! What can end a command, its exit code, and the one line it prints.

/// Why a command did not succeed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    /// The command line or its body is wrong (exit 2), as clap's own
    /// usage errors are.
    #[error("{0}")]
    Usage(String),
    /// The library returned an error: Seam's answer, the transport, an
    /// action attempt that failed or timed out (exit 1).
    /// Its line is the library's `Display`: for Seam's own answers the
    /// status, Seam's error type, its message and the `seam-request-id`,
    /// in that order, as an application that prints the error shows it.
    #[error("{0}")]
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

#[cfg(test)]
mod tests {
    use seam_api::{ApiError, StatusCode};

    use super::*;

    #[test]
    fn the_cli_and_the_library_say_an_error_alike() {
        let error = || seam_api::Error::Api {
            status: StatusCode::NOT_FOUND,
            request_id: Some("request25".into()),
            retry_after: None,
            error: Box::new(ApiError::new("device_not_found", "Device not found")),
        };
        let library = error().to_string();
        let cli = CliError::from(error()).line();
        assert_eq!(cli, format!("error: {library}"));
        insta::assert_snapshot!(cli, @"error: 404 Not Found device_not_found: Device not found (seam-request-id: request25)");
    }
}
