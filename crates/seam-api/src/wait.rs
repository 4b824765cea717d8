//! The waiting itself: polling `/action_attempts/get` until an attempt
//! succeeds, fails or runs out of time, as `action_attempt`'s settings say.
//! A file of its own because it calls through the client, which holds those
//! settings.

use seam_types::{ActionAttempt, ActionAttemptStatus};
use tokio::time::Instant;

use crate::action_attempt::{Polling, WaitSettings};
use crate::client::Seam;
use crate::error::{Error, Result};
use crate::retry::Access;
use tracing::Instrument;
use tracing::field::Empty;

use crate::trace::{self, Operation, TARGET, millis};
use crate::wire::ActionAttemptsGetBody;

/// What waiting needs to know of an attempt, whatever its action type,
/// including one newer than this crate or one kept as JSON: the union's
/// accessors read each alike.
struct Progress {
    id: String,
    status: ActionAttemptStatus,
    error_type: String,
    message: String,
}

impl Progress {
    fn of(attempt: &ActionAttempt) -> Self {
        // Each action type types its error differently; all of them
        // carry `type` and `message`.
        let error = attempt.error();
        let text = |key: &str| {
            error.as_ref().and_then(|e| e.get(key)).and_then(|v| v.as_str()).unwrap_or_default().to_owned()
        };
        Self {
            id: attempt.action_attempt_id().to_owned(),
            status: attempt.status(),
            error_type: text("type"),
            message: text("message"),
        }
    }
}

impl Seam {
    /// How one call waits for its action attempt: its own settings
    /// over the client's. Checked before the call is sent, so a bad
    /// plan never leaves an action started and unwatched.
    pub(crate) fn action_attempt_polling(&self, call: WaitSettings) -> Result<Option<Polling>> {
        Ok(call.over(self.action_attempts)?)
    }

    /// Follows `attempt` until it succeeds or fails, or `polling`'s
    /// budget runs out; with no plan, returns it as it is. Each read is
    /// retried as any read is.
    /// `device` is the device the request named, for the span (see
    /// [`trace::wait_device`]).
    pub(crate) async fn wait_for_action_attempt(
        &self,
        attempt: ActionAttempt,
        polling: Option<Polling>,
        device: Option<String>,
    ) -> Result<ActionAttempt> {
        let Some(polling) = polling else { return Ok(attempt) };
        let span = tracing::debug_span!(
            target: TARGET,
            "wait_for_action_attempt",
            seam.action_attempt_id = attempt.action_attempt_id(),
            seam.action_type = attempt.action_type(),
            seam.device_id = device.as_deref(),
            seam.timeout_ms = millis(polling.timeout),
            seam.interval_ms = millis(polling.interval),
            seam.polls = Empty,
            seam.status = Empty,
            error.type = Empty,
        );
        let mut polls = 0;
        let outcome = self.poll(attempt, polling, &mut polls).instrument(span.clone()).await;
        if !span.is_disabled() {
            span.record("seam.polls", polls);
            match &outcome {
                Ok(attempt) => span.record("seam.status", attempt.status().as_str()),
                Err(error) => span.record("error.type", trace::error_type(error)),
            };
        }
        outcome
    }

    async fn poll(
        &self,
        mut attempt: ActionAttempt,
        polling: Polling,
        polls: &mut u32,
    ) -> Result<ActionAttempt> {
        let Polling { timeout, interval } = polling;
        let started = Instant::now();
        let mut body: Option<ActionAttemptsGetBody> = None;
        loop {
            let progress = Progress::of(&attempt);
            match progress.status {
                ActionAttemptStatus::Success => return Ok(attempt),
                ActionAttemptStatus::Error => {
                    return Err(Error::ActionAttemptFailed {
                        action_attempt_id: progress.id,
                        action_type: attempt.action_type().to_owned(),
                        error_type: progress.error_type,
                        message: progress.message,
                        attempt: Box::new(attempt),
                    });
                }
                // `pending`, and any status newer than this crate: keep
                // reading until the budget is spent, as the JavaScript
                // SDK does.
                _ => {}
            }
            let timed_out =
                |attempt: ActionAttempt, status: ActionAttemptStatus| Error::ActionAttemptTimeout {
                    action_attempt_id: progress.id.clone(),
                    action_type: attempt.action_type().to_owned(),
                    status: status.as_str().to_owned(),
                    waited: started.elapsed(),
                    attempt: Box::new(attempt),
                };
            let remaining = timeout.saturating_sub(started.elapsed());
            if remaining.is_zero() {
                return Err(timed_out(attempt, progress.status));
            }
            tokio::time::sleep(crate::action_attempt::delay_before_read(*polls, interval).min(remaining))
                .await;
            let remaining = timeout.saturating_sub(started.elapsed());
            let body =
                body.get_or_insert_with(|| ActionAttemptsGetBody { action_attempt_id: progress.id.clone() });
            let operation = Operation { name: "action_attempts.get", path: "/action_attempts/get" };
            let read = self.call(operation, Access::Read, |api| api.action_attempts_get(body));
            *polls += 1;
            attempt = match tokio::time::timeout(remaining, read).await {
                Ok(response) => response?.into_body().action_attempt,
                // The budget ran out during the read: report the last
                // attempt seen.
                Err(_) => return Err(timed_out(attempt, progress.status)),
            };
            tracing::debug!(target: TARGET, { seam.status = attempt.status().as_str() }, "action attempt read");
        }
    }
}
