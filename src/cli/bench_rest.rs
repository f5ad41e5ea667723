//! `ocigw bench rest`: what the gateway adds to a round trip. Starts a simulator and a gateway
//! over it (both in this process, over loopback), then times, in the same run, a sequential
//! REST GET of one hunt group through the gateway and the same GroupHuntGroupGetInstanceRequest20
//! sent by a minimal raw OCI-P client (one socket, a pre-encoded document, read to the end of the
//! answer) to the same simulator. Prints the median and p99 of each and their ratio; then the
//! same for the raw client sending the document the gateway sends for that GET (the group's hunt
//! group list with the GetInstance: the list decides membership), so what the gateway itself
//! adds can be told from what the list costs; and last the HTTP hop alone, a GET of `/health`
//! on the same connection, which the gateway answers without OCI-P: no gateway with a socket of
//! its own can answer faster than that hop plus the OCI-P round trip.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::api::auth::{Scope, Tokens};
use crate::api::server::{Gateway, GatewayOptions};
use crate::cli::connect::embedded_options;
use crate::ocip::auth::signed_password;
use crate::ocip::commands::{
    AuthenticationRequest, GroupHuntGroupGetInstanceListRequest,
    GroupHuntGroupGetInstanceRequest20, LoginRequest14sp4,
};
use crate::ocip::document::{encode_command, encode_document};
use crate::ocip::session::decode_response;
use crate::ocip::value::OciCommand;
use crate::ocip::Secret;
use crate::sim::data::DataFile;
use crate::sim::directory::Directory;
use crate::sim::server::{SimConfig, SimServer};

/// Evaluates `$once`, an expression that awaits one exchange and gives a `Result<_, String>`,
/// `$warm` times untimed, then `$count` times timed, one after the other: how long each timed
/// one took. (A macro: a closure lending the clients it borrows to each exchange's future
/// would not make a `Send` task.)
macro_rules! timed {
    ($warm:expr, $count:expr, $once:expr) => {{
        let (warm, count): (usize, usize) = ($warm, $count);
        let mut times = Vec::with_capacity(count);
        for i in 0..warm + count {
            let started = Instant::now();
            $once?;
            if i >= warm {
                times.push(started.elapsed());
            }
        }
        times
    }};
}

/// Options of `ocigw bench rest`.
#[derive(Debug, Args)]
pub struct RestBenchArgs {
    /// Requests timed on each path (after 10% more as warm-up).
    #[arg(long, default_value_t = 2000)]
    pub requests: usize,
    /// The simulator answers every document this many milliseconds late (a WAN's round trip):
    /// what users wait for is then the number of round trips.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub delay_ms: u64,
}

const TOKEN: &str = "bench-token-0001";
const SUID: &str = "bench.rest@apiotest.example.com";
/// The demo group the bench reads.
const TENANT: &str = "ApioSpTest";
const GROUP: &str = "ApioGrpTest";
const HUNT_GROUPS: &str = "/api/v1/tenants/ApioSpTest/groups/ApioGrpTest/services/hunt_groups";

/// Runs the benchmark and prints its lines. The timing client runs as a task on the runtime's
/// workers, as the gateway's and the simulator's tasks do, and as the criterion round trip is
/// timed: from `block_on`, on the calling thread, every answer would wake that thread from
/// another, adding some 40 µs to each path alike here, which hides what the gateway adds.
pub async fn run(args: RestBenchArgs) -> Result<ExitCode, String> {
    tokio::spawn(measure(args))
        .await
        .map_err(|e| format!("the benchmark task failed: {e}"))?
}

/// [`run`]'s body, on a worker.
async fn measure(args: RestBenchArgs) -> Result<ExitCode, String> {
    let directory = Directory::from_data(&DataFile::demo())?;
    let mut config = SimConfig::new(SocketAddr::from(([127, 0, 0, 1], 0)), directory);
    if args.delay_ms > 0 {
        config.faults.delay_ms = Some(args.delay_ms);
    }
    let simulator = SimServer::start(config).await.map_err(|e| e.to_string())?;
    let mut tokens = Tokens::default();
    tokens.add(TOKEN.to_owned(), Scope::System, "bench");
    let embedded = embedded_options(simulator.addr().port(), Duration::from_secs(30));
    let gateway = Gateway::start(GatewayOptions::on_loopback(embedded.clone(), tokens)?)
        .await
        .map_err(|e| e.to_string())?;

    let mut http = Http::connect(gateway.addr()).await?;
    let body = format!(
        r#"{{"serviceUserId":"{SUID}","serviceInstanceProfile":{{"name":"Bench"}},"agents":["test.user4000@apiotest.example.com"]}}"#
    );
    let (status, _) = http
        .request("POST", &format!("{HUNT_GROUPS}/"), Some(&body))
        .await?;
    if status != 201 {
        return Err(format!("creating the hunt group answered {status}"));
    }
    let path = format!("{HUNT_GROUPS}/{SUID}/");
    let warm = args.requests / 10 + 1;
    let mut rest = timed!(warm, args.requests, get_ok(&mut http, &path).await);
    let mut hop = timed!(warm, args.requests, get_ok(&mut http, "/health").await);

    // What the gateway sends for the GET: the group's hunt group list and the GetInstance.
    let list = GroupHuntGroupGetInstanceListRequest {
        service_provider_id: TENANT.to_owned(),
        group_id: GROUP.to_owned(),
        group_department_name: None,
    };
    let get = GroupHuntGroupGetInstanceRequest20 {
        service_user_id: SUID.to_owned(),
    };
    let mut raw = RawOci::login(simulator.addr()).await?;
    let get_alone = encode_command(&raw.session_id, &get);
    let mut oci = timed!(warm, args.requests, raw.exchange_in_place(&get_alone).await);
    let list_and_get = encode_document(&raw.session_id, |w| {
        list.write_command(w);
        get.write_command(w);
    });
    let mut same = timed!(
        warm,
        args.requests,
        raw.exchange_in_place(&list_and_get).await
    );
    // The gateway's document through a session of ocigw's own (the simulator does not check the
    // raw client's session id against the connection), as the pool sends it.
    let session = crate::ocip::Session::connect(&embedded)
        .await
        .map_err(|e| e.to_string())?;
    let mut session = timed!(
        warm,
        args.requests,
        session
            .call_document("bench", list_and_get.clone())
            .await
            .map_err(|e| e.to_string())
    );
    // The GET's two commands through a pool of one session, as the handler calls them:
    // encoded, sent in one document, both answers decoded.
    let pool = crate::ocip::Pool::new(embedded, 1);
    let mut pooled = timed!(warm, args.requests, {
        let (listed, got) = pool.call_two(&list, &get).await;
        listed.and(got).map_err(|e| e.to_string())
    });
    pool.close().await;
    gateway.shutdown().await;

    let (rest_median, rest_p99) = median_p99(&mut rest);
    let (oci_median, oci_p99) = median_p99(&mut oci);
    let (same_median, same_p99) = median_p99(&mut same);
    let (hop_median, hop_p99) = median_p99(&mut hop);
    let (session_median, session_p99) = median_p99(&mut session);
    let (pooled_median, pooled_p99) = median_p99(&mut pooled);
    crate::cli::out::line(&format!(
        "REST GET of a hunt group through the gateway: median {} µs, p99 {} µs; raw OCI-P GetInstance to the same simulator: median {} µs, p99 {} µs; ratio of medians {:.2} ({} requests each, sequential, one keep-alive connection, pool of 1, answers {} ms late)",
        rest_median.as_micros(),
        rest_p99.as_micros(),
        oci_median.as_micros(),
        oci_p99.as_micros(),
        rest_median.as_secs_f64() / oci_median.as_secs_f64().max(1e-9),
        args.requests,
        args.delay_ms,
    ));
    crate::cli::out::line(&format!(
        "raw OCI-P of the gateway's own document (hunt group list + GetInstance): median {} µs, p99 {} µs; REST GET / this: {:.2}",
        same_median.as_micros(),
        same_p99.as_micros(),
        rest_median.as_secs_f64() / same_median.as_secs_f64().max(1e-9),
    ));
    crate::cli::out::line(&format!(
        "the HTTP hop alone (GET /health on the same connection, no OCI-P): median {} µs, p99 {} µs; that hop plus the raw GetInstance, the floor for any gateway with its own socket: {} µs, ratio {:.2} to the raw GetInstance; the REST GET is {} µs above that floor",
        hop_median.as_micros(),
        hop_p99.as_micros(),
        (hop_median + oci_median).as_micros(),
        (hop_median + oci_median).as_secs_f64() / oci_median.as_secs_f64().max(1e-9),
        rest_median.saturating_sub(hop_median + oci_median).as_micros(),
    ));
    crate::cli::out::line(&format!(
        "the gateway's own document through ocigw's OCI-P session (what the GET's handler awaits): median {} µs, p99 {} µs, {} µs above the raw client's",
        session_median.as_micros(),
        session_p99.as_micros(),
        session_median.saturating_sub(same_median).as_micros(),
    ));
    crate::cli::out::line(&format!(
        "the same two commands through ocigw's pool, encoded and decoded (Pool::call_two, what the GET's handler calls): median {} µs, p99 {} µs; the REST GET is {} µs above this plus the HTTP hop (the handler's own work: the path, the token, the group's context, the JSON)",
        pooled_median.as_micros(),
        pooled_p99.as_micros(),
        rest_median.saturating_sub(hop_median + pooled_median).as_micros(),
    ));
    Ok(ExitCode::SUCCESS)
}

/// A GET of `path` that must answer 200.
async fn get_ok(http: &mut Http, path: &str) -> Result<(), String> {
    match http.request("GET", path, None).await? {
        (200, _) => Ok(()),
        (status, _) => Err(format!("GET {path} answered {status}")),
    }
}

fn median_p99(times: &mut [Duration]) -> (Duration, Duration) {
    times.sort_unstable();
    let at = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    (at(0.5), at(0.99))
}

/// A keep-alive HTTP/1.1 connection that reads answers with a Content-Length.
struct Http {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Http {
    async fn connect(addr: SocketAddr) -> Result<Self, String> {
        let stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("cannot connect to the gateway: {e}"))?;
        stream.set_nodelay(true).ok();
        Ok(Self {
            stream,
            buffer: Vec::with_capacity(16 * 1024),
        })
    }

    /// Sends one request; the status and the body.
    async fn request(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> Result<(u16, Vec<u8>), String> {
        let body = body.unwrap_or("");
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.stream
            .write_all(head.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        self.buffer.clear();
        loop {
            if let Some(end) = memchr::memmem::find(&self.buffer, b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&self.buffer[..end]).to_string();
                let status = head
                    .split_whitespace()
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .ok_or("an answer without a status")?;
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        let (name, value) = l.split_once(':')?;
                        name.eq_ignore_ascii_case("content-length")
                            .then(|| value.trim().parse().ok())?
                    })
                    .ok_or("an answer without a Content-Length")?;
                while self.buffer.len() < end + 4 + length {
                    self.read().await?;
                }
                return Ok((status, self.buffer[end + 4..end + 4 + length].to_vec()));
            }
            self.read().await?;
        }
    }

    async fn read(&mut self) -> Result<(), String> {
        let n = self
            .stream
            .read_buf(&mut self.buffer)
            .await
            .map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("the gateway closed the connection".into());
        }
        Ok(())
    }
}

/// A minimal OCI-P client: one socket, documents written as they are, answers read to the end
/// of their `</BroadsoftDocument>`.
struct RawOci {
    stream: TcpStream,
    session_id: String,
    buffer: Vec<u8>,
}

impl RawOci {
    async fn login(addr: SocketAddr) -> Result<Self, String> {
        let stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("cannot connect to the simulator: {e}"))?;
        stream.set_nodelay(true).ok();
        let mut raw = Self {
            stream,
            session_id: "bench-raw-session".to_owned(),
            buffer: Vec::with_capacity(16 * 1024),
        };
        let auth = AuthenticationRequest {
            user_id: "admin".into(),
        };
        let answer = raw
            .exchange(&encode_command(&raw.session_id, &auth))
            .await?;
        let nonce = decode_response::<AuthenticationRequest>(&answer)
            .map_err(|e| e.to_string())?
            .nonce;
        let login = LoginRequest14sp4 {
            user_id: "admin".into(),
            signed_password: Some(Secret::new(signed_password(&nonce, "admin"))),
            plain_text_password: None,
        };
        let answer = raw
            .exchange(&encode_command(&raw.session_id, &login))
            .await?;
        decode_response::<LoginRequest14sp4>(&answer).map_err(|e| e.to_string())?;
        Ok(raw)
    }

    /// Writes one document and reads its answer, straight into the client's buffer.
    async fn exchange(&mut self, document: &[u8]) -> Result<Vec<u8>, String> {
        let end = self.exchange_in_place(document).await?;
        Ok(self.buffer[..end].to_vec())
    }

    /// Writes one document and reads its answer into the buffer: where the answer ends.
    async fn exchange_in_place(&mut self, document: &[u8]) -> Result<usize, String> {
        const END: &[u8] = b"</BroadsoftDocument>";
        self.stream
            .write_all(document)
            .await
            .map_err(|e| e.to_string())?;
        self.buffer.clear();
        loop {
            let scanned = self.buffer.len().saturating_sub(END.len());
            let n = self
                .stream
                .read_buf(&mut self.buffer)
                .await
                .map_err(|e| e.to_string())?;
            if n == 0 {
                return Err("the simulator closed the connection".into());
            }
            if let Some(end) = memchr::memmem::find(&self.buffer[scanned..], END) {
                return Ok(scanned + end + END.len());
            }
        }
    }
}
