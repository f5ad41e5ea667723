//! TLS: the simulator with the test certificate in fixtures/tls, both login methods, and
//! certificate verification on by default.

use crate::common::{self, crate_path, scratch_path};
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
    opts.tls = Some(TlsOptions::new(
        ca.then(|| crate_path("fixtures/tls/ca.pem")),
    ));
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
    assert_eq!(table.headings().len(), 7);
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
    // Recorded into target/oci-dump, so CI validates LoginResponse22V5 against the schema.
    let dump = scratch_path("oci-dump/plain-login-over-tls");
    let _ = std::fs::remove_dir_all(&dump);
    let recorder = std::sync::Arc::new(ocigw::ocip::record::Recorder::start(&dump).unwrap());
    plain.recorder = Some(recorder.clone());
    let session = Session::connect(&plain)
        .await
        .expect("LoginRequest22V5 login");
    list_works(&session).await;
    recorder.flush(std::time::Duration::from_secs(5));
    let files: Vec<String> = std::fs::read_dir(&dump)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        files.iter().any(|f| f.contains("LoginRequest22V5")),
        "{files:?}"
    );
}

#[tokio::test]
async fn a_plain_password_login_needs_tls() {
    let sim = crate::common::start_sim().await;
    let mut raw = crate::common::Raw::connect(sim.addr()).await;
    let answer = raw
        .call(&ocigw::ocip::commands::LoginRequest22V5 {
            user_id: "admin".into(),
            password: Some(Secret::new("admin")),
            signed_password: None,
        })
        .await;
    assert_eq!(
        crate::common::error_summary(&answer),
        "[Error 4963] Login with a plain-text password needs a TLS connection (use AuthenticationRequest and LoginRequest14sp4)"
    );
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
    opts.tls = Some(TlsOptions::new(Some("/nonexistent/ca.pem".into())));
    let err = Session::connect(&opts).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot read CA file /nonexistent/ca.pem"),
        "{err}"
    );
}

/// `ocigw oci send` of a hunt group list over TLS to `sim`, with `SSL_CERT_FILE` as given (or
/// unset) and `--ca-file` when `ca` is set; its exit code and stderr.
async fn send_over_tls(sim: &SimServer, cert_file: Option<&str>, ca: bool) -> (i32, String) {
    let port = sim.addr().port().to_string();
    let ca_file = crate_path("fixtures/tls/ca.pem");
    let mut args = vec![
        "oci",
        "send",
        "--host",
        "localhost",
        "--port",
        &port,
        "--user",
        "admin",
        "--tls",
    ];
    if ca {
        args.extend(["--ca-file", ca_file.to_str().unwrap()]);
    }
    args.push("fixtures/oci/hunt-group-lifecycle/05-GroupHuntGroupGetInstanceListRequest.xml");
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_ocigw"));
    command
        .args(&args)
        .current_dir(crate_path(""))
        .env("OCIGW_OCI_PASSWORD", "admin");
    match cert_file {
        Some(file) => command.env("SSL_CERT_FILE", file),
        None => command.env_remove("SSL_CERT_FILE"),
    };
    let out = command.output().await.expect("ocigw runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The command line parses the system CA bundle once instead of twice (`ocip::tls_roots`);
/// what it trusts must not change with that, whatever `SSL_CERT_FILE` says.
#[tokio::test]
async fn the_command_line_trusts_the_ca_file_and_ssl_cert_file_and_nothing_else() {
    let sim = tls_sim().await;
    let system = "/etc/ssl/certs/ca-certificates.crt";
    let own_bundle = crate_path("fixtures/tls/ca.pem");
    let own_bundle = own_bundle.to_str().unwrap();
    // --ca-file, with SSL_CERT_FILE unset and set to the system bundle (loaded once then).
    assert_eq!(send_over_tls(&sim, None, true).await.0, 0);
    assert_eq!(send_over_tls(&sim, Some(system), true).await.0, 0);
    // A bundle of the user's own in SSL_CERT_FILE is still what OpenSSL trusts.
    let (code, stderr) = send_over_tls(&sim, Some(own_bundle), false).await;
    assert_eq!(code, 0, "{stderr}");
    // Without either, the simulator's test CA is trusted by nothing.
    for cert_file in [None, Some(system)] {
        let (code, stderr) = send_over_tls(&sim, cert_file, false).await;
        assert_ne!(code, 0, "{cert_file:?}");
        assert!(stderr.contains("certificate verify failed"), "{stderr}");
    }
}
