//! How to reach and log in to BroadWorks.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::ocip::error::DecodeError;
use crate::ocip::value::{Node, OciElement};
use crate::ocip::xml::ElementSink;

/// A password or other secret. Its `Debug` and `Display` never show the value, so it cannot
/// leak into a log line or an error message by accident.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the one place that must send or check it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl OciElement for Secret {
    fn write_element<W: ElementSink>(&self, w: &mut W, name: &str) {
        w.leaf(name, &self.0);
    }
    fn read_element(e: Node<'_, '_>) -> Result<Self, DecodeError> {
        String::read_element(e).map(Self)
    }
    const FROM_TEXT: Option<crate::ocip::value::FromText<Self>> =
        Some(|text| Ok(Self(text.to_owned())));
}

/// Which login command to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LoginMethod {
    /// AuthenticationRequest, then LoginRequest14sp4 with the signed password. Works on any
    /// transport and never sends the password itself.
    #[default]
    Signed,
    /// LoginRequest22V5 with the plain password; only allowed over TLS.
    Plain,
}

/// Default size limit of one OCI-P document: 8 MiB.
pub const DEFAULT_MAX_DOCUMENT: usize = 8 * 1024 * 1024;

/// Everything needed to open a logged-in OCI-P session.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// BroadWorks host name or address.
    pub host: String,
    /// OCI-P port: 2208 for TCP, 2209 for TLS by convention.
    pub port: u16,
    /// Administrator id.
    pub user: String,
    /// Administrator password.
    pub password: Secret,
    /// TLS settings; `None` for plain TCP.
    pub tls: Option<TlsOptions>,
    /// Which login command to use.
    pub login: LoginMethod,
    /// Limit on connecting (TCP and TLS handshake).
    pub connect_timeout: Duration,
    /// Limit on each command's answer.
    pub call_timeout: Duration,
    /// Largest document accepted from the server.
    pub max_document: usize,
    /// Longest wait of a pool caller for a free session.
    pub queue_wait: Duration,
    /// Where to record every exchange, if anywhere.
    pub recorder: Option<std::sync::Arc<crate::ocip::record::Recorder>>,
}

impl ConnectOptions {
    /// Options for plain TCP with default timeouts and limits.
    pub fn new(
        host: impl Into<String>,
        port: u16,
        user: impl Into<String>,
        password: Secret,
    ) -> Self {
        Self {
            host: host.into(),
            port,
            user: user.into(),
            password,
            tls: None,
            login: LoginMethod::Signed,
            connect_timeout: Duration::from_secs(8),
            call_timeout: Duration::from_secs(30),
            max_document: DEFAULT_MAX_DOCUMENT,
            queue_wait: Duration::from_secs(10),
            recorder: None,
        }
    }

    /// `host:port`, for messages.
    pub fn addr(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// TLS settings. Certificates are verified against the system's roots by default.
#[derive(Debug, Clone, Default)]
pub struct TlsOptions {
    /// A PEM file of a CA to trust in addition to the system's roots.
    pub ca_file: Option<PathBuf>,
    /// The connector, built at the first connection and shared by every later one (building it
    /// loads the system's roots: tens of milliseconds that each login would otherwise pay).
    connector: Arc<OnceLock<tokio_native_tls::TlsConnector>>,
}

impl TlsOptions {
    /// TLS trusting the system's roots and, when given, the CA in `ca_file`.
    pub fn new(ca_file: Option<PathBuf>) -> Self {
        Self {
            ca_file,
            connector: Arc::default(),
        }
    }

    /// The connector, built once with `build`.
    pub fn connector<E>(
        &self,
        build: impl FnOnce(&Self) -> Result<tokio_native_tls::TlsConnector, E>,
    ) -> Result<tokio_native_tls::TlsConnector, E> {
        if let Some(connector) = self.connector.get() {
            return Ok(connector.clone());
        }
        let connector = build(self)?;
        Ok(self.connector.get_or_init(|| connector).clone())
    }
}
