//! The commands the simulator received, for the control API (`GET /commands`): what a client
//! sent, on which connection and session, when, and what it got back.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

/// Most commands kept; older ones are dropped (and counted).
pub const CAPACITY: usize = 10_000;

/// One received command and its answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Received {
    /// Sequence number, from 1 over the simulator's life (never reused, also after a clear).
    pub seq: u64,
    /// The connection, numbered from 1 in accept order.
    pub connection: u64,
    /// The document's session id.
    pub session: String,
    /// When it was received, milliseconds since the Unix epoch.
    pub unix_ms: u64,
    /// The command type.
    pub command: String,
    /// The answer's command type (`ErrorResponse` for a refusal).
    pub answer: String,
    /// The refusal's text (`[Error N] …`), for an ErrorResponse.
    pub error: Option<String>,
    /// The recording that answered, when one did (`--answers`).
    pub recording: Option<String>,
}

/// The commands received, oldest first, at most [`CAPACITY`].
#[derive(Debug, Default)]
pub struct Journal {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    entries: VecDeque<Received>,
    last_seq: u64,
    dropped: u64,
}

/// What a client of the journal is shown: the commands after a sequence number and how many
/// older ones were dropped.
#[derive(Debug, Clone, Serialize)]
pub struct JournalView {
    /// The commands, oldest first.
    pub commands: Vec<Received>,
    /// Commands dropped because more than [`CAPACITY`] were kept.
    pub dropped: u64,
}

impl Journal {
    /// Records a command; `seq` and `unix_ms` are filled in here.
    pub fn push(&self, mut received: Received) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.last_seq += 1;
        received.seq = inner.last_seq;
        received.unix_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        if inner.entries.len() == CAPACITY {
            inner.entries.pop_front();
            inner.dropped += 1;
        }
        inner.entries.push_back(received);
    }

    /// The commands whose sequence number is above `after` (all with 0).
    pub fn since(&self, after: u64) -> JournalView {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        JournalView {
            commands: inner
                .entries
                .iter()
                .filter(|r| r.seq > after)
                .cloned()
                .collect(),
            dropped: inner.dropped,
        }
    }

    /// Forgets every command (sequence numbers go on).
    pub fn clear(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.entries.clear();
        inner.dropped = 0;
    }
}
