//! The simulator's listener: accepts connections (TLS optional), frames documents and serves
//! each connection in its own task.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use futures::{SinkExt, StreamExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_util::codec::Framed;

use crate::ocip::codec::OciCodec;
use crate::ocip::commands::ErrorResponse;
use crate::ocip::document::encode_document;
use crate::ocip::error::FrameError;
use crate::ocip::options::DEFAULT_MAX_DOCUMENT;
use crate::ocip::transport::BoxStream;
use crate::ocip::value::OciCommand;
use crate::sim::connection::Connection;
use crate::sim::directory::Directory;
use crate::sim::faults::{Action, ConnectionFaults, FaultSettings};
use crate::sim::Answers;
use crate::sim::Shared;

/// A certificate chain and private key (PEM, key in PKCS#8) for the TLS listener.
#[derive(Clone)]
pub struct TlsIdentity {
    /// Certificate chain, PEM.
    pub cert_pem: Vec<u8>,
    /// Private key, PKCS#8 PEM.
    pub key_pem: Vec<u8>,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TlsIdentity(***)")
    }
}

/// How to run a simulator.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Address to listen on (port 0 picks a free port).
    pub listen: SocketAddr,
    /// The directory to serve.
    pub directory: Directory,
    /// TLS identity; `None` for plain TCP.
    pub tls: Option<TlsIdentity>,
    /// Largest document accepted.
    pub max_document: usize,
    /// Faults to inject.
    pub faults: FaultSettings,
    /// How long a connection may stay without a successful login before it is closed.
    pub login_timeout: std::time::Duration,
    /// Recorded answers (`--answers`).
    pub answers: Answers,
    /// Where to serve the control API (`--control`); off when `None`.
    pub control: Option<SocketAddr>,
}

/// Default of [`SimConfig::login_timeout`] (`ocigw sim --login-timeout`).
pub const DEFAULT_LOGIN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

impl SimConfig {
    /// Plain TCP on `listen` with `directory`.
    pub fn new(listen: SocketAddr, directory: Directory) -> Self {
        Self {
            listen,
            directory,
            tls: None,
            max_document: DEFAULT_MAX_DOCUMENT,
            faults: FaultSettings::default(),
            login_timeout: DEFAULT_LOGIN_TIMEOUT,
            answers: Answers::default(),
            control: None,
        }
    }
}

/// A running simulator. Dropping it stops accepting connections.
#[derive(Debug)]
pub struct SimServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
    control: Option<(SocketAddr, JoinHandle<()>)>,
}

impl Drop for SimServer {
    /// Stops accepting and closes every connection, as a BroadWorks going down would.
    fn drop(&mut self) {
        self.accept.abort();
        if let Some((_, control)) = &self.control {
            control.abort();
        }
        self.shared.stopped.store(true, Ordering::Relaxed);
        self.shared.stop.notify_waiters();
    }
}

/// Why the simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimStartError {
    /// The certificate or key cannot be used.
    #[error("bad TLS certificate or key: {0}")]
    Tls(native_tls::Error),
    /// The address cannot be bound.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address.
        addr: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The fault settings are out of range.
    #[error("{0}")]
    Faults(String),
}

impl SimServer {
    /// Binds and starts serving.
    pub async fn start(config: SimConfig) -> Result<Self, SimStartError> {
        let acceptor = match &config.tls {
            Some(id) => {
                let identity = native_tls::Identity::from_pkcs8(&id.cert_pem, &id.key_pem)
                    .map_err(SimStartError::Tls)?;
                let acceptor =
                    native_tls::TlsAcceptor::new(identity).map_err(SimStartError::Tls)?;
                Some(tokio_native_tls::TlsAcceptor::from(acceptor))
            }
            None => None,
        };
        let listen = |source| SimStartError::Listen {
            addr: config.listen,
            source,
        };
        config.faults.check().map_err(SimStartError::Faults)?;
        let listener = TcpListener::bind(config.listen).await.map_err(listen)?;
        let addr = listener.local_addr().map_err(listen)?;
        let control_listener = match config.control {
            Some(at) => {
                let bound = TcpListener::bind(at)
                    .await
                    .map_err(|source| SimStartError::Listen { addr: at, source })?;
                let local = bound
                    .local_addr()
                    .map_err(|source| SimStartError::Listen { addr: at, source })?;
                Some((bound, local))
            }
            None => None,
        };
        let shared = Shared::with(
            config.directory,
            config.answers,
            config.faults,
            control_listener.is_some(),
        );
        let accept = tokio::spawn(accept_loop(
            listener,
            acceptor,
            shared.clone(),
            Limits {
                max_document: config.max_document,
                login_timeout: config.login_timeout,
            },
        ));
        let control = control_listener.map(|(listener, local)| {
            let app = crate::sim::control::router(shared.clone(), addr);
            let task = tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, app).await {
                    tracing::error!(error = %e, "simulator control API stopped");
                }
            });
            (local, task)
        });
        Ok(Self {
            addr,
            shared,
            accept,
            control,
        })
    }

    /// The address of the control API, when it is on.
    pub fn control_addr(&self) -> Option<SocketAddr> {
        self.control.as_ref().map(|(addr, _)| *addr)
    }

    /// The address actually listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The shared state (directory and counters), for tests and the embedding gateway.
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// How many commands were received so far.
    pub fn commands_seen(&self) -> u64 {
        self.shared.commands_seen.load(Ordering::Relaxed)
    }

    /// Documents received so far, each a round trip.
    pub fn documents_seen(&self) -> u64 {
        self.shared.documents_seen.load(Ordering::Relaxed)
    }

    /// Serves until the process ends.
    pub async fn run_forever(self) {
        let mut this = self;
        let _ = (&mut this.accept).await;
    }
}

/// A framed document that is not XML: what the garbage fault sends.
const GARBAGE: &[u8] =
    b"<BroadsoftDocument protocol=\"OCI\"><sessionId>garbage</sessionId><command <<&&>> </BroadsoftDocument>";

/// What every connection is held to.
#[derive(Debug, Clone, Copy)]
struct Limits {
    max_document: usize,
    login_timeout: std::time::Duration,
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: Option<tokio_native_tls::TlsAcceptor>,
    shared: Arc<Shared>,
    limits: Limits,
) {
    let mut index = 0u64;
    loop {
        let (tcp, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!(error = %e, "simulator: accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        tcp.set_nodelay(true).ok();
        let shared = shared.clone();
        let acceptor = acceptor.clone();
        index += 1;
        let faults = ConnectionFaults::new(&shared.faults, index);
        tokio::spawn(async move {
            let tls = acceptor.is_some();
            let stream = match secure(tcp, acceptor).await {
                Ok(stream) => stream,
                Err(e) => {
                    tracing::info!(%peer, error = %e, "simulator: TLS handshake failed");
                    return;
                }
            };
            shared.connections_open.fetch_add(1, Ordering::Relaxed);
            serve(stream, tls, &shared, limits, peer, index, faults).await;
            shared.connections_open.fetch_sub(1, Ordering::Relaxed);
        });
    }
}

async fn secure(
    tcp: TcpStream,
    acceptor: Option<tokio_native_tls::TlsAcceptor>,
) -> Result<BoxStream, String> {
    match acceptor {
        Some(acceptor) => match acceptor.accept(tcp).await {
            Ok(tls) => Ok(Box::pin(tls)),
            Err(e) => Err(e.to_string()),
        },
        None => Ok(Box::pin(tcp)),
    }
}

async fn serve(
    stream: BoxStream,
    tls: bool,
    shared: &Shared,
    limits: Limits,
    peer: SocketAddr,
    index: u64,
    mut faults: ConnectionFaults,
) {
    let mut framed = Framed::new(stream, OciCodec::new(limits.max_document));
    let mut conn = Connection::new(tls, index);
    // A connection that has not logged in by then is closed.
    let login_deadline = tokio::time::sleep(limits.login_timeout);
    tokio::pin!(login_deadline);
    loop {
        if shared.stopped.load(Ordering::Relaxed) {
            break;
        }
        let frame = tokio::select! {
            frame = framed.next() => frame,
            _ = shared.stop.notified() => break,
            _ = &mut login_deadline, if conn.user().is_none() => {
                tracing::info!(%peer, "simulator: no login in time; closing");
                break;
            }
        };
        let Some(frame) = frame else {
            break;
        };
        match frame {
            Ok(frame) => {
                faults.refresh(&shared.faults);
                let action = faults.decide();
                if action == Action::DropBefore {
                    tracing::debug!(%peer, "simulator fault: connection dropped before executing");
                    break;
                }
                let answer = conn.answer(shared, &frame, &faults);
                let sent = match action {
                    Action::DropBefore | Action::DropAfter => {
                        tracing::debug!(%peer, "simulator fault: connection dropped after executing");
                        break;
                    }
                    Action::Garbage => framed.send(GARBAGE).await,
                    Action::Truncate => {
                        let half = &answer[..answer.len() / 2];
                        let mut stream = framed.into_inner();
                        let _ = tokio::io::AsyncWriteExt::write_all(&mut stream, half).await;
                        tracing::debug!(%peer, "simulator fault: truncated answer");
                        return;
                    }
                    Action::Answer { delay } => {
                        if !delay.is_zero() {
                            tokio::time::sleep(delay).await;
                        }
                        framed.send(&answer[..]).await
                    }
                };
                if sent.is_err() || conn.closing() || faults.close_after_answer() {
                    break;
                }
            }
            Err(FrameError::TooLarge { limit }) => {
                let error = ErrorResponse::new(
                    6004,
                    "OCI XML Request validation error",
                    Some(format!("document larger than {limit} bytes")),
                );
                let doc = encode_document("", |w| error.write_command(w));
                let _ = framed.send(&doc[..]).await;
                tracing::info!(%peer, limit, "simulator: oversized document, closing");
                break;
            }
            Err(e) => {
                tracing::info!(%peer, error = %e, "simulator: connection ended badly");
                break;
            }
        }
    }
    tracing::debug!(%peer, user = conn.user().unwrap_or("-"), "simulator: connection closed");
}
