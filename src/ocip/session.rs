//! One persistent, logged-in OCI-P session.
//!
//! Following the tokio-postgres model, [`Session`] is a cheap cloneable handle; a driver task
//! owns the socket and sends one request at a time, in the order callers queue them. Encoding and
//! decoding happen in the callers' tasks. A timeout or a broken connection closes the session:
//! after either, the state of the exchange is unknown, and later calls fail with
//! [`OciError::Closed`] instead of reading a stale answer. The pool (later) replaces closed
//! sessions.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use futures::{SinkExt, StreamExt};
use tokio::sync::{mpsc, oneshot};
use tokio_util::codec::Framed;

use crate::ocip::auth::signed_password;
use crate::ocip::codec::OciCodec;
use crate::ocip::commands::{
    AuthenticationRequest, ErrorResponse, LoginRequest14sp4, LoginRequest22V5, LogoutRequest,
};
use crate::ocip::document::{
    command_type, encode_command, encode_document, ParsedDocument, MAX_COMMANDS,
};
use crate::ocip::error::OciError;
use crate::ocip::options::{ConnectOptions, LoginMethod};
use crate::ocip::record::Recorder;
use crate::ocip::refusal::{classify, Refusal};
use crate::ocip::transport::{self, BoxStream};
use crate::ocip::value::{OciCommand, OciRequest, Probe};
use crate::ocip::xml::charset::decode_document;
use crate::ocip::xml::Element;

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

enum Job {
    Call {
        command: &'static str,
        document: Vec<u8>,
        reply: oneshot::Sender<Result<BytesMut, OciError>>,
    },
    Logout {
        reply: oneshot::Sender<()>,
    },
}

struct Inner {
    jobs: mpsc::Sender<Job>,
    recorder: Option<Arc<Recorder>>,
    session_id: String,
    user: String,
    login: LoginInfo,
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
        let (jobs, queue) = mpsc::channel(64);
        tokio::spawn(drive(
            conn,
            queue,
            session_id.clone(),
            opts.user.clone(),
            opts.call_timeout,
        ));
        Ok(Self {
            inner: Arc::new(Inner {
                jobs,
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
        requests: &[R],
    ) -> Result<Vec<Result<R::Response, OciError>>, OciError> {
        if requests.len() > MAX_COMMANDS {
            return Err(OciError::Options(format!(
                "{} commands for one document, at most {MAX_COMMANDS}",
                requests.len()
            )));
        }
        let started = Instant::now();
        let document = encode_document(&self.inner.session_id, |w| {
            for request in requests {
                request.write_command(w);
            }
        });
        let frame = self.call_document(R::NAME, document).await?;
        let text = decode_document(&frame)?;
        let doc = ParsedDocument::parse(&text)?;
        let answers: Vec<&Element<'_>> = doc.commands().collect();
        if answers.len() != requests.len() {
            // A document-level refusal (one ErrorResponse for the whole document) applies to
            // every command; any other count is a broken answer.
            if let [only] = answers[..] {
                if command_type(only)? == ErrorResponse::NAME {
                    let error = ErrorResponse::read_command(only)?;
                    return Ok(requests
                        .iter()
                        .map(|_| {
                            Err(OciError::Refused {
                                command: R::NAME.to_owned(),
                                error: error.clone(),
                            })
                        })
                        .collect());
                }
            }
            return Err(OciError::UnexpectedResponse {
                command: R::NAME.to_owned(),
                expected: format!("{} answers", requests.len()),
                got: format!("{} answers", answers.len()),
            });
        }
        let results: Vec<_> = answers.into_iter().map(decode_answer::<R>).collect();
        for result in &results {
            record(R::NAME, started.elapsed(), result);
        }
        tracing::debug!(
            command = R::NAME,
            commands = requests.len(),
            elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
            "OCI document"
        );
        Ok(results)
    }

    /// Sends two requests in one document (one round trip) and returns each one's result: two
    /// reads whose answers are needed together.
    pub async fn call_two<A: OciRequest, B: OciRequest>(
        &self,
        a: &A,
        b: &B,
    ) -> Result<(Result<A::Response, OciError>, Result<B::Response, OciError>), OciError> {
        let document = encode_document(&self.inner.session_id, |w| {
            a.write_command(w);
            b.write_command(w);
        });
        let frame = self.call_document(A::NAME, document).await?;
        let text = decode_document(&frame)?;
        let doc = ParsedDocument::parse(&text)?;
        match doc.commands().collect::<Vec<_>>()[..] {
            [first, second] => Ok((decode_answer::<A>(first), decode_answer::<B>(second))),
            ref other => Err(OciError::UnexpectedResponse {
                command: format!("{} and {}", A::NAME, B::NAME),
                expected: "2 answers".to_owned(),
                got: format!("{} answers", other.len()),
            }),
        }
    }

    /// Sends a whole document (already carrying this session's id) and returns the raw answer.
    pub async fn call_document(
        &self,
        command: &'static str,
        document: Vec<u8>,
    ) -> Result<BytesMut, OciError> {
        let (reply, answer) = oneshot::channel();
        let started = Instant::now();
        let recorded = self.inner.recorder.as_ref().map(|_| document.clone());
        self.inner
            .jobs
            .send(Job::Call {
                command,
                document,
                reply,
            })
            .await
            .map_err(|_| OciError::Closed)?;
        let frame = answer.await.map_err(|_| OciError::Closed)??;
        if let (Some(recorder), Some(request)) = (&self.inner.recorder, recorded) {
            recorder.record(&request, &frame, started.elapsed());
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
            let error = ErrorResponse::read_command(command)?;
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
        self.inner.jobs.is_closed()
    }

    /// Sends LogoutRequest and closes the connection once queued requests are done.
    pub async fn logout(&self) {
        let (reply, done) = oneshot::channel();
        if self.inner.jobs.send(Job::Logout { reply }).await.is_ok() {
            let _ = done.await;
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

/// Decodes the answer to `R`: its response type, or the ErrorResponse as an error.
pub fn decode_response<R: OciRequest>(frame: &[u8]) -> Result<R::Response, OciError> {
    let text = decode_document(frame)?;
    let doc = ParsedDocument::parse(&text)?;
    decode_answer::<R>(doc.first_command()?)
}

/// Decodes one answer command of a document to `R`'s response type, or its ErrorResponse as an
/// error.
pub fn decode_answer<R: OciRequest>(command: &Element<'_>) -> Result<R::Response, OciError> {
    let found = command_type(command)?;
    if found == ErrorResponse::NAME {
        return Err(OciError::Refused {
            command: R::NAME.to_owned(),
            error: ErrorResponse::read_command(command)?,
        });
    }
    if found != R::Response::NAME {
        return Err(OciError::UnexpectedResponse {
            command: R::NAME.to_owned(),
            expected: R::Response::NAME.to_owned(),
            got: found.to_owned(),
        });
    }
    Ok(R::Response::read_command(command)?)
}

/// Sends one document and waits for one answer, within `limit`.
async fn exchange(
    conn: &mut Connection,
    command: &str,
    document: &[u8],
    limit: Duration,
) -> Result<BytesMut, OciError> {
    conn.send(document).await?;
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

/// The driver: owns the connection and serves queued jobs one at a time.
async fn drive(
    mut conn: Connection,
    mut queue: mpsc::Receiver<Job>,
    session_id: String,
    user: String,
    call_timeout: Duration,
) {
    while let Some(job) = queue.recv().await {
        match job {
            Job::Call {
                command,
                document,
                reply,
            } => {
                if reply.is_closed() {
                    continue; // the caller gave up before its turn
                }
                let result = exchange(&mut conn, command, &document, call_timeout).await;
                let broken = result.is_err()
                    && !matches!(
                        result,
                        Err(OciError::Decode(_)) | Err(OciError::Refused { .. })
                    );
                if let Err(e) = &result {
                    tracing::warn!(command, error = %e, "OCI-P session closed after a failed exchange");
                }
                let _ = reply.send(result);
                if broken {
                    return;
                }
            }
            Job::Logout { reply } => {
                send_logout(&mut conn, &session_id, &user, true).await;
                queue.close(); // callers see the session closed before logout() returns
                let _ = reply.send(());
                return;
            }
        }
    }
    // Every handle is gone: log out without waiting, as BroadWorks clients do.
    send_logout(&mut conn, &session_id, &user, false).await;
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
