//! Minimal XML layer for OCI-P: an ISO-8859-1 writer and a borrowed element tree parsed with
//! quick-xml. OCI-P needs neither mixed content nor namespaces beyond `xsi:`, so this stays small.

pub mod chars;
pub mod charset;
pub mod json;
pub mod tree;
pub mod writer;

pub use tree::{parse, Element};
pub use writer::XmlWriter;
