use serde_json::json;

use super::*;
use crate::stages::{models, normalize};

/// The facade code of one operation `things.<group…>.<method>` with
/// request body `body`, through normalize and models as codegen runs them.
fn generate(group: &[&str], method: &str, body: Value, extra: Value) -> Result<String> {
    let mut post = json!({
        "x-fern-sdk-group-name": group,
        "x-fern-sdk-method-name": method,
        "requestBody": {"content": {"application/json": {"schema": body}}},
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"ok": {"type": "boolean"}}
        }}}}}
    });
    if let (Some(post), Some(extra)) = (post.as_object_mut(), extra.as_object()) {
        post.extend(extra.clone());
    }
    let document = json!({
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {format!("/{}/{method}", group.join("/")): {"post": post}},
        "components": {"schemas": {}}
    });
    let normalized = normalize::normalize(document, &BTreeMap::new(), None)?;
    let hand_written = BTreeMap::new();
    let types = models::resolve_all(&normalized.document, &hand_written, &normalized.wire)?;
    let split = tokens(&normalized.document, &types, &["get".to_owned()])?;
    let code = split.resources.get(group[0]).context("no code for the resource")?.clone();
    crate::stages::format::rust(code, "")
}

#[test]
fn required_properties_become_arguments_and_optional_ones_typed_setters() {
    let body = json!({
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "flag": {"type": "boolean"},
            "kind": {"type": "string", "enum": ["round", "square"]},
            "tags": {"type": "array", "items": {"type": "string"}}
        },
        "required": ["id"]
    });
    let code = generate(&["things"], "get", body, json!({})).unwrap();
    assert!(code.contains("pub fn get(&self, id: impl Into<String>) -> GetRequest<'a>"), "{code}");
    assert!(code.contains("pub fn flag(mut self, flag: bool) -> Self"), "{code}");
    assert!(code.contains("kind: impl Into<crate::wire::ThingsGetBodyKind>"), "{code}");
    assert!(code.contains("tags: impl IntoIterator<Item = impl Into<String>>"), "{code}");
    assert!(code.contains("Access::Read"), "{code}");
    assert!(code.contains("pub async fn send(self) -> Result<()>"), "{code}");
}

#[test]
fn arguments_take_the_acted_on_id_first_then_seams_order() {
    // As noise_thresholds/create and configure_auto_lock list them;
    // the spec's properties are alphabetical.
    let body = json!({"type": "object", "required": ["device_id", "starts_daily_at", "ends_daily_at"], "properties": {
        "device_id": {"type": "string"}, "ends_daily_at": {"type": "string"}, "starts_daily_at": {"type": "string"},
    }});
    let code = generate(&["things"], "create", body, json!({})).unwrap();
    assert!(
            code.contains("device_id: impl Into<String>,\n        starts_daily_at: impl Into<String>,\n        ends_daily_at: impl Into<String>,"),
            "{code}"
        );
    let body = json!({"type": "object", "required": ["device_id", "auto_lock_enabled"], "properties": {
        "auto_lock_enabled": {"type": "boolean"}, "device_id": {"type": "string"},
    }});
    let code = generate(&["things"], "configure_auto_lock", body, json!({})).unwrap();
    assert!(code.contains("device_id: impl Into<String>,\n        auto_lock_enabled: bool,"), "{code}");
    // The id comes first even where Seam lists it later
    // (acs/users/create: full_name, acs_system_id).
    let body = json!({"type": "object", "required": ["full_name", "acs_system_id"], "properties": {
        "acs_system_id": {"type": "string"}, "full_name": {"type": "string"},
    }});
    let code = generate(&["things"], "create", body, json!({})).unwrap();
    assert!(
        code.contains("acs_system_id: impl Into<String>,\n        full_name: impl Into<String>,"),
        "{code}"
    );
}

#[test]
fn the_real_operations_take_their_arguments_in_order() {
    let workspace = crate::paths::Workspace::locate().unwrap();
    let slice: Value = serde_json::from_str(&std::fs::read_to_string(workspace.slice()).unwrap()).unwrap();
    let names = |component: &str| -> Vec<String> {
        let hand_written = BTreeMap::new();
        let types = models::resolve_all(&slice, &hand_written, &BTreeMap::new()).unwrap();
        let (_, fields) = types.body(component).unwrap();
        argument_order(fields).iter().map(|f| f.json.clone()).collect()
    };
    assert_eq!(names("locks_configure_auto_lock_body"), ["device_id", "auto_lock_enabled"]);
    assert_eq!(
        names("noise_sensors_noise_thresholds_create_body"),
        ["device_id", "starts_daily_at", "ends_daily_at"]
    );
}

#[test]
fn a_date_time_setter_takes_anything_that_becomes_a_timestamp() {
    let body = json!({"type": "object", "properties": {
        "starts_at": {"type": "string", "format": "date-time"},
        "between": {"type": "array", "items": {"type": "string", "format": "date-time"}},
    }});
    let code = generate(&["things"], "list", body, json!({})).unwrap();
    assert!(
        code.contains("pub fn starts_at(mut self, starts_at: impl Into<seam_types::Timestamp>) -> Self"),
        "{code}"
    );
    assert!(code.contains("between: impl IntoIterator<Item = impl Into<seam_types::Timestamp>>"), "{code}");
}

#[test]
fn a_request_that_needs_one_of_several_fields_cannot_be_sent_without_one() {
    let body = json!({"type": "object", "oneOf": [
        {"type": "object", "required": ["thing_id"], "properties": {"thing_id": {"type": "string"}}},
        {"type": "object", "required": ["thing_key"], "properties": {"thing_key": {"type": "string"}}},
    ]});
    let code = generate(&["things"], "get", body, json!({})).unwrap();
    assert!(code.contains("pub fn get(&self) -> GetRequest<'a, crate::Unselected>"), "{code}");
    assert!(code.contains("pub struct GetRequest<'a, S = crate::Selected>"), "{code}");
    assert!(
        code.contains("pub fn thing_id(mut self, thing_id: impl Into<String>) -> GetRequest<'a>"),
        "{code}"
    );
    assert!(code.contains("Set `thing_id` or `thing_key` before sending"), "{code}");
    // send() only where a selector is set.
    let sendable = code.find("impl<'a> GetRequest<'a> {").expect("an impl of the sendable state");
    assert!(code[sendable..].contains("pub async fn send(self)"), "{code}");
    assert!(!code[..sendable].contains("pub async fn send(self)"), "{code}");
    // A body any call satisfies has no selector state.
    let body = json!({"type": "object", "properties": {"thing_id": {"type": "string"}}});
    let code = generate(&["things"], "get", body, json!({})).unwrap();
    assert!(code.contains("pub fn get(&self) -> GetRequest<'a>"), "{code}");
}

#[test]
fn a_request_whose_members_need_several_fields_checks_for_a_whole_one_before_sending() {
    let member = |a: &str, b: &str| json!({"type": "object", "required": [a, b], "properties": {a: {"type": "string"}, b: {"type": "string"}}});
    let body = json!({"type": "object", "oneOf": [member("a_id", "b_ids"), member("a_key", "b_keys")]});
    let code = generate(&["things"], "merge", body, json!({})).unwrap();
    let check = "crate::selector::one_member(\n";
    let at = code.find(check).unwrap_or_else(|| panic!("no member check: {code}"));
    let call = code.find(".call(").expect("a call");
    assert!(at < call, "the check comes before sending: {code}");
    let check = code[at..call].split_whitespace().collect::<String>();
    assert!(
        check.contains(r#"&[("a_id",body.a_id.is_some()),("b_ids",body.b_ids.is_some())],&[("a_key",body.a_key.is_some()),("b_keys",body.b_keys.is_some())]"#),
        "{check}"
    );
}

#[test]
fn a_keyword_property_is_set_with_a_trailing_underscore() {
    let body = json!({"type": "object", "properties": {"type": {"type": "string"}}});
    let code = generate(&["things"], "create", body, json!({})).unwrap();
    assert!(code.contains("pub fn type_(mut self, type_: impl Into<String>) -> Self"), "{code}");
    assert!(code.contains("self.body.r#type = Some(type_.into())"), "{code}");
    assert!(code.contains("Access::Write"), "{code}");
}

#[test]
fn sdk_subgroups_are_nested_modules_and_deprecations_carry_their_note() {
    let body = json!({"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]});
    let deprecated = json!({"x-deprecated": "Use `/things/get` instead."});
    let code = generate(&["things", "parts"], "get", body, deprecated).unwrap();
    assert!(code.contains("pub fn parts(&self) -> parts::ThingsParts<'a>"), "{code}");
    assert!(code.contains("pub mod parts {"), "{code}");
    assert!(code.contains("#[deprecated(note = \"Use `/things/get` instead.\")]"), "{code}");
}

#[test]
fn a_list_with_pagination_can_be_followed_and_one_without_cannot() {
    let body = json!({"type": "object", "properties": {"page_cursor": {"type": "string"}, "limit": {"type": "integer"}}});
    let response = |with_pagination: bool| {
        let mut properties = json!({
            "ok": {"type": "boolean"},
            "things": {"type": "array", "items": {"type": "string"}}
        });
        if with_pagination {
            properties["pagination"] =
                json!({"type": "object", "properties": {"has_next_page": {"type": "boolean"}}});
        }
        json!({"x-response-key": "things", "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
            "type": "object", "properties": properties, "required": ["ok", "things"]
        }}}}}})
    };
    let code = generate(&["things"], "list", body.clone(), response(true)).unwrap();
    assert!(code.contains("pub async fn send_page(self) -> Result<crate::Page<String>>"), "{code}");
    assert!(
        code.contains("pub fn items(self) -> futures_core::stream::BoxStream<'a, Result<String>>"),
        "{code}"
    );
    assert!(code.contains("impl crate::pagination::Paginated for ListRequest<'_>"), "{code}");
    assert!(code.contains("self.body.page_cursor = Some(cursor)"), "{code}");
    assert!(code.contains("#[derive(Clone, Debug)]"), "{code}");

    let code = generate(&["things"], "list", body, response(false)).unwrap();
    assert!(!code.contains("send_page") && !code.contains("Paginated"), "{code}");
}

#[test]
fn a_method_and_a_subgroup_of_one_name_is_an_error() {
    let body = json!({"type": "object", "properties": {}});
    let document = json!({
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things/parts": {"post": {
                "x-fern-sdk-group-name": ["things"], "x-fern-sdk-method-name": "parts",
                "requestBody": {"content": {"application/json": {"schema": body.clone()}}},
                "responses": {"200": {"description": "OK"}}
            }},
            "/things/parts/get": {"post": {
                "x-fern-sdk-group-name": ["things", "parts"], "x-fern-sdk-method-name": "get",
                "requestBody": {"content": {"application/json": {"schema": body}}},
                "responses": {"200": {"description": "OK"}}
            }}
        },
        "components": {"schemas": {}}
    });
    let normalized = normalize::normalize(document, &BTreeMap::new(), None).unwrap();
    let hand_written = BTreeMap::new();
    let types = models::resolve_all(&normalized.document, &hand_written, &normalized.wire).unwrap();
    let message = format!("{:#}", tokens(&normalized.document, &types, &[]).err().expect("an error"));
    assert!(message.contains("both a method and a subgroup named `parts`"), "{message}");
    assert!(!message.contains('\n'), "{message}");
}
