//! A small element tree borrowed from the document text, parsed with quick-xml.
//!
//! Names and text are slices of the input wherever no unescaping was needed, so decoding a
//! response allocates little more than the typed values it produces. DOCTYPE declarations are
//! refused outright (no entity of any kind is expanded beyond XML's five and character
//! references), and nesting is bounded so hostile input cannot exhaust the stack.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

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
    qname.rsplit_once(':').map_or(qname, |(_, local)| local)
}

/// Parses a whole document into its root element.
pub fn parse(input: &str) -> Result<Element<'_>, DecodeError> {
    let mut reader = Reader::from_str(input);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element<'_>> = Vec::new();
    let mut root: Option<Element<'_>> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| DecodeError::new(format!("malformed XML: {e}")))?;
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(DecodeError::new(format!(
                        "elements nested deeper than {MAX_DEPTH} levels"
                    )));
                }
                if root.is_some() {
                    return Err(DecodeError::new("content after the root element"));
                }
                stack.push(start_element(input, &start)?);
            }
            Event::Empty(start) => {
                let element = start_element(input, &start)?;
                attach(&mut stack, &mut root, element)?;
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| DecodeError::new("unbalanced end tag"))?;
                attach(&mut stack, &mut root, element)?;
            }
            Event::Text(text) => {
                // Text without references is a slice of the input, already valid UTF-8.
                let text = match reborrow(input, &text).filter(|raw| !raw.contains('&')) {
                    Some(raw) => Cow::Borrowed(raw),
                    None => Cow::Owned(
                        text.unescape()
                            .map_err(|e| DecodeError::new(format!("bad text: {e}")))?
                            .into_owned(),
                    ),
                };
                append_text(&mut stack, text)?;
            }
            Event::CData(data) => {
                let text = std::str::from_utf8(&data)
                    .map_err(|e| DecodeError::new(format!("bad CDATA: {e}")))?;
                let text = reborrow(input, text.as_bytes())
                    .map_or_else(|| Cow::Owned(text.to_owned()), Cow::Borrowed);
                append_text(&mut stack, text)?;
            }
            Event::DocType(_) => {
                return Err(DecodeError::new(
                    "DOCTYPE declarations are not allowed in OCI-P documents",
                ))
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(DecodeError::new("document ends inside an element"));
    }
    root.ok_or_else(|| DecodeError::new("document has no root element"))
}

fn attach<'a>(
    stack: &mut [Element<'a>],
    root: &mut Option<Element<'a>>,
    element: Element<'a>,
) -> Result<(), DecodeError> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None if root.is_none() => *root = Some(element),
        None => return Err(DecodeError::new("content after the root element")),
    }
    Ok(())
}

/// Refuses text that holds a character XML 1.0 forbids, raw or as a character reference.
fn allowed<'a>(text: Cow<'a, str>, what: &str) -> Result<Cow<'a, str>, DecodeError> {
    match chars::first_forbidden(&text) {
        Some((at, c)) => Err(DecodeError::new(format!(
            "{what}: {}",
            chars::describe(at, c)
        ))),
        None => Ok(text),
    }
}

fn append_text<'a>(stack: &mut [Element<'a>], text: Cow<'a, str>) -> Result<(), DecodeError> {
    let text = allowed(text, "text")?;
    match stack.last_mut() {
        Some(current) if current.text.is_empty() => current.text = text,
        Some(current) => current.text.to_mut().push_str(&text),
        None if text.trim().is_empty() => {}
        None => return Err(DecodeError::new("text outside the root element")),
    }
    Ok(())
}

fn start_element<'a>(input: &'a str, start: &BytesStart<'_>) -> Result<Element<'a>, DecodeError> {
    let qname = reborrow(input, start.name().as_ref())
        .ok_or_else(|| DecodeError::new("element name is not text"))?;
    let mut element = Element::new(strip_prefix(qname));
    // quick-xml's own duplicate check compares every attribute with every other one; with the
    // count bounded first, ours stays cheap.
    for attr in start.attributes().with_checks(false) {
        let attr = attr.map_err(|e| DecodeError::new(format!("bad attribute: {e}")))?;
        if element.attrs.len() == MAX_ATTRIBUTES {
            return Err(DecodeError::new(format!(
                "more than {MAX_ATTRIBUTES} attributes on <{qname}>"
            )));
        }
        let key = reborrow(input, attr.key.as_ref())
            .ok_or_else(|| DecodeError::new("attribute name is not text"))?;
        if element.attrs.iter().any(|(k, _)| *k == key) {
            return Err(DecodeError::new(format!(
                "attribute {key} repeated on <{qname}>"
            )));
        }
        let value = attr
            .unescape_value()
            .map_err(|e| DecodeError::new(format!("bad attribute value: {e}")))?;
        let value = match value {
            Cow::Borrowed(v) => reborrow(input, v.as_bytes())
                .map_or_else(|| Cow::Owned(v.to_owned()), Cow::Borrowed),
            Cow::Owned(v) => Cow::Owned(v),
        };
        element
            .attrs
            .push((key, allowed(value, "attribute value")?));
    }
    Ok(element)
}

/// Re-borrows `part` from `input` with the input's lifetime, when `part` lies inside it.
fn reborrow<'a>(input: &'a str, part: &[u8]) -> Option<&'a str> {
    let base = input.as_ptr() as usize;
    let at = part.as_ptr() as usize;
    if at < base || at + part.len() > base + input.len() {
        return None;
    }
    input.get(at - base..at - base + part.len())
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
        ] {
            assert!(parse(doc).is_err(), "{doc:?}");
        }
        assert!(parse("<a>&#xD800;</a>").is_err(), "a lone surrogate");
        assert!(parse("<a>tab\tok&#13;</a>").is_ok());
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
}
