//! A union's accessors: one method for each field that two or more of its
//! members carry (or all of them, for a union of one), so that reading
//! `event.device_id()` needs no match over 126 event types. Each reads the
//! typed field of a known member and the JSON of a member kept raw
//! (`Undecodable`, `Unknown`), and returns an `Option` where some member
//! lacks the field, makes it optional, or the server left it out.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::names::tag_accessor;
use super::structs::{Required, Shape, response_shape};
use super::types::{Def, DefKind, Field, Ty, Types, UNDECODABLE, runtime};

/// What an accessor returns, whichever member it reads.
#[derive(Clone, Debug, PartialEq)]
enum Kind {
    /// `&str`: a string, or open enums and strings mixed.
    Str,
    /// A `Copy` value: a boolean, a number or a date-time.
    Copy(Ty),
    /// An open enum, cloned.
    Enum(Ty),
    /// `Cow<[T]>` of a list.
    Slice(Ty),
    /// `Cow<T>` of anything else.
    Cow(Ty),
    /// The field's JSON, where the members type it differently.
    Json,
}

/// A member that carries the field.
struct Carrier<'a> {
    variant: &'a str,
    field: &'a Field,
    shape: Shape,
}

pub(super) fn emit_accessors(
    types: &Types,
    def: &Def,
    tag: &str,
    variants: &[(String, String, usize)],
    out: &mut String,
) {
    // Each field's carriers, in the order the first member declares them.
    let mut by_field: BTreeMap<&str, Vec<Carrier>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for (_, variant, member) in variants {
        let DefKind::Struct { fields, .. } = &types.defs[*member].kind else { continue };
        for field in fields {
            let carriers = by_field.entry(field.json.as_str()).or_default();
            if carriers.is_empty() {
                order.push(field.json.as_str());
            }
            carriers.push(Carrier { variant, field, shape: response_shape(field) });
        }
    }
    let tag_method = tag_accessor(tag);
    for json in order {
        let carriers = &by_field[json];
        let shared = carriers.len() >= 2 || carriers.len() == variants.len();
        let method = tag_accessor(json);
        if !shared || method == tag_method || method == "TAG" {
            continue;
        }
        emit_accessor(types, def, json, &method, carriers, variants.len(), out);
    }
}

fn emit_accessor(
    types: &Types,
    def: &Def,
    json: &str,
    method: &str,
    carriers: &[Carrier],
    members: usize,
    out: &mut String,
) {
    let rt = runtime(&def.place);
    let kind = kind(types, carriers);
    let optional =
        carriers.len() < members || kind == Kind::Json || carriers.iter().any(|c| is_option(&c.shape.ty));
    let returns = match &kind {
        Kind::Str => "&str".to_owned(),
        Kind::Copy(ty) | Kind::Enum(ty) => types.rust(ty, &def.place),
        Kind::Slice(item) => format!("std::borrow::Cow<'_, [{}]>", types.rust(item, &def.place)),
        Kind::Cow(ty) => format!("std::borrow::Cow<'_, {}>", types.rust(ty, &def.place)),
        Kind::Json => "serde_json::Value".to_owned(),
    };
    let returns = if optional { format!("Option<{returns}>") } else { returns };

    let summary = carriers
        .iter()
        .map(|c| c.field.doc.lines().next().unwrap_or("").trim())
        .find(|line| !line.is_empty())
        .map(|line| format!(": {line}"))
        .unwrap_or_else(|| ".".to_owned());
    let _ = writeln!(out, "    #[doc = {:?}]", format!("`{json}`, whichever member this is{summary}"));
    let _ = writeln!(out, "    ///");
    let note = match (&kind, optional) {
        (Kind::Json, _) => format!(
            "Its members type it differently, so it is returned as JSON; `None` where a member has no `{json}` ({} of {members} have one), it is `null`, or the server left it out.",
            carriers.len()
        ),
        (_, true) => format!(
            "`None` where a member has no `{json}` ({} of {members} have one), it is optional and absent, or the server left it out.",
            carriers.len()
        ),
        (_, false) => format!(
            "Every member has it; where the server left it out, it is the default, as the field is (see [`Absent`]({rt}::Absent))."
        ),
    };
    let _ = writeln!(out, "    #[doc = {note:?}]");
    let _ = writeln!(out, "    pub fn {method}(&self) -> {returns} {{\n        match self {{");
    for carrier in carriers {
        let _ = writeln!(
            out,
            "            Self::{}(member) => {},",
            carrier.variant,
            typed(rt, &kind, optional, carrier)
        );
    }
    let _ = writeln!(
        out,
        "            Self::Unknown(json) | Self::{UNDECODABLE}({rt}::RawMember {{ json, .. }}) => {},",
        raw(rt, &kind, optional, json)
    );
    if carriers.len() < members {
        let _ = writeln!(out, "            _ => None,");
    }
    let _ = writeln!(out, "        }}\n    }}");
}

/// What every carrier's field has in common.
fn kind(types: &Types, carriers: &[Carrier]) -> Kind {
    let bases: Vec<&Ty> = carriers.iter().map(|c| base(&c.shape.ty)).collect();
    let is_enum = |ty: &Ty| matches!(types.def(ty).map(|d| &d.kind), Some(DefKind::Enum { .. }));
    if bases.iter().all(|b| *b == bases[0]) {
        return match bases[0] {
            Ty::String => Kind::Str,
            Ty::Bool | Ty::Integer | Ty::Number | Ty::Timestamp => Kind::Copy(bases[0].clone()),
            Ty::Value => Kind::Json,
            Ty::Vec(item) => Kind::Slice((**item).clone()),
            ty if is_enum(ty) => Kind::Enum(ty.clone()),
            ty => Kind::Cow(ty.clone()),
        };
    }
    if bases.iter().all(|b| **b == Ty::String || is_enum(b)) { Kind::Str } else { Kind::Json }
}

fn base(ty: &Ty) -> &Ty {
    match ty {
        Ty::Option(inner) => inner,
        ty => ty,
    }
}

fn is_option(ty: &Ty) -> bool {
    matches!(ty, Ty::Option(_))
}

/// The arm's expression for a known member's typed field.
fn typed(rt: &str, kind: &Kind, optional: bool, carrier: &Carrier) -> String {
    let field = format!("member.{}", carrier.field.ident);
    if is_option(&carrier.shape.ty) {
        return match kind {
            Kind::Str => format!("{field}.as_ref().map(|value| value.as_str())"),
            Kind::Copy(_) => field,
            Kind::Enum(_) => format!("{field}.clone()"),
            Kind::Slice(_) => format!("{field}.as_deref().map(std::borrow::Cow::Borrowed)"),
            Kind::Cow(_) => format!("{field}.as_ref().map(std::borrow::Cow::Borrowed)"),
            Kind::Json => format!("{field}.as_ref().and_then({rt}::__private::to_json)"),
        };
    }
    let value = match kind {
        Kind::Str => format!("{field}.as_str()"),
        Kind::Copy(_) => field.clone(),
        Kind::Enum(_) => format!("{field}.clone()"),
        Kind::Slice(_) => format!("std::borrow::Cow::Borrowed({field}.as_slice())"),
        Kind::Cow(_) => format!("std::borrow::Cow::Borrowed(&{field})"),
        Kind::Json => format!("{rt}::__private::to_json(&{field})"),
    };
    let tracked = matches!(carrier.shape.required, Some(Required::Field | Required::Nullable));
    match (optional, tracked, kind) {
        (false, _, _) => value,
        (true, true, Kind::Json) => {
            format!("(!member.absent.contains({:?})).then(|| {value}).flatten()", carrier.field.json)
        }
        (true, true, _) => format!("(!member.absent.contains({:?})).then(|| {value})", carrier.field.json),
        (true, false, Kind::Json) => value,
        (true, false, _) => format!("Some({value})"),
    }
}

/// The arm's expression for a member kept as JSON (`json`).
fn raw(rt: &str, kind: &Kind, optional: bool, field: &str) -> String {
    let read = match kind {
        Kind::Str => format!("{rt}::__private::raw_str(json, {field:?})"),
        Kind::Json => return format!("{rt}::__private::raw_json(json, {field:?})"),
        _ => format!("{rt}::__private::raw(json, {field:?})"),
    };
    match (kind, optional) {
        (Kind::Slice(_) | Kind::Cow(_), true) => format!("{read}.map(std::borrow::Cow::Owned)"),
        (Kind::Slice(_) | Kind::Cow(_), false) => {
            format!("std::borrow::Cow::Owned({read}.unwrap_or_default())")
        }
        (_, true) => read,
        (_, false) => format!("{read}.unwrap_or_default()"),
    }
}
