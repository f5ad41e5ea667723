//! A small element tree borrowed from the document text, built from the one tokenizer
//! ([`Reader`]), for what needs a whole document: the simulator, replay, the JSON view, the
//! commands of a multi-command answer.
//!
//! Names and text are slices of the input wherever no unescaping was needed, so a tree
//! allocates little more than its elements.

use std::borrow::Cow;

use crate::ocip::error::DecodeError;
use crate::ocip::xml::reader::{self, Attributes, Reader, Token};

pub use crate::ocip::xml::reader::{strip_prefix, MAX_ATTRIBUTES, MAX_DEPTH};

/// One XML element: its local name, attributes as written, text and child elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element<'a> {
    /// Local name, without any namespace prefix.
    pub name: &'a str,
    /// Attributes as `(qualified name, unescaped value)`, in document order.
    pub attrs: Attributes<'a>,
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
        reader::attr(&self.attrs, qname)
    }

    /// The local part of the `xsi:type` attribute (any prefix on the attribute or its value
    /// is dropped: `c:SuccessResponse` is `SuccessResponse`).
    pub fn xsi_type(&self) -> Option<&str> {
        reader::xsi_type(&self.attrs)
    }

    /// Whether the element carries `xsi:nil="true"`.
    pub fn is_nil(&self) -> bool {
        reader::is_nil(&self.attrs)
    }

    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of the first child named `name`.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_ref())
    }
}

/// Parses a whole document into its root element.
///
/// What OCI-P documents use is accepted — the declaration, comments, processing instructions,
/// CDATA, namespace prefixes, either quote — and anything malformed is refused with where it
/// was found (see [`Reader`]).
pub fn parse(input: &str) -> Result<Element<'_>, DecodeError> {
    let mut reader = Reader::new(input);
    // Every open element followed by its finished children, in document order. An element is
    // built where it stays until its parent closes; when it closes itself, it takes its
    // children (the tail after it) in one allocation of the exact size. Nothing is moved child
    // by child or grown element by element.
    let mut elements: Vec<Element<'_>> = Vec::new();
    // Where each open element is in `elements`, outermost first.
    let mut open: Vec<usize> = Vec::new();
    loop {
        match reader.next_token()? {
            Token::Start(tag) => {
                let at = elements.len();
                elements.push(Element {
                    name: tag.name,
                    attrs: tag.attrs,
                    text: Cow::Borrowed(""),
                    children: Vec::new(),
                });
                if !tag.empty {
                    open.push(at);
                }
            }
            Token::Text(text) => {
                if let Some(&at) = open.last() {
                    let element = &mut elements[at];
                    if element.text.is_empty() {
                        element.text = text;
                    } else {
                        element.text.to_mut().push_str(&text);
                    }
                }
            }
            Token::End => {
                if let Some(at) = open.pop() {
                    if at + 1 < elements.len() {
                        let children = elements.split_off(at + 1);
                        elements[at].children = children;
                    }
                }
            }
            Token::Eof => break,
        }
    }
    // Every element closed: the root is the one left, holding all others.
    elements
        .pop()
        .ok_or_else(|| DecodeError::new("document has no root element"))
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
        let doc = "<?xml version='1.0' encoding='ISO-8859-1'?>\n<!-- recorded -->\n<r:Root xmlns:r = 'C' b='x\"y'>\n  <a>one<!-- c --> two</a><b><![CDATA[<not> &markup;]]></b><?pi a>b ?x?><?pi?><c\tk=\"1\"\n/></r:Root >\n<!-- after -->\n";
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
        for pi in ["<a><?pi x></a>", "<a><?></a>", "<a><?pi ?"] {
            assert!(
                error(pi).contains("processing instruction without '?>'"),
                "{pi}"
            );
        }
    }
}
