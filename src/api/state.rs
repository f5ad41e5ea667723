//! What every handler shares: the session pool, the settings, the tokens and the group cache.

use std::sync::Arc;

use crate::api::auth::Tokens;
use crate::api::group_cache::GroupCache;
use crate::api::settings::HuntGroupSettings;
use crate::ocip::Pool;

/// The application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// OCI-P sessions.
    pub pool: Arc<Pool>,
    /// Hunt group settings.
    pub settings: Arc<HuntGroupSettings>,
    /// Bearer tokens.
    pub tokens: Arc<Tokens>,
    /// Group information cache.
    pub groups: Arc<GroupCache>,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Largest bulk request body.
    pub max_bulk_body_bytes: usize,
    /// Longest time a client may take to send its body.
    pub body_read_timeout: std::time::Duration,
    /// Requests per second per token.
    pub limiter: Arc<crate::api::rate_limit::RateLimiter>,
}
