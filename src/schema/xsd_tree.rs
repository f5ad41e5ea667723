//! The XSD files of a release read into a small tree of schema elements (quick-xml), for the
//! compiler. Documentation text is kept only long enough for the compiler to pick the response
//! type names and table headings out of it; it never reaches the catalog.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// One element of an XSD file: its local name (`complexType`), attributes, text and children.
#[derive(Debug, Default)]
pub struct XsdNode {
    /// Local name, without the `xs:` prefix.
    pub name: String,
    /// Attributes as written, by local name.
    pub attrs: Vec<(String, String)>,
    /// Text directly inside (documentation).
    pub text: String,
    /// Child elements in order.
    pub children: Vec<XsdNode>,
}

impl XsdNode {
    /// The attribute named `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Child elements named `name`.
    pub fn children_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s XsdNode> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&XsdNode> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of its `annotation/documentation`, empty when it has none.
    pub fn documentation(&self) -> String {
        self.child("annotation")
            .map(|a| {
                a.children_named("documentation")
                    .map(|d| d.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    }
}

/// Reads `entry` and every file it includes or imports, transitively; returns each file's root
/// `schema` element, the entry first.
pub fn read_schema_files(entry: &Path) -> Result<Vec<XsdNode>, String> {
    let mut seen = HashSet::new();
    let mut pending = vec![entry.to_path_buf()];
    let mut roots = Vec::new();
    while let Some(path) = pending.pop() {
        let canonical = path
            .canonicalize()
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if !seen.insert(canonical.clone()) {
            continue;
        }
        let text = std::fs::read_to_string(&canonical)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let root = parse_file(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let dir = canonical
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        for child in &root.children {
            if child.name == "include" || child.name == "import" {
                if let Some(location) = child.attr("schemaLocation") {
                    pending.push(dir.join(location));
                }
            }
        }
        roots.push(root);
    }
    Ok(roots)
}

/// The entry file of a schema folder: its `OCISchemaAS.xsd`, which includes every other part.
pub fn entry_of(dir: &Path) -> Result<PathBuf, String> {
    let entry = dir.join("OCISchemaAS.xsd");
    if entry.is_file() {
        Ok(entry)
    } else {
        Err(format!(
            "{} holds no OCISchemaAS.xsd (the entry of the OCI schema of a release)",
            dir.display()
        ))
    }
}

fn parse_file(text: &str) -> Result<XsdNode, String> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<XsdNode> = vec![XsdNode::default()];
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(start) => stack.push(node_of(&start)?),
            Event::Empty(start) => {
                let node = node_of(&start)?;
                push_child(&mut stack, node);
            }
            Event::End(_) => {
                let node = stack.pop().ok_or("an end tag with no start")?;
                push_child(&mut stack, node);
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    let text = t.unescape().map_err(|e| e.to_string())?;
                    top.text.push_str(&text);
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut document = stack.pop().ok_or("no document")?;
    if !stack.is_empty() {
        return Err("unclosed elements at the end of the file".into());
    }
    document
        .children
        .pop()
        .filter(|root| root.name == "schema")
        .ok_or_else(|| "the root element is not xs:schema".to_owned())
}

fn push_child(stack: &mut [XsdNode], node: XsdNode) {
    if let Some(parent) = stack.last_mut() {
        parent.children.push(node);
    }
}

fn node_of(start: &BytesStart<'_>) -> Result<XsdNode, String> {
    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        let key = String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned();
        let value = attr.unescape_value().map_err(|e| e.to_string())?;
        attrs.push((key, value.into_owned()));
    }
    Ok(XsdNode {
        name,
        attrs,
        ..XsdNode::default()
    })
}
