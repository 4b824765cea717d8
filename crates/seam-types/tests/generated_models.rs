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

fn decode_as<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let model: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(model).map_err(|e| e.to_string())
}

/// Decodes one top-level property of a response by its name (the
/// `x-response-key`s Seam uses), one object or a list of them.
fn decode_property(key: &str, value: &Value) -> Result<Value, String> {
    macro_rules! by_key {
        ($($one:literal | $many:literal => $model:ty,)*) => {
            match key {
                $($one => decode_as::<$model>(value), $many => decode_as::<Vec<$model>>(value),)*
                "pagination" => decode_as::<Pagination>(value),
                "lock" => decode_as::<Device>(value),
                "locks" | "thermostats" => decode_as::<Vec<Device>>(value),
                "backup_access_code" | "generated_code" => decode_as::<AccessCode>(value),
                other => Err(format!("no model is mapped for `{other}`; add it to this test")),
            }
        };
    }
    by_key! {
        "access_code" | "access_codes" => AccessCode,
        "acs_entrance" | "acs_entrances" => AcsEntrance,
        "acs_system" | "acs_systems" => AcsSystem,
        "acs_user" | "acs_users" => AcsUser,
        "action_attempt" | "action_attempts" => ActionAttempt,
        "client_session" | "client_sessions" => ClientSession,
        "connect_webview" | "connect_webviews" => ConnectWebview,
        "connected_account" | "connected_accounts" => ConnectedAccount,
        "device" | "devices" => Device,
        "device_provider" | "device_providers" => DeviceProvider,
        "event" | "events" => Event,
        "noise_threshold" | "noise_thresholds" => NoiseThreshold,
        "unmanaged_access_code" | "unmanaged_access_codes" => UnmanagedAccessCode,
        "unmanaged_device" | "unmanaged_devices" => UnmanagedDevice,
        "webhook" | "webhooks" => Webhook,
        "workspace" | "workspaces" => Workspace,
    }
}

#[test]
fn every_recorded_fake_response_decodes() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fake");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 60, "only {} fixtures in {}", names.len(), dir.display());

    let mut failures = Vec::new();
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let body: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
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
