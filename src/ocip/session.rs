//! One persistent, logged-in OCI-P session.
//!
//! [`Session`] is a cheap cloneable handle on one connection, which carries one document at a
//! time, in the order callers queue for it (a fair lock). The caller's own task encodes, writes,
//! reads and decodes: no hop through another task, whose wake-ups cost more than the exchange
//! on a fast link. A caller that gives up (its future dropped) never leaves the connection out of
//! step: when its document is on the wire, a task reads and drops the answer before the next
//! caller gets the connection; when the write itself was cut, the session closes. A timeout or a
//! broken connection closes the session too: after either, the state of the exchange is unknown,
//! and later calls fail with [`OciError::Closed`] instead of reading a stale answer. The pool
//! replaces closed sessions.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use futures::{SinkExt, StreamExt};
use tokio::sync::{Mutex, OwnedMutexGuard};
use tokio_util::codec::Framed;

use crate::ocip::auth::signed_password;
use crate::ocip::codec::OciCodec;
use crate::ocip::commands::{
    AuthenticationRequest, ErrorResponse, LoginRequest14sp4, LoginRequest22V5, LogoutRequest,
};
use crate::ocip::document::{
    command_type, decode_command, encode_command, encode_document, for_each_command,
    untyped_command, ParsedDocument, MAX_COMMANDS,
};
use crate::ocip::error::{DecodeError, OciError};
use crate::ocip::options::{ConnectOptions, LoginMethod};
use crate::ocip::record::Recorder;
use crate::ocip::refusal::{classify, Refusal};
use crate::ocip::transport::{self, BoxStream};
use crate::ocip::value::{Node, OciCommand, OciRequest, Probe};
use crate::ocip::xml::charset::decode_document;
use crate::ocip::xml::{Element, XmlWriter};

/// A framed OCI-P connection.
pub(crate) type Connection = Framed<BoxStream, OciCodec>;

/// What the login told us about the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginInfo {
    /// `System`, `Provisioning`, `Service Provider`, `Group`…
    pub login_type: String,
    /// The session encoding BroadWorks announced.
    pub encoding: String,
    /// The administrator's domain.
    pub user_domain: String,
}

/// The connection, `None` once the session is closed.
type Slot = Arc<Mutex<Option<Connection>>>;

struct Inner {
    conn: Slot,
    closed: Arc<AtomicBool>,
    call_timeout: Duration,
    recorder: Option<Arc<Recorder>>,
    session_id: String,
    user: String,
    login: LoginInfo,
}

impl Drop for Inner {
    /// Every handle is gone: log out without waiting, as BroadWorks clients do.
    fn drop(&mut self) {
        if self.closed.swap(true, Ordering::AcqRel) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let conn = self.conn.clone();
        let (session_id, user) = (self.session_id.clone(), self.user.clone());
        runtime.spawn(async move {
            if let Some(mut conn) = conn.lock().await.take() {
                send_logout(&mut conn, &session_id, &user, false).await;
            }
        });
    }
}

/// Where an exchange stands, for a caller that gives up in the middle of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Nothing written yet, or the whole exchange is over: the connection is in step.
    InStep,
    /// The document may be partly written: the connection cannot be used again.
    Writing,
    /// The document is written; its answer is still to be read.
    Awaiting,
}

/// One exchange on the locked connection. Dropped before it is over (its caller gave up), it
/// puts the connection back in step, or closes it.
struct InFlight {
    guard: Option<OwnedMutexGuard<Option<Connection>>>,
    phase: Phase,
    limit: Duration,
    closed: Arc<AtomicBool>,
}

impl InFlight {
    /// Sends `document` and reads its answer within the limit; a failure other than a
    /// refusal or an undecodable answer closes the session.
    async fn exchange(&mut self, command: &str, document: &[u8]) -> Result<BytesMut, OciError> {
        let Some(conn) = self.guard.as_mut().and_then(|g| g.as_mut()) else {
            return Err(OciError::Closed);
        };
        self.phase = Phase::Writing;
        let sent = conn.send(document).await;
        self.phase = Phase::Awaiting;
        let result = match sent {
            Err(e) => Err(e.into()),
            Ok(()) => receive(conn, command, self.limit).await,
        };
        self.phase = Phase::InStep;
        let broken = result.is_err()
            && !matches!(
                result,
                Err(OciError::Decode(_)) | Err(OciError::Refused { .. })
            );
        if broken {
            if let Err(e) = &result {
                tracing::warn!(command, error = %e, "OCI-P session closed after a failed exchange");
            }
            self.close();
        }
        result
    }

    fn close(&mut self) {
        self.closed.store(true, Ordering::Release);
        if let Some(mut conn) = self.guard.as_mut().and_then(|g| g.take()) {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    let _ = conn.close().await;
                });
            }
        }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        match self.phase {
            Phase::InStep => {}
            Phase::Writing => self.close(),
            Phase::Awaiting => {
                let (Some(mut guard), Ok(runtime)) =
                    (self.guard.take(), tokio::runtime::Handle::try_current())
                else {
                    self.close();
                    return;
                };
                let (limit, closed) = (self.limit, self.closed.clone());
                // The answer is read and dropped before the lock is released.
                runtime.spawn(async move {
                    let in_step = match guard.as_mut() {
                        Some(conn) => receive(conn, "an abandoned call", limit).await.is_ok(),
                        None => false,
                    };
                    if !in_step {
                        closed.store(true, Ordering::Release);
                        if let Some(mut conn) = guard.take() {
                            let _ = conn.close().await;
                        }
                    }
                });
            }
        }
    }
}

/// A handle on a logged-in OCI-P session; clone it freely.
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("session_id", &self.inner.session_id)
            .field("user", &self.inner.user)
            .finish()
    }
}

impl Session {
    /// Connects, logs in and starts the driver task.
    pub async fn connect(opts: &ConnectOptions) -> Result<Self, OciError> {
        if opts.login == LoginMethod::Plain && opts.tls.is_none() {
            return Err(OciError::Options(
                "the plain-password login (LoginRequest22V5) is only allowed over TLS".into(),
            ));
        }
        let stream = transport::connect(opts).await?;
        let mut conn = Framed::new(stream, OciCodec::new(opts.max_document));
        let session_id = new_session_id();
        let login = match login(&mut conn, &session_id, opts).await {
            Ok(login) => {
                crate::telemetry::login("ok");
                login
            }
            Err(e) => {
                crate::telemetry::login(if matches!(e, OciError::LoginRefused { .. }) {
                    "refused"
                } else {
                    "failed"
                });
                return Err(e);
            }
        };
        tracing::info!(addr = %opts.addr(), user = %opts.user, login_type = %login.login_type, "OCI-P session logged in");
        Ok(Self {
            inner: Arc::new(Inner {
                conn: Arc::new(Mutex::new(Some(conn))),
                closed: Arc::new(AtomicBool::new(false)),
                call_timeout: opts.call_timeout,
                recorder: opts.recorder.clone(),
                session_id,
                user: opts.user.clone(),
                login,
            }),
        })
    }

    /// Sends a typed request and returns its typed response; an ErrorResponse from BroadWorks is
    /// [`OciError::Refused`] with the code and texts preserved.
    pub async fn call<R: OciRequest>(&self, request: &R) -> Result<R::Response, OciError> {
        let started = Instant::now();
        let document = encode_command(&self.inner.session_id, request);
        let frame = self.call_document(R::NAME, document).await;
        let result = frame.and_then(|frame| decode_response::<R>(&frame));
        record(R::NAME, started.elapsed(), &result);
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        match &result {
            Ok(_) => tracing::debug!(command = R::NAME, elapsed_ms, "OCI call"),
            Err(e) => tracing::debug!(command = R::NAME, elapsed_ms, error = %e, "OCI call failed"),
        }
        result
    }

    /// Sends up to [`MAX_COMMANDS`] requests in one document and returns one result per
    /// request, in order: BroadWorks executes each command on its own, so one refused command
    /// does not stop the others. The outer error is the exchange's (the connection broke, the
    /// answer did not come, or it did not carry one answer per command).
    pub async fn call_many<R: OciRequest>(
        &self,
        requests: &[&R],
    ) -> Result<Vec<Result<R::Response, OciError>>, OciError> {
        if requests.len() > MAX_COMMANDS {
            return Err(OciError::Options(format!(
                "{} commands for one document, at most {MAX_COMMANDS}",
                requests.len()
            )));
        }
        let mut answers: Vec<Answer<R>> = requests.iter().map(|_| Answer::default()).collect();
        let mut slots: Vec<&mut dyn AnswerSlot> = answers
            .iter_mut()
            .map(|a| a as &mut dyn AnswerSlot)
            .collect();
        self.call_commands(
            R::NAME,
            |w| {
                for request in requests {
                    request.write_command(w);
                }
            },
            &mut slots,
        )
        .await?;
        Ok(answers.into_iter().map(Answer::take).collect())
    }

    /// Sends two requests in one document (one round trip) and returns each one's result: two
    /// reads whose answers are needed together.
    pub async fn call_two<A: OciRequest, B: OciRequest>(
        &self,
        a: &A,
        b: &B,
    ) -> Result<(Result<A::Response, OciError>, Result<B::Response, OciError>), OciError> {
        let (mut first, mut second) = (Answer::<A>::default(), Answer::<B>::default());
        self.call_commands(
            A::NAME,
            |w| {
                a.write_command(w);
                b.write_command(w);
            },
            &mut [&mut first, &mut second],
        )
        .await?;
        Ok((first.take(), second.take()))
    }

    /// Sends three requests in one document (one round trip) and returns each one's result,
    /// in order: a write and the two reads that show what it made, for one.
    pub async fn call_three<A: OciRequest, B: OciRequest, C: OciRequest>(
        &self,
        a: &A,
        b: &B,
        c: &C,
    ) -> Result<ThreeAnswers<A, B, C>, OciError> {
        let mut answers = (
            Answer::<A>::default(),
            Answer::<B>::default(),
            Answer::<C>::default(),
        );
        self.call_commands(
            A::NAME,
            |w| {
                a.write_command(w);
                b.write_command(w);
                c.write_command(w);
            },
            &mut [&mut answers.0, &mut answers.1, &mut answers.2],
        )
        .await?;
        Ok((answers.0.take(), answers.1.take(), answers.2.take()))
    }

    /// The one way several commands go out in one document: `write` writes them, and each
    /// answer, in order, goes to its slot; the outer error is the exchange's.
    ///
    /// The answers are read straight from the text; a document that cannot be read so is read
    /// again as a tree, where each command gets its own outcome (an undecodable answer fails
    /// only its own command) and a document-level refusal (one ErrorResponse for the whole
    /// document) is every command's answer. Any other count of answers is a broken answer.
    async fn call_commands(
        &self,
        command: &'static str,
        write: impl FnOnce(&mut XmlWriter),
        slots: &mut [&mut dyn AnswerSlot],
    ) -> Result<(), OciError> {
        let started = Instant::now();
        let document = encode_document(&self.inner.session_id, write);
        let frame = self.call_document(command, document).await?;
        let text = decode_document(&frame)?;
        let mut read = 0;
        let streamed = for_each_command(&text, |answer| {
            read += 1;
            match slots.get_mut(read - 1) {
                Some(slot) => slot.read(answer),
                None => answer.skip(),
            }
        });
        if !matches!(streamed, Ok(count) if count == slots.len()) {
            let doc = ParsedDocument::parse(&text)?;
            let answers: Vec<&Element<'_>> = doc.commands().collect();
            let refused_whole = match answers[..] {
                [only] if slots.len() > 1 => command_type(only)? == ErrorResponse::NAME,
                _ => false,
            };
            if answers.len() != slots.len() && !refused_whole {
                return Err(OciError::UnexpectedResponse {
                    command: command.to_owned(),
                    expected: format!("{} answers", slots.len()),
                    got: format!("{} answers", answers.len()),
                });
            }
            for (i, slot) in slots.iter_mut().enumerate() {
                let answer = answers[if refused_whole { 0 } else { i }];
                if let Err(e) = slot.read(Node::of(answer)) {
                    slot.undecodable(e);
                }
            }
        }
        for slot in slots.iter() {
            slot.record(started.elapsed());
        }
        tracing::debug!(
            command,
            commands = slots.len(),
            elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
            "OCI document"
        );
        Ok(())
    }

    /// Sends a whole document (already carrying this session's id) and returns the raw answer.
    pub async fn call_document(
        &self,
        command: &'static str,
        document: Vec<u8>,
    ) -> Result<BytesMut, OciError> {
        if self.is_closed() {
            return Err(OciError::Closed);
        }
        let guard = self.inner.conn.clone().lock_owned().await;
        let started = Instant::now();
        let mut flight = InFlight {
            guard: Some(guard),
            phase: Phase::InStep,
            limit: self.inner.call_timeout,
            closed: self.inner.closed.clone(),
        };
        let frame = flight.exchange(command, &document).await?;
        drop(flight);
        if let Some(recorder) = &self.inner.recorder {
            recorder.record(&document, &frame, started.elapsed());
        }
        Ok(frame)
    }

    /// Sends a write's existence probe: `None` when BroadWorks says the object is not found,
    /// `Some(confirmed)` when it answers, `confirmed` telling whether what was found is what the
    /// write would have made.
    pub async fn probe(&self, probe: &Probe) -> Result<Option<bool>, OciError> {
        let document = encode_document(&self.inner.session_id, |w| w.raw_bytes(probe.command()));
        let frame = self.call_document(probe.name(), document).await?;
        let text = decode_document(&frame)?;
        let doc = ParsedDocument::parse(&text)?;
        let command = doc.first_command()?;
        if command_type(command)? == ErrorResponse::NAME {
            let error = decode_command::<ErrorResponse>(command)?;
            if classify(&error) == Refusal::NotFound {
                return Ok(None);
            }
            return Err(OciError::Refused {
                command: probe.name().to_owned(),
                error,
            });
        }
        Ok(Some(probe.confirms(command)))
    }

    /// The session id used in every document of this session.
    pub fn session_id(&self) -> &str {
        &self.inner.session_id
    }

    /// What the login returned.
    pub fn login_info(&self) -> &LoginInfo {
        &self.inner.login
    }

    /// Whether the session can no longer carry requests.
    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::Acquire)
    }

    /// Sends LogoutRequest and closes the connection once the requests queued before it are
    /// done; later calls fail with [`OciError::Closed`].
    pub async fn logout(&self) {
        let mut slot = self.inner.conn.lock().await;
        self.inner.closed.store(true, Ordering::Release);
        if let Some(mut conn) = slot.take() {
            send_logout(&mut conn, &self.inner.session_id, &self.inner.user, true).await;
        }
    }
}

fn new_session_id() -> String {
    let bytes: [u8; 16] = rand::random();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Records one command's outcome in the metrics.
fn record<T>(command: &str, elapsed: Duration, result: &Result<T, OciError>) {
    match result {
        Ok(_) => crate::telemetry::oci_command(command, elapsed, None),
        Err(OciError::Refused { error, .. }) => {
            crate::telemetry::oci_command(command, elapsed, Some(error.code()))
        }
        Err(_) => crate::telemetry::oci_exchange_failed(command),
    }
}

/// The results of [`Session::call_three`], in the order the requests were sent.
pub type ThreeAnswers<A, B, C> = (
    Result<<A as OciRequest>::Response, OciError>,
    Result<<B as OciRequest>::Response, OciError>,
    Result<<C as OciRequest>::Response, OciError>,
);

/// Where the answer to one command of a document goes, whatever the command's type.
trait AnswerSlot: Send {
    /// Reads the answer; the error is an answer that could not be read.
    fn read(&mut self, answer: Node<'_, '_>) -> Result<(), DecodeError>;
    /// The answer could not be read: that is this command's outcome.
    fn undecodable(&mut self, error: DecodeError);
    /// Counts the outcome in the metrics.
    fn record(&self, elapsed: Duration);
}

/// The answer to a request of type `R`, once read.
struct Answer<R: OciRequest>(Option<Result<R::Response, OciError>>);

impl<R: OciRequest> Default for Answer<R> {
    fn default() -> Self {
        Self(None)
    }
}

impl<R: OciRequest> Answer<R> {
    /// The outcome (an answer never read is a broken document, which `call_commands` refuses
    /// before anyone takes one).
    fn take(self) -> Result<R::Response, OciError> {
        self.0.unwrap_or_else(|| {
            Err(OciError::UnexpectedResponse {
                command: R::NAME.to_owned(),
                expected: R::Response::NAME.to_owned(),
                got: "no answer".to_owned(),
            })
        })
    }
}

impl<R: OciRequest> AnswerSlot for Answer<R> {
    fn read(&mut self, answer: Node<'_, '_>) -> Result<(), DecodeError> {
        self.0 = Some(read_answer::<R>(answer)?);
        Ok(())
    }

    fn undecodable(&mut self, error: DecodeError) {
        self.0 = Some(Err(error.into()));
    }

    fn record(&self, elapsed: Duration) {
        if let Some(outcome) = &self.0 {
            record(R::NAME, elapsed, outcome);
            if let Err(e) = outcome {
                tracing::debug!(command = R::NAME, error = %e, "OCI command failed");
            }
        }
    }
}

/// Decodes the answer to `R`: its response type, or the ErrorResponse as an error.
///
/// Read straight from the text; only a document that fails so is read again as a tree, which
/// names exactly what is wrong with it.
pub fn decode_response<R: OciRequest>(frame: &[u8]) -> Result<R::Response, OciError> {
    let text = decode_document(frame)?;
    let mut answer = None;
    let streamed = for_each_command(&text, |command| match answer {
        None => read_answer::<R>(command).map(|read| answer = Some(read)),
        Some(_) => command.skip(),
    });
    match (streamed, answer) {
        (Ok(_), Some(answer)) => answer,
        _ => {
            let doc = ParsedDocument::parse(&text)?;
            decode_answer::<R>(doc.first_command()?)
        }
    }
}

/// Decodes one answer command of a parsed document to `R`'s response type, or its
/// ErrorResponse as an error.
pub fn decode_answer<R: OciRequest>(command: &Element<'_>) -> Result<R::Response, OciError> {
    read_answer::<R>(Node::of(command))?
}

/// Reads an answer command to `R`'s response type, or its ErrorResponse as an error; the
/// outer error is a command that could not be read.
fn read_answer<R: OciRequest>(
    command: Node<'_, '_>,
) -> Result<Result<R::Response, OciError>, DecodeError> {
    let found = command.xsi_type().ok_or_else(untyped_command)?;
    if found == ErrorResponse::NAME {
        return Ok(Err(OciError::Refused {
            command: R::NAME.to_owned(),
            error: ErrorResponse::read_command(command)?,
        }));
    }
    if found != R::Response::NAME {
        let unexpected = OciError::UnexpectedResponse {
            command: R::NAME.to_owned(),
            expected: R::Response::NAME.to_owned(),
            got: found.to_owned(),
        };
        command.skip()?;
        return Ok(Err(unexpected));
    }
    Ok(Ok(R::Response::read_command(command)?))
}

/// Sends one document and waits for one answer, within `limit`.
async fn exchange(
    conn: &mut Connection,
    command: &str,
    document: &[u8],
    limit: Duration,
) -> Result<BytesMut, OciError> {
    conn.send(document).await?;
    receive(conn, command, limit).await
}

/// Waits for the answer to the document last sent, within `limit`.
async fn receive(
    conn: &mut Connection,
    command: &str,
    limit: Duration,
) -> Result<BytesMut, OciError> {
    match tokio::time::timeout(limit, conn.next()).await {
        Err(_) => Err(OciError::Timeout {
            command: command.to_owned(),
            after: limit,
        }),
        Ok(None) => Err(OciError::Closed),
        Ok(Some(frame)) => Ok(frame?),
    }
}

async fn login_call<R: OciRequest>(
    conn: &mut Connection,
    session_id: &str,
    request: &R,
    opts: &ConnectOptions,
) -> Result<R::Response, OciError> {
    let document = encode_command(session_id, request);
    let started = Instant::now();
    let frame = exchange(conn, R::NAME, &document, opts.call_timeout).await?;
    if let Some(recorder) = &opts.recorder {
        recorder.record(&document, &frame, started.elapsed());
    }
    decode_response::<R>(&frame).map_err(|e| match e {
        OciError::Refused { error, .. } => OciError::LoginRefused {
            user: opts.user.clone(),
            error,
        },
        other => other,
    })
}

pub(crate) async fn login(
    conn: &mut Connection,
    session_id: &str,
    opts: &ConnectOptions,
) -> Result<LoginInfo, OciError> {
    let user_id = opts.user.clone();
    match opts.login {
        LoginMethod::Plain => {
            let request = LoginRequest22V5 {
                user_id,
                password: Some(opts.password.clone()),
                signed_password: None,
            };
            let r = login_call(conn, session_id, &request, opts).await?;
            Ok(LoginInfo {
                login_type: r.login_type,
                encoding: r.encoding,
                user_domain: r.user_domain,
            })
        }
        LoginMethod::Signed => {
            let auth = AuthenticationRequest {
                user_id: user_id.clone(),
            };
            let nonce = login_call(conn, session_id, &auth, opts).await?.nonce;
            let signed = signed_password(&nonce, opts.password.expose());
            let request = LoginRequest14sp4 {
                user_id,
                signed_password: Some(crate::ocip::Secret::new(signed)),
                plain_text_password: None,
            };
            let r = login_call(conn, session_id, &request, opts).await?;
            Ok(LoginInfo {
                login_type: r.login_type,
                encoding: r.encoding,
                user_domain: r.user_domain,
            })
        }
    }
}

async fn send_logout(conn: &mut Connection, session_id: &str, user: &str, wait: bool) {
    let request = LogoutRequest {
        user_id: user.to_owned(),
        reason: Some("Client Logout".to_owned()),
    };
    let document = encode_command(session_id, &request);
    if wait {
        let _ = exchange(conn, LogoutRequest::NAME, &document, Duration::from_secs(2)).await;
    } else {
        let _ = conn.send(&document[..]).await;
    }
    let _ = conn.close().await;
    tracing::info!(user, "OCI-P session logged out");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocip::commands::GroupHuntGroupGetInstanceRequest20;

    /// The recorded answer of the hunt group lifecycle fixture (its second document), as sent:
    /// ISO-8859-1 bytes.
    fn recorded_answer() -> Vec<u8> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/oci/hunt-group-lifecycle/04-GroupHuntGroupGetInstanceRequest20.xml"
        );
        let bytes = std::fs::read(path).expect("the fixture is in the repository");
        let second = memchr::memmem::rfind(&bytes, b"<?xml").expect("two documents");
        bytes[second..].to_vec()
    }

    fn replaced(bytes: &[u8], pairs: &[(&str, &str)]) -> Vec<u8> {
        let mut text: String = bytes.iter().map(|&b| char::from(b)).collect();
        for (from, to) in pairs {
            assert!(text.contains(from), "{from} is in the answer");
            text = text.replace(from, to);
        }
        text.chars().map(|c| c as u8).collect()
    }

    #[test]
    fn every_way_of_writing_the_same_answer_decodes_to_the_same_value() {
        type Get = GroupHuntGroupGetInstanceRequest20;
        let plain = recorded_answer();
        let expected = decode_response::<Get>(&plain).expect("the recorded answer decodes");
        assert_eq!(expected.agent_user_table.row_count(), 2);
        assert_eq!(
            expected.service_instance_profile.name.as_str(),
            "Équipe Ventes"
        );
        let variants: [&[(&str, &str)]; 10] = [
            // A heading the one-loop read of headings leaves to the general path, with those
            // after it.
            &[(
                "<colHeading>Weight</colHeading>",
                "<colHeading><!-- w -->Weight</colHeading>",
            )],
            // A comment where absent optional elements are asked for: not plainly absent.
            &[(
                "</serviceInstanceProfile>",
                "<!-- end --></serviceInstanceProfile>",
            )],
            // Namespace prefixes, which the fast path leaves to the general one.
            &[
                ("<col>", "<x:col>"),
                ("</col>", "</x:col>"),
                ("<col/>", "<x:col/>"),
            ],
            // White space inside tags.
            &[
                ("<col>", "<col >"),
                ("</col>", "</col\n>"),
                ("<col/>", "<col />"),
            ],
            // Comments and processing instructions inside simple values.
            &[
                ("</col>", "<!-- c --></col>"),
                ("<policy>", "<policy><?pi x?>"),
            ],
            // White space between elements.
            &[
                ("<col>", "\n  <col>"),
                ("<row>", "\n<row>"),
                ("</agentUserTable>", " </agentUserTable>"),
            ],
            // CDATA and references in text.
            &[
                ("<col>Test</col>", "<col><![CDATA[Te]]>&#115;t</col>"),
                ("<extension>4100", "<extension>&#52;100"),
            ],
            // Empty elements written with an end tag.
            &[("<col/>", "<col></col>")],
            // Attributes on simple values.
            &[("<col>", "<col a=\"1\">"), ("<policy>", "<policy b='2'>")],
            // A comment after the document.
            &[(
                "</BroadsoftDocument>",
                "</BroadsoftDocument>\n<!-- end -->\n",
            )],
        ];
        for pairs in variants {
            let variant = replaced(&plain, pairs);
            let decoded = decode_response::<Get>(&variant).expect("the variant decodes");
            assert_eq!(decoded, expected, "{pairs:?}");
            assert_eq!(read_straight::<Get>(&variant), expected, "{pairs:?}");
        }
    }

    /// The answer read straight from the text, never from a tree: `decode_response` reads the
    /// tree when the straight read fails, which would hide a failure of the straight read.
    fn read_straight<R: OciRequest>(frame: &[u8]) -> R::Response {
        let text = decode_document(frame).expect("ISO-8859-1");
        let mut answer = None;
        let count = for_each_command(&text, |command| {
            answer = Some(read_answer::<R>(command)?);
            Ok(())
        })
        .expect("read straight from the text");
        assert_eq!(count, 1);
        answer.expect("one answer").expect("not refused")
    }

    #[test]
    fn an_answer_read_from_its_tree_is_the_answer_read_from_its_text() {
        type Get = GroupHuntGroupGetInstanceRequest20;
        let plain = recorded_answer();
        let from_text = decode_response::<Get>(&plain).expect("decodes");
        let text = decode_document(&plain).expect("ISO-8859-1");
        let doc = ParsedDocument::parse(&text).expect("parses");
        let from_tree = decode_answer::<Get>(doc.first_command().expect("a command"));
        assert_eq!(from_tree.expect("decodes"), from_text);
        // The same typed error, read either way, naming the element: a child in a table cell,
        // and simple values read in one step from the text.
        let bad_values = [
            (
                "<col>Test</col>",
                "<col><b/></col>",
                "unexpected element <b> inside a simple value",
            ),
            (
                "<policy>Weighted</policy>",
                "<policy>Sideways</policy>",
                "'Sideways' is not a hunt policy",
            ),
            (
                "<noAnswerNumberOfRings>5<",
                "<noAnswerNumberOfRings>five<",
                "'five' is not an integer",
            ),
            (
                "<huntAfterNoAnswer>true<",
                "<huntAfterNoAnswer>yes<",
                "'yes' is not a boolean",
            ),
        ];
        for (from, to, expected) in bad_values {
            let broken = replaced(&plain, &[(from, to)]);
            let text = decode_document(&broken).expect("ISO-8859-1");
            let doc = ParsedDocument::parse(&text).expect("well formed");
            let from_tree = decode_answer::<Get>(doc.first_command().expect("a command"))
                .expect_err("refused")
                .to_string();
            let from_text = decode_response::<Get>(&broken)
                .expect_err("refused")
                .to_string();
            assert_eq!(from_tree, from_text);
            assert!(from_text.contains(expected), "{from_text}");
            let name = &from[1..from.find('>').expect("a tag")];
            assert!(
                from_text.contains(name),
                "the element is named: {from_text}"
            );
        }
    }

    #[test]
    fn a_broken_answer_is_refused_with_what_the_tree_reader_names() {
        type Get = GroupHuntGroupGetInstanceRequest20;
        let plain = recorded_answer();
        let error = |pairs: &[(&str, &str)]| {
            decode_response::<Get>(&replaced(&plain, pairs))
                .expect_err("refused")
                .to_string()
        };
        // Malformed: the exact place is named, as the whole document is read before any value.
        let mismatched = error(&[("</policy>", "</polcy>")]);
        assert!(
            mismatched.contains("malformed XML: expected </policy>, found </polcy> at byte"),
            "{mismatched}"
        );
        let trailing = error(&[("</BroadsoftDocument>", "</BroadsoftDocument><x/>")]);
        assert!(
            trailing.contains("content after the root element"),
            "{trailing}"
        );
        // Well formed but not the schema's order: the element is named, within its command.
        let missing = error(&[("<policy>Weighted</policy>", "")]);
        assert!(
            missing.contains("expected element <policy>, found <huntAfterNoAnswer>"),
            "{missing}"
        );
        let nested = error(&[("<col>Test</col>", "<col><b/></col>")]);
        assert!(
            nested.contains("unexpected element <b> inside a simple value"),
            "{nested}"
        );
    }
}
