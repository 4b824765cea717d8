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

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use anyhow::{Context, Result, bail, ensure};
use serde_json::{Map, Value, json};

use crate::generate::pascal_case;

const SCHEMA_REF: &str = "#/components/schemas/";

/// Where a generated type is written.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Place {
    /// `crates/seam-types/src/generated/<schema>.rs`.
    Model(String),
    /// `crates/seam-api/src/wire/<resource>.rs`.
    Wire(String),
}

/// A Rust type, as a field or argument uses it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Ty {
    String,
    Bool,
    Integer,
    Number,
    Timestamp,
    /// Any JSON.
    Value,
    /// A JSON object with values of any type.
    Object,
    MapOf(Box<Ty>),
    Vec(Box<Ty>),
    Option(Box<Ty>),
    /// A type this stage generates.
    Def(usize),
    /// A hand-written model: its path from seam-types' root (`ClientSession`).
    HandWritten(String),
}

#[derive(Debug)]
pub(crate) struct Def {
    pub(crate) name: String,
    pub(crate) place: Place,
    pub(crate) doc: String,
    pub(crate) kind: DefKind,
}

#[derive(Debug)]
pub(crate) enum DefKind {
    Struct {
        fields: Vec<Field>,
        side: Side,
    },
    /// An open string enum: (value, variant) pairs.
    Enum {
        values: Vec<(String, String)>,
    },
    /// A tagged union: the tag property and (tag value, variant, member type).
    Union {
        tag: String,
        variants: Vec<(String, String, usize)>,
    },
    /// A value of one of several JSON types: (variant, type).
    Untagged {
        variants: Vec<(String, Ty)>,
    },
}

#[derive(Debug)]
pub(crate) struct Field {
    pub(crate) json: String,
    pub(crate) ident: String,
    pub(crate) ty: Ty,
    pub(crate) required: bool,
    pub(crate) doc: String,
    pub(crate) deprecated: Option<String>,
}

/// Whether a type is read from responses (tolerant) or sent in requests
/// (exact: optional fields are left out, required ones are arguments).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Side {
    Response,
    Request,
}

/// Every generated type, with what dedups and names them.
pub(crate) struct Types<'a> {
    schemas: &'a Map<String, Value>,
    hand_written: &'a BTreeMap<String, String>,
    pub(crate) defs: Vec<Def>,
    by_key: HashMap<String, usize>,
    components: HashMap<String, usize>,
    names: BTreeSet<String>,
    /// Hoisted bodies with the shape of an earlier one in the same
    /// resource: component → (its own type name, the earlier type).
    aliases: BTreeMap<String, (String, usize)>,
}

impl<'a> Types<'a> {
    pub(crate) fn new(document: &'a Value, hand_written: &'a BTreeMap<String, String>) -> Self {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        let schemas = document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new));
        // Hand-written model names are taken, and every component's own
        // name is kept for it, whatever inline type is named first.
        let names = hand_written
            .values()
            .map(|p| p.rsplit("::").next().unwrap_or(p).to_owned())
            .chain(schemas.keys().map(|k| pascal_case(k)))
            .collect();
        Self {
            schemas,
            hand_written,
            defs: Vec::new(),
            by_key: HashMap::new(),
            components: HashMap::new(),
            names,
            aliases: BTreeMap::new(),
        }
    }

    /// The model type of component schema `name`, generating it (and what
    /// it reaches) on first use.
    pub(crate) fn component(&mut self, name: &str) -> Result<Ty> {
        if let Some(path) = self.hand_written.get(name) {
            return Ok(Ty::HandWritten(path.rsplit("::").next().unwrap_or(path).to_owned()));
        }
        if let Some(&index) = self.components.get(name) {
            return Ok(Ty::Def(index));
        }
        let Some(schema) = self.schemas.get(name) else {
            bail!("the slice refers to `{SCHEMA_REF}{name}`, which it does not define");
        };
        let hint = Hint {
            name: pascal_case(name),
            place: Place::Model(name.to_owned()),
            side: Side::Response,
            union_prefix: None,
            reserved: true,
        };
        let ty = self.resolve(schema, &hint).with_context(|| format!("in schema `{name}`"))?;
        let Ty::Def(index) = ty else {
            bail!("schema `{name}` is not an object, enum or union; models are generated for those only");
        };
        self.components.insert(name.to_owned(), index);
        Ok(ty)
    }

    /// The type of `schema` where `hint` names and places it.
    pub(crate) fn resolve(&mut self, schema: &Value, hint: &Hint) -> Result<Ty> {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let Some(name) = reference.strip_prefix(SCHEMA_REF) else {
                bail!("unsupported reference `{reference}`");
            };
            let ty = self.component(name)?;
            return Ok(if nullable(schema) { Ty::Option(Box::new(ty)) } else { ty });
        }
        let ty = self.resolve_inner(schema, hint)?;
        Ok(if nullable(schema) && !matches!(ty, Ty::Option(_) | Ty::Value) {
            Ty::Option(Box::new(ty))
        } else {
            ty
        })
    }

    fn resolve_inner(&mut self, schema: &Value, hint: &Hint) -> Result<Ty> {
        if let Some(members) = schema.get("oneOf").and_then(Value::as_array) {
            return self.one_of(schema, members, hint);
        }
        if schema.get("allOf").is_some() {
            let merged = merge_all_of(schema)?;
            return self.object(&merged, hint);
        }
        let kind = schema.get("type").and_then(Value::as_str);
        Ok(match kind {
            Some("string") => match (schema.get("enum").and_then(Value::as_array), schema.get("format")) {
                (Some(values), _) => self.enumeration(schema, values, hint)?,
                (None, Some(f)) if f == "date-time" => Ty::Timestamp,
                (None, _) => Ty::String,
            },
            Some("boolean") => Ty::Bool,
            Some("integer") => Ty::Integer,
            Some("number") => Ty::Number,
            Some("array") => {
                let items = schema.get("items").unwrap_or(&Value::Null);
                let item_hint = hint.child_singular();
                Ty::Vec(Box::new(if items.is_null() { Ty::Value } else { self.resolve(items, &item_hint)? }))
            }
            Some("object") | None if schema.get("properties").is_some() => self.object(schema, hint)?,
            Some("object") => match schema.get("additionalProperties") {
                Some(values) if values.is_object() && values.as_object().is_some_and(|m| !m.is_empty()) => {
                    let value_hint = hint.child("Value");
                    Ty::MapOf(Box::new(self.resolve(values, &value_hint)?))
                }
                _ => Ty::Object,
            },
            None => Ty::Value,
            Some(other) => bail!("type `{other}` is not mapped; extend xtask/src/models.rs"),
        })
    }

    fn object(&mut self, schema: &Value, hint: &Hint) -> Result<Ty> {
        self.object_keyed(schema, hint, "")
    }

    /// An object type; `extra` joins the dedup key (a union member's tag,
    /// so members of the same shape but different tags stay apart).
    fn object_keyed(&mut self, schema: &Value, hint: &Hint, extra: &str) -> Result<Ty> {
        let key = format!("{extra}{}", dedup_key(schema, hint));
        if let Some(&index) = self.by_key.get(&key) {
            return Ok(Ty::Def(index));
        }
        let index = self.reserve(hint, schema)?;
        self.by_key.insert(key, index);
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut fields = Vec::new();
        let mut idents = BTreeSet::new();
        for (json_name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten()
        {
            if property.get("x-undocumented").is_some() || json_name == "x-property-groups" {
                continue;
            }
            let ident = field_ident(json_name);
            ensure!(
                idents.insert(ident.clone()),
                "two properties of `{}` are both named `{ident}` in Rust",
                hint.name
            );
            // An enum in a union member is named after the union
            // (`ActionAttemptStatus`), since the members share it.
            let field_hint = match (&hint.union_prefix, property.get("enum")) {
                (Some(prefix), Some(_)) => {
                    Hint { name: prefix.clone(), union_prefix: None, ..hint.clone() }.field(json_name)
                }
                _ => hint.field(json_name),
            };
            let ty =
                self.resolve(property, &field_hint).with_context(|| format!("property `{json_name}`"))?;
            fields.push(Field {
                json: json_name.clone(),
                ident,
                ty,
                required: required.contains(json_name.as_str()),
                doc: doc_text(property),
                deprecated: deprecation(property),
            });
        }
        self.defs[index].kind = DefKind::Struct { fields, side: hint.side };
        Ok(Ty::Def(index))
    }

    fn enumeration(&mut self, schema: &Value, values: &[Value], hint: &Hint) -> Result<Ty> {
        let values: Vec<String> = values.iter().filter_map(Value::as_str).map(str::to_owned).collect();
        self.open_enum(schema, values, hint)
    }

    fn open_enum(&mut self, schema: &Value, values: Vec<String>, hint: &Hint) -> Result<Ty> {
        let key = format!("enum:{:?}:{}", hint.place_key(), values.join("\u{0}"));
        if let Some(&index) = self.by_key.get(&key) {
            return Ok(Ty::Def(index));
        }
        let index = self.reserve(hint, schema)?;
        self.by_key.insert(key, index);
        let mut variants = BTreeSet::new();
        let mut pairs = Vec::new();
        for value in values {
            let mut variant = variant_name(&value);
            while !variants.insert(variant.clone()) {
                variant.push('_');
            }
            pairs.push((value, variant));
        }
        self.defs[index].kind = DefKind::Enum { values: pairs };
        Ok(Ty::Def(index))
    }

    fn one_of(&mut self, schema: &Value, members: &[Value], hint: &Hint) -> Result<Ty> {
        // A oneOf of oneOfs is one oneOf of all their members.
        if members.iter().any(|m| m.get("oneOf").is_some()) {
            let mut flat = Vec::new();
            for member in members {
                match member.get("oneOf").and_then(Value::as_array) {
                    Some(inner) => flat.extend(inner.iter().cloned()),
                    None => flat.push(member.clone()),
                }
            }
            return self.one_of(schema, &flat, hint);
        }
        let kinds: Vec<Option<&str>> =
            members.iter().map(|m| m.get("type").and_then(Value::as_str)).collect();
        let objects = members.iter().all(|m| m.get("properties").is_some() && m.get("$ref").is_none());
        if objects {
            let tag = if hint.side == Side::Request { None } else { union_tag(schema, members) };
            let Some(tag) = tag else {
                // Seam's own SDK generator merges such a oneOf into one
                // object: the union of the properties, the intersection of
                // what is required.
                let mut merged = merge_objects(members.iter(), Required::Intersection)?;
                if let Some(d) = schema.get("description") {
                    merged["description"] = d.clone();
                }
                return self.object(&merged, hint);
            };
            return self.union(schema, members, &tag, hint);
        }
        if kinds.iter().all(|k| *k == Some("string")) {
            if members.iter().all(|m| m.get("enum").is_some()) {
                let mut values = Vec::new();
                for value in members.iter().flat_map(|m| m["enum"].as_array().into_iter().flatten()) {
                    if let Some(v) = value.as_str().filter(|v| !values.iter().any(|x: &String| x == v)) {
                        values.push(v.to_owned());
                    }
                }
                return self.open_enum(schema, values, hint);
            }
            return Ok(Ty::String);
        }
        if kinds.iter().all(Option::is_some) && members.iter().all(|m| m.get("properties").is_none()) {
            // A value of one of several JSON types (`string | boolean`).
            let mut variants = Vec::new();
            for (member, kind) in members.iter().zip(&kinds) {
                let ty = self.resolve(member, &hint.child(&pascal_case(kind.unwrap_or("value"))))?;
                let name = match kind {
                    Some("string") => "String",
                    Some("boolean") => "Boolean",
                    Some("number") => "Number",
                    Some("integer") => "Integer",
                    Some("array") => "List",
                    _ => "Object",
                };
                ensure!(!variants.iter().any(|(n, _)| n == name), "a oneOf repeats the JSON type `{name}`");
                variants.push((name.to_owned(), ty));
            }
            let key = format!("untagged:{:?}:{variants:?}", hint.place_key());
            if let Some(&index) = self.by_key.get(&key) {
                return Ok(Ty::Def(index));
            }
            let index = self.reserve(hint, schema)?;
            self.by_key.insert(key, index);
            self.defs[index].kind = DefKind::Untagged { variants };
            return Ok(Ty::Def(index));
        }
        bail!(
            "a oneOf of {} is not mapped (objects, strings, or scalars of distinct types are); extend xtask/src/models.rs",
            kinds.iter().map(|k| k.unwrap_or("untyped")).collect::<Vec<_>>().join(", ")
        )
    }

    fn union(&mut self, schema: &Value, members: &[Value], tag: &str, hint: &Hint) -> Result<Ty> {
        let key = dedup_key(schema, hint);
        if let Some(&index) = self.by_key.get(&key) {
            return Ok(Ty::Def(index));
        }
        let index = self.reserve(hint, schema)?;
        self.by_key.insert(key, index);
        // Members that share a tag value (an action attempt's pending,
        // success and error shapes) become one variant.
        let mut groups: Vec<(String, Vec<&Value>)> = Vec::new();
        for member in members {
            let Some(value) = member.pointer(&format!("/properties/{tag}/enum/0")).and_then(Value::as_str)
            else {
                bail!("a member of the union on `{tag}` has no single `{tag}` value");
            };
            match groups.iter_mut().find(|(v, _)| v == value) {
                Some((_, group)) => group.push(member),
                None => groups.push((value.to_owned(), vec![member])),
            }
        }
        let mut variants = Vec::new();
        let mut names = BTreeSet::new();
        for (value, group) in groups {
            let mut merged = if group.len() == 1 {
                group[0].clone()
            } else {
                merge_objects(group.iter().copied(), Required::Intersection)?
            };
            if let Some(properties) = merged.get_mut("properties").and_then(Value::as_object_mut) {
                properties.remove(tag);
            }
            if let Some(required) = merged.get_mut("required").and_then(Value::as_array_mut) {
                required.retain(|r| r != tag);
            }
            let mut variant = variant_name(&value);
            while !names.insert(variant.clone()) {
                variant.push('_');
            }
            let member_hint = Hint {
                name: format!("{}{variant}", hint.name),
                place: hint.place.clone(),
                side: hint.side,
                union_prefix: Some(hint.name.clone()),
                reserved: false,
            };
            let Ty::Def(member) = self.object_keyed(&merged, &member_hint, &format!("{tag}={value}:"))?
            else {
                bail!("union member `{value}` is not an object");
            };
            variants.push((value, variant, member));
        }
        self.defs[index].kind = DefKind::Union { tag: tag.to_owned(), variants };
        Ok(Ty::Def(index))
    }

    /// A new, uniquely named definition, filled in by the caller.
    fn reserve(&mut self, hint: &Hint, schema: &Value) -> Result<usize> {
        let mut name = hint.name.clone();
        // A component's name was kept for it in advance; anything else
        // takes the first free `Name`, `Name2`, ….
        let mut n = 2;
        while !self.names.insert(name.clone()) && !hint.reserved {
            name = format!("{}{n}", hint.name);
            n += 1;
        }
        self.defs.push(Def {
            name,
            place: hint.place.clone(),
            doc: doc_text(schema),
            kind: DefKind::Enum { values: Vec::new() },
        });
        Ok(self.defs.len() - 1)
    }

    /// Whether a missing value of `ty` can decode as an empty one.
    pub(crate) fn has_empty_value(&self, ty: &Ty) -> bool {
        self.empty(ty, &mut BTreeSet::new())
    }

    fn empty(&self, ty: &Ty, visiting: &mut BTreeSet<usize>) -> bool {
        match ty {
            Ty::String | Ty::Bool | Ty::Value | Ty::Object | Ty::MapOf(_) | Ty::Vec(_) | Ty::Option(_) => {
                true
            }
            Ty::Integer | Ty::Number | Ty::Timestamp | Ty::HandWritten(_) => false,
            Ty::Def(index) => {
                if !visiting.insert(*index) {
                    return false;
                }
                let empty = match &self.defs[*index].kind {
                    DefKind::Struct { fields, side } => {
                        fields.iter().all(|f| self.field_has_default(f, *side, visiting))
                    }
                    _ => false,
                };
                visiting.remove(index);
                empty
            }
        }
    }

    fn field_has_default(&self, field: &Field, side: Side, visiting: &mut BTreeSet<usize>) -> bool {
        match side {
            Side::Request => !field.required,
            Side::Response => !field.required || self.empty(&field.ty, visiting),
        }
    }

    /// Whether the struct at `index` implements `Default`.
    pub(crate) fn is_default(&self, index: usize) -> bool {
        match &self.defs[index].kind {
            DefKind::Struct { fields, side } => {
                fields.iter().all(|f| self.field_has_default(f, *side, &mut BTreeSet::from([index])))
            }
            _ => false,
        }
    }

    /// Every other generated file that `place`'s types refer to.
    pub(crate) fn dependencies(&self, place: &Place) -> BTreeSet<Place> {
        let mut out = BTreeSet::new();
        for def in self.defs.iter().filter(|d| &d.place == place) {
            let mut visit = |ty: &Ty| self.places_in(ty, &mut out);
            match &def.kind {
                DefKind::Struct { fields, .. } => fields.iter().for_each(|f| visit(&f.ty)),
                DefKind::Union { variants, .. } => variants.iter().for_each(|(_, _, m)| visit(&Ty::Def(*m))),
                DefKind::Untagged { variants } => variants.iter().for_each(|(_, t)| visit(t)),
                DefKind::Enum { .. } => {}
            }
        }
        out.remove(place);
        out
    }

    fn places_in(&self, ty: &Ty, out: &mut BTreeSet<Place>) {
        match ty {
            Ty::MapOf(inner) | Ty::Vec(inner) | Ty::Option(inner) => self.places_in(inner, out),
            Ty::Def(index) => {
                out.insert(self.defs[*index].place.clone());
            }
            _ => {}
        }
    }

    /// `ty` as Rust source, written from a file at `from`.
    pub(crate) fn rust(&self, ty: &Ty, from: &Place) -> String {
        match ty {
            Ty::String => "String".into(),
            Ty::Bool => "bool".into(),
            Ty::Integer => "i64".into(),
            Ty::Number => "f64".into(),
            Ty::Timestamp => self.model_path("Timestamp", from),
            Ty::Value => "serde_json::Value".into(),
            Ty::Object => "serde_json::Map<String, serde_json::Value>".into(),
            Ty::MapOf(inner) => format!("std::collections::BTreeMap<String, {}>", self.rust(inner, from)),
            Ty::Vec(inner) => format!("Vec<{}>", self.rust(inner, from)),
            Ty::Option(inner) => format!("Option<{}>", self.rust(inner, from)),
            Ty::HandWritten(name) => self.model_path(name, from),
            Ty::Def(index) => {
                let def = &self.defs[*index];
                match (&def.place, from) {
                    (Place::Model(_), _) => self.model_path(&def.name, from),
                    (Place::Wire(_), Place::Wire(_)) => format!("crate::wire::{}", def.name),
                    (Place::Wire(_), Place::Model(_)) => unreachable_path(&def.name),
                }
            }
        }
    }

    fn model_path(&self, name: &str, from: &Place) -> String {
        match from {
            Place::Model(_) => format!("crate::{name}"),
            Place::Wire(_) => format!("seam_types::{name}"),
        }
    }
}

/// Models never refer to wire types (models are resolved first, and wire
/// types reuse models, never the reverse); a name that says so if it ever
/// happens, caught by the compiler.
fn unreachable_path(name: &str) -> String {
    format!("crate::wire_type_used_by_a_model::{name}")
}

/// How to name and place the type of a schema.
#[derive(Clone, Debug)]
pub(crate) struct Hint {
    pub(crate) name: String,
    pub(crate) place: Place,
    pub(crate) side: Side,
    /// Set for the members of a union: the union's name.
    pub(crate) union_prefix: Option<String>,
    /// Whether `name` was kept for this type in advance (a component's).
    pub(crate) reserved: bool,
}

impl Hint {
    fn child(&self, suffix: &str) -> Self {
        Self {
            name: join_names(&self.name, suffix),
            place: self.place.clone(),
            side: self.side,
            union_prefix: None,
            reserved: false,
        }
    }

    fn field(&self, json_name: &str) -> Self {
        self.child(&pascal_case(&field_ident(json_name).trim_start_matches("r#").replace("__", "_")))
    }

    /// `DeviceErrors` → `DeviceError` for the items of an array.
    fn child_singular(&self) -> Self {
        let name = if let Some(stem) = self.name.strip_suffix("ies") {
            format!("{stem}y")
        } else if let Some(stem) = self.name.strip_suffix('s').filter(|s| !s.ends_with('s')) {
            stem.to_owned()
        } else {
            format!("{}Item", self.name)
        };
        Self { name, place: self.place.clone(), side: self.side, union_prefix: None, reserved: false }
    }

    /// What dedup is scoped to: every model is shared, wire types only
    /// within their own resource (so features stay independent).
    fn place_key(&self) -> String {
        match &self.place {
            Place::Model(_) => "model".into(),
            Place::Wire(resource) => format!("wire:{resource}:{:?}", self.side),
        }
    }
}

/// `Device` + `DeviceType` → `DeviceType`: a word repeated at the join
/// is said once.
fn join_names(parent: &str, child: &str) -> String {
    let last_word = parent.rfind(|c: char| c.is_ascii_uppercase()).map_or(parent, |at| &parent[at..]);
    match child.strip_prefix(last_word) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => format!("{parent}{rest}"),
        _ => format!("{parent}{child}"),
    }
}

fn nullable(schema: &Value) -> bool {
    schema.get("nullable").and_then(Value::as_bool).unwrap_or(false)
}

/// The property to tag a oneOf of objects by: the spec's discriminator, or
/// else the single-valued property every member has with the most distinct
/// values (`action_type` over `status` for action attempts).
fn union_tag(schema: &Value, members: &[Value]) -> Option<String> {
    let single = |member: &Value, property: &str| -> Option<String> {
        let values = member.pointer(&format!("/properties/{property}/enum"))?.as_array()?;
        match values.as_slice() {
            [Value::String(value)] => Some(value.clone()),
            _ => None,
        }
    };
    if let Some(tag) = schema.pointer("/discriminator/propertyName").and_then(Value::as_str)
        && members.iter().all(|m| single(m, tag).is_some())
    {
        return Some(tag.to_owned());
    }
    let first = members.first()?.get("properties")?.as_object()?;
    first
        .keys()
        .filter_map(|property| {
            let values: Option<BTreeSet<String>> = members.iter().map(|m| single(m, property)).collect();
            Some((values?.len(), property))
        })
        .filter(|(distinct, _)| *distinct > 1 || members.len() == 1)
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, property)| property.clone())
}

#[derive(Clone, Copy)]
enum Required {
    Intersection,
    Union,
}

/// One object schema from several: the union of the properties (a property
/// in several members merged with [`merge_property`]) and the intersection
/// or union of what they require.
fn merge_objects<'v>(members: impl Iterator<Item = &'v Value>, mode: Required) -> Result<Value> {
    let members: Vec<&Value> = members.collect();
    let mut properties: Map<String, Value> = Map::new();
    let mut order: Vec<String> = Vec::new();
    let mut seen: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for member in &members {
        for (name, property) in member.get("properties").and_then(Value::as_object).into_iter().flatten() {
            if !seen.contains_key(name) {
                order.push(name.clone());
            }
            seen.entry(name.clone()).or_default().push(property.clone());
        }
    }
    for name in order {
        let variants = seen.remove(&name).unwrap_or_default();
        properties.insert(name, merge_property(&variants)?);
    }
    let required_sets: Vec<BTreeSet<String>> = members
        .iter()
        .map(|m| {
            m.get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default()
        })
        .collect();
    let required: BTreeSet<String> = match mode {
        Required::Intersection => required_sets
            .iter()
            .skip(1)
            .fold(required_sets.first().cloned().unwrap_or_default(), |acc, set| {
                acc.intersection(set).cloned().collect()
            }),
        Required::Union => required_sets.into_iter().flatten().collect(),
    };
    let mut merged = json!({"type": "object", "properties": properties, "required": required});
    if let Some(description) = members.iter().find_map(|m| m.get("description")) {
        merged["description"] = description.clone();
    }
    Ok(merged)
}

/// One property schema from the shapes several members give it: untyped
/// shapes (`{"nullable": true}`, a pending action attempt's `result`) only
/// add nullability; string enums join their values; objects merge; any
/// other disagreement is typed as any JSON.
fn merge_property(variants: &[Value]) -> Result<Value> {
    let is_untyped = |v: &Value| {
        ["type", "properties", "oneOf", "allOf", "$ref", "enum", "items"].iter().all(|k| v.get(k).is_none())
    };
    let any_nullable = variants.iter().any(|v| nullable(v) || is_untyped(v));
    let typed: Vec<&Value> = variants.iter().filter(|v| !is_untyped(v)).collect();
    let mut merged = match typed.as_slice() {
        [] => variants.first().cloned().unwrap_or(Value::Null),
        [one] => (*one).clone(),
        [first, rest @ ..] if rest.iter().all(|v| strip(v) == strip(first)) => (*first).clone(),
        many if many.iter().all(|v| v.get("enum").is_some() && v.get("type") == Some(&json!("string"))) => {
            let mut values: Vec<Value> = Vec::new();
            for value in many.iter().flat_map(|v| v["enum"].as_array().into_iter().flatten()) {
                if !values.contains(value) {
                    values.push(value.clone());
                }
            }
            let mut merged = (*many[0]).clone();
            merged["enum"] = Value::Array(values);
            merged
        }
        many if many.iter().all(|v| v.get("properties").is_some()) => {
            merge_objects(many.iter().copied(), Required::Intersection)?
        }
        many => {
            let mut any = json!({});
            if let Some(d) = many[0].get("description") {
                any["description"] = d.clone();
            }
            any
        }
    };
    if any_nullable && merged.is_object() {
        merged["nullable"] = Value::Bool(true);
    }
    Ok(merged)
}

/// An `allOf` as one object: every member's properties, all required. A
/// member that is a `oneOf` of objects is merged first, as Seam's own
/// generator merges one (union of properties, intersection of required).
fn merge_all_of(schema: &Value) -> Result<Value> {
    fn flatten(schema: &Value, out: &mut Vec<Value>) -> Result<()> {
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            return members.iter().try_for_each(|m| flatten(m, out));
        }
        if let Some(members) = schema.get("oneOf").and_then(Value::as_array) {
            let mut objects = Vec::new();
            members.iter().try_for_each(|m| flatten(m, &mut objects))?;
            out.push(merge_objects(objects.iter(), Required::Intersection)?);
            return Ok(());
        }
        let is_object = schema.get("properties").is_some() || schema.get("type") == Some(&json!("object"));
        ensure!(is_object, "an allOf member is not an object with properties: {}", excerpt(schema));
        out.push(schema.clone());
        Ok(())
    }
    let mut members = Vec::new();
    flatten(schema, &mut members)?;
    let mut merged = merge_objects(members.iter(), Required::Union)?;
    match schema.get("description") {
        Some(d) => merged["description"] = d.clone(),
        None => {
            if let Some(map) = merged.as_object_mut() {
                map.remove("description");
            }
        }
    }
    Ok(merged)
}

fn excerpt(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(120) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// A schema's structure without its prose, so identical shapes documented
/// in different words are one type.
fn strip(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| *k != "description" && !k.starts_with("x-"))
                .map(|(k, v)| {
                    let v = if k == "properties" {
                        Value::Object(
                            v.as_object()
                                .into_iter()
                                .flatten()
                                .map(|(name, p)| (name.clone(), strip(p)))
                                .collect(),
                        )
                    } else {
                        strip(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip).collect()),
        other => other.clone(),
    }
}

fn dedup_key(schema: &Value, hint: &Hint) -> String {
    // A component keeps its own type even when another has the same shape
    // (`client_sessions_get_response` and `…_create_response` both exist).
    let own = if hint.reserved { hint.name.as_str() } else { "" };
    format!("{}:{own}:{}", hint.place_key(), strip(schema))
}

/// The doc text of a schema: its description, with markdown that rustdoc
/// would misread (indented blocks, bare fences) made plain.
pub(crate) fn doc_text(schema: &Value) -> String {
    let description = schema.get("description").and_then(Value::as_str).unwrap_or("").trim();
    clean_doc(description)
}

pub(crate) fn clean_doc(text: &str) -> String {
    let mut out = String::new();
    let mut in_fence = false;
    for line in text.lines() {
        let line = line.trim();
        if let Some(lang) = line.strip_prefix("```") {
            // A fence without a language would be compiled as a doctest.
            let opening = !in_fence;
            in_fence = !in_fence;
            if opening && lang.trim().is_empty() {
                let _ = writeln!(out, "```text");
                continue;
            }
        }
        let _ = writeln!(out, "{line}");
    }
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
}

pub(crate) fn deprecation(schema: &Value) -> Option<String> {
    let deprecated = schema.get("deprecated").and_then(Value::as_bool).unwrap_or(false);
    let note = schema.get("x-deprecated").and_then(Value::as_str);
    match (deprecated, note) {
        (_, Some(note)) if !note.trim().is_empty() => Some(note.trim().to_owned()),
        (true, _) => Some("deprecated by Seam".to_owned()),
        _ => None,
    }
}

const KEYWORDS: [&str; 51] = [
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual",
    "yield", "try", "gen",
];

/// A JSON property name as a snake_case Rust field name (`r#type` for a
/// keyword).
pub(crate) fn field_ident(json_name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in json_name.chars() {
        if c.is_ascii_uppercase() {
            if previous_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            out.push('_');
            previous_lower = false;
        }
    }
    let out = out.trim_start_matches('_').to_owned();
    let out = if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n_{out}")
    } else {
        out
    };
    if matches!(out.as_str(), "self" | "super" | "crate") {
        format!("{out}_")
    } else if KEYWORDS.contains(&out.as_str()) {
        format!("r#{out}")
    } else {
        out
    }
}

/// An enum value as a PascalCase variant name: `device.connected` →
/// `DeviceConnected`, `UNLOCK_DOOR` → `UnlockDoor`, `1` → `V1`. The value
/// `unknown` is `UnknownValue`, since `Unknown` holds the values this
/// version does not know.
pub(crate) fn variant_name(value: &str) -> String {
    let mut name = String::new();
    for word in value.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let word = if word.chars().all(|c| !c.is_ascii_lowercase()) {
            word.to_ascii_lowercase()
        } else {
            word.to_owned()
        };
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            name.push_str(chars.as_str());
        }
    }
    if name.is_empty() {
        name = "Empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Unknown" {
        name = "UnknownValue".into();
    }
    name
}

// ---------------------------------------------------------------------------
// Emitting Rust source.

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
            }
        }
    }
    out
}

fn emit_struct(types: &Types, index: usize, def: &Def, fields: &[Field], side: Side, out: &mut String) {
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

fn emit_union(types: &Types, def: &Def, tag: &str, variants: &[(String, String, usize)], out: &mut String) {
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

/// Models compare with `==`; wire types do not: the derive is a quarter of
/// seam-api's compile time (measured with `-Z time-passes`), and a wire
/// body is sent or unwrapped, not compared.
fn partial_eq(place: &Place) -> &'static str {
    match place {
        Place::Model(_) => ", PartialEq",
        Place::Wire(_) => "",
    }
}

/// The crate whose support code (`open_enum!`, union helpers) a file uses.
fn runtime(place: &Place) -> &'static str {
    match place {
        Place::Model(_) => "crate",
        Place::Wire(_) => "seam_types",
    }
}

/// Models derive `JsonSchema` behind seam-types' `schemars` feature; wire
/// types do not.
fn schema_derive(place: &Place) -> &'static str {
    match place {
        Place::Model(_) => "#[cfg_attr(feature = \"schemars\", derive(schemars::JsonSchema))]",
        Place::Wire(_) => "",
    }
}

// ---------------------------------------------------------------------------
// The driver.

/// Where a hoisted body goes (see normalize's hoisting rule).
#[derive(Clone, Debug)]
pub(crate) struct WireSchema {
    pub(crate) resource: String,
    pub(crate) side: Side,
}

/// Resolves every component schema of the slice: models first (so wire
/// types can reuse them), then the hoisted request and response bodies.
pub(crate) fn resolve_all<'a>(
    document: &'a Value,
    hand_written: &'a BTreeMap<String, String>,
    wire: &BTreeMap<String, WireSchema>,
) -> Result<Types<'a>> {
    let mut types = Types::new(document, hand_written);
    let names: Vec<String> = types.schemas.keys().cloned().collect();
    for name in names.iter().filter(|n| !wire.contains_key(*n) && !hand_written.contains_key(*n)) {
        types.component(name)?;
    }
    // Many operations of a resource answer with the same shape
    // (`{acs_user, ok}`); the later ones are aliases of the first, which
    // spares a struct and its serde derives each.
    let mut first_of_shape: HashMap<String, usize> = HashMap::new();
    for (name, target) in wire {
        let Some(schema) = types.schemas.get(name) else {
            bail!("the hoisted body `{name}` is missing from the slice");
        };
        let shape = format!("{}:{:?}:{}", target.resource, target.side, strip(schema));
        if let Some(&index) = first_of_shape.get(&shape) {
            types.components.insert(name.clone(), index);
            types.aliases.insert(name.clone(), (pascal_case(name), index));
            continue;
        }
        let hint = Hint {
            name: pascal_case(name),
            place: Place::Wire(target.resource.clone()),
            side: target.side,
            union_prefix: None,
            // The hoisted body's component name was kept for it.
            reserved: true,
        };
        let ty = types.resolve(schema, &hint).with_context(|| format!("in `{name}`"))?;
        let Ty::Def(index) = ty else {
            bail!("`{name}` is not an object; request and response bodies must be");
        };
        ensure!(
            matches!(types.defs[index].kind, DefKind::Struct { .. }),
            "`{name}` is not an object; request and response bodies must be"
        );
        types.components.insert(name.clone(), index);
        first_of_shape.insert(shape, index);
    }
    Ok(types)
}

impl Types<'_> {
    /// Every place that holds at least one type, sorted.
    pub(crate) fn places(&self) -> BTreeSet<Place> {
        self.defs.iter().map(|d| d.place.clone()).collect()
    }
}

/// seam-types' generated files and the features that gate them.
pub(crate) struct ModelFiles {
    /// (file name under `crates/seam-types/src/generated/`, Rust source).
    pub(crate) files: Vec<(String, String)>,
    /// How many component schemas became models.
    pub(crate) schemas: usize,
    /// Each model feature and the model features it needs.
    features: BTreeMap<String, BTreeSet<String>>,
}

pub(crate) const FEATURES_START: &str = "# features:start (cargo xtask codegen)";
pub(crate) const FEATURES_END: &str = "# features:end";

/// Lints that generated prose and deprecated-field derives would trip.
const GENERATED_ALLOWS: &str = "#![allow(deprecated, rustdoc::broken_intra_doc_links, rustdoc::bare_urls, \
rustdoc::invalid_html_tags, rustdoc::invalid_rust_codeblocks, clippy::all)]\n";

/// One file per component schema (with the inline types it holds), a
/// `mod.rs` gating each behind the feature of the same name, and that
/// feature's dependencies on the others.
pub(crate) fn model_files(types: &Types) -> Result<ModelFiles> {
    let mut gated = Gated::default();
    for place in types.places() {
        let Place::Model(schema) = &place else { continue };
        gated.add(types, &place, schema, "schema")?;
    }
    let Gated { mut files, features, modules } = gated;
    files.push(("mod.rs".into(), modules));
    let schemas =
        types.components.iter().filter(|(_, i)| matches!(types.defs[**i].place, Place::Model(_))).count();
    Ok(ModelFiles { files, schemas, features })
}

impl ModelFiles {
    /// seam-types' `Cargo.toml` with the generated features between the
    /// markers replaced.
    pub(crate) fn manifest(&self, current: &str) -> Result<String> {
        let (Some(start), Some(end)) = (current.find(FEATURES_START), current.find(FEATURES_END)) else {
            bail!("crates/seam-types/Cargo.toml lacks the markers `{FEATURES_START}` … `{FEATURES_END}`");
        };
        ensure!(start < end, "crates/seam-types/Cargo.toml's feature markers are out of order");
        let quoted = |names: &mut dyn Iterator<Item = &String>| {
            names.map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
        };
        let mut section = format!(
            "{FEATURES_START}\n# Every model, one feature each (named after its schema), with the models it\n\
             # holds; seam-api enables the ones its resources reach.\nall-models = [{}]\n",
            quoted(&mut self.features.keys())
        );
        for (feature, needs) in &self.features {
            let _ = writeln!(section, "{feature} = [{}]", quoted(&mut needs.iter()));
        }
        Ok(format!("{}{section}{}", &current[..start], &current[end..]))
    }
}

impl Types<'_> {
    /// Every component schema and the Rust type that stands for it in
    /// progenitor's output, by absolute path so that the mock crate can use
    /// the same code.
    pub(crate) fn replacements(&self) -> BTreeMap<String, String> {
        let mut out: BTreeMap<String, String> =
            self.hand_written.iter().map(|(schema, path)| (schema.clone(), format!("::{path}"))).collect();
        for (name, &index) in &self.components {
            let def = &self.defs[index];
            let type_name = self.aliases.get(name).map_or(def.name.as_str(), |(alias, _)| alias.as_str());
            let path = match &def.place {
                Place::Model(_) => format!("::seam_types::{type_name}"),
                Place::Wire(_) => format!("::seam_api::wire::{type_name}"),
            };
            out.insert(name.clone(), path);
        }
        out
    }

    /// The struct that the hoisted body `component` became, if any.
    pub(crate) fn body(&self, component: &str) -> Option<(&Def, &[Field])> {
        let def = &self.defs[*self.components.get(component)?];
        match &def.kind {
            DefKind::Struct { fields, .. } => Some((def, fields)),
            _ => None,
        }
    }

    /// The Rust name of the hoisted body `component`: its own, even where
    /// it is an alias of an earlier body of the same shape.
    pub(crate) fn body_name(&self, component: &str) -> Option<&str> {
        match self.aliases.get(component) {
            Some((alias, _)) => Some(alias),
            None => Some(&self.defs[*self.components.get(component)?].name),
        }
    }

    /// The definition behind `ty`, if this stage generated it.
    pub(crate) fn def(&self, ty: &Ty) -> Option<&Def> {
        match ty {
            Ty::Def(index) => self.defs.get(*index),
            _ => None,
        }
    }
}

/// seam-api's generated wire types, one file per resource, and the model
/// features each resource needs.
pub(crate) struct WireFiles {
    /// (file name under `crates/seam-api/src/wire/`, Rust source).
    pub(crate) files: Vec<(String, String)>,
    /// Each resource and the seam-types features its types use.
    pub(crate) features: BTreeMap<String, BTreeSet<String>>,
}

/// One file per resource with its request and response bodies (and the
/// inline types they hold), and a `mod.rs` gating each behind the feature
/// named after the resource.
pub(crate) fn wire_files(types: &Types, resources: &BTreeSet<String>) -> Result<WireFiles> {
    let mut gated = Gated::default();
    for resource in resources {
        gated.add(types, &Place::Wire(resource.clone()), resource, "resource")?;
    }
    let Gated { mut files, features, modules } = gated;
    files.push(("mod.rs".into(), modules));
    Ok(WireFiles { files, features })
}

/// Generated files, one per place, each a module behind the cargo feature
/// of its name, and the seam-types models each feature needs.
#[derive(Default)]
struct Gated {
    files: Vec<(String, String)>,
    features: BTreeMap<String, BTreeSet<String>>,
    /// The `mod.rs` that declares them.
    modules: String,
}

impl Gated {
    /// The file of `place`'s types, as module and feature `name` (a
    /// schema or a resource, as `what` says).
    fn add(&mut self, types: &Types, place: &Place, name: &str, what: &str) -> Result<()> {
        let module = field_ident(name);
        ensure!(!module.starts_with("r#"), "{what} `{name}` is a Rust keyword; it cannot name a module");
        let needs: BTreeSet<String> = types
            .dependencies(place)
            .into_iter()
            .filter_map(|p| match p {
                Place::Model(schema) => Some(schema),
                Place::Wire(_) => None,
            })
            .collect();
        self.features.insert(name.to_owned(), needs);
        self.files.push((format!("{module}.rs"), format!("{GENERATED_ALLOWS}{}", emit(types, place))));
        let _ = writeln!(
            self.modules,
            "#[cfg(feature = {name:?})]\nmod {module};\n#[cfg(feature = {name:?})]\npub use {module}::*;"
        );
        Ok(())
    }
}

/// `current` with the text between the markers replaced by `section`
/// (which starts with the start marker).
pub(crate) fn replace_section(
    current: &str,
    start_marker: &str,
    end_marker: &str,
    section: &str,
    file: &str,
) -> Result<String> {
    let (Some(start), Some(end)) = (current.find(start_marker), current.find(end_marker)) else {
        bail!("{file} lacks the markers `{start_marker}` … `{end_marker}`");
    };
    ensure!(start < end, "{file}'s markers are out of order");
    Ok(format!("{}{section}{}", &current[..start], &current[end..]))
}

/// The method that returns a union's tag: `event_type()`, `type_()`.
fn tag_accessor(tag: &str) -> String {
    let ident = field_ident(tag);
    match ident.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => ident,
    }
}

#[cfg(test)]
mod tests {
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
    fn an_unmapped_construct_names_its_schema_property_and_stage() {
        let error = generate(json!({"thing": {"type": "object", "properties": {
            "shape": {"oneOf": [{"type": "object", "properties": {"a": {"type": "string"}}}, {"type": "string"}]}
        }}}))
        .unwrap_err();
        let message = format!("{error:#}");
        assert!(
            message.contains("schema `thing`")
                && message.contains("property `shape`")
                && message.contains("xtask/src/models.rs"),
            "{message}"
        );
    }

    #[test]
    fn names_read_well() {
        assert_eq!(variant_name("device.connected"), "DeviceConnected");
        assert_eq!(variant_name("UNLOCK_DOOR"), "UnlockDoor");
        assert_eq!(variant_name("CommonDoor"), "CommonDoor");
        assert_eq!(variant_name("1"), "V1");
        assert_eq!(variant_name("unknown"), "UnknownValue");
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("SALTO_KS_ENTRANCES"), "salto_ks_entrances");
        assert_eq!(join_names("Device", "DeviceType"), "DeviceType");
        assert_eq!(join_names("Device", "Devices"), "DeviceDevices");
    }
}
