//! TLS: the simulator with the test certificate in fixtures/tls, both login methods, and
//! certificate verification on by default.

use crate::common::{self, crate_path};
use ocigw::ocip::commands::GroupHuntGroupGetInstanceListRequest;
use ocigw::ocip::options::TlsOptions;
use ocigw::ocip::{ConnectOptions, LoginMethod, OciError, Secret, Session};
use ocigw::sim::{SimConfig, SimServer, TlsIdentity};

async fn tls_sim() -> SimServer {
    let mut config = SimConfig::new(common::loopback(), common::demo_directory());
    config.tls = Some(TlsIdentity {
        cert_pem: std::fs::read(crate_path("fixtures/tls/server.pem")).unwrap(),
        key_pem: std::fs::read(crate_path("fixtures/tls/server.key")).unwrap(),
    });
    common::start_sim_with(config).await
}

fn tls_options(sim: &SimServer, ca: bool) -> ConnectOptions {
    let mut opts = ConnectOptions::new(
        "localhost",
        sim.addr().port(),
        "admin",
        Secret::new("admin"),
    );
    opts.tls = Some(TlsOptions {
        ca_file: ca.then(|| crate_path("fixtures/tls/ca.pem")),
    });
    opts
}

async fn list_works(session: &Session) {
    let table = session
        .call(&GroupHuntGroupGetInstanceListRequest {
            service_provider_id: "ApioSpTest".into(),
            group_id: "ApioGrpTest".into(),
            group_department_name: None,
        })
        .await
        .expect("list over TLS")
        .hunt_group_table;
    assert_eq!(table.headings.len(), 7);
}

#[tokio::test]
async fn signed_and_plain_logins_work_over_tls() {
    let sim = tls_sim().await;
    let session = Session::connect(&tls_options(&sim, true))
        .await
        .expect("signed login");
    list_works(&session).await;
    let mut plain = tls_options(&sim, true);
    plain.login = LoginMethod::Plain;
    let session = Session::connect(&plain)
        .await
        .expect("LoginRequest22V5 login");
    list_works(&session).await;
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused() {
    let sim = tls_sim().await;
    let err = Session::connect(&tls_options(&sim, false))
        .await
        .unwrap_err();
    assert!(matches!(err, OciError::Tls { .. }), "{err:?}");
    assert_eq!(sim.commands_seen(), 0);
}

#[tokio::test]
async fn a_missing_ca_file_is_a_clear_error() {
    let sim = tls_sim().await;
    let mut opts = tls_options(&sim, false);
    opts.tls = Some(TlsOptions {
        ca_file: Some("/nonexistent/ca.pem".into()),
    });
    let err = Session::connect(&opts).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot read CA file /nonexistent/ca.pem"),
        "{err}"
    );
}
