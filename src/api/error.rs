//! The one error type of the HTTP edge: every failure becomes the same JSON envelope that APIO
//! clients parse, `{"errors": [{"message": …, "details": {"reason": …, "code": …, …}}]}`, with
//! the field when there is one and BroadWorks's own code and summary when the error came from
//! BroadWorks. Handlers return it; nothing else builds error responses.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::ocip::commands::ErrorResponse;
use crate::ocip::refusal::{classify, container_not_found, Refusal};
use crate::ocip::OciError;
use crate::translate::FieldError;

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable short code, e.g. `invalid_value`, `not_found`.
    pub code: &'static str,
    /// What happened, for a person.
    pub message: String,
    /// The request field at fault.
    pub field: Option<String>,
    /// BroadWorks's refusal, when it refused.
    pub broadworks: Option<Box<ErrorResponse>>,
}

impl ApiError {
    /// An error with status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
            broadworks: None,
        }
    }

    /// 400 about one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.to_owned()),
            ..Self::new(StatusCode::BAD_REQUEST, "invalid_value", message)
        }
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// Maps an OCI failure. `subject` is the id the request is about (a hunt group), so that
    /// "not found" about it is a 404 while "not found" about something the request names (an
    /// agent) is a 400.
    pub fn from_oci(error: OciError, subject: Option<&str>) -> Self {
        match error {
            OciError::Refused { error, .. } => Self::refused(error, subject),
            OciError::LoginRefused { error, user } => Self {
                broadworks: Some(Box::new(error)),
                ..Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "broadworks_login_refused",
                    format!("BroadWorks refused the gateway's login as '{user}'"),
                )
            },
            OciError::Timeout { command, after } => Self::new(
                StatusCode::GATEWAY_TIMEOUT,
                "broadworks_timeout",
                format!(
                    "BroadWorks did not answer {command} within {}s",
                    after.as_secs_f32()
                ),
            ),
            OciError::Busy { .. } => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "broadworks_busy",
                format!("{error}"),
            ),
            OciError::Decode(e) => Self::new(
                StatusCode::BAD_GATEWAY,
                "broadworks_bad_answer",
                format!("BroadWorks sent an answer the gateway cannot read: {e}"),
            ),
            OciError::UnexpectedResponse { .. } => Self::new(
                StatusCode::BAD_GATEWAY,
                "broadworks_bad_answer",
                error.to_string(),
            ),
            other => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "broadworks_unavailable",
                format!("BroadWorks is unreachable: {other}"),
            ),
        }
    }

    fn refused(error: ErrorResponse, subject: Option<&str>) -> Self {
        let about_subject = subject.is_some_and(|s| error.summary_english.contains(s));
        let (status, code) = match classify(&error) {
            Refusal::AlreadyExists => (StatusCode::CONFLICT, "already_exists"),
            Refusal::NotFound if about_subject || container_not_found(&error) => {
                (StatusCode::NOT_FOUND, "not_found")
            }
            _ => (StatusCode::BAD_REQUEST, "broadworks_refused"),
        };
        Self {
            broadworks: Some(Box::new(error.clone())),
            ..Self::new(
                status,
                code,
                format!("BroadWorks refused the request: {error}"),
            )
        }
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        Self::invalid(&e.field, e.message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut details = Map::new();
        details.insert("reason".into(), Value::from(reason(self.code)));
        details.insert("code".into(), Value::from(self.code));
        if let Some(field) = &self.field {
            details.insert("field".into(), Value::from(field.as_str()));
        }
        if let Some(bw) = &self.broadworks {
            if let Some(code) = bw.code() {
                details.insert("broadworksCode".into(), Value::from(code));
            }
            details.insert(
                "broadworksSummary".into(),
                Value::from(bw.summary_english.as_str()),
            );
            if let Some(detail) = &bw.detail {
                details.insert("broadworksDetail".into(), Value::from(detail.as_str()));
            }
        }
        let body = json!({ "errors": [{ "message": self.message, "details": details }] });
        (self.status, Json(body)).into_response()
    }
}

/// A short reason sentence for each code.
fn reason(code: &str) -> &'static str {
    match code {
        "invalid_value" => "a value in the request is invalid",
        "unknown_field" => "the request has a field this API does not know",
        "malformed_json" => "the body is not valid JSON",
        "body_too_large" => "the body is larger than allowed",
        "body_timeout" => "the body arrived too slowly",
        "not_found" => "no such tenant, group or hunt group",
        "already_exists" => "the id is already in use",
        "broadworks_refused" => "BroadWorks refused the request",
        "broadworks_unavailable" => "BroadWorks cannot be reached",
        "broadworks_busy" => "every BroadWorks session is busy",
        "broadworks_login_refused" => "BroadWorks refused the gateway's login",
        "broadworks_timeout" => "BroadWorks did not answer in time",
        "broadworks_bad_answer" => "BroadWorks sent an unreadable answer",
        "unauthorized" => "no valid bearer token",
        "forbidden" => "the token's scope does not cover this tenant or group",
        "rate_limited" => "too many requests for this token",
        _ => "the request failed",
    }
}
