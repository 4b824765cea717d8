//! Support code the generated models (and seam-api's generated wire types)
//! call. Public only so that generated code in other crates can reach it;
//! not part of the API.

mod model;
mod union;

#[cfg(feature = "schemars")]
pub use model::required_fields;
pub use model::{Fields, Model, Required, body, deserialize, fields, next};
pub use union::{member, raw, raw_json, raw_str, serialize_tagged, to_json, union_json, union_tag_of};
#[cfg(feature = "schemars")]
pub use union::{open_enum_schema, union_schema};
