//! `/health`: whether the gateway's BroadWorks sessions are logged in. No token needed; it
//! reveals nothing but counts.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use crate::api::state::AppState;

/// 200 with `"status": "ok"` when at least one session is logged in (or none was needed yet and
/// a login succeeds now), else 503 with `"status": "degraded"`.
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let mut health = state.pool.health();
    if health.logged_in == 0 && state.pool.session().await.is_ok() {
        health = state.pool.health();
    }
    let ok = health.logged_in > 0;
    let body = json!({
        "status": if ok { "ok" } else { "degraded" },
        "broadworks": { "sessionsLoggedIn": health.logged_in, "poolSize": health.size },
    });
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}

/// `/metrics`: the pool's state in the Prometheus text format.
pub async fn metrics(State(state): State<AppState>) -> String {
    let health = state.pool.health();
    format!(
        "# HELP ocigw_oci_sessions_logged_in OCI-P sessions logged in to BroadWorks now.\n\
         # TYPE ocigw_oci_sessions_logged_in gauge\n\
         ocigw_oci_sessions_logged_in {}\n\
         # HELP ocigw_oci_pool_size Sessions the pool keeps.\n\
         # TYPE ocigw_oci_pool_size gauge\n\
         ocigw_oci_pool_size {}\n",
        health.logged_in, health.size
    )
}
