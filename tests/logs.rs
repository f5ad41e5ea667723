//! Secrets never appear in a log line or an error body: everything ocigw logs at TRACE level,
//! and every answer, is searched for the passwords (plain and SHA-1) and the token. A binary of
//! its own, because it installs the process-wide log subscriber.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use ocigw::api::auth::Tokens;
use ocigw::api::server::{Gateway, GatewayOptions};
use ocigw::config::TokenSettings;
use ocigw::ocip::auth::sha1_hex;
use ocigw::ocip::{ConnectOptions, Secret, Session};
use ocigw::sim::{DataFile, Directory, SimConfig, SimServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ADMIN_PASSWORD: &str = "L0g-Adm1n-S3cret";
const WRONG_PASSWORD: &str = "Wr0ng-L0g-Passw0rd";
const TOKEN: &str = "tok-L0g-S3cret-0001";
const WRONG_TOKEN: &str = "tok-Wr0ng-S3cret-9";
const VOICE_PASSWORD: &str = "V0ice-P0rtal-9";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn http(addr: SocketAddr, method: &str, path: &str, token: &str, body: &str) -> String {
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tcp.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_any_log_line_or_answer() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let mut directory = Directory::from_data(&DataFile::demo()).unwrap();
    directory
        .admins
        .insert("logadmin".into(), Secret::new(ADMIN_PASSWORD));
    let sim = SimServer::start(SimConfig::new(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        directory,
    ))
    .await
    .unwrap();
    let options = |password: &str| {
        ConnectOptions::new(
            "127.0.0.1",
            sim.addr().port(),
            "logadmin",
            Secret::new(password),
        )
    };
    let mut answers = Vec::new();

    // A refused login, in the error and in the logs.
    let refused = Session::connect(&options(WRONG_PASSWORD))
        .await
        .unwrap_err();
    answers.push(format!(
        "{refused} {refused:?} {:?}",
        options(WRONG_PASSWORD)
    ));

    let tokens = Tokens::from_settings(&[TokenSettings {
        name: Some("portal".into()),
        token: TOKEN.into(),
        tenant: None,
        group: None,
    }])
    .unwrap();
    let options = GatewayOptions {
        pool_size: 2,
        ..GatewayOptions::on_loopback(options(ADMIN_PASSWORD), tokens).unwrap()
    };
    let gateway = Gateway::start(options).await.unwrap();
    let hg = "/api/v1/tenants/ApioSpTest/groups/ApioGrpTest/services/hunt_groups/";
    let create = format!(
        r#"{{"serviceUserId": "secret.hunt", "serviceInstanceProfile": {{"name": "Secret", "password": "{VOICE_PASSWORD}"}}}}"#
    );
    answers.push(http(gateway.addr(), "POST", hg, TOKEN, &create).await);
    answers.push(http(gateway.addr(), "POST", hg, TOKEN, &create).await); // 409
    answers.push(http(gateway.addr(), "GET", hg, WRONG_TOKEN, "").await); // 401
    answers.push(
        http(
            gateway.addr(),
            "PUT",
            &format!("{hg}secret.hunt@apiotest.example.com/"),
            TOKEN,
            r#"{"serviceInstanceProfile": {"password": "x"}, "queueLength": 1}"#,
        )
        .await,
    );
    assert!(answers[1].starts_with("HTTP/1.1 201"), "{}", answers[1]);
    assert!(answers[3].starts_with("HTTP/1.1 401"), "{}", answers[3]);
    gateway.shutdown().await;

    let logs = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(logs.contains("OCI document"), "the capture works: {logs}");
    assert!(
        logs.lines()
            .any(|l| l.contains("OCI document") && l.contains("request{request_id=")),
        "OCI log lines carry the REST request id: {logs}"
    );
    // The refused Add (the second create) is logged with BroadWorks's reason.
    assert!(
        logs.lines().any(|l| l.contains("OCI command failed")
            && l.contains("GroupHuntGroupAddInstanceRequest20")
            && l.contains("request{request_id=")),
        "{logs}"
    );
    assert!(logs.contains("login refused"), "{logs}");
    let sha1 = sha1_hex(ADMIN_PASSWORD);
    let wrong_sha1 = sha1_hex(WRONG_PASSWORD);
    for secret in [
        ADMIN_PASSWORD,
        WRONG_PASSWORD,
        TOKEN,
        WRONG_TOKEN,
        VOICE_PASSWORD,
        &sha1,
        &wrong_sha1,
    ] {
        assert!(
            !logs.contains(secret),
            "a log line holds a secret ({} chars)",
            secret.len()
        );
        for answer in &answers {
            assert!(
                !answer.contains(secret),
                "an answer holds a secret: {answer}"
            );
        }
    }
}
