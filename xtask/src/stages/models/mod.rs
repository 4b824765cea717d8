//! Stage 4a: the Rust types behind every schema the slice reaches, written
//! by this pipeline rather than by typify, because typify has no switch for
//! what a client of a growing API needs:
//!
//! - string enums are open (`Unknown(UnknownValue)` keeps a value this
//!   version does not know; see `seam_types::open_enum!`);
//! - a `oneOf` of objects that share a single-valued property is a tagged
//!   union whose `Unknown` variant keeps the raw JSON of a member it does
//!   not know; members that share a tag value are merged into one;
//! - fields the spec marks required but Seam's servers omit decode as
//!   their type's empty value (the tolerance rule in normalize's RULES);
//! - identical inline schemas become one type, so `device.errors` and
//!   `unmanaged_device.errors` share `DeviceError`.
//!
//! Models (component schemas) go to seam-types, one file per schema;
//! request and response bodies go to seam-api, one file per resource.

mod accessors;
mod emit;
mod files;
mod merge;
mod names;
mod resolve;
mod structs;
mod types;
mod unions;

pub(crate) use files::{FEATURES_END, FEATURES_START, model_files, replace_section, wire_files};
pub(crate) use merge::{required_by_all, required_of};
pub(crate) use names::clean_doc;
#[cfg(test)]
pub(crate) use resolve::resolve_all;
pub(crate) use resolve::{resolve_in_order, schema_order};
pub(crate) use types::{DefKind, Field, Place, Side, Ty, Types, WireSchema, argument_order};

pub(crate) use types::{ALIASES, RESPONSE_KEY};

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use anyhow::Result;
    use serde_json::{Value, json};

    use super::emit::emit;
    use super::names::{field_ident, join_names, variant_name};
    use super::*;

    fn document(schemas: Value) -> Value {
        json!({"components": {"schemas": schemas}})
    }

    fn generate(schemas: Value) -> Result<String> {
        let document = document(schemas);
        let hand_written = BTreeMap::new();
        let types = resolve_all(&document, &hand_written, &BTreeMap::new())?;
        let files = model_files(&types)?;
        Ok(files.files.iter().map(|(_, source)| source.as_str()).collect())
    }

    #[test]
    fn unions_are_tagged_by_the_property_that_tells_members_apart() {
        let member = |action: &str, status: &str| {
            json!({"type": "object", "required": ["action_type", "status"], "properties": {
                "action_type": {"type": "string", "enum": [action]},
                "status": {"type": "string", "enum": [status]},
                "result": {"nullable": true}
            }})
        };
        let code = generate(json!({"action_attempt": {"oneOf": [
            member("LOCK_DOOR", "pending"), member("LOCK_DOOR", "success"), member("UNLOCK_DOOR", "pending")
        ]}}))
        .unwrap();
        // action_type has more distinct values than status, so it is the
        // tag; the two LOCK_DOOR members merge, their statuses joined.
        assert!(code.contains("LockDoor(crate::ActionAttemptLockDoor)"), "{code}");
        assert!(code.contains("UnlockDoor(crate::ActionAttemptUnlockDoor)"), "{code}");
        assert!(code.contains("pub status: crate::ActionAttemptStatus,"), "{code}");
        assert!(code.contains("Unknown(serde_json::Value)"), "{code}");
    }

    #[test]
    fn response_structs_name_what_the_spec_requires_and_decode_through_the_model_visitor() {
        let code =
            generate(json!({"thing": {"type": "object", "required": ["id", "at", "note"], "properties": {
                "id": {"type": "string"},
                "at": {"type": "string", "format": "date-time"},
                "note": {"type": "string", "nullable": true},
                "count": {"type": "integer"},
                "tags": {"type": "array", "items": {"type": "string"}},
            }}}))
            .unwrap();
        // Every field of a response struct holds a default, so it derives
        // Default; serde's derives are replaced by the visitor.
        assert!(code.contains("#[derive(Clone, Debug, PartialEq, Default)]"), "{code}");
        assert!(!code.contains("serde::Deserialize)]"), "{code}");
        assert!(code.contains("pub at: crate::Timestamp,"), "{code}");
        assert!(code.contains("pub count: Option<i64>,"), "{code}");
        assert!(code.contains("pub absent: crate::Absent,"), "{code}");
        // Properties sort by name: at, count, id, note, tags.
        assert!(
            code.contains(
                "const REQUIRED: &'static [crate::__private::Required] = &[crate::__private::Required::Field(0), \
                 crate::__private::Required::Field(2), crate::__private::Required::Nullable(3)];"
            ),
            "{code}"
        );
        assert!(code.contains(r#"out.required("note", &self.note)?;"#), "{code}");
        assert!(code.contains(r#"out.optional("count", &self.count)?;"#), "{code}");
        assert!(code.contains(r#"out.always("tags", &self.tags)?;"#), "{code}");
    }

    #[test]
    fn a_property_named_like_the_absent_field_is_an_error() {
        let error =
            generate(json!({"thing": {"type": "object", "properties": {"absent": {"type": "string"}}}}))
                .unwrap_err();
        assert!(format!("{error:#}").contains("a property named `absent`"), "{error:#}");
    }

    #[test]
    fn unions_keep_what_they_cannot_decode_and_read_shared_fields_through_accessors() {
        let member = |kind: &str, extra: Value| {
            let mut properties = json!({
                "kind": {"type": "string", "enum": [kind]},
                "id": {"type": "string"},
                "at": {"type": "string", "format": "date-time"},
            });
            properties.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            json!({"type": "object", "required": ["kind", "id", "at"], "properties": properties})
        };
        let mut a = member(
            "a",
            json!({"device_id": {"type": "string"}, "detail": {"type": "object", "properties": {"x": {"type": "string"}}}}),
        );
        a["required"].as_array_mut().unwrap().push(json!("device_id"));
        let code = generate(json!({"thing": {"oneOf": [
            a,
            member("b", json!({"device_id": {"type": "string", "nullable": true}, "detail": {"type": "string"}})),
            member("c", json!({"only_here": {"type": "boolean"}})),
        ]}}))
        .unwrap();
        assert!(code.contains("Undecodable(crate::RawMember),"), "{code}");
        assert!(
            code.contains("crate::__private::member(value, \"a\", Self::A, Self::Undecodable, reports)"),
            "{code}"
        );
        // On every member and required: no Option; read from JSON for the
        // members kept raw.
        assert!(code.contains("pub fn id(&self) -> &str {"), "{code}");
        assert!(code.contains("pub fn at(&self) -> crate::Timestamp {"), "{code}");
        assert!(code.contains(r#"crate::__private::raw_str(json, "id").unwrap_or_default()"#), "{code}");
        // On two of three members: an Option, None where absent.
        assert!(code.contains("pub fn device_id(&self) -> Option<&str> {"), "{code}");
        assert!(code.contains(r#"Self::A(member) => (!member.absent.contains("device_id")).then(|| member.device_id.as_str()),"#), "{code}");
        // Typed differently: as JSON.
        assert!(code.contains("pub fn detail(&self) -> Option<serde_json::Value> {"), "{code}");
        // On one member of three: no accessor.
        assert!(!code.contains("pub fn only_here("), "{code}");
        assert!(code.contains("fn a_known_kind_with_a_field_of_the_wrong_type_decodes_typed()"), "{code}");
    }

    #[test]
    fn identical_shapes_are_one_type_and_names_stay_unique() {
        let errors = json!({"type": "array", "items": {"type": "object", "properties": {"message": {"type": "string"}}}});
        let code = generate(json!({
            "device": {"type": "object", "properties": {"errors": errors.clone()}},
            "lock": {"type": "object", "properties": {"errors": errors, "device": {"type": "string"}}},
        }))
        .unwrap();
        assert_eq!(code.matches("pub struct DeviceError ").count(), 1, "{code}");
        assert!(code.contains("pub errors: Vec<crate::DeviceError>"), "{code}");
    }

    #[test]
    fn a_body_shaped_like_an_earlier_one_of_its_resource_is_an_alias() {
        let answer = json!({"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]});
        let document = document(json!({
            "things_delete_response": answer.clone(),
            "things_update_response": answer.clone(),
            "other_delete_response": answer,
        }));
        let wire = BTreeMap::from([
            (
                "things_delete_response".to_owned(),
                WireSchema { resource: "things".into(), side: Side::Response },
            ),
            (
                "things_update_response".to_owned(),
                WireSchema { resource: "things".into(), side: Side::Response },
            ),
            (
                "other_delete_response".to_owned(),
                WireSchema { resource: "other".into(), side: Side::Response },
            ),
        ]);
        let hand_written = BTreeMap::new();
        let types = resolve_all(&document, &hand_written, &wire).unwrap();
        let things = emit(&types, &Place::Wire("things".into()));
        assert!(things.contains("pub type ThingsUpdateResponse = ThingsDeleteResponse;"), "{things}");
        assert_eq!(things.matches("pub struct").count(), 1, "{things}");
        // Another resource keeps its own type, so features stay independent.
        assert!(emit(&types, &Place::Wire("other".into())).contains("pub struct OtherDeleteResponse"));
        assert_eq!(types.replacements()["things_update_response"], "::seam_api::wire::ThingsUpdateResponse");
        assert_eq!(types.body_name("things_update_response"), Some("ThingsUpdateResponse"));
    }

    #[test]
    fn a_request_enum_with_a_model_enums_values_is_that_enum() {
        let kinds = |values: Value| json!({"type": "string", "enum": values});
        let document = document(json!({
            "device": {"type": "object", "properties": {"device_type": kinds(json!(["august_lock", "ecobee_thermostat"]))}},
            "devices_list_body": {"type": "object", "properties": {
                // The same values in another order, and a subset.
                "device_type": kinds(json!(["ecobee_thermostat", "august_lock"])),
                "lock_type": kinds(json!(["august_lock"])),
            }},
        }));
        let wire = BTreeMap::from([(
            "devices_list_body".to_owned(),
            WireSchema { resource: "devices".into(), side: Side::Request },
        )]);
        let hand_written = BTreeMap::new();
        let types = resolve_all(&document, &hand_written, &wire).unwrap();
        let code = emit(&types, &Place::Wire("devices".into()));
        assert!(code.contains("pub device_type: Option<seam_types::DeviceType>,"), "{code}");
        assert!(code.contains("DevicesListBodyLockType"), "{code}");
        assert_eq!(code.matches("open_enum!").count(), 1, "{code}");
    }

    #[test]
    fn an_unmapped_construct_names_its_schema_property_and_stage() {
        let error = generate(json!({"thing": {"type": "object", "properties": {
            "shape": {"oneOf": [{"type": "object", "properties": {"a": {"type": "string"}}}, {"type": "string"}]}
        }}}))
        .unwrap_err();
        let message = format!("{error:#}");
        assert!(
            message.contains("schema `thing`")
                && message.contains("property `shape`")
                && message.contains("xtask/src/stages/models/resolve.rs"),
            "{message}"
        );
    }

    #[test]
    fn a_new_schema_never_takes_a_type_name_from_one_that_was_there_before() {
        let errors = json!({"type": "array", "items": {"type": "object", "properties": {"message": {"type": "string"}}}});
        let with_errors = json!({"type": "object", "properties": {"errors": errors}});
        let document =
            document(json!({"user_identity": with_errors, "unmanaged_user_identity": with_errors}));
        let hand_written = BTreeMap::new();
        let shared_name = |known: &[String]| {
            let types =
                resolve_in_order(&document, &hand_written, &BTreeMap::new(), &schema_order(&document, known))
                    .unwrap();
            let code = emit(&types, &Place::Model("user_identity".into()))
                + &emit(&types, &Place::Model("unmanaged_user_identity".into()));
            assert_eq!(
                code.matches("pub struct").count(),
                3,
                "the two models and the one error type: {code}"
            );
            code.lines()
                .find_map(|l| l.trim().strip_prefix("pub errors: Vec<crate::").map(str::to_owned))
                .unwrap()
        };
        // In name order the newcomer, `unmanaged_…`, would name the type
        // both share; in the order schemas were first generated, the one
        // that was there keeps its name.
        assert_eq!(shared_name(&[]), "UnmanagedUserIdentityError>,");
        let known = ["user_identity".to_owned()];
        assert_eq!(shared_name(&known), "UserIdentityError>,");
        assert_eq!(schema_order(&document, &known), ["user_identity", "unmanaged_user_identity"]);
        // A schema the spec dropped leaves the order.
        let gone = ["gone".to_owned(), "user_identity".to_owned()];
        assert_eq!(schema_order(&document, &gone), ["user_identity", "unmanaged_user_identity"]);
    }

    #[test]
    fn names_read_well() {
        assert_eq!(variant_name("device.connected"), "DeviceConnected");
        assert_eq!(variant_name("UNLOCK_DOOR"), "UnlockDoor");
        assert_eq!(variant_name("CommonDoor"), "CommonDoor");
        assert_eq!(variant_name("1"), "One");
        assert_eq!(variant_name("1hour"), "OneHour");
        assert_eq!(variant_name("1d"), "OneD");
        assert_eq!(variant_name("24h"), "N24H");
        assert_eq!(variant_name("unknown"), "UnknownValue");
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("SALTO_KS_ENTRANCES"), "salto_ks_entrances");
        assert_eq!(join_names("Device", "DeviceType"), "DeviceType");
        assert_eq!(join_names("Device", "Devices"), "DeviceDevices");
    }
}
