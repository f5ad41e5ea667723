//! A small pool of logged-in sessions shared by every request of the gateway.
//!
//! Callers take sessions round robin; each session queues its own callers, so a pool of N keeps
//! N requests in flight. A session found closed (dropped, timed out, logged out) is replaced by a
//! fresh login on the next use. Connections are made lazily, so the gateway starts while
//! BroadWorks is down and serves as soon as it is back.

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Mutex;

use crate::ocip::error::OciError;
use crate::ocip::options::ConnectOptions;
use crate::ocip::session::Session;
use crate::ocip::value::OciRequest;

/// Default number of sessions.
pub const DEFAULT_POOL_SIZE: usize = 4;

/// N sessions to one BroadWorks.
pub struct Pool {
    options: ConnectOptions,
    slots: Vec<Mutex<Option<Session>>>,
    next: AtomicUsize,
}

/// What `/health` reports about the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolHealth {
    /// Sessions logged in now.
    pub logged_in: usize,
    /// Pool size.
    pub size: usize,
}

impl Pool {
    /// A pool of `size` sessions (at least one) to the BroadWorks of `options`.
    pub fn new(options: ConnectOptions, size: usize) -> Self {
        Self {
            options,
            slots: (0..size.max(1)).map(|_| Mutex::new(None)).collect(),
            next: AtomicUsize::new(0),
        }
    }

    /// Logs every session in now; returns the first error (the pool stays usable).
    pub async fn warm_up(&self) -> Result<(), OciError> {
        for slot in &self.slots {
            self.ensure(slot).await?;
        }
        Ok(())
    }

    /// A logged-in session, logging in again when the chosen one is closed.
    pub async fn session(&self) -> Result<Session, OciError> {
        let index = self.next.fetch_add(1, Ordering::Relaxed) % self.slots.len();
        self.ensure(&self.slots[index]).await
    }

    async fn ensure(&self, slot: &Mutex<Option<Session>>) -> Result<Session, OciError> {
        let mut slot = slot.lock().await;
        if let Some(session) = slot.as_ref().filter(|s| !s.is_closed()) {
            return Ok(session.clone());
        }
        let session = Session::connect(&self.options).await?;
        *slot = Some(session.clone());
        Ok(session)
    }

    /// Sends a request on one of the sessions.
    pub async fn call<R: OciRequest>(&self, request: &R) -> Result<R::Response, OciError> {
        self.session().await?.call(request).await
    }

    /// Logged-in sessions versus pool size.
    pub fn health(&self) -> PoolHealth {
        let logged_in = self
            .slots
            .iter()
            .filter(|slot| {
                slot.try_lock()
                    .map(|s| s.as_ref().is_some_and(|s| !s.is_closed()))
                    .unwrap_or(false)
            })
            .count();
        PoolHealth {
            logged_in,
            size: self.slots.len(),
        }
    }

    /// Logs every session out.
    pub async fn close(&self) {
        for slot in &self.slots {
            if let Some(session) = slot.lock().await.take() {
                session.logout().await;
            }
        }
    }
}
