//! A generic XML → JSON view of OCI documents, for people and scripts (`ocigw oci send --json`).
//!
//! Leaves become strings, repeated elements arrays, and OCI tables (colHeading/row/col) arrays of
//! objects keyed by column heading. `xsi:type` is kept as `"type"`.

use serde_json::{Map, Value};

use crate::ocip::value::OciCommand;
use crate::ocip::xml::{parse, Element, XmlWriter};

/// Converts an element to JSON.
pub fn to_json(e: &Element<'_>) -> Value {
    if e.is_nil() {
        return Value::Null;
    }
    if e.children.is_empty() {
        if let Some(t) = e.xsi_type() {
            return Value::Object(Map::from_iter([("type".to_owned(), Value::from(t))]));
        }
        return Value::String(e.text.to_string());
    }
    if e.children.iter().any(|c| c.name == "colHeading") {
        return table_to_json(e);
    }
    let mut map = Map::new();
    if let Some(t) = e.xsi_type() {
        map.insert("type".to_owned(), Value::from(t));
    }
    for child in &e.children {
        let value = to_json(child);
        if !is_repeated(e, child.name) {
            map.insert(child.name.to_owned(), value);
        } else if let Value::Array(items) = map
            .entry(child.name.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            items.push(value);
        }
    }
    Value::Object(map)
}

fn is_repeated(parent: &Element<'_>, name: &str) -> bool {
    parent.children.iter().filter(|c| c.name == name).count() > 1
}

fn table_to_json(e: &Element<'_>) -> Value {
    let headings: Vec<&str> = e
        .children
        .iter()
        .filter(|c| c.name == "colHeading")
        .map(|c| c.text.as_ref())
        .collect();
    let rows = e.children.iter().filter(|c| c.name == "row").map(|row| {
        let cells = row.children.iter().map(|c| Value::from(c.text.as_ref()));
        Value::Object(
            headings
                .iter()
                .map(|h| (*h).to_owned())
                .zip(cells)
                .collect(),
        )
    });
    Value::Array(rows.collect())
}

/// A typed command as JSON (its `<command>` element seen through [`to_json`]).
pub fn command_to_json<C: OciCommand>(command: &C) -> Value {
    let mut w = XmlWriter::with_capacity(1024);
    command.write_command(&mut w);
    // The writer writes ISO-8859-1: each byte is the character of the same number (ASCII, the
    // common case, is already UTF-8).
    let bytes = w.into_bytes();
    let text = if bytes.is_ascii() {
        String::from_utf8(bytes).unwrap_or_default()
    } else {
        bytes.into_iter().map(char::from).collect()
    };
    parse(&text).map(|e| to_json(&e)).unwrap_or(Value::Null)
}
