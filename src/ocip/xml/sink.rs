//! Where typed OCI values are written: the elements a value is made of, told to a sink. The
//! wire's XML ([`XmlWriter`]) is one sink; the JSON view of that XML
//! ([`JsonSink`](crate::ocip::xml::json_sink::JsonSink)) is another. Each type declares how it
//! is written once, against this trait, and both outputs follow from that one declaration.

use crate::ocip::commands::OciTable;
use crate::ocip::xml::XmlWriter;

/// Receives the elements of a typed value, in document order.
pub trait ElementSink {
    /// Starts `<name>`.
    fn open(&mut self, name: &str);
    /// Starts `<name xsi:type="type_name">`.
    fn open_typed(&mut self, name: &str, type_name: &str);
    /// Ends the element started last, named `name`.
    fn close(&mut self, name: &str);
    /// An element cleared with `xsi:nil`.
    fn nil(&mut self, name: &str);
    /// An element cleared with `xsi:nil` that names its concrete `xsi:type` (abstract types).
    fn nil_typed(&mut self, name: &str, type_name: &str);
    /// An element holding text (`<name/>` when the text is empty).
    fn leaf(&mut self, name: &str, text: &str);
    /// An OCI table: `colHeading` elements, then one `row` of `col` elements per row.
    fn table(&mut self, name: &str, table: &OciTable) {
        table_elements(self, name, table);
    }
}

/// An OCI table as its elements, as BroadWorks writes it.
pub fn table_elements<W: ElementSink + ?Sized>(w: &mut W, name: &str, table: &OciTable) {
    w.open(name);
    for heading in table.headings().cells() {
        w.leaf("colHeading", heading);
    }
    for row in table.rows() {
        w.open("row");
        for cell in row.cells() {
            w.leaf("col", cell);
        }
        w.close("row");
    }
    w.close(name);
}

impl ElementSink for XmlWriter {
    fn open(&mut self, name: &str) {
        XmlWriter::open(self, name);
    }
    fn open_typed(&mut self, name: &str, type_name: &str) {
        XmlWriter::open_typed(self, name, type_name);
    }
    fn close(&mut self, name: &str) {
        XmlWriter::close(self, name);
    }
    fn nil(&mut self, name: &str) {
        XmlWriter::nil(self, name);
    }
    fn nil_typed(&mut self, name: &str, type_name: &str) {
        self.raw("<");
        self.raw(name);
        self.raw(" xsi:type=\"");
        self.escaped_attr(type_name);
        self.raw("\" xsi:nil=\"true\"/>");
    }
    fn leaf(&mut self, name: &str, text: &str) {
        XmlWriter::leaf(self, name, text);
    }
}
