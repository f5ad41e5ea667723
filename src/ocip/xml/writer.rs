//! Writes OCI-P XML as ISO-8859-1 bytes.
//!
//! Every document ocigw writes is declared ISO-8859-1. Characters of Latin-1 are written as
//! single bytes; anything beyond goes out as a numeric character reference (`&#12475;`), so a
//! hunt group named `セールス` survives any Latin-1 peer. Markup characters and quotes are
//! escaped in text, and quotes too in attribute values.

/// The namespace of `xsi:` attributes (`xsi:type`, `xsi:nil`).
pub const XSI_NAMESPACE: &str = "http://www.w3.org/2001/XMLSchema-instance";

use crate::ocip::xml::chars;

/// An append-only XML writer producing ISO-8859-1 bytes.
#[derive(Debug, Default)]
pub struct XmlWriter {
    buf: Vec<u8>,
}

impl XmlWriter {
    /// A writer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            buf: Vec::with_capacity(capacity),
        }
    }

    /// The bytes written so far.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// How many bytes were written so far.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing was written yet.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Drops what was written after the first `len` bytes (a command that failed its checks).
    pub fn truncate(&mut self, len: usize) {
        self.buf.truncate(len);
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Appends markup that is known to be plain ASCII (tag names, fixed attributes).
    pub fn raw(&mut self, markup: &str) {
        self.buf.extend_from_slice(markup.as_bytes());
    }

    /// Appends bytes this writer wrote earlier (a command kept for later).
    pub fn raw_bytes(&mut self, written: &[u8]) {
        self.buf.extend_from_slice(written);
    }

    /// `<name>`
    pub fn open(&mut self, name: &str) {
        self.buf.push(b'<');
        self.raw(name);
        self.buf.push(b'>');
    }

    /// `<name xsi:type="type_name">`
    pub fn open_typed(&mut self, name: &str, type_name: &str) {
        self.buf.push(b'<');
        self.raw(name);
        self.raw(" xsi:type=\"");
        self.escaped_attr(type_name);
        self.raw("\">");
    }

    /// `</name>`
    pub fn close(&mut self, name: &str) {
        self.raw("</");
        self.raw(name);
        self.buf.push(b'>');
    }

    /// `<name xsi:nil="true"/>`, the OCI way to clear a value in a Modify request.
    pub fn nil(&mut self, name: &str) {
        self.buf.push(b'<');
        self.raw(name);
        self.raw(" xsi:nil=\"true\"/>");
    }

    /// `<name>text</name>` with the text escaped, or `<name/>` when the text is empty.
    pub fn leaf(&mut self, name: &str, text: &str) {
        if text.is_empty() {
            self.buf.push(b'<');
            self.raw(name);
            self.raw("/>");
            return;
        }
        self.open(name);
        self.escaped(text);
        self.close(name);
    }

    /// Appends element text escaped for XML (`<`, `>`, `&`) and encoded as ISO-8859-1.
    pub fn escaped(&mut self, text: &str) {
        escape_latin1_into(&mut self.buf, text, false);
    }

    /// Appends an attribute value: like [`XmlWriter::escaped`], and quotes escaped too.
    pub fn escaped_attr(&mut self, value: &str) {
        escape_latin1_into(&mut self.buf, value, true);
    }
}

/// Escapes `text` into `buf` as ISO-8859-1 with numeric character references; `in_attribute`
/// also escapes both quote characters.
///
/// Characters XML 1.0 cannot carry at all (most C0 controls) become U+FFFD, so bad input can never
/// produce a document a peer refuses to parse; carriage returns are kept as `&#13;` so they are
/// not normalised away.
pub fn escape_latin1_into(buf: &mut Vec<u8>, text: &str, in_attribute: bool) {
    let bytes = text.as_bytes();
    let plain = if in_attribute {
        &PLAIN_IN_ATTRIBUTE
    } else {
        &PLAIN_IN_TEXT
    };
    let mut words = bytes.chunks_exact(8);
    let special = words.by_ref().any(|word| {
        // A chunk of 8 is always 8 bytes; were it not, it would count as special.
        word.try_into().map_or(true, |word| {
            chars::special_bytes(u64::from_le_bytes(word), in_attribute) != 0
        })
    }) || !words.remainder().iter().all(|&b| plain[usize::from(b)]);
    if !special {
        buf.extend_from_slice(bytes);
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if plain[usize::from(b)] {
            continue;
        }
        if !b.is_ascii() && (b & 0xC0) == 0x80 {
            continue; // continuation byte of a character handled at its lead byte
        }
        buf.extend_from_slice(&bytes[start..i]);
        start = i + utf8_len(b);
        match b {
            b'<' => buf.extend_from_slice(b"&lt;"),
            b'>' => buf.extend_from_slice(b"&gt;"),
            b'&' => buf.extend_from_slice(b"&amp;"),
            b'"' => buf.extend_from_slice(b"&quot;"),
            b'\'' => buf.extend_from_slice(b"&apos;"),
            b'\r' => buf.extend_from_slice(b"&#13;"),
            0..=0x7F => buf.extend_from_slice(b"&#65533;"),
            _ => {
                let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
                // Checked upstream; should one slip through, it never goes out as is.
                let c = if chars::forbidden(c) { '\u{FFFD}' } else { c };
                let code = u32::from(c);
                if (0xA0..=0xFF).contains(&code) {
                    buf.push(code as u8);
                } else {
                    push_char_ref(buf, code);
                }
            }
        }
    }
    buf.extend_from_slice(&bytes[start..]);
}

/// The bytes written as they are in element text: ASCII other than `<`, `>`, `&` and the
/// control characters XML cannot carry (tab and line feed are kept).
const PLAIN_IN_TEXT: [bool; 256] = plain_bytes(false);
/// The same in an attribute value, where both quotes are escaped too.
const PLAIN_IN_ATTRIBUTE: [bool; 256] = plain_bytes(true);

const fn plain_bytes(in_attribute: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x80 {
        let byte = b as u8;
        let markup = matches!(byte, b'<' | b'>' | b'&');
        let quote = matches!(byte, b'"' | b'\'');
        let control = byte < 0x20 && byte != b'\t' && byte != b'\n';
        table[b] = !(markup || control || (quote && in_attribute));
        b += 1;
    }
    table
}

fn utf8_len(lead: u8) -> usize {
    match lead {
        0..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// `&#code;`, with the digits written directly (the formatting machinery cost more than the
/// rest of the reference).
fn push_char_ref(buf: &mut Vec<u8>, code: u32) {
    let mut digits = [0u8; 10];
    let mut rest = code;
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    buf.extend_from_slice(b"&#");
    buf.extend_from_slice(&digits[start..]);
    buf.push(b';');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str) -> Vec<u8> {
        let mut buf = Vec::new();
        escape_latin1_into(&mut buf, s, false);
        buf
    }

    #[test]
    fn escapes_markup_in_text_and_quotes_in_attributes() {
        assert_eq!(esc("a<b>&\"c'"), b"a&lt;b&gt;&amp;\"c'".to_vec());
        let mut buf = Vec::new();
        escape_latin1_into(&mut buf, "x\"'<", true);
        assert_eq!(buf, b"x&quot;&apos;&lt;".to_vec());
    }

    #[test]
    fn latin1_is_one_byte_and_the_rest_is_a_reference() {
        assert_eq!(esc("é"), vec![0xE9]);
        assert_eq!(esc("セ"), b"&#12475;".to_vec());
        assert_eq!(esc("a€b"), b"a&#8364;b".to_vec());
        assert_eq!(esc("😀"), b"&#128512;".to_vec());
    }

    #[test]
    fn every_byte_in_every_place_of_a_word_is_escaped_as_the_tables_say() {
        // Each ASCII character alone, and at each position of a 16-byte text of plain letters
        // (both the word test and the tail test), gives what the byte-by-byte path gives.
        for in_attribute in [false, true] {
            for b in 0u8..0x80 {
                let c = char::from(b);
                let mut alone = Vec::new();
                escape_latin1_into(&mut alone, &c.to_string(), in_attribute);
                for at in 0..16 {
                    let mut text: Vec<char> = "abcdefghijklmnop".chars().collect();
                    text[at] = c;
                    let text: String = text.into_iter().collect();
                    let mut written = Vec::new();
                    escape_latin1_into(&mut written, &text, in_attribute);
                    let mut expected = b"abcdefghijklmnop"[..at].to_vec();
                    expected.extend_from_slice(&alone);
                    expected.extend_from_slice(&b"abcdefghijklmnop"[at + 1..]);
                    assert_eq!(
                        written, expected,
                        "{b:#04x} at {at}, attribute {in_attribute}"
                    );
                }
            }
        }
        assert_eq!(esc("0123456789abcdé"), b"0123456789abcd\xE9".to_vec());
        assert_eq!(esc("\u{10FFFF}"), b"&#1114111;".to_vec());
    }

    #[test]
    fn tab_and_line_feed_are_written_as_they_are() {
        assert_eq!(esc("a\tb\nc"), b"a\tb\nc".to_vec());
        let mut buf = Vec::new();
        escape_latin1_into(&mut buf, "a\tb", true);
        assert_eq!(buf, b"a\tb".to_vec());
    }

    #[test]
    fn forbidden_controls_never_reach_the_wire() {
        assert_eq!(esc("a\u{1}b\rc"), b"a&#65533;b&#13;c".to_vec());
        // C1 controls are not Latin-1 printable: references keep them explicit.
        assert_eq!(esc("\u{85}"), b"&#133;".to_vec());
    }
}
