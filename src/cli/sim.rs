//! `ocigw sim`: run the BroadWorks OCI-P simulator.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::ocip::options::DEFAULT_MAX_DOCUMENT;
use crate::ocip::Secret;
use crate::sim::{DataFile, Directory, SimConfig, SimServer, TlsIdentity};

/// Options of `ocigw sim`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  ocigw sim                                   demo directory on 127.0.0.1:2208, admin/admin
  ocigw sim --listen 0.0.0.0:2208 --data lab.toml --admin ops:s3cret
  ocigw sim --listen 127.0.0.1:2209 --tls-cert cert.pem --tls-key key.pem

The demo data file is fixtures/sim/demo.toml in the source tree; copy it to start your own.")]
pub struct SimArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:2208", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Directory data file (TOML); the demo directory when absent.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Add an administrator (repeatable), as USER:PASSWORD.
    #[arg(long, value_name = "USER:PASSWORD")]
    pub admin: Vec<String>,
    /// Serve TLS with this certificate chain (PEM); needs --tls-key.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// Private key (PKCS#8 PEM) for --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Largest document accepted, in bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_DOCUMENT, value_name = "BYTES")]
    pub max_document: usize,
}

/// Runs the simulator until interrupted.
pub async fn run(args: SimArgs) -> Result<ExitCode, String> {
    let data = match &args.data {
        Some(path) => DataFile::load(path)?,
        None => DataFile::demo(),
    };
    let mut directory = Directory::from_data(&data)?;
    for admin in &args.admin {
        let (user, password) = admin
            .split_once(':')
            .filter(|(u, p)| !u.is_empty() && !p.is_empty())
            .ok_or_else(|| {
                format!(
                    "--admin takes USER:PASSWORD, got '{}'",
                    admin.split(':').next().unwrap_or("")
                )
            })?;
        directory
            .admins
            .insert(user.to_owned(), Secret::new(password));
    }
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(TlsIdentity {
            cert_pem: std::fs::read(cert)
                .map_err(|e| format!("cannot read --tls-cert {}: {e}", cert.display()))?,
            key_pem: std::fs::read(key)
                .map_err(|e| format!("cannot read --tls-key {}: {e}", key.display()))?,
        }),
        _ => None,
    };
    let mut admins: Vec<&str> = directory.admins.keys().map(String::as_str).collect();
    admins.sort_unstable();
    let admins = admins.join(", ");
    let transport = if tls.is_some() { "TLS" } else { "TCP" };
    let config = SimConfig {
        listen: args.listen,
        directory,
        tls,
        max_document: args.max_document,
    };
    let server = SimServer::start(config).await?;
    eprintln!(
        "ocigw simulator listening on {} ({transport}); data: {}; administrators: {admins}",
        server.addr(),
        args.data
            .as_ref()
            .map_or("demo directory".to_owned(), |p| p.display().to_string()),
    );
    tokio::select! {
        _ = server.run_forever() => {}
        _ = tokio::signal::ctrl_c() => eprintln!("simulator stopped"),
    }
    Ok(ExitCode::SUCCESS)
}
