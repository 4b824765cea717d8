//! Running one operation: finding it in the tree from the parsed command
//! line, and what its generated function gets and returns.

use std::future::Future;
use std::pin::Pin;

use seam_api::{Pagination, Seam, SeamWithoutWorkspace};
use serde::Serialize;
use serde_json::Value;

use crate::body::Body;
use crate::error::CliError;

/// What an operation's generated function returns.
pub(crate) type Pending = Pin<Box<dyn Future<Output = Result<Output, CliError>>>>;

/// Makes the client, once the body has been read and checked.
pub(crate) type Connect = Box<dyn FnOnce() -> Result<Client, CliError>>;

/// What an operation's generated function gets.
pub(crate) struct Call {
    pub(crate) connect: Connect,
    pub(crate) body: Body,
    /// `--all`: follow every page.
    pub(crate) all: bool,
}

/// The client a command calls through.
pub(crate) enum Client {
    /// A credential with a workspace: every operation.
    Workspace(Seam),
    /// A personal access token or console session token without a
    /// workspace id: only the operations that need none.
    WithoutWorkspace(SeamWithoutWorkspace),
}

impl Client {
    /// The workspace client, or why this credential has none.
    pub(crate) fn workspace(&self) -> Result<&Seam, CliError> {
        match self {
            Client::Workspace(seam) => Ok(seam),
            Client::WithoutWorkspace(_) => Err(CliError::Usage(
                "this command needs a workspace: pass --workspace-id, set SEAM_CLI_WORKSPACE_ID, or log in with one"
                    .into(),
            )),
        }
    }
}

/// What a command prints.
#[derive(Debug, PartialEq)]
pub(crate) enum Output {
    /// Nothing (the operation returns nothing).
    Nothing,
    /// This JSON, on stdout.
    Json(Value),
    /// One page: its items on stdout, and the next page's cursor on
    /// stderr.
    Page { items: Value, next_page_cursor: Option<String> },
    /// This text, on stdout as it is (a completion script).
    Text(Vec<u8>),
}

impl Output {
    /// What `send()` returned, as JSON.
    pub(crate) fn json<T: Serialize>(value: &T) -> Result<Output, CliError> {
        to_json(value).map(Output::Json)
    }

    /// One page of a list, and its pagination if it came with one.
    pub(crate) fn page<T: Serialize>(
        items: &[T],
        pagination: Option<&Pagination>,
    ) -> Result<Output, CliError> {
        let next_page_cursor = pagination
            .filter(|pagination| pagination.has_next_page)
            .and_then(|pagination| pagination.next_page_cursor.clone());
        Ok(Output::Page { items: to_json(&items)?, next_page_cursor })
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<Value, CliError> {
    serde_json::to_value(value)
        .map_err(|error| CliError::Failed(format!("cannot write the response as JSON: {error}")))
}
