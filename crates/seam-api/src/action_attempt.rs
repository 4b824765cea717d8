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
/// told otherwise: Seam's JavaScript SDK's default. The first reads come
/// sooner: 0.25 s after the action, then 0.5 s after that, then at this
/// interval (never later than it, and never sooner than a shorter one).
pub const DEFAULT_ACTION_ATTEMPT_POLLING_INTERVAL: Duration = Duration::from_secs(1);

/// How soon `send()` first reads an action attempt back: a quarter of a
/// second, doubling before each read until it reaches the polling
/// interval. Many attempts finish within moments (Seam's fake finishes
/// them at once, and so do cloud-connected locks that answer quickly), and
/// a wait of a full interval before the first read made every such call
/// take a second; a slow device costs two extra reads (at 0.25 s and
/// 0.75 s) before the reads settle at the interval.
#[cfg(feature = "action_attempts")]
pub(crate) const FIRST_ACTION_ATTEMPT_READ: Duration = Duration::from_millis(250);

/// How long to wait before the read after `reads` reads: from
/// [`FIRST_ACTION_ATTEMPT_READ`], doubling, up to `interval`.
#[cfg(feature = "action_attempts")]
pub(crate) fn delay_before_read(reads: u32, interval: Duration) -> Duration {
    let doubled = FIRST_ACTION_ATTEMPT_READ.saturating_mul(1u32.checked_shl(reads).unwrap_or(u32::MAX));
    doubled.min(interval)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "action_attempts")]
    fn the_first_reads_come_soon_then_settle_at_the_interval() {
        let second = Duration::from_secs(1);
        let delays: Vec<u128> = (0..5).map(|reads| delay_before_read(reads, second).as_millis()).collect();
        assert_eq!(delays, [250, 500, 1000, 1000, 1000]);
        // A shorter interval than the first read is kept.
        assert_eq!(delay_before_read(0, Duration::from_millis(20)), Duration::from_millis(20));
        // No overflow, however many reads.
        assert_eq!(delay_before_read(u32::MAX, second), second);
    }

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
