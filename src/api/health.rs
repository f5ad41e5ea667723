//! `/health`: whether the gateway's BroadWorks sessions are logged in. No token needed; it
//! reveals nothing but counts.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use schemars::JsonSchema;
use serde::Serialize;

use crate::api::state::AppState;

/// The answer of `/health`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Health")]
pub struct HealthJson {
    /// `ok` when a BroadWorks session is logged in.
    pub status: HealthStatus,
    /// The session pool.
    pub broadworks: SessionsJson,
}

/// Whether the gateway can reach BroadWorks.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    /// A session is logged in.
    Ok,
    /// No session is logged in.
    Degraded,
}

/// The session pool's state.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "HealthSessions")]
pub struct SessionsJson {
    /// Sessions logged in now.
    pub sessions_logged_in: usize,
    /// Sessions the pool keeps.
    pub pool_size: usize,
    /// BroadWorks's software version (`25.0_1.1234`), once a session has read it.
    pub software_version: Option<String>,
    /// The release of the OCI schema the gateway speaks (`R25`).
    pub schema_release: String,
    /// Whether the software version is of the schema's release (absent until it is read).
    pub schema_matches: Option<bool>,
}

/// 200 with `"status": "ok"` when at least one session is logged in (or none was needed yet and
/// a login succeeds now), else 503 with `"status": "degraded"`.
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<HealthJson>) {
    let mut health = state.pool.health();
    if health.logged_in == 0 && state.pool.session().await.is_ok() {
        health = state.pool.health();
    }
    let ok = health.logged_in > 0;
    let body = HealthJson {
        status: if ok {
            HealthStatus::Ok
        } else {
            HealthStatus::Degraded
        },
        broadworks: SessionsJson {
            sessions_logged_in: health.logged_in,
            pool_size: health.size,
            software_version: state.software_version.get().cloned(),
            schema_release: state.catalog.release().to_owned(),
            schema_matches: state
                .software_version
                .get()
                .map(|v| crate::api::version::release_matches(state.catalog.release(), v)),
        },
    };
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}

/// `/metrics`: everything [`crate::telemetry`] records, in the Prometheus text format.
pub async fn metrics(State(state): State<AppState>) -> String {
    let health = state.pool.health();
    crate::telemetry::render(health.logged_in, health.size)
}
