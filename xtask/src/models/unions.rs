//! Emitting tagged unions.

use std::fmt::Write as _;

use super::emit::{partial_eq, runtime};
use super::names::{field_ident, tag_accessor};
use super::types::{Def, Place, Ty, Types};

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
        "///\n/// Decoding reads `{tag}`; a value this version does not know decodes as [`{name}::Unknown`], keeping the raw JSON."
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
    let _ = writeln!(
        out,
        "            Self::Unknown(value) => {rt}::__private::union_tag_of(value, Self::TAG),\n        }}\n    }}\n}}"
    );

    let _ = writeln!(out, "impl<'de> serde::Deserialize<'de> for {name} {{");
    let _ = writeln!(
        out,
        "    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {{"
    );
    let _ = writeln!(
        out,
        "        let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;"
    );
    let _ = writeln!(out, "        let decoded = match {rt}::__private::union_tag_of(&value, Self::TAG) {{");
    for (value, variant, _) in variants {
        let _ = writeln!(out, "            {value:?} => serde_json::from_value(value).map(Self::{variant}),");
    }
    let _ = writeln!(out, "            _ => Ok(Self::Unknown(value)),\n        }};");
    let _ = writeln!(out, "        decoded.map_err(serde::de::Error::custom)\n    }}\n}}");

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
        "            Self::Unknown(value) => serde::Serialize::serialize(value, serializer),\n        }}\n    }}\n}}"
    );

    // Each union's own test: a member of a type this version does not know
    // decodes as Unknown, keeps its JSON, and serializes back unchanged.
    let test_module = format!("{}_decodes_unknown_members", field_ident(&def.name).trim_start_matches("r#"));
    let _ = writeln!(out, "#[cfg(test)]\nmod {test_module} {{");
    let _ = writeln!(
        out,
        "    #[test]\n    fn an_unknown_{}_is_kept_as_json() {{",
        field_ident(tag).trim_start_matches("r#")
    );
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
    let _ = writeln!(
        out,
        "        assert_eq!(decoded.{}(), \"a_member_from_a_newer_server\");",
        tag_accessor(tag)
    );
    let _ = writeln!(out, "        assert_eq!(serde_json::to_value(&decoded).unwrap(), sent);");
    let _ = writeln!(out, "    }}\n}}");

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
