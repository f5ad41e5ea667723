//! Running rows: each checked, then (unless dry run) sent over the pool, concurrently and each on
//! its own; results come out in input order as they complete, so any number of rows streams
//! with bounded memory.

use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;
use serde::Serialize;
use serde_json::{json, Value};

use crate::bulk::row::{check, raw_data, Origin, RowError, RowInput};
use crate::ocip::commands::ErrorResponse;
use crate::ocip::xml::json::command_to_json;
use crate::ocip::{OciError, Pool};

/// The result of one row, in the spec's format (plus `line` for sheets).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RowResult {
    /// Row index, 0-based, in input order.
    pub index: usize,
    /// The sheet line (1-based, header = 1), for CSV input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The row's data, defaults applied (as given, when it failed its checks).
    pub data: Value,
    /// The OCI command sent or that would be sent (`null` when the row failed its checks).
    pub command: Value,
    /// BroadWorks's answer (`""` for a dry run or when nothing was sent).
    pub response: Value,
    /// Whether the row succeeded (for a dry run: whether it would be sent).
    pub success: bool,
    /// Why it failed.
    pub error: Option<String>,
}

/// Decides whether a row may be sent (the REST endpoint checks the token's scope per row).
pub type RowGate = Arc<dyn Fn(&str, &str) -> Result<(), String> + Send + Sync>;

/// How to run.
#[derive(Clone)]
pub struct RunOptions {
    /// Check and build everything, send nothing.
    pub dry_run: bool,
    /// Rows in flight at once.
    pub concurrency: usize,
    /// Per-row permission (tenant, group).
    pub gate: Option<RowGate>,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Rows read.
    pub total: usize,
    /// Rows that succeeded.
    pub succeeded: usize,
    /// Rows that failed.
    pub failed: usize,
    /// Whether it was a dry run.
    pub dry_run: bool,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Notes about the input (e.g. a skipped hint row).
    pub notes: Vec<String>,
}

/// Runs `rows`, handing each result to `sink` in input order.
pub async fn run<I, F>(
    rows: I,
    pool: Option<Arc<Pool>>,
    options: RunOptions,
    mut sink: F,
) -> Summary
where
    I: Iterator<Item = Result<RowInput, RowError>>,
    F: FnMut(&RowResult),
{
    let started = Instant::now();
    let mut summary = Summary {
        dry_run: options.dry_run,
        ..Summary::default()
    };
    let concurrency = options.concurrency.max(1);
    let mut results = futures::stream::iter(rows)
        .map(|row| process(row, pool.clone(), options.clone()))
        .buffered(concurrency);
    while let Some(result) = results.next().await {
        summary.total += 1;
        if result.success {
            summary.succeeded += 1;
        } else {
            summary.failed += 1;
        }
        sink(&result);
    }
    summary.seconds = started.elapsed().as_secs_f64();
    summary
}

async fn process(
    row: Result<RowInput, RowError>,
    pool: Option<Arc<Pool>>,
    options: RunOptions,
) -> RowResult {
    let row = match row {
        Ok(row) => row,
        Err(e) => return failed(&e, Value::Object(Default::default())),
    };
    let line = match row.origin {
        Origin::Line(line) => Some(line),
        Origin::Item(_) => None,
    };
    let checked = match check(&row) {
        Ok(checked) => checked,
        Err(e) => return failed(&e, raw_data(&row)),
    };
    let mut result = RowResult {
        index: row.index,
        line,
        data: checked.data,
        command: command_to_json(&checked.command),
        response: json!(""),
        success: false,
        error: None,
    };
    if let Some(problem) = &checked.problem {
        result.error = Some(problem.to_string());
        return result;
    }
    let cmd = &checked.command;
    if let Some(gate) = &options.gate {
        if let Err(message) = gate(&cmd.service_provider_id, &cmd.group_id) {
            result.error = Some(message);
            return result;
        }
    }
    if options.dry_run {
        result.success = true;
        return result;
    }
    let Some(pool) = pool else {
        result.error = Some("no BroadWorks connection".into());
        return result;
    };
    match pool.call(cmd).await {
        Ok(_) => {
            result.response = json!({"type": "SuccessResponse"});
            result.success = true;
        }
        Err(OciError::Refused { error, .. }) => {
            result.response = error_json(&error);
            result.error = Some(error.to_string());
        }
        Err(other) => result.error = Some(other.to_string()),
    }
    result
}

fn failed(error: &RowError, data: Value) -> RowResult {
    let line = match error.origin {
        Origin::Line(line) => Some(line),
        Origin::Item(_) => None,
    };
    RowResult {
        index: error.index,
        line,
        data,
        command: Value::Null,
        response: json!(""),
        success: false,
        error: Some(error.to_string()),
    }
}

fn error_json(e: &ErrorResponse) -> Value {
    let mut v = json!({
        "type": "ErrorResponse",
        "summary": e.summary,
        "summaryEnglish": e.summary_english,
    });
    if let Some(code) = e.code() {
        v["errorCode"] = json!(code);
    }
    if let Some(detail) = &e.detail {
        v["detail"] = json!(detail);
    }
    v
}
