//! Starting Seam's fake (`serve.mjs` beside this file) and reading its
//! ready line: shared by seam-api's end-to-end tests and bench, seam-cli's
//! end-to-end tests and `cargo xtask cli-cost`, each of which includes this
//! file with `#[path]`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A started fake. It stops by itself once its standard input closes
/// (when `child` is dropped, or its starter's process ends).
pub struct Launched {
    pub child: Child,
    /// The ready line: `endpoint`, and the ids serve.mjs added to the seed.
    pub ready: serde_json::Value,
}

/// Whether `npm ci` installed the fake in `dir`.
pub fn is_installed(dir: &Path) -> bool {
    dir.join("node_modules/@seamapi/fake-seam-connect").is_dir()
}

/// Runs `serve.mjs` in `dir` with `node` (node itself, or a command that
/// runs it, such as `taskset`) and waits at most `timeout` for its ready
/// line; the fake's output is drained after, so it never blocks on a full
/// pipe.
pub fn launch(mut node: Command, dir: &Path, timeout: Duration) -> Result<Launched, String> {
    let mut child = node
        .arg("serve.mjs")
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| format!("cannot start node: {error}"))?;
    let Some(stdout) = child.stdout.take() else {
        return Err("the fake's stdout is not piped".into());
    };
    let (ready_tx, ready_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut ready_tx = Some(ready_tx);
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let (Some(json), Some(tx)) = (line.strip_prefix("FAKE_SEAM_READY "), ready_tx.take()) {
                let _ = tx.send(json.to_owned());
            }
        }
    });
    let stop = |mut child: Child, why: String| {
        let _ = child.kill();
        let _ = child.wait();
        Err(why)
    };
    let ready = match ready_rx.recv_timeout(timeout) {
        Ok(ready) => ready,
        Err(_) => return stop(child, format!("the fake did not start within {timeout:?}")),
    };
    match serde_json::from_str(&ready) {
        Ok(ready) => Ok(Launched { child, ready }),
        Err(error) => stop(child, format!("the fake's ready line is not JSON: {error}")),
    }
}
