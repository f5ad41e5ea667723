//! Framing over real sockets: split and joined documents, size limits, peers that vanish
//! mid-document or stop answering.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::common::{self, admin_options, command_types, error_summary, start_sim, Raw};
use ocigw::ocip::commands::*;
use ocigw::ocip::document::encode_command;
use ocigw::ocip::error::FrameError;
use ocigw::ocip::{OciError, Session};
use ocigw::sim::SimConfig;

fn auth_doc() -> Vec<u8> {
    encode_command(
        "s1",
        &AuthenticationRequest {
            user_id: "admin".into(),
        },
    )
}

fn list_doc() -> Vec<u8> {
    encode_command(
        "s1",
        &GroupHuntGroupGetInstanceListRequest {
            service_provider_id: "ApioSpTest".into(),
            group_id: "ApioGrpTest".into(),
            group_department_name: None,
        },
    )
}

#[tokio::test]
async fn a_document_split_byte_by_byte_is_reassembled() {
    let sim = start_sim().await;
    let mut tcp = TcpStream::connect(sim.addr()).await.unwrap();
    tcp.set_nodelay(true).unwrap();
    for byte in auth_doc() {
        tcp.write_all(&[byte]).await.unwrap();
        tcp.flush().await.unwrap();
        tokio::task::yield_now().await;
    }
    tcp.write_all(b"\n").await.unwrap();
    let mut answer = Vec::new();
    while !answer.ends_with(b"</BroadsoftDocument>\n") {
        let mut buf = [0u8; 512];
        let n = tcp.read(&mut buf).await.unwrap();
        assert!(n > 0, "closed before answering");
        answer.extend_from_slice(&buf[..n]);
    }
    assert_eq!(command_types(&answer), ["AuthenticationResponse"]);
}

#[tokio::test]
async fn two_documents_in_one_write_get_two_answers_in_order() {
    let sim = start_sim().await;
    let mut raw = Raw::connect(sim.addr()).await;
    let mut both = auth_doc();
    both.extend_from_slice(&list_doc()); // no newline between them: still two documents
    raw.send(&both).await;
    assert_eq!(
        command_types(&raw.recv().await.unwrap()),
        ["AuthenticationResponse"]
    );
    let second = raw.recv().await.unwrap();
    assert!(
        error_summary(&second).starts_with("[Error 4003]"),
        "{second:?}"
    );
}

#[tokio::test]
async fn utf8_declared_input_with_several_commands_is_answered_in_one_document() {
    let sim = start_sim().await;
    let mut raw = Raw::connect(sim.addr()).await;
    crate::common::raw_login(&mut raw).await;
    let add_then_get = r#"<?xml version="1.0" encoding="UTF-8"?>
<BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sessionId xmlns="">u1</sessionId>
<command xsi:type="GroupHuntGroupAddInstanceRequest20" xmlns=""><serviceProviderId>ApioSpTest</serviceProviderId><groupId>ApioGrpTest</groupId><serviceUserId>kana@apiotest.example.com</serviceUserId><serviceInstanceProfile><name>セールス</name><callingLineIdLastName>販売</callingLineIdLastName><callingLineIdFirstName>チーム</callingLineIdFirstName></serviceInstanceProfile><policy>Regular</policy><huntAfterNoAnswer>true</huntAfterNoAnswer><noAnswerNumberOfRings>5</noAnswerNumberOfRings><forwardAfterTimeout>false</forwardAfterTimeout><forwardTimeoutSeconds>10</forwardTimeoutSeconds><allowCallWaitingForAgents>true</allowCallWaitingForAgents><useSystemHuntGroupCLIDSetting>true</useSystemHuntGroupCLIDSetting><includeHuntGroupNameInCLID>true</includeHuntGroupNameInCLID><enableNotReachableForwarding>false</enableNotReachableForwarding><makeBusyWhenNotReachable>false</makeBusyWhenNotReachable><allowMembersToControlGroupBusy>false</allowMembersToControlGroupBusy><enableGroupBusy>false</enableGroupBusy><applyGroupBusyWhenTerminatingToAgent>false</applyGroupBusyWhenTerminatingToAgent></command>
<command xsi:type="GroupHuntGroupGetInstanceRequest20" xmlns=""><serviceUserId>kana@apiotest.example.com</serviceUserId></command>
</BroadsoftDocument>"#;
    raw.send(add_then_get.as_bytes()).await;
    let answer = raw.recv().await.unwrap();
    assert_eq!(
        command_types(&answer),
        ["SuccessResponse", "GroupHuntGroupGetInstanceResponse20"]
    );
    // Written back as ISO-8859-1 with character references.
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with(r#"<?xml version="1.0" encoding="ISO-8859-1"?>"#));
    assert!(
        text.contains("<name>&#12475;&#12540;&#12523;&#12473;</name>"),
        "{text}"
    );
}

#[tokio::test]
async fn an_oversized_document_is_refused_and_the_connection_closed() {
    let mut config = SimConfig::new(common::loopback(), common::demo_directory());
    config.max_document = 2048;
    let sim = common::start_sim_with(config).await;
    let mut raw = Raw::connect(sim.addr()).await;
    let huge = encode_command(
        "s1",
        &AuthenticationRequest {
            user_id: "x".repeat(4096),
        },
    );
    raw.send(&huge).await;
    let answer = raw.recv().await.expect("an error answer");
    assert_eq!(
        error_summary(&answer),
        "[Error 6004] OCI XML Request validation error"
    );
    assert!(String::from_utf8_lossy(&answer).contains("document larger than 2048 bytes"));
    assert!(
        raw.recv().await.is_none(),
        "connection closed after the refusal"
    );
}

#[tokio::test]
async fn the_client_refuses_an_answer_over_its_limit() {
    let sim = start_sim().await;
    let mut opts = admin_options(&sim);
    opts.max_document = 1024;
    let session = Session::connect(&opts)
        .await
        .expect("login answers are small");
    let err = session
        .call(&GroupHuntGroupGetAvailableUserListRequest {
            service_provider_id: "ApioSpTest".into(),
            group_id: "ApioGrpTest".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, OciError::Frame(FrameError::TooLarge { limit: 1024 })),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_client_vanishing_mid_document_leaves_the_simulator_serving() {
    let sim = start_sim().await;
    let mut tcp = TcpStream::connect(sim.addr()).await.unwrap();
    let doc = auth_doc();
    tcp.write_all(&doc[..doc.len() / 2]).await.unwrap();
    drop(tcp);
    let session = common::admin_session(&sim).await;
    assert!(!session.is_closed());
}

/// A peer that reads one document and then answers with `reply` and closes.
async fn one_shot_peer(reply: Vec<u8>) -> std::net::SocketAddr {
    let listener = TcpListener::bind(common::loopback()).await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut tcp, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 4096];
        let _ = tcp.read(&mut buf).await;
        let _ = tcp.write_all(&reply).await;
    });
    addr
}

fn options_for(addr: std::net::SocketAddr) -> ocigw::ocip::ConnectOptions {
    ocigw::ocip::ConnectOptions::new(
        "127.0.0.1",
        addr.port(),
        "admin",
        ocigw::ocip::Secret::new("admin"),
    )
}

#[tokio::test]
async fn a_server_closing_mid_document_is_an_error_and_a_clean_close_is_closed() {
    let answer = encode_command(
        "s",
        &AuthenticationResponse {
            user_id: "admin".into(),
            nonce: "1".into(),
            password_algorithm: "MD5".into(),
        },
    );
    let half = answer[..answer.len() / 2].to_vec();
    let err = Session::connect(&options_for(one_shot_peer(half).await))
        .await
        .unwrap_err();
    assert!(
        matches!(err, OciError::Frame(FrameError::Truncated { .. })),
        "{err:?}"
    );
    let err = Session::connect(&options_for(one_shot_peer(Vec::new()).await))
        .await
        .unwrap_err();
    assert!(matches!(err, OciError::Closed), "{err:?}");
}

/// A peer that logs anyone in, then never answers again; for timeouts.
pub async fn silent_after_login_peer() -> std::net::SocketAddr {
    let listener = TcpListener::bind(common::loopback()).await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut raw = tokio_util::codec::Framed::new(tcp, ocigw::ocip::OciCodec::default());
        use futures::{SinkExt, StreamExt};
        let auth = encode_command(
            "s",
            &AuthenticationResponse {
                user_id: "admin".into(),
                nonce: "1".into(),
                password_algorithm: "MD5".into(),
            },
        );
        let login = encode_command(
            "s",
            &LoginResponse14sp4 {
                login_type: "System".into(),
                locale: "en_US".into(),
                encoding: "ISO-8859-1".into(),
                user_domain: "d".into(),
                ..Default::default()
            },
        );
        for reply in [auth, login] {
            raw.next().await;
            raw.send(&reply[..]).await.unwrap();
        }
        tokio::time::sleep(Duration::from_secs(10)).await;
    });
    addr
}

#[tokio::test]
async fn a_silent_server_times_out_and_the_session_closes() {
    let addr = silent_after_login_peer().await;
    let mut opts = options_for(addr);
    opts.call_timeout = Duration::from_millis(200);
    let session = Session::connect(&opts).await.expect("login");
    let get = GroupHuntGroupGetInstanceRequest20 {
        service_user_id: "x@y".into(),
    };
    let err = session.call(&get).await.unwrap_err();
    assert!(
        matches!(&err, OciError::Timeout { command, after } if command == "GroupHuntGroupGetInstanceRequest20" && *after == Duration::from_millis(200)),
        "{err:?}"
    );
    let err = session.call(&get).await.unwrap_err();
    assert!(matches!(err, OciError::Closed), "{err:?}");
    assert!(session.is_closed());
}
