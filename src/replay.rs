//! Replaying fixture sets against an OCI-P server and comparing the answers.
//!
//! A set is a folder of `NN-Label.xml` exchanges (request document, then the recorded response),
//! run in order on one connection. A folder of sets (like `fixtures/oci/`) runs each set on its
//! own connection. Optional files in a set: `set.toml` (`login = false` to run without logging
//! in first; `[variables]` with `{{run_id}}` available, so one set runs twice without clashing)
//! and `setup.toml` (the simulator directory the set needs; the demo data otherwise).
//!
//! Placeholders filled in at run time: `{{sessionId}}`, `{{user}}`, `{{password}}`,
//! `{{signedPassword}}` (from the last nonce), `{{run_id}}` and the set's variables. Answers are
//! compared ignoring attribute order, whitespace, the session id and the nonce.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use tokio_util::codec::Framed;

use crate::fixture::{compare, load_case, substitute, write_exchange, Case};
use crate::ocip::auth::signed_password;
use crate::ocip::codec::OciCodec;
use crate::ocip::document::{command_type, ParsedDocument};
use crate::ocip::record::normalize;
use crate::ocip::session::{login, Connection};
use crate::ocip::transport::{self, BoxStream};
use crate::ocip::xml::charset::decode_document;
use crate::ocip::ConnectOptions;

/// A set's own settings (`set.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetSettings {
    /// Log in before the first exchange unless the set logs in itself (default true).
    #[serde(default = "yes")]
    pub login: bool,
    /// Variables, `{{name}}` in the exchanges.
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}

impl Default for SetSettings {
    fn default() -> Self {
        Self {
            login: true,
            variables: BTreeMap::new(),
        }
    }
}

/// A set ready to run.
#[derive(Debug, Clone)]
pub struct FixtureSet {
    /// The exchanges.
    pub case: Case,
    /// Its folder.
    pub dir: PathBuf,
    /// `set.toml`.
    pub settings: SetSettings,
    /// `setup.toml`, when present: the simulator directory the set needs.
    pub setup: Option<PathBuf>,
}

/// What happened to one exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "outcome")]
pub enum Outcome {
    /// The answer matched.
    Same,
    /// The answer differed; each line names an element and both values.
    Different {
        /// The differences.
        differences: Vec<String>,
    },
    /// The exchange could not be made.
    Failed {
        /// Why.
        error: String,
    },
}

/// One exchange's report.
#[derive(Debug, Clone, Serialize)]
pub struct ExchangeReport {
    /// The set.
    pub set: String,
    /// The fixture file.
    pub file: PathBuf,
    /// The request's command.
    pub command: String,
    /// What happened.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Time to the answer, in milliseconds.
    pub elapsed_ms: f64,
    /// The answer received (not serialized).
    #[serde(skip)]
    pub actual: Vec<u8>,
}

/// Why a replay could not load its sets or run one.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// A folder or file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The folder or file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A `set.toml` is not valid.
    #[error("{path}: {source}")]
    Settings {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        source: Box<toml::de::Error>,
    },
    /// The folder holds no exchanges.
    #[error("{0}: no fixtures (NN-Label.xml files or folders of them)")]
    Empty(PathBuf),
    /// An exchange file cannot be used.
    #[error("{0}")]
    Fixture(String),
    /// The server cannot be reached.
    #[error("{0}")]
    Connect(#[from] crate::ocip::OciError),
    /// The set's login failed.
    #[error("{set}: login failed: {message}")]
    Login {
        /// The set.
        set: String,
        /// Why.
        message: String,
    },
    /// `--update` could not rewrite an answer.
    #[error("{0}")]
    Update(String),
}

/// Loads a folder: one set, or a folder of sets.
pub fn load(dir: &Path) -> Result<Vec<FixtureSet>, ReplayError> {
    let unreadable = |source| ReplayError::Read {
        path: dir.to_owned(),
        source,
    };
    let has_exchanges = std::fs::read_dir(dir)
        .map_err(unreadable)?
        .filter_map(Result::ok)
        .any(|e| e.path().extension().is_some_and(|x| x == "xml"));
    let dirs = if has_exchanges {
        vec![dir.to_path_buf()]
    } else {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(unreadable)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        dirs
    };
    if dirs.is_empty() {
        return Err(ReplayError::Empty(dir.to_owned()));
    }
    dirs.iter().map(|d| load_set(d)).collect()
}

fn load_set(dir: &Path) -> Result<FixtureSet, ReplayError> {
    let case = load_case(dir).map_err(ReplayError::Fixture)?;
    let settings_path = dir.join("set.toml");
    let settings = if settings_path.exists() {
        let text = std::fs::read_to_string(&settings_path).map_err(|source| ReplayError::Read {
            path: settings_path.clone(),
            source,
        })?;
        toml::from_str(&text).map_err(|source| ReplayError::Settings {
            path: settings_path.clone(),
            source: Box::new(source),
        })?
    } else {
        SetSettings::default()
    };
    let setup = Some(dir.join("setup.toml")).filter(|p| p.exists());
    Ok(FixtureSet {
        case,
        dir: dir.to_path_buf(),
        settings,
        setup,
    })
}

/// The credentials and limits a replay runs with.
#[derive(Debug, Clone)]
pub struct ReplayOptions {
    /// How to connect and log in.
    pub connect: ConnectOptions,
    /// Rewrite the recorded answers with the ones received.
    pub update: bool,
}

fn is_login(command: &str) -> bool {
    matches!(
        command,
        "AuthenticationRequest" | "LoginRequest14sp4" | "LoginRequest22V5"
    )
}

/// Runs one set on a new connection to `options.connect`.
pub async fn run_set(
    set: &FixtureSet,
    options: &ReplayOptions,
) -> Result<Vec<ExchangeReport>, ReplayError> {
    let stream: BoxStream = transport::connect(&options.connect).await?;
    let mut conn: Connection = Framed::new(stream, OciCodec::new(options.connect.max_document));
    let session_id = format!("replay-{:016x}", rand::random::<u64>());
    let run_id = format!("{:08x}", rand::random::<u32>());
    let commands: Vec<String> = set
        .case
        .exchanges
        .iter()
        .map(|x| request_command(&x.request))
        .collect();
    if set.settings.login && !commands.iter().any(|c| is_login(c)) {
        login(&mut conn, &session_id, &options.connect)
            .await
            .map_err(|e| ReplayError::Login {
                set: set.case.name.clone(),
                message: e.to_string(),
            })?;
    }
    let mut variables: Vec<(String, String)> = vec![
        ("run_id".into(), run_id.clone()),
        ("sessionId".into(), session_id),
        ("user".into(), options.connect.user.clone()),
    ];
    for (name, value) in &set.settings.variables {
        variables.push((name.clone(), value.replace("{{run_id}}", &run_id)));
    }
    let password = options.connect.password.expose().to_owned();
    let mut nonce = String::new();
    let mut reports = Vec::new();
    for (exchange, command) in set.case.exchanges.iter().zip(commands) {
        let signed = signed_password(&nonce, &password);
        let mut vars: Vec<(&str, &str)> = variables
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        vars.push(("signedPassword", &signed));
        vars.push(("password", &password));
        let request = substitute(&exchange.request, &vars);
        let expected = substitute(&exchange.response, &vars);
        let started = Instant::now();
        let answer = send(&mut conn, &request, options.connect.call_timeout).await;
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        let (outcome, actual) = match answer {
            Err(error) => (Outcome::Failed { error }, Vec::new()),
            Ok(actual) => {
                if let Some(n) = nonce_of(&actual) {
                    nonce = n;
                }
                let outcome = if exchange.response.is_empty() {
                    Outcome::Different {
                        differences: vec!["no response recorded yet".into()],
                    }
                } else {
                    match compare(&expected, &actual) {
                        Ok(d) if d.is_empty() => Outcome::Same,
                        Ok(differences) => Outcome::Different { differences },
                        Err(error) => Outcome::Failed { error },
                    }
                };
                (outcome, actual)
            }
        };
        let failed = matches!(outcome, Outcome::Failed { .. });
        if options.update && matches!(outcome, Outcome::Different { .. }) {
            update(&exchange.path, &exchange.request, &actual, &variables)
                .map_err(ReplayError::Update)?;
        }
        reports.push(ExchangeReport {
            set: set.case.name.clone(),
            file: exchange.path.clone(),
            command,
            outcome,
            elapsed_ms,
            actual,
        });
        if failed {
            break; // the connection's state is unknown
        }
    }
    Ok(reports)
}

async fn send(conn: &mut Connection, request: &[u8], timeout: Duration) -> Result<Vec<u8>, String> {
    conn.send(request)
        .await
        .map_err(|e| format!("send failed: {e}"))?;
    match tokio::time::timeout(timeout, conn.next()).await {
        Err(_) => Err(format!("no answer within {timeout:?}")),
        Ok(None) => Err("the server closed the connection".into()),
        Ok(Some(Err(e))) => Err(e.to_string()),
        Ok(Some(Ok(frame))) => Ok(frame.to_vec()),
    }
}

/// Rewrites a recorded answer: normalized like a recording, the run's variable values turned
/// back into their placeholders.
fn update(
    path: &Path,
    request: &[u8],
    actual: &[u8],
    variables: &[(String, String)],
) -> Result<(), String> {
    let Some((_, _, mut response)) = normalize(request, actual) else {
        return Err(format!(
            "{}: the answer cannot be parsed; not updated",
            path.display()
        ));
    };
    for (name, value) in variables.iter().filter(|(n, _)| n != "user") {
        if !value.is_empty() {
            response = crate::fixture::replace_bytes(
                &response,
                value.as_bytes(),
                format!("{{{{{name}}}}}").as_bytes(),
            );
        }
    }
    write_exchange(path, request, &response)
}

fn request_command(request: &[u8]) -> String {
    decode_document(request)
        .ok()
        .and_then(|text| {
            let doc = ParsedDocument::parse(&text).ok()?;
            let command = doc.first_command().ok()?;
            command_type(command).ok().map(str::to_owned)
        })
        .unwrap_or_else(|| "?".into())
}

fn nonce_of(answer: &[u8]) -> Option<String> {
    let text = decode_document(answer).ok()?;
    let doc = ParsedDocument::parse(&text).ok()?;
    let command = doc.first_command().ok()?;
    command.child_text("nonce").map(str::to_owned)
}
