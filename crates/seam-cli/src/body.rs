//! A request body as the command line gives it: `--data` (or stdin) with
//! the flags on top, then read field by field into the facade's types.

use std::io::Read;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::CliError;

/// The body of one call, whose fields the generated code takes one by one.
pub(crate) struct Body {
    fields: Map<String, Value>,
    /// The operation's path, for messages.
    path: &'static str,
}

impl Body {
    pub(crate) fn new(fields: Map<String, Value>, path: &'static str) -> Self {
        Self { fields, path }
    }

    /// Takes a field the operation requires, read as `T`.
    pub(crate) fn required<T: DeserializeOwned>(&mut self, name: &str) -> Result<T, CliError> {
        match self.optional(name)? {
            Some(value) => Ok(value),
            None => Err(CliError::Usage(format!("missing required {}", self.describe(name)))),
        }
    }

    /// Takes a field if it is set (a `null` counts as unset), read as `T`.
    pub(crate) fn optional<T: DeserializeOwned>(&mut self, name: &str) -> Result<Option<T>, CliError> {
        match self.fields.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => serde_json::from_value(value)
                .map(Some)
                .map_err(|error| CliError::Usage(format!("invalid {}: {error}", self.describe(name)))),
        }
    }

    /// Fails if a field is left that the operation does not have: this
    /// version cannot send it (`seam api` sends any body).
    pub(crate) fn finish(self) -> Result<(), CliError> {
        match self.fields.keys().next() {
            None => Ok(()),
            Some(name) => Err(CliError::Usage(format!(
                "unknown field `{name}` in the body of `{}`; `seam api {} --data …` sends any body",
                self.path, self.path
            ))),
        }
    }

    fn describe(&self, name: &str) -> String {
        format!("`{}` (`{name}` in --data)", flag(name))
    }
}

/// The error for a body of `path` that sets none of `names`, of which the
/// operation needs one.
pub(crate) fn missing_one_of(path: &str, names: &[&str]) -> CliError {
    CliError::Usage(format!("`{path}` needs one of {}", flags(names)))
}

/// The flag of the body field `name`: `device_id` → `--device-id`.
pub(crate) fn flag(name: &str) -> String {
    format!("--{}", name.replace('_', "-"))
}

/// The flags of the body fields `names`, comma-separated.
pub(crate) fn flags(names: &[&str]) -> String {
    names.iter().map(|name| flag(name)).collect::<Vec<_>>().join(", ")
}

/// Where a body may come from besides the flags.
pub(crate) trait Stdin {
    /// The whole of standard input, if it is a pipe or a file (never a
    /// terminal, and never a device such as `/dev/null`).
    fn piped(&mut self) -> Result<Option<String>, CliError>;
    /// The whole of standard input, whatever it is (`--data @-`).
    fn read_all(&mut self) -> Result<String, CliError>;
}

/// The process's own standard input.
pub(crate) struct ProcessStdin;

impl Stdin for ProcessStdin {
    fn piped(&mut self) -> Result<Option<String>, CliError> {
        use std::io::IsTerminal;
        let stdin = std::io::stdin();
        if stdin.is_terminal() || !is_pipe_or_file() {
            return Ok(None);
        }
        self.read_all().map(Some)
    }

    fn read_all(&mut self) -> Result<String, CliError> {
        let mut text = String::new();
        std::io::stdin()
            .lock()
            .read_to_string(&mut text)
            .map_err(|e| CliError::Failed(format!("cannot read stdin: {e}")))?;
        Ok(text)
    }
}

#[cfg(unix)]
fn is_pipe_or_file() -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata("/dev/stdin").is_ok_and(|m| m.file_type().is_fifo() || m.file_type().is_file())
}

#[cfg(not(unix))]
fn is_pipe_or_file() -> bool {
    true
}

/// Whether a command may read a body from stdin that `--data @-` did not
/// ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ImplicitStdin {
    /// The command line gives no body field: a body piped to stdin is the
    /// body (`echo '{…}' | seam locks unlock-door`).
    Read,
    /// The command line gives a body field as a flag: stdin is left alone,
    /// so that a command in a shell loop (`while read …; do seam …; done <
    /// file`) never takes the loop's input, as `ssh -n` would not.
    Leave,
}

/// The body given besides the flags: `--data` (JSON, `@FILE` or `@-`),
/// else, when `implicit` allows it, a body piped to stdin; `None` when
/// neither gives one (an empty stdin, as under cron or CI with `<
/// /dev/null`, is no body).
pub(crate) fn given(
    data: Option<&String>,
    implicit: ImplicitStdin,
    stdin: &mut dyn Stdin,
) -> Result<Option<Map<String, Value>>, CliError> {
    match data {
        Some(data) if data == "@-" => parse_object(&stdin.read_all()?, Source::DataStdin).map(Some),
        Some(data) => parse_object(&read_data(data)?, Source::Data).map(Some),
        None if implicit == ImplicitStdin::Leave => Ok(None),
        None => match stdin.piped()? {
            Some(text) if !text.trim().is_empty() => parse_object(&text, Source::Stdin).map(Some),
            _ => Ok(None),
        },
    }
}

/// The text `--data` names: itself, or a file (`@FILE`).
fn read_data(data: &str) -> Result<String, CliError> {
    match data.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|error| CliError::Usage(format!("cannot read --data file `{path}`: {error}"))),
        None => Ok(data.to_owned()),
    }
}

/// Where a body's text came from, for its errors.
#[derive(Clone, Copy)]
enum Source {
    Data,
    DataStdin,
    Stdin,
}

impl Source {
    fn describe(self) -> &'static str {
        match self {
            Source::Data => "--data",
            Source::DataStdin => "stdin (--data @-)",
            Source::Stdin => "the body on stdin",
        }
    }

    /// What to do about a body on stdin that is not one.
    fn hint(self) -> &'static str {
        match self {
            Source::Data | Source::DataStdin => "",
            Source::Stdin => {
                "; stdin is read as the body only with --data @-, or when no body field is given as a \
                 flag: give the fields as flags, or run the command with < /dev/null to leave stdin alone"
            }
        }
    }
}

/// A body given as text, which must be a JSON object.
fn parse_object(text: &str, source: Source) -> Result<Map<String, Value>, CliError> {
    let (what, hint) = (source.describe(), source.hint());
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(CliError::Usage(format!("{what} is not a JSON object{hint}"))),
        Err(error) => Err(CliError::Usage(format!("{what} is not JSON: {error}{hint}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Standard input holding `text`, which records whether it was read.
    struct Piped {
        text: &'static str,
        read: bool,
    }

    impl Stdin for Piped {
        fn piped(&mut self) -> Result<Option<String>, CliError> {
            self.read_all().map(Some)
        }

        fn read_all(&mut self) -> Result<String, CliError> {
            self.read = true;
            Ok(self.text.to_owned())
        }
    }

    fn piped(text: &'static str) -> Piped {
        Piped { text, read: false }
    }

    #[test]
    fn a_field_flag_leaves_stdin_unread_unless_data_asks_for_it() {
        let mut stdin = piped("row 2\nrow 3\n");
        assert_eq!(given(None, ImplicitStdin::Leave, &mut stdin).unwrap(), None);
        assert!(!stdin.read, "a shell loop's next rows were taken");

        let mut stdin = piped(r#"{"device_id": "d1"}"#);
        let data = "@-".to_owned();
        let body = given(Some(&data), ImplicitStdin::Leave, &mut stdin).unwrap().unwrap();
        assert_eq!(body["device_id"], "d1");
    }

    #[test]
    fn without_field_flags_a_piped_body_is_the_body() {
        let mut stdin = piped(r#"{"device_id": "d1"}"#);
        let body = given(None, ImplicitStdin::Read, &mut stdin).unwrap().unwrap();
        assert_eq!(body["device_id"], "d1");
        // An empty stdin (`< /dev/null`, cron) is no body.
        assert_eq!(given(None, ImplicitStdin::Read, &mut piped(" \n")).unwrap(), None);
    }

    #[test]
    fn a_piped_body_that_is_no_json_names_the_ways_out() {
        let error =
            given(None, ImplicitStdin::Read, &mut piped("front-door,1234\n")).unwrap_err().to_string();
        assert!(error.starts_with("the body on stdin is not JSON"), "{error}");
        assert!(error.contains("--data @-") && error.contains("< /dev/null"), "{error}");
        let data = "@-".to_owned();
        let error = given(Some(&data), ImplicitStdin::Leave, &mut piped("[1]")).unwrap_err().to_string();
        assert_eq!(error, "stdin (--data @-) is not a JSON object");
    }
}
