//! What the model tests share: the responses recorded from Seam's fake,
//! the model each response property decodes into, and samples made from
//! the spec.

#![allow(dead_code, unused_macros)] // each suite uses its own subset

pub mod samples;

use serde_json::{Map, Value};

/// Every response recorded from Seam's fake server
/// (`crates/seam-api/tests/fake-seam-connect/record.mjs`), by file name,
/// sorted.
pub fn recorded() -> Vec<(String, Map<String, Value>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fake");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 60, "only {} fixtures in {}", names.len(), dir.display());
    names
        .into_iter()
        .map(|name| {
            let text = std::fs::read_to_string(dir.join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, body)
        })
        .collect()
}

/// `$check::<Model>($args…)` for the model that the response property
/// named `$key` holds (one of it, or a list of them for a plural key), as
/// `Some`; `None` for a key no model is mapped to.
macro_rules! with_model {
    ($key:expr, $check:ident($($arg:expr),*)) => {{
        use seam_types::*;
        match $key {
            "access_code" | "access_codes" | "backup_access_code" | "generated_code" => {
                Some($check::<AccessCode>($($arg),*))
            }
            "acs_entrance" | "acs_entrances" => Some($check::<AcsEntrance>($($arg),*)),
            "acs_system" | "acs_systems" => Some($check::<AcsSystem>($($arg),*)),
            "acs_user" | "acs_users" => Some($check::<AcsUser>($($arg),*)),
            "action_attempt" | "action_attempts" => Some($check::<ActionAttempt>($($arg),*)),
            "client_session" | "client_sessions" => Some($check::<ClientSession>($($arg),*)),
            "connect_webview" | "connect_webviews" => Some($check::<ConnectWebview>($($arg),*)),
            "connected_account" | "connected_accounts" => Some($check::<ConnectedAccount>($($arg),*)),
            "device" | "devices" | "lock" | "locks" | "thermostats" => Some($check::<Device>($($arg),*)),
            "device_provider" | "device_providers" => Some($check::<DeviceProvider>($($arg),*)),
            "event" | "events" => Some($check::<Event>($($arg),*)),
            "noise_threshold" | "noise_thresholds" => Some($check::<NoiseThreshold>($($arg),*)),
            "pagination" => Some($check::<Pagination>($($arg),*)),
            "unmanaged_access_code" | "unmanaged_access_codes" => Some($check::<UnmanagedAccessCode>($($arg),*)),
            "unmanaged_device" | "unmanaged_devices" => Some($check::<UnmanagedDevice>($($arg),*)),
            "webhook" | "webhooks" => Some($check::<Webhook>($($arg),*)),
            "workspace" | "workspaces" => Some($check::<Workspace>($($arg),*)),
            _ => None,
        }
    }};
}
pub(crate) use with_model;
