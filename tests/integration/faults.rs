//! The simulator as a faulty peer: each injected fault, as the client sees it.

use std::time::Duration;

use crate::common::{admin_options, demo_directory, loopback, start_sim_with, Raw};
use ocigw::ocip::commands::*;
use ocigw::ocip::error::FrameError;
use ocigw::ocip::{OciError, Session};
use ocigw::sim::faults::FaultSettings;
use ocigw::sim::{SimConfig, SimServer};

async fn faulty(faults: FaultSettings) -> SimServer {
    let mut config = SimConfig::new(loopback(), demo_directory());
    config.faults = faults;
    start_sim_with(config).await
}

fn list() -> GroupHuntGroupGetInstanceListRequest {
    GroupHuntGroupGetInstanceListRequest {
        service_provider_id: "ApioSpTest".into(),
        group_id: "ApioGrpTest".into(),
        group_department_name: None,
    }
}

#[tokio::test]
async fn drop_after_the_nth_command() {
    let sim = faulty(FaultSettings {
        drop_after_commands: Some(3),
        ..Default::default()
    })
    .await;
    let session = Session::connect(&admin_options(&sim))
        .await
        .expect("login is commands 1 and 2");
    session.call(&list()).await.expect("command 3 is answered");
    let err = session.call(&list()).await.unwrap_err();
    assert!(matches!(err, OciError::Closed), "{err:?}");
}

#[tokio::test]
async fn drop_before_and_after_executing() {
    let sim = faulty(FaultSettings {
        drop_probability: Some(1.0),
        ..Default::default()
    })
    .await;
    let mut raw = Raw::connect(sim.addr()).await;
    raw.send(&ocigw::ocip::document::encode_command(
        "s",
        &AuthenticationRequest {
            user_id: "admin".into(),
        },
    ))
    .await;
    assert!(raw.recv().await.is_none(), "closed without an answer");
    assert_eq!(sim.commands_seen(), 0, "nothing was executed");

    let sim = faulty(FaultSettings {
        drop_after_execute_probability: Some(1.0),
        ..Default::default()
    })
    .await;
    let mut raw = Raw::connect(sim.addr()).await;
    let login_and_add = r#"<?xml version="1.0" encoding="ISO-8859-1"?><BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sessionId xmlns="">s</sessionId><command xsi:type="LoginRequest22V5" xmlns=""><userId>admin</userId><password>admin</password></command><command xsi:type="GroupHuntGroupDeleteInstanceRequest" xmlns=""><serviceUserId>none@x</serviceUserId></command></BroadsoftDocument>"#;
    raw.send(login_and_add.as_bytes()).await;
    assert!(
        raw.recv().await.is_none(),
        "executed, then closed without an answer"
    );
    assert_eq!(sim.commands_seen(), 2, "both commands were executed");
}

#[tokio::test]
async fn slow_answers_time_out() {
    let sim = faulty(FaultSettings {
        delay_ms: Some(400),
        ..Default::default()
    })
    .await;
    let mut opts = admin_options(&sim);
    opts.call_timeout = Duration::from_millis(100);
    let err = Session::connect(&opts).await.unwrap_err();
    assert!(matches!(err, OciError::Timeout { .. }), "{err:?}");
    opts.call_timeout = Duration::from_secs(2);
    Session::connect(&opts).await.expect("patient enough");
}

#[tokio::test]
async fn sessions_expire_and_logins_can_be_refused() {
    let sim = faulty(FaultSettings {
        session_expiry_seconds: Some(1),
        ..Default::default()
    })
    .await;
    let session = Session::connect(&admin_options(&sim)).await.unwrap();
    session.call(&list()).await.expect("fresh session");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let err = session.call(&list()).await.unwrap_err();
    assert_eq!(
        err.server_error().and_then(|e| e.code()),
        Some(4003),
        "{err:?}"
    );
    assert!(err.to_string().contains("session expired"), "{err}");

    let sim = faulty(FaultSettings {
        refuse_logins_seconds: Some(60),
        ..Default::default()
    })
    .await;
    let err = Session::connect(&admin_options(&sim)).await.unwrap_err();
    assert!(
        matches!(&err, OciError::LoginRefused { error, .. } if error.code() == Some(4966)),
        "{err:?}"
    );
}

#[tokio::test]
async fn garbage_and_truncated_answers_are_errors_not_hangs() {
    let sim = faulty(FaultSettings {
        garbage_probability: Some(1.0),
        ..Default::default()
    })
    .await;
    let err = Session::connect(&admin_options(&sim)).await.unwrap_err();
    assert!(matches!(err, OciError::Decode(_)), "{err:?}");

    let sim = faulty(FaultSettings {
        truncate_probability: Some(1.0),
        ..Default::default()
    })
    .await;
    let err = Session::connect(&admin_options(&sim)).await.unwrap_err();
    assert!(
        matches!(err, OciError::Frame(FrameError::Truncated { .. })),
        "{err:?}"
    );
}

/// A simulator that closes each connection after its 5th command and expires sessions a
/// second after their login.
async fn dropping_and_expiring() -> SimServer {
    faulty(FaultSettings {
        drop_after_commands: Some(5),
        session_expiry_seconds: Some(1),
        ..Default::default()
    })
    .await
}

#[tokio::test]
async fn the_pool_hides_dropped_connections_and_expired_sessions() {
    let sim = dropping_and_expiring().await;
    let pool = ocigw::ocip::Pool::new(admin_options(&sim), 1);
    for i in 0..8 {
        pool.call(&list())
            .await
            .unwrap_or_else(|e| panic!("call {i}: {e}"));
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    pool.call(&list())
        .await
        .expect("a fresh login after the session expired");
    assert_eq!(pool.health().logged_in, 1);
}

/// Two reads in one document on a pool of one session: a connection that breaks before their
/// answer gives the slot back before each read is sent on its own (else the pool of one would
/// wait for itself), and an expired session is logged in again.
#[tokio::test]
async fn two_reads_in_one_document_survive_broken_connections_and_expiry_on_one_session() {
    let sim = dropping_and_expiring().await;
    let pool = ocigw::ocip::Pool::new(admin_options(&sim), 1);
    let software = SystemSoftwareVersionGetRequest {};
    let both = || async {
        tokio::time::timeout(Duration::from_secs(10), pool.call_two(&list(), &software))
            .await
            .expect("answered, not waiting for its own slot")
    };
    for i in 0..8 {
        let (listed, version) = both().await;
        let listed = listed.unwrap_or_else(|e| panic!("list {i}: {e}"));
        assert_eq!(listed.hunt_group_table.headings().len(), 7, "list {i}");
        assert!(!version
            .unwrap_or_else(|e| panic!("version {i}: {e}"))
            .version
            .is_empty());
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (listed, version) = both().await;
    listed.expect("the list after a fresh login");
    version.expect("the version after a fresh login");
    assert_eq!(pool.health().logged_in, 1);
}

#[tokio::test]
async fn a_refused_login_is_not_retried_in_a_loop() {
    let sim = faulty(FaultSettings {
        refuse_logins_seconds: Some(60),
        ..Default::default()
    })
    .await;
    let pool = ocigw::ocip::Pool::new(admin_options(&sim), 2);
    let err = pool.call(&list()).await.unwrap_err();
    assert!(matches!(err, OciError::LoginRefused { .. }), "{err:?}");
    assert_eq!(
        sim.commands_seen(),
        2,
        "one authentication, one login: no hammering"
    );
}

#[tokio::test]
async fn callers_wait_a_bounded_time_for_a_busy_pool() {
    let sim = faulty(FaultSettings {
        delay_ms: Some(700),
        ..Default::default()
    })
    .await;
    let mut opts = admin_options(&sim);
    opts.queue_wait = Duration::from_millis(150);
    let pool = std::sync::Arc::new(ocigw::ocip::Pool::new(opts, 1));
    pool.warm_up().await.expect("slow but logged in");
    let busy = pool.clone();
    let first = tokio::spawn(async move { busy.call(&list()).await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let err = pool.call(&list()).await.unwrap_err();
    assert!(
        matches!(err, OciError::Busy { size: 1, waited } if waited == Duration::from_millis(150)),
        "{err:?}"
    );
    first.await.unwrap().expect("the first caller is served");
}

/// A gateway with one pooled session in front of `sim`.
async fn gateway_for(sim: &SimServer) -> ocigw::api::server::Gateway {
    let mut oci = admin_options(sim);
    oci.call_timeout = Duration::from_secs(2);
    let options = crate::common::system_gateway_options(oci);
    ocigw::api::server::Gateway::start(options).await.unwrap()
}

async fn create(addr: std::net::SocketAddr, id: &str, name: &str) -> crate::http::Response {
    let body = serde_json::json!({
        "serviceUserId": id,
        "serviceInstanceProfile": {"name": name},
        "agents": ["test.user4000@apiotest.example.com"],
    });
    crate::http::request(
        addr,
        "POST",
        &format!("{}/", crate::common::HG),
        Some(crate::common::SYSTEM_TOKEN),
        Some(body.to_string().as_bytes()),
    )
    .await
}

#[tokio::test]
async fn creating_an_id_that_existed_is_never_a_201_however_the_link_drops() {
    let sim = faulty(FaultSettings {
        seed: Some(11),
        drop_probability: Some(0.3),
        ..Default::default()
    })
    .await;
    {
        let mut dir = sim.shared().directory.lock().unwrap();
        for i in 0..40 {
            dir.hunt_groups.insert(
                format!("old{i}@apiotest.example.com"),
                ocigw::sim::directory::HuntGroup {
                    service_provider: "ApioSpTest".into(),
                    group: "ApioGrpTest".into(),
                    name: "Old".into(),
                    clid_last_name: "Old".into(),
                    clid_first_name: "Old".into(),
                    active: true,
                    ..Default::default()
                },
            );
        }
    }
    let gw = gateway_for(&sim).await;
    let mut statuses = std::collections::BTreeMap::new();
    for i in 0..40 {
        let r = create(gw.addr(), &format!("old{i}"), "New").await;
        *statuses.entry(r.status).or_insert(0) += 1;
        assert_ne!(
            r.status,
            201,
            "old{i}: {}",
            String::from_utf8_lossy(&r.body)
        );
    }
    assert!(
        statuses.get(&409).copied().unwrap_or(0) > 20,
        "{statuses:?}"
    );
    let dir = sim.shared().directory.lock().unwrap();
    assert!(dir.hunt_groups.values().all(|h| h.name == "Old"));
}

#[tokio::test]
async fn a_write_whose_check_breaks_too_is_outcome_unknown_never_unreachable() {
    let sim = faulty(FaultSettings {
        seed: Some(5),
        drop_after_execute_probability: Some(0.4),
        ..Default::default()
    })
    .await;
    let gw = gateway_for(&sim).await;
    let (mut unknown, mut created) = (0, 0);
    for i in 0..40 {
        let id = format!("fresh{i}@apiotest.example.com");
        let r = create(gw.addr(), &id, "Fresh").await;
        let exists = sim
            .shared()
            .directory
            .lock()
            .unwrap()
            .hunt_groups
            .contains_key(&id);
        match r.status {
            // The read-back that came with the Add, or was read again after the recovery.
            201 => {
                assert!(exists);
                assert_eq!(r.json()["serviceUserId"], id.as_str());
                assert_eq!(r.json()["serviceInstanceProfile"]["name"], "Fresh");
                created += 1;
            }
            502 => {
                assert_eq!(r.error_details()["code"], "outcome_unknown");
                unknown += 1;
            }
            // Anything else is only allowed when nothing was written.
            _ => assert!(
                !exists,
                "{id}: {} although it was created: {}",
                r.status,
                String::from_utf8_lossy(&r.body)
            ),
        }
    }
    assert!(unknown > 0, "the seed makes some checks break");
    assert!(created > 0, "the seed lets some creates through");
}

/// A write sent with its read-back on a session that has expired is refused; the pool logs
/// in again and sends the whole document again: the create is a 201, made once.
#[tokio::test]
async fn a_create_on_an_expired_session_is_sent_again_after_a_fresh_login() {
    let mut config = SimConfig::new(loopback(), demo_directory());
    config.faults = FaultSettings {
        session_expiry_seconds: Some(1),
        ..Default::default()
    };
    // The control API keeps the journal of received commands.
    config.control = Some(loopback());
    let sim = start_sim_with(config).await;
    let gw = gateway_for(&sim).await;
    assert_eq!(create(gw.addr(), "early", "Early").await.status, 201);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let journal = sim.shared().journal.as_ref().expect("a journal");
    let seen = journal.since(0).commands.last().map_or(0, |c| c.seq);
    let r = create(gw.addr(), "late", "Late").await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["serviceUserId"], "late@apiotest.example.com");
    assert_eq!(r.json()["serviceInstanceProfile"]["name"], "Late");
    // The expired session is dropped and logged out on its own connection, at a time of its
    // own: its LogoutRequest is counted apart from the order of the rest.
    let (logouts, received): (Vec<_>, Vec<_>) = journal
        .since(seen)
        .commands
        .into_iter()
        .map(|c| (c.command, c.error))
        .partition(|(name, _)| name == "LogoutRequest");
    assert_eq!(logouts.len(), 1, "{logouts:?}");
    let names: Vec<&str> = received.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            // Refused: the session expired.
            "GroupHuntGroupAddInstanceRequest20",
            "GroupHuntGroupGetInstanceListRequest",
            "GroupHuntGroupGetInstanceRequest20",
            // A fresh session logs in.
            "AuthenticationRequest",
            "LoginRequest14sp4",
            // The whole document again.
            "GroupHuntGroupAddInstanceRequest20",
            "GroupHuntGroupGetInstanceListRequest",
            "GroupHuntGroupGetInstanceRequest20",
        ],
        "{received:?}"
    );
    assert!(
        received[..3].iter().all(|(_, error)| error.is_some()),
        "{received:?}"
    );
    assert!(
        received[3..].iter().all(|(_, error)| error.is_none()),
        "{received:?}"
    );
    let dir = sim.shared().directory.lock().unwrap();
    assert_eq!(dir.hunt_groups["late@apiotest.example.com"].name, "Late");
    assert_eq!(dir.hunt_groups["early@apiotest.example.com"].name, "Early");
}
