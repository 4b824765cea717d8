//! Emitting structs. Request bodies derive `Serialize`. Response structs
//! (the models, and seam-api's response bodies) implement
//! `seam_types::__private::Model`, whose decoding is normalize's tolerance
//! rule: a required field the JSON lacks decodes as its default and is
//! named in the struct's `absent`, and serializing leaves it out again.

use std::fmt::Write as _;

use super::types::{Def, Field, Place, Side, Ty, Types, argument_order, partial_eq, runtime, schema_derive};

/// The field of every response struct that names its absent required
/// fields.
pub(super) const ABSENT_FIELD: &str = "absent";

/// The most fields a response struct may have (`MAX_FIELDS` in
/// seam-types' `__private/model.rs`).
pub(super) const MAX_FIELDS: usize = 256;

/// How a response struct holds, decodes and writes one field.
pub(super) struct Shape {
    /// The field's Rust type.
    pub(super) ty: Ty,
    /// For a field the spec requires: how its absence shows.
    pub(super) required: Option<Required>,
    write: Write,
}

/// How a required field's absence shows (`seam_types::__private::Required`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Required {
    /// Missing or `null`: the field is named in `absent`.
    Field,
    /// Missing (`null` is one of its values): named in `absent`.
    Nullable,
    /// Missing or `null`: the body does not decode.
    Essential,
}

/// How `Serialize` writes a field.
#[derive(Clone, Copy)]
enum Write {
    /// Unless it is in `absent`.
    Required,
    /// Unless it is `None`.
    Optional,
    /// Unless it is `null`.
    OptionalJson,
    /// Always (an optional list or map, empty when absent).
    Always,
}

impl Write {
    fn method(self) -> &'static str {
        match self {
            Write::Required => "required",
            Write::Optional => "optional",
            Write::OptionalJson => "optional_json",
            Write::Always => "always",
        }
    }
}

/// How a response struct holds `field`: an optional field is an `Option`
/// (a list or map: empty when absent), a required one its own type.
pub(super) fn response_shape(field: &Field) -> Shape {
    let ty = match (&field.ty, field.required) {
        (Ty::Vec(_) | Ty::MapOf(_) | Ty::Object | Ty::Option(_) | Ty::Value, _) => field.ty.clone(),
        (ty, false) => Ty::Option(Box::new(ty.clone())),
        (ty, true) => ty.clone(),
    };
    let nullable = matches!(ty, Ty::Option(_) | Ty::Value);
    let required = match (field.required, field.essential, nullable) {
        (false, _, _) => None,
        (true, true, false) => Some(Required::Essential),
        (true, _, true) => Some(Required::Nullable),
        (true, false, false) => Some(Required::Field),
    };
    let write = match (required, &ty) {
        (Some(_), _) => Write::Required,
        (None, Ty::Option(_)) => Write::Optional,
        (None, Ty::Value) => Write::OptionalJson,
        (None, _) => Write::Always,
    };
    Shape { ty, required, write }
}

pub(super) fn emit_struct(
    types: &Types,
    index: usize,
    def: &Def,
    fields: &[Field],
    side: Side,
    out: &mut String,
) {
    match side {
        Side::Request => emit_request(types, index, def, fields, out),
        Side::Response => emit_response(types, def, fields, out),
    }
}

fn emit_request(types: &Types, index: usize, def: &Def, fields: &[Field], out: &mut String) {
    let name = &def.name;
    let rt = runtime(&def.place);
    let default = if types.is_default(index) { ", Default" } else { "" };
    let _ = writeln!(out, "#[derive(Clone, Debug{}{default})]", partial_eq(&def.place));
    let _ = writeln!(out, "{}", schema_derive(&def.place));
    let _ = writeln!(out, "{}", request_deserialize(&def.place));
    // New optional fields are additive: built with `new` or `Default`, and
    // set field by field, never as a struct literal outside the crate.
    let _ = writeln!(out, "#[non_exhaustive]");
    let _ = writeln!(out, "pub struct {name} {{");
    for field in fields {
        field_doc(field, out);
        // The name is only for `deserialize-requests`' derive; `Serialize`
        // below writes each field under its JSON name.
        if matches!(def.place, Place::Wire(_)) && field.ident.trim_start_matches("r#") != field.json {
            let _ = writeln!(
                out,
                "    #[cfg_attr(feature = \"deserialize-requests\", serde(rename = {:?}))]",
                field.json
            );
        }
        let ty = if field.required {
            field.ty.clone()
        } else {
            match &field.ty {
                Ty::Option(_) => field.ty.clone(),
                ty => Ty::Option(Box::new(ty.clone())),
            }
        };
        let _ = writeln!(out, "    pub {}: {},", field.ident, types.rust(&ty, &def.place));
    }
    let _ = writeln!(out, "}}");

    if default.is_empty() {
        emit_constructor(types, name, fields, &def.place, out);
    }

    // Written by hand rather than derived (a third of what seam-api's
    // request bodies cost to check): required fields always, optional ones
    // unless `None`.
    let writes: Vec<(&str, &str, &str)> = fields
        .iter()
        .map(|field| {
            let write = if field.required { Write::Always } else { Write::Optional };
            (write.method(), field.json.as_str(), field.ident.as_str())
        })
        .collect();
    let start = format!("{rt}::__private::body(serializer, {name:?}, {})?", fields.len());
    emit_serialize(name, &start, &writes, out);
}

/// `new(required fields…)` for a request type with required fields, which
/// being `#[non_exhaustive]` cannot be built as a literal outside its
/// crate: the required fields in the order the facade takes them, the
/// optional ones `None` (so deprecated ones need not be written), to be set
/// on the result.
fn emit_constructor(types: &Types, name: &str, fields: &[Field], place: &Place, out: &mut String) {
    let required = argument_order(fields);
    let params: Vec<String> = required
        .iter()
        .map(|field| format!("{}: {}", field.argument(), types.rust(&field.ty, place)))
        .collect();
    let inits: Vec<String> = fields
        .iter()
        .map(|field| {
            if field.required {
                format!("{}: {}", field.ident, field.argument())
            } else {
                format!("{}: None", field.ident)
            }
        })
        .collect();
    let names: Vec<String> = required.iter().map(|field| format!("`{}`", field.json)).collect();
    let _ = writeln!(
        out,
        "impl {name} {{\n    /// A body with its required fields ({}); set the optional ones on the result.\n    #[allow(deprecated)]\n    pub fn new({}) -> Self {{\n        Self {{ {} }}\n    }}\n}}",
        names.join(", "),
        params.join(", "),
        inits.join(", ")
    );
}

/// A struct's `Serialize`: `start` opens the field writer, then one
/// `(method, JSON name, field)` write each.
fn emit_serialize(name: &str, start: &str, writes: &[(&str, &str, &str)], out: &mut String) {
    let _ = writeln!(
        out,
        "impl serde::Serialize for {name} {{\n    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{"
    );
    let _ = writeln!(out, "        let {}out = {start};", if writes.is_empty() { "" } else { "mut " });
    for (method, json, ident) in writes {
        let _ = writeln!(out, "        out.{method}({json:?}, &self.{ident})?;");
    }
    let _ = writeln!(out, "        out.end()\n    }}\n}}");
}

/// seam-api's `deserialize-requests` feature: request types read from
/// JSON (the CLI's `--data`), rejecting fields they do not have.
fn request_deserialize(place: &Place) -> &'static str {
    match place {
        Place::Wire(_) => {
            "#[cfg_attr(feature = \"deserialize-requests\", derive(serde::Deserialize), serde(deny_unknown_fields))]"
        }
        Place::Model(_) => "",
    }
}

fn emit_response(types: &Types, def: &Def, fields: &[Field], out: &mut String) {
    let name = &def.name;
    let rt = runtime(&def.place);
    let model = matches!(def.place, Place::Model(_));
    let shapes: Vec<Shape> = fields.iter().map(response_shape).collect();
    let _ = writeln!(out, "#[derive(Clone, Debug{}, Default)]", partial_eq(&def.place));
    if model {
        let _ = writeln!(out, "{}", schema_derive(&def.place));
        let _ = writeln!(
            out,
            "#[cfg_attr(feature = \"schemars\", schemars(transform = crate::__private::required_fields::<Self>))]"
        );
    }
    // New fields are additive: models are built from `Default`, field by
    // field, never as a struct literal outside the crate.
    let _ = writeln!(out, "#[non_exhaustive]");
    let _ = writeln!(out, "pub struct {name} {{");
    for (field, shape) in fields.iter().zip(&shapes) {
        field_doc(field, out);
        if model && field.ident.trim_start_matches("r#") != field.json {
            let _ =
                writeln!(out, "    #[cfg_attr(feature = \"schemars\", schemars(rename = {:?}))]", field.json);
        }
        let _ = writeln!(out, "    pub {}: {},", field.ident, types.rust(&shape.ty, &def.place));
    }
    let _ = writeln!(
        out,
        "    /// What the JSON sent that this value does not hold (a value of the wrong type, a dropped list item), and the required fields it left out; each of these holds its default (see [`Absent`]({rt}::Absent))."
    );
    if model {
        let _ = writeln!(out, "    #[cfg_attr(feature = \"schemars\", schemars(skip))]");
    }
    let _ = writeln!(out, "    pub {ABSENT_FIELD}: {rt}::Absent,\n}}");

    // Decoding: the field names, which are required, and one match each
    // from a key to a field and from a field to its decoder.
    let names: Vec<String> = fields.iter().map(|f| format!("{:?}", f.json)).collect();
    let required: Vec<String> = shapes
        .iter()
        .enumerate()
        .filter_map(|(i, shape)| Some(format!("{rt}::__private::Required::{:?}({i})", shape.required?)))
        .collect();
    let _ = writeln!(out, "impl {rt}::__private::Model for {name} {{");
    let _ = writeln!(out, "    const NAME: &'static str = {name:?};");
    let _ = writeln!(out, "    const FIELDS: &'static [&'static str] = &[{}];", names.join(", "));
    let _ = writeln!(
        out,
        "    const REQUIRED: &'static [{rt}::__private::Required] = &[{}];",
        required.join(", ")
    );
    let _ = writeln!(out, "    fn field_index(key: &str) -> Option<usize> {{\n        match key {{");
    for (i, field) in fields.iter().enumerate() {
        for json in std::iter::once(&field.json).chain(&field.aliases) {
            let _ = writeln!(out, "            {json:?} => Some({i}),");
        }
    }
    let _ = writeln!(out, "            _ => None,\n        }}\n    }}");
    let _ = writeln!(
        out,
        "    fn decode_field<'de, A: serde::de::MapAccess<'de>>(&mut self, index: usize, map: &mut A, {}: &mut {rt}::__private::Reports) -> Result<{rt}::__private::Outcome<()>, A::Error> {{\n        match index {{",
        // A struct without fields has nothing to report.
        if fields.is_empty() { "_" } else { "reports" }
    );
    for (i, field) in fields.iter().enumerate() {
        let _ = writeln!(
            out,
            "            {i} => {rt}::__private::next(map, &mut self.{}, reports),",
            field.ident
        );
    }
    let _ = writeln!(
        out,
        "            _ => serde::de::MapAccess::next_value::<serde::de::IgnoredAny>(map).map(|_| {rt}::__private::Outcome::Null),\n        }}\n    }}"
    );
    let _ = writeln!(
        out,
        "    fn absent_mut(&mut self) -> &mut {rt}::Absent {{\n        &mut self.{ABSENT_FIELD}\n    }}\n    fn absent(&self) -> &{rt}::Absent {{\n        &self.{ABSENT_FIELD}\n    }}\n}}"
    );
    let _ = writeln!(
        out,
        "impl<'de> serde::Deserialize<'de> for {name} {{\n    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {{\n        {rt}::__private::deserialize(deserializer)\n    }}\n}}"
    );

    let writes: Vec<(&str, &str, &str)> = fields
        .iter()
        .zip(&shapes)
        .map(|(field, shape)| (shape.write.method(), field.json.as_str(), field.ident.as_str()))
        .collect();
    let start =
        format!("{rt}::__private::fields(serializer, {name:?}, {}, &self.{ABSENT_FIELD})?", fields.len());
    emit_serialize(name, &start, &writes, out);
}

fn field_doc(field: &Field, out: &mut String) {
    let mut doc = if field.doc.is_empty() { format!("`{}`.", field.json) } else { field.doc.clone() };
    if !field.aliases.is_empty() {
        let names: Vec<String> = field.aliases.iter().map(|alias| format!("`{alias}`")).collect();
        let _ = write!(doc, "\n\nAlso read from {}, which some servers send instead.", names.join(", "));
    }
    let _ = writeln!(out, "    #[doc = {doc:?}]");
    if let Some(note) = &field.deprecated {
        let _ = writeln!(out, "    #[deprecated(note = {note:?})]");
    }
}
