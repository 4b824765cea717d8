//! Emitting structs.

use std::fmt::Write as _;

use super::emit::{partial_eq, schema_derive};
use super::types::{Def, Field, Side, Ty, Types};

pub(super) fn emit_struct(
    types: &Types,
    index: usize,
    def: &Def,
    fields: &[Field],
    side: Side,
    out: &mut String,
) {
    let default = if types.is_default(index) { ", Default" } else { "" };
    let derives = match side {
        Side::Response => {
            format!("Clone, Debug{}{default}, serde::Serialize, serde::Deserialize", partial_eq(&def.place))
        }
        Side::Request => format!("Clone, Debug{}{default}, serde::Serialize", partial_eq(&def.place)),
    };
    let _ = writeln!(out, "#[derive({derives})]");
    let _ = writeln!(out, "{}", schema_derive(&def.place));
    let _ = writeln!(out, "pub struct {} {{", def.name);
    for field in fields {
        let doc = if field.doc.is_empty() { format!("`{}`.", field.json) } else { field.doc.clone() };
        let _ = writeln!(out, "    #[doc = {doc:?}]");
        if let Some(note) = &field.deprecated {
            let _ = writeln!(out, "    #[deprecated(note = {note:?})]");
        }
        let mut serde = Vec::new();
        if field.ident.trim_start_matches("r#") != field.json {
            serde.push(format!("rename = {:?}", field.json));
        }
        let ty = match side {
            Side::Response => {
                // Optional fields are Options (arrays and maps: empty when
                // absent); required ones missing from a response decode as
                // their type's empty value when it has one.
                let ty = match (&field.ty, field.required) {
                    (Ty::Vec(_) | Ty::MapOf(_) | Ty::Object | Ty::Option(_) | Ty::Value, _) => {
                        field.ty.clone()
                    }
                    (ty, false) => Ty::Option(Box::new(ty.clone())),
                    (ty, true) => ty.clone(),
                };
                if types.has_empty_value(&ty) {
                    serde.push("default".into());
                }
                // What the server left out stays out when serialized again.
                if !field.required && matches!(ty, Ty::Option(_)) {
                    serde.push("skip_serializing_if = \"Option::is_none\"".into());
                }
                ty
            }
            Side::Request => {
                if field.required {
                    field.ty.clone()
                } else {
                    serde.push("skip_serializing_if = \"Option::is_none\"".into());
                    match &field.ty {
                        Ty::Option(_) => field.ty.clone(),
                        ty => Ty::Option(Box::new(ty.clone())),
                    }
                }
            }
        };
        if !serde.is_empty() {
            let _ = writeln!(out, "    #[serde({})]", serde.join(", "));
        }
        let _ = writeln!(out, "    pub {}: {},", field.ident, types.rust(&ty, &def.place));
    }
    let _ = writeln!(out, "}}");
}
