//! Support code the generated models (and seam-api's generated wire types)
//! call. Public only so that generated code in other crates can reach it;
//! not part of the API.

mod model;
mod tolerant;
mod union;

#[cfg(feature = "schemars")]
pub use model::required_fields;
pub use model::{Fields, Model, Reported, Required, body, deserialize, fields, next};
pub use tolerant::{Outcome, Reports, Scalar, Seed, Tolerant, open_enum, scalar, strict, untagged};
pub use union::{member, raw, raw_json, raw_str, serialize_tagged, to_json, union_tag_of, union_value};
#[cfg(feature = "schemars")]
pub use union::{open_enum_schema, union_schema};
