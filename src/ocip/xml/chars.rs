//! The characters XML 1.0 cannot carry: C0 controls other than tab, line feed and carriage
//! return, and U+FFFE, U+FFFF (lone surrogates cannot occur in Rust text; as character
//! references the parser refuses them). One definition, used by the parser (gateway and
//! simulator), the writer and the checks of every input the gateway accepts.

/// Whether XML 1.0 forbids `c` anywhere in a document.
pub fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Whether `b` is XML's white space (`S`: space, tab, line feed, carriage return). Not a form
/// feed, which `u8::is_ascii_whitespace` and `str::trim_ascii` count and XML forbids.
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// `text` without XML's white space around it (the schema's whiteSpace collapse of a
/// boolean's or an integer's text).
pub fn trim_space(text: &str) -> &str {
    // White space is ASCII, so the first and last other bytes begin and end characters.
    let bytes = text.as_bytes();
    let start = bytes
        .iter()
        .position(|&b| !is_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(start, |last| last + 1);
    &text[start..end]
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

/// Where the first byte of `chunk` is that a reader must look at (16 when there is none): a
/// control character, a byte of a non-ASCII character, `<` or `&` (and both quotes in an
/// attribute). Unlike [`special_bytes`], `>` needs no look when reading. Sixteen bytes are
/// tested at once: with SSE2, part of every x86-64 processor, in a few instructions; elsewhere
/// as two words.
#[inline(always)]
pub fn first_special_16(chunk: &[u8; 16], in_attribute: bool) -> usize {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8,
        };
        // SAFETY: SSE2 is enabled for this build (the `cfg` above), so its instructions exist;
        // the load reads exactly the 16 bytes of `chunk`, and `loadu` needs no alignment.
        let mask = unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast());
            let is = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
            // As signed bytes, the non-ASCII ones (0x80 and up) are negative: one compare
            // finds them and the controls.
            let mut special = _mm_or_si128(
                _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                _mm_or_si128(is(b'<'), is(b'&')),
            );
            if in_attribute {
                special = _mm_or_si128(special, _mm_or_si128(is(b'"'), is(b'\'')));
            }
            _mm_movemask_epi8(special) as u32
        };
        (mask | 1 << 16).trailing_zeros() as usize
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    {
        first_special_by_words(chunk, in_attribute)
    }
}

/// [`first_special_16`] as two words tested with [`special_bytes`] (which also looks at `>`):
/// the portable way, and the check of the SSE2 one.
pub fn first_special_by_words(chunk: &[u8; 16], in_attribute: bool) -> usize {
    let (low, high) = chunk.split_at(8);
    let word = |half: &[u8]| {
        let mut word = [0u8; 8];
        word.copy_from_slice(half);
        special_bytes(u64::from_le_bytes(word), in_attribute)
    };
    match (word(low), word(high)) {
        (0, 0) => 16,
        (0, high) => 8 + (high.trailing_zeros() / 8) as usize,
        (low, _) => (low.trailing_zeros() / 8) as usize,
    }
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

    #[test]
    fn sixteen_bytes_at_once_find_the_first_byte_to_look_at() {
        for in_attribute in [false, true] {
            let special = |b: u8| {
                b < 0x20
                    || !b.is_ascii()
                    || b == b'<'
                    || b == b'&'
                    || (in_attribute && (b == b'"' || b == b'\''))
            };
            for b in 0..=255u8 {
                for at in 0..16 {
                    let mut chunk = *b"abcdefghijklmnop";
                    chunk[at] = b;
                    let expected = if special(b) { at } else { 16 };
                    assert_eq!(
                        first_special_16(&chunk, in_attribute),
                        expected,
                        "{b:#x} at {at}"
                    );
                    // The words also look at '>'.
                    let by_words = if b == b'>' { at } else { expected };
                    assert_eq!(first_special_by_words(&chunk, in_attribute), by_words);
                    // A later special byte does not hide an earlier one.
                    chunk[15] = b'<';
                    let first = if special(b) { at } else { 15 };
                    assert_eq!(
                        first_special_16(&chunk, in_attribute),
                        first,
                        "{b:#x} at {at}"
                    );
                }
            }
        }
    }
}
