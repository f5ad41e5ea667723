//! The simulator's control API (`ocigw sim --control ADDR`): HTTP and JSON, for test suites in
//! any language. Every call takes effect for the next OCI-P request.
//!
//! - `GET /health`: counters, open connections, recordings loaded.
//! - `POST /reset`: the directory back to the loaded data, the received commands forgotten,
//!   recorded answers served from the first again. Faults stay (see `/faults`).
//! - `GET /directory`, `PUT /directory` (a TOML directory in the `--data` format): what is
//!   loaded, or load another one (it becomes what `/reset` returns to). The administrators
//!   already known stay; a `[faults]` table in the file replaces the faults in force.
//! - `GET /commands[?after=SEQ]`, `DELETE /commands`: the commands received, with their
//!   connection, session, time and answer.
//! - `GET /faults`, `PUT /faults` (JSON, the `[faults]` keys), `DELETE /faults`: fault injection.
//!
//! It has no authentication: it listens on loopback unless told otherwise.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::sim::data::DataFile;
use crate::sim::directory::Directory;
use crate::sim::faults::FaultSettings;
use crate::sim::Shared;

/// The default address of the control API: loopback, next to the OCI-P port 2208.
pub const DEFAULT_CONTROL: &str = "127.0.0.1:2210";

/// Largest directory or fault document accepted.
const MAX_BODY: usize = 16 * 1024 * 1024;

#[derive(Clone)]
struct Control {
    shared: Arc<Shared>,
    oci: SocketAddr,
}

/// The control API over the simulator's shared state (`oci`: the OCI-P address, reported by
/// `/health`).
pub fn router(shared: Arc<Shared>, oci: SocketAddr) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/reset", axum::routing::post(reset))
        .route("/directory", get(directory).put(load_directory))
        .route("/commands", get(commands).delete(clear_commands))
        .route("/faults", get(faults).put(set_faults).delete(clear_faults))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .with_state(Control { shared, oci })
}

fn refused(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

async fn health(State(c): State<Control>) -> Json<Value> {
    let s = &c.shared;
    Json(json!({
        "status": "ok",
        "oci_address": c.oci.to_string(),
        "connections_open": s.connections_open.load(Ordering::Relaxed),
        "commands_seen": s.commands_seen.load(Ordering::Relaxed),
        "documents_seen": s.documents_seen.load(Ordering::Relaxed),
        "recorded_answers": s.answers.len(),
        "answers_first": s.answers.first(),
    }))
}

async fn reset(State(c): State<Control>) -> Json<Value> {
    let loaded = c
        .shared
        .loaded
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let summary = summary(&loaded);
    *c.shared.directory() = loaded;
    if let Some(journal) = &c.shared.journal {
        journal.clear();
    }
    c.shared.answers.reset();
    tracing::info!("simulator control: reset to the loaded directory");
    Json(json!({ "reset": true, "directory": summary }))
}

async fn directory(State(c): State<Control>) -> Json<Value> {
    Json(summary(&c.shared.directory()))
}

async fn load_directory(State(c): State<Control>, body: String) -> Response {
    let data = match DataFile::parse(&body) {
        Ok(data) => data,
        Err(e) => return refused(StatusCode::BAD_REQUEST, e),
    };
    let mut loaded = match Directory::from_data(&data) {
        Ok(dir) => dir,
        Err(e) => return refused(StatusCode::BAD_REQUEST, e),
    };
    if data.faults != FaultSettings::default() {
        if let Err(e) = c.shared.faults.set(data.faults.clone()) {
            return refused(StatusCode::BAD_REQUEST, format!("[faults] {e}"));
        }
    }
    {
        let current = c.shared.directory();
        for (user, password) in &current.admins {
            loaded
                .admins
                .entry(user.clone())
                .or_insert_with(|| password.clone());
        }
    }
    let summary = summary(&loaded);
    *c.shared.loaded.lock().unwrap_or_else(|p| p.into_inner()) = loaded.clone();
    *c.shared.directory() = loaded;
    tracing::info!("simulator control: directory loaded");
    Json(summary).into_response()
}

/// What a directory holds, counted.
fn summary(dir: &Directory) -> Value {
    json!({
        "service_providers": dir.providers.len(),
        "groups": dir.groups.len(),
        "users": dir.users.len(),
        "hunt_groups": dir.hunt_groups.len(),
        "administrators": dir.admins.len(),
        "software_version": dir.software_version,
    })
}

#[derive(Deserialize)]
struct After {
    #[serde(default)]
    after: u64,
}

async fn commands(State(c): State<Control>, Query(q): Query<After>) -> Response {
    match &c.shared.journal {
        Some(journal) => Json(journal.since(q.after)).into_response(),
        None => refused(StatusCode::NOT_FOUND, "no journal"),
    }
}

async fn clear_commands(State(c): State<Control>) -> StatusCode {
    if let Some(journal) = &c.shared.journal {
        journal.clear();
    }
    StatusCode::NO_CONTENT
}

async fn faults(State(c): State<Control>) -> Json<FaultSettings> {
    Json(c.shared.faults.current().0.as_ref().clone())
}

async fn set_faults(State(c): State<Control>, body: String) -> Response {
    let settings: FaultSettings = match serde_json::from_str(&body) {
        Ok(settings) => settings,
        Err(e) => return refused(StatusCode::BAD_REQUEST, format!("fault settings: {e}")),
    };
    match c.shared.faults.set(settings.clone()) {
        Ok(()) => {
            tracing::info!(?settings, "simulator control: faults changed");
            Json(settings).into_response()
        }
        Err(e) => refused(StatusCode::BAD_REQUEST, e),
    }
}

async fn clear_faults(State(c): State<Control>) -> Json<FaultSettings> {
    // Default settings are always within range.
    let _ = c.shared.faults.set(FaultSettings::default());
    tracing::info!("simulator control: faults cleared");
    Json(FaultSettings::default())
}
