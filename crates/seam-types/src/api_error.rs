use serde::de::{IgnoredAny, MapAccess};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::__private::{Model, Outcome, Reports, Required, fields, next};
use crate::Absent;

/// The body Seam sends with an error status: `{"error": {...}}`.
///
/// The OpenAPI description documents no error body; this shape is the one
/// Seam's servers send and its official SDKs decode. It decodes as the
/// models do: an `error` without a `message`, or with a field of the wrong
/// type, is still Seam's error, with that field named in
/// [`absent`](ApiError::absent). Only a body without an `error` object is
/// not one.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(transform = crate::__private::required_fields::<Self>))]
#[non_exhaustive]
pub struct ApiErrorResponse {
    /// What went wrong.
    pub error: ApiError,
    /// What the JSON sent that this value does not hold (see [`Absent`]).
    #[cfg_attr(feature = "schemars", schemars(skip))]
    pub absent: Absent,
}

/// What Seam says went wrong with a request.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(transform = crate::__private::required_fields::<Self>))]
#[non_exhaustive]
pub struct ApiError {
    /// Machine-readable error type, e.g. `client_session_not_found`,
    /// `invalid_input` or `unauthorized`.
    #[cfg_attr(feature = "schemars", schemars(rename = "type"))]
    pub error_type: String,

    /// Human-readable description of the error (empty, and named in
    /// [`absent`](Self::absent), when Seam sent none).
    pub message: String,

    /// Seam's id for the request, when the body carries one (the
    /// `seam-request-id` response header is the usual place).
    pub request_id: Option<String>,

    /// Structured details some error types carry.
    pub data: Option<serde_json::Value>,

    /// For `invalid_input` errors: per-field messages, as
    /// `{"field": {"_errors": ["message", ...]}, "_errors": [...]}`.
    /// Read them with [`ApiError::validation_messages`].
    pub validation_errors: Option<serde_json::Value>,

    /// What the JSON sent that this value does not hold, and the required
    /// fields it left out, which hold their defaults (see [`Absent`]).
    #[cfg_attr(feature = "schemars", schemars(skip))]
    pub absent: Absent,
}

impl ApiError {
    /// An error of type `error_type` saying `message`, as Seam would send
    /// it (for tests and mocks).
    pub fn new(error_type: impl Into<String>, message: impl Into<String>) -> Self {
        Self { error_type: error_type.into(), message: message.into(), ..Self::default() }
    }
}

impl ApiErrorResponse {
    /// The body Seam sends with `error`.
    pub fn new(error: ApiError) -> Self {
        Self { error, absent: Absent::default() }
    }
}

impl Model for ApiErrorResponse {
    const NAME: &'static str = "ApiErrorResponse";
    const FIELDS: &'static [&'static str] = &["error"];
    // Without it, the body is not Seam's error.
    const REQUIRED: &'static [Required] = &[Required::Essential(0)];

    fn field_index(key: &str) -> Option<usize> {
        (key == "error").then_some(0)
    }

    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        _: usize,
        map: &mut A,
        reports: &mut Reports,
    ) -> Result<Outcome<()>, A::Error> {
        next(map, &mut self.error, reports)
    }

    fn absent_mut(&mut self) -> &mut Absent {
        &mut self.absent
    }

    fn absent(&self) -> &Absent {
        &self.absent
    }
}

impl Model for ApiError {
    const NAME: &'static str = "ApiError";
    const FIELDS: &'static [&'static str] = &["type", "message", "request_id", "data", "validation_errors"];
    const REQUIRED: &'static [Required] = &[Required::Field(0), Required::Field(1)];

    fn field_index(key: &str) -> Option<usize> {
        Self::FIELDS.iter().position(|field| *field == key)
    }

    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        reports: &mut Reports,
    ) -> Result<Outcome<()>, A::Error> {
        match index {
            0 => next(map, &mut self.error_type, reports),
            1 => next(map, &mut self.message, reports),
            2 => next(map, &mut self.request_id, reports),
            3 => next(map, &mut self.data, reports),
            4 => next(map, &mut self.validation_errors, reports),
            _ => map.next_value::<IgnoredAny>().map(|_| Outcome::Null),
        }
    }

    fn absent_mut(&mut self) -> &mut Absent {
        &mut self.absent
    }

    fn absent(&self) -> &Absent {
        &self.absent
    }
}

impl<'de> Deserialize<'de> for ApiErrorResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::__private::deserialize(deserializer)
    }
}

impl<'de> Deserialize<'de> for ApiError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::__private::deserialize(deserializer)
    }
}

impl Serialize for ApiErrorResponse {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer, Self::NAME, 1, &self.absent)?;
        out.required("error", &self.error)?;
        out.end()
    }
}

impl Serialize for ApiError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = fields(serializer, Self::NAME, Self::FIELDS.len(), &self.absent)?;
        out.required("type", &self.error_type)?;
        out.required("message", &self.message)?;
        out.optional("request_id", &self.request_id)?;
        out.optional("data", &self.data)?;
        out.optional("validation_errors", &self.validation_errors)?;
        out.end()
    }
}

impl ApiError {
    /// The validation messages Seam gave for one request field (empty when
    /// there are none). An empty `field` gives the messages about the request
    /// as a whole.
    pub fn validation_messages(&self, field: &str) -> Vec<&str> {
        let Some(errors) = &self.validation_errors else {
            return Vec::new();
        };
        let messages = if field.is_empty() {
            errors.get("_errors")
        } else {
            errors.get(field).and_then(|f| f.get("_errors"))
        };
        messages
            .and_then(|m| m.as_array())
            .map(|m| m.iter().filter_map(|s| s.as_str()).collect())
            .unwrap_or_default()
    }

    /// Names of the request fields that have validation messages.
    pub fn invalid_fields(&self) -> Vec<&str> {
        let Some(fields) = self.validation_errors.as_ref().and_then(|v| v.as_object()) else {
            return Vec::new();
        };
        fields
            .iter()
            .filter(|(name, value)| {
                name.as_str() != "_errors"
                    && value.get("_errors").and_then(|m| m.as_array()).is_some_and(|m| !m.is_empty())
            })
            .map(|(name, _)| name.as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_validation_messages_per_field() {
        let body: ApiErrorResponse = serde_json::from_str(
            r#"{"error":{"type":"invalid_input","message":"bad",
                "validation_errors":{"_errors":["whole"],"client_session_id":{"_errors":["Expected string, received number"]},"other":{"_errors":[]}}}}"#,
        )
        .unwrap();
        let error = body.error;
        assert_eq!(error.validation_messages("client_session_id"), ["Expected string, received number"]);
        assert_eq!(error.validation_messages(""), ["whole"]);
        assert!(error.validation_messages("missing").is_empty());
        assert_eq!(error.invalid_fields(), ["client_session_id"]);
    }

    #[test]
    fn tolerates_odd_validation_shapes() {
        let mut error = ApiError::new("invalid_input", "m");
        error.validation_errors = Some(serde_json::json!(["not", "an", "object"]));
        assert!(error.validation_messages("x").is_empty());
        assert!(error.invalid_fields().is_empty());
    }

    #[test]
    fn an_error_without_a_message_or_with_odd_fields_is_still_seams_error() {
        let body: ApiErrorResponse =
            serde_json::from_str(r#"{"error": {"type": "device_offline", "request_id": 7}}"#).unwrap();
        assert_eq!(body.error.error_type, "device_offline");
        assert_eq!(body.error.message, "");
        assert_eq!(body.error.request_id, None);
        let named: Vec<String> = body.error.absent.iter().map(ToString::to_string).collect();
        assert_eq!(named, ["request_id: expected a string, found a number", "message: missing"]);
        assert_eq!(body.absent.len(), 2);
        // Without an error object it is not Seam's error.
        for other in [r#"{}"#, r#"{"error": "boom"}"#, r#"{"error": null}"#, "[]"] {
            assert!(serde_json::from_str::<ApiErrorResponse>(other).is_err(), "{other}");
        }
        let round = serde_json::to_string(&ApiErrorResponse::new(ApiError::new("x", "y"))).unwrap();
        assert_eq!(round, r#"{"error":{"type":"x","message":"y"}}"#);
    }
}
