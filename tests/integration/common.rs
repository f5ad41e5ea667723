//! Helpers shared by the integration tests: a simulator on 127.0.0.1 port 0 with the demo data,
//! and sessions logged in to it.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use ocigw::ocip::{ConnectOptions, Secret, Session};
use ocigw::sim::{DataFile, Directory, SimConfig, SimServer};

/// The demo directory.
pub fn demo_directory() -> Directory {
    Directory::from_data(&DataFile::demo()).expect("demo data is valid")
}

/// A simulator with the demo data on a free loopback port.
pub async fn start_sim() -> SimServer {
    start_sim_with(SimConfig::new(loopback(), demo_directory())).await
}

/// The directory the bulk spec's examples assume (fixtures/sim/spec-examples.toml).
pub fn spec_directory() -> Directory {
    let text = std::fs::read_to_string(crate_path("fixtures/sim/spec-examples.toml")).unwrap();
    let data = DataFile::parse(&text).expect("spec example data parses");
    Directory::from_data(&data).expect("spec example data is valid")
}

/// A simulator with the spec examples' directory on a free loopback port.
pub async fn start_spec_sim() -> SimServer {
    start_sim_with(SimConfig::new(loopback(), spec_directory())).await
}

/// The hunt group service (default settings) over a pool logged in to `sim`.
pub fn service_for(sim: &SimServer) -> std::sync::Arc<ocigw::service::HuntGroups> {
    let pool = std::sync::Arc::new(ocigw::ocip::Pool::new(admin_options(sim), 2));
    let settings = ocigw::service::settings::HuntGroupSettings::from_config(&Default::default())
        .expect("default settings");
    std::sync::Arc::new(ocigw::service::HuntGroups::new(
        pool,
        std::sync::Arc::new(settings),
    ))
}

/// A simulator with the given configuration.
pub async fn start_sim_with(config: SimConfig) -> SimServer {
    SimServer::start(config).await.expect("simulator starts")
}

/// How many hunt groups the simulator holds.
pub fn hunt_group_count(sim: &SimServer) -> usize {
    sim.shared().directory.lock().unwrap().hunt_groups.len()
}

/// The `success` of every result of a bulk answer, in order.
pub fn successes(answer: &serde_json::Value) -> Vec<bool> {
    answer["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["success"].as_bool().expect("a success flag"))
        .collect()
}

/// 127.0.0.1 port 0.
pub fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// Options to log in to `sim` as the demo administrator.
pub fn admin_options(sim: &SimServer) -> ConnectOptions {
    ConnectOptions::new(
        "127.0.0.1",
        sim.addr().port(),
        "admin",
        Secret::new("admin"),
    )
}

/// A session logged in to `sim` as the demo administrator.
pub async fn admin_session(sim: &SimServer) -> Session {
    Session::connect(&admin_options(sim))
        .await
        .expect("demo admin logs in")
}

/// A path under the crate root.
pub fn crate_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// A path for the tests' scratch files: under cargo's `CARGO_TARGET_TMPDIR` (inside the target
/// directory, wherever `CARGO_TARGET_DIR` puts it), never in the source tree.
pub fn scratch_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(relative)
}

/// A raw OCI-P connection (framing only), for exchanges the typed client would not send.
pub struct Raw {
    conn: tokio_util::codec::Framed<tokio::net::TcpStream, ocigw::ocip::OciCodec>,
}

impl Raw {
    /// Connects to `addr`.
    pub async fn connect(addr: SocketAddr) -> Self {
        let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
        Self {
            conn: tokio_util::codec::Framed::new(stream, ocigw::ocip::OciCodec::default()),
        }
    }

    /// Sends one document.
    pub async fn send(&mut self, document: &[u8]) {
        use futures::SinkExt;
        self.conn.send(document).await.expect("send");
    }

    /// Receives one document, `None` on a clean close.
    pub async fn recv(&mut self) -> Option<Vec<u8>> {
        use futures::StreamExt;
        let next = tokio::time::timeout(std::time::Duration::from_secs(5), self.conn.next())
            .await
            .expect("an answer within 5 s");
        next.map(|frame| frame.expect("a whole document").to_vec())
    }

    /// Sends one typed command and returns the answer document.
    pub async fn call<C: ocigw::ocip::OciCommand>(&mut self, command: &C) -> Vec<u8> {
        self.send(&ocigw::ocip::document::encode_command(
            "raw-session",
            command,
        ))
        .await;
        self.recv().await.expect("an answer")
    }
}

/// Logs `raw` in as the demo administrator with the signed password (the plain-TCP flow).
pub async fn raw_login(raw: &mut Raw) {
    use ocigw::ocip::commands::{AuthenticationRequest, LoginRequest14sp4};
    let answer = raw
        .call(&AuthenticationRequest {
            user_id: "admin".into(),
        })
        .await;
    let text = String::from_utf8_lossy(&answer);
    let start = text.find("<nonce>").expect("a nonce") + "<nonce>".len();
    let nonce = &text[start..text[start..].find("</nonce>").expect("a nonce") + start];
    let answer = raw
        .call(&LoginRequest14sp4 {
            user_id: "admin".into(),
            signed_password: Some(Secret::new(ocigw::ocip::auth::signed_password(
                nonce, "admin",
            ))),
            plain_text_password: None,
        })
        .await;
    assert_eq!(command_types(&answer), ["LoginResponse14sp4"]);
}

/// The `xsi:type` of each command of a document, prefixes removed.
pub fn command_types(document: &[u8]) -> Vec<String> {
    let text = ocigw::ocip::xml::charset::decode_document(document).expect("decodable");
    let doc = ocigw::ocip::ParsedDocument::parse(&text).expect("parsable");
    let types = doc
        .commands()
        .map(|c| c.xsi_type().unwrap_or_default().to_owned())
        .collect();
    types
}

/// The English summary of the first ErrorResponse of a document.
pub fn error_summary(document: &[u8]) -> String {
    let text = ocigw::ocip::xml::charset::decode_document(document).expect("decodable");
    let doc = ocigw::ocip::ParsedDocument::parse(&text).expect("parsable");
    let summary = doc
        .commands()
        .find_map(|c| c.child_text("summaryEnglish").map(str::to_owned))
        .unwrap_or_default();
    summary
}

/// A gateway on port 0 in front of a simulator on port 0, with one token of each scope.
pub struct TestGateway {
    /// The gateway.
    pub gateway: ocigw::api::server::Gateway,
    /// The simulator behind it.
    pub sim: SimServer,
}

/// System-wide token.
pub const SYSTEM_TOKEN: &str = "system-token-0001";
/// Token limited to tenant ApioSpTest.
pub const TENANT_TOKEN: &str = "tenant-token-0001";
/// Token limited to group ApioSpTest/ApioGrpTest.
pub const GROUP_TOKEN: &str = "group-token-0001";
/// Token limited to group ApioSpTest/ApioGrpTest2.
pub const GROUP2_TOKEN: &str = "group2-token-0001";

/// Base path of the demo group's hunt groups.
pub const HG: &str = "/api/v1/tenants/ApioSpTest/groups/ApioGrpTest/services/hunt_groups";

impl TestGateway {
    /// Starts a simulator with `directory` and a gateway with `config` (tokens added).
    pub async fn start_with(directory: Directory, mut config: ocigw::config::Config) -> Self {
        let sim = start_sim_with(SimConfig::new(loopback(), directory)).await;
        let token =
            |token: &str, tenant: Option<&str>, group: Option<&str>| ocigw::config::TokenSettings {
                name: Some(token.split('-').next().unwrap_or(token).to_owned()),
                token: token.to_owned(),
                tenant: tenant.map(str::to_owned),
                group: group.map(str::to_owned),
            };
        config.api.tokens = vec![
            token(SYSTEM_TOKEN, None, None),
            token(TENANT_TOKEN, Some("ApioSpTest"), None),
            token(GROUP2_TOKEN, Some("ApioSpTest"), Some("ApioGrpTest2")),
            token(GROUP_TOKEN, Some("ApioSpTest"), Some("ApioGrpTest")),
        ];
        let gateway = ocigw::api::server::Gateway::start(ocigw::api::server::GatewayOptions {
            listen: loopback(),
            oci: admin_options(&sim),
            pool_size: 2,
            settings: ocigw::service::settings::HuntGroupSettings::from_config(&config)
                .expect("valid settings"),
            tokens: ocigw::api::auth::Tokens::from_settings(&config.api.tokens).unwrap(),
            max_body_bytes: config.api.max_body_bytes.unwrap_or(64 * 1024),
            rate_limit_per_second: config.api.rate_limit_per_second.unwrap_or(0),
            limits: ocigw::api::server::HttpLimits {
                bulk_max_rows: config
                    .api
                    .bulk_max_rows
                    .unwrap_or(ocigw::api::server::DEFAULT_BULK_MAX_ROWS),
                ..Default::default()
            },
            cors_origins: config.api.cors_origins.clone(),
            catalog: ocigw::schema::Catalog::embedded(),
        })
        .await
        .expect("gateway starts");
        Self { gateway, sim }
    }

    /// Demo data, default settings.
    pub async fn start() -> Self {
        Self::start_with(demo_directory(), Default::default()).await
    }

    /// A request with the system token.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> crate::http::Response {
        self.call_as(SYSTEM_TOKEN, method, path, body).await
    }

    /// A request with a given token.
    pub async fn call_as(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> crate::http::Response {
        let bytes = body.map(|b| serde_json::to_vec(&b).unwrap());
        crate::http::request(
            self.gateway.addr(),
            method,
            path,
            Some(token),
            bytes.as_deref(),
        )
        .await
    }
}

/// Gateway options in front of `oci` with one system-wide token ([`SYSTEM_TOKEN`]), a pool of one
/// session, default settings and limits, no rate limit; tests adjust what they need.
pub fn system_gateway_options(
    oci: ocigw::ocip::ConnectOptions,
) -> ocigw::api::server::GatewayOptions {
    ocigw::api::server::GatewayOptions::on_loopback(
        oci,
        ocigw::api::auth::Tokens::from_settings(&[ocigw::config::TokenSettings {
            name: None,
            token: SYSTEM_TOKEN.into(),
            tenant: None,
            group: None,
        }])
        .expect("a valid token"),
    )
    .expect("default settings")
}

/// Runs the `ocigw` binary with `args` (and OCIGW_OCI_PASSWORD when given).
pub async fn run_ocigw(args: &[&str], password: Option<&str>) -> std::process::Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_ocigw"));
    command.args(args).env_remove("OCIGW_OCI_PASSWORD");
    if let Some(p) = password {
        command.env("OCIGW_OCI_PASSWORD", p);
    }
    command.output().await.expect("ocigw runs")
}
