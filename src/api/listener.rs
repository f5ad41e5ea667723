//! Admitting HTTP connections: every connection gets a deadline from its accept (one that sends
//! nothing is closed when the head timeout has passed, not kept for good) and an idle timeout
//! after that (a keep-alive connection nobody uses is closed too), at most
//! `[api] max_connections` are served at once, a few more beyond that get `/health` or a 503,
//! and the rest are closed at once, so file descriptors are never exhausted and `/health` stays
//! answerable while the limit is reached.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, Semaphore};
use tokio::time::Sleep;
use tower_http::add_extension::AddExtension;

use crate::api::server::HttpLimits;

/// Connections served beyond `max_connections`, with `/health` or a 503.
const OVERFLOW_CONNECTIONS: usize = 16;

/// How long an overflow connection may take to send its head.
const OVERFLOW_HEAD_TIMEOUT: Duration = Duration::from_secs(2);

/// A connection held to two deadlines: its first request head must have arrived within the head
/// timeout counted from the accept (a connection that sends nothing, or too slowly, is closed),
/// and afterwards it may not stay idle — no byte either way — longer than the idle timeout (a
/// keep-alive connection nobody uses is closed). Reads fail with `TimedOut` when a deadline
/// passes; hyper then closes the connection.
pub struct Deadlines<S> {
    inner: S,
    timer: Pin<Box<Sleep>>,
    idle: Duration,
    /// The last bytes read while the first head is still arriving (its end is `\r\n\r\n`).
    head_tail: Option<[u8; 3]>,
}

impl<S> Deadlines<S> {
    /// `inner`, whose first head must arrive within `head` and which may then idle `idle`.
    pub fn new(inner: S, head: Duration, idle: Duration) -> Self {
        Self {
            inner,
            timer: Box::pin(tokio::time::sleep(head)),
            idle,
            head_tail: Some([0; 3]),
        }
    }

    /// Notes activity: once the first head is in, the idle deadline starts again.
    fn active(&mut self, read: Option<&[u8]>) {
        if let (Some(tail), Some(bytes)) = (self.head_tail.as_mut(), read) {
            // The end may straddle two reads: look at the last three bytes read before,
            // followed by this read's first three, then at this read alone.
            const END: &[u8] = b"\r\n\r\n";
            let mut joined = [0u8; 6];
            let first = bytes.len().min(3);
            joined[..3].copy_from_slice(tail);
            joined[3..3 + first].copy_from_slice(&bytes[..first]);
            let joined = &joined[..3 + first];
            if joined.windows(4).any(|w| w == END) || bytes.windows(4).any(|w| w == END) {
                self.head_tail = None;
            } else {
                let source = if bytes.len() >= 3 { bytes } else { joined };
                tail.copy_from_slice(&source[source.len() - 3..]);
            }
        }
        if self.head_tail.is_none() {
            let at = tokio::time::Instant::now() + self.idle;
            self.timer.as_mut().reset(at);
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Deadlines<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                this.active(Some(&buf.filled()[before..]));
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => match this.timer.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    if this.head_tail.is_some() {
                        "no complete request head within the head timeout"
                    } else {
                        "the connection stayed idle past the idle timeout"
                    },
                ))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Deadlines<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) {
            self.active(None);
        }
        written
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The accept loop: HTTP/1 and HTTP/2 through hyper, with a head timeout from accept and a
/// bounded head size, connections admitted as the module says, until `stopped`; then in-flight
/// requests finish.
pub async fn serve(
    listener: TcpListener,
    app: tower_http::normalize_path::NormalizePath<axum::Router>,
    overflow: axum::Router,
    limits: HttpLimits,
    mut stopped: oneshot::Receiver<()>,
) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_head_bytes.max(8192));
    let mut overflow_builder = Builder::new(TokioExecutor::new());
    overflow_builder
        .http1()
        .timer(TokioTimer::new())
        .keep_alive(false)
        .header_read_timeout(OVERFLOW_HEAD_TIMEOUT)
        .max_buf_size(8192);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let overflow_slots = Arc::new(Semaphore::new(OVERFLOW_CONNECTIONS));
    loop {
        let (stream, peer): (TcpStream, std::net::SocketAddr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(error = %e, "HTTP accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stopped => break,
        };
        let (permit, connection) = if let Ok(permit) = slots.clone().try_acquire_owned() {
            let io = TokioIo::new(Deadlines::new(
                stream,
                limits.header_read_timeout,
                limits.idle_timeout,
            ));
            let service =
                TowerToHyperService::new(AddExtension::new(app.clone(), ConnectInfo(peer)));
            let connection = builder
                .serve_connection_with_upgrades(io, service)
                .into_owned();
            (permit, graceful.watch(connection).boxed())
        } else if let Ok(permit) = overflow_slots.clone().try_acquire_owned() {
            tracing::warn!(
                max = limits.max_connections,
                "connection limit reached; serving /health only"
            );
            let io = TokioIo::new(Deadlines::new(
                stream,
                OVERFLOW_HEAD_TIMEOUT,
                OVERFLOW_HEAD_TIMEOUT,
            ));
            let service =
                TowerToHyperService::new(AddExtension::new(overflow.clone(), ConnectInfo(peer)));
            let connection = overflow_builder.serve_connection(io, service).into_owned();
            (permit, graceful.watch(connection).boxed())
        } else {
            drop(stream);
            continue;
        };
        tokio::spawn(async move {
            let _slot = permit;
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "HTTP connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(Duration::from_secs(30), graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running after 30 s; closing anyway");
    }
}

/// A connection future, boxed so the two kinds share a type.
type Connection =
    Pin<Box<dyn Future<Output = Result<(), Box<dyn std::error::Error + Send + Sync>>> + Send>>;

trait BoxedConnection {
    fn boxed(self) -> Connection;
}

impl<F> BoxedConnection for F
where
    F: Future<Output = Result<(), Box<dyn std::error::Error + Send + Sync>>> + Send + 'static,
{
    fn boxed(self) -> Connection {
        Box::pin(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_end_of_the_first_head_is_found_across_reads() {
        let split = [&b"GET / HTTP/1.1\r\nHost: x\r"[..], b"\n", b"\r", b"\n"];
        let mut d = Deadlines::new((), Duration::from_secs(1), Duration::from_secs(1));
        for (i, read) in split.iter().enumerate() {
            assert!(d.head_tail.is_some(), "read {i}: still in the head");
            d.active(Some(read));
        }
        assert!(d.head_tail.is_none());
        let mut d = Deadlines::new((), Duration::from_secs(1), Duration::from_secs(1));
        d.active(Some(b"GET / HTTP/1.1\r\n\r\nbody"));
        assert!(d.head_tail.is_none());
        let mut d = Deadlines::new((), Duration::from_secs(1), Duration::from_secs(1));
        d.active(Some(b"GET / HTTP/1.1\r\nHost: x\r\n"));
        assert!(d.head_tail.is_some());
    }
}
