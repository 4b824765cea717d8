//! Emitting the Rust source of the types at one place: enums and untagged
//! values here, structs in `structs.rs`, unions in `unions.rs`.

use std::fmt::Write as _;

use super::structs::emit_struct;
use super::types::{DefKind, Place, Types, partial_eq, runtime, schema_derive};
use super::unions::emit_union;

/// The Rust source of every type placed at `place`, in definition order.
pub(crate) fn emit(types: &Types, place: &Place) -> String {
    let rt = runtime(place);
    let mut out = String::new();
    for (alias, index) in types.aliases.values().filter(|(_, i)| &types.defs[*i].place == place) {
        let target = &types.defs[*index].name;
        let doc = format!(
            "The same body as [`{target}`], which another operation of this resource answers with too."
        );
        let _ = writeln!(out, "#[doc = {doc:?}]\npub type {alias} = {target};");
    }
    for (index, def) in types.defs.iter().enumerate().filter(|(_, d)| &d.place == place) {
        let doc = if def.doc.is_empty() {
            format!("`{}`, as Seam's API describes it.", def.name)
        } else {
            def.doc.clone()
        };
        if !matches!(def.kind, DefKind::Enum { .. }) {
            let _ = writeln!(out, "#[doc = {doc:?}]");
        }
        match &def.kind {
            DefKind::Struct { fields, side } => emit_struct(types, index, def, fields, *side, &mut out),
            DefKind::Enum { values } => {
                let _ = writeln!(out, "{rt}::open_enum! {{ #[doc = {doc:?}] {} {{", def.name);
                for (value, variant) in values {
                    let _ = writeln!(out, "    {variant} = {value:?},");
                }
                let _ = writeln!(out, "}} }}");
                if matches!(place, Place::Model(_)) {
                    let _ = writeln!(
                        out,
                        "#[cfg(feature = \"schemars\")]\n{rt}::open_enum_schema!({});",
                        def.name
                    );
                }
            }
            DefKind::Union { tag, variants } => emit_union(types, def, tag, variants, &mut out),
            DefKind::Untagged { variants } => {
                let _ = writeln!(
                    out,
                    "#[derive(Clone, Debug{}, serde::Serialize, serde::Deserialize)]",
                    partial_eq(place)
                );
                let _ = writeln!(out, "{}", schema_derive(place));
                let _ = writeln!(out, "#[serde(untagged)]\npub enum {} {{", def.name);
                for (variant, ty) in variants {
                    let _ = writeln!(out, "    #[doc = \"A JSON {}.\"]", variant.to_ascii_lowercase());
                    let _ = writeln!(out, "    {variant}({}),", types.rust(ty, &def.place));
                }
                let _ = writeln!(out, "}}");
                // In a model: a value none of its types holds is of the
                // wrong type (see seam-types' `__private::untagged`).
                let expected: Vec<String> = variants
                    .iter()
                    .map(|(variant, _)| format!("a {}", variant.to_ascii_lowercase()))
                    .collect();
                let _ = writeln!(
                    out,
                    "impl {rt}::__private::Tolerant for {} {{\n    fn decode<'de, D: serde::Deserializer<'de>>(deserializer: D, _: &mut {rt}::__private::Reports) -> Result<{rt}::__private::Outcome<Self>, D::Error> {{\n        {rt}::__private::untagged(deserializer, {:?})\n    }}\n}}",
                    def.name,
                    expected.join(" or ")
                );
                // What a required field a response leaves out decodes as.
                if let Some((first, _)) = variants.first() {
                    let _ = writeln!(
                        out,
                        "impl Default for {} {{\n    fn default() -> Self {{\n        Self::{first}(Default::default())\n    }}\n}}",
                        def.name
                    );
                }
            }
        }
    }
    out
}
