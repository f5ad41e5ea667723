//! A pool of logged-in sessions shared by every request of the gateway.
//!
//! - Callers queue fairly (FIFO) for one of N sessions, one request in flight per session; a
//!   caller that waits longer than the queue limit gets [`OciError::Busy`] (a 503).
//! - A closed or expired session is replaced by a fresh login, transparently. While BroadWorks is
//!   down, logins are retried with exponential back-off and jitter; callers meanwhile fail fast
//!   with [`OciError::Unavailable`], and the pool recovers by itself when BroadWorks is back.
//! - When a connection breaks before the answer, the request's [`Recovery`] decides: reads and
//!   idempotent writes are sent again once; a create or delete is checked by reading the instance
//!   before anything is sent again; other writes report the failure. No duplicate, no silent
//!   loss.

use std::future::Future;
use std::sync::Mutex as SyncMutex;
use std::time::{Duration, Instant};

use rand::Rng;
use tokio::sync::{Mutex, Semaphore};

use bytes::BytesMut;

use crate::ocip::commands::ErrorResponse;
use crate::ocip::document::{decode_command, encode_document, ParsedDocument};
use crate::ocip::error::OciError;
use crate::ocip::options::ConnectOptions;
use crate::ocip::refusal::{classify, Refusal};
use crate::ocip::session::Session;
use crate::ocip::value::{OciRequest, Recovery};
use crate::ocip::xml::charset::decode_document;

/// Default number of sessions.
pub const DEFAULT_POOL_SIZE: usize = 4;

const BACKOFF_START: Duration = Duration::from_millis(100);
const BACKOFF_MAX: Duration = Duration::from_secs(30);

/// N sessions to one BroadWorks.
pub struct Pool {
    options: ConnectOptions,
    slots: Vec<Mutex<Option<Session>>>,
    idle: SyncMutex<Vec<usize>>,
    permits: Semaphore,
    queue_wait: Duration,
    backoff: SyncMutex<Backoff>,
}

#[derive(Debug, Default)]
struct Backoff {
    failures: u32,
    retry_at: Option<Instant>,
    cause: String,
}

/// What `/health` reports about the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolHealth {
    /// Sessions logged in now.
    pub logged_in: usize,
    /// Pool size.
    pub size: usize,
}

/// How a document sent by [`Pool::send_healing`] ended.
enum Sent<'p, T> {
    /// Answered, or failed with a known outcome (refused, or no session to be had).
    Done(Result<T, OciError>),
    /// The connection broke before the answer: the session is discarded; the slot, still
    /// leased, is where the writes' recovery runs.
    Broken(Lease<'p>, OciError),
}

/// The ErrorResponse of an answer document that says its session is not logged in.
fn expiry_in(frame: &[u8]) -> Option<ErrorResponse> {
    let text = decode_document(frame).ok()?;
    let parsed = ParsedDocument::parse(&text).ok()?;
    let first = parsed.first_command().ok()?;
    let error: ErrorResponse = decode_command(first).ok()?;
    (classify(&error) == Refusal::NotAuthenticated).then_some(error)
}

/// Whether an answer says the session expired: it is sent again on a fresh login.
fn expired<T>(answer: &Result<T, OciError>) -> bool {
    answer.as_ref().is_err_and(OciError::session_expired)
}

/// A session slot held by one caller; gives the slot back when dropped.
struct Lease<'p> {
    pool: &'p Pool,
    index: usize,
    _permit: tokio::sync::SemaphorePermit<'p>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Ok(mut idle) = self.pool.idle.lock() {
            idle.push(self.index);
        }
    }
}

impl Pool {
    /// A pool of `size` sessions (at least one) to the BroadWorks of `options`.
    /// Callers wait at most `options.queue_wait` for a free session.
    pub fn new(options: ConnectOptions, size: usize) -> Self {
        let size = size.max(1);
        let queue_wait = options.queue_wait;
        Self {
            options,
            slots: (0..size).map(|_| Mutex::new(None)).collect(),
            idle: SyncMutex::new((0..size).rev().collect()),
            permits: Semaphore::new(size),
            queue_wait,
            backoff: SyncMutex::new(Backoff::default()),
        }
    }

    /// Logs every session in now, all at once; returns the first error (the pool stays usable).
    pub async fn warm_up(&self) -> Result<(), OciError> {
        let logins = (0..self.slots.len()).map(|index| self.ensure(index));
        for result in futures::future::join_all(logins).await {
            result?;
        }
        Ok(())
    }

    async fn lease(&self) -> Result<Lease<'_>, OciError> {
        let started = Instant::now();
        let permit = tokio::time::timeout(self.queue_wait, self.permits.acquire())
            .await
            .map_err(|_| OciError::Busy {
                size: self.slots.len(),
                waited: self.queue_wait,
            })?
            .map_err(|_| OciError::Closed)?;
        crate::telemetry::queue_wait(started.elapsed());
        let index = self
            .idle
            .lock()
            .ok()
            .and_then(|mut idle| idle.pop())
            .ok_or(OciError::Closed)?;
        Ok(Lease {
            pool: self,
            index,
            _permit: permit,
        })
    }

    /// A logged-in session (for callers that need one session for several requests).
    pub async fn session(&self) -> Result<Session, OciError> {
        let lease = self.lease().await?;
        self.ensure(lease.index).await
    }

    /// The session of slot `index`, logging in again when it is closed (with back-off while
    /// BroadWorks is down).
    async fn ensure(&self, index: usize) -> Result<Session, OciError> {
        let mut slot = self.slots[index].lock().await;
        if let Some(session) = slot.as_ref().filter(|s| !s.is_closed()) {
            return Ok(session.clone());
        }
        *slot = None;
        self.check_backoff()?;
        // A login cut short (the connection dropped mid-login) is tried again at once; only an
        // unreachable BroadWorks starts the back-off.
        let mut attempts = 0;
        loop {
            attempts += 1;
            // Boxed: a login's future (TLS handshake included) is large, and every call's future
            // would carry its space, copied on each move, for the rare call that logs in.
            match Box::pin(Session::connect(&self.options)).await {
                Ok(session) => {
                    if let Ok(mut b) = self.backoff.lock() {
                        *b = Backoff::default();
                    }
                    *slot = Some(session.clone());
                    return Ok(session);
                }
                Err(e) if e.outcome_unknown() && attempts < 3 => continue,
                Err(e) => {
                    if matches!(e, OciError::Connect { .. } | OciError::Tls { .. }) {
                        self.note_failure(&e);
                    }
                    return Err(e);
                }
            }
        }
    }

    fn check_backoff(&self) -> Result<(), OciError> {
        let b = self.backoff.lock().map_err(|_| OciError::Closed)?;
        match b.retry_at {
            Some(at) if at > Instant::now() => Err(OciError::Unavailable {
                cause: b.cause.clone(),
                retry_in: at - Instant::now(),
            }),
            _ => Ok(()),
        }
    }

    fn note_failure(&self, e: &OciError) {
        if let Ok(mut b) = self.backoff.lock() {
            b.failures = b.failures.saturating_add(1);
            let exp = BACKOFF_START
                .saturating_mul(1u32 << b.failures.min(16))
                .min(BACKOFF_MAX);
            let jitter = rand::thread_rng().gen_range(0.5..1.5);
            // The jitter spreads retries; it never takes the wait past the documented maximum.
            b.retry_at = Some(Instant::now() + exp.mul_f64(jitter).min(BACKOFF_MAX));
            b.cause = e.to_string();
            tracing::warn!(failures = b.failures, error = %e, "BroadWorks login failed; backing off");
        }
    }

    /// Drops the session of slot `index` (closed, expired or broken).
    async fn discard(&self, index: usize) {
        self.slots[index].lock().await.take();
    }

    /// Sends a request on a free session, healing and recovering as the module describes.
    pub async fn call<R: OciRequest>(&self, request: &R) -> Result<R::Response, OciError> {
        match self
            .send_healing(
                |session| async move { session.call(request).await },
                expired,
            )
            .await
        {
            Sent::Done(answer) => answer,
            // Boxed, as the rare path it is: the recovery's future is large.
            Sent::Broken(lease, error) => {
                Box::pin(self.recover_write(lease.index, request, error)).await
            }
        }
    }

    /// Sends one document with `send` on a free session, as every call does: its answer, or,
    /// when the session had expired (as `expired` reads the answer), the answer on a fresh
    /// login. When the connection broke before the answer, the session is discarded and the
    /// slot, still leased, is given back with the error for the caller's recovery.
    async fn send_healing<T, F: Future<Output = Result<T, OciError>>>(
        &self,
        send: impl Fn(Session) -> F,
        expired: impl Fn(&Result<T, OciError>) -> bool,
    ) -> Sent<'_, T> {
        let lease = match self.lease().await {
            Ok(lease) => lease,
            Err(e) => return Sent::Done(Err(e)),
        };
        let index = lease.index;
        let answer = match self.ensure(index).await {
            Ok(session) => send(session).await,
            Err(e) => return Sent::Done(Err(e)),
        };
        if expired(&answer) {
            tracing::info!("OCI-P session expired; logging in again");
            self.discard(index).await;
            return Sent::Done(match self.ensure(index).await {
                Ok(session) => send(session).await,
                Err(e) => Err(e),
            });
        }
        match answer {
            Err(error) if error.outcome_unknown() => {
                self.discard(index).await;
                Sent::Broken(lease, error)
            }
            answer => Sent::Done(answer),
        }
    }

    /// Sends commands already written (up to 15, as [`crate::schema::exchange`] prepares them)
    /// in one document on a free session and returns the raw answer document. An expired
    /// session is logged in again and the document sent once more; when the connection breaks
    /// before the answer, a document of reads only (`reads_only`) is sent once more on another
    /// session, anything else is reported as of unknown outcome, never sent again blindly.
    pub async fn call_commands(
        &self,
        commands: &[Vec<u8>],
        reads_only: bool,
    ) -> Result<BytesMut, OciError> {
        let send = |session: Session| async move {
            let document = encode_document(session.session_id(), |w| {
                commands.iter().for_each(|c| w.raw_bytes(c));
            });
            let frame = session.call_document("OCI commands", document).await?;
            match expiry_in(&frame) {
                Some(error) => Err(OciError::Refused {
                    command: "OCI commands".to_owned(),
                    error,
                }),
                None => Ok(frame),
            }
        };
        match self.send_healing(send, expired).await {
            Sent::Done(answer) => answer,
            Sent::Broken(lease, error) => {
                drop(lease);
                if !reads_only {
                    return Err(error);
                }
                match Box::pin(self.send_healing(send, expired)).await {
                    Sent::Done(answer) => answer,
                    Sent::Broken(_, error) => Err(error),
                }
            }
        }
    }

    /// Sends two reads in one document on a free session (one round trip for both). When the
    /// exchange fails, each is sent on its own as [`Pool::call`] sends it, healing included.
    pub async fn call_two<A: OciRequest, B: OciRequest>(
        &self,
        a: &A,
        b: &B,
    ) -> (Result<A::Response, OciError>, Result<B::Response, OciError>) {
        // The session expired when the document or either read says so.
        let either_expired = |answer: &Result<(Result<A::Response, OciError>, _), _>| match answer {
            Ok((a_answer, b_answer)) => expired(a_answer) || expired(b_answer),
            Err(_) => expired(answer),
        };
        let sent = self
            .send_healing(
                |session| async move { session.call_two(a, b).await },
                either_expired,
            )
            .await;
        match sent {
            Sent::Done(Ok((a_answer, b_answer))) if !expired(&a_answer) && !expired(&b_answer) => {
                return (a_answer, b_answer)
            }
            // The slot of a broken document is given back first: the calls below lease one.
            other => drop(other),
        }
        // Broken, failed as a document, or expired again: each on its own, which heals (boxed,
        // as the rare path it is, so the common one's future stays small).
        (Box::pin(self.call(a)).await, Box::pin(self.call(b)).await)
    }

    /// Sends a write and two reads in one document on a free session (one round trip): the
    /// reads show what the write made, as BroadWorks executes a document's commands in order.
    /// The error is the write's; the reads' answers are given only when the write succeeded.
    /// When the connection breaks before the answer, the write gets its own recovery (as
    /// [`Pool::call`] gives it: nothing lost, nothing doubled) and the reads are sent again.
    pub async fn write_then_read_two<W: OciRequest, A: OciRequest, B: OciRequest>(
        &self,
        write: &W,
        a: &A,
        b: &B,
    ) -> Result<WrittenAndRead<W, A, B>, OciError> {
        // The session expired when the document or the write, its first command, says so.
        let write_expired = |answer: &Result<(Result<W::Response, OciError>, _, _), _>| match answer
        {
            Ok((written, _, _)) => expired(written),
            Err(_) => expired(answer),
        };
        let (lease, error) = match self
            .send_healing(
                |session| async move { session.call_three(write, a, b).await },
                write_expired,
            )
            .await
        {
            Sent::Done(answer) => {
                let (written, a_answer, b_answer) = answer?;
                return written.map(|w| (w, a_answer, b_answer));
            }
            Sent::Broken(lease, error) => (lease, error),
        };
        // Boxed, as the rare path it is: the recovery's future is large.
        let written = Box::pin(self.recover_write(lease.index, write, error)).await?;
        // The reads lease a session of their own.
        drop(lease);
        let (a_answer, b_answer) = Box::pin(self.call_two(a, b)).await;
        Ok((written, a_answer, b_answer))
    }

    /// Sends up to [`MAX_COMMANDS`](crate::ocip::document::MAX_COMMANDS) requests in one
    /// document on a free session and returns one result per request, in order, each as
    /// [`Pool::call`] would give it: a refusal of one leaves the others alone, and when the
    /// connection breaks before the answer every request gets its own recovery (nothing lost,
    /// nothing doubled).
    pub async fn call_many<R: OciRequest>(
        &self,
        requests: &[&R],
    ) -> Vec<Result<R::Response, OciError>> {
        // The document's own failure, for each of its requests.
        let fail_all = |e: &OciError| requests.iter().map(|_| Err(copy_of(e, R::NAME))).collect();
        let (lease, error) = match self
            .send_healing(
                |session| async move { session.call_many(requests).await },
                expired,
            )
            .await
        {
            Sent::Done(Ok(results)) => return results,
            Sent::Done(Err(e)) => return fail_all(&e),
            Sent::Broken(lease, error) => (lease, error),
        };
        let index = lease.index;
        tracing::warn!(command = R::NAME, commands = requests.len(), error = %error, "connection broke before the answer to a document; recovering each command");
        let mut results = Vec::with_capacity(requests.len());
        for &request in requests {
            let own = copy_of(&error, R::NAME);
            results.push(Box::pin(self.recover_write(index, request, own)).await);
        }
        results
    }

    /// What became of one request whose connection broke before its answer.
    async fn recover_write<R: OciRequest>(
        &self,
        index: usize,
        request: &R,
        error: OciError,
    ) -> Result<R::Response, OciError> {
        let recovery = request.recovery();
        tracing::warn!(command = R::NAME, error = %error, ?recovery, "connection broke before the answer");
        let is_read = matches!(recovery, Recovery::Resend);
        let mut recovered = self.recover(index, request, recovery, error).await;
        // The check (or the resend) broke too: it starts again from the check on a fresh
        // session, a few times, since it never repeats a write the check would have found.
        for _ in 1..RECOVERY_ATTEMPTS {
            match &recovered {
                Err(e) if e.outcome_unknown() => {
                    self.discard(index).await;
                    let again = copy_of(e, R::NAME);
                    recovered = self
                        .recover(index, request, request.recovery(), again)
                        .await;
                }
                _ => break,
            }
        }
        match recovered {
            // A write whose check failed too: nobody knows whether it was applied.
            Err(e) if !is_read && e.server_error().is_none() => Err(OciError::OutcomeUnknown {
                command: R::NAME.to_owned(),
                cause: e.to_string(),
            }),
            other => other,
        }
    }

    /// Decides, on a fresh session, what became of a request whose connection broke.
    async fn recover<R: OciRequest>(
        &self,
        index: usize,
        request: &R,
        recovery: Recovery,
        error: OciError,
    ) -> Result<R::Response, OciError> {
        if matches!(recovery, Recovery::Report) {
            return Err(error);
        }
        let session = self.ensure(index).await?;
        match recovery {
            Recovery::Report => Err(error),
            Recovery::Resend => session.call(request).await,
            // Found and confirmed: it happened. Found but different: the id was taken before,
            // and sending again lets BroadWorks itself say so.
            Recovery::Creates(probe) => match session.probe(&probe).await? {
                Some(true) => Ok(R::Response::default()),
                Some(false) | None => session.call(request).await,
            },
            Recovery::Updates(probe) => match session.probe(&probe).await? {
                Some(_) => session.call(request).await,
                None => Err(error),
            },
            Recovery::Deletes(probe) => match session.probe(&probe).await? {
                None => Ok(R::Response::default()),
                Some(_) => session.call(request).await,
            },
        }
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
        let logouts = self.slots.iter().map(|slot| async move {
            let session = slot.lock().await.take();
            if let Some(session) = session {
                session.logout().await;
            }
        });
        futures::future::join_all(logouts).await;
    }
}

/// What [`Pool::write_then_read_two`] gives back: the write's response and each read's result.
pub type WrittenAndRead<W, A, B> = (
    <W as OciRequest>::Response,
    Result<<A as OciRequest>::Response, OciError>,
    Result<<B as OciRequest>::Response, OciError>,
);

/// How many times the recovery of one request starts over when its own connection breaks.
const RECOVERY_ATTEMPTS: usize = 4;

/// The same failure for another command of a document (errors are not `Clone`: the sockets'
/// errors they carry are not): a refusal is copied as it is, anything else keeps its text and
/// whether the outcome is unknown.
fn copy_of(error: &OciError, command: &str) -> OciError {
    match error {
        OciError::Refused { command, error } => OciError::Refused {
            command: command.clone(),
            error: error.clone(),
        },
        e if e.outcome_unknown() => OciError::OutcomeUnknown {
            command: command.to_owned(),
            cause: e.to_string(),
        },
        OciError::Unavailable { cause, retry_in } => OciError::Unavailable {
            cause: cause.clone(),
            retry_in: *retry_in,
        },
        e => OciError::Document(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocip::{ConnectOptions, Secret};

    #[test]
    fn the_back_off_never_passes_its_documented_maximum() {
        let pool = Pool::new(
            ConnectOptions::new("127.0.0.1", 9, "a", Secret::new("b")),
            1,
        );
        let error = OciError::Closed;
        for _ in 0..40 {
            pool.note_failure(&error);
            let wait = pool
                .backoff
                .lock()
                .unwrap()
                .retry_at
                .unwrap()
                .saturating_duration_since(Instant::now());
            assert!(wait <= BACKOFF_MAX, "{wait:?}");
        }
        let message = pool.check_backoff().unwrap_err().to_string();
        assert_eq!(message.matches("unreachable").count(), 1, "{message}");
    }
}
