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
    ConnectOptions::new("127.0.0.1", sim.addr().port(), "admin", Secret::new("admin"))
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
