//! Seam's own documented samples decode: every resource and event sample
//! of Seam's API reference (`seamapi/docs`, see
//! `tests/fixtures/docs_samples/resources.json` for the commit, and
//! `extract.py` there to refresh them) decodes into its model as its typed
//! member, and what it decodes into writes JSON that decodes into a value
//! that writes the same. Seam's documented samples depart from its spec
//! (fields left out, an `available_fan_mode_settings` of `["auto", true]`):
//! those departures are named in `absent`, never a failure.
#![cfg(feature = "all-models")]

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Resource types the docs sample that no documented operation returns,
/// so that the SDK has no model for.
const NOT_MODELLED: &[&str] =
    &["partner_resource", "unmanaged_acs_access_group", "unmanaged_acs_credential", "unmanaged_acs_user"];

/// Members the docs sample whose tag this version does not know, so that
/// decode as `Unknown`: `/acs/encoders/encode_access_method` is not in the
/// spec the SDK is generated from.
const UNKNOWN_TAGS: &[&str] = &["ENCODE_ACCESS_METHOD"];

fn samples() -> Value {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs_samples/resources.json");
    serde_json::from_str(
        &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .expect("JSON")
}

/// Decodes `value` as `T`: typed, and round-tripping; what it names absent.
fn check<T: DeserializeOwned + Serialize + Debug>(label: &str, value: &Value) -> Result<String, String> {
    let decoded: T =
        serde_json::from_value(value.clone()).map_err(|e| format!("{label}: does not decode: {e}"))?;
    let shown = format!("{decoded:?}");
    let tag = ["action_type", "event_type"].iter().find_map(|tag| value.get(tag)?.as_str()).unwrap_or("");
    if shown.contains("Undecodable(") || (shown.starts_with("Unknown(") && !UNKNOWN_TAGS.contains(&tag)) {
        return Err(format!("{label}: not decoded as its typed member: {shown}"));
    }
    let written = serde_json::to_value(&decoded).map_err(|e| format!("{label}: does not encode: {e}"))?;
    let again: T = serde_json::from_value(written.clone())
        .map_err(|e| format!("{label}: what it wrote does not decode: {e}"))?;
    if serde_json::to_value(&again).ok().as_ref() != Some(&written) {
        return Err(format!("{label}: does not round-trip: {written}"));
    }
    Ok(shown)
}

macro_rules! by_resource {
    ($resource:expr, $label:expr, $value:expr) => {{
        use seam_types::*;
        match $resource {
            "access_code" => Some(check::<AccessCode>($label, $value)),
            "access_grant" => Some(check::<AccessGrant>($label, $value)),
            "access_method" => Some(check::<AccessMethod>($label, $value)),
            "acs_access_group" => Some(check::<AcsAccessGroup>($label, $value)),
            "acs_credential" => Some(check::<AcsCredential>($label, $value)),
            "acs_encoder" => Some(check::<AcsEncoder>($label, $value)),
            "acs_entrance" => Some(check::<AcsEntrance>($label, $value)),
            "acs_system" => Some(check::<AcsSystem>($label, $value)),
            "acs_user" => Some(check::<AcsUser>($label, $value)),
            "action_attempt" => Some(check::<ActionAttempt>($label, $value)),
            "client_session" => Some(check::<ClientSession>($label, $value)),
            "connect_webview" => Some(check::<ConnectWebview>($label, $value)),
            "connected_account" => Some(check::<ConnectedAccount>($label, $value)),
            "customer_portal" => Some(check::<CustomerPortal>($label, $value)),
            "device" => Some(check::<Device>($label, $value)),
            "device_provider" => Some(check::<DeviceProvider>($label, $value)),
            "event" => Some(check::<Event>($label, $value)),
            "instant_key" => Some(check::<InstantKey>($label, $value)),
            "noise_threshold" => Some(check::<NoiseThreshold>($label, $value)),
            "pagination" => Some(check::<Pagination>($label, $value)),
            "phone" => Some(check::<Phone>($label, $value)),
            "space" => Some(check::<Space>($label, $value)),
            "thermostat_daily_program" => Some(check::<ThermostatDailyProgram>($label, $value)),
            "thermostat_schedule" => Some(check::<ThermostatSchedule>($label, $value)),
            "unmanaged_access_code" => Some(check::<UnmanagedAccessCode>($label, $value)),
            "unmanaged_device" => Some(check::<UnmanagedDevice>($label, $value)),
            "user_identity" => Some(check::<UserIdentity>($label, $value)),
            "webhook" => Some(check::<Webhook>($label, $value)),
            "workspace" => Some(check::<Workspace>($label, $value)),
            _ => None,
        }
    }};
}

#[test]
fn every_documented_resource_and_event_sample_decodes_into_its_model() {
    let samples = samples();
    let resources = samples["resources"].as_array().expect("resources");
    let events = samples["events"].as_array().expect("events");
    assert!(
        resources.len() >= 50 && !events.is_empty(),
        "{} resources, {} events",
        resources.len(),
        events.len()
    );
    let mut failures = Vec::new();
    let mut decoded = 0;
    let samples = resources
        .iter()
        .map(|sample| (sample["resource"].as_str().expect("a resource type"), sample))
        .chain(events.iter().map(|sample| ("event", sample)));
    for (resource, sample) in samples {
        let label =
            format!("{resource} \"{}\" ({})", sample["title"].as_str().unwrap_or("?"), sample["file"]);
        match by_resource!(resource, &label, &sample["value"]) {
            Some(Ok(_)) => decoded += 1,
            Some(Err(failure)) => failures.push(failure),
            None if NOT_MODELLED.contains(&resource) => {}
            None => failures.push(format!("{label}: no model is mapped for `{resource}`")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(decoded >= 50, "only {decoded} samples decoded");
}
