//! Stage 3: reshape the slice into what progenitor generates well, and what
//! Seam's servers actually do. Every rewrite is listed in `RULES`, which is
//! also written into the checked-in slice so reviewers see why it differs
//! from upstream.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, bail, ensure};
use serde_json::{Map, Value, json};

use crate::stages::models::{ALIASES, RESPONSE_KEY, Side, WireSchema, required_by_all, required_of};

const SCHEMA_REF: &str = "#/components/schemas/";

/// Spec schema names of Seam's error body, added by this stage.
pub(crate) const ERROR_RESPONSE_SCHEMA: &str = "api_error_response";
pub(crate) const ERROR_SCHEMA: &str = "api_error";

const RULES: [&str; 14] = [
    "Only the POST operation of each path is kept: Seam's SDKs send every call as POST with a JSON body (the spec also lists GET twins).",
    "operationId is x-fern-sdk-group-name + x-fern-sdk-method-name (client_sessions_get), as Seam's SDKs name methods, instead of the spec's clientSessionsGetPost.",
    "Every non-2xx status is typed as Seam's error body (4XX, 5XX -> api_error_response): the spec documents only empty 400/401, while servers also send 404, 429 and 5xx with that body.",
    "format: uuid is dropped: ids are opaque strings (Seam's fake server uses ids such as cst1).",
    "api_error_response and api_error are added: the error body Seam's servers send and its official SDKs decode.",
    "A string the spec describes in prose as a date-time is format: date-time, as those it marks so are, so that every date-time has one type (Timestamp): a description that says 'Date and time ... ISO 8601' (access_codes/create's starts_at and ends_at), or, in a request body, 'Timestamp ...' (events/list's since); a oneOf of a string and a date-time string is a date-time. A duration or a time of day, though described with ISO 8601, stays a string.",
    "A number is an integer where Seam validates an integer. The spec renders zod's .int() as type: integer, so a property name it types as integer in one schema is an integer wherever it is a number: `limit` is an integer in 6 lists and a float in 14, and the route schemas of Seam's fake (@seamapi/fake-seam-connect) validate devices/list's and connected_accounts/list's `limit` with .int(). Counts with no such evidence (preferred_code_length, max_use_count) stay numbers.",
    "A request body that needs at least one of several fields is marked `x-at-least-one` with them, and a call that sets none of them does not compile: a oneOf whose every member requires a field of its own (spaces/get: space_id or space_key), or an operation listed under [at_least_one] in openapi/selection.toml, where the spec marks each field optional and Seam's JavaScript SDK requires one (devices/get: device_id or name). Where such a member requires several fields (user_identities/merge: user_identity_id with merged_user_identity_ids, or user_identity_key with merged_user_identity_keys), the body is also marked `x-one-of-members` with each member's own fields, and send() refuses, before sending, a body that does not set every field of exactly one member, or sets one that only another member has.",
    "Request bodies lose minLength, maxLength, pattern, minItems and maxItems: Seam validates them and answers invalid_input per field, while typify would turn each constrained property into a newtype of its own.",
    "A missing or null x-response-key is set when the 200 body carries exactly one property besides ok (grant_access returns client_session), so the SDK returns that object as Seam's SDKs do.",
    "Required is read as 'present in a complete response', not 'always sent', since Seam's fake and its documented samples omit required properties of every type (access_code.pending_mutations, acs_system.image_url, lock.unlocked's method): a required property a response omits, or sends as null where null is not one of its values, decodes as its type's default (empty string, list or map, 0, false, the Unix epoch, an enum's or union's Unknown, None) and is named in the decoded value's `absent` (seam_types::Absent), which serializing leaves out again; optional properties are Options (lists and maps: empty when absent). A union member whose tag is known but whose body does not match its model decodes as a kept-raw member (seam_types::RawMember) instead of failing what holds it. Applied by xtask/src/stages/models/.",
    "Each operation's request body and 200 body are hoisted into components named `<operationId>_body` and `<operationId>_response` (client_sessions_get_body), so that every type progenitor meets is a named component the xtask generates itself (xtask/src/stages/models/, into crates/seam-api/src/wire/<resource>.rs); in a hoisted 200 body only the x-response-key property and ok stay required, since Seam's fake leaves out action_attempt and pagination where the spec requires them, and the x-response-key property, written on the hoisted body, is essential: a body without it is not the documented response and fails to decode, as a body that is not JSON does.",
    "A string the previous generation typed as a date-time (format: date-time at the same place in the checked-in openapi/seam-connect.slice.json) stays one when a spec update drops the format, so that the one date-time type holds across versions: 1.1038.0 dropped it from events/list's `between` items, which would have turned its Timestamp setter into a String one.",
    "In a hoisted 200 body, a property with the same schema as the x-response-key property (thermostats/list's `thermostats` beside `devices`, locks/get's `lock` beside `device`, pull_backup_access_code's `backup_access_code` beside `access_code`) is folded into it as an alias (`x-aliases`): the SDK returns whichever of the two the body carries, since Seam's fake sends only the alias for some operations.",
];

pub(crate) struct Normalized {
    /// The reshaped slice, as written to `openapi/seam-connect.slice.json`.
    pub(crate) document: Value,
    /// Each hoisted body's component name, and where its type goes.
    pub(crate) wire: BTreeMap<String, WireSchema>,
    /// Each operation id and its top-level resource (`acs_users_list` → `acs`).
    pub(crate) operation_resources: BTreeMap<String, String>,
    /// Each operation id and its path (`acs_users_list` → `/acs/users/list`).
    pub(crate) operation_paths: BTreeMap<String, String>,
}

/// The body property that lists the fields a call must set one of.
pub(crate) const AT_LEAST_ONE: &str = "x-at-least-one";

/// The body property that lists, for a oneOf whose members each require
/// several fields, each member's own required fields: a call must set all
/// of exactly one member's, and none that only another member has.
pub(crate) const ONE_OF_MEMBERS: &str = "x-one-of-members";

/// `previous` is the slice the last codegen wrote, if any: what it typed
/// as a date-time stays one (see `RULES`).
pub(crate) fn normalize(
    mut document: Value,
    at_least_one: &BTreeMap<String, Vec<String>>,
    previous: Option<&Value>,
) -> Result<Normalized> {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        bail!("the spec has no `paths` object");
    };
    let mut operation_paths: BTreeMap<String, String> = BTreeMap::new();
    let mut hoisted = Vec::new();
    let mut wire = BTreeMap::new();
    let mut operation_resources = BTreeMap::new();
    for (path, item) in paths.iter_mut() {
        let Some(mut post) = item.get_mut("post").map(Value::take) else {
            bail!("`{path}` has no POST operation; Seam's SDKs call every endpoint with POST");
        };
        let id = operation_id(path, &post)?;
        if let Some(other) = operation_paths.insert(id.clone(), path.clone()) {
            bail!("`{path}` and `{other}` would both be named `{id}`; operation ids must be unique");
        }
        post["operationId"] = Value::String(id.clone());
        check_request_body(path, &post)?;
        if let Some(body) = post.pointer_mut("/requestBody/content/application~1json/schema") {
            drop_validation(body);
            if let Some(names) = selectors(path, body, at_least_one.get(path))? {
                body[AT_LEAST_ONE] = json!(names);
            }
            if let Some(members) = several_field_members(body) {
                body[ONE_OF_MEMBERS] = json!(members);
            }
        } else if at_least_one.contains_key(path) {
            bail!("openapi/selection.toml: [at_least_one] names `{path}`, which takes no body");
        }
        type_responses(path, &mut post)?;
        infer_response_key(&mut post);
        let resource = resource(path, &post);
        operation_resources.insert(id.clone(), resource.clone());
        for (name, schema, side) in hoist_bodies(&mut post)? {
            wire.insert(name.clone(), WireSchema { resource: resource.clone(), side });
            hoisted.push((name, schema));
        }
        *item = json!({ "post": post });
    }

    drop_uuid_format(&mut document);

    let Some(schemas) = document.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else {
        bail!("the slice has no `components.schemas` object");
    };
    for (name, schema) in error_schemas() {
        ensure!(
            !schemas.contains_key(name),
            "the spec now defines `{name}` itself; reconcile it with the error schema normalize adds"
        );
        schemas.insert(name.to_owned(), schema);
    }
    for schema in schemas.values_mut() {
        type_date_times(schema, Side::Response);
    }
    let mut integers = BTreeSet::new();
    schemas.values().for_each(|schema| integer_names(schema, &mut integers));
    hoisted.iter().for_each(|(_, schema)| integer_names(schema, &mut integers));
    for schema in schemas.values_mut() {
        type_integers(schema, &integers);
    }
    for (name, mut schema) in hoisted {
        type_date_times(&mut schema, wire.get(&name).map_or(Side::Response, |w| w.side));
        type_integers(&mut schema, &integers);
        ensure!(
            !schemas.contains_key(&name),
            "the spec defines a schema `{name}`, the name normalize gives a hoisted body; rename the hoisting rule"
        );
        schemas.insert(name, schema);
    }
    if let (Some(previous), Some(schemas)) = (previous, document.pointer_mut("/components/schemas")) {
        keep_date_times(schemas, &mut String::from("/components/schemas"), previous);
    }
    document["x-normalized"] = json!(RULES);
    Ok(Normalized { document, wire, operation_resources, operation_paths })
}

/// The top-level resource an operation belongs to: the first SDK group
/// name (`acs` for `acs.users.list`), or the path's first segment.
fn resource(path: &str, operation: &Value) -> String {
    operation
        .pointer("/x-fern-sdk-group-name/0")
        .and_then(Value::as_str)
        .unwrap_or_else(|| crate::config::resource_of(path))
        .to_owned()
}

/// Moves the request body and the 200 body into components of their own,
/// leaving references behind.
fn hoist_bodies(operation: &mut Value) -> Result<Vec<(String, Value, Side)>> {
    let id = operation.get("operationId").and_then(Value::as_str).unwrap_or_default().to_owned();
    let mut out = Vec::new();
    if let Some(body) = operation.pointer_mut("/requestBody/content/application~1json/schema") {
        let name = format!("{id}_body");
        let schema = std::mem::replace(body, json!({ "$ref": format!("{SCHEMA_REF}{name}") }));
        out.push((name, schema, Side::Request));
    }
    let key = operation.get("x-response-key").and_then(Value::as_str).map(str::to_owned);
    let success = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
        .and_then(|responses| responses.iter_mut().find(|(status, _)| status.starts_with('2')))
        .and_then(|(_, success)| success.pointer_mut("/content/application~1json/schema"));
    if let Some(body) = success {
        let name = format!("{id}_response");
        let mut schema = std::mem::replace(body, json!({ "$ref": format!("{SCHEMA_REF}{name}") }));
        let has = |property: &str| schema.pointer(&format!("/properties/{property}")).is_some();
        let key = key.filter(|key| has(key));
        let required: Vec<String> =
            key.iter().cloned().chain(["ok".to_owned()]).filter(|property| has(property)).collect();
        schema["required"] = json!(required);
        if let Some(key) = key {
            fold_aliases(&mut schema, &key);
            schema[RESPONSE_KEY] = Value::String(key);
        }
        out.push((name, schema, Side::Response));
    }
    Ok(out)
}

/// Folds the properties of a 200 body that have the schema of its `key`
/// property into that property, as `x-aliases`.
fn fold_aliases(schema: &mut Value, key: &str) {
    let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else { return };
    let Some(returned) = properties.get(key).cloned() else { return };
    let aliases: Vec<String> = properties
        .iter()
        .filter(|(name, property)| *name != key && *name != "ok" && **property == returned)
        .map(|(name, _)| name.clone())
        .collect();
    if aliases.is_empty() {
        return;
    }
    for alias in &aliases {
        properties.remove(alias);
    }
    properties[key][ALIASES] = json!(aliases);
    if let Some(required) = schema.get_mut("required").and_then(Value::as_array_mut) {
        required.retain(|name| !aliases.iter().any(|alias| name == alias));
    }
}

pub(crate) fn to_pretty_json(document: &Value) -> Result<String> {
    let mut text = serde_json::to_string_pretty(document)?;
    text.push('\n');
    Ok(text)
}

/// `client_sessions_get` from Seam's SDK metadata, falling back to the path.
fn operation_id(path: &str, operation: &Value) -> Result<String> {
    let group = operation
        .get("x-fern-sdk-group-name")
        .and_then(Value::as_array)
        .map(|parts| parts.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("_"));
    let method = operation.get("x-fern-sdk-method-name").and_then(Value::as_str);
    let id = match (group, method) {
        (Some(group), Some(method)) if !group.is_empty() => format!("{group}_{method}"),
        _ => path.trim_matches('/').replace(['/', '-', '.'], "_"),
    };
    let valid = id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    ensure!(valid, "`{path}` yields operation id `{id}`, which is not a snake_case Rust identifier");
    Ok(id)
}

fn check_request_body(path: &str, operation: &Value) -> Result<()> {
    let Some(content) = operation.pointer("/requestBody/content").and_then(Value::as_object) else {
        return Ok(());
    };
    let types: Vec<&String> = content.keys().collect();
    ensure!(
        types == ["application/json"],
        "`{path}` takes a request body of {types:?}; only application/json is generated"
    );
    Ok(())
}

/// Keeps the one 2xx response and types every other status as Seam's error.
fn type_responses(path: &str, operation: &mut Value) -> Result<()> {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
        bail!("`{path}` documents no responses");
    };
    let successes: Vec<(&String, &Value)> =
        responses.iter().filter(|(status, _)| status.starts_with('2')).collect();
    let (status, success) = match successes.as_slice() {
        [] => bail!("`{path}` documents no 2xx response"),
        [one] => *one,
        [first, rest @ ..] => {
            if rest.iter().any(|(_, r)| r.get("content") != first.1.get("content")) {
                bail!(
                    "`{path}` documents {} success responses with different bodies; \
                     progenitor generates one success type per operation",
                    successes.len()
                );
            }
            *first
        }
    };
    if let Some(content) = success.get("content").and_then(Value::as_object) {
        let types: Vec<&String> = content.keys().collect();
        ensure!(
            types == ["application/json"],
            "`{path}` answers {status} with {types:?}; only application/json is generated"
        );
    }
    let error = json!({
        "description": "Seam's error body",
        "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{ERROR_RESPONSE_SCHEMA}")}}},
    });
    let mut typed = Map::new();
    typed.insert(status.clone(), success.clone());
    typed.insert("4XX".into(), error.clone());
    typed.insert("5XX".into(), error);
    operation["responses"] = Value::Object(typed);
    Ok(())
}

const VALIDATION_KEYWORDS: [&str; 5] = ["minLength", "maxLength", "pattern", "minItems", "maxItems"];

fn drop_validation(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for keyword in VALIDATION_KEYWORDS {
                map.remove(keyword);
            }
            // A property *named* like a keyword is still walked, not removed:
            // only schema objects carry these keys next to `type`.
            map.values_mut().for_each(drop_validation);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_validation),
        _ => {}
    }
}

/// The one property of the 200 body besides `ok`, when the spec names none.
fn infer_response_key(operation: &mut Value) {
    if operation.get("x-response-key").is_some_and(|key| !key.is_null()) {
        return;
    }
    let properties = operation
        .get("responses")
        .and_then(Value::as_object)
        .and_then(|responses| responses.iter().find(|(status, _)| status.starts_with('2')))
        .and_then(|(_, success)| success.pointer("/content/application~1json/schema/properties"))
        .and_then(Value::as_object);
    let payload: Vec<&String> =
        properties.into_iter().flat_map(|p| p.keys()).filter(|k| *k != "ok").collect();
    operation["x-response-key"] = match payload.as_slice() {
        [one] => Value::String((*one).clone()),
        _ => Value::Null,
    };
}

/// The fields of which a call to `path` must set at least one: from a
/// `oneOf` whose every member requires a field the others need not, or
/// from `listed` (selection.toml), which must name the body's properties
/// and must not repeat what the `oneOf` says.
fn selectors(path: &str, body: &Value, listed: Option<&Vec<String>>) -> Result<Option<Vec<String>>> {
    let members: Vec<&Value> =
        body.get("oneOf").and_then(Value::as_array).map(|m| m.iter().collect()).unwrap_or_default();
    let lists: Vec<Vec<String>> = members.iter().map(|m| required_of(m)).collect();
    let common = required_by_all(&lists);
    let mut from_one_of = Vec::new();
    let every_member_selects =
        !lists.is_empty() && lists.iter().all(|l| l.iter().any(|n| !common.contains(n)));
    if every_member_selects {
        for name in lists.iter().flatten().filter(|n| !common.contains(n)) {
            if !from_one_of.contains(name) {
                from_one_of.push(name.clone());
            }
        }
    }
    let Some(listed) = listed else {
        return Ok((!from_one_of.is_empty()).then_some(from_one_of));
    };
    ensure!(
        from_one_of.is_empty(),
        "openapi/selection.toml: [at_least_one] lists `{path}`, whose body says so itself (a oneOf of {from_one_of:?}); remove the entry"
    );
    let has = |name: &str| {
        std::iter::once(body)
            .chain(members.iter().copied())
            .any(|s| s.pointer(&format!("/properties/{name}")).is_some())
    };
    for name in listed {
        ensure!(
            has(name),
            "openapi/selection.toml: [at_least_one] `{path}` names `{name}`, which its body lacks"
        );
    }
    ensure!(!listed.is_empty(), "openapi/selection.toml: [at_least_one] `{path}` lists no fields");
    Ok(Some(listed.clone()))
}

/// Each oneOf member's own required fields (those not every member
/// requires), when a member requires more than one of them: a call must
/// then set a whole member, which the selector state alone cannot tell.
fn several_field_members(body: &Value) -> Option<Vec<Vec<String>>> {
    let members = body.get("oneOf").and_then(Value::as_array)?;
    let lists: Vec<Vec<String>> = members.iter().map(required_of).collect();
    let common = required_by_all(&lists);
    let own: Vec<Vec<String>> =
        lists.iter().map(|list| list.iter().filter(|n| !common.contains(*n)).cloned().collect()).collect();
    let several = own.iter().all(|fields| !fields.is_empty()) && own.iter().any(|fields| fields.len() > 1);
    several.then_some(own)
}

/// The names of the properties the spec types as `integer` somewhere.
fn integer_names(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (name, property) in map.get("properties").and_then(Value::as_object).into_iter().flatten() {
                if property.get("type").and_then(Value::as_str) == Some("integer") {
                    out.insert(name.clone());
                }
            }
            map.values().for_each(|v| integer_names(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| integer_names(v, out)),
        _ => {}
    }
}

/// Types as `integer` the `number` properties named in `integers`.
fn type_integers(value: &mut Value, integers: &BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (name, property) in
                map.get_mut("properties").and_then(Value::as_object_mut).into_iter().flatten()
            {
                if integers.contains(name) && property.get("type").and_then(Value::as_str) == Some("number") {
                    property["type"] = json!("integer");
                    if let Some(property) = property.as_object_mut() {
                        property.remove("format");
                    }
                }
            }
            map.values_mut().for_each(|v| type_integers(v, integers));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| type_integers(v, integers)),
        _ => {}
    }
}

/// Marks as `format: date-time` the strings whose descriptions say they
/// are date-times (see `RULES`).
fn type_date_times(value: &mut Value, side: Side) {
    match value {
        Value::Object(map) => {
            if let Some(members) = map.get("oneOf").and_then(Value::as_array)
                && members.len() == 2
                && members.iter().all(|m| m.get("type").and_then(Value::as_str) == Some("string"))
                && members.iter().any(|m| m.get("format").and_then(Value::as_str) == Some("date-time"))
                && members.iter().all(|m| m.get("enum").is_none())
            {
                map.remove("oneOf");
                map.insert("type".into(), json!("string"));
                map.insert("format".into(), json!("date-time"));
            }
            if is_prose_date_time(map, side) {
                map.insert("format".into(), json!("date-time"));
            }
            map.values_mut().for_each(|v| type_date_times(v, side));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| type_date_times(v, side)),
        _ => {}
    }
}

/// Marks as `format: date-time` each plain string that `previous` has as a
/// date-time at the same JSON pointer (see `RULES`).
fn keep_date_times(value: &mut Value, pointer: &mut String, previous: &Value) {
    match value {
        Value::Object(map) => {
            let is_plain_string = map.get("type").and_then(Value::as_str) == Some("string")
                && map.get("format").is_none()
                && map.get("enum").is_none();
            if is_plain_string
                && previous.pointer(pointer).and_then(|was| was.get("format")).and_then(Value::as_str)
                    == Some("date-time")
            {
                map.insert("format".into(), json!("date-time"));
            }
            for (key, child) in map.iter_mut() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                keep_date_times(child, pointer, previous);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{index}"));
                keep_date_times(child, pointer, previous);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

fn is_prose_date_time(schema: &Map<String, Value>, side: Side) -> bool {
    let is_plain_string = schema.get("type").and_then(Value::as_str) == Some("string")
        && schema.get("format").is_none()
        && schema.get("enum").is_none();
    let Some(description) = schema.get("description").and_then(Value::as_str) else { return false };
    let description = description.to_ascii_lowercase();
    if !is_plain_string || description.contains("duration") {
        return false;
    }
    (description.contains("date and time") && description.contains("iso 8601"))
        || (side == Side::Request && description.starts_with("timestamp"))
}

fn drop_uuid_format(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("format").and_then(Value::as_str) == Some("uuid") {
                map.remove("format");
            }
            map.values_mut().for_each(drop_uuid_format);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_uuid_format),
        _ => {}
    }
}

fn error_schemas() -> [(&'static str, Value); 2] {
    [
        (
            ERROR_RESPONSE_SCHEMA,
            json!({
                "description": "The body Seam sends with an error status.",
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"$ref": format!("#/components/schemas/{ERROR_SCHEMA}")}},
            }),
        ),
        (
            ERROR_SCHEMA,
            json!({
                "description": "What Seam says went wrong with a request.",
                "type": "object",
                "required": ["type", "message"],
                "properties": {
                    "type": {"type": "string", "description": "Machine-readable error type, e.g. client_session_not_found."},
                    "message": {"type": "string", "description": "Human-readable description of the error."},
                    "request_id": {"type": "string", "description": "Seam's id for the request."},
                    "data": {"description": "Structured details some error types carry."},
                    "validation_errors": {"description": "For invalid_input: per-field messages."},
                },
            }),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(post: Value) -> Value {
        json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/client_sessions/get": {"get": post.clone(), "post": post}},
            "components": {"schemas": {}}
        })
    }

    fn operation() -> Value {
        json!({
            "operationId": "clientSessionsGetPost",
            "x-fern-sdk-group-name": ["client_sessions"],
            "x-fern-sdk-method-name": "get",
            "requestBody": {"content": {"application/json": {"schema": {"properties": {"id": {"type": "string", "format": "uuid"}}}}}},
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
                "400": {"description": "Bad Request"},
                "401": {"description": "Unauthorized"}
            }
        })
    }

    #[test]
    fn shapes_the_operation_for_progenitor() {
        let normalized = normalize(slice(operation()), &BTreeMap::new(), None).unwrap().document;
        let item = &normalized["paths"]["/client_sessions/get"];
        assert!(item.get("get").is_none());
        let post = &item["post"];
        assert_eq!(post["operationId"], "client_sessions_get");
        let statuses: Vec<&String> = post["responses"].as_object().unwrap().keys().collect();
        assert_eq!(statuses, ["200", "4XX", "5XX"]);
        assert!(post.pointer("/requestBody/content/application~1json/schema/properties/id/format").is_none());
        assert!(normalized["components"]["schemas"][ERROR_SCHEMA].is_object());
    }

    #[test]
    fn rejects_what_progenitor_cannot_generate() {
        let mut two_bodies = operation();
        two_bodies["responses"]["201"] =
            json!({"description": "x", "content": {"application/json": {"schema": {"type": "string"}}}});
        let error = normalize(slice(two_bodies), &BTreeMap::new(), None).err().unwrap().to_string();
        assert!(error.contains("one success type per operation"), "{error}");

        let mut form = operation();
        form["requestBody"] = json!({"content": {"multipart/form-data": {"schema": {}}}});
        let error = normalize(slice(form), &BTreeMap::new(), None).err().unwrap().to_string();
        assert!(error.contains("only application/json"), "{error}");

        let mut no_success = operation();
        no_success["responses"] = json!({"400": {"description": "x"}});
        assert!(
            normalize(slice(no_success), &BTreeMap::new(), None)
                .err()
                .unwrap()
                .to_string()
                .contains("no 2xx")
        );
    }

    #[test]
    fn drops_request_validation_and_infers_the_response_key() {
        let mut post = operation();
        post["requestBody"]["content"]["application/json"]["schema"]["properties"]["id"]["minLength"] =
            json!(1);
        post["responses"]["200"]["content"]["application/json"]["schema"] =
            json!({"properties": {"client_session": {"type": "object"}, "ok": {"type": "boolean"}}});
        post["x-response-key"] = Value::Null;
        let normalized = normalize(slice(post), &BTreeMap::new(), None).unwrap().document;
        let post = &normalized["paths"]["/client_sessions/get"]["post"];
        assert!(
            post.pointer("/requestBody/content/application~1json/schema/properties/id/minLength").is_none()
        );
        assert_eq!(post["x-response-key"], "client_session");
    }

    #[test]
    fn the_returned_property_is_marked_and_its_twins_fold_into_it() {
        let mut post = operation();
        let device = json!({"$ref": "#/components/schemas/device"});
        post["x-response-key"] = json!("device");
        post["responses"]["200"]["content"]["application/json"]["schema"] = json!({
            "properties": {"device": device.clone(), "lock": device, "ok": {"type": "boolean"}},
            "required": ["device", "lock", "ok"],
        });
        let normalized = normalize(slice(post), &BTreeMap::new(), None).unwrap().document;
        let body = &normalized["components"]["schemas"]["client_sessions_get_response"];
        assert_eq!(body[RESPONSE_KEY], "device");
        assert_eq!(body["properties"]["device"][ALIASES], json!(["lock"]));
        assert!(body["properties"].get("lock").is_none(), "{body}");
        assert_eq!(body["required"], json!(["device", "ok"]));
    }

    #[test]
    fn date_times_described_in_prose_are_date_times() {
        let mut post = operation();
        post["requestBody"]["content"]["application/json"]["schema"] = json!({"properties": {
            "ends_at": {"type": "string", "description": "Date and time at which it ends, in [ISO 8601](https://www.iso.org) format."},
            "since": {"type": "string", "description": "Timestamp to indicate the beginning."},
            "between": {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "string", "format": "date-time"}]}},
            "period": {"type": "string", "description": "Maximum duration, as an ISO 8601 duration (for example, `PT1H`)."},
            "starts_at_time": {"type": "string", "description": "Time at which the period starts, in ISO 8601 format."},
        }});
        let normalized = normalize(slice(post), &BTreeMap::new(), None).unwrap().document;
        let body = &normalized["components"]["schemas"]["client_sessions_get_body"]["properties"];
        assert_eq!(body["ends_at"]["format"], "date-time");
        assert_eq!(body["since"]["format"], "date-time");
        assert_eq!(body["between"]["items"], json!({"type": "string", "format": "date-time"}));
        assert!(body["period"].get("format").is_none(), "a duration is not a date-time");
        assert!(body["starts_at_time"].get("format").is_none(), "a time of day is not a date-time");
    }

    #[test]
    fn a_date_time_the_last_generation_had_stays_one_when_the_spec_drops_its_format() {
        let mut post = operation();
        let body = |items: Value| {
            json!({"properties": {
                "between": {"type": "array", "items": items},
                "note": {"type": "string"},
            }})
        };
        post["requestBody"]["content"]["application/json"]["schema"] =
            body(json!({"oneOf": [{"type": "string"}, {"type": "string", "format": "date-time"}]}));
        let previous = normalize(slice(post.clone()), &BTreeMap::new(), None).unwrap().document;
        post["requestBody"]["content"]["application/json"]["schema"] = body(json!({"type": "string"}));
        let properties = |document: &Value| {
            document["components"]["schemas"]["client_sessions_get_body"]["properties"].clone()
        };
        let without = normalize(slice(post.clone()), &BTreeMap::new(), None).unwrap().document;
        assert!(properties(&without)["between"]["items"].get("format").is_none());
        let kept = normalize(slice(post), &BTreeMap::new(), Some(&previous)).unwrap().document;
        assert_eq!(properties(&kept)["between"]["items"], json!({"type": "string", "format": "date-time"}));
        assert!(properties(&kept)["note"].get("format").is_none(), "only what was a date-time");
    }

    #[test]
    fn a_body_whose_members_each_need_several_fields_lists_them() {
        let mut post = operation();
        let member = |a: &str, b: &str| json!({"type": "object", "required": [a, b], "properties": {a: {"type": "string"}, b: {"type": "array", "items": {"type": "string"}}}});
        post["requestBody"]["content"]["application/json"]["schema"] = json!({"oneOf": [
            member("user_identity_id", "merged_user_identity_ids"),
            member("user_identity_key", "merged_user_identity_keys"),
        ]});
        let normalized = normalize(slice(post.clone()), &BTreeMap::new(), None).unwrap().document;
        let body = &normalized["components"]["schemas"]["client_sessions_get_body"];
        assert_eq!(
            body[ONE_OF_MEMBERS],
            json!([
                ["user_identity_id", "merged_user_identity_ids"],
                ["user_identity_key", "merged_user_identity_keys"]
            ])
        );
        // One field a member: the selector state says it all.
        post["requestBody"]["content"]["application/json"]["schema"] = json!({"oneOf": [
            {"type": "object", "required": ["space_id"], "properties": {"space_id": {"type": "string"}}},
            {"type": "object", "required": ["space_key"], "properties": {"space_key": {"type": "string"}}},
        ]});
        let normalized = normalize(slice(post), &BTreeMap::new(), None).unwrap().document;
        assert!(
            normalized["components"]["schemas"]["client_sessions_get_body"].get(ONE_OF_MEMBERS).is_none()
        );
    }

    #[test]
    fn a_body_that_needs_one_of_several_fields_says_which() {
        let body = |post: &mut Value, schema: Value| {
            post["requestBody"]["content"]["application/json"]["schema"] = schema;
        };
        let at_least_one = |post: Value, listed: &[&str]| {
            let listed: BTreeMap<String, Vec<String>> = if listed.is_empty() {
                BTreeMap::new()
            } else {
                BTreeMap::from([(
                    "/client_sessions/get".to_owned(),
                    listed.iter().map(|s| s.to_string()).collect(),
                )])
            };
            normalize(slice(post), &listed, None).map(|n| {
                n.document["components"]["schemas"]["client_sessions_get_body"][AT_LEAST_ONE].clone()
            })
        };
        // A oneOf whose every member requires a field of its own.
        let mut post = operation();
        body(
            &mut post,
            json!({"oneOf": [
                {"required": ["id"], "properties": {"id": {"type": "string"}}},
                {"required": ["key"], "properties": {"key": {"type": "string"}}},
            ]}),
        );
        assert_eq!(at_least_one(post.clone(), &[]).unwrap(), json!(["id", "key"]));
        let error = at_least_one(post, &["id"]).unwrap_err().to_string();
        assert!(error.contains("says so itself"), "{error}");
        // A member that requires nothing of its own: any call will do.
        let mut post = operation();
        body(
            &mut post,
            json!({"oneOf": [
                {"required": ["id"], "properties": {"id": {"type": "string"}}},
                {"required": ["id", "key"], "properties": {"id": {"type": "string"}, "key": {"type": "string"}}},
            ]}),
        );
        assert_eq!(at_least_one(post, &[]).unwrap(), Value::Null);
        // Listed in selection.toml: the fields must be the body's.
        assert_eq!(at_least_one(operation(), &["id"]).unwrap(), json!(["id"]));
        let error = at_least_one(operation(), &["nope"]).unwrap_err().to_string();
        assert!(error.contains("which its body lacks"), "{error}");
    }

    #[test]
    fn a_number_named_as_an_integer_elsewhere_is_an_integer() {
        let mut post = operation();
        post["requestBody"]["content"]["application/json"]["schema"] = json!({"properties": {
            "limit": {"type": "number", "format": "float"},
            "level": {"type": "number", "format": "float"},
        }});
        let mut document = slice(post);
        document["components"]["schemas"]["other_list"] =
            json!({"type": "object", "properties": {"limit": {"type": "integer"}}});
        let normalized = normalize(document, &BTreeMap::new(), None).unwrap().document;
        let body = &normalized["components"]["schemas"]["client_sessions_get_body"]["properties"];
        assert_eq!(body["limit"], json!({"type": "integer"}));
        assert_eq!(body["level"]["type"], "number");
    }

    #[test]
    fn duplicate_operation_ids_are_an_error() {
        let mut document = slice(operation());
        document["paths"]["/client_sessions/get_again"] = json!({"post": operation()});
        let error = normalize(document, &BTreeMap::new(), None).err().unwrap().to_string();
        assert!(error.contains("would both be named `client_sessions_get`"), "{error}");
    }

    #[test]
    fn a_path_without_post_is_an_error() {
        let mut document = slice(operation());
        document["paths"]["/client_sessions/get"].as_object_mut().unwrap().remove("post");
        assert!(
            normalize(document, &BTreeMap::new(), None)
                .err()
                .unwrap()
                .to_string()
                .contains("has no POST operation")
        );
    }
}
