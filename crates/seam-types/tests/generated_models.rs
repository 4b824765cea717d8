//! Every response recorded from Seam's fake server
//! (`@seamapi/fake-seam-connect`, by
//! `crates/seam-api/tests/fake-seam-connect/record.mjs`) decodes into the
//! generated models; each decoded response, serialized again, is an insta
//! snapshot, so a model change shows up in review as a diff of what the
//! models keep.

use seam_types::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

mod support;

use support::with_model;

/// One model, or a list of them, decoded and serialized again.
fn decode_as<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let decode = |one: &Value| -> Result<Value, String> {
        let model: T = serde_json::from_value(one.clone()).map_err(|e| e.to_string())?;
        serde_json::to_value(model).map_err(|e| e.to_string())
    };
    match value {
        Value::Array(items) => items.iter().map(decode).collect::<Result<Vec<_>, _>>().map(Value::Array),
        one => decode(one),
    }
}

/// Decodes one top-level property of a response by its name (the
/// `x-response-key`s Seam uses), one object or a list of them.
fn decode_property(key: &str, value: &Value) -> Result<Value, String> {
    with_model!(key, decode_as(value))
        .unwrap_or_else(|| Err(format!("no model is mapped for `{key}`; add it to tests/support/mod.rs")))
}

#[test]
fn every_recorded_fake_response_decodes() {
    let mut failures = Vec::new();
    for (name, body) in support::recorded() {
        let mut decoded = serde_json::Map::new();
        for (key, value) in body.iter().filter(|(k, _)| *k != "ok") {
            match decode_property(key, value) {
                Ok(model) => {
                    decoded.insert(key.clone(), model);
                }
                Err(error) => failures.push(format!("{name}: `{key}`: {error}")),
            }
        }
        let snapshot = name.trim_end_matches(".json").to_owned();
        insta::with_settings!({ snapshot_suffix => snapshot, prepend_module_to_snapshot => false }, {
            insta::assert_json_snapshot!("fake", decoded);
        });
    }
    assert!(
        failures.is_empty(),
        "{} response properties do not decode:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Each model's JSON Schema, so a spec update shows up as a reviewable diff.
#[test]
fn model_json_schemas() {
    macro_rules! schemas {
        ($($model:ty),* $(,)?) => {
            $(insta::assert_json_snapshot!(concat!("schema_", stringify!($model)), schemars::schema_for!($model));)*
        };
    }
    schemas!(
        AccessCode,
        AccessGrant,
        AccessMethod,
        AcsAccessGroup,
        AcsCredential,
        AcsEncoder,
        AcsEntrance,
        AcsSystem,
        AcsUser,
        ActionAttempt,
        ConnectWebview,
        ConnectedAccount,
        CustomerPortal,
        Device,
        DeviceProvider,
        Event,
        InstantKey,
        NoiseThreshold,
        Pagination,
        Phone,
        Space,
        ThermostatSchedule,
        UnmanagedAccessCode,
        UnmanagedDevice,
        UserIdentity,
        Webhook,
        Workspace,
    );
}

#[test]
fn an_unknown_enum_value_in_a_model_is_kept() {
    let mut device = fake_device();
    device["device_type"] = "a_lock_from_next_year".into();
    let decoded: Device = serde_json::from_value(device.clone()).unwrap();
    assert!(matches!(&decoded.device_type, DeviceType::Unknown(v) if v.as_str() == "a_lock_from_next_year"));
    assert_eq!(serde_json::to_value(&decoded).unwrap()["device_type"], "a_lock_from_next_year");
    assert_eq!(DeviceType::from("august_lock"), DeviceType::AugustLock);
}

#[test]
fn missing_required_fields_follow_the_tolerance_rule() {
    // Required fields of every type that the server leaves out, or sends
    // as null, decode as their defaults and are named in `absent`.
    let mut device = fake_device();
    let map = device.as_object_mut().unwrap();
    for field in ["errors", "display_name", "is_managed", "device_type", "created_at", "properties"] {
        assert!(map.remove(field).is_some(), "{field} is in the fixture");
    }
    map.insert("warnings".into(), Value::Null);
    let decoded: Device = serde_json::from_value(device.clone()).unwrap();
    assert!(decoded.errors.is_empty() && decoded.warnings.is_empty() && !decoded.is_managed);
    assert_eq!(decoded.created_at, Timestamp::UNIX_EPOCH);
    assert!(matches!(&decoded.device_type, DeviceType::Unknown(v) if v.as_str().is_empty()));
    for field in
        ["errors", "warnings", "display_name", "is_managed", "device_type", "created_at", "properties"]
    {
        assert!(decoded.absent.contains(field), "{field} is not named absent: {:?}", decoded.absent);
    }
    assert!(!decoded.absent.contains("device_id"), "{:?}", decoded.absent);
    // What was left out stays out, and decoding that gives the same value.
    let again = serde_json::to_value(&decoded).unwrap();
    for field in decoded.absent.iter() {
        assert!(again.get(field).is_none(), "{field} was written back: {again}");
    }
    assert_eq!(serde_json::from_value::<Device>(again).unwrap(), decoded);
}

fn fake_device() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fake/devices__get.json");
    let body: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    body["device"].clone()
}
