//! `POST /api/v1/bulk/hunt_groups/`: the bulk creation of the CLI over HTTP. The body is a CSV
//! sheet (`text/csv`) or a JSON array; `?dry_run=true` checks (reading from BroadWorks) without
//! writing; each row is checked against the token's scope on its own.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use futures::{Stream, StreamExt};
use tokio::sync::{mpsc, oneshot};
use tokio_util::io::{StreamReader, SyncIoBridge};

use crate::api::extract::ApiQuery;

use crate::api::auth::{Caller, Scope};
use crate::api::error::{ApiError, ErrorCode};
use crate::api::state::AppState;
use crate::bulk::input::{self, Notes};
use crate::bulk::row::{RowError, RowInput};
use crate::bulk::run::{results, RowGate, RunOptions, Summary};
use crate::ocip::document::MAX_COMMANDS;

/// Runs the rows and streams `{"results": [...], "summary": {...}}` as results complete (or, with
/// `Accept: application/x-ndjson`, one result per line and a last `{"summary": …}` line). The
/// sheet is read from the body as rows are needed, so the gateway's memory for one request is
/// bounded by its concurrency, not by its rows. One bulk request per token at a time (429).
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<HashMap<String, String>>,
    headers: HeaderMap,
    request: Body,
) -> Result<Response, ApiError> {
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
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let ndjson = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(NDJSON));
    let guard = state.bulk_in_flight.enter(&caller.name).ok_or_else(|| {
        ApiError::new(
            ErrorCode::RateLimited,
            format!(
                "a bulk request of the token '{}' is still running; one at a time",
                caller.name
            ),
        )
    })?;
    let max_rows = state.bulk_max_rows;
    let open =
        if content_type.starts_with("text/csv") || content_type.starts_with("application/csv") {
            input::csv::<BodyReader>
        } else if content_type.starts_with("application/json") || content_type.is_empty() {
            input::json_stream::<BodyReader>
        } else {
            return Err(ApiError::new(
                ErrorCode::UnsupportedMediaType,
                format!("Content-Type '{content_type}' is not text/csv or application/json"),
            ));
        };
    let (rows, notes) = body_rows(request, state.max_bulk_body_bytes, max_rows, open).await?;
    let scope = caller.clone();
    let gate: RowGate = Arc::new(move |tenant: &str, group: &str| {
        scope.require(tenant, Some(group)).map_err(|e| e.message)
    });
    let options = RunOptions {
        dry_run,
        concurrency: state.pool.health().size * MAX_COMMANDS,
        batch: MAX_COMMANDS,
        gate: Some(gate),
        restricted: caller.scope != Scope::System,
    };
    let (tx, rx) = mpsc::channel::<Bytes>(CHUNKS_IN_FLIGHT);
    let service = state.hunt_groups.clone();
    let name = caller.name.clone();
    tokio::spawn(async move {
        let _one_at_a_time = guard;
        let started = Instant::now();
        let mut summary = Summary {
            dry_run,
            ..Summary::default()
        };
        if !ndjson
            && tx
                .send(Bytes::from_static(b"{\"results\": [\n"))
                .await
                .is_err()
        {
            return;
        }
        let results = results(rows, service, options);
        futures::pin_mut!(results);
        while let Some(result) = results.next().await {
            let separator: &[u8] = match (ndjson, summary.total) {
                (true, _) | (false, 0) => b"",
                (false, _) => b",\n",
            };
            summary.count(&result);
            let mut chunk = separator.to_vec();
            // Writing to memory cannot fail.
            let _ = result.write_json(&mut chunk);
            if ndjson {
                chunk.push(b'\n');
            }
            if tx.send(Bytes::from(chunk)).await.is_err() {
                tracing::info!(caller = %name, rows = summary.total, "bulk client went away; stopped");
                return;
            }
        }
        summary.seconds = started.elapsed().as_secs_f64();
        summary.notes = notes.take();
        let summary_json = serde_json::to_string(&summary).unwrap_or_default();
        let last = if ndjson {
            format!("{{\"summary\": {summary_json}}}\n")
        } else {
            format!("\n], \"summary\": {summary_json}}}\n")
        };
        let _ = tx.send(Bytes::from(last)).await;
        tracing::info!(caller = %name, total = summary.total, failed = summary.failed, dry_run, "bulk hunt group creation");
    });
    let body = Body::from_stream(futures::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|chunk| (Ok::<_, Infallible>(chunk), rx))
    }));
    let media = if ndjson { NDJSON } else { "application/json" };
    Ok(([(header::CONTENT_TYPE, media)], body).into_response())
}

/// The media type of newline-delimited JSON.
const NDJSON: &str = "application/x-ndjson";

/// Result chunks buffered between the run and a slow client.
const CHUNKS_IN_FLIGHT: usize = 16;

/// Rows read while they are needed.
type RowStream = Pin<Box<dyn Stream<Item = Result<RowInput, RowError>> + Send>>;

/// The request body as a blocking reader.
type BodyReader =
    SyncIoBridge<StreamReader<Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send>>, Bytes>>;

/// The rows of a body (a CSV sheet or a JSON array), read from the body as a stream on a
/// blocking thread, a bounded channel ahead of the run: the start (header, opening bracket) is
/// checked now (400 when it cannot be used), rows as the run takes them.
async fn body_rows(
    request: Body,
    max_bytes: usize,
    max_rows: usize,
    open: fn(BodyReader) -> Result<(input::Rows, Notes), input::InputError>,
) -> Result<(RowStream, Notes), ApiError> {
    let mut seen = 0usize;
    let chunks = request.into_data_stream().map(move |chunk| {
        let chunk = chunk.map_err(std::io::Error::other)?;
        seen += chunk.len();
        if seen > max_bytes {
            return Err(std::io::Error::other(format!(
                "the body is larger than {max_bytes} bytes"
            )));
        }
        Ok(chunk)
    });
    let chunks: Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send>> = Box::pin(chunks);
    let reader = SyncIoBridge::new(StreamReader::new(chunks));
    let (header_tx, header_rx) = oneshot::channel();
    let (row_tx, row_rx) = mpsc::channel(ROWS_AHEAD);
    tokio::task::spawn_blocking(move || match open(reader) {
        Err(e) => {
            let _ = header_tx.send(Err(e));
        }
        Ok((rows, notes)) => {
            let _ = header_tx.send(Ok(notes));
            for row in input::limit_rows(rows, max_rows) {
                if row_tx.blocking_send(row).is_err() {
                    break;
                }
            }
        }
    });
    let notes = header_rx
        .await
        .map_err(|_| ApiError::invalid("body", "the body could not be read"))?
        .map_err(|e| ApiError::invalid("body", e.to_string()))?;
    let rows = futures::stream::unfold(row_rx, |mut rx| async move {
        rx.recv().await.map(|row| (row, rx))
    });
    Ok((Box::pin(rows), notes))
}

/// Rows read ahead of the run.
const ROWS_AHEAD: usize = 64;

/// The tokens with a bulk request running.
#[derive(Debug, Default)]
pub struct BulkInFlight(Mutex<HashSet<String>>);

impl BulkInFlight {
    /// Marks the token's bulk request as running, or `None` when one already is.
    pub fn enter(self: &Arc<Self>, token_name: &str) -> Option<InFlightGuard> {
        let mut running = self.0.lock().ok()?;
        running
            .insert(token_name.to_owned())
            .then(|| InFlightGuard {
                set: self.clone(),
                name: token_name.to_owned(),
            })
    }
}

/// A running bulk request; dropping it ends it.
#[derive(Debug)]
pub struct InFlightGuard {
    set: Arc<BulkInFlight>,
    name: String,
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        if let Ok(mut running) = self.set.0.lock() {
            running.remove(&self.name);
        }
    }
}
