//! Commands given as JSON made ready for the wire, and answer documents read back as JSON: what
//! `oci call` and `POST /api/v1/oci/commands` share. Nothing here touches a socket.

use serde_json::Value;

use crate::ocip::document::{ParsedDocument, MAX_COMMANDS};
use crate::ocip::xml::charset::decode_document;
use crate::ocip::xml::XmlWriter;
use crate::schema::catalog::Catalog;
use crate::schema::decode::{decode_command, Decoded};
use crate::schema::encode::{encode_command, COMMAND_KEY};
use crate::schema::path::Violation;

/// Commands checked and written, ready to go in documents of at most 15.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Each command's type name, in order.
    pub names: Vec<String>,
    /// Each command's `<command>` element, in order.
    pub commands: Vec<Vec<u8>>,
}

impl Prepared {
    /// The commands in documents of at most 15, each with whether it holds reads only (a
    /// document that may be sent again after a dropped connection).
    pub fn documents(&self) -> impl Iterator<Item = (&[Vec<u8>], bool)> {
        self.commands
            .chunks(MAX_COMMANDS)
            .zip(self.names.chunks(MAX_COMMANDS))
            .map(|(commands, names)| (commands, names.iter().all(|n| is_read(n))))
    }
}

/// Whether a request only reads (its name says Get): it may be sent again when the connection
/// broke before its answer.
pub fn is_read(request: &str) -> bool {
    request.contains("Get")
}

/// Checks and writes one command (an object) or several (an array, at most `max`); every
/// violation of every command is returned, a command's own paths behind `[i]` in an array.
pub fn prepare(catalog: &Catalog, input: &Value, max: usize) -> Result<Prepared, Vec<Violation>> {
    let (items, in_array): (Vec<&Value>, bool) = match input {
        Value::Array(items) => (items.iter().collect(), true),
        one => (vec![one], false),
    };
    if items.is_empty() {
        return Err(vec![Violation {
            path: String::new(),
            rule: "no command given (an empty array)".to_owned(),
        }]);
    }
    if items.len() > max {
        return Err(vec![Violation {
            path: String::new(),
            rule: format!("{} commands, at most {max} in one call", items.len()),
        }]);
    }
    let mut prepared = Prepared {
        names: Vec::with_capacity(items.len()),
        commands: Vec::with_capacity(items.len()),
    };
    let mut violations = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let mut w = XmlWriter::with_capacity(256);
        match encode_command(catalog, item, &mut w) {
            Ok(()) => {
                let name = item.get(COMMAND_KEY).and_then(Value::as_str).unwrap_or("");
                prepared.names.push(name.to_owned());
                prepared.commands.push(w.into_bytes());
            }
            Err(found) => violations.extend(found.into_iter().map(|mut v| {
                if in_array {
                    v.path = match v.path.is_empty() {
                        true => format!("[{i}]"),
                        false => format!("[{i}].{}", v.path),
                    };
                }
                v
            })),
        }
    }
    if violations.is_empty() {
        Ok(prepared)
    } else {
        Err(violations)
    }
}

/// Every command of an answer document, read as JSON by the catalog.
pub fn answers(catalog: &Catalog, frame: &[u8]) -> Result<Vec<Decoded>, String> {
    let text = decode_document(frame).map_err(|e| format!("unreadable answer: {e}"))?;
    let parsed = ParsedDocument::parse(&text).map_err(|e| format!("unreadable answer: {e}"))?;
    Ok(parsed
        .commands()
        .map(|c| decode_command(catalog, c))
        .collect())
}
