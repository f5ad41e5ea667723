//! A BroadWorks OCI-P simulator: a real OCI-P server over TCP (or TLS) with an in-memory
//! directory, answering the login and hunt group commands as BroadWorks does. It is built from
//! the same codec and command types as the client, seen from the other side, and never uses the
//! client session. It can answer from recordings (`--answers`) and be driven over HTTP by test
//! suites (`--control`).

pub mod answers;
pub mod connection;
pub mod control;
pub mod data;
pub mod directory;
pub mod error;
pub mod faults;
pub mod group;
pub mod hunt_group;
pub mod journal;
pub mod number;
pub mod provider;
pub mod search;
pub mod server;
pub mod user;

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

pub use answers::Answers;
pub use data::DataFile;
pub use directory::Directory;
pub use server::{SimConfig, SimServer, TlsIdentity};

use faults::{FaultSettings, LiveFaults};
use journal::Journal;

/// State shared by every connection of one simulator.
#[derive(Debug, Default)]
pub struct Shared {
    /// The directory.
    pub directory: Mutex<Directory>,
    /// The directory a reset returns to: the one loaded at start or by the control API.
    pub loaded: Mutex<Directory>,
    /// Recorded answers (`--answers`).
    pub answers: Answers,
    /// Fault injection in force.
    pub faults: LiveFaults,
    /// The commands received, kept when the control API is on.
    pub journal: Option<Journal>,
    /// How many commands the simulator has received (login included), for tests and metrics.
    pub commands_seen: AtomicU64,
    /// Documents answered (a document carries up to 15 commands): the round trips clients made.
    pub documents_seen: AtomicU64,
    /// Connections open now.
    pub connections_open: AtomicU64,
    /// Set when the simulator stops: every connection closes.
    pub stopped: std::sync::atomic::AtomicBool,
    /// Wakes the connections when the simulator stops.
    pub stop: tokio::sync::Notify,
}

impl Shared {
    /// Shared state around a directory, with no recordings, faults or journal.
    pub fn new(directory: Directory) -> Arc<Self> {
        Self::with(
            directory,
            Answers::default(),
            FaultSettings::default(),
            false,
        )
    }

    /// Shared state around a directory, with recordings, faults, and a journal of received
    /// commands when `journal` is set.
    pub fn with(
        directory: Directory,
        answers: Answers,
        faults: FaultSettings,
        journal: bool,
    ) -> Arc<Self> {
        Arc::new(Self {
            loaded: Mutex::new(directory.clone()),
            directory: Mutex::new(directory),
            answers,
            faults: LiveFaults::new(faults),
            journal: journal.then(Journal::default),
            ..Self::default()
        })
    }

    /// The directory, locked. A poisoned lock means a handler panicked; the data is still
    /// consistent because handlers validate before they write, so serving goes on.
    pub fn directory(&self) -> std::sync::MutexGuard<'_, Directory> {
        self.directory.lock().unwrap_or_else(|p| p.into_inner())
    }
}
