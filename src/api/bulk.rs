//! `POST /api/v1/bulk/hunt_groups/`: the bulk creation of the CLI over HTTP. The body is a CSV
//! sheet (`text/csv`) or a JSON array; `?dry_run=true` checks (reading from BroadWorks) without
//! writing; each row is checked against the token's scope on its own.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;

use crate::api::extract::ApiQuery;
use axum::http::{header, HeaderMap};
use axum::Json;

use crate::api::auth::Caller;
use crate::api::body;
use crate::api::error::{ApiError, ErrorCode};
use crate::api::state::AppState;
use crate::bulk::input;
use crate::bulk::run::{run, BulkResults, RowGate, RunOptions};

/// Runs the rows and answers `{"results": [...], "summary": {...}}`.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<HashMap<String, String>>,
    headers: HeaderMap,
    request: Body,
) -> Result<Json<BulkResults>, ApiError> {
    let mut dry_run = false;
    for (key, value) in &query {
        match (key.as_str(), value.to_ascii_lowercase().as_str()) {
            ("dry_run", "true" | "1" | "yes") => dry_run = true,
            ("dry_run", "false" | "0" | "no") => dry_run = false,
            ("dry_run", _) => {
                return Err(ApiError::invalid(
                    "dry_run",
                    format!("'{value}' is not true or false"),
                ))
            }
            (other, _) => {
                return Err(ApiError::invalid(
                    other,
                    format!("unknown query parameter {other} (known: dry_run)"),
                ))
            }
        }
    }
    let bytes = body::read(request, &state, state.max_bulk_body_bytes).await?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (rows, notes) =
        if content_type.starts_with("text/csv") || content_type.starts_with("application/csv") {
            input::csv(Cursor::new(bytes)).map_err(|e| ApiError::invalid("body", e.to_string()))?
        } else if content_type.starts_with("application/json") || content_type.is_empty() {
            let value = body::json_value(&bytes)?
                .ok_or_else(|| ApiError::invalid("body", "the body is empty"))?;
            input::json(value).map_err(|e| ApiError::invalid("body", e.to_string()))?
        } else {
            return Err(ApiError::new(
                ErrorCode::UnsupportedMediaType,
                format!("Content-Type '{content_type}' is not text/csv or application/json"),
            ));
        };
    let scope = caller.clone();
    let gate: RowGate = Arc::new(move |tenant: &str, group: &str| {
        scope.require(tenant, Some(group)).map_err(|e| e.message)
    });
    let options = RunOptions {
        dry_run,
        concurrency: state.pool.health().size,
        gate: Some(gate),
    };
    let mut results = Vec::new();
    let mut summary = run(rows, state.hunt_groups.clone(), options, |r| {
        results.push(r.clone())
    })
    .await;
    summary.notes = notes.take();
    tracing::info!(caller = %caller.name, total = summary.total, failed = summary.failed, dry_run, "bulk hunt group creation");
    Ok(Json(BulkResults { results, summary }))
}
