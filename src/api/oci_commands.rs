//! `POST /api/v1/oci/commands`: any command of the loaded schema as JSON, one or an array of at
//! most 15 sent as one OCI-P document; the answers come back as JSON in order.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::IntoResponse;
use axum::Json;
use bytes::Bytes;
use serde_json::Value;

use crate::api::auth::Caller;
use crate::api::body;
use crate::api::error::{ApiError, ErrorCode};
use crate::api::extract::ApiPath;
use crate::api::state::AppState;
use crate::ocip::document::MAX_COMMANDS;
use crate::schema::encode::COMMAND_KEY;
use crate::schema::exchange::{answers, prepare};
use crate::translate::{FieldError, FieldErrors};

/// The header counting the answers' schema violations (0 is not sent).
pub const VIOLATIONS_HEADER: &str = "x-oci-schema-violations";

/// `POST /api/v1/oci/commands/{command}`: one command of that type (its `command` key may be
/// left out); 200 with its answer.
pub async fn call_one(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(command): ApiPath<String>,
    request: Body,
) -> Result<(HeaderMap, Json<Value>), ApiError> {
    let bytes = body::read(request, &state, state.max_body_bytes).await?;
    let mut value = body::json_value(&bytes)?.unwrap_or_else(|| Value::Object(Default::default()));
    let Some(obj) = value.as_object_mut() else {
        return Err(ApiError::invalid(
            "command",
            "the body must be one command (a JSON object)",
        ));
    };
    match obj.get(COMMAND_KEY) {
        None => {
            obj.insert(COMMAND_KEY.to_owned(), Value::String(command));
        }
        Some(Value::String(named)) if *named == command => {}
        Some(other) => {
            return Err(ApiError::invalid(
                COMMAND_KEY,
                format!("the body names {other}, the path {command}"),
            ))
        }
    }
    let (headers, Json(mut answers)) = Box::pin(send(&state, &caller, value)).await?;
    let answer = answers
        .as_array_mut()
        .and_then(|a| a.pop())
        .unwrap_or(Value::Null);
    Ok((headers, Json(answer)))
}

/// `GET /openapi/oci.json`: every command of the loaded schema, generated once.
pub async fn openapi(State(state): State<AppState>) -> impl IntoResponse {
    let bytes = state
        .oci_openapi
        .get_or_init(|| {
            let doc = crate::schema::openapi::document(&state.catalog);
            Bytes::from(serde_json::to_vec(&doc).unwrap_or_default())
        })
        .clone();
    ([(header::CONTENT_TYPE, "application/json")], bytes)
}

/// `POST /api/v1/oci/commands`: 200 with the array of answers (each the answer's JSON or the
/// ErrorResponse's); 400 naming every schema violation (nothing sent); 403 outside the scope.
pub async fn call(
    State(state): State<AppState>,
    caller: Caller,
    request: Body,
) -> Result<(HeaderMap, Json<Value>), ApiError> {
    let bytes = body::read(request, &state, state.max_body_bytes).await?;
    let value = body::json_value(&bytes)?.ok_or_else(|| {
        ApiError::invalid(
            "command",
            "the request needs a JSON body: one command or an array of at most 15",
        )
    })?;
    Box::pin(send(&state, &caller, value)).await
}

/// Checks, scopes, sends and reads back one command or an array of them.
async fn send(
    state: &AppState,
    caller: &Caller,
    value: Value,
) -> Result<(HeaderMap, Json<Value>), ApiError> {
    let catalog = &state.catalog;
    let prepared = prepare(catalog, &value, MAX_COMMANDS).map_err(|violations| {
        let errors = violations
            .into_iter()
            .map(|v| FieldError {
                unknown: v.rule.starts_with("not an element of"),
                field: v.path,
                message: v.rule,
            })
            .collect();
        ApiError::from(FieldErrors(errors))
    })?;
    let commands: Vec<&Value> = match &value {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    for command in commands {
        let checked = crate::api::oci_scope::check(&caller.scope, catalog, &state.pool, command);
        Box::pin(checked)
            .await
            .map_err(|reason| ApiError::new(ErrorCode::Forbidden, reason))?;
    }
    let reads_only = prepared.documents().all(|(_, reads)| reads);
    let frame = Box::pin(state.pool.call_commands(&prepared.commands, reads_only))
        .await
        .map_err(|e| ApiError::from_oci(e, None))?;
    let decoded =
        answers(catalog, &frame).map_err(|e| ApiError::new(ErrorCode::BroadworksBadAnswer, e))?;
    let mut headers = HeaderMap::new();
    let violations: usize = decoded.iter().map(|d| d.violations.len()).sum();
    if violations > 0 {
        for d in &decoded {
            for v in &d.violations {
                tracing::warn!(violation = %v, "an answer breaks the schema");
            }
        }
        headers.insert(VIOLATIONS_HEADER, HeaderValue::from(violations));
    }
    let results = decoded.into_iter().map(|d| d.value).collect();
    Ok((headers, Json(Value::Array(results))))
}
