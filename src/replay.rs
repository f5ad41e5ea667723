//! Runs fixture cases against an OCI-P server: each case on one fresh connection, each request
//! sent as written (placeholders filled in) and each answer compared with the recorded one.

use std::path::PathBuf;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

use crate::fixture::{compare, substitute, Case};
use crate::ocip::auth::signed_password;
use crate::ocip::codec::OciCodec;
use crate::ocip::document::ParsedDocument;
use crate::ocip::xml::charset::decode_document;

/// What one exchange of a case produced.
#[derive(Debug, Clone)]
pub struct ExchangeOutcome {
    /// The fixture file.
    pub path: PathBuf,
    /// The request as sent.
    pub request: Vec<u8>,
    /// The answer received.
    pub actual: Vec<u8>,
    /// Differences from the recorded answer; empty when they match.
    pub differences: Vec<String>,
}

/// Runs a case on a new TCP connection to `addr`. `password` signs `{{signedPassword}}`.
pub async fn run_case(
    addr: &str,
    case: &Case,
    password: &str,
    timeout: Duration,
) -> Result<Vec<ExchangeOutcome>, String> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    let mut conn = Framed::new(stream, OciCodec::default());
    let mut nonce = String::new();
    let mut outcomes = Vec::new();
    for exchange in &case.exchanges {
        let signed = signed_password(&nonce, password);
        let request = substitute(&exchange.request, &[("signedPassword", &signed)]);
        conn.send(&request[..])
            .await
            .map_err(|e| format!("{}: send failed: {e}", exchange.path.display()))?;
        let actual = tokio::time::timeout(timeout, conn.next())
            .await
            .map_err(|_| format!("{}: no answer within {timeout:?}", exchange.path.display()))?
            .ok_or_else(|| format!("{}: connection closed", exchange.path.display()))?
            .map_err(|e| format!("{}: {e}", exchange.path.display()))?
            .to_vec();
        if let Some(n) = nonce_of(&actual) {
            nonce = n;
        }
        let differences = if exchange.response.is_empty() {
            vec!["no response recorded yet".to_owned()]
        } else {
            compare(&exchange.response, &actual)
                .map_err(|e| format!("{}: {e}", exchange.path.display()))?
        };
        outcomes.push(ExchangeOutcome {
            path: exchange.path.clone(),
            request,
            actual,
            differences,
        });
    }
    Ok(outcomes)
}

fn nonce_of(answer: &[u8]) -> Option<String> {
    let text = decode_document(answer).ok()?;
    let doc = ParsedDocument::parse(&text).ok()?;
    let command = doc.first_command().ok()?;
    command.child_text("nonce").map(str::to_owned)
}
