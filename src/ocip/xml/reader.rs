//! The one tokenizer of OCI-P documents: a pull reader that yields start tags, text and end
//! tags in document order, checking well-formedness as it goes.
//!
//! Two readers consume it: [`parse`](super::parse) builds an element tree (for what needs the
//! whole document: the simulator, replay, the JSON view), and the typed decoding of
//! [`value`](crate::ocip::value) reads responses straight from it, with no tree in between.
//!
//! Names and text are slices of the input wherever no unescaping was needed. DOCTYPE
//! declarations are refused outright (no entity of any kind is expanded beyond XML's five and
//! character references), and nesting is bounded so hostile input cannot exhaust the stack.

use std::borrow::Cow;

use crate::ocip::error::DecodeError;
use crate::ocip::xml::{chars, references};

/// Deepest element nesting accepted; OCI-P documents need fewer than ten levels.
pub const MAX_DEPTH: usize = 64;

/// Most attributes on one element; OCI-P uses at most a handful (xsi:type, xmlns, echo…).
/// Bounding them keeps the duplicate check (and so parsing) linear in the document's size.
pub const MAX_ATTRIBUTES: usize = 16;

/// Attributes as `(qualified name, unescaped value)`, in document order.
pub type Attributes<'a> = Vec<(&'a str, Cow<'a, str>)>;

/// A start tag.
#[derive(Debug)]
pub struct Tag<'a> {
    /// Local name, without any namespace prefix.
    pub name: &'a str,
    /// The attributes.
    pub attrs: Attributes<'a>,
    /// Whether it is an empty-element tag (`<a/>`): no content and no end tag follow.
    pub empty: bool,
}

/// What comes next in a document.
#[derive(Debug)]
pub enum Token<'a> {
    /// A start tag; unless it is empty, its content and end tag follow.
    Start(Tag<'a>),
    /// Text (or CDATA) inside the root element, references resolved. Text split by a comment
    /// comes as two tokens.
    Text(Cow<'a, str>),
    /// The end tag of the innermost open element (checked to repeat its name).
    End,
    /// The end of a well-formed document.
    Eof,
}

/// A pull reader over document text (already decoded from its declared encoding).
pub struct Reader<'a> {
    input: &'a str,
    pos: usize,
    /// The open elements' names as written (prefix included), outermost first.
    open: Vec<&'a str>,
    /// Whether the root element has been read to its end.
    root_done: bool,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `input`.
    pub fn new(input: &'a str) -> Self {
        Self {
            input,
            pos: 0,
            open: Vec::with_capacity(8),
            root_done: false,
        }
    }

    /// The next token. Comments and processing instructions are skipped, white space outside
    /// the root element too; anything malformed is refused with where it was found.
    pub fn next_token(&mut self) -> Result<Token<'a>, DecodeError> {
        let input = self.input;
        let bytes = input.as_bytes();
        loop {
            if self.pos >= bytes.len() {
                if !self.open.is_empty() {
                    return Err(DecodeError::new("document ends inside an element"));
                }
                if !self.root_done {
                    return Err(DecodeError::new("document has no root element"));
                }
                return Ok(Token::Eof);
            }
            let (lt, seen) = scan(bytes, self.pos, b'<');
            if lt > self.pos {
                let text = &input[self.pos..lt];
                self.pos = lt;
                if !self.open.is_empty() {
                    return Ok(Token::Text(value(text, seen, "text")?));
                }
                outside_root(text)?;
                continue;
            }
            match bytes.get(lt + 1) {
                Some(b'/') => {
                    let qname = *self
                        .open
                        .last()
                        .ok_or_else(|| DecodeError::new("unbalanced end tag"))?;
                    let end = end_tag(input, lt, qname)?;
                    self.ended(end);
                    return Ok(Token::End);
                }
                Some(b'?') => self.pos = pi_end(bytes, lt)?,
                Some(b'!') => {
                    if let Some(text) = self.declaration(lt)? {
                        if !self.open.is_empty() {
                            return Ok(Token::Text(text));
                        }
                        outside_root(&text)?;
                    }
                }
                _ => {
                    if self.start_refused() {
                        return Err(self.start_refusal());
                    }
                    let (tag, qname, end) = start_tag(input, lt)?;
                    self.started(qname, tag.empty, end);
                    return Ok(Token::Start(tag));
                }
            }
        }
    }

    /// Reads, after any white space, the start tag of an element named `name` when it is
    /// written plainly — `<name>` or `<name/>`, without prefix or attributes — as OCI-P
    /// documents write nearly every element. This is the fast path of a typed read, which
    /// knows the name it expects; `None` (nothing read) sends the caller to
    /// [`Reader::next_token`], which reads anything else, so both read the same documents alike.
    pub fn plain_start(&mut self, name: &str) -> Option<Tag<'a>> {
        if self.start_refused() {
            return None;
        }
        let lt = skip_space(self.input.as_bytes(), self.pos);
        let (empty, end) = plain_start_tag_at(self.input.as_bytes(), lt, name)?;
        let qname = &self.input[lt + 1..lt + 1 + name.len()];
        self.started(qname, empty, end);
        Some(Tag {
            name: qname,
            attrs: Vec::new(),
            empty,
        })
    }

    /// Reads the text of the element just opened and its end tag, when the text has no byte to
    /// check and the end tag is written plainly (`</name>`): the fast path of a simple value,
    /// references resolved. `None` (nothing read) sends the caller to [`Reader::next_token`].
    pub fn plain_text(&mut self) -> Option<Cow<'a, str>> {
        let qname = *self.open.last()?;
        let bytes = self.input.as_bytes();
        let (lt, seen) = scan(bytes, self.pos, b'<');
        let end = plain_end_tag_at(bytes, lt, qname)?;
        let text = plain_value(&self.input[self.pos..lt], seen)?;
        self.ended(end);
        Some(text)
    }

    /// Reads, after any white space, the end tag of the innermost open element when it is
    /// written plainly (`</name>`): whether it was. Nothing is read otherwise, and
    /// [`Reader::next_token`] reads what is there: the fast path of a complex value's end.
    pub fn plain_end(&mut self) -> bool {
        let Some(&qname) = self.open.last() else {
            return false;
        };
        let bytes = self.input.as_bytes();
        match plain_end_tag_at(bytes, skip_space(bytes, self.pos), qname) {
            Some(end) => {
                self.ended(end);
                true
            }
            None => false,
        }
    }

    /// Reads, after any white space, a whole simple element named `name` when it is written
    /// plainly: `<name>text</name>` with text that has no byte to check, or `<name/>` (text
    /// ""). Its text, references resolved; `None` (nothing read) sends the caller to the
    /// general path. [`Reader::plain_start`] and [`Reader::plain_text`] in one step, with
    /// nothing opened and closed: the fast path of a list's items.
    pub fn plain_simple(&mut self, name: &str) -> Option<Cow<'a, str>> {
        if self.start_refused() || self.open.is_empty() {
            return None;
        }
        let (text, end) = simple_at(
            self.input,
            skip_space(self.input.as_bytes(), self.pos),
            name,
        )?;
        self.pos = end;
        Some(text)
    }

    /// Reads, after any white space, each of the simple elements named `item` that come next
    /// written plainly (as [`Reader::plain_simple`] reads them): each text goes to `item_text`,
    /// in order; the count is returned. Reading stops, with nothing of it read, at anything
    /// else, which is left to the general path: a list's items (an OCI table's headings) read
    /// in one loop, where the item's name is a constant.
    #[inline(always)]
    pub fn plain_items(&mut self, item: &str, mut item_text: impl FnMut(Cow<'a, str>)) -> usize {
        if self.start_refused() || self.open.is_empty() {
            return 0;
        }
        let mut count = 0;
        while let Some((text, end)) = simple_at(
            self.input,
            skip_space(self.input.as_bytes(), self.pos),
            item,
        ) {
            item_text(text);
            self.pos = end;
            count += 1;
        }
        count
    }

    /// Reads, after any white space, a whole element named `name` whose content is only simple
    /// elements named `item`, each written plainly (as [`Reader::plain_simple`] reads them),
    /// white space between them allowed: an OCI table's `<row><col>…</col>…</row>`, most of a
    /// table's bytes, read in one step. Each item's text goes to `item_text`, in order; the
    /// count of items is returned. `None` (nothing read) sends the caller to the general path;
    /// `item_text` may have been given some of the items by then, which the caller drops.
    #[inline(always)]
    pub fn plain_repeated(
        &mut self,
        name: &str,
        item: &str,
        mut item_text: impl FnMut(Cow<'a, str>),
    ) -> Option<usize> {
        if self.open.is_empty() || self.root_done || self.open.len() + 2 > MAX_DEPTH {
            return None;
        }
        let bytes = self.input.as_bytes();
        // An empty-element `<name/>` is left to the general path.
        let (false, mut i) = plain_start_tag_at(bytes, skip_space(bytes, self.pos), name)? else {
            return None;
        };
        let mut count = 0;
        loop {
            i = skip_space(bytes, i);
            if bytes.get(i + 1) == Some(&b'/') {
                self.pos = plain_end_tag_at(bytes, i, name)?;
                return Some(count);
            }
            let (text, end) = simple_at(self.input, i, item)?;
            item_text(text);
            count += 1;
            i = end;
        }
    }

    /// Whether what comes next, after any white space, is plainly not an element named
    /// `name`: an end tag (no child comes before its parent's end), or a start tag whose name,
    /// without prefix, is another. Nothing is read; `false` when unsure (a prefix, a comment,
    /// text), which sends the caller to [`Reader::next_token`]. An optional element that is
    /// absent is so known without reading the next tag in full, and that tag is then still
    /// there for the one-step paths.
    pub fn plainly_not_next(&self, name: &str) -> bool {
        if self.open.is_empty() {
            return false;
        }
        let bytes = self.input.as_bytes();
        let lt = skip_space(bytes, self.pos);
        if bytes.get(lt) != Some(&b'<') {
            return false;
        }
        match bytes.get(lt + 1) {
            Some(b'/') => true,
            Some(b'!' | b'?') | None => false,
            Some(_) => {
                let qname = &bytes[lt + 1..name_end(bytes, lt + 1)];
                !qname.is_empty() && !qname.contains(&b':') && !same_short(qname, name.as_bytes())
            }
        }
    }

    /// Whether a start tag may not come now: it would nest deeper than [`MAX_DEPTH`], or
    /// follow the root element.
    #[inline]
    fn start_refused(&self) -> bool {
        self.open.len() >= MAX_DEPTH || self.root_done
    }

    /// Why a start tag may not come now (see [`Reader::start_refused`]).
    #[cold]
    fn start_refusal(&self) -> DecodeError {
        if self.root_done {
            DecodeError::new("content after the root element")
        } else {
            DecodeError::new(format!("elements nested deeper than {MAX_DEPTH} levels"))
        }
    }

    /// Records a start tag read up to `end`: its element is open, or, when the tag is empty,
    /// already closed.
    #[inline]
    fn started(&mut self, qname: &'a str, empty: bool, end: usize) {
        self.pos = end;
        if empty {
            self.root_done = self.open.is_empty();
        } else {
            self.open.push(qname);
        }
    }

    /// Records the innermost open element's end tag, read up to `end`.
    #[inline]
    fn ended(&mut self, end: usize) {
        self.pos = end;
        self.open.pop();
        self.root_done = self.open.is_empty();
    }

    /// Reads to the end of the element whose start tag was just read (nothing when it was
    /// empty): its content is checked and dropped.
    pub fn skip_element(&mut self, tag: &Tag<'_>) -> Result<(), DecodeError> {
        if tag.empty {
            return Ok(());
        }
        let mut depth = 1usize;
        while depth > 0 {
            match self.next_token()? {
                Token::Start(t) if !t.empty => depth += 1,
                Token::End => depth -= 1,
                Token::Eof => return Err(DecodeError::new("document ends inside an element")),
                _ => {}
            }
        }
        Ok(())
    }

    /// Reads the `<!…` at byte `lt`: a comment (skipped), CDATA (its text) or a DOCTYPE
    /// (refused).
    fn declaration(&mut self, lt: usize) -> Result<Option<Cow<'a, str>>, DecodeError> {
        let input = self.input;
        let rest = &input.as_bytes()[lt..];
        if rest.starts_with(b"<!--") {
            let close = memchr::memmem::find(&rest[4..], b"-->")
                .ok_or_else(|| malformed(lt, "comment without '-->'"))?;
            self.pos = lt + 4 + close + 3;
            Ok(None)
        } else if rest.starts_with(b"<![CDATA[") {
            let close = memchr::memmem::find(&rest[9..], b"]]>")
                .ok_or_else(|| malformed(lt, "CDATA section without ']]>'"))?;
            let cdata = &input[lt + 9..lt + 9 + close];
            self.pos = lt + 9 + close + 3;
            Ok(Some(value(cdata, suspect_bytes(cdata), "text")?))
        } else if rest.len() >= 9 && rest[..9].eq_ignore_ascii_case(b"<!DOCTYPE") {
            Err(DecodeError::new(
                "DOCTYPE declarations are not allowed in OCI-P documents",
            ))
        } else {
            Err(malformed(lt, "unknown markup declaration"))
        }
    }
}

/// The byte after the processing instruction starting at byte `lt` (`<?…?>`, the XML
/// declaration among them): found from each `>`, which in a declaration is the first.
fn pi_end(bytes: &[u8], lt: usize) -> Result<usize, DecodeError> {
    let mut from = lt + 2;
    while let Some(gt) = memchr::memchr(b'>', &bytes[from..]) {
        let at = from + gt;
        if bytes[at - 1] == b'?' && at > lt + 2 {
            return Ok(at + 1);
        }
        from = at + 1;
    }
    Err(malformed(lt, "processing instruction without '?>'"))
}

/// Text outside the root element: white space is skipped, anything else refused.
fn outside_root(text: &str) -> Result<(), DecodeError> {
    if text.bytes().all(chars::is_space) {
        Ok(())
    } else {
        Err(DecodeError::new("text outside the root element"))
    }
}

/// Drops a namespace prefix: `c:ErrorResponse` → `ErrorResponse`.
pub fn strip_prefix(qname: &str) -> &str {
    // Names are short: a plain backward scan beats a general search.
    match qname.bytes().rposition(|b| b == b':') {
        Some(colon) => &qname[colon + 1..],
        None => qname,
    }
}

/// The value of the attribute written exactly as `qname` (e.g. `echo`, `type`).
pub fn attr<'s>(attrs: &'s [(&str, Cow<'_, str>)], qname: &str) -> Option<&'s str> {
    attrs
        .iter()
        .find(|(k, _)| *k == qname)
        .map(|(_, v)| v.as_ref())
}

/// The value of the attribute whose local name is `local`, under any prefix but `xmlns`
/// (`xsi:type`, `xsi:nil`).
pub fn prefixed_attr<'s>(attrs: &'s [(&str, Cow<'_, str>)], local: &str) -> Option<&'s str> {
    attrs.iter().find_map(|(k, v)| match k.split_once(':') {
        Some((prefix, l)) if l == local && prefix != "xmlns" => Some(v.as_ref()),
        _ => None,
    })
}

/// The local part of the `xsi:type` attribute (any prefix on the attribute or its value is
/// dropped: `c:SuccessResponse` is `SuccessResponse`).
pub fn xsi_type<'s>(attrs: &'s [(&str, Cow<'_, str>)]) -> Option<&'s str> {
    prefixed_attr(attrs, "type").map(strip_prefix)
}

/// Whether the attributes carry `xsi:nil="true"`.
pub fn is_nil(attrs: &[(&str, Cow<'_, str>)]) -> bool {
    matches!(prefixed_attr(attrs, "nil"), Some("true" | "1"))
}

/// A malformed-document error at byte `at`.
fn malformed(at: usize, what: &str) -> DecodeError {
    DecodeError::new(format!("malformed XML: {what} at byte {at}"))
}

/// Byte classes for [`scan`]: a reference starts (`&`), a character XML forbids may start
/// ([`chars::may_start_forbidden`]), or markup (`<` and the quotes, where a scan may stop).
const REFERENCE: u8 = 1;
const SUSPECT: u8 = 2;
const MARKUP: u8 = 4;
const CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        if chars::may_start_forbidden(b as u8) {
            table[b] = SUSPECT;
        }
        b += 1;
    }
    table[b'&' as usize] = REFERENCE;
    table[b'<' as usize] = MARKUP;
    table[b'"' as usize] = MARKUP;
    table[b'\'' as usize] = MARKUP;
    table
};

/// Scans from `from` to the first `stop` byte (or the end): where it is, and the classes of
/// the bytes passed over. One pass finds the end of a text or value and whether it needs
/// unescaping or checking, which three searches did before. Quotes in text (`stop` is `<`)
/// may go unreported: only attribute values ask about markup.
#[inline(always)]
fn scan(bytes: &[u8], from: usize, stop: u8) -> (usize, u8) {
    let mut seen = 0;
    let mut i = from;
    // Sixteen bytes at a time to each byte that needs a look (markup, a reference, a control
    // or a non-ASCII byte): the stop byte ends the scan, any other is classed and passed.
    let in_attribute = stop != b'<';
    while let Some(chunk) = bytes.get(i..i + 16) {
        let Ok(chunk) = <&[u8; 16]>::try_from(chunk) else {
            break;
        };
        let first = chars::first_special_16(chunk, in_attribute);
        i += first;
        if first < 16 {
            let b = bytes[i];
            if b == stop {
                return (i, seen);
            }
            seen |= CLASSES[usize::from(b)];
            i += 1;
        }
    }
    // The last bytes, fewer than sixteen, one at a time.
    while i < bytes.len() {
        let b = bytes[i];
        let class = CLASSES[usize::from(b)];
        if class != 0 {
            if b == stop {
                break;
            }
            seen |= class;
        }
        i += 1;
    }
    (i, seen)
}

/// The classes of `text`'s bytes that matter once markup is excluded (CDATA's content).
fn suspect_bytes(text: &str) -> u8 {
    if chars::first_forbidden(text).is_some() {
        SUSPECT
    } else {
        0
    }
}

/// Text or an attribute value (`what`) whose bytes `seen` classes: its references resolved
/// (borrowed when it has none), refused when it holds a character XML 1.0 forbids.
#[inline]
fn value<'a>(raw: &'a str, seen: u8, what: &str) -> Result<Cow<'a, str>, DecodeError> {
    if seen & (SUSPECT | REFERENCE) == 0 {
        return Ok(Cow::Borrowed(raw));
    }
    resolved(raw, seen, what)
}

/// [`value`] for text that holds a reference or a suspect byte.
#[cold]
fn resolved<'a>(raw: &'a str, seen: u8, what: &str) -> Result<Cow<'a, str>, DecodeError> {
    let text = if seen & REFERENCE == 0 {
        Cow::Borrowed(raw)
    } else {
        let mut text = String::with_capacity(raw.len());
        references::resolve_into(raw, &mut text)
            .map_err(|e| DecodeError::new(format!("bad {what}: {e}")))?;
        Cow::Owned(text)
    };
    // A character reference may name a forbidden character: checked whenever one was resolved.
    if let Some((at, c)) = chars::first_forbidden(&text) {
        return Err(DecodeError::new(format!(
            "{what}: {}",
            chars::describe(at, c)
        )));
    }
    Ok(text)
}

/// The simple element named `name` written plainly at byte `lt` of `input` (`<name>text</name>`
/// with text that has no byte to check, or `<name/>`): its text, references resolved, and the
/// byte after it. The one reading of a plain simple element, for [`Reader::plain_simple`],
/// [`Reader::plain_items`] and [`Reader::plain_repeated`].
#[inline(always)]
fn simple_at<'a>(input: &'a str, lt: usize, name: &str) -> Option<(Cow<'a, str>, usize)> {
    let bytes = input.as_bytes();
    let from = match plain_start_tag_at(bytes, lt, name)? {
        (true, end) => return Some((Cow::Borrowed(""), end)),
        (false, from) => from,
    };
    let (at, seen) = scan(bytes, from, b'<');
    let end = plain_end_tag_at(bytes, at, name)?;
    Some((plain_value(&input[from..at], seen)?, end))
}

/// Text read in one step, with its references resolved (the bytes `seen` classes). `None`
/// when it has a byte to check or a bad reference: the general path reads it again and says
/// what is wrong.
#[inline(always)]
fn plain_value(raw: &str, seen: u8) -> Option<Cow<'_, str>> {
    match seen & (SUSPECT | REFERENCE) {
        0 => Some(Cow::Borrowed(raw)),
        REFERENCE => resolved(raw, seen, "text").ok(),
        _ => None,
    }
}

/// The start tag `<name>` or `<name/>` written plainly (no prefix, attribute or space) at byte
/// `lt`: whether it is empty, and the byte after it.
#[inline(always)]
fn plain_start_tag_at(bytes: &[u8], lt: usize, name: &str) -> Option<(bool, usize)> {
    let name_end = lt + 1 + name.len();
    if bytes.get(lt) != Some(&b'<') || !name_at(bytes, lt + 1, name) {
        return None;
    }
    match bytes.get(name_end) {
        Some(b'>') => Some((false, name_end + 1)),
        Some(b'/') if bytes.get(name_end + 1) == Some(&b'>') => Some((true, name_end + 2)),
        _ => None,
    }
}

/// The end tag `</name>` written plainly at byte `lt`: the byte after it.
#[inline(always)]
fn plain_end_tag_at(bytes: &[u8], lt: usize, name: &str) -> Option<usize> {
    let end = lt + 2 + name.len();
    let plain = bytes.get(lt) == Some(&b'<')
        && bytes.get(lt + 1) == Some(&b'/')
        && name_at(bytes, lt + 2, name)
        && bytes.get(end) == Some(&b'>');
    plain.then_some(end + 1)
}

/// Reads the end tag at byte `lt`, which must close `qname`: the byte after it.
fn end_tag(input: &str, lt: usize, qname: &str) -> Result<usize, DecodeError> {
    let bytes = input.as_bytes();
    let name_at = lt + 2;
    if self::name_at(bytes, name_at, qname) {
        let i = skip_space(bytes, name_at + qname.len());
        if bytes.get(i) == Some(&b'>') {
            return Ok(i + 1);
        }
    }
    let close = memchr::memchr(b'>', &bytes[name_at..])
        .ok_or_else(|| malformed(lt, "end tag without '>'"))?;
    let name = input[name_at..name_at + close].trim_end();
    Err(malformed(
        lt,
        &format!("expected </{qname}>, found </{name}>"),
    ))
}

/// Whether `name` is written at byte `at` of `bytes`.
#[inline(always)]
fn name_at(bytes: &[u8], at: usize, name: &str) -> bool {
    bytes
        .get(at..at + name.len())
        .is_some_and(|there| same_short(there, name.as_bytes()))
}

/// Whether two byte strings of the same length are equal, compared a word at a time: names
/// are short, and a call to `memcmp` for each cost more than the compare.
#[inline(always)]
fn same_short(a: &[u8], b: &[u8]) -> bool {
    fn word(bytes: &[u8], at: usize) -> u64 {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(word)
    }
    fn half(bytes: &[u8], at: usize) -> u32 {
        let mut half = [0u8; 4];
        half.copy_from_slice(&bytes[at..at + 4]);
        u32::from_le_bytes(half)
    }
    let len = a.len();
    if len != b.len() {
        return false;
    }
    if len >= 8 {
        // Each word from the start, then the last word (which may overlap the one before).
        let mut at = 0;
        while at + 8 < len {
            if word(a, at) != word(b, at) {
                return false;
            }
            at += 8;
        }
        return word(a, len - 8) == word(b, len - 8);
    }
    if len >= 4 {
        return half(a, 0) == half(b, 0) && half(a, len - 4) == half(b, len - 4);
    }
    a.iter().zip(b).all(|(x, y)| x == y)
}

/// The bytes that end a name inside a tag, as a lookup table.
const ENDS_NAME: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    let ends = b" \t\r\n/>=\"'<";
    while i < ends.len() {
        table[ends[i] as usize] = true;
        i += 1;
    }
    table
};

/// The end of the name starting at byte `i`.
fn name_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && !ENDS_NAME[usize::from(bytes[i])] {
        i += 1;
    }
    i
}

/// The first byte at or after `i` that is not white space.
fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && chars::is_space(bytes[i]) {
        i += 1;
    }
    i
}

/// Reads the start tag at byte `lt` (`<name attr="v" …>` or `…/>`): the tag, its name as
/// written, and the byte after it.
fn start_tag(input: &str, lt: usize) -> Result<(Tag<'_>, &str, usize), DecodeError> {
    let bytes = input.as_bytes();
    let mut i = name_end(bytes, lt + 1);
    let qname = &input[lt + 1..i];
    if qname.is_empty() {
        return Err(malformed(lt, "'<' not followed by a name"));
    }
    let mut tag = Tag {
        name: strip_prefix(qname),
        attrs: Vec::new(),
        empty: false,
    };
    loop {
        i = skip_space(bytes, i);
        match bytes.get(i) {
            None => return Err(malformed(lt, &format!("<{qname}> is not closed"))),
            Some(b'>') => return Ok((tag, qname, i + 1)),
            Some(b'/') if bytes.get(i + 1) == Some(&b'>') => {
                tag.empty = true;
                return Ok((tag, qname, i + 2));
            }
            Some(_) => {}
        }
        let key_start = i;
        i = name_end(bytes, i);
        let key = &input[key_start..i];
        if key.is_empty() {
            return Err(malformed(i, &format!("unexpected character in <{qname}>")));
        }
        i = skip_space(bytes, i);
        if bytes.get(i) != Some(&b'=') {
            return Err(malformed(i, &format!("attribute {key} without a value")));
        }
        i = skip_space(bytes, i + 1);
        let quote = match bytes.get(i) {
            Some(q @ (b'"' | b'\'')) => *q,
            _ => {
                return Err(malformed(
                    i,
                    &format!("attribute {key} value is not quoted"),
                ))
            }
        };
        let value_start = i + 1;
        let (close, seen) = scan(bytes, value_start, quote);
        if close == bytes.len() {
            return Err(malformed(
                i,
                &format!("attribute {key} value is not closed"),
            ));
        }
        let raw = &input[value_start..close];
        if seen & MARKUP != 0 && raw.contains('<') {
            return Err(malformed(value_start, "'<' in an attribute value"));
        }
        i = close + 1;
        if tag.attrs.len() == MAX_ATTRIBUTES {
            return Err(DecodeError::new(format!(
                "more than {MAX_ATTRIBUTES} attributes on <{qname}>"
            )));
        }
        if tag.attrs.iter().any(|(k, _)| *k == key) {
            return Err(DecodeError::new(format!(
                "attribute {key} repeated on <{qname}>"
            )));
        }
        tag.attrs.push((key, value(raw, seen, "attribute value")?));
        if i < bytes.len() && !(chars::is_space(bytes[i]) || matches!(bytes[i], b'/' | b'>')) {
            return Err(malformed(i, &format!("no space after attribute {key}")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`scan`] must answer, found one byte at a time.
    fn scanned_byte_by_byte(bytes: &[u8], from: usize, stop: u8) -> (usize, u8) {
        let mut seen = 0;
        for (i, &b) in bytes.iter().enumerate().skip(from) {
            if b == stop {
                return (i, seen);
            }
            seen |= CLASSES[usize::from(b)];
        }
        (bytes.len(), seen)
    }

    #[test]
    fn the_word_scan_finds_what_the_byte_scan_finds_at_every_position() {
        let specials = [
            "<", "&amp;", "é", "\u{1}", "\u{FFFF}", ">", "\"", "'", "\t", "\n",
        ];
        for stop in [b'<', b'"', b'\''] {
            for before in 0..40 {
                for special in specials {
                    for after in [0, 1, 7, 8, 13] {
                        let text = format!(
                            "{}{special}{}<\"'tail",
                            "a".repeat(before),
                            "b".repeat(after)
                        );
                        // Quotes (markup) in text are not reported: only attribute values ask.
                        let asked = |(at, seen): (usize, u8)| {
                            (at, if stop == b'<' { seen & !MARKUP } else { seen })
                        };
                        for from in [0, 1, 3] {
                            assert_eq!(
                                asked(scan(text.as_bytes(), from, stop)),
                                asked(scanned_byte_by_byte(text.as_bytes(), from, stop)),
                                "{text:?} from {from}, stop {stop}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn only_xml_white_space_is_skipped_by_any_path() {
        // A form feed is white space to Rust, not to XML: a character XML forbids, refused
        // wherever it is written, by the one-step paths (which leave it to the general one) as
        // by the element tree.
        for doc in [
            "<r>\u{C}<a>x</a></r>",
            "<r><a>x</a>\u{C}</r>",
            "<r><t><col>1</col>\u{C}<col>2</col></t></r>",
        ] {
            let err = crate::ocip::xml::parse(doc).expect_err(doc).to_string();
            assert!(err.contains("U+000C"), "{doc:?}: {err}");
        }
        let mut r = Reader::new("<r>\u{C}<a>x</a></r>");
        r.next_token().expect("root");
        assert_eq!(r.plain_simple("a"), None);
        assert!(!r.plainly_not_next("b"));
        let mut r = Reader::new("<r><t><col>1</col>\u{C}<col>2</col></t></r>");
        r.next_token().expect("root");
        assert_eq!(r.plain_repeated("t", "col", drop), None);
        let mut r = Reader::new("<r><a>x</a>\u{C}</r>");
        r.next_token().expect("root");
        assert_eq!(r.plain_simple("a").as_deref(), Some("x"));
        assert!(!r.plain_end(), "the form feed is left to the general path");
        assert!(!r.plainly_not_next("b"));
        for outside in ["\u{C}<r/>", "<r/>\u{A0}", "\u{85}<r/>"] {
            let err = crate::ocip::xml::parse(outside)
                .expect_err(outside)
                .to_string();
            assert!(
                err.contains("outside the root") || err.contains("U+"),
                "{outside:?}: {err}"
            );
        }
        crate::ocip::xml::parse(" \t\r\n<r> <a/>\n</r>\r\n").expect("XML's own white space");
    }

    #[test]
    fn short_strings_compare_equal_exactly_when_every_byte_is() {
        let text: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for len in 0..text.len() {
            let a = &text[..len];
            assert!(same_short(a, a), "{len}");
            assert!(!same_short(a, &text[..len + 1]), "{len}: lengths differ");
            for at in 0..len {
                let mut b = a.to_vec();
                b[at] ^= 0x20;
                assert!(!same_short(a, &b), "{len}, byte {at}");
            }
        }
    }

    #[test]
    fn a_plain_simple_element_is_read_whole_and_anything_else_is_left_alone() {
        let mut r =
            Reader::new("<a> <b>text</b><b/>\n<b></b><b>&lt;&#233;&#x30FC;</b><bb>x</bb></a>");
        assert!(
            r.plain_simple("b").is_none(),
            "no element is open: not inside a parent"
        );
        assert!(matches!(r.next_token(), Ok(Token::Start(tag)) if tag.name == "a"));
        assert_eq!(
            r.plain_simple("b").as_deref(),
            Some("text"),
            "after white space"
        );
        assert_eq!(
            r.plain_simple("b").as_deref(),
            Some(""),
            "an empty-element tag"
        );
        assert_eq!(
            r.plain_simple("b").as_deref(),
            Some(""),
            "a start and an end tag"
        );
        assert!(
            matches!(r.plain_simple("b"), Some(Cow::Owned(text)) if text == "<éー"),
            "references resolved"
        );
        assert_eq!(r.plain_simple("b"), None, "a longer name");
        assert!(matches!(r.next_token(), Ok(Token::Start(tag)) if tag.name == "bb"));
        assert!(matches!(r.next_token(), Ok(Token::Text(t)) if t == "x"));
        assert!(matches!(r.next_token(), Ok(Token::End)));
        assert!(matches!(r.next_token(), Ok(Token::End)));
        // Each of these is left whole to next_token, which reads (or refuses) it as before.
        let left = [
            ("<b>&bogus;</b>", "an unknown reference", false),
            ("<b>&#0;</b>", "a reference to a forbidden character", false),
            ("<b>x<!--c--></b>", "a comment", true),
            ("<b x='1'>y</b>", "an attribute", true),
            ("<b><c/></b>", "a child element", true),
            ("<b>x</c>", "a mismatched end tag", false),
            ("<b>\u{1}</b>", "a forbidden character", false),
        ];
        for (inner, what, well_formed) in left {
            let text = format!("<a>{inner}</a>");
            let mut r = Reader::new(&text);
            assert!(matches!(r.next_token(), Ok(Token::Start(_))));
            assert_eq!(r.plain_simple("b"), None, "{what}");
            assert_eq!(r.pos, 3, "{what}: nothing read");
            let read = (0..8)
                .map(|_| r.next_token())
                .find(|t| !matches!(t, Ok(Token::Start(_)) | Ok(Token::Text(_)) | Ok(Token::End)));
            assert_eq!(
                matches!(read, Some(Ok(Token::Eof))),
                well_formed,
                "{what}: {read:?}"
            );
        }
    }

    #[test]
    fn an_element_is_plainly_not_next_only_when_that_is_certain() {
        let at = |inner: &str| {
            let text = format!("<a>{inner}</a>");
            let mut r = Reader::new(&text);
            assert!(matches!(r.next_token(), Ok(Token::Start(_))));
            let answer = r.plainly_not_next("b");
            assert_eq!(r.pos, 3, "{inner}: nothing read");
            answer
        };
        for inner in ["<c/>", " \n <c>x</c>", "<c x='1'/>", "<bb/>", "<c\t/>", ""] {
            assert!(at(inner), "{inner:?}: another element or the parent's end");
        }
        for inner in [
            "<b/>",
            "<b>x</b>",
            " <b x='1'/>",
            "<p:c/>",
            "<p:b/>",
            "<!-- c --><c/>",
            "<?pi?><c/>",
            "text<c/>",
            "<![CDATA[x]]><c/>",
        ] {
            assert!(!at(inner), "{inner:?}: it may be there, or unsure");
        }
        assert!(!Reader::new("<b/>").plainly_not_next("c"), "no parent yet");
    }

    #[test]
    fn plain_items_are_read_while_they_come_and_the_rest_is_left_alone() {
        let text = "<t> <h>a</h>\n<h/><h>&#233;</h><h x='1'>b</h><h>c</h></t>";
        let mut r = Reader::new(text);
        assert_eq!(r.plain_items("h", |_| panic!("no parent yet")), 0);
        assert!(matches!(r.next_token(), Ok(Token::Start(_))));
        let mut items = Vec::new();
        assert_eq!(r.plain_items("h", |h| items.push(h)), 3);
        assert_eq!(items, ["a", "", "é"]);
        let left = r.pos;
        assert_eq!(r.plain_items("h", |_| panic!("an attribute")), 0);
        assert_eq!(r.pos, left, "nothing read");
        assert!(matches!(r.next_token(), Ok(Token::Start(tag)) if tag.attrs.len() == 1));
        assert!(matches!(r.next_token(), Ok(Token::Text(t)) if t == "b"));
        assert!(matches!(r.next_token(), Ok(Token::End)));
        assert_eq!(r.plain_items("h", |h| items.push(h)), 1);
        assert_eq!(r.plain_items("h", |_| panic!("the parent's end")), 0);
        assert!(matches!(r.next_token(), Ok(Token::End)));
        assert!(matches!(r.next_token(), Ok(Token::Eof)));
    }

    #[test]
    fn a_plain_row_is_read_whole_and_any_other_is_left_to_the_general_path() {
        let text = "<t><row><col>a</col><col/>\n <col></col><col>&#23665;&amp;</col></row><row> </row></t>";
        let mut r = Reader::new(text);
        let mut cells = Vec::new();
        assert_eq!(
            r.plain_repeated("row", "col", |c| cells.push(c)),
            None,
            "not inside a parent"
        );
        assert!(matches!(r.next_token(), Ok(Token::Start(tag)) if tag.name == "t"));
        assert_eq!(r.plain_repeated("row", "col", |c| cells.push(c)), Some(4));
        assert_eq!(cells, ["a", "", "", "山&"]);
        assert_eq!(
            r.plain_repeated("row", "col", |_| panic!("no cell")),
            Some(0),
            "white space only"
        );
        assert_eq!(
            r.plain_repeated("row", "col", |_| {}),
            None,
            "the parent's end tag"
        );
        assert!(matches!(r.next_token(), Ok(Token::End)));
        assert!(matches!(r.next_token(), Ok(Token::Eof)));
        // Each of these is left whole to the general path, which reads (or refuses) it.
        let left = [
            (
                "<row><col>a</col><col>&amp</col></row>",
                "a reference without ';'",
            ),
            (
                "<row><col>a</col><col>&#1;</col></row>",
                "a forbidden character",
            ),
            ("<row><col>a</col>x</row>", "text between cells"),
            ("<row><col>a</col><other/></row>", "another element"),
            ("<row x='1'><col>a</col></row>", "an attribute on the row"),
            ("<row><col>a</col></rows>", "a mismatched end tag"),
            ("<row/>", "an empty-element row"),
            ("<row><col>a</col>", "no end tag"),
        ];
        for (inner, what) in left {
            let text = format!("<t>{inner}</t>");
            let mut r = Reader::new(&text);
            assert!(matches!(r.next_token(), Ok(Token::Start(_))));
            assert_eq!(r.plain_repeated("row", "col", |_| {}), None, "{what}");
            assert_eq!(r.pos, 3, "{what}: nothing read");
        }
    }

    #[test]
    fn the_plain_paths_read_only_what_they_can_read_exactly() {
        let mut r = Reader::new("<a><b>text</b><c:b>x</c:b><b x='1'/><b>&amp;</b><b>&#x;</b></a>");
        assert!(matches!(r.next_token(), Ok(Token::Start(tag)) if tag.name == "a"));
        assert!(r.plain_start("c").is_none(), "another name");
        let b = r.plain_start("b").expect("a plain start tag");
        assert!(!b.empty);
        assert_eq!(r.plain_text().as_deref(), Some("text"));
        assert!(
            r.plain_start("b").is_none(),
            "a prefixed name is left to next_token"
        );
        assert!(matches!(r.next_token(), Ok(Token::Start(tag)) if tag.name == "b"));
        assert!(r.plain_text().is_some());
        assert!(
            r.plain_start("b").is_none(),
            "attributes are left to next_token"
        );
        assert!(matches!(r.next_token(), Ok(Token::Start(tag)) if tag.empty));
        assert!(r.plain_start("b").is_some());
        assert_eq!(r.plain_text().as_deref(), Some("&"), "a reference resolved");
        assert!(r.plain_start("b").is_some());
        assert_eq!(
            r.plain_text(),
            None,
            "a bad reference is left to next_token"
        );
        assert_eq!(
            r.next_token().unwrap_err().to_string(),
            "bad text: unknown reference '&#x;'"
        );
    }
}
