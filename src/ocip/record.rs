//! Recording OCI exchanges as fixtures (`--record DIR`).
//!
//! Each exchange becomes `DIR/NNNNNN-Command.xml`: the request document, then the response
//! document whose prolog carries a comment with the time taken and the REST request id. Before
//! anything reaches the disk, passwords are replaced (`{{signedPassword}}`, `{{password}}`,
//! `[redacted]` for service passwords), the administrator becomes `{{user}}`, and session ids
//! and nonces are normalized, so a recording replays against any server with `ocigw replay`.
//! Files are written by a background thread: recording never slows the caller, and a full disk or
//! an unwritable folder is logged once and ends the recording while requests keep flowing.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::time::Duration;

use crate::ocip::document::{command_type, write_tree, DECLARATION};
use crate::ocip::xml::charset::decode_document;
use crate::ocip::xml::{parse, Element, XmlWriter};

tokio::task_local! {
    /// The REST request id of the request being served, recorded with its OCI exchanges.
    pub static REQUEST_ID: String;
}

/// Exchanges waiting to be written before new ones are dropped.
const QUEUE: usize = 4096;

/// Writes recorded exchanges into a folder.
#[derive(Debug)]
pub struct Recorder {
    dir: PathBuf,
    queue: SyncSender<Entry>,
    counter: AtomicU64,
    stopped: std::sync::Arc<AtomicBool>,
    dropped_logged: AtomicBool,
}

enum Entry {
    Write { path: PathBuf, bytes: Vec<u8> },
    Flush(std::sync::mpsc::SyncSender<()>),
}

impl Recorder {
    /// Starts recording into `dir` (created if needed). Numbering continues after the files
    /// already there.
    pub fn start(dir: &Path) -> Result<Self, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the recording folder {}: {e}", dir.display()))?;
        let existing = std::fs::read_dir(dir)
            .map(|entries| entries.filter_map(Result::ok).count())
            .unwrap_or(0);
        let (queue, entries) = sync_channel::<Entry>(QUEUE);
        let stopped = std::sync::Arc::new(AtomicBool::new(false));
        let flag = stopped.clone();
        let folder = dir.to_path_buf();
        std::thread::Builder::new()
            .name("ocigw-recorder".into())
            .spawn(move || {
                for entry in entries {
                    match entry {
                        Entry::Flush(done) => {
                            let _ = done.send(());
                        }
                        Entry::Write { path, bytes } => {
                            if let Err(e) = std::fs::write(&path, &bytes) {
                                tracing::error!(folder = %folder.display(), error = %e, "recording stopped: cannot write fixtures; requests go on unrecorded");
                                flag.store(true, Ordering::Relaxed);
                                return;
                            }
                        }
                    }
                }
            })
            .map_err(|e| format!("cannot start the recorder: {e}"))?;
        Ok(Self {
            dir: dir.to_path_buf(),
            queue,
            counter: AtomicU64::new(existing as u64),
            stopped,
            dropped_logged: AtomicBool::new(false),
        })
        .inspect(|_| tracing::info!(folder = %dir.display(), "recording OCI exchanges"))
    }

    /// Records one exchange (never blocks; drops it when the writer is behind or stopped).
    pub fn record(&self, request: &[u8], response: &[u8], elapsed: Duration) {
        if self.stopped.load(Ordering::Relaxed) {
            return;
        }
        let request_id = REQUEST_ID.try_with(Clone::clone).ok();
        let Some((name, request, response)) = normalize(request, response) else {
            return;
        };
        let n = self.counter.fetch_add(1, Ordering::Relaxed) + 1;
        let mut bytes = request;
        bytes.push(b'\n');
        let comment = format!(
            "<!-- ocigw recording: elapsed_ms=\"{:.3}\" request_id=\"{}\" -->\n",
            elapsed.as_secs_f64() * 1000.0,
            request_id
                .as_deref()
                .filter(|id| is_safe_request_id(id))
                .unwrap_or("-")
        );
        let body = response
            .strip_prefix(DECLARATION.as_bytes())
            .unwrap_or(&response)
            .trim_ascii_start();
        bytes.extend_from_slice(DECLARATION.as_bytes());
        bytes.push(b'\n');
        bytes.extend_from_slice(comment.as_bytes());
        bytes.extend_from_slice(body);
        bytes.push(b'\n');
        let entry = Entry::Write {
            path: self.dir.join(format!("{n:06}-{name}.xml")),
            bytes,
        };
        match self.queue.try_send(entry) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                if !self.dropped_logged.swap(true, Ordering::Relaxed) {
                    tracing::warn!("recording falls behind: exchanges are being dropped");
                }
            }
            Err(TrySendError::Disconnected(_)) => self.stopped.store(true, Ordering::Relaxed),
        }
    }

    /// Waits (up to `limit`) until everything recorded so far is on disk.
    pub fn flush(&self, limit: Duration) {
        let (done, wait) = std::sync::mpsc::sync_channel(1);
        if self.queue.send(Entry::Flush(done)).is_ok() {
            let _ = wait.recv_timeout(limit);
        }
    }

    /// Whether recording has stopped (after a write error).
    pub fn stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }
}

/// The command name, and both documents with secrets replaced and varying values normalized.
pub fn normalize(request: &[u8], response: &[u8]) -> Option<(String, Vec<u8>, Vec<u8>)> {
    let request_text = decode_document(request).ok()?;
    let mut request_root = parse(&request_text).ok()?;
    let name = request_root
        .children
        .iter()
        .find(|c| c.name == "command")
        .and_then(|c| command_type(c).ok())
        .unwrap_or("Unknown")
        .to_owned();
    scrub(&mut request_root, true);
    let response_text = decode_document(response).ok()?;
    let mut response_root = parse(&response_text).ok()?;
    scrub(&mut response_root, false);
    Some((name, serialize(&request_root), serialize(&response_root)))
}

fn serialize(root: &Element<'_>) -> Vec<u8> {
    let mut w = XmlWriter::with_capacity(1024);
    w.raw(DECLARATION);
    w.raw("\n");
    write_tree(&mut w, root);
    w.into_bytes()
}

/// Replaces secrets and normalizes what varies, in place.
fn scrub(e: &mut Element<'_>, request: bool) {
    let login = matches!(
        e.xsi_type(),
        Some(
            "AuthenticationRequest"
                | "AuthenticationResponse"
                | "LoginRequest14sp4"
                | "LoginRequest22V5"
                | "LogoutRequest"
        )
    );
    for child in &mut e.children {
        let replacement = match child.name {
            "sessionId" => Some("{{sessionId}}"),
            "nonce" => Some("{{nonce}}"),
            "signedPassword" => Some("{{signedPassword}}"),
            "password" | "plainTextPassword" if login => Some("{{password}}"),
            n if n.to_ascii_lowercase().contains("password") && request => Some("[redacted]"),
            "userId" if login => Some("{{user}}"),
            _ => None,
        };
        match replacement {
            Some(text) => {
                child.text = text.into();
                child.children.clear();
            }
            None => scrub(child, request),
        }
    }
}

/// Longest request id kept (a client's longer one is replaced by a generated one).
pub const MAX_REQUEST_ID: usize = 128;

/// Whether a request id may be logged and written into a recording's comment as it is: 1 to
/// [`MAX_REQUEST_ID`] visible ASCII characters of `[A-Za-z0-9._:@+=/-]`, no `--` (which would
/// end the comment and let the id smuggle documents into the recording).
pub fn is_safe_request_id(id: &str) -> bool {
    (1..=MAX_REQUEST_ID).contains(&id.len())
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".:_@+=/-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_survive_and_varying_values_are_normalized() {
        let request = br#"<?xml version="1.0" encoding="ISO-8859-1"?><BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sessionId xmlns="">abc</sessionId><command xsi:type="LoginRequest14sp4" xmlns=""><userId>admin</userId><signedPassword>f3076f4ea92feb69ea61b3321635088f</signedPassword></command></BroadsoftDocument>"#;
        let response = br#"<?xml version="1.0" encoding="ISO-8859-1"?><BroadsoftDocument protocol="OCI" xmlns="C"><sessionId xmlns="">abc</sessionId><command echo="" xsi:type="AuthenticationResponse" xmlns=""><userId>admin</userId><nonce>123</nonce><passwordAlgorithm>MD5</passwordAlgorithm></command></BroadsoftDocument>"#;
        let (name, req, resp) = normalize(request, response).unwrap();
        assert_eq!(name, "LoginRequest14sp4");
        let req = String::from_utf8(req).unwrap();
        let resp = String::from_utf8(resp).unwrap();
        assert!(
            req.contains("<signedPassword>{{signedPassword}}</signedPassword>"),
            "{req}"
        );
        assert!(req.contains("<userId>{{user}}</userId>"));
        assert!(req.contains("<sessionId xmlns=\"\">{{sessionId}}</sessionId>"));
        assert!(!req.contains("f3076f4e") && !req.contains("admin"));
        assert!(
            resp.contains("<nonce>{{nonce}}</nonce>") && resp.contains("<userId>{{user}}</userId>")
        );
        let add = br#"<BroadsoftDocument><sessionId>s</sessionId><command xsi:type="GroupHuntGroupAddInstanceRequest20"><serviceInstanceProfile><name>x</name><password>Hunt!2026</password></serviceInstanceProfile></command></BroadsoftDocument>"#;
        let (_, req, _) = normalize(add, response).unwrap();
        let req = String::from_utf8(req).unwrap();
        assert!(
            req.contains("<password>[redacted]</password>") && !req.contains("Hunt!2026"),
            "{req}"
        );
    }
}
