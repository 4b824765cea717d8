//! Every documented operation's 200 body decodes into its wire type, not
//! only the 69 that Seam's fake serves: a body sampled from the spec's
//! schema, once with every property and once with only the required ones,
//! with every member of each union it holds. One generated test per
//! operation (`tests/generated/responses.rs`, by `cargo xtask codegen`).
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
            for sign in ["Undecodable(", "Unknown(Object", "absent: [\""] {
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
