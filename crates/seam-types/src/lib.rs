//! Models of the [Seam Connect API](https://docs.seam.co/latest/api).
//!
//! These types are hand-written, derive [`serde`] and [`schemars`] (1.x), and
//! are what the generated `seam-api` client returns: the code generator
//! replaces the spec's schemas by these, so there is one model type per
//! resource, not two.
//!
//! They are tolerant of what real servers send, because a client that fails
//! to decode a response it could have understood helps nobody:
//!
//! - unknown fields are ignored (Seam adds fields over time; its fake server
//!   sends an extra `api_key_id`);
//! - ids are plain strings, not UUIDs (Seam's fake server uses ids such as
//!   `cst1`);
//! - fields the spec marks required but that documented responses omit
//!   (`expires_at`) are optional;
//! - counts the spec types as `number` accept integers and integral floats.
//!
//! The conformance check in `cargo xtask codegen` compares each model's JSON
//! Schema with the vendored OpenAPI description and fails on any other
//! difference.

#![warn(missing_docs)]

mod api_error;
mod client_session;
mod de;
mod token;

pub use api_error::{ApiError, ApiErrorResponse};
pub use client_session::ClientSession;
pub use token::ClientSessionToken;

/// A point in time as Seam sends it: an RFC 3339 date-time in UTC.
pub type Timestamp = chrono::DateTime<chrono::Utc>;
