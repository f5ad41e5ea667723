//! Running rows: each checked, then (unless dry run) sent over the pool, concurrently and each on
//! its own; results come out in input order as they complete, so any number of rows streams
//! with bounded memory.

use std::sync::Arc;
use std::time::Instant;

use futures::{Stream, StreamExt};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{json, Value};

use crate::bulk::row::{bulk_defaults, command_of, data_of, raw_data, Origin, RowError, RowInput};
use crate::ocip::commands::ErrorResponse;
use crate::ocip::document::MAX_COMMANDS;
use crate::ocip::xml::json::JsonText;
use crate::ocip::OciError;
use crate::service::hunt_group::Prepared;
use crate::service::{HuntGroups, ServiceError};

/// The answer of the bulk endpoint: every row's result, then the totals.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(rename = "BulkResults")]
pub struct BulkResults {
    /// One result per row, in input order.
    pub results: Vec<RowResult>,
    /// Totals.
    pub summary: Summary,
}

/// The result of one row, in the spec's format (plus `line` for sheets).
#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
#[schemars(rename = "BulkResult")]
pub struct RowResult {
    /// Row index, 0-based, in input order.
    pub index: usize,
    /// The sheet line (1-based, header = 1), for CSV input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The row's data, defaults applied (as given, when it failed its checks).
    pub data: JsonText,
    /// The OCI command sent or that would be sent (`null` when the row failed its checks).
    pub command: JsonText,
    /// BroadWorks's answer (`""` for a dry run or when nothing was sent).
    pub response: Value,
    /// Whether the row succeeded (for a dry run: whether it would be sent).
    pub success: bool,
    /// Why it failed.
    pub error: Option<String>,
}

impl RowResult {
    /// Writes the result as its `Serialize` writes it with serde_json (compact), `data` and
    /// `command` copied as the JSON text they are: through serde, each would be parsed again to
    /// be checked, a twentieth of a bulk row. A test holds the two to the same text.
    pub fn write_json<W: std::io::Write>(&self, out: &mut W) -> std::io::Result<()> {
        write!(out, "{{\"index\":{}", self.index)?;
        if let Some(line) = self.line {
            write!(out, ",\"line\":{line}")?;
        }
        out.write_all(b",\"data\":")?;
        out.write_all(self.data.as_text().as_bytes())?;
        out.write_all(b",\"command\":")?;
        out.write_all(self.command.as_text().as_bytes())?;
        out.write_all(b",\"response\":")?;
        serde_json::to_writer(&mut *out, &self.response)?;
        write!(out, ",\"success\":{},\"error\":", self.success)?;
        serde_json::to_writer(&mut *out, &self.error)?;
        out.write_all(b"}")
    }
}

/// Decides whether a row may be sent (the REST endpoint checks the token's scope per row).
pub type RowGate = Arc<dyn Fn(&str, &str) -> Result<(), String> + Send + Sync>;

/// How to run.
#[derive(Clone)]
pub struct RunOptions {
    /// Check and build everything (reading from BroadWorks), send nothing.
    pub dry_run: bool,
    /// Rows being checked and built at once.
    pub concurrency: usize,
    /// Rows per OCI-P document (1..=15): a real run sends the Adds of up to this many rows in one
    /// document, each executed and answered on its own; a dry run, the Gets that tell whether
    /// their ids are taken.
    pub batch: usize,
    /// Per-row permission (tenant, group).
    pub gate: Option<RowGate>,
    /// Ids only in the group's domain and the tenant's extra domains (tenant and group tokens).
    pub restricted: bool,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, Serialize, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "BulkSummary")]
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

/// The results of `rows` in input order as they complete: rows are checked and built
/// `options.concurrency` at a time, then their Adds (on a dry run, the Gets of their ids) go out
/// `options.batch` to a document over every session of the pool. Memory is bounded by those numbers, not by the
/// number of rows.
pub fn results<S>(
    rows: S,
    service: Arc<HuntGroups>,
    options: RunOptions,
) -> impl Stream<Item = RowResult> + Send
where
    S: Stream<Item = Result<RowInput, RowError>> + Send,
{
    let concurrency = options.concurrency.max(1);
    let dry_run = options.dry_run;
    let batch = options.batch.clamp(1, MAX_COMMANDS);
    let documents = service.sessions().max(1);
    let defaults = Arc::new(bulk_defaults());
    let prepare_service = service.clone();
    rows.map(move |row| {
        let index = row.as_ref().map_or_else(|e| e.index, |r| r.index);
        // Each row's checks on a task of its own, so rows are prepared on every core.
        let task = tokio::spawn(prepare(
            row,
            prepare_service.clone(),
            options.clone(),
            defaults.clone(),
        ));
        async move {
            task.await.unwrap_or_else(|e| {
                tracing::error!(row = index, error = %e, "preparing a bulk row failed unexpectedly");
                Stage::Done(internal_failure(index))
            })
        }
    })
    .buffered(concurrency)
    .chunks(batch)
    .map(move |stages| Box::pin(send(stages, service.clone(), dry_run)))
    // Twice the sessions: while a document is on the wire, the next one is built and waits
    // for its session (the pool lets one document per session through).
    .buffered(documents * 2)
    .flat_map(futures::stream::iter)
    .inspect(move |result| crate::telemetry::bulk_row(result.success, dry_run))
}

/// The ids a result's `data` names, each when it is there as text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DataIds {
    /// `serviceProviderId`.
    pub service_provider_id: Option<String>,
    /// `groupId`.
    pub group_id: Option<String>,
    /// `serviceUserId`.
    pub service_user_id: Option<String>,
}

impl RowResult {
    /// The ids of the result's `data`, read from its JSON text without building the rest of it
    /// (a CSV report and the console table show them for every row).
    pub fn data_ids(&self) -> DataIds {
        #[derive(Default, serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Ids {
            service_provider_id: Option<Value>,
            group_id: Option<Value>,
            service_user_id: Option<Value>,
        }
        let ids: Ids = serde_json::from_str(self.data.as_text()).unwrap_or_default();
        let text = |v: Option<Value>| v.as_ref().and_then(Value::as_str).map(str::to_owned);
        DataIds {
            service_provider_id: text(ids.service_provider_id),
            group_id: text(ids.group_id),
            service_user_id: text(ids.service_user_id),
        }
    }
}

impl Summary {
    /// Counts one result.
    pub fn count(&mut self, result: &RowResult) {
        self.total += 1;
        if result.success {
            self.succeeded += 1;
        } else {
            self.failed += 1;
        }
    }
}

/// Runs `rows` through the hunt group service, handing each result to `sink` in input order.
pub async fn run<I, F>(
    rows: I,
    service: Arc<HuntGroups>,
    options: RunOptions,
    mut sink: F,
) -> Summary
where
    I: Iterator<Item = Result<RowInput, RowError>> + Send,
    F: FnMut(&RowResult),
{
    let started = Instant::now();
    let mut summary = Summary {
        dry_run: options.dry_run,
        ..Summary::default()
    };
    let results = results(futures::stream::iter(rows), service, options);
    futures::pin_mut!(results);
    while let Some(result) = results.next().await {
        summary.count(&result);
        sink(&result);
    }
    summary.seconds = started.elapsed().as_secs_f64();
    summary
}

/// A row after its checks: its result already (failed), or ready to send (or, on a dry run, to
/// check against BroadWorks).
enum Stage {
    Done(RowResult),
    Ready {
        row: RowInput,
        data: JsonText,
        command: JsonText,
        prepared: Box<Prepared>,
    },
}

/// One row: the same create a REST body gets, prepared with the bulk defaults and checked.
async fn prepare(
    row: Result<RowInput, RowError>,
    service: Arc<HuntGroups>,
    options: RunOptions,
    defaults: Arc<Value>,
) -> Stage {
    let row = match row {
        Ok(row) => row,
        Err(e) => return Stage::Done(failed(&e, JsonText::empty_object())),
    };
    let (request, mut problems) = row.to_request();
    if request.tenant.is_empty() || request.group.is_empty() {
        return Stage::Done(failed(&row.error(problems), raw_data(&row)));
    }
    if let Some(gate) = &options.gate {
        if let Err(message) = gate(&request.tenant, &request.group) {
            return Stage::Done(failed_row(row.index, row.origin, raw_data(&row), message));
        }
    }
    // Boxed: the nested futures are large, and this one is spawned (moved) once per row.
    let prepared = match Box::pin(service.prepare_create(
        &request.tenant,
        &request.group,
        request.body.clone(),
        Some(&defaults),
        options.restricted,
    ))
    .await
    {
        Ok(prepared) if problems.is_empty() => prepared,
        Ok(_) => return Stage::Done(failed(&row.error(problems), raw_data(&row))),
        Err(ServiceError::Invalid(fields)) => {
            problems.extend(row.problems_of(&fields).problems);
            return Stage::Done(failed(&row.error(problems), raw_data(&row)));
        }
        Err(_) if !problems.is_empty() => {
            return Stage::Done(failed(&row.error(problems), raw_data(&row)))
        }
        Err(e) => return Stage::Done(refused(&row, raw_data(&row), JsonText::null(), e)),
    };
    let data = data_of(&request, &prepared.input_json, &prepared.command);
    let command = command_of(&prepared.command);
    Stage::Ready {
        row,
        data,
        command,
        prepared: Box::new(prepared),
    }
}

/// Sends the ready rows of a chunk in one document (on a dry run, the Gets that tell whether
/// their ids are taken, and the checks that follow); every row's result, in order.
async fn send(stages: Vec<Stage>, service: Arc<HuntGroups>, dry_run: bool) -> Vec<RowResult> {
    let mut ready = Vec::new();
    let mut slots = Vec::with_capacity(stages.len());
    for stage in stages {
        match stage {
            Stage::Done(result) => slots.push(Some(result)),
            Stage::Ready {
                row,
                data,
                command,
                prepared,
            } => {
                ready.push((slots.len(), row, data, command, *prepared));
                slots.push(None);
            }
        }
    }
    let (rest, prepared): (Vec<_>, Vec<_>) = ready
        .into_iter()
        .map(|(slot, row, data, command, prepared)| ((slot, row, data, command), prepared))
        .unzip();
    let outcomes: Vec<Result<Value, ServiceError>> = if prepared.is_empty() {
        Vec::new()
    } else if dry_run {
        let checked = service.check_creates(&prepared).await;
        checked.into_iter().map(|c| c.map(|_| json!(""))).collect()
    } else {
        let created = service.execute_creates(prepared).await;
        let success = || json!({"type": "SuccessResponse"});
        created.into_iter().map(|c| c.map(|_| success())).collect()
    };
    for ((slot, row, data, command), outcome) in rest.into_iter().zip(outcomes) {
        slots[slot] = Some(outcome_of(&row, data, command, outcome));
    }
    slots.into_iter().flatten().collect()
}

/// A checked row's result from what became of it.
fn outcome_of(
    row: &RowInput,
    data: JsonText,
    command: JsonText,
    outcome: Result<Value, ServiceError>,
) -> RowResult {
    match outcome {
        Ok(response) => RowResult {
            index: row.index,
            line: line_of(row.origin),
            data,
            command,
            response,
            success: true,
            error: None,
        },
        Err(e) => refused(row, data, command, e),
    }
}

fn line_of(origin: Origin) -> Option<u64> {
    match origin {
        Origin::Line(line) => Some(line),
        Origin::Item(_) => None,
    }
}

/// The result of a row the service refused: bad fields as bad cells, BroadWorks's answer kept.
fn refused(row: &RowInput, data: JsonText, command: JsonText, error: ServiceError) -> RowResult {
    let mut result = failed_row(row.index, row.origin, data, String::new());
    result.command = command;
    result.error = Some(match error {
        ServiceError::Invalid(fields) => row.problems_of(&fields).to_string(),
        ServiceError::Oci { error, .. } => match *error {
            OciError::Refused { error, .. } => {
                result.response = error_json(&error);
                error.to_string()
            }
            other => other.to_string(),
        },
        other => other.to_string(),
    });
    result
}

/// A failed row's result: nothing sent, no command.
fn failed_row(index: usize, origin: Origin, data: JsonText, message: String) -> RowResult {
    RowResult {
        index,
        line: line_of(origin),
        data,
        command: JsonText::null(),
        response: json!(""),
        success: false,
        error: Some(message),
    }
}

/// The result of a row whose processing failed inside the gateway (logged).
fn internal_failure(index: usize) -> RowResult {
    RowResult {
        index,
        line: None,
        data: JsonText::empty_object(),
        command: JsonText::null(),
        response: json!(""),
        success: false,
        error: Some("the gateway failed on this row; it has been logged".to_owned()),
    }
}

fn failed(error: &RowError, data: JsonText) -> RowResult {
    failed_row(error.index, error.origin, data, error.to_string())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ids_of_data_are_read_when_they_are_text() {
        let result = |data: Value| RowResult {
            data: JsonText::of(&data),
            ..internal_failure(0)
        };
        let ids = result(json!({
            "operation": "hunt.group.create",
            "serviceProviderId": "sp",
            "groupId": 7,
            "serviceInstanceProfile": {"name": "N", "alias": ["a"]},
            "serviceUserId": "u@x"
        }))
        .data_ids();
        assert_eq!(
            ids,
            DataIds {
                service_provider_id: Some("sp".into()),
                group_id: None,
                service_user_id: Some("u@x".into()),
            }
        );
        assert_eq!(result(json!({})).data_ids(), DataIds::default());
        assert_eq!(internal_failure(0).data_ids(), DataIds::default());
    }

    #[test]
    fn a_result_is_written_as_serde_writes_it() {
        use crate::ocip::commands::GroupHuntGroupAddInstanceRequest20 as Add;
        use crate::ocip::value::{Node, OciCommand};
        let command = crate::fixture::all_fixture_documents()
            .iter()
            .find_map(|text| {
                let root = crate::ocip::xml::parse(text).ok()?;
                let e = root
                    .children
                    .iter()
                    .find(|c| c.name == "command" && c.xsi_type() == Some(Add::NAME))?;
                Add::read_command(Node::of(e)).ok()
            })
            .expect("a recorded GroupHuntGroupAddInstanceRequest20");
        let data = json!({
            "operation": "hunt.group.create",
            "serviceInstanceProfile": {"name": "Sales \"East\" \u{e9}\u{1}", "alias": ["a", "b"]},
            "agentUserId": [],
            "enableVideo": true,
            "weight": 7
        });
        let results = [
            RowResult {
                index: 3,
                line: Some(5),
                data: JsonText::of(&data),
                command: crate::ocip::xml::json::command_to_json(&command),
                response: json!({"type": "c:SuccessResponse", "n": [1, null]}),
                success: true,
                error: None,
            },
            RowResult {
                error: Some("line 2, column x: \"bad\"\n\u{2028}".into()),
                success: false,
                response: json!(""),
                ..internal_failure(9)
            },
            failed_row(0, Origin::Item(0), JsonText::empty_object(), "m".into()),
        ];
        for result in results {
            let mut written = Vec::new();
            result.write_json(&mut written).unwrap();
            assert_eq!(
                String::from_utf8(written).unwrap(),
                serde_json::to_string(&result).unwrap()
            );
        }
    }
}
