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

/// A simulator with the given configuration.
pub async fn start_sim_with(config: SimConfig) -> SimServer {
    SimServer::start(config).await.expect("simulator starts")
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
