//! Every documented operation's 200 body decodes into its wire type, not
//! only the 69 that Seam's fake serves: a body sampled from the spec's
//! schema, once with every property and once with only the required ones,
//! with every member of each union it holds. One generated test per
//! operation (`tests/generated/responses.rs`, by `cargo xtask codegen`).
//!
//! And every response sample of Seam's API reference (`seamapi/docs`,
//! `tests/fixtures/docs_samples/operations.json`, with its commit) decodes
//! into its operation's wire type, its departures from the spec named in
//! `absent`.
#![cfg(feature = "all-resources")]

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;

#[path = "../../seam-types/tests/support/samples.rs"]
mod samples;

#[rustfmt::skip]
#[path = "generated/responses.rs"]
mod cases;

use samples::{Mode, Spec};

fn spec() -> &'static Spec {
    static SPEC: std::sync::OnceLock<Spec> = std::sync::OnceLock::new();
    SPEC.get_or_init(Spec::load)
}

/// Samples of the 200 body `component` decode into `T`, every union member
/// as its typed variant and no required field missing, and what they
/// decode into serializes back into the same value.
fn decodes<T: DeserializeOwned + Serialize + Debug>(component: &str) {
    let spec = spec();
    for mode in [Mode::Every, Mode::Required] {
        for choice in 0..spec.choices(component) {
            let sample = spec.sample(component, mode, choice);
            let text = sample.to_string();
            let decoded: T = serde_json::from_str(&text).unwrap_or_else(|e| {
                panic!("{component} ({mode:?}, choice {choice}) does not decode: {e}\n{text}")
            });
            let shown = format!("{decoded:?}");
            for sign in ["Undecodable(", "Unknown(Object", "absent: {\""] {
                assert!(
                    !shown.contains(sign),
                    "{component} ({mode:?}, choice {choice}) decodes with `{sign}`:\n{shown}\nfrom {text}"
                );
            }
            let again = serde_json::to_value(&decoded).unwrap();
            let twice: T = serde_json::from_value(again.clone()).unwrap();
            assert_eq!(serde_json::to_value(&twice).unwrap(), again, "{component} does not round-trip");
        }
    }
}

/// What a documented sample decoded into.
struct Documented {
    /// Its `Debug` output.
    shown: String,
    /// The paths it names absent, with why.
    absent: Vec<String>,
}

/// Decodes a documented sample as `T`: typed, round-tripping, and what
/// it names absent.
fn documented<T: DeserializeOwned + Serialize + Debug + seam_types::__private::Reported>(
    body: &serde_json::Value,
) -> Result<Documented, String> {
    let decoded: T = serde_json::from_value(body.clone()).map_err(|e| e.to_string())?;
    let shown = format!("{decoded:?}");
    if shown.contains("Undecodable(") {
        return Err(format!("a member is kept raw: {shown}"));
    }
    let written = serde_json::to_value(&decoded).map_err(|e| e.to_string())?;
    let again: T =
        serde_json::from_value(written.clone()).map_err(|e| format!("what it wrote does not decode: {e}"))?;
    if serde_json::to_value(&again).ok().as_ref() != Some(&written) {
        return Err(format!("does not round-trip: {written}"));
    }
    let absent = decoded.reported().iter().map(ToString::to_string).collect();
    Ok(Documented { shown, absent })
}

/// Documented samples that are not the documented response, so fail as
/// a response would (`Error::Decode`): `/connect_webviews/list`'s three
/// samples give `connect_webviews` as one object, not a list.
const NOT_THE_RESPONSE: &[(&str, &str)] =
    &[("/connect_webviews/list", "connect_webviews: expected an array, found an object")];

/// The paths of the operations the SDK is generated from (the slice):
/// the docs also sample operations the spec no longer documents, which
/// the SDK leaves out, as Seam's official SDKs do.
fn generated_paths() -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/seam-connect.slice.json");
    let slice: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("the slice")).expect("JSON");
    slice["paths"].as_object().expect("paths").keys().cloned().collect()
}

#[test]
fn every_documented_response_sample_decodes_into_its_wire_type() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs_samples/operations.json");
    let fixture: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("the fixture")).expect("JSON");
    let samples = fixture["samples"].as_array().expect("samples");
    let mut failures = Vec::new();
    let (mut decoded, mut refused) = (0, 0);
    let mut locks_list = None;
    let generated = generated_paths();
    for sample in samples {
        let path = sample["operation"].as_str().expect("a path");
        let label = format!("{path} \"{}\" ({})", sample["title"].as_str().unwrap_or("?"), sample["file"]);
        let operation = path.trim_start_matches('/').replace('/', "_");
        match (
            cases::documented(&operation, &sample["response"]),
            NOT_THE_RESPONSE.iter().find(|(p, _)| *p == path),
        ) {
            (Some(Ok(documented)), None) => {
                decoded += 1;
                if path == "/locks/list" {
                    locks_list = Some(documented);
                }
            }
            (Some(Err(error)), Some((_, expected))) if error.contains(expected) => refused += 1,
            (Some(Err(error)), _) => failures.push(format!("{label}: {error}")),
            (Some(Ok(documented)), Some(_)) => {
                failures.push(format!("{label}: decoded: {}", documented.shown))
            }
            (None, _) if !generated.iter().any(|generated| generated == path) => {}
            (None, _) => failures.push(format!("{label}: no wire type for `{operation}`")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(decoded >= 150 && refused == 3, "{decoded} decoded, {refused} refused");
    // The sample the issue started from: two lists with an item of the
    // wrong type, in each of `devices` and `locks`.
    let locks_list = locks_list.expect("the /locks/list sample");
    for expected in [
        "devices[0].properties.available_fan_mode_settings[1]: expected a string, found a boolean",
        "devices[0].properties.available_hvac_mode_settings[3]: expected a string, found a boolean",
    ] {
        assert!(
            locks_list.absent.iter().any(|named| named == expected),
            "{expected} not in {:#?}",
            locks_list.absent
        );
    }
}
