//! Answers from recordings (`ocigw sim --answers DIR`): exchanges in the `fixtures/oci` format,
//! for example recorded with `--record` against a real BroadWorks, served back to any client.
//!
//! A received command is answered with the recorded answer of the recorded command that matches
//! it: same command type, same element values (session id, nonce and attribute order ignored; a
//! recorded `{{placeholder}}` or `[redacted]` matches any value). A command recorded several
//! times gets its answers in recorded order, then the last one again, so state changes replay as
//! they happened. Logins, authentication and logouts are never taken from recordings: the
//! simulator checks the password itself.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::fixture::{compare_command, leaf_values, load_case, required_values};
use crate::ocip::document::{command_type, write_tree, ParsedDocument};
use crate::ocip::xml::charset::decode_document;
use crate::ocip::xml::tree::strip_prefix;
use crate::ocip::xml::{Element, XmlWriter};

/// Commands the simulator always answers itself (its login state machine).
const NEVER_FROM_RECORDINGS: [&str; 4] = [
    "AuthenticationRequest",
    "LoginRequest14sp4",
    "LoginRequest22V5",
    "LogoutRequest",
];

/// How many differences of the closest recording an explanation names.
const DIFFERENCES_NAMED: usize = 3;

/// One recorded command and its recorded answer.
#[derive(Debug, Clone)]
struct Recorded {
    /// The exchange file.
    file: PathBuf,
    /// The command's place in its document (0-based).
    position: usize,
    /// The request document's text (shared by the commands of one document).
    request: Arc<str>,
    /// The answer command, written as it goes into an answer document.
    answer: Vec<u8>,
    /// The answer's command type.
    answer_type: String,
    /// The leaf values a matching command holds (see [`required_values`]).
    required: Vec<String>,
}

/// A recorded answer chosen for a received command.
#[derive(Debug, Clone)]
pub struct Served {
    /// The answer command, ready for the answer document.
    pub answer: Vec<u8>,
    /// Its command type.
    pub answer_type: String,
    /// The recording it came from.
    pub file: PathBuf,
}

/// The loaded recordings and which of them have been served.
#[derive(Debug, Default)]
pub struct Answers {
    entries: Vec<Recorded>,
    by_type: HashMap<String, Vec<usize>>,
    served: Mutex<Vec<bool>>,
    first: bool,
    folders: Vec<PathBuf>,
}

impl Clone for Answers {
    /// The same recordings, none served yet.
    fn clone(&self) -> Self {
        Self {
            entries: self.entries.clone(),
            by_type: self.by_type.clone(),
            served: Mutex::new(vec![false; self.entries.len()]),
            first: self.first,
            folders: self.folders.clone(),
        }
    }
}

impl Answers {
    /// Loads every exchange file under each folder (sub-folders included, in name order).
    /// `first`: answer from recordings before the simulator's own handlers
    /// (`--answers-first`). Files that hold a request alone, or whose answer document does not
    /// carry one answer per command, are skipped with a warning.
    pub fn load(folders: &[PathBuf], first: bool) -> Result<Self, String> {
        let mut answers = Self {
            first,
            folders: folders.to_vec(),
            ..Self::default()
        };
        for folder in folders {
            if !folder.is_dir() {
                return Err(format!(
                    "--answers {}: not a folder of recordings",
                    folder.display()
                ));
            }
            for dir in folders_under(folder)? {
                for exchange in load_case(&dir)?.exchanges {
                    answers.add_exchange(&exchange.path, &exchange.request, &exchange.response)?;
                }
            }
        }
        answers.served = Mutex::new(vec![false; answers.entries.len()]);
        Ok(answers)
    }

    fn add_exchange(&mut self, file: &Path, request: &[u8], response: &[u8]) -> Result<(), String> {
        let context = |e: String| format!("{}: {e}", file.display());
        if response.is_empty() {
            tracing::warn!(file = %file.display(), "recording without an answer; skipped");
            return Ok(());
        }
        let request_text = decode_document(request)
            .map_err(|e| context(e.to_string()))?
            .into_owned();
        let response_text = decode_document(response).map_err(|e| context(e.to_string()))?;
        let request_doc =
            ParsedDocument::parse(&request_text).map_err(|e| context(e.to_string()))?;
        let response_doc =
            ParsedDocument::parse(&response_text).map_err(|e| context(e.to_string()))?;
        let requests: Vec<&Element<'_>> = request_doc.commands().collect();
        let shared: Arc<str> = Arc::from(request_text.as_str());
        let responses: Vec<&Element<'_>> = response_doc.commands().collect();
        if requests.len() != responses.len() {
            tracing::warn!(
                file = %file.display(),
                commands = requests.len(),
                answers = responses.len(),
                "recording whose answer does not carry one answer per command; skipped"
            );
            return Ok(());
        }
        for (position, (request, response)) in requests.iter().zip(&responses).enumerate() {
            let command = command_type(request).map_err(|e| context(e.to_string()))?;
            if NEVER_FROM_RECORDINGS.contains(&command) {
                continue;
            }
            let answer_type = command_type(response)
                .map_err(|e| context(e.to_string()))?
                .to_owned();
            self.by_type
                .entry(command.to_owned())
                .or_default()
                .push(self.entries.len());
            self.entries.push(Recorded {
                file: file.to_path_buf(),
                position,
                request: shared.clone(),
                answer: standalone(response, &response_doc.root),
                answer_type,
                required: required_values(request),
            });
        }
        Ok(())
    }

    /// How many recorded answers are loaded.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether none is loaded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether recordings answer before the simulator's own handlers.
    pub fn first(&self) -> bool {
        self.first
    }

    /// Forgets which answers were served: the next request gets the first recorded answer
    /// again.
    pub fn reset(&self) {
        let mut served = self.served.lock().unwrap_or_else(|p| p.into_inner());
        served.iter_mut().for_each(|s| *s = false);
    }

    /// The recorded answer for `command`, or why there is none: no recording of its type, or
    /// the closest recording of its type and how it differs.
    pub fn find(&self, command: &Element<'_>) -> Result<Served, String> {
        let name = command_type(command).map_err(|e| e.to_string())?;
        let Some(candidates) = self.by_type.get(name) else {
            return Err(format!(
                "no recording holds a {name} ({} recorded answers loaded from {})",
                self.entries.len(),
                self.folder_names()
            ));
        };
        // Only the candidates whose values the command holds are compared whole: a lookup in a
        // large recording parses a few recorded requests, not all of its type.
        let values = leaf_values(command);
        let differ = |index: usize| differences(&self.entries[index], command);
        let matching: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| {
                self.entries[i]
                    .required
                    .iter()
                    .all(|v| values.contains(v.as_str()))
            })
            .filter(|&i| differ(i).is_empty())
            .collect();
        let mut served = self.served.lock().unwrap_or_else(|p| p.into_inner());
        let chosen = matching
            .iter()
            .copied()
            .find(|&i| !served[i])
            .or_else(|| matching.last().copied());
        if let Some(index) = chosen {
            served[index] = true;
            let recorded = &self.entries[index];
            tracing::info!(
                command = name,
                recording = %recorded.file.display(),
                answer = %recorded.answer_type,
                "simulator: answered from a recording"
            );
            return Ok(Served {
                answer: recorded.answer.clone(),
                answer_type: recorded.answer_type.clone(),
                file: recorded.file.clone(),
            });
        }
        drop(served);
        // No match: every candidate is compared, to name the closest.
        let (index, differences) = candidates
            .iter()
            .map(|&i| (i, differ(i)))
            .min_by_key(|(_, d)| d.len())
            .unwrap_or_default();
        let recorded = &self.entries[index];
        let named: Vec<&str> = differences
            .iter()
            .take(DIFFERENCES_NAMED)
            .map(String::as_str)
            .collect();
        let more = differences.len().saturating_sub(DIFFERENCES_NAMED);
        Err(format!(
            "no recorded {name} matches this request; the closest is {} (command {} of its document): {}{}",
            recorded.file.display(),
            recorded.position + 1,
            named.join("; "),
            if more > 0 {
                format!("; and {more} more differences")
            } else {
                String::new()
            }
        ))
    }

    fn folder_names(&self) -> String {
        let names: Vec<String> = self
            .folders
            .iter()
            .map(|f| f.display().to_string())
            .collect();
        names.join(", ")
    }
}

/// How the recorded request differs from `received` (nothing when it matches).
fn differences(recorded: &Recorded, received: &Element<'_>) -> Vec<String> {
    let doc = match ParsedDocument::parse(&recorded.request) {
        Ok(doc) => doc,
        Err(e) => return vec![e.to_string()],
    };
    let command = doc.commands().nth(recorded.position);
    match command {
        Some(command) => compare_command(command, received),
        None => vec![format!("{}: command missing", recorded.file.display())],
    }
}

/// Every folder under `root`, `root` first, in name order.
fn folders_under(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = vec![root.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        let mut children: Vec<PathBuf> = std::fs::read_dir(&out[i])
            .map_err(|e| format!("cannot read {}: {e}", out[i].display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        children.sort();
        out.extend(children);
        i += 1;
    }
    Ok(out)
}

/// The answer command written so it stands in any answer document: as recorded, and when its
/// `xsi:type` has a prefix declared higher up in the recording (not on the command itself, as
/// BroadWorks declares it), with that declaration added.
fn standalone(command: &Element<'_>, root: &Element<'_>) -> Vec<u8> {
    let mut w = XmlWriter::with_capacity(512);
    write_tree(&mut w, command);
    let mut bytes = w.into_bytes();
    let prefix = command
        .attrs
        .iter()
        .find(|(k, _)| strip_prefix(k) == "type" && k.contains(':'))
        .and_then(|(_, v)| v.split_once(':').map(|(p, _)| p));
    if let Some(prefix) = prefix {
        let declaration = format!("xmlns:{prefix}");
        if command.attr(&declaration).is_none() {
            let mut attribute = XmlWriter::with_capacity(64);
            attribute.raw(&format!(" {declaration}=\""));
            attribute.escaped_attr(root.attr(&declaration).unwrap_or("C"));
            attribute.raw("\"");
            let at = 1 + command.name.len();
            bytes.splice(at..at, attribute.into_bytes());
        }
    }
    bytes
}
