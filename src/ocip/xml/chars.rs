//! The characters XML 1.0 cannot carry: C0 controls other than tab, line feed and carriage
//! return, and U+FFFE, U+FFFF (lone surrogates cannot occur in Rust text; as character
//! references the parser refuses them). One definition, used by the parser (gateway and
//! simulator), the writer and the checks of every input the gateway accepts.

/// Whether XML 1.0 forbids `c` anywhere in a document.
pub fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Whether byte `b` of UTF-8 text may start a character XML forbids: a C0 control other than
/// tab, line feed and carriage return, or 0xEF (the first byte of U+FFFE and U+FFFF). Text
/// without such a byte, nearly all text, needs no character-by-character check.
pub const fn may_start_forbidden(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF
}

/// The first forbidden character of `text`, with its character position.
pub fn first_forbidden(text: &str) -> Option<(usize, char)> {
    // A wider test than `may_start_forbidden` (tab, line feed and carriage return pass it and
    // go on to the exact check below), written as a fold without early exit, which the
    // compiler vectorizes.
    let suspect = text
        .bytes()
        .fold(false, |suspect, b| suspect | (b < 0x20) | (b == 0xEF));
    if !suspect {
        return None;
    }
    text.chars().enumerate().find(|(_, c)| forbidden(*c))
}

/// Which of the 8 bytes of `word` (read little-endian) may need a closer look, in text written
/// or read: a control character, a byte of a non-ASCII character, `<`, `>` or `&` (and both
/// quotes in an attribute). The answer has the high bit of each such byte set. The writer
/// escapes nothing in a word without one; the reader skips such a word whole.
///
/// Eight bytes are tested at once with the classic "has zero byte" and "has byte less than"
/// word tricks. They are exact for "any?" and for the lowest such byte (a borrow can only
/// mark bytes above a real one), which is all either side asks. Tab and line feed count as
/// special here and are handled by the byte-by-byte paths.
pub fn special_bytes(word: u64, in_attribute: bool) -> u64 {
    let has = |b: u8| bytes_equal(word, b);
    let mut special = (word & HIGH) | bytes_below(word, 0x20) | has(b'<') | has(b'>') | has(b'&');
    if in_attribute {
        special |= has(b'"') | has(b'\'');
    }
    special
}

/// `0x01` in every byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a word.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The bytes of `word` (8, read little-endian) equal to `b`, as the high bit of each: the
/// "has zero byte" trick, exact for "any?" and for the lowest such byte.
pub fn bytes_equal(word: u64, b: u8) -> u64 {
    let v = word ^ (ONES * u64::from(b));
    v.wrapping_sub(ONES) & !v & HIGH
}

/// The bytes of `word` below `n` (at most 128), as the high bit of each: the "has byte less
/// than" trick, exact for "any?" and for the lowest such byte.
pub fn bytes_below(word: u64, n: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH
}

/// What to say about a forbidden character at `position`.
pub fn describe(position: usize, c: char) -> String {
    format!(
        "character U+{:04X} at position {position} is not allowed (XML 1.0 cannot carry it)",
        u32::from(c)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_nonchars_are_forbidden_the_rest_allowed() {
        for c in ['\u{0}', '\u{1}', '\u{1B}', '\u{FFFE}', '\u{FFFF}', '\u{B}'] {
            assert!(forbidden(c), "{c:?}");
        }
        for c in ['\t', '\n', '\r', ' ', 'é', '\u{7F}', '\u{FFFD}', 'セ', '😀'] {
            assert!(!forbidden(c), "{c:?}");
        }
        assert_eq!(first_forbidden("nul\u{0}x"), Some((3, '\u{0}')));
        assert_eq!(
            describe(3, '\u{0}'),
            "character U+0000 at position 3 is not allowed (XML 1.0 cannot carry it)"
        );
    }
}
