//! The settings file (TOML) and the environment.
//!
//! The APIO settings keep their APIO names, at the top level of the file and as environment
//! variables (the environment wins): SUID_HUNT_GROUP_AUTO_GENERATE, SUID_HUNT_GROUP_RULE,
//! SERVICE_USERS_UPDATE_ID_PHONE_NUMBER, GROUP_NUMBERS_USE_CC_CLI, plus
//! GROUP_INFO_CACHE_SECONDS. `[oci]` holds the connection options every BroadWorks-facing
//! subcommand takes; `[api]` the HTTP side and its tokens; `[templates.NAME]` hunt group
//! defaults for `templateName`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The whole settings file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// How to reach BroadWorks.
    #[serde(default)]
    pub oci: OciSettings,
    /// The HTTP API.
    #[serde(default)]
    pub api: ApiSettings,
    /// Hunt group templates by name: field values in the REST API's JSON shape.
    #[serde(default)]
    pub templates: BTreeMap<String, serde_json::Value>,
    /// Generate service user ids on create when none is given.
    #[serde(rename = "SUID_HUNT_GROUP_AUTO_GENERATE")]
    pub suid_hunt_group_auto_generate: Option<bool>,
    /// The generation rule.
    #[serde(rename = "SUID_HUNT_GROUP_RULE")]
    pub suid_hunt_group_rule: Option<String>,
    /// Change the service user id when an update changes the number the rule uses.
    #[serde(rename = "SERVICE_USERS_UPDATE_ID_PHONE_NUMBER")]
    pub service_users_update_id_phone_number: Option<bool>,
    /// Read national list numbers as numbers of the group's calling line id country.
    #[serde(rename = "GROUP_NUMBERS_USE_CC_CLI")]
    pub group_numbers_use_cc_cli: Option<bool>,
    /// How long group information (domain, country, departments) is cached.
    #[serde(rename = "GROUP_INFO_CACHE_SECONDS")]
    pub group_info_cache_seconds: Option<u64>,
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
    /// Sessions in the gateway's pool (default 4).
    pub pool_size: Option<usize>,
    /// Longest wait for a free session before a 503 (default 10).
    pub queue_wait_seconds: Option<u64>,
    /// The OCI schema of the release: a compiled catalog or a folder of XSD files (default:
    /// the embedded R25).
    pub schema: Option<PathBuf>,
}

/// The HTTP API's settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiSettings {
    /// Address to listen on (default 127.0.0.1:8080).
    pub listen: Option<SocketAddr>,
    /// Largest request body in bytes (default 1 MiB).
    pub max_body_bytes: Option<usize>,
    /// Requests per second allowed per token, with bursts of twice as many (default 100; 0: off).
    pub rate_limit_per_second: Option<u32>,
    /// Most rows one bulk request may hold (default 100,000).
    pub bulk_max_rows: Option<usize>,
    /// Most HTTP connections served at once (default 512; keep it under `ulimit -n`).
    pub max_connections: Option<usize>,
    /// Origins (`https://portal.example.com`) whose web pages may call the API (CORS); none by
    /// default.
    #[serde(default)]
    pub cors_origins: Vec<String>,
    /// Bearer tokens.
    #[serde(default)]
    pub tokens: Vec<TokenSettings>,
    /// Domains, by tenant, that tenant and group tokens may create ids in besides the group's
    /// own domain.
    #[serde(default)]
    pub extra_domains: std::collections::HashMap<String, Vec<String>>,
}

/// One bearer token and its scope: the whole system (no tenant), one tenant, or one group of a
/// tenant.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSettings {
    /// A name for logs (the token itself is never logged).
    pub name: Option<String>,
    /// The token.
    pub token: String,
    /// Tenant the token is limited to.
    pub tenant: Option<String>,
    /// Group (of `tenant`) the token is limited to.
    pub group: Option<String>,
}

impl std::fmt::Debug for TokenSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSettings")
            .field("name", &self.name)
            .field("token", &"***")
            .field("tenant", &self.tenant)
            .field("group", &self.group)
            .finish()
    }
}

/// Why the settings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or holds an unknown key or a value of the wrong type.
    #[error("config file {path}: {source}")]
    Parse {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong, with its line.
        source: Box<toml::de::Error>,
    },
    /// The tokens given in the environment cannot be read (the tokens themselves are never
    /// shown).
    #[error("{source_name}: {message}")]
    Tokens {
        /// The variable, or the file it names.
        source_name: String,
        /// What is wrong.
        message: String,
    },
    /// An environment variable holds a value of the wrong kind.
    #[error("{name}: '{value}' is not {expected}")]
    Env {
        /// The variable.
        name: String,
        /// Its value.
        value: String,
        /// What it must be.
        expected: &'static str,
    },
}

impl Config {
    /// Reads a settings file; the error names the file and what is wrong.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|source| ConfigError::Parse {
            path: path.to_owned(),
            source: Box::new(source),
        })
    }

    /// Applies the APIO settings found in the environment (through `lookup`, normally
    /// `std::env::var`); a malformed value is an error naming the variable.
    pub fn apply_env(
        &mut self,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<(), ConfigError> {
        let flag = |name: &str| -> Result<Option<bool>, ConfigError> {
            lookup(name).map(|v| parse_bool(name, &v)).transpose()
        };
        if let Some(v) = flag("SUID_HUNT_GROUP_AUTO_GENERATE")? {
            self.suid_hunt_group_auto_generate = Some(v);
        }
        if let Some(v) = lookup("SUID_HUNT_GROUP_RULE") {
            self.suid_hunt_group_rule = Some(v);
        }
        if let Some(v) = flag("SERVICE_USERS_UPDATE_ID_PHONE_NUMBER")? {
            self.service_users_update_id_phone_number = Some(v);
        }
        if let Some(v) = flag("GROUP_NUMBERS_USE_CC_CLI")? {
            self.group_numbers_use_cc_cli = Some(v);
        }
        if let Some(list) = lookup("OCIGW_API_TOKENS") {
            self.api
                .tokens
                .extend(parse_tokens("OCIGW_API_TOKENS", &list)?);
        }
        if let Some(path) = lookup("OCIGW_API_TOKENS_FILE") {
            let source_name = format!("OCIGW_API_TOKENS_FILE ({path})");
            let list = std::fs::read_to_string(&path).map_err(|e| ConfigError::Tokens {
                source_name: source_name.clone(),
                message: format!("cannot read it: {e}"),
            })?;
            self.api.tokens.extend(parse_tokens(&source_name, &list)?);
        }
        if let Some(v) = lookup("GROUP_INFO_CACHE_SECONDS") {
            let seconds = v.trim().parse().map_err(|_| ConfigError::Env {
                name: "GROUP_INFO_CACHE_SECONDS".into(),
                value: v.clone(),
                expected: "a number of seconds",
            })?;
            self.group_info_cache_seconds = Some(seconds);
        }
        Ok(())
    }
}

/// Tokens written as entries separated by commas or lines (`#` starts a comment line), each
/// `TOKEN`, `TOKEN TENANT` or `TOKEN TENANT GROUP` (the scope, as `[[api.tokens]]` gives it).
fn parse_tokens(source_name: &str, list: &str) -> Result<Vec<TokenSettings>, ConfigError> {
    let entries = list
        .split([',', '\n'])
        .map(str::trim)
        .filter(|e| !e.is_empty() && !e.starts_with('#'));
    let mut tokens = Vec::new();
    for (n, entry) in entries.enumerate() {
        let fields: Vec<&str> = entry.split_whitespace().collect();
        let (token, tenant, group) = match fields[..] {
            [token] => (token, None, None),
            [token, tenant] => (token, Some(tenant), None),
            [token, tenant, group] => (token, Some(tenant), Some(group)),
            _ => {
                return Err(ConfigError::Tokens {
                    source_name: source_name.to_owned(),
                    message: format!(
                        "entry {} has {} fields; write TOKEN, TOKEN TENANT or TOKEN TENANT GROUP",
                        n + 1,
                        fields.len()
                    ),
                })
            }
        };
        tokens.push(TokenSettings {
            name: Some(format!("{source_name} #{}", n + 1)),
            token: token.to_owned(),
            tenant: tenant.map(str::to_owned),
            group: group.map(str::to_owned),
        });
    }
    Ok(tokens)
}

fn parse_bool(name: &str, value: &str) -> Result<bool, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        _ => Err(ConfigError::Env {
            name: name.to_owned(),
            value: value.to_owned(),
            expected: "true or false",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_and_environment() {
        let mut config: Config = toml::from_str(
            r#"
SUID_HUNT_GROUP_AUTO_GENERATE = true
SUID_HUNT_GROUP_RULE = "{{group_id}}_hg{{RND_4}}@{{domain}}"
[oci]
pool_size = 2
[[api.tokens]]
token = "t1"
tenant = "ApioSpTest"
[templates.sales]
policy = "Circular"
"#,
        )
        .unwrap();
        assert_eq!(config.suid_hunt_group_auto_generate, Some(true));
        assert_eq!(config.oci.pool_size, Some(2));
        assert_eq!(config.api.tokens[0].tenant.as_deref(), Some("ApioSpTest"));
        assert_eq!(config.templates["sales"]["policy"], "Circular");
        let env = |name: &str| match name {
            "SUID_HUNT_GROUP_AUTO_GENERATE" => Some("false".to_owned()),
            "GROUP_NUMBERS_USE_CC_CLI" => Some("1".to_owned()),
            _ => None,
        };
        config.apply_env(env).unwrap();
        assert_eq!(config.suid_hunt_group_auto_generate, Some(false));
        assert_eq!(config.group_numbers_use_cc_cli, Some(true));
        let err = config
            .apply_env(|n| (n == "GROUP_NUMBERS_USE_CC_CLI").then(|| "maybe".to_owned()))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "GROUP_NUMBERS_USE_CC_CLI: 'maybe' is not true or false"
        );
        assert!(format!("{:?}", config.api.tokens).contains("***"));
        assert!(!format!("{:?}", config.api.tokens).contains("t1"));
    }

    #[test]
    fn tokens_from_the_environment_with_their_scopes() {
        let mut config = Config::default();
        config
            .apply_env(|n| {
                (n == "OCIGW_API_TOKENS").then(|| {
                    "sys-token-0001, ten-token-0001 ApioSpTest,\ngrp-token-0001 ApioSpTest ApioGrpTest"
                        .to_owned()
                })
            })
            .unwrap();
        let scopes: Vec<(&str, Option<&str>, Option<&str>)> = config
            .api
            .tokens
            .iter()
            .map(|t| (t.token.as_str(), t.tenant.as_deref(), t.group.as_deref()))
            .collect();
        assert_eq!(
            scopes,
            [
                ("sys-token-0001", None, None),
                ("ten-token-0001", Some("ApioSpTest"), None),
                ("grp-token-0001", Some("ApioSpTest"), Some("ApioGrpTest"))
            ]
        );
        let err = Config::default()
            .apply_env(|n| (n == "OCIGW_API_TOKENS").then(|| "secret-0001 a b c".to_owned()))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "OCIGW_API_TOKENS: entry 1 has 4 fields; write TOKEN, TOKEN TENANT or TOKEN TENANT GROUP"
        );
        assert!(!err.contains("secret"));
    }

    #[test]
    fn unknown_keys_are_errors() {
        assert!(toml::from_str::<Config>("SUID_RULE = \"x\"").is_err());
    }
}
