//! Errors of the OCI-P layer.
//!
//! Transport failures, protocol violations and BroadWorks's own refusals are different variants,
//! so callers (the REST layer, bulk, the CLI) can map each to the right answer. No variant ever
//! carries a password.

use std::time::Duration;

use crate::ocip::commands::ErrorResponse;

/// A document or command that could not be read: malformed XML, a missing or misplaced element,
/// a value of the wrong type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DecodeError(String);

impl DecodeError {
    /// A decode error with the given explanation.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }

    /// The explanation, prefixed with where it happened (`in <serviceInstanceProfile>: …`).
    pub fn within(self, element: &str) -> Self {
        Self(format!("in <{element}>: {}", self.0))
    }

    /// The explanation.
    pub fn message(&self) -> &str {
        &self.0
    }
}

/// Why the byte stream could not be cut into documents.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// Reading or writing the socket failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// More than the configured limit arrived without a complete document.
    #[error("document larger than the limit of {limit} bytes")]
    TooLarge {
        /// The configured limit in bytes.
        limit: usize,
    },
    /// The peer closed the connection in the middle of a document.
    #[error("connection closed in the middle of a document ({buffered} bytes received)")]
    Truncated {
        /// How many bytes of the unfinished document had arrived.
        buffered: usize,
    },
}

/// Everything that can go wrong talking OCI-P to BroadWorks.
#[derive(Debug, thiserror::Error)]
pub enum OciError {
    /// The TCP connection could not be made.
    #[error("cannot connect to {addr}: {source}")]
    Connect {
        /// host:port that was tried.
        addr: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The TLS handshake or setup failed (certificate not trusted, bad CA file…).
    #[error("TLS with {addr} failed: {message}")]
    Tls {
        /// host:port that was tried.
        addr: String,
        /// What went wrong.
        message: String,
    },
    /// The connection broke or framing failed.
    #[error("OCI-P connection error: {0}")]
    Frame(#[from] FrameError),
    /// BroadWorks did not answer in time; the session is closed because its state is unknown.
    #[error("no answer to {command} within {}s", after.as_secs_f32())]
    Timeout {
        /// The command that was waiting.
        command: String,
        /// The timeout that expired.
        after: Duration,
    },
    /// The session is closed (logged out, dropped by the peer, or failed earlier).
    #[error("the OCI-P session is closed")]
    Closed,
    /// A document from the peer could not be understood.
    #[error("unreadable OCI-P document: {0}")]
    Decode(#[from] DecodeError),
    /// BroadWorks refused the login. Names the user, never the password.
    #[error("BroadWorks refused the login of '{user}': {error}")]
    LoginRefused {
        /// The administrator id that tried to log in.
        user: String,
        /// BroadWorks's answer.
        error: ErrorResponse,
    },
    /// BroadWorks answered a command with an ErrorResponse.
    #[error("BroadWorks refused {command}: {error}")]
    Refused {
        /// The command that was refused.
        command: String,
        /// BroadWorks's answer, code and texts preserved.
        error: ErrorResponse,
    },
    /// BroadWorks answered with a different command than the one expected.
    #[error("expected {expected} in answer to {command}, got {got}")]
    UnexpectedResponse {
        /// The request.
        command: String,
        /// The response type it should have produced.
        expected: String,
        /// The response type that arrived.
        got: String,
    },
    /// Every session of the pool stayed busy for the whole allowed wait.
    #[error("all {size} BroadWorks sessions stayed busy for {}s; try again", waited.as_secs_f32())]
    Busy {
        /// Pool size.
        size: usize,
        /// How long the caller waited.
        waited: Duration,
    },
    /// BroadWorks could not be reached recently; the pool waits before trying again.
    #[error("BroadWorks is unreachable ({cause}); next attempt in {}s", retry_in.as_secs_f32())]
    Unavailable {
        /// The last connection error.
        cause: String,
        /// Time until the next attempt.
        retry_in: Duration,
    },
    /// The connection broke before the answer to a write, and the check that followed could
    /// not tell whether the write was applied: read before retrying.
    #[error("the outcome of {command} is unknown: the connection broke before its answer and the check that followed failed ({cause})")]
    OutcomeUnknown {
        /// The write.
        command: String,
        /// Why the check failed.
        cause: String,
    },
    /// The options do not allow the connection (e.g. a plain-text password without TLS).
    #[error("invalid connection options: {0}")]
    Options(String),
    /// The failure of the document several requests went in together, as its text, for each
    /// of them.
    #[error("{0}")]
    Document(String),
}

impl OciError {
    /// Whether the connection broke with the outcome of the request unknown.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Self::Closed | Self::Frame(_) | Self::Timeout { .. })
    }

    /// Whether BroadWorks refused because the session is no longer logged in (expired).
    pub fn session_expired(&self) -> bool {
        let Self::Refused { error, .. } = self else {
            return false;
        };
        crate::ocip::refusal::classify(error) == crate::ocip::refusal::Refusal::NotAuthenticated
    }

    /// BroadWorks's ErrorResponse, when this error is a refusal.
    pub fn server_error(&self) -> Option<&ErrorResponse> {
        match self {
            Self::Refused { error, .. } | Self::LoginRefused { error, .. } => Some(error),
            _ => None,
        }
    }
}
