//! The one error type of the HTTP edge: every failure becomes the same JSON envelope that APIO
//! clients parse, `{"errors": [{"message": …, "details": {"reason": …, "code": …, …}}]}`, with
//! the field when there is one and BroadWorks's own code and summary when the error came from
//! BroadWorks. Handlers return it; nothing else builds error responses.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use schemars::JsonSchema;
use serde::Serialize;

use crate::ocip::commands::ErrorResponse;
use crate::ocip::refusal::{classify, container_not_found, Refusal};
use crate::ocip::OciError;
use crate::service::ServiceError;
use crate::translate::{FieldError, FieldErrors};

/// The stable short codes of the error envelope (`details.code`), each with its HTTP status and
/// a reason sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// A value in the request is invalid (400).
    InvalidValue,
    /// A field the payload does not have (400).
    UnknownField,
    /// The body is not JSON (400).
    MalformedJson,
    /// The body is larger than allowed (413).
    BodyTooLarge,
    /// The body arrived too slowly (408).
    BodyTimeout,
    /// The body's media type is not accepted (415).
    UnsupportedMediaType,
    /// No such tenant, group, hunt group or endpoint (404).
    NotFound,
    /// The id is in use (409).
    AlreadyExists,
    /// BroadWorks refused the request (400).
    BroadworksRefused,
    /// BroadWorks cannot be reached (503).
    BroadworksUnavailable,
    /// Every session is busy (503).
    BroadworksBusy,
    /// BroadWorks refused the gateway's login (503).
    BroadworksLoginRefused,
    /// BroadWorks did not answer in time (504).
    BroadworksTimeout,
    /// BroadWorks sent an unreadable answer (502).
    BroadworksBadAnswer,
    /// A write's outcome is unknown: read before retrying (502).
    OutcomeUnknown,
    /// No valid bearer token (401).
    Unauthorized,
    /// The token's scope does not cover the target (403).
    Forbidden,
    /// Too many requests (429).
    RateLimited,
    /// Every connection slot is taken (503).
    TooManyConnections,
    /// The gateway failed unexpectedly (500).
    Internal,
}

impl ErrorCode {
    /// Every code, for documentation and tests.
    pub const ALL: [ErrorCode; 20] = [
        Self::InvalidValue,
        Self::UnknownField,
        Self::MalformedJson,
        Self::BodyTooLarge,
        Self::BodyTimeout,
        Self::UnsupportedMediaType,
        Self::NotFound,
        Self::AlreadyExists,
        Self::BroadworksRefused,
        Self::BroadworksUnavailable,
        Self::BroadworksBusy,
        Self::BroadworksLoginRefused,
        Self::BroadworksTimeout,
        Self::BroadworksBadAnswer,
        Self::OutcomeUnknown,
        Self::Unauthorized,
        Self::Forbidden,
        Self::RateLimited,
        Self::TooManyConnections,
        Self::Internal,
    ];

    /// The code as it appears in the envelope.
    pub fn as_str(self) -> &'static str {
        self.describe().0
    }

    /// The HTTP status of an error with this code.
    pub fn status(self) -> StatusCode {
        self.describe().1
    }

    /// A short reason sentence.
    pub fn reason(self) -> &'static str {
        self.describe().2
    }

    fn describe(self) -> (&'static str, StatusCode, &'static str) {
        use StatusCode as S;
        match self {
            Self::InvalidValue => (
                "invalid_value",
                S::BAD_REQUEST,
                "a value in the request is invalid",
            ),
            Self::UnknownField => (
                "unknown_field",
                S::BAD_REQUEST,
                "the request has a field this API does not know",
            ),
            Self::MalformedJson => (
                "malformed_json",
                S::BAD_REQUEST,
                "the body is not valid JSON",
            ),
            Self::BodyTooLarge => (
                "body_too_large",
                S::PAYLOAD_TOO_LARGE,
                "the body is larger than allowed",
            ),
            Self::BodyTimeout => (
                "body_timeout",
                S::REQUEST_TIMEOUT,
                "the body arrived too slowly",
            ),
            Self::UnsupportedMediaType => (
                "unsupported_media_type",
                S::UNSUPPORTED_MEDIA_TYPE,
                "the body's Content-Type is not accepted here",
            ),
            Self::NotFound => (
                "not_found",
                S::NOT_FOUND,
                "no such tenant, group or hunt group",
            ),
            Self::AlreadyExists => ("already_exists", S::CONFLICT, "the id is already in use"),
            Self::BroadworksRefused => (
                "broadworks_refused",
                S::BAD_REQUEST,
                "BroadWorks refused the request",
            ),
            Self::BroadworksUnavailable => (
                "broadworks_unavailable",
                S::SERVICE_UNAVAILABLE,
                "BroadWorks cannot be reached",
            ),
            Self::BroadworksBusy => (
                "broadworks_busy",
                S::SERVICE_UNAVAILABLE,
                "every BroadWorks session is busy",
            ),
            Self::BroadworksLoginRefused => (
                "broadworks_login_refused",
                S::SERVICE_UNAVAILABLE,
                "BroadWorks refused the gateway's login",
            ),
            Self::BroadworksTimeout => (
                "broadworks_timeout",
                S::GATEWAY_TIMEOUT,
                "BroadWorks did not answer in time",
            ),
            Self::BroadworksBadAnswer => (
                "broadworks_bad_answer",
                S::BAD_GATEWAY,
                "BroadWorks sent an unreadable answer",
            ),
            Self::Unauthorized => ("unauthorized", S::UNAUTHORIZED, "no valid bearer token"),
            Self::Forbidden => (
                "forbidden",
                S::FORBIDDEN,
                "the token's scope does not cover this tenant or group",
            ),
            Self::RateLimited => (
                "rate_limited",
                S::TOO_MANY_REQUESTS,
                "too many requests for this token",
            ),
            Self::OutcomeUnknown => (
                "outcome_unknown",
                S::BAD_GATEWAY,
                "the connection to BroadWorks broke before its answer and whether the change was applied is unknown: read it before retrying",
            ),
            Self::TooManyConnections => (
                "too_many_connections",
                S::SERVICE_UNAVAILABLE,
                "the gateway serves as many connections as it may",
            ),
            Self::Internal => (
                "internal",
                S::INTERNAL_SERVER_ERROR,
                "the gateway failed unexpectedly",
            ),
        }
    }
}

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable short code.
    pub code: ErrorCode,
    /// What happened, for a person.
    pub message: String,
    /// The request field at fault.
    pub field: Option<String>,
    /// BroadWorks's refusal, when it refused.
    pub broadworks: Option<Box<ErrorResponse>>,
    /// Further bad fields of the same request, each its own entry of `errors`.
    pub more: Vec<FieldError>,
}

impl ApiError {
    /// An error with its code's status and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status: code.status(),
            code,
            message: message.into(),
            field: None,
            broadworks: None,
            more: Vec::new(),
        }
    }

    /// 400 about one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.to_owned()),
            ..Self::new(ErrorCode::InvalidValue, message)
        }
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
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
                    ErrorCode::BroadworksLoginRefused,
                    format!("BroadWorks refused the gateway's login as '{user}'"),
                )
            },
            OciError::Timeout { command, after } => Self::new(
                ErrorCode::BroadworksTimeout,
                format!(
                    "BroadWorks did not answer {command} within {}s",
                    after.as_secs_f32()
                ),
            ),
            OciError::Busy { .. } => Self::new(ErrorCode::BroadworksBusy, error.to_string()),
            OciError::Decode(e) => Self::new(
                ErrorCode::BroadworksBadAnswer,
                format!("BroadWorks sent an answer the gateway cannot read: {e}"),
            ),
            OciError::OutcomeUnknown { .. } => {
                Self::new(ErrorCode::OutcomeUnknown, error.to_string())
            }
            OciError::UnexpectedResponse { .. } => {
                Self::new(ErrorCode::BroadworksBadAnswer, error.to_string())
            }
            OciError::Unavailable { .. } => {
                Self::new(ErrorCode::BroadworksUnavailable, error.to_string())
            }
            other => Self::new(
                ErrorCode::BroadworksUnavailable,
                format!("BroadWorks is unreachable: {other}"),
            ),
        }
    }

    fn refused(error: ErrorResponse, subject: Option<&str>) -> Self {
        let about_subject = subject.is_some_and(|s| error.summary_english.contains(s));
        let code = match classify(&error) {
            Refusal::AlreadyExists => ErrorCode::AlreadyExists,
            Refusal::NotFound if about_subject || container_not_found(&error) => {
                ErrorCode::NotFound
            }
            _ => ErrorCode::BroadworksRefused,
        };
        Self {
            broadworks: Some(Box::new(error.clone())),
            ..Self::new(code, format!("BroadWorks refused the request: {error}"))
        }
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        let code = if e.unknown {
            ErrorCode::UnknownField
        } else {
            ErrorCode::InvalidValue
        };
        Self {
            field: (!e.field.is_empty()).then_some(e.field),
            ..Self::new(code, e.message)
        }
    }
}

impl From<FieldErrors> for ApiError {
    fn from(mut e: FieldErrors) -> Self {
        let first = e.0.remove(0);
        Self {
            more: e.0,
            ..Self::from(first)
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(errors) => errors.into(),
            ServiceError::NotFound(message) => Self::not_found(message),
            ServiceError::OutOfScope { field, message } => Self {
                field: Some(field),
                ..Self::new(ErrorCode::Forbidden, message)
            },
            ServiceError::AlreadyExists(message) => Self::new(ErrorCode::AlreadyExists, message),
            ServiceError::Oci { error, subject } => Self::from_oci(*error, subject.as_deref()),
        }
    }
}

/// The error envelope every failure answers with (`Error` in the OpenAPI document).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(rename = "Error")]
pub struct ErrorBody {
    /// One entry per problem (several for a body with several bad fields).
    pub errors: Vec<ErrorEntry>,
}

/// One problem.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(rename = "ErrorEntry")]
pub struct ErrorEntry {
    /// What happened, for a person.
    pub message: String,
    /// The machine-readable part.
    pub details: ErrorDetails,
}

/// The machine-readable part of an error entry.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "ErrorDetails")]
pub struct ErrorDetails {
    /// A short reason sentence for the code.
    pub reason: String,
    /// The stable short code.
    pub code: ErrorCode,
    /// The request field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// BroadWorks's error code, when BroadWorks refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broadworks_code: Option<i32>,
    /// BroadWorks's English summary, when BroadWorks refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broadworks_summary: Option<String>,
    /// BroadWorks's detail, when it gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broadworks_detail: Option<String>,
}

impl ErrorDetails {
    fn of(code: ErrorCode, field: Option<String>) -> Self {
        Self {
            reason: code.reason().to_owned(),
            code,
            field,
            broadworks_code: None,
            broadworks_summary: None,
            broadworks_detail: None,
        }
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl JsonSchema for ErrorCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ErrorCode".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let codes: Vec<&str> = Self::ALL.iter().map(|c| c.as_str()).collect();
        schemars::json_schema!({
            "type": "string",
            "description": "The stable short code of an error.",
            "enum": codes,
        })
    }
}

impl ApiError {
    /// The envelope this error answers with.
    pub fn body(&self) -> ErrorBody {
        let mut details = ErrorDetails::of(self.code, self.field.clone());
        if let Some(bw) = &self.broadworks {
            details.broadworks_code = bw.code();
            details.broadworks_summary = Some(bw.summary_english.clone());
            details.broadworks_detail = bw.detail.clone();
        }
        let mut errors = vec![ErrorEntry {
            message: self.message.clone(),
            details,
        }];
        for more in &self.more {
            let code = if more.unknown {
                ErrorCode::UnknownField
            } else {
                ErrorCode::InvalidValue
            };
            errors.push(ErrorEntry {
                message: more.message.clone(),
                details: ErrorDetails::of(code, Some(more.field.clone())),
            });
        }
        ErrorBody { errors }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}
