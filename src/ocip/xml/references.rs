//! Resolves the references in XML text: XML's five predefined entities (`&lt;` `&gt;` `&amp;`
//! `&apos;` `&quot;`) and character references (`&#233;`, `&#xE9;`). No other entity can occur
//! in an OCI-P document: DOCTYPE declarations, where entities would be declared, are refused.
//!
//! Whether a resolved character is one XML may carry is not checked here: the reader checks the
//! whole resolved text once (see [`chars::first_forbidden`](super::chars::first_forbidden)), so
//! a character written raw or as a reference is refused alike.

/// Longest reference shown in an error: enough for any real one, short for a hostile one.
const SHOWN: usize = 24;

/// Appends `raw` to `out` with every reference resolved; what is wrong with the first bad
/// reference otherwise (`out` then holds part of the text).
///
/// Texts are short and references few, so this walks the bytes itself: a `memchr` call per
/// reference cost more than the walk.
pub fn resolve_into(raw: &str, out: &mut String) -> Result<(), String> {
    let bytes = raw.as_bytes();
    let (mut plain_from, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i] != b'&' {
            i += 1;
            continue;
        }
        // References often come one after another: no empty run is copied between them.
        if plain_from < i {
            out.push_str(&raw[plain_from..i]);
        }
        let Some((c, len)) = reference(&bytes[i + 1..]) else {
            return Err(bad_reference(&raw[i..]));
        };
        out.push(c);
        i += 1 + len;
        plain_from = i;
    }
    out.push_str(&raw[plain_from..]);
    Ok(())
}

/// The character of the reference that `after` (what follows an `&`) starts with, and the
/// reference's length there, `;` included.
fn reference(after: &[u8]) -> Option<(char, usize)> {
    match after {
        [b'l', b't', b';', ..] => Some(('<', 3)),
        [b'g', b't', b';', ..] => Some(('>', 3)),
        [b'a', b'm', b'p', b';', ..] => Some(('&', 4)),
        [b'a', b'p', b'o', b's', b';', ..] => Some(('\'', 5)),
        [b'q', b'u', b'o', b't', b';', ..] => Some(('"', 5)),
        [b'#', b'x', digits @ ..] => number(digits, 16).map(|(c, len)| (c, len + 2)),
        [b'#', digits @ ..] => number(digits, 10).map(|(c, len)| (c, len + 1)),
        _ => None,
    }
}

/// The character numbered by the digits (in `radix`) that `digits` starts with, up to a `;`,
/// and their length, `;` included. No sign, no empty number, no overflow, no surrogate.
fn number(digits: &[u8], radix: u32) -> Option<(char, usize)> {
    let mut value: u32 = 0;
    for (at, &b) in digits.iter().enumerate() {
        if b == b';' {
            return if at == 0 {
                None
            } else {
                char::from_u32(value).map(|c| (c, at + 1))
            };
        }
        let digit = char::from(b).to_digit(radix)?;
        value = value.checked_mul(radix)?.checked_add(digit)?;
    }
    None
}

/// What is wrong with the reference `text` starts with (its `&`).
#[cold]
fn bad_reference(text: &str) -> String {
    match memchr::memchr(b';', text.as_bytes()) {
        Some(semicolon) => format!("unknown reference '{};'", shown(&text[..semicolon])),
        None => format!("'&' without a closing ';' in '{}'", shown(text)),
    }
}

/// At most [`SHOWN`] characters of `text` (an `&` and a name), for an error.
fn shown(text: &str) -> &str {
    text.char_indices()
        .nth(SHOWN)
        .map_or(text, |(at, _)| &text[..at])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn resolved(raw: &str) -> Result<String, String> {
        let mut out = String::new();
        resolve_into(raw, &mut out).map(|()| out)
    }

    #[test]
    fn every_predefined_entity_and_both_kinds_of_character_reference_are_resolved() {
        assert_eq!(
            resolved("a&lt;b&gt;c&amp;d&apos;e&quot;f").unwrap(),
            "a<b>c&d'e\"f"
        );
        assert_eq!(resolved("&#12475;&#x30FC;&#xe9;&#65;").unwrap(), "セーéA");
        assert_eq!(resolved("plain").unwrap(), "plain");
        assert_eq!(resolved("&amp;amp;").unwrap(), "&amp;", "resolved once");
        assert_eq!(
            resolved("&#0;").unwrap(),
            "\0",
            "the reader refuses it, not this"
        );
    }

    #[test]
    fn a_bad_reference_is_named() {
        for (raw, error) in [
            ("x&bogus;y", "unknown reference '&bogus;'"),
            ("&LT;", "unknown reference '&LT;'"),
            ("&#X41;", "unknown reference '&#X41;'"),
            ("&#;", "unknown reference '&#;'"),
            ("&#x;", "unknown reference '&#x;'"),
            ("&#+65;", "unknown reference '&#+65;'"),
            ("&#-1;", "unknown reference '&#-1;'"),
            ("&#12a;", "unknown reference '&#12a;'"),
            ("&#xD800;", "unknown reference '&#xD800;'"),
            ("&#x110000;", "unknown reference '&#x110000;'"),
            ("&#99999999999;", "unknown reference '&#99999999999;'"),
            ("a & b", "'&' without a closing ';' in '& b'"),
        ] {
            assert_eq!(resolved(raw).unwrap_err(), error, "{raw}");
        }
        let long = format!("&{};", "n".repeat(1000));
        assert_eq!(
            resolved(&long).unwrap_err(),
            format!("unknown reference '&{};'", "n".repeat(SHOWN - 1))
        );
    }

    /// A text of plain runs, predefined entities and character references (decimal and hex)
    /// of any character.
    fn text_with_references() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[^&]{0,6}",
            prop::sample::select(vec!["&lt;", "&gt;", "&amp;", "&apos;", "&quot;"])
                .prop_map(str::to_owned),
            any::<char>().prop_map(|c| format!("&#{};", u32::from(c))),
            any::<char>().prop_map(|c| format!("&#x{:x};", u32::from(c))),
            any::<char>().prop_map(|c| format!("&#x{:X};", u32::from(c))),
        ];
        prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        /// quick-xml's unescaping, which this replaced on the reader's path, is the reference
        /// for what the reader accepts (quick-xml refuses `&#0;` itself; here the reader's
        /// check of the resolved text refuses it, with every other forbidden character).
        #[test]
        fn the_reader_accepts_what_quick_xml_resolves(raw in text_with_references()) {
            let allowed = |text: String| {
                crate::ocip::xml::chars::first_forbidden(&text).is_none().then_some(text)
            };
            let expected = quick_xml::escape::unescape(&raw).map(|text| text.into_owned());
            prop_assert_eq!(
                resolved(&raw).ok().and_then(allowed),
                expected.ok().and_then(allowed),
                "{:?}",
                raw
            );
        }
    }
}
