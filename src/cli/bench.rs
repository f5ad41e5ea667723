//! `ocigw bench bulk`: generates an N-row sheet and times `bulk create` against the embedded
//! simulator over loopback, through the same code as `ocigw bulk create` (sheet streamed, pool,
//! report written as rows complete). Prints rows per second and peak memory.

use std::io::{BufWriter, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Subcommand};

use crate::bulk::run::{run, RunOptions};
use crate::cli::bulk::open_rows;
use crate::cli::connect::{embedded_options, ConnectArgs};
use crate::ocip::pool::DEFAULT_POOL_SIZE;
use crate::ocip::Pool;
use crate::service::settings::HuntGroupSettings;
use crate::service::HuntGroups;
use crate::sim::data::DataFile;
use crate::sim::directory::Directory;
use crate::sim::server::{SimConfig, SimServer};

/// Benchmarks.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Time bulk creation of N hunt groups against the embedded simulator.
    Bulk(Box<BulkBenchArgs>),
    /// Time a REST GET through the gateway against the same OCI-P request sent raw, and their
    /// ratio: what the gateway adds to a round trip.
    Rest(crate::cli::bench_rest::RestBenchArgs),
}

/// Options of `ocigw bench bulk`.
#[derive(Debug, Args)]
pub struct BulkBenchArgs {
    /// Rows to generate.
    #[arg(long, default_value_t = 1000)]
    pub rows: usize,
    /// OCI-P sessions in the pool.
    #[arg(long, default_value_t = DEFAULT_POOL_SIZE)]
    pub pool: usize,
    /// Rows checked and built at once [default: pool × batch].
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Rows per OCI-P document (1..=15).
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u16).range(1..=15))]
    pub batch: u16,
    /// The embedded simulator answers every document this many milliseconds late (a WAN's
    /// round trip).
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub delay_ms: u64,
    /// A separate simulator holding the demo data (`ocigw sim`) instead of the embedded one;
    /// `--port`, `--user`, `--tls` as for `bulk create`. Its delay is its own `--delay-ms`.
    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// Runs a benchmark.
pub async fn run_command(command: BenchCommand) -> Result<ExitCode, String> {
    let args = match command {
        BenchCommand::Bulk(args) => args,
        BenchCommand::Rest(args) => return crate::cli::bench_rest::run(args).await,
    };
    let dir = std::env::temp_dir().join(format!("ocigw-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let sheet = dir.join("sheet.csv");
    let report = dir.join("report.json");
    write_sheet(&sheet, args.rows, std::process::id())
        .map_err(|e| format!("cannot write the sheet: {e}"))?;
    let oci_config = args.connect.load_config()?;
    let (simulator, options) = match args.connect.options(&oci_config.oci)? {
        Some(options) => (None, options),
        None => {
            let mut config = SimConfig::new(
                SocketAddr::from(([127, 0, 0, 1], 0)),
                Directory::from_data(&DataFile::demo())?,
            );
            if args.delay_ms > 0 {
                config.faults.delay_ms = Some(args.delay_ms);
            }
            let simulator = SimServer::start(config).await.map_err(|e| e.to_string())?;
            let options = embedded_options(simulator.addr().port(), Duration::from_secs(30));
            (Some(simulator), options)
        }
    };
    let batch = usize::from(args.batch);
    let pool = Arc::new(Pool::new(options, args.pool));
    pool.warm_up().await.map_err(|e| e.to_string())?;
    let (rows, _) = open_rows(&sheet)?;
    let mut writer = crate::cli::bulk::open_report(&report)?;
    let options = RunOptions {
        dry_run: false,
        concurrency: args.concurrency.unwrap_or(args.pool * batch),
        batch,
        gate: None,
        restricted: false,
    };
    let settings = HuntGroupSettings::from_config(&Default::default())?;
    let service = Arc::new(HuntGroups::new(pool.clone(), Arc::new(settings)));
    let summary = run(rows, service, options, |r| {
        let _ = writer.write(r);
    })
    .await;
    writer.finish(&summary).map_err(|e| e.to_string())?;
    pool.close().await;
    let (held, process) = match &simulator {
        Some(sim) => (
            sim.shared()
                .directory
                .lock()
                .map(|d| format!("; the simulator holds {} hunt groups", d.hunt_groups.len()))
                .unwrap_or_default(),
            "this process, simulator included",
        ),
        None => (String::new(), "this process"),
    };
    crate::cli::out::line(&format!(
        "bulk create: {} rows, {} created, {} failed in {:.3} s = {:.0} rows/s (sessions {}, batch {batch}, floor {} round trips){held}; peak RSS {} ({process})",
        summary.total,
        summary.succeeded,
        summary.failed,
        summary.seconds,
        summary.total as f64 / summary.seconds.max(1e-9),
        args.pool,
        summary.total.div_ceil(args.pool * batch),
        peak_rss().unwrap_or_else(|| "unknown".into()),
    ));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(if summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A sheet of `rows` hunt groups of the demo data's group, ids unique to `run`.
fn write_sheet(path: &std::path::Path, rows: usize, run: u32) -> std::io::Result<()> {
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.name,serviceInstanceProfile.callingLineIdLastName,serviceInstanceProfile.callingLineIdFirstName,policy,noAnswerNumberOfRings,agentUserId[0],agentUserId[1]")?;
    for i in 0..rows {
        writeln!(
            out,
            "hunt.group.create,ApioSpTest,ApioGrpTest,bench{run}.{i}@apiotest.example.com,Bench {i},Bench,Group,Circular,4,test.user4000@apiotest.example.com,anna.peeters@apiotest.example.com"
        )?;
    }
    out.flush()
}

/// Peak resident memory of this process (Linux), e.g. "23.4 MiB".
fn peak_rss() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(format!("{:.1} MiB", kb / 1024.0))
}
