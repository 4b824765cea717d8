//! No field's absence or `null` fails a decode (normalize's tolerance
//! rule), proved field by field rather than for the fields seen so far:
//! in every response recorded from Seam's fake, and in a sample of every
//! member of the `Event` and `ActionAttempt` unions made from the spec,
//! each field at every depth is removed in turn and set to `null` in turn.
//! Each variant must decode, as its typed member (never kept raw, and
//! `Unknown` only when its tag was the field changed), and serialize into
//! JSON that decodes into the same value.

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

mod support;

use support::samples::Spec;
use support::with_model;

/// A change to one field: which, and the JSON that results.
struct Variant {
    path: String,
    /// Whether the changed field is a union's tag.
    tag: bool,
    json: Value,
}

/// Every variant of `value` with one field removed, and with one field set
/// to `null`, at every depth.
fn variants(value: &Value) -> Vec<Variant> {
    let mut paths = Vec::new();
    field_paths(value, &mut Vec::new(), &mut paths);
    let mut out = Vec::new();
    for path in paths {
        let tag = path.last().is_some_and(|last| ["event_type", "action_type"].contains(&last.as_str()));
        for (change_name, set_null) in [("removed", false), ("null", true)] {
            let mut json = value.clone();
            change(&mut json, &path, set_null);
            out.push(Variant { path: format!("{} {change_name}", path.join(".")), tag, json });
        }
    }
    out
}

/// The path of every field under `value`, array items' fields included.
fn field_paths(value: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                path.push(key.clone());
                out.push(path.clone());
                // Custom metadata is free-form key/value data, not fields
                // of a model; its values are strings and booleans.
                if !key.ends_with("custom_metadata") {
                    field_paths(inner, path, out);
                }
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(index.to_string());
                field_paths(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Removes the field at `path` in `json`, or sets it to `null`.
fn change(json: &mut Value, path: &[String], set_null: bool) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut at = json;
    for step in parents {
        at = match at {
            Value::Object(map) => map.get_mut(step).expect("the path was read from this value"),
            Value::Array(items) => items.get_mut(step.parse::<usize>().expect("an index")).expect("an item"),
            _ => unreachable!("the path was read from this value"),
        };
    }
    let map: &mut Map<String, Value> = at.as_object_mut().expect("a field's parent is an object");
    if set_null {
        map.insert(last.clone(), Value::Null);
    } else {
        map.remove(last);
    }
}

/// Every variant of `value` decodes into `T` as a typed member, and
/// round-trips; what went wrong with those that do not.
fn check<T: DeserializeOwned + Serialize + PartialEq + Debug>(label: &str, value: &Value) -> Vec<String> {
    // A member of a type this version does not know (the fake's SET_COOL
    // action attempts) is `Unknown` whatever its fields.
    let unknown = match serde_json::from_value::<T>(value.clone()) {
        Ok(original) => format!("{original:?}").starts_with("Unknown("),
        Err(error) => return vec![format!("{label}: does not decode as recorded: {error}")],
    };
    let mut failures = Vec::new();
    for variant in variants(value) {
        let text = variant.json.to_string();
        let decoded: T = match serde_json::from_str(&text) {
            Ok(decoded) => decoded,
            Err(error) => {
                failures.push(format!("{label}, {}: {error}", variant.path));
                continue;
            }
        };
        let shown = format!("{decoded:?}");
        let kept_raw =
            shown.contains("Undecodable(") || (shown.starts_with("Unknown(") && !variant.tag && !unknown);
        if kept_raw {
            failures.push(format!("{label}, {}: not decoded as its typed member: {shown}", variant.path));
        }
        let again = serde_json::to_string(&decoded).expect("a model serializes");
        match serde_json::from_str::<T>(&again) {
            Ok(twice) if twice == decoded => {}
            other => failures
                .push(format!("{label}, {}: does not round-trip: {again} gives {other:?}", variant.path)),
        }
    }
    failures
}

fn report(failures: Vec<String>, variants: usize) {
    assert!(variants > 0, "no variants were checked");
    let shown: Vec<&String> = failures.iter().take(20).collect();
    assert!(failures.is_empty(), "{} of {variants} variants fail:\n{shown:#?}", failures.len());
}

#[test]
fn every_field_of_every_recorded_response_may_be_absent_or_null() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, body) in support::recorded() {
        for (key, value) in body.iter().filter(|(key, _)| *key != "ok") {
            let items = match value {
                Value::Array(items) => items.clone(),
                one => vec![one.clone()],
            };
            for (index, item) in items.iter().enumerate() {
                let label = format!("{name} `{key}`[{index}]");
                checked += variants(item).len();
                match with_model!(key.as_str(), check(&label, item)) {
                    Some(found) => failures.extend(found),
                    None => failures.push(format!("{name}: no model is mapped for `{key}`")),
                }
            }
        }
    }
    report(failures, checked);
}

#[test]
fn every_field_of_every_event_and_action_attempt_may_be_absent_or_null() {
    let spec = Spec::load();
    let mut failures = Vec::new();
    let mut checked = 0;
    let events = spec.members("event");
    let attempts = spec.members("action_attempt");
    assert!(
        events.len() >= 100 && attempts.len() >= 20,
        "{} events, {} attempts",
        events.len(),
        attempts.len()
    );
    for sample in &events {
        checked += variants(sample).len();
        failures.extend(check::<seam_types::Event>(&format!("event {}", sample["event_type"]), sample));
    }
    for sample in &attempts {
        checked += variants(sample).len();
        let label = format!("action attempt {} {}", sample["action_type"], sample["status"]);
        failures.extend(check::<seam_types::ActionAttempt>(&label, sample));
    }
    report(failures, checked);
}

#[test]
fn a_member_that_does_not_match_its_model_never_fails_its_list() {
    let (_, body) = support::recorded()
        .into_iter()
        .find(|(name, _)| name == "events__list__after_lock_and_unlock.json")
        .expect("the events recorded after a lock and an unlock");
    let mut events = body["events"].clone();
    events[1]["device_id"] = serde_json::json!({"not": "an id"});
    let decoded: Vec<seam_types::Event> = serde_json::from_value(events.clone()).unwrap();
    assert_eq!(decoded.len(), events.as_array().unwrap().len());
    let seam_types::Event::Undecodable(raw) = &decoded[1] else { panic!("not kept raw: {:?}", decoded[1]) };
    assert_eq!(raw.json, events[1]);
    assert!(raw.reason.starts_with("device_id: "), "{}", raw.reason);
    // The accessors read it from its JSON; its neighbours are typed.
    assert_eq!(decoded[1].event_id(), events[1]["event_id"].as_str().unwrap());
    assert_eq!(decoded[1].device_id(), None);
    for event in decoded.iter().enumerate().filter(|(i, _)| *i != 1).map(|(_, e)| e) {
        assert!(
            !matches!(event, seam_types::Event::Undecodable(_) | seam_types::Event::Unknown(_)),
            "{event:?}"
        );
    }
    // And it serializes back as it was sent.
    assert_eq!(serde_json::to_value(&decoded[1]).unwrap(), events[1]);
}
