//! OCI fixtures: recorded or hand-written request/response exchanges, and their comparison.
//!
//! A fixture case is a folder; each exchange in it is one file `NN-Label.xml` holding the request
//! document followed by the expected response document, in the order they are run on one
//! connection. Requests may carry `{{signedPassword}}`, filled in at run time from the nonce of
//! the last AuthenticationResponse. Comparison ignores what must vary (session id, nonce),
//! whitespace between elements, attribute order and namespace declarations.

use std::path::{Path, PathBuf};

use bytes::BytesMut;
use tokio_util::codec::Decoder;

use crate::ocip::codec::OciCodec;
use crate::ocip::xml::charset::decode_document;
use crate::ocip::xml::tree::strip_prefix;
use crate::ocip::xml::{parse, Element};

/// One request and the response expected for it.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The file it came from.
    pub path: PathBuf,
    /// The request document.
    pub request: Vec<u8>,
    /// The expected response document.
    pub response: Vec<u8>,
}

/// A named, ordered list of exchanges run on one connection.
#[derive(Debug, Clone)]
pub struct Case {
    /// The folder name.
    pub name: String,
    /// The exchanges, in order.
    pub exchanges: Vec<Exchange>,
}

/// Loads every case folder under `root`, sorted by name.
pub fn load_cases(root: &Path) -> Result<Vec<Case>, String> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .map_err(|e| format!("cannot read fixture folder {}: {e}", root.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.iter().map(|d| load_case(d)).collect()
}

/// Loads one case folder.
pub fn load_case(dir: &Path) -> Result<Case, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read fixture case {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    let exchanges = files
        .into_iter()
        .map(|path| {
            let bytes =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let mut docs = split_documents(&bytes)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .into_iter();
            match (docs.next(), docs.next(), docs.next()) {
                // A request alone is a new fixture whose response is yet to be recorded.
                (Some(request), response, None) => Ok(Exchange {
                    path,
                    request,
                    response: response.unwrap_or_default(),
                }),
                _ => Err(format!(
                    "{}: expected a request document and its response document",
                    path.display()
                )),
            }
        })
        .collect::<Result<Vec<_>, String>>()?;
    let name = dir
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    Ok(Case { name, exchanges })
}

/// Writes an exchange file: request, newline, response.
pub fn write_exchange(path: &Path, request: &[u8], response: &[u8]) -> Result<(), String> {
    let mut bytes = Vec::with_capacity(request.len() + response.len() + 2);
    bytes.extend_from_slice(trim_ascii(request));
    bytes.push(b'\n');
    bytes.extend_from_slice(trim_ascii(response));
    bytes.push(b'\n');
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn trim_ascii(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &bytes[start..end]
}

/// The text of every document in the checked-in fixtures (`fixtures/**.xml`), decoded: what
/// tests that check a property of every recorded command walk.
#[cfg(test)]
pub fn all_fixture_documents() -> Vec<String> {
    let mut folders = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
    let mut texts = Vec::new();
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("fixtures are readable") {
            let path = entry.expect("fixtures are readable").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|x| x == "xml") {
                let bytes = std::fs::read(&path).expect("fixtures are readable");
                for doc in split_documents(&bytes).expect("fixtures split into documents") {
                    texts.push(
                        decode_document(&doc)
                            .expect("fixtures are ISO-8859-1 or UTF-8")
                            .into_owned(),
                    );
                }
            }
        }
    }
    texts
}

/// Cuts a file into its documents with the wire framing.
pub fn split_documents(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let mut codec = OciCodec::default();
    let mut buf = BytesMut::from(bytes);
    let mut docs = Vec::new();
    while let Some(doc) = codec.decode_eof(&mut buf).map_err(|e| e.to_string())? {
        docs.push(doc.to_vec());
    }
    Ok(docs)
}

/// Replaces `{{name}}` placeholders in a request.
pub fn substitute(request: &[u8], vars: &[(&str, &str)]) -> Vec<u8> {
    let mut out = request.to_vec();
    for (name, value) in vars {
        let pattern = format!("{{{{{name}}}}}");
        out = replace_bytes(&out, pattern.as_bytes(), value.as_bytes());
    }
    out
}

/// Replaces every occurrence of `from` in `haystack` by `to`.
pub fn replace_bytes(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// Elements whose text differs on every run and is not compared.
const VARYING: [&str; 2] = ["sessionId", "nonce"];

/// Compares two documents; returns the differences (empty when they match), each naming the
/// path of the element that differs.
pub fn compare(expected: &[u8], actual: &[u8]) -> Result<Vec<String>, String> {
    let expected_text = decode_document(expected).map_err(|e| format!("expected: {e}"))?;
    let actual_text = decode_document(actual).map_err(|e| format!("actual: {e}"))?;
    let expected = parse(&expected_text).map_err(|e| format!("expected: {e}"))?;
    let actual = parse(&actual_text).map_err(|e| format!("actual: {e}"))?;
    let mut diffs = Vec::new();
    compare_elements(
        &expected,
        &actual,
        &format!("/{}", expected.name),
        Placeholders::Literal,
        &mut diffs,
    );
    Ok(diffs)
}

/// Compares a received command with a recorded one as `ocigw sim --answers` matches them: like
/// [`compare`], and a recorded value that is a `{{placeholder}}` (or `[redacted]`, a recording's
/// service password) matches any value. Returns the differences, each naming its path.
pub fn compare_command(recorded: &Element<'_>, received: &Element<'_>) -> Vec<String> {
    let mut diffs = Vec::new();
    compare_elements(
        recorded,
        received,
        "/command",
        Placeholders::MatchAny,
        &mut diffs,
    );
    diffs
}

/// The leaf values a command must hold to match `recorded` under [`compare_command`] (not the
/// placeholders, not the values that vary): a cheap test that rules most candidates out before
/// the full comparison.
pub fn required_values(recorded: &Element<'_>) -> Vec<String> {
    let mut values = Vec::new();
    visit_leaves(recorded, &mut |e: &Element<'_>| {
        if !is_placeholder(&e.text) {
            values.push(e.text.trim().to_owned());
        }
    });
    values
}

/// Every leaf value of `command` (trimmed), to test [`required_values`] against.
pub fn leaf_values<'e>(command: &'e Element<'_>) -> std::collections::HashSet<&'e str> {
    let mut values = std::collections::HashSet::new();
    visit_leaves(command, &mut |e: &'e Element<'_>| {
        values.insert(e.text.trim());
    });
    values
}

/// Calls `f` on every leaf element whose value is compared (not the varying ones).
fn visit_leaves<'e, 'a>(e: &'e Element<'a>, f: &mut impl FnMut(&'e Element<'a>)) {
    if e.children.is_empty() {
        if !VARYING.contains(&e.name) {
            f(e);
        }
        return;
    }
    for child in &e.children {
        visit_leaves(child, f);
    }
}

/// What a `{{placeholder}}` in the expected document means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placeholders {
    /// Itself (replay fills placeholders in before it compares).
    Literal,
    /// Any value.
    MatchAny,
}

/// Whether `text` stands for any value: `{{name}}`, or a recording's `[redacted]`.
fn is_placeholder(text: &str) -> bool {
    let text = text.trim();
    (text.starts_with("{{") && text.ends_with("}}") && text.len() > 4) || text == "[redacted]"
}

fn compare_elements(
    e: &Element<'_>,
    a: &Element<'_>,
    path: &str,
    placeholders: Placeholders,
    diffs: &mut Vec<String>,
) {
    if e.name != a.name {
        diffs.push(format!(
            "{path}: element <{}> instead of <{}>",
            a.name, e.name
        ));
        return;
    }
    let (ea, aa) = (comparable_attrs(e), comparable_attrs(a));
    if ea != aa {
        diffs.push(format!("{path}: attributes {aa:?} instead of {ea:?}"));
    }
    let any = placeholders == Placeholders::MatchAny && is_placeholder(&e.text);
    if !VARYING.contains(&e.name) && !any && e.children.is_empty() && e.text.trim() != a.text.trim()
    {
        diffs.push(format!(
            "{path}: '{}' instead of '{}'",
            a.text.trim(),
            e.text.trim()
        ));
    }
    for (i, (ec, ac)) in e.children.iter().zip(&a.children).enumerate() {
        compare_elements(ec, ac, &child_path(path, e, i), placeholders, diffs);
    }
    if e.children.len() != a.children.len() {
        diffs.push(format!(
            "{path}: {} child elements instead of {}",
            a.children.len(),
            e.children.len()
        ));
    }
}

/// `path/name`, with `[n]` (1-based) when the parent has several children of that name.
fn child_path(path: &str, parent: &Element<'_>, index: usize) -> String {
    let name = parent.children[index].name;
    let same = parent.children.iter().filter(|c| c.name == name).count();
    if same == 1 {
        return format!("{path}/{name}");
    }
    let nth = parent.children[..=index]
        .iter()
        .filter(|c| c.name == name)
        .count();
    format!("{path}/{name}[{nth}]")
}

/// Attributes by local name, sorted, without namespace declarations; `xsi:type` values lose
/// their prefix (`c:SuccessResponse` equals `SuccessResponse`).
fn comparable_attrs(el: &Element<'_>) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = el
        .attrs
        .iter()
        .filter(|(k, _)| *k != "xmlns" && !k.starts_with("xmlns:"))
        .map(|(k, v)| {
            let local = strip_prefix(k);
            let value = if local == "type" && k.contains(':') {
                strip_prefix(v).to_owned()
            } else {
                v.to_string()
            };
            (local.to_owned(), value)
        })
        .collect();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_varying_values_whitespace_and_attribute_order() {
        let a = br#"<BroadsoftDocument protocol="OCI" xmlns="C"><sessionId>1</sessionId><command echo="" xsi:type="c:X" xmlns=""><nonce>5</nonce><v>a</v></command></BroadsoftDocument>"#;
        let b = br#"<ns0:BroadsoftDocument xmlns:ns0="C" protocol="OCI">
  <sessionId>2</sessionId>
  <command xsi:type="X" echo=""><nonce>6</nonce><v> a </v></command>
</ns0:BroadsoftDocument>"#;
        assert_eq!(compare(a, b).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn names_the_differing_element() {
        let a = br#"<BroadsoftDocument><command><v>a</v><w>1</w></command></BroadsoftDocument>"#;
        let b = br#"<BroadsoftDocument><command><v>a</v><w>2</w></command></BroadsoftDocument>"#;
        assert_eq!(
            compare(a, b).unwrap(),
            vec!["/BroadsoftDocument/command/w: '2' instead of '1'".to_owned()]
        );
    }

    #[test]
    fn a_command_holds_the_required_values_of_every_recording_it_matches() {
        let recorded = parse(
            r#"<command xsi:type="X"><u>anna</u><n>{{any}}</n><p>[redacted]</p><e/></command>"#,
        )
        .unwrap();
        assert_eq!(required_values(&recorded), ["anna", ""]);
        let same =
            parse(r#"<command xsi:type="X"><u> anna </u><n>5</n><p>s3cret</p><e/></command>"#)
                .unwrap();
        let other = parse(r#"<command xsi:type="X"><u>luc</u><n>5</n><p>s3cret</p><e/></command>"#)
            .unwrap();
        for (received, matches) in [(&same, true), (&other, false)] {
            let values = leaf_values(received);
            let held = required_values(&recorded)
                .iter()
                .all(|v| values.contains(v.as_str()));
            assert_eq!(held, matches);
            assert_eq!(compare_command(&recorded, received).is_empty(), matches);
        }
    }

    #[test]
    fn substitutes_placeholders() {
        assert_eq!(
            substitute(b"<p>{{signedPassword}}</p>", &[("signedPassword", "abc")]),
            b"<p>abc</p>".to_vec()
        );
    }
}
