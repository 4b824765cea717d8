//! Emitting tagged unions: a variant per tag this version knows,
//! `Undecodable` for a known tag whose body does not match its model, and
//! `Unknown` for any other tag, so that no member fails what holds it;
//! with accessors for the fields the members share (`accessors.rs`).

use std::fmt::Write as _;

use super::accessors::emit_accessors;
use super::names::{field_ident, tag_accessor};
use super::structs::response_shape;
use super::types::{Def, DefKind, Place, Ty, Types, UNDECODABLE, partial_eq, runtime};

pub(super) fn emit_union(
    types: &Types,
    def: &Def,
    tag: &str,
    variants: &[(String, String, usize)],
    out: &mut String,
) {
    let name = &def.name;
    let rt = runtime(&def.place);
    let _ = writeln!(
        out,
        "///\n/// Decoding reads `{tag}`. A member whose `{tag}` this version knows but whose body does not match its model decodes as [`{name}::{UNDECODABLE}`], and one whose `{tag}` it does not know as [`{name}::Unknown`]; both keep the JSON the server sent, and the accessors read them as they read the others."
    );
    let _ = writeln!(
        out,
        "#[derive(Clone, Debug{})]\n#[non_exhaustive]\npub enum {name} {{",
        partial_eq(&def.place)
    );
    for (value, variant, member) in variants {
        let _ = writeln!(out, "    #[doc = {:?}]", format!("`{tag}: \"{value}\"`."));
        let _ = writeln!(out, "    {variant}({}),", types.rust(&Ty::Def(*member), &def.place));
    }
    let _ = writeln!(
        out,
        "    /// A `{tag}` this version knows, with a body that does not match its model: kept as sent, with the reason."
    );
    let _ = writeln!(out, "    {UNDECODABLE}({rt}::RawMember),");
    let _ = writeln!(out, "    /// A `{tag}` this version does not know, as the JSON the server sent.");
    let _ = writeln!(out, "    Unknown(serde_json::Value),\n}}");

    let _ = writeln!(out, "impl {name} {{");
    let _ = writeln!(
        out,
        "    /// The property that tells the members apart.\n    pub const TAG: &'static str = {tag:?};"
    );
    let _ = writeln!(out, "    /// The `{tag}` of this value, known or not.");
    let _ = writeln!(out, "    pub fn {}(&self) -> &str {{\n        match self {{", tag_accessor(tag));
    for (value, variant, _) in variants {
        let _ = writeln!(out, "            Self::{variant}(_) => {value:?},");
    }
    let _ = writeln!(out, "            Self::{UNDECODABLE}(raw) => &raw.tag,");
    let _ = writeln!(
        out,
        "            Self::Unknown(value) => {rt}::__private::union_tag_of(value, Self::TAG),\n        }}\n    }}"
    );
    emit_accessors(types, def, tag, variants, out);
    let _ = writeln!(out, "}}");

    let _ = writeln!(
        out,
        "/// `Unknown(null)`: what a required field the server left out decodes as (see [`Absent`]({rt}::Absent)).\nimpl Default for {name} {{\n    fn default() -> Self {{\n        Self::Unknown(serde_json::Value::Null)\n    }}\n}}"
    );

    // Decoding: tolerant in a field, a list or a map (see seam-types'
    // `__private::Tolerant`), strict as a whole body.
    let _ = writeln!(out, "impl {rt}::__private::Tolerant for {name} {{");
    let _ = writeln!(
        out,
        "    fn decode<'de, D: serde::Deserializer<'de>>(deserializer: D, reports: &mut {rt}::__private::Reports) -> Result<{rt}::__private::Outcome<Self>, D::Error> {{"
    );
    let _ = writeln!(
        out,
        "        let value = match {rt}::__private::union_value(deserializer)? {{\n            Ok(value) => value,\n            Err(outcome) => return Ok(outcome),\n        }};"
    );
    let _ = writeln!(
        out,
        "        Ok({rt}::__private::Outcome::Value(match {rt}::__private::union_tag_of(&value, Self::TAG) {{"
    );
    for (value, variant, _) in variants {
        let _ = writeln!(
            out,
            "            {value:?} => {rt}::__private::member(value, {value:?}, Self::{variant}, Self::{UNDECODABLE}, reports),"
        );
    }
    let _ = writeln!(out, "            _ => Self::Unknown(value),\n        }}))\n    }}\n}}");
    let _ = writeln!(
        out,
        "impl<'de> serde::Deserialize<'de> for {name} {{\n    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {{\n        {rt}::__private::strict(deserializer, {name:?})\n    }}\n}}"
    );

    let _ = writeln!(out, "impl serde::Serialize for {name} {{");
    let _ = writeln!(
        out,
        "    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{"
    );
    let _ = writeln!(out, "        match self {{");
    for (value, variant, _) in variants {
        let _ = writeln!(
            out,
            "            Self::{variant}(member) => {rt}::__private::serialize_tagged(serializer, Self::TAG, {value:?}, member),"
        );
    }
    let _ = writeln!(
        out,
        "            Self::{UNDECODABLE}(raw) => serde::Serialize::serialize(&raw.json, serializer),"
    );
    let _ = writeln!(
        out,
        "            Self::Unknown(value) => serde::Serialize::serialize(value, serializer),\n        }}\n    }}\n}}"
    );

    emit_tests(types, def, tag, variants, out);

    if !matches!(def.place, Place::Model(_)) {
        return;
    }
    let _ = writeln!(out, "#[cfg(feature = \"schemars\")]\nimpl schemars::JsonSchema for {name} {{");
    let _ = writeln!(out, "    fn schema_name() -> std::borrow::Cow<'static, str> {{ {name:?}.into() }}");
    let _ =
        writeln!(out, "    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {{");
    let _ = writeln!(out, "        {rt}::__private::union_schema(Self::TAG, vec![");
    for (value, _, member) in variants {
        let _ = writeln!(
            out,
            "            ({value:?}, generator.subschema_for::<{}>()),",
            types.rust(&Ty::Def(*member), &def.place)
        );
    }
    let _ = writeln!(out, "        ])\n    }}\n}}");
}

/// Each union's own tests: a member of a tag this version does not know
/// decodes as `Unknown`, keeps its JSON, answers the tag accessor and
/// serializes back unchanged; a known member with a field of the wrong
/// type decodes as its typed member with that field named absent; a value
/// that is not an object fails alone and is dropped from a list.
fn emit_tests(types: &Types, def: &Def, tag: &str, variants: &[(String, String, usize)], out: &mut String) {
    let name = &def.name;
    let rt = runtime(&def.place);
    let tag_method = tag_accessor(tag);
    let test_module = format!("{}_keeps_what_it_cannot_decode", field_ident(name).trim_start_matches("r#"));
    let tag_ident = field_ident(tag);
    let tag_ident = tag_ident.trim_start_matches("r#");
    let _ = writeln!(out, "#[cfg(test)]\nmod {test_module} {{");
    let _ = writeln!(out, "    #[test]\n    fn an_unknown_{tag_ident}_is_kept_as_json() {{");
    let _ = writeln!(
        out,
        "        let sent = serde_json::json!({{ {tag:?}: \"a_member_from_a_newer_server\", \"extra\": [1, {{\"nested\": true}}] }});"
    );
    let _ =
        writeln!(out, "        let decoded: super::{name} = serde_json::from_value(sent.clone()).unwrap();");
    let _ = writeln!(
        out,
        "        assert!(matches!(&decoded, super::{name}::Unknown(raw) if raw == &sent), \"{{decoded:?}}\");"
    );
    let _ = writeln!(out, "        assert_eq!(decoded.{tag_method}(), \"a_member_from_a_newer_server\");");
    let _ = writeln!(out, "        assert_eq!(serde_json::to_value(&decoded).unwrap(), sent);");
    let _ = writeln!(out, "    }}");

    if let Some((value, variant, field, wrong)) = mismatch(types, variants) {
        let _ = writeln!(
            out,
            "    #[test]\n    fn a_known_{tag_ident}_with_a_field_of_the_wrong_type_decodes_typed() {{"
        );
        let _ = writeln!(
            out,
            "        let sent = serde_json::json!({{ {tag:?}: {value:?}, {field:?}: {wrong} }});"
        );
        let _ = writeln!(
            out,
            "        let decoded: super::{name} = serde_json::from_value(sent.clone()).unwrap();"
        );
        let _ = writeln!(
            out,
            "        assert!(matches!(&decoded, super::{name}::{variant}(member) if matches!(member.absent.reason({field:?}), Some({rt}::AbsentReason::WrongType {{ .. }}))), \"{{decoded:?}}\");"
        );
        let _ = writeln!(out, "        assert_eq!(decoded.{tag_method}(), {value:?});");
        let _ = writeln!(out, "        let again = serde_json::to_value(&decoded).unwrap();");
        let _ = writeln!(
            out,
            "        assert!(again[{tag:?}] == {value:?} && again.get({field:?}).is_none(), \"{{again}}\");"
        );
        let _ = writeln!(out, "    }}");
        let _ = writeln!(
            out,
            "    #[test]\n    fn a_value_that_is_no_object_is_an_error_alone_and_dropped_from_a_list() {{"
        );
        let _ = writeln!(
            out,
            "        assert!(serde_json::from_value::<super::{name}>(serde_json::json!({value:?})).is_err());"
        );
        let _ = writeln!(out, "        let mut reports = {rt}::__private::Reports::default();");
        let _ = writeln!(
            out,
            "        let list = <Vec<super::{name}> as {rt}::__private::Tolerant>::decode(serde_json::json!([{value:?}, {{ {tag:?}: {value:?} }}]), &mut reports).unwrap();"
        );
        let _ = writeln!(
            out,
            "        assert!(matches!(&list, {rt}::__private::Outcome::Value(items) if items.len() == 1), \"{{list:?}}\");"
        );
        let _ = writeln!(out, "        assert_eq!(reports.into_vec()[0].path, \"[0]\");");
        let _ = writeln!(out, "    }}");
    }
    let _ = writeln!(out, "}}");
}

/// A known member (its tag and variant), one of its fields and a JSON
/// value of a type that field cannot take, if any member has such a field.
fn mismatch(
    types: &Types,
    variants: &[(String, String, usize)],
) -> Option<(String, String, String, &'static str)> {
    variants.iter().find_map(|(value, variant, member)| {
        let DefKind::Struct { fields, .. } = &types.defs[*member].kind else { return None };
        fields.iter().find_map(|field| {
            let base = match response_shape(field).ty {
                Ty::Option(inner) => *inner,
                ty => ty,
            };
            let wrong = match base {
                Ty::Value => return None,
                Ty::Object | Ty::MapOf(_) | Ty::HandWritten(_) => "\"not an object\"",
                Ty::Def(index)
                    if matches!(types.defs[index].kind, DefKind::Struct { .. } | DefKind::Union { .. }) =>
                {
                    "\"not an object\""
                }
                _ => "{\"not\": \"this\"}",
            };
            Some((value.clone(), variant.clone(), field.json.clone(), wrong))
        })
    })
}
