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
    let named = |names: &[&str]| names.iter().any(|name| label.eq_ignore_ascii_case(name));
    if named(&["utf-8", "utf8"]) {
        std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(|e| DecodeError::new(format!("document declared UTF-8 is not UTF-8: {e}")))
    } else if named(&[
        "iso-8859-1",
        "iso8859-1",
        "iso_8859-1",
        "latin1",
        "l1",
        "iso-8859",
    ]) {
        Ok(latin1(bytes))
    } else if bytes.is_ascii() {
        // ASCII is valid UTF-8 and the same in every encoding OCI-P uses.
        std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(|e| DecodeError::new(format!("invalid text: {e}")))
    } else {
        let encoding = encoding_rs::Encoding::for_label(label.as_bytes())
            .ok_or_else(|| DecodeError::new(format!("unsupported document encoding '{label}'")))?;
        encoding
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or_else(|| DecodeError::new(format!("document is not valid {}", encoding.name())))
    }
}

/// ISO-8859-1 bytes as text, each byte the character of its number: borrowed when they are all
/// ASCII, else copied with each other byte written as its two UTF-8 bytes.
///
/// OCI-P answers are ASCII but for a few accented letters in names. The ASCII between them is
/// found 64 bytes at a time and copied whole. `encoding_rs::mem::decode_latin1` converted
/// everything from the first non-ASCII byte on, a word at a time: 9.2k instructions for the
/// bench's 5.6 KB answer with three such letters. The text is made without a second pass to
/// check it as UTF-8: that check (`std::str::from_utf8`, or `simdutf8`) cost as much as the
/// copy saves, and the bytes are UTF-8 by construction, as the two `SAFETY` notes say.
fn latin1(bytes: &[u8]) -> Cow<'_, str> {
    let Some(first) = first_non_ascii(bytes) else {
        // SAFETY: `first_non_ascii` found no byte above 0x7F: ASCII, which is UTF-8.
        return Cow::Borrowed(unsafe { std::str::from_utf8_unchecked(bytes) });
    };
    let mut utf8 = Vec::with_capacity(bytes.len() + bytes.len() / 16 + 2);
    let mut at = first;
    utf8.extend_from_slice(&bytes[..at]);
    while let Some(&byte) = bytes.get(at) {
        utf8.extend_from_slice(&[0xC0 | (byte >> 6), 0x80 | (byte & 0x3F)]);
        let ascii_end = first_non_ascii(&bytes[at + 1..]).map_or(bytes.len(), |i| at + 1 + i);
        utf8.extend_from_slice(&bytes[at + 1..ascii_end]);
        at = ascii_end;
    }
    // SAFETY: every byte below 0x80 was copied as it is (ASCII), and every other byte, the
    // only ones `first_non_ascii` stops at, was written as the two-byte UTF-8 sequence of the
    // character of its number (U+0080 to U+00FF): the whole is UTF-8.
    Cow::Owned(unsafe { String::from_utf8_unchecked(utf8) })
}

/// Where the first byte above 0x7F is in `bytes`. Sixty-four bytes are tested at a time with
/// a fold the compiler turns into a few vector instructions.
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    const RUN: usize = 64;
    let mut at = 0;
    for run in bytes.chunks_exact(RUN) {
        if run.iter().fold(0, |all, b| all | b) >= 0x80 {
            break;
        }
        at += RUN;
    }
    bytes[at..]
        .iter()
        .position(|b| !b.is_ascii())
        .map(|i| at + i)
}

/// The `encoding="…"` of the XML declaration at the start of `bytes`, if any.
fn declared_encoding(bytes: &[u8]) -> Option<&str> {
    // The declaration BroadWorks and ocigw write, known at once.
    const USUAL: &[u8] = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>";
    if bytes.starts_with(USUAL) {
        return Some("ISO-8859-1");
    }
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
        // Written otherwise, the declaration is read by the general path, to the same end.
        let doc = b"<?xml version='1.0' encoding = 'iso-8859-1' ?><a>\xE9</a>";
        assert!(decode_document(doc).unwrap().ends_with("<a>é</a>"));
        let doc = b"<?xml version=\"1.0\" encoding=\"Latin1\"?><a>\xE9</a>";
        assert!(decode_document(doc).unwrap().ends_with("<a>é</a>"));
    }

    proptest::proptest! {
        /// The conversion is each byte made the character of its number, for any bytes; the
        /// text is borrowed exactly when they are ASCII.
        #[test]
        fn latin1_is_each_byte_as_its_character(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![4 => 0x20u8..0x7F, 1 => proptest::num::u8::ANY],
                0..300,
            )
        ) {
            let text = latin1(&bytes);
            let expected: String = bytes.iter().map(|&b| char::from(b)).collect();
            proptest::prop_assert_eq!(&text, &expected);
            proptest::prop_assert_eq!(matches!(text, Cow::Borrowed(_)), bytes.is_ascii());
        }
    }

    #[test]
    fn latin1_runs_end_anywhere() {
        for len in [0, 1, 63, 64, 65, 127, 128, 129, 300] {
            for at in [0, 1, 62, 63, 64, 65, 128, 200] {
                for odd in [0x80u8, 0xC9, 0xFF] {
                    let mut bytes: Vec<u8> = (0..len).map(|i| b' ' + (i % 90) as u8).collect();
                    if at < len {
                        bytes[at] = odd;
                        bytes[len - 1] = 0xE9;
                    }
                    let expected: String = bytes.iter().map(|&b| char::from(b)).collect();
                    assert_eq!(latin1(&bytes), expected, "{len} bytes, {odd:#x} at {at}");
                }
            }
        }
        let every_byte: Vec<u8> = (0..=255u8).collect();
        assert_eq!(
            latin1(&every_byte),
            (0..=255u8).map(char::from).collect::<String>()
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
