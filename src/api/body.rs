//! Reading JSON bodies: size limit (413), malformed JSON (400), wrong types and unknown fields
//! (400 naming the field), all in the API's error shape.

use axum::body::Body;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api::error::{ApiError, ErrorCode};

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
                ErrorCode::BodyTimeout,
                format!(
                    "the request body did not arrive within {}s",
                    timeout.as_secs_f32()
                ),
            )
        })?
        .map_err(|_| {
            ApiError::new(
                ErrorCode::BodyTooLarge,
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
            ErrorCode::MalformedJson,
            format!("the body is not valid JSON: {e}"),
        )
    })
}

/// Deserializes a JSON value, naming the field of any error.
pub fn typed<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    crate::translate::input::typed(&value).map_err(ApiError::from)
}

/// Reads and deserializes a required JSON body.
pub async fn parse<T: DeserializeOwned>(
    body: Body,
    state: &crate::api::AppState,
) -> Result<T, ApiError> {
    let bytes = read(body, state, state.max_body_bytes).await?;
    let value = json_value(&bytes)?
        .ok_or_else(|| ApiError::new(ErrorCode::MalformedJson, "the request needs a JSON body"))?;
    typed(value)
}
