//! Running the gateway: bind, build the state, serve until shut down.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::api::auth::Tokens;
use crate::api::group_cache::GroupCache;
use crate::api::settings::HuntGroupSettings;
use crate::api::{router, AppState};
use crate::ocip::{ConnectOptions, Pool};

/// Default largest request body: 1 MiB.
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;

/// Largest bulk body: 64 times the largest request body (64 MiB by default).
pub const BULK_BODY_FACTOR: usize = 64;

/// Everything the gateway needs to start.
#[derive(Debug)]
pub struct GatewayOptions {
    /// HTTP address (port 0 picks a free one).
    pub listen: SocketAddr,
    /// BroadWorks connection.
    pub oci: ConnectOptions,
    /// Sessions in the pool.
    pub pool_size: usize,
    /// Hunt group settings.
    pub settings: HuntGroupSettings,
    /// Bearer tokens.
    pub tokens: Tokens,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Requests per second per token (0: no limit).
    pub rate_limit_per_second: u32,
}

/// A running gateway.
pub struct Gateway {
    addr: SocketAddr,
    pool: Arc<Pool>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Gateway {
    /// Binds and starts serving. The pool logs in now; if BroadWorks is down the gateway still
    /// starts and answers 503 until it is back.
    pub async fn start(options: GatewayOptions) -> Result<Self, String> {
        let pool = Arc::new(Pool::new(options.oci, options.pool_size));
        if let Err(e) = pool.warm_up().await {
            tracing::warn!(error = %e, "BroadWorks sessions not logged in yet; requests get 503 until they are");
        }
        let settings = Arc::new(options.settings);
        let state = AppState {
            pool: pool.clone(),
            groups: Arc::new(GroupCache::new(
                settings.group_cache_ttl,
                settings.use_cc_cli,
            )),
            settings,
            tokens: Arc::new(options.tokens),
            max_body_bytes: options.max_body_bytes,
            max_bulk_body_bytes: options.max_body_bytes.saturating_mul(BULK_BODY_FACTOR),
            limiter: Arc::new(crate::api::rate_limit::RateLimiter::new(
                options.rate_limit_per_second,
            )),
        };
        let listener = TcpListener::bind(options.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot read the listening address: {e}"))?;
        let (stop, stopped) = oneshot::channel::<()>();
        let app = router(state);
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "HTTP server failed");
            }
        });
        Ok(Self {
            addr,
            pool,
            stop: Some(stop),
            task,
        })
    }

    /// The HTTP address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, finishes requests in flight, logs the sessions out.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
        self.pool.close().await;
    }
}
