//! The connection options shared by every subcommand that talks to BroadWorks, and the
//! embedded simulator used when no host is given.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use crate::config::{Config, OciSettings};
use crate::ocip::options::TlsOptions;
use crate::ocip::record::Recorder;
use crate::ocip::{ConnectOptions, LoginMethod, Secret, Session};
use crate::schema::Catalog;
use crate::sim::{DataFile, Directory, SimConfig, SimServer};

/// `--host H --port P --user U --password P --tls --ca-file F …`
// The fields' doc comments are the `--help` text, where brackets are brackets, not links.
#[allow(rustdoc::broken_intra_doc_links)]
#[derive(Debug, Clone, Args)]
pub struct ConnectArgs {
    /// BroadWorks host, or HOST:PORT ([ADDRESS]:PORT for IPv6). Without it (here or in
    /// --config) an embedded simulator with the demo data is started and used.
    #[arg(long, value_name = "HOST")]
    pub host: Option<String>,
    /// OCI-P port [default: 2208, or 2209 with --tls].
    #[arg(long, value_name = "PORT")]
    pub port: Option<u16>,
    /// Administrator id.
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,
    /// Administrator password. Prefer the environment variable, which stays out of the
    /// process list and shell history.
    #[arg(
        long,
        env = "OCIGW_OCI_PASSWORD",
        hide_env_values = true,
        value_name = "PASSWORD"
    )]
    pub password: Option<String>,
    /// Connect over TLS (certificates are verified).
    #[arg(long)]
    pub tls: bool,
    /// A CA certificate (PEM) to trust for --tls, e.g. a lab's own CA.
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Log in with LoginRequest22V5 and the plain password (only with --tls) instead of the
    /// signed-password login.
    #[arg(long)]
    pub plain_login: bool,
    /// Seconds to wait for each answer.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
    /// Settings file (TOML) whose [oci] section has the same keys; options given here win.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Record every OCI exchange into DIR as fixtures (passwords redacted), for `ocigw replay`.
    #[arg(long, value_name = "DIR")]
    pub record: Option<PathBuf>,
    /// The OCI schema of your release: a catalog from `ocigw schema compile`, or a folder
    /// holding the release's XSD [default: the embedded R25].
    #[arg(long, value_name = "DIR|FILE")]
    pub schema: Option<PathBuf>,
}

/// A logged-in session, and the embedded simulator behind it when one was started.
pub struct Connected {
    /// The session.
    pub session: Session,
    /// The embedded simulator, kept alive as long as the session is used.
    pub simulator: Option<SimServer>,
}

impl ConnectArgs {
    /// The settings file named by `--config` (with the APIO settings of the environment applied),
    /// or the defaults.
    pub fn load_config(&self) -> Result<Config, String> {
        let mut config = match &self.config {
            Some(path) => Config::load(path).map_err(|e| e.to_string())?,
            None => Config::default(),
        };
        config
            .apply_env(|name| std::env::var(name).ok())
            .map_err(|e| e.to_string())?;
        Ok(config)
    }

    /// The BroadWorks connection the options and `settings` describe, or `None` when no host is
    /// configured (the embedded simulator then stands in).
    pub fn options(&self, settings: &OciSettings) -> Result<Option<ConnectOptions>, String> {
        let Some(host) = self.host.clone().or(settings.host.clone()) else {
            return Ok(None);
        };
        let tls = self.tls || settings.tls.unwrap_or(false);
        let user = self
            .user
            .clone()
            .or(settings.user.clone())
            .ok_or("--user is required with --host (or [oci] user in the config file)")?;
        let password = self.password.clone().or(settings.password.clone()).ok_or(
            "no password: set OCIGW_OCI_PASSWORD, or give --password, or [oci] password in the config file",
        )?;
        let (host, port_in_host) = split_host_port(&host)?;
        let port = match (port_in_host, self.port.or(settings.port)) {
            (Some(a), Some(b)) if a != b => {
                return Err(format!(
                    "--host names port {a} and --port says {b}: give the port once"
                ))
            }
            (Some(p), _) | (None, Some(p)) => p,
            (None, None) => {
                if tls {
                    2209
                } else {
                    2208
                }
            }
        };
        let mut opts = ConnectOptions::new(host, port, user, Secret::new(password));
        opts.call_timeout = self.timeout(settings);
        if let Some(wait) = settings.queue_wait_seconds {
            opts.queue_wait = Duration::from_secs(wait);
        }
        if tls {
            opts.tls = Some(TlsOptions::new(
                self.ca_file.clone().or(settings.ca_file.clone()),
            ));
        }
        if self.plain_login || settings.plain_login.unwrap_or(false) {
            opts.login = LoginMethod::Plain;
        }
        self.attach_recorder(&mut opts)?;
        Ok(Some(opts))
    }

    /// Starts recording into `--record DIR`, when given.
    pub fn attach_recorder(&self, opts: &mut ConnectOptions) -> Result<(), String> {
        if let (Some(dir), None) = (&self.record, &opts.recorder) {
            opts.recorder = Some(std::sync::Arc::new(Recorder::start(dir)?));
        }
        Ok(())
    }

    /// The catalog `--schema` (or `[oci] schema`) names, else the embedded R25.
    pub fn catalog(&self, settings: &OciSettings) -> Result<Arc<Catalog>, String> {
        Catalog::load(self.schema.as_deref().or(settings.schema.as_deref()))
    }

    /// For the commands that still run the typed hunt group commands (bulk, replay, oci send):
    /// a schema given (`--schema` or `[oci] schema`) must still be readable.
    pub fn check_schema(&self, settings: &OciSettings) -> Result<(), String> {
        if self.schema.is_some() || settings.schema.is_some() {
            let catalog = self.catalog(settings)?;
            tracing::info!(release = catalog.release(), "OCI schema loaded");
        }
        Ok(())
    }

    /// The per-command timeout.
    pub fn timeout(&self, settings: &OciSettings) -> Duration {
        Duration::from_secs(self.timeout.or(settings.timeout_seconds).unwrap_or(30))
    }

    /// Resolves the options against the config file and connects (to the embedded simulator
    /// when no host is configured).
    pub async fn connect(&self) -> Result<Connected, String> {
        let settings = self.load_config()?.oci;
        let (simulator, opts) = match self.options(&settings)? {
            Some(opts) => (None, opts),
            None => {
                let (simulator, mut opts) = start_embedded(self.timeout(&settings)).await?;
                say_embedded(&simulator);
                self.attach_recorder(&mut opts)?;
                (Some(simulator), opts)
            }
        };
        let session = Session::connect(&opts).await.map_err(|e| e.to_string())?;
        Ok(Connected { session, simulator })
    }
}

/// Tells the user (on stderr) that a one-shot command runs against the embedded simulator, not a
/// BroadWorks: results go nowhere real.
pub fn say_embedded(simulator: &SimServer) {
    eprintln!(
        "note: no --host given: running against the embedded OCI-P simulator with the demo data ({}); nothing reaches a BroadWorks",
        simulator.addr()
    );
}

/// Starts a simulator with the demo data on a free loopback port; returns it and the options to
/// log in to it as the demo administrator.
pub async fn start_embedded(timeout: Duration) -> Result<(SimServer, ConnectOptions), String> {
    let directory = Directory::from_data(&DataFile::demo())?;
    let listen = SocketAddr::from(([127, 0, 0, 1], 0));
    let simulator = SimServer::start(SimConfig::new(listen, directory))
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(addr = %simulator.addr(), "no BroadWorks host configured: using the embedded simulator with the demo data");
    let opts = embedded_options(simulator.addr().port(), timeout);
    Ok((simulator, opts))
}

/// Options to log in to a simulator with the demo data on `port` as the demo administrator.
pub fn embedded_options(port: u16, timeout: Duration) -> ConnectOptions {
    let mut opts = ConnectOptions::new("127.0.0.1", port, "admin", Secret::new("admin"));
    opts.call_timeout = timeout;
    opts
}

/// `HOST:PORT` (or `[IPv6]:PORT`) split into host and port; a plain host (or a bare IPv6
/// address) has no port.
fn split_host_port(host: &str) -> Result<(String, Option<u16>), String> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once("]:") {
            Some((address, port)) => (address, Some(port)),
            None => (rest.strip_suffix(']').unwrap_or(rest), None),
        },
        None => match host.split_once(':') {
            // Two colons or more: an IPv6 address without a port.
            Some((_, port)) if port.contains(':') => (host, None),
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                return Err(format!(
                    "--host {host}: '{p}' after ':' is not a port (1-65535)"
                ))
            }
        },
    };
    if name.is_empty() {
        return Err(format!("--host {host}: no host name before the port"));
    }
    Ok((name.to_owned(), port))
}

#[cfg(test)]
mod tests {
    use super::split_host_port;

    #[test]
    fn a_host_may_carry_its_port() {
        let ok = |h: &str| split_host_port(h).unwrap();
        assert_eq!(ok("bw.example.com"), ("bw.example.com".into(), None));
        assert_eq!(ok("127.0.0.1:2299"), ("127.0.0.1".into(), Some(2299)));
        assert_eq!(ok("[::1]:2208"), ("::1".into(), Some(2208)));
        assert_eq!(ok("[::1]"), ("::1".into(), None));
        assert_eq!(ok("fe80::1"), ("fe80::1".into(), None));
        assert_eq!(
            split_host_port("bw:http").unwrap_err(),
            "--host bw:http: 'http' after ':' is not a port (1-65535)"
        );
        assert_eq!(
            split_host_port("bw:0").unwrap_err(),
            "--host bw:0: '0' after ':' is not a port (1-65535)"
        );
        assert_eq!(
            split_host_port(":2208").unwrap_err(),
            "--host :2208: no host name before the port"
        );
    }
}
