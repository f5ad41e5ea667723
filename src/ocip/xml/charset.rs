//! Turns the bytes of a received document into text, honouring its XML declaration.
//!
//! OCI-P documents are declared ISO-8859-1, but servers have been seen declaring UTF-8 and
//! ISO-8859-2, and clients send either; all of them are read here.

use std::borrow::Cow;

use crate::ocip::error::DecodeError;

/// Decodes a whole document according to the `encoding` of its XML declaration (UTF-8 when
/// there is none). Plain ASCII, the common case, is borrowed without copying.
pub fn decode_document(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    let label = declared_encoding(bytes).unwrap_or("UTF-8");
    let lower = label.to_ascii_lowercase();
    match lower.as_str() {
        // Both borrow plain ASCII, after one pass over it.
        "utf-8" | "utf8" => std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(|e| DecodeError::new(format!("document declared UTF-8 is not UTF-8: {e}"))),
        "iso-8859-1" | "iso8859-1" | "iso_8859-1" | "latin1" | "l1" | "iso-8859" => {
            Ok(encoding_rs::mem::decode_latin1(bytes))
        }
        // ASCII is valid UTF-8 and the same in every encoding OCI-P uses.
        _ if bytes.is_ascii() => std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(|e| DecodeError::new(format!("invalid text: {e}"))),
        _ => {
            let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                DecodeError::new(format!("unsupported document encoding '{label}'"))
            })?;
            encoding
                .decode_without_bom_handling_and_without_replacement(bytes)
                .ok_or_else(|| {
                    DecodeError::new(format!("document is not valid {}", encoding.name()))
                })
        }
    }
}

/// The `encoding="…"` of the XML declaration at the start of `bytes`, if any.
fn declared_encoding(bytes: &[u8]) -> Option<&str> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = &bytes[start..];
    if !rest.starts_with(b"<?xml") {
        return None;
    }
    let end = rest.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&rest[..end]).ok()?;
    let at = decl.find("encoding")?;
    let after = decl[at + "encoding".len()..].trim_start();
    let after = after.strip_prefix('=')?.trim_start();
    let quote = after.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let value = &after[1..];
    value.find(quote).map(|end| &value[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_declared_bytes_become_text() {
        let doc = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xE9</a>";
        assert_eq!(
            decode_document(doc).unwrap(),
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>é</a>"
        );
    }

    #[test]
    fn utf8_declared_and_undeclared() {
        let doc = "<?xml version='1.0' encoding='UTF-8'?><a>セ</a>";
        assert_eq!(decode_document(doc.as_bytes()).unwrap(), doc);
        assert_eq!(
            decode_document("<a>セ</a>".as_bytes()).unwrap(),
            "<a>セ</a>"
        );
    }

    #[test]
    fn latin2_is_honoured() {
        let doc = b"<?xml version=\"1.0\" encoding=\"ISO-8859-2\"?><a>\xB1</a>";
        assert!(decode_document(doc).unwrap().ends_with("<a>ą</a>"));
    }

    #[test]
    fn unknown_encodings_and_bad_utf8_are_errors() {
        let doc = b"<?xml version=\"1.0\" encoding=\"EBCDIC-X\"?><a>\xE9</a>";
        assert!(decode_document(doc)
            .unwrap_err()
            .to_string()
            .contains("EBCDIC-X"));
        assert!(decode_document(b"<a>\xE9</a>").is_err());
    }
}
