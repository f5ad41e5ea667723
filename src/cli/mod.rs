//! The `ocigw` command line (clap): one subcommand per tool.

mod bench;
mod bench_rest;
mod bulk;
mod connect;
mod oci;
mod out;
mod replay;
mod schema;
mod serve;
mod sim;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use bulk::open_rows;
pub use connect::{ConnectArgs, Connected};

/// ocigw: an OCI-P gateway for Cisco BroadWorks, with a BroadWorks OCI-P simulator.
#[derive(Debug, Parser)]
#[command(name = "ocigw", version, about, long_about = None)]
pub struct Cli {
    /// Log filter (error, warn, info, debug, trace, or a tracing filter such as ocigw=debug)
    /// [default: info for servers, warn for one-shot tools].
    #[arg(long, global = true, env = "OCIGW_LOG", value_name = "FILTER")]
    pub log: Option<String>,
    /// Log lines as text (coloured only on a terminal, never with NO_COLOR) or as one JSON
    /// object per line, for a log shipper.
    #[arg(long, global = true, env = "OCIGW_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

/// How log lines are written (to stderr).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line (timestamp, level, target, fields, spans).
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the REST gateway (with an embedded simulator when no BroadWorks is configured).
    Serve(serve::ServeArgs),
    /// Bulk operations from a CSV sheet or JSON data.
    #[command(subcommand)]
    Bulk(bulk::BulkCommand),
    /// Benchmarks (bulk creation against the embedded simulator).
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Replay recorded OCI exchanges against a server and report what changed.
    Replay(replay::ReplayArgs),
    /// Run the BroadWorks OCI-P simulator (demo data unless --data is given).
    Sim(sim::SimArgs),
    /// Talk OCI-P directly: send raw commands to BroadWorks or the simulator.
    #[command(subcommand)]
    Oci(oci::OciCommand),
    /// The OCI schema: compile a release's XSD into a catalog, compare two releases.
    #[command(subcommand)]
    Schema(schema::SchemaCommand),
    /// Print a shell completion script, e.g. `ocigw completions bash > /etc/bash_completion.d/ocigw`
    /// or `ocigw completions zsh > "${fpath[1]}/_ocigw"`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Parses the command line, runs the subcommand and returns its exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let default_log = match cli.command {
        Command::Sim(_) | Command::Serve(_) => "info",
        Command::Schema(cmd) => {
            if let Err(e) = init_logging(cli.log.as_deref().unwrap_or("warn"), cli.log_format) {
                return finish(Err(e));
            }
            return finish(schema::run(cmd));
        }
        Command::Oci(_) | Command::Bulk(_) | Command::Bench(_) | Command::Replay(_) => "warn",
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "ocigw",
                &mut script,
            );
            out::text(&String::from_utf8_lossy(&script));
            return ExitCode::SUCCESS;
        }
    };
    if let Err(e) = init_logging(cli.log.as_deref().unwrap_or(default_log), cli.log_format) {
        return finish(Err(e));
    }
    // Before the runtime starts its threads: this may set an environment variable.
    crate::ocip::tls_roots::load_system_roots_once();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve::run(args).await,
            Command::Sim(args) => sim::run(args).await,
            Command::Oci(cmd) => oci::run(cmd).await,
            Command::Bulk(cmd) => bulk::run_command(cmd).await,
            Command::Bench(cmd) => bench::run_command(cmd).await,
            Command::Replay(args) => replay::run(args).await,
            // Answered above, before the runtime starts.
            Command::Completions { .. } | Command::Schema(_) => Ok(ExitCode::SUCCESS),
        }
    });
    // Requests in flight were finished by the subcommand itself; whatever is left (idle
    // blocking threads, connections being torn down) gets a moment, not an unbounded wait.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    finish(result)
}

/// The exit status of a subcommand's result; an error is printed first.
fn finish(result: Result<ExitCode, String>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Installs the log subscriber; a filter that is not one is refused, never replaced.
fn init_logging(filter: &str, format: LogFormat) -> Result<(), String> {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_new(filter).map_err(|e| {
        format!(
            "--log (or OCIGW_LOG) '{filter}' is not a log filter ({e}): give error, warn, info, debug, trace, or a filter such as ocigw=debug"
        )
    })?;
    // Colour only for a person at a terminal, and never when NO_COLOR is set (no-color.org).
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.with_ansi(colour).try_init(),
        LogFormat::Json => builder.json().with_ansi(false).try_init(),
    };
    Ok(())
}
