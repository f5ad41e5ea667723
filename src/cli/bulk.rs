//! `ocigw bulk`: hunt groups from a CSV sheet or JSON data, with dry run and a report.

use std::fs::File;
use std::io::{BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::bulk::input::{self, Notes, Rows};
use crate::bulk::report::Report;
use crate::bulk::run::{run, RowResult, RunOptions, Summary};
use crate::cli::connect::{say_embedded, start_embedded};
use crate::cli::ConnectArgs;
use crate::ocip::pool::DEFAULT_POOL_SIZE;
use crate::ocip::Pool;
use crate::service::settings::HuntGroupSettings;
use crate::service::HuntGroups;

/// The hunt group sheet template.
pub const TEMPLATE: &str = include_str!("../../schemas/bulk/hunt.group.create.csv");

/// Bulk operations.
#[derive(Debug, Subcommand)]
pub enum BulkCommand {
    /// Create hunt groups from a CSV sheet (or a .json array), one result per row.
    Create(Box<CreateArgs>),
    /// Print a sheet template (only `hunt.group.create` exists).
    Template {
        /// The operation.
        #[arg(value_name = "OPERATION", default_value = "hunt.group.create")]
        operation: String,
    },
}

/// Options of `ocigw bulk create`.
#[derive(Debug, Args)]
#[command(
    after_help = "The sheet: `ocigw bulk template hunt.group.create` prints its header. Columns are
camelCase or snake_case, serviceInstanceProfile.* in dot notation, alias[N] and agentUserId[N]
for lists (empty agent cells are dropped; at least one agent per row). Left-out options take
the documented defaults; the calling line id names default to the name (the spec's own
defaults are longer than BroadWorks's 30 characters). A bare serviceUserId gets the group's
domain; a templateName column applies a template as REST does. The type-hint row of the
published template is recognised and skipped. FILE.json holds an array of objects in the
programmatic (snake_case) form instead.

Each row goes through the same hunt group service as POST …/hunt_groups/: same checks, same
command. --dry-run reads from BroadWorks (the group, its departments, the agents, whether the
id, the number and the extension are free) and writes nothing. Without --host, an embedded simulator with the demo data answers.

Rows go out in OCI-P documents of up to --batch commands (default 15) over --sessions
sessions; BroadWorks executes and answers each command on its own, so a failed row never
stops the others. --batch 1 sends one command per document.
Exit status: 0 when every row succeeded, 1 when any row failed, 2 when the input or the
connection could not be used at all.

Examples:
  ocigw bulk create sheet.csv --dry-run
  OCIGW_OCI_PASSWORD=... ocigw bulk create sheet.csv --host bw.lab --user admin --report out.json"
)]
pub struct CreateArgs {
    /// The sheet (.csv) or data (.json).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Check every row and build every command (reading from BroadWorks), write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Rows checked and built at once [default: sessions × batch].
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// Rows per OCI-P document, 1 to 15 (BroadWorks executes and answers each on its own).
    #[arg(long, value_name = "N", default_value_t = 15, value_parser = clap::value_parser!(u16).range(1..=15))]
    pub batch: u16,
    /// OCI-P sessions, each carrying one document at a time [default: the configured pool size].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub sessions: Option<u16>,
    /// Write every result to FILE.json or FILE.csv as rows complete.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// Runs an `ocigw bulk` subcommand.
pub async fn run_command(command: BulkCommand) -> Result<ExitCode, String> {
    match command {
        BulkCommand::Template { operation } if operation == "hunt.group.create" => {
            crate::cli::out::text(TEMPLATE);
            Ok(ExitCode::SUCCESS)
        }
        BulkCommand::Template { operation } => Err(format!(
            "no template for '{operation}' (available: hunt.group.create)"
        )),
        BulkCommand::Create(args) => create(*args).await,
    }
}

/// Rows of a file: a streaming sheet, or the items of a JSON array (`.json`).
pub fn open_rows(path: &Path) -> Result<(Rows, Notes), String> {
    let file = File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let in_file = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    if path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("json"))
    {
        return input::json_stream(BufReader::new(file)).map_err(|e| in_file(&e));
    }
    input::csv(BufReader::new(file)).map_err(|e| in_file(&e))
}

async fn create(args: CreateArgs) -> Result<ExitCode, String> {
    let (rows, notes) = open_rows(&args.file)?;
    let mut report = match &args.report {
        None => None,
        Some(path) => Some(open_report(path)?),
    };
    let config = args.connect.load_config()?;
    args.connect.check_schema(&config.oci)?;
    let pool_size = args
        .sessions
        .map(usize::from)
        .or(config.oci.pool_size)
        .unwrap_or(DEFAULT_POOL_SIZE);
    let settings = HuntGroupSettings::from_config(&config)?;
    // A dry run reads from BroadWorks (groups, agents, ids) but writes nothing.
    let (simulator, options) = match args.connect.options(&config.oci)? {
        Some(options) => (None, options),
        None => {
            let (sim, mut options) = start_embedded(args.connect.timeout(&config.oci)).await?;
            say_embedded(&sim);
            args.connect.attach_recorder(&mut options)?;
            (Some(sim), options)
        }
    };
    let _simulator = simulator;
    let pool = Arc::new(Pool::new(options, pool_size));
    pool.warm_up().await.map_err(|e| e.to_string())?;
    let service = Arc::new(HuntGroups::new(pool.clone(), Arc::new(settings)));
    let progress = Progress::new();
    let mut shown = Vec::new();
    let mut report_error = None;
    let options = RunOptions {
        dry_run: args.dry_run,
        concurrency: args
            .concurrency
            .unwrap_or(pool_size * usize::from(args.batch)),
        batch: usize::from(args.batch),
        gate: None,
        restricted: false,
    };
    let mut summary = run(rows, service, options, |result| {
        progress.row(result);
        if shown.len() < 50 && (!result.success || result.index < 50) {
            shown.push(result.clone());
        }
        if let Some(r) = report.as_mut() {
            if let Err(e) = r.write(result) {
                report_error.get_or_insert(e.to_string());
            }
        }
    })
    .await;
    progress.finish();
    summary.notes = notes.take();
    if let Some(r) = report {
        if let Err(e) = r.finish(&summary) {
            report_error.get_or_insert(e.to_string());
        }
    }
    pool.close().await;
    print_table(&shown, &summary);
    if let Some(e) = report_error {
        return Err(format!("writing the report failed: {e}"));
    }
    Ok(if summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// How much of a report is written at once: a result is 2–3 KB, so the default 8 KB meant a
/// write call every three rows.
const REPORT_BUFFER: usize = 256 * 1024;

/// Opens the report file: JSON or CSV by its extension.
pub fn open_report(path: &Path) -> Result<Report<BufWriter<File>>, String> {
    let extension = path
        .extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase);
    let csv = match extension.as_deref() {
        Some("csv") => true,
        Some("json") => false,
        _ => {
            return Err(format!(
                "--report {}: the report is written as JSON or CSV; name it FILE.json or FILE.csv",
                path.display()
            ))
        }
    };
    let file = File::create(path)
        .map_err(|e| format!("cannot write the report {}: {e}", path.display()))?;
    let out = BufWriter::with_capacity(REPORT_BUFFER, file);
    let report = if csv {
        Report::csv(out)
    } else {
        Report::json(out)
    };
    report.map_err(|e| format!("cannot write the report {}: {e}", path.display()))
}

fn print_table(results: &[RowResult], summary: &Summary) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for note in &summary.notes {
        let _ = writeln!(out, "note: {note}");
    }
    if !results.is_empty() {
        let _ = writeln!(
            out,
            "{:>6}  {:>6}  {:<7}  {:<40}  error",
            "row", "line", "result", "service user id"
        );
    }
    for r in results {
        let suid = r.data_ids().service_user_id;
        let suid = suid.as_deref().unwrap_or("-");
        let outcome = match (r.success, summary.dry_run) {
            (true, true) => "valid",
            (true, false) => "created",
            (false, _) => "FAILED",
        };
        let line = r.line.map(|l| l.to_string()).unwrap_or_else(|| "-".into());
        let _ = writeln!(
            out,
            "{:>6}  {:>6}  {:<7}  {:<40}  {}",
            r.index,
            line,
            outcome,
            suid,
            r.error.as_deref().unwrap_or("")
        );
    }
    if summary.total > results.len() {
        let _ = writeln!(
            out,
            "… {} more rows (see --report)",
            summary.total - results.len()
        );
    }
    let verb = if summary.dry_run { "valid" } else { "created" };
    let rate = if summary.seconds > 0.0 {
        summary.total as f64 / summary.seconds
    } else {
        0.0
    };
    let _ = writeln!(
        out,
        "{} rows: {} {verb}, {} failed{} in {:.2} s ({:.0} rows/s)",
        summary.total,
        summary.succeeded,
        summary.failed,
        if summary.dry_run {
            " (dry run: nothing sent)"
        } else {
            ""
        },
        summary.seconds,
        rate
    );
}

/// A progress bar on a terminal, plain lines otherwise.
struct Progress {
    bar: Option<ProgressBar>,
    done: std::cell::Cell<usize>,
    failed: std::cell::Cell<usize>,
    started: std::time::Instant,
}

impl Progress {
    fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {pos} rows, {msg} [{elapsed}] {per_sec}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message("0 failed");
            bar
        });
        Self {
            bar,
            done: 0.into(),
            failed: 0.into(),
            started: std::time::Instant::now(),
        }
    }

    fn row(&self, result: &RowResult) {
        self.done.set(self.done.get() + 1);
        if !result.success {
            self.failed.set(self.failed.get() + 1);
        }
        match &self.bar {
            Some(bar) => {
                bar.inc(1);
                if !result.success {
                    bar.set_message(format!("{} failed", self.failed.get()));
                }
            }
            None if self.done.get().is_multiple_of(1000) => {
                let secs = self.started.elapsed().as_secs_f64().max(1e-9);
                eprintln!(
                    "{} rows done, {} failed, {:.0} rows/s",
                    self.done.get(),
                    self.failed.get(),
                    self.done.get() as f64 / secs
                );
            }
            None => {}
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
