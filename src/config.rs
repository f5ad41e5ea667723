//! The settings file (TOML). Each front end reads the sections it needs; the `[oci]` section
//! holds the same keys as the connection options of every subcommand that talks to BroadWorks.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The whole settings file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// How to reach BroadWorks.
    #[serde(default)]
    pub oci: OciSettings,
}

/// Connection settings; command-line options override them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OciSettings {
    /// BroadWorks host; absent means the embedded simulator.
    pub host: Option<String>,
    /// OCI-P port (default 2208, or 2209 with TLS).
    pub port: Option<u16>,
    /// Administrator id.
    pub user: Option<String>,
    /// Administrator password (the environment variable OCIGW_OCI_PASSWORD is preferred).
    pub password: Option<String>,
    /// Use TLS.
    pub tls: Option<bool>,
    /// Extra CA certificate (PEM) to trust.
    pub ca_file: Option<PathBuf>,
    /// Log in with LoginRequest22V5 and the plain password (TLS only).
    pub plain_login: Option<bool>,
    /// Per-command timeout in seconds.
    pub timeout_seconds: Option<u64>,
}

impl Config {
    /// Reads a settings file; the error names the file and what is wrong.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("config file {}: {e}", path.display()))
    }
}
