//! `ocigw sim --answers`: recordings served back. A REST session recorded through the gateway
//! is served byte for byte; a command the simulator does not implement is answered from a
//! recording; a request recorded several times gets its answers in recorded order; an unmatched
//! request gets an ErrorResponse naming the closest recording.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::{
    command_types, crate_path, demo_directory, error_summary, loopback, raw_login, start_sim_with,
    Raw,
};
use crate::http::request;
use crate::record::{recording_gateway, rest_session};
use ocigw::fixture::{load_case, substitute};
use ocigw::ocip::Secret;
use ocigw::sim::{Answers, Directory, SimConfig, SimServer};

/// The session id the raw client puts in its documents.
const SESSION: &str = "answers-test-session";

/// Commands the simulator answers itself, whatever the recordings say.
const LOGIN_FAMILY: [&str; 4] = [
    "AuthenticationRequest",
    "LoginRequest14sp4",
    "LoginRequest22V5",
    "LogoutRequest",
];

/// A simulator serving `folders`, over `directory`, with the control API on.
async fn answering_sim(directory: Directory, folders: &[PathBuf], first: bool) -> SimServer {
    let mut config = SimConfig::new(loopback(), directory);
    config.answers = Answers::load(folders, first).expect("recordings load");
    config.control = Some(loopback());
    start_sim_with(config).await
}

/// A directory that knows nothing but the administrator admin/admin.
fn admin_only() -> Directory {
    let mut directory = Directory::default();
    directory
        .admins
        .insert("admin".into(), Secret::new("admin"));
    directory
}

/// A recorded answer as the simulator must send it: without the recording's comment, with the
/// test's session id.
fn expected_answer(recorded: &[u8]) -> Vec<u8> {
    let kept: Vec<&[u8]> = recorded
        .split(|b| *b == b'\n')
        .filter(|l| !l.starts_with(b"<!-- ocigw recording"))
        .collect();
    substitute(&kept.join(&b'\n'), &[("sessionId", SESSION)])
}

async fn send_raw(raw: &mut Raw, document: &str) -> Vec<u8> {
    raw.send(document.as_bytes()).await;
    raw.recv().await.expect("an answer")
}

fn document(command: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="ISO-8859-1"?>
<BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sessionId xmlns="">{SESSION}</sessionId>{command}</BroadsoftDocument>"#
    )
}

fn forwarding_get(user: &str) -> String {
    document(&format!(
        r#"<command xsi:type="UserCallForwardingAlwaysGetRequest" xmlns=""><userId>{user}</userId></command>"#
    ))
}

fn text_of(answer: &[u8], element: &str) -> Option<String> {
    let text = String::from_utf8_lossy(answer);
    let open = format!("<{element}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find('<')? + start;
    Some(text[start..end].to_owned())
}

fn detail(answer: &[u8]) -> String {
    text_of(answer, "detail").unwrap_or_default()
}

fn lab() -> PathBuf {
    crate_path("fixtures/answers/lab")
}

#[tokio::test]
async fn a_session_recorded_through_the_gateway_is_served_back_byte_for_byte() {
    let dir = crate::common::scratch_path("answers-tests").join("rest-session");
    let _ = std::fs::remove_dir_all(&dir);
    let (gateway, _sim, recorder) = recording_gateway(&dir).await;
    rest_session(&gateway).await;
    gateway.shutdown().await;
    recorder.flush(Duration::from_secs(5));

    // Served by a simulator whose own directory is empty: every answer comes from the recording.
    let sim = answering_sim(admin_only(), std::slice::from_ref(&dir), true).await;
    let mut raw = Raw::connect(sim.addr()).await;
    raw_login(&mut raw).await;
    let mut compared = Vec::new();
    for exchange in load_case(&dir).unwrap().exchanges {
        let types = command_types(&exchange.request);
        if types.iter().any(|t| LOGIN_FAMILY.contains(&t.as_str())) {
            continue;
        }
        let request = substitute(&exchange.request, &[("sessionId", SESSION)]);
        raw.send(&request).await;
        let answer = raw.recv().await.expect("an answer");
        let expected = expected_answer(&exchange.response);
        assert!(
            answer == expected,
            "{}:\n{}\ninstead of\n{}",
            exchange.path.display(),
            String::from_utf8_lossy(&answer),
            String::from_utf8_lossy(&expected)
        );
        compared.extend(types);
    }
    for command in [
        "GroupHuntGroupAddInstanceRequest20",
        "GroupHuntGroupGetInstanceRequest20",
        "GroupHuntGroupModifyInstanceRequest",
        "GroupHuntGroupModifyInstanceWeightedCallDistributionRequest",
        "GroupHuntGroupDeleteInstanceRequest",
        "GroupHuntGroupGetInstanceListRequest",
    ] {
        assert!(
            compared.iter().any(|c| c == command),
            "{command} not in {compared:?}"
        );
    }
    // The same request recorded with different answers (the hunt group before and after its
    // update) got them in recorded order: the comparison above would have failed otherwise.
    let gets = compared
        .iter()
        .filter(|c| *c == "GroupHuntGroupGetInstanceRequest20")
        .count();
    assert!(gets >= 2, "{compared:?}");
    // Every answer came from the recording: the simulator's own directory is still empty.
    assert!(sim.shared().directory().hunt_groups.is_empty());
}

#[tokio::test]
async fn unimplemented_commands_are_answered_from_recordings_in_recorded_order() {
    let sim = answering_sim(demo_directory(), &[lab()], false).await;
    let mut raw = Raw::connect(sim.addr()).await;
    raw_login(&mut raw).await;

    let domains = document(
        r#"<command xsi:type="GroupDomainGetAssignedListRequest" xmlns=""><serviceProviderId>ApioSpTest</serviceProviderId><groupId>ApioGrpTest</groupId></command>"#,
    );
    let answer = send_raw(&mut raw, &domains).await;
    let recorded = load_case(&lab()).unwrap().exchanges[0].response.clone();
    assert!(answer == expected_answer(&recorded));

    // Recorded twice, with a modify between: first the state before, then after, then the
    // last answer again.
    let anna = "anna.peeters@apiotest.example.com";
    let answer = send_raw(&mut raw, &forwarding_get(anna)).await;
    assert_eq!(text_of(&answer, "isActive").as_deref(), Some("false"));
    assert_eq!(text_of(&answer, "forwardToPhoneNumber"), None);
    // `{{forwardTo}}` in the recorded request matches any number.
    let modify = document(&format!(
        r#"<command xsi:type="UserCallForwardingAlwaysModifyRequest" xmlns=""><userId>{anna}</userId><isActive>true</isActive><forwardToPhoneNumber>+3225126700</forwardToPhoneNumber></command>"#
    ));
    let answer = send_raw(&mut raw, &modify).await;
    assert_eq!(command_types(&answer), ["SuccessResponse"]);
    assert!(
        String::from_utf8_lossy(&answer)
            .contains(r#"<command echo="" xsi:type="c:SuccessResponse" xmlns:c="C" xmlns=""/>"#),
        "the recorded answer, as recorded"
    );
    for _ in 0..2 {
        let answer = send_raw(&mut raw, &forwarding_get(anna)).await;
        assert_eq!(text_of(&answer, "isActive").as_deref(), Some("true"));
        assert_eq!(
            text_of(&answer, "forwardToPhoneNumber").as_deref(),
            Some("+3225126799")
        );
    }

    // The simulator still answers what it implements itself.
    let group = document(
        r#"<command xsi:type="GroupGetRequest22V5" xmlns=""><serviceProviderId>ApioSpTest</serviceProviderId><groupId>ApioGrpTest</groupId></command>"#,
    );
    let answer = send_raw(&mut raw, &group).await;
    assert_eq!(command_types(&answer), ["GroupGetResponse22V5"]);

    // POST /reset of the control API: the recorded answers start again from the first.
    let control = sim.control_addr().unwrap();
    let reset = request(control, "POST", "/reset", None, None).await;
    assert_eq!(reset.status, 200);
    let answer = send_raw(&mut raw, &forwarding_get(anna)).await;
    assert_eq!(text_of(&answer, "isActive").as_deref(), Some("false"));

    // The journal says which recording answered.
    let journal = request(control, "GET", "/commands", None, None)
        .await
        .json();
    let last = journal["commands"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["command"], "UserCallForwardingAlwaysGetRequest");
    assert_eq!(last["answer"], "UserCallForwardingAlwaysGetResponse");
    assert!(
        last["recording"]
            .as_str()
            .unwrap()
            .ends_with("000002-UserCallForwardingAlwaysGetRequest.xml"),
        "{last}"
    );
}

#[tokio::test]
async fn an_unmatched_request_is_refused_naming_the_closest_recording() {
    let sim = answering_sim(demo_directory(), &[lab()], false).await;
    let mut raw = Raw::connect(sim.addr()).await;
    raw_login(&mut raw).await;

    let luc = "luc.janssens@apiotest.example.com";
    let answer = send_raw(&mut raw, &forwarding_get(luc)).await;
    assert_eq!(
        error_summary(&answer),
        "[Error 4990] No recorded answer matches this request"
    );
    let closest = lab().join("000002-UserCallForwardingAlwaysGetRequest.xml");
    assert_eq!(
        detail(&answer),
        format!(
            "no recorded UserCallForwardingAlwaysGetRequest matches this request; the closest is {} (command 1 of its document): /command/userId: &apos;{luc}&apos; instead of &apos;anna.peeters@apiotest.example.com&apos;",
            closest.display()
        )
        .replace("&apos;", "'")
    );

    let unrecorded = document(
        r#"<command xsi:type="UserGetRequest22" xmlns=""><userId>anna.peeters@apiotest.example.com</userId></command>"#,
    );
    let answer = send_raw(&mut raw, &unrecorded).await;
    assert_eq!(
        detail(&answer),
        format!(
            "no recording holds a UserGetRequest22 (4 recorded answers loaded from {})",
            lab().display()
        )
    );
}

#[tokio::test]
async fn a_folder_that_is_not_there_is_refused_by_name() {
    let missing = Path::new("no/such/recordings");
    let error = Answers::load(&[missing.to_path_buf()], false).unwrap_err();
    assert_eq!(
        error,
        "--answers no/such/recordings: not a folder of recordings"
    );
}
