//! No odd value fails a decode (normalize's tolerance rule and seam-types'
//! tolerant decoding), proved field by field rather than for the fields
//! seen so far: in every response recorded from Seam's fake, and in a
//! sample of every member of the `Event` and `ActionAttempt` unions made
//! from the spec, each field at every depth is in turn removed, set to
//! `null` and retyped (given a value of another JSON type); each list gets
//! a `null` item and an item of another type appended, and each map a
//! `null` value. Each variant must decode, as its typed member (never kept
//! raw, and `Unknown` only when its tag was the field changed); what was
//! changed must be held or named in `absent` at its path; and the JSON it
//! serializes to must decode into a value that serializes the same.

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

mod support;

use support::samples::Spec;
use support::with_model;

/// One step of a path: an object's key or an array's index.
#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// How a variant changes its value.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Change {
    Removed,
    Null,
    Retyped,
    Appended,
    NullInMap,
}

/// A change to one place: which, how, and the JSON that results.
struct Variant {
    /// As `seam_types::AbsentField::path` writes it.
    path: String,
    change: Change,
    /// Whether the changed field is a union's tag.
    tag: bool,
    /// What was put at `path` (for a removal, nothing).
    put: Option<Value>,
    /// The field changed (for an item appended or a map value added, the
    /// list or the map).
    field: Vec<Step>,
    json: Value,
}

/// Every variant of `value`.
fn variants(value: &Value) -> Vec<Variant> {
    let mut places = Vec::new();
    places_in(value, &mut Vec::new(), &mut places);
    let mut out = Vec::new();
    for (steps, at) in places {
        let Some(Step::Key(last)) = steps.last() else { continue };
        let tag = ["event_type", "action_type"].contains(&last.as_str());
        let path = path_of(&steps);
        for change in [Change::Removed, Change::Null, Change::Retyped] {
            let put = match change {
                Change::Removed => None,
                Change::Null => Some(Value::Null),
                _ => Some(retyped(at)),
            };
            let mut json = value.clone();
            set(&mut json, &steps, put.clone());
            out.push(Variant { path: path.clone(), change, tag, put, field: steps.clone(), json });
        }
        if let Value::Array(items) = at {
            for (offset, item) in [Value::Null, other_item(items)].into_iter().enumerate() {
                let mut json = value.clone();
                let mut longer = items.clone();
                longer.push(Value::Null);
                if offset == 1 {
                    longer.pop();
                    longer.push(item.clone());
                }
                set(&mut json, &steps, Some(Value::Array(longer)));
                let path = format!("{path}[{}]", items.len());
                out.push(Variant {
                    path,
                    change: Change::Appended,
                    tag: false,
                    put: Some(item),
                    field: steps.clone(),
                    json,
                });
            }
        }
        // Free-form maps of Seam's: custom metadata.
        if let Value::Object(map) = at
            && last.ends_with("custom_metadata")
        {
            let mut json = value.clone();
            let mut with_null = map.clone();
            with_null.insert("mutant".to_owned(), Value::Null);
            set(&mut json, &steps, Some(Value::Object(with_null)));
            let path = format!("{path}.mutant");
            out.push(Variant {
                path,
                change: Change::NullInMap,
                tag: false,
                put: Some(Value::Null),
                field: steps.clone(),
                json,
            });
        }
    }
    out
}

/// A value of another JSON type than `value`.
fn retyped(value: &Value) -> Value {
    match value {
        Value::String(_) => json!(7),
        Value::Number(_) => json!("7"),
        Value::Bool(_) => json!("true"),
        Value::Array(_) => json!({"a": 1}),
        Value::Object(_) => json!([1]),
        Value::Null => json!(7),
    }
}

/// An item of another type than the list's first (a number when empty).
fn other_item(items: &[Value]) -> Value {
    items.first().map_or(json!(7), retyped)
}

/// The path of every field under `value`, array items' fields included,
/// with the value there.
fn places_in<'v>(value: &'v Value, path: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, &'v Value)>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                path.push(Step::Key(key.clone()));
                out.push((path.clone(), inner));
                // Custom metadata is free-form key/value data, not fields
                // of a model; its values are strings and booleans.
                if !key.ends_with("custom_metadata") {
                    places_in(inner, path, out);
                }
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(Step::Index(index));
                places_in(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `steps` as `seam_types::AbsentField::path` writes them.
fn path_of(steps: &[Step]) -> String {
    let mut path = String::new();
    for step in steps {
        match step {
            Step::Key(key) if path.is_empty() => path.push_str(key),
            Step::Key(key) => {
                path.push('.');
                path.push_str(key);
            }
            Step::Index(index) => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

/// The value at `steps`, if any.
fn at<'v>(json: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    steps.iter().try_fold(json, |at, step| match step {
        Step::Key(key) => at.get(key),
        Step::Index(index) => at.get(index),
    })
}

/// Puts `put` at `steps` in `json`, or removes the field there.
fn set(json: &mut Value, steps: &[Step], put: Option<Value>) {
    let Some((Step::Key(last), parents)) = steps.split_last() else { return };
    let mut at = json;
    for step in parents {
        at = match (at, step) {
            (Value::Object(map), Step::Key(key)) => {
                map.get_mut(key).expect("the path was read from this value")
            }
            (Value::Array(items), Step::Index(index)) => items.get_mut(*index).expect("an item"),
            _ => unreachable!("the path was read from this value"),
        };
    }
    let map: &mut Map<String, Value> = at.as_object_mut().expect("a field's parent is an object");
    match put {
        Some(value) => map.insert(last.clone(), value),
        None => map.remove(last),
    };
}

/// Every variant of `value` decodes into `T` as a typed member, holds or
/// names what was changed, and round-trips what it kept; what went wrong
/// with those that do not.
fn check<T: DeserializeOwned + Serialize + PartialEq + Debug>(label: &str, value: &Value) -> Vec<String> {
    // A member of a type this version does not know (the fake's SET_COOL
    // action attempts) is `Unknown` whatever its fields.
    let (unknown, held) = match serde_json::from_value::<T>(value.clone()) {
        Ok(original) => {
            (format!("{original:?}").starts_with("Unknown("), serde_json::to_value(&original).unwrap())
        }
        Err(error) => return vec![format!("{label}: does not decode as recorded: {error}")],
    };
    let mut failures = Vec::new();
    for variant in variants(value) {
        let what = format!("{label}, {} {:?}", variant.path, variant.change);
        let text = variant.json.to_string();
        let decoded: T = match serde_json::from_str(&text) {
            Ok(decoded) => decoded,
            Err(error) => {
                failures.push(format!("{what}: {error}"));
                continue;
            }
        };
        let shown = format!("{decoded:?}");
        let kept_raw =
            shown.contains("Undecodable(") || (shown.starts_with("Unknown(") && !variant.tag && !unknown);
        if kept_raw {
            failures.push(format!("{what}: not decoded as its typed member: {shown}"));
            continue;
        }
        let again = serde_json::to_value(&decoded).expect("a model serializes");
        // What was put there is held (written back), or named.
        let named = shown.contains(&format!("{:?}: ", variant.path));
        // Fields the model does not know are not held, whatever they hold.
        let known = at(&held, &variant.field).is_some();
        if let Some(put) = &variant.put
            && known
            && !unknown
            && !variant.tag
            && !named
        {
            let now = at(&again, &steps_of(&variant.path));
            let held = now == Some(put)
                // A null where null is a value is written back as null or
                // left out; an optional list or map's is empty.
                || (put.is_null() && now.is_none_or(|now| now.is_null() || now == &json!([]) || now == &json!({})));
            if !held {
                failures.push(format!("{what}: neither held nor named: {shown}"));
            }
        }
        match serde_json::from_value::<T>(again.clone()) {
            Ok(twice) => {
                let same = match variant.change {
                    Change::Removed | Change::Null => twice == decoded,
                    _ => serde_json::to_value(&twice).ok().as_ref() == Some(&again),
                };
                if !same {
                    failures.push(format!("{what}: does not round-trip: {again} gives {twice:?}"));
                }
            }
            Err(error) => failures.push(format!("{what}: what it wrote does not decode: {error}")),
        }
    }
    failures
}

/// The steps of a path `path_of` wrote (the keys here are plain words).
fn steps_of(path: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, indices) = part.split_once('[').map_or((part, ""), |(key, rest)| (key, rest));
        steps.push(Step::Key(key.to_owned()));
        for index in indices.split('[').filter(|i| !i.is_empty()) {
            steps.push(Step::Index(index.trim_end_matches(']').parse().expect("an index")));
        }
    }
    steps
}

fn report(failures: Vec<String>, variants: usize) {
    assert!(variants > 0, "no variants were checked");
    let shown: Vec<&String> = failures.iter().take(20).collect();
    assert!(failures.is_empty(), "{} of {variants} variants fail:\n{shown:#?}", failures.len());
}

#[test]
fn every_field_of_every_recorded_response_may_be_absent_null_or_odd() {
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
fn every_field_of_every_event_and_action_attempt_may_be_absent_null_or_odd() {
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
fn a_member_with_an_odd_field_is_typed_and_never_fails_its_list() {
    let (_, body) = support::recorded()
        .into_iter()
        .find(|(name, _)| name == "events__list__after_lock_and_unlock.json")
        .expect("the events recorded after a lock and an unlock");
    let mut events = body["events"].clone();
    events[1]["device_id"] = json!({"not": "an id"});
    let decoded: Vec<seam_types::Event> = serde_json::from_value(events.clone()).unwrap();
    assert_eq!(decoded.len(), events.as_array().unwrap().len());
    for event in &decoded {
        assert!(
            !matches!(event, seam_types::Event::Undecodable(_) | seam_types::Event::Unknown(_)),
            "{event:?}"
        );
    }
    // The odd field is named, and the accessors read the rest.
    let shown = format!("{:?}", decoded[1]);
    assert!(shown.contains(r#""device_id": expected a string, found an object"#), "{shown}");
    assert_eq!(decoded[1].event_id(), events[1]["event_id"].as_str().unwrap());
    assert_eq!(decoded[1].device_id(), None);
    // A list item that is no object is dropped, and named by a list that
    // is a model's field.
    events.as_array_mut().unwrap().push(json!("not an event"));
    let mut body = body.clone();
    body.insert("events".to_owned(), events);
    assert_eq!(
        serde_json::from_value::<Vec<seam_types::Event>>(body["events"].clone()).map(|e| e.len()).ok(),
        None
    );
}
