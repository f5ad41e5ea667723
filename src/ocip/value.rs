//! Typed OCI values: how one Rust value becomes one XML element and back, and the
//! [`oci_struct!`](crate::oci_struct) macro that declares a complex type's fields once, in schema
//! order, and derives both directions from that one list.
//!
//! Decoding walks the children strictly in declaration order, so an element out of schema order
//! is reported exactly as BroadWorks would refuse it ("expected `<policy>`, found
//! `<huntAfterNoAnswer>`"), and anything left over is an unexpected element.

use std::borrow::Cow;

use crate::ocip::error::DecodeError;
use crate::ocip::xml::chars;
use crate::ocip::xml::reader::{self, Reader, Tag, Token};
use crate::ocip::xml::{Element, ElementSink, XmlWriter};

/// A value that is the content of one XML element.
pub trait OciElement: Sized {
    /// Writes the whole element `<name>…</name>`.
    fn write_element<W: ElementSink>(&self, w: &mut W, name: &str);
    /// Reads the value from its element, through its end tag.
    fn read_element(e: Node<'_, '_>) -> Result<Self, DecodeError>;
    /// Writes the element cleared with `xsi:nil` (abstract types override this to name a
    /// concrete `xsi:type`, which the schema requires even on a nil element).
    fn write_nil<W: ElementSink>(w: &mut W, name: &str) {
        w.nil(name);
    }
    /// For a simple type (text only, no attribute that matters), its value from its element's
    /// text, which its `read_element` reads through [`Node::text`]; the typed reader then reads
    /// an element written plainly in one step ([`Children::plain_simple`]). `None` for a
    /// complex type.
    const FROM_TEXT: Option<FromText<Self>> = None;
}

/// How a simple value is made from its element's text ([`OciElement::FROM_TEXT`]).
pub type FromText<T> = fn(&str) -> Result<T, DecodeError>;

/// Reads a simple value's element: its text (references resolved, comments skipped, a child
/// refused), parsed by `from_text`: the `read_element` of the [`OciElement::FROM_TEXT`] types,
/// so both paths parse alike.
pub fn read_text<T>(e: Node<'_, '_>, from_text: FromText<T>) -> Result<T, DecodeError> {
    from_text(&e.text()?)
}

/// A complex type: a sequence of fields written inside an element.
pub trait OciFields: Sized {
    /// Writes the fields, in schema order.
    fn write_fields<W: ElementSink>(&self, w: &mut W);
    /// Reads the fields from the children of an element, in schema order.
    fn read_fields(c: &mut Children<'_, '_>) -> Result<Self, DecodeError>;

    /// Reads the fields as the whole content of `e`: nothing may be left over.
    fn read_content(e: Node<'_, '_>) -> Result<Self, DecodeError> {
        let mut c = e.children();
        let value = Self::read_fields(&mut c)?;
        c.finish()?;
        Ok(value)
    }
}

/// An OCI command: a request or a response, identified on the wire by `xsi:type`.
pub trait OciCommand: OciFields {
    /// The command's name, which is its `xsi:type` (e.g. `GroupHuntGroupAddInstanceRequest20`).
    const NAME: &'static str;

    /// Writes `<command …>` with the body. Responses override this to add `echo` (and the
    /// `c:` prefix for the generic responses) as BroadWorks does.
    fn write_command(&self, w: &mut XmlWriter) {
        w.raw("<command xsi:type=\"");
        w.raw(Self::NAME);
        w.raw("\" xmlns=\"\">");
        self.write_fields(w);
        w.raw("</command>");
    }

    /// Reads the command from a `<command>` element whose type has been checked.
    fn read_command(e: Node<'_, '_>) -> Result<Self, DecodeError> {
        Self::read_content(e).map_err(|err| err.within(Self::NAME))
    }
}

/// A request, with the response type BroadWorks answers it with on success.
pub trait OciRequest: OciCommand {
    /// The success response.
    type Response: OciCommand + Default + Send;

    /// What the pool may do when the connection breaks and this request's outcome is unknown.
    fn recovery(&self) -> Recovery {
        Recovery::Report
    }
}

/// How to recover a request whose connection broke before its answer came.
#[derive(Debug, Clone)]
pub enum Recovery {
    /// Report the failure (writes whose outcome cannot be checked).
    Report,
    /// Send again: a read, or a write that leaves the same state however often it is applied.
    Resend,
    /// The request creates what the probe reads: it happened if the probe finds it and
    /// confirms it is what the request would have made; otherwise it is sent again (and
    /// BroadWorks itself refuses it if the id was taken before).
    Creates(Probe),
    /// The request changes what the probe reads to a state that does not depend on how often
    /// it is applied: sent again if the probe still finds it.
    Updates(Probe),
    /// The request deletes what the probe reads: it happened if the probe finds nothing,
    /// otherwise it is sent again.
    Deletes(Probe),
}

/// Whether a probe's answer (its `<command>` element) is what the write would have made.
type Confirmation = std::sync::Arc<dyn Fn(&Element<'_>) -> bool + Send + Sync>;

/// A read that a write carries to check, after a broken connection, whether the object it is
/// about exists: the pool sends it without knowing what it reads.
#[derive(Clone)]
pub struct Probe {
    name: &'static str,
    command: Vec<u8>,
    confirms: Option<Confirmation>,
}

impl std::fmt::Debug for Probe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Probe({})", self.name)
    }
}

impl Probe {
    /// A probe that sends `request`: found when BroadWorks answers it with its response, absent
    /// when BroadWorks says "not found".
    pub fn new<R: OciCommand>(request: &R) -> Self {
        let mut w = XmlWriter::with_capacity(256);
        request.write_command(&mut w);
        Self {
            name: R::NAME,
            command: w.into_bytes(),
            confirms: None,
        }
    }

    /// Adds the check that what was found is what the write would have made (given the
    /// probe's answer, its `<command>` element).
    pub fn confirming(
        mut self,
        check: impl Fn(&Element<'_>) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.confirms = Some(std::sync::Arc::new(check));
        self
    }

    /// The probe command's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The probe's `<command>` element, as bytes.
    pub fn command(&self) -> &[u8] {
        &self.command
    }

    /// Whether the answer found is what the write would have made.
    pub fn confirms(&self, answer: &Element<'_>) -> bool {
        self.confirms.as_ref().is_none_or(|check| check(answer))
    }
}

/// A value that may be set or explicitly cleared (`xsi:nil="true"`) in a Modify request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Nillable<T> {
    /// Set to this value.
    Set(T),
    /// Cleared.
    Nil,
}

/// An element read and dropped: a part of a response ocigw does not use (a group's postal
/// address, say). It is never written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ignored;

impl OciElement for Ignored {
    fn write_element<W: ElementSink>(&self, _w: &mut W, _name: &str) {}
    fn read_element(e: Node<'_, '_>) -> Result<Self, DecodeError> {
        e.skip().map(|()| Self)
    }
}

/// An element being read, from one of two sources: straight from the text (a start tag, with
/// the reader just after it), or from a parsed tree. Reading it — as text, as children, or
/// skipping it — consumes it (from the text: through its end tag). The typed values declare
/// their reads once, against this; which source serves them is the caller's choice.
pub struct Node<'r, 'a>(NodeSource<'r, 'a>);

/// Where a [`Node`] is read from.
enum NodeSource<'r, 'a> {
    /// The text: the element's start tag has just been read.
    Text {
        reader: &'r mut Reader<'a>,
        tag: Tag<'a>,
    },
    /// An element of a parsed tree.
    Tree(&'r Element<'a>),
}

impl<'r, 'a> Node<'r, 'a> {
    /// The first element `reader` reads (the root of the text it reads).
    pub fn first(reader: &'r mut Reader<'a>) -> Result<Self, DecodeError> {
        match reader.next_token()? {
            Token::Start(tag) => Ok(Self(NodeSource::Text { reader, tag })),
            _ => Err(DecodeError::new("no element to read")),
        }
    }

    /// An element of a parsed tree: how the simulator, probes and multi-answer fallbacks,
    /// which hold one, read typed values.
    pub fn of(element: &'r Element<'a>) -> Self {
        Self(NodeSource::Tree(element))
    }

    /// The element's local name.
    pub fn name(&self) -> &'a str {
        match &self.0 {
            NodeSource::Text { tag, .. } => tag.name,
            NodeSource::Tree(e) => e.name,
        }
    }

    /// The element's attributes.
    fn attrs(&self) -> &[(&'a str, Cow<'a, str>)] {
        match &self.0 {
            NodeSource::Text { tag, .. } => &tag.attrs,
            NodeSource::Tree(e) => &e.attrs,
        }
    }

    /// The local part of the `xsi:type` attribute.
    pub fn xsi_type(&self) -> Option<&str> {
        reader::xsi_type(self.attrs())
    }

    /// Whether the element carries `xsi:nil="true"`.
    pub fn is_nil(&self) -> bool {
        reader::is_nil(self.attrs())
    }

    /// The text of a simple value (concatenated when split by comments); a child element is
    /// an error.
    pub fn text(self) -> Result<Cow<'r, str>, DecodeError> {
        let (reader, tag) = match self.0 {
            NodeSource::Tree(e) => {
                if let Some(child) = e.children.first() {
                    return Err(inside_simple_value(child.name));
                }
                return Ok(Cow::Borrowed(e.text.as_ref()));
            }
            NodeSource::Text { reader, tag } => (reader, tag),
        };
        let mut text = Cow::Borrowed("");
        if tag.empty {
            return Ok(text);
        }
        if let Some(plain) = reader.plain_text() {
            return Ok(plain);
        }
        loop {
            match reader.next_token()? {
                Token::Text(more) if text.is_empty() => text = more,
                Token::Text(more) => text.to_mut().push_str(&more),
                Token::End | Token::Eof => return Ok(text),
                Token::Start(child) => return Err(inside_simple_value(child.name)),
            }
        }
    }

    /// A cursor over the child elements (text between them is ignored).
    pub fn children(self) -> Children<'r, 'a> {
        Children(match self.0 {
            NodeSource::Text { reader, tag } => Cursor::Text {
                done: tag.empty,
                reader,
                next: None,
            },
            NodeSource::Tree(e) => Cursor::Tree {
                items: &e.children,
                pos: 0,
            },
        })
    }

    /// Reads the element to its end, dropping its content.
    pub fn skip(self) -> Result<(), DecodeError> {
        match self.0 {
            NodeSource::Text { reader, tag } => reader.skip_element(&tag),
            NodeSource::Tree(_) => Ok(()),
        }
    }
}

/// A child element where a simple value was expected.
fn inside_simple_value(name: &str) -> DecodeError {
    DecodeError::new(format!("unexpected element <{name}> inside a simple value"))
}

/// A required element `name` that is not next: `found` is what is there instead.
fn not_there(name: &str, found: Option<&str>) -> DecodeError {
    DecodeError::new(match found {
        Some(found) => {
            format!("expected element <{name}>, found <{found}> (missing or out of schema order)")
        }
        None => format!("missing required element <{name}>"),
    })
}

/// A cursor over an element's children, consumed in schema order.
pub struct Children<'r, 'a>(Cursor<'r, 'a>);

/// Where a [`Children`] cursor reads from.
enum Cursor<'r, 'a> {
    /// The text.
    Text {
        reader: &'r mut Reader<'a>,
        /// The next child's start tag, read but not taken.
        next: Option<Tag<'a>>,
        /// Whether the parent's end tag has been read.
        done: bool,
    },
    /// The children of a parsed element.
    Tree {
        items: &'r [Element<'a>],
        pos: usize,
    },
}

impl<'r, 'a> Children<'r, 'a> {
    /// The next child's name, reading its start tag if needed (None at the parent's end).
    fn peek(&mut self) -> Result<Option<&str>, DecodeError> {
        match &mut self.0 {
            Cursor::Text { reader, next, done } => {
                while next.is_none() && !*done {
                    match reader.next_token()? {
                        Token::Start(tag) => *next = Some(tag),
                        Token::Text(_) => {}
                        Token::End | Token::Eof => *done = true,
                    }
                }
                Ok(next.as_ref().map(|tag| tag.name))
            }
            Cursor::Tree { items, pos } => Ok(items.get(*pos).map(|e| e.name)),
        }
    }

    /// The reader, when the one-step paths may read from it: the cursor reads the text, no
    /// start tag is held peeked, and the parent's end has not been read.
    #[inline(always)]
    fn unpeeked(&mut self) -> Option<&mut Reader<'a>> {
        match &mut self.0 {
            Cursor::Text { reader, next, done } if next.is_none() && !*done => Some(reader),
            _ => None,
        }
    }

    /// Reads the next child's start tag when it is written plainly and named `name`, without a
    /// general token (see [`Reader::plain_start`]): whether it was.
    fn plain(&mut self, name: &str) -> bool {
        match &mut self.0 {
            Cursor::Text { reader, next, done } if next.is_none() && !*done => {
                *next = reader.plain_start(name);
                next.is_some()
            }
            _ => false,
        }
    }

    /// Reads the next child when it is a simple element named `name` written plainly (see
    /// [`Reader::plain_simple`]): its text, or `None` (nothing read) for [`Children::take`].
    pub fn plain_simple(&mut self, name: &str) -> Option<Cow<'a, str>> {
        self.unpeeked()?.plain_simple(name)
    }

    /// Reads the next children while they are simple elements named `item` written plainly
    /// (see [`Reader::plain_items`]): the count, each text given to `item_text`.
    #[inline(always)]
    pub fn plain_items(&mut self, item: &str, item_text: impl FnMut(Cow<'a, str>)) -> usize {
        self.unpeeked()
            .map_or(0, |reader| reader.plain_items(item, item_text))
    }

    /// Reads the next child when it is an element named `name` holding only simple elements
    /// named `item`, all written plainly (see [`Reader::plain_repeated`]): the count of items,
    /// each given to `item_text`; `None` (nothing read; `item_text` may have had some items,
    /// to be dropped) for [`Children::take`].
    #[inline(always)]
    pub fn plain_repeated(
        &mut self,
        name: &str,
        item: &str,
        item_text: impl FnMut(Cow<'a, str>),
    ) -> Option<usize> {
        self.unpeeked()?.plain_repeated(name, item, item_text)
    }

    /// Takes the next child, whatever its name (after a [`Children::peek`]).
    fn next(&mut self) -> Option<Node<'_, 'a>> {
        match &mut self.0 {
            Cursor::Text { reader, next, .. } => next
                .take()
                .map(|tag| Node(NodeSource::Text { reader, tag })),
            Cursor::Tree { items, pos } => {
                let e = items.get(*pos)?;
                *pos += 1;
                Some(Node(NodeSource::Tree(e)))
            }
        }
    }

    /// Whether the next child is plainly not named `name`, with nothing read (see
    /// [`Reader::plainly_not_next`]).
    fn plainly_not(&mut self, name: &str) -> bool {
        self.unpeeked()
            .is_some_and(|reader| reader.plainly_not_next(name))
    }

    /// Takes the next child if it is named `name`.
    pub fn take(&mut self, name: &str) -> Result<Option<Node<'_, 'a>>, DecodeError> {
        if self.plainly_not(name) {
            return Ok(None);
        }
        if self.plain(name) || self.peek()? == Some(name) {
            return Ok(self.next());
        }
        Ok(None)
    }

    /// Takes the next child whatever its name.
    pub fn any(&mut self) -> Result<Option<Node<'_, 'a>>, DecodeError> {
        self.peek()?;
        Ok(self.next())
    }

    /// Takes the next child, which must be named `name`.
    pub fn required(&mut self, name: &str) -> Result<Node<'_, 'a>, DecodeError> {
        if !self.plain(name) {
            match self.peek()? {
                Some(found) if found == name => {}
                found => return Err(not_there(name, found)),
            }
        }
        self.next().ok_or_else(|| not_there(name, None))
    }

    /// Fails if any child is left unread; otherwise the parent has been read to its end.
    pub fn finish(mut self) -> Result<(), DecodeError> {
        if self.unpeeked().is_some_and(Reader::plain_end) {
            return Ok(());
        }
        match self.peek()? {
            Some(extra) => Err(DecodeError::new(format!(
                "unexpected element <{extra}> (unknown, repeated or out of schema order)"
            ))),
            None => Ok(()),
        }
    }
}

/// Field helpers used by [`oci_struct!`](crate::oci_struct); one per field kind.
pub mod field {
    use super::*;

    /// A required element.
    pub fn write_req<T: OciElement, W: ElementSink>(w: &mut W, name: &str, v: &T) {
        v.write_element(w, name);
    }

    /// An optional element, omitted when `None`.
    pub fn write_opt<T: OciElement, W: ElementSink>(w: &mut W, name: &str, v: &Option<T>) {
        if let Some(v) = v {
            v.write_element(w, name);
        }
    }

    /// A repeated element.
    pub fn write_list<T: OciElement, W: ElementSink>(w: &mut W, name: &str, v: &[T]) {
        for item in v {
            item.write_element(w, name);
        }
    }

    /// An optional element that may be cleared with `xsi:nil`.
    pub fn write_nil<T: OciElement, W: ElementSink>(
        w: &mut W,
        name: &str,
        v: &Option<Nillable<T>>,
    ) {
        match v {
            Some(Nillable::Set(v)) => v.write_element(w, name),
            Some(Nillable::Nil) => T::write_nil(w, name),
            None => {}
        }
    }

    /// Reads the next child `name` in one step when `T` is a simple type and the element is
    /// written plainly; `None` (nothing read) for the general path.
    fn plain<T: OciElement>(
        c: &mut Children<'_, '_>,
        name: &str,
    ) -> Option<Result<T, DecodeError>> {
        let from_text = T::FROM_TEXT?;
        let text = c.plain_simple(name)?;
        Some(from_text(&text).map_err(|err| err.within(name)))
    }

    /// Reads a required element.
    pub fn read_req<T: OciElement>(c: &mut Children<'_, '_>, name: &str) -> Result<T, DecodeError> {
        if let Some(read) = plain(c, name) {
            return read;
        }
        let e = c.required(name)?;
        T::read_element(e).map_err(|err| err.within(name))
    }

    /// Reads an optional element.
    pub fn read_opt<T: OciElement>(
        c: &mut Children<'_, '_>,
        name: &str,
    ) -> Result<Option<T>, DecodeError> {
        if let Some(read) = plain(c, name) {
            return read.map(Some);
        }
        c.take(name)?
            .map(|e| T::read_element(e).map_err(|err| err.within(name)))
            .transpose()
    }

    /// Reads a repeated element (zero or more).
    pub fn read_list<T: OciElement>(
        c: &mut Children<'_, '_>,
        name: &str,
    ) -> Result<Vec<T>, DecodeError> {
        let mut out = Vec::new();
        read_list_into(c, name, &mut out)?;
        Ok(out)
    }

    /// Reads a repeated element (zero or more) into `out`, which may have room for them.
    pub fn read_list_into<T: OciElement>(
        c: &mut Children<'_, '_>,
        name: &str,
        out: &mut Vec<T>,
    ) -> Result<(), DecodeError> {
        loop {
            if let Some(read) = plain(c, name) {
                out.push(read?);
                continue;
            }
            match c.take(name)? {
                Some(e) => out.push(T::read_element(e).map_err(|err| err.within(name))?),
                None => return Ok(()),
            }
        }
    }

    /// Reads an optional, nillable element.
    pub fn read_nil<T: OciElement>(
        c: &mut Children<'_, '_>,
        name: &str,
    ) -> Result<Option<Nillable<T>>, DecodeError> {
        // A nil element carries xsi:nil, an attribute: never the one-step path.
        if let Some(read) = plain(c, name) {
            return read.map(|v| Some(Nillable::Set(v)));
        }
        match c.take(name)? {
            None => Ok(None),
            Some(e) if e.is_nil() => e.skip().map(|()| Some(Nillable::Nil)),
            Some(e) => Ok(Some(Nillable::Set(
                T::read_element(e).map_err(|err| err.within(name))?,
            ))),
        }
    }
}

impl OciElement for String {
    fn write_element<W: ElementSink>(&self, w: &mut W, name: &str) {
        w.leaf(name, self);
    }
    fn read_element(e: Node<'_, '_>) -> Result<Self, DecodeError> {
        e.text().map(Cow::into_owned)
    }
    const FROM_TEXT: Option<FromText<Self>> = Some(|text| Ok(text.to_owned()));
}

impl OciElement for bool {
    fn write_element<W: ElementSink>(&self, w: &mut W, name: &str) {
        w.leaf(name, if *self { "true" } else { "false" });
    }
    fn read_element(e: Node<'_, '_>) -> Result<Self, DecodeError> {
        read_text(e, bool_of)
    }
    const FROM_TEXT: Option<FromText<Self>> = Some(bool_of);
}

/// A boolean's text: `true`, `false`, `1` or `0`, white space around it ignored (XML's: space,
/// tab, line feed, carriage return; the schema's whiteSpace collapse).
fn bool_of(text: &str) -> Result<bool, DecodeError> {
    match chars::trim_space(text) {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        other => Err(DecodeError::new(format!("'{other}' is not a boolean"))),
    }
}

/// An integer's text, white space around it ignored (XML's, as for a boolean).
pub fn int_of<T: std::str::FromStr>(text: &str) -> Result<T, DecodeError> {
    let text = chars::trim_space(text);
    text.parse()
        .map_err(|_| DecodeError::new(format!("'{text}' is not an integer")))
}

impl OciElement for i32 {
    fn write_element<W: ElementSink>(&self, w: &mut W, name: &str) {
        write_int(w, name, i64::from(*self));
    }
    fn read_element(e: Node<'_, '_>) -> Result<Self, DecodeError> {
        read_text(e, int_of)
    }
    const FROM_TEXT: Option<FromText<Self>> = Some(int_of);
}

impl OciElement for i64 {
    fn write_element<W: ElementSink>(&self, w: &mut W, name: &str) {
        write_int(w, name, *self);
    }
    fn read_element(e: Node<'_, '_>) -> Result<Self, DecodeError> {
        read_text(e, int_of)
    }
    const FROM_TEXT: Option<FromText<Self>> = Some(int_of);
}

/// Writes an integer leaf without allocating.
fn write_int<W: ElementSink>(w: &mut W, name: &str, v: i64) {
    use std::io::Write;
    let mut buf = [0u8; 24];
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    // 24 bytes hold any i64; a failed write would leave the digits short, never panic.
    let _ = write!(cursor, "{v}");
    let len = cursor.position() as usize;
    w.leaf(name, std::str::from_utf8(&buf[..len]).unwrap_or("0"));
}

/// Declares an OCI complex type (or command body) with its fields once, in schema order.
///
/// Each field is `kind rust_name: Type = "xmlName"`, where kind is `req` (required), `opt`
/// (`Option<Type>`), `list` (`Vec<Type>`, repeated) or `nil` (`Option<Nillable<Type>>`).
#[macro_export]
macro_rules! oci_struct {
    (@ty req $t:ty) => { $t };
    (@ty opt $t:ty) => { Option<$t> };
    (@ty list $t:ty) => { Vec<$t> };
    (@ty nil $t:ty) => { Option<$crate::ocip::value::Nillable<$t>> };
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $kind:ident $field:ident : $t:ty = $xml:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $crate::oci_struct!(@ty $kind $t), )*
        }

        impl $crate::ocip::value::OciFields for $name {
            // A type without fields (SystemSoftwareVersionGetRequest) uses neither argument.
            #[allow(unused_variables)]
            fn write_fields<W: $crate::ocip::xml::ElementSink>(&self, w: &mut W) {
                $( $crate::oci_struct!(@write $kind w, $xml, &self.$field); )*
            }
            #[allow(unused_variables)]
            fn read_fields(
                c: &mut $crate::ocip::value::Children<'_, '_>,
            ) -> Result<Self, $crate::ocip::error::DecodeError> {
                Ok(Self { $( $field: $crate::oci_struct!(@read $kind c, $xml)?, )* })
            }
        }

        impl $crate::ocip::value::OciElement for $name {
            fn write_element<W: $crate::ocip::xml::ElementSink>(&self, w: &mut W, name: &str) {
                w.open(name);
                $crate::ocip::value::OciFields::write_fields(self, w);
                w.close(name);
            }
            fn read_element(
                e: $crate::ocip::value::Node<'_, '_>,
            ) -> Result<Self, $crate::ocip::error::DecodeError> {
                <Self as $crate::ocip::value::OciFields>::read_content(e)
            }
        }
    };
    (@write req $w:ident, $xml:literal, $v:expr) => { $crate::ocip::value::field::write_req($w, $xml, $v) };
    (@write opt $w:ident, $xml:literal, $v:expr) => { $crate::ocip::value::field::write_opt($w, $xml, $v) };
    (@write list $w:ident, $xml:literal, $v:expr) => { $crate::ocip::value::field::write_list($w, $xml, $v) };
    (@write nil $w:ident, $xml:literal, $v:expr) => { $crate::ocip::value::field::write_nil($w, $xml, $v) };
    (@read req $c:ident, $xml:literal) => { $crate::ocip::value::field::read_req($c, $xml) };
    (@read opt $c:ident, $xml:literal) => { $crate::ocip::value::field::read_opt($c, $xml) };
    (@read list $c:ident, $xml:literal) => { $crate::ocip::value::field::read_list($c, $xml) };
    (@read nil $c:ident, $xml:literal) => { $crate::ocip::value::field::read_nil($c, $xml) };
}

/// Declares an OCI command: an [`oci_struct!`](crate::oci_struct) whose Rust name is its
/// `xsi:type`, plus the [`OciCommand`] impl.
#[macro_export]
macro_rules! oci_command {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($body:tt)* }
    ) => {
        $crate::oci_struct! { $(#[$meta])* pub struct $name { $($body)* } }
        impl $crate::ocip::value::OciCommand for $name {
            const NAME: &'static str = stringify!($name);
        }
    };
}

/// Declares an OCI data response: like [`oci_command!`](crate::oci_command) but written with the
/// `echo=""` attribute that BroadWorks puts on every response.
#[macro_export]
macro_rules! oci_response {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($body:tt)* }
    ) => {
        $crate::oci_struct! { $(#[$meta])* pub struct $name { $($body)* } }
        impl $crate::ocip::value::OciCommand for $name {
            const NAME: &'static str = stringify!($name);
            fn write_command(&self, w: &mut $crate::ocip::xml::XmlWriter) {
                w.raw("<command echo=\"\" xsi:type=\"");
                w.raw(Self::NAME);
                w.raw("\" xmlns=\"\">");
                $crate::ocip::value::OciFields::write_fields(self, w);
                w.raw("</command>");
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_boolean_is_read_as_the_schema_allows_it_written() {
        for (text, value) in [
            ("true", true),
            ("false", false),
            ("1", true),
            ("0", false),
            (" true\n", true),
            ("\t0 ", false),
        ] {
            assert_eq!(bool_of(text).ok(), Some(value), "{text:?}");
        }
        // Only XML's white space is dropped: a no-break space or a form feed is part of the text.
        for text in ["yes", "True", "", " ", "\u{A0}true", "\u{C}true"] {
            assert_eq!(
                bool_of(text).map_err(|e| e.to_string()),
                Err(format!("'{}' is not a boolean", chars::trim_space(text))),
            );
        }
    }
}
