//! `ocigw serve`: the REST gateway.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Args;

use crate::api::auth::{Scope, Tokens};
use crate::api::server::{Gateway, GatewayOptions, HttpLimits, DEFAULT_MAX_BODY};
use crate::cli::connect::start_embedded;
use crate::cli::ConnectArgs;
use crate::ocip::pool::DEFAULT_POOL_SIZE;
use crate::service::settings::HuntGroupSettings;

/// Options of `ocigw serve`.
#[derive(Debug, Args)]
#[command(
    after_help = "With no BroadWorks configured (no --host, no [oci] host in --config), an embedded
simulator with the demo data stands in, and a system-wide token is created (or taken from
OCIGW_DEMO_TOKEN); the URL, the token and a ready curl command are printed.

Settings (config file top level, or environment): SUID_HUNT_GROUP_AUTO_GENERATE,
SUID_HUNT_GROUP_RULE, SERVICE_USERS_UPDATE_ID_PHONE_NUMBER, GROUP_NUMBERS_USE_CC_CLI,
GROUP_INFO_CACHE_SECONDS. Tokens: [[api.tokens]] token = \"...\" (tenant = \"T\", group = \"G\" to
narrow the scope; tenant and group tokens create ids only in the group's domain or the tenant's
[api] extra_domains). Limits: [api] max_body_bytes, rate_limit_per_second, bulk_max_rows
(100000), max_connections (512). See README.md for a full example."
)]
pub struct ServeArgs {
    /// HTTP address to listen on [default: [api] listen, or 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// Runs the gateway until interrupted.
pub async fn run(args: ServeArgs) -> Result<ExitCode, String> {
    let stop = StopSignal::install();
    let config = args.connect.load_config()?;
    let settings = HuntGroupSettings::from_config(&config)?;
    let catalog = args.connect.catalog(&config.oci)?;
    let mut tokens = Tokens::from_settings(&config.api.tokens)?;
    let listen = args
        .listen
        .or(config.api.listen)
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
    let (simulator, oci, demo_token) = match args.connect.options(&config.oci)? {
        Some(oci) => {
            if config.api.tokens.is_empty() {
                return Err("no API tokens configured: give them in OCIGW_API_TOKENS (TOKEN [TENANT [GROUP]], comma-separated), in a file named by OCIGW_API_TOKENS_FILE, or as [[api.tokens]] in the config file (see ocigw.example.toml)".into());
            }
            (None, oci, None)
        }
        None => {
            let (sim, mut oci) = start_embedded(args.connect.timeout(&config.oci)).await?;
            args.connect.attach_recorder(&mut oci)?;
            let token = match std::env::var("OCIGW_DEMO_TOKEN") {
                Ok(token) => {
                    crate::api::auth::check_token(&token)
                        .map_err(|e| format!("OCIGW_DEMO_TOKEN: {e}"))?;
                    token
                }
                Err(_) => format!("demo-{:032x}", rand::random::<u128>()),
            };
            tokens.add(token.clone(), Scope::System, "demo");
            (Some(sim), oci, Some(token))
        }
    };
    let gateway = Gateway::start(GatewayOptions {
        listen,
        oci,
        pool_size: config.oci.pool_size.unwrap_or(DEFAULT_POOL_SIZE),
        settings,
        tokens,
        max_body_bytes: config.api.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY),
        rate_limit_per_second: config
            .api
            .rate_limit_per_second
            .unwrap_or(crate::api::rate_limit::DEFAULT_RATE),
        limits: HttpLimits {
            bulk_max_rows: config
                .api
                .bulk_max_rows
                .unwrap_or(crate::api::server::DEFAULT_BULK_MAX_ROWS),
            max_connections: config
                .api
                .max_connections
                .unwrap_or(crate::api::server::DEFAULT_MAX_CONNECTIONS),
            ..HttpLimits::default()
        },
        cors_origins: config.api.cors_origins.clone(),
        catalog,
    })
    .await
    .map_err(|e| e.to_string())?;
    let url = format!("http://{}", gateway.addr());
    eprintln!("ocigw gateway listening on {url}");
    if let (Some(sim), Some(token)) = (&simulator, &demo_token) {
        eprintln!(
            "BroadWorks: embedded simulator with the demo data on {}",
            sim.addr()
        );
        eprintln!("API token (system scope): {token}");
        eprintln!("try:");
        eprintln!(
            "  curl -s -H 'Authorization: Bearer {token}' {url}/api/v1/tenants/ApioSpTest/groups/ApioGrpTest/services/hunt_groups/users/available/"
        );
    }
    stop.wait().await;
    eprintln!("shutting down: finishing requests in flight, logging the sessions out");
    gateway.shutdown().await;
    drop(simulator);
    Ok(ExitCode::SUCCESS)
}

/// SIGINT (Ctrl-C) and SIGTERM (what service managers and container runtimes send), listened
/// for from the start, so a stop during start-up is graceful too.
struct StopSignal {
    #[cfg(unix)]
    signals: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl StopSignal {
    fn install() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let signals = signal(SignalKind::interrupt())
                .and_then(|int| Ok((int, signal(SignalKind::terminate())?)))
                .ok();
            Self { signals }
        }
        #[cfg(not(unix))]
        {
            Self {}
        }
    }

    /// Waits for either signal.
    async fn wait(self) {
        #[cfg(unix)]
        if let Some((mut interrupt, mut terminate)) = self.signals {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}
