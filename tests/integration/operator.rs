//! What an operator runs: the example configuration, tokens from the environment, the demo
//! directory from an installed binary.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

use crate::common::{crate_path, run_ocigw, start_sim};
use ocigw::config::Config;
use ocigw::service::settings::HuntGroupSettings;

#[test]
fn the_example_configuration_loads_as_it_is() {
    let config = Config::load(&crate_path("ocigw.example.toml")).expect("the example loads");
    assert_eq!(config.oci.host.as_deref(), Some("bw.lab.example.com"));
    assert_eq!(config.oci.pool_size, Some(4));
    assert_eq!(config.api.bulk_max_rows, Some(100_000));
    assert_eq!(config.api.cors_origins, ["https://portal.example.com"]);
    let scopes: Vec<(Option<&str>, Option<&str>)> = config
        .api
        .tokens
        .iter()
        .map(|t| (t.tenant.as_deref(), t.group.as_deref()))
        .collect();
    assert_eq!(
        scopes,
        [
            (None, None),
            (Some("ApioSpTest"), None),
            (Some("ApioSpTest"), Some("ApioGrpTest"))
        ]
    );
    assert_eq!(config.templates["sales"]["policy"], "Circular");
    let settings = HuntGroupSettings::from_config(&config).expect("its settings are valid");
    assert_eq!(settings.templates["sales"]["noAnswerNumberOfRings"], 3);
    assert_eq!(
        settings.templates["sales"]["huntAfterNoAnswer"], true,
        "templates apply over basic"
    );
}

#[tokio::test]
async fn the_demo_directory_is_printed_by_the_binary() {
    let out = run_ocigw(&["sim", "--print-demo-data"], None).await;
    assert!(out.status.success());
    let file = std::fs::read(crate_path("fixtures/sim/demo.toml")).unwrap();
    assert_eq!(out.stdout, file);
}

/// A running `ocigw serve --host` in front of `sim`, its API tokens from OCIGW_API_TOKENS: the
/// child, the address it listens on (read from its banner) and the rest of its stderr.
struct Served {
    child: tokio::process::Child,
    addr: std::net::SocketAddr,
    stderr: tokio::io::Lines<BufReader<tokio::process::ChildStderr>>,
}

async fn serve(sim: &ocigw::sim::SimServer, tokens: &str) -> Served {
    let port = sim.addr().port().to_string();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_ocigw"))
        .args([
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--user",
            "admin",
            "--listen",
            "127.0.0.1:0",
        ])
        .env("OCIGW_OCI_PASSWORD", "admin")
        .env("OCIGW_API_TOKENS", tokens)
        .env_remove("OCIGW_API_TOKENS_FILE")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("ocigw serve starts");
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(line) = stderr.next_line().await.unwrap() {
            if let Some(url) = line.strip_prefix("ocigw gateway listening on http://") {
                return url.trim().parse().unwrap();
            }
        }
        panic!("serve ended without listening");
    })
    .await
    .expect("serve listens");
    Served {
        child,
        addr,
        stderr,
    }
}

/// `serve --host` with its tokens in OCIGW_API_TOKENS: no config file needed, and each token
/// keeps its scope.
#[tokio::test]
async fn serve_takes_its_tokens_from_the_environment() {
    let sim = start_sim().await;
    let mut served = serve(
        &sim,
        "env-system-0001, env-group-0001 ApioSpTest ApioGrpTest2",
    )
    .await;
    let addr = served.addr;
    let path = "/api/v1/tenants/ApioSpTest/groups/ApioGrpTest/services/hunt_groups/";
    let system = crate::http::request(addr, "GET", path, Some("env-system-0001"), None).await;
    assert_eq!(system.status, 200);
    let group = crate::http::request(addr, "GET", path, Some("env-group-0001"), None).await;
    assert_eq!(group.status, 403, "a group token outside its group");
    let none = crate::http::request(addr, "GET", path, Some("not-a-token-01"), None).await;
    assert_eq!(none.status, 401);
    served.child.kill().await.ok();
}

#[tokio::test]
async fn serve_without_any_token_says_where_tokens_go() {
    let sim = start_sim().await;
    let port = sim.addr().port().to_string();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_ocigw"))
        .args([
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--user",
            "admin",
        ])
        .env("OCIGW_OCI_PASSWORD", "admin")
        .env_remove("OCIGW_API_TOKENS")
        .env_remove("OCIGW_API_TOKENS_FILE")
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("OCIGW_API_TOKENS"), "{stderr}");
}

#[tokio::test]
async fn the_oci_send_example_works_from_the_repository_root() {
    let help = run_ocigw(&["oci", "send", "--help"], None).await;
    let help = String::from_utf8_lossy(&help.stdout).to_string();
    let example = help
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("ocigw oci send fixtures/"))
        .expect("an example with a fixture file");
    let file = example.trim_start_matches("ocigw oci send ").trim();
    let out = run_ocigw(&["oci", "send", file], None).await;
    assert_eq!(out.status.code(), Some(0), "{example}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("xsi:type=\"GroupHuntGroupGetInstanceListResponse\""),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("embedded OCI-P simulator"), "{stderr}");
}

#[tokio::test]
async fn bulk_without_a_host_says_it_used_the_embedded_simulator() {
    let sheet = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("operator-bulk.csv");
    std::fs::write(
        &sheet,
        "operation,serviceProviderId,groupId,serviceUserId,serviceInstanceProfile.name,agentUserId[1]\nhunt.group.create,ApioSpTest,ApioGrpTest,op.bulk,Op,test.user4000@apiotest.example.com\n",
    )
    .unwrap();
    let out = run_ocigw(
        &["bulk", "create", sheet.to_str().unwrap(), "--dry-run"],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no --host given: running against the embedded OCI-P simulator"),
        "{stderr}"
    );
}

#[tokio::test]
async fn replay_reports_a_refused_login_as_such() {
    let sim = start_sim().await;
    let port = sim.addr().port().to_string();
    let out = run_ocigw(
        &[
            "replay",
            "fixtures/replay",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--user",
            "admin",
        ],
        Some("not-the-password"),
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot log in to 127.0.0.1") && stderr.contains("4962"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "no exchange was replayed");
}

/// `ocigw replay … --json | head -c1`: the reader goes away after one byte; the program ends
/// with its own status, without a panic.
#[tokio::test]
async fn a_closed_stdout_ends_the_output_quietly() {
    use tokio::io::AsyncReadExt;
    // Enough sets that the report outgrows the pipe's buffer, so writing meets the closed pipe.
    let sets = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("many-replay-sets");
    let _ = std::fs::remove_dir_all(&sets);
    for i in 0..500 {
        let dir = sets.join(format!("set{i:03}"));
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(crate_path("fixtures/replay/setup")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
    }
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_ocigw"))
        .args(["replay", sets.to_str().unwrap(), "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).await.unwrap();
    drop(stdout);
    let out = child.wait_with_output().await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}", out.status);
}

/// Logs to a file or a pipe carry no colour codes; `--log-format json` writes one JSON object
/// per log line.
#[tokio::test]
async fn logs_are_plain_off_a_terminal_and_json_on_request() {
    let file = "fixtures/oci/hunt-group-lifecycle/05-GroupHuntGroupGetInstanceListRequest.xml";
    let text = run_ocigw(&["oci", "send", file, "--log", "debug"], None).await;
    let text = String::from_utf8_lossy(&text.stderr).to_string();
    assert!(text.contains(" INFO ocigw::"), "{text}");
    assert!(!text.contains('\u{1b}'), "no ANSI escapes: {text:?}");
    let json = run_ocigw(
        &[
            "oci",
            "send",
            file,
            "--log",
            "debug",
            "--log-format",
            "json",
        ],
        None,
    )
    .await;
    assert_eq!(json.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&json.stderr).to_string();
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("a log line is one JSON object"))
        .collect();
    assert!(lines.len() >= 2, "{stderr}");
    assert!(lines
        .iter()
        .all(|l| l["level"].is_string() && l["target"].is_string()));
    assert!(lines
        .iter()
        .any(|l| l["fields"]["message"] == "simulator: login accepted"));
}

/// SIGTERM (as a service manager stops it): the request in flight is finished, the sessions
/// log out, and `serve` exits with status 0.
#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_and_exits_cleanly() {
    let mut config =
        ocigw::sim::SimConfig::new(crate::common::loopback(), crate::common::demo_directory());
    config.faults.delay_ms = Some(300);
    let sim = crate::common::start_sim_with(config).await;
    let Served {
        mut child,
        addr,
        stderr: mut lines,
    } = serve(&sim, "term-token-0001").await;
    let path = "/api/v1/tenants/ApioSpTest/groups/ApioGrpTest/services/hunt_groups/";
    let in_flight = tokio::spawn(async move {
        crate::http::request(addr, "GET", path, Some("term-token-0001"), None).await
    });
    // The GET waits on the simulator (answers 300 ms late) when the signal comes.
    tokio::time::sleep(Duration::from_millis(150)).await;
    let pid = child.id().unwrap().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let answer = in_flight.await.unwrap();
    assert_eq!(answer.status, 200, "the request in flight was finished");
    let status = child.wait().await.unwrap();
    assert_eq!(status.code(), Some(0));
    let mut rest = String::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        rest.push_str(&line);
        rest.push('\n');
    }
    assert!(rest.contains("shutting down"), "{rest}");
    assert!(rest.contains("OCI-P session logged out"), "{rest}");
}

#[tokio::test]
async fn completions_for_bash_zsh_and_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let out = run_ocigw(&["completions", shell], None).await;
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout).to_string();
        for word in ["serve", "bulk", "replay", "log-format"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
        if shell == "bash" {
            let file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ocigw.bash");
            std::fs::write(&file, &out.stdout).unwrap();
            let syntax = std::process::Command::new("bash")
                .arg("-n")
                .arg(&file)
                .status()
                .unwrap();
            assert!(syntax.success(), "the bash script parses");
        }
    }
}

/// `[api] cors_origins`: a portal on a configured origin may call the API from its pages
/// (preflight and answers carry the CORS headers); any other origin, and every origin when
/// none is configured, gets none.
#[tokio::test]
async fn cors_only_for_the_configured_origins() {
    use crate::http::request_with_headers;
    const PORTAL: &str = "https://portal.example.com";
    let mut config = Config::default();
    config.api.cors_origins = vec![PORTAL.to_owned()];
    let gw = crate::common::TestGateway::start_with(crate::common::demo_directory(), config).await;
    let addr = gw.gateway.addr();
    let path = "/api/v1/tenants/ApioSpTest/groups/ApioGrpTest/services/hunt_groups/";
    let preflight = |origin: &'static str| async move {
        let headers = [
            ("Origin", origin),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "authorization"),
        ];
        request_with_headers(
            addr,
            "OPTIONS",
            path,
            None,
            &headers,
            "application/json",
            None,
        )
        .await
    };
    let allowed = preflight(PORTAL).await;
    assert_eq!(allowed.status, 200);
    assert_eq!(allowed.header("access-control-allow-origin"), Some(PORTAL));
    assert!(allowed
        .header("access-control-allow-headers")
        .is_some_and(|h| h.contains("authorization")));
    // An authorised GET from the portal's page.
    let get_from_portal = |addr| {
        request_with_headers(
            addr,
            "GET",
            path,
            Some(crate::common::SYSTEM_TOKEN),
            &[("Origin", PORTAL)],
            "application/json",
            None,
        )
    };
    let get = get_from_portal(addr).await;
    assert_eq!(get.status, 200);
    assert_eq!(get.header("access-control-allow-origin"), Some(PORTAL));
    let other = preflight("https://evil.example.net").await;
    assert_eq!(other.header("access-control-allow-origin"), None);

    let plain = crate::common::TestGateway::start().await;
    let get = get_from_portal(plain.gateway.addr()).await;
    assert_eq!(get.status, 200);
    assert_eq!(
        get.header("access-control-allow-origin"),
        None,
        "none by default"
    );
}

#[tokio::test]
async fn a_log_filter_that_is_not_one_is_refused() {
    let out = crate::common::run_ocigw(
        &[
            "--log",
            "ocigw=verbose",
            "schema",
            "diff",
            "embedded",
            "embedded",
        ],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: --log (or OCIGW_LOG) 'ocigw=verbose' is not a log filter"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing ran");
    let out = crate::common::run_ocigw(
        &[
            "--log",
            "ocigw=debug",
            "schema",
            "diff",
            "embedded",
            "embedded",
        ],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(0));
}
