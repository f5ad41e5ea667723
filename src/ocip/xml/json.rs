//! A generic XML → JSON view of OCI documents, for people and scripts (`ocigw oci send --json`).
//!
//! Leaves become strings, repeated elements arrays, and OCI tables (colHeading/row/col) arrays of
//! objects keyed by column heading. `xsi:type` is kept as `"type"`.

use std::borrow::Cow;

use serde_json::value::RawValue;
use serde_json::Value;

use crate::ocip::value::OciCommand;
use crate::ocip::xml::chars;
use crate::ocip::xml::json_sink::JsonSink;
use crate::ocip::xml::{Element, ElementSink};

/// Converts an element to JSON: the text [`write_json`] writes, read back (with serde_json's
/// `preserve_order`, in the same order).
pub fn to_json(e: &Element<'_>) -> Value {
    let mut out = Vec::with_capacity(256);
    write_json(e, &mut out);
    serde_json::from_slice(&out).unwrap_or(Value::Null)
}

/// A typed command's JSON view: the text [`write_json`] writes from the `<command>` element it
/// is sent as, written straight from the typed value (bulk writes one per row).
pub fn command_to_json<C: OciCommand>(command: &C) -> JsonText {
    let mut sink = JsonSink::with_capacity(1024);
    sink.open_typed("command", C::NAME);
    command.write_fields(&mut sink);
    sink.close("command");
    JsonText::written(sink.into_bytes())
}

/// JSON text already serialized: the `data` and `command` of a bulk result, written once when
/// the row is prepared and copied as they are into the report and the REST answer.
///
/// It holds only text this crate's writers made: serde_json's (`of`) and the JSON view's
/// (`command_to_json`, held to serde_json's text by its tests). Nothing parses it back on the
/// way to a report ([`crate::bulk::run::RowResult::write_json`]); a serde serializer gets it as
/// a `RawValue`, checked then.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonText(Box<str>);

impl JsonText {
    /// `null`.
    pub fn null() -> Self {
        Self("null".into())
    }

    /// Wraps JSON text written by this module's writers.
    fn from_text(text: String) -> Self {
        Self(text.into_boxed_str())
    }

    /// JSON text written by this module's writers ([`write_value`], [`write_str`], the JSON
    /// view); `null` should it not be UTF-8, which text written from `str`s always is.
    pub fn written(json: Vec<u8>) -> Self {
        String::from_utf8(json).map_or_else(|_| Self::null(), Self::from_text)
    }

    /// `{}`.
    pub fn empty_object() -> Self {
        Self("{}".into())
    }

    /// The text of anything serializable, serialized once (serde_json writes it; nothing is
    /// parsed back); `null` should it fail to serialize.
    pub fn of<T: serde::Serialize + ?Sized>(value: &T) -> Self {
        serde_json::to_string(value).map_or_else(|_| Self::null(), Self::from_text)
    }

    /// Whether it is `null`.
    pub fn is_null(&self) -> bool {
        &*self.0 == "null"
    }

    /// The JSON text.
    pub fn as_text(&self) -> &str {
        &self.0
    }

    /// The JSON as a value, to look into.
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.0).unwrap_or(Value::Null)
    }
}

impl serde::Serialize for JsonText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        RawValue::from_string(self.0.to_string())
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

impl schemars::JsonSchema for JsonText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "JsonText".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Value as schemars::JsonSchema>::json_schema(generator)
    }
}

/// Writes the JSON view of `e` into `out`: leaves become strings (`null` when nil, `{"type": …}`
/// when typed and empty), repeated children arrays at the place of the first, tables arrays of
/// objects keyed by heading, and an `xsi:type` the key `"type"` (a child named `type` takes its
/// value, at its place). The text is serde_json's own: compact, escaped as serde_json escapes.
pub fn write_json(e: &Element<'_>, out: &mut Vec<u8>) {
    if e.is_nil() {
        out.extend_from_slice(b"null");
        return;
    }
    if e.children.iter().any(|c| c.name == "colHeading") {
        let headings: Vec<&str> = e
            .children
            .iter()
            .filter(|c| c.name == "colHeading")
            .map(|c| c.text.as_ref())
            .collect();
        let rows = e.children.iter().filter(|c| c.name == "row").map(|row| {
            row.children
                .iter()
                .map(|c| c.text.as_ref())
                .collect::<Vec<&str>>()
        });
        write_table(&headings, rows, out);
        return;
    }
    write_object(
        &e.children,
        |child| child.name,
        |child, out| write_json(child, out),
        e.xsi_type(),
        &e.text,
        out,
    );
}

/// Writes the view of an element from its members (child elements, or their JSON already
/// written): an object with each name once, in the order of its first appearance, a repeated
/// name an array at that place; an `xsi:type` first, as `"type"` (a member named `type` takes
/// its value, at its place, as a map insert does). Without members: `{"type": …}` when typed,
/// else the element's text.
pub(super) fn write_object<'m, M>(
    members: &'m [M],
    name: impl Fn(&'m M) -> &'m str,
    value: impl Fn(&'m M, &mut Vec<u8>),
    xsi_type: Option<&str>,
    text: &str,
    out: &mut Vec<u8>,
) {
    if members.is_empty() {
        match xsi_type {
            Some(t) => {
                out.extend_from_slice(b"{\"type\":");
                write_str(t, out);
                out.push(b'}');
            }
            None => write_str(text, out),
        }
        return;
    }
    out.push(b'{');
    let mut first = true;
    let mut key = |name: &str, out: &mut Vec<u8>| {
        if !std::mem::take(&mut first) {
            out.push(b',');
        }
        write_str(name, out);
        out.push(b':');
    };
    // Each name once, in the order of its first appearance: where it first is and how often it
    // appears (one pass; a repeated name becomes an array at its first place).
    let mut names: Vec<(&str, usize, usize)> = Vec::with_capacity(members.len());
    for (i, member) in members.iter().enumerate() {
        let member_name = name(member);
        match names.iter_mut().find(|(n, _, _)| *n == member_name) {
            Some((_, _, count)) => *count += 1,
            None => names.push((member_name, i, 1)),
        }
    }
    let member = |wanted: &str, first: usize, count: usize, out: &mut Vec<u8>| {
        if count == 1 {
            value(&members[first], out);
            return;
        }
        write_array(members.iter().filter(|m| name(m) == wanted), out, &value);
    };
    if let Some(t) = xsi_type {
        key("type", out);
        match names.iter().find(|(n, _, _)| *n == "type") {
            Some(&(n, first, count)) => member(n, first, count, out),
            None => write_str(t, out),
        }
    }
    for &(n, first, count) in &names {
        if n == "type" && xsi_type.is_some() {
            continue;
        }
        key(n, out);
        member(n, first, count, out);
    }
    out.push(b'}');
}

/// Writes an OCI table as an array of objects keyed by heading. A repeated heading keeps its
/// first place and its last value, as a map does; a row shorter than the headings has only
/// its cells.
pub(super) fn write_table<H, C>(
    headings: &[H],
    rows: impl Iterator<Item = Vec<C>>,
    out: &mut Vec<u8>,
) where
    H: AsRef<str> + PartialEq,
    C: AsRef<str>,
{
    write_array(rows, out, |cells, out| {
        let pairs = headings.len().min(cells.len());
        let members = headings[..pairs]
            .iter()
            .enumerate()
            .filter(|&(h, heading)| !headings[..h].contains(heading))
            .map(|(h, heading)| {
                let last = (0..pairs)
                    .rev()
                    .find(|&j| headings[j] == *heading)
                    .unwrap_or(h);
                (heading, &cells[last])
            });
        write_members(members, out, |cell, out| write_str(cell.as_ref(), out));
    });
}

/// Writes `items` as a JSON array, each by `write_item`.
pub fn write_array<T>(
    items: impl IntoIterator<Item = T>,
    out: &mut Vec<u8>,
    mut write_item: impl FnMut(T, &mut Vec<u8>),
) {
    out.push(b'[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_item(item, out);
    }
    out.push(b']');
}

/// Writes `members` as a JSON object: each name, then its value by `write_member`.
pub fn write_members<N: AsRef<str>, T>(
    members: impl IntoIterator<Item = (N, T)>,
    out: &mut Vec<u8>,
    mut write_member: impl FnMut(T, &mut Vec<u8>),
) {
    out.push(b'{');
    for (i, (name, value)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(name.as_ref(), out);
        out.push(b':');
        write_member(value, out);
    }
    out.push(b'}');
}

/// A JSON value as serde_json writes it (compact), its strings through [`write_str`].
pub fn write_value(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::String(text) => write_str(text, out),
        Value::Array(items) => write_array(items, out, write_value),
        Value::Object(members) => write_members(members, out, write_value),
        // null, a boolean, a number: serde_json's own text (writing into a Vec cannot fail).
        scalar => {
            let _ = serde_json::to_writer(&mut *out, scalar);
        }
    }
}

/// A JSON string, escaped as serde_json escapes it.
pub fn write_str(text: &str, out: &mut Vec<u8>) {
    if plain(text, false) {
        write_quoted(text, out);
        return;
    }
    // Serializing a str into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, text);
}

/// A JSON string of text as XML carries it: like [`write_str`], with a character XML cannot
/// carry written as U+FFFD, as the writer sends it.
pub fn write_sent_str(text: &str, out: &mut Vec<u8>) {
    if plain(text, true) {
        write_quoted(text, out);
        return;
    }
    write_str(&as_sent(text), out);
}

/// Text as the XML carries it: a character XML cannot carry is sent as U+FFFD.
pub fn as_sent(text: &str) -> Cow<'_, str> {
    match chars::first_forbidden(text) {
        None => Cow::Borrowed(text),
        Some(_) => Cow::Owned(
            text.chars()
                .map(|c| if chars::forbidden(c) { '\u{FFFD}' } else { c })
                .collect(),
        ),
    }
}

/// Whether `text` goes between quotes as it is: serde_json escapes only control characters,
/// '"' and '\\' (and, `for_xml`, no byte may start a character XML cannot carry). Nearly all
/// text is plain, and most of it short (names, ids): tested eight bytes at a time.
fn plain(text: &str, for_xml: bool) -> bool {
    let bytes = text.as_bytes();
    // The last eight bytes, which may overlap the words before; a text shorter than eight is
    // padded with a plain byte.
    let last = bytes.last_chunk::<8>().copied().unwrap_or_else(|| {
        let mut padded = [b'a'; 8];
        for (to, from) in padded.iter_mut().zip(bytes) {
            *to = *from;
        }
        padded
    });
    let mut special = special_json_bytes(u64::from_le_bytes(last), for_xml);
    let mut rest = bytes;
    while let Some((word, after)) = rest.split_first_chunk::<8>() {
        special |= special_json_bytes(u64::from_le_bytes(*word), for_xml);
        rest = after;
    }
    special == 0
}

/// Not zero when one of the 8 bytes of `word` needs escaping in JSON (a control character, '"'
/// or '\\') or, `for_xml`, may start a character XML cannot carry (0xEF).
fn special_json_bytes(word: u64, for_xml: bool) -> u64 {
    let xml = if for_xml {
        chars::bytes_equal(word, 0xEF)
    } else {
        0
    };
    chars::bytes_below(word, 0x20)
        | chars::bytes_equal(word, b'"')
        | chars::bytes_equal(word, b'\\')
        | xml
}

fn write_quoted(text: &str, out: &mut Vec<u8>) {
    out.reserve(text.len() + 2);
    out.push(b'"');
    out.extend_from_slice(text.as_bytes());
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::all_fixture_documents;
    use crate::ocip::xml::parse;

    #[test]
    fn values_are_written_as_serde_json_writes_them() {
        let value = serde_json::json!({
            "s": "plain", "q": "q\"uote\\ \u{1}\u{7f} é 😀", "t": true, "f": false, "n": null,
            "i": -12, "u": u64::MAX, "x": 1.5, "e": 1e300, "a": [], "o": {},
            "nested": [{"k": ["v", 1, null]}, [[]], "\u{2028}"],
            "kéy \"q\"": 0
        });
        for value in [
            value.clone(),
            value["nested"].clone(),
            Value::Null,
            "x".into(),
        ] {
            let mut out = Vec::new();
            write_value(&value, &mut out);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&value).unwrap()
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_written_as_serde_json_writes_it(
            text in proptest::prop_oneof![
                "[a-z\"\\\\\u{0}-\u{1f}\u{7f}\u{e9}\u{fffe}\u{feff}]{0,40}",
                proptest::prelude::any::<String>(),
            ],
        ) {
            let mut out = Vec::new();
            write_str(&text, &mut out);
            proptest::prop_assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&text).unwrap()
            );
            let mut sent = Vec::new();
            write_sent_str(&text, &mut sent);
            proptest::prop_assert_eq!(
                String::from_utf8(sent).unwrap(),
                serde_json::to_string(&as_sent(&text)).unwrap()
            );
        }
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        for text in [
            "",
            "plain",
            "é セ 😀",
            "q\"uote",
            "back\\slash",
            "tab\t",
            "nul\u{0}",
            "del\u{7f}",
            "</x>",
        ] {
            let mut out = Vec::new();
            write_str(text, &mut out);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(text).unwrap()
            );
        }
    }

    fn written(e: &Element<'_>) -> String {
        let mut out = Vec::new();
        write_json(e, &mut out);
        String::from_utf8(out).unwrap()
    }

    /// Counts the commands of `e` whose JSON text is serde_json's own text of the value it
    /// reads as: compact, escaped as serde_json escapes, no key twice.
    fn canonical(e: &Element<'_>) -> usize {
        let text = written(e);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), text);
        1
    }

    #[test]
    fn written_json_is_serde_jsons_own_text_for_every_fixture_command() {
        let mut checked = 0;
        for text in all_fixture_documents() {
            let Ok(root) = parse(&text) else { continue };
            checked += root
                .children
                .iter()
                .filter(|c| c.name == "command")
                .map(canonical)
                .sum::<usize>();
        }
        assert!(checked > 150, "{checked} commands checked");
    }

    #[test]
    fn edge_shapes_are_written_as_a_map_would_hold_them() {
        for (doc, expected) in [
            (
                r#"<c xsi:type="X"><type>inner</type><a>1</a></c>"#,
                r#"{"type":"inner","a":"1"}"#,
            ),
            (
                r#"<c><a>1</a><b/><a>2</a><n xsi:nil="true"/><d xsi:type="K"/></c>"#,
                r#"{"a":["1","2"],"b":"","n":null,"d":{"type":"K"}}"#,
            ),
            (
                r#"<t><colHeading>A</colHeading><colHeading>A</colHeading><colHeading>B</colHeading><row><col>1</col><col>2</col></row><row><col>"q"</col></row></t>"#,
                r#"[{"A":"2"},{"A":"\"q\""}]"#,
            ),
            (
                "<c><s>caf\u{e9} \u{1F600} \\ \" \n</s></c>",
                "{\"s\":\"caf\u{e9} \u{1F600} \\\\ \\\" \\n\"}",
            ),
        ] {
            let e = parse(doc).unwrap();
            assert_eq!(written(&e), expected, "{doc}");
            assert_eq!(
                to_json(&e),
                serde_json::from_str::<Value>(expected).unwrap()
            );
        }
    }
}
