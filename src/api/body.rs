//! Reading JSON bodies: size limit (413), malformed JSON (400), wrong types and unknown fields
//! (400 naming the field), all in the API's error shape.

use axum::body::Body;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api::error::ApiError;

/// Reads a body of at most `limit` bytes within `timeout` (408 for a client that is too slow).
pub async fn read_within(
    body: Body,
    limit: usize,
    timeout: std::time::Duration,
) -> Result<axum::body::Bytes, ApiError> {
    tokio::time::timeout(timeout, axum::body::to_bytes(body, limit))
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "body_timeout",
                format!(
                    "the request body did not arrive within {}s",
                    timeout.as_secs_f32()
                ),
            )
        })?
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!("the request body is larger than {limit} bytes"),
            )
        })
}

/// Reads a body with the state's size limit and timeout.
pub async fn read(
    body: Body,
    state: &crate::api::AppState,
    limit: usize,
) -> Result<axum::body::Bytes, ApiError> {
    read_within(body, limit, state.body_read_timeout).await
}

/// Parses JSON text into a value; empty means `None`.
pub fn json_value(bytes: &[u8]) -> Result<Option<Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(bytes).map(Some).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("the body is not valid JSON: {e}"),
        )
    })
}

/// Deserializes a JSON value, naming the field of any error.
pub fn typed<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let field = e.path().to_string();
        let message = e.inner().to_string();
        let field = if field == "." { String::new() } else { field };
        let mut error = if message.starts_with("unknown field") {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "unknown_field",
                format!("unknown field '{field}': it is not part of this payload"),
            )
        } else {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_value",
                if field.is_empty() {
                    message
                } else {
                    format!("{field}: {message}")
                },
            )
        };
        error.field = (!field.is_empty()).then_some(field);
        error
    })
}

/// Reads and deserializes a required JSON body.
pub async fn parse<T: DeserializeOwned>(
    body: Body,
    state: &crate::api::AppState,
) -> Result<T, ApiError> {
    let bytes = read(body, state, state.max_body_bytes).await?;
    let value = json_value(&bytes)?.ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            "the request needs a JSON body",
        )
    })?;
    typed(value)
}
