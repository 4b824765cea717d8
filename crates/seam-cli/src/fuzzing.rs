//! What the fuzz targets in `fuzz/` drive: the command line's parsing, its
//! value parsers, and the assembly of a body from `--data`, stdin and the
//! flags, up to where a command would connect. Not part of any API.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use crate::body::Stdin;
use crate::error::CliError;
use crate::run::Call;

/// Standard input as the fuzz target gives it.
struct Given(Option<String>);

impl Stdin for Given {
    fn piped(&mut self) -> Result<Option<String>, CliError> {
        Ok(self.0.take())
    }

    fn read_all(&mut self) -> Result<String, CliError> {
        Ok(self.0.take().unwrap_or_default())
    }
}

/// Parses `seam <args>` with `stdin` piped, and for an operation reads its
/// body as the command would, stopping where it would connect. `Ok(true)`
/// when the command line was good up to connecting; `Err` holds the one
/// line the command would print. `--data @FILE` is refused without reading
/// a file.
pub fn command_line(args: &[String], stdin: Option<String>) -> Result<bool, String> {
    let matches = crate::root()
        .try_get_matches_from(std::iter::once("seam".to_owned()).chain(args.iter().cloned()))
        .map_err(|error| error.to_string())?;
    let Some((name, sub)) = matches.subcommand() else { return Ok(false) };
    let Some((operation, matches)) = crate::tree::find(crate::generated::RESOURCES, name, sub) else {
        return Ok(false);
    };
    let data = matches.try_get_one::<String>("data").ok().flatten();
    if data.is_some_and(|data| data.starts_with('@') && data != "@-") {
        return Err("the fuzz target reads no files".into());
    }
    let body = crate::tree::from_matches(operation, matches, &mut Given(stdin)).map_err(|e| e.line())?;
    let connected = std::rc::Rc::new(std::cell::Cell::new(false));
    let seen = connected.clone();
    let connect = Box::new(move || {
        seen.set(true);
        Err(CliError::Usage("the fuzz target does not connect".into()))
    });
    let call = (operation.run)(Call { connect, body, all: false });
    // Until it connects, an operation awaits nothing: one poll runs it.
    let mut call = pin!(call);
    match call.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(Err(error)) if !connected.get() => Err(error.line()),
        Poll::Ready(_) => Ok(true),
        Poll::Pending => Err("the operation awaited something before connecting".into()),
    }
}
