//! What every handler shares: the session pool, the hunt group service and the tokens.

use std::sync::Arc;

use crate::api::auth::Tokens;
use crate::ocip::Pool;
use crate::service::HuntGroups;

/// The application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// OCI-P sessions.
    pub pool: Arc<Pool>,
    /// The hunt group service (settings and group cache included).
    pub hunt_groups: Arc<HuntGroups>,
    /// Bearer tokens.
    pub tokens: Arc<Tokens>,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Largest bulk request body.
    pub max_bulk_body_bytes: usize,
    /// Longest time a client may take to send its body.
    pub body_read_timeout: std::time::Duration,
    /// Most rows one bulk request may hold.
    pub bulk_max_rows: usize,
    /// Tokens with a bulk request running (one at a time each).
    pub bulk_in_flight: Arc<crate::api::bulk::BulkInFlight>,
    /// Failed authentications per client address.
    pub auth_failures: Arc<crate::api::rate_limit::RateLimiter>,
    /// Requests per second per token.
    pub limiter: Arc<crate::api::rate_limit::RateLimiter>,
    /// Origins whose pages may call the API (CORS).
    pub cors_origins: Arc<Vec<String>>,
    /// The OCI schema of the release (the embedded R25 or `--schema`).
    pub catalog: Arc<crate::schema::Catalog>,
    /// `/openapi/oci.json`, generated from the catalog at its first request.
    pub oci_openapi: Arc<std::sync::OnceLock<bytes::Bytes>>,
    /// BroadWorks's software version, once read.
    pub software_version: crate::api::version::SoftwareVersion,
}
