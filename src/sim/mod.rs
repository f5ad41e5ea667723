//! A BroadWorks OCI-P simulator: a real OCI-P server over TCP (or TLS) with an in-memory
//! directory, answering the login and hunt group commands as BroadWorks does. It is built from
//! the same codec and command types as the client, seen from the other side, and never uses the
//! client session.

pub mod connection;
pub mod data;
pub mod directory;
pub mod error;
pub mod faults;
pub mod group;
pub mod hunt_group;
pub mod number;
pub mod provider;
pub mod search;
pub mod server;
pub mod user;

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

pub use data::DataFile;
pub use directory::Directory;
pub use server::{SimConfig, SimServer, TlsIdentity};

/// State shared by every connection of one simulator.
#[derive(Debug, Default)]
pub struct Shared {
    /// The directory.
    pub directory: Mutex<Directory>,
    /// How many commands the simulator has received (login included), for tests and metrics.
    pub commands_seen: AtomicU64,
    /// Documents answered (a document carries up to 15 commands): the round trips clients made.
    pub documents_seen: AtomicU64,
    /// Set when the simulator stops: every connection closes.
    pub stopped: std::sync::atomic::AtomicBool,
    /// Wakes the connections when the simulator stops.
    pub stop: tokio::sync::Notify,
}

impl Shared {
    /// Shared state around a directory.
    pub fn new(directory: Directory) -> Arc<Self> {
        Arc::new(Self {
            directory: Mutex::new(directory),
            commands_seen: AtomicU64::new(0),
            documents_seen: AtomicU64::new(0),
            stopped: Default::default(),
            stop: Default::default(),
        })
    }
}
