//! The BroadsoftDocument envelope: writing requests and responses, and reading either.
//!
//! Written exactly as BroadWorks and its common clients do:
//! `<BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="…"><sessionId xmlns="">…</sessionId>
//! <command xsi:type="…" xmlns="">…</command></BroadsoftDocument>`, declared ISO-8859-1.

use crate::ocip::error::DecodeError;
use crate::ocip::value::{Node, OciCommand};
use crate::ocip::xml::writer::XSI_NAMESPACE;
use crate::ocip::xml::{parse, Element, Reader, Token, XmlWriter};

/// The XML declaration every document starts with.
pub const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>";

/// Most commands one document may carry (the schema's maxOccurs).
pub const MAX_COMMANDS: usize = 15;

/// Writes a document for `session_id` whose commands are written by `commands`.
pub fn encode_document(session_id: &str, commands: impl FnOnce(&mut XmlWriter)) -> Vec<u8> {
    let mut w = XmlWriter::with_capacity(1024);
    w.raw(DECLARATION);
    w.raw("\n<BroadsoftDocument protocol=\"OCI\" xmlns=\"C\" xmlns:xsi=\"");
    w.raw(XSI_NAMESPACE);
    w.raw("\"><sessionId xmlns=\"\">");
    w.escaped(session_id);
    w.raw("</sessionId>");
    commands(&mut w);
    w.raw("</BroadsoftDocument>");
    w.into_bytes()
}

/// Writes a document carrying one command.
pub fn encode_command<C: OciCommand>(session_id: &str, command: &C) -> Vec<u8> {
    encode_document(session_id, |w| command.write_command(w))
}

/// A parsed document: its session id and its command elements.
#[derive(Debug)]
pub struct ParsedDocument<'a> {
    /// The root element.
    pub root: Element<'a>,
}

impl<'a> ParsedDocument<'a> {
    /// Parses document text (already decoded from its declared encoding).
    pub fn parse(text: &'a str) -> Result<Self, DecodeError> {
        let root = parse(text)?;
        check_root(root.name)?;
        let doc = Self { root };
        if doc.commands().next().is_none() {
            return Err(no_command());
        }
        Ok(doc)
    }

    /// The session id, empty when absent.
    pub fn session_id(&self) -> &str {
        self.root.child_text("sessionId").unwrap_or("")
    }

    /// The `<command>` elements, in order.
    pub fn commands(&self) -> impl Iterator<Item = &Element<'a>> {
        self.root.children.iter().filter(|c| c.name == "command")
    }

    /// The first command.
    pub fn first_command(&self) -> Result<&Element<'a>, DecodeError> {
        self.commands().next().ok_or_else(no_command)
    }
}

/// Reads each `<command>` of a document in turn with `each`, straight from the text (no tree
/// is built), and checks the rest of the document: the number of commands read. Reading stops
/// at the first error, so a caller that needs every command's own outcome, or the exact
/// reason a document is refused, reads the document with [`ParsedDocument`] when this fails:
/// both read the same tokens and the same typed values, so what this returns on success is
/// what that would have.
pub fn for_each_command(
    text: &str,
    each: impl FnMut(Node<'_, '_>) -> Result<(), DecodeError>,
) -> Result<usize, DecodeError> {
    walk_commands(text, |_| {}, each)
}

/// [`for_each_command`], returning the document's session id with the number of commands: the
/// first `<sessionId>`'s text, as [`ParsedDocument::session_id`] takes it (empty when absent).
pub fn for_each_command_in_session(
    text: &str,
    each: impl FnMut(Node<'_, '_>) -> Result<(), DecodeError>,
) -> Result<(usize, String), DecodeError> {
    let mut session_id = String::new();
    let count = walk_commands(text, |id| session_id = id.to_owned(), each)?;
    Ok((count, session_id))
}

/// [`for_each_command`], giving the first `<sessionId>`'s text to `session_id` (read in
/// place: a caller that does not keep it copies nothing).
fn walk_commands(
    text: &str,
    mut session_id: impl FnMut(&str),
    mut each: impl FnMut(Node<'_, '_>) -> Result<(), DecodeError>,
) -> Result<usize, DecodeError> {
    let mut reader = Reader::new(text);
    let root = Node::first(&mut reader)?;
    check_root(root.name())?;
    let mut count = 0;
    let mut session_seen = false;
    let mut children = root.children();
    while let Some(child) = children.any()? {
        match child.name() {
            "command" => {
                count += 1;
                each(child)?;
            }
            "sessionId" if !session_seen => {
                session_seen = true;
                session_id(&child.text()?);
            }
            _ => child.skip()?,
        }
    }
    // After the root only white space, comments or processing instructions may follow.
    match reader.next_token()? {
        Token::Eof => {}
        _ => return Err(DecodeError::new("content after the root element")),
    }
    if count == 0 {
        return Err(no_command());
    }
    Ok(count)
}

/// Refuses a root element other than `BroadsoftDocument`.
fn check_root(name: &str) -> Result<(), DecodeError> {
    if name == "BroadsoftDocument" {
        return Ok(());
    }
    Err(DecodeError::new(format!(
        "root element is <{name}>, not <BroadsoftDocument>"
    )))
}

/// A document without a command.
fn no_command() -> DecodeError {
    DecodeError::new("document has no <command>")
}

/// The command's type name from its `xsi:type`, prefix removed.
pub fn command_type<'e>(command: &'e Element<'_>) -> Result<&'e str, DecodeError> {
    command.xsi_type().ok_or_else(untyped_command)
}

/// A `<command>` without `xsi:type`.
pub fn untyped_command() -> DecodeError {
    DecodeError::new("<command> has no xsi:type")
}

/// Decodes a command element as `C`, checking its type first.
pub fn decode_command<C: OciCommand>(command: &Element<'_>) -> Result<C, DecodeError> {
    let found = command_type(command)?;
    if found != C::NAME {
        return Err(DecodeError::new(format!(
            "expected {}, found {found}",
            C::NAME
        )));
    }
    C::read_command(Node::of(command))
}

/// Writes an arbitrary element tree back out (used to forward a command read from a file).
pub fn write_tree(w: &mut XmlWriter, e: &Element<'_>) {
    w.raw("<");
    w.raw(e.name);
    for (key, value) in &e.attrs {
        w.raw(" ");
        w.raw(key);
        w.raw("=\"");
        w.escaped_attr(value);
        w.raw("\"");
    }
    if e.children.is_empty() && e.text.is_empty() {
        w.raw("/>");
        return;
    }
    w.raw(">");
    w.escaped(&e.text);
    for child in &e.children {
        write_tree(w, child);
    }
    w.close(e.name);
}
