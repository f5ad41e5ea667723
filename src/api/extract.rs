//! Path and query extractors that reject in the API's own error shape (400 naming what was
//! wrong), instead of axum's plain-text rejections.

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::api::error::ApiError;
use crate::ocip::xml::chars;

/// Path parameters, as [`Path`].
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        xml_characters("path", parts.uri.path())?;
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| Self(value))
            .map_err(|e| {
                ApiError::invalid(
                    "path",
                    format!("the path cannot be read: {}", e.body_text()),
                )
            })
    }
}

/// Refuses a path or query whose decoded text holds a character XML 1.0 forbids.
fn xml_characters(what: &str, encoded: &str) -> Result<(), ApiError> {
    // Nearly every path has nothing percent-encoded: then it is its own decoded text.
    let decoded = if encoded.contains('%') {
        std::borrow::Cow::Owned(percent_decoded(encoded))
    } else {
        std::borrow::Cow::Borrowed(encoded)
    };
    match chars::first_forbidden(&decoded) {
        Some((at, c)) => Err(ApiError::invalid(what, chars::describe(at, c))),
        None => Ok(()),
    }
}

/// The path with `%XX` decoded (invalid sequences kept as they are).
fn percent_decoded(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Query parameters, as [`Query`].
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        xml_characters("query", parts.uri.query().unwrap_or(""))?;
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| Self(value))
            .map_err(|e| {
                ApiError::invalid(
                    "query",
                    format!("the query string cannot be read: {}", e.body_text()),
                )
            })
    }
}
