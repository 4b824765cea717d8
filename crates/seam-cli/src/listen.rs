//! `seam events listen`: Seam's events as they happen, printed as JSON
//! lines or forwarded to a local webhook handler signed as Seam signs a
//! delivery, so that a handler on `localhost` can be tried before it is
//! deployed (as `stripe listen --forward-to`). Seam delivers webhooks only
//! to public URLs; `events/list` serves the same event objects, so this
//! polls it.

use std::collections::HashMap;
use std::pin::pin;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::{Arg, ArgMatches, Command};
use seam_api::chrono::{DateTime, SecondsFormat, Utc};
use seam_api::{Seam, SeamWebhook, reqwest};
use serde_json::{Map, Value};

use crate::error::CliError;
use crate::output::{self, PrintError};
use crate::run::Connect;
use crate::tree::{self, Kind};

/// The command's name, under `seam events`.
pub(crate) const NAME: &str = "listen";

/// How often `events/list` is read unless `--interval` says otherwise: an
/// event reaches the handler within about a second of happening, which is
/// what trying a handler by hand needs, for one small read a second.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(1);

/// How far each poll reaches back before the newest event already seen:
/// Seam lists events created strictly after `since`, and two events can
/// share a timestamp, or be written a moment out of order. What was seen
/// is not delivered again.
const OVERLAP: Duration = Duration::from_secs(5);

/// Attempts per delivery, the first retry's delay (doubling after each),
/// and each attempt's timeout: a handler that is down or restarting is
/// given about 15 s before the event is reported as not delivered.
const DELIVERY_ATTEMPTS: u32 = 5;
const FIRST_RETRY_DELAY: Duration = Duration::from_secs(1);
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// `events/list` fields the command sets itself or that do not fit a
/// stream; each other field is a filter flag, as `seam events list` has it.
const NOT_FILTERS: [&str; 5] = ["since", "between", "limit", "unstable_offset", "event_ids"];

const HEADING: &str = "Listening";
const FILTERS: &str = "Filters (as events/list)";

/// The `events/list` operation, whose fields are the filters.
fn list_operation() -> Option<&'static tree::Operation> {
    crate::generated::RESOURCES
        .iter()
        .find(|group| group.name == "events")?
        .operations
        .iter()
        .find(|operation| operation.name == "list")
}

/// `seam events listen`'s command.
pub(crate) fn command() -> Command {
    let mut command = Command::new(NAME)
        .about("Print new events as JSON lines, or forward each to a local webhook handler, signed as Seam signs it")
        .long_about(
            "Print new events as JSON lines, or forward each to a local webhook handler, signed as Seam signs it.\n\n\
             Seam delivers webhooks only to public URLs. This polls events/list from the moment it starts \
             (--since to replay from earlier) and, with --forward-to, POSTs each new event, once and in \
             occurred_at order, with the svix-id, svix-timestamp and svix-signature headers Seam sends, so \
             that seam-api's SeamWebhook and SeamEvent, and svix's own libraries, accept it. Without \
             --forward-to, each event is one JSON line on stdout.\n\n\
             Each delivery prints one line on stderr: event type, event id, the handler's status and time. \
             A failed delivery is retried 4 times, after 1, 2, 4 and 8 s, then reported; the stream goes on. \
             Ctrl-C, or a closed stdout, ends it (exit 0).",
        )
        .after_help(
            "Example: seam events listen --forward-to http://localhost:3000/seam/webhook \
             --secret \"$SEAM_WEBHOOK_SECRET\"",
        )
        .args([
            Arg::new("forward_to")
                .long("forward-to")
                .value_name("URL")
                .value_parser(parse_url)
                .help("POST each event to this URL, signed as a Seam webhook delivery (default: print it on stdout)")
                .help_heading(HEADING),
            Arg::new("secret")
                .long("secret")
                .value_name("WHSEC")
                .requires("forward_to")
                .help(
                    "The webhook secret to sign with (whsec_…) [env: SEAM_WEBHOOK_SECRET; default: a new one, \
                     printed once on stderr]",
                )
                .help_heading(HEADING),
            Arg::new("since")
                .long("since")
                .value_name("DATE_TIME")
                .value_parser(parse_since)
                .help("Start from the events created after this RFC 3339 date-time [default: now]")
                .help_heading(HEADING),
            Arg::new("interval")
                .long("interval")
                .value_name("DURATION")
                .value_parser(parse_interval)
                .help("How often to read events/list (e.g. 500ms, 5s) [default: 1s]")
                .help_heading(HEADING),
        ]);
    for field in filter_fields() {
        command = command.arg(tree::field_arg(field).help_heading(FILTERS));
    }
    command
}

/// The fields of `events/list` that are this command's filter flags.
fn filter_fields() -> impl Iterator<Item = &'static tree::Field> {
    list_operation()
        .into_iter()
        .flat_map(|list| list.fields)
        .filter(|field| !NOT_FILTERS.contains(&field.json))
}

fn parse_url(text: &str) -> Result<reqwest::Url, String> {
    let url =
        reqwest::Url::parse(text).map_err(|error| format!("{error} (try http://localhost:3000/webhook)"))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(format!("`{other}:` is not http or https")),
    }
}

fn parse_since(text: &str) -> Result<DateTime<Utc>, String> {
    tree::parse_value(Kind::Timestamp, text)?;
    DateTime::parse_from_rfc3339(text).map(|at| at.with_timezone(&Utc)).map_err(|error| error.to_string())
}

fn parse_interval(text: &str) -> Result<Duration, String> {
    let interval = tree::parse_duration(text)?;
    if interval < Duration::from_millis(100) {
        return Err("at least 100ms".into());
    }
    Ok(interval)
}

/// Runs `seam events listen` until Ctrl-C or a closed stdout.
pub(crate) async fn run(
    matches: &ArgMatches,
    connect: Connect,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<crate::run::Output, CliError> {
    let filters = filters(matches);
    let interval = matches.get_one::<Duration>("interval").copied().unwrap_or(DEFAULT_INTERVAL);
    let since =
        matches.get_one::<DateTime<Utc>>("since").copied().unwrap_or_else(|| SystemTime::now().into());
    let forwarder = match matches.get_one::<reqwest::Url>("forward_to") {
        Some(url) => Some(Forwarder::new(url.clone(), matches.get_one::<String>("secret").cloned(), env)?),
        None => None,
    };
    let client = connect()?;
    let seam = client.workspace()?;

    match &forwarder {
        Some(forwarder) => output::note(&format!(
            "listening for events created after {}; forwarding each to {} (Ctrl-C to stop)",
            timestamp(since),
            forwarder.url
        )),
        None => output::note(&format!(
            "listening for events created after {}; one JSON line each on stdout (Ctrl-C to stop)",
            timestamp(since)
        )),
    }

    let mut stop = pin!(tokio::signal::ctrl_c());
    let mut events = Events::new(since);
    loop {
        let polled = tokio::select! {
            _ = &mut stop => break,
            polled = poll(seam, &filters, events.since()) => polled,
        };
        match polled {
            Ok(listed) => {
                for event in events.admit(listed) {
                    let Some(forwarder) = &forwarder else {
                        match output::json_line(&event) {
                            Ok(()) => continue,
                            Err(PrintError::ClosedPipe) => return Ok(crate::run::Output::Nothing),
                            Err(PrintError::Io(error)) => {
                                return Err(CliError::Failed(format!("cannot write to stdout: {error}")));
                            }
                        }
                    };
                    tokio::select! {
                        _ = &mut stop => return Ok(crate::run::Output::Nothing),
                        () = forwarder.deliver(&event) => {}
                    }
                }
            }
            Err(error) if is_fatal(&error) => return Err(error.into()),
            Err(error) => output::note(&format!(
                "events/list failed, trying again in {}: {}",
                humantime::format_duration(interval),
                CliError::from(error).line().trim_start_matches("error: ")
            )),
        }
        tokio::select! {
            _ = &mut stop => break,
            () = tokio::time::sleep(interval) => {}
        }
    }
    Ok(crate::run::Output::Nothing)
}

/// The `events/list` filters the command line gives.
fn filters(matches: &ArgMatches) -> Map<String, Value> {
    filter_fields()
        .filter_map(|field| Some((field.json.to_owned(), tree::flag_value(field, matches)?)))
        .collect()
}

/// A failure that another poll cannot mend: a client error that is not
/// retryable (a bad credential, a filter Seam refuses). Transport
/// failures, 408, 429 (which the library has already waited on) and 5xx
/// are tried again at the next poll.
fn is_fatal(error: &seam_api::Error) -> bool {
    error.status().is_some_and(|status| status.is_client_error()) && !error.is_retryable()
}

/// One read of `events/list`, retried by the library as any read (with
/// `Retry-After` on 429).
async fn poll(
    seam: &Seam,
    filters: &Map<String, Value>,
    since: DateTime<Utc>,
) -> Result<Vec<Value>, seam_api::Error> {
    let mut body = filters.clone();
    body.insert("since".into(), Value::String(timestamp(since)));
    let events =
        seam.post("/events/list").body(Value::Object(body)).read().response_key("events").send().await?;
    Ok(match events {
        Value::Array(events) => events,
        // Not a list: nothing this poll can use.
        _ => Vec::new(),
    })
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Which listed events are new, and where the next poll starts.
struct Events {
    /// The next poll's `since`.
    since: DateTime<Utc>,
    /// The events delivered, by id, with the time each was created, kept
    /// while a poll can still list them.
    seen: HashMap<String, DateTime<Utc>>,
    /// When the newest event seen was created.
    newest: DateTime<Utc>,
}

impl Events {
    fn new(since: DateTime<Utc>) -> Self {
        Self { since, seen: HashMap::new(), newest: since }
    }

    fn since(&self) -> DateTime<Utc> {
        self.since
    }

    /// The events of `listed` not seen before, in `occurred_at` order
    /// (then in the order listed), each remembered so that it is never
    /// returned again.
    fn admit(&mut self, listed: Vec<Value>) -> Vec<Value> {
        let mut fresh: Vec<(DateTime<Utc>, Value)> = Vec::new();
        for event in listed {
            // Without an id an event cannot be told from the same one
            // listed again: it is keyed by its whole JSON.
            let key = match event.get("event_id").and_then(Value::as_str) {
                Some(id) => id.to_owned(),
                None => event.to_string(),
            };
            if self.seen.contains_key(&key) {
                continue;
            }
            let occurred = time_of(&event, "occurred_at");
            let created = time_of(&event, "created_at").or(occurred).unwrap_or(self.newest);
            self.seen.insert(key, created);
            self.newest = self.newest.max(created);
            let occurred = occurred.unwrap_or(created);
            fresh.push((occurred, event));
        }
        fresh.sort_by_key(|(occurred, _)| *occurred);
        let overlap =
            seam_api::chrono::TimeDelta::from_std(OVERLAP).unwrap_or(seam_api::chrono::TimeDelta::zero());
        self.since = self.since.max(self.newest.checked_sub_signed(overlap).unwrap_or(self.newest));
        let since = self.since;
        // Seam lists what was created after `since`; what was created at
        // it is kept too, for a server that counts it in.
        self.seen.retain(|_, created| *created >= since);
        fresh.into_iter().map(|(_, event)| event).collect()
    }
}

fn time_of(event: &Value, field: &str) -> Option<DateTime<Utc>> {
    let text = event.get(field)?.as_str()?;
    DateTime::parse_from_rfc3339(text).ok().map(|at| at.with_timezone(&Utc))
}

/// Delivers events to the handler at `url`, signed with the secret.
struct Forwarder {
    url: reqwest::Url,
    webhook: SeamWebhook,
    http: reqwest::Client,
}

impl Forwarder {
    fn new(
        url: reqwest::Url,
        secret: Option<String>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, CliError> {
        let secret = match secret.or_else(|| env("SEAM_WEBHOOK_SECRET")) {
            Some(secret) => secret,
            None => {
                let secret = fresh_secret()?;
                output::note(&format!(
                    "signing with a new webhook secret: {secret}\n  give it to your handler (SEAM_WEBHOOK_SECRET), \
                     and pass --secret to keep it"
                ));
                secret
            }
        };
        let webhook = SeamWebhook::new(&secret).map_err(|_| {
            CliError::Usage(
                "the webhook secret is not `whsec_` followed by base64 (--secret or SEAM_WEBHOOK_SECRET)"
                    .into(),
            )
        })?;
        let http = reqwest::Client::builder()
            .timeout(DELIVERY_TIMEOUT)
            .user_agent(concat!("seam-cli/", env!("CARGO_PKG_VERSION"), " (events listen)"))
            .build()
            .map_err(|error| {
                CliError::Failed(format!("cannot make the HTTP client for deliveries: {error}"))
            })?;
        Ok(Self { url, webhook, http })
    }

    /// Delivers `event`, retrying a failed attempt with backoff, and
    /// prints a line on stderr for each attempt. A delivery that never
    /// succeeds is reported; it does not stop the stream.
    async fn deliver(&self, event: &Value) {
        let event_type = event.get("event_type").and_then(Value::as_str).unwrap_or("(no event_type)");
        let event_id = event.get("event_id").and_then(Value::as_str).unwrap_or("(no event_id)");
        let body = event.to_string().into_bytes();
        // The same message id on every attempt, as svix keeps it, so that a
        // handler can tell a retry from a new delivery.
        let message_id = format!("msg_{event_id}");
        let mut delay = FIRST_RETRY_DELAY;
        for attempt in 1..=DELIVERY_ATTEMPTS {
            let outcome = self.attempt(&message_id, &body).await;
            let line = format!("{event_type}  {event_id}  -> {outcome}");
            match outcome {
                Attempt::Answered { status, .. } if status.is_success() => {
                    output::note(&line);
                    return;
                }
                _ if attempt == DELIVERY_ATTEMPTS => {
                    output::note(&format!("{line}; not delivered after {DELIVERY_ATTEMPTS} attempts"));
                }
                _ => {
                    output::note(&format!("{line}; retrying in {}", humantime::format_duration(delay)));
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                }
            }
        }
    }

    async fn attempt(&self, message_id: &str, body: &[u8]) -> Attempt {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs());
        let headers = match self.webhook.sign(message_id, i64::try_from(now).unwrap_or(i64::MAX), body) {
            Ok(headers) => headers,
            Err(error) => return Attempt::Failed(format!("cannot sign it: {error}")),
        };
        let started = Instant::now();
        let sent = self
            .http
            .post(self.url.clone())
            .headers(headers)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_vec())
            .send()
            .await;
        match sent {
            Ok(response) => Attempt::Answered { status: response.status(), took: started.elapsed() },
            Err(error) if error.is_timeout() => {
                Attempt::Failed(format!("no answer within {}", humantime::format_duration(DELIVERY_TIMEOUT)))
            }
            Err(error) if error.is_connect() => Attempt::Failed(format!("cannot connect to {}", self.url)),
            Err(error) => Attempt::Failed(with_causes(&error)),
        }
    }
}

/// An error and its causes on one line: reqwest's own message
/// (`error sending request`) does not say what went wrong.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        line.push_str(": ");
        line.push_str(&error.to_string());
        cause = error.source();
    }
    line
}

/// How one delivery attempt went.
enum Attempt {
    Answered { status: reqwest::StatusCode, took: Duration },
    Failed(String),
}

impl std::fmt::Display for Attempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Attempt::Answered { status, took } => write!(f, "{status} in {} ms", took.as_millis()),
            Attempt::Failed(why) => f.write_str(why),
        }
    }
}

/// A new secret: `whsec_` and 24 random bytes in base64, as Seam's are.
fn fresh_secret() -> Result<String, CliError> {
    use base64::Engine as _;
    let mut key = [0u8; 24];
    getrandom::fill(&mut key).map_err(|error| {
        CliError::Failed(format!("cannot make a webhook secret: no randomness ({error})"))
    })?;
    Ok(format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(key)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        parse_since(text).unwrap()
    }

    fn event(id: &str, created: &str, occurred: &str) -> Value {
        json!({"event_id": id, "event_type": "lock.unlocked", "created_at": created, "occurred_at": occurred})
    }

    fn ids(events: &[Value]) -> Vec<&str> {
        events.iter().map(|event| event["event_id"].as_str().unwrap()).collect()
    }

    #[test]
    fn events_come_once_each_in_occurred_at_order() {
        let mut events = Events::new(at("2026-12-07T10:00:00Z"));
        let first = events.admit(vec![
            event("b", "2026-12-07T10:00:02Z", "2026-12-07T10:00:02Z"),
            event("a", "2026-12-07T10:00:02Z", "2026-12-07T10:00:01Z"),
        ]);
        assert_eq!(ids(&first), ["a", "b"]);
        // The next poll lists them again (and one more sharing a timestamp).
        let second = events.admit(vec![
            event("b", "2026-12-07T10:00:02Z", "2026-12-07T10:00:02Z"),
            event("c", "2026-12-07T10:00:02Z", "2026-12-07T10:00:02Z"),
            event("a", "2026-12-07T10:00:02Z", "2026-12-07T10:00:01Z"),
        ]);
        assert_eq!(ids(&second), ["c"]);
        assert!(events.admit(Vec::new()).is_empty());
    }

    #[test]
    fn the_next_poll_reaches_back_by_the_overlap_and_forgets_what_it_cannot_list() {
        let mut events = Events::new(at("2026-12-07T10:00:00Z"));
        events.admit(vec![event("a", "2026-12-07T10:00:01Z", "2026-12-07T10:00:01Z")]);
        // Never before where it started.
        assert_eq!(events.since(), at("2026-12-07T10:00:00Z"));
        events.admit(vec![event("b", "2026-12-07T10:01:00Z", "2026-12-07T10:01:00Z")]);
        assert_eq!(events.since(), at("2026-12-07T10:00:55Z"));
        assert!(!events.seen.contains_key("a"));
        assert!(events.seen.contains_key("b"));
    }

    #[test]
    fn an_event_without_an_id_or_times_is_still_delivered_once() {
        let mut events = Events::new(at("2026-12-07T10:00:00Z"));
        let odd = json!({"event_type": "x", "occurred_at": 7});
        assert_eq!(events.admit(vec![odd.clone()]), std::slice::from_ref(&odd));
        assert!(events.admit(vec![odd]).is_empty());
    }

    #[test]
    fn a_fresh_secret_is_one_seam_webhook_accepts() {
        let secret = fresh_secret().unwrap();
        assert!(secret.starts_with("whsec_"));
        assert!(SeamWebhook::new(&secret).is_ok());
        assert_ne!(secret, fresh_secret().unwrap());
    }

    #[test]
    fn a_failed_delivery_says_why() {
        #[derive(Debug)]
        struct Sending(std::io::Error);
        impl std::fmt::Display for Sending {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("error sending request")
            }
        }
        impl std::error::Error for Sending {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let error = Sending(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        assert_eq!(with_causes(&error), "error sending request: connection reset");
    }

    #[test]
    fn flags_are_checked() {
        assert!(parse_url("ftp://localhost/").is_err());
        assert!(parse_url("localhost:3000").is_err());
        assert!(parse_url("http://localhost:3000/seam/webhook").is_ok());
        assert!(parse_interval("10ms").is_err());
        assert_eq!(parse_interval("2s"), Ok(Duration::from_secs(2)));
        assert!(parse_since("yesterday").is_err());
    }

    #[test]
    fn fatal_poll_failures_are_the_client_errors_a_retry_cannot_mend() {
        let status = |code: u16| seam_api::Error::Http {
            status: reqwest::StatusCode::from_u16(code).unwrap(),
            request_id: None,
            retry_after: None,
            excerpt: String::new(),
        };
        assert!(is_fatal(&status(401)));
        assert!(is_fatal(&status(400)));
        assert!(!is_fatal(&status(429)));
        assert!(!is_fatal(&status(408)));
        assert!(!is_fatal(&status(503)));
    }
}
