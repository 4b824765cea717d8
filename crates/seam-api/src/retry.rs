//! When a failed call is sent again, and how long to wait first.
//!
//! Reads (get, list) are retried on connection failures, 429 and 5xx, even
//! though Seam sends them as POST. Writes are retried only when the request
//! cannot have reached the server (the connection was never established):
//! resending a create after a reset could create twice. Timeouts are not
//! retried: the caller's time budget is spent.

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use crate::error::Error;

/// Whether an operation only reads (safe to resend) or may change state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    Read,
    Write,
}

impl Access {
    /// `read` or `write`, for tracing.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
        }
    }
}

/// How many attempts a call gets and how long it waits between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// Attempts in all, the first included; 1 turns retries off.
    pub(crate) max_attempts: u32,
    /// The wait before the first retry; it doubles for each one after.
    pub(crate) base_delay: Duration,
    /// No computed wait is longer than this.
    pub(crate) max_delay: Duration,
    /// The longest `Retry-After` honoured; a server asking for more gets
    /// its error returned instead of a retry.
    pub(crate) max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

/// Whether a failed attempt is sent again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// After `delay`; `asked` when the server's `Retry-After` set it.
    Retry { delay: Duration, asked: bool },
    /// Not, and why.
    Stop(Stop),
}

/// Why a failed call is not sent again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// It had all its attempts.
    MaxAttempts,
    /// Its error is not one to resend after: a client error, a timeout, a
    /// body that does not decode, or a write that reached the server.
    NotResendable,
    /// The server asked to wait longer than the client will.
    RetryAfterTooLong,
}

impl Stop {
    /// The reason, for tracing.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Stop::MaxAttempts => "max_attempts",
            Stop::NotResendable => "not_resendable",
            Stop::RetryAfterTooLong => "retry_after_exceeds_cap",
        }
    }
}

impl RetryPolicy {
    /// Whether attempt `attempt + 1` follows `error`, and after how long.
    pub(crate) fn decide(&self, access: Access, attempt: u32, error: &Error) -> Decision {
        if !may_resend(access, error) {
            return Decision::Stop(Stop::NotResendable);
        }
        if attempt >= self.max_attempts {
            return Decision::Stop(Stop::MaxAttempts);
        }
        match error.retry_after() {
            Some(wait) if wait <= self.max_retry_after => Decision::Retry { delay: wait, asked: true },
            Some(_) => Decision::Stop(Stop::RetryAfterTooLong),
            None => Decision::Retry { delay: self.backoff(attempt), asked: false },
        }
    }

    /// How long to wait before attempt `attempt + 1` after `error`, or
    /// `None` when the call must not be sent again.
    #[cfg(test)]
    fn next_delay(&self, access: Access, attempt: u32, error: &Error) -> Option<Duration> {
        match self.decide(access, attempt, error) {
            Decision::Retry { delay, .. } => Some(delay),
            Decision::Stop(_) => None,
        }
    }

    /// Exponential backoff with "equal jitter": half the step fixed, half
    /// random, so that clients that failed together do not retry together.
    fn backoff(&self, attempt: u32) -> Duration {
        let step = self.base_delay.saturating_mul(1 << attempt.saturating_sub(1).min(16)).min(self.max_delay);
        let half = step / 2;
        let jitter_nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(random_u64() % jitter_nanos.saturating_add(1))
    }
}

fn may_resend(access: Access, error: &Error) -> bool {
    match (access, error) {
        (_, Error::Transport(e)) if e.is_connect() => true,
        (Access::Read, Error::Transport(_)) => true,
        (Access::Read, Error::Api { status, .. } | Error::Http { status, .. }) => {
            status.as_u16() == 429 || status.is_server_error()
        }
        _ => false,
    }
}

/// A random number from the standard library's per-process random hash keys;
/// jitter needs no more than that.
fn random_u64() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher
        .write_u128(SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_nanos());
    hasher.finish()
}

/// `Retry-After` as delay-seconds or an HTTP date, relative to `now`.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use reqwest::StatusCode;

    use super::*;

    fn http(status: u16, retry_after: Option<Duration>) -> Error {
        Error::Http {
            status: StatusCode::from_u16(status).unwrap(),
            request_id: None,
            retry_after,
            excerpt: String::new(),
        }
    }

    #[test]
    fn reads_retry_on_429_and_5xx_only() {
        let policy = RetryPolicy::default();
        for status in [429, 500, 502, 503, 504] {
            assert!(policy.next_delay(Access::Read, 1, &http(status, None)).is_some(), "{status}");
        }
        for status in [400, 401, 403, 404, 409, 422] {
            assert!(policy.next_delay(Access::Read, 1, &http(status, None)).is_none(), "{status}");
        }
    }

    #[test]
    fn writes_are_not_resent_after_a_response() {
        let policy = RetryPolicy::default();
        for status in [429, 500, 503] {
            assert!(policy.next_delay(Access::Write, 1, &http(status, None)).is_none(), "{status}");
        }
    }

    #[test]
    fn attempts_are_bounded() {
        let policy = RetryPolicy { max_attempts: 3, ..RetryPolicy::default() };
        assert!(policy.next_delay(Access::Read, 2, &http(503, None)).is_some());
        assert!(policy.next_delay(Access::Read, 3, &http(503, None)).is_none());
        let off = RetryPolicy { max_attempts: 1, ..RetryPolicy::default() };
        assert!(off.next_delay(Access::Read, 1, &http(503, None)).is_none());
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy::default();
        let asked = Duration::from_secs(2);
        assert_eq!(policy.next_delay(Access::Read, 1, &http(429, Some(asked))), Some(asked));
        let too_long = policy.max_retry_after + Duration::from_secs(1);
        assert_eq!(policy.next_delay(Access::Read, 1, &http(429, Some(too_long))), None);
    }

    #[test]
    fn each_decision_not_to_retry_has_its_reason() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.decide(Access::Write, 1, &http(503, None)), Decision::Stop(Stop::NotResendable));
        assert_eq!(policy.decide(Access::Read, 3, &http(503, None)), Decision::Stop(Stop::MaxAttempts));
        let too_long = Some(policy.max_retry_after + Duration::from_secs(1));
        assert_eq!(
            policy.decide(Access::Read, 1, &http(429, too_long)),
            Decision::Stop(Stop::RetryAfterTooLong)
        );
        let asked = Some(Duration::from_secs(1));
        assert_eq!(
            policy.decide(Access::Read, 1, &http(429, asked)),
            Decision::Retry { delay: Duration::from_secs(1), asked: true }
        );
    }

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        let policy = RetryPolicy::default();
        for attempt in 1..=20 {
            let step = policy.base_delay.saturating_mul(1 << (attempt - 1).min(16)).min(policy.max_delay);
            let delay = policy.backoff(attempt);
            assert!(delay >= step / 2 && delay <= step, "attempt {attempt}: {delay:?} outside {step:?}");
        }
        let delays: std::collections::BTreeSet<Duration> = (0..20).map(|_| policy.backoff(3)).collect();
        assert!(delays.len() > 1, "no jitter: {delays:?}");
    }

    #[test]
    fn parses_both_retry_after_forms() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:05 GMT", now), Some(Duration::from_secs(5)));
        // A date in the past means "now".
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now), Some(Duration::ZERO));
        for bad in ["", "-1", "soon", "1.5", "99999999999999999999999"] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }
}
