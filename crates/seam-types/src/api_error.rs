use serde::{Deserialize, Serialize};

/// The body Seam sends with an error status: `{"error": {...}}`.
///
/// The OpenAPI description documents no error body; this shape is the one
/// Seam's servers send and its official SDKs decode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ApiErrorResponse {
    /// What went wrong.
    pub error: ApiError,
}

/// What Seam says went wrong with a request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ApiError {
    /// Machine-readable error type, e.g. `client_session_not_found`,
    /// `invalid_input` or `unauthorized`.
    #[serde(rename = "type")]
    pub error_type: String,

    /// Human-readable description of the error.
    pub message: String,

    /// Seam's id for the request, when the body carries one (the
    /// `seam-request-id` response header is the usual place).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,

    /// Structured details some error types carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,

    /// For `invalid_input` errors: per-field messages, as
    /// `{"field": {"_errors": ["message", ...]}, "_errors": [...]}`.
    /// Read them with [`ApiError::validation_messages`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_errors: Option<serde_json::Value>,
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
        let error = ApiError {
            error_type: "invalid_input".into(),
            message: "m".into(),
            request_id: None,
            data: None,
            validation_errors: Some(serde_json::json!(["not", "an", "object"])),
        };
        assert!(error.validation_messages("x").is_empty());
        assert!(error.invalid_fields().is_empty());
    }
}
