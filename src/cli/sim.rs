//! `ocigw sim`: run the BroadWorks OCI-P simulator.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::ocip::options::DEFAULT_MAX_DOCUMENT;
use crate::ocip::Secret;
use crate::sim::faults::FaultSettings;
use crate::sim::{Answers, DataFile, Directory, SimConfig, SimServer, TlsIdentity};

/// Options of `ocigw sim`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  ocigw sim                                   demo directory on 127.0.0.1:2208, admin/admin
  ocigw sim --listen 0.0.0.0:2208 --data lab.toml --admin ops:s3cret
  ocigw sim --listen 127.0.0.1:2209 --tls-cert cert.pem --tls-key key.pem
  ocigw sim --print-demo-data > lab.toml      the demo directory, to start your own
  ocigw sim --answers recordings/             also answer what it does not implement from
                                              recordings (made with `serve --record`)
  ocigw sim --control                         control API for test suites on 127.0.0.1:2210:
                                              curl -X POST http://127.0.0.1:2210/reset

The demo directory is built into the binary; --print-demo-data prints it (its comments document
the format).")]
pub struct SimArgs {
    /// Print the embedded demo directory (TOML, the --data format) and exit.
    #[arg(long)]
    pub print_demo_data: bool,
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
    /// Close a connection that has not logged in within this many seconds.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub login_timeout: u64,
    /// Answer from recordings in this folder (repeatable; fixtures/oci format, e.g. made with
    /// `ocigw serve --record`): commands the simulator does not implement get the recorded
    /// answer of the matching recorded request.
    #[arg(long, value_name = "DIR")]
    pub answers: Vec<PathBuf>,
    /// With --answers: try the recordings first for every command (logins excepted), the
    /// simulator's own handlers only when no recording matches.
    #[arg(long, requires = "answers")]
    pub answers_first: bool,
    /// Serve the control API (HTTP, JSON: /health, /reset, /directory, /commands, /faults) on
    /// ADDR (a bare port means 127.0.0.1:PORT; without a value, 127.0.0.1:2210). No
    /// authentication: keep it on loopback.
    #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = crate::sim::control::DEFAULT_CONTROL, value_parser = control_address)]
    pub control: Option<SocketAddr>,
    #[command(flatten)]
    pub faults: FaultArgs,
}

/// `--control`'s value: an address, or a bare port on loopback.
fn control_address(text: &str) -> Result<SocketAddr, String> {
    if let Ok(port) = text.parse::<u16>() {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    text.parse()
        .map_err(|_| format!("'{text}' is neither ADDR:PORT nor a port"))
}

/// Fault injection (also `[faults]` in the data file; options here win). Deterministic for a
/// given --seed.
#[derive(Debug, Args)]
#[command(next_help_heading = "Fault injection")]
pub struct FaultArgs {
    /// Seed of the fault generators.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Close each connection after answering its Nth command.
    #[arg(long, value_name = "N")]
    pub drop_after: Option<u64>,
    /// Probability of closing a connection instead of executing a command.
    #[arg(long, value_name = "P")]
    pub drop_probability: Option<f64>,
    /// Probability of executing a command, then closing without answering.
    #[arg(long, value_name = "P")]
    pub drop_after_execute_probability: Option<f64>,
    /// Delay answers by this many milliseconds.
    #[arg(long, value_name = "MS")]
    pub delay_ms: Option<u64>,
    /// Probability that an answer is delayed (default 1 with --delay-ms).
    #[arg(long, value_name = "P")]
    pub delay_probability: Option<f64>,
    /// Expire sessions this many seconds after login.
    #[arg(long, value_name = "SECONDS")]
    pub session_expiry: Option<u64>,
    /// Refuse logins for this many seconds after start.
    #[arg(long, value_name = "SECONDS")]
    pub refuse_logins_for: Option<u64>,
    /// Probability of answering with a malformed document.
    #[arg(long, value_name = "P")]
    pub garbage_probability: Option<f64>,
    /// Probability of sending half an answer and closing.
    #[arg(long, value_name = "P")]
    pub truncate_probability: Option<f64>,
}

impl FaultArgs {
    /// The data file's faults with these options on top.
    pub fn merged_into(&self, mut f: FaultSettings) -> FaultSettings {
        f.seed = self.seed.or(f.seed);
        f.drop_after_commands = self.drop_after.or(f.drop_after_commands);
        f.drop_probability = self.drop_probability.or(f.drop_probability);
        f.drop_after_execute_probability = self
            .drop_after_execute_probability
            .or(f.drop_after_execute_probability);
        f.delay_ms = self.delay_ms.or(f.delay_ms);
        f.delay_probability = self.delay_probability.or(f.delay_probability);
        f.session_expiry_seconds = self.session_expiry.or(f.session_expiry_seconds);
        f.refuse_logins_seconds = self.refuse_logins_for.or(f.refuse_logins_seconds);
        f.garbage_probability = self.garbage_probability.or(f.garbage_probability);
        f.truncate_probability = self.truncate_probability.or(f.truncate_probability);
        f
    }
}

/// Runs the simulator until interrupted.
pub async fn run(args: SimArgs) -> Result<ExitCode, String> {
    if args.print_demo_data {
        use std::io::Write;
        // A closed stdout (`| head`) ends the printing quietly.
        let _ = std::io::stdout().write_all(crate::sim::data::DEMO_DATA.as_bytes());
        return Ok(ExitCode::SUCCESS);
    }
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
        faults: args.faults.merged_into(data.faults.clone()),
        login_timeout: std::time::Duration::from_secs(args.login_timeout),
        answers: Answers::load(&args.answers, args.answers_first)?,
        control: args.control,
    };
    let recorded = config.answers.len();
    let server = SimServer::start(config).await.map_err(|e| e.to_string())?;
    eprintln!(
        "ocigw simulator listening on {} ({transport}); data: {}; administrators: {admins}",
        server.addr(),
        args.data
            .as_ref()
            .map_or("demo directory".to_owned(), |p| p.display().to_string()),
    );
    if !args.answers.is_empty() {
        let first = if args.answers_first {
            "before the simulator's own handlers"
        } else {
            "for commands the simulator does not implement"
        };
        let plural = if recorded == 1 { "" } else { "s" };
        eprintln!("answers from recordings: {recorded} recorded answer{plural}, {first}");
    }
    if let Some(control) = server.control_addr() {
        if !control.ip().is_loopback() {
            eprintln!("warning: the control API has no authentication and listens on {control}, not on loopback");
        }
        eprintln!("control API on http://{control} (GET /health, POST /reset, PUT /directory, GET /commands, PUT /faults)");
    }
    tokio::select! {
        _ = server.run_forever() => {}
        _ = tokio::signal::ctrl_c() => eprintln!("simulator stopped"),
    }
    Ok(ExitCode::SUCCESS)
}
