//! Minimal XML layer for OCI-P: an ISO-8859-1 writer, one tokenizer (a pull reader), and a
//! borrowed element tree built from it. OCI-P needs neither mixed content nor namespaces beyond
//! `xsi:`, so this stays small.

pub mod chars;
pub mod charset;
pub mod json;
pub mod json_sink;
pub mod reader;
pub mod references;
pub mod sink;
pub mod tree;
pub mod writer;

pub use reader::{Reader, Tag, Token};
pub use sink::ElementSink;
pub use tree::{parse, Element};
pub use writer::XmlWriter;
