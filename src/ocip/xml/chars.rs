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
