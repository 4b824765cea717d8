//! Resolving the slice's schemas into [`Types`]: objects, open enums,
//! tagged unions and values of several JSON types, each named, placed and
//! deduplicated.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::{Context, Result, bail, ensure};
use serde_json::{Map, Value};

use super::merge::{Required, merge_all_of, merge_objects, nullable, strip};
use super::names::{deprecation, doc_text, field_ident, join_names, variant_name};
use super::structs::{ABSENT_FIELD, MAX_FIELDS};
use super::types::{
    ALIASES, Def, DefKind, Field, Place, RESPONSE_KEY, SCHEMA_REF, Side, Ty, Types, UNDECODABLE, WireSchema,
};

use crate::stages::generate::pascal_case;

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
            model_enums: HashMap::new(),
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
            Some(other) => bail!("type `{other}` is not mapped; extend xtask/src/stages/models/resolve.rs"),
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
        // In the spec's order, which the facade keeps for arguments.
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        // A hoisted 200 body names the property its operation returns.
        let essential = schema.get(RESPONSE_KEY).and_then(Value::as_str);
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
                required: required.contains(&json_name.as_str()),
                required_position: required.iter().position(|name| name == json_name),
                essential: essential == Some(json_name.as_str()),
                aliases: property
                    .get(ALIASES)
                    .and_then(Value::as_array)
                    .map(|names| names.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                    .unwrap_or_default(),
                doc: doc_text(property),
                deprecated: deprecation(property),
            });
        }
        if hint.side == Side::Response {
            ensure!(
                !idents.contains(ABSENT_FIELD),
                "`{}` has a property named `{ABSENT_FIELD}`, the field that names a response struct's absent \
                 required fields; rename that field in xtask/src/stages/models/structs.rs",
                hint.name
            );
            ensure!(
                fields.len() <= MAX_FIELDS,
                "`{}` has {} properties; a response struct may have at most {MAX_FIELDS} (seam-types' \
                 __private/model.rs tracks absent fields in a bitset of that size)",
                hint.name,
                fields.len()
            );
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
        // One enum per set of values: a request field whose values are a
        // model enum's takes that enum (`devices().list().device_type()`
        // takes `DeviceType`). Models are resolved first.
        let mut set = values.clone();
        set.sort();
        let set = set.join("\u{0}");
        if matches!(hint.place, Place::Wire(_))
            && let Some(&index) = self.model_enums.get(&set)
        {
            return Ok(Ty::Def(index));
        }
        let index = self.reserve(hint, schema)?;
        self.by_key.insert(key, index);
        if matches!(hint.place, Place::Model(_)) {
            self.model_enums.entry(set).or_insert(index);
        }
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
            "a oneOf of {} is not mapped (objects, strings, or scalars of distinct types are); extend xtask/src/stages/models/resolve.rs",
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
        // The variants every union has besides its members.
        let mut names: BTreeSet<String> = ["Unknown", UNDECODABLE].map(str::to_owned).into();
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

fn dedup_key(schema: &Value, hint: &Hint) -> String {
    // A component keeps its own type even when another has the same shape
    // (`client_sessions_get_response` and `…_create_response` both exist).
    let own = if hint.reserved { hint.name.as_str() } else { "" };
    format!("{}:{own}:{}", hint.place_key(), strip(schema))
}

/// Resolves every component schema of the slice in name order (see
/// [`resolve_in_order`]), as the tests' small specs need.
#[cfg(test)]
pub(crate) fn resolve_all<'a>(
    document: &'a Value,
    hand_written: &'a BTreeMap<String, String>,
    wire: &BTreeMap<String, WireSchema>,
) -> Result<Types<'a>> {
    resolve_in_order(document, hand_written, wire, &schema_order(document, &[]))
}

/// The order components are resolved in: those of `known` that the slice
/// still has, in that order, then the new ones by name. Which of several
/// places of one shape names their shared type, and which of two
/// colliding names gets the `2`, goes by this order; so with `known` the
/// order they were first generated in, a schema added to the spec never
/// takes a name from one that was there before.
pub(crate) fn schema_order(document: &Value, known: &[String]) -> Vec<String> {
    let schemas: BTreeSet<&str> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut order: Vec<String> =
        known.iter().filter(|name| schemas.contains(name.as_str())).cloned().collect();
    let seen: BTreeSet<&str> = order.iter().map(String::as_str).collect();
    let new: Vec<String> =
        schemas.iter().filter(|name| !seen.contains(*name)).map(|name| (*name).to_owned()).collect();
    order.extend(new);
    order
}

/// Resolves every component schema of the slice, in `order` (what
/// [`schema_order`] gives, which codegen also writes out): models first (so
/// wire types can reuse them), then the hoisted request and response
/// bodies.
pub(crate) fn resolve_in_order<'a>(
    document: &'a Value,
    hand_written: &'a BTreeMap<String, String>,
    wire: &BTreeMap<String, WireSchema>,
    order: &[String],
) -> Result<Types<'a>> {
    let mut types = Types::new(document, hand_written);
    for name in order.iter().filter(|n| !wire.contains_key(*n) && !hand_written.contains_key(*n)) {
        types.component(name)?;
    }
    // Many operations of a resource answer with the same shape
    // (`{acs_user, ok}`); the later ones are aliases of the first, which
    // spares a struct and its serde derives each.
    let mut first_of_shape: HashMap<String, usize> = HashMap::new();
    let hoisted = order.iter().filter_map(|name| wire.get(name).map(|target| (name, target)));
    let missing = wire.keys().find(|name| !order.contains(name));
    if let Some(name) = missing {
        bail!("the hoisted body `{name}` is missing from the slice");
    }
    for (name, target) in hoisted {
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
