//! Recording a REST session and replaying it: all same against a fresh simulator; one changed
//! field reported exactly; no password in any form on disk; a broken folder never breaks the
//! gateway.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use crate::common::{demo_directory, loopback, start_sim_with, HG, SYSTEM_TOKEN};
use crate::http::request;
use ocigw::api::server::Gateway;
use ocigw::ocip::auth::sha1_hex;
use ocigw::ocip::record::Recorder;
use ocigw::ocip::{ConnectOptions, Secret};
use ocigw::sim::{SimConfig, SimServer};

const PASSWORD: &str = "Rec0rder-S3cret";
const VOICE_PASSWORD: &str = "Hunt!2026";

fn fresh_dir(name: &str) -> PathBuf {
    let dir = crate::common::scratch_path("record-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

pub async fn recording_gateway(dir: &Path) -> (Gateway, SimServer, Arc<Recorder>) {
    let mut directory = demo_directory();
    directory
        .admins
        .insert("recorder".into(), Secret::new(PASSWORD));
    let sim = start_sim_with(SimConfig::new(loopback(), directory)).await;
    let recorder = Arc::new(Recorder::start(dir).expect("recorder starts"));
    let mut oci = ConnectOptions::new(
        "127.0.0.1",
        sim.addr().port(),
        "recorder",
        Secret::new(PASSWORD),
    );
    oci.recorder = Some(recorder.clone());
    let gateway = Gateway::start(crate::common::system_gateway_options(oci))
        .await
        .unwrap();
    (gateway, sim, recorder)
}

pub async fn rest_session(gateway: &Gateway) {
    let addr = gateway.addr();
    let call = |method: &'static str, path: String, body: Option<serde_json::Value>| async move {
        let bytes = body.map(|b| serde_json::to_vec(&b).unwrap());
        let r = request(addr, method, &path, Some(SYSTEM_TOKEN), bytes.as_deref()).await;
        assert!(
            r.status < 300,
            "{method} {path}: {} {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
    };
    let suid = "recorded@apiotest.example.com";
    call("POST", format!("{HG}/"), Some(json!({
        "serviceUserId": suid,
        "serviceInstanceProfile": {"name": "Recorded", "password": VOICE_PASSWORD, "phoneNumber": "+3225126718"},
        "agents": ["test.user4000@apiotest.example.com", "anna.peeters@apiotest.example.com"]
    }))).await;
    call("GET", format!("{HG}/{suid}/"), None).await;
    call(
        "PUT",
        format!("{HG}/{suid}/"),
        Some(json!({"serviceInstanceProfile": {"language": "French"}, "active": false})),
    )
    .await;
    call(
        "PUT",
        format!("{HG}/{suid}/weighted_distribution/"),
        Some(json!({"agents": [{"userId": "anna.peeters@apiotest.example.com", "weight": 100}]})),
    )
    .await;
    call(
        "GET",
        format!("{HG}/users/available/?sameGroupOnly=true"),
        None,
    )
    .await;
    call("DELETE", format!("{HG}/{suid}/"), None).await;
    call("GET", format!("{HG}/"), None).await;
}

async fn ocigw(args: &[&str]) -> std::process::Output {
    crate::common::run_ocigw(args, None).await
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn a_recorded_rest_session_replays_the_same_and_holds_no_password() {
    let dir = fresh_dir("session");
    let (gateway, _sim, recorder) = recording_gateway(&dir).await;
    rest_session(&gateway).await;
    gateway.shutdown().await;
    recorder.flush(Duration::from_secs(5));
    let recorded = files(&dir);
    // One file per document: the login, the software version the gateway asks once, the group
    // (with its departments), then each REST
    // call's round trips, a write's read-back in the write's own document.
    let commands: Vec<String> = recorded
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name[7..name.len() - 4].to_owned()
        })
        .collect();
    assert_eq!(
        commands,
        [
            "AuthenticationRequest",
            "LoginRequest14sp4",
            "SystemSoftwareVersionGetRequest",
            "GroupGetRequest22V5",
            "GroupHuntGroupAddInstanceRequest20",
            "GroupHuntGroupGetInstanceListRequest",
            "GroupHuntGroupGetInstanceListRequest",
            "GroupHuntGroupModifyInstanceRequest",
            "GroupHuntGroupModifyActiveInstanceListRequest",
            "GroupHuntGroupGetInstanceListRequest",
            "GroupHuntGroupModifyInstanceWeightedCallDistributionRequest",
            "GroupHuntGroupGetAvailableUserListRequest",
            "GroupHuntGroupGetInstanceListRequest",
            "GroupHuntGroupDeleteInstanceRequest",
            "GroupHuntGroupGetInstanceListRequest",
        ],
        "{recorded:?}"
    );
    let first = std::fs::read_to_string(&recorded[0]).unwrap();
    assert!(
        recorded[0].ends_with("000001-AuthenticationRequest.xml"),
        "{recorded:?}"
    );
    assert!(first.contains("<userId>{{user}}</userId>"), "{first}");
    let add = recorded
        .iter()
        .find(|p| {
            p.to_string_lossy()
                .contains("GroupHuntGroupAddInstanceRequest20")
        })
        .unwrap();
    let add = std::fs::read_to_string(add).unwrap();
    assert!(add.contains("<!-- ocigw recording: elapsed_ms=\""), "{add}");
    let request_id = add
        .split("request_id=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert_eq!(
        request_id.len(),
        16,
        "the REST request id is recorded: {add}"
    );

    // No password in any form: plain, SHA-1, and no signed password (32 hex digits) at all.
    let sha1 = sha1_hex(PASSWORD);
    for path in &recorded {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        for secret in [PASSWORD, sha1.as_str(), VOICE_PASSWORD] {
            assert!(!text.contains(secret), "{} holds a secret", path.display());
        }
        assert!(
            !has_hex_run(&text, 32),
            "{} holds something like a signed password",
            path.display()
        );
    }

    // Replayed against a fresh simulator (the demo admin logs in): every answer is the same.
    let out = ocigw(&["replay", dir.to_str().unwrap()]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let total = recorded.len();
    assert!(
        stdout.contains(&format!(
            "{total} exchanges: {total} same, 0 different, 0 failed"
        )),
        "{stdout}"
    );

    // One field changed in a recorded answer: exactly that difference, and a failing exit.
    // A GET's exchange: the group's list and the Get in one document, whose request names no
    // hunt group name (so the change leaves every later exchange alone).
    let get = recorded
        .iter()
        .find(|p| {
            p.to_string_lossy()
                .contains("GroupHuntGroupGetInstanceListRequest")
                && std::fs::read_to_string(p)
                    .unwrap()
                    .contains("<name>Recorded</name>")
        })
        .unwrap();
    let bytes = std::fs::read(get).unwrap();
    let changed =
        ocigw::fixture::replace_bytes(&bytes, b"<name>Recorded</name>", b"<name>Renamed</name>");
    assert_ne!(bytes, changed);
    std::fs::write(get, changed).unwrap();
    let out = ocigw(&["replay", dir.to_str().unwrap(), "--json"]).await;
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let different: Vec<&serde_json::Value> = report["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["outcome"] != "same")
        .collect();
    assert_eq!(different.len(), 1, "{report}");
    assert_eq!(different[0]["outcome"], "different");
    assert_eq!(
        different[0]["differences"],
        json!(["/BroadsoftDocument/command[2]/serviceInstanceProfile/name: 'Recorded' instead of 'Renamed'"])
    );
    // --update takes the new answer back.
    let out = ocigw(&["replay", dir.to_str().unwrap(), "--update"]).await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "the run that updates still reports the difference"
    );
    assert_eq!(
        ocigw(&["replay", dir.to_str().unwrap()])
            .await
            .status
            .code(),
        Some(0)
    );
}

fn has_hex_run(text: &str, len: usize) -> bool {
    let mut run = 0;
    for c in text.chars() {
        if c.is_ascii_hexdigit() && !c.is_ascii_uppercase() {
            run += 1;
            if run >= len {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

#[tokio::test]
async fn a_broken_recording_folder_stops_recording_not_the_gateway() {
    let dir = fresh_dir("broken");
    let (gateway, _sim, recorder) = recording_gateway(&dir).await;
    // The logins are written in the background: let them land before the folder goes.
    recorder.flush(Duration::from_secs(2));
    std::fs::remove_dir_all(&dir).unwrap();
    for _ in 0..3 {
        let r = request(gateway.addr(), "GET", HG, Some(SYSTEM_TOKEN), None).await;
        assert_eq!(r.status, 200);
    }
    recorder.flush(Duration::from_secs(2));
    assert!(recorder.stopped());
    let r = request(gateway.addr(), "GET", HG, Some(SYSTEM_TOKEN), None).await;
    assert_eq!(r.status, 200, "requests keep flowing");
    assert!(!dir.exists(), "nothing recreated the folder");
}

#[tokio::test]
async fn variables_let_a_set_run_twice_and_setup_seeds_the_simulator() {
    // Twice against the same simulator: no clash thanks to {{run_id}}.
    let sim = start_sim_with(SimConfig::new(loopback(), demo_directory())).await;
    let port = sim.addr().port().to_string();
    let set = crate::common::crate_path("fixtures/replay/variables");
    for _ in 0..2 {
        let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_ocigw"))
            .args([
                "replay",
                set.to_str().unwrap(),
                "--host",
                "127.0.0.1",
                "--port",
                &port,
                "--user",
                "admin",
            ])
            .env("OCIGW_OCI_PASSWORD", "admin")
            .output()
            .await
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    assert_eq!(sim.shared().directory.lock().unwrap().hunt_groups.len(), 2);
    // The setup set runs on a simulator seeded with its own directory.
    let out = ocigw(&[
        "replay",
        crate::common::crate_path("fixtures/replay/setup")
            .to_str()
            .unwrap(),
    ])
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[tokio::test]
async fn a_hostile_request_id_never_reaches_the_log_or_the_recording() {
    let dir = fresh_dir("hostile-request-id");
    let (gateway, _sim, recorder) = recording_gateway(&dir).await;
    let addr = gateway.addr();
    let smuggled = "x--><BroadsoftDocument protocol=\"OCI\" xmlns=\"C\"><sessionId>s</sessionId><command xsi:type=\"LogoutRequest\"/></BroadsoftDocument><!--";
    let long = "a".repeat(60_000);
    for id in [smuggled, long.as_str(), "two--dashes", "tab\there"] {
        let r = crate::http::request_with_headers(
            addr,
            "GET",
            &format!("{HG}/"),
            Some(SYSTEM_TOKEN),
            &[("x-request-id", id)],
            "application/json",
            None,
        )
        .await;
        assert_eq!(r.status, 200);
        let echoed = r.header("x-request-id").unwrap_or_default().to_owned();
        assert_eq!(echoed.len(), 16, "a generated id replaces {:.40}", id);
        assert!(echoed.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    let kept = crate::http::request_with_headers(
        addr,
        "GET",
        &format!("{HG}/"),
        Some(SYSTEM_TOKEN),
        &[("x-request-id", "portal:req-42")],
        "application/json",
        None,
    )
    .await;
    assert_eq!(kept.header("x-request-id"), Some("portal:req-42"));
    gateway.shutdown().await;
    recorder.flush(Duration::from_secs(5));
    let mut documents = 0;
    for file in files(&dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains("LogoutRequest"), "{}", file.display());
        assert!(!text.contains(&long), "{}", file.display());
        documents += ocigw::fixture::split_documents(text.as_bytes())
            .unwrap()
            .len();
    }
    assert!(documents >= 10, "{documents}");
    assert!(files(&dir).iter().any(|f| std::fs::read_to_string(f)
        .unwrap()
        .contains("request_id=\"portal:req-42\"")));
    assert!(ocigw::replay::load(&dir).is_ok());
}
