//! The command tree: the generated tables' types, and the clap commands
//! built from them. A resource's commands are built only when the command
//! line reaches the resource (`Command::defer`), so `seam --help` and
//! `seam locks unlock-door` build a few dozen commands, not 202.

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{Map, Value};

use crate::body::{self, Body, Stdin, flags};
use crate::error::CliError;
use crate::run::{Call, Pending};

/// A command group: a resource (`seam locks`) or a part of one
/// (`seam acs users`).
pub(crate) struct Group {
    /// The command's name: the URL segment, `_` spelled `-`.
    pub(crate) name: &'static str,
    pub(crate) about: &'static str,
    pub(crate) operations: &'static [Operation],
    pub(crate) groups: &'static [&'static Group],
    /// Adds the group's subcommands to its command, when clap first needs
    /// them.
    pub(crate) fill: fn(Command) -> Command,
}

/// One API operation as a command.
pub(crate) struct Operation {
    /// The command's name: the path's last segment, `_` spelled `-`.
    pub(crate) name: &'static str,
    /// `/locks/unlock_door`.
    pub(crate) path: &'static str,
    pub(crate) about: &'static str,
    pub(crate) long_about: &'static str,
    pub(crate) deprecated: Option<&'static str>,
    /// Whether the operation takes a body (and so `--data` or stdin).
    pub(crate) has_body: bool,
    pub(crate) fields: &'static [Field],
    /// The fields of which a call must set one; empty when it needs none.
    pub(crate) at_least_one: &'static [&'static str],
    pub(crate) sends: Sends,
    /// Calls the facade with the parsed body.
    pub(crate) run: fn(Call) -> Pending,
}

/// What an operation's `send()` returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sends {
    Nothing,
    Value,
    /// An action attempt, waited for unless `--no-wait`.
    ActionAttempt,
    /// One page of a list; `--all` follows every page.
    Paginated,
}

/// One body field as a flag.
pub(crate) struct Field {
    /// The field's JSON name, also the flag's clap id.
    pub(crate) json: &'static str,
    /// The flag, without `--`.
    pub(crate) flag: &'static str,
    pub(crate) value_name: &'static str,
    pub(crate) help: &'static str,
    /// How each value parses.
    pub(crate) kind: Kind,
    /// An array: the flag repeats, and (but for JSON) splits on commas.
    pub(crate) repeated: bool,
    pub(crate) required: bool,
    pub(crate) deprecated: bool,
}

/// How a flag's value becomes JSON.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    /// As given, byte for byte: `--code 0123` is `"0123"`.
    String,
    /// `true` or `false`.
    Bool,
    /// A 64-bit integer.
    Integer,
    /// A finite number.
    Number,
    /// An RFC 3339 date-time.
    Timestamp,
    /// One of these values, or one newer than this build: the values are
    /// for `--help` and completions, as the library's enums are open.
    Enum(&'static [&'static str]),
    /// JSON.
    Json,
}

/// The `Command` of a group, whose subcommands are added when clap
/// reaches it.
pub(crate) fn group_command(group: &'static Group) -> Command {
    Command::new(group.name)
        .about(group.about)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .defer(group.fill)
}

/// Adds `group`'s operations and subgroups to its command (the generated
/// `fill_*` functions call this).
pub(crate) fn fill(command: Command, group: &'static Group) -> Command {
    command
        .subcommands(group.operations.iter().map(operation_command))
        .subcommands(group.groups.iter().map(|group| group_command(group)))
}

/// The heading of required fields in `--help`.
const REQUIRED: &str = "Required fields";
/// The heading of the other fields.
const OPTIONAL: &str = "Fields";
/// The heading of `--data`, `--all` and the waiting flags.
const REQUEST: &str = "Request";

fn operation_command(operation: &'static Operation) -> Command {
    let mut about = operation.about.to_owned();
    if let Some(note) = operation.deprecated {
        about = format!("{about} (deprecated: {note})");
    }
    let mut command = Command::new(operation.name).about(about).hide(operation.deprecated.is_some());
    if !operation.long_about.is_empty() {
        command = command.long_about(format!("{}\n\n{}", operation.about, operation.long_about));
    }
    if !operation.at_least_one.is_empty() {
        command = command.after_help(format!("One of {} is required.", flags(operation.at_least_one)));
    }
    // The required fields first, so that their heading comes first in
    // `--help`, and named in the usage line: clap cannot require them
    // itself, as `--data` may give them instead.
    let (required, optional): (Vec<&Field>, Vec<&Field>) = operation.fields.iter().partition(|f| f.required);
    for field in required.iter().chain(&optional) {
        command = command.arg(field_arg(field));
    }
    if !required.is_empty() {
        command = command.override_usage(usage(operation.path, &required));
    }
    if operation.has_body {
        command = command.arg(
            Arg::new("data")
                .long("data")
                .value_name("JSON|@FILE")
                .help("The whole request body, as JSON, from a file (@FILE) or from stdin (@-); flags override its fields. Without it, a body piped to stdin is read only when no field is given as a flag")
                .help_heading(REQUEST),
        );
    }
    match operation.sends {
        Sends::Paginated => {
            command = command.arg(
                Arg::new("all")
                    .long("all")
                    .action(ArgAction::SetTrue)
                    .help("Follow every page and print one array (without it: one page, and the next page's cursor on stderr)")
                    .help_heading(REQUEST),
            );
        }
        Sends::ActionAttempt => {
            command = command.args([
                Arg::new("no_wait")
                    .long("no-wait")
                    .action(ArgAction::SetTrue)
                    .help(
                        "Print the action attempt as Seam first returns it, without waiting for it to finish",
                    )
                    .help_heading(REQUEST),
                Arg::new("wait_timeout")
                    .long("wait-timeout")
                    .value_name("DURATION")
                    .value_parser(parse_duration)
                    .conflicts_with("no_wait")
                    .help("How long to wait for the action attempt in all (e.g. 30s, 2m) [default: 10s]")
                    .help_heading(REQUEST),
                Arg::new("poll_interval")
                    .long("poll-interval")
                    .value_name("DURATION")
                    .value_parser(parse_duration)
                    .conflicts_with("no_wait")
                    .help(
                        "How often to read the action attempt back while waiting (e.g. 500ms) [default: 1s]",
                    )
                    .help_heading(REQUEST),
            ]);
        }
        Sends::Nothing | Sends::Value => {}
    }
    command
}

/// `seam access-codes create --device-id <DEVICE_ID> [OPTIONS]`: the
/// command and its required flags.
fn usage(path: &str, required: &[&Field]) -> String {
    let mut usage = String::from("seam");
    for segment in path.split('/').filter(|segment| !segment.is_empty()) {
        usage.push(' ');
        usage.push_str(&segment.replace('_', "-"));
    }
    for field in required {
        usage.push_str(&format!(" --{} <{}>", field.flag, field.value_name));
    }
    usage.push_str(" [OPTIONS]");
    usage
}

pub(crate) fn field_arg(field: &'static Field) -> Arg {
    let mut help = field.help.to_owned();
    if field.repeated && !matches!(field.kind, Kind::Json) {
        help.push_str(" [repeatable; also splits on commas]");
    } else if field.repeated {
        help.push_str(" [repeatable; each a JSON value, or a JSON array]");
    }
    let arg = Arg::new(field.json)
        .long(field.flag)
        .value_name(field.value_name)
        .help(help)
        .value_parser(FlagValue(field.kind))
        .hide(field.deprecated)
        .help_heading(if field.required { REQUIRED } else { OPTIONAL });
    match (field.repeated, field.kind) {
        (true, Kind::Json) => arg.action(ArgAction::Append),
        (true, _) => arg.action(ArgAction::Append).value_delimiter(','),
        (false, _) => arg.action(ArgAction::Set),
    }
}

/// `30s`, `500ms`, `2m`, or a bare number of seconds.
pub(crate) fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    if let Ok(seconds) = text.parse::<f64>() {
        return std::time::Duration::try_from_secs_f64(seconds).map_err(|e| e.to_string());
    }
    humantime::parse_duration(text).map_err(|e| format!("{e} (try 30s, 500ms or 2m)"))
}

/// Parses one flag value into the JSON the body gets.
#[derive(Clone, Copy)]
struct FlagValue(Kind);

impl TypedValueParser for FlagValue {
    type Value = Value;

    fn parse_ref(
        &self,
        command: &Command,
        arg: Option<&Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Value, clap::Error> {
        let invalid = |reason: String| {
            let flag =
                arg.and_then(Arg::get_long).map_or_else(String::new, |long| format!(" for '--{long}'"));
            let shown = value.to_string_lossy();
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("invalid value '{shown}'{flag}: {reason}\n"),
            )
            .with_cmd(command)
        };
        let Some(text) = value.to_str() else {
            return Err(invalid("not UTF-8".into()));
        };
        parse_value(self.0, text).map_err(invalid)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        match self.0 {
            Kind::Bool => Some(Box::new(["true", "false"].into_iter().map(PossibleValue::new))),
            Kind::Enum(values) => Some(Box::new(values.iter().copied().map(PossibleValue::new))),
            _ => None,
        }
    }
}

/// One flag value as JSON, or why it is not one of `kind`.
pub(crate) fn parse_value(kind: Kind, text: &str) -> Result<Value, String> {
    match kind {
        Kind::String | Kind::Enum(_) => Ok(Value::String(text.to_owned())),
        Kind::Bool => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err("expected `true` or `false`".into()),
        },
        Kind::Integer => text.parse::<i64>().map(Value::from).map_err(|_| "expected an integer".into()),
        Kind::Number => match text.parse::<f64>() {
            Ok(number) => serde_json::Number::from_f64(number)
                .map(Value::Number)
                .ok_or_else(|| "expected a finite number".into()),
            Err(_) => Err("expected a number".into()),
        },
        Kind::Timestamp => match seam_api::chrono::DateTime::parse_from_rfc3339(text) {
            Ok(_) => Ok(Value::String(text.to_owned())),
            Err(error) => {
                Err(format!("expected an RFC 3339 date-time such as 2026-12-24T18:00:00Z ({error})"))
            }
        },
        Kind::Json => serde_json::from_str(text).map_err(|error| format!("expected JSON ({error})")),
    }
}

/// The body `operation` gets from `matches`: the [`given`](body::given) one, with each
/// flag given on top.
pub(crate) fn from_matches(
    operation: &'static Operation,
    matches: &ArgMatches,
    stdin: &mut dyn Stdin,
) -> Result<Body, CliError> {
    let flagged: Vec<(&str, Value)> =
        operation.fields.iter().filter_map(|field| Some((field.json, flag_value(field, matches)?))).collect();
    // A body field given as a flag means the command line is the body:
    // stdin is read only when `--data @-` asks for it.
    let implicit = if flagged.is_empty() { body::ImplicitStdin::Read } else { body::ImplicitStdin::Leave };
    let mut fields = match operation.has_body {
        true => body::given(matches.get_one::<String>("data"), implicit, stdin)?.unwrap_or_default(),
        false => Map::new(),
    };
    for (name, value) in flagged {
        fields.insert(name.to_owned(), value);
    }
    let missing: Vec<String> = operation
        .fields
        .iter()
        .filter(|field| field.required && fields.get(field.json).is_none_or(Value::is_null))
        .map(|field| format!("--{}", field.flag))
        .collect();
    if !missing.is_empty() {
        return Err(CliError::Usage(format!(
            "missing required {} (or their fields in --data)",
            missing.join(", ")
        )));
    }
    let selected = operation.at_least_one.iter().any(|name| fields.get(*name).is_some_and(|v| !v.is_null()));
    if !operation.at_least_one.is_empty() && !selected {
        return Err(body::missing_one_of(operation.path, operation.at_least_one));
    }
    Ok(Body::new(fields, operation.path))
}

pub(crate) fn flag_value(field: &Field, matches: &ArgMatches) -> Option<Value> {
    let mut values = matches.get_many::<Value>(field.json)?.cloned();
    if !field.repeated {
        return values.next();
    }
    let mut items = Vec::new();
    for value in values {
        match (field.kind, value) {
            // `--requested-access-methods '[{…},{…}]'` gives the list whole.
            (Kind::Json, Value::Array(list)) => items.extend(list),
            (_, value) => items.push(value),
        }
    }
    Some(Value::Array(items))
}

/// The operation a command line names under a resource's matches, and
/// the operation's own matches.
pub(crate) fn find<'m>(
    groups: &[&'static Group],
    name: &str,
    matches: &'m ArgMatches,
) -> Option<(&'static Operation, &'m ArgMatches)> {
    let group = groups.iter().find(|group| group.name == name)?;
    let (name, matches) = matches.subcommand()?;
    if let Some(operation) = group.operations.iter().find(|operation| operation.name == name) {
        return Some((operation, matches));
    }
    find(group.groups, name, matches)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_stay_as_given_and_numbers_parse_strictly() {
        assert_eq!(parse_value(Kind::String, "0123"), Ok(Value::String("0123".into())));
        // Page cursors that look like numbers.
        assert_eq!(parse_value(Kind::String, "1e5"), Ok(Value::String("1e5".into())));
        assert_eq!(parse_value(Kind::String, "0755"), Ok(Value::String("0755".into())));
        assert_eq!(parse_value(Kind::Integer, "0755"), Ok(Value::from(755)));
        assert!(parse_value(Kind::Integer, "1e5").is_err());
        assert!(parse_value(Kind::Integer, "1.5").is_err());
        assert_eq!(parse_value(Kind::Number, "2.5"), Ok(Value::from(2.5)));
        assert!(parse_value(Kind::Number, "NaN").is_err());
        assert!(parse_value(Kind::Number, "inf").is_err());
    }

    #[test]
    fn booleans_are_json_booleans_and_nothing_else() {
        assert_eq!(parse_value(Kind::Bool, "true"), Ok(Value::Bool(true)));
        assert_eq!(parse_value(Kind::Bool, "false"), Ok(Value::Bool(false)));
        for text in ["True", "1", "yes", ""] {
            assert!(parse_value(Kind::Bool, text).is_err(), "{text}");
        }
    }

    #[test]
    fn an_enum_takes_a_value_newer_than_this_build() {
        let kind = Kind::Enum(&["august_lock", "schlage_lock"]);
        assert_eq!(parse_value(kind, "brand_new_lock"), Ok(Value::String("brand_new_lock".into())));
        let values: Vec<String> =
            FlagValue(kind).possible_values().unwrap().map(|v| v.get_name().to_owned()).collect();
        assert_eq!(values, ["august_lock", "schlage_lock"]);
    }

    #[test]
    fn date_times_are_rfc_3339_and_json_is_json() {
        assert!(parse_value(Kind::Timestamp, "2026-12-24T18:00:00+01:00").is_ok());
        assert!(parse_value(Kind::Timestamp, "2026-12-24").is_err());
        assert_eq!(parse_value(Kind::Json, r#"{"a": [1]}"#), Ok(serde_json::json!({"a": [1]})));
        assert!(parse_value(Kind::Json, "{a: 1}").is_err());
    }

    #[test]
    fn the_usage_line_names_the_required_flags() {
        static FIELD: Field = Field {
            json: "device_id",
            flag: "device-id",
            value_name: "DEVICE_ID",
            help: "",
            kind: Kind::String,
            repeated: false,
            required: true,
            deprecated: false,
        };
        assert_eq!(
            usage("/access_codes/create", &[&FIELD]),
            "seam access-codes create --device-id <DEVICE_ID> [OPTIONS]"
        );
    }

    #[test]
    fn durations_take_units_or_seconds() {
        assert_eq!(parse_duration("500ms"), Ok(std::time::Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(std::time::Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5"), Ok(std::time::Duration::from_millis(1500)));
        assert!(parse_duration("-1").is_err());
        assert!(parse_duration("soon").is_err());
    }
}
