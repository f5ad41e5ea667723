//! `ocigw replay DIR`: replays recorded OCI exchanges and reports what changed.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::cli::connect::{embedded_options, start_embedded};
use crate::cli::ConnectArgs;
use crate::ocip::Session;
use crate::replay::{self, ExchangeReport, Outcome, ReplayOptions};
use crate::sim::{DataFile, Directory, SimConfig, SimServer};

/// Options of `ocigw replay`.
#[derive(Debug, Args)]
#[command(
    after_help = "DIR is one fixture set (NN-Label.xml files: a request document, then the recorded
response) or a folder of sets, as written by --record or kept in fixtures/oci. Each set runs in
order on its own connection; against the embedded simulator (no --host), each set gets a fresh
simulator with its setup.toml (or the demo data).

Exit status: 0 when every answer matches, 1 when any differs or fails, 2 when DIR or the
connection cannot be used.

Examples:
  ocigw replay fixtures/oci
  ocigw serve --record rec/     # … use the API …, then:
  OCIGW_OCI_PASSWORD=... ocigw replay rec/ --host bw-lab --user admin --json"
)]
pub struct ReplayArgs {
    /// The fixture set or folder of sets.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Rewrite the recorded answers that differ with the ones received.
    #[arg(long)]
    pub update: bool,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// Runs a replay.
pub async fn run(args: ReplayArgs) -> Result<ExitCode, String> {
    let sets = replay::load(&args.dir).map_err(|e| e.to_string())?;
    let config = args.connect.load_config()?;
    args.connect.check_schema(&config.oci)?;
    let remote = args.connect.options(&config.oci)?;
    match &remote {
        // A refused login is said once, as what it is, before any exchange runs.
        Some(options) => {
            let session = Session::connect(options)
                .await
                .map_err(|e| format!("cannot log in to {}: {e}", options.addr()))?;
            session.logout().await;
        }
        None => eprintln!(
            "note: no --host given: replaying against the embedded OCI-P simulator (the demo data, or each set's setup.toml)"
        ),
    }
    let mut reports: Vec<ExchangeReport> = Vec::new();
    for set in &sets {
        let (_simulator, connect): (Option<SimServer>, _) = match &remote {
            Some(options) => (None, options.clone()),
            None => match &set.setup {
                None => {
                    let (sim, options) = start_embedded(args.connect.timeout(&config.oci)).await?;
                    (Some(sim), options)
                }
                Some(setup) => {
                    let directory = Directory::from_data(&DataFile::load(setup)?)?;
                    let listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
                    let sim = SimServer::start(SimConfig::new(listen, directory))
                        .await
                        .map_err(|e| e.to_string())?;
                    let options =
                        embedded_options(sim.addr().port(), args.connect.timeout(&config.oci));
                    (Some(sim), options)
                }
            },
        };
        let options = ReplayOptions {
            connect,
            update: args.update,
        };
        match replay::run_set(set, &options).await {
            Ok(mut r) => reports.append(&mut r),
            Err(error) => reports.push(ExchangeReport {
                set: set.case.name.clone(),
                file: set.dir.clone(),
                command: "-".into(),
                outcome: Outcome::Failed {
                    error: error.to_string(),
                },
                elapsed_ms: 0.0,
                actual: Vec::new(),
            }),
        }
    }
    let same = reports
        .iter()
        .filter(|r| r.outcome == Outcome::Same)
        .count();
    let all_same = same == reports.len();
    if args.json {
        let value = serde_json::json!({
            "exchanges": reports,
            "summary": {"total": reports.len(), "same": same, "differentOrFailed": reports.len() - same, "updated": args.update},
        });
        crate::cli::out::line(&serde_json::to_string_pretty(&value).unwrap_or_default());
    } else {
        print_report(&reports, args.update);
    }
    Ok(if all_same {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_report(reports: &[ExchangeReport], updated: bool) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let (mut same, mut different, mut failed) = (0, 0, 0);
    for r in reports {
        let file = r
            .file
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
        match &r.outcome {
            Outcome::Same => {
                same += 1;
                let _ = writeln!(out, "same       {}/{file}", r.set);
            }
            Outcome::Different { differences } => {
                different += 1;
                let note = if updated { " (updated)" } else { "" };
                let _ = writeln!(out, "DIFFERENT  {}/{file}{note}", r.set);
                for d in differences {
                    let _ = writeln!(out, "           {d}");
                }
            }
            Outcome::Failed { error } => {
                failed += 1;
                let _ = writeln!(out, "FAILED     {}/{file}: {error}", r.set);
            }
        }
    }
    let _ = writeln!(
        out,
        "{} exchanges: {same} same, {different} different, {failed} failed",
        reports.len()
    );
}
