//! Waiting for action attempts.
//!
//! Operations that act on a device (unlock, set a thermostat, encode a
//! card) answer at once with an action attempt that is still `pending`;
//! the device acts later. As Seam's official SDKs do, `send()` then polls
//! `/action_attempts/get` until the attempt succeeds or fails, or a time
//! budget runs out, unless told not to wait.

use std::time::Duration;

use crate::error::ConfigError;

/// How long `send()` waits for an action attempt unless told otherwise:
/// Seam's JavaScript SDK's default.
pub const DEFAULT_ACTION_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// How often `send()` reads an action attempt back while it waits, unless
/// told otherwise: Seam's JavaScript SDK's default.
pub const DEFAULT_ACTION_ATTEMPT_POLLING_INTERVAL: Duration = Duration::from_secs(1);

/// Whether and how to wait for action attempts, as set on the client or on
/// one request; a value left unset falls back to the client's, then to the
/// defaults.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct WaitSettings {
    pub(crate) wait: Option<bool>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) polling_interval: Option<Duration>,
}

/// A checked polling plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Polling {
    pub(crate) timeout: Duration,
    pub(crate) interval: Duration,
}

impl WaitSettings {
    /// These settings over `fallback`'s: the plan to follow, or `None` for
    /// not waiting. A zero timeout or interval, or an interval longer than
    /// the timeout, is an error rather than a busy loop or a wait that
    /// never polls.
    pub(crate) fn over(self, fallback: WaitSettings) -> Result<Option<Polling>, ConfigError> {
        if !self.wait.or(fallback.wait).unwrap_or(true) {
            return Ok(None);
        }
        let timeout = self.timeout.or(fallback.timeout).unwrap_or(DEFAULT_ACTION_ATTEMPT_TIMEOUT);
        let interval = self
            .polling_interval
            .or(fallback.polling_interval)
            .unwrap_or(DEFAULT_ACTION_ATTEMPT_POLLING_INTERVAL);
        if timeout.is_zero() || interval.is_zero() || interval > timeout {
            return Err(ConfigError::InvalidActionAttemptPolling { timeout, interval });
        }
        Ok(Some(Polling { timeout, interval }))
    }
}

#[cfg(feature = "action_attempts")]
mod polling {
    use seam_types::{ActionAttempt, ActionAttemptStatus};
    use tokio::time::Instant;

    use super::Polling;
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
                error
                    .as_ref()
                    .and_then(|e| e.get(key))
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
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
        pub(crate) fn action_attempt_polling(&self, call: super::WaitSettings) -> Result<Option<Polling>> {
            Ok(call.over(self.action_attempts)?)
        }

        /// Follows `attempt` until it succeeds or fails, or `polling`'s
        /// budget runs out; with no plan, returns it as it is. Each read is
        /// retried as any read is.
        pub(crate) async fn wait_for_action_attempt(
            &self,
            attempt: ActionAttempt,
            polling: Option<Polling>,
        ) -> Result<ActionAttempt> {
            let Some(polling) = polling else { return Ok(attempt) };
            let span = tracing::debug_span!(
                target: TARGET,
                "wait_for_action_attempt",
                seam.action_attempt_id = attempt.action_attempt_id(),
                seam.action_type = attempt.action_type(),
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
                tokio::time::sleep(interval.min(remaining)).await;
                let remaining = timeout.saturating_sub(started.elapsed());
                let body = body
                    .get_or_insert_with(|| ActionAttemptsGetBody { action_attempt_id: progress.id.clone() });
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_settings_override_the_client_and_bad_plans_are_errors() {
        let client = WaitSettings::default();
        assert_eq!(
            WaitSettings::default().over(client).unwrap(),
            Some(Polling {
                timeout: DEFAULT_ACTION_ATTEMPT_TIMEOUT,
                interval: DEFAULT_ACTION_ATTEMPT_POLLING_INTERVAL
            })
        );
        let no_wait = WaitSettings { wait: Some(false), ..WaitSettings::default() };
        assert_eq!(WaitSettings::default().over(no_wait).unwrap(), None);
        let call = WaitSettings {
            wait: Some(true),
            timeout: Some(Duration::from_secs(3)),
            ..WaitSettings::default()
        };
        assert_eq!(
            call.over(no_wait).unwrap(),
            Some(Polling {
                timeout: Duration::from_secs(3),
                interval: DEFAULT_ACTION_ATTEMPT_POLLING_INTERVAL
            })
        );
        for (timeout, interval) in [(0, 1), (1000, 0), (100, 200)] {
            let bad = WaitSettings {
                wait: None,
                timeout: Some(Duration::from_millis(timeout)),
                polling_interval: Some(Duration::from_millis(interval)),
            };
            let error = bad.over(client).unwrap_err();
            assert!(matches!(error, ConfigError::InvalidActionAttemptPolling { .. }), "{error}");
        }
    }
}
