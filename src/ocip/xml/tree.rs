//! A small element tree borrowed from the document text, parsed in one pass.
//!
//! Names and text are slices of the input wherever no unescaping was needed, so decoding a
//! response allocates little more than the typed values it produces. DOCTYPE declarations are
//! refused outright (no entity of any kind is expanded beyond XML's five and character
//! references), and nesting is bounded so hostile input cannot exhaust the stack.

use std::borrow::Cow;

use crate::ocip::error::DecodeError;
use crate::ocip::xml::chars;

/// Deepest element nesting accepted; OCI-P documents need fewer than ten levels.
pub const MAX_DEPTH: usize = 64;

/// Most attributes on one element; OCI-P uses at most a handful (xsi:type, xmlns, echo…).
/// Bounding them keeps the duplicate check (and so parsing) linear in the document's size.
pub const MAX_ATTRIBUTES: usize = 16;

/// One XML element: its local name, attributes as written, text and child elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element<'a> {
    /// Local name, without any namespace prefix.
    pub name: &'a str,
    /// Attributes as `(qualified name, unescaped value)`, in document order.
    pub attrs: Vec<(&'a str, Cow<'a, str>)>,
    /// The element's own text (concatenated when split by children or comments).
    pub text: Cow<'a, str>,
    /// Child elements in document order.
    pub children: Vec<Element<'a>>,
}

impl<'a> Element<'a> {
    /// A new element with no attributes, text or children.
    pub fn new(name: &'a str) -> Self {
        Self {
            name,
            attrs: Vec::new(),
            text: Cow::Borrowed(""),
            children: Vec::new(),
        }
    }

    /// The value of the attribute written exactly as `qname` (e.g. `echo`, `type`).
    pub fn attr(&self, qname: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| *k == qname)
            .map(|(_, v)| v.as_ref())
    }

    /// The local part of the `xsi:type` attribute (any prefix on the attribute or its value
    /// is dropped: `c:SuccessResponse` is `SuccessResponse`).
    pub fn xsi_type(&self) -> Option<&str> {
        self.prefixed_attr("type").map(strip_prefix)
    }

    /// Whether the element carries `xsi:nil="true"`.
    pub fn is_nil(&self) -> bool {
        matches!(self.prefixed_attr("nil"), Some("true" | "1"))
    }

    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of the first child named `name`.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_ref())
    }

    fn prefixed_attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find_map(|(k, v)| match k.split_once(':') {
                Some((prefix, l)) if l == local && prefix != "xmlns" => Some(v.as_ref()),
                _ => None,
            })
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

/// Parses a whole document into its root element.
///
/// A single pass over the text: one table-driven scan finds the end of each text or value and
/// notes whether it holds a reference or a byte that may start a forbidden character, names
/// and text are slices of the input, and only text or values holding references are unescaped
/// (with quick-xml's unescaper). What OCI-P documents use is accepted — the declaration,
/// comments, processing instructions, CDATA, namespace prefixes, either quote — and anything
/// malformed is refused with where it was found.
pub fn parse(input: &str) -> Result<Element<'_>, DecodeError> {
    let bytes = input.as_bytes();
    let mut p = Parser {
        stack: Vec::new(),
        elements: Vec::new(),
    };
    let mut pos = 0;
    while pos < bytes.len() {
        let (lt, seen) = scan(bytes, pos, b'<');
        if lt > pos {
            p.append_text(value(&input[pos..lt], seen, "text")?)?;
        }
        if lt == bytes.len() {
            break;
        }
        match bytes.get(lt + 1) {
            Some(b'/') => {
                let open = p
                    .stack
                    .pop()
                    .ok_or_else(|| DecodeError::new("unbalanced end tag"))?;
                pos = end_tag(input, lt, open.qname)?;
                p.close(open);
            }
            Some(b'?') => {
                let close = memchr::memmem::find(&bytes[lt + 2..], b"?>")
                    .ok_or_else(|| malformed(lt, "processing instruction without '?>'"))?;
                pos = lt + 2 + close + 2;
            }
            Some(b'!') => pos = declaration(input, lt, &mut p)?,
            _ => {
                if p.stack.len() >= MAX_DEPTH {
                    return Err(DecodeError::new(format!(
                        "elements nested deeper than {MAX_DEPTH} levels"
                    )));
                }
                if p.stack.is_empty() && !p.elements.is_empty() {
                    return Err(DecodeError::new("content after the root element"));
                }
                let (empty, end) = start_tag(input, lt, &mut p)?;
                pos = end;
                if empty {
                    if let Some(open) = p.stack.pop() {
                        p.close(open);
                    }
                }
            }
        }
    }
    if !p.stack.is_empty() {
        return Err(DecodeError::new("document ends inside an element"));
    }
    // Every element closed: the root is the one left, holding all others.
    p.elements
        .pop()
        .ok_or_else(|| DecodeError::new("document has no root element"))
}

/// An element whose end tag has not been read yet.
struct Open<'a> {
    /// Where it is in [`Parser::elements`]; its children follow it there.
    at: usize,
    /// The name as written, prefix included, which the end tag must repeat.
    qname: &'a str,
}

/// The parse in progress.
struct Parser<'a> {
    /// The open elements, outermost first.
    stack: Vec<Open<'a>>,
    /// Every open element followed by its finished children, in document order. An element is
    /// built where it stays until its parent closes; when it closes itself, it takes its
    /// children (the tail after it) in one allocation of the exact size. Nothing is moved
    /// child by child or grown element by element.
    elements: Vec<Element<'a>>,
}

impl<'a> Parser<'a> {
    /// Opens a new element.
    fn open(&mut self, qname: &'a str) -> &mut Element<'a> {
        let at = self.elements.len();
        self.elements.push(Element::new(strip_prefix(qname)));
        self.stack.push(Open { at, qname });
        &mut self.elements[at]
    }

    /// Finishes an element (already popped from the stack): it takes its children.
    fn close(&mut self, open: Open<'a>) {
        if open.at + 1 < self.elements.len() {
            let children = self.elements.split_off(open.at + 1);
            self.elements[open.at].children = children;
        }
    }

    /// Adds text to the innermost open element.
    fn append_text(&mut self, text: Cow<'a, str>) -> Result<(), DecodeError> {
        match self.stack.last().map(|open| &mut self.elements[open.at]) {
            Some(element) if element.text.is_empty() => element.text = text,
            Some(element) => element.text.to_mut().push_str(&text),
            None if text.trim().is_empty() => {}
            None => return Err(DecodeError::new("text outside the root element")),
        }
        Ok(())
    }
}

/// Reads the `<!…` at byte `lt`: a comment (skipped), CDATA (text) or a DOCTYPE (refused).
/// Returns the byte after it.
fn declaration<'a>(input: &'a str, lt: usize, p: &mut Parser<'a>) -> Result<usize, DecodeError> {
    let rest = &input.as_bytes()[lt..];
    if rest.starts_with(b"<!--") {
        let close = memchr::memmem::find(&rest[4..], b"-->")
            .ok_or_else(|| malformed(lt, "comment without '-->'"))?;
        Ok(lt + 4 + close + 3)
    } else if rest.starts_with(b"<![CDATA[") {
        let close = memchr::memmem::find(&rest[9..], b"]]>")
            .ok_or_else(|| malformed(lt, "CDATA section without ']]>'"))?;
        let cdata = &input[lt + 9..lt + 9 + close];
        p.append_text(value(cdata, suspect_bytes(cdata), "text")?)?;
        Ok(lt + 9 + close + 3)
    } else if rest.len() >= 9 && rest[..9].eq_ignore_ascii_case(b"<!DOCTYPE") {
        Err(DecodeError::new(
            "DOCTYPE declarations are not allowed in OCI-P documents",
        ))
    } else {
        Err(malformed(lt, "unknown markup declaration"))
    }
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
/// unescaping or checking, which three searches did before.
fn scan(bytes: &[u8], from: usize, stop: u8) -> (usize, u8) {
    let mut seen = 0;
    let mut i = from;
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
        quick_xml::escape::unescape(raw)
            .map(|text| Cow::Owned(text.into_owned()))
            .map_err(|e| DecodeError::new(format!("bad {what}: {e}")))?
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

/// Reads the end tag at byte `lt`, which must close `qname`: the byte after it.
fn end_tag(input: &str, lt: usize, qname: &str) -> Result<usize, DecodeError> {
    let bytes = input.as_bytes();
    let name_at = lt + 2;
    if bytes[name_at..].starts_with(qname.as_bytes()) {
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
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Reads the start tag at byte `lt` (`<name attr="v" …>` or `…/>`) into a new open element:
/// whether it is empty, and the byte after the tag.
fn start_tag<'a>(
    input: &'a str,
    lt: usize,
    p: &mut Parser<'a>,
) -> Result<(bool, usize), DecodeError> {
    let bytes = input.as_bytes();
    let mut i = name_end(bytes, lt + 1);
    let qname = &input[lt + 1..i];
    if qname.is_empty() {
        return Err(malformed(lt, "'<' not followed by a name"));
    }
    let element = p.open(qname);
    loop {
        i = skip_space(bytes, i);
        match bytes.get(i) {
            None => return Err(malformed(lt, &format!("<{qname}> is not closed"))),
            Some(b'>') => return Ok((false, i + 1)),
            Some(b'/') if bytes.get(i + 1) == Some(&b'>') => return Ok((true, i + 2)),
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
        if element.attrs.len() == MAX_ATTRIBUTES {
            return Err(DecodeError::new(format!(
                "more than {MAX_ATTRIBUTES} attributes on <{qname}>"
            )));
        }
        if element.attrs.iter().any(|(k, _)| *k == key) {
            return Err(DecodeError::new(format!(
                "attribute {key} repeated on <{qname}>"
            )));
        }
        element
            .attrs
            .push((key, value(raw, seen, "attribute value")?));
        if i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>') {
            return Err(malformed(i, &format!("no space after attribute {key}")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_attributes_text_and_children() {
        let doc = r#"<?xml version="1.0"?><ns0:Root xmlns:ns0="C" a="1&amp;2"><x>t&lt;1</x><y/></ns0:Root>"#;
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "Root");
        assert_eq!(root.attr("a"), Some("1&2"));
        assert_eq!(root.child_text("x"), Some("t<1"));
        assert_eq!(root.child("y").map(|y| y.text.as_ref()), Some(""));
    }

    #[test]
    fn xsi_type_and_nil_ignore_prefixes() {
        let root = parse(r#"<c xsi:type="c:SuccessResponse" type="Error"><d xsi:nil="true"/></c>"#)
            .unwrap();
        assert_eq!(root.xsi_type(), Some("SuccessResponse"));
        assert_eq!(root.attr("type"), Some("Error"));
        assert!(root.children[0].is_nil());
    }

    #[test]
    fn refuses_doctype_entities_and_deep_nesting() {
        let bomb = r#"<!DOCTYPE a [<!ENTITY x "xx">]><a>&x;</a>"#;
        assert!(parse(bomb).unwrap_err().to_string().contains("DOCTYPE"));
        assert!(parse("<a>&x;</a>").is_err());
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(parse(&deep).unwrap_err().to_string().contains("nested"));
    }

    #[test]
    fn refuses_forbidden_characters_raw_or_referenced_and_attribute_floods() {
        for doc in [
            "<a>nul\u{0}x</a>",
            "<a>&#0;</a>",
            "<a>&#65535;</a>",
            "<a>&#xFFFE;</a>",
            "<a b=\"&#1;\"/>",
            "<a>esc\u{1b}</a>",
            "<a b=\"x\u{1}\"/>",
            "<a><![CDATA[x\u{0}]]></a>",
            "<a>\u{ffff}</a>",
        ] {
            assert!(parse(doc).is_err(), "{doc:?}");
        }
        assert!(parse("<a>&#xD800;</a>").is_err(), "a lone surrogate");
        assert!(parse("<a>tab\tok&#13;</a>").is_ok());
        assert_eq!(
            parse("<a b='x&amp;\u{1}'/>").unwrap_err().to_string(),
            "attribute value: character U+0001 at position 2 is not allowed (XML 1.0 cannot carry it)"
        );
        assert!(
            matches!(parse("<a>ok</a>").unwrap().text, Cow::Borrowed("ok")),
            "text with nothing to resolve is borrowed"
        );
        let many: String = (0..17).map(|i| format!(" a{i}=\"1\"")).collect();
        assert!(parse(&format!("<a{many}/>"))
            .unwrap_err()
            .to_string()
            .contains("more than 16"));
        assert!(parse("<a x=\"1\" x=\"2\"/>")
            .unwrap_err()
            .to_string()
            .contains("repeated"));
    }

    #[test]
    fn refuses_broken_documents() {
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a>").is_err());
        assert!(parse("<a/><b/>").is_err());
        assert!(parse("").is_err());
        assert!(parse("text<a/>").is_err());
    }

    #[test]
    fn reads_every_kind_of_markup_ocip_documents_use() {
        let doc = "<?xml version='1.0' encoding='ISO-8859-1'?>\n<!-- recorded -->\n<r:Root xmlns:r = 'C' b='x\"y'>\n  <a>one<!-- c --> two</a><b><![CDATA[<not> &markup;]]></b><?pi data?><c\tk=\"1\"\n/></r:Root >\n<!-- after -->\n";
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "Root");
        assert_eq!(root.attr("xmlns:r"), Some("C"));
        assert_eq!(root.attr("b"), Some("x\"y"));
        assert_eq!(root.child_text("a"), Some("one two"));
        assert_eq!(root.child_text("b"), Some("<not> &markup;"));
        assert_eq!(root.child("c").and_then(|c| c.attr("k")), Some("1"));
        assert_eq!(root.children.len(), 3);
    }

    #[test]
    fn names_what_is_malformed_and_where() {
        let error = |doc: &str| parse(doc).unwrap_err().to_string();
        assert_eq!(
            error("<a><b></c></a>"),
            "malformed XML: expected </b>, found </c> at byte 6"
        );
        assert!(error("<a><!-- open</a>").contains("comment without '-->'"));
        assert!(error("<a><![CDATA[x</a>").contains("CDATA section without ']]>'"));
        assert!(error("<a x></a>").contains("attribute x without a value"));
        assert!(error("<a x=1></a>").contains("attribute x value is not quoted"));
        assert!(error("<a x=\"1></a>").contains("attribute x value is not closed"));
        assert!(error("<a x=\"<\"></a>").contains("'<' in an attribute value"));
        assert!(error("<a x=\"1\"y=\"2\"/>").contains("no space after attribute x"));
        assert!(error("<a><!ELEMENT a></a>").contains("unknown markup declaration"));
        assert!(error("<!doctype a><a/>").contains("DOCTYPE"));
        assert!(error("< a/>").contains("'<' not followed by a name"));
        assert!(error("<a").contains("<a> is not closed"));
        assert!(error("<a>&bogus;</a>").contains("bad text"));
    }
}
