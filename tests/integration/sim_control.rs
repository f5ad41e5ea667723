//! The simulator's control API (`ocigw sim --control`): each call changes what the next OCI-P
//! request sees — reset, another directory, the journal of received commands, faults.

use serde_json::json;

use crate::common::{
    command_types, crate_path, demo_directory, error_summary, loopback, raw_login, run_ocigw,
    start_sim_with, Raw,
};
use crate::http::{request, request_with_type};
use crate::lifecycle::add_request;
use ocigw::ocip::commands::*;
use ocigw::ocip::session::decode_response;
use ocigw::sim::{SimConfig, SimServer};

async fn controlled_sim() -> SimServer {
    let mut config = SimConfig::new(loopback(), demo_directory());
    config.control = Some(loopback());
    start_sim_with(config).await
}

fn get(suid: &str) -> GroupHuntGroupGetInstanceRequest20 {
    GroupHuntGroupGetInstanceRequest20 {
        service_user_id: suid.into(),
    }
}

#[tokio::test]
async fn health_reset_and_the_journal_change_what_the_next_request_sees() {
    let sim = controlled_sim().await;
    let control = sim.control_addr().unwrap();
    let health = request(control, "GET", "/health", None, None).await;
    assert_eq!(health.status, 200);
    let health = health.json();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["oci_address"], sim.addr().to_string());
    assert_eq!(health["connections_open"], 0);

    let mut raw = Raw::connect(sim.addr()).await;
    raw_login(&mut raw).await;
    let suid = "controlled@apiotest.example.com";
    assert_eq!(
        command_types(&raw.call(&add_request(suid, "Controlled", &[])).await),
        ["SuccessResponse"]
    );
    assert_eq!(
        command_types(&raw.call(&get(suid)).await),
        ["GroupHuntGroupGetInstanceResponse20"]
    );

    let health = request(control, "GET", "/health", None, None).await.json();
    assert_eq!(health["connections_open"], 1);
    assert_eq!(health["commands_seen"], 4);

    let journal = request(control, "GET", "/commands", None, None)
        .await
        .json();
    let commands: Vec<(String, String, String)> = journal["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["connection"], 1);
            assert!(c["unix_ms"].as_u64().unwrap() > 1_700_000_000_000);
            (
                c["command"].as_str().unwrap().to_owned(),
                c["answer"].as_str().unwrap().to_owned(),
                c["session"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let entry = |c: &str, a: &str| (c.to_owned(), a.to_owned(), "raw-session".to_owned());
    assert_eq!(
        commands,
        [
            entry("AuthenticationRequest", "AuthenticationResponse"),
            entry("LoginRequest14sp4", "LoginResponse14sp4"),
            entry("GroupHuntGroupAddInstanceRequest20", "SuccessResponse"),
            entry(
                "GroupHuntGroupGetInstanceRequest20",
                "GroupHuntGroupGetInstanceResponse20"
            ),
        ]
    );
    let after = request(control, "GET", "/commands?after=3", None, None)
        .await
        .json();
    assert_eq!(after["commands"].as_array().unwrap().len(), 1);
    assert_eq!(after["commands"][0]["seq"], 4);

    // Reset: the hunt group created over OCI-P is gone for the next request, and the journal
    // starts again with it.
    let reset = request(control, "POST", "/reset", None, None).await;
    assert_eq!(reset.status, 200);
    assert_eq!(reset.json()["directory"]["hunt_groups"], 0);
    let answer = raw.call(&get(suid)).await;
    assert_eq!(
        error_summary(&answer),
        format!("[Error 4008] User not found: {suid}")
    );
    let journal = request(control, "GET", "/commands", None, None)
        .await
        .json();
    assert_eq!(journal["commands"].as_array().unwrap().len(), 1);
    assert_eq!(
        journal["commands"][0]["seq"], 5,
        "numbers go on after a reset"
    );
    assert_eq!(journal["commands"][0]["answer"], "ErrorResponse");
    assert_eq!(
        journal["commands"][0]["error"],
        format!("[Error 4008] User not found: {suid}")
    );
    let cleared = request(control, "DELETE", "/commands", None, None).await;
    assert_eq!(cleared.status, 204);
    let journal = request(control, "GET", "/commands", None, None)
        .await
        .json();
    assert_eq!(journal["commands"], json!([]));
}

#[tokio::test]
async fn another_directory_is_what_the_next_request_and_the_next_reset_see() {
    let sim = controlled_sim().await;
    let control = sim.control_addr().unwrap();
    let mut raw = Raw::connect(sim.addr()).await;
    raw_login(&mut raw).await;

    let toml = std::fs::read(crate_path("fixtures/sim/spec-examples.toml")).unwrap();
    let loaded = request_with_type(
        control,
        "PUT",
        "/directory",
        None,
        "application/toml",
        Some(&toml),
    )
    .await;
    assert_eq!(
        loaded.status,
        200,
        "{}",
        String::from_utf8_lossy(&loaded.body)
    );
    assert_eq!(loaded.json()["groups"], 2);
    let groups = GroupGetListInServiceProviderRequest {
        service_provider_id: "MyServiceProvider".into(),
        ..Default::default()
    };
    let answer =
        decode_response::<GroupGetListInServiceProviderRequest>(&raw.call(&groups).await).unwrap();
    let ids: Vec<String> = answer
        .group_table
        .typed::<GroupListRow>()
        .map(|r| r.group_id)
        .collect();
    assert_eq!(ids, ["SalesGroup", "SupportGroup"]);
    // The demo data is gone...
    let demo = GroupGetListInServiceProviderRequest {
        service_provider_id: "ApioSpTest".into(),
        ..Default::default()
    };
    assert_eq!(
        error_summary(&raw.call(&demo).await),
        "[Error 4100] Service Provider not found: ApioSpTest"
    );
    // ...and a reset returns to the loaded directory, not to the demo.
    request(control, "POST", "/reset", None, None).await;
    assert_eq!(
        decode_response::<GroupGetListInServiceProviderRequest>(&raw.call(&groups).await)
            .unwrap()
            .group_table
            .row_count(),
        2
    );
    // A new connection still logs in as admin.
    let mut second = Raw::connect(sim.addr()).await;
    raw_login(&mut second).await;

    let bad = request_with_type(
        control,
        "PUT",
        "/directory",
        None,
        "application/toml",
        Some(b"[[groups]]\nid = \"G\"\nservice_provider = \"Nobody\"\ndomain = \"x.com\"\n"),
    )
    .await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.json()["error"],
        "group G: unknown service provider Nobody"
    );
    // A refused file changes nothing.
    assert_eq!(
        request(control, "GET", "/directory", None, None)
            .await
            .json()["groups"],
        2
    );
}

#[tokio::test]
async fn faults_changed_at_run_time_apply_to_the_next_request() {
    let sim = controlled_sim().await;
    let control = sim.control_addr().unwrap();
    let mut raw = Raw::connect(sim.addr()).await;
    raw_login(&mut raw).await;

    let set = request(
        control,
        "PUT",
        "/faults",
        None,
        Some(br#"{"refuse_logins_seconds": 60}"#),
    )
    .await;
    assert_eq!(set.status, 200);
    assert_eq!(set.json()["refuse_logins_seconds"], 60);
    let mut refused = Raw::connect(sim.addr()).await;
    let answer = refused
        .call(&LoginRequest14sp4 {
            user_id: "admin".into(),
            signed_password: Some(ocigw::ocip::Secret::new("0".repeat(32))),
            plain_text_password: None,
        })
        .await;
    assert_eq!(
        error_summary(&answer),
        "[Error 4966] Login refused: the server does not accept logins at the moment"
    );
    assert_eq!(
        request(control, "GET", "/faults", None, None).await.json()["refuse_logins_seconds"],
        60
    );

    // Drop every document: the logged-in connection is closed at its next request.
    request(
        control,
        "PUT",
        "/faults",
        None,
        Some(br#"{"drop_probability": 1.0}"#),
    )
    .await;
    raw.send(&ocigw::ocip::document::encode_command(
        "raw-session",
        &get("x@apiotest.example.com"),
    ))
    .await;
    assert!(raw.recv().await.is_none(), "the connection was dropped");

    // Cleared: a new connection logs in and is answered.
    let cleared = request(control, "DELETE", "/faults", None, None).await;
    assert_eq!(cleared.status, 200);
    let mut fresh = Raw::connect(sim.addr()).await;
    raw_login(&mut fresh).await;
    assert_eq!(
        command_types(&fresh.call(&get("x@apiotest.example.com")).await),
        ["ErrorResponse"]
    );

    let bad = request(
        control,
        "PUT",
        "/faults",
        None,
        Some(br#"{"drop_probability": 2}"#),
    )
    .await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.json()["error"],
        "drop_probability: 2 is not a probability between 0 and 1"
    );
    let unknown = request(control, "PUT", "/faults", None, Some(br#"{"dropp": 1}"#)).await;
    assert_eq!(unknown.status, 400);
    assert!(
        unknown.json()["error"]
            .as_str()
            .unwrap()
            .contains("unknown field `dropp`"),
        "{}",
        String::from_utf8_lossy(&unknown.body)
    );
}

/// `ocigw sim --control 0 --answers DIR` from the command line: both addresses announced, the
/// control API up with the recordings loaded.
#[tokio::test]
async fn the_command_line_starts_the_control_api_with_the_recordings() {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_ocigw"))
        .args([
            "sim",
            "--listen",
            "127.0.0.1:0",
            "--control",
            "0",
            "--answers",
        ])
        .arg(crate_path("fixtures/answers/lab"))
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stderr));
    let mut control = None;
    let mut said = Vec::new();
    while control.is_none() {
        let line = tokio::time::timeout(std::time::Duration::from_secs(10), lines.next_line())
            .await
            .expect("the simulator announces itself")
            .unwrap()
            .expect("stderr open");
        if let Some(rest) = line.strip_prefix("control API on http://") {
            control = rest
                .split(' ')
                .next()
                .map(|a| a.parse::<std::net::SocketAddr>().unwrap());
        }
        said.push(line);
    }
    assert!(
        said.iter()
            .any(|l| l == "answers from recordings: 4 recorded answers, for commands the simulator does not implement"),
        "{said:?}"
    );
    let health = request(control.unwrap(), "GET", "/health", None, None)
        .await
        .json();
    assert_eq!(health["recorded_answers"], 4);
    assert_eq!(health["answers_first"], false);
    let _ = child.kill().await;

    let refused = run_ocigw(&["sim", "--answers-first"], None).await;
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--answers <DIR>"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}
