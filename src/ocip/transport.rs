//! The byte stream under a session: TCP, or TLS over TCP with certificate verification.

use std::pin::Pin;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use crate::ocip::error::OciError;
use crate::ocip::options::ConnectOptions;

/// Any bidirectional byte stream a session can run over.
pub trait Stream: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Stream for T {}

/// A boxed stream, TCP or TLS.
pub type BoxStream = Pin<Box<dyn Stream>>;

/// Opens the connection described by `opts` (within its connect timeout).
pub async fn connect(opts: &ConnectOptions) -> Result<BoxStream, OciError> {
    let addr = opts.addr();
    let tcp = tokio::time::timeout(opts.connect_timeout, TcpStream::connect(&addr))
        .await
        .map_err(|_| OciError::Connect {
            addr: addr.clone(),
            source: std::io::Error::new(std::io::ErrorKind::TimedOut, "connect timed out"),
        })?
        .map_err(|source| OciError::Connect {
            addr: addr.clone(),
            source,
        })?;
    tcp.set_nodelay(true).ok();
    let Some(tls) = &opts.tls else {
        return Ok(Box::pin(tcp));
    };
    let tls_error = |message: String| OciError::Tls {
        addr: addr.clone(),
        message,
    };
    let connector = tls.connector(|tls| {
        let mut builder = native_tls::TlsConnector::builder();
        if let Some(ca_file) = &tls.ca_file {
            let pem = std::fs::read(ca_file).map_err(|e| {
                tls_error(format!("cannot read CA file {}: {e}", ca_file.display()))
            })?;
            let cert = native_tls::Certificate::from_pem(&pem).map_err(|e| {
                tls_error(format!(
                    "CA file {} is not a PEM certificate: {e}",
                    ca_file.display()
                ))
            })?;
            builder.add_root_certificate(cert);
        }
        let connector = builder.build().map_err(|e| tls_error(e.to_string()))?;
        Ok::<_, OciError>(tokio_native_tls::TlsConnector::from(connector))
    })?;
    let stream = tokio::time::timeout(opts.connect_timeout, connector.connect(&opts.host, tcp))
        .await
        .map_err(|_| tls_error("TLS handshake timed out".to_owned()))?
        .map_err(|e| tls_error(e.to_string()))?;
    Ok(Box::pin(stream))
}
