//! Running the gateway: bind, build the state, serve until shut down.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::api::auth::Tokens;
use crate::api::AppState;
use crate::ocip::{ConnectOptions, Pool};
use crate::service::settings::HuntGroupSettings;
use crate::service::HuntGroups;

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
    /// Timeouts and sizes that protect against slow or oversized clients.
    pub limits: HttpLimits,
    /// Origins (`https://portal.example.com`) whose pages may call the API (CORS); none by
    /// default.
    pub cors_origins: Vec<String>,
    /// The OCI schema of the release.
    pub catalog: Arc<crate::schema::Catalog>,
}

impl GatewayOptions {
    /// A gateway on 127.0.0.1 (a free port) in front of `oci`, for benches and tests: one pooled
    /// session, default hunt group settings, the default body size, no rate limit, default HTTP
    /// limits, no CORS origins. Callers change the fields they need.
    pub fn on_loopback(oci: ConnectOptions, tokens: Tokens) -> Result<Self, String> {
        Ok(Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            oci,
            pool_size: 1,
            settings: HuntGroupSettings::from_config(&Default::default())?,
            tokens,
            max_body_bytes: DEFAULT_MAX_BODY,
            rate_limit_per_second: 0,
            limits: HttpLimits::default(),
            cors_origins: Vec::new(),
            catalog: crate::schema::Catalog::embedded(),
        })
    }
}

/// Limits against slow or oversized clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpLimits {
    /// Longest time a client may take to send its request head, counted from the connection's
    /// accept (a connection that sends nothing is closed then).
    pub header_read_timeout: std::time::Duration,
    /// Longest time a client may take to send its body.
    pub body_read_timeout: std::time::Duration,
    /// Largest request head accepted (431 beyond).
    pub max_head_bytes: usize,
    /// Most rows one bulk request may hold (`[api] bulk_max_rows`).
    pub bulk_max_rows: usize,
    /// Longest a connection may stay without a byte either way once its first request arrived
    /// (a keep-alive connection nobody uses); longer than any request may take.
    pub idle_timeout: std::time::Duration,
    /// Most HTTP connections served at once (`[api] max_connections`); beyond it a few more
    /// are answered `/health` or 503, the rest closed at once.
    pub max_connections: usize,
}

/// Default of `[api] max_connections`: well under the usual file-descriptor limit of 1024.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// Default of `[api] bulk_max_rows`.
pub const DEFAULT_BULK_MAX_ROWS: usize = 100_000;

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: std::time::Duration::from_secs(10),
            body_read_timeout: std::time::Duration::from_secs(30),
            max_head_bytes: 64 * 1024,
            bulk_max_rows: DEFAULT_BULK_MAX_ROWS,
            idle_timeout: std::time::Duration::from_secs(120),
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// Why the gateway could not start: its address cannot be bound.
#[derive(Debug, thiserror::Error)]
#[error("cannot listen on {addr}: {source}")]
pub struct GatewayStartError {
    /// The address.
    pub addr: SocketAddr,
    /// Why.
    pub source: std::io::Error,
}

/// A running gateway.
pub struct Gateway {
    addr: SocketAddr,
    pool: Arc<Pool>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
    version_probe: JoinHandle<()>,
}

impl Gateway {
    /// Binds and starts serving. The pool logs in now; if BroadWorks is down the gateway still
    /// starts and answers 503 until it is back.
    pub async fn start(options: GatewayOptions) -> Result<Self, GatewayStartError> {
        crate::telemetry::install();
        let pool = Arc::new(Pool::new(options.oci, options.pool_size));
        if let Err(e) = pool.warm_up().await {
            tracing::warn!(error = %e, "BroadWorks sessions not logged in yet; requests get 503 until they are");
        }
        let state = AppState {
            pool: pool.clone(),
            hunt_groups: Arc::new(HuntGroups::new(pool.clone(), Arc::new(options.settings))),
            tokens: Arc::new(options.tokens),
            max_body_bytes: options.max_body_bytes,
            max_bulk_body_bytes: options.max_body_bytes.saturating_mul(BULK_BODY_FACTOR),
            bulk_max_rows: options.limits.bulk_max_rows,
            bulk_in_flight: Default::default(),
            auth_failures: Arc::new(crate::api::rate_limit::RateLimiter::failed_authentications()),
            limiter: Arc::new(crate::api::rate_limit::RateLimiter::new(
                options.rate_limit_per_second,
            )),
            body_read_timeout: options.limits.body_read_timeout,
            cors_origins: Arc::new(options.cors_origins),
            catalog: options.catalog,
            oci_openapi: Default::default(),
            software_version: Default::default(),
        };
        // Read now when a session is logged in, so the first request finds it known.
        crate::api::version::read(&pool, state.catalog.release(), &state.software_version).await;
        let version_probe = tokio::spawn(crate::api::version::probe(
            pool.clone(),
            state.catalog.release().to_owned(),
            state.software_version.clone(),
        ));
        let listen = |source| GatewayStartError {
            addr: options.listen,
            source,
        };
        let listener = TcpListener::bind(options.listen).await.map_err(listen)?;
        let addr = listener.local_addr().map_err(listen)?;
        let (stop, stopped) = oneshot::channel::<()>();
        let state_for_overflow = state.clone();
        let app = crate::api::app(state);
        let overflow = crate::api::overflow_app(state_for_overflow);
        let task = tokio::spawn(crate::api::listener::serve(
            listener,
            app,
            overflow,
            options.limits,
            stopped,
        ));
        Ok(Self {
            addr,
            pool,
            stop: Some(stop),
            task,
            version_probe,
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
        self.version_probe.abort();
        self.pool.close().await;
    }
}
