//! Printing: stdout holds only the JSON result (pretty on a terminal,
//! compact otherwise); notes and errors go to stderr. A closed pipe
//! (`seam devices list | head -1`) ends the command quietly.

use std::io::{self, IsTerminal, Write};

use serde_json::Value;

use crate::run::Output;

/// Why printing stopped.
#[derive(Debug)]
pub(crate) enum PrintError {
    /// The reader went away: not an error for a command line.
    ClosedPipe,
    Io(io::Error),
}

impl From<io::Error> for PrintError {
    fn from(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::BrokenPipe { PrintError::ClosedPipe } else { PrintError::Io(error) }
    }
}

/// Prints `output`: its JSON on stdout, a page's next cursor on stderr.
pub(crate) fn print(output: &Output) -> Result<(), PrintError> {
    match output {
        Output::Nothing => Ok(()),
        Output::Json(value) => print_json(value),
        Output::Text(text) => {
            let mut out = io::stdout().lock();
            out.write_all(text)?;
            out.flush()?;
            Ok(())
        }
        Output::Page { items, next_page_cursor } => {
            print_json(items)?;
            if let Some(cursor) = next_page_cursor {
                note(&format!("next page: --page-cursor {cursor} (or --all for every page)"));
            }
            Ok(())
        }
    }
}

/// Prints one JSON value and a newline on stdout.
pub(crate) fn print_json(value: &Value) -> Result<(), PrintError> {
    let stdout = io::stdout();
    let pretty = stdout.is_terminal();
    let mut out = io::BufWriter::new(stdout.lock());
    write_json(&mut out, value, pretty)?;
    out.flush()?;
    Ok(())
}

/// Prints one JSON value as one line on stdout, flushed at once, for a
/// stream read line by line (`seam events listen | jq`).
pub(crate) fn json_line(value: &Value) -> Result<(), PrintError> {
    let mut out = io::stdout().lock();
    write_json(&mut out, value, false)?;
    out.flush()?;
    Ok(())
}

/// Writes `value` and a newline: indented when `pretty`.
pub(crate) fn write_json(out: &mut impl Write, value: &Value, pretty: bool) -> io::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut *out, value)?;
    } else {
        serde_json::to_writer(&mut *out, value)?;
    }
    out.write_all(b"\n")
}

/// A line on stderr for the person at the terminal; never fails the
/// command.
pub(crate) fn note(line: &str) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_pipe_is_told_apart_from_other_write_errors() {
        let closed = PrintError::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(matches!(closed, PrintError::ClosedPipe));
        let full = PrintError::from(io::Error::from(io::ErrorKind::StorageFull));
        assert!(matches!(full, PrintError::Io(_)));
    }

    #[test]
    fn json_is_compact_for_scripts_and_indented_for_people() {
        let value = serde_json::json!({"a": [1, 2]});
        let mut compact = Vec::new();
        write_json(&mut compact, &value, false).unwrap();
        assert_eq!(compact, b"{\"a\":[1,2]}\n");
        let mut pretty = Vec::new();
        write_json(&mut pretty, &value, true).unwrap();
        assert_eq!(String::from_utf8(pretty).unwrap(), "{\n  \"a\": [\n    1,\n    2\n  ]\n}\n");
    }
}
