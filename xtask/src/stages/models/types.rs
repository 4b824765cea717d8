//! What this stage produces: the generated Rust types, where each goes,
//! and the lookups the other stages make in them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};

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
    /// Where the spec's `required` list names it.
    pub(crate) required_position: Option<usize>,
    /// Whether a body without it is not the documented one: the
    /// `x-response-key` property of a hoisted 200 body.
    pub(crate) essential: bool,
    /// Other JSON names it is read from (normalize's alias rule).
    pub(crate) aliases: Vec<String>,
    pub(crate) doc: String,
    pub(crate) deprecated: Option<String>,
}

impl Field {
    /// The field's name as an argument or setter: its identifier, or
    /// `type_` for a keyword field (`r#type`).
    pub(crate) fn argument(&self) -> String {
        match self.ident.strip_prefix("r#") {
            Some(bare) => format!("{bare}_"),
            None => self.ident.clone(),
        }
    }
}

/// Whether a type is read from responses (tolerant) or sent in requests
/// (exact: optional fields are left out, required ones are arguments).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Side {
    Response,
    Request,
}

/// Where a hoisted body goes (see normalize's hoisting rule).
#[derive(Clone, Debug)]
pub(crate) struct WireSchema {
    pub(crate) resource: String,
    pub(crate) side: Side,
}

/// Every generated type, with what dedups and names them.
pub(crate) struct Types<'a> {
    pub(super) schemas: &'a Map<String, Value>,
    pub(super) hand_written: &'a BTreeMap<String, String>,
    pub(crate) defs: Vec<Def>,
    pub(super) by_key: HashMap<String, usize>,
    pub(super) components: HashMap<String, usize>,
    pub(super) names: BTreeSet<String>,
    /// Hoisted bodies with the shape of an earlier one in the same
    /// resource: component → (its own type name, the earlier type).
    pub(super) aliases: BTreeMap<String, (String, usize)>,
    /// Each model enum by its set of values (sorted, joined), so that a
    /// request field with the same values can take it.
    pub(super) model_enums: HashMap<String, usize>,
}

impl Types<'_> {
    /// Whether the struct at `index` implements `Default`: every response
    /// struct does (a required field a response leaves out decodes as its
    /// type's default), and a request body whose fields are all optional.
    pub(crate) fn is_default(&self, index: usize) -> bool {
        match &self.defs[index].kind {
            DefKind::Struct { side: Side::Response, .. } => true,
            DefKind::Struct { fields, side: Side::Request } => fields.iter().all(|f| !f.required),
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

    /// Every generated model (a component schema that became a seam-types
    /// model, not a hoisted body), as (schema name, Rust name), by schema.
    pub(crate) fn models(&self) -> Vec<(&str, &str)> {
        let mut models: Vec<(&str, &str)> = self
            .components
            .iter()
            .filter(|(_, index)| matches!(self.defs[**index].place, Place::Model(_)))
            .map(|(component, index)| (component.as_str(), self.defs[*index].name.as_str()))
            .collect();
        models.sort();
        models
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

impl Types<'_> {
    /// Every place that holds at least one type, sorted.
    pub(crate) fn places(&self) -> BTreeSet<Place> {
        self.defs.iter().map(|d| d.place.clone()).collect()
    }
}

/// The required fields of a request body, in the order its method takes
/// them: the id of the object acted on first (the first required field, in
/// Seam's order, whose name ends in `_id`: `device_id` in
/// `configure_auto_lock(device_id, auto_lock_enabled)`), then the others in
/// the order Seam's definition lists them (`starts_daily_at` before
/// `ends_daily_at`), not the spec's alphabetical property order.
pub(crate) fn argument_order(fields: &[Field]) -> Vec<&Field> {
    let mut required: Vec<&Field> = fields.iter().filter(|field| field.required).collect();
    required.sort_by_key(|field| field.required_position.unwrap_or(usize::MAX));
    if let Some(at) = required.iter().position(|field| field.json.ends_with("_id")) {
        let id = required.remove(at);
        required.insert(0, id);
    }
    required
}

/// Models compare with `==`; wire types do not: the derive is a quarter of
/// seam-api's compile time (measured with `-Z time-passes`), and a wire
/// body is sent or unwrapped, not compared.
pub(super) fn partial_eq(place: &Place) -> &'static str {
    match place {
        Place::Model(_) => ", PartialEq",
        Place::Wire(_) => "",
    }
}

/// The crate whose support code (`open_enum!`, union helpers) a file uses.
pub(super) fn runtime(place: &Place) -> &'static str {
    match place {
        Place::Model(_) => "crate",
        Place::Wire(_) => "seam_types",
    }
}

/// Models derive `JsonSchema` behind seam-types' `schemars` feature; wire
/// types do not.
pub(super) fn schema_derive(place: &Place) -> &'static str {
    match place {
        Place::Model(_) => "#[cfg_attr(feature = \"schemars\", derive(schemars::JsonSchema))]",
        Place::Wire(_) => "",
    }
}

/// The variant that keeps a known member that does not match its model.
pub(super) const UNDECODABLE: &str = "Undecodable";

pub(super) const SCHEMA_REF: &str = "#/components/schemas/";

/// The spec's name for the property an operation's 200 body returns;
/// normalize also writes it on each hoisted 200 body.
pub(crate) const RESPONSE_KEY: &str = "x-response-key";

/// Normalize's mark on a property of a hoisted 200 body: the other names
/// the body may carry it under.
pub(crate) const ALIASES: &str = "x-aliases";
